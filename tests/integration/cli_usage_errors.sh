#!/bin/bash
# Bad command lines are usage errors: exit status 2 and a message that says what is
# wrong. --link values are checked the same way by run and proxy.
source "$(dirname "$0")/lib.sh" "$1"
SCENARIOS=$(cd "$(dirname "$0")/../../scenarios" && pwd)
expect_usage() {  # expect_usage REGEX ARGS...: exit status 2 and REGEX on stderr
  local re=$1
  shift
  timeout 20 "$MQTTSPEC" "$@" >"$WORK/out.txt" 2>"$WORK/err.txt" </dev/null
  local rc=$?
  [ "$rc" -eq 2 ] || fail "mqttspec $* exited with $rc, expected 2 (stderr: $(cat "$WORK/err.txt"))"
  grep -Eq -- "$re" "$WORK/err.txt" || fail "mqttspec $*: stderr '$(cat "$WORK/err.txt")' does not match '$re'"
}

# --link: the same message from run and proxy, naming the key and its range.
link_errors() {  # link_errors COMMAND ARGS...
  expect_usage 'loss: loss_pct: 200 is outside 0\.\.100' "$@" --link loss_pct=200
  expect_usage 'latency: latency_ms: -5 is outside 0\.\.3600000' "$@" --link latency_ms=-5
  expect_usage 'gilbert_elliott: p_pct: 101 is outside 0\.\.100' "$@" --link flaky-wifi,p_pct=101
  expect_usage "latency: latency_ms: 'banana' is not a number" "$@" --link latency_ms=banana
  expect_usage 'loss: loss_pct: no value' "$@" --link loss_pct=
  expect_usage "unknown link setting 'banana'" "$@" --link banana=3
  expect_usage "unknown link profile 'banana'" "$@" --link banana
  expect_usage 'slice: slice_bytes: 1.5 is not a whole number' "$@" --link slice_bytes=1.5
}
link_errors run --filter 'will/*'
link_errors proxy --target 127.0.0.1:1
"$MQTTSPEC" run --filter 'will/*' --link satellite,loss_pct=100 >/dev/null 2>&1
[ $? -ne 2 ] || fail "run --link loss_pct=100 (in range) was refused"

# decode: an empty HEX argument decodes nothing, which is no success.
expect_usage 'HEX argument 1 is empty' decode ''
expect_usage 'HEX argument 2 is empty' decode 'c0 00' ' | '
expect_usage 'give HEX arguments or --stdin' decode
expect_usage 'not both' decode --stdin 'c0 00'
"$MQTTSPEC" decode 'c0 00' | grep -q PINGREQ || fail "decode 'c0 00' does not print PINGREQ"

# validate: no path, or a folder without scenarios, is a wrong command line.
expect_usage 'give the scenario files or folders' validate
mkdir -p "$WORK/empty" "$WORK/notes/sub"
echo 'not a scenario' >"$WORK/notes/sub/readme.txt"
expect_usage "$WORK/empty holds no scenario files" validate "$WORK/empty"
expect_usage "$WORK/notes holds no scenario files" validate "$SCENARIOS" "$WORK/notes"
"$MQTTSPEC" validate "$SCENARIOS" >"$WORK/ok.txt" || fail "validate scenarios/ exited with $?: $(tail -n 3 "$WORK/ok.txt")"
echo ok
