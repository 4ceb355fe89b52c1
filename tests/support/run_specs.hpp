#pragma once
// RunSpec builders shared by the experiment tests.
#include "igbench/experiment/run_spec.hpp"

namespace igbench::test {

// A spec of experiment `e` with the experiment's default methods; run index = seed.
inline experiment::RunSpec make_spec(experiment::ExperimentKind e, scm::ScmType type, int K, std::int64_t N_obs,
                                     std::int64_t N_sint, std::int64_t N_jint, std::uint32_t seed,
                                     experiment::RngMode rng) {
  experiment::RunSpec s;
  s.experiment = e;
  s.scm_type = type;
  s.K = K;
  s.N_obs = N_obs;
  s.N_sint = N_sint;
  s.N_jint = N_jint;
  s.seed = seed;
  s.run = seed;
  s.rng = rng;
  s.methods = experiment::default_methods(e, rng);
  return s;
}

}  // namespace igbench::test
