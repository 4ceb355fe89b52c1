#!/usr/bin/env bash
# Scaling benchmark (numbers for the README; not a test). Medians of REPEAT timings.
#  1. 96 runs of the main experiment (K=5, N=50000) at 1 rank x 1 thread,
#     2 ranks x 1 thread, 1 rank x 2 threads: wall times and parallel efficiency.
#  2. A convergence sweep over N_total 1e3..1e6 (K=5, 24 runs per point) on 2 ranks against the
#     lower bound max(total work / R, largest task), work measured per task in a 1-rank run.
#   bench/scaling.sh [IGBENCH_BINARY] [REPEAT]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/release/src/igbench}
repeat=${2:-3}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
wall() {  # wall seconds of a command
  local t0 t1
  t0=$(date +%s.%N); "$@" > /dev/null 2>&1; t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'
}
MAIN=(main --N 50000 --K 5 --N_runs 96 --quiet)
declare -A t
for config in "1x1" "2x1" "1x2"; do
  ranks=${config%x*} threads=${config#*x}
  times=()
  for i in $(seq "$repeat"); do
    rm -f "$work"/m*.h5*
    if [[ $ranks -eq 1 ]]; then
      times+=("$(OMP_NUM_THREADS=$threads wall "$bin" "${MAIN[@]}" --out "$work/m$i.h5")")
    else
      times+=("$(OMP_NUM_THREADS=$threads wall mpirun --oversubscribe --bind-to none -x OMP_NUM_THREADS -np "$ranks" "$bin" "${MAIN[@]}" --out "$work/m$i.h5")")
    fi
  done
  t[$config]=$(printf '%s\n' "${times[@]}" | median)
  printf 'main N=50000, 96 runs, %s ranks x %s threads: median wall %.2f s (of %s)\n' "$ranks" "$threads" "${t[$config]}" "${times[*]}"
done
calc() { awk "BEGIN { print $1 }"; }
printf 'parallel efficiency, 2 ranks x 1 thread: %.1f%%\n' "$(calc "100 * ${t[1x1]} / (2 * ${t[2x1]})")"
printf 'parallel efficiency, 1 rank x 2 threads: %.1f%%\n' "$(calc "100 * ${t[1x1]} / (2 * ${t[1x2]})")"

CONV=(convergence --N_total 1000,10000,100000,1000000 --K 5 --N_runs 24 --quiet)
OMP_NUM_THREADS=1 "$bin" "${CONV[@]}" --out "$work/c1.h5" > /dev/null
read -r total largest < <(/usr/bin/python3 -c "
import h5py; r = h5py.File('$work/c1.h5')['runs']
s = r['seconds_generate'][()] + r['seconds_solve'][()]
print(s.sum(), s.max())")
times=()
for i in $(seq "$repeat"); do
  rm -f "$work"/c2*.h5*
  times+=("$(OMP_NUM_THREADS=1 wall mpirun --oversubscribe --bind-to none -x OMP_NUM_THREADS -np 2 "$bin" "${CONV[@]}" --out "$work/c2_$i.h5")")
done
t2=$(printf '%s\n' "${times[@]}" | median)
bound=$(calc "($total / 2 > $largest) ? $total / 2 : $largest")
printf 'convergence 1e3..1e6 (96 runs), 2 ranks: median wall %.2f s; work %.2f s, largest task %.2f s, bound max(work/2, largest) %.2f s: %.1f%% above the bound\n' \
  "$t2" "$total" "$largest" "$bound" "$(calc "100 * ($t2 - $bound) / $bound")"
