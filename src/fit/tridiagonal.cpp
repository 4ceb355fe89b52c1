#include "igbench/fit/tridiagonal.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace igbench::fit {

namespace {
constexpr int shifts_per_eigenvalue = 4;  // a step keeps 1/5 of the bracket
constexpr int n_shifts = 2 * shifts_per_eigenvalue;
using Shifts = Eigen::Array<double, n_shifts, 1>;  // two AVX registers

// counts[j] = #{eigenvalues of T below x[j]}: the negative pivots of T - x[j] I = L D L^T, for
// all shifts at once (independent recurrences, one SIMD lane each). e2 = e^2. Cost O(p n_shifts).
Shifts sturm_counts(const Eigen::VectorXd& d, const Eigen::VectorXd& e2, double pivmin, const Shifts& x) {
  const Shifts tiny = Shifts::Constant(-pivmin);
  Shifts q = d(0) - x;
  q = (q.abs() < pivmin).select(tiny, q);
  Shifts negative = (q < 0.0).cast<double>();
  for (Eigen::Index i = 1; i < d.size(); ++i) {
    // q_i = (d_i - x) - e_{i-1}^2 / q_{i-1}
    q = (d(i) - x) - e2(i - 1) / q;
    q = (q.abs() < pivmin).select(tiny, q);
    negative += (q < 0.0).cast<double>();
  }
  return negative;
}

// [lo, hi] brackets an eigenvalue: count(lo) < k <= count(hi) for the eigenvalue's index k.
struct Bracket {
  double lo, hi;
  bool narrow(double abs_tol) const {
    constexpr double eps = std::numeric_limits<double>::epsilon();
    return hi - lo <= std::max(abs_tol, 2.0 * eps * std::max(std::abs(lo), std::abs(hi)));
  }
  // The 4 interior points lo + (j + 1) (hi - lo) / 5.
  void interior(double* x) const {
    const double step = (hi - lo) / (shifts_per_eigenvalue + 1);
    for (int j = 0; j < shifts_per_eigenvalue; ++j) x[j] = lo + (j + 1) * step;
  }
  // Keep the sub-interval where the count reaches k (counts ascend with x).
  void keep(const double* x, const double* count, double k) {
    for (int j = 0; j < shifts_per_eigenvalue; ++j) {
      if (count[j] >= k) {
        hi = x[j];
        return;
      }
      lo = x[j];
    }
  }
};
}  // namespace

ExtremeEigenvalues tridiagonal_extreme_eigenvalues(const Eigen::VectorXd& d, const Eigen::VectorXd& e) {
  const Eigen::Index p = d.size();
  if (p == 0) return {};
  if (p == 1) return {d(0), d(0)};
  constexpr double eps = std::numeric_limits<double>::epsilon();
  const Eigen::VectorXd e2 = e.head(p - 1).array().square();
  const double pivmin = std::numeric_limits<double>::min() * std::max(1.0, e2.maxCoeff());
  // Gershgorin interval, widened as in LAPACK's dstebz so that count(gl) = 0, count(gu) = p.
  double gl = d(0) - std::abs(e(0)), gu = d(0) + std::abs(e(0));
  for (Eigen::Index i = 1; i < p; ++i) {
    const double radius = std::abs(e(i - 1)) + (i + 1 < p ? std::abs(e(i)) : 0.0);
    gl = std::min(gl, d(i) - radius);
    gu = std::max(gu, d(i) + radius);
  }
  const double tnorm = std::max(std::abs(gl), std::abs(gu));
  const double fudge = 2.1 * tnorm * eps * static_cast<double>(p) + 2.1 * 2.0 * pivmin;
  gl -= fudge;
  gu += fudge;
  const double abs_tol = std::max(eps * tnorm, pivmin);

  Bracket low{gl, gu}, high{gl, gu};  // lambda_min: k = 1; lambda_max: k = p
  const double k_high = static_cast<double>(p);
  // Each step shrinks a bracket 5-fold; 200 steps are far beyond any double's range.
  for (int step = 0; step < 200 && !(low.narrow(abs_tol) && high.narrow(abs_tol)); ++step) {
    Shifts x;
    low.interior(x.data());
    high.interior(x.data() + shifts_per_eigenvalue);
    const Shifts count = sturm_counts(d, e2, pivmin, x);
    low.keep(x.data(), count.data(), 1.0);
    high.keep(x.data() + shifts_per_eigenvalue, count.data() + shifts_per_eigenvalue, k_high);
  }
  return {0.5 * (low.lo + low.hi), 0.5 * (high.lo + high.hi)};
}

}  // namespace igbench::fit
