#include "igbench/io/result_row.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <sstream>

#include "igbench/io/schema.hpp"

namespace igbench::io {

std::string truncated_status(const std::string& status) { return status.substr(0, status_max_bytes); }

namespace {

using KeyValue = std::variant<std::int64_t, double>;

// A key cell: names as their index in the column's choices (so keys order like the enums).
KeyValue key_value(const Column& c, const Cell& cell) {
  if (const auto* s = std::get_if<std::string>(&cell)) {
    const auto it = std::find(c.choices.begin(), c.choices.end(), *s);
    return static_cast<std::int64_t>(it - c.choices.begin());
  }
  if (const auto* i = std::get_if<std::int64_t>(&cell)) return *i;
  return std::get<double>(cell);
}

RowKey key_of(const ResultRow& row, bool with_run) {
  RowKey k;
  for (const Column& c : result_columns())
    if (c.key == KeyRole::point || (with_run && c.key == KeyRole::run)) k.values.push_back(key_value(c, c.get(row)));
  return k;
}

// -1, 0, 1; NaN equals NaN and precedes every number.
int compare(const KeyValue& a, const KeyValue& b) {
  if (a.index() != b.index()) return a.index() < b.index() ? -1 : 1;
  if (const auto* x = std::get_if<std::int64_t>(&a)) {
    const std::int64_t y = std::get<std::int64_t>(b);
    return *x < y ? -1 : *x > y ? 1 : 0;
  }
  const double x = std::get<double>(a), y = std::get<double>(b);
  if (std::isnan(x) || std::isnan(y)) return std::isnan(x) == std::isnan(y) ? 0 : std::isnan(x) ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

int compare(const RowKey& a, const RowKey& b) {
  const std::size_t n = std::min(a.values.size(), b.values.size());
  for (std::size_t i = 0; i < n; ++i)
    if (const int c = compare(a.values[i], b.values[i]); c != 0) return c;
  return a.values.size() < b.values.size() ? -1 : a.values.size() > b.values.size() ? 1 : 0;
}

// Bits of a double with every NaN mapped to one quiet NaN.
std::uint64_t canonical_bits(double x) {
  return std::bit_cast<std::uint64_t>(std::isnan(x) ? std::numeric_limits<double>::quiet_NaN() : x);
}

bool same_cell(const Cell& a, const Cell& b) {
  if (a.index() != b.index()) return false;
  auto same = [](double u, double v) { return canonical_bits(u) == canonical_bits(v); };
  if (const auto* x = std::get_if<double>(&a)) return same(*x, std::get<double>(b));
  if (const auto* v = std::get_if<std::vector<double>>(&a)) {
    const auto& w = std::get<std::vector<double>>(b);
    return std::equal(v->begin(), v->end(), w.begin(), w.end(), same);
  }
  return a == b;
}

}  // namespace

RowKey row_key(const ResultRow& row) { return key_of(row, true); }

RowKey task_key(const sweep::SweepSpec& spec, const sweep::SweepPoint& point, int run) {
  ResultRow r;
  r.params = point;
  r.rng = spec.rng;
  r.run = run;
  r.seed = sweep::run_seed(spec, run);
  return row_key(r);
}
RowKey point_key(const ResultRow& row) { return key_of(row, false); }

bool operator==(const RowKey& a, const RowKey& b) { return compare(a, b) == 0; }
bool operator<(const RowKey& a, const RowKey& b) { return compare(a, b) < 0; }

std::string describe(const RowKey& key) {
  std::ostringstream s;
  s.precision(17);
  std::size_t i = 0;
  for (const Column& c : result_columns()) {
    if (c.key == KeyRole::none) continue;
    if (i >= key.values.size()) break;
    const KeyValue& v = key.values[i++];
    if (const auto* x = std::get_if<std::int64_t>(&v)) {
      if (!c.choices.empty()) {
        const bool known = *x >= 0 && static_cast<std::size_t>(*x) < c.choices.size();
        s << c.describe_prefix << (known ? c.choices[static_cast<std::size_t>(*x)] : "?") << c.describe_suffix;
      } else if (*x >= 0) {
        s << c.describe_prefix << *x << c.describe_suffix;
      }
    } else if (const double d = std::get<double>(v); !std::isnan(d)) {
      s << c.describe_prefix << d << c.describe_suffix;
    }
  }
  return s.str();
}

bool same_result(const ResultRow& a, const ResultRow& b) {
  for (const Column& c : result_columns())
    if (c.compared && !same_cell(c.get(a), c.get(b))) return false;
  return true;
}

void sort_rows(std::vector<ResultRow>& rows) {
  std::stable_sort(rows.begin(), rows.end(), [](const ResultRow& a, const ResultRow& b) {
    if (a.point != b.point) return a.point < b.point;
    if (a.run != b.run) return a.run < b.run;
    return row_key(a) < row_key(b);
  });
}

}  // namespace igbench::io
