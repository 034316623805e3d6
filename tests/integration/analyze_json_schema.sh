#!/bin/bash
# `mqttspec analyze --json` writes documents that conform to
# reports/schemas/analysis.schema.json: clean, faulted, mid-stream and cut captures.
source "$(dirname "$0")/lib.sh" "$1"
CHECK=$2
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
docs=()
for f in "$ROOT"/tests/data/captures/*.pcap*; do
  out="$WORK/$(basename "$f").json"
  "$MQTTSPEC" analyze "$f" --json "$out" --report "$WORK/report" >/dev/null || fail "analyze $f"
  docs+=("$out")
done
"$MQTTSPEC" run --fault qos2-twice --filter '*qos*' --pcap "$WORK/faulty" >/dev/null 2>&1
n=0
for f in "$WORK"/faulty/*.pcap; do
  "$MQTTSPEC" analyze "$f" --json "$WORK/faulty-$n.json" >/dev/null
  docs+=("$WORK/faulty-$n.json")
  n=$((n + 1))
done
grep -q '"severity": "MUST"' "$WORK"/faulty-*.json || fail "no finding in the faulted captures"
"$CHECK" "$ROOT/reports/schemas/analysis.schema.json" "${docs[@]}" >"$WORK/check.log" 2>&1 ||
  { cat "$WORK/check.log"; fail "documents do not conform"; }
echo "${#docs[@]} analyses conform to the schema"
