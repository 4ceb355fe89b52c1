#!/usr/bin/env bash
# Bad input: every command exits 2 with exactly one line on stderr saying what is wrong, and
# writes nothing. --help documents every option with its default.
# ctest: TIMEOUT 300 LABELS cli
source "$(dirname "$0")/common.sh"
cd "$WORK"
mkdir out

expect_usage_error() {  # expect_usage_error "description" args...
  local what=$1; shift
  local err rc=0 extra=(--output_dir out)
  [[ " $* " == *" --output_dir "* ]] && extra=()
  err=$("$IGBENCH_BINARY" "$@" "${extra[@]}" 2>&1 >/dev/null) || rc=$?
  local lines
  lines=$(printf '%s' "$err" | grep -c '' || true)
  if [[ $rc -ne 2 ]]; then fail "$what: exit $rc (want 2): $err"; return; fi
  if [[ $lines -ne 1 ]]; then fail "$what: $lines stderr lines (want 1): $err"; return; fi
  if [[ -n "$(ls -A out)" ]]; then fail "$what: wrote $(ls out)"; rm -rf out/*; return; fi
  pass "$what -> $err"
}
expect_scm_error() {
  local what=$1; shift
  local err rc=0
  err=$("$IGBENCH_BINARY" scm "$@" 2>&1 >/dev/null) || rc=$?
  if [[ $rc -eq 2 && $(printf '%s' "$err" | grep -c '') -eq 1 ]]; then pass "$what -> $err"; else fail "$what: exit $rc: $err"; fi
}

# igbench scm (issue 2)
expect_scm_error "scm K < 1" --K 0
expect_scm_error "scm n < 1" --n 0
expect_scm_error "scm unknown scm_type" --scm_type quadratic
expect_scm_error "scm unknown option" --bogus 1
expect_scm_error "scm malformed K" --K abc

# experiments (issues 3 and 5)
expect_usage_error "main K < 1" main --K 0 --N 100 --N_runs 1
expect_usage_error "main N below the minimum" main --N 7 --K 2 --N_runs 1
expect_usage_error "main n_order_fit < 1" main --n_order_fit 0 --N 100 --N_runs 1
expect_usage_error "main N_runs < 1" main --N_runs 0 --N 100
expect_usage_error "main unknown regularization" main --regularization elastic --N 100 --N_runs 1
expect_usage_error "main unknown scm_type" main --scm_type cubic --N 100 --N_runs 1
expect_usage_error "main unknown option" main --N 100 --frobnicate
expect_usage_error "sweep empty list item" sweep --K 1,,2 --N 100 --N_runs 1
expect_usage_error "sweep malformed N" sweep --N abc --N_runs 1
expect_usage_error "main empty list" main --N "" --N_runs 1
expect_usage_error "sweep empty list" sweep --N "" --N_total "" --N_runs 1
expect_usage_error "sweep no size axis" sweep --K 2 --N_runs 1
expect_usage_error "sweep two size axes" sweep --N 100 --N_total 100 --N_runs 1
expect_usage_error "ratio ratio <= 0" ratio --ratios 0.5,0 --N_avg 100 --K 2 --N_runs 1
expect_usage_error "ratio negative ratio" ratio --ratios -1 --N_avg 100 --N_runs 1
expect_usage_error "ratio N_sint too small" ratio --ratios 0.01 --N_avg 100 --K 2 --N_runs 1
expect_usage_error "convergence N_total too small" convergence --N_total 20 --K 5 --N_runs 1
expect_usage_error "convergence N_runs < 1" convergence --N_total 1000 --N_runs -3
expect_usage_error "reference rng with lasso" main --rng reference --regularization lasso --N 100 --N_runs 1
expect_usage_error "bad shard" main --N 100 --N_runs 2 --shard 3/3
expect_usage_error "bad rng" main --rng philox --N 100 --N_runs 1
touch "$WORK/a_file"
expect_usage_error "output_dir is a file" main --N 100 --N_runs 1 --output_dir "$WORK/a_file/sub"
expect_usage_error "alphas not ascending" main --N 100 --N_runs 1 --alphas 0.1,0.01
expect_usage_error "negative alpha" main --N 100 --N_runs 1 --alphas=-1,0.1
expect_usage_error "resume without --out" main --N 100 --N_runs 1 --resume

# an existing output is never overwritten silently
"$IGBENCH_BINARY" main --N 100 --K 2 --N_runs 2 --out "$WORK/r.h5" --quiet > /dev/null 2>&1
before=$(md5sum "$WORK/r.h5")
expect_usage_error "existing --out without --resume" main --N 100 --K 2 --N_runs 2 --out "$WORK/r.h5"
[[ "$(md5sum "$WORK/r.h5")" == "$before" ]] && pass "existing output untouched" || fail "existing output changed"
expect_usage_error "resume with a different sweep" main --N 200 --K 2 --N_runs 2 --out "$WORK/r.h5" --resume
[[ "$(md5sum "$WORK/r.h5")" == "$before" ]] && pass "output untouched by a refused resume" || fail "output changed"

# file commands refuse missing, corrupt, truncated and foreign files, naming them
echo "not hdf5" > "$WORK/text.h5"
head -c 2000 "$WORK/r.h5" > "$WORK/truncated.h5"
"$PYTHON" -c "import h5py; h5py.File('$WORK/foreign.h5', 'w').create_dataset('x', data=[1, 2])"
for bad in missing.h5 text.h5 truncated.h5 foreign.h5; do
  for cmd in summary export merge; do
    args=("$WORK/$bad")
    [[ $cmd == merge ]] && args=("$WORK/merged_$bad" "$WORK/r.h5" "$WORK/$bad")
    err=$("$IGBENCH_BINARY" "$cmd" "${args[@]}" 2>&1 >/dev/null) && rc=0 || rc=$?
    if [[ $rc -eq 2 && "$err" == *"$bad"* && $(printf '%s' "$err" | grep -c '') -eq 1 ]]; then
      pass "$cmd refuses $bad: $err"
    else
      fail "$cmd on $bad: exit $rc: $err"
    fi
  done
  [[ ! -e "$WORK/merged_$bad" ]] || fail "merge wrote an output despite $bad"
done

# --help documents every option with its default
for cmd in main ratio convergence sweep; do
  help=$("$IGBENCH_BINARY" "$cmd" --help)
  for opt in K N_runs scm_type; do
    [[ "$help" == *"--$opt arg (="* ]] || fail "$cmd --help: --$opt without a default"
  done
done
help=$("$IGBENCH_BINARY" main --help)
for opt in N K n_order_fit N_runs scm_type regularization seed output_dir rng; do
  [[ "$help" == *"--$opt arg (="* ]] || fail "main --help lacks --$opt with its default"
done
[[ "$("$IGBENCH_BINARY" scm --help)" == *"--n arg (=1000)"* ]] && pass "scm --help shows defaults" || fail "scm --help"
"$IGBENCH_BINARY" --help | grep -q "convergence" && pass "igbench --help lists the commands" || fail "igbench --help"
rc=0; "$IGBENCH_BINARY" frobnicate 2>/dev/null || rc=$?
[[ $rc -eq 2 ]] && pass "unknown command exits 2" || fail "unknown command exit $rc"
finish
