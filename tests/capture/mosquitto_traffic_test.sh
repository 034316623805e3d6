#!/usr/bin/env bash
# Captures mosquitto_pub/mosquitto_sub talking to a mosquitto broker (both protocol
# versions, QoS 0-2, retained, will, user properties), then decodes every TCP stream
# in both directions with `mqttspec decode` and checks the packets it names.
set -euo pipefail
mqttspec=$1
source "$(dirname "$0")/lib.sh" mosquitto mosquitto_pub mosquitto_sub tshark
start_mosquitto
tshark -i lo -f "tcp port $port" -w "$work/capture.pcap" -q >"$work/tshark.log" 2>&1 &
tshark_pid=$!
pids+=($tshark_pid)
for _ in $(seq 50); do
  grep -q "Capturing on" "$work/tshark.log" 2>/dev/null && break
  sleep 0.1
done
sleep 0.5

run() { timeout 10 "$@"; }
for v in mqttv311 mqttv5; do
  props=()
  [ "$v" = mqttv5 ] && props=(-D publish user-property k v -D connect session-expiry-interval 30)
  # A subscriber that gets a retained message and three live ones at QoS 0, 1 and 2.
  run mosquitto_pub -V "$v" -p "$port" -t "cap/$v/retained" -m kept -r -q 1
  run mosquitto_sub -V "$v" -p "$port" -t "cap/$v/#" -q 2 -C 4 -i "sub-$v" >"$work/sub-$v.out" &
  sub=$!
  sleep 0.5
  for q in 0 1 2; do run mosquitto_pub -V "$v" -p "$port" -t "cap/$v/q$q" -m "hello $q" -q "$q" "${props[@]}"; done
  wait "$sub"
  # A client with a will that unsubscribes and disconnects cleanly.
  run mosquitto_sub -V "$v" -p "$port" -t "cap/$v/none" -W 1 --will-topic "cap/$v/will" --will-payload gone \
    --will-qos 1 -u user -P secret >/dev/null || true
  run mosquitto_pub -V "$v" -p "$port" -t "cap/$v/retained" -r -n -q 0
done
sleep 0.5
kill -INT "$tshark_pid"
wait "$tshark_pid" 2>/dev/null || true

# One line per segment with payload: stream, direction, hex payload.
tshark -r "$work/capture.pcap" -Y "tcp.len > 0 && tcp.port == $port" -T fields -e tcp.stream -e tcp.srcport -e tcp.payload \
  >"$work/segments.tsv"
streams=$(cut -f1 "$work/segments.tsv" | sort -un)
[ -n "$streams" ] || { echo "FAIL: nothing captured"; cat "$work/tshark.log"; exit 1; }

decoded=0
: >"$work/all.txt"
for s in $streams; do
  # The client's CONNECT names the version; the broker's side is read with the same one.
  upstream=$(awk -F'\t' -v s="$s" -v p="$port" '$1 == s && $2 != p {printf "%s ", $3}' "$work/segments.tsv")
  downstream=$(awk -F'\t' -v s="$s" -v p="$port" '$1 == s && $2 == p {printf "%s ", $3}' "$work/segments.tsv")
  [ -n "$upstream" ] || continue
  out=$("$mqttspec" decode --protocol 5 $upstream) || { echo "FAIL: stream $s upstream:"; echo "$out"; exit 1; }
  echo "$out" >>"$work/all.txt"
  version=5
  # Not `echo | head | grep -q`: under pipefail, grep's early exit can kill echo with
  # SIGPIPE and fail the pipeline at random.
  [[ ${out%%$'\n'*} == *'CONNECT version=3.1.1'* ]] && version=3.1.1
  if [ -n "$downstream" ]; then
    out=$("$mqttspec" decode --protocol "$version" $downstream) || {
      echo "FAIL: stream $s downstream (read as $version):"; echo "$out"
      echo "its segments:"; awk -F'\t' -v s="$s" '$1 == s' "$work/segments.tsv"; exit 1; }
    echo "$out" >>"$work/all.txt"
  fi
  decoded=$((decoded + 1))
done

cat "$work/all.txt"
expect() {
  local n
  n=$(grep -c -- "$1" "$work/all.txt" || true)
  [ "$n" -ge "$2" ] || { echo "FAIL: expected at least $2 lines matching '$1', found $n"; exit 1; }
}
expect 'CONNECT version=3.1.1' 6
expect 'CONNECT version=5' 6
expect 'CONNACK' 12
expect 'SUBSCRIBE' 4
expect 'SUBACK' 4
expect 'PUBLISH qos=2' 2
expect 'PUBREC' 4
expect 'PUBREL' 4
expect 'PUBCOMP' 4
expect 'PUBACK' 4
expect 'retain=1' 2
expect 'will={topic="cap/mqttv5/will"' 1
expect 'user_property=("k","v")' 1
expect 'DISCONNECT' 10
echo "decoded $decoded TCP streams of real mosquitto traffic"
