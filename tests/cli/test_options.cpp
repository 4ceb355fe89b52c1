// Strict command line: every kind of bad input is refused with one line saying what and where
// (UsageError -> exit 2); nothing else slips through as a silent default or a wrong number.
#include <gtest/gtest.h>

#include <limits>

#include "igbench/cli/experiment_options.hpp"
#include "igbench/cli/feasibility.hpp"
#include "igbench/cli/options.hpp"
#include "support/process.hpp"

namespace igbench::cli {
namespace {

// The UsageError message of parsing `args` for `command`, or "" when accepted.
std::string refusal(const std::string& command, const std::vector<std::string>& args) {
  try {
    (void)parse_experiment_options(command, args);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(Lists, EmptyItemsAndEmptyListsAreRefused) {
  EXPECT_THROW(parse_int_list("1,,2", "--K"), UsageError);
  EXPECT_THROW(parse_int_list(",1", "--K"), UsageError);
  EXPECT_THROW(parse_int_list("1,", "--K"), UsageError);
  EXPECT_THROW(parse_int_list("", "--K"), UsageError);
  EXPECT_THROW(parse_word_list(" , ", "--methods"), UsageError);
  EXPECT_EQ(parse_int_list(" 2, 3 ,5", "--K"), (std::vector<std::int64_t>{2, 3, 5}));
}

TEST(Lists, RepeatedValuesAreRefusedNamingTheItem) {
  // 1e3 and 1000 are the same value: the sweep would get two identical points.
  for (const char* text : {"1000,1000", "1000,1e3", "5,1000,1000.0"}) {
    try {
      parse_int_list(text, "--N");
      ADD_FAILURE() << text << " was accepted";
    } catch (const UsageError& e) {
      EXPECT_TRUE(contains(e.what(), "--N")) << e.what();
      EXPECT_TRUE(contains(e.what(), "repeats item")) << e.what();
    }
  }
  EXPECT_THROW(parse_double_list("0.5,0.50", "--ratios"), UsageError);
  EXPECT_THROW(parse_word_list("ridge,ridge", "--regularization"), UsageError);
  EXPECT_NO_THROW(parse_double_list("0.5,0.51", "--ratios"));
}

TEST(Numbers, OverflowIsOutOfRangeNotMalformed) {
  const std::string max = std::to_string(std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(parse_int(max, "--N"), std::numeric_limits<std::int64_t>::max());
  for (const char* text : {"9223372036854775808", "-9223372036854775809", "1e19", "1e400", "-1e19",
                           "99999999999999999999999"}) {
    try {
      parse_int(text, "--N");
      ADD_FAILURE() << text << " was accepted";
    } catch (const UsageError& e) {
      EXPECT_TRUE(contains(e.what(), "out of range")) << text << ": " << e.what();
    }
  }
  for (const char* text : {"1.5", "abc", "1e", "0x10", "1,5", "nan", "inf"}) {
    try {
      parse_int(text, "--N");
      ADD_FAILURE() << text << " was accepted";
    } catch (const UsageError& e) {
      EXPECT_TRUE(contains(e.what(), "not an integer") || contains(e.what(), "out of range")) << text << ": " << e.what();
    }
  }
  EXPECT_EQ(parse_int("1e6", "--N"), 1000000);
  EXPECT_THROW(parse_double_list("1e400", "--ratios"), UsageError);
}

TEST(CommandLine, StrayPositionalArgumentsAreRefused) {
  // A forgotten --config: the file name would otherwise be ignored and the defaults run.
  const std::string m = refusal("sweep", {"--N", "1000", "r.h5", "jobs/configs/paper_main.ini"});
  EXPECT_TRUE(contains(m, "unexpected argument 'r.h5'")) << m;
  EXPECT_TRUE(contains(refusal("main", {"extra"}), "unexpected argument")) << refusal("main", {"extra"});
}

TEST(CommandLine, EmptyValuesAreRefused) {
  EXPECT_TRUE(contains(refusal("main", {"--out", ""}), "--out needs a value"));
  EXPECT_TRUE(contains(refusal("main", {"--methods", ""}), "--methods needs a value"));
  EXPECT_TRUE(contains(refusal("main", {"--methods", "  "}), "--methods needs a value"));
  EXPECT_TRUE(contains(refusal("sweep", {"--N", ""}), "--N needs a value"));
  EXPECT_TRUE(contains(refusal("main", {"--output_dir", ""}), "--output_dir needs a value"));
  // and the defaults, and --help (a switch without a value), are not mistaken for empty values
  EXPECT_EQ(refusal("main", {}), "");
  EXPECT_EQ(refusal("main", {"--help"}), "");
  EXPECT_EQ(refusal("sweep", {"--N", "100"}), "");
}

TEST(CommandLine, DerivedSampleSizesStayInRange) {
  const std::string m = refusal("ratio", {"--N_avg", "9223372036854775807"});
  EXPECT_TRUE(contains(m, "--N_avg")) << m;
  EXPECT_TRUE(contains(m, "out of range")) << m;
  EXPECT_TRUE(contains(refusal("main", {"--N", "1e16"}), "out of range"));
  EXPECT_TRUE(contains(refusal("ratio", {"--N_avg", "1e15", "--K", "50000", "--ratios", "1e-9"}), "out of range"));
  EXPECT_TRUE(contains(refusal("main", {"--K", "2000000"}), "out of range"));
  EXPECT_EQ(refusal("main", {"--N", "1e15"}), "");  // the limit itself is accepted
}

TEST(CommandLine, OutputNamesThatDerivedNamesWouldMakeTooLongAreRefused) {
  // NAME_MAX 255 minus the 64 characters reserved for PATH.journal.<rank>.tmp.<pid>.<n>.
  const std::string ok(191 - 3, 'a'), too_long(192 - 3, 'a');
  EXPECT_EQ(refusal("main", {"--out", ok + ".h5"}), "");
  const std::string m = refusal("main", {"--out", too_long + ".h5"});
  EXPECT_TRUE(contains(m, "at most 191")) << m;
  EXPECT_TRUE(contains(refusal("main", {"--out", std::string(251, 'b')}), "--out")) << "the issue's 251 characters";
}

TEST(CommandLine, MemorySizes) {
  EXPECT_DOUBLE_EQ(parse_memory_size("8G", "--max_memory"), 8e9);
  EXPECT_DOUBLE_EQ(parse_memory_size("512MiB", "--max_memory"), 512.0 * 1024 * 1024);
  EXPECT_DOUBLE_EQ(parse_memory_size("2e9", "--max_memory"), 2e9);
  EXPECT_DOUBLE_EQ(parse_memory_size("1.5kB", "--max_memory"), 1500.0);
  for (const char* bad : {"", "G", "5X", "-1G", "0", "1iB", "nan", "1e400"})
    EXPECT_THROW(parse_memory_size(bad, "--max_memory"), UsageError) << bad;
}

// Through the binary: one line on stderr, exit 2, nothing written.
TEST(CommandLine, BinaryExitsTwoWithOneLineAndWritesNothing) {
  test::TempDir dir;
  const std::string bin = IGBENCH_BINARY;
  for (const std::string args : {"main --N 1000,1000", "main --K 1,,2", "ratio --N_avg 9223372036854775807",
                                 "main --N 1e19", "main --out ''", "main --methods ''", "sweep --N 1000 r.h5 x.ini",
                                 "main --K 1000 --out k.h5"}) {
    const test::ProcessResult r = test::run_process("cd " + dir.path.string() + " && " + bin + " " + args);
    EXPECT_EQ(r.exit_code, 2) << args << ": " << r.err;
    EXPECT_EQ(test::count_lines(r.err), 1) << args << ": " << r.err;
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir.path));
}

}  // namespace
}  // namespace igbench::cli

namespace igbench::cli {
namespace {

// Regressions found by fuzzing (tests/fuzz/regressions/): Boost.Program_options' error messages
// loop for ever when the user's text holds one of its %placeholders%. Run through the binary under
// `timeout`, so a regression fails in 10 s instead of hanging.
TEST(FuzzRegressions, PlaceholderTextIsRefusedInsteadOfHanging) {
  const std::string bin = IGBENCH_BINARY;
  const std::string config = std::string(IGBENCH_SOURCE_DIR) + "/tests/cli/data/fuzz_config_placeholder_loop.ini";
  for (const std::string& args : std::vector<std::string>{"main --x%canonical_option%", "main --N 100 --scm_type '%value%'",
                                 "sweep --config " + config}) {
    const test::ProcessResult r = test::run_process("timeout 10 " + bin + " " + args);
    EXPECT_EQ(r.exit_code, 2) << args << ": " << r.err;
    EXPECT_NE(r.err.find("does not accept %word%"), std::string::npos) << args << ": " << r.err;
  }
  EXPECT_THROW(refuse_placeholders("a%value%b", "x"), UsageError);
  EXPECT_NO_THROW(refuse_placeholders("50% of 100%", "x"));  // no %word%: a word needs letters only
  EXPECT_NO_THROW(refuse_placeholders("%%", "x"));
}

TEST(FuzzRegressions, ConfigFilesLargerThanOneMebibyteAreRefused) {
  const test::ProcessResult r = test::run_process("timeout 10 " + std::string(IGBENCH_BINARY) + " sweep --config /dev/zero");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("larger than 1 MiB"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace igbench::cli
