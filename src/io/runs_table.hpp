#pragma once
// /runs of a results file, column by column as the schema (io/schema.hpp) declares them
// (private to src/io).
#include <cstdint>
#include <vector>

#include "hdf5_file.hpp"
#include "igbench/io/result_row.hpp"

namespace igbench::io {

// Throws std::invalid_argument for a row whose per-action values are neither 0 nor K.
void check_per_action_sizes(const std::vector<ResultRow>& rows);

// Writes the group /runs: one dataset per column, rows in the given order.
void write_runs(const h5::Writer& w, hid_t file, const std::vector<ResultRow>& rows);

// Reads /runs: every column of the schema (an optional one may be missing), of the declared
// type and rank, all of one length, every value one a row can hold. `file_size` bounds the row
// count a corrupt shape could claim. Throws FileError.
std::vector<ResultRow> read_runs(const h5::Reader& rd, hid_t file, std::uintmax_t file_size);

}  // namespace igbench::io
