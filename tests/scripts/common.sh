# Shared helpers of the script tests (sourced).
set -euo pipefail
: "${IGBENCH_BINARY:?set by CTest}" "${IGBENCH_SOURCE_DIR:?set by CTest}"
PYTHON=${IGBENCH_PYTHON:-/usr/bin/python3}
TOOL="$PYTHON $IGBENCH_SOURCE_DIR/tests/scripts/results_tool.py"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/igbench_script_XXXXXX")
# Skip policy: exit 77 tells CTest "skipped" (SKIP_RETURN_CODE), except under CI=true, where a
# test that did not run is a failure: the EXIT trap turns a 77 into 1 there.
on_exit() {
  local rc=$?
  rm -rf "$WORK"
  if [[ $rc -eq 77 && "${CI:-}" == true ]]; then
    echo "FAIL: skipped under CI=true (a skip is a failure on CI)"
    exit 1
  fi
  exit "$rc"
}
trap on_exit EXIT
failures=0

# skip REASON: the test cannot run here (exit 77; a failure under CI=true).
skip() { echo "SKIPPED: $*"; exit 77; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
finish() {
  if [[ $failures -gt 0 ]]; then echo "$failures check(s) failed"; exit 1; fi
  echo "all checks passed"
}
# h5_opens FILE: the file opens cleanly with h5dump
h5_opens() { h5dump -H "$1" > /dev/null 2>&1; }
