#!/usr/bin/env bash
# bench_smoke: runs tls13-bench --quick once and checks the output contract
# (bench-method.md names, one "name value unit" line each). No timing is
# asserted: the figures of a quick run mean nothing.
set -euo pipefail
bench=${1:?usage: smoke.sh path/to/tls13-bench}
out=$(mktemp)
trap 'rm -f "$out" "$out.ossl" "$out.err"' EXIT

fail() { echo "bench_smoke: FAIL: $*" >&2; exit 1; }

# 1. No arguments (here with --quick): only tls13.* lines on stdout.
"$bench" --quick > "$out" 2> "$out.err" || { cat "$out.err" >&2; fail "tls13-bench --quick failed"; }
grep -qv '^tls13\.' "$out" && fail "a line other than tls13.* without --with-openssl: $(grep -v '^tls13\.' "$out" | head -1)"
key=ecdsa_p256.aes128gcm.x25519
for name in \
    tls13.hs_full.$key.pair tls13.hs_full.$key.server tls13.hs_full.$key.client \
    tls13.hs_full.$key.allocs \
    tls13.hs_full.rsa2048.aes128gcm.x25519.server tls13.hs_full.ed25519.aes128gcm.x25519.server \
    tls13.hs_full.ecdsa_p256.chacha20.x25519.pair tls13.hs_full.ecdsa_p256.aes128gcm.p256.pair \
    tls13.hs_resume.$key.pair tls13.hs_resume.$key.allocs \
    tls13.bulk.aes128gcm.send tls13.bulk.aes128gcm.recv tls13.bulk.aes128gcm.allocs_per_record \
    tls13.bulk.chacha20.recv tls13.bulk.aes256gcm.send \
    tls13.mem.$key.pair_new tls13.mem.$key.pair_peak_hs tls13.mem.$key.pair_established \
    tls13.mem.$key.pair_idle tls13.mem.$key.server_idle tls13.mem.$key.client_idle; do
  grep -Eq "^${name//./\\.} [0-9]+(\.[0-9]+)? [A-Za-z/]+\$" "$out" || fail "no line for $name"
done
# Every line has the form "name value unit".
grep -Evq '^[a-z0-9_.]+ -?[0-9]+(\.[0-9]+)? [A-Za-z/]+$' "$out" && fail "malformed line: $(grep -Ev '^[a-z0-9_.]+ -?[0-9]+(\.[0-9]+)? [A-Za-z/]+$' "$out" | head -1)"

# 2. --with-openssl adds ossl.*, limit.* and the ratios (one handshake test).
"$bench" --quick --with-openssl --only "hs_full.$key|bulk.aes128gcm|mem" > "$out.ossl" 2> "$out.err" ||
  { cat "$out.err" >&2; fail "tls13-bench --quick --with-openssl failed"; }
for name in ossl.hs_full.$key.server limit.hs_full.$key.server ossl.hs_full.$key.allocs \
    ossl.bulk.aes128gcm.recv limit.bulk.aes128gcm.recv ossl.mem.$key.pair_idle \
    ossl.mem.$key.relbuf.pair_idle ratio.tls13_vs_ossl.hs_full.$key.server \
    ratio.tls13_vs_limit.hs_full.$key.server; do
  grep -Eq "^${name//./\\.} " "$out.ossl" || fail "no line for $name with --with-openssl"
done
grep -q '^# .*cpu/wall' "$out.ossl" || fail "no cpu/wall note"
echo "bench_smoke: ok ($(wc -l < "$out") tls13 lines, $(grep -vc '^#' "$out.ossl") with OpenSSL)"
