#!/usr/bin/env bash
# Broker memory with many idle connections: `mqttspec broker` and Debian's mosquitto,
# back to back, each given CONNECTIONS idle MQTT connections (CONNECT, CONNACK, then
# nothing; keep alive 0) by `mqttspec bench --idle-connections`. Prints each broker's
# RSS before and with the connections, the cost per connection, the ratio, and whether
# the reference broker stays within its goal of 10 MiB in all.
#
#   scripts/bench_memory.sh [path/to/mqttspec]    (default: build/release/harness/mqttspec)
#   CONNECTIONS=10000 HOLD=4 scripts/bench_memory.sh
#
# "With" is the broker's VmRSS half a second into the bench's --hold, while it holds
# every connection open. Everything listens on 127.0.0.1; every process started here
# is ended by pid on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/release/harness/mqttspec}
connections=${CONNECTIONS:-10000}
hold=${HOLD:-4}
goal_kb=10240  # 10 MiB
[[ -x $bin ]] || { echo "no $bin: build the release preset first (scripts/build.sh release)" >&2; exit 2; }

# One descriptor per connection in the broker and in the bench.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if (($(ulimit -n) < connections + 64)); then
  echo "ulimit -n is $(ulimit -n) (hard limit): $connections connections need $((connections + 64))" >&2
  exit 2
fi

# shellcheck source=lib/processes.sh
source scripts/lib/processes.sh

kb() { awk -v k="$2" '$1 == k ":" {print $2}' "/proc/$1/status"; }

# measure NAME PID PORT: runs the bench against PORT and sets NAME_before and NAME_with
# (kB): VmRSS of PID before, and while the bench holds every connection open.
measure() {
  local name=$1 pid=$2 port=$3
  sleep 0.5  # let it settle after start
  printf -v "${name}_before" '%s' "$(kb "$pid" VmRSS)"
  "$bin" bench --broker "mqtt://127.0.0.1:$port" --messages 0 --publishers 0 --subscribers 0 \
    --idle-connections "$connections" --hold "$hold" --timeout 120 >"$work/$name.bench" 2>&1 &
  local bench=$!
  pids+=("$bench")
  for _ in $(seq 1200); do
    grep -q "idle connections:" "$work/$name.bench" && break
    kill -0 "$bench" 2>/dev/null || break
    sleep 0.1
  done
  grep -q "idle connections: $connections / $connections connected" "$work/$name.bench" ||
    { echo "$name did not take $connections connections:" >&2; cat "$work/$name.bench" >&2; exit 1; }
  sleep 0.5  # within the hold: every connection is open
  kill -0 "$pid" 2>/dev/null || { echo "$name ended during the run" >&2; exit 1; }
  printf -v "${name}_with" '%s' "$(kb "$pid" VmRSS)"
  wait "$bench" || { echo "bench against $name failed:" >&2; cat "$work/$name.bench" >&2; exit 1; }
}

report() {
  local name=$1 before=$2 with=$3
  awk -v n="$name" -v b="$before" -v w="$with" -v c="$connections" 'BEGIN {
    printf "%-16s RSS before %6d kB, with %d idle connections %6d kB: %.2f kB per connection\n",
      n, b, c, w, (w - b) / c }'
}

echo "broker memory, $connections idle connections held ${hold} s by mqttspec bench ($bin), $(nproc) cores"

start port "$bin" broker --listen 127.0.0.1:0
mqttspec_pid=$port_pid
measure mqttspec "$mqttspec_pid" "$port"
stop "$mqttspec_pid"
report "mqttspec broker" "$mqttspec_before" "$mqttspec_with"

mosquitto=/usr/sbin/mosquitto
if [[ -x $mosquitto ]]; then
  # A port of its own below the ephemeral range (the bench's 10,000 sockets use that),
  # never 1883; another try if it is taken.
  for _ in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 12000))
    printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_connections -1\nlog_type none\n' \
      "$port" >"$work/mosquitto.conf"
    "$mosquitto" -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
    mosquitto_pid=$!
    pids+=("$mosquitto_pid")
    for _ in $(seq 50); do
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
      kill -0 "$mosquitto_pid" 2>/dev/null || break
      sleep 0.05
    done
    kill -0 "$mosquitto_pid" 2>/dev/null && break
    stop "$mosquitto_pid"
  done
  kill -0 "$mosquitto_pid" 2>/dev/null ||
    { echo "mosquitto did not start:" >&2; cat "$work/mosquitto.log" >&2; exit 1; }
  measure mosquitto "$mosquitto_pid" "$port"
  stop "$mosquitto_pid"
  version=$("$mosquitto" -h 2>/dev/null | sed -n 's/^mosquitto version \([0-9.]*\).*/\1/p' || true)
  report "mosquitto $version" "$mosquitto_before" "$mosquitto_with"
  awk -v a="$mqttspec_with" -v b="$mosquitto_with" -v ab="$mqttspec_before" -v bb="$mosquitto_before" 'BEGIN {
    printf "ratio mqttspec / mosquitto: %.2f of the RSS with the connections, %.2f of the cost per connection\n",
      a / b, (a - ab) / (b - bb) }'
else
  echo "mosquitto: $mosquitto is not installed; no comparison"
fi

if ((mqttspec_with <= goal_kb)); then
  echo "goal (mqttspec broker <= 10 MiB = $goal_kb kB with $connections idle connections): met ($mqttspec_with kB)"
else
  echo "goal (mqttspec broker <= 10 MiB = $goal_kb kB with $connections idle connections): NOT met ($mqttspec_with kB)"
fi
