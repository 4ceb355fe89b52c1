#include "igbench/experiment/accumulate.hpp"

#include <algorithm>
#include <atomic>

#include <omp.h>

#include "igbench/features/moment_vector.hpp"
#include "igbench/fit/cross_validation.hpp"
#include "igbench/scm/materialised_source.hpp"
#include "igbench/stats/power_sums.hpp"

namespace igbench::experiment {

namespace {

// One part of one data set: samples [begin, end) of plan `plan`, part 0 = test, 1..3 = folds.
struct PartRef {
  std::size_t plan = 0;
  int part = 0;
  std::int64_t begin = 0, end = 0;
};

// The parts read, in the fixed order plan by plan, test part then folds. O(plans) memory.
std::vector<PartRef> parts_to_read(std::span<const DataSetPlan> plans) {
  std::vector<PartRef> parts;
  for (std::size_t p = 0; p < plans.size(); ++p) {
    const DataSetPlan& plan = plans[p];
    const std::int64_t n_test = plan.test_part ? fit::test_size(plan.n) : 0;
    const auto bounds = fit::fold_bounds(plan.n - n_test);
    if (plan.read_test || !plan.training) parts.push_back({p, 0, 0, n_test});
    if (plan.training)
      for (int f = 1; f <= fit::n_folds; ++f)
        parts.push_back({p, f, n_test + bounds[static_cast<std::size_t>(f - 1)],
                         n_test + bounds[static_cast<std::size_t>(f)]});
  }
  return parts;
}

// A chunk of one part.
struct Item {
  std::size_t part = 0;  // index into the parts list
  std::int64_t begin = 0, end = 0;
};

// Walks the chunks of the parts in their fixed order without materialising the list (which
// would grow with n).
class ItemCursor {
 public:
  ItemCursor(std::span<const PartRef> parts, std::int64_t chunk) : parts_(parts), chunk_(chunk) {
    if (!parts_.empty()) begin_ = parts_[0].begin;
  }

  bool next(Item& item) {
    while (part_ < parts_.size()) {
      if (begin_ < parts_[part_].end) {
        item = {part_, begin_, std::min(begin_ + chunk_, parts_[part_].end)};
        begin_ = item.end;
        return true;
      }
      if (++part_ < parts_.size()) begin_ = parts_[part_].begin;
    }
    return false;
  }

