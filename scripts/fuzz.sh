#!/usr/bin/env bash
# Builds the fuzz preset (clang-14, libFuzzer, ASan, UBSan), writes each target's
# seed corpus, and runs every target for SECONDS (default 45). Exits non-zero if any
# target crashes; the crashing input is left in build/fuzz/artifacts/<target>/.
#
#   scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-45}
targets=(stream_decoder_fuzz packet_decode_fuzz capture_reader_fuzz websocket_reader_fuzz)

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j"$(nproc)" --target "${targets[@]}" make_corpus

bin=build/fuzz/tests/fuzz
failed=()
for t in "${targets[@]}"; do
  corpus=build/fuzz/corpus/$t
  artifacts=build/fuzz/artifacts/$t/
  mkdir -p "$corpus" "$artifacts"
  "$bin/make_corpus" "$t" "$corpus"
  echo "fuzz: $t for ${seconds}s"
  # The corpus directory keeps what each run finds, so later runs start from it.
  if ! "$bin/$t" -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$artifacts" "$corpus"; then
    failed+=("$t")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: crashes in ${failed[*]} (inputs in build/fuzz/artifacts/)" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets ran ${seconds}s each without a crash"
