#!/usr/bin/env bash
# Golden traces: the reference broker's traces committed in tests/data/golden match a
# run of the whole suite (--traces-strict, exit 0); `record` writes them again byte for
# byte; a broker fault shows as trace differences of the cases it touches; a missing
# trace fails its case only under --traces-strict.
set -euo pipefail
mqttspec=$1
golden=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== the committed traces, strict"
"$mqttspec" run --traces "$golden" --traces-strict >"$work/same.txt"
grep -q "^traces: 206 same, 0 differ, 0 without a trace$" "$work/same.txt" || { cat "$work/same.txt"; exit 1; }

echo "== record: the same bytes"
"$mqttspec" record --traces "$work/recorded" >/dev/null
diff -r "$golden" "$work/recorded" --exclude=README.md >/dev/null || { diff -rq "$golden" "$work/recorded"; exit 1; }

echo "== a fault (qos2-twice) shows as differences"
status=0
"$mqttspec" run --traces "$golden" --fault qos2-twice --json "$work/fault.json" >"$work/fault.txt" || status=$?
[ "$status" -eq 1 ] || { echo "FAIL: exit $status"; exit 1; }
grep -q "^traces: [0-9]* same, [1-9][0-9]* differ" "$work/fault.txt" || { cat "$work/fault.txt"; exit 1; }
python3 - "$work/fault.json" <<'PY'
import json, sys
cases = json.load(open(sys.argv[1]))["cases"]
differ = [c for c in cases if c.get("trace") == "differs"]
assert differ, "no case differs"
qos2 = [c for c in differ if "qos2" in c["id"] or "exactly" in c["id"]]
assert qos2, "the QoS 2 cases should differ: " + ", ".join(c["id"] for c in differ)
extra = [d for c in differ for d in c["trace_differences"] if "PUBLISH extra" in d]
assert extra, "the second copy should show as an extra PUBLISH"
PY

echo "== times: compared with --time-tolerance only"
"$mqttspec" run --traces "$golden" --link latency_ms=20 --filter 'publish/qos1-puback@5' >"$work/untimed.txt"
grep -q "^traces: 1 same, 0 differ" "$work/untimed.txt" || { cat "$work/untimed.txt"; exit 1; }
"$mqttspec" run --traces "$golden" --link latency_ms=20 --filter 'publish/qos1-puback@5' --time-tolerance 0.001 \
  >"$work/timed.txt"
grep -q "CONNACK time: 0 us -> 40000 us" "$work/timed.txt" || { cat "$work/timed.txt"; exit 1; }

echo "== a missing trace fails only under --traces-strict"
cp -r "$golden" "$work/partial"
rm "$work/partial/publish_qos1-puback_5.pcap"
"$mqttspec" run --traces "$work/partial" --filter 'publish/qos1-puback@5' >"$work/lenient.txt"
grep -q "without a trace" "$work/lenient.txt"
status=0
"$mqttspec" run --traces "$work/partial" --filter 'publish/qos1-puback@5' --traces-strict >"$work/strict.txt" || status=$?
[ "$status" -eq 1 ] || { echo "FAIL: a missing trace under --traces-strict exits $status"; cat "$work/strict.txt"; exit 1; }
echo "ok"
