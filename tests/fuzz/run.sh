#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in build/fuzz and runs each for SECONDS
# (default 60) from its committed seed corpus (tests/fuzz/corpus/<target>/; new inputs go to
# build/fuzz/corpus/<target>/, not into the repository). Exits non-zero when a target crashes;
# the crashing input is left as build/fuzz/artifacts/<target>-crash-* (add it, once fixed, to
# tests/fuzz/regressions/<target>/). Prints executions and time per target.
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-60}
shift || true
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(fuzz_options fuzz_config fuzz_journal fuzz_results_file)
build=${IGBENCH_FUZZ_BUILD:-$src/build/fuzz}
launcher=()
command -v ccache > /dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
cmake -S "$src" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ "${launcher[@]}" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIGBENCH_FUZZ=ON -DIGBENCH_BUILD_BENCH=OFF -DIGBENCH_NATIVE=OFF \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
  > "$build.configure.log" 2>&1 || { cat "$build.configure.log"; exit 1; }
cmake --build "$build" -j2 --target "${targets[@]}"
export ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1
status=0
mkdir -p "$build/artifacts"
for t in "${targets[@]}"; do
  mkdir -p "$build/corpus/$t"
  log="$build/$t.log"
  start=$(date +%s)
  rc=0
  "$build/tests/fuzz/$t" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$t-" "$build/corpus/$t" "$src/tests/fuzz/corpus/$t" > "$log" 2>&1 || rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  echo "fuzz: $t: ${runs:-?} executions in $(( $(date +%s) - start )) s, exit $rc"
  if [[ $rc -ne 0 ]]; then
    status=1
    grep -E "ERROR|SUMMARY|unexpected exception|Test unit written" "$log" | head -20
  fi
done
exit $status
