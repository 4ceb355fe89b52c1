#pragma once
// Counter-based random streams (Philox4x32-10, Random123).
//
// A stream is named by (seed, run, stream id); its b-th block is the pure function
//   block(b) = philox4x32_10(counter = {b_lo, b_hi, role << 16 | action, point}, key = {seed, run})
// so any block can be generated on its own, by any thread or rank, in any order, and the numbers
// of a chunk of a data set never depend on who generated it. Each block yields two uniforms
// strictly inside (0, 1) (52 random bits each) or, by Box-Muller, a standard normal.
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <numbers>

#include <Random123/philox.h>

namespace igbench::random {

// What a stream is used for within one run; part of the stream id.
enum class StreamRole : std::uint16_t {
  scm_parameters = 0,       // the sampled model (same at every point of a sweep)
  observational = 1,        // observational data set
  single_intervention = 2,  // data set under do(A_action)
  joint_intervention = 3,   // data set under do(A_0..A_{K-1})
  test_support = 15,        // free streams for tests (Monte-Carlo checks)
};

// The stream id: role, the intervened action (0 where none) and a 32-bit tag of the sweep
// point, so data sets of different points of a sweep are independent.
struct StreamId {
  StreamRole role = StreamRole::scm_parameters;
  std::uint16_t action = 0;
  std::uint32_t point = 0;
};

// Two uniforms in (0, 1) per block, one from each 64-bit half x: with k = floor(x / 2^12),
//   u = (2k + 1) / 2^53,
// so u lies in [2^-53, 1 - 2^-53] and is never 0 or 1. Computed exactly with integer and
// floating operations that vectorise: (1 + k 2^-52) - 1 + 2^-53.
struct UniformPair {
  double u1;
  double u2;
};

inline double uniform_open01(std::uint32_t lo, std::uint32_t hi) {
  const std::uint64_t x = (static_cast<std::uint64_t>(hi) << 32) | lo;
  const std::uint64_t bits = 0x3FF0000000000000ULL | (x >> 12);  // 1 + k 2^-52 in [1, 2)
  return (std::bit_cast<double>(bits) - 1.0) + 0x1p-53;
}

// Box-Muller: z = sqrt(-2 ln u1) cos(2 pi u2) is standard normal for independent u1, u2 in (0,1).
inline double box_muller(UniformPair u) {
  return std::sqrt(-2.0 * std::log(u.u1)) * std::cos(2.0 * std::numbers::pi * u.u2);
}

class PhiloxStream {
 public:
  using Generator = r123::Philox4x32_R<10>;

  PhiloxStream(std::uint32_t seed, std::uint32_t run, StreamId id) {
    key_ = Generator::key_type{{seed, run}};
    word2_ = (static_cast<std::uint32_t>(id.role) << 16) | id.action;
    word3_ = id.point;
  }

  // The raw 4 x 32 bits of block b. Cost: one Philox4x32-10 call (10 rounds).
  std::array<std::uint32_t, 4> block(std::uint64_t b) const {
    const Generator::ctr_type ctr{{static_cast<std::uint32_t>(b),
                                   static_cast<std::uint32_t>(b >> 32), word2_, word3_}};
    const Generator::ctr_type out = Generator()(ctr, key_);
    return {out[0], out[1], out[2], out[3]};
  }

  UniformPair uniforms(std::uint64_t b) const {
    const auto w = block(b);
    return {uniform_open01(w[0], w[1]), uniform_open01(w[2], w[3])};
  }

  double normal(std::uint64_t b) const { return box_muller(uniforms(b)); }

  // Uniform pairs of the n blocks first, first + stride, first + 2 stride, ...: the same numbers
  // as uniforms(), computed 8 lanes at a time so the Philox rounds vectorise (the fast twin of
  // block(); tests compare the two). Cost ~n Philox calls.
  void uniforms_strided(std::uint64_t first, std::uint64_t stride, std::size_t n, double* u1,
                        double* u2) const;

 private:
  Generator::key_type key_{};
  std::uint32_t word2_ = 0;
  std::uint32_t word3_ = 0;
};

// Sequential reader of a stream, one block per draw: for the few hundred draws that sample a
// model's parameters. Satisfies the ParameterSource concept of scm/sampling.hpp.
class StreamCursor {
 public:
  explicit StreamCursor(PhiloxStream stream) : stream_(stream) {}

  double next_uniform01() { return stream_.uniforms(next_++).u1; }
  double standard_normal() { return stream_.normal(next_++); }
  double uniform(double low, double high) { return low + (high - low) * next_uniform01(); }
  // Uniform integer in [0, n): floor(n u), u in (0,1).
  std::int64_t choice(std::int64_t n) {
    const auto i = static_cast<std::int64_t>(static_cast<double>(n) * next_uniform01());
    return i < n ? i : n - 1;
  }
  // Bernoulli(p): 1 when u < p.
  int bernoulli(double p) { return next_uniform01() < p ? 1 : 0; }
  std::uint64_t consumed() const { return next_; }

 private:
  PhiloxStream stream_;
  std::uint64_t next_ = 0;
};

}  // namespace igbench::random
