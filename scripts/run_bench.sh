#!/usr/bin/env bash
# `make bench`: the Google Benchmark programs (one thread), the scaling and throughput benchmarks.
set -euo pipefail
build=${1:-build/release}
root=$(cd "$(dirname "$0")/.." && pwd)
OMP_NUM_THREADS=1 "$build/bench/bench_engine"
OMP_NUM_THREADS=1 "$build/bench/bench_reference"
"$root/bench/scaling.sh" "$build/src/igbench"
"$root/bench/throughput.sh" "$build/src/igbench"
