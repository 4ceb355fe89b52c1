#!/usr/bin/env bash
# MPI: the same sweep at 1, 2 and 3 ranks (and 1, 2 or 4 threads) gives bitwise identical result
# columns; killing the whole mpirun and resuming with a different rank count gives the same
# results; --shard i/n partitions the tasks so that merging the shards gives the whole sweep.
# ctest: TIMEOUT 900 LABELS mpi PROCESSORS 2
source "$(dirname "$0")/common.sh"
cd "$WORK"
command -v mpirun > /dev/null || skip "mpirun not found (scripts/setup.sh installs openmpi-bin)"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
MPIRUN=(mpirun --oversubscribe --bind-to none -x OMP_NUM_THREADS)
# a mixed-cost sweep: two points of the paper's main experiment and a small convergence axis
MAIN=(main --N 1500,6000 --K 3 --N_runs 8 --quiet)
CONV=(convergence --N_total 1000,10000,60000 --K 4 --N_runs 4 --quiet)

for exp in MAIN CONV; do
  declare -n cmd=$exp
  OMP_NUM_THREADS=1 "$IGBENCH_BINARY" "${cmd[@]}" --out "$WORK/$exp.serial.h5" > /dev/null
  for ranks in 1 2 3; do
    # 4 threads on one rank: batches of 4 whole runs, one per thread, and split runs at the tail
    for threads in 1 2 4; do
      [[ $ranks -eq 3 && $threads -eq 2 ]] && continue
      [[ $ranks -gt 1 && $threads -eq 4 ]] && continue
      out="$WORK/$exp.r$ranks.t$threads.h5"
      OMP_NUM_THREADS=$threads "${MPIRUN[@]}" -np "$ranks" "$IGBENCH_BINARY" "${cmd[@]}" --out "$out" > "$WORK/log" 2>&1 \
        || { fail "$exp at $ranks ranks x $threads threads: mpirun failed"; cat "$WORK/log"; continue; }
      if $TOOL same "$WORK/$exp.serial.h5" "$out" > /dev/null; then
        pass "$exp: $ranks rank(s) x $threads thread(s) bitwise equal to 1 process"
      else
        $TOOL same "$WORK/$exp.serial.h5" "$out" || true
        fail "$exp: $ranks ranks x $threads threads differ"
      fi
      ranks_attr=$("$PYTHON" -c "import h5py; print(h5py.File('$out')['/'].attrs['ranks'])")
      [[ $ranks_attr -eq $ranks ]] || fail "$out records ranks=$ranks_attr"
    done
  done
  unset -n cmd
done

# Kill the whole mpirun (SIGKILL to the launcher and its ranks), resume with another rank count.
BIG=(main --N 4000,16000 --K 4 --N_runs 10 --quiet --snapshot_interval 0.2)
OMP_NUM_THREADS=1 "$IGBENCH_BINARY" "${BIG[@]}" --out "$WORK/big.ref.h5" > /dev/null
for trial in 1 2 3; do
  out="$WORK/big$trial.h5"
  OMP_NUM_THREADS=1 setsid "${MPIRUN[@]}" -np 3 "$IGBENCH_BINARY" "${BIG[@]}" --out "$out" > /dev/null 2>&1 &
  pid=$!
  sleep "0.$(( 3 + trial * 2 ))"
  kill -9 -- "-$pid" 2>/dev/null || true   # the whole process group: mpirun and every rank
  wait "$pid" 2>/dev/null || true
  sleep 0.2
  [[ ! -e "$out" ]] || h5_opens "$out" || fail "trial $trial: $out does not open after the kill"
  resume=(); [[ -e "$out" || -n "$(ls "$out".journal.* 2>/dev/null)" ]] && resume=(--resume)
  OMP_NUM_THREADS=1 "${MPIRUN[@]}" -np 2 "$IGBENCH_BINARY" "${BIG[@]}" --out "$out" "${resume[@]}" > "$WORK/log" 2>&1 \
    || { fail "trial $trial: resume at 2 ranks failed"; cat "$WORK/log"; }
  if $TOOL same "$WORK/big.ref.h5" "$out" > /dev/null && $TOOL unique "$out" 20 > /dev/null; then
    pass "trial $trial: killed at 3 ranks, resumed at 2 (${resume[*]:-fresh start}): same results, every row once"
  else
    fail "trial $trial: resumed results differ"
  fi
done

# Job-array shards: every task exactly once, merged shards equal the whole sweep.
for i in 0 1 2; do
  OMP_NUM_THREADS=1 "$IGBENCH_BINARY" "${CONV[@]}" --shard "$i/3" --out "$WORK/shard$i.h5" > /dev/null
done
"$IGBENCH_BINARY" merge "$WORK/merged.h5" "$WORK"/shard{0,1,2}.h5 > "$WORK/merge.log" || { fail "merge failed"; cat "$WORK/merge.log"; }
$TOOL same "$WORK/CONV.serial.h5" "$WORK/merged.h5" > /dev/null && $TOOL unique "$WORK/merged.h5" 12 > /dev/null \
  && pass "3 shards merged equal the whole sweep" || fail "merged shards differ from the whole sweep"
complete=$("$PYTHON" -c "import h5py; print(h5py.File('$WORK/merged.h5')['/'].attrs['complete'])")
[[ $complete -eq 1 ]] && pass "merged file is complete" || fail "merged file not complete"
# merging a shard twice drops the identical duplicates
"$IGBENCH_BINARY" merge "$WORK/merged2.h5" "$WORK"/shard{0,1,2}.h5 "$WORK/shard1.h5" > /dev/null \
  && $TOOL same "$WORK/CONV.serial.h5" "$WORK/merged2.h5" > /dev/null && pass "duplicate shard dropped" || fail "duplicate shard"
finish
