#!/usr/bin/env bash
# A capture that starts mid-stream, as when one taps a running device: a sensor that
# publishes a reading every 100 ms and a subscriber, both connected to a mosquitto
# broker on a non-standard port before the capture (tshark, so pcapng) starts: it
# holds no CONNECT. `mqttspec analyze --port P` must still decode their packets (the
# same per-type counts as tshark), find nothing wrong, say how it found the protocol
# version ("inferred", or "option": from --protocol, which it must take when told).
# `mqttspec replay --protocol V` must replay both connections (a CONNECT and the
# subscription of its own first), and list them as not replayed without --protocol.
set -euo pipefail
mqttspec=$1
source "$(dirname "$0")/lib.sh" mosquitto mosquitto_pub mosquitto_sub tshark python3

start_mosquitto

# Packets per type, as tshark counts them (one frame may hold several, comma-separated).
tshark_counts() {
  tshark -r "$1" -d "tcp.port==$port,mqtt" -Y mqtt -T fields -e mqtt.msgtype 2>/dev/null |
    awk -F, 'BEGIN { split("CONNECT CONNACK PUBLISH PUBACK PUBREC PUBREL PUBCOMP SUBSCRIBE SUBACK UNSUBSCRIBE UNSUBACK PINGREQ PINGRESP DISCONNECT AUTH", n, " ") }
      { for (i = 1; i <= NF; i++) c[n[$i]]++ }
      END { for (t in c) print t, c[t] }' | sort
}

# Reads analyze's JSON: the packet counts, then one line per problem.
check_json() {
  python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
version, protocol = sys.argv[2], sys.argv[3]
for t, n in sorted(r["packets"].items()):
    if n: print(t, n)
if r["capture"]["format"] != "pcapng": print("PROBLEM: capture format", r["capture"]["format"], "(pcapng expected)")
if r["packets"].get("CONNECT"): print("PROBLEM: a CONNECT in a capture that has none")
if len(r["connections"]) != 2: print("PROBLEM:", len(r["connections"]), "connections (2 expected: sensor and subscriber)")
for c in r["connections"]:
    want_from = ["option"] if protocol else ["inferred", "option"]
    if c.get("version_from") not in want_from or c.get("version") != version:
        print("PROBLEM: connection", c.get("id"), "version", c.get("version"), "from", c.get("version_from"),
              "(" + version, "from", " or ".join(want_from), "expected)")
' "$@"
}

