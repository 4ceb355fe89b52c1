// One reference-exact main run at the reference's default size (K = 5, N = 10000: 7 data sets of
// 10000 samples plus the pooled baseline's 6 chunks of 10000), seeds cycling over 0..9.
// CPU time is the whole process's (all threads), like the reference's published cost: about
// 4.06 CPU-seconds per run (40.6 s for 10 runs on 2 cores, shared/reference/README.md). The
// counter cpu_speedup_vs_reference = 4.06 s / (our CPU seconds per run).
#include <benchmark/benchmark.h>

#include "igbench/experiment/run.hpp"

namespace {

constexpr double reference_cpu_seconds_per_run = 4.06;

void BM_ReferenceMainRunK5N10000(benchmark::State& state) {
  using namespace igbench::experiment;
  RunSpec spec;
  spec.experiment = ExperimentKind::main;
  spec.K = 5;
  spec.N_obs = spec.N_sint = spec.N_jint = 10000;
  spec.rng = RngMode::reference;
  spec.methods = default_methods(spec.experiment, spec.rng);
  std::uint32_t seed = 0;
  for (auto _ : state) {
    spec.seed = spec.run = seed;
    seed = (seed + 1) % 10;
    RunResult r = run(spec);
    benchmark::DoNotOptimize(r);
  }
  // A rate counter divides by the measured (process CPU) time: runs per CPU-second x 4.06 s.
  state.counters["cpu_speedup_vs_reference"] =
      benchmark::Counter(reference_cpu_seconds_per_run, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ReferenceMainRunK5N10000)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

}  // namespace

BENCHMARK_MAIN();
