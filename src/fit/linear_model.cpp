#include "igbench/fit/linear_model.hpp"
#include "igbench/fit/tridiagonal.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <algorithm>
#include <Eigen/Eigenvalues>

namespace igbench::fit {

std::string_view regularization_name(Regularization r) {
  return r == Regularization::lasso ? "lasso" : "ridge";
}

Regularization parse_regularization(std::string_view name) {
  if (name == "ridge") return Regularization::ridge;
  if (name == "lasso") return Regularization::lasso;
  throw std::invalid_argument("unknown regularization '" + std::string(name) +
                              "' (choose ridge or lasso)");
}

LinearPredictor LinearPredictor::combine(double a, const LinearPredictor& p, double b,
                                         const LinearPredictor& q) {
  LinearPredictor r;
  r.intercept = a * p.intercept + b * q.intercept;
  r.weights = a * p.weights + b * q.weights;
  return r;
}

bool is_near_constant(double var, double mean, std::int64_t n) {
  constexpr double eps = std::numeric_limits<double>::epsilon();
  const double nd = static_cast<double>(n);
  const double bound = nd * eps * var + (nd * mean * eps) * (nd * mean * eps);
  return var <= bound;
}

NormalEquations normal_equations(const stats::Moments& train, int n_features, int target) {
  const int p = n_features;
  NormalEquations eq;
  eq.n = train.count();
  const double n = static_cast<double>(eq.n);
  const Eigen::MatrixXd& M = train.comoment();
  eq.x_mean = train.mean().head(p);
  eq.y_mean = train.mean()(target);
  eq.scale.resize(p);
  for (int j = 0; j < p; ++j) {
    const double var = M(j, j) / n;
    eq.scale(j) = is_near_constant(var, eq.x_mean(j), eq.n) ? 1.0 : std::sqrt(var);
  }
  const Eigen::VectorXd inv = eq.scale.cwiseInverse();
  // G = D^-1 M_xx D^-1, r = D^-1 M_xy
  eq.gram = inv.asDiagonal() * M.topLeftCorner(p, p) * inv.asDiagonal();
  eq.rhs = inv.asDiagonal() * M.col(target).head(p);
  eq.y_ss = M(target, target);
  return eq;
}

RidgeSystem ridge_system(const NormalEquations& eq, bool condition_needed) {
  RidgeSystem s;
  const Eigen::Index p = eq.gram.rows();
  if (p == 0) return s;
  s.packed = eq.gram;
  tridiagonalize(s.packed, s.tau);
  s.diagonal = s.packed.diagonal();
  s.sub_diagonal = s.packed.diagonal(-1);
  s.Qt_r = eq.rhs;
  apply_householder_q(s.packed, s.tau, s.Qt_r, true);
  if (!condition_needed) {
    const SpectrumBounds bounds = tridiagonal_spectrum_bounds(s.diagonal, s.sub_diagonal);
    if (bounds.certified) {
      s.lambda_min = bounds.lower;
      s.lambda_max = bounds.upper;
      s.exact_extremes = false;
      return s;
    }
  }
  const ExtremeEigenvalues lambda = tridiagonal_extreme_eigenvalues(s.diagonal, s.sub_diagonal);
  if (!std::isfinite(lambda.min) || !std::isfinite(lambda.max))
    throw std::runtime_error("ridge: the Gram matrix is not finite (its eigenvalues are not numbers)");
  s.lambda_min = lambda.min;
  s.lambda_max = lambda.max;
  return s;
}

namespace {
// x = (T + alpha I)^-1 b for the SPD tridiagonal T + alpha I: LDL^T without pivoting (stable for
// SPD), forward, diagonal and back substitution. Cost O(p).
Eigen::VectorXd solve_tridiagonal(const RidgeSystem& s, double alpha, Eigen::VectorXd x) {
  const Eigen::Index p = s.diagonal.size();
  Eigen::VectorXd D(p), l(p);
  D(0) = s.diagonal(0) + alpha;
  for (Eigen::Index i = 1; i < p; ++i) {
    l(i) = s.sub_diagonal(i - 1) / D(i - 1);
    D(i) = s.diagonal(i) + alpha - l(i) * s.sub_diagonal(i - 1);
    x(i) -= l(i) * x(i - 1);
  }
  x.array() /= D.array();
  for (Eigen::Index i = p - 2; i >= 0; --i) x(i) -= l(i + 1) * x(i + 1);
  return x;
}

// The pseudo-inverse in T's eigenbasis: V (Lambda + alpha)^+ V^T b, components with
// lambda_i + alpha <= cutoff dropped. Cost O(p^3).
Eigen::VectorXd solve_truncated(const RidgeSystem& s, double alpha, double cutoff, const Eigen::VectorXd& b,
                                int& dropped) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es;
  es.computeFromTridiagonal(s.diagonal, s.sub_diagonal, Eigen::ComputeEigenvectors);
  if (es.info() != Eigen::Success) throw std::runtime_error("ridge: the eigenvectors of the Gram matrix did not converge");
  Eigen::VectorXd c = es.eigenvectors().transpose() * b;
  for (Eigen::Index i = 0; i < c.size(); ++i) {
    const double mu = es.eigenvalues()(i) + alpha;
    if (mu > cutoff) {
      c(i) /= mu;
    } else {
      c(i) = 0.0;
      ++dropped;
    }
  }
  return es.eigenvectors() * c;
}
}  // namespace

