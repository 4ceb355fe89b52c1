#pragma once
// Regularised linear regression of METHOD.md section 6, computed from moments alone.
//
// The moment vector of every data set is z = [x_1..x_p, y, mu] with x = phi(a) without the
// constant feature (p = P - 1; the constant has zero variance, is standardised to 0 and gets
// coefficient 0, so it is not stored). From the training moments (n, mean, M):
//   scale s_j = sqrt(M_jj / n) (1 for a near-constant feature),  D = diag(s),
//   standardised Gram G = D^-1 M_xx D^-1 = Z^T Z,  right-hand side r = D^-1 M_xy = Z^T y_c,
// where Z are the centred, standardised features and y_c the centred outcome.
//   ridge:  minimise ||y_c - Z beta||^2 + alpha ||beta||^2        ->  (G + alpha I) beta = r
//   lasso:  minimise (1/(2n)) ||y_c - Z beta||^2 + alpha ||beta||_1  (coordinate descent on G)
// The fitted model is returned in raw coordinates, yhat = b + w . x with w = beta / s and
// b = mean_y - w . mean_x.
#include <span>
#include <string_view>

#include <Eigen/Core>
#include <Eigen/Eigenvalues>

#include "igbench/fit/tridiagonal.hpp"
#include "igbench/stats/moments.hpp"

namespace igbench::fit {

enum class Regularization { ridge, lasso };
std::string_view regularization_name(Regularization r);
Regularization parse_regularization(std::string_view name);  // throws std::invalid_argument

// yhat = intercept + weights . x, x = phi(a) without the constant.
struct LinearPredictor {
  double intercept = 0.0;
  Eigen::VectorXd weights;

