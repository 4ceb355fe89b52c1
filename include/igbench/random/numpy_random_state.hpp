#pragma once
// A bit-exact replica of numpy's legacy RandomState (numpy 1.24: `np.random.seed(r)` plus the
// legacy distribution functions of numpy/random/mtrand.pyx), for the "reference-exact" mode that
// replays the published Python implementation draw for draw.
//
// Every member draws exactly as many MT19937 outputs as the numpy function it mirrors, in the same
// order, and computes the result with the same sequence of IEEE double operations, calling the
// same C library log/exp/sqrt as numpy. The implementation rounds every product that meets an
// addition on its own, so a build with FMA (-march=native) cannot fuse a multiply-add that numpy
// rounds twice. Array-valued numpy calls (size=..., or array loc/scale broadcast to an output
// shape) are the scalar calls repeated in C (row-major) order of the output, so e.g.
// np.random.normal(means, stds, size=(N, K)) is
//   for i in 0..N-1: for j in 0..K-1: out(i, j) = normal(means[j], stds[j]).
// The cached second Gaussian of the polar method survives across calls exactly as numpy's
// `has_gauss` does, whatever the call boundaries on the Python side were.
//
// Known answers produced by numpy itself: tests/tools/make_numpy_kat.py -> tests/data/numpy_kat/.

#include <cstdint>
#include <random>
#include <vector>

namespace igbench::random {

class NumpyRandomState {
 public:
  // == np.random.RandomState(seed): MT19937 init_genrand(seed), no cached Gaussian.
  explicit NumpyRandomState(std::uint32_t seed);

  // == np.random.seed(seed) / RandomState.seed(seed): reseeds and clears the cached Gaussian.
  void seed(std::uint32_t seed);

  // Raw MT19937 output (numpy's mt19937_next32; RandomState(s)._bit_generator.random_raw()).
  std::uint32_t next_uint32();

  // Two raw outputs, the first one in the high word (numpy's mt19937_next64).
  std::uint64_t next_uint64();

  // random_sample(): 53-bit double in [0, 1) from two raw outputs,
  // ((a >> 5) * 67108864.0 + (b >> 6)) / 9007199254740992.0.
  double next_double();

  // standard_normal() (legacy_gauss): Marsaglia polar method; each accepted pair returns f*x2 and
  // caches f*x1 for the next call.
  double standard_normal();

  // normal(loc, scale) == loc + scale * standard_normal(). Throws std::invalid_argument, before
  // drawing, if scale has its sign bit set (negative or -0.0), where numpy raises ValueError
  // "scale < 0"; a NaN scale is accepted and yields NaN, as in numpy.
  double normal(double loc, double scale);

  // uniform(low, high) == low + (high - low) * next_double(); always consumes one double, also
  // when low == high. Throws std::overflow_error if high - low is not finite (as numpy does).
  double uniform(double low, double high);

  // logistic() (loc 0, scale 1): U = next_double(), redrawn while U <= 0; log(U / (1 - U)).
  double standard_logistic();

  // logistic(loc, scale) == loc + scale * log(U / (1 - U)), same draws as standard_logistic().
  // Throws like normal() for a bad scale.
  double logistic(double loc, double scale);

  // lognormal(mean, sigma) == exp(normal(mean, sigma)). Throws like normal() for a bad sigma.
  double lognormal(double mean, double sigma);

  // randint(low, high): a draw from [low, high) with numpy's masked rejection sampling (what
  // np.random.randint and np.random.choice(n) use): low + random_interval(high - low - 1), i.e.
  // 32-bit raw draws when the range fits 32 bits, 64-bit draws (next_uint64) otherwise; no draw at
  // all when high - low == 1. Throws std::invalid_argument if low >= high.
  std::int64_t randint(std::int64_t low, std::int64_t high);

  // binomial(n, p), legacy algorithm, inversion branch only: with r = min(p, 1 - p), numpy
  // inverts when n * r <= 30 (the reference only draws binomial(1, p)); for p > 0.5 the result is
  // n - draw(n, 1 - p). Like legacy numpy it has no shortcut for n == 0, p == 0 or p == 1: those
  // still consume one double. Throws std::invalid_argument if n < 0, p is outside [0, 1] (or
  // NaN), or n * r > 30 (numpy's BTPE branch, not replicated).
  std::int64_t binomial(std::int64_t n, double p);

  // numpy's random_interval(max): a value in [0, max] by rejection with the smallest all-ones mask
  // >= max, using 32-bit draws when max <= 0xffffffff and 64-bit draws otherwise; max == 0 draws
  // nothing and returns 0.
  std::uint64_t random_interval(std::uint64_t max);

  // permutation(n) == arange(n) shuffled in place by RandomState.shuffle: for i = n-1 down to 1,
  // j = random_interval(i), swap(a[i], a[j]). Throws std::invalid_argument for n < 0 (numpy
  // would return an empty array; a negative count here is treated as a caller bug).
  std::vector<std::int64_t> permutation(std::int64_t n);

 private:
  std::int64_t binomial_inversion(std::int64_t n, double p);

  // numpy's MT19937 is the standard one: std::mt19937(seed) is init_genrand(seed), and its
  // outputs are numpy's random_raw() (tests/random compares them with numpy's known answers).
  std::mt19937 engine_;
  bool has_gauss_ = false;
  double gauss_ = 0.0;
};

// scikit-learn 1.2 train_test_split(X, test_size=0.2, random_state=42) on n samples, as indices:
// n_test = ceil(0.2 * n) (double arithmetic), perm = RandomState(42).permutation(n),
// test = perm[0, n_test), train = perm[n_test, n) (both in permutation order).
// Throws std::invalid_argument for n < 2, where scikit-learn raises (empty train set).
struct ReferenceSplit {
  std::vector<std::int64_t> test;
  std::vector<std::int64_t> train;
};
ReferenceSplit reference_train_test_split(std::int64_t n);

}  // namespace igbench::random
