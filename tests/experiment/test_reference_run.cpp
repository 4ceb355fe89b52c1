// Structure of the reference-exact mode's runs: the call sequences of the three experiments
// (which data sets are drawn, in which order and size), the pooled baseline's chunks, the
// streaming pass without a test part, method selection, thread-count independence and
// validation. The numbers themselves are checked in test_reference_exact.cpp.
#include <gtest/gtest.h>

#include "../support/run_specs.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <omp.h>

#include "igbench/experiment/accumulate.hpp"
#include "igbench/experiment/reference_run.hpp"
#include "igbench/experiment/run.hpp"
#include "igbench/features/moment_vector.hpp"
#include "igbench/scm/materialised_source.hpp"

namespace {

using namespace igbench;
using experiment::ExperimentKind;
using experiment::Method;
using experiment::RunSpec;

RunSpec spec_of(ExperimentKind e, int K, std::int64_t N_obs, std::int64_t N_sint, std::int64_t N_jint,
                scm::ScmType type = scm::ScmType::polynomial) {
  return test::make_spec(e, type, K, N_obs, N_sint, N_jint, 7, experiment::RngMode::reference);
}

std::vector<std::string> labels(const experiment::ReferenceTrace& t) {
  std::vector<std::string> out;
  for (const auto& d : t.data_sets) out.push_back(d.label + ":" + std::to_string(d.n));
  return out;
}

TEST(ReferenceRun, MainDrawsObsSinglesJointThenPooledChunks) {
  experiment::ReferenceTrace t;
  const RunSpec spec = spec_of(ExperimentKind::main, 2, 25001, 25001, 25001);
  const experiment::RunResult r = experiment::run_reference(spec, &t);
  const std::vector<std::string> expected = {
      "obs:25001", "sint0:25001", "sint1:25001", "jint:25001",
      "pool_obs:10000", "pool_obs:10000", "pool_obs:5001",
      "pool_sint0:10000", "pool_sint0:10000", "pool_sint0:5001",
      "pool_sint1:10000", "pool_sint1:10000", "pool_sint1:5001"};
  EXPECT_EQ(labels(t), expected);
  EXPECT_EQ(t.action_moments.size(), 4U);  // the obs set and the three pooled obs chunks
  EXPECT_EQ(t.models.size(), 4U + 9U);     // obs, sint0, sint1, jint, 9 chunk models
  EXPECT_EQ(r.samples_generated, 4 * 25001 + 3 * 25001);
  for (Method m : {Method::obs, Method::method, Method::jint, Method::pooled_ref}) {
    EXPECT_TRUE(std::isfinite(r[m].rmse)) << experiment::method_name(m);
    EXPECT_TRUE(std::isfinite(r[m].truth_rmse)) << experiment::method_name(m);
  }
  EXPECT_TRUE(std::isnan(r[Method::pooled].rmse));
  EXPECT_TRUE(std::isnan(r.alpha_pooled));
  EXPECT_EQ(r.alpha_sint.size(), 2U);
}

TEST(ReferenceRun, RatioHasNoPooledBaseline) {
  experiment::ReferenceTrace t;
  const experiment::RunResult r = experiment::run_reference(spec_of(ExperimentKind::ratio, 3, 700, 140, 500), &t);
  const std::vector<std::string> expected = {"obs:700", "sint0:140", "sint1:140", "sint2:140", "jint:500"};
  EXPECT_EQ(labels(t), expected);
  EXPECT_TRUE(std::isfinite(r[Method::obs].rmse));
  EXPECT_TRUE(std::isfinite(r[Method::method].rmse));
  EXPECT_TRUE(std::isfinite(r[Method::jint].rmse));
  EXPECT_TRUE(std::isnan(r[Method::pooled_ref].rmse));
}

TEST(ReferenceRun, ConvergenceScoresTheOracleOnItsOwnJointSet) {
  experiment::ReferenceTrace t;
  const experiment::RunResult r = experiment::run_reference(spec_of(ExperimentKind::convergence, 3, 250, 250, 1000), &t);
  const std::vector<std::string> expected = {"obs:250", "sint0:250", "sint1:250", "sint2:250", "jint:1000", "jint:1000"};
  EXPECT_EQ(labels(t), expected);
  EXPECT_EQ(t.action_moments.size(), 1U);
  EXPECT_TRUE(std::isnan(r[Method::obs].rmse));  // fitted for the method, not reported
  EXPECT_FALSE(std::isnan(r.alpha_obs));
  EXPECT_TRUE(std::isfinite(r[Method::method].rmse));
  EXPECT_TRUE(std::isfinite(r[Method::jint].rmse));
  EXPECT_EQ(r.samples_generated, 250 + 3 * 250 + 2 * 1000);
  // The two joint sets differ (fresh draws), yet the oracle alone reproduces its own numbers.
  EXPECT_NE(t.data_sets[4].Y, t.data_sets[5].Y);
}

TEST(ReferenceRun, UnrequestedMethodsChangeNoOtherNumber) {
  const RunSpec full = spec_of(ExperimentKind::main, 3, 600, 600, 600);
  RunSpec obs_only = full;
  obs_only.methods = experiment::MethodSet{}.add(Method::obs);
  experiment::ReferenceTrace t;
  const experiment::RunResult a = experiment::run(full);
  const experiment::RunResult b = experiment::run_reference(obs_only, &t);
  EXPECT_EQ(a[Method::obs].rmse, b[Method::obs].rmse);
  EXPECT_EQ(a.alpha_obs, b.alpha_obs);
  EXPECT_TRUE(std::isnan(b[Method::method].rmse));
  EXPECT_TRUE(std::isnan(b[Method::pooled_ref].rmse));
  EXPECT_EQ(labels(t).size(), 5U);  // obs, three singles, joint: no pooled chunks drawn
  // igbench's true pooled fit on the reference's data is available too.
  RunSpec with_pooled = full;
  with_pooled.methods.add(Method::pooled);
  const experiment::RunResult c = experiment::run(with_pooled);
  EXPECT_TRUE(std::isfinite(c[Method::pooled].rmse));
  EXPECT_FALSE(std::isnan(c.alpha_pooled));
  EXPECT_EQ(c[Method::pooled_ref].rmse, a[Method::pooled_ref].rmse);
}

TEST(ReferenceRun, ResultsDoNotDependOnTheThreadCount) {
  // Data sets above accumulate's serial threshold (16384 samples per wave), so both paths run.
  const RunSpec spec = spec_of(ExperimentKind::main, 3, 30000, 30000, 30000, scm::ScmType::linear);
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  const experiment::RunResult one = experiment::run(spec);
  omp_set_num_threads(std::max(2, threads));
  const experiment::RunResult many = experiment::run(spec);
  omp_set_num_threads(threads);
  for (Method m : experiment::all_methods) {
    if (std::isnan(one[m].rmse)) continue;
    EXPECT_EQ(one[m].rmse, many[m].rmse) << experiment::method_name(m);
    EXPECT_EQ(one[m].truth_rmse, many[m].truth_rmse) << experiment::method_name(m);
  }
}

TEST(ReferenceRun, ValidationOfThePooledBaseline) {
  RunSpec s = spec_of(ExperimentKind::main, 2, 10003, 10003, 10003);
  EXPECT_NE(experiment::validate(s).find("last chunk of 3 samples"), std::string::npos) << experiment::validate(s);
  EXPECT_THROW(experiment::run(s), std::invalid_argument);
  s.methods = experiment::MethodSet{}.add(Method::obs).add(Method::jint);
  EXPECT_EQ(experiment::validate(s), "");  // without pooled_ref the size is fine
  RunSpec c = spec_of(ExperimentKind::convergence, 2, 400, 300, 1000);
  c.methods.add(Method::pooled_ref);
  EXPECT_NE(experiment::validate(c).find("convergence"), std::string::npos);
  RunSpec fast = spec_of(ExperimentKind::main, 2, 100, 100, 100);
  fast.rng = experiment::RngMode::fast;
  EXPECT_THROW(experiment::run_reference(fast), std::invalid_argument);
}

// A plan without a test part: the three folds are the thirds of the whole set, in order.
TEST(AccumulateDataSets, PlanWithoutTestPartFoldsTheWholeSet) {
  const int K = 2;
  const std::size_t n = 3001;
  scm::SampleChunk data;
  data.resize(n, K, false);
  for (std::size_t i = 0; i < n; ++i) {
    const double x = static_cast<double>(i);
    data.action(0)[i] = std::sin(x);
    data.action(1)[i] = std::cos(0.3 * x);
    data.Y[i] = std::sin(x) * std::cos(0.3 * x);
    data.mu[i] = 0.0;
  }
  const features::PolynomialFeatures phi(K, 3);
  const scm::MaterialisedSource source(data);
  const experiment::DataSetPlan plan{.source = &source, .n = static_cast<std::int64_t>(n), .training = true, .test_part = false};
  const auto sets = experiment::accumulate_data_sets(std::span(&plan, 1), phi, 256);
  const auto& d = sets.front();
  EXPECT_EQ(d.test.count(), 0);
  const auto bounds = fit::fold_bounds(static_cast<std::int64_t>(n));
  for (int f = 0; f < fit::n_folds; ++f) {
    const auto fs = static_cast<std::size_t>(f);
    ASSERT_EQ(d.folds[fs].count(), bounds[fs + 1] - bounds[fs]);
    // The fold's mean of a0 and y against a direct sum over its samples.
    double a0 = 0.0, y = 0.0;
    for (std::int64_t i = bounds[fs]; i < bounds[fs + 1]; ++i) {
      a0 += data.a(static_cast<std::size_t>(i), 0);
      y += data.Y[static_cast<std::size_t>(i)];
    }
    const double c = static_cast<double>(d.folds[fs].count());
    EXPECT_NEAR(d.folds[fs].mean()(0), a0 / c, 1e-13);
    EXPECT_NEAR(d.folds[fs].mean()(features::moment_layout(phi).y()), y / c, 1e-13);
  }
}

}  // namespace
