#include "igbench/cli/options.hpp"

#include <cctype>
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

UsageError out_of_range(std::string_view item, std::string_view option) {
  return UsageError(std::string(option) + ": '" + std::string(item) + "' is out of range");
}

double parse_finite(std::string_view item, std::string_view option, std::string_view what) {
  double x = 0.0;
  const auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), x);
  const bool whole = ptr == item.data() + item.size() && !item.empty();
  if (whole && (ec == std::errc::result_out_of_range || std::isinf(x))) throw out_of_range(item, option);
  if (ec != std::errc() || !whole || !std::isfinite(x))
    throw UsageError(std::string(option) + ": '" + std::string(item) + "' is not " + std::string(what));
  return x;
}

}  // namespace

std::int64_t parse_int(std::string_view text, std::string_view option) {
  const std::string_view item = trim(text);
  std::int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
  const bool whole = ptr == item.data() + item.size();
  if (ec == std::errc() && whole) return v;
  if (ec == std::errc::result_out_of_range && whole) throw out_of_range(item, option);
  // 1e6-style integers: exact in double below 2^53; beyond 2^63 they do not fit an int64.
  double x = 0.0;
  const auto [dptr, dec] = std::from_chars(item.data(), item.data() + item.size(), x);
  if (dptr != item.data() + item.size() || item.empty()) throw UsageError(std::string(option) + ": '" + std::string(item) + "' is not an integer");
  if (dec == std::errc::result_out_of_range || std::isinf(x) || std::abs(x) >= 9223372036854775808.0)
    throw out_of_range(item, option);
  if (dec != std::errc() || x != std::floor(x))
    throw UsageError(std::string(option) + ": '" + std::string(item) + "' is not an integer");
  return static_cast<std::int64_t>(x);
}

namespace {
// A list names each value once: a repeated value (1000 and 1e3 are the same) would make
// duplicate sweep points. O(n^2) in the list length, which is short.
template <class T>
void refuse_duplicates(const std::vector<T>& values, const std::vector<std::string_view>& items, std::string_view option) {
  for (std::size_t i = 0; i < values.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (values[i] == values[j])
        throw UsageError(std::string(option) + ": '" + std::string(items[i]) + "' (item " + std::to_string(i + 1) +
                         ") repeats item " + std::to_string(j + 1) + "; give each value once");
}
}  // namespace

std::vector<std::int64_t> parse_int_list(std::string_view text, std::string_view option) {
  const std::vector<std::string_view> items = split_items(text, option);
  std::vector<std::int64_t> out;
  for (std::string_view item : items) out.push_back(parse_int(item, option));
  refuse_duplicates(out, items, option);
  return out;
}

std::vector<double> parse_double_list(std::string_view text, std::string_view option) {
  const std::vector<std::string_view> items = split_items(text, option);
  std::vector<double> out;
  for (std::string_view item : items) out.push_back(parse_finite(item, option, "a number"));
  refuse_duplicates(out, items, option);
  return out;
}

std::vector<std::string> parse_word_list(std::string_view text, std::string_view option) {
  const std::vector<std::string_view> items = split_items(text, option);
  std::vector<std::string> out(items.begin(), items.end());
  refuse_duplicates(out, items, option);
  return out;
}

void refuse_empty_values(const po::variables_map& vm) {
  for (const auto& [name, value] : vm) {
    // --help takes no value (Boost stores an empty string for such switches).
    if (value.defaulted() || name == "help") continue;
    const auto* text = boost::any_cast<std::string>(&value.value());
    if (text != nullptr && trim(*text).empty())
      throw UsageError("--" + name + " needs a value (got an empty one)");
  }
}

void refuse_placeholders(std::string_view text, std::string_view where) {
  for (std::size_t open = text.find('%'); open != std::string_view::npos; open = text.find('%', open + 1)) {
    std::size_t end = open + 1;
    while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_')) ++end;
    if (end > open + 1 && end < text.size() && text[end] == '%')
      throw UsageError(std::string(where) + " contains '" + std::string(text.substr(open, end - open + 1)) +
                       "'; igbench does not accept %word% in options (write it without the percent signs)");
  }
}

void parse_command_line(const std::vector<std::string>& args, const po::options_description& options,
                        po::variables_map& vm, const po::positional_options_description* positional) {
  for (std::size_t i = 0; i < args.size(); ++i)
    refuse_placeholders(args[i], "argument " + std::to_string(i + 1) + " ('" + args[i].substr(0, 40) + "')");
  try {
    po::command_line_parser parser(args);
    parser.options(options).style(po::command_line_style::default_style &
                                  ~po::command_line_style::allow_guessing);
    if (positional != nullptr) parser.positional(*positional);
    const po::parsed_options parsed = parser.run();
    if (positional == nullptr)
      for (const std::string& stray : po::collect_unrecognized(parsed.options, po::include_positional))
        throw UsageError("unexpected argument '" + stray + "' (this command takes only --options; a file of options goes after --config)");
    po::store(parsed, vm);
    po::notify(vm);
    refuse_empty_values(vm);
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
