#!/usr/bin/env bash
# Real traffic, captured with tcpdump: mosquitto's own clients of both protocol versions
# (QoS 0-2, retained, wills, user properties, subscribe/unsubscribe, keep-alive pings,
# several connections at once) talking to a mosquitto broker. `mqttspec analyze` must
# find nothing wrong, and count each MQTT packet type exactly as tshark does.
set -euo pipefail
mqttspec=$1
source "$(dirname "$0")/lib.sh" mosquitto mosquitto_pub mosquitto_sub tcpdump tshark python3

start_mosquitto

start_tcpdump "$work/capture.pcap"

run() { timeout 10 "$@"; }
# Keep Alive 5 s (mosquitto's clients accept no less): PINGREQ/PINGRESP while the rest runs.
run mosquitto_sub -p "$port" -t cap/ping -k 5 -W 7 -i pinger-mqttv311 >/dev/null 2>&1 &
pinger=$!
for v in mqttv311 mqttv5; do
  props=() conn_props=()
  if [ "$v" = mqttv5 ]; then
    props=(-D publish user-property k v -D publish user-property k2 v2 -D publish content-type text/plain)
    conn_props=(-D connect session-expiry-interval 30 -D connect user-property who sub)
  fi
  run mosquitto_pub -V "$v" -p "$port" -t "cap/$v/retained" -i "retainer-$v" -m kept -r -q 1 "${props[@]}"
  # Two subscribers at once, each gets the retained message, three live ones at QoS 0,
  # 1 and 2 and the will of a client that dies: 5 messages.
  run mosquitto_sub -V "$v" -p "$port" -t "cap/$v/#" -q 2 -C 5 -i "sub2-$v" "${conn_props[@]}" >"$work/sub2-$v.out" &
  sub2=$!
  run mosquitto_sub -V "$v" -p "$port" -t "cap/$v/+" -q 1 -C 5 -i "sub1-$v" >"$work/sub1-$v.out" &
  sub1=$!
  # A client with a QoS 2 will, killed (no DISCONNECT) while the publishers run, so
  # the broker sends its will.
  # (In a subshell: bash would report the kill.)
  (timeout -s KILL 0.8 mosquitto_sub -V "$v" -p "$port" -t "cap/$v/nothing" -i "doomed-$v" --will-topic "cap/$v/will" \
    --will-payload gone --will-qos 2 || true) >/dev/null 2>&1 &
  sleep 0.5
  # The three publishers at once.
  for q in 0 1 2; do run mosquitto_pub -V "$v" -p "$port" -t "cap/$v/q$q" -i "pub$q-$v" -m "hello $q" -q "$q" "${props[@]}" & done
  wait "$sub2" || { echo "FAIL: subscriber sub2-$v did not get its 5 messages:"; cat "$work/sub2-$v.out"; exit 1; }
  wait "$sub1" || { echo "FAIL: subscriber sub1-$v did not get its 5 messages:"; cat "$work/sub1-$v.out"; exit 1; }
  # A client with a will that subscribes, unsubscribes and disconnects cleanly.
  run mosquitto_sub -V "$v" -p "$port" -t "cap/$v/none" -i "leaver-$v" -U "cap/$v/other" -W 1 --will-topic "cap/$v/will" \
    --will-payload gone --will-qos 1 --will-retain -u user -P secret >/dev/null 2>&1 || true
  # Leave no retained message behind.
  run mosquitto_pub -V "$v" -p "$port" -t "cap/$v/retained" -i "cleaner-$v" -r -n -q 0
done
wait "$pinger" || true
sleep 0.5
stop_tcpdump

# Packets per type, as tshark counts them: one frame may hold several MQTT packets,
# whose types come comma-separated.
tshark -r "$work/capture.pcap" -d "tcp.port==$port,mqtt" -Y mqtt -T fields -e mqtt.msgtype \
  >"$work/tshark.txt" 2>"$work/tshark.err" || { echo "FAIL: tshark could not read the capture:"; cat "$work/tshark.err"; exit 1; }
awk -F, 'BEGIN { split("CONNECT CONNACK PUBLISH PUBACK PUBREC PUBREL PUBCOMP SUBSCRIBE SUBACK UNSUBSCRIBE UNSUBACK PINGREQ PINGRESP DISCONNECT AUTH", n, " ") }
  { for (i = 1; i <= NF; i++) c[n[$i]]++ }
  END { for (t in c) print t, c[t] }' "$work/tshark.txt" | sort >"$work/tshark.counts"

status=0
"$mqttspec" analyze "$work/capture.pcap" --port "$port" --json "$work/out.json" >"$work/analyze.txt" 2>&1 || status=$?
cat "$work/analyze.txt"
[ -s "$work/out.json" ] || { echo "FAIL: analyze exited $status and wrote no JSON"; exit 1; }
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
for t, n in r["packets"].items():
    if n: print(t, n)
' "$work/out.json" | sort >"$work/analyze.counts"
table=$(join -a1 -a2 -e 0 -o 0,1.2,2.2 "$work/analyze.counts" "$work/tshark.counts" |
  awk 'BEGIN { printf "%-12s %8s %8s\n", "type", "analyze", "tshark" } { printf "%-12s %8s %8s%s\n", $1, $2, $3, ($2 == $3 ? "" : "  <- differs") }')
echo "$table"
[ "$status" -eq 0 ] || { echo "FAIL: analyze exited $status on conformant traffic (0 expected)"; exit 1; }
cmp -s "$work/analyze.counts" "$work/tshark.counts" ||
  { echo "FAIL: analyze and tshark count different MQTT packets in the same capture (table above)"; exit 1; }

# The traffic above (counted by hand), so that neither tool can have missed part of it:
# 19 connections, 10 publishes by clients and 20 deliveries, and so on.
check() {
  local n
  n=$(awk -v t="$1" '$1 == t { print $2 }' "$work/analyze.counts")
  [ "${n:-0}" -ge "$2" ] || { echo "FAIL: expected at least $2 $1, analyze counted ${n:-0}"; exit 1; }
}
check CONNECT 19; check CONNACK 19; check PUBLISH 30; check PUBACK 16; check PUBREC 6; check PUBREL 6
check PUBCOMP 6; check SUBSCRIBE 9; check SUBACK 9; check UNSUBSCRIBE 2; check UNSUBACK 2
check PINGREQ 1; check PINGRESP 1; check DISCONNECT 17
# Every CONNECT was captured: each connection's version comes from it, and the clients
# named after their version have that one.
problems=$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
if r["capture"]["format"] != "pcap": print("capture format", r["capture"]["format"], "(pcap expected)")
conns = r["connections"]
if len(conns) != 19: print(len(conns), "connections (19 expected)")
for c in conns:
    cid = c.get("client_id") or ""
    want = "5" if cid.endswith("mqttv5") else "3.1.1" if cid.endswith("mqttv311") else c["version"]
    if c["version"] != want or c["version_from"] != "connect":
        print("connection", c["id"], repr(cid), "version", c["version"], "from", c["version_from"], "(" + want, "from connect expected)")
' "$work/out.json")
[ -z "$problems" ] || { echo "FAIL: in $work/out.json:"; echo "$problems"; exit 1; }
echo "analyze and tshark agree on $(awk '{ n += $2 } END { print n }' "$work/analyze.counts") MQTT packets of real mosquitto traffic; no finding"
