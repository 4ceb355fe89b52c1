#include "igbench/random/numpy_random_state.hpp"

#include "igbench/random/rounded.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>

// Floating-point fidelity notes.
//  * numpy 1.24 (as shipped by Debian for x86-64) is compiled without FMA, so every `a * b + c` in
//    its C sources is rounded twice. GCC contracts such expressions into FMAs whenever the target
//    has them (-ffp-contract=fast is its default in C++). The project builds with
//    -ffp-contract=off; in addition every product that meets an addition or subtraction below
//    goes through rounded() (random/rounded.hpp), an optimisation barrier that forces the product
//    to be materialised as a double first, so the code stays exact under any flags.
//  * log, exp and sqrt are the C library's, the same functions numpy's mtrand module calls.
//  * Conversions between int64 and double follow the C code (usual arithmetic conversions).

namespace igbench::random {
namespace {

inline double to_double(std::int64_t v) { return static_cast<double>(v); }

// (int64_t)x as compiled for x86-64 (cvttsd2si): truncation, and INT64_MIN for NaN or values out
// of range, without the undefined behaviour a plain cast would have there.
inline std::int64_t truncate_to_int64(double x) {
  constexpr double kTwo63 = 9223372036854775808.0;
  if (!(x >= -kTwo63 && x < kTwo63)) return std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(x);
}

// Smallest all-ones bit mask >= max (numpy's gen_mask).
inline std::uint64_t all_ones_mask(std::uint64_t max) {
  std::uint64_t mask = max;
  mask |= mask >> 1;
  mask |= mask >> 2;
  mask |= mask >> 4;
  mask |= mask >> 8;
  mask |= mask >> 16;
  mask |= mask >> 32;
  return mask;
}

// numpy's scale checks (CONS_NON_NEGATIVE): ValueError when the sign bit is set, NaN passes.
void check_scale(double scale, const char* name) {
  if (!std::isnan(scale) && std::signbit(scale)) {
    throw std::invalid_argument(std::string("NumpyRandomState: ") + name + " < 0");
  }
}

}  // namespace

NumpyRandomState::NumpyRandomState(std::uint32_t seed) { this->seed(seed); }

void NumpyRandomState::seed(std::uint32_t seed) {
  engine_.seed(seed);  // init_genrand(seed), as numpy's mt19937_seed
  has_gauss_ = false;
  gauss_ = 0.0;
}

std::uint32_t NumpyRandomState::next_uint32() { return static_cast<std::uint32_t>(engine_()); }

std::uint64_t NumpyRandomState::next_uint64() {
  const std::uint64_t hi = next_uint32();
  const std::uint64_t lo = next_uint32();
  return (hi << 32) | lo;
}

double NumpyRandomState::next_double() {
  const std::int32_t a = static_cast<std::int32_t>(next_uint32() >> 5);
  const std::int32_t b = static_cast<std::int32_t>(next_uint32() >> 6);
  return (a * 67108864.0 + b) / 9007199254740992.0;  // exact numerator: no rounding to preserve
}

double NumpyRandomState::standard_normal() {
  if (has_gauss_) {
    const double cached = gauss_;
    has_gauss_ = false;
    gauss_ = 0.0;
    return cached;
  }
  double x1 = 0.0;
  double x2 = 0.0;
  double r2 = 0.0;
  do {
    x1 = 2.0 * next_double() - 1.0;
    x2 = 2.0 * next_double() - 1.0;
    r2 = rounded(x1 * x1) + rounded(x2 * x2);
  } while (r2 >= 1.0 || r2 == 0.0);
  const double f = std::sqrt(-2.0 * std::log(r2) / r2);
  gauss_ = f * x1;
  has_gauss_ = true;
  return f * x2;
}

double NumpyRandomState::normal(double loc, double scale) {
  check_scale(scale, "scale");
  return loc + rounded(scale * standard_normal());
}

double NumpyRandomState::uniform(double low, double high) {
  const double range = high - low;
  if (!std::isfinite(range)) {
    throw std::overflow_error("NumpyRandomState::uniform: range exceeds valid bounds");
  }
  return low + rounded(range * next_double());
}

double NumpyRandomState::standard_logistic() {
  double u = next_double();
  while (u <= 0.0) u = next_double();
  return std::log(u / (1.0 - u));
}

double NumpyRandomState::logistic(double loc, double scale) {
  check_scale(scale, "scale");
  return loc + rounded(scale * standard_logistic());
}

double NumpyRandomState::lognormal(double mean, double sigma) {
  check_scale(sigma, "sigma");
  return std::exp(normal(mean, sigma));
}

std::uint64_t NumpyRandomState::random_interval(std::uint64_t max) {
  if (max == 0) return 0;
  const std::uint64_t mask = all_ones_mask(max);
  std::uint64_t value = 0;
  if (max <= 0xffffffffULL) {
    do {
      value = next_uint32() & mask;
    } while (value > max);
  } else {
    do {
      value = next_uint64() & mask;
    } while (value > max);
  }
  return value;
}

std::int64_t NumpyRandomState::randint(std::int64_t low, std::int64_t high) {
  if (low >= high) throw std::invalid_argument("NumpyRandomState::randint: low >= high");
  // numpy's _rand_int64 (use_masked=True): rng = high - 1 - low as uint64, off = low, then
  // random_bounded_uint64_fill. For every rng that is the same draw as random_interval(rng): the
  // rng == 0xffffffff and rng == 2^64-1 special cases use an all-ones mask that never rejects.
  const std::uint64_t rng =
      static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low) - 1U;
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(low) + random_interval(rng));
}

