#!/usr/bin/env bash
# The installed package works for a consumer: `cmake --install` the build into
# a temporary prefix, build examples/ against it with find_package(tls13) and
# examples/client.cpp with pkg-config, then run the installed-package server
# and both clients against each other over loopback.
# usage: install_test.sh BUILD_DIR SOURCE_DIR CXX GENERATOR [EXTRA_CXX_FLAGS]
set -euo pipefail
build=$1 src=$2 cxx=$3 gen=$4 extra=${5:-}
tmp=$(mktemp -d)
server_pid=
cleanup() {
  if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $* ($SECONDS s)"; }
prefix=$tmp/prefix
flags="-Wall -Wextra -Wpedantic -Werror $extra"

step "cmake --install $build --prefix $prefix"
cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" || { cat "$tmp/install.log"; fail "install"; }
# Exactly the public headers, nothing from src/.
want=$(cd "$src/include" && find tls13 -type f | sort)
got=$(cd "$prefix/include" && find . -type f | sed 's|^\./||' | sort)
[[ $want == "$got" ]] || fail "installed headers differ from include/tls13: $got"
pc=$(find "$prefix" -name tls13.pc)
[[ -n $pc ]] || fail "no tls13.pc installed"
[[ -n $(find "$prefix" -name tls13Config.cmake) ]] || fail "no tls13Config.cmake installed"
! grep -rq tls13_internal "$prefix" || fail "tls13_internal leaked into the package"

step "examples/ with find_package(tls13)"
cmake -S "$src/examples" -B "$tmp/ex" -G "$gen" -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF >"$tmp/ex.log" || { cat "$tmp/ex.log"; fail "configure examples"; }
grep -q "^tls13_DIR:PATH=$prefix/" "$tmp/ex/CMakeCache.txt" || fail "tls13 was not found in $prefix"
cmake --build "$tmp/ex" -j 2 >>"$tmp/ex.log" || { cat "$tmp/ex.log"; fail "build examples"; }

step "examples/client.cpp with pkg-config"
PKG_CONFIG_PATH=$(dirname "$pc")
export PKG_CONFIG_PATH
pcflags=$(pkg-config --cflags --libs tls13) || fail "pkg-config tls13"
echo "pkg-config --cflags --libs tls13: $pcflags"
# shellcheck disable=SC2086
"$cxx" -std=c++20 $flags "$src/examples/client.cpp" -o "$tmp/client_pc" $pcflags ||
  fail "compile client with pkg-config"

step "example server and clients over loopback"
"$tmp/ex/example_server" 0 >"$tmp/server.out" 2>"$tmp/server.err" &
server_pid=$!
for _ in $(seq 100); do
  grep -q '^listening on port' "$tmp/server.out" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/server.err"; fail "server exited"; }
  sleep 0.1
done
port=$(sed -n 's/^listening on port \([0-9]*\)$/\1/p' "$tmp/server.out")
[[ -n $port ]] || { cat "$tmp/server.out" "$tmp/server.err"; fail "server did not start"; }
sed -n '/BEGIN CERTIFICATE/,/END CERTIFICATE/p' "$tmp/server.out" >"$tmp/cert.pem"
[[ -s $tmp/cert.pem ]] || fail "server printed no certificate"

# A shared libtls13 found through pkg-config's -L needs the loader's help.
LD_LIBRARY_PATH=$(dirname "$(find "$prefix" -name 'libtls13.*' | head -1)")
export LD_LIBRARY_PATH
for client in "$tmp/ex/example_client" "$tmp/client_pc"; do
  rc=0
  out=$(timeout 20 "$client" localhost "$port" "$tmp/cert.pem" /install-test) || rc=$?
  [[ $rc == 0 ]] || { cat "$tmp/server.err"; fail "$client exited $rc"; }
  grep -q $'^HTTP/1.1 200 OK\r$' <<<"$out" || fail "$client: no 200 response: $out"
  grep -q $'^GET /install-test HTTP/1.1\r$' <<<"$out" || fail "$client: request not echoed: $out"
  grep -q $'^Host: localhost\r$' <<<"$out" || fail "$client: Host not echoed: $out"
  echo "$client: echo ok"
done
# Verification is real: without the CA file the self-signed server is refused.
if timeout 20 "$tmp/ex/example_client" localhost "$port" >/dev/null 2>"$tmp/refused.err"; then
  fail "client accepted an untrusted certificate"
fi
grep -q unknown_ca "$tmp/refused.err" || fail "unexpected refusal: $(cat "$tmp/refused.err")"
step "PASS"
