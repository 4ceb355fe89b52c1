// A results file written by format version 1 (tests/io/data/sample_results_v1.h5) stays readable
// and reads back to the rows it was made from. tests/io/test_results_h5py.py reads the same file
// with h5py, the way docs/results-format.md shows.
// Regenerate (only when the format version changes):
//   test_io --gtest_also_run_disabled_tests --gtest_filter='ResultsSample.DISABLED_Regenerate'
#include <gtest/gtest.h>

#include <cmath>

#include "igbench/io/results_file.hpp"
#include "io_fixtures.hpp"

namespace igbench::io {
namespace {

using experiment::Method;

const std::string sample_path = std::string(IGBENCH_SOURCE_DIR) + "/tests/io/data/sample_results_v1.h5";

sweep::SweepSpec sample_spec() {
  sweep::SweepSpec s;
  s.experiment = experiment::ExperimentKind::main;
  s.K = {3};
  s.N = {1000, 2000};
  s.N_runs = 2;
  s.streams = 1;  // the stored sample predates the streams line (stream layout 1)
  return s;
}

// Values a reader can check by hand: rmse_<m> = 0.1 (m + 1) + point + run / 100 for the sweep's
// methods (obs, method, pooled, jint; pooled_ref stays NaN), truth_rmse = rmse / 2,
// alpha_obs = 10^-point, alpha_sint = (0.001, 0.002, 0.003) for run 0 and not fitted for run 1,
// the last row failed.
ResultsFile sample_file() {
  const sweep::SweepSpec spec = sample_spec();
  ResultsFile f;
  f.metadata = testing::test_metadata();
  f.metadata.n_tasks = 4;
  f.metadata.complete = false;
  f.sweep = SweepDescription::of(spec);
  const auto points = sweep::expand_points(spec);
  for (std::size_t p = 0; p < points.size(); ++p)
    for (int run = 0; run < spec.N_runs; ++run) {
      ResultRow r;
      r.point = static_cast<std::int64_t>(p);
      r.params = points[p];
      r.run = run;
      r.seed = static_cast<std::uint32_t>(run);
      for (Method m : {Method::obs, Method::method, Method::pooled, Method::jint}) {
        const double rmse = 0.1 * (static_cast<double>(m) + 1.0) + static_cast<double>(p) + run / 100.0;
        r.result[m] = {rmse, rmse / 2.0};
      }
      r.result.alpha_obs = std::pow(10.0, -static_cast<double>(p));
      if (run == 0) r.result.alpha_sint = {0.001, 0.002, 0.003};
      r.result.seconds_generate = 1.5;
      r.result.seconds_solve = 0.25;
      r.result.samples_generated = 5 * r.params.N_obs;
      f.rows.push_back(r);
    }
  f.rows.back().status = "failed: test";
  return f;
}

TEST(ResultsSample, Version1FileReadsBack) {
  const ResultsFile want = sample_file();
  const ResultsFile got = read_results_file(sample_path);
  EXPECT_EQ(got.metadata, want.metadata);
  EXPECT_EQ(got.sweep.texts, want.sweep.texts);
  ASSERT_EQ(got.rows.size(), want.rows.size());
  for (std::size_t i = 0; i < want.rows.size(); ++i) {
    EXPECT_TRUE(row_key(got.rows[i]) == row_key(want.rows[i])) << i;
    EXPECT_TRUE(same_result(got.rows[i], want.rows[i])) << i;
    EXPECT_EQ(got.rows[i].result.seconds_generate, 1.5);
  }
}

TEST(ResultsSample, DISABLED_Regenerate) { write_results_file(sample_path, sample_file()); }

}  // namespace
}  // namespace igbench::io
