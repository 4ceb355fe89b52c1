#include "igbench/io/csv_export.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <stdexcept>
#include <system_error>

#include "igbench/io/error.hpp"
#include "igbench/io/file_ops.hpp"
#include "igbench/io/schema.hpp"

namespace igbench::io {

namespace fs = std::filesystem;
using experiment::ExperimentKind;
using experiment::Method;

std::string python_float_repr(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  if (x == 0.0) return std::signbit(x) ? "-0.0" : "0.0";
  // Shortest round-trip digits d.ddd and exponent e, from to_chars: value = 0.DIGITS x 10^decpt
  // with decpt = e + 1 (the convention of Python's float_repr_style "short").
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, x, std::chars_format::scientific);
  if (ec != std::errc()) throw std::logic_error("to_chars failed");
  const std::string s(buffer, end);
  const std::size_t e_pos = s.find('e');
  const bool negative = s[0] == '-';
  std::string digits;
  for (std::size_t i = negative ? 1 : 0; i < e_pos; ++i)
    if (s[i] != '.') digits += s[i];
  const int exponent = std::stoi(s.substr(e_pos + 1));
  const int decpt = exponent + 1;
  const int n = static_cast<int>(digits.size());
  std::string out = negative ? "-" : "";
  if (decpt <= -4 || decpt > 16) {
    // Exponent form: first digit, the rest after a point, e, sign, at least two digits.
    out += digits[0];
    if (n > 1) out += "." + digits.substr(1);
    const int shown = decpt - 1;
    const std::string magnitude = std::to_string(std::abs(shown));
    out += std::string("e") + (shown < 0 ? "-" : "+") + (magnitude.size() < 2 ? "0" : "") + magnitude;
  } else if (decpt <= 0) {
    out += "0." + std::string(static_cast<std::size_t>(-decpt), '0') + digits;
  } else if (decpt >= n) {
    out += digits + std::string(static_cast<std::size_t>(decpt - n), '0') + ".0";
  } else {
    out += digits.substr(0, static_cast<std::size_t>(decpt)) + "." + digits.substr(static_cast<std::size_t>(decpt));
  }
  return out;
}

namespace {

constexpr const char* line_end = "\r\n";

std::string group_name(const ResultRow& r) {
  const sweep::SweepPoint& p = r.params;
  std::string name = std::string(experiment::experiment_name(p.experiment)) + "_" +
                     std::string(scm::scm_type_name(p.scm_type)) + "_K" + std::to_string(p.K) + "_d" +
                     std::to_string(p.n_order_fit) + "_" + std::string(fit::regularization_name(p.regularization));
  if (p.experiment == ExperimentKind::main) name += "_N" + std::to_string(p.N);
  if (p.experiment == ExperimentKind::ratio) name += "_Navg" + std::to_string(p.N_avg);
  if (r.rng != experiment::RngMode::fast) name += "_rng-" + std::string(experiment::rng_name(r.rng));
  return name;
}

std::string header(ExperimentKind e) {
  switch (e) {
    case ExperimentKind::main: return "Run,RMSE Obs,RMSE Method,RMSE Joint Int,RMSE Pool";
    case ExperimentKind::ratio: return "Ratio,Run,RMSE Obs,RMSE Method,RMSE Joint Int,RMSE Pool";
    case ExperimentKind::convergence: return "Ratio,Run,RMSE Method,RMSE Joint Int";
  }
  return {};
}

std::string line(const ResultRow& r) {
  const experiment::RunResult& x = r.result;
  auto v = [&](Method m) { return "," + python_float_repr(x[m].rmse); };
  const std::string run = std::to_string(r.run);
  switch (r.params.experiment) {
    case ExperimentKind::main: {
      const Method pool = r.rng == experiment::RngMode::reference ? Method::pooled_ref : Method::pooled;
      return run + v(Method::obs) + v(Method::method) + v(Method::jint) + v(pool);
    }
    case ExperimentKind::ratio:
      return python_float_repr(r.params.ratio) + "," + run + v(Method::obs) + v(Method::method) + v(Method::jint);
    case ExperimentKind::convergence:
      return std::to_string(r.params.N_total) + "," + run + v(Method::method) + v(Method::jint);
  }
  return {};
}

}  // namespace

