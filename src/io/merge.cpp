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
