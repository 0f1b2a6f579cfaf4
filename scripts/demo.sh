#!/usr/bin/env bash
# Installs what is missing, builds tls13, and runs the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh --no-peers   # the demo needs no interop peers
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)"
exec build/tls13 demo
