#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) in build-fuzz/ and runs
# one: scripts/fuzz.sh TARGET SECONDS [libFuzzer args...]
#   scripts/fuzz.sh fuzz_client_hello 600
# The corpus lives in build-fuzz/corpus/TARGET, seeded from fuzz/corpus/TARGET.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh TARGET SECONDS}
seconds=${2:?usage: scripts/fuzz.sh TARGET SECONDS}
shift 2
command -v clang++ >/dev/null || apt-get install -y -qq clang >/dev/null
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
      -DTLS13_FUZZ=ON -DTLS13_BUILD_TESTS=OFF -DTLS13_BUILD_CLI=OFF -DTLS13_BUILD_EXAMPLES=OFF \
      -DTLS13_INSTALL=OFF >/dev/null
cmake --build build-fuzz --target "$target"
mkdir -p "build-fuzz/corpus/$target"
seeds=()
[[ -d "fuzz/corpus/$target" ]] && seeds=("fuzz/corpus/$target")
exec "build-fuzz/fuzz/$target" -max_total_time="$seconds" -print_final_stats=1 \
  "build-fuzz/corpus/$target" "${seeds[@]}" "$@"
