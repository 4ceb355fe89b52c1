#!/usr/bin/env bash
# Fault injection (issue 12): concurrent writers on one --out (two processes, a job array given one
# --out, an MPI rank group against a process), kill -9 at random moments including the first
# second, SIGTERM / SIGINT to one rank of an mpirun, stops inside long solves and inside a
# reference-exact run (no poll points), and the memory feasibility check. Byte flips and full
# disks are tested with the io layer.
# ctest: TIMEOUT 900 PROCESSORS 2 LABELS durability
source "$(dirname "$0")/common.sh"
cd "$WORK"
export OMP_NUM_THREADS=1
B="$IGBENCH_BINARY"
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
have_mpi=0; command -v mpirun > /dev/null && have_mpi=1

# ----- 1. two writers on one --out: exactly one succeeds with a complete file, the other is refused at once
CONCURRENT=(main --N 5000 --K 4 --quiet)
refused_ms_max=0
for trial in $(seq 1 16); do
  out="$WORK/c$trial.h5"
  t0=$(now_ms)
  ( rc=0; "$B" "${CONCURRENT[@]}" --N_runs 100 --out "$out" > /dev/null 2> "$WORK/a.err" || rc=$?
    echo $rc > "$WORK/a.rc"; echo $(( $(now_ms) - t0 )) > "$WORK/a.ms" ) &
  ( rc=0; "$B" "${CONCURRENT[@]}" --N_runs 100 --out "$out" > /dev/null 2> "$WORK/b.err" || rc=$?
    echo $rc > "$WORK/b.rc"; echo $(( $(now_ms) - t0 )) > "$WORK/b.ms" ) &
  wait
  rcs="$(cat "$WORK/a.rc") $(cat "$WORK/b.rc")"
  rm -f "$WORK/a.rc" "$WORK/b.rc"
  case "$rcs" in
    "0 2") loser=b ;;
    "2 0") loser=a ;;
    *) fail "concurrent trial $trial: exit codes $rcs (want one 0 and one 2)"; continue ;;
  esac
  ms=$(cat "$WORK/$loser.ms"); (( ms > refused_ms_max )) && refused_ms_max=$ms
  grep -q "is being written by another igbench (host .*, pid [0-9]*, started\|already exists" "$WORK/$loser.err" ||
    fail "concurrent trial $trial: refusal does not name the holder: $(cat "$WORK/$loser.err")"
  [[ $(wc -l < "$WORK/$loser.err") -eq 1 ]] || fail "concurrent trial $trial: refusal is not one line"
  $TOOL unique "$out" 100 > /dev/null || fail "concurrent trial $trial: $out is not complete"
done
(( refused_ms_max < 1500 )) || fail "a refused writer took ${refused_ms_max} ms to leave"
[[ $failures -eq 0 ]] && pass "16 trials of two concurrent writers: one exit 0 with a complete file, one exit 2 (slowest refusal ${refused_ms_max} ms)"

# ----- 2. a job array mistakenly given one --out: the second shard is refused, the first completes
out="$WORK/array.h5"
"$B" "${CONCURRENT[@]}" --N_runs 100 --shard 0/2 --out "$out" > /dev/null 2>&1 & p0=$!
"$B" "${CONCURRENT[@]}" --N_runs 100 --shard 1/2 --out "$out" > /dev/null 2> "$WORK/array.err" & p1=$!
rc0=0; wait $p0 || rc0=$?; rc1=0; wait $p1 || rc1=$?
if [[ "$rc0 $rc1" == "0 2" || "$rc0 $rc1" == "2 0" ]]; then pass "job array on one --out: exits $rc0 and $rc1"
else fail "job array on one --out: exits $rc0 $rc1"; fi