namespace {
// cond_2(G + alpha I) from the extreme eigenvalues; NaN when the system holds bounds only.
double condition_of(const RidgeSystem& s, double top, double bottom) {
  if (!s.exact_extremes) return std::numeric_limits<double>::quiet_NaN();
  return bottom > 0.0 ? top / bottom : std::numeric_limits<double>::infinity();
}

// solve_tridiagonal for up to 8 alphas at once, one SIMD lane each (two AVX registers): the same
// operations in the same order lane by lane, so each column is bitwise what solve_tridiagonal
// returns, with the 8 recurrences' divisions overlapping. x: p x 8, row-major, the solutions.
constexpr int ldl_lanes = 8;
using Lanes = Eigen::Array<double, 1, ldl_lanes>;
using LaneRows = Eigen::Array<double, Eigen::Dynamic, ldl_lanes, Eigen::RowMajor>;
void solve_tridiagonal_lanes(const RidgeSystem& s, const Lanes& alpha, LaneRows& x, LaneRows& l, LaneRows& D) {
  const Eigen::Index p = s.diagonal.size();
  x.resize(p, ldl_lanes);
  l.resize(p, ldl_lanes);
  D.resize(p, ldl_lanes);
  D.row(0) = s.diagonal(0) + alpha;
  x.row(0) = Lanes::Constant(s.Qt_r(0));
  for (Eigen::Index i = 1; i < p; ++i) {
    const double e = s.sub_diagonal(i - 1);
    l.row(i) = Lanes::Constant(e) / D.row(i - 1);
    D.row(i) = (s.diagonal(i) + alpha) - l.row(i) * e;
    x.row(i) = s.Qt_r(i) - l.row(i) * x.row(i - 1);
  }
  x /= D;
  for (Eigen::Index i = p - 2; i >= 0; --i) x.row(i) -= l.row(i + 1) * x.row(i + 1);
}
}  // namespace

RidgeSolution solve_ridge(const RidgeSystem& s, double alpha) {
  const Eigen::Index p = s.diagonal.size();
  RidgeSolution sol;
  if (p == 0) {
    sol.beta.resize(0);
    sol.condition = 1.0;
    return sol;
  }
  constexpr double eps = std::numeric_limits<double>::epsilon();
  const double top = s.lambda_max + alpha;
  const double bottom = s.lambda_min + alpha;
  sol.condition = condition_of(s, top, bottom);
  const double cutoff = static_cast<double>(p) * eps * std::abs(top);
  const Eigen::VectorXd x = bottom > cutoff ? solve_tridiagonal(s, alpha, s.Qt_r)
                                            : solve_truncated(s, alpha, cutoff, s.Qt_r, sol.dropped);
  sol.beta = householder_q(s.packed, s.tau) * x;  // beta = Q x
  return sol;
}

RidgePath solve_ridge_path(const RidgeSystem& s, std::span<const double> alphas) {
  const Eigen::Index p = s.diagonal.size();
  const auto m = static_cast<Eigen::Index>(alphas.size());
  RidgePath path;
  path.beta.resize(p, m);
  path.condition.resize(m);
  path.dropped = Eigen::VectorXi::Zero(m);
  if (p == 0) {
    path.condition.setOnes();
    return path;
  }
  constexpr double eps = std::numeric_limits<double>::epsilon();
  std::vector<Eigen::Index> regular;  // alphas solved by LDL^T, in lanes of 8
  for (Eigen::Index a = 0; a < m; ++a) {
    const double alpha = alphas[static_cast<std::size_t>(a)];
    const double top = s.lambda_max + alpha;
    const double bottom = s.lambda_min + alpha;
    path.condition(a) = condition_of(s, top, bottom);
    const double cutoff = static_cast<double>(p) * eps * std::abs(top);
    if (bottom > cutoff) {
      regular.push_back(a);
    } else {
      int dropped = 0;
      path.beta.col(a) = solve_truncated(s, alpha, cutoff, s.Qt_r, dropped);
      path.dropped(a) = dropped;
    }
  }
  LaneRows x, l, D;
  for (std::size_t first = 0; first < regular.size(); first += ldl_lanes) {
    const std::size_t count = std::min<std::size_t>(ldl_lanes, regular.size() - first);
    Lanes lane_alpha = Lanes::Constant(alphas[static_cast<std::size_t>(regular[first])]);  // unused lanes repeat one
    for (std::size_t j = 0; j < count; ++j) lane_alpha(static_cast<Eigen::Index>(j)) = alphas[static_cast<std::size_t>(regular[first + j])];
    solve_tridiagonal_lanes(s, lane_alpha, x, l, D);
    for (std::size_t j = 0; j < count; ++j) path.beta.col(regular[first + j]) = x.col(static_cast<Eigen::Index>(j)).matrix();
  }
  apply_householder_q(s.packed, s.tau, path.beta);  // beta = Q x, all alphas at once
  return path;
}

