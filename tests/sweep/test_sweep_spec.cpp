// The sweep layer: sample sizes of the three experiments (METHOD.md section 8, including its
// double-precision rounding cases), the presets' methods, the grid order, alphas in the
// canonical text, and shards (every task in exactly one shard, balanced by estimated cost).
#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "igbench/sweep/schedule.hpp"
#include "igbench/sweep/sweep_spec.hpp"

namespace igbench::sweep {
namespace {

using experiment::ExperimentKind;
using experiment::Method;

struct RatioCase {
  int K;
  std::int64_t N_avg;
  double ratio;
  std::int64_t N_obs, N_sint;
};

TEST(SampleSizes, RatioPointsTruncateTheirDoublePrecisionValues) {
  // Expected values computed independently with Python (int() of the same double expressions):
  //   N_obs = int((K+1) * N_avg / (K * r + 1)),  N_sint = int(r * N_obs).
  const RatioCase cases[] = {
      {5, 108, 0.07, 479, 33},       // METHOD.md: (K+1) N_avg / (K r + 1) is 479.99999999999994, not 480
      {2, 136, 0.7, 170, 118},       // r N_obs = 118.99999999999999 in double: one below the exact floor 119
      {3, 1000, 0.5, 1600, 800},     // the reference's data-ratio table
      {3, 1000, 1.0, 1000, 1000},
      {3, 1000, 2.0, 571, 1142},
      {3, 1001, 0.3, 2107, 632},
      {5, 10000, 0.05, 48000, 2400}, // the paper's defaults
      {5, 10000, 10.0, 1176, 11760},
  };
  for (const RatioCase& c : cases) {
    const SweepPoint p = ratio_point(c.K, c.N_avg, c.ratio);
    EXPECT_EQ(p.N_obs, c.N_obs) << "K " << c.K << " N_avg " << c.N_avg << " r " << c.ratio;
    EXPECT_EQ(p.N_sint, c.N_sint) << "K " << c.K << " N_avg " << c.N_avg << " r " << c.ratio;
    EXPECT_EQ(p.N_jint, c.N_avg);
    EXPECT_EQ(p.experiment, ExperimentKind::ratio);
  }
}

TEST(SampleSizes, ConvergenceSplitsTheTotalIntoObservationalAndSingleSets) {
  // N_sint = N_total div (K+1), N_obs = N_total - K N_sint; N_jint = N_total.
  const SweepPoint a = convergence_point(5, 1000);
  EXPECT_EQ(a.N_sint, 166);
  EXPECT_EQ(a.N_obs, 170);
  EXPECT_EQ(a.N_jint, 1000);
  const SweepPoint b = convergence_point(3, 4001);
  EXPECT_EQ(b.N_sint, 1000);
  EXPECT_EQ(b.N_obs, 1001);
  for (std::int64_t n : {1000LL, 4001LL, 10000000LL}) {
    const SweepPoint p = convergence_point(4, n);
    EXPECT_EQ(p.N_obs + 4 * p.N_sint, n);
    EXPECT_GE(p.N_obs, p.N_sint);
  }
}

TEST(SampleSizes, MainUsesNForEveryDataSet) {
  const SweepPoint p = main_point(5, 10000);
  EXPECT_EQ(p.N_obs, 10000);
  EXPECT_EQ(p.N_sint, 10000);
  EXPECT_EQ(p.N_jint, 10000);
  EXPECT_TRUE(std::isnan(p.ratio));
}

TEST(Presets, DefaultMethodsOfTheExperiments) {
  SweepSpec s;
  s.experiment = ExperimentKind::main;
  EXPECT_EQ(sweep_methods(s), experiment::MethodSet{}.add(Method::obs).add(Method::method).add(Method::jint).add(Method::pooled));
  s.rng = experiment::RngMode::reference;
  EXPECT_TRUE(sweep_methods(s).has(Method::pooled_ref));
  EXPECT_FALSE(sweep_methods(s).has(Method::pooled));
  s.rng = experiment::RngMode::fast;
  s.experiment = ExperimentKind::ratio;
  EXPECT_EQ(sweep_methods(s), experiment::MethodSet{}.add(Method::obs).add(Method::method).add(Method::jint));
  s.experiment = ExperimentKind::convergence;
  EXPECT_EQ(sweep_methods(s), experiment::MethodSet{}.add(Method::method).add(Method::jint));
  s.methods = experiment::MethodSet{}.add(Method::jint);
  EXPECT_EQ(sweep_methods(s), s.methods);
}

TEST(Presets, GridOrderAndSeeds) {
  SweepSpec s;
  s.experiment = ExperimentKind::ratio;
  s.K = {2, 3};
  s.N_avg = {1000};
  s.ratios = {0.5, 2.0};
  const auto points = expand_points(s);
  ASSERT_EQ(points.size(), 4U);
  EXPECT_EQ(points[0].K, 2);
  EXPECT_EQ(points[0].ratio, 0.5);
  EXPECT_EQ(points[1].ratio, 2.0);
  EXPECT_EQ(points[2].K, 3);
  // run r uses seed r, except a main experiment with a single run uses --seed
  s.N_runs = 7;
  EXPECT_EQ(run_seed(s, 5), 5U);
  s.experiment = ExperimentKind::main;
  s.N_runs = 1;
  s.seed = 42;
  EXPECT_EQ(run_seed(s, 0), 42U);
  const experiment::RunSpec r = make_run_spec(s, main_point(3, 500), 0);
  EXPECT_EQ(r.seed, 42U);
  EXPECT_EQ(r.alphas, s.alphas);
}

TEST(Alphas, DefaultGridIsTheReferencesAndOthersAreRecordedInTheCanonicalText) {
  SweepSpec s;
  ASSERT_EQ(s.alphas.size(), 8U);
  EXPECT_EQ(s.alphas.front(), 1e-08);
  EXPECT_EQ(s.alphas.back(), 0.09999999999999999);
  EXPECT_EQ(canonical_text(s).find("alphas="), std::string::npos);  // default: texts as before
  SweepSpec wide = s;
  wide.alphas = {1e-8, 1e-4, 0.1, 1.0, 10.0, 1000.0};
  const std::string text = canonical_text(wide);
  EXPECT_NE(text.find("alphas=1e-08,0.0001,0.10000000000000001,1,10,1000\n"), std::string::npos) << text;
  EXPECT_NE(text, canonical_text(s));  // resume/merge see the difference
  EXPECT_EQ(make_run_spec(wide, main_point(3, 500), 0).alphas, wide.alphas);
  EXPECT_EQ(validate(wide), "");
}

TEST(Alphas, BadGridsAreRefusedWithAReason) {
  SweepSpec s;
  s.N = {500};
  s.alphas = {};
  EXPECT_NE(validate(s).find("empty"), std::string::npos);
  s.alphas = {0.1, 0.01};
  EXPECT_NE(validate(s).find("ascending"), std::string::npos);
  s.alphas = {-1.0, 0.1};
  EXPECT_NE(validate(s).find(">= 0"), std::string::npos);
  s.alphas = {0.0, 1.0};
  EXPECT_EQ(validate(s), "");
}

TEST(Shards, EveryTaskInExactlyOneShardAndBalancedByCost) {
  SweepSpec s;
  s.experiment = ExperimentKind::convergence;
  s.K = {3, 5};
  s.N_total = {1000, 10000, 100000};
  s.N_runs = 7;
  const auto points = expand_points(s);
  const auto ordered = costed_tasks(s, points);
  ASSERT_EQ(ordered.size(), points.size() * 7);
  for (std::size_t i = 1; i < ordered.size(); ++i) EXPECT_GE(ordered[i - 1].cost, ordered[i].cost);
  for (int n : {1, 2, 3, 5}) {
    std::set<std::pair<std::size_t, int>> seen;
    double largest = 0.0, total = 0.0, heaviest = 0.0;
    for (int i = 0; i < n; ++i) {
      double cost = 0.0;
      for (const CostedTask& t : shard_tasks(ordered, {i, n})) {
        EXPECT_TRUE(seen.insert({t.task.point, t.task.run}).second) << "task in two shards";
        cost += t.cost;
      }
      heaviest = std::max(heaviest, cost);
      total += cost;
    }
    for (const CostedTask& t : ordered) largest = std::max(largest, t.cost);
    EXPECT_EQ(seen.size(), ordered.size()) << n << " shards";
    // LPT: no shard exceeds the mean load by more than the largest task.
    EXPECT_LE(heaviest, total / n + largest * (1 + 1e-12)) << n << " shards";
  }
  EXPECT_THROW(parse_shard("3/3"), std::invalid_argument);
  EXPECT_THROW(parse_shard("1"), std::invalid_argument);
  EXPECT_EQ(parse_shard("2/4").index, 2);
}

}  // namespace
}  // namespace igbench::sweep

