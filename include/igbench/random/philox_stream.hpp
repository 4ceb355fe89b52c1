#pragma once
// Counter-based random streams (Philox4x32-10, Random123).
//
// A stream is named by (seed, run, stream id); its b-th block is the pure function
//   block(b) = philox4x32_10(counter = {b_lo, b_hi, role << 16 | action, point}, key = {seed, run})
// so any block can be generated on its own, by any thread or rank, in any order, and the numbers
// of a chunk of a data set never depend on who generated it. The stream is read as a sequence
// of uniforms strictly inside (0, 1) (52 random bits each): uniform j is the low (j even) or high
// (j odd) 64-bit half of block j / 2. Normals come from one uniform each by the normal quantile.
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>

#include <Random123/philox.h>

#include "igbench/random/normal_quantile.hpp"

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

// A uniform in (0, 1) from a 64-bit half x of a block: with k = floor(x / 2^12),
//   u = (2k + 1) / 2^53,
// so u lies in [2^-53, 1 - 2^-53] and is never 0 or 1. Computed exactly with integer and
// floating operations that vectorise: (1 + k 2^-52) - 1 + 2^-53.
inline double uniform_open01(std::uint32_t lo, std::uint32_t hi) {
  const std::uint64_t x = (static_cast<std::uint64_t>(hi) << 32) | lo;
  const std::uint64_t bits = 0x3FF0000000000000ULL | (x >> 12);  // 1 + k 2^-52 in [1, 2)
  return (std::bit_cast<double>(bits) - 1.0) + 0x1p-53;
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

  // Uniform j of the stream (the plain twin of fill_uniforms). Cost: one Philox call.
  double uniform(std::uint64_t j) const {
    const auto w = block(j >> 1);
    return (j & 1) == 0 ? uniform_open01(w[0], w[1]) : uniform_open01(w[2], w[3]);
  }

  // Uniforms first .. first + n - 1 into out: the same numbers as uniform(), with the Philox
  // rounds of 8 consecutive blocks computed together so they vectorise. Cost ~n/2 Philox calls.
  void fill_uniforms(std::uint64_t first, std::size_t n, double* out) const;

  // The stream read as samples of B uniforms each (sample s = uniforms sB .. sB + B - 1),
  // transposed: out[v * ld + t] = uniform((first + t) * B + v) for t < n, v < B, so that each
  // variable of samples first .. first + n - 1 is one contiguous column. Cost ~nB/2 Philox calls
  // (8 at a time, vectorised; samples go in groups of 16 from an even sample, so the ends of the
  // range may cost up to 15 samples' worth more).
  void fill_uniform_columns(std::uint64_t first, std::size_t n, std::size_t B, double* out,
                            std::size_t ld) const;

 private:
  Generator::key_type key_{};
  std::uint32_t word2_ = 0;
  std::uint32_t word3_ = 0;
};

// Sequential reader of a stream, one uniform per draw: for the few hundred draws that sample a
// model's parameters. Satisfies the ParameterSource concept of scm/scm.hpp.
class StreamCursor {
 public:
  explicit StreamCursor(PhiloxStream stream) : stream_(stream) {}

  double next_uniform01() { return stream_.uniform(next_++); }
  double standard_normal() { return standard_normal_quantile(next_uniform01()); }
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
