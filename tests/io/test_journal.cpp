// The journal: rows round-trip, a torn or corrupt record is skipped and counted, a bad header is
// a FileError, fdatasync follows the (injected) clock.
#include <gtest/gtest.h>

#include <cmath>

#include "igbench/io/error.hpp"
#include "igbench/io/journal.hpp"
#include "io_fixtures.hpp"

namespace igbench::io {
namespace {

using testing::ScratchDir;

JournalHeader sample_header(int rank = 0) {
  JournalHeader h;
  h.spec_text = sweep::canonical_text(testing::small_main_spec());
  h.metadata = testing::test_metadata();
  h.rank = rank;
  return h;
}

// A journal with every row of the small main sweep; returns the rows.
std::vector<ResultRow> write_sample(const std::filesystem::path& path) {
  std::vector<ResultRow> rows = testing::all_rows(testing::small_main_spec());
  rows[0].result[experiment::Method::obs].rmse = testing::nan;
  rows[1].result.alpha_sint.clear();
  rows[2].status = "failed: out of memory";
  JournalWriter w = JournalWriter::create(path, sample_header());
  for (const ResultRow& r : rows) w.append(r);
  w.close();
  return rows;
}

void expect_rows(const std::vector<ResultRow>& got, const std::vector<ResultRow>& want, std::size_t n) {
  ASSERT_EQ(got.size(), n);
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_TRUE(row_key(got[i]) == row_key(want[i])) << i;
    EXPECT_TRUE(same_result(got[i], want[i])) << i;
    EXPECT_EQ(got[i].point, want[i].point);
    EXPECT_EQ(got[i].result.seconds_solve, want[i].result.seconds_solve);
  }
}

TEST(Journal, Crc32KnownAnswer) {
  // The CRC-32 check value of "123456789" (IEEE 802.3).
  EXPECT_EQ(crc32("123456789", 9), 0xCBF43926u);
  EXPECT_EQ(crc32("", 0), 0u);
}

TEST(Journal, RowCodecRoundTrips) {
  for (const ResultRow& r : testing::all_rows(testing::small_ratio_spec())) {
    const ResultRow back = decode_row(encode_row(r));
    EXPECT_TRUE(row_key(back) == row_key(r));
    EXPECT_TRUE(same_result(back, r));
    EXPECT_EQ(back.params.ratio, r.params.ratio);
  }
  const std::string payload = encode_row(testing::make_row(testing::small_main_spec(), 0, 0));
  EXPECT_THROW(decode_row(payload.substr(0, payload.size() - 1)), std::invalid_argument);
  EXPECT_THROW(decode_row(payload + "x"), std::invalid_argument);
}

TEST(Journal, HeaderAndRowsRoundTrip) {
  ScratchDir dir("journal_rt");
  const auto path = journal_path(dir / "results.h5", 3);
  EXPECT_EQ(path.filename(), "results.h5.journal.3");
  const std::vector<ResultRow> rows = write_sample(path);
  const JournalContents c = read_journal(path);
  EXPECT_EQ(c.header, sample_header());
  EXPECT_EQ(c.ignored_records, 0u);
  EXPECT_EQ(c.ignored_bytes, 0u);
  expect_rows(c.rows, rows, rows.size());
  EXPECT_TRUE(std::isnan(c.rows[0].result[experiment::Method::obs].rmse));
  EXPECT_EQ(c.rows[2].status, "failed: out of memory");
  EXPECT_EQ(dir.names(), std::vector<std::string>{"results.h5.journal.3"});
}

TEST(Journal, CreateRefusesAnExistingJournal) {
  ScratchDir dir("journal_exists");
  const auto path = journal_path(dir / "r.h5", 0);
  write_sample(path);
  EXPECT_THROW(JournalWriter::create(path, sample_header()), FileError);
  EXPECT_EQ(read_journal(path).rows.size(), 12u);
}

TEST(Journal, TornTailAtEveryByteOfTheLastRecord) {
  ScratchDir dir("journal_torn");
  const auto path = journal_path(dir / "r.h5", 0);
  const std::vector<ResultRow> rows = write_sample(path);
  const std::string bytes = testing::read_text(path);
  const std::size_t last_record = bytes.size() - (12 + encode_row(rows.back()).size());
  for (std::size_t cut = last_record; cut <= bytes.size(); ++cut) {
    testing::write_text(dir / "cut", bytes.substr(0, cut));
    const JournalContents c = read_journal(dir / "cut");
    const bool whole = cut == bytes.size();
    expect_rows(c.rows, rows, whole ? rows.size() : rows.size() - 1);
    EXPECT_EQ(c.ignored_records, (cut == last_record || whole) ? 0u : 1u) << cut;
    EXPECT_EQ(c.ignored_bytes, whole ? 0u : cut - last_record) << cut;
    EXPECT_EQ(c.valid_end, whole ? bytes.size() : last_record) << cut;
  }
}

TEST(Journal, CorruptRecordInTheMiddleIsSkipped) {
  ScratchDir dir("journal_corrupt");
  const auto path = journal_path(dir / "r.h5", 0);
  const std::vector<ResultRow> rows = write_sample(path);
  const std::string bytes = testing::read_text(path);
  const std::size_t record = 12 + encode_row(rows[0]).size();  // rows[1] is shorter (no alpha_sint)
  const std::size_t header = bytes.size() - [&] {
    std::size_t s = 0;
    for (const ResultRow& r : rows) s += 12 + encode_row(r).size();
    return s;
  }();
  for (std::size_t offset : {std::size_t{0}, std::size_t{5}, std::size_t{40}, record - 1}) {
    std::string bad = bytes;
    bad[header + offset] = static_cast<char>(bad[header + offset] ^ 0x10);
    testing::write_text(dir / "bad", bad);
    const JournalContents c = read_journal(dir / "bad");
    EXPECT_EQ(c.ignored_records, 1u) << offset;
    EXPECT_EQ(c.ignored_bytes, record) << offset;
    std::vector<ResultRow> rest(rows.begin() + 1, rows.end());
    expect_rows(c.rows, rest, rest.size());
  }
}

TEST(Journal, BadHeaderIsAFileError) {
  ScratchDir dir("journal_header");
  const auto path = journal_path(dir / "r.h5", 0);
  write_sample(path);
  const std::string bytes = testing::read_text(path);
  auto error_of = [&](const std::string& content) -> std::string {
    testing::write_text(dir / "h", content);
    try {
      (void)read_journal(dir / "h");
    } catch (const FileError& e) {
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
      EXPECT_EQ(std::string(e.what()).rfind((dir / "h").string() + ": ", 0), 0u) << e.what();
      return e.what();
    }
    return "no error";
  };
  EXPECT_NE(error_of("").find("bad magic"), std::string::npos);
  EXPECT_NE(error_of("hello, world\n").find("not an igbench journal"), std::string::npos);
  for (std::size_t cut : {std::size_t{8}, std::size_t{12}, std::size_t{20}, std::size_t{100}})
    EXPECT_NE(error_of(bytes.substr(0, cut)).find("journal header"), std::string::npos) << cut;
  std::string flipped = bytes;
  flipped[30] = static_cast<char>(flipped[30] ^ 1);
  EXPECT_NE(error_of(flipped).find("CRC mismatch"), std::string::npos);
  std::string version = bytes;
  version[8] = 9;
  EXPECT_NE(error_of(version).find("journal version 9"), std::string::npos);
  try {
    (void)read_journal(dir / "none");
    FAIL();
  } catch (const FileError& e) {
    EXPECT_NE(std::string(e.what()).find("no such file"), std::string::npos);
  }
}

TEST(Journal, ReopenCutsATornTailAndAppends) {
  ScratchDir dir("journal_reopen");
  const auto path = journal_path(dir / "r.h5", 1);
  const std::vector<ResultRow> rows = write_sample(path);
  const std::string bytes = testing::read_text(path);
  testing::write_text(path, bytes.substr(0, bytes.size() - 7));
  {
    JournalWriter w = JournalWriter::reopen(path);
    EXPECT_EQ(w.header(), sample_header());
    w.append(rows.back());
  }
  const JournalContents c = read_journal(path);
  EXPECT_EQ(c.ignored_records, 0u);
  expect_rows(c.rows, rows, rows.size());
}

TEST(Journal, SyncFollowsTheInjectedClock) {
  ScratchDir dir("journal_sync");
  using namespace std::chrono_literals;
  auto t = SyncPolicy::Clock::time_point{};
  SyncPolicy policy;
  policy.interval = 2000ms;
  policy.now = [&] { return t; };
  JournalWriter w = JournalWriter::create(journal_path(dir / "r.h5", 0), sample_header(), policy);
  const ResultRow row = testing::make_row(testing::small_main_spec(), 0, 0);
  w.append(row);
  t += 500ms;
  w.append(row);
  t += 1400ms;
  w.append(row);
  EXPECT_EQ(w.syncs(), 0u);  // 1.9 s since creation
  t += 100ms;
  w.append(row);
  EXPECT_EQ(w.syncs(), 1u);  // 2.0 s
  t += 1s;
  w.append(row);
  EXPECT_EQ(w.syncs(), 1u);
  w.sync();
  EXPECT_EQ(w.syncs(), 2u);
  w.sync();  // nothing new: no fdatasync
  EXPECT_EQ(w.syncs(), 2u);
  w.append(row);
  w.close();
  EXPECT_EQ(w.syncs(), 3u);  // close syncs
  EXPECT_EQ(w.records_appended(), 6u);
  EXPECT_THROW(w.append(row), FileError);
}

TEST(Journal, ExistingJournalsAreFoundByRank) {
  ScratchDir dir("journal_list");
  for (int rank : {10, 2, 0}) JournalWriter::create(journal_path(dir / "r.h5", rank), sample_header(rank));
  testing::write_text(dir / "r.h5.journal.x", "");
  testing::write_text(dir / "r.h5.journal.1.tmp.5.0", "");
  testing::write_text(dir / "other.h5.journal.4", "");
  const auto found = existing_journals(dir / "r.h5");
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].filename(), "r.h5.journal.0");
  EXPECT_EQ(found[1].filename(), "r.h5.journal.2");
  EXPECT_EQ(found[2].filename(), "r.h5.journal.10");
}

}  // namespace
}  // namespace igbench::io
