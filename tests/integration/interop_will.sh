#!/bin/bash
# A client killed with SIGKILL never sends DISCONNECT: the broker must publish its will
# (MQTT-3.1.2-8), and one that disconnects normally must not have it sent (MQTT-3.1.2-10).
source "$(dirname "$0")/lib.sh" "$1"
V=$2
start_broker
sub watcher -V "$V" -q 1 -t 'it/will/#' -C 1
# -E ends with DISCONNECT 0x00 (-W would send 0x04, "with will", in 5.0).
sub polite -V "$V" -t it/none -i polite --will-topic it/will/polite --will-payload gone-polite --will-qos 1 -E
wait "$polite_pid"
sub victim -V "$V" -t it/none -i victim --will-topic it/will/victim --will-payload gone-victim --will-qos 1
kill -9 "$victim_pid"
wait "$watcher_pid" || fail "watcher received no will"
grep -q '^MSG 1 0 it/will/victim gone-victim$' "$WORK/watcher.log" || fail "the will of the killed client was not published"
grep -q 'gone-polite' "$WORK/watcher.log" && fail "the will of a client that sent DISCONNECT was published"
stop_broker
echo "PASS interop_will $V"
