// The HDF5 results file: every field round-trips, writes are atomic, bad files give one-line
// FileErrors naming the file.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <bit>
#include <cmath>

#include "igbench/io/error.hpp"
#include "igbench/io/results_file.hpp"
#include "igbench/io/schema.hpp"
#include "io_fixtures.hpp"

namespace igbench::io {
namespace {

using experiment::Method;
using testing::nan;
using testing::ScratchDir;

// Bit-for-bit equality of doubles, every NaN equal to every NaN.
void expect_same_double(double a, double b, const std::string& what) {
  if (std::isnan(a) || std::isnan(b)) {
    EXPECT_TRUE(std::isnan(a) && std::isnan(b)) << what << ": " << a << " vs " << b;
  } else {
    EXPECT_EQ(std::bit_cast<std::uint64_t>(a), std::bit_cast<std::uint64_t>(b)) << what << ": " << a << " vs " << b;
  }
}

void expect_same_row(const ResultRow& a, const ResultRow& b) {
  const std::string at = "row (point " + std::to_string(a.point) + ", run " + std::to_string(a.run) + ")";
  EXPECT_EQ(a.point, b.point) << at;
  EXPECT_TRUE(a.params == b.params) << at;
  expect_same_double(a.params.ratio, b.params.ratio, at + " ratio");
  EXPECT_EQ(a.rng, b.rng) << at;
  EXPECT_EQ(a.run, b.run) << at;
  EXPECT_EQ(a.seed, b.seed) << at;
  EXPECT_EQ(a.status, b.status) << at;
  for (Method m : experiment::all_methods) {
    expect_same_double(a.result[m].rmse, b.result[m].rmse, at + " rmse " + std::string(experiment::method_name(m)));
    expect_same_double(a.result[m].truth_rmse, b.result[m].truth_rmse, at + " truth_rmse");
  }
  expect_same_double(a.result.alpha_obs, b.result.alpha_obs, at + " alpha_obs");
  expect_same_double(a.result.alpha_pooled, b.result.alpha_pooled, at + " alpha_pooled");
  expect_same_double(a.result.alpha_jint, b.result.alpha_jint, at + " alpha_jint");
  ASSERT_EQ(a.result.alpha_sint.size(), b.result.alpha_sint.size()) << at;
  for (std::size_t k = 0; k < a.result.alpha_sint.size(); ++k)
    expect_same_double(a.result.alpha_sint[k], b.result.alpha_sint[k], at + " alpha_sint");
  expect_same_double(a.result.seconds_generate, b.result.seconds_generate, at + " seconds_generate");
  expect_same_double(a.result.seconds_solve, b.result.seconds_solve, at + " seconds_solve");
  EXPECT_EQ(a.result.samples_generated, b.result.samples_generated) << at;
  EXPECT_TRUE(same_result(a, b)) << at;
}

ResultsFile sample_file() {
  const sweep::SweepSpec spec = testing::small_main_spec();
  ResultsFile f;
  f.metadata = testing::test_metadata();
  f.sweep = SweepDescription::of(spec);
  f.rows = testing::all_rows(spec);
  // Edge values: NaN in a reported method, infinities, -0.0, the smallest subnormal, a row
  // without single-intervention fits (K=5: padded with NaN), a K=3 row next to K=5 rows, a
  // failed row.
  f.rows[0].result[Method::obs].rmse = nan;
  f.rows[1].result[Method::method].truth_rmse = std::numeric_limits<double>::infinity();
  f.rows[1].result[Method::jint].truth_rmse = -std::numeric_limits<double>::infinity();
  f.rows[2].result.alpha_obs = -0.0;
  f.rows[2].result.alpha_jint = std::numeric_limits<double>::denorm_min();
  f.rows[3].result.alpha_sint[1] = nan;  // one NaN among fitted alphas stays
  f.rows.back().result.alpha_sint.clear();
  f.rows.back().status = "failed: the Gram matrix is singular";
  f.rows[4].result.samples_generated = std::numeric_limits<std::int64_t>::max();
  return f;
}

TEST(ResultsFile, EveryFieldRoundTrips) {
  ScratchDir dir("roundtrip");
  const ResultsFile f = sample_file();
  ASSERT_EQ(f.rows.front().params.K, 3);
  ASSERT_EQ(f.rows.back().params.K, 5);
  write_results_file(dir / "results.h5", f);
  const ResultsFile g = read_results_file(dir / "results.h5");
  // complete is recomputed from the rows, never trusted: the last row failed.
  FileMetadata expected = f.metadata;
  expected.complete = false;
  EXPECT_EQ(g.metadata, expected);
  EXPECT_EQ(g.sweep.texts, f.sweep.texts);
  ASSERT_EQ(g.sweep.specs.size(), 1u);
  EXPECT_EQ(sweep::canonical_text(g.sweep.specs[0]), f.sweep.texts[0]);
  ASSERT_EQ(g.rows.size(), f.rows.size());
  for (std::size_t i = 0; i < f.rows.size(); ++i) expect_same_row(f.rows[i], g.rows[i]);
}

TEST(ResultsFile, RowsAreWrittenSortedByPointThenRun) {
  ScratchDir dir("sorted");
  ResultsFile f = sample_file();
  std::vector<ResultRow> shuffled(f.rows.rbegin(), f.rows.rend());
  std::swap(shuffled[0], shuffled[3]);
  ResultsFile h = f;
  h.rows = shuffled;
  write_results_file(dir / "r.h5", h);
  const ResultsFile g = read_results_file(dir / "r.h5");
  ASSERT_EQ(g.rows.size(), f.rows.size());
  for (std::size_t i = 0; i < f.rows.size(); ++i) {
    EXPECT_EQ(g.rows[i].point, f.rows[i].point);
    EXPECT_EQ(g.rows[i].run, f.rows[i].run);
  }
}

TEST(ResultsFile, RatioColumnAndSeveralSweepsRoundTrip) {
  ScratchDir dir("ratio");
  ResultsFile f;
  f.metadata = testing::test_metadata();
  f.sweep = SweepDescription::of(testing::small_ratio_spec());
  f.sweep.add(testing::small_main_spec());
  f.sweep.add(testing::small_main_spec());  // equal text: not added twice
  ASSERT_EQ(f.sweep.texts.size(), 2u);
  f.rows = testing::all_rows(testing::small_ratio_spec());
  write_results_file(dir / "r.h5", f);
  const ResultsFile g = read_results_file(dir / "r.h5");
  EXPECT_EQ(g.sweep.texts, f.sweep.texts);
  ASSERT_EQ(g.rows.size(), f.rows.size());
  for (std::size_t i = 0; i < f.rows.size(); ++i) expect_same_row(f.rows[i], g.rows[i]);
  EXPECT_EQ(g.rows[2].params.ratio, 1.0);
}

TEST(ResultsFile, EmptyFileRoundTrips) {
  ScratchDir dir("empty");
  ResultsFile f;
  f.metadata = testing::test_metadata();
  f.sweep = SweepDescription::of(testing::small_main_spec());
  write_results_file(dir / "e.h5", f);
  const ResultsFile g = read_results_file(dir / "e.h5");
  EXPECT_TRUE(g.rows.empty());
  FileMetadata expected = f.metadata;
  expected.complete = false;  // recomputed: no rows
  EXPECT_EQ(g.metadata, expected);
}

TEST(ResultsFile, LongStatusIsCutTo64Bytes) {
  ScratchDir dir("status");
  ResultsFile f = sample_file();
  f.rows[0].status = "failed: " + std::string(100, 'x');
  write_results_file(dir / "s.h5", f);
  EXPECT_EQ(read_results_file(dir / "s.h5").rows[0].status, truncated_status(f.rows[0].status));
  EXPECT_EQ(truncated_status(f.rows[0].status).size(), status_max_bytes);
}

TEST(ResultsFile, RejectsAlphaSintOfWrongLength) {
  ScratchDir dir("badalpha");
  ResultsFile f = sample_file();
  f.rows[0].result.alpha_sint.push_back(1.0);
  EXPECT_THROW(write_results_file(dir / "b.h5", f), std::invalid_argument);
  EXPECT_TRUE(dir.names().empty());
}

TEST(ResultsFile, AtomicWriteLeavesNoTemporaryAndReplacesTheOldFile) {
  ScratchDir dir("atomic");
  ResultsFile f = sample_file();
  write_results_file(dir / "results.h5", f);
  EXPECT_EQ(dir.names(), std::vector<std::string>{"results.h5"});
  f.rows.resize(2);
  write_results_file(dir / "results.h5", f);
  EXPECT_EQ(dir.names(), std::vector<std::string>{"results.h5"});
  EXPECT_EQ(read_results_file(dir / "results.h5").rows.size(), 2u);
}

TEST(ResultsFile, UnwritableDirectoryIsAFileErrorAndLeavesNothing) {
  ScratchDir dir("unwritable");
  const auto path = dir / "no_such_dir" / "results.h5";
  try {
    write_results_file(path, sample_file());
    FAIL() << "no exception";
  } catch (const FileError& e) {
    EXPECT_NE(std::string(e.what()).find("results.h5"), std::string::npos) << e.what();
  }
}

// The message of the FileError read_results_file throws for `path` (fails the test if none).
std::string read_error(const std::filesystem::path& path) {
  try {
    (void)read_results_file(path);
  } catch (const FileError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find('\n'), std::string::npos) << "more than one line: " << what;
    EXPECT_EQ(what.rfind(path.string() + ": ", 0), 0u) << "does not start with the path: " << what;
    EXPECT_EQ(e.path(), path);
    return what;
  }
  ADD_FAILURE() << "no FileError for " << path;
  return {};
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST(ResultsFile, MissingFile) {
  ScratchDir dir("missing");
  EXPECT_TRUE(contains(read_error(dir / "nope.h5"), "no such file"));
  EXPECT_TRUE(contains(read_error(dir.path()), "is a directory"));
}

TEST(ResultsFile, TextFileIsNotHdf5) {
  ScratchDir dir("text");
  testing::write_text(dir / "results.h5", "Run,RMSE Obs\n0,1.0\n");
  EXPECT_TRUE(contains(read_error(dir / "results.h5"), "not an HDF5 file"));
  testing::write_text(dir / "empty.h5", "");
  EXPECT_TRUE(contains(read_error(dir / "empty.h5"), "not an HDF5 file"));
}

TEST(ResultsFile, TruncatedFile) {
  ScratchDir dir("truncated");
  write_results_file(dir / "full.h5", sample_file());
  const std::string bytes = testing::read_text(dir / "full.h5");
  for (std::size_t keep : {bytes.size() / 2, bytes.size() - 1, std::size_t{800}}) {
    testing::write_text(dir / "cut.h5", bytes.substr(0, keep));
    const std::string what = read_error(dir / "cut.h5");
    EXPECT_TRUE(contains(what, "truncated or corrupt")) << keep << ": " << what;
  }
}

TEST(ResultsFile, CorruptSuperblock) {
  ScratchDir dir("corrupt");
  write_results_file(dir / "full.h5", sample_file());
  std::string bytes = testing::read_text(dir / "full.h5");
  for (std::size_t i = 8; i < 96; ++i) bytes[i] = static_cast<char>(0xA5);
  testing::write_text(dir / "bad.h5", bytes);
  const std::string what = read_error(dir / "bad.h5");
  EXPECT_FALSE(what.empty());
}

TEST(ResultsFile, ForeignHdf5File) {
  ScratchDir dir("foreign");
  const auto path = dir / "foreign.h5";
  {
    const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    const hsize_t n = 3;
    const hid_t space = H5Screate_simple(1, &n, nullptr);
    const hid_t set = H5Dcreate2(file, "x", H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const double x[3] = {1, 2, 3};
    H5Dwrite(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, x);
    H5Dclose(set);
    H5Sclose(space);
    H5Fclose(file);
  }
  EXPECT_TRUE(contains(read_error(path), "not an igbench results file"));
}

// Opens our file for editing with the C API.
template <class F>
void edit(const std::filesystem::path& path, F&& change) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  change(file);
  H5Fclose(file);
}

TEST(ResultsFile, OtherFormatOrNewerVersion) {
  ScratchDir dir("version");
  write_results_file(dir / "v.h5", sample_file());
  edit(dir / "v.h5", [](hid_t file) {
    const std::int64_t two = 2;
    const hid_t attr = H5Aopen(file, "format_version", H5P_DEFAULT);
    H5Awrite(attr, H5T_NATIVE_INT64, &two);
    H5Aclose(attr);
  });
  EXPECT_TRUE(contains(read_error(dir / "v.h5"), "format_version 2 is newer"));
}

TEST(ResultsFile, MissingOrShortColumn) {
  ScratchDir dir("columns");
  write_results_file(dir / "m.h5", sample_file());
  edit(dir / "m.h5", [](hid_t file) { H5Ldelete(file, "runs/rmse_jint", H5P_DEFAULT); });
  EXPECT_TRUE(contains(read_error(dir / "m.h5"), "lacks column 'rmse_jint'"));

  write_results_file(dir / "s.h5", sample_file());
  edit(dir / "s.h5", [](hid_t file) {
    H5Ldelete(file, "runs/seed", H5P_DEFAULT);
    const hsize_t n = 2;
    const hid_t space = H5Screate_simple(1, &n, nullptr);
    const hid_t set = H5Dcreate2(file, "runs/seed", H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const std::int64_t x[2] = {0, 1};
    H5Dwrite(set, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, x);
    H5Dclose(set);
    H5Sclose(space);
  });
  EXPECT_TRUE(contains(read_error(dir / "s.h5"), "column 'seed' has 2 rows"));
}

TEST(ResultsFile, UnknownNameInAStringColumn) {
  ScratchDir dir("names");
  write_results_file(dir / "n.h5", sample_file());
  edit(dir / "n.h5", [](hid_t file) {
    const hid_t set = H5Dopen2(file, "runs/scm_type", H5P_DEFAULT);
    const hid_t type = H5Dget_type(set);
    std::string buffer(12 * 16, '\0');
    H5Dread(set, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data());
    buffer.replace(16, 6, "cubic\0", 6);
    H5Dwrite(set, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data());
    H5Tclose(type);
    H5Dclose(set);
  });
  EXPECT_TRUE(contains(read_error(dir / "n.h5"), "unknown value 'cubic' in column 'scm_type', row 1"));
}

TEST(ResultsFile, Hdf5PrintsNothingOnErrors) {
  ScratchDir dir("quiet");
  write_results_file(dir / "full.h5", sample_file());
  testing::write_text(dir / "cut.h5", testing::read_text(dir / "full.h5").substr(0, 2000));
  ::testing::internal::CaptureStderr();
  EXPECT_THROW((void)read_results_file(dir / "cut.h5"), FileError);
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
}

TEST(ResultsFile, ColumnNamesFollowTheFormatDocument) {
  const std::vector<std::string>& c = run_columns();
  ASSERT_EQ(c.size(), result_columns().size());  // the schema's columns, in its order
  for (std::size_t i = 0; i < c.size(); ++i) EXPECT_EQ(c[i], result_columns()[i].name);
  for (const char* name : {"rmse_pooled_ref", "truth_rmse_obs", "alpha_sint", "status", "samples_generated"})
    EXPECT_NE(std::find(c.begin(), c.end(), name), c.end()) << name;
}

}  // namespace
}  // namespace igbench::io
