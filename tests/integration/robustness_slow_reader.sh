#!/bin/bash
# A subscriber that never reads: the broker queues at most 64 MiB for it, then cuts the
# connection as a network failure, while the other subscriber receives everything.
source "$(dirname "$0")/lib.sh" "$1"
start_broker
# CONNECT (3.1.1, client id "slow"), then SUBSCRIBE to the bench topic filter at QoS 0.
exec {slow}<>"/dev/tcp/127.0.0.1/$PORT"
#       CONNECT len | "MQTT"                 | lvl | flg | ka    | id "slow"
printf '\x10\x10\x00\x04\x4d\x51\x54\x54\x04\x02\x00\x3c\x00\x04\x73\x6c\x6f\x77' >&"$slow"
#       SUBSCRIBE len | id      | "mqttspec/bench/#"                                              | qos
printf '\x82\x15\x00\x01\x00\x10\x6d\x71\x74\x74\x73\x70\x65\x63\x2f\x62\x65\x6e\x63\x68\x2f\x23\x00' >&"$slow"
sleep 0.3
# 20,000 x 8 KiB = 160 MB towards the slow reader, more than the broker's 64 MiB cap.
timeout 60 "$MQTTSPEC" bench --broker "mqtt://127.0.0.1:$PORT" --messages 20000 --size 8192 --window 16 \
  --timeout 50 >"$WORK/bench.log" 2>&1 || fail "bench failed"
grep -q 'delivered     20000 / 20000' "$WORK/bench.log" || fail "the healthy subscriber missed messages"
# VmHWM: the peak, since the queue's memory is returned once the connection is cut. An
# AddressSanitizer build keeps freed memory in quarantine, so only the cut is checked there.
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$BROKER_PID/status")
if ! grep -q __asan_init "$MQTTSPEC"; then
  [ "$rss_kb" -lt 200000 ] || fail "broker peak RSS $rss_kb kB: the slow reader's queue was not bounded"
fi
timeout 10 cat <&"$slow" >/dev/null
[ $? -eq 124 ] && fail "the slow reader's connection was never cut"
exec {slow}<&-
stop_broker
echo "PASS robustness_slow_reader (broker peak RSS ${rss_kb} kB)"
