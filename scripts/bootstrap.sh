#!/usr/bin/env bash
# Installs what tls13 needs to build and test on Debian 12 (run as root), including
# the interop peers of ../shared/peers (GnuTLS, NSS, BoringSSL, Go, wolfSSL, Chromium)
# and tshark unless --no-peers is given. Quiet and idempotent: apt-get runs only when a package
# is missing.
set -euo pipefail
pkgs=(build-essential cmake ninja-build pkg-config libssl-dev openssl
      libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev libcli11-dev clang-format
      clang libclang-rt-14-dev valgrind)  # fuzz smoke (libFuzzer runtime), valgrind_handshake
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

# ../shared sits beside the checkout, possibly read-only and without exec bits.
if [[ "${1:-}" != --no-peers ]]; then
  # tshark (with dumpcap, which captures) reads our key log in interop_keylog_tshark.
  # It is an independent peer of the interop tests, and large, so it sits with them.
  # Preseeded so that wireshark-common's install asks nothing (no setuid dumpcap:
  # the tests capture as root).
  if ! dpkg-query -W -f='${Status}' tshark 2>/dev/null | grep -q "install ok installed"; then
    echo "bootstrap: installing tshark"
    export DEBIAN_FRONTEND=noninteractive
    echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends tshark >/dev/null
  fi
  peers="$(cd "$(dirname "$0")/.." && pwd)/../shared/peers/install-peers.sh"
  if [[ -f $peers ]]; then
    bash "$peers"
  else
    echo "bootstrap: $peers missing; the interop_peers test will fail" >&2
  fi
fi
