#!/usr/bin/env bash
# Behaviour does not change: a fixed set of commands (main, ratio, convergence, sweeps with lasso
# and with the linear SCM, --rng reference, two shards and their merge, a merge of different
# sweeps, export, summary) is run with the built binary, and their outputs are compared, exactly,
# with tests/data/regression/ (see its README for how those were produced and how to regenerate
# them): the canonical text of every result file (regression_dump.py: every /runs column but
# seconds_*, /sweep, the reproducible root attributes), every exported CSV, every summary and the
# merge reports.
#   IGBENCH_REGRESSION_UPDATE=1 ctest -R scripts.regression    rewrites tests/data/regression/
# ctest: TIMEOUT 600 LABELS io
source "$(dirname "$0")/common.sh"
STORED="$IGBENCH_SOURCE_DIR/tests/data/regression"
OUT="$WORK/out"
mkdir -p "$OUT"
cd "$WORK"
ig() { OMP_NUM_THREADS=1 "$IGBENCH_BINARY" "$@" --quiet > /dev/null 2>> "$WORK/stderr.log"; }

ig main --N 500 --K 2 --N_runs 3 --out main.h5
ig ratio --N_avg 600 --K 2 --ratios 0.5,2 --N_runs 2 --out ratio.h5
ig convergence --N_total 600,1200 --K 2 --N_runs 2 --out convergence.h5
ig sweep --N 500 --K 2,3 --regularization lasso --N_runs 2 --out sweep_lasso.h5
ig sweep --N 800 --K 2 --scm_type linear --regularization ridge,lasso --N_runs 2 --out sweep_linear.h5
ig main --rng reference --N 500 --K 2 --N_runs 2 --out reference.h5
ig main --N 400 --K 3 --N_runs 4 --shard 0/2 --out shard0.h5
ig main --N 400 --K 3 --N_runs 4 --shard 1/2 --out shard1.h5
"$IGBENCH_BINARY" merge merged.h5 shard0.h5 shard1.h5 > "$OUT/merge_shards.txt"
"$IGBENCH_BINARY" merge mixed.h5 main.h5 ratio.h5 reference.h5 > "$OUT/merge_mixed.txt"

for f in main ratio convergence sweep_lasso sweep_linear reference shard0 merged mixed; do
  $PYTHON "$IGBENCH_SOURCE_DIR/tests/scripts/regression_dump.py" "$f.h5" > "$OUT/$f.runs.txt"
  "$IGBENCH_BINARY" summary "$f.h5" > "$OUT/$f.summary.txt"
  mkdir -p "$WORK/csv/$f"
  (cd "$WORK/csv" && "$IGBENCH_BINARY" export "../$f.h5" --out "$f" > "$OUT/$f.export.txt")
done
# every exported CSV, named by its path under csv/
(cd "$WORK/csv" && find . -name '*.csv' | sort | while read -r p; do
  cp "$p" "$OUT/$(echo "${p#./}" | tr / _)"
done)

if [[ "${IGBENCH_REGRESSION_UPDATE:-0}" == 1 ]]; then
  find "$STORED" -maxdepth 1 -type f ! -name README.md -delete
  cp "$OUT"/* "$STORED"/
  echo "wrote $(ls "$OUT" | wc -l) files to $STORED"
  exit 0
fi
[[ -d "$STORED" ]] || { echo "no stored outputs in $STORED"; exit 1; }
for f in "$OUT"/*; do
  name=$(basename "$f")
  if [[ ! -f "$STORED/$name" ]]; then fail "$name: not in $STORED"; continue; fi
  if cmp -s "$f" "$STORED/$name"; then pass "$name"; else
    fail "$name differs:"; diff "$STORED/$name" "$f" | head -20
  fi
done
for f in "$STORED"/*; do
  name=$(basename "$f")
  [[ $name == README.md || -f "$OUT/$name" ]] || fail "$name: stored but not produced"
done
finish
