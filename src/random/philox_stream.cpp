#include "igbench/random/philox_stream.hpp"

#include <bit>
#include <cstring>
#include <vector>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace igbench::random {

namespace {

// Philox4x32-10 on 8 counters at once (Salmon et al. 2011, as Random123's philox4x32_R): round r
// uses the key bumped r times; each round
//   (hi0, lo0) = M0 x0,  (hi1, lo1) = M1 x2,  x = (hi1 ^ x1 ^ k0, lo1, hi0 ^ x3 ^ k1, lo0).
// The 32-bit words live in 64-bit lanes (GCC vector extensions, 4 lanes of a 256-bit register,
// two registers per word) so that each 32 x 32 -> 64 product is one vpmuludq and no lane
// shuffling is needed. The high halves of the lanes are never cleaned inside the rounds: x0 and
// x2 only enter the products, which read the low halves, and x1, x3 only reach x0 and x2; the
// conversion to uniforms masks them. Cost per block ~25 vector operations / 4 lanes, i.e. ~3 ns.
using u64x4 = std::uint64_t __attribute__((vector_size(32)));
using f64x4 = double __attribute__((vector_size(32)));
constexpr int vectors = 2;               // registers per word
constexpr int lanes = 4 * vectors;       // counters per call
constexpr int rounds = 10;
constexpr std::uint32_t philox_m0 = 0xD2511F53u, philox_m1 = 0xCD9E8D57u;
constexpr std::uint32_t philox_w0 = 0x9E3779B9u, philox_w1 = 0xBB67AE85u;

constexpr u64x4 broadcast(std::uint64_t x) { return u64x4{x, x, x, x}; }

// The 64-bit products of the low 32-bit halves of a and b (their high halves ignored).
inline u64x4 mul_low32(u64x4 a, u64x4 b) {
#if defined(__AVX2__)
  return reinterpret_cast<u64x4>(_mm256_mul_epu32(reinterpret_cast<__m256i>(a), reinterpret_cast<__m256i>(b)));
#else
  const u64x4 low32 = broadcast(0xffffffffULL);
  return (a & low32) * (b & low32);
#endif
}

// The round keys of a stream, each broadcast to a register: computed once per fill.
struct RoundKeys {
  u64x4 k0[rounds], k1[rounds];
  RoundKeys(std::uint32_t key0, std::uint32_t key1) {
    for (int r = 0; r < rounds; ++r) {
      k0[r] = broadcast(key0);
      k1[r] = broadcast(key1);
      key0 += philox_w0;  // 32-bit wrap-around, as Random123's key bump
      key1 += philox_w1;
    }
  }
};

// uniform_open01 on 4 lanes: (1 + k 2^-52) - 1 + 2^-53, k = the top 52 of the 64 bits hi:lo.
inline f64x4 uniform_lanes(u64x4 lo, u64x4 hi) {
  const u64x4 bits = (((hi << 32) | (lo & broadcast(0xffffffffULL))) >> 12) | broadcast(0x3FF0000000000000ULL);
  return (reinterpret_cast<f64x4>(bits) - 1.0) + 0x1p-53;
}

inline void store_lanes(double* out, f64x4 x) { std::memcpy(out, &x, sizeof x); }

// The two uniforms of each of 8 blocks, the block with 64-bit counter ctr[v][l] (and words 2, 3
// of the stream id): lo[4 v + l] from its words (0, 1), hi[4 v + l] from (2, 3).
inline void philox_uniforms8(const u64x4 (&ctr)[vectors], std::uint32_t word2, std::uint32_t word3,
                             const RoundKeys& keys, double* lo, double* hi) {
  u64x4 x0[vectors], x1[vectors], x2[vectors], x3[vectors];
  for (int v = 0; v < vectors; ++v) {
    x0[v] = ctr[v];  // the high half (counter word 1) is ignored by the first product
    x1[v] = ctr[v] >> 32;
    x2[v] = broadcast(word2);
    x3[v] = broadcast(word3);
  }
  const u64x4 m0 = broadcast(philox_m0), m1 = broadcast(philox_m1);
#pragma GCC unroll 10
  for (int r = 0; r < rounds; ++r) {
    for (int v = 0; v < vectors; ++v) {
      const u64x4 p0 = mul_low32(x0[v], m0);
      const u64x4 p1 = mul_low32(x2[v], m1);
      x0[v] = (p1 >> 32) ^ x1[v] ^ keys.k0[r];
      x1[v] = p1;
      x2[v] = (p0 >> 32) ^ x3[v] ^ keys.k1[r];
      x3[v] = p0;
    }
  }
  for (int v = 0; v < vectors; ++v) {
    store_lanes(lo + 4 * v, uniform_lanes(x0[v], x1[v]));
    store_lanes(hi + 4 * v, uniform_lanes(x2[v], x3[v]));
  }
}

// The 8 counters base + step * l, l = 0..7.
inline void counters(std::uint64_t base, std::uint64_t step, u64x4 (&ctr)[vectors]) {
  for (int v = 0; v < vectors; ++v) {
    const std::uint64_t b = base + step * static_cast<std::uint64_t>(4 * v);
    ctr[v] = u64x4{b, b + step, b + 2 * step, b + 3 * step};
  }
}

}  // namespace

