#include "igbench/io/summary.hpp"

#include <cmath>
#include <cstdio>
#include <map>

#include "igbench/io/schema.hpp"

namespace igbench::io {

using experiment::Method;

Stat describe_values(const std::vector<double>& values) {
  // Two passes: mean = sum x / n, variance = sum (x - mean)^2 / (n - 1).
  Stat s;
  double sum = 0.0;
  for (double x : values)
    if (std::isfinite(x)) {
      sum += x;
      ++s.n;
    }
  if (s.n == 0) return s;
  s.mean = sum / static_cast<double>(s.n);
  if (s.n < 2) return s;
  double squares = 0.0;
  for (double x : values)
    if (std::isfinite(x)) squares += (x - s.mean) * (x - s.mean);
  const double variance = squares / static_cast<double>(s.n - 1);
  s.sem = std::sqrt(variance / static_cast<double>(s.n));
  return s;
}

namespace {

bool any_finite(const std::vector<double>& v) {
  for (double x : v)
    if (std::isfinite(x)) return true;
  return false;
}

// The fits of the ok rows whose chosen alpha is the lowest or the highest of the grid.
AlphaEdges alpha_edges(const std::vector<const ResultRow*>& ok, std::span<const double> grid) {
  AlphaEdges e;
  if (grid.empty()) return e;
  auto count = [&](double alpha) {
    if (std::isnan(alpha)) return;
    ++e.fits;
    if (alpha == grid.front()) ++e.at_lowest;
    if (alpha == grid.back()) ++e.at_highest;
  };
  for (const ResultRow* r : ok) {
    count(r->result.alpha_obs);
    count(r->result.alpha_pooled);
    count(r->result.alpha_jint);
    for (double a : r->result.alpha_sint) count(a);
  }
  return e;
}

PointSummary summarize_point(const std::vector<const ResultRow*>& rows, std::span<const double> alphas) {
  PointSummary p;
  p.point = rows.front()->point;
  p.params = rows.front()->params;
  p.rng = rows.front()->rng;
  p.n_rows = static_cast<std::int64_t>(rows.size());
  std::vector<const ResultRow*> ok;
  for (const ResultRow* r : rows)
    if (r->ok()) ok.push_back(r);
  p.n_failed = p.n_rows - static_cast<std::int64_t>(ok.size());
  auto column = [&](Method m, bool truth) {
    std::vector<double> v;
    for (const ResultRow* r : ok) v.push_back(truth ? r->result[m].truth_rmse : r->result[m].rmse);
    return v;
  };
  // Per run: method - jint, NaN unless both are finite (describe_values then skips it).
  auto paired = [&](Method m, bool truth) {
    const std::vector<double> a = column(m, truth), b = column(Method::jint, truth);
    std::vector<double> d(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) d[i] = a[i] - b[i];
    return d;
  };
  for (Method m : experiment::all_methods) {
    const std::vector<double> rmse = column(m, false), truth = column(m, true);
    if (!any_finite(rmse) && !any_finite(truth)) continue;
    MethodSummary s;
    s.method = m;
    s.rmse = describe_values(rmse);
    s.truth_rmse = describe_values(truth);
    s.rmse_median = stats::median_with_bootstrap(rmse);
    s.truth_rmse_median = stats::median_with_bootstrap(truth);
    for (std::size_t i : stats::largest_indices(rmse, 3)) s.largest_rmse.emplace_back(ok[i]->run, rmse[i]);
    if (m != Method::jint) {
      s.diff_rmse = describe_values(paired(m, false));
      s.diff_truth_rmse = describe_values(paired(m, true));
      s.paired = s.diff_rmse.n > 0 || s.diff_truth_rmse.n > 0;
    }
    p.methods.push_back(s);
  }
  p.alpha_edges = alpha_edges(ok, alphas);
  for (const Column& c : result_columns()) {
    if (!c.summarized) continue;
    std::vector<double> values;  // every finite value of the ok rows (all K of a per-action column)
    for (const ResultRow* r : ok) {
      const Cell cell = c.get(*r);
      if (const auto* x = std::get_if<double>(&cell)) values.push_back(*x);
      if (const auto* i = std::get_if<std::int64_t>(&cell)) values.push_back(static_cast<double>(*i));
      if (const auto* v = std::get_if<std::vector<double>>(&cell)) values.insert(values.end(), v->begin(), v->end());
    }
    p.columns.push_back({c.name, describe_values(values)});
  }
  return p;
}

// "median [lower, upper]" (the Python analysis prints the same), "-" without values.
std::string format_median(const stats::MedianInterval& m) {
  if (m.n == 0) return "-";
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%.6g [%.6g, %.6g]", m.median, m.lower, m.upper);
  return buffer;
}

// "method run 19 (0.378918), run 12 (0.358873); jint run 0 (0.357657), ...".
std::string format_largest(const std::vector<MethodSummary>& methods) {
  std::string out;
  char value[32];
  for (const MethodSummary& m : methods) {
    if (m.largest_rmse.empty()) continue;
    out += (out.empty() ? "" : "; ") + std::string(experiment::method_name(m.method));
    for (std::size_t i = 0; i < m.largest_rmse.size(); ++i) {
      std::snprintf(value, sizeof value, "%.6g", m.largest_rmse[i].second);
      out += std::string(i == 0 ? " " : ", ") + "run " + std::to_string(m.largest_rmse[i].first) + " (" + value + ")";
    }
  }
  return out;
}

std::string format_stat(const Stat& s) {
  if (s.n == 0) return "-";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.6g +- %.2g", s.mean, s.sem);
  return buffer;
}

std::string point_title(const PointSummary& p) {
  ResultRow row;
  row.params = p.params;
  row.rng = p.rng;
  return describe(point_key(row));
}

// A table line without the padding of its last columns, newline-terminated.
std::string without_trailing_blanks(std::string text) {
  text.erase(text.find_last_not_of(" \n") + 1);
  return text + "\n";
}

}  // namespace

Summary summarize(const std::vector<ResultRow>& rows, std::span<const double> alphas) {
  std::vector<ResultRow> sorted = rows;
  sort_rows(sorted);
  std::map<RowKey, std::size_t> index;
  std::vector<std::vector<const ResultRow*>> groups;
  for (const ResultRow& r : sorted) {
    const auto [it, added] = index.try_emplace(point_key(r), groups.size());
    if (added) groups.emplace_back();
    groups[it->second].push_back(&r);
  }
  Summary s;
  for (const auto& g : groups) s.points.push_back(summarize_point(g, alphas));
  return s;
}

std::string format_summary(const Summary& summary) {
  std::string out;
  char line[512];
  for (const PointSummary& p : summary.points) {
    out += "point " + std::to_string(p.point) + ": " + point_title(p) + ": " + std::to_string(p.n_rows) + " runs";
    if (p.n_failed > 0) out += ", " + std::to_string(p.n_failed) + " failed";
    out += "\n";
    std::snprintf(line, sizeof line, "  %-10s %5s  %-22s %-22s %-22s %-22s  %-34s %-34s", "method", "n", "rmse",
                  "truth_rmse", "rmse - jint", "truth_rmse - jint", "rmse median [95% CI]", "truth_rmse median [95% CI]");
    out += without_trailing_blanks(line);
    for (const MethodSummary& m : p.methods) {
      const std::string name(experiment::method_name(m.method));
      std::snprintf(line, sizeof line, "  %-10s %5lld  %-22s %-22s %-22s %-22s  %-34s %-34s", name.c_str(),
                    static_cast<long long>(std::max(m.rmse.n, m.truth_rmse.n)), format_stat(m.rmse).c_str(),
                    format_stat(m.truth_rmse).c_str(), m.paired ? format_stat(m.diff_rmse).c_str() : "",
                    m.paired ? format_stat(m.diff_truth_rmse).c_str() : "", format_median(m.rmse_median).c_str(),
                    format_median(m.truth_rmse_median).c_str());
      out += without_trailing_blanks(line);
    }
    if (const std::string largest = format_largest(p.methods); !largest.empty()) out += "  largest rmse: " + largest + "\n";
    if (p.alpha_edges.fits > 0)
      out += "  alpha at the grid's ends: " + std::to_string(p.alpha_edges.at_lowest) + " of " +
             std::to_string(p.alpha_edges.fits) + " fits at the lowest, " + std::to_string(p.alpha_edges.at_highest) +
             " at the highest (widen the grid with --alphas if many)\n";
    for (const ColumnSummary& c : p.columns) {
      std::snprintf(line, sizeof line, "  %-10s %5lld  %s", c.name.c_str(), static_cast<long long>(c.stat.n),
                    format_stat(c.stat).c_str());
      out += without_trailing_blanks(line);
    }
  }
  return out;
}

}  // namespace igbench::io
