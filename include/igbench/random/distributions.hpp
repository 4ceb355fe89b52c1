#pragma once
// The four noise families of METHOD.md section 1, parametrised by mean m and standard deviation s
// (lognormal: exp(N(0, sigma^2)), where `sigma` is the log-scale parameter, not the std).
#include <cmath>
#include <cstddef>
#include <numbers>
#include <stdexcept>
#include <string>
#include <string_view>

#include "igbench/random/philox_stream.hpp"

namespace igbench::random {

enum class Family { gaussian = 0, uniform = 1, logistic = 2, lognormal = 3 };

inline constexpr double sqrt3 = 1.7320508075688772;  // np.sqrt(3)

std::string_view family_name(Family f);
Family parse_family(std::string_view name);  // throws std::invalid_argument

// One noise variable. For gaussian/uniform/logistic `param` is the std s; for lognormal it is
// sigma (and mean must be 0).
struct NoiseSpec {
  Family family = Family::gaussian;
  double mean = 0.0;
  double param = 1.0;
};

// Scale of the logistic family with std s: s * sqrt(3) / pi (left to right, as the reference).
inline double logistic_scale(double s) { return (s * sqrt3) / std::numbers::pi; }

// Draw by inversion from one uniform u in (0, 1):
//   gaussian  m + s Phi^{-1}(u);  uniform  m + sqrt(3) s (2u - 1);
//   logistic  m + scale log(u / (1 - u));  lognormal  exp(mean + sigma Phi^{-1}(u)).
inline double draw(const NoiseSpec& spec, double u) {
  switch (spec.family) {
    case Family::gaussian:
      return spec.mean + spec.param * standard_normal_quantile(u);
    case Family::uniform:
      return spec.mean + spec.param * sqrt3 * (2.0 * u - 1.0);
    case Family::logistic:
      return spec.mean + logistic_scale(spec.param) * std::log(u / (1.0 - u));
    case Family::lognormal:
      return std::exp(spec.mean + spec.param * standard_normal_quantile(u));
  }
  return 0.0;
}

// x[i] <- draw(spec, x[i]) for i < n: the same values, as vectorised loops over batches of 128
// (the central normal quantile branch-free over all, then the ~15% tails as a list; the logs of
// the logistic family and of the tails by log_batch, std::log's values; lognormal's exp by
// exp_batch, std::exp's values).
void draw_in_place(const NoiseSpec& spec, double* x, std::size_t n);

// E[X] and E[X^2] of a noise variable (the ground truth mu(a) of METHOD.md section 5 needs them).
double expectation(const NoiseSpec& spec);
double second_moment(const NoiseSpec& spec);
// Standard deviation (for lognormal: sqrt((e^{s^2} - 1) e^{s^2})).
double standard_deviation(const NoiseSpec& spec);
// Fourth central moment (tests use it for the standard error of a sample std).
double fourth_central_moment(const NoiseSpec& spec);

}  // namespace igbench::random
