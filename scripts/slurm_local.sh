#!/usr/bin/env bash
# A real single-node SLURM cluster on localhost, for testing the job scripts in jobs/ (as root,
# no systemd): munge, slurmctld and slurmd; the configuration, state and logs under BASE (munge
# uses the system key /etc/munge/munge.key, created if missing, and /run/munge).
#   scripts/slurm_local.sh up BASE       write BASE/slurm.conf, start munged (unless one already
#                                        answers), slurmctld and slurmd; wait until the node is idle
#   scripts/slurm_local.sh down BASE     cancel the cluster's jobs, stop the daemons "up" started
#                                        (TERM, bounded wait, KILL); never touches any other process
#   scripts/slurm_local.sh status BASE   show the daemons and the node; exit 0 when up, 3 when not
# Client commands need the configuration: export SLURM_CONF=BASE/slurm.conf
# Only one such cluster can run per machine (ports 6817/6818): "up" refuses (exit 3) when a
# slurmctld or slurmd it did not start is running. "up" and "down" are idempotent.
# Environment: SLURM_LOCAL_TIMEOUT (seconds to wait for the node / for a daemon to stop, 30).
set -euo pipefail

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }
die() { echo "slurm_local.sh: $1" >&2; exit "${2:-1}"; }

[[ $# -ge 1 ]] || { usage >&2; exit 2; }
case "$1" in -h|--help) usage; exit 0 ;; esac
[[ $# -eq 2 ]] || { usage >&2; exit 2; }
action=$1
base=$2
timeout=${SLURM_LOCAL_TIMEOUT:-30}
mkdir -p "$base"
base=$(cd "$base" && pwd)
conf=$base/slurm.conf
started=$base/run/started   # one line per daemon this script started: name pid start-time
export SLURM_CONF=$conf

# start time of a live process (field 22 of /proc/PID/stat), to tell it from a later one with
# the same pid; fails for a zombie (an exited daemon its parent has not reaped yet)
start_time() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }            # the fields after "(comm) "
  read -r -a f <<<"$stat"
  [[ "${f[0]}" != Z && "${f[0]}" != X ]] || return 1
  echo "${f[19]}"
}

# is the recorded daemon (name pid start) still that very process, and running?
alive() {
  local name=$1 pid=$2 start=$3 comm now
  comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
  [[ "$comm" == "$name" ]] || return 1
  now=$(start_time "$pid") || return 1
  [[ "$now" == "$start" ]]
}

record() {   # record NAME PIDFILE: remember the daemon that wrote PIDFILE
  local name=$1 pidfile=$2 pid="" start="" i
  for ((i = 0; i < 50; i++)); do
    pid=$(cat "$pidfile" 2>/dev/null || true)
    if [[ -n "$pid" && "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$name" ]]; then
      start=$(start_time "$pid") && break
    fi
    sleep 0.1
  done
  [[ -n "$start" ]] || return 1
  echo "$name $pid $start" >>"$started"
}

pids_of() {   # live (not zombie) processes named exactly $1
  local pid
  for pid in $(pgrep -x "$1" 2>/dev/null || true); do
    start_time "$pid" >/dev/null && printf '%s ' "$pid"
  done
  return 0
}

port_listening() {   # port_listening PORT: any TCP socket listening on it (IPv4 or IPv6)?
  local hex
  hex=$(printf '%04X' "$1")
  awk -v p=":$hex" 'NR > 1 && substr($2, length($2) - 4) == p && $4 == "0A" { found = 1 } END { exit !found }' \
    /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

ours_up() {   # every daemon in the record still running?
  [[ -s "$started" ]] || return 1
  local name pid start
  while read -r name pid start; do
    alive "$name" "$pid" "$start" || return 1
  done <"$started"
}

show_logs() {
  local f
  for f in "$base"/log/slurmctld.log "$base"/log/slurmd.log; do
    [[ -f "$f" ]] || continue
    echo "---- tail of $f" >&2
    tail -n 30 "$f" >&2
  done
}

write_conf() {
  local host ncpu mem
  host=$(hostname -s)
  ncpu=$(nproc)
  mem=$(awk '/^MemTotal:/ { m = int($2 / 1024) - 256; if (m < 256) m = 256; print m }' /proc/meminfo)
  cat >"$conf" <<EOF
# written by scripts/slurm_local.sh: a single-node cluster on localhost
ClusterName=ci
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=6817
SlurmdPort=6818
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$base/state/ctld
SlurmdSpoolDir=$base/state/d
SlurmctldPidFile=$base/run/slurmctld.pid
SlurmdPidFile=$base/run/slurmd.pid
SlurmctldLogFile=$base/log/slurmctld.log
SlurmdLogFile=$base/log/slurmd.log
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$base/log/jobcomp.txt
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
DependencyParameters=kill_invalid_depend
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=pmix
ReturnToService=2
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$ncpu RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
}

stop_group() {   # stop_group "name pid start"...: TERM to all, bounded wait, KILL the rest
  local entry name pid start i left was=" "
  for entry in "$@"; do
    read -r name pid start <<<"$entry"
    if alive "$name" "$pid" "$start"; then
      was+="$pid "
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  for ((i = 0; i < timeout * 10 + 50; i++)); do
    left=()
    for entry in "$@"; do
      read -r name pid start <<<"$entry"
      if alive "$name" "$pid" "$start"; then left+=("$entry"); fi
    done
    [[ ${#left[@]} -eq 0 ]] && break
    if [[ $i -eq $((timeout * 10)) ]]; then
      for entry in "${left[@]}"; do
        read -r name pid start <<<"$entry"
        echo "slurm_local.sh: $name ($pid) ignored SIGTERM for ${timeout}s: SIGKILL" >&2
        kill -KILL "$pid" 2>/dev/null || true
      done
    fi
    sleep 0.1
  done
  for entry in "$@"; do
    read -r name pid start <<<"$entry"
    if alive "$name" "$pid" "$start"; then
      echo "slurm_local.sh: $name ($pid) still running after SIGKILL" >&2
      return 1
    fi
    if [[ "$was" == *" $pid "* ]]; then
      echo "slurm_local.sh: stopped $name ($pid)"
    else
      echo "slurm_local.sh: $name ($pid) was not running"
    fi
  done
}

do_down() {
  [[ -s "$started" ]] || { echo "slurm_local.sh: nothing to stop in $base"; return 0; }
  local lines=() slurm=() munge=() line i rc=0
  mapfile -t lines <"$started"
  for line in "${lines[@]}"; do
    case "$line" in munged\ *) munge+=("$line") ;; *) slurm+=("$line") ;; esac
  done
  # the cluster is private to this script: cancel its jobs so no job step outlives the daemons
  if grep -q '^slurmctld ' "$started" && ours_up 2>/dev/null; then
    if [[ -n "$(squeue -h -o %i 2>/dev/null)" ]]; then
      scancel --quiet --full --user=root 2>/dev/null || true
      for ((i = 0; i < timeout * 5; i++)); do
        [[ -z "$(squeue -h -o %i 2>/dev/null)" ]] && break
        sleep 0.2
      done
    fi
  fi
  # slurmd and slurmctld together, then munged (which they authenticate with)
  [[ ${#slurm[@]} -eq 0 ]] || stop_group "${slurm[@]}" || rc=1
  [[ ${#munge[@]} -eq 0 ]] || stop_group "${munge[@]}" || rc=1
  [[ $rc -eq 0 ]] && rm -f "$started"
  return $rc
}

do_up() {
  if ours_up; then
    echo "slurm_local.sh: already up ($base); export SLURM_CONF=$conf"
    return 0
  fi
  [[ -s "$started" ]] && do_down   # a partial earlier start: stop what is left of it
  local missing=() b
  for b in slurmctld slurmd munged sinfo sbatch; do
    command -v "$b" >/dev/null 2>&1 || [[ -x /usr/sbin/$b ]] || missing+=("$b")
  done
  [[ ${#missing[@]} -eq 0 ]] || die "not installed: ${missing[*]} (scripts/setup.sh --slurm installs SLURM)" 4
  [[ $(id -u) -eq 0 ]] || die "must run as root (SlurmUser=root, munged as user munge)" 4
  local other
  other="$(pids_of slurmctld)$(pids_of slurmd)"
  [[ -z "$other" ]] || die "a SLURM daemon this script did not start is running (pids: $other); only one cluster fits on a machine (ports 6817/6818): stop it first, or use it" 3
  for p in 6817 6818; do
    if port_listening "$p"; then die "TCP port $p is already in use: another SLURM cluster (or program) holds it" 3; fi
  done

  mkdir -p "$base"/state/ctld "$base"/state/d "$base"/log "$base"/run
  : >"$started"
  write_conf

  # munge: reuse a running munged (any cluster on this machine shares it), else start one
  if ! (munge -n 2>/dev/null | unmunge >/dev/null 2>&1); then
    [[ -s /etc/munge/munge.key ]] || mungekey --create --keyfile=/etc/munge/munge.key
    chown munge:munge /etc/munge/munge.key
    chmod 0400 /etc/munge/munge.key
    mkdir -p /run/munge /var/log/munge /var/lib/munge
    chown munge:munge /run/munge /var/log/munge /var/lib/munge
    rm -f /run/munge/munged.pid
    # --force: start even if a dead munged left its socket behind
    runuser -u munge -- /usr/sbin/munged --force
    record munged /run/munge/munged.pid || { do_down; die "munged did not start"; }
    local i
    for ((i = 0; i < 50; i++)); do
      (munge -n 2>/dev/null | unmunge >/dev/null 2>&1) && break
      sleep 0.1
    done
    (munge -n | unmunge >/dev/null) || { do_down; die "munge does not work"; }
  fi

  rm -f "$base/run/slurmctld.pid" "$base/run/slurmd.pid"
  slurmctld -i || { show_logs; do_down; die "slurmctld did not start"; }
  record slurmctld "$base/run/slurmctld.pid" || { show_logs; do_down; die "slurmctld did not start"; }
  slurmd || { show_logs; do_down; die "slurmd did not start"; }
  record slurmd "$base/run/slurmd.pid" || { show_logs; do_down; die "slurmd did not start"; }

  local state="" i
  for ((i = 0; i < timeout * 5; i++)); do
    state=$(sinfo -h -o %T 2>/dev/null || true)
    [[ "$state" == idle ]] && break
    sleep 0.2
  done
  if [[ "$state" != idle ]]; then
    show_logs
    do_down
    die "the node did not become idle within ${timeout}s (state: '${state}')"
  fi
  echo "slurm_local.sh: up: $(hostname -s), $(nproc) CPUs, partition debug; export SLURM_CONF=$conf"
}

do_status() {
  local name pid start rc=0
  if [[ ! -s "$started" ]]; then
    echo "slurm_local.sh: down (no daemons started from $base)"
    local other
    other="$(pids_of slurmctld)$(pids_of slurmd)"
    [[ -z "$other" ]] || echo "slurm_local.sh: note: SLURM daemons not started from $base are running (pids: $other)"
    return 3
  fi
  while read -r name pid start; do
    if alive "$name" "$pid" "$start"; then
      echo "$name: running (pid $pid)"
    else
      echo "$name: not running (was pid $pid)"
      rc=3
    fi
  done <"$started"
  if [[ $rc -eq 0 ]]; then
    sinfo || rc=3
    squeue || true
  fi
  return $rc
}

case "$action" in
  up) do_up ;;
  down) do_down ;;
  status) do_status ;;
  *) usage >&2; exit 2 ;;
esac
