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

}  // namespace
}  // namespace igbench::io
