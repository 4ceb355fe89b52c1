#include "igbench/fit/tridiagonal.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <Eigen/Eigenvalues>

namespace igbench::fit {

namespace {
// Reduces the first `nb` columns of the m x m block A (lower triangle) as in LAPACK's dlatrd:
// for column j, first A(j:m, j) -= V(j:m, 0:j) W(j, 0:j)^T + W(j:m, 0:j) V(j, 0:j)^T (the
// panel's earlier reflectors, applied lazily), then the reflector v_j of A(j+1:m, j) (stored in
// place with v_j(j + 1) = 1 while the panel lasts; the sub-diagonal entry beta_j goes to e(j)),
// then w_j = tau_j (A - V W^T - W V^T) v_j - (tau_j^2 / 2)(w . v_j) v_j on rows j+1..m, so that
// H_j A H_j = A - v_j w_j^T - w_j v_j^T. Cost 2 m^2 flops (the symmetric product) + O(m nb) per column.
void reduce_panel(Eigen::Block<Eigen::MatrixXd> A, Eigen::Ref<Eigen::MatrixXd> W, Eigen::Ref<Eigen::VectorXd> tau,
                  Eigen::VectorXd& e, Eigen::Index nb) {
  const Eigen::Index m = A.rows();
  Eigen::VectorXd tmp(nb);
  for (Eigen::Index j = 0; j < nb; ++j) {
    if (j > 0) {
      A.col(j).tail(m - j).noalias() -= A.block(j, 0, m - j, j) * W.row(j).head(j).transpose();
      A.col(j).tail(m - j).noalias() -= W.block(j, 0, m - j, j) * A.row(j).head(j).transpose();
    }
    const Eigen::Index r = m - j - 1;
    double h = 0.0, beta = 0.0;
    A.col(j).tail(r).makeHouseholderInPlace(h, beta);
    A(j + 1, j) = 1.0;
    tau(j) = h;
    e(j) = beta;
    const auto v = A.col(j).tail(r);
    auto w = W.col(j).tail(r);
    // (Eigen's symmetric product, two columns per step: the fused column kernel of the unblocked
    // reduction made the p = 1770 reduction 1.4x slower here)
    w.noalias() = A.bottomRightCorner(r, r).selfadjointView<Eigen::Lower>() * v;
    if (j > 0) {
      tmp.head(j).noalias() = W.block(j + 1, 0, r, j).transpose() * v;
      w.noalias() -= A.block(j + 1, 0, r, j) * tmp.head(j);
      tmp.head(j).noalias() = A.block(j + 1, 0, r, j).transpose() * v;
      w.noalias() -= W.block(j + 1, 0, r, j) * tmp.head(j);
    }
    w *= h;
    w += (-0.5 * h * w.dot(v)) * v;
  }
}
}  // namespace

void tridiagonalize_blocked(Eigen::MatrixXd& a, Eigen::VectorXd& tau, Eigen::Index block, Eigen::Index unblocked_tail) {
  const Eigen::Index n = a.rows();
  tau.resize(std::max<Eigen::Index>(n - 1, 0));
  block = std::max<Eigen::Index>(block, 1);
  Eigen::MatrixXd W(n, block);
  Eigen::VectorXd e(block);
  Eigen::Index i = 0;
  for (; n - i > std::max(unblocked_tail, block + 1); i += block) {
    const Eigen::Index m = n - i, rest = m - block;
    Eigen::Block<Eigen::MatrixXd> A = a.bottomRightCorner(m, m);
    reduce_panel(A, W.topRows(m), tau.segment(i, block), e, block);
    // A22 -= V2 W2^T + W2 V2^T on the lower triangle (LAPACK's dsyr2k)
    auto A22 = A.bottomRightCorner(rest, rest);
    const auto V2 = A.bottomLeftCorner(rest, block);
    const auto W2 = W.block(block, 0, rest, block);
    A22.triangularView<Eigen::Lower>() -= V2 * W2.transpose();
    A22.triangularView<Eigen::Lower>() -= W2 * V2.transpose();
    for (Eigen::Index j = 0; j < block; ++j) A(j + 1, j) = e(j);
  }
  if (const Eigen::Index m = n - i; m > 1) {
    Eigen::MatrixXd tail = a.bottomRightCorner(m, m);
    Eigen::VectorXd tail_tau;
    tridiagonalize_unblocked(tail, tail_tau);
    a.bottomRightCorner(m, m) = tail;
    tau.tail(m - 1) = tail_tau;
  }
}

namespace {
namespace ei = Eigen::internal;
using Packet = ei::packet_traits<double>::type;
constexpr Eigen::Index packet_size = ei::packet_traits<double>::size;

// One column of the fused pass of tridiagonalize_unblocked, on its rows j..r-1 (c points at the
// diagonal entry, m = r - j entries; v, w, vn, y indexed by row): if Update, first
//   c_k := (c_k - v_k w_j) - w_k v_j    (two fused multiply-adds; the rank-2 update of step i),
// then the symmetric product with the next reflector vn on the lower triangle:
//   y_j += c_j vn_j + sum_{k>j} c_k vn_k,   y_k += c_k vn_j (k > j).
// SIMD packets with unaligned loads, a scalar tail.
template <bool Update>
void fused_column(double* c, Eigen::Index j, Eigen::Index r, const double* v, const double* w, const double* vn,
                  double* y) {
  const double nwj = Update ? -w[j] : 0.0, nvj = Update ? -v[j] : 0.0, vnj = vn[j];
  if (Update) c[0] = std::fma(-w[j], v[j], std::fma(-v[j], w[j], c[0]));
  double dot = c[0] * vnj;
  const Packet pnwj = ei::pset1<Packet>(nwj), pnvj = ei::pset1<Packet>(nvj), pvnj = ei::pset1<Packet>(vnj);
  Packet sum = ei::pset1<Packet>(0.0);
  Eigen::Index k = j + 1;
  double* col = c - j;  // col[k] is row k
  for (; k + packet_size <= r; k += packet_size) {
    Packet a = ei::ploadu<Packet>(col + k);
    if (Update) {
      a = ei::pmadd(ei::ploadu<Packet>(v + k), pnwj, a);
      a = ei::pmadd(ei::ploadu<Packet>(w + k), pnvj, a);
      ei::pstoreu(col + k, a);
    }
    sum = ei::pmadd(a, ei::ploadu<Packet>(vn + k), sum);
    ei::pstoreu(y + k, ei::pmadd(a, pvnj, ei::ploadu<Packet>(y + k)));
  }
  double tail = 0.0;
  for (; k < r; ++k) {
    double a = col[k];
    if (Update) {
      a = std::fma(v[k], nwj, a);
      a = std::fma(w[k], nvj, a);
      col[k] = a;
    }
    tail = std::fma(a, vn[k], tail);
    y[k] = std::fma(a, vnj, y[k]);
  }
  y[j] += dot + (ei::predux(sum) + tail);
}

}  // namespace

void tridiagonalize_unblocked(Eigen::MatrixXd& a, Eigen::VectorXd& tau) {
  const Eigen::Index n = a.rows();
  tau.resize(std::max<Eigen::Index>(n - 1, 0));
  if (n < 2) return;
  const Eigen::Index ld = a.outerStride();
  Eigen::VectorXd w(n), y(n), y_next(n);
  // the first reflector and its product y = B v with the untouched trailing block
  double h = 0.0, beta = 0.0;
  a.col(0).tail(n - 1).makeHouseholderInPlace(h, beta);
  a(1, 0) = 1.0;
  y.head(n - 1).setZero();
  for (Eigen::Index j = 0; j < n - 1; ++j)
    fused_column<false>(&a(1 + j, 1 + j), j, n - 1, nullptr, nullptr, &a(1, 0), y.data());
  for (Eigen::Index i = 0; i + 1 < n; ++i) {
    // B = a(i+1:n, i+1:n), r x r; v = a(i+1:n, i) with v_0 = 1; y = B v
    const Eigen::Index r = n - i - 1;
    double* B = &a(i + 1, i + 1);
    const double* v = &a(i + 1, i);
    // w = h y - (h^2 / 2)(v . y) v, so that H B H = B - v w^T - w v^T
    auto wr = w.head(r);
    wr = h * y.head(r);
    wr += (-0.5 * h * wr.dot(a.col(i).tail(r))) * a.col(i).tail(r);
    // column 0 of B: its update, then the next reflector from its rows 1..r-1
    for (Eigen::Index k = 0; k < r; ++k) B[k] = std::fma(-w(k), v[0], std::fma(-v[k], w(0), B[k]));
    double h_next = 0.0, beta_next = 0.0;
    if (r > 1) {
      a.col(i + 1).tail(r - 1).makeHouseholderInPlace(h_next, beta_next);
      a(i + 2, i + 1) = 1.0;
      // columns 1..r-1 of B: update, and the product with the next reflector (indexed from row 1)
      const double* vn = &a(i + 1, i + 1);  // vn[k] = row k of B's column 0 = next reflector at k - 1
      y_next.head(r).setZero();
      for (Eigen::Index j = 1; j < r; ++j)
        fused_column<true>(B + j * ld + j, j, r, v, w.data(), vn, y_next.data());
      y.head(r - 1) = y_next.segment(1, r - 1);
    }
    a(i + 1, i) = beta;
    tau(i) = h;
    h = h_next;
    beta = beta_next;
  }
}

void tridiagonalize(Eigen::MatrixXd& a, Eigen::VectorXd& tau) {
  if (a.rows() >= blocked_tridiagonal_min_size)
    tridiagonalize_blocked(a, tau);
  else
    tridiagonalize_unblocked(a, tau);
}

HouseholderQ householder_q(const Eigen::MatrixXd& packed, const Eigen::VectorXd& tau) {
  return HouseholderQ(packed, tau).setLength(std::max<Eigen::Index>(packed.rows() - 1, 0)).setShift(1);
}

namespace {
constexpr Eigen::Index q_block_width = 4;  // columns per pass: one AVX register per row

// The reflectors applied to the p x 4 row-major block `x`: H_i x = x - tau_i v_i (v_i^T x), rows
// i + 1 .. p - 1, in the order H_{p-2} .. H_0 (Q x) or H_0 .. H_{p-2} (Q^T x). The 4 lanes of a
// row are independent columns; v_i^T x is summed over even and odd rows separately (two
// dependency chains), then added. Cost 4 p^2 flops per block.
void apply_reflectors(const Eigen::MatrixXd& packed, const Eigen::VectorXd& tau, double* x, bool adjoint) {
  using Row = Eigen::Array<double, 1, q_block_width>;
  const Eigen::Index p = packed.rows();
  auto row = [x](Eigen::Index k) { return Eigen::Map<Row>(x + k * q_block_width); };
  for (Eigen::Index step = 0; step + 1 < p; ++step) {
    const Eigen::Index i = adjoint ? step : p - 2 - step;
    const double* v = &packed(0, i);  // v(i + 1) = 1, v(k) = packed(k, i) below
    Row even = row(i + 1), odd = Row::Zero();
    Eigen::Index k = i + 2;
    for (; k + 1 < p; k += 2) {
      even += v[k] * row(k);
      odd += v[k + 1] * row(k + 1);
    }
    if (k < p) even += v[k] * row(k);
    const Row s = tau(i) * (even + odd);
    row(i + 1) -= s;
    for (k = i + 2; k < p; ++k) row(k) -= v[k] * s;
  }
}
}  // namespace

void apply_householder_q(const Eigen::MatrixXd& packed, const Eigen::VectorXd& tau, Eigen::Ref<Eigen::MatrixXd> x,
                         bool adjoint) {
  const Eigen::Index p = packed.rows(), m = x.cols();
  if (p < 2) return;
  Eigen::Matrix<double, Eigen::Dynamic, q_block_width, Eigen::RowMajor> block(p, q_block_width);
  for (Eigen::Index c = 0; c < m; c += q_block_width) {
    const Eigen::Index width = std::min(q_block_width, m - c);
    block.setZero();
    block.leftCols(width) = x.middleCols(c, width);
    apply_reflectors(packed, tau, block.data(), adjoint);
    x.middleCols(c, width) = block.leftCols(width);
  }
}

namespace {
// A step keeps 1/9 of the bracket: 16 recurrences in four AVX registers (p = 55: 7.1 us per call;
// 4 per eigenvalue 8.4 us, 12 per eigenvalue 8.2 us: the divisions' throughput limits it).
constexpr int shifts_per_eigenvalue = 8;
constexpr int n_shifts = 2 * shifts_per_eigenvalue;
using Shifts = Eigen::Array<double, n_shifts, 1>;

// counts[j] = #{eigenvalues of T below x[j]}: the negative pivots of T - x[j] I = L D L^T, for
// all shifts at once (independent recurrences, one SIMD lane each). e2 = e^2. Cost O(p n_shifts).
Shifts sturm_counts(const Eigen::VectorXd& d, const Eigen::VectorXd& e2, double pivmin, const Shifts& x) {
  // Written in Eigen's packet primitives: the compiler turned Eigen's select on the arrays (and
  // plain loops over the lanes) into scalar code with a division per lane.
  constexpr int n_packets = n_shifts / static_cast<int>(packet_size);
  static_assert(n_shifts % packet_size == 0);
  const Packet piv = ei::pset1<Packet>(pivmin), tiny = ei::pset1<Packet>(-pivmin);
  const Packet zero = ei::pset1<Packet>(0.0), one = ei::pset1<Packet>(1.0);
  Packet xs[n_packets], q[n_packets], negative[n_packets];
  // a pivot of magnitude below pivmin becomes -pivmin
  const auto pivot = [&](const Packet& t) { return ei::pselect(ei::pcmp_lt(ei::pabs(t), piv), tiny, t); };
  for (int k = 0; k < n_packets; ++k) {
    xs[k] = ei::ploadu<Packet>(x.data() + k * packet_size);
    q[k] = pivot(ei::psub(ei::pset1<Packet>(d(0)), xs[k]));
    negative[k] = ei::pand(ei::pcmp_lt(q[k], zero), one);
  }
  for (Eigen::Index i = 1; i < d.size(); ++i) {
    // q_i = (d_i - x) - e_{i-1}^2 / q_{i-1}
    const Packet di = ei::pset1<Packet>(d(i)), ei2 = ei::pset1<Packet>(e2(i - 1));
    for (int k = 0; k < n_packets; ++k) {
      q[k] = pivot(ei::psub(ei::psub(di, xs[k]), ei::pdiv(ei2, q[k])));
      negative[k] = ei::padd(negative[k], ei::pand(ei::pcmp_lt(q[k], zero), one));
    }
  }
  Shifts counts;
  for (int k = 0; k < n_packets; ++k) ei::pstoreu(counts.data() + k * packet_size, negative[k]);
  return counts;
}

// [lo, hi] brackets an eigenvalue: count(lo) < k <= count(hi) for the eigenvalue's index k.
struct Bracket {
  double lo, hi;
  bool narrow(double abs_tol) const {
    constexpr double eps = std::numeric_limits<double>::epsilon();
    return hi - lo <= std::max(abs_tol, 2.0 * eps * std::max(std::abs(lo), std::abs(hi)));
  }
  // The interior points lo + (j + 1) (hi - lo) / (shifts_per_eigenvalue + 1).
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

namespace {
// The Gershgorin interval [gl, gu] of T, widened as in LAPACK's dstebz so that count(gl) = 0 and
// count(gu) = p, and tnorm = max(|gl|, |gu|) >= ||T||_2 before the widening. p >= 2, finite.
struct Gershgorin {
  double gl, gu, tnorm, pivmin;
  Eigen::VectorXd e2;
};
Gershgorin gershgorin(const Eigen::VectorXd& d, const Eigen::VectorXd& e) {
  constexpr double eps = std::numeric_limits<double>::epsilon();
  const Eigen::Index p = d.size();
  Gershgorin g;
  g.e2 = e.head(p - 1).array().square();
  g.pivmin = std::numeric_limits<double>::min() * std::max(1.0, g.e2.maxCoeff());
  g.gl = d(0) - std::abs(e(0));
  g.gu = d(0) + std::abs(e(0));
  for (Eigen::Index i = 1; i < p; ++i) {
    const double radius = std::abs(e(i - 1)) + (i + 1 < p ? std::abs(e(i)) : 0.0);
    g.gl = std::min(g.gl, d(i) - radius);
    g.gu = std::max(g.gu, d(i) + radius);
  }
  g.tnorm = std::max(std::abs(g.gl), std::abs(g.gu));
  const double fudge = 2.1 * g.tnorm * eps * static_cast<double>(p) + 2.1 * 2.0 * g.pivmin;
  g.gl -= fudge;
  g.gu += fudge;
  return g;
}
}  // namespace

ExtremeEigenvalues tridiagonal_extreme_eigenvalues(const Eigen::VectorXd& d, const Eigen::VectorXd& e) {
  const Eigen::Index p = d.size();
  if (p == 0) return {};
  if (p == 1) return {d(0), d(0)};
  if (!d.allFinite() || !e.head(p - 1).allFinite())
    return {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
  constexpr double eps = std::numeric_limits<double>::epsilon();
  const Gershgorin g = gershgorin(d, e);
  const double abs_tol = std::max(eps * g.tnorm, g.pivmin);

  Bracket low{g.gl, g.gu}, high{g.gl, g.gu};  // lambda_min: k = 1; lambda_max: k = p
  const double k_high = static_cast<double>(p);
  // Each step shrinks a bracket 9-fold; 200 steps are far beyond any double's range.
  for (int step = 0; step < 200 && !(low.narrow(abs_tol) && high.narrow(abs_tol)); ++step) {
    Shifts x;
    low.interior(x.data());
    high.interior(x.data() + shifts_per_eigenvalue);
    const Shifts count = sturm_counts(d, g.e2, g.pivmin, x);
    low.keep(x.data(), count.data(), 1.0);
    high.keep(x.data() + shifts_per_eigenvalue, count.data() + shifts_per_eigenvalue, k_high);
  }
  return {0.5 * (low.lo + low.hi), 0.5 * (high.lo + high.hi)};
}

SpectrumBounds tridiagonal_spectrum_bounds(const Eigen::VectorXd& d, const Eigen::VectorXd& e) {
  const Eigen::Index p = d.size();
  if (p < 2 || !d.allFinite() || !e.head(std::max<Eigen::Index>(p - 1, 0)).allFinite()) return {};
  constexpr double eps = std::numeric_limits<double>::epsilon();
  const Gershgorin g = gershgorin(d, e);
  SpectrumBounds b;
  b.upper = g.gu;
  const double x = (2.0 * static_cast<double>(p) + 32.0) * eps * g.tnorm;
  if (x > 0.0 && sturm_counts(d, g.e2, g.pivmin, Shifts::Constant(x))(0) == 0.0) {
    b.lower = x;
    b.certified = true;
  }
  return b;
}

}  // namespace igbench::fit
