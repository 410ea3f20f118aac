#!/usr/bin/env bash
# coordinator-load.sh: MapStreamLoad against a fresh coordinator per size (1,000, 5,000 and 10,000 simulated
# nodes by default), each size bounded in time; prints the RESULT lines and a Markdown table for
# BENCHMARKS.md. Build first (coordinator and labs, with the same build directory):
#   mvn -B -ntp -o -Dweft.buildDir=target-load -pl coordinator,labs -am install -DskipTests
#   WEFT_BUILD_DIR=target-load labs/scripts/coordinator-load.sh [SIZES...]
# Environment: WEFT_BUILD_DIR (default target), LOAD_SECONDS (per size, default 240), LOAD_JOINS (measured
# joins, default 20), LOAD_HEAP (coordinator -Xmx, default 1g), LOAD_ARGS (more MapStreamLoad options).
# The coordinator runs with weft.join.burst and weft.join.per-minute raised (every node joins from 127.0.0.1).
set -euo pipefail

repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
build=${WEFT_BUILD_DIR:-target}
seconds=${LOAD_SECONDS:-240}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 5000 10000)
jar=$repo/labs/$build/weft-labs-benchmarks.jar
[ -f "$jar" ] || { echo "coordinator-load: $jar is missing: build first" >&2; exit 1; }
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
out=$repo/labs/$build/coordinator-load
mkdir -p "$out"

# one socket per stream on each side; 10,000 streams need more than the usual 1,024 descriptors
want=$((${sizes[-1]} * 2 + 1000))
if [ "$(ulimit -n)" -lt "$want" ]; then
  ulimit -n "$want" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
fi
echo "coordinator-load: open files $(ulimit -n); $(nproc) cores; $(uptime)" >&2

results=()
for n in "${sizes[@]}"; do
  log=$out/n$n-$(date +%Y%m%dT%H%M%S).log
  echo "coordinator-load: $n nodes (at most ${seconds}s), log $log" >&2
  # the generator stops itself at the deadline; timeout is the backstop (SIGTERM: its hook kills the coordinator)
  set +e
  timeout --kill-after=30 $((seconds + 60)) "$java" -cp "$jar" net.weft.labs.load.MapStreamLoad --nodes "$n" \
      --start-coordinator --repo "$repo" --build-dir "$build" --max-seconds "$seconds" \
      --joins "${LOAD_JOINS:-20}" --heap "${LOAD_HEAP:-1g}" ${LOAD_ARGS:-} >"$log.out" 2>"$log"
  rc=$?
  set -e
  line=$(grep '^RESULT' "$log.out" || echo "RESULT nodes=$n not_reached=\"exit $rc (timeout or crash), see $log\"")
  echo "$line"
  results+=("$line")
done

echo
echo "| N | join-to-all p50 | p99 (worst join) | max | coordinator heap | CPU s (measured joins) | load (1 min) |"
echo "|---|---|---|---|---|---|---|"
for line in "${results[@]}"; do
  get() { sed -n "s/.* $1=\"\\{0,1\\}\\([^\" ]*\\).*/\\1/p" <<<"$line"; }
  n=$(get nodes)
  if grep -q not_reached <<<"$line"; then
    why=$(sed -n 's/.*not_reached="\([^"]*\)".*/\1/p' <<<"$line")
    echo "| $n | not reached: $why | | | | | |"
  else
    echo "| $n | $(get p50_ms) ms | $(get p99_ms) ms | $(get max_ms) ms | $(get heap_mb) MB | $(get cpu_s) | $(get load_after) |"
  fi
done
