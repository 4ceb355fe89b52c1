// merge: shards combine to the whole sweep, identical duplicates are dropped, conflicts are
// reported and stop the merge (unless keep_first), bad inputs are refused by name.
#include <gtest/gtest.h>

#include "igbench/io/error.hpp"
#include "igbench/io/merge.hpp"
#include "igbench/io/results_file.hpp"
#include "io_fixtures.hpp"

namespace igbench::io {
namespace {

using testing::ScratchDir;

// Writes rows [begin, end) of `rows` as a shard file of `spec`.
std::filesystem::path write_shard(const ScratchDir& dir, const std::string& name, const sweep::SweepSpec& spec,
                                  std::vector<ResultRow> rows, const std::string& start, const std::string& end) {
  ResultsFile f;
  f.metadata = testing::test_metadata();
  f.metadata.complete = false;
  f.metadata.start_time = start;
  f.metadata.end_time = end;
  f.sweep = SweepDescription::of(spec);
  f.rows = std::move(rows);
  write_results_file(dir / name, f);
  return dir / name;
}

MergeOptions merge_options() {
  MergeOptions o;
  o.metadata.command_line = "igbench merge --out merged.h5 a.h5 b.h5 c.h5";
  o.metadata.igbench_version = "0.1.0-test";
  return o;
}

struct Shards {
  std::vector<ResultRow> rows;
  std::vector<std::filesystem::path> files;
};

// The small main sweep in three shards by run (as a job array by run index would split it).
Shards three_shards(const ScratchDir& dir) {
  Shards s;
  const sweep::SweepSpec spec = testing::small_main_spec();
  s.rows = testing::all_rows(spec);
  std::vector<ResultRow> parts[3];
  for (const ResultRow& r : s.rows) parts[r.run].push_back(r);
  const char* starts[3] = {"2026-11-29T10:00:00Z", "2026-11-29T09:00:00Z", "2026-11-29T11:00:00Z"};
  const char* ends[3] = {"2026-11-29T12:00:00Z", "2026-11-29T13:00:00Z", "2026-11-29T12:30:00Z"};
  for (int i = 0; i < 3; ++i)
    s.files.push_back(write_shard(dir, "shard" + std::to_string(i) + ".h5", spec, parts[i], starts[i], ends[i]));
  return s;
}

TEST(Merge, ShardsMergeToTheWholeSweep) {
  ScratchDir dir("merge_shards");
  const Shards s = three_shards(dir);
  const MergeReport r = merge(dir / "merged.h5", s.files, merge_options());
  EXPECT_TRUE(r.written);
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.rows_read, 12u);
  EXPECT_EQ(r.rows_written, 12u);
  EXPECT_EQ(r.identical_duplicates, 0u);
  EXPECT_EQ(r.sweeps, 1u);
  const ResultsFile f = read_results_file(dir / "merged.h5");
  ASSERT_EQ(f.rows.size(), s.rows.size());
  for (std::size_t i = 0; i < s.rows.size(); ++i) {  // sorted by (point, run) like the whole sweep
    EXPECT_TRUE(row_key(f.rows[i]) == row_key(s.rows[i])) << i;
    EXPECT_TRUE(same_result(f.rows[i], s.rows[i])) << i;
  }
  EXPECT_TRUE(f.metadata.complete);
  EXPECT_EQ(f.metadata.n_tasks, 12);
  EXPECT_EQ(f.metadata.experiment, "main");
  EXPECT_EQ(f.metadata.command_line, "igbench merge --out merged.h5 a.h5 b.h5 c.h5");
  EXPECT_EQ(f.metadata.start_time, "2026-11-29T09:00:00Z");
  EXPECT_EQ(f.metadata.end_time, "2026-11-29T13:00:00Z");
  EXPECT_EQ(f.metadata.ranks, 4);
  EXPECT_EQ(f.sweep.texts, std::vector<std::string>{sweep::canonical_text(testing::small_main_spec())});
  EXPECT_NE(describe(r, dir / "merged.h5").find("wrote 12 rows of 1 sweep"), std::string::npos);
}

TEST(Merge, IdenticalDuplicatesAreDropped) {
  ScratchDir dir("merge_dupes");
  Shards s = three_shards(dir);
  s.files.push_back(s.files[1]);  // the same shard twice
  const MergeReport r = merge(dir / "merged.h5", s.files, merge_options());
  EXPECT_TRUE(r.written);
  EXPECT_EQ(r.rows_read, 16u);
  EXPECT_EQ(r.identical_duplicates, 4u);
  EXPECT_EQ(read_results_file(dir / "merged.h5").rows.size(), 12u);
}

TEST(Merge, DuplicatesDifferingOnlyInTimingsAreIdentical) {
  ScratchDir dir("merge_timing");
  const sweep::SweepSpec spec = testing::small_main_spec();
  std::vector<ResultRow> a = testing::all_rows(spec), b = a;
  for (ResultRow& r : b) r.result.seconds_solve += 1.0;
  const auto fa = write_shard(dir, "a.h5", spec, a, "", "");
  const auto fb = write_shard(dir, "b.h5", spec, b, "", "");
  const MergeReport r = merge(dir / "m.h5", {fa, fb}, merge_options());
  EXPECT_TRUE(r.written);
  EXPECT_EQ(r.identical_duplicates, 12u);
  EXPECT_TRUE(r.conflicts.empty());
}

TEST(Merge, ConflictsAreReportedAndStopTheMerge) {
  ScratchDir dir("merge_conflict");
  const sweep::SweepSpec spec = testing::small_main_spec();
  const std::vector<ResultRow> rows = testing::all_rows(spec);
  std::vector<ResultRow> changed(rows.begin() + 3, rows.begin() + 6);
  changed[1].result[experiment::Method::method].rmse += 1e-12;
  const auto a = write_shard(dir, "a.h5", spec, rows, "", "");
  const auto b = write_shard(dir, "b.h5", spec, changed, "", "");
  const MergeReport r = merge(dir / "merged.h5", {a, b}, merge_options());
  EXPECT_FALSE(r.written);
  ASSERT_EQ(r.conflicts.size(), 1u);
  EXPECT_TRUE(r.conflicts[0].key == row_key(rows[4]));
  EXPECT_EQ(r.conflicts[0].first, a);
  EXPECT_EQ(r.conflicts[0].second, b);
  EXPECT_FALSE(std::filesystem::exists(dir / "merged.h5"));
  const std::string text = describe(r, dir / "merged.h5");
  EXPECT_NE(text.find("conflict: " + describe(row_key(rows[4]))), std::string::npos) << text;
  EXPECT_NE(text.find("wrote nothing"), std::string::npos) << text;

  MergeOptions keep = merge_options();
  keep.keep_first = true;
  const MergeReport k = merge(dir / "merged.h5", {a, b}, keep);
  EXPECT_TRUE(k.written);
  EXPECT_EQ(k.conflicts.size(), 1u);
  const ResultsFile f = read_results_file(dir / "merged.h5");
  ASSERT_EQ(f.rows.size(), 12u);
  EXPECT_TRUE(same_result(f.rows[4], rows[4]));  // the first file's row
}

TEST(Merge, AnOkRowSupersedesAFailedOne) {
  ScratchDir dir("merge_failed");
  const sweep::SweepSpec spec = testing::small_main_spec();
  const std::vector<ResultRow> rows = testing::all_rows(spec);
  std::vector<ResultRow> failed = rows;
  failed[2] = ResultRow{failed[2].point, failed[2].params, failed[2].rng, failed[2].run, failed[2].seed, {}, "failed: killed"};
  const auto a = write_shard(dir, "a.h5", spec, failed, "", "");
  const auto b = write_shard(dir, "b.h5", spec, {rows[2]}, "", "");
  const MergeReport r = merge(dir / "m.h5", {a, b}, merge_options());
  EXPECT_TRUE(r.written);
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.failed_replaced, 1u);
  EXPECT_TRUE(read_results_file(dir / "m.h5").rows[2].ok());
}

