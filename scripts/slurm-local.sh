#!/usr/bin/env bash
# A one-node Slurm on this machine, for guild-stage's Slurm tests and for trying --executor slurm.
#   scripts/slurm-local.sh start   install Debian's packages when missing, configure, start, wait until idle
#   scripts/slurm-local.sh stop    stop the daemons this script started
# Runs as root (Debian's packages, SlurmUser=root). No systemd: the daemons are started directly,
# and stopped by the pids they wrote. Idempotent: start on a running cluster only waits for the node.
set -euo pipefail

CONF_DIR=/etc/slurm
CONF=$CONF_DIR/slurm.conf
STATE=/var/lib/guild-stage-slurm
MUNGE_PID=/run/munge/munged.pid
CTLD_PID=$STATE/slurmctld.pid
SLURMD_PID=$STATE/slurmd.pid
NODE=$(hostname -s)

say() { echo "slurm-local: $*" >&2; }
die() { say "$*"; exit 1; }

alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

install_packages() {
  local missing=()
  command -v slurmctld >/dev/null 2>&1 || missing+=(slurmctld)
  command -v slurmd >/dev/null 2>&1 || missing+=(slurmd)
  command -v sbatch >/dev/null 2>&1 || missing+=(slurm-client)
  command -v munged >/dev/null 2>&1 || missing+=(munge)
  [ ${#missing[@]} -eq 0 ] && return
  [ "$(id -u)" -eq 0 ] || die "needs root to install ${missing[*]}"
  say "installing ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

write_conf() {
  local cpus mem
  cpus=$(nproc)
  # Memory is not consumable here (CR_Core), but --mem must still fit the node: leave a tenth to the system.
  mem=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)
  mkdir -p "$CONF_DIR" "$STATE/ctld" "$STATE/slurmd" /var/log/slurm
  cat >"$CONF.tmp" <<EOF
# Written by guild-stage's scripts/slurm-local.sh: one node, no accounting storage.
ClusterName=guildstage
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/slurmd
SlurmctldPidFile=$CTLD_PID
SlurmdPidFile=$SLURMD_PID
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
# Between SIGTERM and SIGKILL at a time limit or scancel: long enough for guild-stage to record the end.
KillWait=10
MinJobAge=300
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
  mv "$CONF.tmp" "$CONF"
}

start_munge() {
  alive "$MUNGE_PID" && return
  install -d -o munge -g munge -m 0755 /run/munge
  [ -s /etc/munge/munge.key ] || {
    say "creating the munge key"
    dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
  }
  chown munge:munge /etc/munge/munge.key
  chmod 0400 /etc/munge/munge.key
  runuser -u munge -- /usr/sbin/munged
}

node_state() { sinfo -h -n "$NODE" -o '%T' 2>/dev/null | head -n 1; }

start() {
  install_packages
  [ "$(id -u)" -eq 0 ] || die "needs root (SlurmUser=root)"
  write_conf
  start_munge
  alive "$CTLD_PID" || /usr/sbin/slurmctld
  alive "$SLURMD_PID" || /usr/sbin/slurmd
  local state=''
  for _ in $(seq 1 60); do
    state=$(node_state)
    case "$state" in
      idle | mixed | allocated) say "node $NODE is $state"; return 0 ;;
      down* | drain*) scontrol update NodeName="$NODE" State=RESUME >/dev/null 2>&1 || true ;;
    esac
    sleep 0.5
  done
  die "node $NODE is not idle after 30 s (state: ${state:-unknown}); see /var/log/slurm/"
}

stop_daemon() {
  local pidfile=$1
  alive "$pidfile" || return 0
  local pid
  pid=$(cat "$pidfile")
  kill "$pid"
  for _ in $(seq 1 40); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.25
  done
  kill -KILL "$pid" 2>/dev/null || true
}

stop() {
  stop_daemon "$SLURMD_PID"
  stop_daemon "$CTLD_PID"
  stop_daemon "$MUNGE_PID"
  say "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