  // a * this + b * other (predictors are linear: the paper's estimator is a linear combination).
  static LinearPredictor combine(double a, const LinearPredictor& p, double b, const LinearPredictor& q);
};

// Standardisation and normal equations of one training set, from its moments.
struct NormalEquations {
  std::int64_t n = 0;
  Eigen::VectorXd x_mean;  // p
  double y_mean = 0.0;
  Eigen::VectorXd scale;   // p, s_j
  Eigen::MatrixXd gram;    // p x p, G
  Eigen::VectorXd rhs;     // p, r
  double y_ss = 0.0;       // y_c . y_c
};

// n_features = p; the target is component `target` of the moment vector. Cost O(p^2).
NormalEquations normal_equations(const stats::Moments& train, int n_features, int target);

// scikit-learn's near-constant rule: var <= n eps var + (n mean eps)^2 gives scale 1.
bool is_near_constant(double var, double mean, std::int64_t n);

struct LassoOptions {
  int max_iter = 1000;  // coordinate-descent sweeps
  double tol = 1e-4;    // duality gap tolerance, relative to y_c . y_c
};

// Ridge through the tridiagonal form of the standardised Gram matrix, G = Q T Q^T (Householder,
// backward stable; computed once per training set, O(p^3), with the extreme eigenvalues
// lambda_min, lambda_max of T by Sturm bisection, O(p) per step: see tridiagonal.hpp).
// Then for every alpha, in O(p^2):
//   cond_2(G + alpha I) = (lambda_max + alpha) / (lambda_min + alpha), exactly;
//   beta = Q (T + alpha I)^-1 Q^T r, by the LDL^T factorisation of the SPD tridiagonal T + alpha I,
// unless lambda_min + alpha <= cutoff, the stated cut-off  cutoff = p eps (lambda_max + alpha):
// the computed eigenvalues carry an absolute error of about p eps ||G||_2, so such a matrix is
// numerically singular. Then beta = Q V (Lambda + alpha I)^+ V^T Q^T r with T = V Lambda V^T,
// dropping the components below the cut-off (O(p^3), only for such alphas). Nothing is silently
// regularised: the condition number and the number of dropped components are returned.
struct RidgeSystem {
  Eigen::MatrixXd packed;  // T and Q's Householder vectors (tridiagonal.hpp, tridiagonalize)
  Eigen::VectorXd tau;     // Q's Householder coefficients
  Eigen::VectorXd diagonal, sub_diagonal;  // T
  Eigen::VectorXd Qt_r;                    // Q^T r
  double lambda_min = 0.0, lambda_max = 0.0;  // extreme eigenvalues of G (and T)
  // false: lambda_min, lambda_max are only the certified bounds of tridiagonal_spectrum_bounds,
  // which put every alpha >= 0 above the cut-off (the decisions the exact values would make);
  // the condition numbers are then not known (NaN).
  bool exact_extremes = true;
};
// condition_needed = false (the cross-validation's training sets, whose condition numbers are
// never reported) replaces the multisection for the extreme eigenvalues (about 17 steps of 16 Sturm
// sequences) by one Sturm count when that certifies the bounds above, and falls back to it
// otherwise. The solutions are the same either way.
RidgeSystem ridge_system(const NormalEquations& eq, bool condition_needed = true);

struct RidgeSolution {
  Eigen::VectorXd beta;
  // cond_2(G + alpha I); +inf when lambda_min + alpha <= 0 (singular up to rounding); NaN when
  // the system holds bounds only (exact_extremes = false).
  double condition = 0.0;
  int dropped = 0;  // components below the cut-off (0 unless the matrix is numerically singular)
};
RidgeSolution solve_ridge(const RidgeSystem& system, double alpha);
// Every alpha of a grid at once: column a of beta, condition(a) and dropped(a) are what
// solve_ridge(system, alphas[a]) returns (its plain twin; equal to rounding), the p - 1
// reflectors of Q applied to all the tridiagonal solutions as one block (apply_householder_q).
// The tridiagonal solves of 8 alphas run in the 8 SIMD lanes of one loop (bitwise the scalar
// solve). Cost O(p) per 8 alphas plus 4 p^2 flops per 4 alphas (O(p^3) per numerically singular
// alpha).
struct RidgePath {
  Eigen::MatrixXd beta;       // p x alphas
  Eigen::VectorXd condition;  // per alpha
  Eigen::VectorXi dropped;    // per alpha
};
RidgePath solve_ridge_path(const RidgeSystem& system, std::span<const double> alphas);
// Convenience: the system of eq, then the solve at alpha. Cost O(p^3).
Eigen::VectorXd solve_ridge(const NormalEquations& eq, double alpha);

// The 2-norm condition number of a symmetric positive semi-definite matrix (+inf if singular).
double condition_number(const Eigen::MatrixXd& symmetric);

struct LassoSolution {
  Eigen::VectorXd beta;
  int sweeps = 0;
  double duality_gap = 0.0;
  bool converged = false;
};
// Cyclic coordinate descent on the Gram matrix; stops when the duality gap of the objective
// (scaled by n: (1/2)||y_c - Z beta||^2 + n alpha ||beta||_1) is below tol * y_c.y_c.
// Cost O(p^2) per sweep.
LassoSolution solve_lasso(const NormalEquations& eq, double alpha, const LassoOptions& options);

// Standardised coefficients -> raw-coordinate predictor.
LinearPredictor to_predictor(const NormalEquations& eq, const Eigen::VectorXd& beta);

// Fits one model on `train` with a fixed alpha.
LinearPredictor fit_fixed_alpha(const stats::Moments& train, int n_features, Regularization reg,
                                double alpha, const LassoOptions& lasso = {});

// Sum of squared residuals of `p` against component `target` of the moment vector, on the
// samples summarised by `test` (centred moments: M about the test mean):
//   SS = v^T M v + n (mean_t - b - w.mean_x)^2,   v = [-w; 1] on (x, target),
// M_xx w formed in double and the cancelling scalar terms combined in long double, so the
// evaluation adds no more than the rounding already in M. That rounding bounds how negative the computed v^T M v can
// be when the true value is ~0:  |error| <= residual_rounding_bound(n, p) (sum_i |v_i| sqrt(M_ii))^2
// (the sum bounds |v|^T |M| |v| by Cauchy-Schwarz). A value within that bound below 0 is 0; a
// value further below 0 is a bug or corrupt moments and throws std::runtime_error.
// Cost O(p^2).
double residual_rounding_bound(std::int64_t n, int n_features);
double sum_squared_residuals(const stats::Moments& test, int n_features, int target,
                             const LinearPredictor& p);

// The same for the predictors (weights.col(a), intercepts(a)) at once: M_xx W as one symmetric
// matrix-matrix product; column a equals the single-predictor value to rounding (plain twin).
Eigen::VectorXd sum_squared_residuals(const stats::Moments& test, int n_features, int target,
                                      const Eigen::MatrixXd& weights, const Eigen::VectorXd& intercepts);

// R^2 = 1 - SS_res / SS_tot on `test` (SS_tot around the test set's own mean); scikit-learn's
// convention for SS_tot = 0: 1 if SS_res = 0, else 0.
double r2_score(const stats::Moments& test, int n_features, int target, const LinearPredictor& p);
// r2_score of the predictors (weights.col(a), intercepts(a)), from the batched residuals above.
Eigen::VectorXd r2_scores(const stats::Moments& test, int n_features, int target, const Eigen::MatrixXd& weights,
                          const Eigen::VectorXd& intercepts);

}  // namespace igbench::fit
