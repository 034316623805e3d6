#!/bin/bash
# `mqttspec proxy --workers 2` in front of `mqttspec broker`: both workers listen on one
# port, 200 connections are spread over both (descriptors counted in each worker's
# /proc/PID/fd: two per connection) and all get their CONNACK through the proxy, and a
# QoS 1 run beside them delivers everything. SIGTERM ends the workers with status 0; a
# worker killed outright is reported and the other serves on.
source "$(dirname "$0")/lib.sh" "$1"
start_broker

# start_proxy NAME: sets PROXY_PORT, PROXY_PID, W0 and W1 (the workers' pids).
start_proxy() {
  "$MQTTSPEC" proxy --listen 127.0.0.1:0 --target "127.0.0.1:$PORT" --workers 2 >"$WORK/$1.out" 2>"$WORK/$1.log" &
  PROXY_PID=$!
  PIDS+=("$PROXY_PID")
  wait_for "$WORK/$1.out" '^listening on 127\.0\.0\.1:[0-9]+ .*, 2 workers \(pids [0-9]+ [0-9]+\)$'
  PROXY_PORT=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$WORK/$1.out")
  read -r W0 W1 < <(sed -n 's/.*(pids \([0-9]*\) \([0-9]*\))$/\1 \2/p' "$WORK/$1.out")
  PIDS+=("$W0" "$W1")
}

fds() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }

# qos1_run: 2,000 QoS 1 messages through the proxy, every one delivered once, in order.
qos1_run() {
  timeout 30 "$MQTTSPEC" bench --broker "mqtt://127.0.0.1:$PROXY_PORT" --qos 1 --messages 2000 --window 16 \
    --timeout 20 >"$WORK/bench.out" 2>&1 || fail "QoS 1 run through the proxy: $(cat "$WORK/bench.out")"
  grep -q 'lost 0, duplicated 0, out of order 0' "$WORK/bench.out" || fail "$(cat "$WORK/bench.out")"
}

# stop_proxy STATUS: SIGTERM must end the parent with STATUS and both workers within 5 s.
stop_proxy() {
  kill -TERM "$PROXY_PID"
  local i rc
  for i in $(seq 100); do kill -0 "$PROXY_PID" 2>/dev/null || break; sleep 0.05; done
  kill -0 "$PROXY_PID" 2>/dev/null && fail "proxy still running 5 s after SIGTERM"
  wait "$PROXY_PID"
  rc=$?
  [ "$rc" -eq "$1" ] || fail "proxy exited with status $rc after SIGTERM, not $1"
  kill -0 "$W0" 2>/dev/null || kill -0 "$W1" 2>/dev/null && fail "a worker outlived the proxy"
  return 0
}

start_proxy first
base0=$(fds "$W0")
base1=$(fds "$W1")
# 200 connections held by this shell, each with an MQTT 3.1.1 CONNECT (empty client id,
# clean session, keep alive 0) answered by a CONNACK that went through a worker.
conns=()
for i in $(seq 200); do
  exec {fd}<>"/dev/tcp/127.0.0.1/$PROXY_PORT" || fail "connection $i to the proxy"
  conns+=("$fd")
  printf '\x10\x0c\x00\x04MQTT\x04\x02\x00\x00\x00\x00' >&"$fd"
done
for fd in "${conns[@]}"; do
  ack=$(timeout 5 head -c 4 <&"$fd" | od -An -tx1 | tr -d ' \n')
  [ "$ack" = 20020000 ] || fail "connection on fd $fd: expected CONNACK 20 02 00 00, got '$ack'"
done
held0=$((($(fds "$W0") - base0) / 2))
held1=$((($(fds "$W1") - base1) / 2))
echo "connections held: worker 0 $held0, worker 1 $held1"
[ $((held0 + held1)) -eq 200 ] || fail "the workers hold $held0 + $held1 connections, not 200"
[ "$held0" -gt 0 ] && [ "$held1" -gt 0 ] || fail "connections not spread: $held0 and $held1"
qos1_run
for fd in "${conns[@]}"; do exec {fd}>&-; done
stop_proxy 0

start_proxy second
kill -KILL "$W1"
wait_for "$WORK/second.log" "worker 1 \\(pid $W1\\) was killed by signal 9; its connections are lost, workers left: 1"
kill -0 "$PROXY_PID" 2>/dev/null || fail "the proxy ended with its worker"
qos1_run  # worker 0 takes every connection now
stop_proxy 1  # a worker died: not a clean run
stop_broker
echo "PASS proxy_workers"
