#pragma once
// `igbench merge`: combines results files (e.g. the shards of one sweep run as a job array)
// into one. Rows are keyed by RowKey: identical duplicates are dropped, an ok row replaces a
// failed one, and rows with the same key but different results are conflicts: the merge then
// writes nothing unless keep_first is set. Files of different sweeps merge into a file holding
// several sweeps; how their descriptions combine (sweep_attributes, the merged metadata) lives
// here too.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "igbench/io/metadata.hpp"
#include "igbench/io/result_row.hpp"

namespace igbench::io {

// The /sweep attributes of a file (docs/results-format.md) for the sweeps it holds. For several
// sweeps a scalar that differs between them is "mixed" (strings) or -1 (integers), each axis the
// union of their values in order of first appearance, a sample-size axis present when any sweep
// of its experiment is.
struct SweepAttributes {
  std::string experiment, rng;
  std::int64_t N_runs = 0, seed = 0;
  std::vector<std::string> scm_type, regularization, methods;
  std::vector<std::int64_t> K, n_order_fit;
  std::optional<std::vector<std::int64_t>> N, N_avg, N_total;
  std::optional<std::vector<double>> ratios;
};
SweepAttributes sweep_attributes(const SweepDescription& sweeps);

struct MergeOptions {
  bool keep_first = false;  // on a conflict keep the row of the earlier input instead of refusing
  bool overwrite = false;   // replace an existing output (otherwise refused)
  // Of the merging program: igbench_version, git_commit, command_line ("igbench merge ..."),
  // host. start_time / end_time become the earliest start and latest end of the inputs; ranks and
  // threads the inputs' common value (-1 if they differ); experiment, complete, n_tasks are
  // computed.
  FileMetadata metadata;
};

struct MergeConflict {
  RowKey key;
  std::filesystem::path first;   // the input whose row is kept (with keep_first)
  std::filesystem::path second;  // the input with a different result
};

struct MergeReport {
  std::size_t inputs = 0;
  std::size_t rows_read = 0;
  std::size_t rows_written = 0;
  std::size_t identical_duplicates = 0;  // dropped
  std::size_t failed_replaced = 0;       // failed rows dropped for an ok row of the same key
  std::vector<MergeConflict> conflicts;
  std::size_t sweeps = 0;  // distinct sweep spec texts in the output
  bool complete = false;   // one sweep, every task present with status ok
  bool written = false;    // false when conflicts stopped the merge
};

// Reads every input (a missing, corrupt, truncated or foreign one throws FileError naming it;
// nothing is written), combines the rows and, unless conflicts stop it, writes `out` atomically.
// Throws RefusedError when `out` exists and options.overwrite is not set, or inputs is empty.
MergeReport merge(const std::filesystem::path& out, const std::vector<std::filesystem::path>& inputs,
                  const MergeOptions& options);

// A few lines for the user: counts, each conflict's key and files, the outcome.
std::string describe(const MergeReport& report, const std::filesystem::path& out);

}  // namespace igbench::io
