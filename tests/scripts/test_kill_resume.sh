#!/usr/bin/env bash
# Durability: kill -9 a sweep at random moments (several trials), check that every results file
# left on disk opens cleanly, then --resume: the final file equals an uninterrupted run's, with no
# row lost or duplicated. SIGTERM and SIGINT stop gracefully (exit 143 / 130) and save.
# ctest: TIMEOUT 900 LABELS durability
source "$(dirname "$0")/common.sh"
cd "$WORK"
# ~60 runs of a few to ~40 ms; snapshots every 0.1 s so kills also land inside HDF5 rewrites.
SWEEP=(sweep --N 1000,4000,16000 --K 3 --N_runs 20 --quiet --snapshot_interval 0.1)
export OMP_NUM_THREADS=1
"$IGBENCH_BINARY" "${SWEEP[@]}" --out "$WORK/ref.h5" > /dev/null
$TOOL unique "$WORK/ref.h5" 60 > /dev/null || fail "reference run incomplete"
total_ms=$(( $(date +%s%N) / 1000000 ))
"$IGBENCH_BINARY" "${SWEEP[@]}" --out "$WORK/timing.h5" > /dev/null
total_ms=$(( $(date +%s%N) / 1000000 - total_ms ))
echo "an uninterrupted run takes ${total_ms} ms"

check_files_open() {  # every results file (*.h5) in the folder opens with h5dump
  local f
  for f in "$WORK"/trial*.h5; do
    [[ -e "$f" ]] || continue
    h5_opens "$f" || fail "$1: $f does not open"
  done
}

RANDOM=12345
for trial in 1 2 3 4 5 6 7 8; do
  out="$WORK/trial$trial.h5"
  kills=0
  # kill -9 up to three times at random moments, resuming in between
  for round in 1 2 3; do
    resume=(); [[ -e "$out" || -n "$(ls "$out".journal.* 2>/dev/null)" ]] && resume=(--resume)
    "$IGBENCH_BINARY" "${SWEEP[@]}" --out "$out" "${resume[@]}" > /dev/null 2>&1 &
    pid=$!
    delay_ms=$(( RANDOM % (total_ms + 20) + 5 ))
    sleep "$(printf '0.%03d' "$delay_ms")" 2>/dev/null || sleep 0.05
    if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
    wait "$pid" 2>/dev/null || true
    check_files_open "trial $trial round $round (killed after ${delay_ms} ms)"
  done
  resume=(); [[ -e "$out" || -n "$(ls "$out".journal.* 2>/dev/null)" ]] && resume=(--resume)
  "$IGBENCH_BINARY" "${SWEEP[@]}" --out "$out" "${resume[@]}" > /dev/null 2>&1 || fail "trial $trial: final resume failed"
  if $TOOL same "$WORK/ref.h5" "$out" > /dev/null && $TOOL unique "$out" 60 > /dev/null; then
    pass "trial $trial: $kills kill(s), resumed result equals the uninterrupted run"
  else
    $TOOL same "$WORK/ref.h5" "$out" || true; $TOOL unique "$out" 60 || true
    fail "trial $trial"
  fi
  leftovers=$(ls "$out".* 2>/dev/null || true)
  [[ -z "$leftovers" ]] || fail "trial $trial left $leftovers"
done

# SIGTERM / SIGINT: graceful stop, saved file, the exit code says which signal, resume completes
for sig in TERM INT; do
  out="$WORK/sig$sig.h5"
  "$IGBENCH_BINARY" "${SWEEP[@]}" --out "$out" > "$WORK/sig.log" 2>&1 &
  pid=$!
  sleep "$(printf '0.%03d' $(( total_ms / 3 + 5 )))"
  kill -s "$sig" "$pid" 2>/dev/null || true
  rc=0; wait "$pid" || rc=$?
  want=$([[ $sig == TERM ]] && echo 143 || echo 130)
  if [[ $rc -eq $want ]]; then
    h5_opens "$out" && pass "SIG$sig: exit $rc and $out opens" || fail "SIG$sig: $out does not open"
    grep -q -- "--resume" "$WORK/sig.log" && pass "SIG$sig: says how to resume" || fail "SIG$sig: no resume hint"
  elif [[ $rc -eq 0 ]]; then
    echo "note: the sweep finished before SIG$sig arrived"
  else
    fail "SIG$sig: exit $rc (want $want)"; cat "$WORK/sig.log"
  fi
  resume=(); [[ -e "$out" ]] && resume=(--resume)
  "$IGBENCH_BINARY" "${SWEEP[@]}" --out "$out" "${resume[@]}" > /dev/null 2>&1 || fail "SIG$sig: resume failed"
  $TOOL same "$WORK/ref.h5" "$out" > /dev/null && pass "SIG$sig: resumed result equals the uninterrupted run" || fail "SIG$sig: results differ"
done
finish
