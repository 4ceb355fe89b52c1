// The streaming pass: skipping an unread test part leaves the folds as they were, and a data
// set's moments do not depend on which other data sets share the call (the run groups them by
// thread count) nor on the thread count.
#include <omp.h>

#include <gtest/gtest.h>

#include "igbench/experiment/accumulate.hpp"
#include "igbench/experiment/run.hpp"
#include "igbench/features/moment_vector.hpp"

namespace igbench::experiment {
namespace {

struct Fixture {
  scm::Scm model = sample_fast_scm(scm::ScmType::polynomial, 3, 7, 7);
  features::PolynomialFeatures phi{3, 3};
  scm::DataSetGenerator gen(int role) const {
    return scm::DataSetGenerator(model, {scm::RegimeKind::observational, 0}, {},
                                 random::PhiloxStream(7, 7, {random::StreamRole::test_support, static_cast<std::uint16_t>(role), 0}));
  }
};

void expect_bitwise_equal(const stats::Moments& a, const stats::Moments& b) {
  EXPECT_EQ(a.count(), b.count());
  EXPECT_EQ(a.mean(), b.mean());
  EXPECT_EQ(a.comoment(), b.comoment());
}

TEST(AccumulateDataSets, AnUnreadTestPartIsSkippedAndTheFoldsAreUnchanged) {
  const Fixture f;
  const auto gen = f.gen(0);
  const std::int64_t n = 5000;  // test part 1000, folds of 1334, 1333, 1333: several chunks of 512
  DataSetPlan read{&gen, n, true};
  DataSetPlan skip = read;
  skip.read_test = false;
  const auto a = accumulate_data_sets(std::span(&read, 1), f.phi, 512);
  const auto b = accumulate_data_sets(std::span(&skip, 1), f.phi, 512);
  EXPECT_EQ(a[0].test.count(), 1000);
  EXPECT_EQ(b[0].test.count(), 0);
  EXPECT_EQ(b[0].count(), n - 1000);
  for (std::size_t k = 0; k < fit::n_folds; ++k) expect_bitwise_equal(a[0].folds[k], b[0].folds[k]);
}

TEST(AccumulateDataSets, ASetsMomentsDoNotDependOnItsCompanionsOrTheThreadCount) {
  const Fixture f;
  const auto g0 = f.gen(0), g1 = f.gen(1), g2 = f.gen(2);
  const std::vector<DataSetPlan> together{{&g0, 20000, true}, {&g1, 4000, true}, {&g2, 7000, false}};
  // 25400 samples read: above the one-thread limit of a wave, so 3 threads share it
  omp_set_num_threads(3);
  const auto all = accumulate_data_sets(together, f.phi, 512);
  omp_set_num_threads(1);
  for (std::size_t i = 0; i < together.size(); ++i) {
    const auto alone = accumulate_data_sets(std::span(&together[i], 1), f.phi, 512);
    expect_bitwise_equal(all[i].test, alone[0].test);
    for (std::size_t k = 0; k < fit::n_folds; ++k) expect_bitwise_equal(all[i].folds[k], alone[0].folds[k]);
  }
  omp_set_num_threads(2);
  EXPECT_EQ(all[2].folds[0].count(), 0);  // training = false: only the test part is read
}

}  // namespace
}  // namespace igbench::experiment
