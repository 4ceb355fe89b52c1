#pragma once
// Kernels on the symmetric tridiagonal form T of the standardised Gram matrix (the ridge solve of
// linear_model.hpp). Each has a plain twin in Eigen that tests/fit/test_tridiagonal.cpp compares
// it with.
#include <Eigen/Core>

namespace igbench::fit {

// The smallest and the largest eigenvalue of the symmetric tridiagonal T with diagonal d (p) and
// sub-diagonal e (p - 1), by Sturm-sequence multisection (plain twin: Eigen's
// SelfAdjointEigenSolver::computeFromTridiagonal, O(p^2) per call and all p eigenvalues).
//
// count(x) = #{eigenvalues of T below x} = #{negative pivots q_i of the LDL^T factorisation of
// T - x I}, q_0 = d_0 - x, q_i = (d_i - x) - e_{i-1}^2 / q_{i-1} (a pivot of magnitude below
// pivmin = DBL_MIN max(1, max e_i^2) is replaced by -pivmin, as in LAPACK's dlaebz). The computed
// count is exact for a matrix within a few eps |T| (elementwise) of T (Kahan; Demmel, Dhillon &
// Ren 1995 for monotonicity in IEEE arithmetic). Starting from the Gershgorin interval, each step
// evaluates 4 shifts per eigenvalue (both eigenvalues together, 8 independent recurrences that
// vectorise) and keeps the fifth of the bracket that holds the eigenvalue, until its width is at
// most max(eps ||T||, 2 eps |lambda|, pivmin). The midpoint returned is then within
// eps ||T|| / 2 + (a few) eps ||T|| of the exact eigenvalue: the accuracy of the QR values, which
// carry an absolute error of order eps ||T|| too. Cost O(p) per step, about 25 steps.
struct ExtremeEigenvalues {
  double min = 0.0;
  double max = 0.0;
};
ExtremeEigenvalues tridiagonal_extreme_eigenvalues(const Eigen::VectorXd& d, const Eigen::VectorXd& e);

}  // namespace igbench::fit
