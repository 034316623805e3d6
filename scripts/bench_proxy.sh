#!/usr/bin/env bash
# The netem proxy's overhead, measured with `mqttspec bench` against `mqttspec broker`
# directly and through `mqttspec proxy --link none`, alternating in one run:
#   1. capacity: throughput with a window large enough that the broker, not the round
#      trip, sets the pace (goal: proxied >= 90 % of direct), with each process's CPU;
#   2. latency at low load (window LAT_WINDOW): added p99 (goal <= 100 us);
#   3. --link up.latency_ms=100: added one-way delay at p99 (goal 100 +- 1 ms), DELAY_RUNS runs;
#   4. CONNECTIONS concurrent connections through `mqttspec proxy --workers N`, N enough
#      for the open-file limit, held while a QoS 1 run goes on beside them.
# Both bench clients go through the proxy, so a message crosses it twice. Everything
# listens on 127.0.0.1 ports the kernel picks; every process is ended by pid.
#
#   scripts/bench_proxy.sh [path/to/mqttspec]    (default: build/release/harness/mqttspec)
#   ROUNDS=5 MESSAGES=2000000 QOS=1 WINDOW=1000 LAT_WINDOW=1 LAT_MESSAGES=20000 \
#   DELAY_MESSAGES=20000 DELAY_RUNS=3 CONNECTIONS=10000 [WORKERS=2] scripts/bench_proxy.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/release/harness/mqttspec}
rounds=${ROUNDS:-5}
messages=${MESSAGES:-2000000}
qos=${QOS:-1}
window=${WINDOW:-1000}
lat_window=${LAT_WINDOW:-1}
lat_messages=${LAT_MESSAGES:-20000}
delay_messages=${DELAY_MESSAGES:-20000}
delay_runs=${DELAY_RUNS:-3}
connections=${CONNECTIONS:-10000}
[[ -x $bin ]] || { echo "no $bin: build the release preset first (scripts/build.sh release)" >&2; exit 2; }

# Each connection costs a proxy worker two descriptors (client and broker side), the
# broker and bench one each. Raise the soft limit to the hard one; give the proxy
# enough workers (10 % spare: the kernel spreads connections by a hash, not evenly).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
limit=$(ulimit -n)
if ((connections > limit - 64)); then
  echo "note: ulimit -n is $limit: the broker and bench fit $((limit - 64)) connections, not $connections" >&2
  connections=$((limit - 64))
fi
per_worker=$(((limit - 64) / 2))
workers=${WORKERS:-$(((connections * 11 / 10 + per_worker - 1) / per_worker))}

# shellcheck source=lib/processes.sh
source scripts/lib/processes.sh

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }          # CPU of a live process
waited_ticks() { awk '{print $16 + $17}' "/proc/$$/stat"; }    # CPU of this shell's ended children
load() { cut -d' ' -f1-3 /proc/loadavg; }

start broker "$bin" broker --listen 127.0.0.1:0
start plain "$bin" proxy --listen 127.0.0.1:0 --target "127.0.0.1:$broker" --link none
start slow "$bin" proxy --listen 127.0.0.1:0 --target "127.0.0.1:$broker" --link up.latency_ms=100

# measure PORT MESSAGES WINDOW QOS: sets `result` to "MSG/S P50_US P99_US PROXY BROKER
# BENCH", the last three the CPU ticks each process spent on the run. In this shell
# (no subshell), so the bench's CPU shows among the waited children.
measure() {
  local p0 b0 c0
  p0=$(ticks "$plain_pid") b0=$(ticks "$broker_pid") c0=$(waited_ticks)
  "$bin" bench --broker "mqtt://127.0.0.1:$1" --qos "$4" --messages "$2" --window "$3" --timeout 120 \
    >"$work/bench.out" 2>&1 || { cat "$work/bench.out" >&2; exit 1; }
  result="$(awk '/throughput/ {t=$2} /latency/ {p50=$3; p99=$6} END {print t, p50, p99}' "$work/bench.out")"
  result+=" $(($(ticks "$plain_pid") - p0)) $(($(ticks "$broker_pid") - b0)) $(($(waited_ticks) - c0))"
}

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
column() { cut -d' ' -f"$2" "$work/$1" | median; }

echo "mqttspec bench through mqttspec proxy ($bin), $(nproc) cores, load average $(load)"
echo "capacity: QoS $qos, $messages messages, window $window, $rounds rounds alternating direct / proxied"
: >"$work/direct" && : >"$work/proxied"
for r in $(seq "$rounds"); do
  measure "$broker" "$messages" "$window" "$qos" && echo "$result" >>"$work/direct" && d=$result
  measure "$plain" "$messages" "$window" "$qos" && echo "$result" >>"$work/proxied" && p=$result
  echo "  round $r: direct ${d%% *} msg/s, proxied ${p%% *} msg/s; CPU ticks of the proxied run: proxy, broker, bench" \
    "$(cut -d' ' -f4-6 <<<"$p") (load $(load))"
