#!/usr/bin/env bash
# MQTT over WebSocket, unwrapped: mosquitto and its clients talk across a WebSocket hop
# framed by python3-websockets (ws_bridge.py), recorded by tcpdump on the hop's port.
#  - clean: clients of both versions at QoS 0, 1 and 2, each chunk of bytes sent as a
#    fragmented message of 7-byte frames (packets span frames and frames hold parts of
#    two packets): `analyze --ws-port` counts what the clients sent, finds nothing.
#  - faults: the client offers only "mqttv3.1", the server selects it and sends its
#    first bytes in a text frame: MQTT-6.0.0-3 (client), -4 and -1 (server).
set -euo pipefail
mqttspec=$1
source "$(dirname "$0")/lib.sh" mosquitto mosquitto_pub mosquitto_sub tcpdump
/usr/bin/python3 -c "import websockets" 2>/dev/null || { echo "SKIP: python3-websockets is not installed"; exit 77; }
bridge=$(dirname "$0")/ws_bridge.py

start_mosquitto
broker_port=$port

# start_bridges NAME [OPTIONS...]: the server bridge on $ws_port, the client bridge on
# $tcp_port; options go to the bridge whose role they name (--select/--text-first to
# the server, --offer/--split to the client).
start_bridges() {
  local name=$1 server_args=() client_args=()
  shift
  while [ $# -gt 0 ]; do
    case $1 in
      --select) server_args+=("$1" "$2"); shift 2 ;;
      --text-first) server_args+=("$1"); shift ;;
      *) client_args+=("$1" "$2"); shift 2 ;;
    esac
  done
  for _ in 1 2 3 4 5; do
    ws_port=$(( 20000 + RANDOM % 12000 )) tcp_port=$(( 20000 + RANDOM % 12000 ))
    /usr/bin/python3 "$bridge" server "$ws_port" "$broker_port" "${server_args[@]}" >"$work/$name-server.log" 2>&1 &
    server=$!
    /usr/bin/python3 "$bridge" client "$tcp_port" "$ws_port" "${client_args[@]}" >"$work/$name-client.log" 2>&1 &
    client=$!
    for _ in $(seq 50); do
      grep -q ready "$work/$name-server.log" && grep -q ready "$work/$name-client.log" && break
      kill -0 "$server" 2>/dev/null && kill -0 "$client" 2>/dev/null || break
      sleep 0.1
    done
    grep -q ready "$work/$name-server.log" && grep -q ready "$work/$name-client.log" && break
    kill "$server" "$client" 2>/dev/null || true
  done
  pids+=("$server" "$client")
}

# Two subscribers (5.0 at QoS 2, 3.1.1 at QoS 1) and three 5.0 publishers at QoS 0,
# 1 and 2, through the client bridge.
traffic() {
  local subs=()
  timeout 10 mosquitto_sub -V mqttv5 -p "$tcp_port" -t 'ws/#' -q 2 -C 3 -i sub5 >"$work/sub5.out" 2>&1 &
  subs+=($!)
  timeout 10 mosquitto_sub -V mqttv311 -p "$tcp_port" -t 'ws/#' -q 1 -C 3 -i sub311 >"$work/sub311.out" 2>&1 &
  subs+=($!)
  sleep 0.7
  for q in 0 1 2; do timeout 10 mosquitto_pub -V mqttv5 -p "$tcp_port" -t ws/x -m "hello $q" -q "$q" -i "pub$q"; done
  wait "${subs[@]}" || { echo "FAIL: a subscriber did not get its 3 messages"; cat "$work"/sub*.out; exit 1; }
}

# run NAME BRIDGE-OPTIONS...: the traffic, captured and analyzed into $work/NAME.json.
run() {
  local name=$1 status=0
  shift
  start_bridges "$name" "$@"
  start_tcpdump "$work/$name.pcap" "$ws_port"
  traffic
  sleep 0.3
  stop_tcpdump
  kill "$server" "$client" 2>/dev/null || true
  "$mqttspec" analyze "$work/$name.pcap" --ws-port "$ws_port" --json "$work/$name.json" >"$work/$name.txt" 2>&1 ||
    status=$?
  echo "== $name: mqttspec analyze exits $status"
  cat "$work/$name.txt"
  echo "$status" >"$work/$name.status"
}

# check NAME EXIT IDS: the exit status, the counts of the traffic, every connection
# unwrapped, and how many findings name each statement ("ID:N,...", sorted).
check() {
  [ "$(cat "$work/$1.status")" = "$2" ] || { echo "FAIL: $1: exit $(cat "$work/$1.status"), expected $2"; exit 1; }
  /usr/bin/python3 - "$work/$1.json" "$3" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))
want = {"CONNECT": 5, "CONNACK": 5, "PUBLISH": 9, "PUBACK": 4, "PUBREC": 2, "PUBREL": 2, "PUBCOMP": 2,
        "SUBSCRIBE": 2, "SUBACK": 2, "DISCONNECT": 5}
got = {k: v for k, v in a["packets"].items() if v}
assert got == want, f"packets {got}, expected {want}"
assert not a["not_readable"], a["not_readable"]
assert len(a["connections"]) == 5 and all("MQTT over WebSocket, unwrapped" in c["notes"] for c in a["connections"])
import collections
ids = ",".join(f"{k}:{n}" for k, n in sorted(collections.Counter(f["spec_id"] for f in a["findings"]).items()))
assert ids == sys.argv[2], f"findings {ids}, expected {sys.argv[2]}"
PY
  echo "ok: $1"
}

run clean --split 7
check clean 0 ""
run faults --offer mqttv3.1 --select mqttv3.1 --text-first
# One of each per connection: 5 connections.
check faults 1 "MQTT-6.0.0-1:5,MQTT-6.0.0-3:5,MQTT-6.0.0-4:5"
