#!/usr/bin/env bash
# Builds tls13 and runs the whole test suite: the normal build (build/), then
# the same tests under AddressSanitizer + UndefinedBehaviorSanitizer
# (build-sanitize/), then the fuzz smoke (every libFuzzer target for
# TLS13_FUZZ_SMOKE_SECONDS, default 10, from its seeds: scripts/fuzz-smoke.sh).
# Exits non-zero when any test fails or any fuzz target crashes.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
jobs=$(nproc)

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"
# The interop matrices (peer x case: pass / FAIL / n/a), from the run above.
echo "== interop matrices (normal build)"
awk '/^[0-9]+\/[0-9]+ Testing: / {on = /interop_/}
     on && /^(pass|FAIL|n\/a) |interop: /' build/Testing/Temporary/LastTest.log

if [[ "${TLS13_SKIP_SANITIZE:-0}" != 1 ]]; then
  cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTLS13_SANITIZE=ON \
        -DTLS13_BUILD_CLI=ON >/dev/null
  cmake --build build-sanitize -j "$jobs"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-sanitize --output-on-failure -j "$jobs"
fi

if [[ "${TLS13_SKIP_FUZZ:-0}" != 1 ]]; then
  echo "== fuzz smoke"
  scripts/fuzz-smoke.sh
fi
