#!/usr/bin/env bash
# Throughput benchmark of issue 14 (numbers for the README; not a test). Every comparison is
# measured side by side in one invocation, repetitions interleaved, so that a shared machine's
# load affects both sides alike.
#  1. paper main (K=5, N=1e4, 100 runs): 1 rank x 1 thread against 1 rank x 2 threads, wall and
#     CPU per run (user + sys / 100), medians of REPEAT; and the control that tells the machine's
#     share from igbench's: two independent 1-thread processes of 50 runs each side by side (no
#     shared memory, no OpenMP), whose CPU per run is what two busy cores cost on this machine;
#  2. the same two under contention: a competing busy process per core, CPU burnt by igbench with
#     the default (passive) wait policy against OMP_WAIT_POLICY=active;
#  3. one main run at K = 20 and K = 25 (N = 1e4, 1 thread): wall, CPU and peak memory, beside
#     estimated_peak_bytes (skipped with BIG=0).
#   bench/throughput.sh [IGBENCH_BINARY] [REPEAT]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/release/src/igbench}
repeat=${2:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"; [[ -n "${burners:-}" ]] && kill $burners 2>/dev/null || true' EXIT
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
# measure LABEL ENV... -- ARGS: appends "wall cpu maxrss_kb" of one igbench run to $work/LABEL
measure() {
  local label=$1; shift
  local envs=()
  while [[ $1 != -- ]]; do envs+=("$1"); shift; done
  shift
  rm -f "$work"/o.h5*
  env "${envs[@]}" /usr/bin/time -f '%e %U %S %M' -o "$work/t" "$bin" "$@" --quiet --out "$work/o.h5" > /dev/null 2>&1
  awk '{print $1, $2 + $3, $4}' "$work/t" >> "$work/$label"
}
col() { awk -v c="$2" '{print $c}' "$work/$1" | median; }

MAIN=(main --N 10000 --K 5 --N_runs 100)
HALF=(main --N 10000 --K 5 --N_runs 50)
# pair: two 1-thread processes of HALF side by side; appends "wall cpu" (the later end, both CPUs).
pair() {
  rm -f "$work"/pa.h5* "$work"/pb.h5*
  local s; s=$(date +%s.%N)
  OMP_NUM_THREADS=1 /usr/bin/time -f '%U %S' -o "$work/ta" "$bin" "${HALF[@]}" --quiet --out "$work/pa.h5" > /dev/null 2>&1 &
  OMP_NUM_THREADS=1 /usr/bin/time -f '%U %S' -o "$work/tb" "$bin" "${HALF[@]}" --quiet --out "$work/pb.h5" > /dev/null 2>&1
  wait
  local e; e=$(date +%s.%N)
  awk -v s="$s" -v e="$e" 'FNR == 1 {c += $1 + $2} END {print e - s, c}' "$work/ta" "$work/tb" >> "$work/pair"
}
for i in $(seq "$repeat"); do
  measure t1 OMP_NUM_THREADS=1 -- "${MAIN[@]}"
  measure t2 OMP_NUM_THREADS=2 -- "${MAIN[@]}"
  pair
done
w1=$(col t1 1) w2=$(col t2 1) c1=$(col t1 2) c2=$(col t2 2) wp=$(col pair 1) cp=$(col pair 2)
printf 'paper main, 1 thread : wall %.2f s, CPU %.1f ms per run\n' "$w1" "$(awk "BEGIN{print $c1 * 10}")"
printf 'paper main, 2 threads: wall %.2f s (%.2f x the 1-thread wall), CPU %.1f ms per run (%+.1f%%)\n' \
  "$w2" "$(awk "BEGIN{print $w2 / $w1}")" "$(awk "BEGIN{print $c2 * 10}")" "$(awk "BEGIN{print 100 * ($c2 - $c1) / $c1}")"
printf 'control, two 1-thread processes of 50 runs side by side: wall %.2f s (%.2f x), CPU %.1f ms per run (%+.1f%%)\n' \
  "$wp" "$(awk "BEGIN{print $wp / $w1}")" "$(awk "BEGIN{print $cp * 10}")" "$(awk "BEGIN{print 100 * ($cp - $c1) / $c1}")"

# Under contention: one busy loop per core competes with igbench's two threads.
burners=""
for _ in 1 2; do (while :; do :; done) & burners="$burners $!"; done
for i in $(seq "$repeat"); do
  measure passive OMP_NUM_THREADS=2 -- "${MAIN[@]}"
  measure active OMP_NUM_THREADS=2 OMP_WAIT_POLICY=active -- "${MAIN[@]}"
done
kill $burners; burners=""
printf 'with 2 competing busy processes, 2 threads: CPU %.1f ms per run (passive waits, the default) against %.1f ms (OMP_WAIT_POLICY=active); wall %.2f s against %.2f s\n' \
  "$(awk "BEGIN{print $(col passive 2) * 10}")" "$(awk "BEGIN{print $(col active 2) * 10}")" "$(col passive 1)" "$(col active 1)"

if [[ ${BIG:-1} != 0 ]]; then
  for K in 20 25; do
    measure "k$K" OMP_NUM_THREADS=1 -- main --N 10000 --K "$K" --N_runs 1
    printf 'one main run, K = %d, N = 1e4, 1 thread: wall %.1f s, CPU %.1f s, peak memory %.0f MB\n' \
      "$K" "$(col "k$K" 1)" "$(col "k$K" 2)" "$(awk "BEGIN{print $(col "k$K" 3) / 1024}")"
  done
fi
