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
// Memory: O(threads x chunk x P + parts x P^2 log n) on the plain path; on the shifted path
// O(threads x (chunk x K + 512 P + 4 R) + parts x R log n + P^2), R = C(K + 2d, 2d) + 2P power
// sums (576 against P^2 = 3136 at K = 5; 233774 against 3.1e6 at K = 20), plus the cached
// index tables of features::ProductClasses (O(P^2) ints).
//
// Two paths compute the same moments (stats::Moments of every part):
// - plain: features::fill_moment_vectors + stats::Moments::add_batch (centred SYRK) per chunk,
//   PairwiseMerger per part;
// - shifted_power_sums: per part an origin c = the mean of a pilot, read from the source once
//   more: for the folds the first pilot_samples samples of the training part (of the whole set
//   when that is empty), so the same for every fold and for a caller that streams the training
//   part alone (the Python API's arrays give the CLI's folds bit for bit); for the test part its
//   own first pilot_samples samples, so that a caller holding only the test samples (the Python
//   API's rmse, through test_set_moments) reproduces the CLI's test moments bit for bit. Per
//   chunk the power sums of the shifted columns (stats::chunk_power_sums: one sum per distinct
//   product monomial), added per part in the same binary-counter order, converted per part by
//   stats::shifted_to_moments. A part whose error amplification over its feature and y columns
//   exceeds stats::max_amplification is recomputed by the plain path; a part where only the mu
//   column's does keeps its shifted feature and y moments and takes the mu row and column from
//   the plain path (stats::with_last_column_of). Both decisions depend only on that part's data
//   and its pilot (the first only on A and Y), so the results stay pure functions of the data
//   set, whichever other parts are read, and do not depend on mu for a caller without it. See
//   stats/power_sums.hpp for the error bound.
// The reference-exact mode's data sets take the plain path for every part (its plans ask for it).
#include <cstdint>
#include <span>
#include <vector>

#include "igbench/estimators/estimators.hpp"
#include "igbench/experiment/run_spec.hpp"
#include "igbench/features/polynomial_features.hpp"
#include "igbench/scm/generate.hpp"

namespace igbench::experiment {

inline constexpr std::int64_t samples_per_chunk = 2048;

// Which path a data set takes. `automatic`: the override of ScopedAccumulationPath when one is
// active, else plain for scm::MaterialisedSource (the data sets of the reference-exact mode,
// which must reproduce the reference's arithmetic) and shifted_power_sums for any other source
// (the fast mode's generators, users' arrays).
enum class AccumulationPath { automatic, plain, shifted_power_sums };

inline constexpr std::int64_t pilot_samples = 64;

struct DataSetPlan {
  const scm::SampleSource* source = nullptr;
  std::int64_t n = 0;
  bool training = true;  // false: only the test part is read (and generated)
  bool test_part = true;  // false: no test part; the three folds cover all n samples
  // false: the test part exists (the folds start after it) but nobody reads it, so it is neither
  // generated nor reduced (its moments come back empty): the single-intervention sets.
  bool read_test = true;
  AccumulationPath path = AccumulationPath::automatic;
};

// The path `plan` takes (never automatic).
AccumulationPath resolve_path(const DataSetPlan& plan);

// The pilot of a data set's training parts on the shifted path: samples [first, first + count).
// (The test part's pilot is its own first min(n_test, pilot_samples) samples.)
struct PilotRange {
  std::int64_t first = 0, count = 0;
};
PilotRange pilot_range(const DataSetPlan& plan);

// Sets what `automatic` means for every source for its lifetime (tests and benchmarks run both
// paths through experiment::run this way); process-wide, so not for concurrent runs that want
// different paths. Nests.
class ScopedAccumulationPath {
 public:
  explicit ScopedAccumulationPath(AccumulationPath path);
  ~ScopedAccumulationPath();
  ScopedAccumulationPath(const ScopedAccumulationPath&) = delete;
  ScopedAccumulationPath& operator=(const ScopedAccumulationPath&) = delete;

 private:
  AccumulationPath previous_;
};

// Threads one run may use here: 1 inside an active parallel region (a thread running a whole
// run), else omp_get_max_threads().
int threads_per_run();

// `control` (optional): polled between waves of chunks; throws Cancelled when cancelled.
std::vector<estimators::DataSetMoments> accumulate_data_sets(
    std::span<const DataSetPlan> plans, const features::PolynomialFeatures& phi,
    std::int64_t chunk_samples = samples_per_chunk, const RunControl* control = nullptr);

// The moments of samples [0, n) of `source` accumulated exactly as accumulate_data_sets
// accumulates a test part of n samples (path, pilot, chunks, merge order and fallback): bitwise
// the CLI's test moments for the same samples (its mu entries aside, for a source without mu).
// `path` as DataSetPlan::path.
stats::Moments test_set_moments(const scm::SampleSource& source, std::int64_t n,
                                const features::PolynomialFeatures& phi,
                                AccumulationPath path = AccumulationPath::automatic);

}  // namespace igbench::experiment
