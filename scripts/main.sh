#!/usr/bin/env bash
# README command 1: install what is missing, build, and run the main job.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh default
bin=build/default/harness/mqttspec
"$bin" --version
echo
echo "decoding a QoS 1 PUBLISH, a SUBSCRIBE and a DISCONNECT (MQTT 3.1.1):"
"$bin" decode --protocol 3.1.1 '32 0a | 00 03 61 2f 62 | 00 07 | 68 69 21' '82 08 | 00 01 | 00 03 61 2f 23 | 01' 'e0 00'
