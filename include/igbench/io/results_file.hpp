#pragma once
// The HDF5 results file of docs/results-format.md (format `igbench-results`, version 1): root
// attributes, /sweep, and /runs with one dataset per column of the schema (io/schema.hpp), rows
// sorted by (point, run). Files are built and parsed in memory (HDF5's core driver): HDF5 never
// touches the disk, our own write(2) / read(2) do.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "igbench/io/metadata.hpp"
#include "igbench/io/result_row.hpp"

namespace igbench::io {

struct ResultsFile {
  FileMetadata metadata;
  SweepDescription sweep;
  std::vector<ResultRow> rows;
};

// A results file larger than this is refused unread (a sweep of 10^6 rows takes about 0.5 GB).
inline constexpr std::uintmax_t max_results_file_bytes = std::uintmax_t{4} << 30;

// The bytes of the HDF5 file of `file` (rows sorted by (point, run)). Throws FileError naming
// `shown` when HDF5 fails and std::invalid_argument for a row whose per-action values are
// neither 0 nor K.
std::string results_file_image(const ResultsFile& file, const std::filesystem::path& shown);

// Writes `file` to `path` atomically (PATH.tmp.<unique>, write, fsync, rename, fsync of the
// directory): a reader sees the old file or the new one, never a partial one. Throws WriteError
// when the disk refuses (full, I/O error; `path` is then untouched), FileError or
// std::invalid_argument as results_file_image.
void write_results_file(const std::filesystem::path& path, const ResultsFile& file);

// Parses and validates the bytes of a results file (in this process; the entry point for a
// fuzzer): the HDF5 signature, format name and version, every attribute and schema column
// present with its type and rank, equal column lengths and Fletcher32 checksums, every value one
// a row can hold, every row a task of the file's /sweep at its point index, no key twice. The
// attributes experiment, n_tasks and complete are recomputed from the rows, never trusted.
// Throws FileError ("<shown>: <problem>", one line). HDF5 itself may crash on some corrupt
// metadata: read_results_file guards against that.
ResultsFile read_results_image(const std::string& bytes, const std::filesystem::path& shown);

// Reads a results file: its bytes, a trial parse in a child process (a crash, or no answer within
// 10 s + 1 s per MiB, there is "corrupt file"), then read_results_image. Throws FileError for a missing, truncated,
// corrupt, inconsistent or foreign file.
ResultsFile read_results_file(const std::filesystem::path& path);

// The /runs columns of format version 1, in the order they are written (alpha_sint included).
const std::vector<std::string>& run_columns();

}  // namespace igbench::io
