#include "igbench/io/result_row.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <sstream>
#include <tuple>

namespace igbench::io {

std::string truncated_status(const std::string& status) { return status.substr(0, status_max_bytes); }

RowKey row_key(const ResultRow& row) {
  const sweep::SweepPoint& p = row.params;
  RowKey k;
  k.experiment = p.experiment;
  k.scm_type = p.scm_type;
  k.K = p.K;
  k.n_order_fit = p.n_order_fit;
  k.regularization = p.regularization;
  k.rng = row.rng;
  k.N = p.N;
  k.N_avg = p.N_avg;
  k.ratio = p.ratio;
  k.N_total = p.N_total;
  k.N_obs = p.N_obs;
  k.N_sint = p.N_sint;
  k.N_jint = p.N_jint;
  k.run = row.run;
  k.seed = row.seed;
  return k;
}

namespace {

// The fields of a key as a tuple; ratio as (is a number, value with NaN -> 0) so NaN keys
// compare equal and the order is strict and weak.
auto key_tuple(const RowKey& k) {
  const bool nan = std::isnan(k.ratio);
  return std::make_tuple(k.experiment, k.scm_type, k.K, k.n_order_fit, k.regularization, k.rng, k.N,
                         k.N_avg, !nan, nan ? 0.0 : k.ratio, k.N_total, k.N_obs, k.N_sint, k.N_jint,
                         k.run, k.seed);
}

// Bits of a double with every NaN mapped to one quiet NaN.
std::uint64_t canonical_bits(double x) {
  return std::bit_cast<std::uint64_t>(std::isnan(x) ? std::numeric_limits<double>::quiet_NaN() : x);
}

}  // namespace

bool operator==(const RowKey& a, const RowKey& b) { return key_tuple(a) == key_tuple(b); }
bool operator<(const RowKey& a, const RowKey& b) { return key_tuple(a) < key_tuple(b); }

std::string describe(const RowKey& k) {
  std::ostringstream s;
  s.precision(17);
  s << experiment::experiment_name(k.experiment) << ' ' << scm::scm_type_name(k.scm_type) << " K=" << k.K
    << " d=" << k.n_order_fit << ' ' << fit::regularization_name(k.regularization)
    << " rng=" << experiment::rng_name(k.rng);
  if (k.N >= 0) s << " N=" << k.N;
  if (k.N_avg >= 0) s << " N_avg=" << k.N_avg << " ratio=" << k.ratio;
  if (k.N_total >= 0) s << " N_total=" << k.N_total;
  s << " (N_obs/N_sint/N_jint " << k.N_obs << '/' << k.N_sint << '/' << k.N_jint << ") run " << k.run
    << " seed " << k.seed;
  return s.str();
}

bool same_result(const ResultRow& a, const ResultRow& b) {
  const experiment::RunResult& x = a.result;
  const experiment::RunResult& y = b.result;
  auto same = [](double u, double v) { return canonical_bits(u) == canonical_bits(v); };
  for (experiment::Method m : experiment::all_methods)
    if (!same(x[m].rmse, y[m].rmse) || !same(x[m].truth_rmse, y[m].truth_rmse)) return false;
  if (!same(x.alpha_obs, y.alpha_obs) || !same(x.alpha_pooled, y.alpha_pooled) ||
      !same(x.alpha_jint, y.alpha_jint))
    return false;
  if (!std::equal(x.alpha_sint.begin(), x.alpha_sint.end(), y.alpha_sint.begin(), y.alpha_sint.end(), same))
    return false;
  return x.samples_generated == y.samples_generated && a.status == b.status;
}

void sort_rows(std::vector<ResultRow>& rows) {
  std::stable_sort(rows.begin(), rows.end(), [](const ResultRow& a, const ResultRow& b) {
    if (a.point != b.point) return a.point < b.point;
    if (a.run != b.run) return a.run < b.run;
    return row_key(a) < row_key(b);
  });
}

}  // namespace igbench::io
