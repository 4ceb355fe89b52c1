// The reference-exact mode's data generation helpers: numpy's column moments (known answers from
// tests/tools/make_reduction_kat.py, numpy alone), the materialised sample source, and the
// generator's recorded action moments. The generated data themselves are checked bit for bit
// against the reference's trace in tests/experiment/test_reference_exact.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "igbench/random/numpy_random_state.hpp"
#include "igbench/scm/materialised_source.hpp"
#include "igbench/scm/reference_generate.hpp"

namespace {

using namespace igbench;

struct Record {
  std::string name;
  std::uint32_t seed = 0;
  std::vector<double> values;
};

std::vector<Record> read_reductions() {
  const std::string path = std::string(IGBENCH_TEST_DATA_DIR) + "/numpy_kat/reductions.txt";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<Record> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream s(line);
    Record r;
    std::string type;
    std::size_t count = 0;
    s >> r.name >> r.seed >> type >> count;
    std::string tok;
    while (s >> tok) r.values.push_back(std::stod(tok));
    if (r.values.size() != count) throw std::runtime_error("bad record: " + line);
    out.push_back(r);
  }
  return out;
}

TEST(ReferenceActionMoments, MatchNumpyColumnReductionsBitForBit) {
  const std::vector<Record> records = read_reductions();
  ASSERT_EQ(records.size(), 8U);
  for (const Record& r : records) {
    int K = 0;
    std::size_t N = 0;
    ASSERT_EQ(std::sscanf(r.name.c_str(), "column_moments_K%d_N%zu", &K, &N), 2) << r.name;
    // A = np.random.normal(0.7, 0.2, size=(N, K)), row by row.
    random::NumpyRandomState rng(r.seed);
    scm::SampleChunk data;
    data.resize(N, K, false);
    for (std::size_t i = 0; i < N; ++i)
      for (int k = 0; k < K; ++k) data.action(k)[i] = rng.normal(0.7, 0.2);
    const scm::InterventionMoments m = scm::reference_action_moments(data);
    for (int k = 0; k < K; ++k) {
      const auto ks = static_cast<std::size_t>(k);
      EXPECT_EQ(m.mean[ks], r.values[ks]) << r.name << " seed " << r.seed << " mean " << k;
      EXPECT_EQ(m.std[ks], r.values[static_cast<std::size_t>(K) + ks]) << r.name << " seed " << r.seed << " std " << k;
    }
  }
}

scm::SampleChunk numbered_data(std::size_t n, int K) {
  scm::SampleChunk d;
  d.resize(n, K, false);
  for (std::size_t i = 0; i < n; ++i) {
    for (int k = 0; k < K; ++k) d.action(k)[i] = static_cast<double>(100 * k) + static_cast<double>(i);
    d.Y[i] = -static_cast<double>(i);
    d.mu[i] = 0.5 * static_cast<double>(i);
  }
  return d;
}

TEST(MaterialisedSource, ServesRowsInTheGivenOrder) {
  const scm::SampleChunk data = numbered_data(6, 2);
  const std::vector<std::int64_t> order = {4, 1, 5, 0, 3, 2};
  const scm::MaterialisedSource source(data, order);
  scm::SampleChunk out;
  source.fill(2, 3, out);  // samples 2, 3, 4 -> rows 5, 0, 3
  ASSERT_EQ(out.n, 3U);
  const std::size_t rows[] = {5, 0, 3};
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(out.a(i, 0), data.a(rows[i], 0));
    EXPECT_EQ(out.a(i, 1), data.a(rows[i], 1));
    EXPECT_EQ(out.Y[i], data.Y[rows[i]]);
    EXPECT_EQ(out.mu[i], data.mu[rows[i]]);
  }
}

TEST(MaterialisedSource, EmptyOrderIsTheIdentityAndRangesAreChecked) {
  const scm::SampleChunk data = numbered_data(5, 1);
  const scm::MaterialisedSource source(data);
  scm::SampleChunk out;
  source.fill(1, 4, out);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(out.a(i, 0), data.a(i + 1, 0));
  EXPECT_THROW(source.fill(3, 3, out), std::out_of_range);
  const std::vector<std::int64_t> short_order = {0, 1};
  EXPECT_THROW(scm::MaterialisedSource(data, short_order), std::invalid_argument);
}

TEST(ReferenceDataGenerator, RecordsActionMomentsOfEveryObservationalSet) {
  random::NumpyRandomState rng(3);
  scm::NumpyParameterSource source(rng);
  const scm::Scm model = scm::sample_scm(scm::ScmType::polynomial, 3, source);
  scm::ReferenceDataGenerator gen(model, rng);
  // Before any observational data: the reference's fallback Normal(0, sigma_int).
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(gen.moments().mean[k], 0.0);
    EXPECT_EQ(gen.moments().std[k], std::get<scm::PolynomialScm>(model).sigma_int);
  }
  scm::SampleChunk obs;
  gen.generate({scm::RegimeKind::observational, 0}, 501, obs);
  const scm::InterventionMoments first = scm::reference_action_moments(obs);
  EXPECT_EQ(gen.moments().mean, first.mean);
  EXPECT_EQ(gen.moments().std, first.std);
  // Interventional data keeps them; a new observational set replaces them.
  scm::SampleChunk joint;
  gen.generate({scm::RegimeKind::joint_intervention, 0}, 200, joint);
  EXPECT_EQ(gen.moments().mean, first.mean);
  gen.generate({scm::RegimeKind::observational, 0}, 300, obs);
  EXPECT_NE(gen.moments().mean, first.mean);
  EXPECT_EQ(gen.moments().mean, scm::reference_action_moments(obs).mean);
  // The joint set's actions are the intervention values: no equation overwrote them, and mu(A)
  // is the true interventional mean.
  for (std::size_t i = 0; i < joint.n; ++i) {
    const double a[3] = {joint.a(i, 0), joint.a(i, 1), joint.a(i, 2)};
    EXPECT_EQ(joint.mu[i], scm::true_interventional_mean(model, a));
  }
}

TEST(ReferenceDataGenerator, InterventionValuesFollowTheInterventionLaw) {
  // do(A_2) on 4000 samples: polynomial A_2 ~ Normal(mu_2, sigma_2) of the observational set,
  // linear log A_2 ~ Normal(0, sigma_int). The sample mean lies within 4 standard errors.
  constexpr std::size_t n = 4000;
  for (scm::ScmType type : {scm::ScmType::polynomial, scm::ScmType::linear}) {
    random::NumpyRandomState rng(11);
    scm::NumpyParameterSource source(rng);
    const scm::Scm model = scm::sample_scm(type, 4, source);
    scm::ReferenceDataGenerator gen(model, rng);
    scm::SampleChunk obs, sint;
    gen.generate({scm::RegimeKind::observational, 0}, n, obs);
    gen.generate({scm::RegimeKind::single_intervention, 2}, n, sint);
    double mean = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      const double a = sint.a(i, 2);
      mean += (type == scm::ScmType::linear ? std::log(a) : a) / static_cast<double>(n);
      EXPECT_TRUE(std::isfinite(sint.Y[i]));
    }
    const double expected = type == scm::ScmType::linear ? 0.0 : gen.moments().mean[2];
    const double sd = type == scm::ScmType::linear ? std::get<scm::LinearScm>(model).sigma_int : gen.moments().std[2];
    EXPECT_LT(std::abs(mean - expected), 4.0 * sd / std::sqrt(static_cast<double>(n))) << scm::scm_type_name(type);
    EXPECT_THROW(gen.generate({scm::RegimeKind::single_intervention, 4}, 10, sint), std::invalid_argument);
  }
}

}  // namespace
