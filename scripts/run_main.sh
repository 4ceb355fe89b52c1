#!/usr/bin/env bash
# The README's main job: the paper's main experiment at its default size (K = 5, N = 10000 per
# data set, 100 runs, polynomial SCM, ridge), its results folder, and the main figure.
#   scripts/run_main.sh [IGBENCH_BINARY] [extra igbench main options]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/release/src/igbench}
shift || true
mkdir -p "$root/results"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$bin" main --output_dir "$root/results" "$@" | tee "$log"
h5=$(sed -n 's/^Results saved to: //p' "$log" | tail -n 1)
folder=$(dirname "$h5")
PYTHONPATH="$root${PYTHONPATH:+:$PYTHONPATH}" /usr/bin/python3 -m analysis plot "$h5" --out "$folder/figures" > /dev/null
echo "Figures saved to: $folder/figures/"
ls "$folder/figures"