std::int64_t NumpyRandomState::binomial(std::int64_t n, double p) {
  if (n < 0) throw std::invalid_argument("NumpyRandomState::binomial: n < 0");
  if (!(p >= 0.0 && p <= 1.0)) {
    throw std::invalid_argument("NumpyRandomState::binomial: p < 0, p > 1 or p is NaN");
  }
  // legacy_random_binomial_original: no shortcut for n == 0 or p == 0 (a double is still drawn).
  const double r = p <= 0.5 ? p : 1.0 - p;
  if (r * to_double(n) > 30.0)
    throw std::invalid_argument("NumpyRandomState::binomial: n * min(p, 1 - p) > 30 needs numpy's BTPE "
                                "sampler, which the reference never uses and this replica does not have");
  if (p <= 0.5) return binomial_inversion(n, p);
  return n - binomial_inversion(n, r);
}

// numpy's random_binomial_inversion. numpy caches q, qn, np and bound per (n, p) in a binomial_t;
// they are pure functions of (n, p), so recomputing them gives the same bits.
std::int64_t NumpyRandomState::binomial_inversion(std::int64_t n, double p) {
  const double dn = to_double(n);
  const double q = 1.0 - p;
  const double qn = std::exp(dn * std::log(q));
  const double np = dn * p;
  // MIN(n, np + 10.0 * sqrt(np * q + 1)) is a double-typed conditional, then cast to int64.
  const double limit = np + rounded(10.0 * std::sqrt(rounded(np * q) + 1.0));
  const std::int64_t bound = truncate_to_int64(dn < limit ? dn : limit);

  std::int64_t x = 0;
  double px = qn;
  double u = next_double();
  while (u > px) {
    ++x;
    if (x > bound) {
      x = 0;
      px = qn;
      u = next_double();
    } else {
      u -= px;
      px = (to_double(n - x + 1) * p * px) / (to_double(x) * q);
    }
  }
  return x;
}

std::vector<std::int64_t> NumpyRandomState::permutation(std::int64_t n) {
  if (n < 0) throw std::invalid_argument("NumpyRandomState::permutation: n < 0");
  std::vector<std::int64_t> a(static_cast<std::size_t>(n));
  std::iota(a.begin(), a.end(), std::int64_t{0});
  for (std::int64_t i = n - 1; i >= 1; --i) {
    const auto j = random_interval(static_cast<std::uint64_t>(i));
    std::swap(a[static_cast<std::size_t>(i)], a[static_cast<std::size_t>(j)]);
  }
  return a;
}

ReferenceSplit reference_train_test_split(std::int64_t n) {
  // sklearn's _validate_shuffle_split: n_test = ceil(test_size * n_samples),
  // n_train = n_samples - n_test, ValueError when n_train == 0 (n = 1) or n_samples == 0.
  if (n < 2) {
    throw std::invalid_argument(
        "reference_train_test_split: n = " + std::to_string(n) +
        " leaves an empty train set with test_size=0.2 (scikit-learn raises ValueError)");
  }
  const auto n_test = static_cast<std::int64_t>(std::ceil(0.2 * to_double(n)));
  NumpyRandomState rng(42);
  const std::vector<std::int64_t> perm = rng.permutation(n);
  ReferenceSplit split;
  const auto cut = perm.begin() + static_cast<std::ptrdiff_t>(n_test);
  split.test.assign(perm.begin(), cut);
  split.train.assign(cut, perm.end());
  return split;
}

}  // namespace igbench::random
