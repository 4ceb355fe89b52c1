#pragma once
// The result store of a running sweep: every rank appends finished runs to its journal
// (PATH.journal.<rank>); rank 0 periodically rewrites PATH from everything on disk (snapshot) and
// at the end folds the journals into PATH and removes them (finish). A kill at any moment leaves
// the last snapshot plus journals, from which `resume` continues.
//
// Use by the sweep driver (no MPI here; the barriers are the driver's):
//   every rank:  store = ResultStore::open(path, spec, metadata, rank, mode)   (checks, loads)
//                -- barrier: no rank creates a journal before every rank has checked the disk --
//                skip tasks with store.finished(point, run); store.append(row) per finished run
//                store.close_journal()
//   rank 0:      store.snapshot() every few minutes (tolerates torn journal tails)
//                -- barrier: every rank has closed its journal --
//                store.finish(end_metadata)
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "igbench/io/journal.hpp"
#include "igbench/io/metadata.hpp"
#include "igbench/io/row_set.hpp"

namespace igbench::io {

enum class OpenMode {
  create,  // a new sweep: refuses an existing PATH or journals (never overwrite silently)
  resume,  // continue: loads PATH if present and every PATH.journal.*; refuses another sweep
};

// What open() (or a snapshot) found on disk.
struct LoadReport {
  bool file_present = false;
  std::size_t rows_from_file = 0;
  std::size_t journals = 0;
  std::size_t rows_from_journals = 0;  // records read, duplicates included
  std::size_t ignored_journal_records = 0;  // torn or corrupt records skipped
  std::size_t duplicates = 0;          // identical rows seen twice (e.g. in PATH and a journal)
  std::size_t conflicts = 0;           // same key, different result: the first was kept
  std::size_t rows = 0;                // distinct rows after combining
};

class ResultStore {
 public:
  // Checks the disk and loads what is there (creates nothing). `metadata` describes this
  // program (version, commit, command line, host, start time, ranks, threads); the store fills in
  // experiment, n_tasks and complete when it writes PATH.
  // Throws RefusedError (PATH or journals exist in create mode; another sweep in PATH or a
  // journal in resume mode) or FileError (an unreadable PATH or journal, a row not of this sweep).
  static ResultStore open(const std::filesystem::path& path, const sweep::SweepSpec& spec,
                          const FileMetadata& metadata, int rank, OpenMode mode, SyncPolicy sync = {});

  // Finished work: rows with status "ok" (failed runs are run again on resume).
  bool finished(std::size_t point, int run) const;
  const std::set<std::pair<std::int64_t, std::int32_t>>& finished_tasks() const { return finished_tasks_; }
  const std::set<RowKey>& finished_keys() const { return finished_keys_; }
  // The rows loaded by open(), sorted by (point, run).
  std::vector<ResultRow> loaded_rows() const { return loaded_.sorted_rows(); }
  const LoadReport& load_report() const { return load_report_; }

  // Creates this rank's journal (or reopens it on resume, cutting a torn tail). append() calls it
  // when needed; call it explicitly after the barrier that follows open().
  void start_journal();
  // Appends a finished run to this rank's journal (one write; fdatasync per the sync policy).
  void append(const ResultRow& row);
  void sync();
  void close_journal();

  // Rank 0: atomically rewrites PATH from the rows loaded by open() plus every journal now on
  // disk (torn tails ignored). Returns what it combined.
  LoadReport snapshot();
  // Rank 0, after every rank closed its journal: closes its own, writes PATH a last time with
  // `end` as metadata (end_time set by the caller; experiment, n_tasks and complete filled in),
  // then removes the journals it folded in.
  LoadReport finish(const FileMetadata& end);

  const std::filesystem::path& path() const { return path_; }
  const std::string& spec_text() const { return spec_text_; }

 private:
  ResultStore() = default;
  void load_file(const std::filesystem::path& file, RowSet& into, LoadReport& report) const;
  std::vector<std::filesystem::path> load_journals(RowSet& into, LoadReport& report) const;
  void add_checked(const ResultRow& row, const std::filesystem::path& source, RowSet& into, LoadReport& report) const;
  void note_finished(const ResultRow& row);
  FileMetadata file_metadata(FileMetadata base, const RowSet& rows) const;
  LoadReport write_combined(const FileMetadata& base, std::vector<std::filesystem::path>* journals_read);

  std::filesystem::path path_;
  sweep::SweepSpec spec_;
  std::string spec_text_;
  std::vector<sweep::SweepPoint> points_;
  FileMetadata metadata_;
  int rank_ = 0;
  OpenMode mode_ = OpenMode::create;
  SyncPolicy sync_;
  RowSet loaded_;
  LoadReport load_report_;
  std::set<std::pair<std::int64_t, std::int32_t>> finished_tasks_;
  std::set<RowKey> finished_keys_;
  std::optional<JournalWriter> journal_;
};

// Whether every (point, run) task of `spec` has an ok row in `rows` (rows of other sweeps ignored).
bool all_tasks_done(const sweep::SweepSpec& spec, const RowSet& rows);

}  // namespace igbench::io