void PhiloxStream::fill_uniforms(std::uint64_t first, std::size_t n, double* out) const {
  std::size_t i = 0;
  // A leading odd uniform (the high half of its block) on its own.
  if ((first & 1) != 0 && n > 0) {
    out[i++] = uniform(first);
  }
  // Whole blocks, 8 at a time: block b gives uniforms 2b and 2b + 1.
  const RoundKeys keys(key_[0], key_[1]);
  std::uint64_t b = (first + i) >> 1;
  for (; i + 2 * lanes <= n; i += 2 * lanes, b += lanes) {
    u64x4 ctr[vectors];
    counters(b, 1, ctr);
    double lo[lanes], hi[lanes];
    philox_uniforms8(ctr, word2_, word3_, keys, lo, hi);
    for (int l = 0; l < lanes; ++l) {
      out[i + 2 * static_cast<std::size_t>(l)] = lo[l];
      out[i + 2 * static_cast<std::size_t>(l) + 1] = hi[l];
    }
  }
  for (; i < n; ++i) out[i] = uniform(first + i);
}

// Samples come in pairs (2m, 2m + 1): their 2B uniforms are exactly blocks mB .. mB + B - 1
// (B odd or even), block mB + q holding uniforms r = 2q and 2q + 1 of the pair, i.e. variable
// r mod B of sample 2m + (r >= B). Eight pairs (16 samples) share each Philox call, block q of
// each pair in one lane (counters mB + q + l B), so no block is computed twice; the lanes land
// in `half` (uniform r of the 8 pairs at half[r * 8 ..]) and each column then interleaves the
// even samples (r = v) with the odd ones (r = B + v). A group that starts before `first` (odd
// first) or ends after first + n computes the extra samples and drops them.
namespace {

// dst[2 l] = even[l], dst[2 l + 1] = odd[l] for l < 8 (two columns' lanes interleaved by sample).
inline void interleave8(const double* even, const double* odd, double* dst) {
#if defined(__AVX2__)
  for (int h = 0; h < 2; ++h) {
    const __m256d e = _mm256_loadu_pd(even + 4 * h), o = _mm256_loadu_pd(odd + 4 * h);
    const __m256d a = _mm256_unpacklo_pd(e, o);  // e0 o0 e2 o2
    const __m256d b = _mm256_unpackhi_pd(e, o);  // e1 o1 e3 o3
    _mm256_storeu_pd(dst + 8 * h, _mm256_permute2f128_pd(a, b, 0x20));
    _mm256_storeu_pd(dst + 8 * h + 4, _mm256_permute2f128_pd(a, b, 0x31));
  }
#else
  for (int l = 0; l < lanes; ++l) {
    dst[2 * l] = even[l];
    dst[2 * l + 1] = odd[l];
  }
#endif
}

}  // namespace

void PhiloxStream::fill_uniform_columns(std::uint64_t first, std::size_t n, std::size_t B, double* out,
                                        std::size_t ld) const {
  if (n == 0 || B == 0) return;
  const RoundKeys keys(key_[0], key_[1]);
  const std::uint64_t end = first + n;
  const std::uint64_t Bu = B;
  constexpr std::size_t stack_B = 64;  // K <= 31 on the stack (8 KiB), larger on the heap
  double stack_half[2 * stack_B * lanes];
  std::vector<double> heap_half;
  if (B > stack_B) heap_half.resize(2 * B * lanes);
  double* const half = B > stack_B ? heap_half.data() : stack_half;
  for (std::uint64_t group = first & ~std::uint64_t{1}; group < end; group += 2 * lanes) {
    u64x4 ctr[vectors];  // block q of the 8 pairs: (pair + l) B + q
    counters((group >> 1) * Bu, Bu, ctr);
    for (std::uint64_t q = 0; q < Bu; ++q) {
      philox_uniforms8(ctr, word2_, word3_, keys, half + 2 * q * lanes, half + (2 * q + 1) * lanes);
      for (int v = 0; v < vectors; ++v) ctr[v] += 1;
    }
    if (group >= first && group + 2 * lanes <= end) {
      for (std::size_t v = 0; v < B; ++v)
        interleave8(half + v * lanes, half + (B + v) * lanes, out + v * ld + (group - first));
      continue;
    }
    for (std::uint64_t j = 0; j < 2 * lanes; ++j) {  // a partial group, sample by sample
      const std::uint64_t sample = group + j;
      if (sample < first || sample >= end) continue;
      const std::uint64_t l = j >> 1, odd = j & 1;
      for (std::size_t v = 0; v < B; ++v) out[v * ld + (sample - first)] = half[(odd * B + v) * lanes + l];
    }
  }
}

}  // namespace igbench::random
