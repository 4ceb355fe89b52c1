// The engine's costs: generation, accumulation, end to end per sample; solves per run; a whole
// run of the paper's default size. Run: build/release/bench/bench_engine (OMP_NUM_THREADS=1 for
// per-core figures). Numbers go in the README, never into pass/fail tests.
#include <benchmark/benchmark.h>
#include <omp.h>

#include "igbench/experiment/accumulate.hpp"
#include "igbench/experiment/run.hpp"
#include "igbench/features/moment_vector.hpp"
#include "igbench/features/product_classes.hpp"
#include "igbench/stats/power_sums.hpp"
#include "igbench/fit/tridiagonal.hpp"

#include <Eigen/Eigenvalues>

namespace {

using namespace igbench;

constexpr std::size_t chunk = experiment::samples_per_chunk;

struct Setup {
  scm::Scm model;
  scm::InterventionMoments moments;
  explicit Setup(int K, scm::ScmType type = scm::ScmType::polynomial)
      : model(experiment::sample_fast_scm(type, K, 1, 1)) {
    for (int k = 0; k < K; ++k) {
      moments.mean.push_back(0.1);
      moments.std.push_back(0.2);
    }
  }
  scm::DataSetGenerator generator(scm::Regime regime) const {
    return scm::DataSetGenerator(model, regime, moments,
                                 random::PhiloxStream(1, 1, {random::StreamRole::test_support, 0, 0}));
  }
};

// Generation alone (observational regime: every structural equation evaluated) of `type`.
void generate_benchmark(benchmark::State& state, scm::ScmType type) {
  const int K = static_cast<int>(state.range(0));
  const Setup setup(K, type);
  const auto gen = setup.generator({scm::RegimeKind::observational, 0});
  scm::SampleChunk c;
  std::uint64_t first = 0;
  for (auto _ : state) {
    gen.generate(first, chunk, c);
    first += chunk;
    benchmark::DoNotOptimize(c.Y.data());
  }
  state.counters["time_per_sample"] = benchmark::Counter(static_cast<double>(state.iterations() * chunk),
                                                       benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// The polynomial SCM (the paper's default).
void BM_Generate(benchmark::State& state) { generate_benchmark(state, scm::ScmType::polynomial); }

// The linear SCM (every variable lognormal: a normal quantile and an exp each).
void BM_GenerateLinear(benchmark::State& state) { generate_benchmark(state, scm::ScmType::linear); }

// The uniforms of generation alone: a chunk's samples of B = 2K + 1 uniforms, transposed into
// columns (the generator's first step); time_per_block is per Philox4x32-10 block.
void BM_PhiloxColumns(benchmark::State& state) {
  const std::size_t B = 2 * static_cast<std::size_t>(state.range(0)) + 1;
  const random::PhiloxStream s(1, 1, {random::StreamRole::test_support, 0, 0});
  std::vector<double> u(B * chunk);
  std::uint64_t first = 0;
  for (auto _ : state) {
    s.fill_uniform_columns(first, chunk, B, u.data(), chunk);
    first += chunk;
    benchmark::DoNotOptimize(u.data());
  }
  state.counters["time_per_block"] = benchmark::Counter(static_cast<double>(state.iterations() * chunk * B) / 2.0,
                                                      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// Accumulation alone: features + moment vector + centred SYRK + merge, on a fixed chunk.
void BM_Accumulate(benchmark::State& state) {
  const int K = static_cast<int>(state.range(0));
  const Setup setup(K);
  scm::SampleChunk c;
  setup.generator({scm::RegimeKind::observational, 0}).generate(0, chunk, c);
  const features::PolynomialFeatures phi(K, 3);
  Eigen::MatrixXd Z;
  stats::Moments acc(features::moment_layout(phi).dim());
  for (auto _ : state) {
    features::fill_moment_vectors(c, phi, Z);
    acc.add_batch(Z);
    benchmark::DoNotOptimize(acc.comoment().data());
  }
  state.counters["time_per_sample"] = benchmark::Counter(static_cast<double>(state.iterations() * chunk),
                                                       benchmark::Counter::kIsRate | benchmark::Counter::kInvert);

}

// The shifted power-sum twin of BM_Accumulate on the same chunk: shifted columns + one sum per
// distinct product monomial (the per-part conversion is not included: it does not grow with n).
void BM_AccumulateShifted(benchmark::State& state) {
  const int K = static_cast<int>(state.range(0));
  const Setup setup(K);
  scm::SampleChunk c;
  setup.generator({scm::RegimeKind::observational, 0}).generate(0, chunk, c);
  const features::PolynomialFeatures phi(K, 3);
  const auto classes = features::product_classes(phi);
  scm::SampleChunk pilot;
  setup.generator({scm::RegimeKind::observational, 0}).generate(0, 64, pilot);
  const features::ShiftOrigin origin = features::pilot_origin(pilot);
  stats::PowerSumScratch scratch;
  stats::PowerSums sums, acc;
  for (auto _ : state) {
    stats::chunk_power_sums(c, origin, phi, *classes, sums, scratch);
    acc.add(sums);
    benchmark::DoNotOptimize(acc.sums.data());
  }
  state.counters["time_per_sample"] = benchmark::Counter(static_cast<double>(state.iterations() * chunk),
                                                       benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// End to end: one data set of 1e5 samples streamed into test and fold moments. Second argument:
// the path (0: plain, 1: shifted power sums).
void BM_EndToEnd(benchmark::State& state) {
  const int K = static_cast<int>(state.range(0));
  const Setup setup(K);
  const auto gen = setup.generator({scm::RegimeKind::observational, 0});
  const features::PolynomialFeatures phi(K, 3);
  const std::int64_t n = 100000;
  experiment::DataSetPlan plan{&gen, n, true};
  plan.path = state.range(1) == 0 ? experiment::AccumulationPath::plain
                                  : experiment::AccumulationPath::shifted_power_sums;
  for (auto _ : state) {
    auto sets = experiment::accumulate_data_sets(std::span(&plan, 1), phi);
    benchmark::DoNotOptimize(sets.data());
  }
  state.counters["time_per_sample"] = benchmark::Counter(static_cast<double>(state.iterations() * n),
                                                       benchmark::Counter::kIsRate | benchmark::Counter::kInvert);

}

// The solves of one main run: K + 3 cross-validated models (25 solves each).
void BM_SolvesPerRun(benchmark::State& state) {
  const int K = static_cast<int>(state.range(0));
  const Setup setup(K);
  const auto gen = setup.generator({scm::RegimeKind::observational, 0});
  const features::PolynomialFeatures phi(K, 3);
  const experiment::DataSetPlan plan{&gen, 10000, true};
  const auto sets = experiment::accumulate_data_sets(std::span(&plan, 1), phi);
  for (auto _ : state)
    for (int m = 0; m < K + 3; ++m)
      benchmark::DoNotOptimize(fit::fit_cross_validated(sets[0].folds, phi.size() - 1, fit::Regularization::ridge));
}

// The ridge solve's kernels on a p x p Gram matrix (A^T A, A with p + 50 standard normal rows,
// from a fixed-seed generator) against their plain twins in Eigen.
Eigen::MatrixXd bench_gram(Eigen::Index p) {
  const random::PhiloxStream s(1, 1, {random::StreamRole::test_support, 0, 0});
  Eigen::MatrixXd A(p + 50, p);
  std::vector<double> u(static_cast<std::size_t>(A.size()));
  s.fill_uniforms(0, u.size(), u.data());
  for (Eigen::Index i = 0; i < A.size(); ++i) A.data()[i] = u[static_cast<std::size_t>(i)] - 0.5;
  return A.transpose() * A;
}

// Tridiagonal reduction: Eigen::Tridiagonalization (arg 0) vs fit::tridiagonalize_blocked (arg 1)
// vs fit::tridiagonalize_unblocked (arg 2).
void BM_Tridiagonalize(benchmark::State& state) {
  const Eigen::MatrixXd G = bench_gram(state.range(0));
  Eigen::Tridiagonalization<Eigen::MatrixXd> twin(G.rows());
  Eigen::MatrixXd a;
  Eigen::VectorXd tau;
  for (auto _ : state) {
    if (state.range(1) == 0) {
      twin.compute(G);
      benchmark::DoNotOptimize(twin.packedMatrix().data());
    } else {
      a = G;
      if (state.range(1) == 1)
        fit::tridiagonalize_blocked(a, tau);
      else
        fit::tridiagonalize_unblocked(a, tau);
      benchmark::DoNotOptimize(a.data());
    }
  }
}

// The blocked reduction's panel width: fit::tridiagonalize_blocked(a, tau, block) at size p.
void BM_TridiagonalizeBlock(benchmark::State& state) {
  const Eigen::MatrixXd G = bench_gram(state.range(0));
  Eigen::MatrixXd a;
  Eigen::VectorXd tau;
  for (auto _ : state) {
    a = G;
    fit::tridiagonalize_blocked(a, tau, state.range(1));
    benchmark::DoNotOptimize(a.data());
  }
}

// lambda_min and lambda_max of T: all eigenvalues by Eigen's QR (arg 0) vs Sturm multisection (arg 1).
void BM_ExtremeEigenvalues(benchmark::State& state) {
  const Eigen::Tridiagonalization<Eigen::MatrixXd> tri(bench_gram(state.range(0)));
  const Eigen::VectorXd d = tri.diagonal(), e = tri.subDiagonal();
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es;
  for (auto _ : state) {
    if (state.range(1) == 0) {
      es.computeFromTridiagonal(d, e, Eigen::EigenvaluesOnly);
      benchmark::DoNotOptimize(es.eigenvalues().data());
    } else {
      benchmark::DoNotOptimize(fit::tridiagonal_extreme_eigenvalues(d, e));
    }
  }
}

// A whole main run (obs, method, pooled, jint) at N per data set.
void BM_Run(benchmark::State& state) {
  experiment::RunSpec spec;
  spec.K = static_cast<int>(state.range(0));
  spec.N_obs = spec.N_sint = spec.N_jint = state.range(1);
  spec.methods = experiment::default_methods(experiment::ExperimentKind::main, experiment::RngMode::fast);
  std::uint32_t r = 0;
  for (auto _ : state) {
    spec.seed = spec.run = r++;
    benchmark::DoNotOptimize(experiment::run(spec));
  }
}

BENCHMARK(BM_Generate)->Arg(5)->Arg(10)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_GenerateLinear)->Arg(5)->Arg(10)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PhiloxColumns)->Arg(5)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Accumulate)->Arg(5)->Arg(10)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_AccumulateShifted)->Arg(5)->Arg(10)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_EndToEnd)->Args({5, 0})->Args({5, 1})->Args({10, 0})->Args({10, 1})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SolvesPerRun)->Arg(5)->Arg(10)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Tridiagonalize)->ArgsProduct({{55, 120, 200, 285, 300, 600, 1770}, {0, 1, 2}})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TridiagonalizeBlock)->ArgsProduct({{600, 1770}, {16, 32, 48, 64, 96}})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ExtremeEigenvalues)->ArgsProduct({{55, 285}, {0, 1}})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Run)->Args({5, 10000})->Args({3, 1000})->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

}  // namespace

BENCHMARK_MAIN();
