#pragma once
// One run of an experiment: sample the SCM of (seed, run), stream every data set into moments,
// fit the requested estimators and score them on the joint-interventional test part.
#include "igbench/experiment/run_spec.hpp"
#include "igbench/random/philox_stream.hpp"
#include "igbench/scm/scm.hpp"

namespace igbench::experiment {

// Runs the spec (fast mode, or the reference-exact replay for rng = reference).
// Throws std::invalid_argument when validate(spec) is not empty.
RunResult run(const RunSpec& spec, const RunControl& control = {});

// The model of a run in the fast mode: sampled from stream (seed, run, scm_parameters).
scm::Scm sample_fast_scm(scm::ScmType type, int K, std::uint32_t seed, std::uint32_t run);

// The 32-bit tag that makes the data sets of different sweep points independent:
// a mix of (N_obs, N_sint, N_jint).
std::uint32_t point_tag(const RunSpec& spec);

// The stream of one data set of a run.
random::PhiloxStream data_stream(const RunSpec& spec, random::StreamRole role, int action = 0);

// The observational action moments mu_k, sigma_k (population) from a data set's moments.
scm::InterventionMoments intervention_moments(const stats::Moments& observational, int K);

}  // namespace igbench::experiment
