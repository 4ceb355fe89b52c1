#include "igbench/io/metadata.hpp"

#include <unistd.h>

#include <array>
#include <charconv>
#include <ctime>
#include <sstream>
#include <stdexcept>

#include "igbench/version.hpp"

namespace igbench::io {

std::string iso8601_utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::array<char, 32> buffer{};
  const std::size_t n = std::strftime(buffer.data(), buffer.size(), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return std::string(buffer.data(), n);
}

std::string host_name() {
  std::array<char, 256> buffer{};
  if (gethostname(buffer.data(), buffer.size() - 1) != 0) return "unknown";
  return std::string(buffer.data());
}

FileMetadata program_metadata(const std::string& command_line, std::int64_t ranks, std::int64_t threads) {
  FileMetadata m;
  m.igbench_version = std::string(igbench::version());
  m.git_commit = std::string(igbench::git_commit());
  m.command_line = command_line;
  m.host = host_name();
  m.start_time = iso8601_utc_now();
  m.ranks = ranks;
  m.threads = threads;
  return m;
}

SweepDescription SweepDescription::of(const sweep::SweepSpec& spec) {
  SweepDescription d;
  d.add(spec);
  return d;
}

void SweepDescription::add(const sweep::SweepSpec& spec) {
  std::string text = sweep::canonical_text(spec);
  for (const std::string& t : texts)
    if (t == text) return;
  specs.push_back(spec);
  texts.push_back(std::move(text));
}

std::string SweepDescription::joined_text() const {
  std::string joined;
  for (std::size_t i = 0; i < texts.size(); ++i) joined += (i ? spec_separator : "") + texts[i];
  return joined;
}

std::vector<std::string> split_spec_texts(const std::string& joined) {
  // Canonical texts end with '\n', so the separator is always at the start of a line.
  std::vector<std::string> texts;
  std::string current;
  std::istringstream in(joined);
  std::string line;
  while (std::getline(in, line)) {
    if (line + "\n" == spec_separator) {
      texts.push_back(current);
      current.clear();
    } else {
      current += line + "\n";
    }
  }
  if (!current.empty() || !texts.empty()) texts.push_back(current);
  return texts;
}

namespace {

std::vector<std::string> split_list(const std::string& value) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= value.size()) {
    const std::size_t comma = value.find(',', start);
    const std::size_t end = comma == std::string::npos ? value.size() : comma;
    items.push_back(value.substr(start, end - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return items;
}

template <class T>
T parse_number(const std::string& s) {
  T value{};
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) throw std::invalid_argument("bad number '" + s + "'");
  return value;
}

template <class T, class F>
std::vector<T> parse_list(const std::string& value, F&& parse_one) {
  std::vector<T> out;
  for (const std::string& item : split_list(value)) out.push_back(parse_one(item));
  return out;
}

}  // namespace

sweep::SweepSpec parse_canonical_text(const std::string& text) {
  sweep::SweepSpec spec;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const std::size_t eq = line.find('=');
    if (eq == std::string::npos) throw std::invalid_argument("sweep spec line without '=': '" + line + "'");
    const std::string key = line.substr(0, eq);
    const std::string value = line.substr(eq + 1);
    if (key == "experiment") {
      spec.experiment = experiment::parse_experiment(value);
    } else if (key == "scm_type") {
      spec.scm_types = parse_list<scm::ScmType>(value, [](const std::string& s) { return scm::parse_scm_type(s); });
    } else if (key == "K") {
      spec.K = parse_list<int>(value, parse_number<int>);
    } else if (key == "n_order_fit") {
      spec.n_order_fit = parse_list<int>(value, parse_number<int>);
    } else if (key == "regularization") {
      spec.regularizations = parse_list<fit::Regularization>(
          value, [](const std::string& s) { return fit::parse_regularization(s); });
    } else if (key == "N") {
      spec.N = parse_list<std::int64_t>(value, parse_number<std::int64_t>);
    } else if (key == "N_avg") {
      spec.N_avg = parse_list<std::int64_t>(value, parse_number<std::int64_t>);
    } else if (key == "ratios") {
      spec.ratios = parse_list<double>(value, parse_number<double>);
    } else if (key == "N_total") {
      spec.N_total = parse_list<std::int64_t>(value, parse_number<std::int64_t>);
    } else if (key == "N_runs") {
      spec.N_runs = parse_number<int>(value);
    } else if (key == "seed") {
      spec.seed = parse_number<std::uint32_t>(value);
    } else if (key == "methods") {
      spec.methods = {};
      for (const std::string& name : split_list(value)) spec.methods.add(experiment::parse_method(name));
    } else if (key == "rng") {
      spec.rng = experiment::parse_rng(value);
    } else {
      throw std::invalid_argument("unknown sweep spec line '" + line + "'");
    }
  }
  return spec;
}

std::string first_difference(const std::string& a, const std::string& a_name, const std::string& b,
                             const std::string& b_name) {
  if (a == b) return {};
  std::istringstream in_a(a), in_b(b);
  std::string line_a, line_b;
  while (true) {
    const bool more_a = static_cast<bool>(std::getline(in_a, line_a));
    const bool more_b = static_cast<bool>(std::getline(in_b, line_b));
    if (!more_a) line_a = "<end>";
    if (!more_b) line_b = "<end>";
    if (line_a != line_b || (!more_a && !more_b))
      return "first difference: " + a_name + " has '" + line_a + "', " + b_name + " has '" + line_b + "'";
  }
}

std::int64_t task_count(const sweep::SweepSpec& spec) {
  return static_cast<std::int64_t>(sweep::expand_points(spec).size()) * spec.N_runs;
}

}  // namespace igbench::io