# Every analysis runs; the failures are listed at the end.
failed=()
for v in mqttv311 mqttv5; do
  version=3.1.1 props=()
  # A property makes the 5.0 PUBLISH look like one, as most 5.0 devices' do.
  [ "$v" = mqttv5 ] && version=5 props=(-D publish user-property unit C)
  timeout 30 mosquitto_sub -V "$v" -p "$port" -t "dev/$v/#" -q 1 -i "display-$v" >"$work/sub-$v.out" &
  sub=$!
  pids+=("$sub")
  for i in $(seq 200); do echo "reading $i"; sleep 0.1; done |
    timeout 30 mosquitto_pub -V "$v" -p "$port" -t "dev/$v/temp" -q 1 -l -i "sensor-$v" "${props[@]}" &
  sensor=$!
  pids+=("$sensor")
  # Both connected and the readings flowing before the capture starts.
  for _ in $(seq 50); do
    [ "$(wc -l <"$work/sub-$v.out")" -ge 3 ] && break
    sleep 0.1
  done
  [ "$(wc -l <"$work/sub-$v.out")" -ge 3 ] || { echo "FAIL: the $v subscriber gets no readings"; cat "$work/mosquitto.log"; exit 1; }

  tshark -i lo -B 64 -f "tcp port $port" -w "$work/capture-$v.pcapng" -q >"$work/tshark-$v.log" 2>&1 &
  capture=$!
  pids+=("$capture")
  for _ in $(seq 50); do
    grep -q "Capturing on" "$work/tshark-$v.log" 2>/dev/null && break
    sleep 0.1
  done
  sleep 2
  kill -INT "$capture"
  wait "$capture" 2>/dev/null || true
  # Frames lost by the capture (tshark then says "N packets dropped") are not analyze's fault.
  ! grep -q "dropped" "$work/tshark-$v.log" || { echo "FAIL: the capture is incomplete:"; cat "$work/tshark-$v.log"; exit 1; }
  kill "$sub" "$sensor" 2>/dev/null || true
  wait "$sub" "$sensor" 2>/dev/null || true

  tshark_counts "$work/capture-$v.pcapng" >"$work/tshark-$v.counts"
  for protocol in "" "$version"; do
    args=(--port "$port")
    [ -n "$protocol" ] && args+=(--protocol "$protocol")
    status=0
    "$mqttspec" analyze "$work/capture-$v.pcapng" "${args[@]}" --json "$work/out.json" >"$work/analyze.txt" 2>&1 || status=$?
    echo "== $v: mqttspec analyze capture.pcapng ${args[*]}"
    cat "$work/analyze.txt"
    if [ ! -s "$work/out.json" ]; then
      echo "FAIL: analyze exited $status and wrote no JSON"; failed+=("$v ${args[*]}"); continue
    fi
    out=$(check_json "$work/out.json" "$version" "$protocol")
    counts=$(grep -v '^PROBLEM' <<<"$out" || true)
    problems=$(grep '^PROBLEM' <<<"$out" || true)
    [ "$status" -eq 0 ] || problems+=$'\n'"PROBLEM: analyze exited $status (0 expected: no finding)"
    publishes=$(awk '$1 == "PUBLISH" { print $2 }' <<<"$counts")
    [ "${publishes:-0}" -gt 0 ] || problems+=$'\n'"PROBLEM: no PUBLISH decoded"
    [ "$counts" = "$(cat "$work/tshark-$v.counts")" ] || problems+=$'\n'"PROBLEM: analyze and tshark count different packets"
    if [ -n "$problems" ]; then
      echo "FAIL:"; echo "$problems"
      echo "analyze:"; echo "$counts"; echo "tshark:"; cat "$work/tshark-$v.counts"
      failed+=("$v ${args[*]}")
      continue
    fi
    echo "ok: $publishes PUBLISH decoded mid-stream; $(python3 -c '
import json, sys
print("; ".join("connection %s: version %s from %s" % (c["id"], c["version"], c["version_from"])
                for c in json.load(open(sys.argv[1]))["connections"]))
' "$work/out.json")"
    rm "$work/out.json"
  done

  # replay reads the connections the capture joined late when told their version: a
  # CONNECT of its own, the subscription the deliveries came from, then the client's
  # packets. Both connections replay and pass against the reference broker.
  status=0
  "$mqttspec" replay "$work/capture-$v.pcapng" >"$work/replay.txt" 2>&1 || status=$?
  if [ "$status" -ne 2 ] || [ "$(grep -c 'not replayed: .*replay --protocol' "$work/replay.txt")" -ne 2 ]; then
    cat "$work/replay.txt"; echo "FAIL: replay without --protocol: exit $status (2 expected), both connections listed"
    failed+=("$v replay"); continue
  fi
  status=0
  "$mqttspec" replay "$work/capture-$v.pcapng" --protocol "$version" --json "$work/replay.json" >"$work/replay.txt" 2>&1 ||
    status=$?
  echo "== $v: mqttspec replay capture.pcapng --protocol $version"
  head -3 "$work/replay.txt"
  verdicts=$(python3 -c '
import json, sys
print(" ".join(sorted(c["verdict"] for c in json.load(open(sys.argv[1]))["cases"])))
' "$work/replay.json" 2>/dev/null || true)
  "$mqttspec" replay "$work/capture-$v.pcapng" --protocol "$version" --to-yaml "$work/late.yaml" >/dev/null 2>&1 || true
  grep -q "# synthesised" "$work/late.yaml" 2>/dev/null ||
    { echo "FAIL: the scenario of a late connection names no synthesised step"; failed+=("$v replay"); continue; }
  if [ "$status" -ne 0 ] || [ "$verdicts" != "pass pass" ]; then
    cat "$work/replay.txt"; echo "FAIL: replay --protocol $version: exit $status, verdicts '$verdicts' ('pass pass' expected)"
    failed+=("$v replay")
  fi
done
[ ${#failed[@]} -eq 0 ] || { echo "FAIL: ${#failed[@]} of 4 analyses and 2 replays (above):"; printf '  %s\n' "${failed[@]}"; exit 1; }
echo "mid-stream captures of both versions decoded and replayed"
