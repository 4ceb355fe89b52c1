// Results files that crash or hang libhdf5 1.10 (found by fuzzing, kept in
// tests/fuzz/regressions/fuzz_results_file/): the reader parses every file in a forked child
// first, so each gives a one-line FileError naming the file, never a signal in this process.
#include <gtest/gtest.h>

#include <filesystem>

#include "igbench/io/error.hpp"
#include "igbench/io/results_file.hpp"

namespace igbench::io {
namespace {

namespace fs = std::filesystem;

TEST(HostileFiles, EveryFuzzFoundCrashOrHangIsAFileError) {
  const fs::path dir = fs::path(IGBENCH_SOURCE_DIR) / "tests/fuzz/regressions/fuzz_results_file";
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".h5") continue;
    ++files;
    try {
      (void)read_results_file(entry.path());
      ADD_FAILURE() << entry.path() << " was read as a valid results file";
    } catch (const FileError& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find(entry.path().string()), std::string::npos) << message;
      EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
  }
  EXPECT_GE(files, 7) << "the regression inputs are missing";
}

}  // namespace
}  // namespace igbench::io
