#!/usr/bin/env bash
# `mqttspec analyze` against tshark on one large capture of real MQTT traffic, in the
# same run. The capture: mosquitto on a loopback port of its own, 8 subscribers
# (3.1.1 and 5.0, QoS 1 and 2) and rounds of PUBLISHERS publishers (3.1.1 and 5.0,
# half at QoS 1, half at QoS 2, a new connection each round, MESSAGES messages of
# PAYLOAD bytes each), recorded by tcpdump until the file reaches SIZE_MB. Then
#   mqttspec analyze FILE --port P -q --json ...
#   tshark -r FILE -d tcp.port==P,mqtt -Y mqtt -T fields -e mqtt.msgtype
# each timed (wall, CPU, max RSS) on the file just written (in the page cache), and
# their per-type packet counts printed side by side with what the clients sent and
# received (the ground truth, for when tshark miscounts, as it is said to on very large
# captures).
#
#   scripts/bench_analyze.sh [--size MB] [--keep FILE] [--reuse FILE] [--bin path/to/mqttspec]
#   SIZE_MB=300 PUBLISHERS=12 MESSAGES=2000 PAYLOAD=256 scripts/bench_analyze.sh
#
# --keep FILE keeps the capture (and FILE.truth, the clients' counts and the port);
# --reuse FILE times a kept capture again without making a new one. The binary is
# build/release/harness/mqttspec if built (cmake --preset release && cmake --build
# build/release --target mqttspec), else build/default's. Needs root (capture),
# mosquitto, mosquitto-clients, tcpdump, tshark; GNU time for CPU time and RSS.
set -euo pipefail
size_mb=${SIZE_MB:-300}
publishers=${PUBLISHERS:-12}
messages=${MESSAGES:-2000}
payload=${PAYLOAD:-256}
keep='' reuse='' bin=''
while [ $# -gt 0 ]; do
  case $1 in
    --size) size_mb=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --reuse) reuse=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    *) echo "usage: $0 [--size MB] [--keep FILE] [--reuse FILE] [--bin path/to/mqttspec]" >&2; exit 2 ;;
  esac
done
# Paths given are the caller's; from here on the repository is the working directory.
for v in keep reuse bin; do [ -z "${!v}" ] || printf -v "$v" '%s' "$(realpath -m "${!v}")"; done
cd "$(dirname "$0")/.."
if [ -z "$bin" ]; then
  bin=build/release/harness/mqttspec
  [ -x "$bin" ] || bin=build/default/harness/mqttspec
fi
[ -x "$bin" ] || { echo "no $bin: build it first (scripts/build.sh release)" >&2; exit 2; }
tools=(tshark)
[ -n "$reuse" ] || tools+=(mosquitto mosquitto_pub mosquitto_sub tcpdump)
for tool in "${tools[@]}"; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 2; }
done
[ -n "$reuse" ] || [ "$(id -u)" -eq 0 ] || { echo "capturing on loopback needs root" >&2; exit 2; }

# shellcheck source=lib/processes.sh
source scripts/lib/processes.sh

types=(CONNECT CONNACK PUBLISH PUBACK PUBREC PUBREL PUBCOMP SUBSCRIBE SUBACK UNSUBSCRIBE UNSUBACK PINGREQ PINGRESP DISCONNECT AUTH)
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
bytes() { stat -c %s "$1"; }

if [ -n "$reuse" ]; then
  capture=$reuse
  if [ ! -r "$capture" ] || [ ! -r "$capture.truth" ]; then
    echo "no $capture or $capture.truth (made by --keep)" >&2
    exit 2
  fi
  cp "$capture.truth" "$work/truth"
