#!/usr/bin/env bash
# Interop over loopback with OpenSSL's s_server / s_client (an independent
# TLS 1.3 implementation). Prints a pass/fail line per case and fails on any
# failure. Usage: openssl.sh TLS13_BINARY SHARED_DIR
set -u
tls13=$1
shared=$2
T=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT
command -v openssl >/dev/null || { echo "FAIL: openssl not installed"; exit 1; }
[ -f "$shared/peers/make-certs.sh" ] || { echo "FAIL: $shared/peers/make-certs.sh missing"; exit 1; }
bash "$shared/peers/make-certs.sh" "$T/pki" >/dev/null 2>&1 || { echo "FAIL: make-certs.sh"; exit 1; }
source "$shared/peers/lib.sh"
pass=0 fail=0
result() { if [ "$1" = 0 ]; then echo "pass  $2"; pass=$((pass+1)); else echo "FAIL  $2"; fail=$((fail+1)); fi; }

# Our client against s_server.
client_case() {  # name, s_server args..., -- our client args...
  local name=$1; shift
  local sargs=() cargs=()
  while [ "$1" != "--" ]; do sargs+=("$1"); shift; done; shift; cargs=("$@")
  local P; P=$(peer_free_port)
  openssl s_server -tls1_3 -accept "127.0.0.1:$P" -naccept 1 -www "${sargs[@]}" >"$T/s.log" 2>&1 &
  local sp=$!
  peer_wait_port "$P" 5 || { result 1 "tls13 client -> s_server: $name (server did not start)"; return; }
  local out
  out=$(timeout 10 "$tls13" client "127.0.0.1:$P" --servername localhost --cafile "$T/pki/ca.pem" \
        --json --once --send $'GET / HTTP/1.0\r\n\r\n' "${cargs[@]}" 2>"$T/c.err")
  local rc=$?
  kill $sp 2>/dev/null; wait $sp 2>/dev/null
  [ $rc = 0 ] && echo "$out" | grep -q '"peer_verified":true' && echo "$out" | grep -q "${EXPECT:-TLS}"
  result $? "tls13 client -> s_server: $name $( [ $rc = 0 ] || cat "$T/c.err")"
}

# s_client against our server.
server_case() {  # name, our server args..., -- s_client args...
  local name=$1; shift
  local sargs=() cargs=()
  while [ "$1" != "--" ]; do sargs+=("$1"); shift; done; shift; cargs=("$@")
  local P; P=$(peer_free_port)
  timeout 15 "$tls13" server --port "$P" --count 1 --echo "${sargs[@]}" >"$T/o.log" 2>&1 &
  local sp=$!
  peer_wait_port "$P" 5 || { result 1 "s_client -> tls13 server: $name (server did not start)"; return; }
  local out
  out=$( (echo ping-tls13; sleep 1) | timeout 10 openssl s_client -tls1_3 -connect "127.0.0.1:$P" \
        -servername localhost -CAfile "$T/pki/ca.pem" -verify_return_error "${cargs[@]}" 2>&1)
  kill $sp 2>/dev/null; wait $sp 2>/dev/null
  echo "$out" | grep -q "Verify return code: 0" && echo "$out" | grep -q "^ping-tls13" &&
    echo "$out" | grep -q "${EXPECT:-TLSv1.3}"
  result $? "s_client -> tls13 server: $name"
}

K="$T/pki"
for s in TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256 TLS_AES_128_CCM_SHA256 TLS_AES_128_CCM_8_SHA256; do
  EXPECT="$s" client_case "suite $s" -cert "$K/server-ecdsa.pem" -key "$K/server-ecdsa.key" -cert_chain "$K/ca.pem" -ciphersuites "$s" -- --suites "$s"
  EXPECT="$s" server_case "suite $s" --suites "$s" --cert "$K/server-ecdsa-chain.pem" --key "$K/server-ecdsa.key" -- -ciphersuites "$s"
