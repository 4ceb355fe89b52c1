#include "igbench/random/distributions.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "igbench/random/exp_batch.hpp"
#include "igbench/random/lanes4.hpp"
#include "igbench/random/log_batch.hpp"

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace igbench::random {

namespace {

using namespace lanes4;  // u64x4, f64x4, fma4, select4, ... (random/lanes4.hpp)

constexpr std::size_t batch = 128;  // samples per pass (the tail lists live on the stack)
constexpr std::size_t slack = 4;    // the vector compaction stores 4 lanes past the list's end

#if defined(__AVX2__)
// The tail lanes of 4 as a lane permutation, for each 4-bit mask of tail lanes: the selected
// lanes first, in order (doubles as pairs of 32-bit words for vpermd; indices as lane numbers).
struct CompressTables {
  alignas(32) std::int32_t words[16][8] = {};
  alignas(16) std::int32_t lanes[16][4] = {};
  constexpr CompressTables() {
    for (int mask = 0; mask < 16; ++mask) {
      int n = 0;
      for (int l = 0; l < 4; ++l)
        if ((mask >> l) & 1) {
          words[mask][2 * n] = 2 * l;
          words[mask][2 * n + 1] = 2 * l + 1;
          lanes[mask][n++] = l;
        }
    }
  }
};
constexpr CompressTables compress_tables;

// Appends p[i] and i for the i < m (a multiple of 4) with !(|p[i] - 1/2| <= 0.425) (NaN
// included), as normal_quantile_is_central, to tail_p / tail_index; returns the count. Per 4
// samples one compare, one movemask, two permutes and two unaligned stores of 4 lanes (the list
// buffers need `slack` entries past the end), no branch.
std::size_t list_tails4(const double* p, std::size_t m, double* tail_p, std::uint32_t* tail_index) {
  const __m256d half = _mm256_set1_pd(0.5), bound = _mm256_set1_pd(0.425);
  const __m256d abs_mask = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7fffffffffffffffLL));
  std::size_t n = 0;
  for (std::size_t i = 0; i < m; i += 4) {
    const __m256d v = _mm256_loadu_pd(p + i);
    const __m256d d = _mm256_and_pd(_mm256_sub_pd(v, half), abs_mask);
    const int mask = _mm256_movemask_pd(_mm256_cmp_pd(d, bound, _CMP_NLE_UQ));
    const __m256i words = _mm256_load_si256(reinterpret_cast<const __m256i*>(compress_tables.words[mask]));
    _mm256_storeu_pd(tail_p + n, _mm256_castps_pd(_mm256_permutevar8x32_ps(_mm256_castpd_ps(v), words)));
    const __m128i lanes = _mm_load_si128(reinterpret_cast<const __m128i*>(compress_tables.lanes[mask]));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(tail_index + n),
                     _mm_add_epi32(lanes, _mm_set1_epi32(static_cast<int>(i))));
    n += static_cast<std::size_t>(__builtin_popcount(static_cast<unsigned>(mask)));
  }
  return n;
}
#endif

// The same list, sample by sample (branch-free: each sample is written, the count advances on
// tails only).
std::size_t list_tails(const double* p, std::size_t m, double* tail_p, std::uint32_t* tail_index) {
  std::size_t n = 0, i = 0;
#if defined(__AVX2__)
  n = list_tails4(p, m & ~std::size_t{3}, tail_p, tail_index);
  i = m & ~std::size_t{3};
#endif
  for (; i < m; ++i) {
    tail_p[n] = p[i];
    tail_index[n] = static_cast<std::uint32_t>(i);
    n += normal_quantile_is_central(p[i]) ? 0 : 1;
  }
  return n;
}


