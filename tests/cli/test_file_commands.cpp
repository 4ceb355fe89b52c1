// File commands on a results file with no rows (what a sweep leaves when killed before its first
// run finishes): it opens, and export says that there is nothing to write.
#include <gtest/gtest.h>

#include "igbench/io/result_store.hpp"
#include "support/process.hpp"

namespace igbench::cli {
namespace {

TEST(FileCommands, ExportOfAFileWithoutRowsSaysSo) {
  test::TempDir dir;
  const auto h5 = dir.path / "empty.h5";
  sweep::SweepSpec spec;
  spec.N = {1000};
  spec.N_runs = 3;
  {
    io::ResultStore store = io::ResultStore::open(h5, spec, io::program_metadata("test", 1, 1), 0, io::OpenMode::create);
    store.snapshot();  // what the driver writes before the first run
  }
  ASSERT_TRUE(std::filesystem::exists(h5));
  const std::string bin = IGBENCH_BINARY;
  const test::ProcessResult r = test::run_process(bin + " export " + h5.string() + " --out " + dir.path.string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("has no rows"), std::string::npos) << r.err;
  EXPECT_EQ(test::count_lines(r.err), 1) << r.err;
  const test::ProcessResult s = test::run_process(bin + " summary " + h5.string());
  EXPECT_EQ(s.exit_code, 0) << s.err;
}

}  // namespace
}  // namespace igbench::cli
