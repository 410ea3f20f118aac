#!/usr/bin/env bash
# ensure-docker.sh: makes a Docker engine answer on this machine, for the Testcontainers tests.
#
#   labs/docker/ensure-docker.sh        exits 0 once `docker info` answers, non-zero with a reason otherwise
#
# When the engine is missing it installs Debian's docker.io (as root, --no-install-recommends); when
# no daemon answers it starts dockerd in the background, detached from the caller (its PID in
# $WEFT_DOCKERD_PID, its log in $WEFT_DOCKERD_LOG), and waits for it, bounded. Safe to run again and
# from several processes at once (a lock serialises them). It never stops a daemon: a dockerd it
# started keeps running for the next test run (CI ends it with the run).
#
# Environment: WEFT_DOCKERD_WAIT (seconds to wait for the daemon, default 60),
# WEFT_DOCKERD_PID (default /run/weft-dockerd.pid), WEFT_DOCKERD_LOG (default /var/log/weft-dockerd.log).
set -euo pipefail

WAIT=${WEFT_DOCKERD_WAIT:-60}
PID_FILE=${WEFT_DOCKERD_PID:-/run/weft-dockerd.pid}
LOG=${WEFT_DOCKERD_LOG:-/var/log/weft-dockerd.log}

say() { echo "ensure-docker: $*" >&2; }
die() { say "$*"; exit 1; }

answers() { timeout 10 docker info >/dev/null 2>&1; }

# the quick path: a daemon (ours, systemd's, anyone's) already answers
command -v docker >/dev/null && answers && exit 0

[ "$(id -u)" -eq 0 ] || die "no Docker daemon answers and this is not root: install docker.io and start dockerd, or run as root"

exec 9>/run/weft-ensure-docker.lock
flock -w $((WAIT + 120)) 9 || die "another ensure-docker.sh holds /run/weft-ensure-docker.lock"
command -v docker >/dev/null && answers && exit 0

if ! command -v dockerd >/dev/null; then
  say "installing docker.io"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends docker.io >/dev/null \
    || die "apt-get install docker.io failed"
fi
command -v dockerd >/dev/null || die "dockerd is still missing after installing docker.io"

if [ -s "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
  say "dockerd $(cat "$PID_FILE") is running but does not answer yet; waiting"
else
  say "starting dockerd (log: $LOG)"
  mkdir -p "$(dirname "$LOG")"
  # setsid: out of the caller's process group and session, so that the end of a Maven run or a
  # Ctrl-C in it does not take the daemon down with it. dockerd starts its own containerd.
  # Addresses: the default bridge and every network Testcontainers creates take 198.19.192.0/18
  # (the benchmark range; the labs' VPCs use 198.18.0.0/16), never Docker's default 172.17/16, and
  # published ports listen on 127.0.0.1 only. 9>&-: the daemon must not keep the lock.
  setsid dockerd --host unix:///var/run/docker.sock --bip 198.19.255.1/24 \
    --default-address-pool base=198.19.192.0/19,size=24 --ip 127.0.0.1 >>"$LOG" 2>&1 </dev/null 9>&- &
  echo $! >"$PID_FILE"
fi

pid=$(cat "$PID_FILE")
deadline=$((SECONDS + WAIT))
until answers; do
  if ! kill -0 "$pid" 2>/dev/null; then
    tail -n 20 "$LOG" >&2 || true
    die "dockerd (pid $pid) exited; its log is $LOG"
  fi
  [ $SECONDS -lt $deadline ] || { tail -n 20 "$LOG" >&2 || true; die "dockerd (pid $pid) did not answer within ${WAIT}s; its log is $LOG"; }
  sleep 0.5
done
say "dockerd (pid $pid) answers"
