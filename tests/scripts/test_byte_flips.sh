#!/usr/bin/env bash
# Corrupt result files are refused, never trusted, never a crash: every single-byte flip (the
# byte inverted) of a small result file, at every STRIDE-th offset, is given to summary, export
# (--all-columns: every value of every row) and merge. Each command must exit 0 with output
# identical to the intact file's, or exit 2 with one line naming the file; a signal, exit 1, a
# changed value, or a changed merged file is a failure. Prints the counts.
#   IGBENCH_FLIP_STRIDE=1 bash test_byte_flips.sh      every byte (slow)
# ctest: TIMEOUT 1200 LABELS io
source "$(dirname "$0")/common.sh"
cd "$WORK"
STRIDE=${IGBENCH_FLIP_STRIDE:-293}
ig() { "$IGBENCH_BINARY" "$@"; }
OMP_NUM_THREADS=1 ig main --N 300 --K 2 --N_runs 2 --out intact.h5 --quiet > /dev/null 2>&1
size=$(stat -c %s intact.h5)

# The intact file's outputs (export names the file it reads, so every input is called f.h5).
cp intact.h5 f.h5
ig summary f.h5 > summary.ref
mkdir -p ref && ig export f.h5 --all-columns --out ref > /dev/null
ig merge m.h5 f.h5 > /dev/null && mkdir -p mref && ig export m.h5 --all-columns --out mref > /dev/null && rm -f m.h5

flips=0; identical=0; refused=0; bad=0
declare -A outcome_counts
judge() {  # judge NAME EXIT_CODE IDENTICAL(0/1) STDERR
  local name=$1 rc=$2 same=$3 err=$4
  if [[ $rc -eq 0 && $same -eq 1 ]]; then outcome_counts[$name.identical]=$((${outcome_counts[$name.identical]:-0} + 1))
  elif [[ $rc -eq 2 && $(printf '%s\n' "$err" | wc -l) -eq 1 && $err == *f.h5* ]]; then
    outcome_counts[$name.refused]=$((${outcome_counts[$name.refused]:-0} + 1))
  else
    outcome_counts[$name.bad]=$((${outcome_counts[$name.bad]:-0} + 1))
    fail "$name at offset $off: exit $rc, identical=$same: $err"
  fi
}
for ((off = 0; off < size; off += STRIDE)); do
  cp intact.h5 f.h5
  byte=$(od -An -tu1 -j "$off" -N1 intact.h5 | tr -d ' ')
  printf "\\x$(printf %02x $((byte ^ 255)))" | dd of=f.h5 bs=1 seek="$off" conv=notrunc status=none
  flips=$((flips + 1))

  rc=0; err=$(ig summary f.h5 2>&1 > summary.out) || rc=$?
  same=0; cmp -s summary.out summary.ref && same=1
  judge summary $rc $same "$err"

  rm -rf out && mkdir out
  rc=0; err=$(ig export f.h5 --all-columns --out out 2>&1 > /dev/null) || rc=$?
  same=0; diff -r -q out ref > /dev/null 2>&1 && same=1
  judge export $rc $same "$err"

  rm -rf m.h5 mout && mkdir mout
  rc=0; err=$(ig merge m.h5 f.h5 2>&1 > /dev/null) || rc=$?
  same=0
  if [[ $rc -eq 0 ]]; then ig export m.h5 --all-columns --out mout > /dev/null 2>&1 && diff -r -q mout mref > /dev/null 2>&1 && same=1; fi
  judge merge $rc $same "$err"
done
echo "file of $size bytes, stride $STRIDE: $flips flips"
for k in $(printf '%s\n' "${!outcome_counts[@]}" | sort); do echo "  $k: ${outcome_counts[$k]}"; done
[[ $flips -gt 0 ]] || fail "no flips"
finish
