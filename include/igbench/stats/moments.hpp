#pragma once
// Streaming sufficient statistics: (n, mean, centred co-moment matrix) of vectors z in R^m,
//   mean = (1/n) sum_i z_i,   M = sum_i (z_i - mean)(z_i - mean)^T,
// filled batch by batch (two passes inside a batch: its mean, then the centred rank-c update)
// and merged with the pairwise formula of Chan, Golub and LeVeque (1979):
//   n = na + nb,  d = mean_b - mean_a,  mean = mean_a + d nb / n,  M = Ma + Mb + d d^T na nb / n.
// Memory O(m^2), independent of n. Every fit of METHOD.md section 6 is a function of these.
#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include "igbench/stats/pairwise_tree.hpp"

namespace igbench::stats {

class Moments {
 public:
  Moments() = default;
  explicit Moments(int dim);

  int dim() const { return static_cast<int>(mean_.size()); }
  std::int64_t count() const { return n_; }
  const Eigen::VectorXd& mean() const { return mean_; }
  const Eigen::MatrixXd& comoment() const { return comoment_; }  // full, symmetric

  // Population variance of component j: M_jj / n.
  double variance(int j) const;

  // Adds the samples held as the rows of Z (c x m). Z is centred in place (its contents are
  // consumed). Cost O(c m^2 / 2) (one SYRK).
  void add_batch(Eigen::Ref<Eigen::MatrixXd> Z);

  // Merges another accumulator of the same dimension (Chan et al.). Cost O(m^2).
  void merge(const Moments& other);

  // Builds directly from arrays (n, mean, full M); used by the result store and tests.
  static Moments from_parts(std::int64_t n, Eigen::VectorXd mean, Eigen::MatrixXd comoment);

 private:
  std::int64_t n_ = 0;
  Eigen::VectorXd mean_;
  Eigen::MatrixXd comoment_;
};

// Merges a sequence of accumulators pairwise in the fixed tree of PairwiseTree (Chan et al. at
// every node): deterministic, rounding error O(log n_items), memory O(log n_items) accumulators.
class PairwiseMerger {
 public:
  explicit PairwiseMerger(int dim) : dim_(dim) {}
  void push(Moments m) { tree_.push(std::move(m)); }
  // The merge of everything pushed (an empty accumulator of `dim` if nothing was).
  Moments result() const { return tree_.result(Moments(dim_)); }
  // The same as result(), moving the accumulators out instead of copying them (no second copy of
  // the P x P matrices at the peak); the merger is empty afterwards.
  Moments take() { return tree_.take(Moments(dim_)); }
  bool empty() const { return tree_.empty(); }

 private:
  int dim_;
  PairwiseTree<Moments, &Moments::merge> tree_;
};

}  // namespace igbench::stats
