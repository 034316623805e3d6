#!/bin/bash
# mosquitto_pub -> mqttspec broker -> mosquitto_sub at QoS 0, 1 and 2; the delivered
# QoS is the minimum of the published and the subscribed QoS (MQTT-3.8.4-6/-8).
# Usage: interop_qos.sh MQTTSPEC mqttv311|mqttv5
source "$(dirname "$0")/lib.sh" "$1"
V=$2
start_broker
for q in 0 1 2; do
  sub s$q -V "$V" -q "$q" -t "it/qos$q" -C 2
  pub -V "$V" -q "$q" -t "it/qos$q" -m "hello-$q"
  pub -V "$V" -q 2 -t "it/qos$q" -m "high-$q"
  pid_var="s${q}_pid"
  wait "${!pid_var}" || fail "mosquitto_sub at QoS $q exited with $?"
  grep -q "^MSG $q 0 it/qos$q hello-$q\$" "$WORK/s$q.log" || fail "QoS $q message not received as QoS $q"
  grep -q "^MSG $q 0 it/qos$q high-$q\$" "$WORK/s$q.log" || fail "QoS 2 message not downgraded to QoS $q"
done
stop_broker
echo "PASS interop_qos $V"
