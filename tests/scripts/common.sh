# Shared helpers of the script tests (sourced).
set -euo pipefail
: "${IGBENCH_BINARY:?set by CTest}" "${IGBENCH_SOURCE_DIR:?set by CTest}"
PYTHON=${IGBENCH_PYTHON:-/usr/bin/python3}
TOOL="$PYTHON $IGBENCH_SOURCE_DIR/tests/scripts/results_tool.py"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/igbench_script_XXXXXX")
trap 'rm -rf "$WORK"' EXIT
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
finish() {
  if [[ $failures -gt 0 ]]; then echo "$failures check(s) failed"; exit 1; fi
  echo "all checks passed"
}
# h5_opens FILE: the file opens cleanly with h5dump
h5_opens() { h5dump -H "$1" > /dev/null 2>&1; }
