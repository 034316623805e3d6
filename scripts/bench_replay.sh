#!/usr/bin/env bash
# The replay rate at --speed asap. One capture, made with tcpdump on loopback, of
# mosquitto's own clients (MQTT 3.1.1: one QoS 1 subscriber, one mosquitto_pub -l
# publishing MESSAGES QoS 1 messages) talking to mosquitto; then, ROUNDS times, the
# capture replayed with `mqttspec replay --speed asap` against the reference broker
# (`mqttspec broker`) and against mosquitto, each on a port of its own. Prints, per
# replay, MQTT packets per second and the CPU seconds of mqttspec (scenario, clients,
# netem proxy, checkers, comparison) and of the broker; and the rate of mosquitto's
# own clients making the capture, as the direct peer.
#
#   sudo scripts/bench_replay.sh [path/to/mqttspec]   (default: build/release/harness/mqttspec)
#   MESSAGES=20000 ROUNDS=3 scripts/bench_replay.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/release/harness/mqttspec}
messages=${MESSAGES:-20000}
rounds=${ROUNDS:-3}
[[ -x $bin ]] || { echo "no $bin: build the release preset first (scripts/build.sh release)" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "capturing on loopback needs root" >&2; exit 2; }
for tool in mosquitto mosquitto_pub mosquitto_sub tcpdump; do
  command -v "$tool" >/dev/null || { echo "no $tool (scripts/setup.sh installs it)" >&2; exit 2; }
done
bin=$(realpath "$bin")

# shellcheck source=lib/processes.sh
source scripts/lib/processes.sh
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

# mosquitto on a port of its own (never 1883), with a queue the burst fits in.
start_mosquitto() {  # VAR
  local port
  for _ in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 12000))
    printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\n' "$port" >"$work/$1.conf"
    mosquitto -c "$work/$1.conf" >"$work/$1.log" 2>&1 &
    local pid=$!
    sleep 0.3
    if kill -0 "$pid" 2>/dev/null; then
      pids+=("$pid")
      printf -v "$1" '%s' "$port"
      printf -v "${1}_pid" '%s' "$pid"
      return
    fi
  done
  echo "mosquitto did not start" >&2
  exit 1
}

# The capture.
start_mosquitto recorded
tcpdump -i lo -s 0 -B 65536 -U --immediate-mode -Z root -w "$work/capture.pcap" "tcp port $recorded" 2>"$work/tcpdump.log" &
dump=$!
pids+=("$dump")
for _ in $(seq 50); do grep -q "listening on" "$work/tcpdump.log" && break; sleep 0.1; done
begin=$(date +%s.%N)
timeout 120 mosquitto_sub -V mqttv311 -p "$recorded" -t bench/# -q 1 -C "$messages" -i bench-sub >/dev/null &
sub=$!
sleep 0.3
seq "$messages" | timeout 120 mosquitto_pub -V mqttv311 -p "$recorded" -t bench/x -q 1 -l -i bench-pub
wait "$sub"
made=$(awk -v b="$begin" -v e="$(date +%s.%N)" 'BEGIN {print e - b - 0.3}')
sleep 0.3
kill -INT "$dump"
wait "$dump" 2>/dev/null || true
grep -q "^0 packets dropped by kernel" "$work/tcpdump.log" || { cat "$work/tcpdump.log" >&2; exit 1; }
"$bin" analyze "$work/capture.pcap" --port "$recorded" -q --json "$work/capture.json" >/dev/null || true
packets=$(python3 -c 'import json,sys; print(sum(json.load(open(sys.argv[1]))["packets"].values()))' "$work/capture.json")
echo "capture: $messages QoS 1 messages, one publisher and one subscriber (MQTT 3.1.1), $packets MQTT packets"
awk -v p="$packets" -v t="$made" 'BEGIN {printf "  made by mosquitto_pub/sub against mosquitto in %.2f s: %.0f packets/s (the direct peer)\n", t, p / t}'

start reference "$bin" broker --listen 127.0.0.1:0
start_mosquitto target

# replay NAME PORT PID: one replay; appends "WALL PACKETS/S MQTTSPEC_CPU PREPARED_S
# RUN_S RUN_PACKETS/S BROKER_CPU_%_OF_RUN COMPARED_S" to $work/NAME. A replay prepares
# (reads the capture, writes and loads the scenario), runs (drives the broker: only
# then does the broker work), and compares the run with the capture; it prints each time.
replay() {
  local b0
  b0=$(ticks "$3")
  /usr/bin/time -o "$work/time" -f "%e %U %S" "$bin" replay "$work/capture.pcap" --broker "mqtt://127.0.0.1:$2" \
    --speed asap --no-cleanup >"$work/replay.out" 2>&1 || { cat "$work/replay.out" >&2; exit 1; }
  grep -q "2 pass" "$work/replay.out" || { echo "the replay against $1 did not pass:" >&2; cat "$work/replay.out" >&2; exit 1; }
  local broker_ticks=$(($(ticks "$3") - b0)) run prepared compared
  read -r wall user sys <"$work/time"
  run=$(sed -n 's/^[0-9]* cases in \([0-9.]*\) s.*/\1/p' "$work/replay.out")
  prepared=$(sed -n 's/^replay: [0-9]* steps, prepared in \([0-9.]*\) s/\1/p' "$work/replay.out")
  compared=$(sed -n 's/^replay: compared with the capture in \([0-9.]*\) s/\1/p' "$work/replay.out")
  awk -v w="$wall" -v r="$run" -v u="$user" -v s="$sys" -v b="$broker_ticks" -v hz="$hz" -v p="$packets" \
    -v prep="$prepared" -v cmp="$compared" \
    'BEGIN {printf "%.2f %.0f %.2f %.2f %.2f %.0f %.0f %.2f\n", w, p / w, u + s, prep, r, p / r, 100 * b / hz / r, cmp}' >>"$work/$1"
}
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
column() { cut -d' ' -f"$2" "$work/$1" | median; }

echo "replay --speed asap, $rounds rounds alternating, $(nproc) cores:"
for r in $(seq "$rounds"); do
  replay reference "$reference" "$reference_pid"
  replay mosquitto "$target" "$target_pid"
  echo "  round $r: reference broker $(tail -1 "$work/reference"); mosquitto $(tail -1 "$work/mosquitto")"
done
echo "  (wall s, packets/s, CPU s of mqttspec; prepared s; run s, packets/s, broker CPU % of the run; compared s)"
for b in reference mosquitto; do
  awk -v n="$b" -v w="$(column "$b" 1)" -v r="$(column "$b" 2)" -v m="$(column "$b" 3)" -v prep="$(column "$b" 4)" \
    -v rw="$(column "$b" 5)" -v rr="$(column "$b" 6)" -v c="$(column "$b" 7)" -v cmp="$(column "$b" 8)" \
    'BEGIN {printf "%-9s medians: %.2f s in all (%.0f packets/s, mqttspec %.2f s CPU): prepared in %.2f s, the run %.2f s at %.0f packets/s with the broker busy %.0f %% of it, compared in %.2f s\n",
            n, w, r, m, prep, rw, rr, c, cmp}'
done
