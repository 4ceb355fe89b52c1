#include "igbench/scm/materialised_source.hpp"

#include <stdexcept>

namespace igbench::scm {

MaterialisedSource::MaterialisedSource(const SampleChunk& data, std::span<const std::int64_t> order)
    : data_(&data), order_(order) {
  if (!order.empty() && order.size() != data.n)
    throw std::invalid_argument("MaterialisedSource: the order must index every sample once");
}

void MaterialisedSource::fill(std::uint64_t first, std::size_t n, SampleChunk& out) const {
  if (first + n > data_->n) throw std::out_of_range("MaterialisedSource: samples beyond the data set");
  const int K = data_->K;
  out.resize(n, K, false);
  const auto row = [&](std::size_t i) {
    const std::size_t s = static_cast<std::size_t>(first) + i;
    return order_.empty() ? s : static_cast<std::size_t>(order_[s]);
  };
  for (int k = 0; k < K; ++k) {
    const double* src = data_->action(k);
    double* dst = out.action(k);
    for (std::size_t i = 0; i < n; ++i) dst[i] = src[row(i)];
  }
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t r = row(i);
    out.Y[i] = data_->Y[r];
    out.mu[i] = data_->mu[r];
  }
}

}  // namespace igbench::scm