TEST(Merge, BadInputsAreRefusedByName) {
  ScratchDir dir("merge_bad");
  const Shards s = three_shards(dir);
  testing::write_text(dir / "text.h5", "hello\n");
  testing::write_text(dir / "cut.h5", testing::read_text(s.files[0]).substr(0, 3000));
  for (const std::string name : {"missing.h5", "text.h5", "cut.h5"}) {
    std::vector<std::filesystem::path> inputs = s.files;
    inputs.insert(inputs.begin() + 1, dir / name);
    try {
      merge(dir / "merged.h5", inputs, merge_options());
      ADD_FAILURE() << name;
    } catch (const FileError& e) {
      EXPECT_EQ(std::string(e.what()).rfind((dir / name).string() + ": ", 0), 0u) << e.what();
    }
    EXPECT_FALSE(std::filesystem::exists(dir / "merged.h5"));
  }
}

TEST(Merge, RefusesAnExistingOutputUnlessOverwrite) {
  ScratchDir dir("merge_exists");
  const Shards s = three_shards(dir);
  EXPECT_THROW(merge(s.files[0], s.files, merge_options()), RefusedError);
  EXPECT_THROW(merge(dir / "m.h5", {}, merge_options()), RefusedError);
  MergeOptions o = merge_options();
  o.overwrite = true;
  EXPECT_TRUE(merge(s.files[0], s.files, o).written);
  EXPECT_EQ(read_results_file(s.files[0]).rows.size(), 12u);
}

TEST(Merge, DifferentSweepsKeepEverySpecText) {
  ScratchDir dir("merge_mixed");
  const auto a = write_shard(dir, "a.h5", testing::small_main_spec(), testing::all_rows(testing::small_main_spec()), "", "");
  const auto b = write_shard(dir, "b.h5", testing::small_ratio_spec(), testing::all_rows(testing::small_ratio_spec()), "", "");
  const MergeReport r = merge(dir / "m.h5", {a, b, a}, merge_options());
  EXPECT_TRUE(r.written);
  EXPECT_EQ(r.sweeps, 2u);
  EXPECT_FALSE(r.complete);
  const ResultsFile f = read_results_file(dir / "m.h5");
  EXPECT_EQ(f.rows.size(), 12u + 6u);
  EXPECT_EQ(f.metadata.experiment, "mixed");
  EXPECT_EQ(f.metadata.n_tasks, 12 + 6);
  EXPECT_FALSE(f.metadata.complete);
  ASSERT_EQ(f.sweep.texts.size(), 2u);
  EXPECT_EQ(f.sweep.texts[0], sweep::canonical_text(testing::small_main_spec()));
  EXPECT_EQ(f.sweep.texts[1], sweep::canonical_text(testing::small_ratio_spec()));
  EXPECT_EQ(f.sweep.joined_text(), f.sweep.texts[0] + "---\n" + f.sweep.texts[1]);
}

}  // namespace
}  // namespace igbench::io
