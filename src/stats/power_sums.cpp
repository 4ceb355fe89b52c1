#include "igbench/stats/power_sums.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <stdexcept>

#if defined(__FMA__) && defined(__AVX__)
#include <immintrin.h>
#endif

namespace igbench::stats {

namespace {

// 4 doubles: one AVX register, or two SSE registers without AVX (same results: the lanes and
// their order are the same; only the fused multiply-add differs by instruction set, as
// everywhere in igbench_codegen).
#if defined(__FMA__) && defined(__AVX__)
using v4d = __m256d;
inline v4d fmadd(v4d a, v4d b, v4d c) { return _mm256_fmadd_pd(a, b, c); }
#else
typedef double v4d __attribute__((vector_size(32)));
inline v4d fmadd(v4d a, v4d b, v4d c) { return a * b + c; }
#endif

inline v4d load(const double* p) {
  v4d v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store(double* p, v4d v) { std::memcpy(p, &v, sizeof v); }

// A register tile: MR columns of a block's A side held in registers, each loaded column of its B
// side (NR of them) multiplied with all MR (MR x NR <= 12 accumulators; 16 ymm registers hold
// them, the MR columns and the loaded one). Loads per multiply-add (MR + NR) / (MR NR): 7/12 for
// 3 x 4, so the kernel is bound by the multiply-adds, not by the loads.
constexpr int max_accumulators = 12;
constexpr int max_rows = 3;

// Independent accumulator sets: a tile of few products would otherwise wait on the latency of
// its own multiply-adds (one chain per accumulator).
template <int N>
constexpr int unroll = N >= 6 ? 1 : (N >= 3 ? 2 : 4);
constexpr std::size_t row_multiple = 16;  // 4 rows per vector x the largest unroll

// For m < MR, n < NR: lanes[4 (m rs + n cs) .. + 3] += sum over samples of a[m] * b[n]: U sets
// of accumulators, set u taking samples 4u .. 4u + 3 of every 4U, added in a fixed order at the
// end. rows % 4U == 0.
template <int MR, int NR>
void tile(const double* const* a, const double* const* b, std::size_t rows, double* lanes,
          std::size_t rs, std::size_t cs) {
  constexpr int U = unroll<MR * NR>;
  v4d acc[U][MR][NR];
  for (int u = 0; u < U; ++u)
    for (int m = 0; m < MR; ++m)
      for (int n = 0; n < NR; ++n) acc[u][m][n] = v4d{0.0, 0.0, 0.0, 0.0};
  for (std::size_t s = 0; s < rows; s += 4 * U) {
    for (int u = 0; u < U; ++u) {
      v4d x[MR];
      for (int m = 0; m < MR; ++m) x[m] = load(a[m] + s + 4 * u);
      for (int n = 0; n < NR; ++n) {
        const v4d z = load(b[n] + s + 4 * u);
        for (int m = 0; m < MR; ++m) acc[u][m][n] = fmadd(x[m], z, acc[u][m][n]);
      }
    }
  }
  for (int m = 0; m < MR; ++m)
    for (int n = 0; n < NR; ++n) {
      v4d sum = acc[0][m][n];
      if constexpr (U == 2) sum = sum + acc[1][m][n];
      if constexpr (U == 4) sum = (sum + acc[1][m][n]) + (acc[2][m][n] + acc[3][m][n]);
      double* l = lanes + 4 * (static_cast<std::size_t>(m) * rs + static_cast<std::size_t>(n) * cs);
      store(l, load(l) + sum);
    }
}

using TileFn = void (*)(const double* const*, const double* const*, std::size_t, double*,
                        std::size_t, std::size_t);

template <int MR, int... N>
constexpr std::array<TileFn, max_accumulators + 1> tile_row(std::integer_sequence<int, N...>) {
  // Entry NR (1 <= NR <= max_accumulators / MR) is tile<MR, NR>; the rest null.
  return {nullptr, ((N + 1) * MR <= max_accumulators ? &tile<MR, ((N + 1) * MR <= max_accumulators ? N + 1 : 1)>
                                                     : nullptr)...};
}

// tile_table[MR][NR] = tile<MR, NR>.
const std::array<std::array<TileFn, max_accumulators + 1>, max_rows + 1> tile_table = {
    std::array<TileFn, max_accumulators + 1>{},
    tile_row<1>(std::make_integer_sequence<int, max_accumulators>{}),
    tile_row<2>(std::make_integer_sequence<int, max_accumulators>{}),
    tile_row<3>(std::make_integer_sequence<int, max_accumulators>{})};

// Rows of the next register tile when `left` rows of a block remain: 3 at a time, but 2 + 2
// rather than 3 + 1 (a single row is bound by its loads).
int tile_rows(int left) { return left == 4 ? 2 : std::min(max_rows, left); }

}  // namespace

void PowerSums::add(const PowerSums& other) {
  if (other.n == 0) return;
  if (n == 0) {
    *this = other;
    return;
  }
  if (other.sums.size() != sums.size()) throw std::invalid_argument("PowerSums::add: size mismatch");
  n += other.n;
  for (std::size_t r = 0; r < sums.size(); ++r) sums[r] += other.sums[r];
}

void ProductAccumulator::reset(const features::ProductClasses& classes) {
  classes_ = &classes;
  lanes_.assign(4 * static_cast<std::size_t>(classes.n_reps()), 0.0);
  // The register tiles of every block: its smaller side in registers.
  tiles_.clear();
  for (int k = 0; k < classes.n_blocks(); ++k) {
    const features::ProductClasses::Block& blk = classes.block(k);
    const bool swap = blk.a.size() > blk.b.size();
    const std::vector<int>& rows = swap ? blk.b : blk.a;
    const std::vector<int>& cols = swap ? blk.a : blk.b;
    const auto nb = static_cast<int>(blk.b.size());
    const int rs = swap ? 1 : nb, cs = swap ? nb : 1;  // rep offset per row / column
    for (int m0 = 0; m0 < static_cast<int>(rows.size());) {
      const int mr = tile_rows(static_cast<int>(rows.size()) - m0);
      const int max_nr = max_accumulators / mr;
      for (int n0 = 0; n0 < static_cast<int>(cols.size()); n0 += max_nr) {
        Tile t;
        t.mr = mr;
        t.nr = std::min(max_nr, static_cast<int>(cols.size()) - n0);
        for (int m = 0; m < t.mr; ++m) t.a[static_cast<std::size_t>(m)] = rows[static_cast<std::size_t>(m0 + m)];
        for (int n = 0; n < t.nr; ++n) t.b[static_cast<std::size_t>(n)] = cols[static_cast<std::size_t>(n0 + n)];
        t.rep = blk.rep_begin + m0 * rs + n0 * cs;
        t.rs = rs;
        t.cs = cs;
        tiles_.push_back(t);
      }
      m0 += mr;
    }
  }
}

void ProductAccumulator::add_block(const double* cols, std::size_t ld, std::size_t rows) {
  const double* a[max_rows];
  const double* b[max_accumulators];
  for (const Tile& t : tiles_) {
    for (int m = 0; m < t.mr; ++m) a[m] = cols + static_cast<std::size_t>(t.a[static_cast<std::size_t>(m)]) * ld;
    for (int n = 0; n < t.nr; ++n) b[n] = cols + static_cast<std::size_t>(t.b[static_cast<std::size_t>(n)]) * ld;
    tile_table[static_cast<std::size_t>(t.mr)][static_cast<std::size_t>(t.nr)](
        a, b, rows, lanes_.data() + 4 * static_cast<std::size_t>(t.rep), static_cast<std::size_t>(t.rs),
        static_cast<std::size_t>(t.cs));
  }
}

void ProductAccumulator::reduce_into(PowerSums& out) const {
  out.sums.resize(lanes_.size() / 4);
  for (std::size_t r = 0; r < out.sums.size(); ++r) {
    const double* l = lanes_.data() + 4 * r;
    out.sums[r] = (l[0] + l[1]) + (l[2] + l[3]);
  }
}

std::size_t block_rows(int n_columns) {
  // 128 KiB: K = 5 (58 columns, 272 rows) stays in L2 while every tile's accumulators are
  // flushed to the lanes only once per 272 rows (measured 6% faster than 64 KiB / 140 rows; the
  // 3 x 4 tiles load 7 vectors per 12 multiply-adds, so L2 bandwidth is not the limit); at least
  // 128 rows so the loop over a tile's rows outweighs its setup and lane update (K = 10 ran 1.6x
  // slower at 16 rows than at 128, 1.4x at 32); at most 512.
  constexpr std::size_t budget = 128 * 1024;
  const std::size_t rows = budget / (8 * static_cast<std::size_t>(n_columns)) / row_multiple * row_multiple;
  return std::clamp<std::size_t>(rows, 128, 512);
}

void chunk_power_sums(const scm::SampleChunk& chunk, const features::ShiftOrigin& origin,
                      const features::PolynomialFeatures& phi,
                      const features::ProductClasses& classes, PowerSums& out,
                      PowerSumScratch& scratch) {
  const std::size_t rows = block_rows(classes.n_columns());
  const std::size_t cols = static_cast<std::size_t>(classes.n_columns());
  if (scratch.block.size() < rows * cols) scratch.block.resize(rows * cols);
  scratch.products.reset(classes);
  for (std::size_t first = 0; first < chunk.n; first += rows) {
    const std::size_t count = std::min(rows, chunk.n - first);
    const std::size_t ld = (count + row_multiple - 1) / row_multiple * row_multiple;  // zero-padded
    features::fill_shifted_columns(chunk, first, count, origin, phi, scratch.block.data(), ld);
    scratch.products.add_block(scratch.block.data(), ld, ld);
  }
  out.n = static_cast<std::int64_t>(chunk.n);
  scratch.products.reduce_into(out);
}

ShiftedMoments shifted_to_moments(const PowerSums& ps, const features::ProductClasses& cl,
                                  const features::ShiftOrigin& origin,
                                  const features::PolynomialFeatures& phi) {
  const int P = phi.size();
  const int dim = P + 1;  // Moments layout: feature q at q - 1, y at P - 1, mu at P
  ShiftedMoments out;
  if (ps.n == 0) {
    out.moments = Moments(dim);
    out.t = Eigen::VectorXd::Zero(dim);
    return out;
  }
  const double n = static_cast<double>(ps.n);
  auto S = [&](int q, int r) {
    const int rep = cl.rep_of(q, r);
    return rep < 0 ? n : ps.sums[static_cast<std::size_t>(rep)];
  };

  // Shifted means and centred co-moments (columns 1..P+1 of z' -> indices 0..dim-1).
  Eigen::VectorXd mean_s(dim);
  for (int q = 1; q <= dim; ++q) mean_s(q - 1) = S(0, q) / n;
  Eigen::MatrixXd Ms(dim, dim);
  for (int r = 1; r <= dim; ++r) {
    const double sr = S(0, r);
    for (int q = r; q <= dim; ++q) Ms(q - 1, r - 1) = S(q, r) - S(0, q) * (sr / n);
  }
  Ms.triangularView<Eigen::StrictlyUpper>() = Ms.transpose();

  // T_t = coef_t phi_gamma(c), from phi(c).
  std::vector<double> phi_c(static_cast<std::size_t>(P));
  phi.expand(origin.action.data(), phi_c.data());
  auto T = [&](int t) { return cl.term_coef(t) * phi_c[static_cast<std::size_t>(cl.term_gamma(t))]; };

  // apply: Y.col(alpha) = sum_beta T_{alpha beta} X.col(beta) (beta >= 1; y and mu unchanged),
  // i.e. Y = X T~^T with T~ = diag(T, 1, 1).
  auto apply = [&](const Eigen::MatrixXd& X, Eigen::MatrixXd& Y) {
    Y.resize(dim, dim);
    for (int a = 1; a < P; ++a) {
      auto y = Y.col(a - 1);
      y.setZero();
      for (int t = cl.term_begin(a); t < cl.term_begin(a + 1); ++t)
        if (cl.term_beta(t) != 0) y += T(t) * X.col(cl.term_beta(t) - 1);
    }
    Y.col(P - 1) = X.col(P - 1);
    Y.col(P) = X.col(P);
  };
  // apply(X) = X T~^T. V = apply(M') = M' T~^T; M = T~ V = (V^T T~^T)^T = apply(V^T)^T = apply(V^T)
  // (M is symmetric). Each intermediate is released once used: at most two P x P matrices at a
  // time. Cost 2 nnz(T) dim multiply-adds.
  Eigen::MatrixXd V, M;
  apply(Ms, V);
  Ms = Eigen::MatrixXd();
  const Eigen::MatrixXd W = V.transpose();
  V = Eigen::MatrixXd();
  apply(W, M);
  M.triangularView<Eigen::StrictlyUpper>() = M.transpose();

  Eigen::VectorXd mean(dim);
  out.t.resize(dim);
  for (int a = 1; a < P; ++a) {
    double m = 0, t_a = 0;
    for (int t = cl.term_begin(a); t < cl.term_begin(a + 1); ++t) {
      const int beta = cl.term_beta(t);
      m += T(t) * (beta == 0 ? 1.0 : mean_s(beta - 1));
      if (beta != 0) t_a += std::abs(T(t)) * std::sqrt(S(beta, beta));
    }
    mean(a - 1) = m;
    out.t(a - 1) = t_a;
  }
  mean(P - 1) = mean_s(P - 1) + origin.y;
  mean(P) = mean_s(P) + origin.mu;
  out.t(P - 1) = std::sqrt(S(P, P));
  out.t(P) = std::sqrt(S(P + 1, P + 1));

  for (int i = 0; i < dim; ++i) {
    if (out.t(i) == 0) continue;  // the column is exactly 0 in z': its moments are exact
    const double m_ii = M(i, i);
    const double rho = m_ii > 0 ? out.t(i) / std::sqrt(m_ii) : std::numeric_limits<double>::infinity();
    double& amp = i == P ? out.mu_amplification : out.amplification;
    amp = std::isnan(rho) ? std::numeric_limits<double>::infinity() : std::max(amp, rho);
  }
  out.moments = Moments::from_parts(ps.n, std::move(mean), std::move(M));
  return out;
}

Moments with_last_column_of(const Moments& base, const Moments& from) {
  if (base.dim() != from.dim() || base.count() != from.count())
    throw std::invalid_argument("with_last_column_of: moments of different parts");
  if (base.dim() == 0) return base;
  const Eigen::Index last = base.dim() - 1;
  Eigen::VectorXd mean = base.mean();
  Eigen::MatrixXd M = base.comoment();
  mean(last) = from.mean()(last);
  M.col(last) = from.comoment().col(last);
  M.row(last) = from.comoment().row(last);
  return Moments::from_parts(base.count(), std::move(mean), std::move(M));
}

double error_gamma(std::int64_t n, std::int64_t chunk_samples, int max_terms) {
  const double u = std::numeric_limits<double>::epsilon() / 2;
  const double lane = static_cast<double>(std::min(n, chunk_samples)) / 4;
  const double chunks = std::ceil(static_cast<double>(n) / static_cast<double>(chunk_samples));
  return (3 * lane + 2 * max_terms + 8 + 3 * std::ceil(std::log2(std::max(1.0, chunks)) + 1)) * u;
}

}  // namespace igbench::stats