done
for g in x25519 secp256r1 secp384r1 secp521r1 x448; do
  EXPECT="\"group\":\"$g\"" client_case "group $g" -cert "$K/server-ecdsa.pem" -key "$K/server-ecdsa.key" -cert_chain "$K/ca.pem" -groups "$g" -- --groups "$g"
  server_case "group $g" --cert "$K/server-ecdsa-chain.pem" --key "$K/server-ecdsa.key" -- -groups "$g"
done
for c in ecdsa ecdsa384 rsa rsapss ed25519; do
  client_case "certificate $c" -cert "$K/server-$c.pem" -key "$K/server-$c.key" -cert_chain "$K/ca.pem" --
  server_case "certificate $c" --cert "$K/server-$c-chain.pem" --key "$K/server-$c.key" --
done
EXPECT='"alpn":"h2"' client_case "ALPN" -cert "$K/server-ecdsa.pem" -key "$K/server-ecdsa.key" -cert_chain "$K/ca.pem" -alpn h2 -- --alpn h2,http/1.1
EXPECT="ALPN protocol: h2" server_case "ALPN" --alpn h2 --cert "$K/server-ecdsa-chain.pem" --key "$K/server-ecdsa.key" -- -alpn http/1.1,h2
# HelloRetryRequest forced both ways: the client's first key share is not
# the server's choice.
EXPECT='"hello_retry_request":true' client_case "HRR" -cert "$K/server-ecdsa.pem" -key "$K/server-ecdsa.key" -cert_chain "$K/ca.pem" -groups secp384r1 -- --groups x25519,secp384r1
server_case "HRR" --groups secp384r1,x25519 --cert "$K/server-ecdsa-chain.pem" --key "$K/server-ecdsa.key" -- -groups x25519:secp384r1

# KeyUpdate both ways (§4.6.3): our client updates and requests the server's
# update before its request; s_client's "K" command does the same to our server.
client_case "KeyUpdate (update_requested)" -cert "$K/server-ecdsa.pem" -key "$K/server-ecdsa.key" -cert_chain "$K/ca.pem" -- --keyupdate
P=$(peer_free_port)
timeout 15 "$tls13" server --port "$P" --count 1 --echo --cert "$K/server-ecdsa-chain.pem" \
  --key "$K/server-ecdsa.key" >"$T/o.log" 2>&1 &
sp=$!
out=""
if peer_wait_port "$P" 5; then
  out=$( (printf 'K\n'; sleep 0.5; echo after-keyupdate; sleep 1) | timeout 10 openssl s_client \
    -tls1_3 -connect "127.0.0.1:$P" -CAfile "$K/ca.pem" -msg 2>&1)
fi
wait $sp 2>/dev/null
echo "$out" | grep -q '>>> TLS 1.3, Handshake \[length 0005\], KeyUpdate' &&
  echo "$out" | grep -q '<<< TLS 1.3, Handshake \[length 0005\], KeyUpdate' &&
  echo "$out" | grep -q '^after-keyupdate'
result $? "s_client -> tls13 server: KeyUpdate both ways"

# Key log: our client's NSS key log file equals OpenSSL's for the same session.
P=$(peer_free_port)
openssl s_server -tls1_3 -accept "127.0.0.1:$P" -naccept 1 -www -cert "$K/server-ecdsa.pem" \
  -key "$K/server-ecdsa.key" -cert_chain "$K/ca.pem" -keylogfile "$T/ossl.keys" >"$T/s.log" 2>&1 &
sp=$!
if peer_wait_port "$P" 5; then
  timeout 10 "$tls13" client "127.0.0.1:$P" --servername localhost --cafile "$K/ca.pem" --once \
    --keylog "$T/ours.keys" --send $'GET / HTTP/1.0\r\n\r\n' >/dev/null 2>&1
fi
kill $sp 2>/dev/null; wait $sp 2>/dev/null
grep -v '^#' "$T/ossl.keys" 2>/dev/null | sort >"$T/a"; sort "$T/ours.keys" 2>/dev/null >"$T/b"
[ -s "$T/b" ] && [ "$(wc -l <"$T/b")" -ge 5 ] && cmp -s "$T/a" "$T/b"
result $? "tls13 client -> s_server: key log equals OpenSSL's"

