#pragma once
// The fast twin of Moments::add_batch for moment vectors of polynomial features: power sums of
// shifted coordinates, converted once per part to the centred co-moments of the raw features.
//
// Shift. Per data set an origin c (features::ShiftOrigin, the mean of a pilot of its first
// samples) and the shifted columns z' = [1, phi(x), y', mu'] with x = a - c (see
// features::ProductClasses for the column order).
// Power sums. Per chunk: n and one sum S_qr = sum_s z'_q z'_r per product class (one
// representative pair per distinct monomial, every pair with y' or mu'; S_0q is the column sum of
// q). Chunks' sums are added in the fixed binary-counter order of PowerSumMerger.
// Conversion (shifted_to_moments). M'_qr = S_qr - S_0q S_0r / n (the centred co-moments of z'),
// then back to the raw features phi(a) = T phi(x) + phi(c) terms: M = T M' T^T, mean = T mean' +
// const (T: features::ProductClasses' change of basis, <= 2^d nonzeros per row).
//
// Error bound (first order in the unit roundoff u). Every S_qr is a sum of n products computed
// as 4 lane sums of <= L = chunk / 4 terms, reduced and then added over chunks pairwise, so
// |dS_qr| <= g sum_s |z'_q z'_r| <= g sqrt(S_qq S_rr) (Cauchy-Schwarz), g = (L + 2 + log2 n_chunks) u;
// the subtraction adds <= (2g + u) sqrt(S_qq S_rr) (|S_0q| <= sqrt(n S_qq)), and the
// change of basis (w <= 2^d terms per row, each product rounded) adds relative rounding 2(w + 1)u
// of the same absolute sums. Hence
//   |M_computed_ij - M_ij| <= gamma t_i t_j,   t_i = sum_k |T_ik| sqrt(S'_kk),
//   gamma = (3 L + 2 w + 8 + 3 log2 n_chunks) u      (error_gamma()).
// The plain path (centred SYRK) has error ~ gamma_plain sqrt(M_ii M_jj) with a comparable
// gamma_plain, so this path is at most rho_i rho_j times less accurate, rho_i = t_i / sqrt(M_ii)
// (the amplification: how much larger the shifted sums are than the centred spread; ~1 to 3
// when the origin is near the mean, large when the pilot misses the data's mean by many standard
// deviations or a column is (nearly) constant). accepted() requires max_i rho_i <=
// max_amplification = 16 over the feature and y columns, mu_accepted() rho_mu <= 16 (see
// ShiftedMoments): the error is then <= 256 gamma sqrt(M_ii M_jj) ~ 5e-11 sqrt(M_ii M_jj)
// at the 2048-sample chunks, at most 8 of the 52 bits, far below the sampling error of any
// moment (n^-1/2 >= 3e-4 at n <= 1e7) and below the 1e-9 relative agreement the fits need; a
// part that fails it is recomputed by the plain path, or only its mu row and column when only
// mu fails it (experiment/accumulate.cpp). Measured on
// 30 K = 5, N = 1e4 main runs when this was written: amplification median 2.9 (polynomial SCM)
// and 3.6 (linear), 99th percentile 6.1 and 16.8; 8 of 690 linear parts (1.2%) recomputed.
#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include <Eigen/Core>

#include "igbench/features/moment_vector.hpp"
#include "igbench/features/product_classes.hpp"
#include "igbench/stats/moments.hpp"

namespace igbench::stats {

inline constexpr double max_amplification = 16.0;

// The sums of one chunk or part: n and one sum per representative (ProductClasses order).
struct PowerSums {
  std::int64_t n = 0;
  std::vector<double> sums;

  void add(const PowerSums& other);  // elementwise; an empty side is a copy
};

// Adds a sequence of PowerSums in the fixed tree of PairwiseTree, like PairwiseMerger merges
// Moments (deterministic, O(log n_items) rounding growth and memory).
class PowerSumMerger {
 public:
  void push(PowerSums s) { tree_.push(std::move(s)); }
  PowerSums take() { return tree_.take({}); }  // the total; the merger is empty afterwards

