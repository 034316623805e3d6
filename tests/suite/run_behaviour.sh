#!/usr/bin/env bash
# `mqttspec run` as a CI job sees it, against `mqttspec broker` on loopback ports of its
# own: a 3.1.1-only broker, a broker with a password, brokers that are not there or go
# silent, an interrupted run, exit codes, expectations that rot, and what the console
# and the reports say. Usage: run_behaviour.sh MQTTSPEC ROOT JSON_SCHEMA_CHECK
set -u
root=$2 schema_check=$3
source "$root/tests/integration/lib.sh" "$1"
cd "$WORK"  # reports and paths relative to a folder that is not the checkout

# expect_rc CODE CMD...: run CMD (output in $WORK/out.txt, errors in $WORK/err.txt).
expect_rc() {
  local want=$1
  shift
  "$@" >"$WORK/out.txt" 2>"$WORK/err.txt"
  local rc=$?
  [ "$rc" -eq "$want" ] || fail "exit $rc, not $want: $* (stdout: $(tail -n 5 "$WORK/out.txt"); stderr: $(tail -n 5 "$WORK/err.txt"))"
}
has() { grep -Fq -- "$2" "$1" || fail "$1 lacks '$2': $(tail -n 20 "$1")"; }
# background OUT ERR CMD...: starts CMD, its output in OUT and ERR; sets run_pid.
background() {
  local out=$1 err=$2
  shift 2
  "$@" >"$out" 2>"$err" &
  run_pid=$!
  PIDS+=("$run_pid")
}
# finishes CODE SECONDS WHAT: run_pid ends with status CODE within SECONDS from now.
finishes() {
  local started=$SECONDS rc
  wait "$run_pid"
  rc=$?
  [ "$rc" -eq "$1" ] || fail "$3: exit $rc, not $1"
  [ $((SECONDS - started)) -le "$2" ] || fail "$3 took $((SECONDS - started)) s to end the run"
}
# no_absolute_path FILE: no path of the checkout written as an absolute path.
no_absolute_path() { ! grep -Eq "(^|[ \"'(=])$root/" "$1" || fail "$1 holds an absolute path under $root"; }

# --- no path of the build machine in the binary ---------------------------------------
# (A sanitizer build is exempt: GCC 12 keeps UBSan's source locations unmapped.)
if ! ldd "$MQTTSPEC" | grep -q libasan; then
  strings "$MQTTSPEC" | grep -Fq "$root/" && fail "the binary holds the source path $root"
fi

