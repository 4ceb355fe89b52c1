#!/usr/bin/env bash
# Submits an igbench sweep to SLURM as a job array of shards, a merge job and a plot job:
#   jobs/submit.sh EXPERIMENT|CONFIG.ini [--shards n] [options] [igbench options]
# EXPERIMENT is main, ratio, convergence or sweep (jobs/<experiment>.sbatch); a CONFIG file
# (e.g. jobs/configs/paper_main.ini) runs jobs/sweep.sbatch --config CONFIG.
#   1. shards: --array=0-(n-1); task i runs igbench ... --shard i/n into RESULTS/NAME/shard_<i>.h5
#      (with --resume when that file or its journals exist: a requeued or resubmitted shard
#      continues where it stopped; a finished one only reports that it is done)
#   2. merge (--dependency=afterok:<shards>): igbench merge --overwrite RESULTS/NAME/merged.h5 shard_*
#   3. plot (--dependency=afterok:<merge>): python3 -m analysis plot -> RESULTS/NAME/figures/
# Logs go to RESULTS/NAME/logs/. Running the same command again resumes the same sweep.
# Options:
#   --shards n            number of shards (array tasks), default 1
#   -n, --ntasks N        MPI ranks per shard (default: the #SBATCH line of the script)
#   -c, --cpus-per-task C OpenMP threads per rank (default: the script's)
#   -N, --nodes N         nodes per shard (default: the script's)
#   -t, --time T          time limit per shard, e.g. 2:00:00 (default: the script's)
#   -p, --partition P     partition for all three jobs
#   --sbatch OPT          one more sbatch option for all three jobs (repeatable), e.g.
#                         --sbatch=--account=proj  --sbatch=--oversubscribe
#   --name NAME           folder and job name (default: the experiment, or the config's name)
#   --results DIR         parent of the sweep folder (default: ./results)
#   --bin PATH            igbench binary (default: $IGBENCH_BIN, igbench on PATH, or
#                         build/release/src/igbench of this source tree)
#   --no-plot             no plot job
#   --force               submit although jobs of an earlier submission to this folder are queued
#   --dry-run             print the sbatch commands, submit nothing
#   --parsable            print only "ARRAY_ID MERGE_ID PLOT_ID" on stdout
#   -h, --help            this help
# Everything else (and everything after --) goes to igbench, e.g. --N 10000 --N_runs 100.
# Environment: IGBENCH_PYTHON (python for the plot job, default /usr/bin/python3).
set -euo pipefail

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }
die() { echo "submit.sh: $*" >&2; exit 2; }

jobs_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source_dir=$(dirname "$jobs_dir")

target=""
shards=1
name=""
results=results
bin=${IGBENCH_BIN:-}
plot=1
force=0
dry=0
parsable=0
shard_opts=()    # sbatch options for the shard array only
common_opts=()   # sbatch options for all three jobs
igbench_args=()

need() { [[ $# -ge 2 && -n "$2" ]] || die "option $1 needs a value"; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --shards) need "$@"; shards=$2; shift 2 ;;
    --shards=*) shards=${1#*=}; shift ;;
    -n|--ntasks) need "$@"; shard_opts+=(--ntasks="$2"); shift 2 ;;
    --ntasks=*) shard_opts+=(--ntasks="${1#*=}"); shift ;;
    -c|--cpus-per-task) need "$@"; shard_opts+=(--cpus-per-task="$2"); shift 2 ;;
    --cpus-per-task=*) shard_opts+=(--cpus-per-task="${1#*=}"); shift ;;
    -N|--nodes) need "$@"; shard_opts+=(--nodes="$2"); shift 2 ;;
    --nodes=*) shard_opts+=(--nodes="${1#*=}"); shift ;;
    -t|--time) need "$@"; shard_opts+=(--time="$2"); shift 2 ;;
    --time=*) shard_opts+=(--time="${1#*=}"); shift ;;
    -p|--partition) need "$@"; common_opts+=(--partition="$2"); shift 2 ;;
    --partition=*) common_opts+=(--partition="${1#*=}"); shift ;;
    --sbatch) need "$@"; common_opts+=("$2"); shift 2 ;;
    --sbatch=*) common_opts+=("${1#*=}"); shift ;;
    --name) need "$@"; name=$2; shift 2 ;;
    --name=*) name=${1#*=}; shift ;;
    --results) need "$@"; results=$2; shift 2 ;;
    --results=*) results=${1#*=}; shift ;;
    --bin) need "$@"; bin=$2; shift 2 ;;
    --bin=*) bin=${1#*=}; shift ;;
    --no-plot) plot=0; shift ;;
    --force) force=1; shift ;;
    --dry-run) dry=1; shift ;;
    --parsable) parsable=1; shift ;;
    --) shift; igbench_args+=("$@"); break ;;
    *)
      if [[ -z "$target" && "$1" != -* ]]; then
        target=$1
      else
        igbench_args+=("$1")
      fi
      shift ;;
  esac
done

[[ -n "$target" ]] || { usage >&2; exit 2; }
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || die "--shards needs a positive integer (got '$shards')"

case "$target" in
  main|ratio|convergence|sweep)
    script=$jobs_dir/$target.sbatch
    default_name=$target
    config_args=() ;;
  *)
    [[ -f "$target" ]] || die "'$target' is neither an experiment (main, ratio, convergence, sweep) nor a config file"
    config=$(cd "$(dirname "$target")" && pwd)/$(basename "$target")
    script=$jobs_dir/sweep.sbatch
    default_name=$(basename "$target")
    default_name=${default_name%.*}
    config_args=(--config "$config") ;;
