// Streaming moments: stability under a large shift, chunking and merge order.
#include <algorithm>
#include <numeric>
#include <random>

#include <gtest/gtest.h>

#include "igbench/stats/moments.hpp"

namespace igbench::stats {
namespace {

// n x m data: correlated normals, shifted by `shift`.
Eigen::MatrixXd make_data(Eigen::Index n, Eigen::Index m, double shift, unsigned seed) {
  std::mt19937_64 g(seed);
  std::normal_distribution<double> z;
  Eigen::MatrixXd X(n, m);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double common = z(g);
    for (Eigen::Index j = 0; j < m; ++j) X(i, j) = shift + 0.5 * common + z(g) * (1.0 + static_cast<double>(j));
  }
  return X;
}

// Two-pass centred co-moment in long double: the reference value.
Eigen::MatrixXd exact_comoment(const Eigen::MatrixXd& X) {
  const Eigen::Index n = X.rows(), m = X.cols();
  std::vector<long double> mean(static_cast<std::size_t>(m), 0.0L);
  for (Eigen::Index j = 0; j < m; ++j) {
    for (Eigen::Index i = 0; i < n; ++i) mean[static_cast<std::size_t>(j)] += X(i, j);
    mean[static_cast<std::size_t>(j)] /= n;
  }
  Eigen::MatrixXd M(m, m);
  for (Eigen::Index a = 0; a < m; ++a)
    for (Eigen::Index b = 0; b < m; ++b) {
      long double s = 0.0L;
      for (Eigen::Index i = 0; i < n; ++i)
        s += (X(i, a) - mean[static_cast<std::size_t>(a)]) * (X(i, b) - mean[static_cast<std::size_t>(b)]);
      M(a, b) = static_cast<double>(s);
    }
  return M;
}

Moments chunked(const Eigen::MatrixXd& X, Eigen::Index chunk) {
  Moments acc(static_cast<int>(X.cols()));
  for (Eigen::Index start = 0; start < X.rows(); start += chunk) {
    Eigen::MatrixXd part = X.middleRows(start, std::min(chunk, X.rows() - start));
    acc.add_batch(part);
  }
  return acc;
}

double max_relative(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  return (a - b).cwiseAbs().maxCoeff() / b.cwiseAbs().maxCoeff();
}

TEST(Moments, LargeShiftKeepsTheCovariance) {
  // Mean 1e6 with unit-scale spread: naive sums of squares would lose ~12 of 16 digits.
  const Eigen::MatrixXd X = make_data(20000, 4, 1e6, 1);
  const Moments m = chunked(X, 2048);
  const Eigen::MatrixXd truth = exact_comoment(X);
  EXPECT_LT(max_relative(m.comoment(), truth), 1e-9);
  EXPECT_NEAR(m.mean()(0), X.col(0).mean(), 1e-9 * 1e6);
  EXPECT_EQ(m.count(), 20000);
}

TEST(Moments, ChunkedMergeEqualsOnePass) {
  const Eigen::MatrixXd X = make_data(10000, 5, 3.0, 2);
  Eigen::MatrixXd all = X;
  Moments one(5);
  one.add_batch(all);
  for (Eigen::Index chunk : {1, 7, 100, 2048, 9999}) {
    const Moments m = chunked(X, chunk);
    EXPECT_LT(max_relative(m.comoment(), one.comoment()), 1e-13) << chunk;
    EXPECT_LT((m.mean() - one.mean()).cwiseAbs().maxCoeff(), 1e-13 * 3.0) << chunk;
  }
}

TEST(Moments, MergeOrderChangesOnlyRounding) {
  const Eigen::MatrixXd X = make_data(6000, 3, -50.0, 3);
  std::vector<Moments> parts;
  for (Eigen::Index s = 0; s < 6000; s += 500) {
    Eigen::MatrixXd p = X.middleRows(s, 500);
    Moments m(3);
    m.add_batch(p);
    parts.push_back(m);
  }
  Moments forward(3), backward(3);
  for (const auto& p : parts) forward.merge(p);
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) backward.merge(*it);
  std::vector<std::size_t> order(parts.size());
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), std::mt19937(4));
  PairwiseMerger tree(3);
  for (std::size_t i : order) tree.push(parts[i]);
  const Moments shuffled = tree.result();
  EXPECT_LT(max_relative(backward.comoment(), forward.comoment()), 1e-13);
  EXPECT_LT(max_relative(shuffled.comoment(), forward.comoment()), 1e-13);
  EXPECT_EQ(shuffled.count(), forward.count());
}

TEST(Moments, PairwiseMergerIsDeterministic) {
  const Eigen::MatrixXd X = make_data(3000, 3, 1.0, 5);
  auto reduce = [&] {
    PairwiseMerger tree(3);
    for (Eigen::Index s = 0; s < 3000; s += 100) {
      Eigen::MatrixXd p = X.middleRows(s, 100);
      Moments m(3);
      m.add_batch(p);
      tree.push(m);
    }
    return tree.result();
  };
  const Moments a = reduce(), b = reduce();
  EXPECT_EQ(a.comoment(), b.comoment());
  EXPECT_EQ(a.mean(), b.mean());
  EXPECT_TRUE(PairwiseMerger(3).result().count() == 0);
}

TEST(Moments, PairwiseMergerTakeEqualsResultBitwise) {
  // 37 pushes: a stack of several levels (37 = 100101 in binary), so take() folds three of them.
  const Eigen::MatrixXd X = make_data(3700, 3, 1.0, 6);
  PairwiseMerger tree(3);
  for (Eigen::Index s = 0; s < 3700; s += 100) {
    Eigen::MatrixXd p = X.middleRows(s, 100);
    Moments m(3);
    m.add_batch(p);
    tree.push(m);
  }
  const Moments copied = tree.result();
  const Moments taken = tree.take();
  EXPECT_EQ(taken.count(), 3700);
  EXPECT_EQ(taken.comoment(), copied.comoment());
  EXPECT_EQ(taken.mean(), copied.mean());
  EXPECT_TRUE(tree.empty());
  EXPECT_EQ(tree.take().count(), 0);
}

TEST(Moments, HandComputedTinyCase) {
  // z = (1, 2), (3, 6), (5, 10): mean (3, 6), M = [[8, 16], [16, 32]]
  Eigen::MatrixXd X(3, 2);
  X << 1, 2, 3, 6, 5, 10;
  Moments m(2);
  m.add_batch(X);
  EXPECT_EQ(m.count(), 3);
  EXPECT_DOUBLE_EQ(m.mean()(0), 3.0);
  EXPECT_DOUBLE_EQ(m.mean()(1), 6.0);
  EXPECT_DOUBLE_EQ(m.comoment()(0, 0), 8.0);
  EXPECT_DOUBLE_EQ(m.comoment()(0, 1), 16.0);
  EXPECT_DOUBLE_EQ(m.comoment()(1, 0), 16.0);
  EXPECT_DOUBLE_EQ(m.comoment()(1, 1), 32.0);
  EXPECT_DOUBLE_EQ(m.variance(0), 8.0 / 3.0);
}

}  // namespace
}  // namespace igbench::stats
