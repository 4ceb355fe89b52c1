#include "igbench/random/distributions.hpp"

namespace igbench::random {

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
