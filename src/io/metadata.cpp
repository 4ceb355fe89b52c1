#include "igbench/io/metadata.hpp"

#include <unistd.h>

#include <array>
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