# ----- 3. an MPI rank group and a process on one --out
if (( have_mpi )); then
  out="$WORK/group.h5"
  mpirun -np 2 "$B" "${CONCURRENT[@]}" --N_runs 300 --out "$out" > /dev/null 2>&1 & pm=$!
  for _ in $(seq 1 100); do [[ -e "$out.lock" ]] && break; sleep 0.05; done
  rc=0; "$B" "${CONCURRENT[@]}" --N_runs 300 --out "$out" > /dev/null 2> "$WORK/group.err" || rc=$?
  rcm=0; wait $pm || rcm=$?
  [[ $rc -eq 2 && $rcm -eq 0 ]] && $TOOL unique "$out" 300 > /dev/null &&
    pass "a process against a running rank group is refused (exit 2), the group completes" ||
    fail "rank group vs process: exits $rcm / $rc: $(cat "$WORK/group.err")"
fi

# ----- 4. kill -9 at random moments, including the first second: whatever is left opens, resume completes
SWEEP=(sweep --N 2000,8000 --K 3 --N_runs 30 --quiet --snapshot_interval 0.2)
"$B" "${SWEEP[@]}" --out "$WORK/ref.h5" > /dev/null
RANDOM=4242
killed_early=0
for trial in $(seq 1 12); do
  out="$WORK/k$trial.h5"
  # first half of the trials within the first 300 ms (start-up, lock, first file), the rest later
  if (( trial <= 6 )); then delay=$(( RANDOM % 300 )); else delay=$(( 300 + RANDOM % 900 )); fi
  "$B" "${SWEEP[@]}" --out "$out" > /dev/null 2>&1 & pid=$!
  sleep "$(printf '%d.%03d' $(( delay / 1000 )) $(( delay % 1000 )))"
  kill -9 $pid 2> /dev/null && killed_early=$((killed_early + 1))
  wait $pid 2> /dev/null || true
  if ls "$out".journal.* > /dev/null 2>&1; then
    [[ -e "$out" ]] || fail "kill after ${delay} ms: journals but no $out"
  fi
  if [[ -e "$out" ]]; then h5_opens "$out" || fail "kill after ${delay} ms: $out does not open"; fi
  resume=(); [[ -e "$out" ]] && resume=(--resume)
  "$B" "${SWEEP[@]}" --out "$out" "${resume[@]}" > /dev/null 2>&1 || fail "kill after ${delay} ms: resume failed"
  $TOOL same "$WORK/ref.h5" "$out" > /dev/null && $TOOL unique "$out" 60 > /dev/null ||
    fail "kill after ${delay} ms: resumed file differs from the uninterrupted run"
  [[ -z "$(ls "$out".* 2> /dev/null)" ]] || fail "kill after ${delay} ms: left $(ls "$out".*)"
done
pass "12 kill -9 trials ($killed_early landed while running): files open, resume equals the uninterrupted run"

# ----- 5. SIGTERM / SIGINT to ONE rank of an mpirun: every rank stops promptly, right message and code
if (( have_mpi )); then
  for sig in TERM INT; do
    want=143; [[ $sig == INT ]] && want=130
    out="$WORK/mpi$sig.h5"
    mpirun -np 2 "$B" main --N 5000 --K 4 --N_runs 2000 --quiet --out "$out" > "$WORK/mpi.out" 2> "$WORK/mpi.err" & pm=$!
    for _ in $(seq 1 200); do [[ -e "$out.journal.1" ]] && break; sleep 0.05; done
    sleep 0.5
    rank1=$(pgrep -f -n "main --N 5000 --K 4 --N_runs 2000 --quiet --out $out" || true)
    t0=$(now_ms)
    kill -s $sig "$rank1"
    rc=0; wait $pm || rc=$?
    ms=$(( $(now_ms) - t0 ))
    pgrep -f "out $out" > /dev/null && fail "SIG$sig to one rank: a rank is still running"
    msg=$(grep "stopped by signal" "$WORK/mpi.err" || true)
    if [[ $rc -eq $want && $ms -lt 5000 && "$msg" == *"stopped by signal $((want - 128)) after saving"* && "$msg" != *"signal 0"* ]]; then
      pass "SIG$sig to rank 1 of 2: all ranks stopped after ${ms} ms, exit $rc: $msg"
    else
      fail "SIG$sig to rank 1 of 2: exit $rc after ${ms} ms; stderr: $(cat "$WORK/mpi.err")"
    fi
    if [[ $sig == TERM ]]; then
      mpirun -np 2 "$B" main --N 5000 --K 4 --N_runs 2000 --quiet --out "$out" --resume > /dev/null 2>&1 &&
        $TOOL unique "$out" 2000 > /dev/null || fail "SIG$sig: resume after the stop did not complete"
    fi
  done
