#include "igbench/random/philox_stream.hpp"

#include <bit>

namespace igbench::random {

namespace {

constexpr int lanes = 16;
constexpr std::uint32_t philox_m0 = 0xD2511F53u, philox_m1 = 0xCD9E8D57u;
constexpr std::uint32_t philox_w0 = 0x9E3779B9u, philox_w1 = 0xBB67AE85u;

// Philox4x32-10 on `lanes` counters at once (Salmon et al. 2011, as Random123's philox4x32_R):
// round r uses the key bumped r times; each round
//   (hi0, lo0) = M0 x0,  (hi1, lo1) = M1 x2,  x = (hi1 ^ x1 ^ k0, lo1, hi0 ^ x3 ^ k1, lo0).
// The 32-bit words live in 64-bit lanes so that each 32 x 32 -> 64 product is one vector
// multiply (vpmuludq) and no lane shuffling is needed.
void philox_lanes(std::uint64_t (&x)[4][lanes], std::uint32_t k0, std::uint32_t k1) {
  constexpr std::uint64_t low32 = 0xffffffffULL;
  for (int round = 0; round < 10; ++round) {
    std::uint64_t y[4][lanes];
#pragma omp simd
    for (int l = 0; l < lanes; ++l) {
      const std::uint64_t p0 = std::uint64_t{philox_m0} * (x[0][l] & low32);
      const std::uint64_t p1 = std::uint64_t{philox_m1} * (x[2][l] & low32);
      y[0][l] = (p1 >> 32) ^ x[1][l] ^ k0;
      y[1][l] = p1 & low32;
      y[2][l] = (p0 >> 32) ^ x[3][l] ^ k1;
      y[3][l] = p0 & low32;
    }
    for (int w = 0; w < 4; ++w)
      for (int l = 0; l < lanes; ++l) x[w][l] = y[w][l];
    k0 += philox_w0;
    k1 += philox_w1;
  }
}

// uniform_open01 on a 64-bit value assembled from two words held in 64-bit lanes.
inline double uniform_from_words(std::uint64_t lo, std::uint64_t hi) {
  const std::uint64_t bits = 0x3FF0000000000000ULL | (((hi << 32) | lo) >> 12);
  return (std::bit_cast<double>(bits) - 1.0) + 0x1p-53;
}

}  // namespace

void PhiloxStream::fill_uniforms(std::uint64_t first, std::size_t n, double* out) const {
  std::size_t i = 0;
  // A leading odd uniform (the high half of its block) on its own.
  if ((first & 1) != 0 && n > 0) {
    out[i++] = uniform(first);
  }
  // Whole blocks, 8 at a time: block b gives uniforms 2b and 2b + 1.
  std::uint64_t b = (first + i) >> 1;
  for (; i + 2 * lanes <= n; i += 2 * lanes, b += lanes) {
    std::uint64_t x[4][lanes];
    for (int l = 0; l < lanes; ++l) {
      const std::uint64_t c = b + static_cast<std::uint64_t>(l);
      x[0][l] = c & 0xffffffffULL;
      x[1][l] = c >> 32;
      x[2][l] = word2_;
      x[3][l] = word3_;
    }
    philox_lanes(x, key_[0], key_[1]);
    for (int l = 0; l < lanes; ++l) {
      out[i + 2 * static_cast<std::size_t>(l)] = uniform_from_words(x[0][l], x[1][l]);
      out[i + 2 * static_cast<std::size_t>(l) + 1] = uniform_from_words(x[2][l], x[3][l]);
    }
  }
  for (; i < n; ++i) out[i] = uniform(first + i);
}

}  // namespace igbench::random
