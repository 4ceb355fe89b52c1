// The GoogleTest main of every test executable: the skip policy.
// Under CI=true a skipped test is a failure: the listener below turns every GTEST_SKIP into a
// test failure (and so the "[  SKIPPED ]" line CTest would read as a skip is never printed),
// because on CI a skip means a test that did not run. Elsewhere GTEST_SKIP behaves as usual.
#include <cstdlib>
#include <string_view>

#include <gtest/gtest.h>

namespace {

bool on_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string_view(ci) == "true";
}

class SkipIsFailure : public ::testing::EmptyTestEventListener {
  // OnTestEnd of listeners runs in reverse order of registration, so this runs before the result
  // printer (registered first) reports the test.
  void OnTestEnd(const ::testing::TestInfo& info) override {
    if (info.result() != nullptr && info.result()->Skipped())
      ADD_FAILURE() << "CI=true: a skipped test is a failure (" << info.test_suite_name() << "." << info.name()
                    << " did not run)";
  }
};

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (on_ci()) ::testing::UnitTest::GetInstance()->listeners().Append(new SkipIsFailure);
  return RUN_ALL_TESTS();
}
