#pragma once
// The fixed merge tree of streamed partial results, shared by the moment accumulators
// (stats::PairwiseMerger) and the power sums (stats::PowerSumMerger). Items are merged like a
// binary counter: the i-th pushed item is merged with its neighbours in a tree that depends only on
// the push order, so the result is deterministic (independent of thread counts) and its rounding
// error grows as O(log n_items) rather than O(n_items). Memory O(log n_items) items.
// `combine` merges the newer item into the older one: (older.*combine)(newer).
#include <utility>
#include <vector>

namespace igbench::stats {

template <class T, void (T::*combine)(const T&)>
class PairwiseTree {
 public:
  void push(T item) {
    stack_.push_back({0, std::move(item)});
    // Merge while the two topmost items stand at the same level (binary-counter carry).
    while (stack_.size() >= 2 && stack_[stack_.size() - 1].level == stack_[stack_.size() - 2].level) {
      Level top = std::move(stack_.back());
      stack_.pop_back();
      (stack_.back().item.*combine)(top.item);
      stack_.back().level += 1;
    }
  }

  bool empty() const { return stack_.empty(); }

  // The merge of everything pushed (`none` if nothing was), folded from the top (smallest, newest)
  // down in a fixed order; a copy, the tree is unchanged.
  T result(T none) const {
    if (stack_.empty()) return none;
    T acc = stack_.back().item;
    for (std::size_t i = stack_.size() - 1; i-- > 0;) {
      T lower = stack_[i].item;
      (lower.*combine)(acc);
      acc = std::move(lower);
    }
    return acc;
  }

  // The same merges in the same order as result(), moving the items out (no second copy at the
  // peak); the tree is empty afterwards.
  T take(T none) {
    if (stack_.empty()) return none;
    T acc = std::move(stack_.back().item);
    stack_.pop_back();
    while (!stack_.empty()) {
      T lower = std::move(stack_.back().item);
      stack_.pop_back();
      (lower.*combine)(acc);
      acc = std::move(lower);
    }
    return acc;
  }

 private:
  struct Level {
    int level;
    T item;
  };
  std::vector<Level> stack_;
};

}  // namespace igbench::stats
