#include "igbench/io/merge.hpp"

#include <algorithm>
#include <map>
#include <sstream>

#include "igbench/io/error.hpp"
#include "igbench/io/result_store.hpp"
#include "igbench/io/results_file.hpp"
#include "igbench/io/row_set.hpp"

namespace igbench::io {

namespace fs = std::filesystem;

namespace {

using experiment::ExperimentKind;

// Values of one axis over every spec, distinct, in order of first appearance.
template <class T, class F>
std::vector<T> union_of(const std::vector<sweep::SweepSpec>& specs, F&& axis) {
  std::vector<T> out;
  for (const sweep::SweepSpec& s : specs)
    for (const auto& v : axis(s))
      if (std::find(out.begin(), out.end(), static_cast<T>(v)) == out.end()) out.push_back(static_cast<T>(v));
  return out;
}

template <class T, class F>
std::vector<T> one(const sweep::SweepSpec& s, F&& value_of) {
  return {static_cast<T>(value_of(s))};
}

template <class E, class F>
std::vector<std::string> names(const std::vector<E>& values, F&& name_of) {
  std::vector<std::string> out;
  for (const E& v : values) out.emplace_back(name_of(v));
  return out;
}

std::vector<sweep::SweepSpec> of_kind(const std::vector<sweep::SweepSpec>& specs, ExperimentKind e) {
  std::vector<sweep::SweepSpec> out;
  for (const sweep::SweepSpec& s : specs)
    if (s.experiment == e) out.push_back(s);
  return out;
}

}  // namespace

SweepAttributes sweep_attributes(const SweepDescription& sweeps) {
  const std::vector<sweep::SweepSpec>& specs = sweeps.specs;
  SweepAttributes a;
  auto common_string = [&](auto name_of) {
    const auto v = union_of<std::string>(specs, [&](const sweep::SweepSpec& s) { return one<std::string>(s, name_of); });
    return v.size() == 1 ? v[0] : std::string("mixed");
  };
  auto common_int = [&](auto value_of) {
    const auto v = union_of<std::int64_t>(specs, [&](const sweep::SweepSpec& s) { return one<std::int64_t>(s, value_of); });
    return v.size() == 1 ? v[0] : std::int64_t{-1};
  };
  a.experiment = common_string([](const sweep::SweepSpec& s) { return experiment::experiment_name(s.experiment); });
  a.rng = common_string([](const sweep::SweepSpec& s) { return experiment::rng_name(s.rng); });
  a.N_runs = common_int([](const sweep::SweepSpec& s) { return s.N_runs; });
  a.seed = common_int([](const sweep::SweepSpec& s) { return s.seed; });
  a.scm_type = union_of<std::string>(specs, [](const sweep::SweepSpec& s) { return names(s.scm_types, scm::scm_type_name); });
  a.regularization = union_of<std::string>(
      specs, [](const sweep::SweepSpec& s) { return names(s.regularizations, fit::regularization_name); });
  a.methods = union_of<std::string>(specs, [](const sweep::SweepSpec& s) {
    std::vector<std::string> out;
    const experiment::MethodSet m = sweep::sweep_methods(s);
    for (experiment::Method x : experiment::all_methods)
      if (m.has(x)) out.emplace_back(experiment::method_name(x));
    return out;
  });
  a.K = union_of<std::int64_t>(specs, [](const sweep::SweepSpec& s) { return s.K; });
  a.n_order_fit = union_of<std::int64_t>(specs, [](const sweep::SweepSpec& s) { return s.n_order_fit; });
  if (const auto main = of_kind(specs, ExperimentKind::main); !main.empty())
    a.N = union_of<std::int64_t>(main, [](const sweep::SweepSpec& s) { return s.N; });
  if (const auto ratio = of_kind(specs, ExperimentKind::ratio); !ratio.empty()) {
    a.N_avg = union_of<std::int64_t>(ratio, [](const sweep::SweepSpec& s) { return s.N_avg; });
    a.ratios = union_of<double>(ratio, [](const sweep::SweepSpec& s) { return s.ratios; });
  }
  if (const auto convergence = of_kind(specs, ExperimentKind::convergence); !convergence.empty())
    a.N_total = union_of<std::int64_t>(convergence, [](const sweep::SweepSpec& s) { return s.N_total; });
  return a;
}

namespace {

// The sweeps of every input, each distinct text once, in order of first appearance.
SweepDescription combined_sweeps(const std::vector<ResultsFile>& files) {
  SweepDescription d;
  for (const ResultsFile& f : files)
    for (std::size_t i = 0; i < f.sweep.texts.size(); ++i)
      if (std::find(d.texts.begin(), d.texts.end(), f.sweep.texts[i]) == d.texts.end()) {
        d.texts.push_back(f.sweep.texts[i]);
        d.specs.push_back(f.sweep.specs[i]);
      }
  return d;
}

// The merged file's metadata: the merging program's, the inputs' time span, their common parallel
// layout (-1 if they differ), and what the rows make of the sweep(s).
FileMetadata merged_metadata(const MergeOptions& options, const std::vector<ResultsFile>& files,
                             const SweepDescription& sweeps, const RowSet& rows) {
  FileMetadata m = options.metadata;
  m.start_time.clear();
  m.end_time.clear();
  for (const ResultsFile& f : files) {
    if (!f.metadata.start_time.empty() && (m.start_time.empty() || f.metadata.start_time < m.start_time))
      m.start_time = f.metadata.start_time;
    m.end_time = std::max(m.end_time, f.metadata.end_time);
  }
  auto common = [&](auto field) {
    const std::int64_t first = files.front().metadata.*field;
    for (const ResultsFile& f : files)
      if (f.metadata.*field != first) return std::int64_t{-1};
    return first;
  };
  m.ranks = common(&FileMetadata::ranks);
  m.threads = common(&FileMetadata::threads);
  m.experiment.clear();
  m.n_tasks = 0;
  for (const sweep::SweepSpec& s : sweeps.specs) {
    const std::string name(experiment::experiment_name(s.experiment));
    m.experiment = m.experiment.empty() || m.experiment == name ? name : "mixed";
    m.n_tasks += task_count(s);
  }
  m.complete = sweeps.single() && all_tasks_done(sweeps.specs.front(), rows);
  return m;
}

}  // namespace

MergeReport merge(const fs::path& out, const std::vector<fs::path>& inputs, const MergeOptions& options) {
  if (inputs.empty()) throw RefusedError("igbench merge: no input files");
  std::error_code ec;
  if (fs::exists(out, ec) && !options.overwrite)
    throw RefusedError(out.string() + " already exists; choose another output (igbench never overwrites results)");

  std::vector<ResultsFile> files;
  for (const fs::path& input : inputs) files.push_back(read_results_file(input));

  MergeReport report;
  report.inputs = inputs.size();
  RowSet rows;
  std::map<RowKey, std::size_t> source;  // the input each kept row comes from
  for (std::size_t i = 0; i < files.size(); ++i)
    for (const ResultRow& row : files[i].rows) {
      ++report.rows_read;
      const RowKey key = row_key(row);
      switch (rows.add(row)) {
        case RowSet::Outcome::added: source[key] = i; break;
        case RowSet::Outcome::replaced_failed:
          source[key] = i;
          ++report.failed_replaced;
          break;
        case RowSet::Outcome::kept_ok: ++report.failed_replaced; break;
        case RowSet::Outcome::duplicate: ++report.identical_duplicates; break;
        case RowSet::Outcome::conflict: report.conflicts.push_back({key, inputs[source[key]], inputs[i]}); break;
      }
    }
  const SweepDescription sweeps = combined_sweeps(files);
  report.sweeps = sweeps.texts.size();
  report.rows_written = rows.size();
  if (!report.conflicts.empty() && !options.keep_first) {
    report.rows_written = 0;
    return report;
  }
  ResultsFile merged;
  merged.metadata = merged_metadata(options, files, sweeps, rows);
  merged.sweep = sweeps;
  merged.rows = rows.sorted_rows();
  write_results_file(out, merged);
  report.complete = merged.metadata.complete;
  report.written = true;
  return report;
}

std::string describe(const MergeReport& r, const fs::path& out) {
  std::ostringstream s;
  s << "read " << r.rows_read << " rows from " << r.inputs << " files; " << r.identical_duplicates
    << " identical duplicates dropped";
  if (r.failed_replaced > 0) s << ", " << r.failed_replaced << " failed rows superseded by ok rows";
  s << "\n";
  for (const MergeConflict& c : r.conflicts)
    s << "conflict: " << describe(c.key) << ": " << c.first.string() << " and " << c.second.string()
      << " have different results\n";
  if (r.written) {
    s << "wrote " << r.rows_written << " rows of " << r.sweeps << (r.sweeps == 1 ? " sweep" : " sweeps") << " to "
      << out.string() << (r.complete ? " (complete)" : " (incomplete)") << "\n";
    if (!r.conflicts.empty()) s << r.conflicts.size() << " conflicts: kept the row of the earlier file\n";
  } else {
    s << "wrote nothing: " << r.conflicts.size()
      << " conflicting rows (same key, different results); pass --keep-first to keep the earlier file's rows\n";
  }
  return s.str();
}

}  // namespace igbench::io