namespace igbench::sweep {
namespace {

// A text written before the streams line existed is a sweep of stream layout 1: it round-trips,
// differs from a new sweep's text (so --resume refuses to mix rows of two stream layouts) and
// cannot be run by this igbench.
TEST(StreamsVersion, OldTextsAreAnotherSweepAndCannotBeRunHere) {
  SweepSpec current;
  current.K = {2};
  current.N = {500};
  current.N_runs = 2;
  const std::string text = canonical_text(current);
  EXPECT_NE(text.find("streams=" + std::to_string(fast_streams_version) + "\n"), std::string::npos) << text;
  std::string old = text;
  old.erase(old.find("streams="));
  const SweepSpec parsed = parse_canonical_text(old);
  EXPECT_EQ(parsed.streams, 1);
  EXPECT_EQ(canonical_text(parsed), old);
  EXPECT_NE(canonical_text(parsed), text);
  EXPECT_NE(validate(parsed).find("random streams version 1"), std::string::npos) << validate(parsed);
  EXPECT_EQ(validate(parse_canonical_text(text)), "");
  // The reference mode replays numpy's draws: no streams line, any version reads the same.
  SweepSpec reference = current;
  reference.rng = experiment::RngMode::reference;
  EXPECT_EQ(canonical_text(reference).find("streams="), std::string::npos);
}

}  // namespace
}  // namespace igbench::sweep