esac
name=${name:-$default_name}
[[ "$name" =~ ^[A-Za-z0-9._-]+$ ]] || die "--name may hold letters, digits, '.', '_' and '-' only (got '$name')"
for a in "${igbench_args[@]}"; do
  case "$a" in
    --out|--out=*|--shard|--shard=*|--resume|--output_dir|--output_dir=*)
      die "igbench option '$a' is set by the job scripts (shard files in RESULTS/NAME/)" ;;
  esac
done

if [[ -z "$bin" ]]; then
  bin=$(command -v igbench || true)
  [[ -n "$bin" ]] || bin=$source_dir/build/release/src/igbench
fi
[[ "$bin" == /* ]] || bin=$PWD/$bin
[[ -x "$bin" ]] || die "igbench binary not found or not executable: '$bin' (build it, or use --bin / IGBENCH_BIN)"

mkdir_p() { [[ $dry -eq 1 ]] || mkdir -p "$1"; }
mkdir_p "$results"
if [[ $dry -eq 1 && ! -d "$results" ]]; then
  dir=$PWD/${results#./}/$name
else
  dir=$(cd "$results" && pwd)/$name
fi
logs=$dir/logs
mkdir_p "$logs"

for v in "$bin" "$dir" "$source_dir" "${IGBENCH_PYTHON:-}"; do
  [[ "$v" != *,* ]] || die "paths with a comma cannot be passed through sbatch --export: '$v'"
done
export_list=ALL,IGBENCH_BIN=$bin,IGBENCH_OUTDIR=$dir,IGBENCH_SOURCE=$source_dir
[[ -z "${IGBENCH_PYTHON:-}" ]] || export_list+=,IGBENCH_PYTHON=$IGBENCH_PYTHON

# an earlier submission to this folder still queued or running would write the same shard files
record=$dir/submitted.txt
if [[ $force -eq 0 && $dry -eq 0 && -s "$record" ]] && command -v squeue >/dev/null 2>&1; then
  read -r -a last < <(tail -n 1 "$record")
  for id in "${last[@]:1}"; do
    [[ "$id" =~ ^[0-9]+$ ]] || continue
    if [[ -n "$(squeue -h -j "$id" -o %i 2>/dev/null || true)" ]]; then
      die "job $id of an earlier submission to $dir is still queued or running (scancel it, or --force)"
    fi
  done
fi

shard_files=()
for ((i = 0; i < shards; i++)); do shard_files+=("$dir/shard_$i.h5"); done

array_cmd=(sbatch --parsable --job-name="$name" --array="0-$((shards - 1))"
           --output="$logs/shard_%a_%A.out" --open-mode=append --export="$export_list"
           "${common_opts[@]}" "${shard_opts[@]}" "$script" "${config_args[@]}" "${igbench_args[@]}")
merge_cmd=(sbatch --parsable --job-name="${name}_merge" --dependency=afterok:ARRAY_ID
           --output="$logs/merge_%j.out" --export="$export_list"
           "${common_opts[@]}" "$jobs_dir/merge.sbatch" "$dir/merged.h5" "${shard_files[@]}")
plot_cmd=(sbatch --parsable --job-name="${name}_plot" --dependency=afterok:MERGE_ID
          --output="$logs/plot_%j.out" --export="$export_list"
          "${common_opts[@]}" "$jobs_dir/plot.sbatch" "$dir/merged.h5" "$dir/figures")

show() {   # a command as shell words, quoted only where needed
  local w line=""
  for w in "$@"; do
    if [[ "$w" =~ ^[A-Za-z0-9_./=:%,@+-]+$ ]]; then line+="$w "; else line+="$(printf '%q' "$w") "; fi
  done
  echo "${line% }"
}
if [[ $dry -eq 1 ]]; then
  echo "# $name: $shards shard(s) -> $dir   (ARRAY_ID, MERGE_ID: the ids the sbatch before prints)"
  show "${array_cmd[@]}"
  show "${merge_cmd[@]}"
  [[ $plot -eq 0 ]] || show "${plot_cmd[@]}"
  exit 0
fi

command -v sbatch >/dev/null 2>&1 || die "sbatch not found (is SLURM available here?)"
submit() { local out; out=$("$@") || return 1; echo "${out%%;*}"; }

array_id=$(submit "${array_cmd[@]}") || die "submitting the shard array failed"
merge_cmd=("${merge_cmd[@]/ARRAY_ID/$array_id}")
merge_id=$(submit "${merge_cmd[@]}") || die "submitting the merge job failed (shard array $array_id is queued)"
plot_id=-
if [[ $plot -eq 1 ]]; then
  plot_cmd=("${plot_cmd[@]/MERGE_ID/$merge_id}")
  plot_id=$(submit "${plot_cmd[@]}") || die "submitting the plot job failed (jobs $array_id, $merge_id are queued)"
fi
echo "$(date '+%F %T') $array_id $merge_id $plot_id" >>"$record"

if [[ $parsable -eq 1 ]]; then
  echo "$array_id $merge_id $plot_id"
  exit 0
fi
echo "submitted $name: $shards shard(s) -> $dir"
echo "  shards: job $array_id (array 0-$((shards - 1)))   shard_<i>.h5, logs/shard_<i>_${array_id}.out"
echo "  merge:  job $merge_id (after $array_id)   merged.h5"
if [[ $plot -eq 1 ]]; then
  echo "  plot:   job $plot_id (after $merge_id)   figures/ (PNG, PDF, summary.txt)"
fi
ids=$array_id,$merge_id
[[ $plot -eq 0 ]] || ids+=,$plot_id
echo "watch with: squeue -j $ids"