else
  capture=${keep:-$work/capture.pcap}
  truth=$work/truth
  # A port of our own: never 1883 (a system broker may be there), below the kernel's
  # ephemeral range, so that the capture filter catches no other test's client.
  for _ in 1 2 3 4 5; do
    port=$(( 20000 + RANDOM % 12000 ))
    # No queue limit: a subscriber that falls behind gets every message late rather
    # than some never, so that the clients' counts add up.
    printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nlog_type none\nmax_queued_messages 0\nmax_inflight_messages 0\n' \
      "$port" >"$work/mosquitto.conf"
    mosquitto -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
    broker=$!
    sleep 0.3
    kill -0 "$broker" 2>/dev/null && break
  done
  pids+=("$broker")
  kill -0 "$broker" 2>/dev/null || { echo "mosquitto did not start:" >&2; cat "$work/mosquitto.log" >&2; exit 1; }
  echo "port $port" >"$truth"

  # -s 0: whole frames; -B: 256 MiB of kernel buffer, so that no frame is dropped while
  # tcpdump waits for the disk; -Z root: Debian's tcpdump otherwise drops to user
  # tcpdump, who may not write where the file goes.
  tcpdump -i lo -s 0 -B 262144 -Z root -w "$capture" "tcp port $port" 2>"$work/tcpdump.log" &
  dump=$!
  pids+=("$dump")
  for _ in $(seq 100); do
    grep -q "listening on" "$work/tcpdump.log" 2>/dev/null && break
    sleep 0.1
  done
  grep -q "listening on" "$work/tcpdump.log" || { echo "tcpdump did not start:" >&2; cat "$work/tcpdump.log" >&2; exit 1; }

  # Subscribers: each version, at QoS 1 and 2, to the QoS 1 and the QoS 2 publishers'
  # topics (so that the QoS of each delivery, min of the two, is known). One line per
  # message. 5.0 at QoS 2 asks for a Receive Maximum of 65535: under load mosquitto
  # 2.0.11 at times sends a 5.0 client more unacknowledged PUBLISHes than its Receive
  # Maximum (analyze reports MQTT-3.3.4-9), and with the default of 20 libmosquitto
  # then drops a QoS 2 subscription ("protocol error").
  subs=()
  for v in mqttv311 mqttv5; do
    for sq in 1 2; do
      for tq in 1 2; do
        name=sub-$v-q$sq-t$tq props=()
        [ "$v" = mqttv5 ] && [ "$sq" = 2 ] && props=(-D connect receive-maximum 65535)
        timeout 900 mosquitto_sub -V "$v" -p "$port" -t "bench/q$tq/#" -q "$sq" -i "$name" "${props[@]}" -F . \
          >"$work/$name.out" 2>"$work/$name.err" &
        pids+=($!)
        subs+=("$name:$!:$sq:$tq")
      done
    done
  done
  sleep 1

  # Each publisher's messages: lines of $payload bytes, a sequence number first.
  awk -v n="$messages" -v len="$payload" 'BEGIN { pad = sprintf("%*s", len, ""); gsub(/ /, "x", pad)
    for (i = 1; i <= n; i++) { s = sprintf("%08d ", i); print s substr(pad, length(s) + 1) } }' >"$work/lines"
  # catch_up SECONDS: waits until every subscriber has every message of its topic sent
  # so far; fails if SECONDS pass with none of them getting any further.
  catch_up() {
    local s name pid sq tq got total short last=-1 until=0
    while :; do
      total=0 short=0
      for s in "${subs[@]}"; do
        IFS=: read -r name pid sq tq <<<"$s"
        got=$(wc -l <"$work/$name.out")
        total=$((total + got))
        [ "$got" -ge "$(( tq == 1 ? sent_q1 : sent_q2 ))" ] || short=1
      done
      [ "$short" = 0 ] && return 0
      [ "$total" = "$last" ] || last=$total until=$(( $(date +%s) + $1 ))
      [ "$(date +%s)" -lt "$until" ] || return 1
      sleep 0.2
    done
  }
  target=$((size_mb * 1024 * 1024))
  deadline=$(( $(date +%s) + 300 ))
  rounds=0 sent_q1=0 sent_q2=0
  t0=$(now)
  while [ "$(bytes "$capture")" -lt "$target" ]; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "note: 300 s of traffic made $(($(bytes "$capture") / 1048576)) MB, not $size_mb: timing that" >&2
      break
    fi
    rounds=$((rounds + 1))
    round=()
    for i in $(seq "$publishers"); do
      q=$(( i % 2 + 1 )) v=mqttv311
      (( (i / 2) % 2 )) && v=mqttv5
      timeout 300 mosquitto_pub -V "$v" -p "$port" -t "bench/q$q/p$i" -q "$q" -l -i "pub$i-r$rounds" \
        <"$work/lines" 2>>"$work/pub.err" &
      pids+=($!)
      round+=("$!:$q")
    done
    for r in "${round[@]}"; do
      wait "${r%%:*}" || { echo "a publisher failed:" >&2; cat "$work/pub.err" >&2; exit 1; }
      if [ "${r##*:}" = 1 ]; then sent_q1=$((sent_q1 + messages)); else sent_q2=$((sent_q2 + messages)); fi
    done
    # The subscribers catch up before the next round: with ever longer queues mosquitto
    # 2.0.11 stalled QoS 2 deliveries (PUBREC answered by no PUBREL) and left PINGREQs
    # unanswered, and its clients reconnected, in two runs out of three.
    catch_up 30 || { echo "note: the subscribers got no further for 30 s: no more rounds" >&2; break; }
  done
  echo "traffic: $rounds rounds of $publishers publishers x $messages messages of $payload bytes in $(secs "$t0") s"
  # Each subscriber disconnects (SIGTERM: a DISCONNECT).
  for s in "${subs[@]}"; do
    IFS=: read -r name pid sq tq <<<"$s"
    stop "$pid"
    got=$(wc -l <"$work/$name.out") want=$(( tq == 1 ? sent_q1 : sent_q2 ))
    [ "$got" -eq "$want" ] || echo "note: $name received $got of $want messages: $(cat "$work/$name.err")" >&2
    echo "received $name $got $sq $tq" >>"$truth"
  done
  # Frames still in the kernel's ring block are delivered within its 1 s timeout.
  sleep 1.5
  kill -INT "$dump"
  wait "$dump" 2>/dev/null || true
  stop "$broker"
  dropped=$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by kernel.*/\1/p' "$work/tcpdump.log")
  [ "${dropped:-0}" -eq 0 ] || echo "note: tcpdump says the kernel dropped $dropped frames: the capture lacks them" >&2
  cat >>"$truth" <<EOF
