#!/usr/bin/env bash
# Configures and builds the libFuzzer targets (clang, ASan + UBSan) in
# build-fuzz/, in the deterministic fuzzing mode (-DTLS13_FUZZ_DETERMINISTIC=ON:
# record protection is a pass-through, Finished/binder/CertificateVerify
# checks accept anything; never a production build). TLS13_FUZZ_DETERMINISTIC=0
# builds real crypto into build-fuzz-real/ instead.
#   scripts/fuzz-build.sh [TARGET...]      (no target: all of them)
#   --help                                 this text
# Prints the build directory on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == --help ]]; then sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0; fi
command -v clang++ >/dev/null || { echo "fuzz-build: clang++ missing (scripts/bootstrap.sh installs it)" >&2; exit 1; }
det=${TLS13_FUZZ_DETERMINISTIC:-1}
dir=build-fuzz
[[ $det == 1 ]] || { det=0; dir=build-fuzz-real; }
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
      "${launcher[@]}" -DTLS13_FUZZ=ON -DTLS13_FUZZ_DETERMINISTIC=$([[ $det == 1 ]] && echo ON || echo OFF) \
      -DTLS13_BUILD_TESTS=OFF -DTLS13_BUILD_CLI=OFF -DTLS13_BUILD_EXAMPLES=OFF \
      -DTLS13_INSTALL=OFF >/dev/null
if (($#)); then
  targets=()
  for t in "$@"; do targets+=(--target "$t"); done
  cmake --build "$dir" "${targets[@]}" >&2
else
  cmake --build "$dir" >&2
fi
echo "$dir"
