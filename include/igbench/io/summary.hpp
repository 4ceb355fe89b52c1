#pragma once
// The summary table of a results file: per point and method, the mean +- SEM of rmse and
// truth_rmse over runs, and the paired difference method - jint (per run, then mean +- SEM).
// Statistics use rows with status "ok" and finite values; SEM = std(ddof=1) / sqrt(n) (NaN for
// n < 2). Beside them, for heavy-tailed runs: the median with its 95% percentile-bootstrap
// interval (stats/across_runs.hpp; the Python analysis computes the same numbers) and the runs
// with the largest rmse. A method is present at a point when any of its values there is finite.
// Per point, how many cross-validated fits chose an alpha at either end of the grid (a sign the
// grid should be widened with --alphas). Columns the schema marks `summarized` get a line each.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <span>
#include <utility>

#include "igbench/fit/linear_model.hpp"
#include "igbench/io/result_row.hpp"
#include "igbench/stats/across_runs.hpp"

namespace igbench::io {

struct Stat {
  std::int64_t n = 0;
  double mean = std::numeric_limits<double>::quiet_NaN();
  double sem = std::numeric_limits<double>::quiet_NaN();
};
// Mean and SEM of the finite entries of `values`.
Stat describe_values(const std::vector<double>& values);

struct MethodSummary {
  experiment::Method method = experiment::Method::obs;
  Stat rmse, truth_rmse;
  bool paired = false;            // a paired difference against jint exists (not for jint itself)
  Stat diff_rmse, diff_truth_rmse; // of method - jint over runs where both are finite
  stats::MedianInterval rmse_median, truth_rmse_median;
  std::vector<std::pair<std::int32_t, double>> largest_rmse;  // (run, rmse), largest first, 3 at most
};

// The alphas chosen by the fits of a point's ok rows (alpha_obs, alpha_pooled, alpha_jint and
// every alpha_sint entry) against the ends of the grid they were chosen from.
struct AlphaEdges {
  std::int64_t fits = 0;
  std::int64_t at_lowest = 0;
  std::int64_t at_highest = 0;
};

// A column the schema marks `summarized`: mean +- SEM of its finite values over the point's ok
// rows (every entry of a per-action column).
struct ColumnSummary {
  std::string name;
  Stat stat;
};

struct PointSummary {
  std::int64_t point = 0;  // the point index of its rows (first seen)
  sweep::SweepPoint params;
  experiment::RngMode rng = experiment::RngMode::fast;
  std::int64_t n_rows = 0;    // rows of the point, all statuses
  std::int64_t n_failed = 0;  // rows whose status is not "ok"
  std::vector<MethodSummary> methods;  // in the order of experiment::all_methods
  std::vector<ColumnSummary> columns;  // the summarized columns, in schema order
  AlphaEdges alpha_edges;
};

struct Summary {
  std::vector<PointSummary> points;  // ordered by point index, then first appearance
};

// `alphas`: the grid the fits chose from (the sweep's --alphas), for the edge counts.
Summary summarize(const std::vector<ResultRow>& rows, std::span<const double> alphas = fit::alpha_grid);
// A printable table, one block per point.
std::string format_summary(const Summary& summary);

}  // namespace igbench::io