# Trust anchors from a hashed directory (--capath).
mkdir -p "$T/capath" && cp "$K/ca.pem" "$T/capath/" && openssl rehash "$T/capath" >/dev/null 2>&1
P=$(peer_free_port)
openssl s_server -tls1_3 -accept "127.0.0.1:$P" -naccept 1 -www -cert "$K/server-ecdsa.pem" \
  -key "$K/server-ecdsa.key" -cert_chain "$K/ca.pem" >"$T/s.log" 2>&1 &
sp=$!
out=""
if peer_wait_port "$P" 5; then
  out=$(timeout 10 "$tls13" client "127.0.0.1:$P" --servername localhost --capath "$T/capath" \
        --json --once --send $'GET / HTTP/1.0\r\n\r\n' 2>&1)
fi
kill $sp 2>/dev/null; wait $sp 2>/dev/null
echo "$out" | grep -q '"peer_verified":true'
result $? "tls13 client -> s_server: trust anchors from --capath"

# Exporter (RFC 8446 §7.5): s_client's keying material equals our server's.
P=$(peer_free_port)
timeout 15 "$tls13" server --port "$P" --count 1 --echo --export "EXPERIMENTAL tls13:32" \
  --cert "$K/server-ecdsa-chain.pem" --key "$K/server-ecdsa.key" >"$T/o.log" 2>&1 &
sp=$!
theirs=""
if peer_wait_port "$P" 5; then
  theirs=$( (echo x; sleep 1) | timeout 10 openssl s_client -tls1_3 -connect "127.0.0.1:$P" \
    -CAfile "$K/ca.pem" -keymatexport "EXPERIMENTAL tls13" -keymatexportlen 32 2>&1 |
    sed -n 's/^ *Keying material: //p' | tr 'A-F' 'a-f')
fi
wait $sp 2>/dev/null
ours=$(sed -n 's/^tls13 server: exporter: //p' "$T/o.log")
[ -n "$ours" ] && [ "$ours" = "$theirs" ]
result $? "s_client -> tls13 server: exporter equals OpenSSL's"

# Resumption with a session ticket, both ways: the second connection offers
# the ticket the first one received.
P=$(peer_free_port)
openssl s_server -tls1_3 -accept "127.0.0.1:$P" -naccept 2 -www -cert "$K/server-ecdsa.pem" \
  -key "$K/server-ecdsa.key" -cert_chain "$K/ca.pem" >"$T/s.log" 2>&1 &
sp=$!
out=""
if peer_wait_port "$P" 5; then
  for arg in --sess-out --sess-in; do
    out=$(timeout 10 "$tls13" client "127.0.0.1:$P" --servername localhost --cafile "$K/ca.pem" \
          --json --once "$arg" "$T/ours.sess" --send $'GET / HTTP/1.0\r\n\r\n' 2>&1)
  done
fi
kill $sp 2>/dev/null; wait $sp 2>/dev/null
echo "$out" | grep -q '"resumed":true'
result $? "tls13 client -> s_server: resumption (--sess-out, --sess-in)"

P=$(peer_free_port)
timeout 15 "$tls13" server --port "$P" --count 2 --echo --cert "$K/server-ecdsa-chain.pem" \
  --key "$K/server-ecdsa.key" >"$T/o.log" 2>&1 &
sp=$!
out=""
if peer_wait_port "$P" 5; then
  for arg in -sess_out -sess_in; do
    out=$( (echo ping-tls13; sleep 1) | timeout 10 openssl s_client -tls1_3 -connect "127.0.0.1:$P" \
          -servername localhost -CAfile "$K/ca.pem" "$arg" "$T/ossl.sess" 2>&1)
  done
fi
kill $sp 2>/dev/null; wait $sp 2>/dev/null
echo "$out" | grep -q "^Reused, TLSv1.3" && grep -q " resumed$" "$T/o.log"
result $? "s_client -> tls13 server: resumption (-sess_out, -sess_in)"

echo "openssl interop: $pass passed, $fail failed"
[ $fail = 0 ]