Eigen::VectorXd solve_ridge(const NormalEquations& eq, double alpha) {
  return solve_ridge(ridge_system(eq), alpha).beta;
}

double condition_number(const Eigen::MatrixXd& symmetric) {
  if (symmetric.rows() == 0) return 1.0;
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(symmetric, Eigen::EigenvaluesOnly);
  const double lo = es.eigenvalues()(0), hi = es.eigenvalues()(symmetric.rows() - 1);
  return lo > 0.0 ? hi / lo : std::numeric_limits<double>::infinity();
}

namespace {
double soft_threshold(double x, double t) {
  if (x > t) return x - t;
  if (x < -t) return x + t;
  return 0.0;
}

// Duality gap of  (1/2)||y_c - Z beta||^2 + l1 ||beta||_1  from Gram quantities (as in
// scikit-learn's enet_coordinate_descent_gram): H = G beta.
double lasso_duality_gap(const NormalEquations& eq, const Eigen::VectorXd& beta,
                         const Eigen::VectorXd& H, double l1) {
  const Eigen::VectorXd XtA = eq.rhs - H;  // Z^T (y_c - Z beta)
  const double dual_norm = XtA.cwiseAbs().maxCoeff();
  const double r_norm2 = std::max(0.0, eq.y_ss + beta.dot(H) - 2.0 * eq.rhs.dot(beta));
  double gap = r_norm2;
  double c = 1.0;
  if (dual_norm > l1) {
    c = l1 / dual_norm;
    gap = 0.5 * (r_norm2 + r_norm2 * c * c);
  }
  gap += l1 * beta.cwiseAbs().sum() - c * (eq.y_ss - eq.rhs.dot(beta));
  return gap;
}
}  // namespace

LassoSolution solve_lasso(const NormalEquations& eq, double alpha, const LassoOptions& options) {
  const Eigen::Index p = eq.gram.rows();
  const double l1 = alpha * static_cast<double>(eq.n);
  const double tol = options.tol * eq.y_ss;
  LassoSolution sol;
  sol.beta = Eigen::VectorXd::Zero(p);
  Eigen::VectorXd H = Eigen::VectorXd::Zero(p);  // G beta, kept up to date
  for (int sweep = 0; sweep < options.max_iter; ++sweep) {
    double max_change = 0.0, max_beta = 0.0;
    for (Eigen::Index j = 0; j < p; ++j) {
      const double gjj = eq.gram(j, j);
      if (gjj <= 0.0) continue;  // a constant feature stays at 0
      const double old = sol.beta(j);
      // rho = r_j - sum_{k != j} G_jk beta_k
      const double rho = eq.rhs(j) - H(j) + gjj * old;
      const double updated = soft_threshold(rho, l1) / gjj;
      if (updated != old) {
        H += (updated - old) * eq.gram.col(j);
        sol.beta(j) = updated;
      }
      max_change = std::max(max_change, std::abs(updated - old));
      max_beta = std::max(max_beta, std::abs(updated));
    }
    sol.sweeps = sweep + 1;
    // As scikit-learn: test the gap when the largest update is small relative to the largest
    // coefficient (or at the last sweep).
    if (max_beta == 0.0 || max_change / max_beta < options.tol || sweep == options.max_iter - 1) {
      sol.duality_gap = lasso_duality_gap(eq, sol.beta, H, l1);
      if (sol.duality_gap < tol) {
        sol.converged = true;
        break;
      }
    }
  }
  return sol;
}

LinearPredictor to_predictor(const NormalEquations& eq, const Eigen::VectorXd& beta) {
  LinearPredictor pred;
  pred.weights = beta.cwiseQuotient(eq.scale);
  pred.intercept = eq.y_mean - pred.weights.dot(eq.x_mean);
  return pred;
}

LinearPredictor fit_fixed_alpha(const stats::Moments& train, int n_features, Regularization reg,
                                double alpha, const LassoOptions& lasso) {
  const NormalEquations eq = normal_equations(train, n_features, n_features);
  const Eigen::VectorXd beta =
      reg == Regularization::ridge ? solve_ridge(eq, alpha) : solve_lasso(eq, alpha, lasso).beta;
  return to_predictor(eq, beta);
}

