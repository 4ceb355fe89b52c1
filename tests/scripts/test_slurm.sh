#!/usr/bin/env bash
# ctest: TIMEOUT 900 PROCESSORS 2 LABELS slurm
# The SLURM job scripts (jobs/) on a real single-node cluster on localhost (scripts/slurm_local.sh):
#   static: the four experiment scripts share their common part, the paper configs parse and
#           equal the built-in experiments, submit.sh --dry-run and its refusals
#   cluster: jobs/submit.sh main --shards 3 --ntasks 2 (3 array tasks of 2 MPI ranks by srun),
#           the merge and plot jobs; the merged file holds every (point, run) once, its result
#           columns equal the same sweep run directly (bitwise), the figures exist; the same
#           command again resumes every shard (nothing rerun, rows unchanged); a sweep whose
#           shards fail cancels its merge and plot jobs.
# Without SLURM it prints SKIPPED and exits 77 (a failure when CI=true). It refuses (fails) when
# a SLURM daemon it did not start is running: only one cluster fits on a machine.
set -euo pipefail

src=${IGBENCH_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
bin=${IGBENCH_BINARY:-$src/build/release/src/igbench}
py=${IGBENCH_PYTHON:-/usr/bin/python3}
export IGBENCH_PYTHON=$py
t0=$SECONDS
step() { echo "== [$((SECONDS - t0))s] $*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }
[[ -x "$bin" ]] || fail "igbench binary not found: $bin"

scratch=$(mktemp -d /tmp/igbench-slurm-test.XXXXXX)
base=$scratch/cluster
work=$scratch/work
mkdir -p "$work"
cluster_started=0

# running slurmctld and slurmd processes (not zombies, which a busy init may leave for a while)
live_daemons() { { ps -C slurmctld,slurmd -o pid=,stat= 2>/dev/null || true; } | awk '$2 !~ /^Z/ { printf "%s ", $1 }'; }

show_logs() {
  local f
  for f in "$work"/results/*/logs/*.out "$work"/*.out; do
    [[ -f "$f" ]] || continue
    echo "---- $f"
    cat "$f"
  done
  for f in "$base"/log/slurmctld.log "$base"/log/slurmd.log "$base"/log/jobcomp.txt; do
    [[ -f "$f" ]] || continue
    echo "---- tail of $f"
    tail -n 40 "$f"
  done
  if [[ $cluster_started -eq 1 ]]; then
    echo "---- squeue"
    SLURM_CONF=$base/slurm.conf squeue 2>&1 || true
  fi
}

cleanup() {
  local rc=$? left
  trap - EXIT INT TERM
  if [[ $rc -ne 0 && $rc -ne 77 ]]; then
    echo "==== test failed (exit $rc): logs" >&2
    show_logs >&2 || true
  fi
  if [[ $cluster_started -eq 1 ]]; then
    step "teardown"
    if ! "$src/scripts/slurm_local.sh" down "$base"; then
      echo "FAILED: teardown did not stop the daemons; stop them with: $src/scripts/slurm_local.sh down $base" >&2
      exit 1
    fi
    left=$(live_daemons)
    if [[ -n "$left" ]]; then
      echo "FAILED: SLURM daemons still running after teardown: $left" >&2
      exit 1
    fi
  fi
  if [[ $rc -eq 0 || $rc -eq 77 || $cluster_started -eq 0 ]]; then
    rm -rf "$scratch"
  else
    echo "(files kept in $scratch)" >&2
  fi
  step "end (exit $rc)"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------
step "static checks"
common() { sed -n '/^# ---- common part of jobs/,$p' "$1"; }
for e in ratio convergence sweep; do
  diff <(common "$src/jobs/main.sbatch") <(common "$src/jobs/$e.sbatch") >/dev/null ||
    fail "the common part of jobs/$e.sbatch differs from jobs/main.sbatch"
done
[[ -n "$(common "$src/jobs/main.sbatch")" ]] || fail "no common-part marker in jobs/main.sbatch"
for f in "$src"/jobs/*.sbatch "$src"/jobs/submit.sh "$src"/scripts/slurm_local.sh; do
  bash -n "$f" || fail "syntax error in $f"
  grep -q '^set -euo pipefail' "$f" || fail "$f lacks set -euo pipefail"
done

# each paper config parses and equals the built-in experiment of the same name (its sweep spec;
# --N_runs 1 and an empty shard so that nothing runs)
for e in main ratio convergence; do
  cfg=$src/jobs/configs/paper_$e.ini
  grep -Eq '^N_runs *= *100$' "$cfg" || fail "$cfg: N_runs is not 100"
  (cd "$work" &&
   "$bin" sweep --config "$cfg" --N_runs 1 --shard 999999/1000000 --quiet --out "cfg_$e.h5" >/dev/null 2>&1 &&
   "$bin" "$e" --N_runs 1 --shard 999999/1000000 --quiet --out "def_$e.h5" >/dev/null 2>&1) ||
    fail "igbench sweep --config $cfg failed"
done
"$py" - "$work" <<'EOF' || fail "a paper config differs from the built-in experiment"
import sys, h5py
w = sys.argv[1]
for e in ("main", "ratio", "convergence"):
    with h5py.File(f"{w}/cfg_{e}.h5", "r") as a, h5py.File(f"{w}/def_{e}.h5", "r") as b:
        sa, sb = a["sweep"].attrs["spec"], b["sweep"].attrs["spec"]
        if sa != sb or len(a["runs/run"]) != 0 or a.attrs["experiment"] != e:
            sys.exit(f"paper_{e}.ini: spec\n{sa}\n!= igbench {e}:\n{sb}")
EOF

# submit.sh: --help, --dry-run (submits nothing, writes nothing), refusals
"$src/jobs/submit.sh" --help | grep -q -- '--shards' || fail "submit.sh --help"
dry=$(cd "$work" && "$src/jobs/submit.sh" "$src/jobs/configs/paper_ratio.ini" --shards 4 -n 8 -c 2 -t 1:00:00 \
        -p compute --bin "$bin" --dry-run --K 3) || fail "submit.sh --dry-run"
[[ $(grep -c '^sbatch ' <<<"$dry") -eq 3 ]] || fail "submit.sh --dry-run did not print 3 sbatch commands: $dry"
for want in '--array=0-3' '--ntasks=8' '--cpus-per-task=2' '--time=1:00:00' '--partition=compute' \
            'afterok:ARRAY_ID' 'afterok:MERGE_ID' "--config $src/jobs/configs/paper_ratio.ini --K 3" \
            'sweep.sbatch' 'merge.sbatch' 'plot.sbatch' "$work/results/paper_ratio/shard_3.h5"; do
  grep -qF -- "$want" <<<"$dry" || fail "submit.sh --dry-run lacks '$want': $dry"
done
[[ ! -e "$work/results" ]] || fail "submit.sh --dry-run created files"
if (cd "$work" && "$src/jobs/submit.sh" main --shards 2 --out x.h5 --bin "$bin" --dry-run >/dev/null 2>&1); then
  fail "submit.sh accepted --out"
fi
if (cd "$work" && "$src/jobs/submit.sh" nosuch --bin "$bin" --dry-run >/dev/null 2>&1); then
  fail "submit.sh accepted an unknown experiment"
fi
if (cd "$work" && "$src/jobs/submit.sh" main --shards 0 --bin "$bin" --dry-run >/dev/null 2>&1); then
  fail "submit.sh accepted --shards 0"
fi
# slurm_local.sh on a base where nothing runs: status says down, down is a no-op
st=0
"$src/scripts/slurm_local.sh" status "$scratch/nothing" >/dev/null || st=$?
[[ $st -eq 3 ]] || fail "slurm_local.sh status of a stopped cluster: exit $st, expected 3"
"$src/scripts/slurm_local.sh" down "$scratch/nothing" >/dev/null || fail "slurm_local.sh down of a stopped cluster"

# ---------------------------------------------------------------------------------------------
missing=()
have() {   # an executable file named $1 on PATH or in /usr/sbin (slurmctld, slurmd, munged live there)
  local p
  p=$(command -v "$1" 2>/dev/null || true)
  [[ -n "$p" && -f "$p" && -x "$p" ]] || [[ -f /usr/sbin/$1 && -x /usr/sbin/$1 ]]
}
for b in slurmctld slurmd munged sbatch squeue scontrol sinfo; do
  have "$b" || missing+=("$b")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  if [[ "${CI:-}" == true ]]; then
    fail "SLURM not installed (missing: ${missing[*]}) and CI=true: CI must run scripts/setup.sh --slurm"
  fi
  echo "SKIPPED: SLURM not installed (scripts/setup.sh --slurm installs it); missing: ${missing[*]}"
  exit 77
fi
if [[ $(id -u) -ne 0 ]]; then
  [[ "${CI:-}" == true ]] && fail "the local SLURM cluster needs root and CI=true"
  echo "SKIPPED: the local SLURM cluster needs root"
  exit 77
fi
other=$(live_daemons)
if [[ -n "$other" ]]; then
  fail "REFUSED: SLURM daemons this test did not start are running (pids: ${other}); only one cluster fits on a machine (ports 6817/6818). Stop it (scripts/slurm_local.sh down BASE, if it started them) and rerun; this test never kills daemons it did not start."
fi

step "cluster up in $base"
cluster_started=1
"$src/scripts/slurm_local.sh" up "$base" || fail "scripts/slurm_local.sh up"
export SLURM_CONF=$base/slurm.conf
"$src/scripts/slurm_local.sh" up "$base" | grep -q 'already up' || fail "slurm_local.sh up is not idempotent"
"$src/scripts/slurm_local.sh" status "$base" >/dev/null || fail "slurm_local.sh status of a running cluster"

# wait_jobs TIMEOUT ID...: until none of the jobs is pending or running
wait_jobs() {
  local limit=$1 i ids
  shift
  ids=$(IFS=,; echo "$*")
  for ((i = 0; i < limit * 2; i++)); do
    [[ -z "$(squeue -h -j "$ids" -o %i 2>/dev/null || true)" ]] && return 0
    sleep 0.5
  done
  fail "jobs $ids not finished after ${limit}s"
}
# job_states ID: the state of the job (every task of an array), one per line
job_states() { scontrol -o show job "$1" | grep -o 'JobState=[A-Z_]*' | cut -d= -f2; }
expect_state() {   # expect_state STATE ID...
  local want=$1 id s
  shift
  for id in "$@"; do
    while read -r s; do
      [[ "$s" == "$want" ]] || fail "job $id: state $s, expected $want"
    done < <(job_states "$id")
  done
}

sweep_args=(--N "200,300" --K 2 --N_runs 5 --quiet)   # 2 points x 5 runs = 10 tasks over 3 shards
submit=("$src/jobs/submit.sh" main --shards 3 --ntasks 2 --cpus-per-task 1 --time 5
        --name t --results "$work/results" --bin "$bin" --parsable "${sweep_args[@]}")
dir=$work/results/t

step "submit: 3 shards x 2 ranks, merge, plot"
read -r array_id merge_id plot_id < <(cd "$work" && "${submit[@]}") || fail "jobs/submit.sh"
echo "jobs: shards $array_id, merge $merge_id, plot $plot_id"
[[ "$array_id" =~ ^[0-9]+$ && "$merge_id" =~ ^[0-9]+$ && "$plot_id" =~ ^[0-9]+$ ]] || fail "submit.sh --parsable printed '$array_id $merge_id $plot_id'"
wait_jobs 180 "$array_id" "$merge_id" "$plot_id"
expect_state COMPLETED "$array_id" "$merge_id" "$plot_id"
[[ $(job_states "$array_id" | wc -l) -eq 3 ]] || fail "the shard array did not have 3 tasks"

step "direct run (no SLURM) and checks"
(cd "$work" && "$bin" main "${sweep_args[@]}" --out "$work/direct.h5" >/dev/null 2>&1) || fail "direct igbench run"
for i in 0 1 2; do
  grep -q "on 2 rank(s) x 1 thread(s)" "$dir/logs/shard_${i}_$array_id.out" || fail "shard $i did not run on 2 MPI ranks"
  grep -q -- "--shard $i/3 " "$dir/logs/shard_${i}_$array_id.out" || fail "shard $i did not run --shard $i/3"
done
for ext in png pdf; do
  f=$dir/figures/main_polynomial_K2_d3_ridge.$ext
  [[ -s "$f" ]] || fail "figure $f missing"
done
[[ -s "$dir/figures/summary.txt" ]] || fail "summary.txt missing"

check_py=$(cat <<'EOF'
import sys, h5py, numpy as np
d, direct = sys.argv[1], sys.argv[2]
def runs(path):
    with h5py.File(path, "r") as f:
        return {k: v[()] for k, v in f["runs"].items()}, dict(f.attrs)
m, mattrs = runs(f"{d}/merged.h5")
r, rattrs = runs(direct)
keys = list(zip(m["point"].tolist(), m["run"].tolist()))
want = {(p, q) for p in range(2) for q in range(5)}
assert len(keys) == len(set(keys)) == 10, f"merged rows not unique: {keys}"
assert set(keys) == want, f"merged (point, run) pairs {sorted(keys)} != {sorted(want)}"
assert int(mattrs["complete"]) == 1 and int(mattrs["n_tasks"]) == 10, mattrs
shard_keys = []
for i in range(3):
    s, _ = runs(f"{d}/shard_{i}.h5")
    shard_keys += list(zip(s["point"].tolist(), s["run"].tolist()))
assert sorted(shard_keys) == sorted(want), f"shards do not hold every (point, run) exactly once: {sorted(shard_keys)}"
assert set(m) == set(r), f"columns differ: {set(m) ^ set(r)}"
order_m = np.lexsort((m["run"], m["point"]))
order_r = np.lexsort((r["run"], r["point"]))
compared = 0
for c in sorted(m):
    if c.startswith("seconds_"):
        continue
    a, b = m[c][order_m], r[c][order_r]
    assert a.dtype == b.dtype and a.shape == b.shape, f"{c}: {a.dtype}{a.shape} vs {b.dtype}{b.shape}"
    assert a.tobytes() == b.tobytes(), f"column {c} differs from the direct run:\n{a}\n{b}"
    compared += 1
assert all(s == b"ok" for s in m["status"]), m["status"]
print(f"merged: 10 (point, run) rows once each; {compared} result columns bitwise equal to the direct run")
EOF
)
"$py" -c "$check_py" "$dir" "$work/direct.h5" || fail "merged results"

step "the same submission again: every shard resumes, nothing is rerun"
mkdir -p "$work/before"
cp "$dir"/shard_*.h5 "$work/before/"
read -r array2 merge2 plot2 < <(cd "$work" && "${submit[@]}" --no-plot) || fail "jobs/submit.sh (again)"
[[ "$plot2" == - ]] || fail "--no-plot submitted a plot job ($plot2)"
wait_jobs 180 "$array2" "$merge2"
expect_state COMPLETED "$array2" "$merge2"
for i in 0 1 2; do
  log=$dir/logs/shard_${i}_$array2.out
  grep -q -- "--resume" "$log" || fail "shard $i was not resumed"
  grep -Eq "; ([0-9]+) already done \(resumed\)" "$log" || fail "shard $i did not report its runs as already done"
  "$py" - "$work/before/shard_$i.h5" "$dir/shard_$i.h5" <<'EOF' || fail "shard $i changed on resubmission"
import sys, h5py
a, b = (h5py.File(p, "r")["runs"] for p in sys.argv[1:])
assert set(a) == set(b)
for c in a:   # every column, timings included: nothing was rerun
    assert a[c][()].tobytes() == b[c][()].tobytes(), c
EOF
done
"$py" -c "$check_py" "$dir" "$work/direct.h5" >/dev/null || fail "merged results after resubmission"

step "failing shards cancel the merge and plot jobs"
read -r array3 merge3 plot3 < <(cd "$work" && "$src/jobs/submit.sh" main --shards 2 --ntasks 1 --cpus-per-task 1 \
  --name bad --results "$work/results" --bin "$bin" --parsable --N 300 --no_such_option 1) || fail "jobs/submit.sh (bad)"
wait_jobs 120 "$array3" "$merge3" "$plot3"
expect_state FAILED "$array3"
expect_state CANCELLED "$merge3" "$plot3"
grep -q "unrecognised option" "$work/results/bad/logs/shard_0_$array3.out" || fail "the failing shard's log lacks igbench's error"
[[ ! -e "$work/results/bad/merged.h5" ]] || fail "a merge ran after failed shards"

step "all checks passed"
