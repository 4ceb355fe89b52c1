#!/usr/bin/env bash
# A full disk is an error, not a crash: on a small tmpfs, a run whose final write does not fit
# exits 1 with a message, leaves its journal intact, and `--resume` after space is freed ends
# with the file an unhindered run writes; merge onto a full disk exits 1 and leaves nothing.
# Needs root (mount); skipped otherwise.
# ctest: TIMEOUT 300 LABELS io
source "$(dirname "$0")/common.sh"
[[ $(id -u) -eq 0 ]] || { echo "skipped: mounting a tmpfs needs root"; exit 77; }
DISK="$WORK/disk"
mkdir -p "$DISK"
mount -t tmpfs -o size=2m tmpfs "$DISK" 2> /dev/null || { echo "skipped: cannot mount a tmpfs here"; exit 77; }
trap 'umount "$DISK" 2> /dev/null; rm -rf "$WORK"' EXIT
ig() { OMP_NUM_THREADS=1 "$IGBENCH_BINARY" "$@"; }
RUN=(main --N 300 --K 2 --N_runs 60 --quiet)
ig "${RUN[@]}" --out "$WORK/ref.h5" > /dev/null 2>&1
ref_size=$(stat -c %s "$WORK/ref.h5")
# fill the disk up to `free` bytes
fill_to() {
  rm -f "$DISK/fill"
  local avail; avail=$(df --output=avail -B1 "$DISK" | tail -1)
  local fill=$(((avail - $1) / 4096))
  [[ $fill -gt 0 ]] && dd if=/dev/zero of="$DISK/fill" bs=4096 count=$fill status=none 2> /dev/null || true
}

# 1. room for the journal (about 400 bytes per run) but not for the final file
fill_to $((60 * 400 + 8192))
rc=0; err=$(ig "${RUN[@]}" --out "$DISK/r.h5" 2>&1 > /dev/null) || rc=$?
[[ $rc -eq 1 ]] && pass "run on a full disk exits 1: $(echo "$err" | tail -1)" || fail "run on a full disk: exit $rc: $err"
ls "$DISK"/r.h5.journal.* > /dev/null 2>&1 && pass "the journal is left for --resume" || fail "no journal left: $(ls "$DISK")"
ls "$DISK" | grep -q '\.tmp\.' && fail "temporary files left: $(ls "$DISK")" || pass "no temporary file left"
rm -f "$DISK/fill"
rc=0; ig "${RUN[@]}" --out "$DISK/r.h5" --resume > /dev/null 2>&1 || rc=$?
[[ $rc -eq 0 ]] && pass "--resume after freeing space" || fail "--resume: exit $rc"
$TOOL same "$DISK/r.h5" "$WORK/ref.h5" > /dev/null && pass "resumed file equals the unhindered run" || fail "resumed file differs"
rm -f "$DISK"/r.h5*

# 2. merge onto a full disk
fill_to 0
rc=0; err=$(ig merge "$DISK/m.h5" "$WORK/ref.h5" 2>&1 > /dev/null) || rc=$?
[[ $rc -eq 1 && $(echo "$err" | wc -l) -eq 1 ]] && pass "merge onto a full disk exits 1: $err" || fail "merge: exit $rc: $err"
[[ -z $(ls "$DISK" | grep -v '^fill$') ]] && pass "merge left nothing" || fail "merge left: $(ls "$DISK")"
echo "(final file $ref_size bytes)"
finish