frames $(sed -n 's/^\([0-9]*\) packets\{0,1\} captured.*/\1/p' "$work/tcpdump.log")
sent_q1 $sent_q1
sent_q2 $sent_q2
connections $(( ${#subs[@]} + rounds * publishers ))
subscribers ${#subs[@]}
EOF
  [ -z "$keep" ] || cp "$truth" "$keep.truth"
fi
port=$(awk '$1 == "port" { print $2 }' "$work/truth")

# The ground truth, per type, from the clients' counts: each message a subscriber got
# is a delivery at min(subscription QoS, publisher QoS); every connection here
# connected and disconnected cleanly. Keep-alive pings are not counted by the clients.
awk '$1 == "sent_q1" { q1 = $2 } $1 == "sent_q2" { q2 = $2 } $1 == "connections" { c = $2 } $1 == "subscribers" { s = $2 }
  $1 == "received" { d += $3; if ($4 == 1 || $5 == 1) d1 += $3; else d2 += $3 }
  END { print "CONNECT", c; print "CONNACK", c; print "PUBLISH", q1 + q2 + d; print "PUBACK", q1 + d1
        print "PUBREC", q2 + d2; print "PUBREL", q2 + d2; print "PUBCOMP", q2 + d2; print "SUBSCRIBE", s
        print "SUBACK", s; print "DISCONNECT", c }' "$work/truth" >"$work/clients.counts"

# The file is in the page cache for both tools.
cat "$capture" >/dev/null
# timed NAME CMD...: runs CMD with GNU time into $work/NAME.time: wall, user, sys (s), max RSS (KiB).
timed() {
  local name=$1
  shift
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%e %U %S %M' -o "$work/$name.time" "$@"
  else
    local TIMEFORMAT='%R %U %S -'
    { time "$@" 2>"$work/$name.err2"; } 2>"$work/$name.time"
  fi
}
echo "timing mqttspec analyze ($bin) and tshark $(tshark --version 2>/dev/null | head -1 | awk '{print $3}') on $capture"
status=0
timed analyze timeout 600 "$bin" analyze "$capture" --port "$port" -q --json "$work/analyze.json" \
  >"$work/analyze.out" 2>&1 || status=$?
if [ "$status" -gt 1 ]; then
  echo "mqttspec analyze failed (exit $status):" >&2
  tail -20 "$work/analyze.out" >&2
  exit 1
fi
timed tshark timeout 900 tshark -r "$capture" -d "tcp.port==$port,mqtt" -Y mqtt -T fields -e mqtt.msgtype \
  >"$work/tshark.txt" 2>"$work/tshark.err" || { echo "tshark failed:" >&2; tail "$work/tshark.err" >&2; exit 1; }

awk -F, 'BEGIN { split("CONNECT CONNACK PUBLISH PUBACK PUBREC PUBREL PUBCOMP SUBSCRIBE SUBACK UNSUBSCRIBE UNSUBACK PINGREQ PINGRESP DISCONNECT AUTH", n, " ") }
  { for (i = 1; i <= NF; i++) c[n[$i]]++ }
  END { for (t in c) print t, c[t] }' "$work/tshark.txt" >"$work/tshark.counts"
# Reads analyze's JSON with whatever is here: python3, else jq.
if command -v python3 >/dev/null; then
  python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
for t, n in r["packets"].items(): print(t, n)
print("_frames", r["capture"].get("frames", "?"))
print("_connections", len(r.get("connections", [])))
print("_findings", len(r.get("findings", [])))
ids = {}
for f in r.get("findings", []): ids[f["spec_id"]] = ids.get(f["spec_id"], 0) + 1
print("_ids", " ".join(f"{k} x{n}" for k, n in sorted(ids.items())) or "-")
' "$work/analyze.json" >"$work/analyze.counts"
elif command -v jq >/dev/null; then
  jq -r '(.packets | to_entries[] | "\(.key) \(.value)"), "_frames \(.capture.frames // "?")",
    "_connections \(.connections | length)", "_findings \(.findings | length)",
    "_ids \([.findings[].spec_id] | group_by(.) | map("\(.[0]) x\(length)") | join(" ") | if . == "" then "-" else . end)"' \
    "$work/analyze.json" >"$work/analyze.counts"
else
  echo "neither python3 nor jq: cannot read analyze's JSON" >&2
  exit 2
fi
get() { awk -v k="$2" '$1 == k { print $2; found = 1 } END { if (!found) print 0 }' "$work/$1"; }

size=$(bytes "$capture")
frames=$(get analyze.counts _frames)
[ "$frames" = "$(get truth frames)" ] || frames="$frames (analyze), $(get truth frames) (tcpdump)"
# (GNU time puts "Command exited with non-zero status N" first when it is not 0.)
read -r a_wall a_user a_sys a_rss < <(tail -n 1 "$work/analyze.time")
read -r t_wall t_user t_sys t_rss < <(tail -n 1 "$work/tshark.time")
echo
echo "capture: $(awk -v s="$size" 'BEGIN { printf "%.1f MB (%d bytes)", s / 1048576, s }'), $frames frames," \
  "$(get analyze.counts _connections) connections; analyze exit $status, $(get analyze.counts _findings) findings" \
  "($(sed -n 's/^_ids //p' "$work/analyze.counts"))"
printf '%-12s %12s %12s %12s\n' type analyze tshark clients
total=0 tshark_off=() clients_off=() analyze_off=()
for t in "${types[@]}"; do
  a=$(get analyze.counts "$t") s=$(get tshark.counts "$t") c=$(get clients.counts "$t")
  total=$((total + a))
  [ "$a$s" = 00 ] && continue
  # Keep-alive pings are the one type the clients do not count.
  case $t in PINGREQ | PINGRESP) c=- ;; esac
  mark=
  if [ "$c" = - ] || [ "$a" = "$c" ]; then
    [ "$a" = "$s" ] || { mark=" tshark is off"; tshark_off+=("$t"); }
  elif [ "$a" = "$s" ]; then
    mark=" both tools agree, the clients differ"; clients_off+=("$t")
  else
    mark=" analyze differs from the clients"; analyze_off+=("$t")
  fi
  printf '%-12s %12s %12s %12s%s\n' "$t" "$a" "$s" "$c" "$mark"
done
printf '%-12s %12s %12s\n' total "$total" "$(awk -F, '{ n += NF } END { print n }' "$work/tshark.txt")"
[ ${#tshark_off[@]} -eq 0 ] || echo "note: tshark's counts differ from the clients' (the ground truth) for ${tshark_off[*]}"
[ ${#clients_off[@]} -eq 0 ] ||
  echo "note: analyze and tshark agree and the clients differ for ${clients_off[*]}: a subscriber fell short or reconnected (notes above)"
[ ${#analyze_off[@]} -eq 0 ] || echo "WARNING: analyze's counts differ from tshark's and the clients' for ${analyze_off[*]}"
echo
awk -v aw="$a_wall" -v au="$a_user" -v as="$a_sys" -v ar="$a_rss" -v tw="$t_wall" -v tu="$t_user" -v ts="$t_sys" -v tr="$t_rss" \
  -v size="$size" -v n="$total" 'BEGIN {
  printf "%-16s %9s %9s %12s\n", "", "wall s", "CPU s", "max RSS MiB"
  printf "%-16s %9.2f %9.2f %12s\n", "mqttspec analyze", aw, au + as, ar == "-" ? "-" : sprintf("%.0f", ar / 1024)
  printf "%-16s %9.2f %9.2f %12s\n", "tshark", tw, tu + ts, tr == "-" ? "-" : sprintf("%.0f", tr / 1024)
  ac = au + as; if (ac <= 0) ac = 0.001; if (aw <= 0) aw = 0.001
  printf "speed ratio (tshark / analyze): %.1fx wall, %.1fx CPU\n", tw / aw, (tu + ts) / ac
  # Two threads: reading, reassembly and decoding on one, the checkers on the other.
  printf "analyze (2 threads): %.2f M MQTT packets/s and %.0f MB/s per CPU second; %.2f M packets/s, %.0f MB/s wall\n",
    n / ac / 1e6, size / 1048576 / ac, n / aw / 1e6, size / 1048576 / aw
}'
echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
