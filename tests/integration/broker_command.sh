#!/bin/bash
# The command line of `mqttspec broker`: config errors name file:line:col and exit 2,
# unknown faults exit 2, a valid config and faults serve, SIGINT exits 0.
source "$(dirname "$0")/lib.sh" "$1"
expect_error() {  # expect_error REGEX ARGS...: exit status 2 and REGEX on stderr
  local re=$1
  shift
  timeout 5 "$MQTTSPEC" broker "$@" >/dev/null 2>"$WORK/err.txt"
  local rc=$?
  [ "$rc" -eq 2 ] || fail "broker $* exited with $rc, expected 2"
  grep -Eq "$re" "$WORK/err.txt" || fail "broker $*: stderr '$(cat "$WORK/err.txt")' does not match '$re'"
}
printf 'maximum_qos: 1\nretain_avialable: false\n' >"$WORK/unknown.yaml"
expect_error "unknown.yaml:2:1: unknown key 'retain_avialable'" --config "$WORK/unknown.yaml"
printf 'maximum_qos: 1\nreceive_maximum: lots\n' >"$WORK/type.yaml"
expect_error 'type.yaml:2:18: receive_maximum: expected an integer' --config "$WORK/type.yaml"
printf 'maximum_qos: 3\n' >"$WORK/range.yaml"
expect_error 'range.yaml:1:14: maximum_qos' --config "$WORK/range.yaml"
printf 'faults: [no-will, no-such-fault]\n' >"$WORK/fault.yaml"
expect_error "fault.yaml:1:19: faults: unknown fault 'no-such-fault'" --config "$WORK/fault.yaml"
printf 'users: [alice]\n' >"$WORK/users.yaml"
expect_error 'users.yaml:1:8: users: expected a map' --config "$WORK/users.yaml"
expect_error "unknown fault 'nope'" --fault nope
expect_error "cannot open" --config "$WORK/missing.yaml"
expect_error "HOST:PORT" --listen nonsense
"$MQTTSPEC" broker --list-faults | grep -q '^no-will$' || fail "--list-faults does not list no-will"

# A full config is accepted and applied: QoS 2 subscriptions are granted QoS 1 at most.
cat >"$WORK/full.yaml" <<'YAML'
maximum_qos: 1
retain_available: true
wildcard_subscription_available: true
shared_subscription_available: true
subscription_identifiers_available: true
receive_maximum: 100
topic_alias_maximum: 5
maximum_packet_size: 100000
server_keep_alive: 30
max_queued_messages: 10
refused_topics: [it/refused]
users: { alice: secret }
allow_anonymous: true
allow_empty_client_id: true
overlap: copy_per_subscription
faults: []
YAML
start_broker --config "$WORK/full.yaml"
sub s -V mqttv5 -q 2 -t it/cfg -C 1
pub -V mqttv5 -q 1 -t it/cfg -m capped
wait "$s_pid" || fail "no delivery with the full config"
grep -q '^MSG 1 0 it/cfg capped$' "$WORK/s.log" || fail "maximum_qos 1 not applied"
kill -INT "$BROKER_PID"
wait "$BROKER_PID"
rc=$?
[ "$rc" -eq 0 ] || fail "SIGINT: exit status $rc"
echo "PASS broker_command"
