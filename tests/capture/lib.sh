# Shared by the capture tests: skip without the tools or root, a work folder and the
# processes started cleaned up on exit, and mosquitto on a port of its own.
# Usage: source lib.sh TOOL...   (sets $work, appends to $pids)
for tool in "$@"; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
[ "$(id -u)" -eq 0 ] || { echo "SKIP: capturing on loopback needs root"; exit 77; }

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# start_mosquitto: sets $port and $broker. A port of our own: never 1883, where a
# system broker may listen, and below the kernel's ephemeral range, so no client of a
# concurrent test can own it and have its traffic caught by the filter. Another test
# may hold the one we draw: draw again.
start_mosquitto() {
  for _ in 1 2 3 4 5; do
    port=$(( 20000 + RANDOM % 12000 ))
    printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$port" >"$work/mosquitto.conf"
    mosquitto -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
    broker=$!
    sleep 0.3
    kill -0 "$broker" 2>/dev/null && break
  done
  pids+=("$broker")
}

# start_tcpdump FILE [PORT]: captures `tcp port PORT` ($port by default) on loopback
# into FILE (sets $dump).
# -Z root: Debian's tcpdump otherwise drops to user tcpdump, who cannot write in $work.
# --immediate-mode: without it, packets still in the kernel's ring block when tcpdump
# is interrupted are lost. -B 64 MiB: in immediate mode each ring slot takes a whole
# 64 KiB loopback frame, and the default 2 MiB (32 slots) overflowed in bursts.
start_tcpdump() {
  tcpdump -i lo -s 0 -B 65536 -U --immediate-mode -Z root -w "$1" "tcp port ${2:-$port}" 2>"$work/tcpdump.log" &
  dump=$!
  pids+=("$dump")
  for _ in $(seq 50); do
    grep -q "listening on" "$work/tcpdump.log" 2>/dev/null && break
    sleep 0.1
  done
}

# stop_tcpdump: ends the capture; fails the test if the kernel dropped frames, which
# would be the capture's fault, not analyze's.
stop_tcpdump() {
  kill -INT "$dump"
  wait "$dump" 2>/dev/null || true
  local dropped
  dropped=$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by kernel.*/\1/p' "$work/tcpdump.log")
  [ "${dropped:-0}" -eq 0 ] || { echo "FAIL: the capture is incomplete:"; cat "$work/tcpdump.log"; exit 1; }
}
