#!/usr/bin/env bash
# `mqttspec replay` on real traffic, captured with tcpdump: mosquitto's own clients of
# both protocol versions (a QoS 2 subscriber, a retained message, QoS 0/1/2 publishes,
# a will sent when its client is killed, 5.0 user properties) talking to a mosquitto
# broker. Each version's connections are replayed against the embedded reference broker
# (every connection passes, one case per captured connection) and against a second
# mosquitto (which answers as recorded, also with --speed asap); --to-yaml writes a
# scenario that validates and passes; and the embedded broker with the no-will fault
# is caught: the will PUBLISH is missing and the subscriber's connection fails.
set -euo pipefail
mqttspec=$1
source "$(dirname "$0")/lib.sh" mosquitto mosquitto_pub mosquitto_sub tcpdump python3

start_mosquitto

start_tcpdump "$work/cap.pcap"

run() { timeout 10 "$@"; }
# Per version, one phase after the other (the sleeps make the order unambiguous), 7
# connections: retainer, sub, doomed, pub0, pub1, pub2, cleaner.
per_version=7
for v in mqttv311 mqttv5; do
  props=() will_props=()
  if [ "$v" = mqttv5 ]; then
    props=(-D publish user-property k v -D publish user-property k2 v2)
    will_props=(-D will user-property why killed)
  fi
  # A retained message, before anyone subscribes.
  run mosquitto_pub -V "$v" -p "$port" -t "rep/$v/retained" -i "retainer-$v" -m kept -r -q 1 "${props[@]}"
  sleep 0.3
  # The subscriber gets the retained message, the three live ones at QoS 0, 1 and 2,
  # and the will: 5 messages, then it disconnects.
  run mosquitto_sub -V "$v" -p "$port" -t "rep/$v/#" -q 2 -C 5 -i "sub-$v" >"$work/sub-$v.out" &
  sub=$!
  sleep 0.5
  # A client with a will, killed (no DISCONNECT) once the publishers are done.
  mosquitto_sub -V "$v" -p "$port" -t "rep/$v/nothing" -i "doomed-$v" --will-topic "rep/$v/will" \
    --will-payload gone --will-qos 1 "${will_props[@]}" >/dev/null 2>&1 &
  doomed=$!
  pids+=("$doomed")
  sleep 0.3
  for q in 0 1 2; do
    run mosquitto_pub -V "$v" -p "$port" -t "rep/$v/q$q" -i "pub$q-$v" -m "hello $q" -q "$q" "${props[@]}"
    sleep 0.3
  done
  kill -KILL "$doomed"
  wait "$doomed" 2>/dev/null || true
  wait "$sub" || { echo "FAIL: subscriber sub-$v did not get its 5 messages:"; cat "$work/sub-$v.out"; exit 1; }
  grep -qx gone "$work/sub-$v.out" || { echo "FAIL: subscriber sub-$v did not get the will:"; cat "$work/sub-$v.out"; exit 1; }
  sleep 0.3
  # Leave no retained message behind.
  run mosquitto_pub -V "$v" -p "$port" -t "rep/$v/retained" -i "cleaner-$v" -r -n -q 0
  sleep 0.3
done
stop_tcpdump

# The replay target: a second mosquitto, on a port of its own.
start_mosquitto
port2=$port

# replay NAME EXPECTED_STATUS ARGS...: runs `mqttspec replay` on the capture, its output
# in $work/NAME.txt; prints it and fails when the exit status is not the expected one.
replay() {
  local name=$1 want=$2 status=0
  shift 2
  timeout 60 "$mqttspec" replay "$work/cap.pcap" "$@" >"$work/$name.txt" 2>&1 || status=$?
  if [ "$status" -ne "$want" ]; then
    cat "$work/$name.txt"
    echo "FAIL: mqttspec replay cap.pcap $* exited $status ($want expected)"
    exit 1
  fi
}

for v in 3.1.1 5; do
  # a. Against the embedded broker (virtual time): every replayed connection passes,
  # one case per connection of that version; the other version's are not replayed.
  # (The traces may differ: the reference broker is another broker, whose 5.0 CONNACK
  # has other properties than mosquitto's. Without --traces-strict that is no failure.)
  replay "embedded-$v" 0 --protocol "$v" --json "$work/r-$v.json"
  problems=$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
