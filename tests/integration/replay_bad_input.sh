#!/bin/bash
# `mqttspec replay` on bad input: missing, empty, garbage and truncated captures, a
# capture with no MQTT, bad options, and brokers that never answer, answer garbage or
# close at once. Each gets a clear message and its exit status within a time limit,
# never a crash or a hang.
source "$(dirname "$0")/lib.sh" "$1"
DATA=$(cd "$(dirname "$0")/../data/captures" && pwd)

replay() {  # replay EXPECTED_RC REGEX ARGS...: exit status, a line of stdout+stderr, within 30 s
  local want=$1 re=$2 start=$SECONDS
  shift 2
  timeout 60 "$MQTTSPEC" replay "$@" >"$WORK/out.txt" 2>&1 </dev/null
  local rc=$?
  [ "$rc" -eq "$want" ] || fail "replay $* exited $rc, expected $want: $(head -20 "$WORK/out.txt")"
  grep -Eq -- "$re" "$WORK/out.txt" || fail "replay $*: '$(head -20 "$WORK/out.txt")' does not match '$re'"
  [ $((SECONDS - start)) -le 30 ] || fail "replay $* took $((SECONDS - start)) s"
}

replay 2 'give the capture first'
replay 2 'No such file|cannot open' "$WORK/missing.pcap"
: >"$WORK/empty.pcap"
replay 2 'empty|too short|not a' "$WORK/empty.pcap"
head -c 4096 /dev/urandom >"$WORK/garbage.pcap"
replay 2 'not a pcap|pcapng|magic' "$WORK/garbage.pcap"
head -c 24 "$DATA/ethernet.pcap" >"$WORK/header_only.pcap"
replay 2 'no MQTT connection to replay' "$WORK/header_only.pcap"
replay 2 'speed must be' "$DATA/ethernet.pcap" --speed fast
replay 2 'protocol must be' "$DATA/ethernet.pcap" --protocol 4
replay 2 'does not apply to replay' "$DATA/ethernet.pcap" --suite scenarios
replay 2 'needs a value' "$DATA/ethernet.pcap" --to-yaml

# Cut in the middle of a record: a warning, and what came before replays.
size=$(stat -c %s "$DATA/ethernet.pcap")
head -c $((size - 7)) "$DATA/ethernet.pcap" >"$WORK/cut.pcap"
replay 0 'warning: .*truncated at frame' "$WORK/cut.pcap"

# Brokers that accept the connection and then never answer, answer garbage, or close.
start_peer() {  # start_peer MODE: sets PEER (its port)
  python3 -u -c '
import socket, sys, threading, time
mode = sys.argv[1]
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(64)
print(s.getsockname()[1], flush=True)
held = []
def serve(c):
    if mode == "garbage":
        c.sendall(b"\xff\xff\xff\xff\xff garbage")
    elif mode == "close":
        c.close()
        return
    held.append(c)
    try:
        while c.recv(4096):
            pass
    except OSError:
        pass
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
' "$1" >"$WORK/peer-$1.out" 2>"$WORK/peer-$1.log" &
  PIDS+=("$!")
  wait_for "$WORK/peer-$1.out" '^[0-9]+$'
  PEER=$(head -1 "$WORK/peer-$1.out")
}
for mode in silent garbage close; do
  start_peer "$mode"
  replay 3 'broker|CONNACK|answer|closed' "$DATA/ethernet.pcap" --broker "mqtt://127.0.0.1:$PEER"
done
echo "bad input and bad brokers: clear errors, no crash, no hang"
