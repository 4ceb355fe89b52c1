// Every result column is a pure function of its (point, run): requesting a subset of the methods
// gives, for each requested method, bitwise the rmse, truth_rmse, alphas and condition numbers of
// the run with every method (issue 11, item 1). For each experiment, both RNG modes and both SCMs,
// every non-empty subset of the experiment's methods is run at small N (K = 2, so that a run
// takes about a millisecond).
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "../support/run_specs.hpp"
#include "igbench/experiment/run.hpp"

namespace igbench::experiment {
namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// The methods a subset may hold: obs, method and jint, plus pooled (fast) or pooled_ref
// (reference, main and ratio only). The reference's convergence call sequence reports neither a
// pool nor obs (it fits obs only for the method), so there the candidates are method and jint.
std::vector<Method> candidate_methods(ExperimentKind e, RngMode rng) {
  const bool reference_convergence = rng == RngMode::reference && e == ExperimentKind::convergence;
  std::vector<Method> out;
  for (Method m : all_methods) {
    const bool pooled_kind = m == Method::pooled || m == Method::pooled_ref;
    if (!pooled_kind && !(reference_convergence && m == Method::obs)) out.push_back(m);
  }
  if (rng == RngMode::fast) out.push_back(Method::pooled);
  if (rng == RngMode::reference && e != ExperimentKind::convergence) out.push_back(Method::pooled_ref);
  return out;
}

// The fitted models a method depends on, whose alpha and condition number must then match too.
void expect_same_models(const RunResult& sub, const RunResult& all, const MethodSet& want, const std::string& what) {
  const bool single = want.has(Method::method);
  if (want.has(Method::obs) || single) {
    EXPECT_TRUE(same_bits(sub.alpha_obs, all.alpha_obs)) << what << " alpha_obs";
    EXPECT_TRUE(same_bits(sub.cond_obs, all.cond_obs)) << what << " cond_obs";
  }
  if (single) {
    EXPECT_EQ(sub.alpha_sint, all.alpha_sint) << what;
    ASSERT_EQ(sub.cond_sint.size(), all.cond_sint.size()) << what;
    for (std::size_t k = 0; k < sub.cond_sint.size(); ++k)
      EXPECT_TRUE(same_bits(sub.cond_sint[k], all.cond_sint[k])) << what << " cond_sint " << k;
  }
  if (want.has(Method::pooled)) {
    EXPECT_TRUE(same_bits(sub.alpha_pooled, all.alpha_pooled)) << what << " alpha_pooled";
    EXPECT_TRUE(same_bits(sub.cond_pooled, all.cond_pooled)) << what << " cond_pooled";
  }
  if (want.has(Method::jint)) {
    EXPECT_TRUE(same_bits(sub.alpha_jint, all.alpha_jint)) << what << " alpha_jint";
    EXPECT_TRUE(same_bits(sub.cond_jint, all.cond_jint)) << what << " cond_jint";
  }
}

void check_every_subset(ExperimentKind e, RngMode rng, scm::ScmType type) {
  const std::vector<Method> methods = candidate_methods(e, rng);
  // Unequal sizes (as in a ratio point) so that a mix-up of data sets would show.
  RunSpec spec = test::make_spec(e, type, 2, 300, 240, 210, 3, rng);
  MethodSet every;
  for (Method m : methods) every.add(m);
  spec.methods = every;
  const RunResult all = run(spec);
  const unsigned n_subsets = 1u << methods.size();
  for (unsigned mask = 1; mask + 1 < n_subsets; ++mask) {
    MethodSet want;
    std::string what = std::string(experiment_name(e)) + " " + std::string(rng_name(rng)) + " " +
                       std::string(scm::scm_type_name(type)) + " {";
    for (std::size_t i = 0; i < methods.size(); ++i)
      if (mask & (1u << i)) {
        want.add(methods[i]);
        what += " " + std::string(method_name(methods[i]));
      }
    what += " }";
    spec.methods = want;
    const RunResult sub = run(spec);
    for (Method m : all_methods) {
      if (want.has(m)) {
        EXPECT_TRUE(same_bits(sub[m].rmse, all[m].rmse)) << what << " rmse_" << method_name(m) << ": " << sub[m].rmse
                                                         << " vs " << all[m].rmse;
        EXPECT_TRUE(same_bits(sub[m].truth_rmse, all[m].truth_rmse)) << what << " truth_rmse_" << method_name(m);
      } else {
        EXPECT_TRUE(std::isnan(sub[m].rmse)) << what << ": " << method_name(m) << " reported but not requested";
      }
    }
    expect_same_models(sub, all, want, what);
  }
}

class Purity : public ::testing::TestWithParam<std::tuple<ExperimentKind, RngMode>> {};

TEST_P(Purity, EverySubsetOfMethodsGivesTheColumnsOfTheFullRun) {
  const auto [e, rng] = GetParam();
  for (auto type : {scm::ScmType::polynomial, scm::ScmType::linear}) check_every_subset(e, rng, type);
}

INSTANTIATE_TEST_SUITE_P(AllExperimentsAndModes, Purity,
                         ::testing::Combine(::testing::Values(ExperimentKind::main, ExperimentKind::ratio,
                                                              ExperimentKind::convergence),
                                            ::testing::Values(RngMode::fast, RngMode::reference)),
                         [](const auto& param_info) {
                           return std::string(experiment_name(std::get<0>(param_info.param))) + "_" +
                                  std::string(rng_name(std::get<1>(param_info.param)));
                         });

}  // namespace
}  // namespace igbench::experiment
