#pragma once
// A SampleSource over a data set held in memory (the reference-exact mode's data sets).
//
// Sample i is row order[i] of the data (row i when `order` is empty). With order = the split
// permutation (the test indices, then the training indices, both in permutation order), the
// streaming pass of experiment::accumulate_data_sets reads the test part first and then the
// training part in its order, so its folds are the contiguous thirds of the training part that
// scikit-learn's KFold(3) cuts. fill() gathers O(n K) values and is safe to call concurrently.
#include <cstdint>
#include <span>

#include "igbench/scm/generate.hpp"

namespace igbench::scm {

class MaterialisedSource final : public SampleSource {
 public:
  // Keeps references to `data` and `order` (an index permutation of the data's rows, or empty).
  explicit MaterialisedSource(const SampleChunk& data, std::span<const std::int64_t> order = {});

  void fill(std::uint64_t first, std::size_t n, SampleChunk& out) const override;
  std::size_t size() const { return data_->n; }

 private:
  const SampleChunk* data_;
  std::span<const std::int64_t> order_;
};

}  // namespace igbench::scm
