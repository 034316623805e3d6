#!/bin/bash
# The project's own per-case captures, read back: every case of a clean run against
# the embedded broker analyses with no finding against the broker (the cases' clients
# break rules on purpose: those are the client's findings), and a run against a broker
# with a fault analyses with the fault's statement ids — the same checkers, fed from a
# file.
source "$(dirname "$0")/lib.sh" "$1"

# findings JSON: the spec ids of an analysis, one per line.
ids_of() { grep -o '"spec_id": "[^"]*"' "$1" | sed 's/.*: "//; s/"$//'; }
# broker_findings JSON: how many findings are not the client's ("client: ...").
broker_findings() { echo $(($(grep -c '"message": ' "$1") - $(grep -c '"message": "client: ' "$1"))); }

"$MQTTSPEC" run --pcap "$WORK/clean" >"$WORK/clean.log" 2>&1 || fail "the clean run failed"
# Under the sanitizers each process takes half a second to start: every 4th capture
# there (memory errors are what that pass looks for); all of them in the default pass.
step=1
if ldd "$MQTTSPEC" 2>/dev/null | grep libasan >/dev/null; then step=4; fi
n=0 clients=0 i=0
for p in "$WORK"/clean/*.pcap; do
  i=$((i + 1))
  [ $(((i - 1) % step)) -eq 0 ] || continue
  "$MQTTSPEC" analyze "$p" --json "$WORK/a.json" >"$WORK/analyze.log" 2>&1
  rc=$?
  [ "$rc" -le 1 ] || fail "analyze $(basename "$p") exited $rc"
  [ "$(broker_findings "$WORK/a.json")" -eq 0 ] || fail "analyze $(basename "$p"): $(grep '"message"' "$WORK/a.json")"
  [ "$rc" -eq 0 ] || clients=$((clients + 1))
  n=$((n + 1))
done
[ "$i" -ge 200 ] || fail "only $i captures written"
# connect/first-packet-not-connect, both versions: its client sends PINGREQ first.
[ "$step" -gt 1 ] || [ "$clients" -eq 2 ] || fail "$clients captures with a client's finding, expected 2"

# fault FILTER FAULT ID...: the fault's captures are flagged with each ID.
fault() {
  local filter=$1 name=$2
  shift 2
  rm -rf "$WORK/faulty"
  "$MQTTSPEC" run --fault "$name" --filter "$filter" --pcap "$WORK/faulty" >"$WORK/faulty.log" 2>&1
  : >"$WORK/ids.txt"
  for p in "$WORK"/faulty/*.pcap; do
    "$MQTTSPEC" analyze "$p" --json "$WORK/a.json" >/dev/null 2>&1
    ids_of "$WORK/a.json" >>"$WORK/ids.txt"
  done
  for id in "$@"; do
    grep -qx -- "$id" "$WORK/ids.txt" || fail "--fault $name: no finding $id in $(sort -u "$WORK/ids.txt" | tr '\n' ' ')"
  done
}
# Each fault with the cases whose traffic shows it (a few analyses each: the sanitizer
# build is slow to start).
fault '*qos2*' qos2-twice MQTT-4.3.3-2 MQTT-4.3.3-10
fault '*redelivery*' no-dup-on-redelivery MQTT-3.3.1-1
fault '*ordering*' reorder MQTT-4.6.0-5 MQTT-4.6.0-6
fault '*will*' will-on-disconnect MQTT-3.14.4-3
echo "$n of $i clean captures analysed without a finding against the broker; four faults found in their captures"
