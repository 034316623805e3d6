# Shared by the integration scripts: start `mqttspec broker` on an ephemeral loopback
# port, wait for lines in files, and stop everything started on exit.
# Usage: source lib.sh MQTTSPEC_BINARY
set -u
MQTTSPEC=$1
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mqttspec-it.XXXXXX")
PIDS=()

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM  # runs cleanup through the EXIT trap

fail() {
  echo "FAIL: $*" >&2
  for f in "$WORK"/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -n 20 "$f"; } >&2; done
  exit 1
}

# wait_for FILE REGEX [SECONDS]: until a line of FILE matches, or fail.
wait_for() {
  local deadline=$((SECONDS + ${3:-5}))
  until grep -Eq "$2" "$1" 2>/dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || fail "no line matching '$2' in $1 within ${3:-5} s"
    sleep 0.05
  done
}

# start_broker [ARGS...]: sets PORT and BROKER_PID.
start_broker() {
  "$MQTTSPEC" broker --listen 127.0.0.1:0 --verbose "$@" >"$WORK/broker.out" 2>"$WORK/broker.log" &
  BROKER_PID=$!
  PIDS+=("$BROKER_PID")
  wait_for "$WORK/broker.out" '^listening on 127\.0\.0\.1:[0-9]+$'
  PORT=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$WORK/broker.out")
}

# stop_broker: SIGTERM must end it with status 0 within 5 s.
stop_broker() {
  kill -TERM "$BROKER_PID"
  local i
  for i in $(seq 100); do kill -0 "$BROKER_PID" 2>/dev/null || break; sleep 0.05; done
  kill -0 "$BROKER_PID" 2>/dev/null && fail "broker still running 5 s after SIGTERM"
  wait "$BROKER_PID"
  local rc=$?
  [ "$rc" -eq 0 ] || fail "broker exited with status $rc after SIGTERM"
}

# sub NAME ARGS...: a mosquitto_sub in the background, debug output in $WORK/NAME.log,
# messages as "MSG qos retain topic payload" lines; returns once its SUBACK arrived
# (or, with READY=REGEX, once a line matches REGEX).
sub() {
  local name=$1
  shift
  # stdbuf: line-buffered, so the SUBACK line is in the file when it happens; the pid
  # is mosquitto_sub's own (a kill -9 must hit the client). Bounded by cleanup.
  stdbuf -oL mosquitto_sub -p "$PORT" -d -F 'MSG %q %r %t %p' "$@" >"$WORK/$name.log" 2>&1 &
  eval "${name}_pid=$!"
  PIDS+=("$!")
  wait_for "$WORK/$name.log" "${READY:-received SUBACK}"
}

pub() { timeout 10 mosquitto_pub -p "$PORT" "$@" || fail "mosquitto_pub $* exited with $?"; }