 private:
  std::span<const PartRef> parts_;
  std::int64_t chunk_;
  std::size_t part_ = 0;
  std::int64_t begin_ = 0;
};

// Items processed per parallel wave: enough to keep every thread busy, bounded in memory
// (each holds one P^2 accumulator). Does not affect results: merge order is the item order.
std::size_t wave_size(std::size_t per_item) {
  const std::size_t budget = std::size_t{32} << 20;  // 32 MiB of pending accumulators
  const std::size_t by_memory = std::max<std::size_t>(1, budget / per_item);
  const std::size_t by_threads = 16 * static_cast<std::size_t>(threads_per_run());
  return std::max<std::size_t>(1, std::min(by_memory, by_threads));
}

// A wave of fewer samples is reduced by one thread: its work (a few milliseconds) does not pay
// for a parallel region, which costs milliseconds once the cores are oversubscribed (a barrier
// waits for every descheduled thread). Results do not depend on it (fixed merge order).
constexpr std::int64_t min_parallel_wave_samples = 16384;

// Streams the chunks of `parts` in waves: reduce(item, part, acc) runs in parallel (each item
// by one thread, into its own accumulator), push(part index, acc) in item order on the calling
// thread. `per_item` is an accumulator's size in bytes (it bounds the wave).
template <class Acc, class Reduce, class Push>
void stream_parts(std::span<const PartRef> parts, std::int64_t chunk_samples, std::size_t per_item,
                  const RunControl* control, std::int64_t& samples_done, Reduce&& reduce, Push&& push) {
  ItemCursor cursor(parts, chunk_samples);
  const std::size_t wave = wave_size(per_item);
  std::vector<Item> items;
  std::vector<Acc> reduced;
  items.reserve(wave);
  for (;;) {
    items.clear();
    Item item;
    while (items.size() < wave && cursor.next(item)) items.push_back(item);
    if (items.empty()) break;
    reduced.clear();
    reduced.resize(items.size());
    const auto n_items = static_cast<std::ptrdiff_t>(items.size());
    std::int64_t wave_samples = 0;
    for (const Item& it : items) wave_samples += it.end - it.begin;
#pragma omp parallel for schedule(dynamic, 1) if (wave_samples >= min_parallel_wave_samples && threads_per_run() > 1)
    for (std::ptrdiff_t i = 0; i < n_items; ++i) {
      const Item& it = items[static_cast<std::size_t>(i)];
      reduce(it, parts[it.part], reduced[static_cast<std::size_t>(i)]);
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
      samples_done += items[i].end - items[i].begin;
      push(items[i].part, std::move(reduced[i]));
    }
    if (control != nullptr) {
      if (control->cancelled()) throw Cancelled();
      if (control->heartbeat) control->heartbeat(samples_done);
    }
  }
}

// Per-thread buffers kept across waves and runs: allocating them afresh would page-fault
// megabytes per chunk, serialised in the kernel across threads.
scm::SampleChunk& thread_chunk() {
  thread_local scm::SampleChunk chunk;
  return chunk;
}

// The parts' chunks read from their sources and reduced by `reduce(chunk, part index, acc)` into
// one `Merger` per part (pushed in sequence order), and each part's merged result. `per_item`:
// the bytes of one chunk's result (sets the wave size).
template <class Merger, class Reduce>
auto reduce_parts(std::span<const DataSetPlan> plans, std::span<const PartRef> parts, Merger empty,
                  std::size_t per_item, std::int64_t chunk_samples, const RunControl* control,
                  std::int64_t& samples_done, Reduce reduce) {
  using Result = decltype(empty.take());
  std::vector<Merger> mergers(parts.size(), empty);
  stream_parts<Result>(
      parts, chunk_samples, per_item, control, samples_done,
      [&](const Item& it, const PartRef& part, Result& acc) {
        scm::SampleChunk& chunk = thread_chunk();
        plans[part.plan].source->fill(static_cast<std::uint64_t>(it.begin),
                                      static_cast<std::size_t>(it.end - it.begin), chunk);
        reduce(chunk, it.part, acc);
      },
      [&](std::size_t part, Result&& r) { mergers[part].push(std::move(r)); });
  std::vector<Result> out;
  out.reserve(parts.size());
  for (auto& m : mergers) out.push_back(m.take());
  return out;
}

// The plain path: centred SYRK per chunk, PairwiseMerger per part.
std::vector<stats::Moments> plain_moments(std::span<const DataSetPlan> plans,
                                          std::span<const PartRef> parts,
                                          const features::PolynomialFeatures& phi,
                                          std::int64_t chunk_samples, const RunControl* control,
                                          std::int64_t& samples_done) {
  const int dim = features::moment_layout(phi).dim();
  const std::size_t per_item = static_cast<std::size_t>(dim) * static_cast<std::size_t>(dim) * 8;
  return reduce_parts(plans, parts, stats::PairwiseMerger(dim), per_item, chunk_samples, control, samples_done,
                      [&](const scm::SampleChunk& chunk, std::size_t, stats::Moments& acc) {
                        thread_local Eigen::MatrixXd Z;
                        features::fill_moment_vectors(chunk, phi, Z);
                        acc = stats::Moments(dim);
                        acc.add_batch(Z);
                      });
}

// The shifted power-sum path: the parts' power sums, added per part.
std::vector<stats::PowerSums> part_power_sums(std::span<const DataSetPlan> plans,
                                              std::span<const PartRef> parts,
                                              std::span<const features::ShiftOrigin> part_origins,
                                              const features::PolynomialFeatures& phi,
                                              const features::ProductClasses& classes,
                                              std::int64_t chunk_samples, const RunControl* control,
                                              std::int64_t& samples_done) {
  const std::size_t per_item = static_cast<std::size_t>(classes.n_reps()) * 8;
  return reduce_parts(plans, parts, stats::PowerSumMerger(), per_item, chunk_samples, control, samples_done,
                      [&](const scm::SampleChunk& chunk, std::size_t part, stats::PowerSums& acc) {
                        thread_local stats::PowerSumScratch scratch;
                        stats::chunk_power_sums(chunk, part_origins[part], phi, classes, acc, scratch);
                      });
}

std::atomic<AccumulationPath> automatic_override{AccumulationPath::automatic};

// The pilot of a part on the shifted path: the test part's own first samples, the training
// parts' pilot_range(plan).
PilotRange part_pilot(const DataSetPlan& plan, const PartRef& part) {
  if (part.part == 0) return {part.begin, std::min(part.end - part.begin, pilot_samples)};
  return pilot_range(plan);
}

// The moments of `parts` (in that order), each on its data set's path with the per-part
// fallback of the shifted path (see the header).
std::vector<stats::Moments> part_moments(std::span<const DataSetPlan> plans, std::span<const PartRef> parts,
                                         const features::PolynomialFeatures& phi, std::int64_t chunk_samples,
                                         const RunControl* control) {
  std::vector<stats::Moments> out(parts.size());
  std::vector<std::size_t> plain_index, shifted_index;
  for (std::size_t i = 0; i < parts.size(); ++i)
    (resolve_path(plans[parts[i].plan]) == AccumulationPath::plain ? plain_index : shifted_index).push_back(i);

  std::int64_t samples_done = 0;
  // Parts whose mu column alone was rejected: their shifted moments, by part index.
  std::vector<std::pair<std::size_t, stats::Moments>> mu_from_plain;
  if (!shifted_index.empty()) {
    // Origins: one per pilot (data set and test / training), each read once.
    std::vector<PartRef> shifted_parts;
    std::vector<features::ShiftOrigin> origins;
    std::vector<std::pair<std::size_t, bool>> origin_keys;  // (plan, test part) of origins[i]
    scm::SampleChunk pilot;
    for (std::size_t i : shifted_index) {
      const PartRef& part = parts[i];
      shifted_parts.push_back(part);
      const std::pair<std::size_t, bool> key{part.plan, part.part == 0};
      const auto found = std::find(origin_keys.begin(), origin_keys.end(), key);
      if (found != origin_keys.end()) {
        features::ShiftOrigin same = origins[static_cast<std::size_t>(found - origin_keys.begin())];
        origins.push_back(std::move(same));
      } else {
        const DataSetPlan& plan = plans[part.plan];
        const PilotRange r = part_pilot(plan, part);
        plan.source->fill(static_cast<std::uint64_t>(r.first), static_cast<std::size_t>(r.count), pilot);
        origins.push_back(features::pilot_origin(pilot));
      }
      origin_keys.push_back(key);
    }
    const auto classes = features::product_classes(phi);
    const std::vector<stats::PowerSums> sums = part_power_sums(
        plans, shifted_parts, origins, phi, *classes, chunk_samples, control, samples_done);
    for (std::size_t s = 0; s < shifted_index.size(); ++s) {
      const std::size_t i = shifted_index[s];
      stats::ShiftedMoments m = stats::shifted_to_moments(sums[s], *classes, origins[s], phi);
      if (!m.accepted()) {
        plain_index.push_back(i);  // too much cancellation: recomputed by the plain path
      } else if (!m.mu_accepted()) {
        plain_index.push_back(i);  // only mu's row and column are taken from the plain path
        mu_from_plain.emplace_back(i, std::move(m.moments));
      } else {
        out[i] = std::move(m.moments);
      }
    }
  }
  if (!plain_index.empty()) {
    std::vector<PartRef> plain_parts;
    for (std::size_t i : plain_index) plain_parts.push_back(parts[i]);
    std::vector<stats::Moments> moments =
        plain_moments(plans, plain_parts, phi, chunk_samples, control, samples_done);
    for (std::size_t p = 0; p < plain_index.size(); ++p) out[plain_index[p]] = std::move(moments[p]);
  }
  for (auto& [i, shifted] : mu_from_plain) out[i] = stats::with_last_column_of(shifted, out[i]);
  return out;
}

}  // namespace

AccumulationPath resolve_path(const DataSetPlan& plan) {
  if (plan.path != AccumulationPath::automatic) return plan.path;
  const AccumulationPath o = automatic_override.load();
  if (o != AccumulationPath::automatic) return o;
  return dynamic_cast<const scm::MaterialisedSource*>(plan.source) != nullptr
             ? AccumulationPath::plain
             : AccumulationPath::shifted_power_sums;
}

PilotRange pilot_range(const DataSetPlan& plan) {
  const std::int64_t n_test = plan.test_part ? fit::test_size(plan.n) : 0;
  if (plan.n > n_test) return {n_test, std::min(plan.n - n_test, pilot_samples)};
  return {0, std::min(plan.n, pilot_samples)};
}

ScopedAccumulationPath::ScopedAccumulationPath(AccumulationPath path)
    : previous_(automatic_override.exchange(path)) {}
ScopedAccumulationPath::~ScopedAccumulationPath() { automatic_override.store(previous_); }

int threads_per_run() { return omp_in_parallel() ? 1 : omp_get_max_threads(); }

std::vector<estimators::DataSetMoments> accumulate_data_sets(
    std::span<const DataSetPlan> plans, const features::PolynomialFeatures& phi,
    std::int64_t chunk_samples, const RunControl* control) {
  const std::vector<PartRef> parts = parts_to_read(plans);
  std::vector<stats::Moments> moments = part_moments(plans, parts, phi, chunk_samples, control);
  std::vector<estimators::DataSetMoments> out(plans.size());
  for (std::size_t i = 0; i < parts.size(); ++i) {
    estimators::DataSetMoments& set = out[parts[i].plan];
    (parts[i].part == 0 ? set.test : set.folds[static_cast<std::size_t>(parts[i].part - 1)]) = std::move(moments[i]);
  }

  // Parts not read stay empty accumulators of the right dimension.
  const int dim = features::moment_layout(phi).dim();
  for (auto& set : out) {
    if (set.test.dim() == 0) set.test = stats::Moments(dim);
    for (auto& f : set.folds)
      if (f.dim() == 0) f = stats::Moments(dim);
  }
  return out;
}

stats::Moments test_set_moments(const scm::SampleSource& source, std::int64_t n,
                                 const features::PolynomialFeatures& phi, AccumulationPath path) {
  DataSetPlan plan{&source, n, false};
  plan.path = path;
  const PartRef part{0, 0, 0, n};
  stats::Moments m = std::move(part_moments(std::span(&plan, 1), std::span(&part, 1), phi, samples_per_chunk, nullptr)[0]);
  if (m.dim() == 0) m = stats::Moments(features::moment_layout(phi).dim());
  return m;
}

}  // namespace igbench::experiment
