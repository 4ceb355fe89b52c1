// Whole runs: thread-count invariance, identification of the joint effect, and agreement in
// distribution with the reference's published per-run RMSEs.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include <gtest/gtest.h>

#include "igbench/experiment/run.hpp"

namespace igbench::experiment {
namespace {

RunSpec main_spec(int K, std::int64_t N, std::uint32_t r, scm::ScmType type = scm::ScmType::polynomial) {
  RunSpec s;
  s.K = K;
  s.N_obs = s.N_sint = s.N_jint = N;
  s.seed = r;
  s.run = r;
  s.scm_type = type;
  s.methods = default_methods(ExperimentKind::main, RngMode::fast);
  return s;
}

bool bitwise_equal(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void expect_same_results(const RunResult& a, const RunResult& b) {
  for (Method m : all_methods) {
    EXPECT_TRUE(bitwise_equal(a[m].rmse, b[m].rmse)) << method_name(m);
    EXPECT_TRUE(bitwise_equal(a[m].truth_rmse, b[m].truth_rmse)) << method_name(m);
  }
  EXPECT_TRUE(bitwise_equal(a.alpha_obs, b.alpha_obs));
  EXPECT_TRUE(bitwise_equal(a.alpha_jint, b.alpha_jint));
  EXPECT_TRUE(bitwise_equal(a.alpha_pooled, b.alpha_pooled));
  EXPECT_EQ(a.alpha_sint, b.alpha_sint);
  EXPECT_EQ(a.samples_generated, b.samples_generated);
}

TEST(Run, BitwiseIdenticalForAnyThreadCount) {
  for (auto type : {scm::ScmType::polynomial, scm::ScmType::linear}) {
    // 9000 samples per data set: several chunks per part, so the parallel merge is exercised
    const RunSpec spec = main_spec(4, 9000, 3, type);
    omp_set_num_threads(1);
    const RunResult one = run(spec);
    omp_set_num_threads(2);
    const RunResult two = run(spec);
    omp_set_num_threads(4);
    const RunResult four = run(spec);
    omp_set_num_threads(2);
    expect_same_results(one, two);
    expect_same_results(one, four);
  }
}

TEST(Run, ReportsWhatItDid) {
  const RunSpec spec = main_spec(3, 1000, 0);
  const RunResult r = run(spec);
  for (Method m : {Method::obs, Method::method, Method::pooled, Method::jint}) {
    EXPECT_TRUE(std::isfinite(r[m].rmse)) << method_name(m);
    EXPECT_TRUE(std::isfinite(r[m].truth_rmse)) << method_name(m);
    // rmse against Y contains the irreducible noise on top of the estimation error
    EXPECT_GT(r[m].rmse, r[m].truth_rmse * 0.5) << method_name(m);
  }
  EXPECT_TRUE(std::isnan(r[Method::pooled_ref].rmse));
  EXPECT_EQ(r.alpha_sint.size(), 3u);
  // the test parts of the single-intervention sets are never read, so never generated
  EXPECT_EQ(r.samples_generated, 1000 + 3 * (1000 - 200) + 1000);
  EXPECT_GE(r.seconds_generate, 0.0);
  EXPECT_GE(r.seconds_solve, 0.0);
}

TEST(Run, RecordsTheConditionNumberOfEveryFittedModel) {
  RunSpec spec = main_spec(3, 1000, 0);
  const RunResult r = run(spec);
  // cond_2(G + alpha I) >= 1 for every fitted model, finite with alpha > 0
  for (double c : {r.cond_obs, r.cond_pooled, r.cond_jint}) {
    EXPECT_GE(c, 1.0);
    EXPECT_TRUE(std::isfinite(c));
  }
  ASSERT_EQ(r.cond_sint.size(), 3u);
  for (double c : r.cond_sint) EXPECT_GE(c, 1.0);
  // not fitted: NaN (jint alone fits neither obs nor the single models nor the pool)
  spec.methods = MethodSet{}.add(Method::jint);
  const RunResult j = run(spec);
  EXPECT_TRUE(std::isnan(j.cond_obs));
  EXPECT_TRUE(std::isnan(j.cond_pooled));
  EXPECT_TRUE(j.cond_sint.empty());
  EXPECT_EQ(j.cond_jint, r.cond_jint);
}

TEST(Run, FitsChooseFromTheGivenAlphas) {
  RunSpec spec = main_spec(3, 1000, 1);
  spec.alphas = {1e-3};
  const RunResult one = run(spec);
  EXPECT_EQ(one.alpha_obs, 1e-3);
  EXPECT_EQ(one.alpha_jint, 1e-3);
  for (double a : one.alpha_sint) EXPECT_EQ(a, 1e-3);
  // A larger alpha solves a better-conditioned matrix: cond(G + alpha I) falls with alpha.
  spec.alphas = {100.0};
  const RunResult big = run(spec);
  EXPECT_EQ(big.alpha_jint, 100.0);
  EXPECT_LT(big.cond_jint, one.cond_jint);
  // A wide grid: every chosen alpha is one of its values.
  spec.alphas = {1e-8, 1e-4, 1.0, 1e2, 1e4};
  const RunResult wide = run(spec);
  for (double a : {wide.alpha_obs, wide.alpha_pooled, wide.alpha_jint})
    EXPECT_NE(std::find(spec.alphas.begin(), spec.alphas.end(), a), spec.alphas.end()) << a;
  spec.alphas = {0.1, 0.01};
  EXPECT_NE(validate(spec).find("ascending"), std::string::npos);
}

TEST(Run, ConvergencePresetFitsObservationalButReportsOnlyMethodAndJint) {
  RunSpec spec = main_spec(3, 600, 1);
  spec.experiment = ExperimentKind::convergence;
  spec.methods = default_methods(ExperimentKind::convergence, RngMode::fast);
  const RunResult r = run(spec);
  EXPECT_TRUE(std::isnan(r[Method::obs].rmse));
  EXPECT_TRUE(std::isfinite(r[Method::method].rmse));
  EXPECT_TRUE(std::isfinite(r[Method::jint].rmse));
  EXPECT_TRUE(std::isfinite(r.alpha_obs));
}

TEST(Run, InvalidSpecsAreRefusedWithAReason) {
  RunSpec s = main_spec(3, 1000, 0);
  s.K = 0;
  EXPECT_NE(validate(s).find("K must be >= 1"), std::string::npos);
  s = main_spec(3, 7, 0);
  EXPECT_NE(validate(s).find("at least 8"), std::string::npos);
  s = main_spec(3, 1000, 0);
  s.n_order_fit = 0;
  EXPECT_NE(validate(s).find("n_order_fit"), std::string::npos);
  s = main_spec(3, 1000, 0);
  s.methods = MethodSet{}.add(Method::pooled_ref);
  EXPECT_NE(validate(s).find("--rng reference"), std::string::npos);
  EXPECT_THROW(run(s), std::invalid_argument);
  EXPECT_EQ(validate(main_spec(1, 8, 0)), "");
}

// Mean truth_rmse over runs 0..R-1.
std::array<double, n_methods> mean_truth_rmse(int K, std::int64_t N, int R) {
  std::array<double, n_methods> sum{};
  for (int r = 0; r < R; ++r) {
    const RunResult res = run(main_spec(K, N, static_cast<std::uint32_t>(r)));
    for (Method m : all_methods) sum[static_cast<std::size_t>(m)] += res[m].truth_rmse / R;
  }
  return sum;
}

TEST(Identification, MethodLearnsTheJointEffectWhereObservationalDataCannot) {
  // Polynomial SCM, K = 3, 10 runs. Measured on this code: at N = 1e5 mean truth_rmse is about
  // obs 0.17, method 0.016, jint 0.004. The assertions leave wide margins:
  //   method < obs / 4 (confounding bias of obs does not shrink with N, method's does)
  //   |method - jint| < obs / 4 (close to the oracle on the scale of the confounding bias)
  const auto big = mean_truth_rmse(3, 100000, 10);
  const double obs = big[static_cast<std::size_t>(Method::obs)];
  const double method = big[static_cast<std::size_t>(Method::method)];
  const double jint = big[static_cast<std::size_t>(Method::jint)];
  EXPECT_LT(method, obs / 4.0);
  EXPECT_LT(std::abs(method - jint), obs / 4.0);
  // 10x more data shrinks method's estimation error about sqrt(10)-fold while variance
  // dominates (N = 1e3 -> 1e4; measured 2.8 at K = 3). The band [sqrt(10)/1.6, sqrt(10)*1.6]
  // allows for run-to-run spread over 10 runs and the start of the polynomial-fit bias.
  const auto small = mean_truth_rmse(3, 1000, 10);
  const auto medium = mean_truth_rmse(3, 10000, 10);
  const double ratio = small[static_cast<std::size_t>(Method::method)] / medium[static_cast<std::size_t>(Method::method)];
  EXPECT_GT(ratio, std::sqrt(10.0) / 1.6);
  EXPECT_LT(ratio, std::sqrt(10.0) * 1.6);
}

// Per-run RMSEs of a reference CSV (tests/data/reference/): columns Run, RMSE Obs, RMSE Method,
// RMSE Joint Int, RMSE Pool. Throws when the file is missing or empty.
std::vector<std::array<double, 4>> read_reference_csv(const std::string& name) {
  const std::string path = std::string(IGBENCH_REFERENCE_DIR) + "/" + name;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<std::array<double, 4>> rows;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::stringstream s(line);
    std::string cell;
    std::getline(s, cell, ',');
    std::array<double, 4> r{};
    for (double& x : r) {
      std::getline(s, cell, ',');
      x = std::stod(cell);
    }
    rows.push_back(r);
  }
  if (rows.empty()) throw std::runtime_error(path + " has no rows");
  return rows;
}

struct MeanSem {
  double mean = 0, sem = 0;
};
MeanSem mean_sem(const std::vector<double>& x) {
  MeanSem m;
  for (double v : x) m.mean += v / static_cast<double>(x.size());
  double ss = 0;
  for (double v : x) ss += (v - m.mean) * (v - m.mean);
  m.sem = std::sqrt(ss / static_cast<double>(x.size() - 1) / static_cast<double>(x.size()));
  return m;
}

struct Config {
  std::string file;
  scm::ScmType type;
  int K;
  std::int64_t N;
  int our_runs;
};

// Our obs, method and jint RMSEs of runs 0..R-1, and the reference's columns.
struct Samples {
  std::array<std::vector<double>, 3> ours, theirs;
};
Samples collect(const Config& c) {
  Samples s;
  const auto ref = read_reference_csv(c.file);
  for (const auto& r : ref)
    for (std::size_t j = 0; j < 3; ++j) s.theirs[j].push_back(r[j]);
  for (int r = 0; r < c.our_runs; ++r) {
    const RunResult res = run(main_spec(c.K, c.N, static_cast<std::uint32_t>(r), c.type));
    s.ours[0].push_back(res[Method::obs].rmse);
    s.ours[1].push_back(res[Method::method].rmse);
    s.ours[2].push_back(res[Method::jint].rmse);
  }
  return s;
}
const char* const method_names[] = {"obs", "method", "jint"};

TEST(Reference, MeanRmsesAgreeInDistribution) {
  // Our streams differ from numpy's, so the check is statistical: for obs, method and jint the
  // difference of means lies within 3 combined standard errors, sqrt(SEM_ours^2 + SEM_ref^2)
  // (a two-sided 99.7% band per comparison). The reference's pooled column is its averaged-chunk
  // variant, a different estimator from our pooled fit, so it is not compared here.
  const Config configs[] = {{"main_polynomial_K3_N1000_runs20.csv", scm::ScmType::polynomial, 3, 1000, 100},
                            {"main_polynomial_K5_N2000_runs10.csv", scm::ScmType::polynomial, 5, 2000, 60}};
  for (const Config& c : configs) {
    const Samples s = collect(c);
    for (std::size_t j = 0; j < 3; ++j) {
      const MeanSem a = mean_sem(s.ours[j]), b = mean_sem(s.theirs[j]);
      EXPECT_LT(std::abs(a.mean - b.mean), 3.0 * std::hypot(a.sem, b.sem))
          << c.file << " " << method_names[j] << ": ours " << a.mean << " +- " << a.sem << ", reference " << b.mean
          << " +- " << b.sem;
    }
  }
}

// The two-sample Kolmogorov-Smirnov statistic D = sup_x |F_a(x) - F_b(x)|.
double ks_statistic(std::vector<double> a, std::vector<double> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  std::size_t i = 0, j = 0;
  double d = 0.0;
  while (i < a.size() && j < b.size()) {
    const double x = std::min(a[i], b[j]);
    while (i < a.size() && a[i] == x) ++i;
    while (j < b.size() && b[j] == x) ++j;
    d = std::max(d, std::abs(static_cast<double>(i) / static_cast<double>(a.size()) -
                             static_cast<double>(j) / static_cast<double>(b.size())));
  }
  return d;
}

// The asymptotic critical value of D at level `alpha`: c(alpha) sqrt((n + m) / (n m)) with
// c(alpha) = sqrt(-ln(alpha / 2) / 2) (1.949 at alpha = 0.001).
double ks_critical(std::size_t n, std::size_t m, double alpha) {
  const double c = std::sqrt(-std::log(alpha / 2.0) / 2.0);
  return c * std::sqrt(static_cast<double>(n + m) / static_cast<double>(n * m));
}

TEST(Reference, LinearScmRmseDistributionsAgree) {
  // The linear SCM's lognormal actions make the degree-3 fits blow up now and then when they
  // extrapolate to the joint-intervention test set (the reference does too: over its 100 runs
  // its obs RMSE has mean 53 and maximum 1283 against a median of 8). Means of such heavy-tailed
  // samples have no useful standard error, so the whole distributions are compared with the
  // distribution-free two-sample Kolmogorov-Smirnov test: our 100 runs against the reference's
  // 100 (main_linear_K3_N1000_runs100.csv), rejecting at level 0.001 per method (D > 0.276).
  // The test can fail: with the method's estimator deliberately wrong (sum_k m_k - (K - 2) m_obs
  // instead of - (K - 1) m_obs) its method column gives D = 0.50 and the test fails (issue 11 report).
  const Config c{"main_linear_K3_N1000_runs100.csv", scm::ScmType::linear, 3, 1000, 100};
  const Samples s = collect(c);
  ASSERT_EQ(s.theirs[0].size(), 100U);
  for (std::size_t j = 0; j < 3; ++j) {
    const double d = ks_statistic(s.ours[j], s.theirs[j]);
    const double critical = ks_critical(s.ours[j].size(), s.theirs[j].size(), 0.001);
    std::printf("[ reference ] linear K3 N1000 %s: KS D = %.3f (critical %.3f)\n", method_names[j], d, critical);
    EXPECT_LT(d, critical) << method_names[j];
  }
}

}  // namespace
}  // namespace igbench::experiment
