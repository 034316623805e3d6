#!/bin/bash
# Bad captures get a clear message or an empty result, never a crash or a hang:
# missing, empty, garbage and truncated files, bad options. (Absurd MQTT lengths and
# streams that start mid-packet: tests/harness/analyze.)
source "$(dirname "$0")/lib.sh" "$1"
DATA=$(cd "$(dirname "$0")/../data/captures" && pwd)

analyze() {  # analyze EXPECTED_RC REGEX ARGS...: exit status and a line of stdout+stderr
  local want=$1 re=$2
  shift 2
  timeout 20 "$MQTTSPEC" analyze "$@" >"$WORK/out.txt" 2>&1 </dev/null
  local rc=$?
  [ "$rc" -eq "$want" ] || fail "analyze $* exited $rc, expected $want: $(head -5 "$WORK/out.txt")"
  grep -Eq -- "$re" "$WORK/out.txt" || fail "analyze $*: '$(head -5 "$WORK/out.txt")' does not match '$re'"
}

analyze 2 'No such file|cannot open' "$WORK/missing.pcap"
: >"$WORK/empty.pcap"
analyze 2 'empty|too short|not a' "$WORK/empty.pcap"
head -c 4096 /dev/urandom >"$WORK/garbage.pcap"
analyze 2 'not a pcap|pcapng|magic' "$WORK/garbage.pcap"
analyze 2 'give one capture' 
analyze 2 'not a TCP port' "$DATA/ethernet.pcap" --port 70000
analyze 2 'must be 3.1.1 or 5' "$DATA/ethernet.pcap" --protocol 4

# A file cut in the middle of a record: what came before is still judged.
whole="$DATA/ethernet.pcap"
size=$(stat -c %s "$whole")
head -c $((size - 7)) "$whole" >"$WORK/cut.pcap"
analyze 0 'ends early' "$WORK/cut.pcap"

# Every committed capture reads without an error.
for f in "$DATA"/*.pcap "$DATA"/*.pcapng; do
  analyze 0 'findings: 0' "$f"
done
echo "bad captures: clear errors, no crash"