std::vector<CsvGroup> csv_groups(const std::vector<ResultRow>& rows) {
  std::vector<ResultRow> sorted = rows;
  sort_rows(sorted);
  std::vector<CsvGroup> groups;
  std::map<std::string, std::size_t> index;
  for (const ResultRow& r : sorted) {
    const std::string name = group_name(r);
    const auto [it, added] = index.try_emplace(name, groups.size());
    if (added) groups.push_back({name, {}});
    groups[it->second].rows.push_back(r);
  }
  return groups;
}

std::string csv_text(const std::vector<ResultRow>& rows) {
  const std::vector<CsvGroup> groups = csv_groups(rows);
  if (groups.size() > 1)
    throw std::invalid_argument("rows of several groups (" + groups[0].name + ", " + groups[1].name +
                                ", ...) cannot share one CSV file");
  if (groups.empty()) return header(ExperimentKind::main) + line_end;
  std::string text = header(groups[0].rows[0].params.experiment) + line_end;
  for (const ResultRow& r : groups[0].rows) text += line(r) + line_end;
  return text;
}

namespace {
void write_text(const fs::path& path, const std::string& text);
}

void write_csv(const fs::path& path, const std::vector<ResultRow>& rows) { write_text(path, csv_text(rows)); }

namespace {

// A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void write_text(const fs::path& path, const std::string& text) {
  atomic_replace(path, [&](const fs::path& tmp) {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) throw FileError(path, "cannot write " + tmp.filename().string());
  });
}

}  // namespace

std::string all_columns_csv_text(const std::vector<ResultRow>& rows) {
  std::vector<ResultRow> sorted = rows;
  sort_rows(sorted);
  std::size_t width = 0;  // of the per-action columns: the largest K
  for (const ResultRow& r : sorted) width = std::max(width, static_cast<std::size_t>(std::max(r.params.K, 0)));
  std::string text;
  for (const Column& c : result_columns()) {
    if (c.shape == Shape::scalar) {
      text += (text.empty() ? "" : ",") + c.name;
    } else {
      for (std::size_t k = 0; k < width; ++k) text += (text.empty() ? "" : ",") + c.name + "_" + std::to_string(k);
    }
  }
  text += "\n";
  for (const ResultRow& r : sorted) {
    std::string line;
    bool first = true;
    auto add = [&](const std::string& field) {
      line += (first ? "" : ",") + csv_field(field);
      first = false;
    };
    for (const Column& c : result_columns()) {
      const Cell cell = c.get(r);
      if (c.shape == Shape::scalar) {
        add(cell_text(cell));
      } else {
        const auto& values = std::get<std::vector<double>>(cell);
        for (std::size_t k = 0; k < width; ++k) add(k < values.size() ? python_float_repr(values[k]) : "");
      }
    }
    text += line + "\n";
  }
  return text;
}

std::vector<fs::path> export_all(const ResultsFile& file, const fs::path& dir, bool all_columns) {
  const std::vector<CsvGroup> groups = csv_groups(file.rows);
  std::vector<fs::path> written;
  for (const CsvGroup& g : groups) {
    const fs::path folder = groups.size() == 1 ? dir : dir / g.name;
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) throw FileError(folder, "cannot create the folder (" + ec.message() + ")");
    written.push_back(folder / "rmse_values.csv");
    write_csv(written.back(), g.rows);
    if (all_columns) {
      written.push_back(folder / "runs.csv");
      write_text(written.back(), all_columns_csv_text(g.rows));
    }
  }
  return written;
}

std::vector<fs::path> export_all(const fs::path& results_file, const fs::path& dir, bool all_columns) {
  return export_all(read_results_file(results_file), dir, all_columns);
}

}  // namespace igbench::io
