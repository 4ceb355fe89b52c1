// Counter-based streams: known answers, order and thread independence, stream separation,
// open-interval uniforms, and the vectorised twin.
#include <omp.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "igbench/random/distributions.hpp"
#include "igbench/random/philox_stream.hpp"

namespace igbench::random {
namespace {

// Known-answer vectors of Philox4x32-10 published with Random123 (kat_vectors):
// counter, key -> output.
TEST(Philox, Random123KnownAnswers) {
  using G = r123::Philox4x32_R<10>;
  struct Kat {
    G::ctr_type ctr;
    G::key_type key;
    std::array<std::uint32_t, 4> out;
  };
  const Kat kats[] = {
      {{{0, 0, 0, 0}}, {{0, 0}}, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
      {{{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}}, {{0xffffffff, 0xffffffff}},
       {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
      {{{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}}, {{0xa4093822, 0x299f31d0}},
       {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
  };
  for (const Kat& k : kats) {
    const G::ctr_type r = G()(k.ctr, k.key);
    for (int i = 0; i < 4; ++i) EXPECT_EQ(r[i], k.out[static_cast<std::size_t>(i)]);
  }
}

TEST(PhiloxStream, BlockIsAPureFunctionOfItsName) {
  const PhiloxStream s(7, 3, {StreamRole::observational, 2, 99});
  // The same block computed in forward, backward and shuffled order, and by a fresh object.
  const std::size_t n = 1000;
  std::vector<std::array<std::uint32_t, 4>> forward(n), backward(n), shuffled(n);
  for (std::size_t b = 0; b < n; ++b) forward[b] = s.block(b);
  for (std::size_t b = n; b-- > 0;) backward[b] = s.block(b);
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), std::mt19937(1));
  const PhiloxStream again(7, 3, {StreamRole::observational, 2, 99});
  for (std::size_t b : order) shuffled[b] = again.block(b);
  EXPECT_EQ(forward, backward);
  EXPECT_EQ(forward, shuffled);
}

TEST(PhiloxStream, SameNumbersForAnyThreadCount) {
  const PhiloxStream s(11, 0, {StreamRole::joint_intervention, 0, 5});
  const std::ptrdiff_t n = 20000;
  auto generate = [&](int threads) {
    std::vector<double> x(static_cast<std::size_t>(n));
    omp_set_num_threads(threads);
#pragma omp parallel for schedule(dynamic, 37)
    for (std::ptrdiff_t b = 0; b < n; ++b) x[static_cast<std::size_t>(b)] = s.uniform(static_cast<std::uint64_t>(b));
    return x;
  };
  const auto one = generate(1);
  EXPECT_EQ(one, generate(2));
  EXPECT_EQ(one, generate(4));
  omp_set_num_threads(2);
}

TEST(PhiloxStream, DifferentNamesGiveDifferentStreams) {
  const StreamId base{StreamRole::observational, 1, 10};
  const std::vector<PhiloxStream> streams = {
      PhiloxStream(1, 0, base),
      PhiloxStream(2, 0, base),                                      // seed
      PhiloxStream(1, 1, base),                                      // run
      PhiloxStream(1, 0, {StreamRole::joint_intervention, 1, 10}),   // role
      PhiloxStream(1, 0, {StreamRole::observational, 2, 10}),        // action
      PhiloxStream(1, 0, {StreamRole::observational, 1, 11}),        // point
  };
  std::set<std::array<std::uint32_t, 4>> first_blocks;
  for (const auto& s : streams) first_blocks.insert(s.block(0));
  EXPECT_EQ(first_blocks.size(), streams.size());
  // and not shifted copies of each other: no block of stream 0 among the first 1000 of stream 1
  std::set<std::array<std::uint32_t, 4>> a;
  for (std::uint64_t b = 0; b < 1000; ++b) a.insert(streams[0].block(b));
  for (std::uint64_t b = 0; b < 1000; ++b) EXPECT_FALSE(a.count(streams[1].block(b)));
}

TEST(Uniforms, NeverZeroOrOne) {
  // The extreme bit patterns map strictly inside (0, 1).
  EXPECT_GT(uniform_open01(0, 0), 0.0);
  EXPECT_LT(uniform_open01(0xffffffffu, 0xffffffffu), 1.0);
  EXPECT_EQ(uniform_open01(0, 0), 0x1p-53);
  EXPECT_EQ(uniform_open01(0xffffffffu, 0xffffffffu), 1.0 - 0x1p-53);
  const PhiloxStream s(0, 0, {StreamRole::test_support, 0, 0});
  double lo = 1.0, hi = 0.0;
  std::vector<double> u(2'000'000);
  s.fill_uniforms(0, u.size(), u.data());
  for (double x : u) {
    lo = std::min(lo, x);
    hi = std::max(hi, x);
  }
  EXPECT_GT(lo, 0.0);
  EXPECT_LT(hi, 1.0);
}

TEST(Uniforms, VectorisedTwinEqualsScalarUniforms) {
  const PhiloxStream s(5, 9, {StreamRole::single_intervention, 3, 77});
  for (std::uint64_t first : {0u, 1u, 12345u, 12346u})
    for (std::size_t n : {0u, 1u, 2u, 15u, 16u, 17u, 1000u, 1003u}) {
      std::vector<double> u(n);
      s.fill_uniforms(first, n, u.data());
      for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(u[i], s.uniform(first + i)) << "first=" << first << " n=" << n << " i=" << i;
    }
}

TEST(Uniforms, VectorisedTwinEqualsScalarUniformsAtRandomOffsets) {
  // odd and even starts, lengths around the 8-block groups, starts near 2^32 blocks (the
  // counter's high word)
  const PhiloxStream s(0xdeadbeef, 0xffffffff, {StreamRole::observational, 7, 0xabcdef});
  std::mt19937_64 rng(42);
  for (int trial = 0; trial < 200; ++trial) {
    const std::uint64_t base = trial % 2 == 0 ? 0 : (std::uint64_t{1} << 33) - 64;
    const std::uint64_t first = base + rng() % 100;
    const std::size_t n = rng() % 70;
    std::vector<double> u(n);
    s.fill_uniforms(first, n, u.data());
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(u[i], s.uniform(first + i)) << "first=" << first << " n=" << n;
  }
}

TEST(Uniforms, ColumnsAreTheTransposedStream) {
  // out[v * ld + t] = uniform((first + t) B + v): odd and even B and first, partial groups of
  // 16 samples at both ends, a leading dimension larger than n, and nothing written past n.
  const PhiloxStream s(3, 4, {StreamRole::single_intervention, 1, 12});
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 300; ++trial) {
    const std::size_t B = 1 + rng() % 23;
    const std::uint64_t first = trial % 3 == 0 ? (std::uint64_t{1} << 32) / B * 2 + rng() % 40 : rng() % 1000;
    const std::size_t n = rng() % 90;
    const std::size_t ld = n + rng() % 3;
    std::vector<double> out(B * ld + 1, -1.0);
    s.fill_uniform_columns(first, n, B, out.data(), ld);
    for (std::size_t v = 0; v < B; ++v)
      for (std::size_t t = 0; t < ld; ++t) {
        const double expected = t < n ? s.uniform((first + t) * B + v) : -1.0;
        ASSERT_EQ(out[v * ld + t], expected) << "B=" << B << " first=" << first << " n=" << n << " v=" << v << " t=" << t;
      }
    ASSERT_EQ(out.back(), -1.0);
  }
}

TEST(Uniforms, TwoPerBlock) {
  const PhiloxStream s(1, 2, {StreamRole::observational, 0, 0});
  const auto w = s.block(10);
  EXPECT_EQ(s.uniform(20), uniform_open01(w[0], w[1]));
  EXPECT_EQ(s.uniform(21), uniform_open01(w[2], w[3]));
}

}  // namespace
}  // namespace igbench::random
