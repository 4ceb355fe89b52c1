#pragma once
// Reference-exact mode: replays the published implementation run by run (METHOD.md sections 9
// and 10). Samples come from a replica of numpy's global RandomState, seeded with spec.seed at
// the start of the run, in the reference's draw order and arithmetic (scm/reference_generate);
// every data set is split like scikit-learn's train_test_split(test_size=0.2, random_state=42)
// and read in split order (test part, then the training part in permutation order), so the
// streaming pass sees the folds GridSearchCV(cv=3) sees. The fits are the fast mode's
// moment-based code (fit_models / fit_cross_validated / score). Ridge only.
//
// Call sequence (the reference's run_experiment(..., skip flags)):
//   main         obs set -> split -> fit obs; for k: single set -> split -> fit; joint set ->
//                split; score obs and method; fit jint on the joint training part and score;
//                then pooled_ref (fresh draws from the same stream).
//   ratio        the same with sizes (N_obs, N_sint, N_jint), without pooled_ref.
//   convergence  call 1 with (N_obs, N_sint, N_jint): obs, single and joint sets, method scored;
//                call 2: a fresh joint set of N_jint (= N_total), jint fitted on its training
//                part and scored on its own test part.
// Data generation always follows the experiment's sequence; methods not in spec.methods are not
// fitted, and trailing draws nobody reads (pooled_ref, call 2) are skipped.
//
// pooled_ref (METHOD.md section 9): chunk = min(N_obs, N_sint, 10000); fresh observational
// chunks of min(chunk, N_obs - i) samples (each re-recording the action moments), then for each
// k fresh single-intervention chunks; one cross-validated model per chunk on the whole chunk (no
// test part; the folds are thirds of the chunk in generation order); their predictors summed and
// divided by 1 + K.
//
// Memory: one materialised data set at a time, at most N (3K + 5) doubles with the generator's
// scratch, plus the split permutations (8 bytes per sample, one per distinct data set size).
// Cost: the draws ((3K + 1) per sample, sequential), the streaming pass (O(P^2 / 2) per sample,
// parallel for large sets) and the fits, as in the fast mode.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "igbench/experiment/run_spec.hpp"
#include "igbench/fit/cross_validation.hpp"
#include "igbench/scm/scm.hpp"

namespace igbench::experiment {

// The reference's pooled-baseline chunk size cap.
inline constexpr std::int64_t reference_pool_chunk = 10000;

// The first samples of one data set, in generation order.
struct DataSetHead {
  std::string label;  // obs, sint<k>, jint, pool_obs, pool_sint<k>
  std::int64_t n = 0;
  std::vector<std::vector<double>> A;  // up to 3 samples of K actions
  std::vector<double> Y;
};

// One cross-validated model: its chosen alpha and the mean R^2 over folds per alpha.
struct ModelTrace {
  std::string label;  // obs, sint<k>, jint, pool<i>
  double alpha = 0.0;
  std::vector<double> mean_r2;  // per alpha of the grid
};

// Intermediate values of a run, for tests (the chosen alphas and RMSEs are in the RunResult).
struct ReferenceTrace {
  scm::Scm scm;
  std::vector<DataSetHead> data_sets;                    // every data set, in generation order
  std::vector<scm::InterventionMoments> action_moments;  // recorded by each observational set
                                                         // (polynomial SCM), in order
  std::vector<std::int64_t> permutation_head;            // first 5 entries of the first split
  std::vector<ModelTrace> models;                        // every fitted model
};

// One run of spec (spec.rng == reference; validate(spec) must be empty). `trace`, when given,
// receives the run's intermediate values; `control` is polled and told the phases as in run().
RunResult run_reference(const RunSpec& spec, ReferenceTrace* trace = nullptr,
                        const RunControl& control = {});

}  // namespace igbench::experiment
