#!/usr/bin/env bash
# ping-cold.sh: how fast an idle tunnel is from a cold start. For each daemon pair (Weft without its
# start-up warm-up, Weft, wireguard-go), the shared two-namespace lab (../shared/tools/wg-lab.sh)
# starts both sides, then A pings B through the tunnel in ROUNDS rounds of 50 pings 50 ms apart,
# with no other traffic before them. Prints the average RTT of each round as a Markdown table.
# Needs root; run ./weft build first.
#
#   labs/scripts/ping-cold.sh            (ROUNDS=6)
set -euo pipefail

repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
lab=${WG_LAB_SH:-$repo/../shared/tools/wg-lab.sh}
rounds=${ROUNDS:-6}
out=${PING_COLD_OUT:-$repo/labs/target/ping-cold/$(date +%Y%m%dT%H%M%S)}
[ "$(id -u)" -eq 0 ] || { echo "ping-cold: needs root (network namespaces)" >&2; exit 1; }
[ -f "$lab" ] || { echo "ping-cold: $lab is missing (set WG_LAB_SH)" >&2; exit 1; }
[ -f "$repo/overlay-node/${WEFT_BUILD_DIR:-target}/weft-node.jar" ] || { echo "ping-cold: run ./weft build first" >&2; exit 1; }
mkdir -p "$out"

run() { # label command [env assignment]
  local label=$1 cmd=$2 name
  name=$(echo "$label" | tr -c 'a-zA-Z0-9\n' '-')
  export WG_LAB_DIR=$out/$name WG_CMD=$cmd WG_LOG_LEVEL=error
  echo "ping-cold: $label" >&2
  bash "$lab" setup >"$out/$name.log" 2>&1 || { cat "$out/$name.log" >&2; bash "$lab" teardown >/dev/null 2>&1; exit 1; }
  trap 'bash "$lab" teardown >/dev/null 2>&1' EXIT
  printf '| %s |' "$label"
  for _ in $(seq "$rounds"); do
    ip netns exec wgA ping -q -c 50 -i 0.05 100.64.0.2 | awk -F'[/ ]+' '/^rtt/ {printf " %s |", $8}'
  done
  echo
  bash "$lab" teardown >>"$out/$name.log" 2>&1
  trap - EXIT
}

{
  printf '| daemons (both sides) |'; for i in $(seq "$rounds"); do printf ' round %s |' "$i"; done; echo
  printf '|---|'; for _ in $(seq "$rounds"); do printf -- '---|'; done; echo
  WEFT_WG_WARMUP=0 run "Weft, no warm-up" "$repo/bin/weft-wg -f"
  run "Weft" "$repo/bin/weft-wg -f"
  run "wireguard-go" "wireguard-go -f"
} | tee "$out/summary.md"
echo "ping-cold: average RTT (ms) of each round of 50 pings; logs in $out" >&2
