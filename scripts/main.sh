#!/usr/bin/env bash
# README command 1: install what is missing, build, and run the main job: the whole
# conformance suite against the embedded reference broker, in virtual time.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh default
build/default/harness/mqttspec run --report report "$@"
