#!/usr/bin/env bash
# The reference broker breaking one rule on purpose (`mqttspec broker --fault F`),
# driven by mosquitto's clients of both protocol versions and captured with tcpdump:
# `mqttspec analyze` must exit 1 and name the broken statement, on a connection of
# each version; the same traffic against the broker without the fault must give no
# finding (exit 0).
set -euo pipefail
mqttspec=$1
source "$(dirname "$0")/lib.sh" mosquitto_pub mosquitto_sub tcpdump python3

run() { timeout 10 "$@"; }

# Traffic of each fault, for one protocol version ($1), against the broker on $port.
# qos2-twice: every QoS 2 message reaches the QoS 2 subscriber twice.
traffic_qos2-twice() {
  run mosquitto_sub -V "$1" -p "$port" -t "flt/$1/#" -q 2 -W 2 -i "sub-$1" >/dev/null 2>&1 &
  local sub=$!
  sleep 0.5
  run mosquitto_pub -V "$1" -p "$port" -t "flt/$1/x" -m once -q 2 -i "pub-$1"
  wait "$sub" || true
}
# wrong-suback-qos: subscriptions at QoS 0, 1 and 2 get SUBACKs saying 2, 0 and 1, and
# a QoS 2 message each, delivered at the QoS really granted: above what the SUBACKs
# of the QoS 1 and 2 subscriptions said.
traffic_wrong-suback-qos() {
  local q subs=()
  for q in 0 1 2; do
    run mosquitto_sub -V "$1" -p "$port" -t "flt/$1/#" -q "$q" -W 2 -i "sub$q-$1" >/dev/null 2>&1 &
    subs+=($!)
  done
  sleep 0.5
  run mosquitto_pub -V "$1" -p "$port" -t "flt/$1/x" -m once -q 2 -i "pub-$1"
  wait "${subs[@]}" || true
}
# will-on-disconnect: a client with a will publishes and disconnects normally
# (mosquitto_pub: DISCONNECT 0x00; mosquitto_sub -W would send 0x04, which keeps the
# will); the broker publishes the will anyway.
traffic_will-on-disconnect() {
  run mosquitto_sub -V "$1" -p "$port" -t "flt/$1/will/#" -q 1 -W 3 -i "watch-$1" >/dev/null 2>&1 &
  local sub=$!
  sleep 0.5
  run mosquitto_pub -V "$1" -p "$port" -t "flt/$1/other" -m hello -i "victim-$1" --will-topic "flt/$1/will/victim" \
    --will-payload gone --will-qos 1
  wait "$sub" || true
}

# Starts the reference broker (with the fault, if any) on a port of our own, captures
# the traffic of both versions at once, and analyzes it into $work/$name.json.
capture_and_analyze() {
  local name=$1 fault=$2 broker status v ver_pids=()
  local fault_args=()
  [ "$fault" = none ] || fault_args=(--fault "$fault")
  # Never 1883, where a system broker may listen, and below the kernel's ephemeral
  # range, so no client of a concurrent test can own it and have its traffic caught
  # by the filter. Another test may hold the one we draw: draw again.
  for _ in 1 2 3 4 5; do
    port=$(( 20000 + RANDOM % 12000 ))
    "$mqttspec" broker --listen "127.0.0.1:$port" "${fault_args[@]}" >"$work/broker.log" 2>&1 &
    broker=$!
    for _ in $(seq 30); do
      grep -q "listening on" "$work/broker.log" 2>/dev/null && break
      kill -0 "$broker" 2>/dev/null || break
      sleep 0.1
    done
    grep -q "listening on" "$work/broker.log" && break
    kill "$broker" 2>/dev/null || true
  done
  pids+=("$broker")
  grep -q "listening on" "$work/broker.log" || { echo "FAIL: the reference broker did not start:"; cat "$work/broker.log"; exit 1; }
  start_tcpdump "$work/$name.pcap"
  for v in mqttv311 mqttv5; do "traffic_$fault_traffic" "$v" & ver_pids+=($!); done
  for v in "${ver_pids[@]}"; do wait "$v" || { echo "FAIL: a client of the $fault_traffic traffic failed"; exit 1; }; done
  sleep 0.3
  stop_tcpdump
  kill "$broker"
  wait "$broker" 2>/dev/null || true

  status=0
  "$mqttspec" analyze "$work/$name.pcap" --port "$port" --json "$work/$name.json" >"$work/$name.txt" 2>&1 || status=$?
  echo "== broker fault: $fault, traffic of $fault_traffic; mqttspec analyze exits $status"
  cat "$work/$name.txt"
  return "$status"
}

# The spec ids of the findings on connections of each version: "3.1.1 MQTT-x-y" lines.
findings() {
  python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
version = {c["id"]: c["version"] for c in r["connections"]}
for f in r["findings"]: print(version.get(f.get("connection"), "?"), f["spec_id"])
' "$1" | sort -u
}

# fault, spec id it breaks with a 3.1.1 client, with a 5.0 client.
check_fault() {
  local fault=$1 id311=$2 id5=$3 status found
  fault_traffic=$fault
  status=0
  capture_and_analyze "$fault" "$fault" || status=$?
  [ "$status" -eq 1 ] || { echo "FAIL: analyze exited $status with broker fault $fault (1 expected)"; exit 1; }
  found=$(findings "$work/$fault.json")
  if ! grep -qx "3.1.1 $id311" <<<"$found" || ! grep -qx "5 $id5" <<<"$found"; then
    echo "FAIL: with broker fault $fault, expected $id311 on a 3.1.1 connection and $id5 on a 5.0 one; findings (version spec_id):"
    echo "$found"
    exit 1
  fi
  status=0
  capture_and_analyze "$fault-control" none || status=$?
  [ "$status" -eq 0 ] || { echo "FAIL: analyze exited $status on the same traffic without the fault (0 expected)"; exit 1; }
  found=$(findings "$work/$fault-control.json")
  [ -z "$found" ] || { echo "FAIL: findings in $work/$fault-control.json, without the fault:"; echo "$found"; exit 1; }
  echo "ok: $fault flagged as $id311 (3.1.1) and $id5 (5.0); nothing without it"
}

check_fault qos2-twice MQTT-4.3.3-2 MQTT-4.3.3-10
# The wire shows a delivery at a QoS above the granted one (MQTT-3.8.4-6/-8); which of
# SUBACK and delivery lied (the broker's view: MQTT-3.8.4-5/-7) it cannot show.
check_fault wrong-suback-qos MQTT-3.8.4-6 MQTT-3.8.4-8
check_fault will-on-disconnect MQTT-3.14.4-3 MQTT-3.14.4-3