want, version = int(sys.argv[2]), sys.argv[3]
cases = r["cases"]
replayed = [c for c in cases if c["verdict"] != "skipped"]
skipped = [c for c in cases if c["verdict"] == "skipped"]
if len(replayed) != want: print(len(replayed), "connections replayed (" + str(want), "expected)")
if len(skipped) != want: print(len(skipped), "connections not replayed (" + str(want), "of the other version expected)")
for c in replayed:
    if c["verdict"] != "pass" or c["protocol"] != version:
        print(c["id"], "MQTT", c["protocol"], c["verdict"], c["reason"], [f["where"] + ": " + f["message"] for f in c["failures"]])
for c in skipped:
    if "--protocol" not in c["reason"]: print(c["id"], "not replayed:", c["reason"])
' "$work/r-$v.json" "$per_version" "$v")
  [ -z "$problems" ] || { cat "$work/embedded-$v.txt"; echo "FAIL: replay --protocol $v, in $work/r-$v.json:"; echo "$problems"; exit 1; }

  # b. Against the second mosquitto: it answers as recorded, at the recorded pace and
  # as fast as possible.
  replay "mosquitto-$v" 0 --protocol "$v" --broker "mqtt://127.0.0.1:$port2" --traces-strict
  replay "mosquitto-asap-$v" 0 --protocol "$v" --broker "mqtt://127.0.0.1:$port2" --traces-strict --speed asap

  # c. The scenario, written out: it names the frames its steps came from, validates,
  # and passes against the embedded broker.
  replay "yaml-$v" 0 --protocol "$v" --to-yaml "$work/s-$v.yaml"
  grep -q "# frame" "$work/s-$v.yaml" ||
    { cat "$work/s-$v.yaml"; echo "FAIL: the scenario of --to-yaml names no frame (# frame ...)"; exit 1; }
  status=0
  "$mqttspec" validate "$work/s-$v.yaml" >"$work/validate-$v.txt" 2>&1 || status=$?
  [ "$status" -eq 0 ] ||
    { cat "$work/s-$v.yaml" "$work/validate-$v.txt"; echo "FAIL: mqttspec validate s-$v.yaml exited $status (0 expected)"; exit 1; }
  status=0
  timeout 60 "$mqttspec" run --suite "$work/s-$v.yaml" >"$work/run-$v.txt" 2>&1 || status=$?
  [ "$status" -eq 0 ] ||
    { cat "$work/s-$v.yaml" "$work/run-$v.txt"; echo "FAIL: mqttspec run --suite s-$v.yaml exited $status (0 expected)"; exit 1; }
  echo "MQTT $v: $per_version connections replayed: embedded broker pass, mosquitto as recorded (recorded pace and asap), --to-yaml runs"
done

# 3. A broken broker is caught: without wills, the subscriber's will PUBLISH is missing.
broker_faults=$("$mqttspec" broker --list-faults)
grep -qx "no-will" <<<"$broker_faults" || { echo "$broker_faults"; echo "FAIL: mqttspec broker --list-faults has no no-will"; exit 1; }
replay fault 1 --protocol 5 --fault no-will --json "$work/fault.json"
# The trace difference: the will the subscriber got in the capture never came.
grep -q 'PUBLISH missing: .*topic="rep/mqttv5/will"' "$work/fault.txt" ||
  { cat "$work/fault.txt"; echo "FAIL: replay --fault no-will shows no missing will PUBLISH among the trace differences"; exit 1; }
# The failed connection: the subscriber's, which waited for the will.
grep -Eq "^FAIL +replay/cap/sub-mqttv5@5" "$work/fault.txt" ||
  { cat "$work/fault.txt"; echo "FAIL: replay --fault no-will shows no failed connection (sub-mqttv5)"; exit 1; }
# The will checker names the statement the fault breaks.
grep -q 'MQTT-3.1.2-8' "$work/fault.txt" ||
  { cat "$work/fault.txt"; echo "FAIL: replay --fault no-will does not name MQTT-3.1.2-8"; exit 1; }
# The publishers ran all their steps before the subscriber's failure stopped the replay: they pass.
verdicts=$(python3 -c '
import json, sys
for c in json.load(open(sys.argv[1]))["cases"]:
    if "/pub" in c["id"]: print(c["id"], c["verdict"])
' "$work/fault.json")
[ "$(grep -c ' pass$' <<<"$verdicts")" -eq 3 ] ||
  { echo "$verdicts"; echo "FAIL: replay --fault no-will: the three publishers' connections should pass"; exit 1; }
echo "--fault no-will: caught (the will PUBLISH missing, the subscriber's connection fails)"
