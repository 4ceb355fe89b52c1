#include "igbench/io/result_store.hpp"

#include <stdexcept>

#include "igbench/io/error.hpp"
#include "igbench/io/file_ops.hpp"
#include "igbench/io/results_file.hpp"

namespace igbench::io {

namespace fs = std::filesystem;

namespace {

std::string refuse_other_sweep(const fs::path& where, const std::string& found, const std::string& ours) {
  return where.string() + " holds a different sweep (" + first_difference(found, "it", ours, "this run") +
         "); use the same sweep options to resume it, or another --out";
}

}  // namespace

bool all_tasks_done(const sweep::SweepSpec& spec, const RowSet& rows) {
  for (const sweep::SweepPoint& p : sweep::expand_points(spec))
    for (int run = 0; run < spec.N_runs; ++run) {
      const auto it = rows.by_key().find(task_key(spec, p, run));
      if (it == rows.by_key().end() || !it->second.ok()) return false;
    }
  return true;
}

ResultStore ResultStore::open(const fs::path& path, const sweep::SweepSpec& spec, const FileMetadata& metadata,
                              int rank, OpenMode mode, SyncPolicy sync) {
  ResultStore s;
  s.path_ = path;
  s.spec_ = spec;
  s.spec_text_ = sweep::canonical_text(spec);
  s.points_ = sweep::expand_points(spec);
  s.metadata_ = metadata;
  s.rank_ = rank;
  s.mode_ = mode;
  s.sync_ = std::move(sync);

  std::error_code ec;
  const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  if (!fs::is_directory(dir, ec)) throw FileError(path, "its directory " + dir.string() + " does not exist");
  const bool file_exists = fs::exists(path, ec);
  const std::vector<fs::path> journals = existing_journals(path);
  if (mode == OpenMode::create) {
    if (file_exists)
      throw RefusedError(path.string() + " already exists; use --resume to continue it, or another --out "
                                         "(igbench never overwrites results)");
    if (!journals.empty())
      throw RefusedError(journals.front().string() + " exists (journal of an interrupted run of " + path.string() +
                         "); use --resume to continue it, or another --out");
    return s;
  }
  LoadReport& report = s.load_report_;
  // The writer that left these is gone (resuming implies it): its half-written temporaries are
  // garbage and must not linger as unreadable files.
  remove_stale_temporaries(path);
  if (file_exists) s.load_file(path, s.loaded_, report);
  s.load_journals(s.loaded_, report);
  report.rows = s.loaded_.size();
  for (const auto& [key, row] : s.loaded_.by_key()) s.note_finished(row);
  return s;
}

// Adds a row read from `source` after checking it is a task of this sweep.
void ResultStore::add_checked(const ResultRow& row, const fs::path& source, RowSet& into, LoadReport& report) const {
  const bool in_grid = row.point >= 0 && static_cast<std::size_t>(row.point) < points_.size() && row.run >= 0 &&
                       row.run < spec_.N_runs;
  if (!in_grid || !(row_key(row) == task_key(spec_, points_[static_cast<std::size_t>(row.point)], row.run)))
    throw FileError(source, "row (point " + std::to_string(row.point) + ", run " + std::to_string(row.run) +
                                ") is not a task of its sweep");
  switch (into.add(row)) {
    case RowSet::Outcome::duplicate:
    case RowSet::Outcome::kept_ok: ++report.duplicates; break;
    case RowSet::Outcome::conflict: ++report.conflicts; break;
    case RowSet::Outcome::added:
    case RowSet::Outcome::replaced_failed: break;
  }
}

void ResultStore::load_file(const fs::path& file, RowSet& into, LoadReport& report) const {
  const ResultsFile f = read_results_file(file);
  const std::string found = f.sweep.joined_text();
  if (!f.sweep.single() || found != spec_text_) throw RefusedError(refuse_other_sweep(file, found, spec_text_));
  report.file_present = true;
  report.rows_from_file += f.rows.size();
  for (const ResultRow& row : f.rows) add_checked(row, file, into, report);
}

std::vector<fs::path> ResultStore::load_journals(RowSet& into, LoadReport& report) const {
  std::vector<fs::path> read;
  for (const fs::path& journal : existing_journals(path_)) {
    const JournalContents c = read_journal(journal);
    if (c.header.spec_text != spec_text_)
      throw RefusedError(refuse_other_sweep(journal, c.header.spec_text, spec_text_));
    ++report.journals;
    report.rows_from_journals += c.rows.size();
    report.ignored_journal_records += c.ignored_records;
    for (const ResultRow& row : c.rows) add_checked(row, journal, into, report);
    read.push_back(journal);
  }
  return read;
}

void ResultStore::note_finished(const ResultRow& row) {
  if (!row.ok()) return;
  finished_tasks_.emplace(row.point, row.run);
  finished_keys_.insert(row_key(row));
}

bool ResultStore::finished(std::size_t point, int run) const {
  return finished_tasks_.count({static_cast<std::int64_t>(point), run}) > 0;
}

void ResultStore::start_journal() {
  if (journal_) return;
  const fs::path own = journal_path(path_, rank_);
  std::error_code ec;
  if (mode_ == OpenMode::resume && fs::exists(own, ec)) {
    journal_.emplace(JournalWriter::reopen(own, sync_));
    if (journal_->header().spec_text != spec_text_)
      throw RefusedError(refuse_other_sweep(own, journal_->header().spec_text, spec_text_));
    return;
  }
  JournalHeader header;
  header.spec_text = spec_text_;
  header.metadata = metadata_;
  header.rank = rank_;
  journal_.emplace(JournalWriter::create(own, header, sync_));
}

void ResultStore::append(const ResultRow& row) {
  start_journal();
  journal_->append(row);
  note_finished(row);
}

void ResultStore::sync() {
  if (journal_) journal_->sync();
}

void ResultStore::close_journal() {
  if (journal_) journal_->close();
}

FileMetadata ResultStore::file_metadata(FileMetadata base, const RowSet& rows) const {
  base.experiment = std::string(experiment::experiment_name(spec_.experiment));
  base.n_tasks = static_cast<std::int64_t>(points_.size()) * spec_.N_runs;
  base.complete = all_tasks_done(spec_, rows);
  return base;
}

LoadReport ResultStore::write_combined(const FileMetadata& base, std::vector<fs::path>* journals_read) {
  if (rank_ != 0) throw std::logic_error("only rank 0 writes " + path_.string());
  RowSet rows = loaded_;
  LoadReport report;
  report.file_present = load_report_.file_present;
  report.rows_from_file = load_report_.rows_from_file;
  std::vector<fs::path> read = load_journals(rows, report);
  report.rows = rows.size();
  ResultsFile f;
  f.metadata = file_metadata(base, rows);
  f.sweep = SweepDescription::of(spec_);
  f.rows = rows.sorted_rows();
  write_results_file(path_, f);
  if (journals_read != nullptr) *journals_read = std::move(read);
  return report;
}

LoadReport ResultStore::snapshot() {
  FileMetadata m = metadata_;
  m.end_time.clear();
  return write_combined(m, nullptr);
}

LoadReport ResultStore::finish(const FileMetadata& end) {
  close_journal();
  std::vector<fs::path> journals;
  const LoadReport report = write_combined(end, &journals);
  // PATH now holds every row of these journals (and is durable): they can go.
  for (const fs::path& j : journals) {
    std::error_code ec;
    fs::remove(j, ec);
    if (ec) throw FileError(j, "cannot remove the journal after folding it into " + path_.string() + " (" + ec.message() + ")");
  }
  if (!journals.empty()) fsync_parent_directory(path_);
  return report;
}

}  // namespace igbench::io
