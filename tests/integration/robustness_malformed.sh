#!/bin/bash
# Every malformed packet of malformed.txt, each on its own connection, all open at once:
# each such connection is closed by the broker, while a healthy subscriber keeps
# receiving and the broker keeps accepting clients. Repeated ROUNDS times.
# Usage: robustness_malformed.sh MQTTSPEC [ROUNDS]
source "$(dirname "$0")/lib.sh" "$1"
ROUNDS=${2:-5}
TABLE="$(dirname "$0")/malformed.txt"
start_broker
sub healthy -V mqttv5 -q 1 -t it/healthy

# hex_bytes "10 0d | 00 04": printf escapes for those bytes.
hex_bytes() { local h=${1//[ |]/}; local out="" i; for ((i = 0; i < ${#h}; i += 2)); do out+="\\x${h:i:2}"; done; echo "$out"; }
# connect_hex PROTOCOL N: a valid CONNECT with client id "mNNNN".
connect_hex() {
  local id; id=$(printf 'm%04d' "$2" | od -An -tx1 | tr -d ' \n')
  if [ "$1" = 5 ]; then echo "10 12 00 04 4d 51 54 54 05 02 00 3c 00 00 05 $id"
  else echo "10 11 00 04 4d 51 54 54 04 02 00 3c 00 05 $id"; fi
}

n=0
for round in $(seq "$ROUNDS"); do
  fds=() names=()
  while IFS='|' read -r when proto rest; do
    [[ -z "$when" || "$when" == \#* ]] && continue
    hex=${rest%|*}
    name=${rest##*|}
    n=$((n + 1))
    exec {fd}<>"/dev/tcp/127.0.0.1/$PORT" || fail "connection $n refused: the broker stopped accepting"
    bytes=""
    [ "$when" = after ] && bytes=$(hex_bytes "$(connect_hex "$proto" "$n")")
    bytes+=$(hex_bytes "$hex")
    printf "$bytes" >&"$fd" 2>/dev/null  # a broker may close before reading all
    fds+=("$fd") names+=("$name")
  done <"$TABLE"
  for i in "${!fds[@]}"; do
    fd=${fds[$i]}
    timeout 3 cat <&"$fd" >/dev/null 2>&1
    [ $? -eq 124 ] && fail "round $round: connection not closed after: ${names[$i]}"
    exec {fd}<&-
  done
  pub -V mqttv311 -q 1 -t it/healthy -m "alive-$round"
  wait_for "$WORK/healthy.log" "^MSG 1 0 it/healthy alive-$round\$"
done
kill -0 "$BROKER_PID" || fail "the broker died"
stop_broker
echo "PASS robustness_malformed: $n malformed connections closed, healthy client served"
