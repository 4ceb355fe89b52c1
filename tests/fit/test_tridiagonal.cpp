// The tridiagonal kernels against their plain twins in Eigen: the extreme eigenvalues by Sturm
// multisection against SelfAdjointEigenSolver::computeFromTridiagonal (implicit QR); the blocked
// tridiagonal reduction against Eigen::Tridiagonalization (unblocked).
#include <cmath>
#include <limits>
#include <iostream>
#include <random>

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <Eigen/QR>
#include <gtest/gtest.h>

#include "igbench/fit/tridiagonal.hpp"

namespace igbench::fit {
namespace {

constexpr double eps = std::numeric_limits<double>::epsilon();

struct Tridiagonal {
  Eigen::VectorXd d, e;
};

// ||T||_2 by the twin (its largest magnitude eigenvalue).
Eigen::VectorXd twin_eigenvalues(const Tridiagonal& t) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es;
  es.computeFromTridiagonal(t.d, t.e, Eigen::EigenvaluesOnly);
  EXPECT_EQ(es.info(), Eigen::Success);
  return es.eigenvalues();
}

// Both routes carry an absolute error of order eps ||T||; the stated agreement is 8 p eps ||T||
// (the ridge cut-off is p eps ||T||). Returns the larger deviation in units of eps ||T||.
double expect_agreement(const Tridiagonal& t, const char* what) {
  const Eigen::VectorXd lambda = twin_eigenvalues(t);
  const Eigen::Index p = t.d.size();
  const double norm = std::max(std::abs(lambda(0)), std::abs(lambda(p - 1)));
  const ExtremeEigenvalues x = tridiagonal_extreme_eigenvalues(t.d, t.e);
  const double tol = 8.0 * static_cast<double>(p) * eps * norm;
  EXPECT_NEAR(x.min, lambda(0), tol) << what << " p " << p;
  EXPECT_NEAR(x.max, lambda(p - 1), tol) << what << " p " << p;
  EXPECT_LE(x.min, x.max);
  return norm > 0.0 ? std::max(std::abs(x.min - lambda(0)), std::abs(x.max - lambda(p - 1))) / (eps * norm) : 0.0;
}

// The tridiagonal form of a random Gram matrix A^T A (positive semi-definite, as in ridge).
Tridiagonal tridiagonal_of(const Eigen::MatrixXd& symmetric) {
  Eigen::Tridiagonalization<Eigen::MatrixXd> tri(symmetric);
  return {tri.diagonal(), tri.subDiagonal()};
}

Eigen::MatrixXd random_matrix(Eigen::Index rows, Eigen::Index cols, unsigned seed) {
  std::mt19937_64 g(seed);
  std::normal_distribution<double> z;
  Eigen::MatrixXd A(rows, cols);
  for (Eigen::Index i = 0; i < rows; ++i)
    for (Eigen::Index j = 0; j < cols; ++j) A(i, j) = z(g);
  return A;
}

TEST(TridiagonalExtremes, TinySizesAreExact) {
  Tridiagonal one{Eigen::VectorXd::Constant(1, 3.5), Eigen::VectorXd(0)};
  const ExtremeEigenvalues x = tridiagonal_extreme_eigenvalues(one.d, one.e);
  EXPECT_EQ(x.min, 3.5);
  EXPECT_EQ(x.max, 3.5);
  // [[2, 1], [1, 2]]: eigenvalues 1 and 3
  Tridiagonal two{Eigen::Vector2d(2.0, 2.0), Eigen::VectorXd::Constant(1, 1.0)};
  const ExtremeEigenvalues y = tridiagonal_extreme_eigenvalues(two.d, two.e);
  EXPECT_NEAR(y.min, 1.0, 4 * eps * 3.0);
  EXPECT_NEAR(y.max, 3.0, 4 * eps * 3.0);
  // the zero matrix
  Tridiagonal zero{Eigen::VectorXd::Zero(4), Eigen::VectorXd::Zero(3)};
  const ExtremeEigenvalues z = tridiagonal_extreme_eigenvalues(zero.d, zero.e);
  EXPECT_LE(std::abs(z.min), 1e-300);
  EXPECT_LE(std::abs(z.max), 1e-300);
  EXPECT_EQ(tridiagonal_extreme_eigenvalues(Eigen::VectorXd(0), Eigen::VectorXd(0)).max, 0.0);
  // not finite: NaN, never a number
  Tridiagonal bad = two;
  bad.e(0) = std::numeric_limits<double>::infinity();
  EXPECT_TRUE(std::isnan(tridiagonal_extreme_eigenvalues(bad.d, bad.e).min));
  bad.e(0) = 1.0;
  bad.d(1) = std::numeric_limits<double>::quiet_NaN();
  EXPECT_TRUE(std::isnan(tridiagonal_extreme_eigenvalues(bad.d, bad.e).max));
}

TEST(TridiagonalExtremes, KnownSpectrum) {
  // The second-difference matrix tridiag(-1, 2, -1): lambda_k = 2 - 2 cos(k pi / (p + 1)).
  const int p = 100;
  Tridiagonal t{Eigen::VectorXd::Constant(p, 2.0), Eigen::VectorXd::Constant(p - 1, -1.0)};
  const ExtremeEigenvalues x = tridiagonal_extreme_eigenvalues(t.d, t.e);
  const double pi = std::acos(-1.0);
  EXPECT_NEAR(x.min, 2.0 - 2.0 * std::cos(pi / (p + 1)), 8 * eps * 4.0);
  EXPECT_NEAR(x.max, 2.0 - 2.0 * std::cos(p * pi / (p + 1)), 8 * eps * 4.0);
  expect_agreement(t, "second difference");
}

TEST(TridiagonalExtremes, RandomAndRandomGramMatricesAgreeWithTheTwin) {
  double worst = 0.0;
  for (unsigned seed = 1; seed <= 20; ++seed) {
    const Eigen::Index p = 1 + static_cast<Eigen::Index>(seed * 37 % 300);
    const Eigen::MatrixXd R = random_matrix(p, p, seed);
    // random symmetric tridiagonal (indefinite)
    worst = std::max(worst, expect_agreement({R.col(0), R.col(1).head(p - 1)}, "random"));
    // the tridiagonal form of a Gram matrix (positive semi-definite), as ridge computes it
    const Eigen::MatrixXd A = random_matrix(p + 3, p, seed + 100);
    worst = std::max(worst, expect_agreement(tridiagonal_of(A.transpose() * A), "Gram"));
  }
  std::cout << "random: largest deviation " << worst << " eps ||T||\n";
}

// The one-count bounds: certified only when every eigenvalue is well above (2p + 32) eps ||T||,
// and then below lambda_min and above lambda_max of the twin.
TEST(TridiagonalExtremes, SpectrumBoundsHoldAndCertifyOnlyWellConditionedMatrices) {
  for (unsigned seed = 1; seed <= 10; ++seed) {
    const Eigen::Index p = 2 + static_cast<Eigen::Index>(seed * 29 % 200);
    for (bool singular : {false, true}) {
      Eigen::MatrixXd A = random_matrix(p + 3, p, seed);
      if (singular) A.col(p - 1) = A.col(0);
      const Tridiagonal t = tridiagonal_of(A.transpose() * A);
      const Eigen::VectorXd lambda = twin_eigenvalues(t);
      const SpectrumBounds b = tridiagonal_spectrum_bounds(t.d, t.e);
      EXPECT_GE(b.upper, lambda(p - 1)) << p;
      EXPECT_GE(b.upper, tridiagonal_extreme_eigenvalues(t.d, t.e).max) << p;
      if (singular) {
        EXPECT_FALSE(b.certified) << p;
      } else if (b.certified) {
        EXPECT_LE(b.lower, lambda(0)) << p;
      }
    }
  }
  const SpectrumBounds identity = tridiagonal_spectrum_bounds(Eigen::VectorXd::Ones(5), Eigen::VectorXd::Zero(4));
  EXPECT_TRUE(identity.certified);
  EXPECT_GE(identity.upper, 1.0);
}

TEST(TridiagonalExtremes, GradedMatricesAgreeWithTheTwin) {
  // entries falling over 12 orders of magnitude, in both directions
  for (int p : {5, 40, 200}) {
    Tridiagonal down{Eigen::VectorXd(p), Eigen::VectorXd(p - 1)};
    for (int i = 0; i < p; ++i) down.d(i) = std::pow(10.0, -12.0 * i / p);
    for (int i = 0; i + 1 < p; ++i) down.e(i) = 0.3 * std::pow(10.0, -12.0 * (i + 0.5) / p);
    expect_agreement(down, "graded down");
    Tridiagonal up{down.d.reverse(), down.e.reverse()};
    expect_agreement(up, "graded up");
  }
}

TEST(TridiagonalExtremes, SingularGramMatricesAgreeWithTheTwin) {
  // rank-deficient Gram matrices: lambda_min is rounding noise of order eps ||G||
  for (unsigned seed = 1; seed <= 5; ++seed) {
    const Eigen::Index p = 20 + 15 * seed;
    Eigen::MatrixXd A = random_matrix(p / 2, p, seed);  // rank p / 2
    A.col(1) = A.col(0);
    expect_agreement(tridiagonal_of(A.transpose() * A), "singular");
    // exact zeros on the sub-diagonal split T into blocks
    Tridiagonal split = tridiagonal_of(A.transpose() * A + Eigen::MatrixXd::Identity(p, p));
    split.e(p / 3) = 0.0;
    split.e(p / 2) = 0.0;
    expect_agreement(split, "split");
  }
}

TEST(TridiagonalExtremes, ClusteredSpectraAgreeWithTheTwin) {
  // Q diag(lambda) Q^T with eigenvalues clustered at both ends (within 1e-13 relative).
  for (unsigned seed = 1; seed <= 5; ++seed) {
    const Eigen::Index p = 30 * seed;
    Eigen::VectorXd lambda(p);
    for (Eigen::Index i = 0; i < p; ++i) lambda(i) = i < p / 2 ? 1e-3 * (1.0 + 1e-13 * i) : 7.0 * (1.0 - 1e-13 * i);
    const Eigen::HouseholderQR<Eigen::MatrixXd> qr(random_matrix(p, p, seed));
    const Eigen::MatrixXd Q = qr.householderQ();
    const Eigen::MatrixXd G = Q * lambda.asDiagonal() * Q.transpose();
    expect_agreement(tridiagonal_of(0.5 * (G + G.transpose())), "clustered");
    // Wilkinson's W+ matrix: pairs of nearly equal eigenvalues at the top
    Tridiagonal w{Eigen::VectorXd(21), Eigen::VectorXd::Ones(20)};
    for (int i = 0; i < 21; ++i) w.d(i) = std::abs(10 - i);
    expect_agreement(w, "Wilkinson");
  }
}


// ---- the tridiagonal reduction ----

// Column j scaled by 10^(grade j / p): a graded Gram matrix, condition up to ~10^(2 grade).
Eigen::MatrixXd gram(Eigen::Index p, unsigned seed, double grade, bool singular) {
  Eigen::MatrixXd A = random_matrix(p + 7, p, seed);
  for (Eigen::Index j = 0; j < p; ++j) A.col(j) *= std::pow(10.0, grade * static_cast<double>(j) / static_cast<double>(p));
  if (singular && p > 2) A.col(p - 1) = A.col(0) - A.col(1);
  return A.transpose() * A;
}

// The blocked reduction and Eigen's are both backward stable (T similar to G + E with
// ||E|| <= c p eps ||G||), so by Weyl's theorem every eigenvalue of the two T agrees to
// 2 c p eps ||G||; Q T Q^T reproduces G to c p eps ||G||; and the ridge solutions through either
// form (beta = Q (T + alpha)^-1 Q^T r) agree with the Cholesky twin to c p eps cond(G + alpha I)
// relative. c = 8 is generous (observed: below 1).
// block = 0: the unblocked reduction (tridiagonalize_unblocked).
void expect_blocked_equals_twin(const Eigen::MatrixXd& G, Eigen::Index block, Eigen::Index tail, const char* what) {
  const Eigen::Index p = G.rows();
  Eigen::MatrixXd a = G;
  Eigen::VectorXd tau;
  if (block == 0)
    tridiagonalize_unblocked(a, tau);
  else
    tridiagonalize_blocked(a, tau, block, tail);
  const Eigen::Tridiagonalization<Eigen::MatrixXd> twin(G);
  const double norm = twin_eigenvalues({twin.diagonal(), twin.subDiagonal()}).cwiseAbs().maxCoeff();
  const double tol = 8.0 * static_cast<double>(p) * eps * norm;
  const Eigen::VectorXd d = a.diagonal(), e = a.diagonal(-1);
  const Eigen::VectorXd lambda = twin_eigenvalues({d, e});
  const Eigen::VectorXd lambda_twin = twin_eigenvalues({twin.diagonal(), twin.subDiagonal()});
  EXPECT_LE((lambda - lambda_twin).cwiseAbs().maxCoeff(), tol) << what << " p " << p << " block " << block;
  // Q T Q^T = G
  Eigen::MatrixXd T = Eigen::MatrixXd::Zero(p, p);
  T.diagonal() = d;
  T.diagonal(-1) = e;
  T.diagonal(1) = e;
  const HouseholderQ Q = householder_q(a, tau);
  Eigen::MatrixXd QTQt = T;
  QTQt.applyOnTheLeft(Q);
  QTQt.applyOnTheRight(Q.adjoint());
  EXPECT_LE((QTQt - G).norm(), tol) << what << " p " << p << " block " << block;
  // ridge solutions at the grid's ends
  const Eigen::VectorXd r = G * Eigen::VectorXd::LinSpaced(p, 1.0, -1.0) + Eigen::VectorXd::Ones(p);
  for (double alpha : {1e-8 * norm, 1e-3 * norm}) {
    const Eigen::VectorXd x = (T + alpha * Eigen::MatrixXd::Identity(p, p)).llt().solve(Eigen::VectorXd(Q.adjoint() * r));
    const Eigen::VectorXd beta = Q * x;
    const Eigen::VectorXd chol = (G + alpha * Eigen::MatrixXd::Identity(p, p)).llt().solve(r);
    const double cond = (lambda_twin(p - 1) + alpha) / std::max(lambda_twin(0) + alpha, alpha);
    EXPECT_LE((beta - chol).norm(), 8.0 * static_cast<double>(p) * eps * cond * chol.norm())
        << what << " p " << p << " block " << block << " alpha " << alpha;
  }
}

TEST(Tridiagonalize, BlockedEqualsEigensReductionOnRandomGradedAndSingularGramMatrices) {
  for (Eigen::Index p : {1, 2, 3, 9, 40, 101}) {
    for (Eigen::Index block : {1, 4, 8, 32}) {
      const auto seed = static_cast<unsigned>(p + block);
      expect_blocked_equals_twin(gram(p, seed, 0.0, false), block, 2, "random");
      expect_blocked_equals_twin(gram(p, seed, 4.0, false), block, 2, "graded");
      expect_blocked_equals_twin(gram(p, seed, 1.0, true), block, 2, "singular");
    }
  }
  // the production dispatch and block size just above the switch
  const Eigen::Index p = blocked_tridiagonal_min_size + 17;
  expect_blocked_equals_twin(gram(p, 7, 2.0, false), 32, 64, "production");
  Eigen::MatrixXd a = gram(p, 7, 2.0, false), b = a;
  Eigen::VectorXd tau_a, tau_b;
  tridiagonalize(a, tau_a);
  tridiagonalize_blocked(b, tau_b);
  EXPECT_TRUE(a == b && tau_a == tau_b);
}

TEST(Tridiagonalize, UnblockedEqualsEigensReductionOnRandomGradedAndSingularGramMatrices) {
  for (Eigen::Index p : {1, 2, 3, 4, 5, 9, 40, 55, 101, 120, 285}) {
    const auto seed = static_cast<unsigned>(p);
    expect_blocked_equals_twin(gram(p, seed, 0.0, false), 0, 0, "random");
    expect_blocked_equals_twin(gram(p, seed, 4.0, false), 0, 0, "graded");
    expect_blocked_equals_twin(gram(p, seed, 1.0, true), 0, 0, "singular");
  }
  // the production dispatch below the blocked size
  Eigen::MatrixXd a = gram(55, 5, 2.0, false), b = a;
  Eigen::VectorXd tau_a, tau_b;
  tridiagonalize(a, tau_a);
  tridiagonalize_unblocked(b, tau_b);
  EXPECT_TRUE(a == b && tau_a == tau_b);
}

// Q x and Q^T x for blocks of 1 to 9 columns (full and partial groups of 4) against Eigen's
// Householder sequence: both apply the same reflectors, summing in different orders.
TEST(Tridiagonalize, BlockApplicationOfQEqualsEigensHouseholderSequence) {
  for (Eigen::Index p : {1, 2, 3, 17, 55, 130}) {
    Eigen::MatrixXd a = gram(p, 11, 1.0, false);
    Eigen::VectorXd tau;
    tridiagonalize(a, tau);
    const HouseholderQ Q = householder_q(a, tau);
    for (Eigen::Index m : {1, 3, 4, 5, 8, 9}) {
      const Eigen::MatrixXd x = random_matrix(p, m, static_cast<unsigned>(p + m));
      Eigen::MatrixXd qx = x, qtx = x;
      apply_householder_q(a, tau, qx);
      apply_householder_q(a, tau, qtx, true);
      const Eigen::MatrixXd twin = Q * x, twin_t = Q.adjoint() * x;
      const double tol = 8.0 * static_cast<double>(p) * eps * x.norm();
      EXPECT_LE((qx - twin).norm(), tol) << p << " " << m;
      EXPECT_LE((qtx - twin_t).norm(), tol) << p << " " << m;
      // each column is transformed on its own: the same whatever else is in the block
      Eigen::MatrixXd first = x.leftCols(1);
      apply_householder_q(a, tau, first);
      EXPECT_TRUE(first == qx.leftCols(1)) << p << " " << m;
    }
  }
}

TEST(Tridiagonalize, OnlyTheLowerTriangleIsRead) {
  {
    const Eigen::MatrixXd G = gram(90, 3, 1.0, false);
    Eigen::MatrixXd a = G, b = G;
    b.triangularView<Eigen::StrictlyUpper>().setConstant(std::numeric_limits<double>::quiet_NaN());
    Eigen::VectorXd tau_a, tau_b;
    tridiagonalize_unblocked(a, tau_a);
    tridiagonalize_unblocked(b, tau_b);
    EXPECT_TRUE(a.diagonal() == b.diagonal() && a.diagonal(-1) == b.diagonal(-1) && tau_a == tau_b);
  }
  const Eigen::MatrixXd G = gram(150, 3, 1.0, false);
  Eigen::MatrixXd a = G, b = G;
  b.triangularView<Eigen::StrictlyUpper>().setConstant(std::numeric_limits<double>::quiet_NaN());
  Eigen::VectorXd tau_a, tau_b;
  tridiagonalize_blocked(a, tau_a, 16, 20);
  tridiagonalize_blocked(b, tau_b, 16, 20);
  EXPECT_TRUE(a.diagonal() == b.diagonal() && a.diagonal(-1) == b.diagonal(-1) && tau_a == tau_b);
}

}  // namespace
}  // namespace igbench::fit
