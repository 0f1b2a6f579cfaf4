#!/usr/bin/env bash
# Installs what tls13 needs to build and test on Debian 12 (run as root).
# Quiet and idempotent: apt-get runs only when a package is missing.
set -euo pipefail
pkgs=(build-essential cmake ninja-build pkg-config libssl-dev openssl
      libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev libcli11-dev clang-format)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
