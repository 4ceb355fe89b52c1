#pragma once
// Kernels on the symmetric tridiagonal form T of the standardised Gram matrix (the ridge solve of
// linear_model.hpp). Each has a plain twin in Eigen that tests/fit/test_tridiagonal.cpp compares
// it with.
#include <Eigen/Core>
#include <Eigen/Householder>

namespace igbench::fit {

// G = Q T Q^T, T symmetric tridiagonal, Q = H_0 H_1 .. H_{p-2} a product of Householder
// reflectors H_i = I - tau_i v_i v_i^T (v_i zero above row i + 1, v_i(i + 1) = 1), computed in place
// in Eigen's packed layout (Eigen::Tridiagonalization::packedMatrix()): T's diagonal and
// sub-diagonal on the diagonal and first sub-diagonal, below them the rest of each v_i; tau
// (p - 1 coefficients) separately. Only the lower triangle of the input is read. Backward stable:
// the computed T is exactly similar to G + E, ||E||_2 <= c p eps ||G||_2. Cost 4/3 p^3 flops.
//
// p < blocked_tridiagonal_min_size: tridiagonalize_unblocked below; otherwise the blocked
// reduction below. Single-core times per reduction (bench_engine BM_Tridiagonalize, Eigen's
// unblocked / blocked / unblocked here): p = 55: 31 / 27 / 22 us; p = 285: 2.8 / 2.2 / 2.0 ms;
// p = 300: 3.1 / 2.3 / 2.2 ms; p = 600: 35 / 18 / 18 ms; p = 1770: 790 / 420 / 640 ms.
inline constexpr Eigen::Index blocked_tridiagonal_min_size = 300;
void tridiagonalize(Eigen::MatrixXd& a, Eigen::VectorXd& tau);

// The unblocked reduction (what Eigen::Tridiagonalization computes, its plain twin, in the same
// packed layout): for column i the reflector v of A(i+1:p, i), w = tau B v - (tau^2 / 2)(v . B v) v
// and B := B - v w^T - w v^T for the trailing block B (lower triangle). Eigen makes two passes
// over B per column (the symmetric product, then the rank-2 update); here one pass does both the
// update of step i and the product B' v' of step i + 1 (column 0 of the updated B is updated and
// reduced first, giving v'), each column's entries in SIMD packets. Only the lower triangle is
// read or written. Cost 4/3 p^3 flops. Same rounding class as Eigen's, not bitwise.
void tridiagonalize_unblocked(Eigen::MatrixXd& a, Eigen::VectorXd& tau);

// The blocked reduction of LAPACK's dsytrd/dlatrd (lower): panels of `block` columns are reduced
// with the trailing matrix left untouched, the panel's reflectors accumulated as A := A - V W^T -
// W V^T (V the reflectors, W from one symmetric matrix-vector product per column plus O(p block)
// corrections), then the trailing matrix is updated once per panel by that rank-2 block update,
// two triangular matrix products (half of all flops, at matrix-matrix speed). The last
// `unblocked_tail` (or fewer) columns are reduced by tridiagonalize_unblocked. Same T, Q and rounding
// class as the unblocked reduction, different rounding. Panel width: 16, 32 and 48 are within noise
// of each other at p = 600 and 1770, 64 and 96 are 15-25% slower (BM_TridiagonalizeBlock).
void tridiagonalize_blocked(Eigen::MatrixXd& a, Eigen::VectorXd& tau, Eigen::Index block = 32,
                            Eigen::Index unblocked_tail = 64);

// Q of the packed form, for Q x and Q^T x in O(p^2) (as Eigen::Tridiagonalization::matrixQ()).
using HouseholderQ = Eigen::HouseholderSequence<Eigen::MatrixXd, Eigen::VectorXd>;
HouseholderQ householder_q(const Eigen::MatrixXd& packed, const Eigen::VectorXd& tau);

// x := Q x (adjoint: Q^T x) for a p x m block x, in place: the p - 1 reflectors applied to 4
// columns at once held row by row (one SIMD register per row), instead of one vector at a time.
// Plain twin: householder_q(packed, tau) * x. Cost 4 p^2 flops per 4 columns.
void apply_householder_q(const Eigen::MatrixXd& packed, const Eigen::VectorXd& tau, Eigen::Ref<Eigen::MatrixXd> x,
                         bool adjoint = false);

// The smallest and the largest eigenvalue of the symmetric tridiagonal T with diagonal d (p) and
// sub-diagonal e (p - 1), by Sturm-sequence multisection (plain twin: Eigen's
// SelfAdjointEigenSolver::computeFromTridiagonal, O(p^2) per call and all p eigenvalues).
//
// count(x) = #{eigenvalues of T below x} = #{negative pivots q_i of the LDL^T factorisation of
// T - x I}, q_0 = d_0 - x, q_i = (d_i - x) - e_{i-1}^2 / q_{i-1} (a pivot of magnitude below
// pivmin = DBL_MIN max(1, max e_i^2) is replaced by -pivmin, as in LAPACK's dlaebz). The computed
// count is exact for a matrix within a few eps |T| (elementwise) of T (Kahan; Demmel, Dhillon &
// Ren 1995 for monotonicity in IEEE arithmetic). Starting from the Gershgorin interval, each step
// evaluates 8 shifts per eigenvalue (both eigenvalues together, 16 independent recurrences in
// SIMD registers) and keeps the ninth of the bracket that holds the eigenvalue, until its width is at
// most max(eps ||T||, 2 eps |lambda|, pivmin). The midpoint returned is then within
// eps ||T|| / 2 + (a few) eps ||T|| of the exact eigenvalue: the accuracy of the QR values, which
// carry an absolute error of order eps ||T|| too. Cost O(p) per step, about 17 steps. NaN for a
// T with an entry that is not finite.
struct ExtremeEigenvalues {
  double min = 0.0;
  double max = 0.0;
};
ExtremeEigenvalues tridiagonal_extreme_eigenvalues(const Eigen::VectorXd& d, const Eigen::VectorXd& e);

// Cheap bounds on the spectrum of T, by one Sturm count (the cost of one multisection step):
// upper = the widened Gershgorin bound gu >= lambda_max (and >= the value the multisection
// returns); lower = x = (2p + 32) eps tnorm (tnorm >= ||T||_2 by Gershgorin) with certified = true
// when count(x) = 0, i.e. every eigenvalue of a matrix within a few eps |T| of T is >= x. Such a
// T is far from the ridge cut-off: lambda_min + alpha > p eps (lambda_max + alpha) for every
// alpha >= 0, for the exact eigenvalues and for the multisection's values alike (they are within
// a few eps tnorm of them, and x exceeds p eps tnorm by (p + 32) eps tnorm). Not certified (and
// lower = 0) otherwise, or for p < 2 or a T that is not finite.
struct SpectrumBounds {
  double lower = 0.0;
  double upper = 0.0;
  bool certified = false;
};
SpectrumBounds tridiagonal_spectrum_bounds(const Eigen::VectorXd& d, const Eigen::VectorXd& e);

}  // namespace igbench::fit
