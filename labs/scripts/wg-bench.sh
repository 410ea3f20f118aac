#!/usr/bin/env bash
# wg-bench.sh: wireguard-go with wireguard-go, then Weft with Weft, back to back in one run, through
# the shared two-namespace lab (../shared/tools/wg-lab.sh, unchanged: it runs any daemon with
# wireguard-go's command line through WG_CMD). Prints the medians of each and their ratio, as a
# Markdown table for BENCHMARKS.md. Needs root; run ./weft build first.
#
#   labs/scripts/wg-bench.sh [REPS]        (default 3; DUR=seconds per iperf3 run, default 10)
#
# Columns: TCP x1 and TCP x4 (iperf3 Gbit/s), the highest offered UDP rate whose loss stays under
# 1% (a sweep of fixed rates, 1392-byte payloads), ping RTT through the idle tunnel (average of
# 50 pings), and CPU seconds of both daemons per GB received during TCP x1.
set -euo pipefail

repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
reps=${1:-3}
lab=${WG_LAB_SH:-$repo/../shared/tools/wg-lab.sh}
out=${WG_BENCH_OUT:-$repo/labs/target/wg-bench/$(date +%Y%m%dT%H%M%S)}
rates=(${WG_BENCH_UDP_RATES:-100M 200M 300M 400M 500M 600M 800M 1000M})
[ "$(id -u)" -eq 0 ] || { echo "wg-bench: needs root (network namespaces)" >&2; exit 1; }
[ -f "$lab" ] || { echo "wg-bench: $lab is missing (set WG_LAB_SH)" >&2; exit 1; }
# bin/weft-wg runs overlay-node/${WEFT_BUILD_DIR:-target}/weft-node.jar (the variable reaches it through the lab)
[ -f "$repo/overlay-node/${WEFT_BUILD_DIR:-target}/weft-node.jar" ] || { echo "wg-bench: overlay-node/${WEFT_BUILD_DIR:-target}/weft-node.jar is missing: run ./weft build first" >&2; exit 1; }
mkdir -p "$out"

run() { # name command
  local name=$1 cmd=$2
  export WG_LAB_DIR=$out/$name WG_LAB_RES=$out/$name/results WG_CMD=$cmd WG_LOG_LEVEL=error
  echo "wg-bench: $name: $cmd" >&2
  bash "$lab" setup >"$out/$name.log" 2>&1 || { cat "$out/$name.log" >&2; bash "$lab" teardown >/dev/null 2>&1; exit 1; }
  trap 'bash "$lab" teardown >/dev/null 2>&1' EXIT
  bash "$lab" measure "$reps" >>"$out/$name.log" 2>&1
  SWEEP_DUR=${SWEEP_DUR:-5} bash "$lab" udpsweep "${rates[@]}" >>"$out/$name.log" 2>&1
  bash "$lab" teardown >>"$out/$name.log" 2>&1
  trap - EXIT
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "nan"; else print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
# median of column $2 over the tunnel rows of test $1 in iperf.tsv
iperf_median() { awk -F'\t' -v t="$1" -v c="$2" '$2 == "wg" && $3 == t {print $c}' "$3/results/iperf.tsv" | median; }
ping_median() { awk -F'\t' '$2 == "wg" {print $5}' "$1/results/ping.tsv" | median; }
udp_best() { # highest offered rate (Mbit/s) with loss under 1%
  awk -F'\t' 'NR > 1 && $3 != "" && $3 < 1 {r=$1; sub(/M$/, "", r); if (r+0 > best) best=r+0} END {print best+0}' "$1/results/udpsweep.tsv"
}

run wireguard-go "wireguard-go -f"
run weft "$repo/bin/weft-wg -f"

row() { # name -> "tcp1 tcp4 udp ping cpu"
  local d=$out/$1
  echo "$(iperf_median tcp1 4 "$d") $(iperf_median tcp4 4 "$d") $(udp_best "$d") $(ping_median "$d") $(iperf_median tcp1 12 "$d")"
}
read -r g1 g4 gu gp gc <<<"$(row wireguard-go)"
read -r w1 w4 wu wp wc <<<"$(row weft)"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b == 0) print "n/a"; else printf "%.2fx", a / b}'; }
{
  echo "| daemons (both sides) | TCP x1 Gbit/s | TCP x4 Gbit/s | UDP <1% loss Mbit/s | ping RTT ms | CPU s/GB (TCP x1) |"
  echo "|---|---|---|---|---|---|"
  echo "| wireguard-go | $g1 | $g4 | $gu | $gp | $gc |"
  echo "| Weft | $w1 | $w4 | $wu | $wp | $wc |"
  echo "| Weft / wireguard-go | $(ratio "$w1" "$g1") | $(ratio "$w4" "$g4") | $(ratio "$wu" "$gu") | $(ratio "$wp" "$gp") | $(ratio "$wc" "$gc") |"
} | tee "$out/summary.md"
echo "wg-bench: medians of $reps runs; raw results in $out" >&2