double residual_rounding_bound(std::int64_t n, int n_features) {
  // Each entry of M carries the rounding of its accumulation: a batch SYRK of <= p + 2 terms per
  // sample and O(log2 n) pairwise merges, each a few roundings relative to sqrt(M_ii M_jj).
  constexpr double eps = std::numeric_limits<double>::epsilon();
  return 4.0 * (static_cast<double>(n_features) + 2.0 + 2.0 * std::log2(static_cast<double>(n) + 1.0)) * eps;
}

namespace {
// SS of one predictor (w, b) given Mw = M_xx w (see the header).
double residuals_from_product(const stats::Moments& test, int P, int target, const Eigen::Ref<const Eigen::VectorXd>& w,
                              double intercept, const Eigen::Ref<const Eigen::VectorXd>& Mw) {
  const Eigen::MatrixXd& M = test.comoment();
  const Eigen::VectorXd& mean = test.mean();
  // v^T M v with v = [-w; 1]: M_tt - 2 w.M_xt + w.(M_xx w). The O(p^2) product M_xx w is formed
  // in double (vectorised; its rounding, p eps |M||w| per component, is within the bound below,
  // which already holds M's own rounding); the three O(1)-sized terms whose difference cancels
  // are combined in long double.
  long double cross = 0.0L, quad = 0.0L;
  double magnitude = std::sqrt(std::max(0.0, M(target, target)));  // sum_i |v_i| sqrt(M_ii)
  for (int j = 0; j < P; ++j) {
    cross += static_cast<long double>(w(j)) * M(j, target);
    quad += static_cast<long double>(w(j)) * Mw(j);
    magnitude += std::abs(w(j)) * std::sqrt(std::max(0.0, M(j, j)));
  }
  const long double centred = static_cast<long double>(M(target, target)) - 2.0L * cross + quad;
  const double bound = residual_rounding_bound(test.count(), P) * magnitude * magnitude;
  if (centred < -static_cast<long double>(bound))
    throw std::runtime_error("negative residual sum of squares " + std::to_string(static_cast<double>(centred)) +
                             " beyond its rounding bound " + std::to_string(bound) +
                             ": the moments are inconsistent (not positive semi-definite)");
  // mean residual = mean_t - b - w.mean_x
  long double mean_residual = static_cast<long double>(mean(target)) - intercept;
  for (int j = 0; j < P; ++j) mean_residual -= static_cast<long double>(w(j)) * mean(j);
  const long double n = static_cast<long double>(test.count());
  return static_cast<double>(std::max(0.0L, centred) + n * mean_residual * mean_residual);
}

double r2_from_residuals(const stats::Moments& test, int target, double ss_res) {
  const double ss_tot = test.comoment()(target, target);
  if (ss_tot == 0.0) return ss_res == 0.0 ? 1.0 : 0.0;
  return 1.0 - ss_res / ss_tot;
}
}  // namespace

double sum_squared_residuals(const stats::Moments& test, int n_features, int target,
                             const LinearPredictor& p) {
  const int P = n_features;
  const Eigen::VectorXd Mw = test.comoment().topLeftCorner(P, P).selfadjointView<Eigen::Lower>() * p.weights;
  return residuals_from_product(test, P, target, p.weights, p.intercept, Mw);
}

Eigen::VectorXd sum_squared_residuals(const stats::Moments& test, int n_features, int target,
                                      const Eigen::MatrixXd& weights, const Eigen::VectorXd& intercepts) {
  const int P = n_features;
  // M_xx W for all columns at once: one symmetric matrix-matrix product
  const Eigen::MatrixXd MW = test.comoment().topLeftCorner(P, P).selfadjointView<Eigen::Lower>() * weights;
  Eigen::VectorXd ss(weights.cols());
  for (Eigen::Index a = 0; a < weights.cols(); ++a)
    ss(a) = residuals_from_product(test, P, target, weights.col(a), intercepts(a), MW.col(a));
  return ss;
}

Eigen::VectorXd r2_scores(const stats::Moments& test, int n_features, int target, const Eigen::MatrixXd& weights,
                          const Eigen::VectorXd& intercepts) {
  Eigen::VectorXd r2 = sum_squared_residuals(test, n_features, target, weights, intercepts);
  for (Eigen::Index a = 0; a < r2.size(); ++a) r2(a) = r2_from_residuals(test, target, r2(a));
  return r2;
}

double r2_score(const stats::Moments& test, int n_features, int target, const LinearPredictor& p) {
  return r2_from_residuals(test, target, sum_squared_residuals(test, n_features, target, p));
}

}  // namespace igbench::fit
