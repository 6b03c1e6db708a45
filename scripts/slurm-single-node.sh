#!/usr/bin/env bash
# A real single-node Slurm cluster on this machine, for the Slurm integration test and for trying `stxmphase slurm`
# (docs/cluster.md). Needs root and apt-get (Debian 12: slurm-wlm 22.05 and munge are installed when missing).
#
#   scripts/slurm-single-node.sh start   install if missing, write the configuration, start munged, slurmctld and slurmd,
#                                        wait until the node is idle; prints the `export SLURM_CONF=...` line to use
#   scripts/slurm-single-node.sh status  the daemons this script started and `sinfo`
#   scripts/slurm-single-node.sh stop    stops exactly the daemons it started (by their pid files), then removes the folder
#   scripts/slurm-single-node.sh env     prints the export line (for eval)
#
# Everything lives under one folder, $STXMPHASE_SLURM_DIR (default /tmp/stxmphase-slurm): slurm.conf, state, spool,
# pid and log files, and munged's socket, so that a site's /etc/slurm/slurm.conf and a running munged are never touched
# (the clients find this cluster through SLURM_CONF; the only file written outside it is /etc/munge/munge.key, created
# when missing, as the munge package itself does). Ports: $STXMPHASE_SLURM_PORT (slurmctld, default 6817) and the
# next one (slurmd).
#
# Exit codes: 0 done; 77 skipped (not root, no apt-get, or the packages cannot be installed: the message says which);
# 1 failed (a daemon did not start or the node did not become idle: the logs' tails are printed).
set -uo pipefail

dir=${STXMPHASE_SLURM_DIR:-/tmp/stxmphase-slurm}
port=${STXMPHASE_SLURM_PORT:-6817}
conf=$dir/slurm.conf
skip=77

say() { echo "slurm-single-node: $*"; }
die() { say "FAILED: $*"; exit 1; }

# Prints the pid in a pid file when that process is alive and runs the expected program (guards against pid reuse).
live_pid() {
    local file=$1 name=$2 pid
    [ -s "$file" ] || return 1
    pid=$(tr -dc '0-9' < "$file")
    [ -n "$pid" ] && [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm")" = "$name" ] || return 1
    echo "$pid"
}

install_if_missing() {
    if command -v slurmctld >/dev/null 2>&1 && command -v slurmd >/dev/null 2>&1 && command -v sbatch >/dev/null 2>&1 \
        && command -v munged >/dev/null 2>&1; then
        return 0
    fi
    if [ "$(id -u)" != 0 ]; then
        say "SKIPPED: slurm-wlm/munge are not installed and installing them needs root (this is uid $(id -u))"; exit $skip
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        say "SKIPPED: slurm-wlm/munge are not installed and there is no apt-get to install them"; exit $skip
    fi
    say "installing slurm-wlm and munge with apt-get"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge; } \
        > "${TMPDIR:-/tmp}/stxmphase-slurm-apt.log" 2>&1; then
        tail -n 5 "${TMPDIR:-/tmp}/stxmphase-slurm-apt.log"
        say "SKIPPED: apt-get could not install slurm-wlm and munge (no network or no package source?)"; exit $skip
    fi
}

write_conf() {
    local host cpus mem
    host=$(hostname -s)
    cpus=$(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc) # nproc honours OMP_NUM_THREADS
    mem=$(awk '/^MemTotal:/ {print int($2 / 1024)}' /proc/meminfo)
    mkdir -p "$dir/state" "$dir/spool" "$dir/log" "$dir/run"
    cat > "$conf.tmp" <<EOF
# Written by scripts/slurm-single-node.sh: a single-node test cluster (issue 18). Not for production.
ClusterName=stxmphase
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket.2
SlurmUser=root
SlurmdUser=root
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
EnforcePartLimits=ALL
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldTimeout=30
SlurmdTimeout=30
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
    mv "$conf.tmp" "$conf"
}

