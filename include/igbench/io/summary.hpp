#pragma once
// The summary table of a results file: per point and method, the mean +- SEM of rmse and
// truth_rmse over runs, and the paired difference method - jint (per run, then mean +- SEM).
// Statistics use rows with status "ok" and finite values; SEM = std(ddof=1) / sqrt(n) (NaN for
// n < 2). A method is present at a point when any of its values there is finite. Columns the
// schema marks `summarized` get a line each.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "igbench/io/result_row.hpp"

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
};

struct Summary {
  std::vector<PointSummary> points;  // ordered by point index, then first appearance
};

Summary summarize(const std::vector<ResultRow>& rows);
// A printable table, one block per point.
std::string format_summary(const Summary& summary);

}  // namespace igbench::io