// x <- mean + s Phi^{-1}(x), per sample the expression of draw. The ~15% of samples in
// the tails are listed first (without branches); the central rational approximation then runs
// over every sample and the tails' steps each over the list, 4 lanes at a time (the list padded
// to a multiple of 4 with p = 1/4), the log by log_batch (std::log's values), the rational
// function of r > 5 (p < 1.4e-11) sample by sample. The selects compute both sides and blend:
// 1 - p and -z are the roundings (or exact negations) of normal_quantile_tail.
void normal_in_place_batch(double* x, std::size_t m, double mean, double s) {
  std::uint32_t tail_index[batch + slack];
  double tail_p[batch + slack], tail_r[batch + slack], tail_z[batch + slack];
  const std::size_t n_tail = list_tails(x, m, tail_p, tail_index);
  for (std::size_t i = 0; i < m; ++i) x[i] = mean + s * normal_quantile_central(x[i] - 0.5);
  if (n_tail == 0) return;
  const std::size_t n4 = (n_tail + 3) & ~std::size_t{3};
  std::fill(tail_p + n_tail, tail_p + n4, 0.25);
  // r = sqrt(-log(min(p, 1 - p))), z = -+R(r), as normal_quantile_tail
  std::size_t j4 = 0;
  do {  // n4 >= 4
    const f64x4 p = load4(tail_p + j4);
    store4(tail_r + j4, select4(reinterpret_cast<u64x4>(p - 0.5 < 0.0), p, 1.0 - p));
    j4 += 4;
  } while (j4 < n4);
  log_batch(tail_r, tail_r, n4);
  for (std::size_t j = 0; j < n4; ++j) tail_r[j] = std::sqrt(-tail_r[j]);
  for (std::size_t j = 0; j < n4; ++j) tail_z[j] = normal_quantile_tail_near(tail_r[j]);
  for (std::size_t j = 0; j < n4; j += 4) {
    const f64x4 z = load4(tail_z + j);
    store4(tail_z + j, select4(reinterpret_cast<u64x4>(load4(tail_p + j) - 0.5 < 0.0), -z, z));
  }
  for (std::size_t j = 0; j < n_tail; ++j)
    if (!(tail_r[j] <= 5.0)) tail_z[j] = normal_quantile_tail(tail_p[j]);
  for (std::size_t j = 0; j < n_tail; ++j) x[tail_index[j]] = mean + s * tail_z[j];
}

// x <- draw(law, x) for m <= batch samples.
void draw_in_place_batch(const NoiseSpec& law, double* x, std::size_t m) {
  switch (law.family) {
    case Family::gaussian:
      normal_in_place_batch(x, m, law.mean, law.param);
      break;
    case Family::uniform:
      for (std::size_t i = 0; i < m; ++i) x[i] = law.mean + law.param * sqrt3 * (2.0 * x[i] - 1.0);
      break;
    case Family::logistic: {
      const double scale = logistic_scale(law.param);
      for (std::size_t i = 0; i < m; ++i) x[i] = x[i] / (1.0 - x[i]);
      log_batch(x, x, m);
      for (std::size_t i = 0; i < m; ++i) x[i] = law.mean + scale * x[i];
      break;
    }
    case Family::lognormal:
      normal_in_place_batch(x, m, law.mean, law.param);
      exp_batch(x, x, m);
      break;
  }
}

}  // namespace

void draw_in_place(const NoiseSpec& law, double* x, std::size_t n) {
  for (std::size_t i = 0; i < n; i += batch) draw_in_place_batch(law, x + i, std::min(batch, n - i));
}

std::string_view family_name(Family f) {
  switch (f) {
    case Family::gaussian: return "gaussian";
    case Family::uniform: return "uniform";
    case Family::logistic: return "logistic";
    case Family::lognormal: return "lognormal";
  }
  return "?";
}

Family parse_family(std::string_view name) {
  for (Family f : {Family::gaussian, Family::uniform, Family::logistic, Family::lognormal})
    if (family_name(f) == name) return f;
  throw std::invalid_argument("unknown noise family '" + std::string(name) + "'");
}

double expectation(const NoiseSpec& spec) {
  if (spec.family == Family::lognormal) return std::exp(spec.mean + spec.param * spec.param / 2.0);
  return spec.mean;
}

double standard_deviation(const NoiseSpec& spec) {
  if (spec.family == Family::lognormal) {
    const double s2 = spec.param * spec.param;
    return std::sqrt(std::expm1(s2) * std::exp(2.0 * spec.mean + s2));
  }
  return spec.param;
}

double second_moment(const NoiseSpec& spec) {
  const double m = expectation(spec);
  const double s = standard_deviation(spec);
  return s * s + m * m;
}

double fourth_central_moment(const NoiseSpec& spec) {
  const double s = standard_deviation(spec);
  const double s4 = s * s * s * s;
  switch (spec.family) {
    case Family::gaussian: return 3.0 * s4;
    case Family::uniform: return 1.8 * s4;   // excess kurtosis -6/5
    case Family::logistic: return 4.2 * s4;  // excess kurtosis 6/5
    case Family::lognormal: {
      const double w = std::exp(spec.param * spec.param);
      const double excess = w * w * w * w + 2.0 * w * w * w + 3.0 * w * w - 6.0;
      return (excess + 3.0) * s4;
    }
  }
  return 0.0;
}

}  // namespace igbench::random