# --- a 3.1.1-only broker: its 5.0 cases are skipped with the reason --------------------
printf 'protocol_versions: [3.1.1]\n' >"$WORK/v311.yaml"
start_broker --config "$WORK/v311.yaml"
expect_rc 0 "$MQTTSPEC" run --broker "mqtt://127.0.0.1:$PORT" --filter 'connect/*' --json v311.json
has "$WORK/out.txt" "the broker refuses MQTT 5.0"
has "$WORK/out.txt" "16 jobs"  # the default against a broker URL: cases mostly wait
grep -q '"verdict": "pass"' v311.json || fail "no 3.1.1 case passed"
[ "$(grep -c '"reason": "the broker refused this protocol version: answered a 5.0 CONNECT' v311.json)" -ge 5 ] ||
  fail "the 5.0 cases are not skipped with the reason"
grep -q '"verdict": "fail"' v311.json && fail "a case failed on the 3.1.1-only broker"
stop_broker

# --- a broker with a password ---------------------------------------------------------
secret='pa55-w0rd-xyz'
printf 'users: { alice: %s }\nallow_anonymous: false\n' "$secret" >"$WORK/users.yaml"
start_broker --config "$WORK/users.yaml"
url="mqtt://127.0.0.1:$PORT"
expect_rc 3 "$MQTTSPEC" run --broker "$url" --filter 'connect/*'
has "$WORK/err.txt" "the broker refused the credentials"
has "$WORK/err.txt" "--username"
expect_rc 0 "$MQTTSPEC" run --broker "$url" --username alice --password "$secret" --filter 'publish/*' \
  --report creds-report --json creds.json --junit creds.xml --trace
expect_rc 0 "$MQTTSPEC" run --broker "mqtt://alice:$secret@127.0.0.1:$PORT" --filter 'connect/session-present@*'
has "$WORK/out.txt" "mqtt://alice:***@127.0.0.1:$PORT"
expect_rc 0 env MQTTSPEC_USERNAME=alice MQTTSPEC_PASSWORD="$secret" "$MQTTSPEC" run --broker "$url" --filter 'connect/session-present@*'
expect_rc 0 "$MQTTSPEC" run --broker "$url" --username alice --password "$secret" --filter 'publish/*' -v --trace
grep -rlF -- "$secret" out.txt err.txt creds.json creds.xml creds-report && fail "the password is in a log or report"
hex=$(printf '%s' "$secret" | od -An -tx1 | tr -s ' \n' ' ' | sed 's/^ //; s/ $//')
grep -rlF -- "$hex" creds.json creds-report && fail "the password's hex is in a report"
[ -n "$(ls creds-report/pcap/*.pcap)" ] || fail "no pcap written"
stop_broker

# --- the run leaves the broker clean; --no-cleanup leaves it as the cases did ------------
start_broker
retained() { timeout 5 mosquitto_sub -p "$PORT" -t 'ms/#' -v -W 1 --retained-only 2>/dev/null | wc -l; }
expect_rc 0 "$MQTTSPEC" run --broker "mqtt://127.0.0.1:$PORT" --filter 'retain/*' --no-cleanup
left=$(retained)
[ "$left" -gt 0 ] || fail "no retained message to clean"
expect_rc 0 "$MQTTSPEC" run --broker "mqtt://127.0.0.1:$PORT" --filter 'retain/*' --filter 'redelivery/*'
grep -Eq '^cleanup: [1-9][0-9]* retained topics and [1-9][0-9]* sessions cleared$' "$WORK/out.txt" ||
  fail "no cleanup line: $(tail -n 3 "$WORK/out.txt")"
[ "$(retained)" -eq "$left" ] || fail "the second run left retained messages behind"
stop_broker

# --- connection trouble is not a conformance failure: exit 3 ---------------------------
expect_rc 3 "$MQTTSPEC" run --broker mqtt://127.0.0.1:1 --filter 'connect/*'
has "$WORK/err.txt" "cannot connect to 127.0.0.1:1"
expect_rc 3 "$MQTTSPEC" run --broker mqtt://no-such-host.invalid:1883 --filter 'connect/*'
has "$WORK/err.txt" "cannot resolve no-such-host.invalid"
expect_rc 2 "$MQTTSPEC" run --broker ftp://127.0.0.1:1 --filter 'connect/*'

# A broker that goes silent after the run began: the rest is "error" at once.
start_broker
background "$WORK/silent.out" "$WORK/silent.err" "$MQTTSPEC" run --broker "mqtt://127.0.0.1:$PORT" -j 4 --json silent.json
wait_for "$WORK/silent.out" '^(PASS|FAIL|NON-STRICT) ' 10
kill -STOP "$BROKER_PID"
finishes 3 30 "a silent broker"
kill -CONT "$BROKER_PID"
has "$WORK/silent.out" "the broker stopped answering CONNECT"
has silent.json '"reason": "not run: the broker stopped answering"'
has silent.json '"stopped": "broker stopped answering"'
stop_broker

# --- SIGINT: the cases in flight end, the reports hold what ran, exit 130 ---------------
start_broker
background "$WORK/int.out" "$WORK/int.err" "$MQTTSPEC" run --broker "mqtt://127.0.0.1:$PORT" -j 2 \
  --filter 'keepalive/*' --filter 'will/*' --filter 'connect/*' --json int.json --junit int.xml --report int-report
wait_for "$WORK/int.out" '^(PASS|FAIL|NON-STRICT) ' 10
kill -INT "$run_pid"
finishes 130 5 "SIGINT"
has "$WORK/int.err" "interrupted: finishing the cases in flight"
has int.json '"reason": "not run: the run was interrupted"'
has int.json '"stopped": "interrupted"'
"$schema_check" "$root/reports/schemas/run.schema.json" int.json silent.json v311.json || fail "a run document does not conform"
[ "$(grep -c '"id":' int.json)" -ge 20 ] || fail "the JSON does not list every case"
[ -s int-report/index.html ] || fail "no HTML report after SIGINT"
xmllint --noout int.xml || fail "the JUnit file is not XML"
stop_broker

# --- the console: progress as it goes, --trace shows connections ------------------------
start_broker
background "$WORK/live.out" "$WORK/live.err" "$MQTTSPEC" run --broker "mqtt://127.0.0.1:$PORT" -j 1 \
  --filter 'keepalive/pingreq-pingresp@3.1.1' --filter 'will/not-on-disconnect@*' --trace
wait_for "$WORK/live.out" '^PASS +keepalive/pingreq-pingresp@3.1.1' 5
kill -0 "$run_pid" 2>/dev/null || fail "the first result appeared only when the run ended (output not line-buffered)"
finishes 0 30 "the traced run"
grep -Eq 'connection [0-9]+: open' "$WORK/live.out" || fail "--trace shows no connection opening"
grep -Eq 'connection [0-9]+: client (closed|saw close)' "$WORK/live.out" || fail "--trace shows no connection closing"
stop_broker

# --- expectations: a listed case that passes; an entry that matches nothing -------------
printf -- '- case: "connect/session-present@5"\n  verdict: fail\n  reason: "fixed since"\n' >"$WORK/rot.yaml"
expect_rc 0 "$MQTTSPEC" run --filter 'connect/session-present@*' --expect rot.yaml
has "$WORK/out.txt" "1 unexpected pass"
has "$WORK/out.txt" "connect/session-present@5"
expect_rc 1 "$MQTTSPEC" run --filter 'connect/session-present@*' --expect rot.yaml --strict-expect
printf -- '- case: "connect/no-such-case@5"\n  reason: "typo"\n' >"$WORK/stale.yaml"
expect_rc 2 "$MQTTSPEC" run --filter 'connect/*' --expect stale.yaml
has "$WORK/err.txt" "no case matches 'connect/no-such-case@5'"
printf 'limits: { maximum_qos: banana }\n' >"$WORK/bad-profile.yaml"
expect_rc 2 "$MQTTSPEC" run --profile bad-profile.yaml
has "$WORK/err.txt" "limit 'maximum_qos' must be a whole number from 0 to 2, not 'banana'"

# --- failure messages and the command that reproduces them ------------------------------
cp -r "$root/scenarios/common/keepalive" suite
cp "$root/brokers/mosquitto.yaml" profile.yaml
printf -- '- case: "keepalive/pingreq-pingresp@*"\n  verdict: fail\n  reason: "none"\n' >"$WORK/known.yaml"
expect_rc 1 "$MQTTSPEC" run --suite suite --fault ignore-keepalive --profile profile.yaml --expect known.yaml --link lan
has "$WORK/out.txt" "mqttspec run --seed 1 --suite suite --profile profile.yaml --expect known.yaml --fault ignore-keepalive --link 'lan' --filter 'keepalive/closes-at-one-and-a-half@3.1.1'"
has "$WORK/out.txt" "the connection stayed open (waited 30 s)"
has "$WORK/out.txt" "expected: close within [10, 16] s of the step's start"
expect_rc 0 "$MQTTSPEC" run --suite suite --fault late-keepalive
has "$WORK/out.txt" "the broker closed the connection at 20 s (20 s into the step): after the window [10, 16] s of the step's start, within the 30 s the case tolerates (late)"
no_absolute_path out.txt
no_absolute_path v311.json

echo "run behaviour: all checks passed"