else
  echo "skip: mpirun not found (SIGTERM to one rank of an mpirun not tested)"
fi

# ----- 6. stops inside long steps without poll points: a K=15 run's solves, a reference-exact run
stop_within() {  # stop_within NAME DELAY_S LIMIT_MS ARGS...: TERM after DELAY_S, exit 143 within LIMIT_MS
  local name=$1 delay=$2 limit=$3; shift 3
  "$B" "$@" > /dev/null 2> "$WORK/stop.err" & local pid=$!
  sleep "$delay"
  local t0; t0=$(now_ms)
  kill -TERM $pid
  local rc=0; wait $pid || rc=$?
  local ms=$(( $(now_ms) - t0 ))
  if [[ $rc -eq 143 && $ms -lt $limit ]] && grep -q "stopped by signal 15" "$WORK/stop.err"; then
    pass "$name: SIGTERM honoured after ${ms} ms (exit 143)"
  else
    fail "$name: exit $rc after ${ms} ms: $(cat "$WORK/stop.err")"
  fi
}
stop_within "K=15 run (accumulation, then solves of P=816)" 2.5 2500 main --K 15 --N 10000 --N_runs 2 --quiet --out "$WORK/k15.h5"
stop_within "reference-exact run (no poll points)" 1 2500 main --rng reference --N 400000 --K 5 --N_runs 4 --quiet --out "$WORK/ref_exact.h5"

# ----- 7. feasibility: K = 1000 refused at once with the estimate; the model bounds real peaks
t0=$(now_ms)
rc=0; "$B" main --K 1000 --out "$WORK/k1000.h5" 2> "$WORK/k1000.err" || rc=$?
ms=$(( $(now_ms) - t0 ))
[[ $rc -eq 2 && $ms -lt 2000 && ! -e "$WORK/k1000.h5" ]] && grep -q "needs about .* of memory" "$WORK/k1000.err" &&
  pass "--K 1000 refused after ${ms} ms: $(cat "$WORK/k1000.err")" || fail "--K 1000: exit $rc after ${ms} ms: $(cat "$WORK/k1000.err")"
# (K = 12 needs about 50 MB measured, 76 MB estimated; the process alone takes 20 MB)
rc=0; "$B" main --K 12 --N_runs 1 --max_memory 30M --out "$WORK/m.h5" 2> /dev/null || rc=$?
[[ $rc -eq 2 ]] && pass "--max_memory 30M refuses K=12" || fail "--max_memory 30M: exit $rc"
for K in 10 12; do
  /usr/bin/time -v "$B" main --K $K --N 10000 --N_runs 1 --quiet --out "$WORK/mem$K.h5" > /dev/null 2> "$WORK/mem.err"
  rss_mb=$(( $(awk '/Maximum resident/ {print $6}' "$WORK/mem.err") * 1024 / 1000000 ))
  est_mb=$(sed -n 's/.*estimated peak memory \([0-9]*\) MB.*/\1/p' "$WORK/mem.err")
  if [[ -n "$est_mb" ]] && (( rss_mb <= est_mb && est_mb <= rss_mb * 2 )); then
    pass "K=$K: measured peak ${rss_mb} MB, estimated ${est_mb} MB"
  else
    fail "K=$K: measured peak ${rss_mb} MB, estimated '${est_mb}' MB (want measured <= estimate <= 2 x measured)"
  fi
done

finish
