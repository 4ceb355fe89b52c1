#include "igbench/io/schema.hpp"

#include <limits>
#include <stdexcept>

#include <boost/crc.hpp>
#include <nlohmann/json.hpp>

#include "igbench/io/csv_export.hpp"

namespace igbench::io {

using experiment::Method;

std::string_view storage_name(Storage s) {
  switch (s) {
    case Storage::string16: return "string16";
    case Storage::string64: return "string64";
    case Storage::int32: return "int32";
    case Storage::int64: return "int64";
    case Storage::float64: return "float64";
  }
  return "?";
}

namespace {

// ---------------------------------------------------------------------------------------------
// Column makers. `field` is a generic lambda returning a reference to the row's member, so one
// lambda serves get (const row) and set (mutable row).

template <class T>
const T& as(const Cell& c, const std::string& column) {
  if (const T* p = std::get_if<T>(&c)) return *p;
  throw std::invalid_argument("column '" + column + "' got a cell of the wrong kind");
}

// A name column (string16): the enum E with `count` values named by name_of, parsed by parse.
template <class E, class Field, class NameOf, class Parse>
Column name_column(std::string name, std::string meaning, KeyRole key, std::string prefix, int count, Field field,
                   NameOf name_of, Parse parse) {
  Column c;
  c.name = std::move(name);
  c.storage = Storage::string16;
  c.meaning = std::move(meaning);
  c.key = key;
  c.compared = false;
  c.describe_prefix = std::move(prefix);
  for (int i = 0; i < count; ++i) c.choices.emplace_back(name_of(static_cast<E>(i)));
  c.get = [field, name_of](const ResultRow& r) { return Cell(std::string(name_of(field(r)))); };
  c.set = [field, parse, n = c.name](ResultRow& r, const Cell& v) {
    const std::string& s = as<std::string>(v, n);
    try {
      field(r) = parse(s);
    } catch (const std::invalid_argument&) {
      throw std::invalid_argument("unknown value '" + s + "' in column '" + n + "'");
    }
  };
  return c;
}

// An integer column; values outside [lowest, highest] of the field's type (or below `minimum`)
// are refused on set.
template <class Field>
Column int_column(std::string name, Storage storage, std::string unit, std::string meaning, KeyRole key,
                  std::string prefix, std::int64_t minimum, Field field) {
  Column c;
  c.name = std::move(name);
  c.storage = storage;
  c.unit = std::move(unit);
  c.meaning = std::move(meaning);
  c.key = key;
  c.compared = key == KeyRole::none;
  c.describe_prefix = std::move(prefix);
  c.get = [field](const ResultRow& r) { return Cell(static_cast<std::int64_t>(field(r))); };
  c.set = [field, minimum, n = c.name](ResultRow& r, const Cell& v) {
    using T = std::remove_reference_t<decltype(field(r))>;
    const std::int64_t x = as<std::int64_t>(v, n);
    const std::int64_t low = std::max<std::int64_t>(minimum, std::numeric_limits<T>::lowest());
    const std::uint64_t high = static_cast<std::uint64_t>(std::numeric_limits<T>::max());
    if (x < low || (x > 0 && static_cast<std::uint64_t>(x) > high))
      throw std::invalid_argument("column '" + n + "' holds " + std::to_string(x) + ", outside [" +
                                  std::to_string(low) + ", " + std::to_string(high) + "]");
    field(r) = static_cast<T>(x);
  };
  return c;
}

template <class Field>
Column real_column(std::string name, std::string unit, std::string meaning, Field field) {
  Column c;
  c.name = std::move(name);
  c.storage = Storage::float64;
  c.unit = std::move(unit);
  c.meaning = std::move(meaning);
  c.get = [field](const ResultRow& r) { return Cell(static_cast<double>(field(r))); };
  c.set = [field, n = c.name](ResultRow& r, const Cell& v) { field(r) = as<double>(v, n); };
  return c;
}

// A per-action column: K values per row, or none (stored as NaN throughout).
template <class Field>
Column per_action_column(std::string name, std::string unit, std::string meaning, Field field) {
  Column c;
  c.name = std::move(name);
  c.storage = Storage::float64;
  c.shape = Shape::per_action;
  c.unit = std::move(unit);
  c.meaning = std::move(meaning);
  c.get = [field](const ResultRow& r) { return Cell(std::vector<double>(field(r))); };
  c.set = [field, n = c.name](ResultRow& r, const Cell& v) { field(r) = as<std::vector<double>>(v, n); };
  return c;
}

// A column older files may lack: it reads as NaN (or no entries) there.
Column optional(Column c) {
  c.optional = true;
  return c;
}

std::vector<Column> make_columns() {
  using experiment::ExperimentKind;
  using experiment::RngMode;
  std::vector<Column> c;
  // -- the row's identity: the point's parameters (key order), its index, the run
  c.push_back(name_column<ExperimentKind>(
      "experiment", "main, ratio or convergence", KeyRole::point, "", 3,
      [](auto& r) -> auto& { return r.params.experiment; }, experiment::experiment_name, experiment::parse_experiment));
  c.push_back(name_column<scm::ScmType>(
      "scm_type", "polynomial or linear SCM", KeyRole::point, " ", 2,
      [](auto& r) -> auto& { return r.params.scm_type; }, scm::scm_type_name, scm::parse_scm_type));
  c.push_back(int_column("K", Storage::int32, "", "number of actions", KeyRole::point, " K=", 1,
                         [](auto& r) -> auto& { return r.params.K; }));
  c.push_back(int_column("n_order_fit", Storage::int32, "", "degree of the polynomial features", KeyRole::point,
                         " d=", 1, [](auto& r) -> auto& { return r.params.n_order_fit; }));
  c.push_back(name_column<fit::Regularization>(
      "regularization", "ridge or lasso", KeyRole::point, " ", 2,
      [](auto& r) -> auto& { return r.params.regularization; }, fit::regularization_name, fit::parse_regularization));
  c.push_back(name_column<RngMode>(
      "rng", "fast (Philox streams) or reference (numpy replay)", KeyRole::point, " rng=", 2,
      [](auto& r) -> auto& { return r.rng; }, experiment::rng_name, experiment::parse_rng));
  c.push_back(int_column("N", Storage::int64, "samples", "main: samples per data set (else -1)", KeyRole::point,
                         " N=", -1, [](auto& r) -> auto& { return r.params.N; }));
  c.push_back(int_column("N_avg", Storage::int64, "samples", "ratio: average samples per data set (else -1)",
                         KeyRole::point, " N_avg=", -1, [](auto& r) -> auto& { return r.params.N_avg; }));
  Column ratio = real_column("ratio", "", "ratio: N_sint / N_obs (else NaN)", [](auto& r) -> auto& { return r.params.ratio; });
  ratio.key = KeyRole::point;
  ratio.compared = false;
  ratio.describe_prefix = " ratio=";
  c.push_back(ratio);
  c.push_back(int_column("N_total", Storage::int64, "samples", "convergence: total training samples (else -1)",
                         KeyRole::point, " N_total=", -1, [](auto& r) -> auto& { return r.params.N_total; }));
  c.push_back(int_column("N_obs", Storage::int64, "samples", "observational data set size", KeyRole::point,
                         " (N_obs/N_sint/N_jint ", 0, [](auto& r) -> auto& { return r.params.N_obs; }));
  c.push_back(int_column("N_sint", Storage::int64, "samples", "size of each single-intervention data set",
                         KeyRole::point, "/", 0, [](auto& r) -> auto& { return r.params.N_sint; }));
  Column n_jint = int_column("N_jint", Storage::int64, "samples", "joint-interventional data set size",
                             KeyRole::point, "/", 0, [](auto& r) -> auto& { return r.params.N_jint; });
  n_jint.describe_suffix = ")";
  c.push_back(n_jint);
  Column point = int_column("point", Storage::int64, "", "index of the point in its sweep's grid order",
                            KeyRole::none, "", 0, [](auto& r) -> auto& { return r.point; });
  point.compared = false;
  c.push_back(point);
  c.push_back(int_column("run", Storage::int64, "", "run index r", KeyRole::run, " run ", 0,
                         [](auto& r) -> auto& { return r.run; }));
  c.push_back(int_column("seed", Storage::int64, "", "the seed of the run", KeyRole::run, " seed ", 0,
                         [](auto& r) -> auto& { return r.seed; }));
  // -- the result
  for (const bool truth : {false, true})
    for (const Method m : experiment::all_methods) {
      const std::string method(experiment::method_name(m));
      c.push_back(real_column(
          (truth ? "truth_rmse_" : "rmse_") + method, "units of Y",
          truth ? "RMSE of " + method + " against the true E[Y | do(a)] (NaN where not run)"
                : "RMSE of " + method + " against the observed Y (NaN where not run)",
          [m, truth](auto& r) -> auto& { return truth ? r.result[m].truth_rmse : r.result[m].rmse; }));
    }
  c.push_back(real_column("alpha_obs", "", "alpha chosen by cross-validation for obs (NaN where not fitted)",
                          [](auto& r) -> auto& { return r.result.alpha_obs; }));
  c.push_back(real_column("alpha_pooled", "", "alpha chosen for pooled (NaN where not fitted)",
                          [](auto& r) -> auto& { return r.result.alpha_pooled; }));
  c.push_back(real_column("alpha_jint", "", "alpha chosen for jint (NaN where not fitted)",
                          [](auto& r) -> auto& { return r.result.alpha_jint; }));
  c.push_back(per_action_column("alpha_sint", "", "alphas of the K single-intervention models (NaN where not fitted)",
                                [](auto& r) -> auto& { return r.result.alpha_sint; }));
  // 2-norm condition numbers of the matrices the refits solved at their chosen alpha (optional:
  // NaN in files written before they existed).
  c.push_back(optional(real_column("cond_obs", "", "condition number of the matrix obs's refit solved (NaN where not fitted)",
                                   [](auto& r) -> auto& { return r.result.cond_obs; })));
  c.push_back(optional(real_column("cond_pooled", "", "condition number of pooled's refit (NaN where not fitted)",
                                   [](auto& r) -> auto& { return r.result.cond_pooled; })));
  c.push_back(optional(real_column("cond_jint", "", "condition number of jint's refit (NaN where not fitted)",
                                   [](auto& r) -> auto& { return r.result.cond_jint; })));
  c.push_back(optional(per_action_column("cond_sint", "", "condition numbers of the K single-intervention refits (NaN where not fitted)",
                                         [](auto& r) -> auto& { return r.result.cond_sint; })));
  Column generate = real_column("seconds_generate", "s", "time generating data and accumulating moments",
                                [](auto& r) -> auto& { return r.result.seconds_generate; });
  generate.compared = false;
  c.push_back(generate);
  Column solve = real_column("seconds_solve", "s", "time in the cross-validated fits and scoring",
                             [](auto& r) -> auto& { return r.result.seconds_solve; });
  solve.compared = false;
  c.push_back(solve);
  c.push_back(int_column("samples_generated", Storage::int64, "samples", "samples drawn by the run", KeyRole::none,
                         "", 0, [](auto& r) -> auto& { return r.result.samples_generated; }));
  Column status;
  status.name = "status";
  status.storage = Storage::string64;
  status.meaning = "ok, or failed: <reason> (cut to 64 bytes)";
  status.get = [](const ResultRow& r) { return Cell(truncated_status(r.status)); };
  status.set = [](ResultRow& r, const Cell& v) { r.status = truncated_status(as<std::string>(v, "status")); };
  c.push_back(status);
  return c;
}

}  // namespace

const std::vector<Column>& result_columns() {
  static const std::vector<Column> columns = make_columns();
  return columns;
}

const Column* find_column(std::string_view name) {
  for (const Column& c : result_columns())
    if (c.name == name) return &c;
  return nullptr;
}

std::uint32_t schema_fingerprint() {
  boost::crc_32_type crc;
  for (const Column& c : result_columns()) {
    const std::string entry =
        c.name + ":" + std::string(storage_name(c.storage)) + (c.shape == Shape::per_action ? ":per_action;" : ";");
    crc.process_bytes(entry.data(), entry.size());
  }
  return crc.checksum();
}

namespace {

std::string type_text(const Column& c) {
  std::string t(storage_name(c.storage));
  if (c.shape == Shape::per_action) t += ", 2-D (rows x max K)";
  return t;
}

std::string flags_text(const Column& c) {
  std::string f;
  auto add = [&](const char* x) { f += f.empty() ? x : std::string(", ") + x; };
  if (c.key == KeyRole::point) add("key (point)");
  if (c.key == KeyRole::run) add("key (run)");
  if (c.compared) add("result");
  if (c.summarized) add("summarized");
  if (c.optional) add("optional");
  return f;
}

}  // namespace

std::string schema_markdown() {
  std::string out = "| column | storage | unit | meaning | role |\n|---|---|---|---|---|\n";
  for (const Column& c : result_columns()) {
    std::string meaning = c.meaning;
    if (!c.choices.empty()) {
      meaning += " (";
      for (std::size_t i = 0; i < c.choices.size(); ++i) meaning += (i ? ", `" : "`") + c.choices[i] + "`";
      meaning += ")";
    }
    std::string escaped;  // a '|' would end the Markdown cell
    for (char ch : meaning) escaped += ch == '|' ? std::string("\\|") : std::string(1, ch);
    out += "| `" + c.name + "` | " + type_text(c) + " | " + c.unit + " | " + escaped + " | " + flags_text(c) + " |\n";
  }
  return out;
}

std::string schema_json() {
  nlohmann::ordered_json columns = nlohmann::ordered_json::array();
  for (const Column& c : result_columns()) {
    nlohmann::ordered_json j;
    j["name"] = c.name;
    j["storage"] = std::string(storage_name(c.storage));
    j["shape"] = c.shape == Shape::per_action ? "per_action" : "scalar";
    j["unit"] = c.unit;
    j["meaning"] = c.meaning;
    j["key"] = c.key == KeyRole::point ? "point" : c.key == KeyRole::run ? "run" : "";
    j["compared"] = c.compared;
    j["summarized"] = c.summarized;
    j["optional"] = c.optional;
    j["choices"] = c.choices;
    columns.push_back(j);
  }
  return columns.dump(1) + "\n";
}

std::string cell_text(const Cell& cell) {
  struct Visitor {
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(std::int64_t x) const { return std::to_string(x); }
    std::string operator()(double x) const { return python_float_repr(x); }
    std::string operator()(const std::vector<double>& v) const {
      std::string out = "[";
      for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + python_float_repr(v[i]);
      return out + "]";
    }
  };
  return std::visit(Visitor{}, cell);
}

}  // namespace igbench::io
