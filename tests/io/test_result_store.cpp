// The result store: never overwrites, resumes from the snapshot plus every journal (any rank
// count), refuses another sweep, snapshots tolerate torn journal tails, finish folds and removes
// the journals.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include "igbench/io/error.hpp"
#include "igbench/io/result_store.hpp"
#include "igbench/io/results_file.hpp"
#include "io_fixtures.hpp"

namespace igbench::io {
namespace {

using testing::ScratchDir;

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

ResultStore open_store(const std::filesystem::path& path, int rank, OpenMode mode,
                       const sweep::SweepSpec& spec = testing::small_main_spec()) {
  return ResultStore::open(path, spec, testing::test_metadata(), rank, mode);
}

TEST(ResultStore, CreateThenFinishWritesEverythingAndRemovesTheJournal) {
  ScratchDir dir("store_create");
  const auto path = dir / "results.h5";
  ResultStore store = open_store(path, 0, OpenMode::create);
  EXPECT_TRUE(dir.names().empty());  // open creates nothing
  const auto rows = testing::all_rows(testing::small_main_spec());
  for (const ResultRow& r : rows) store.append(r);
  EXPECT_EQ(dir.names(), std::vector<std::string>{"results.h5.journal.0"});
  FileMetadata end = testing::test_metadata();
  end.end_time = "2026-11-30T00:00:00Z";
  end.complete = false;
  const LoadReport report = store.finish(end);
  EXPECT_EQ(report.rows, rows.size());
  EXPECT_EQ(dir.names(), std::vector<std::string>{"results.h5"});
  const ResultsFile f = read_results_file(path);
  ASSERT_EQ(f.rows.size(), rows.size());
  EXPECT_TRUE(f.metadata.complete);
  EXPECT_EQ(f.metadata.n_tasks, 12);
  EXPECT_EQ(f.metadata.experiment, "main");
  EXPECT_EQ(f.metadata.end_time, "2026-11-30T00:00:00Z");
  EXPECT_EQ(f.sweep.texts, std::vector<std::string>{sweep::canonical_text(testing::small_main_spec())});
}

TEST(ResultStore, CreateRefusesAnExistingFileOrJournals) {
  ScratchDir dir("store_refuse");
  const auto path = dir / "results.h5";
  testing::write_text(path, "anything");
  std::string what = message_of([&] { open_store(path, 0, OpenMode::create); });
  EXPECT_TRUE(contains(what, path.string() + " already exists")) << what;
  EXPECT_TRUE(contains(what, "--resume")) << what;
  EXPECT_TRUE(contains(what, "another --out")) << what;
  EXPECT_EQ(testing::read_text(path), "anything");

  const auto other = dir / "other.h5";
  {
    ResultStore s = open_store(other, 3, OpenMode::create);
    s.start_journal();
  }
  what = message_of([&] { open_store(other, 0, OpenMode::create); });
  EXPECT_TRUE(contains(what, "other.h5.journal.3 exists")) << what;
  EXPECT_TRUE(contains(what, "--resume")) << what;
  EXPECT_THROW(open_store(dir / "missing_dir" / "r.h5", 0, OpenMode::create), FileError);
}

TEST(ResultStore, SnapshotCombinesEveryRanksJournalAndToleratesTornTails) {
  ScratchDir dir("store_snapshot");
  const auto path = dir / "results.h5";
  const auto rows = testing::all_rows(testing::small_main_spec());
  std::vector<ResultStore> ranks;
  for (int r = 0; r < 3; ++r) ranks.push_back(open_store(path, r, OpenMode::create));
  for (std::size_t i = 0; i < 9; ++i) ranks[i % 3].append(rows[i]);
  // Rank 1 is being killed in the middle of a write: half a record at the end of its journal.
  {
    const auto j1 = journal_path(path, 1);
    const std::string bytes = testing::read_text(j1);
    std::ofstream(j1, std::ios::binary | std::ios::app) << bytes.substr(bytes.size() - 100, 50);
  }
  const LoadReport report = ranks[0].snapshot();
  EXPECT_EQ(report.journals, 3u);
  EXPECT_EQ(report.ignored_journal_records, 1u);
  EXPECT_EQ(report.rows, 9u);
  const ResultsFile f = read_results_file(path);
  EXPECT_EQ(f.rows.size(), 9u);
  EXPECT_FALSE(f.metadata.complete);
  EXPECT_EQ(f.metadata.end_time, "");
  EXPECT_THROW(ranks[1].snapshot(), std::logic_error);
}

TEST(ResultStore, ResumeAfterAKillWithAnotherRankCount) {
  ScratchDir dir("store_resume");
  const auto path = dir / "results.h5";
  const auto rows = testing::all_rows(testing::small_main_spec());
  {
    // First attempt: 3 ranks, a snapshot after 4 rows, then 3 more rows, a failed run and a
    // torn record; no finish (killed).
    std::vector<ResultStore> ranks;
    for (int r = 0; r < 3; ++r) ranks.push_back(open_store(path, r, OpenMode::create));
    for (std::size_t i = 0; i < 4; ++i) ranks[i % 3].append(rows[i]);
    ranks[0].snapshot();
    for (std::size_t i = 4; i < 7; ++i) ranks[i % 3].append(rows[i]);
    ResultRow failed = rows[7];
    failed.status = "failed: out of memory";
    ranks[2].append(failed);
  }
  std::ofstream(journal_path(path, 2), std::ios::binary | std::ios::app) << std::string("\x31\x43\x52\x4a\x10", 5);

  // Resume with 2 ranks.
  ResultStore r0 = open_store(path, 0, OpenMode::resume);
  ResultStore r1 = open_store(path, 1, OpenMode::resume);
  const LoadReport& report = r0.load_report();
  EXPECT_TRUE(report.file_present);
  EXPECT_EQ(report.rows_from_file, 4u);
  EXPECT_EQ(report.journals, 3u);
  EXPECT_EQ(report.rows_from_journals, 8u);
  EXPECT_EQ(report.duplicates, 4u);  // the snapshot's rows are in the journals too
  EXPECT_EQ(report.ignored_journal_records, 1u);
  EXPECT_EQ(report.conflicts, 0u);
  EXPECT_EQ(report.rows, 8u);
  EXPECT_EQ(r0.finished_tasks().size(), 7u);  // the failed run is run again
  for (std::size_t i = 0; i < rows.size(); ++i)
    EXPECT_EQ(r1.finished(static_cast<std::size_t>(rows[i].point), rows[i].run), i < 7) << i;
  EXPECT_EQ(r0.finished_keys().count(row_key(rows[6])), 1u);

  r0.start_journal();
  r1.start_journal();
  for (std::size_t i = 7; i < rows.size(); ++i) (i % 2 ? r1 : r0).append(rows[i]);
  r1.close_journal();
  const LoadReport end = r0.finish(testing::test_metadata());
  EXPECT_EQ(end.rows, rows.size());
  EXPECT_EQ(dir.names(), std::vector<std::string>{"results.h5"});  // journal.2 (old layout) folded too
  const ResultsFile f = read_results_file(path);
  ASSERT_EQ(f.rows.size(), rows.size());
  EXPECT_TRUE(f.metadata.complete);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_TRUE(same_result(f.rows[i], rows[i])) << i;  // the failed row was replaced
    EXPECT_TRUE(f.rows[i].ok());
  }
}

TEST(ResultStore, ResumeRefusesAnotherSweep) {
  ScratchDir dir("store_other");
  const auto path = dir / "results.h5";
  {
    ResultStore s = open_store(path, 0, OpenMode::create);
    s.append(testing::make_row(testing::small_main_spec(), 0, 0));
    s.snapshot();
  }
  sweep::SweepSpec other = testing::small_main_spec();
  other.N = {1000, 3000};
  std::string what = message_of([&] { open_store(path, 0, OpenMode::resume, other); });
  EXPECT_TRUE(contains(what, path.string() + " holds a different sweep")) << what;
  EXPECT_TRUE(contains(what, "it has 'N=1000,2000', this run has 'N=1000,3000'")) << what;

  // Only a journal of the other sweep on disk.
  std::filesystem::remove(path);
  what = message_of([&] { open_store(path, 0, OpenMode::resume, other); });
  EXPECT_TRUE(contains(what, "results.h5.journal.0 holds a different sweep")) << what;

  // An unreadable results file is a FileError naming it.
  testing::write_text(path, "not hdf5");
  EXPECT_THROW(open_store(path, 0, OpenMode::resume), FileError);
}

TEST(ResultStore, ResumeWithNothingOnDiskStartsFresh) {
  ScratchDir dir("store_fresh");
  ResultStore s = open_store(dir / "r.h5", 0, OpenMode::resume);
  EXPECT_TRUE(s.finished_tasks().empty());
  EXPECT_FALSE(s.load_report().file_present);
}

TEST(ResultStore, ARowThatIsNotATaskOfTheSweepIsAFileError) {
  ScratchDir dir("store_foreign_row");
  const auto path = dir / "r.h5";
  {
    ResultStore s = open_store(path, 0, OpenMode::create);
    ResultRow r = testing::make_row(testing::small_main_spec(), 1, 0);
    r.params.N = 5;  // point 1 has N = 2000
    s.append(r);
  }
  const std::string what = message_of([&] { open_store(path, 0, OpenMode::resume); });
  EXPECT_TRUE(contains(what, "r.h5.journal.0: row (point 1, run 0) is not a task of its sweep")) << what;
}

TEST(ResultStore, ResumingACompleteFileFindsEverythingFinished) {
  ScratchDir dir("store_complete");
  const auto path = dir / "r.h5";
  {
    ResultStore s = open_store(path, 0, OpenMode::create);
    for (const ResultRow& r : testing::all_rows(testing::small_main_spec())) s.append(r);
    s.finish(testing::test_metadata());
  }
  ResultStore s = open_store(path, 0, OpenMode::resume);
  EXPECT_EQ(s.finished_tasks().size(), 12u);
  s.finish(testing::test_metadata());
  EXPECT_EQ(read_results_file(path).rows.size(), 12u);
  EXPECT_EQ(dir.names(), std::vector<std::string>{"r.h5"});
}

}  // namespace
}  // namespace igbench::io

