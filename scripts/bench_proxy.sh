#!/usr/bin/env bash
# The netem proxy's overhead, measured with `mqttspec bench` against `mqttspec broker`
# directly and through `mqttspec proxy`, back to back in one run:
#   1. no impairment: throughput ratio (goal >= 90 %) and added p99 latency (goal <= 100 us);
#   2. --link up.latency_ms=100: added one-way delay at p99 (goal 100 ms +- 1 ms);
#   3. 10,000 concurrent connections through the proxy.
# Everything listens on 127.0.0.1 ports the kernel picks; every process is ended by pid.
#
#   scripts/bench_proxy.sh [path/to/mqttspec]    (default: build/release/harness/mqttspec)
#   ROUNDS=5 MESSAGES=200000 QOS=1 WINDOW=64 CONNECTIONS=10000 scripts/bench_proxy.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/release/harness/mqttspec}
rounds=${ROUNDS:-5}
messages=${MESSAGES:-100000}
qos=${QOS:-1}
window=${WINDOW:-64}
connections=${CONNECTIONS:-10000}
[[ -x $bin ]] || { echo "no $bin: build the release preset first (scripts/build.sh release)" >&2; exit 2; }

# Each connection costs the proxy two descriptors (client and broker side), the broker
# and bench one each: the proxy's limit decides. Raise the soft limit to the hard one;
# if even that is short, open as many as fit and say so.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fit=$((($(ulimit -n) - 64) / 2))
if ((fit < connections)); then
  echo "note: ulimit -n is $(ulimit -n) (hard limit): the proxy fits $fit connections, not $connections" >&2
  connections=$fit
fi

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# start VAR CMD...: runs CMD in the background (its pid kept for cleanup, in this
# shell, not a subshell), waits for "listening on HOST:PORT" and sets VAR to PORT and
# VAR_pid to the pid.
start() {
  local var=$1
  shift
  "$@" >"$work/$var.log" 2>&1 &
  pids+=($!)
  printf -v "${var}_pid" '%s' "$!"
  for _ in $(seq 100); do
    if grep -q "listening on" "$work/$var.log"; then
      printf -v "$var" '%s' "$(sed -n 's/.*listening on [0-9.]*:\([0-9]*\).*/\1/p' "$work/$var.log" | head -1)"
      return
    fi
    sleep 0.05
  done
  echo "$var did not start:" >&2
  cat "$work/$var.log" >&2
  exit 1
}

start broker "$bin" broker --listen 127.0.0.1:0
start plain "$bin" proxy --listen 127.0.0.1:0 --target "127.0.0.1:$broker" --link none
start slow "$bin" proxy --listen 127.0.0.1:0 --target "127.0.0.1:$broker" --link up.latency_ms=100

# bench PORT MESSAGES WINDOW [QOS]: prints "THROUGHPUT P50 P99" (msg/s, us, us).
bench() {
  "$bin" bench --broker "mqtt://127.0.0.1:$1" --qos "${4:-$qos}" --messages "$2" --window "$3" >"$work/bench.out" 2>&1 ||
    { cat "$work/bench.out" >&2; exit 1; }
  awk '/throughput/ {t=$2} /latency/ {p50=$3; p99=$6} END {print t, p50, p99}' "$work/bench.out"
}

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

echo "mqttspec bench, QoS $qos, $messages messages, window $window, $rounds rounds alternating direct / proxied ($bin)"
: >"$work/direct" && : >"$work/proxied"
for r in $(seq "$rounds"); do
  d=$(bench "$broker" "$messages" "$window")
  p=$(bench "$plain" "$messages" "$window")
  echo "$d" >>"$work/direct"
  echo "$p" >>"$work/proxied"
  echo "  round $r: direct $d   proxied $p   (msg/s, p50 us, p99 us)"
done
dt=$(cut -d' ' -f1 "$work/direct" | median)
pt=$(cut -d' ' -f1 "$work/proxied" | median)
d99=$(cut -d' ' -f3 "$work/direct" | median)
p99=$(cut -d' ' -f3 "$work/proxied" | median)
awk -v dt="$dt" -v pt="$pt" -v d99="$d99" -v p99="$p99" 'BEGIN {
  printf "no impairment: throughput %d msg/s direct, %d proxied: %.1f %% (goal >= 90 %%)\n", dt, pt, 100 * pt / dt
  printf "no impairment: p99 latency %d us direct, %d proxied: +%d us (goal <= 100 us)\n", d99, p99, p99 - d99
}'

# Latency: one crossing of the proxy upstream (publisher -> broker) with 100 ms, at
# QoS 0: with QoS 1 the subscriber's PUBACKs would cross the same delayed direction and
# hold messages in the broker's in-flight window, which is queueing, not the link.
# The same window keeps queues short; the difference of the p99s is the added delay.
l=$(bench "$slow" 5000 "$window" 0)
d=$(bench "$broker" 5000 "$window" 0)
awk -v l="$l" -v d="$d" 'BEGIN {
  split(l, a, " "); split(d, b, " ")
  printf "up.latency_ms=100: p50 %.3f ms, p99 %.3f ms end to end vs %.3f / %.3f ms direct: added %.3f ms at p99 (goal 100 +- 1 ms)\n",
    a[2] / 1000, a[3] / 1000, b[2] / 1000, b[3] / 1000, (a[3] - b[3]) / 1000
}'

# Many connections: opened together through the proxy and held while a QoS 1 run goes
# on beside them; counted by the proxy's open sockets (two per proxied connection),
# sampled every 0.1 s, the most at once.
base=$(ls /proc/"$plain_pid"/fd | wc -l)
"$bin" bench --broker "mqtt://127.0.0.1:$plain" --idle-connections "$connections" --qos 1 --messages 200000 \
  --timeout 120 >"$work/many.out" 2>&1 &
many=$!
pids+=($many)
most=0
while kill -0 "$many" 2>/dev/null; do
  n=$(ls /proc/"$plain_pid"/fd 2>/dev/null | wc -l)
  ((n > most)) && most=$n
  sleep 0.1
done
status=0
wait "$many" || status=$?
grep -E "idle connections|throughput" "$work/many.out" || cat "$work/many.out"
echo "concurrent proxied connections: $(((most - base) / 2)) held by the proxy at once (bench exit status $status)"
