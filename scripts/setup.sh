#!/usr/bin/env bash
# Installs what mqttspec needs from Debian 12's packages, and nothing already present.
# Idempotent; runs as root, or through sudo otherwise.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config
  libasio-dev libyaml-cpp-dev libpcap-dev libboost-program-options-dev
  libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev libssl-dev
  clang-14 libclang-rt-14-dev
  mosquitto mosquitto-clients tshark tcpdump libxml2-utils chromium libpng-dev
  python3 python3-websockets time
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "setup: installing ${missing[*]}"
"${sudo[@]}" apt-get update -qq
# wireshark-common asks whether non-root users may capture; the default (no) is right here.
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
