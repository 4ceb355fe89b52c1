#pragma once
// The streaming pass: data sets -> moments of their test part and training folds, without ever
// holding a data set in memory.
//
// A data set of n samples is read in the order test part [0, n_test), fold 0, fold 1, fold 2
// (n_test = ceil(0.2 n), or 0 for a plan without a test part, e.g. the reference's pooled chunks);
// each part is cut into chunks of `samples_per_chunk` samples. Chunks are generated and reduced
// to moments in parallel (OpenMP; one thread when called from inside a parallel region, e.g. by a
// thread that runs a whole run), then pushed, in their fixed sequence order, into one
// PairwiseMerger per part. The merge tree depends only on n and the chunk size, so the result is
// bitwise identical for any thread count and for any grouping of data sets into calls.
// Memory: O(threads x chunk x P + parts x P^2 log n).
#include <cstdint>
#include <span>
#include <vector>

#include "igbench/estimators/estimators.hpp"
#include "igbench/experiment/run_spec.hpp"
#include "igbench/features/polynomial_features.hpp"
#include "igbench/scm/generate.hpp"

namespace igbench::experiment {

inline constexpr std::int64_t samples_per_chunk = 2048;

struct DataSetPlan {
  const scm::SampleSource* source = nullptr;
  std::int64_t n = 0;
  bool training = true;  // false: only the test part is read (and generated)
  bool test_part = true;  // false: no test part; the three folds cover all n samples
  // false: the test part exists (the folds start after it) but nobody reads it, so it is neither
  // generated nor reduced (its moments come back empty): the single-intervention sets.
  bool read_test = true;
};

// Threads one run may use here: 1 inside an active parallel region (a thread running a whole
// run), else omp_get_max_threads().
int threads_per_run();

// `control` (optional): polled between waves of chunks; throws Cancelled when cancelled.
std::vector<estimators::DataSetMoments> accumulate_data_sets(
    std::span<const DataSetPlan> plans, const features::PolynomialFeatures& phi,
    std::int64_t chunk_samples = samples_per_chunk, const RunControl* control = nullptr);

}  // namespace igbench::experiment
