#!/bin/bash
# A persistent session keeps its subscription while the client is away, queues QoS 1
# messages and delivers them on reconnect with session present (MQTT-3.1.2-4/5, 3.2.2-2).
source "$(dirname "$0")/lib.sh" "$1"
V=$2
start_broker
sub first -V "$V" -c -i it-persistent -q 1 -t it/session -E
wait "$first_pid" || fail "first subscription failed"
pub -V "$V" -q 1 -t it/session -m while-away
# Queued messages may come before the SUBACK, and -C 1 then exits before it.
READY='^MSG' sub back -V "$V" -c -i it-persistent -q 1 -t it/session -C 1
wait "$back_pid" || fail "the queued message was not delivered on reconnect"
grep -q '^MSG 1 0 it/session while-away$' "$WORK/back.log" || fail "wrong redelivery"
# A clean session forgets: nothing is queued for it.
sub clean -V "$V" -i it-persistent -q 1 -t it/session -E
wait "$clean_pid"
pub -V "$V" -q 1 -t it/session -m dropped
sub again -V "$V" -c -i it-persistent -q 1 -t it/other -W 1
wait "$again_pid"
grep -q 'dropped' "$WORK/again.log" && fail "a clean session kept its subscription"
stop_broker
echo "PASS interop_session $V"
