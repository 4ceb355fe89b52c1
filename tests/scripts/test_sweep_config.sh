#!/usr/bin/env bash
# `igbench sweep --config FILE` (Boost.Program_options' INI format) gives the same sweep as the
# same options on the command line; the command line wins over the file; presets equal sweeps;
# export writes the reference's CSV layout; summary prints every point and method.
# ctest: TIMEOUT 300 LABELS cli
source "$(dirname "$0")/common.sh"
cd "$WORK"
cat > sweep.ini <<'INI'
# a small data-ratio sweep
K = 2,3
N_avg = 400
ratios = 0.5, 1, 2
N_runs = 3
scm_type = polynomial
INI
"$IGBENCH_BINARY" sweep --config sweep.ini --out "$WORK/from_file.h5" --quiet > /dev/null
"$IGBENCH_BINARY" sweep --K 2,3 --N_avg 400 --ratios 0.5,1,2 --N_runs 3 --out "$WORK/from_cli.h5" --quiet > /dev/null
$TOOL same "$WORK/from_file.h5" "$WORK/from_cli.h5" > /dev/null && pass "config file equals the command line" || fail "config differs"
"$IGBENCH_BINARY" ratio --K 2,3 --N_avg 400 --ratios 0.5,1,2 --N_runs 3 --out "$WORK/preset.h5" --quiet > /dev/null
$TOOL same "$WORK/preset.h5" "$WORK/from_cli.h5" > /dev/null && pass "ratio preset equals the sweep" || fail "preset differs"
$TOOL unique "$WORK/from_file.h5" 18 > /dev/null && pass "2 K x 3 ratios x 3 runs" || fail "row count"
# the command line wins over the file
"$IGBENCH_BINARY" sweep --config sweep.ini --N_runs 2 --out "$WORK/override.h5" --quiet > /dev/null
$TOOL unique "$WORK/override.h5" 12 > /dev/null && pass "--N_runs on the command line overrides the file" || fail "override"
# a bad config value is a usage error naming the file
printf 'K = 2,,3\nN = 100\n' > bad.ini
rc=0; err=$("$IGBENCH_BINARY" sweep --config bad.ini --out "$WORK/bad.h5" 2>&1 >/dev/null) || rc=$?
[[ $rc -eq 2 && ! -e "$WORK/bad.h5" ]] && pass "bad config refused: $err" || fail "bad config: exit $rc: $err"
printf 'frobnicate = 1\n' > unknown.ini
rc=0; err=$("$IGBENCH_BINARY" sweep --config unknown.ini --N 100 --out "$WORK/bad.h5" 2>&1 >/dev/null) || rc=$?
[[ $rc -eq 2 && "$err" == *unknown.ini* ]] && pass "unknown config key refused: $err" || fail "unknown key: exit $rc: $err"
# export: the reference's CSV layout, one file per group
mkdir csv
"$IGBENCH_BINARY" export "$WORK/from_file.h5" --out csv > /dev/null
n_csv=$(find csv -name rmse_values.csv | wc -l)
[[ $n_csv -eq 2 ]] && pass "export wrote one CSV per K" || fail "export wrote $n_csv files"
header=$(head -n 1 "$(find csv -name rmse_values.csv | head -n 1)" | tr -d '\r')
[[ "$header" == "Ratio,Run,RMSE Obs,RMSE Method,RMSE Joint Int,RMSE Pool" ]] && pass "ratio CSV header" || fail "header: $header"
summary=$("$IGBENCH_BINARY" summary "$WORK/from_file.h5")
[[ $(grep -c '^point' <<< "$summary") -eq 6 ]] && pass "summary lists 6 points" || fail "summary: $summary"
grep -q "rmse - jint" <<< "$summary" && pass "summary has the paired difference" || fail "summary lacks paired difference"
finish