start_munged() {
    if live_pid "$dir/munge/munged.pid" munged >/dev/null; then
        return 0
    fi
    if [ ! -s /etc/munge/munge.key ]; then
        say "creating /etc/munge/munge.key"
        install -d -o munge -g munge -m 0700 /etc/munge
        if command -v mungekey >/dev/null 2>&1; then
            mungekey --create --keyfile=/etc/munge/munge.key
        else
            dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
        fi
        chown munge:munge /etc/munge/munge.key
        chmod 0400 /etc/munge/munge.key
    fi
    # munged insists that its socket folder belongs to it and is not writable by others.
    install -d -o munge -g munge -m 0755 "$dir/munge"
    runuser -u munge -- munged --socket="$dir/munge/munge.socket.2" --pid-file="$dir/munge/munged.pid" \
        --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed" --key-file=/etc/munge/munge.key \
        || die "munged did not start: $(tail -n 3 "$dir/munge/munged.log" 2>/dev/null)"
    for _ in $(seq 50); do
        [ -S "$dir/munge/munge.socket.2" ] && live_pid "$dir/munge/munged.pid" munged >/dev/null && return 0
        sleep 0.1
    done
    die "munged wrote no socket: $(tail -n 3 "$dir/munge/munged.log" 2>/dev/null)"
}

start() {
    install_if_missing
    if [ "$(id -u)" != 0 ]; then
        say "SKIPPED: starting slurmd as SlurmUser=root needs root (this is uid $(id -u))"; exit $skip
    fi
    if live_pid "$dir/run/slurmctld.pid" slurmctld >/dev/null && live_pid "$dir/run/slurmd.pid" slurmd >/dev/null; then
        say "already running (stop it first to restart)"
        echo "export SLURM_CONF=$conf"
        return 0
    fi
    write_conf
    export SLURM_CONF=$conf
    start_munged
    # -c: a clean start (no jobs from an earlier run of this folder); -i: ignore an old state file's errors.
    slurmctld -c -i -f "$conf" || die "slurmctld did not start: $(tail -n 5 "$dir/log/slurmctld.log" 2>/dev/null)"
    slurmd -f "$conf" || die "slurmd did not start: $(tail -n 5 "$dir/log/slurmd.log" 2>/dev/null)"
    local state=""
    for _ in $(seq 120); do
        state=$(sinfo -h -N -o '%t' 2>/dev/null | head -n 1)
        [ "$state" = idle ] && break
        sleep 0.5
    done
    if [ "$state" != idle ]; then
        tail -n 5 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" 2>/dev/null
        die "the node is '${state:-not listed}' after 60 s, not idle"
    fi
    say "node $(hostname -s) idle with $(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc) CPUs (slurm $(sinfo -V | awk '{print $2}'), folder $dir)"
    echo "export SLURM_CONF=$conf"
}

stop() {
    local file name pid stopped=0
    # slurmd first (it would otherwise report to a gone controller), then slurmctld, then munged.
    for entry in "run/slurmd.pid:slurmd" "run/slurmctld.pid:slurmctld" "munge/munged.pid:munged"; do
        file=$dir/${entry%%:*}
        name=${entry##*:}
        if pid=$(live_pid "$file" "$name"); then
            kill -TERM "$pid"
            for _ in $(seq 100); do
                [ -d "/proc/$pid" ] || break
                sleep 0.1
            done
            if [ -d "/proc/$pid" ]; then
                say "$name ($pid) ignored SIGTERM for 10 s: SIGKILL"
                kill -KILL "$pid"
            fi
            say "stopped $name ($pid)"
            stopped=$((stopped + 1))
        fi
    done
    [ "$stopped" -gt 0 ] || say "nothing to stop (no live daemon in $dir)"
    case $dir in
        /tmp/*|"${TMPDIR:-/tmp}"/*) rm -rf "$dir" ;;
        *) say "left $dir in place (not under /tmp)" ;;
    esac
}

status() {
    local entry file name pid rc=0
    for entry in "munge/munged.pid:munged" "run/slurmctld.pid:slurmctld" "run/slurmd.pid:slurmd"; do
        file=$dir/${entry%%:*}
        name=${entry##*:}
        if pid=$(live_pid "$file" "$name"); then say "$name running ($pid)"; else say "$name not running"; rc=3; fi
    done
    if [ "$rc" = 0 ]; then
        SLURM_CONF=$conf sinfo
    fi
    return $rc
}

case ${1:-} in
    start) start ;;
    stop) stop ;;
    status) status ;;
    env) echo "export SLURM_CONF=$conf" ;;
    *) echo "usage: $0 start|stop|status|env   (folder: \$STXMPHASE_SLURM_DIR, default /tmp/stxmphase-slurm)" >&2; exit 2 ;;
esac
