#include "igbench/random/distributions.hpp"

#include <algorithm>
#include <cstdint>

#include "igbench/random/log_batch.hpp"

namespace igbench::random {

namespace {

constexpr std::size_t batch = 128;  // samples per pass (the tail lists live on the stack)

// x <- mean + s Phi^{-1}(x), per sample the expression of draw. The ~15% of samples in
// the tails are listed first (without branches); the central rational approximation then runs
// over every sample and the tails' steps each over the list, all as vectorised loops (the log
// by log_batch, std::log's values) but for the rational function of r > 5 (p < 1.4e-11).
void normal_in_place_batch(double* x, std::size_t m, double mean, double s) {
  std::uint32_t tail_index[batch];
  double tail_p[batch], tail_r[batch], tail_z[batch];
  std::size_t n_tail = 0;
  for (std::size_t i = 0; i < m; ++i) {
    tail_p[n_tail] = x[i];
    tail_index[n_tail] = static_cast<std::uint32_t>(i);
    n_tail += normal_quantile_is_central(x[i]) ? 0 : 1;
  }
  for (std::size_t i = 0; i < m; ++i) x[i] = mean + s * normal_quantile_central(x[i] - 0.5);
  if (n_tail == 0) return;
  // r = sqrt(-log(min(p, 1 - p))), z = -+R(r), as normal_quantile_tail
  for (std::size_t j = 0; j < n_tail; ++j) tail_r[j] = normal_quantile_tail_min(tail_p[j]);
  log_batch(tail_r, tail_r, n_tail);
  for (std::size_t j = 0; j < n_tail; ++j) tail_r[j] = std::sqrt(-tail_r[j]);
  for (std::size_t j = 0; j < n_tail; ++j) {
    const double z = normal_quantile_tail_near(tail_r[j]);
    tail_z[j] = tail_p[j] - 0.5 < 0.0 ? -z : z;
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
      for (std::size_t i = 0; i < m; ++i) x[i] = std::exp(x[i]);
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
