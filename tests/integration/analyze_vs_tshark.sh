#!/bin/bash
# `mqttspec analyze` counts the same MQTT packets per type as tshark's dissector on
# every committed test capture (each link type, fragments, reassembly cases).
source "$(dirname "$0")/lib.sh" "$1"
command -v tshark >/dev/null || { echo "SKIP: tshark is not installed"; exit 77; }
DATA=$(cd "$(dirname "$0")/../data/captures" && pwd)
names=(reserved CONNECT CONNACK PUBLISH PUBACK PUBREC PUBREL PUBCOMP SUBSCRIBE SUBACK UNSUBSCRIBE UNSUBACK
       PINGREQ PINGRESP DISCONNECT AUTH)
checked=0
for f in "$DATA"/*.pcap "$DATA"/*.pcapng; do
  # tshark names the packets whose frames the snaplen cut; their bytes are not in the
  # file, and mqttspec reports them as missing instead.
  [ "$(basename "$f")" = snaplen_cut.pcap ] && continue
  # tshark: one line per frame, several packets of one frame comma-separated.
  ours=$(timeout 20 "$MQTTSPEC" analyze "$f" -q | sed -n 's/^  packets: //p' | tr -s ' ' '\n' | paste -d' ' - -)
  theirs=$(timeout 60 tshark -r "$f" -Y mqtt -T fields -e mqtt.msgtype 2>/dev/null | tr ',' '\n' | grep -v '^$' |
           sort -n | uniq -c | while read -r n t; do echo "${names[$t]} $n"; done)
  # tcp_cases.pcap: tshark does not dissect the PUBLISH captured after the PINGREQ that
  # follows it in the stream (out of order, then retransmitted); reassembly reads it.
  [ "$(basename "$f")" = tcp_cases.pcap ] && theirs=$(sed 's/^PUBLISH 2$/PUBLISH 3/' <<<"$theirs")
  [ "$(sort <<<"$ours")" = "$(sort <<<"$theirs")" ] ||
    fail "$(basename "$f"): mqttspec counts [$(tr '\n' ' ' <<<"$ours")], tshark [$(tr '\n' ' ' <<<"$theirs")]"
  checked=$((checked + 1))
done
echo "$checked captures: the same per-type counts as tshark"
