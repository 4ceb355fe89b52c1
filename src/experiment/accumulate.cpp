#include "igbench/experiment/accumulate.hpp"

#include <algorithm>

#include <omp.h>

#include "igbench/features/moment_vector.hpp"
#include "igbench/fit/cross_validation.hpp"

namespace igbench::experiment {

namespace {

// A chunk of one part of one data set.
struct Item {
  std::size_t plan = 0;
  int part = 0;  // 0: test, 1..3: folds
  std::int64_t begin = 0, end = 0;
};

// Walks the items in their fixed order without materialising the list (which would grow with n).
class ItemCursor {
 public:
  ItemCursor(std::span<const DataSetPlan> plans, std::int64_t chunk) : plans_(plans), chunk_(chunk) {
    enter_plan();
  }

  bool next(Item& item) {
    while (plan_ < plans_.size()) {
      if (begin_ < part_end_) {
        item = {plan_, part_, begin_, std::min(begin_ + chunk_, part_end_)};
        begin_ = item.end;
        return true;
      }
      if (part_ < last_part_) {
        ++part_;
        set_part();
      } else {
        ++plan_;
        enter_plan();
      }
    }
    return false;
  }

 private:
  void enter_plan() {
    if (plan_ >= plans_.size()) return;
    const DataSetPlan& p = plans_[plan_];
    n_test_ = p.test_part ? fit::test_size(p.n) : 0;
    bounds_ = fit::fold_bounds(p.n - n_test_);
    part_ = (p.read_test || !p.training) ? 0 : 1;
    last_part_ = p.training ? fit::n_folds : 0;
    if (!p.read_test && !p.training) {  // nothing to read
      ++plan_;
      enter_plan();
      return;
    }
    set_part();
  }
  void set_part() {
    if (part_ == 0) {
      begin_ = 0;
      part_end_ = n_test_;
    } else {
      begin_ = n_test_ + bounds_[static_cast<std::size_t>(part_ - 1)];
      part_end_ = n_test_ + bounds_[static_cast<std::size_t>(part_)];
    }
  }

  std::span<const DataSetPlan> plans_;
  std::int64_t chunk_;
  std::size_t plan_ = 0;
  int part_ = 0, last_part_ = 0;
  std::int64_t n_test_ = 0, begin_ = 0, part_end_ = 0;
  std::array<std::int64_t, fit::n_folds + 1> bounds_{};
};

// Items processed per parallel wave: enough to keep every thread busy, bounded in memory
// (each holds one P^2 accumulator). Does not affect results: merge order is the item order.
std::size_t wave_size(int dim) {
  const std::size_t per_item = static_cast<std::size_t>(dim) * static_cast<std::size_t>(dim) * 8;
  const std::size_t budget = std::size_t{32} << 20;  // 32 MiB of pending accumulators
  const std::size_t by_memory = std::max<std::size_t>(1, budget / per_item);
  const std::size_t by_threads = 16 * static_cast<std::size_t>(threads_per_run());
  return std::max<std::size_t>(1, std::min(by_memory, by_threads));
}

// A wave of fewer samples is reduced by one thread: its work (a few milliseconds) does not pay
// for a parallel region, which costs milliseconds once the cores are oversubscribed (a barrier
// waits for every descheduled thread). Results do not depend on it (fixed merge order).
constexpr std::int64_t min_parallel_wave_samples = 16384;

}  // namespace

int threads_per_run() { return omp_in_parallel() ? 1 : omp_get_max_threads(); }

std::vector<estimators::DataSetMoments> accumulate_data_sets(
    std::span<const DataSetPlan> plans, const features::PolynomialFeatures& phi,
    std::int64_t chunk_samples, const RunControl* control) {
  const features::MomentLayout layout = features::moment_layout(phi);
  const int dim = layout.dim();
  std::vector<std::vector<stats::PairwiseMerger>> mergers(
      plans.size(), std::vector<stats::PairwiseMerger>(fit::n_folds + 1, stats::PairwiseMerger(dim)));

  ItemCursor cursor(plans, chunk_samples);
  const std::size_t wave = wave_size(dim);
  std::vector<Item> items;
  std::vector<stats::Moments> reduced;
  items.reserve(wave);
  std::int64_t samples_done = 0;
  for (;;) {
    items.clear();
    Item item;
    while (items.size() < wave && cursor.next(item)) items.push_back(item);
    if (items.empty()) break;
    reduced.assign(items.size(), stats::Moments(dim));
    const auto n_items = static_cast<std::ptrdiff_t>(items.size());
    std::int64_t wave_samples = 0;
    for (const Item& it : items) wave_samples += it.end - it.begin;
#pragma omp parallel if (wave_samples >= min_parallel_wave_samples && threads_per_run() > 1)
    {
      // Per-thread buffers kept across waves and runs: allocating them afresh would page-fault
      // megabytes per chunk, serialised in the kernel across threads.
      thread_local scm::SampleChunk chunk;
      thread_local Eigen::MatrixXd Z;
#pragma omp for schedule(dynamic, 1)
      for (std::ptrdiff_t i = 0; i < n_items; ++i) {
        const Item& it = items[static_cast<std::size_t>(i)];
        plans[it.plan].source->fill(static_cast<std::uint64_t>(it.begin),
                                    static_cast<std::size_t>(it.end - it.begin), chunk);
        features::fill_moment_vectors(chunk, phi, Z);
        reduced[static_cast<std::size_t>(i)].add_batch(Z);
      }
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
      samples_done += items[i].end - items[i].begin;
      mergers[items[i].plan][static_cast<std::size_t>(items[i].part)].push(std::move(reduced[i]));
    }
    if (control != nullptr) {
      if (control->cancelled()) throw Cancelled();
      if (control->heartbeat) control->heartbeat(samples_done);
    }
  }

  std::vector<estimators::DataSetMoments> out(plans.size());
  for (std::size_t p = 0; p < plans.size(); ++p) {
    out[p].test = mergers[p][0].take();
    for (int f = 0; f < fit::n_folds; ++f)
      out[p].folds[static_cast<std::size_t>(f)] = mergers[p][static_cast<std::size_t>(f + 1)].take();
  }
  return out;
}

}  // namespace igbench::experiment
