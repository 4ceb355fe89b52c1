#include "igbench/cli/options.hpp"

#include <charconv>
#include <cmath>
#include <iostream>

#include "igbench/cli/commands.hpp"
#include "igbench/parallel/communicator.hpp"

namespace igbench::cli {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_items(std::string_view text, std::string_view option) {
  std::vector<std::string_view> items;
  if (trim(text).empty()) throw UsageError(std::string(option) + " needs at least one value");
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = text.find(',', start);
    const std::string_view item = trim(text.substr(start, comma == std::string_view::npos ? text.npos : comma - start));
    if (item.empty())
      throw UsageError(std::string(option) + " '" + std::string(text) +
                       "' has an empty item (write values separated by single commas, e.g. 2,3,5)");
    items.push_back(item);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return items;
}

double parse_finite(std::string_view item, std::string_view option, std::string_view what) {
  double x = 0.0;
  const auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), x);
  if (ec != std::errc() || ptr != item.data() + item.size() || !std::isfinite(x))
    throw UsageError(std::string(option) + ": '" + std::string(item) + "' is not " + std::string(what));
  return x;
}

}  // namespace

std::int64_t parse_int(std::string_view text, std::string_view option) {
  const std::string_view item = trim(text);
  std::int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
  if (ec == std::errc() && ptr == item.data() + item.size()) return v;
  // 1e6-style integers
  const double x = parse_finite(item, option, "an integer");
  if (x != std::floor(x) || std::abs(x) > 9.0e18)
    throw UsageError(std::string(option) + ": '" + std::string(item) + "' is not an integer");
  return static_cast<std::int64_t>(x);
}

std::vector<std::int64_t> parse_int_list(std::string_view text, std::string_view option) {
  std::vector<std::int64_t> out;
  for (std::string_view item : split_items(text, option)) out.push_back(parse_int(item, option));
  return out;
}

std::vector<double> parse_double_list(std::string_view text, std::string_view option) {
  std::vector<double> out;
  for (std::string_view item : split_items(text, option)) out.push_back(parse_finite(item, option, "a number"));
  return out;
}

std::vector<std::string> parse_word_list(std::string_view text, std::string_view option) {
  std::vector<std::string> out;
  for (std::string_view item : split_items(text, option)) out.emplace_back(item);
  return out;
}

void parse_command_line(const std::vector<std::string>& args, const po::options_description& options,
                        po::variables_map& vm, const po::positional_options_description* positional) {
  try {
    po::command_line_parser parser(args);
    parser.options(options).style(po::command_line_style::default_style &
                                  ~po::command_line_style::allow_guessing);
    if (positional != nullptr) parser.positional(*positional);
    po::store(parser.run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(e.what());
  }
}

int guarded(std::string_view command, const std::function<int()>& body) {
  // Under MPI every rank reaches the same error; only the first rank reports it.
  const bool speak = parallel::launcher_rank() == 0;
  try {
    return body();
  } catch (const UsageError& e) {
    if (speak) std::cerr << "igbench " << command << ": " << e.what() << "\n";
    return exit_usage;
  } catch (const po::error& e) {
    if (speak) std::cerr << "igbench " << command << ": " << e.what() << " (see 'igbench " << command << " --help')\n";
    return exit_usage;
  } catch (const std::exception& e) {
    std::cerr << "igbench " << command << ": error: " << e.what() << "\n";
    return exit_failure;
  }
}

namespace {
std::string& process_command_line() {
  static std::string text;
  return text;
}
}  // namespace

void remember_command_line(int argc, char** argv) { process_command_line() = command_line_text(argc, argv); }
std::string command_line_text_of_process() { return process_command_line(); }

std::string command_line_text(int argc, char** argv) {
  std::string s;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    const bool plain = !a.empty() && a.find_first_of(" \t\"'\\$`;&|<>(){}*?") == std::string::npos;
    if (i) s += ' ';
    if (plain) {
      s += a;
    } else {
      s += '\'';
      for (char c : a) s += (c == '\'') ? std::string("'\\''") : std::string(1, c);
      s += '\'';
    }
  }
  return s;
}

}  // namespace igbench::cli
