// The summary: mean +- SEM per point and method, and the paired difference against jint, checked
// against a direct computation.
#include <gtest/gtest.h>

#include <cmath>

#include "igbench/io/summary.hpp"
#include "io_fixtures.hpp"

namespace igbench::io {
namespace {

using experiment::Method;

TEST(Summary, DescribeValuesByHand) {
  // 1, 2, 3, 4: mean 2.5, sample variance 5/3, SEM sqrt(5/3 / 4).
  const Stat s = describe_values({1.0, testing::nan, 2.0, 3.0, std::numeric_limits<double>::infinity(), 4.0});
  EXPECT_EQ(s.n, 4);
  EXPECT_DOUBLE_EQ(s.mean, 2.5);
  EXPECT_DOUBLE_EQ(s.sem, std::sqrt(5.0 / 3.0 / 4.0));
  const Stat one = describe_values({7.0});
  EXPECT_EQ(one.n, 1);
  EXPECT_EQ(one.mean, 7.0);
  EXPECT_TRUE(std::isnan(one.sem));
  const Stat none = describe_values({testing::nan});
  EXPECT_EQ(none.n, 0);
  EXPECT_TRUE(std::isnan(none.mean));
}

// Mean and SEM by the one-pass formula sum x^2 - n mean^2 (a different route from the code's).
void expect_stat(const Stat& s, const std::vector<double>& finite) {
  const double n = static_cast<double>(finite.size());
  double sum = 0.0, squares = 0.0;
  for (double x : finite) {
    sum += x;
    squares += x * x;
  }
  const double mean = sum / n;
  const double sem = std::sqrt((squares - n * mean * mean) / (n - 1.0) / n);
  EXPECT_EQ(s.n, static_cast<std::int64_t>(finite.size()));
  EXPECT_NEAR(s.mean, mean, 1e-12 * std::abs(mean));
  EXPECT_NEAR(s.sem, sem, 1e-9 * sem);
}

TEST(Summary, AgainstADirectComputation) {
  sweep::SweepSpec spec = testing::small_main_spec();
  spec.N_runs = 6;
  std::vector<ResultRow> rows = testing::all_rows(spec);
  // Point 0 (rows 0..5): run 1 failed, run 2 without a jint value.
  rows[1].status = "failed: test";
  rows[2].result[Method::jint].rmse = testing::nan;
  const Summary s = summarize(rows);
  ASSERT_EQ(s.points.size(), 4u);
  const PointSummary& p = s.points[0];
  EXPECT_EQ(p.point, 0);
  EXPECT_EQ(p.n_rows, 6);
  EXPECT_EQ(p.n_failed, 1);
  ASSERT_EQ(p.methods.size(), 4u);  // obs, method, pooled, jint
  EXPECT_EQ(p.methods[0].method, Method::obs);
  EXPECT_EQ(p.methods[3].method, Method::jint);
  EXPECT_FALSE(p.methods[3].paired);

  const MethodSummary& m = p.methods[1];
  ASSERT_EQ(m.method, Method::method);
  std::vector<double> rmse, truth, diff, diff_truth, jint;
  for (int run : {0, 2, 3, 4, 5}) {
    const experiment::RunResult& r = rows[static_cast<std::size_t>(run)].result;
    rmse.push_back(r[Method::method].rmse);
    truth.push_back(r[Method::method].truth_rmse);
    diff_truth.push_back(r[Method::method].truth_rmse - r[Method::jint].truth_rmse);
    if (run != 2) {
      diff.push_back(r[Method::method].rmse - r[Method::jint].rmse);
      jint.push_back(r[Method::jint].rmse);
    }
  }
  expect_stat(m.rmse, rmse);
  expect_stat(m.truth_rmse, truth);
  EXPECT_TRUE(m.paired);
  expect_stat(m.diff_rmse, diff);
  expect_stat(m.diff_truth_rmse, diff_truth);
  expect_stat(p.methods[3].rmse, jint);

  const std::string table = format_summary(s);
  EXPECT_NE(table.find("point 0: main polynomial K=3 d=3 ridge rng=fast N=1000"), std::string::npos) << table;
  EXPECT_NE(table.find("6 runs, 1 failed"), std::string::npos) << table;
  EXPECT_NE(table.find("rmse - jint"), std::string::npos) << table;
  EXPECT_EQ(table.find(" \n"), std::string::npos) << "trailing blanks";
}

TEST(Summary, MethodsAbsentFromTheRowsAreNotListed) {
  const std::vector<ResultRow> rows = testing::all_rows(testing::small_ratio_spec());
  const Summary s = summarize(rows);
  ASSERT_EQ(s.points.size(), 3u);
  ASSERT_EQ(s.points[1].methods.size(), 3u);  // obs, method, jint
  EXPECT_EQ(s.points[1].params.ratio, 1.0);
  EXPECT_EQ(s.points[1].methods[2].method, Method::jint);
}

// Alphas at the ends of the grid are counted over every fit of the ok rows (alpha_sint entries
// each count); the grid is the one given, not the default.
TEST(Summary, CountsFitsWhoseAlphaIsAtAnEndOfTheGrid) {
  sweep::SweepSpec spec = testing::small_main_spec();
  spec.N_runs = 3;
  std::vector<ResultRow> rows = testing::all_rows(spec);
  const std::vector<double> grid = {0.5, 1.0, 2.0};
  for (int i = 0; i < 3; ++i) {
    experiment::RunResult& r = rows[static_cast<std::size_t>(i)].result;
    r.alpha_obs = 0.5;                  // lowest
    r.alpha_pooled = 2.0;               // highest
    r.alpha_jint = 1.0;                 // inside
    r.alpha_sint = {0.5, 1.0};          // one lowest, one inside
  }
  rows[2].status = "failed: test";      // not counted
  const Summary s = summarize(rows, grid);
  const AlphaEdges& e = s.points[0].alpha_edges;
  EXPECT_EQ(e.fits, 2 * 5);
  EXPECT_EQ(e.at_lowest, 2 * 2);
  EXPECT_EQ(e.at_highest, 2 * 1);
  EXPECT_NE(format_summary(s).find("4 of 10 fits at the lowest, 2 at the highest"), std::string::npos);
}

// The median columns and the worst runs: medians of the finite values, intervals around them, the
// largest rmse's run first.
TEST(Summary, MediansAndLargestRuns) {
  sweep::SweepSpec spec = testing::small_main_spec();
  spec.N_runs = 5;
  std::vector<ResultRow> rows = testing::all_rows(spec);
  const double values[] = {0.3, 0.1, 9.0, 0.2, 0.4};
  for (int i = 0; i < 5; ++i) rows[static_cast<std::size_t>(i)].result[Method::obs].rmse = values[i];
  const Summary s = summarize(rows);
  const MethodSummary& obs = s.points[0].methods[0];
  ASSERT_EQ(obs.method, Method::obs);
  EXPECT_EQ(obs.rmse_median.median, 0.3);
  EXPECT_LE(obs.rmse_median.lower, 0.3);
  EXPECT_GE(obs.rmse_median.upper, 0.3);
  ASSERT_EQ(obs.largest_rmse.size(), 3u);
  EXPECT_EQ(obs.largest_rmse[0], (std::pair<std::int32_t, double>{rows[2].run, 9.0}));
  EXPECT_EQ(obs.largest_rmse[1].second, 0.4);
}

}  // namespace
}  // namespace igbench::io
