#pragma once
// The HDF5 results file of docs/results-format.md (format `igbench-results`, version 1): root
// attributes, /sweep, and /runs with one 1-D dataset per column (alpha_sint 2-D), rows sorted by
// (point, run). This is the only part of igbench that includes hdf5.h (in its .cpp).
#include <filesystem>
#include <vector>

#include "igbench/io/metadata.hpp"
#include "igbench/io/result_row.hpp"

namespace igbench::io {

struct ResultsFile {
  FileMetadata metadata;
  SweepDescription sweep;
  std::vector<ResultRow> rows;
};

// Writes `file` to `path` atomically (PATH.tmp.<unique>, flush, close, fsync, rename, fsync of
// the directory): a reader sees the old file or the new one, never a partial one. The rows are
// written sorted by (point, run). Throws FileError when the file cannot be written and
// std::invalid_argument for a row whose alpha_sint has neither 0 nor K entries.
void write_results_file(const std::filesystem::path& path, const ResultsFile& file);

// Reads and validates a results file: format name and version, every attribute and column
// present, equal column lengths, known names in the string columns. Throws FileError ("<path>:
// <problem>", one line) for a missing, truncated, corrupt or foreign file.
ResultsFile read_results_file(const std::filesystem::path& path);

// The /runs columns of format version 1, in the order they are written (alpha_sint included).
const std::vector<std::string>& run_columns();

}  // namespace igbench::io