 private:
  PairwiseTree<PowerSums, &PowerSums::add> tree_;
};

// Lane accumulators of the products of one chunk: 4 partial sums per representative.
// add_block() streams a block of shifted columns through register tiles of the dense
// representative blocks of features::ProductClasses: up to 3 columns of a block's smaller side
// held in registers, each loaded column of its other side multiplied with all of them (up to 12
// accumulators; 4 samples per AVX2 vector, one fused multiply-add per product, 7 loads per 12
// multiply-adds for a 3 x 4 tile). The summation order is fixed by the block sequence, never by
// threads. Cost per sample: n_reps multiply-adds (576 at K = 5, d = 3, against 1653 for the
// SYRK of add_batch).
class ProductAccumulator {
 public:
  ProductAccumulator() = default;
  explicit ProductAccumulator(const features::ProductClasses& classes) { reset(classes); }

  // Binds to `classes`, plans its register tiles and zeroes the lanes (keeps the buffers when
  // they are large enough). Cost O(n_reps).
  void reset(const features::ProductClasses& classes);
  // Adds rows [0, rows) of the column block (column q at cols + q ld; rows a multiple of 16).
  void add_block(const double* cols, std::size_t ld, std::size_t rows);
  // The lanes reduced per representative, (l0 + l1) + (l2 + l3).
  void reduce_into(PowerSums& out) const;

 private:
  // Columns a (mr of them) x columns b (nr): the product (m, n) goes to representative
  // rep + m rs + n cs.
  struct Tile {
    int mr = 0, nr = 0;
    std::array<int, 3> a{};
    std::array<int, 12> b{};
    int rep = 0, rs = 0, cs = 0;
  };
  const features::ProductClasses* classes_ = nullptr;
  std::vector<Tile> tiles_;
  std::vector<double> lanes_;  // 4 per representative
};

// Buffers of chunk_power_sums, reused across chunks (one per thread).
struct PowerSumScratch {
  std::vector<double> block;
  ProductAccumulator products;
};

// Rows per block of shifted columns: the block (n_columns x rows doubles) stays in the L1/L2
// cache while every product of its columns is accumulated. A multiple of 16.
std::size_t block_rows(int n_columns);

// The power sums of a whole chunk: fill_shifted_columns block by block, each through the
// ProductAccumulator. Cost O(n (n_reps + P)).
void chunk_power_sums(const scm::SampleChunk& chunk, const features::ShiftOrigin& origin,
                      const features::PolynomialFeatures& phi,
                      const features::ProductClasses& classes, PowerSums& out,
                      PowerSumScratch& scratch);

// The result of the conversion: raw-coordinate moments, the t_i of the error bound (dim), the
// amplification max_i t_i / sqrt(M_ii) over the feature and y columns and that of the mu column
// (rho_mu; +inf when a computed M_ii <= 0 while t_i > 0). The two are separate because the
// feature and y entries of M are computed from feature and y sums alone: whether they are
// accepted then depends on nothing a caller holding only (A, Y) lacks (the Python API, whose mu
// column is 0), and a part whose mu column alone is rejected keeps them and takes only the mu
// row and column from the plain path (with_last_column_of).
struct ShiftedMoments {
  Moments moments;
  Eigen::VectorXd t;
  double amplification = 0;
  double mu_amplification = 0;
  bool accepted() const { return amplification <= max_amplification; }
  bool mu_accepted() const { return mu_amplification <= max_amplification; }
};

// Cost O(P^2 w) (w <= 2^d), independent of n.
ShiftedMoments shifted_to_moments(const PowerSums& sums, const features::ProductClasses& classes,
                                  const features::ShiftOrigin& origin,
                                  const features::PolynomialFeatures& phi);

// `base` with the mean and the comoment row and column of the last coordinate (mu) taken from
// `from` (the same part's moments from the plain path). Cost O(dim^2).
Moments with_last_column_of(const Moments& base, const Moments& from);

// gamma of the error bound above for n samples read in chunks of chunk_samples.
double error_gamma(std::int64_t n, std::int64_t chunk_samples, int max_terms);

}  // namespace igbench::stats
