#pragma once
// CSV export in the reference's layout (METHOD.md section 8): one rmse_values.csv per group of
// rows, numbers written as Python writes floats (repr), lines ending in "\r\n" (Python's csv
// module), rows ordered by point then run.
//   main:        Run,RMSE Obs,RMSE Method,RMSE Joint Int,RMSE Pool
//                (Pool = rmse_pooled_ref for rng=reference rows, else rmse_pooled)
//   ratio:       Ratio,Run,RMSE Obs,RMSE Method,RMSE Joint Int,RMSE Pool
//                (5 values per row: ratio, run, obs, method, jint; the reference writes no pool)
//   convergence: Ratio,Run,RMSE Method,RMSE Joint Int   (the first value is N_total, an integer)
#include <filesystem>
#include <string>
#include <vector>

#include "igbench/io/result_row.hpp"
#include "igbench/io/results_file.hpp"

namespace igbench::io {

// Python's repr of a float: the shortest digits that round-trip, positional when the decimal
// exponent is in [-4, 16) (with ".0" for integers), else d.ddde[+-]XX; "nan", "inf", "-inf".
std::string python_float_repr(double x);

// A group: the rows of one experiment with one scm_type, K, n_order_fit, regularization and rng,
// plus N (main) or N_avg (ratio). Its name is the subfolder export_all writes it to, e.g.
// main_polynomial_K5_d3_ridge_N10000, ratio_polynomial_K5_d3_ridge_Navg10000,
// convergence_linear_K3_d2_lasso, with "_rng-reference" appended for reference-RNG rows.
struct CsvGroup {
  std::string name;
  std::vector<ResultRow> rows;  // ordered by point, then run
};
std::vector<CsvGroup> csv_groups(const std::vector<ResultRow>& rows);

// The CSV text of the rows of one group (throws std::invalid_argument if they span several).
std::string csv_text(const std::vector<ResultRow>& rows);
// Writes csv_text(rows) to `path` (atomically). Throws FileError when it cannot.
void write_csv(const std::filesystem::path& path, const std::vector<ResultRow>& rows);

// Every column of the schema (io/schema.hpp), one line per row ordered like csv_text: a header of
// the column names (a per-action column as <name>_0 .. <name>_<max K - 1>, empty where a row has
// fewer values), values as cell_text (doubles as Python's repr), RFC 4180 quoting, "\n" lines.
std::string all_columns_csv_text(const std::vector<ResultRow>& rows);

// Writes dir/rmse_values.csv when the file holds one group, else dir/<group name>/rmse_values.csv
// per group (creating the folders); with all_columns also runs.csv (all_columns_csv_text) beside
// each. Returns the paths written.
std::vector<std::filesystem::path> export_all(const ResultsFile& file, const std::filesystem::path& dir,
                                              bool all_columns = false);
std::vector<std::filesystem::path> export_all(const std::filesystem::path& results_file,
                                              const std::filesystem::path& dir, bool all_columns = false);

}  // namespace igbench::io
