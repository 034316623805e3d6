#!/bin/bash
# A retained message reaches a later subscriber with RETAIN 1 (MQTT-3.3.1-6, -8); an
# empty retained message clears it (MQTT-3.3.1-10, -11).
source "$(dirname "$0")/lib.sh" "$1"
V=$2
start_broker
pub -V "$V" -q 1 -r -t it/retained -m kept
sub late -V "$V" -q 1 -t it/retained -C 1
wait "$late_pid" || fail "late subscriber got nothing"
grep -q '^MSG 1 1 it/retained kept$' "$WORK/late.log" || fail "retained message not delivered with RETAIN 1"
pub -V "$V" -q 1 -r -t it/retained -n
sub later -V "$V" -q 1 -t it/retained -W 1
wait "$later_pid"
grep -q '^MSG' "$WORK/later.log" && fail "retained message not cleared by an empty payload"
stop_broker
echo "PASS interop_retained $V"
