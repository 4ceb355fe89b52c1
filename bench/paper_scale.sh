#!/usr/bin/env bash
# The reference's default convergence experiment at paper scale: K = 5, N_total 1e3..1e7, 100 runs
# per point (500 runs, 2.2e9 samples), on R ranks x 1 thread, with each rank's peak memory
# from /usr/bin/time -v. Numbers for the README; not a test.
#   bench/paper_scale.sh [IGBENCH_BINARY] [RANKS] [OUT.h5]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/release/src/igbench}
ranks=${2:-2}
out=${3:-$(mktemp -d)/paper_convergence.h5}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMP_NUM_THREADS=1
logs=$(mktemp -d)
start=$(date +%s.%N)
mpirun --oversubscribe --bind-to none -x OMP_NUM_THREADS -np "$ranks" \
  bash -c '/usr/bin/time -v -o "'"$logs"'/time.$OMPI_COMM_WORLD_RANK" "$@"' _ \
  "$bin" convergence --K 5 --N_runs 100 --out "$out" --snapshot_interval 120
end=$(date +%s.%N)
awk -v a="$start" -v b="$end" 'BEGIN { printf "wall time: %.1f s (%.2f h)\n", b - a, (b - a) / 3600 }'
for f in "$logs"/time.*; do
  echo "rank ${f##*.}: peak memory $(awk '/Maximum resident/ {printf "%.1f MB", $NF / 1024}' "$f"), CPU $(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.0f s", u + s}' "$f")"
done
echo "results: $out"
