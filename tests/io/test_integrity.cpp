// Integrity on read (issue 12): edited values caught by the digest, rows checked against /sweep,
// `complete` recomputed, a crashing parse isolated in a child process.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <chrono>
#include <csignal>
#include <thread>

#include "igbench/io/error.hpp"
#include "igbench/io/isolated.hpp"
#include "igbench/io/results_file.hpp"
#include "io_fixtures.hpp"

namespace igbench::io {
namespace {

using testing::ScratchDir;

ResultsFile complete_file() {
  ResultsFile f;
  f.metadata = testing::test_metadata();
  f.sweep = SweepDescription::of(testing::small_main_spec());
  f.rows = testing::all_rows(testing::small_main_spec());
  return f;
}

std::string read_error(const std::filesystem::path& path) {
  try {
    (void)read_results_file(path);
  } catch (const FileError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no FileError for " << path;
  return {};
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(Integrity, AValueEditedThroughHdf5IsCaughtByTheDigest) {
  // HDF5 recomputes the Fletcher32 checksum of an edited chunk: only the digest sees the change.
  ScratchDir dir("digest");
  write_results_file(dir / "d.h5", complete_file());
  const hid_t file = H5Fopen((dir / "d.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  const hid_t set = H5Dopen2(file, "runs/rmse_obs", H5P_DEFAULT);
  std::vector<double> values(12);
  H5Dread(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  values[5] *= 1.0000001;
  H5Dwrite(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  H5Dclose(set);
  H5Fclose(file);
  EXPECT_TRUE(contains(read_error(dir / "d.h5"), "do not match its digest")) << read_error(dir / "d.h5");
}

TEST(Integrity, RowsMustBeTasksOfTheSweepAndKeysUnique) {
  ScratchDir dir("tasks");
  ResultsFile f = complete_file();
  f.rows[3].point = 0;  // the row's parameters are another point's
  write_results_file(dir / "p.h5", f);
  EXPECT_TRUE(contains(read_error(dir / "p.h5"), "is not a task of the file's /sweep")) << read_error(dir / "p.h5");

  f = complete_file();
  f.sweep = SweepDescription::of(testing::small_ratio_spec());  // rows of another sweep
  write_results_file(dir / "s.h5", f);
  EXPECT_TRUE(contains(read_error(dir / "s.h5"), "is not a task"));

  f = complete_file();
  f.rows.push_back(f.rows[2]);  // the same key twice
  write_results_file(dir / "k.h5", f);
  EXPECT_TRUE(contains(read_error(dir / "k.h5"), "repeats the key of an earlier row")) << read_error(dir / "k.h5");
}

TEST(Integrity, CompleteIsRecomputedNeverTrusted) {
  ScratchDir dir("complete");
  ResultsFile f = complete_file();
  f.metadata.complete = false;
  f.metadata.n_tasks = 3;
  f.metadata.experiment = "ratio";
  write_results_file(dir / "c.h5", f);
  FileMetadata m = read_results_file(dir / "c.h5").metadata;
  EXPECT_TRUE(m.complete);
  EXPECT_EQ(m.n_tasks, 12);
  EXPECT_EQ(m.experiment, "main");
  f.rows.pop_back();
  f.metadata.complete = true;
  write_results_file(dir / "c.h5", f);
  EXPECT_FALSE(read_results_file(dir / "c.h5").metadata.complete);
}

TEST(Integrity, TheImageParserIsTheFileReader) {
  const ResultsFile f = complete_file();
  const std::string bytes = results_file_image(f, "memory.h5");
  const ResultsFile g = read_results_image(bytes, "memory.h5");
  ASSERT_EQ(g.rows.size(), f.rows.size());
  for (std::size_t i = 0; i < f.rows.size(); ++i) EXPECT_TRUE(same_result(g.rows[i], f.rows[i])) << i;
  try {
    (void)read_results_image(bytes.substr(0, bytes.size() / 2), "half.h5");
    ADD_FAILURE() << "a truncated image was accepted";
  } catch (const FileError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("half.h5: ", 0), 0u) << e.what();
  }
}

TEST(Isolated, OutcomesOfTheChild) {
  using Kind = IsolatedOutcome::Kind;
  EXPECT_EQ(run_isolated([] {}, std::chrono::seconds(30)).kind, Kind::ok);
  const IsolatedOutcome error = run_isolated([] { throw std::runtime_error("bad bytes"); }, std::chrono::seconds(30));
  EXPECT_EQ(error.kind, Kind::error);
  EXPECT_EQ(error.message, "bad bytes");
  const IsolatedOutcome crash = run_isolated([] { std::raise(SIGSEGV); }, std::chrono::seconds(30));
  EXPECT_EQ(crash.kind, Kind::crashed);
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer handles the SIGSEGV itself, reports it and exits with status 1.
  EXPECT_TRUE(contains(crash.message, "exit status")) << crash.message;
#else
  EXPECT_TRUE(contains(crash.message, "signal 11")) << crash.message;
#endif
  const IsolatedOutcome slow =
      run_isolated([] { std::this_thread::sleep_for(std::chrono::seconds(30)); }, std::chrono::seconds(1));
  EXPECT_EQ(slow.kind, Kind::timed_out);
}

}  // namespace
}  // namespace igbench::io
