#!/bin/bash
# A client that stops sending (SIGSTOP: its socket stays open, like a half-open link) is
# closed after 1.5 x its keep alive and its will is published (MQTT-3.1.2-24 in 3.1.1,
# MQTT-3.1.2-22 in 5.0; MQTT-3.1.2-8). Exercises the broker's timer over real sockets.
source "$(dirname "$0")/lib.sh" "$1"
V=$2
start_broker
sub watcher -V "$V" -q 1 -t 'it/will/#' -C 1
sub frozen -V "$V" -k 5 -t it/none -i frozen --will-topic it/will/frozen --will-payload lapsed --will-qos 1
kill -STOP "$frozen_pid"
start=$SECONDS
wait_for "$WORK/watcher.log" '^MSG 1 0 it/will/frozen lapsed$' 15
elapsed=$((SECONDS - start))
kill -9 "$frozen_pid"
# 1.5 x 5 s = 7.5 s; whole seconds and scheduling allow 6..12.
[ "$elapsed" -ge 6 ] && [ "$elapsed" -le 12 ] || fail "will after $elapsed s, expected about 7.5 s"
stop_broker
echo "PASS interop_keepalive $V (will after about $elapsed s)"
