#!/usr/bin/env bash
# Runs every scenario against Debian's mosquitto on a loopback port of its own, with
# the mosquitto profile and expectations, at -j 32 and three times over (--repeat 3):
# every verdict must be the listed one each time (no flaky case, no unexpected pass).
set -euo pipefail
mqttspec=$1 root=$2
command -v mosquitto >/dev/null || { echo "SKIP: mosquitto is not installed"; exit 77; }
work=$(mktemp -d)
trap 'kill $broker 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
for attempt in 1 2 3 4 5; do
  # Never 1883 (a system broker may be there), and below the kernel's ephemeral range
  # (32768 up), where a client port of a concurrent test could already hold it.
  port=$(( 20000 + RANDOM % 12000 ))
  printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$port" >"$work/mosquitto.conf"
  mosquitto -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
  broker=$!
  sleep 0.3
  kill -0 "$broker" 2>/dev/null && break
done
# Most cases wait on timers, not the CPU: many run at once.
"$mqttspec" run --broker "mqtt://127.0.0.1:$port" -j 32 --repeat 3 --strict-expect \
  --profile "$root/brokers/mosquitto.yaml" --expect "$root/brokers/mosquitto.expect.yaml" \
  --json "$work/run.json"
! grep -q '"verdict": "flaky"' "$work/run.json" || { echo "FAIL: a flaky verdict"; exit 1; }
# The run leaves the broker clean: no retained message of its cases is left.
left=$(timeout 5 mosquitto_sub -p "$port" -t '#' -v -W 1 --retained-only 2>/dev/null || true)
[ -z "$left" ] || { echo "FAIL: retained messages left on the broker:"; echo "$left" | head; exit 1; }