done
awk -v dt="$(column direct 1)" -v pt="$(column proxied 1)" -v pc="$(column proxied 4)" -v bc="$(column proxied 5)" \
  -v cc="$(column proxied 6)" -v n="$messages" -v hz="$(getconf CLK_TCK)" 'BEGIN {
  printf "no impairment, capacity: %d msg/s direct, %d proxied: %.1f %% (goal >= 90 %%)\n", dt, pt, 100 * pt / dt
  printf "  CPU of a proxied run (medians): proxy %.2f s (%.2f us per message, %.0f %% of the three), broker %.2f s, bench %.2f s\n",
    pc / hz, 1e6 * pc / hz / n, 100 * pc / (pc + bc + cc), bc / hz, cc / hz
}'

echo "latency at low load: QoS $qos, $lat_messages messages, window $lat_window, $rounds rounds alternating"
: >"$work/direct" && : >"$work/proxied"
for r in $(seq "$rounds"); do
  measure "$broker" "$lat_messages" "$lat_window" "$qos" && echo "$result" >>"$work/direct" && d=$result
  measure "$plain" "$lat_messages" "$lat_window" "$qos" && echo "$result" >>"$work/proxied" && p=$result
  echo "  round $r: p50 / p99 direct $(cut -d' ' -f2-3 <<<"$d" | tr ' ' /) us, proxied $(cut -d' ' -f2-3 <<<"$p" | tr ' ' /) us (load $(load))"
done
awk -v d50="$(column direct 2)" -v d99="$(column direct 3)" -v p50="$(column proxied 2)" -v p99="$(column proxied 3)" 'BEGIN {
  printf "no impairment, low load: p50 %d -> %d us, p99 %d -> %d us: +%d us at p99 (goal <= 100 us)\n", d50, p50, d99, p99, p99 - d99
}'

# Latency: one crossing of the proxy upstream (publisher -> broker) with 100 ms, at
# QoS 0: with QoS 1 the subscriber's PUBACKs would cross the same delayed direction and
# hold messages in the broker's in-flight window, which is queueing, not the link.
# The same window direct and through the link; the difference of the p99s is the added
# delay. Window 64 moves the messages in bursts of 64 every 100 ms, so the p99 of 5,000
# messages would be the worst of 78 bursts; 20,000 make it a percentile of 312.
echo "up.latency_ms=100: QoS 0, $delay_messages messages, window 64, $delay_runs runs"
met=0
for r in $(seq "$delay_runs"); do
  measure "$slow" "$delay_messages" 64 0 && l=$result
  measure "$broker" "$delay_messages" 64 0 && d=$result
  added=$(awk -v l="$l" -v d="$d" 'BEGIN { split(l, a, " "); split(d, b, " ")
    printf "p50 %.3f ms, p99 %.3f ms end to end (direct %.3f / %.3f ms): added %.3f ms at p99",
      a[2] / 1000, a[3] / 1000, b[2] / 1000, b[3] / 1000, (a[3] - b[3]) / 1000 }')
  echo "  run $r: $added (load $(load))"
  awk -v l="$l" -v d="$d" 'BEGIN { split(l, a, " "); split(d, b, " "); x = (a[3] - b[3]) / 1000; exit !(x >= 99 && x <= 101) }' &&
    met=$((met + 1))
done
echo "up.latency_ms=100: added delay at p99 within 100 +- 1 ms in $met of $delay_runs runs"

# Many connections: opened together through a proxy with enough workers and held while
# a QoS 1 run goes on beside them; counted by the workers' open sockets (two per
# proxied connection), summed over the workers every 0.1 s, the most at once.
start many "$bin" proxy --listen 127.0.0.1:0 --target "127.0.0.1:$broker" --link none --workers "$workers"
if ((workers > 1)); then
  read -ra worker_pids <<<"$(sed -n 's/.*(pids \([0-9 ]*\))$/\1/p' "$work/many.log")"
else
  worker_pids=("$many_pid")
fi
fds() { local n=0 p; for p in "$@"; do n=$((n + $(ls "/proc/$p/fd" 2>/dev/null | wc -l))); done; echo "$n"; }
bases=()
for p in "${worker_pids[@]}"; do bases+=("$(fds "$p")"); done
base=$(fds "${worker_pids[@]}")
"$bin" bench --broker "mqtt://127.0.0.1:$many" --idle-connections "$connections" --qos 1 --messages 200000 \
  --timeout 120 >"$work/many.out" 2>&1 &
bench_pid=$!
pids+=($bench_pid)
most=0 spread=""
while kill -0 "$bench_pid" 2>/dev/null; do
  n=$(fds "${worker_pids[@]}")
  if ((n > most)); then
    most=$n spread=""
    for i in "${!worker_pids[@]}"; do spread+=" $((($(fds "${worker_pids[i]}") - bases[i]) / 2))"; done
  fi
  sleep 0.1
done
status=0
wait "$bench_pid" || status=$?
grep -E "idle connections|throughput|lost" "$work/many.out" || cat "$work/many.out"
echo "concurrent proxied connections: $(((most - base) / 2)) held at once by $workers workers (per worker:$spread;" \
  "the QoS 1 run's two included), $connections asked (bench exit status $status, load $(load))"