namespace igbench::io {
namespace {

// A writer killed with SIGKILL while appending loses at most the record in flight: resume finds
// runs 0..M-1 (M >= what it had reported), in order, with at most one torn record.
TEST(ResultStore, SigkillLosesAtMostTheRunInFlight) {
  testing::ScratchDir dir("store_sigkill");
  const auto path = dir / "results.h5";
  sweep::SweepSpec spec;
  spec.K = {3};
  spec.N = {1000};
  spec.N_runs = 1000000;
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(pipe_fds[0]);
    ResultStore store = ResultStore::open(path, spec, testing::test_metadata(), 0, OpenMode::create);
    for (int run = 0; run < spec.N_runs; ++run) {
      store.append(testing::make_row(spec, 0, run));
      if (run == 199) {
        const char ready = 'x';
        (void)!::write(pipe_fds[1], &ready, 1);
      }
    }
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  char ready = 0;
  ASSERT_EQ(::read(pipe_fds[0], &ready, 1), 1);
  ::close(pipe_fds[0]);
  ::usleep(20000);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));

  ResultStore resumed = ResultStore::open(path, spec, testing::test_metadata(), 0, OpenMode::resume);
  const std::size_t M = resumed.finished_tasks().size();
  EXPECT_GE(M, 200u);
  EXPECT_LT(M, static_cast<std::size_t>(spec.N_runs));
  EXPECT_LE(resumed.load_report().ignored_journal_records, 1u);
  EXPECT_EQ(resumed.load_report().conflicts, 0u);
  for (std::size_t run = 0; run < M; ++run) ASSERT_TRUE(resumed.finished(0, static_cast<int>(run))) << run;
  resumed.append(testing::make_row(spec, 0, static_cast<int>(M)));
  resumed.finish(testing::test_metadata());
  EXPECT_EQ(read_results_file(path).rows.size(), M + 1);
  EXPECT_EQ(dir.names(), std::vector<std::string>{"results.h5"});
}

}  // namespace
}  // namespace igbench::io
