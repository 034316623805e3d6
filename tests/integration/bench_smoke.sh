#!/bin/bash
# `mqttspec bench` against `mqttspec broker`, small and bounded: every QoS in both
# versions delivers everything exactly once and in order (the bench exits 1 otherwise).
source "$(dirname "$0")/lib.sh" "$1"
start_broker
for p in 3.1.1 5; do
  for q in 0 1 2; do
    timeout 30 "$MQTTSPEC" bench --broker "mqtt://127.0.0.1:$PORT" --protocol $p --qos $q --publishers 2 \
      --subscribers 2 --messages 2000 --window 16 --timeout 20 >"$WORK/bench.out" 2>&1 ||
      fail "bench QoS $q MQTT $p: $(cat "$WORK/bench.out")"
    grep -q 'lost 0, duplicated 0, out of order 0' "$WORK/bench.out" || fail "bench QoS $q MQTT $p: $(cat "$WORK/bench.out")"
  done
done
timeout 30 "$MQTTSPEC" bench --broker "mqtt://127.0.0.1:$PORT" --messages 0 --idle-connections 200 >"$WORK/idle.out" 2>&1 ||
  fail "idle connections: $(cat "$WORK/idle.out")"
grep -q 'idle connections: 200 / 200 connected' "$WORK/idle.out" || fail "$(cat "$WORK/idle.out")"
"$MQTTSPEC" bench --broker mqtt://10.0.0.1:1883 >/dev/null 2>&1
[ $? -eq 2 ] || fail "bench accepted a non-loopback broker"
stop_broker
echo "PASS bench_smoke"
