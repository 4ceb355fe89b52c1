#pragma once
// What a results file says about itself: the root attributes (FileMetadata) and the sweep(s) it
// holds (SweepDescription). docs/results-format.md is the reference for both.
#include <cstdint>
#include <string>
#include <vector>

#include "igbench/sweep/sweep_spec.hpp"

namespace igbench::io {

inline constexpr const char* format_name = "igbench-results";
inline constexpr std::int64_t format_version = 1;

// The root attributes other than `format` and `format_version`.
struct FileMetadata {
  std::string igbench_version;
  std::string git_commit;
  std::string command_line;
  std::string host;        // host name of rank 0
  std::string start_time;  // ISO 8601 UTC, e.g. 2026-11-29T15:49:05Z
  std::string end_time;    // empty while the sweep runs
  std::int64_t ranks = 1;
  std::int64_t threads = 1;
  std::string experiment;  // main, ratio, convergence, or mixed
  bool complete = false;   // every (point, run) of the sweep has a row with status "ok"
  std::int64_t n_tasks = 0;
  bool operator==(const FileMetadata&) const = default;
};

// Metadata of this program: version, commit, host name, start time = now; the caller supplies
// the command line and the parallel layout.
FileMetadata program_metadata(const std::string& command_line, std::int64_t ranks, std::int64_t threads);
std::string iso8601_utc_now();
std::string host_name();

// The sweeps whose rows a file holds: one for a sweep's own file, several for a merge of files of
// different sweeps. texts[i] == sweep::canonical_text(specs[i]) when written by this program.
struct SweepDescription {
  std::vector<sweep::SweepSpec> specs;
  std::vector<std::string> texts;

  static SweepDescription of(const sweep::SweepSpec& spec);
  void add(const sweep::SweepSpec& spec);  // no-op when an equal text is present
  bool single() const { return texts.size() == 1; }
  // The `spec` attribute: the texts separated by a line "---".
  std::string joined_text() const;
};

// The separator line between spec texts in the `spec` attribute.
inline constexpr const char* spec_separator = "---\n";
std::vector<std::string> split_spec_texts(const std::string& joined);

// Empty when a == b; otherwise "first difference: <what> has '<line a>', <what> has '<line b>'".
std::string first_difference(const std::string& a, const std::string& a_name, const std::string& b,
                             const std::string& b_name);

// Number of (point, run) tasks of a sweep.
std::int64_t task_count(const sweep::SweepSpec& spec);

}  // namespace igbench::io
