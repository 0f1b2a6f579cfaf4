#!/usr/bin/env bash
# Interop of client authentication (RFC 8446 §4.3.2, §4.4.2, §6.2
# certificate_required) and post-handshake authentication (§4.6.2) over
# loopback with OpenSSL, GnuTLS, Go and wolfSSL (SHARED_DIR/peers), both
# directions. Each case checks our side's report and the peer's. Prints
# "pass NAME", "FAIL NAME" (with the evidence) or "n/a NAME (why)" per
# case, then "client auth interop: N passed, M failed, K n/a"; exits
# non-zero on any FAIL. A missing peer is a FAIL, never a skip.
# Usage: client_auth.sh TLS13_BINARY SHARED_DIR [CASE_REGEX]
set -u
[ $# -ge 2 ] || { echo "usage: $0 TLS13_BINARY SHARED_DIR [CASE_REGEX]" >&2; exit 2; }

. "$(dirname "$0")/netns.sh"  # a private network namespace when permitted

X=$(realpath "$1") || exit 1
SHARED=$(realpath "$2") || exit 1
FILTER=${3:-.}
W=$(mktemp -d)
K=$W/pki B=$W/bin
export X K B W
SP=
trap '[ -n "$SP" ] && kill -- "-$SP" 2>/dev/null; wait 2>/dev/null; rm -rf "$W"' EXIT
trap 'exit 1' INT TERM
pass=0 fail=0 na=0
fatal() { echo "FAIL  setup: $*"; echo "client auth interop: 0 passed, 1 failed, 0 n/a"; exit 1; }

[ -x "$X" ] || fatal "$X is not executable"
[ -f "$SHARED/peers/lib.sh" ] || fatal "$SHARED/peers/lib.sh missing"
# shellcheck source=/dev/null
. "$SHARED/peers/lib.sh"
bash "$SHARED/peers/make-certs.sh" "$K" >"$W/setup.log" 2>&1 || fatal "make-certs.sh: $(tail -3 "$W/setup.log")"
[ -w "${HOME:-/nonexistent}" ] || export GOCACHE=$W/gocache
# A peer that fails to build is reported by each case that needs it.
bash "$SHARED/peers/build-peers.sh" "$B" >>"$W/setup.log" 2>&1 ||
  echo "note: build-peers.sh failed: $(tail -2 "$W/setup.log" | tr '\n' ' ')"

selected() { [[ "$1" =~ $FILTER ]]; }
report() {  # NAME RC [EVIDENCE FILES...]
  local name=$1 rc=$2 f; shift 2
  if [ "$rc" = 0 ]; then
    echo "pass  $name"; pass=$((pass + 1))
  else
    echo "FAIL  $name"; fail=$((fail + 1))
    for f in "$@"; do [ -f "$f" ] && { echo "  --- ${f##*/}:"; tail -15 "$f" | sed 's/^/  | /'; }; done
  fi
}
not_applicable() { selected "$1" || return 0; echo "n/a   $1 ($2)"; na=$((na + 1)); }
# Every ERE of an "ERE@@ERE..." list occurs in FILE.
matches() {
  local f=$1 re
  [ -z "$2" ] && return 0
  while IFS= read -r re; do
    [ -z "$re" ] || grep -Eq -- "$re" "$f" || { echo "missing: $re" >>"$W/why"; return 1; }
  done < <(printf '%s\n' "${2//@@/$'\n'}")
}
# The tools a case needs, on PATH or built into $B.
have() {
  local t
  for t in "$@"; do
    command -v "$t" >/dev/null || [ -x "$t" ] || { echo "missing peer: $t" >>"$W/why"; return 1; }
  done
}
# Waits up to 3 s for the server group to exit by itself (so that it flushes
# its log), then ends it.
stop_server() {
  local i
  for ((i = 0; i < 60; i++)); do kill -0 "$SP" 2>/dev/null || break; sleep 0.05; done
  kill -- "-$SP" 2>/dev/null
  wait "$SP" 2>/dev/null
  SP=
}
start_server() {  # CMD (bash, with $P): logs to $W/server.log
  setsid bash -c "$1" >"$W/server.log" 2>&1 </dev/null &
  SP=$!
  peer_wait_port "$P" 10 2>>"$W/why"
}

OUR_CLIENT='timeout 10 $X client 127.0.0.1:$P --servername localhost --cafile $K/ca.pem --json --once'
OUR_SERVER='exec timeout 20 $X server --port $P --count 1 --echo --cert $K/server-ecdsa-chain.pem --key $K/server-ecdsa.key --cafile $K/ca.pem'

# Our client against a peer server.
# srv NAME TOOLS 'PEER SERVER CMD' 'OUR CLIENT ARGS' ok|fail 'OUR ERE@@..' 'PEER ERE@@..'
srv() {
  local name="tls13 client -> $1"
  selected "$name" || return 0
  : >"$W/why"; : >"$W/server.log"; : >"$W/client.log"
  local rc=1
  export P; P=$(peer_free_port)
  if have $2 && start_server "$3"; then
    bash -c "$OUR_CLIENT --send \$'GET / HTTP/1.0\\r\\n\\r\\n' $4" >"$W/client.log" 2>&1
    local crc=$?
    stop_server
    rc=0
    { [ "$5" = ok ] && [ $crc = 0 ]; } || { [ "$5" = fail ] && [ $crc != 0 ] && [ $crc != 124 ]; } ||
      { echo "our client exited $crc, expected $5" >>"$W/why"; rc=1; }
    matches "$W/client.log" "$6" && matches "$W/server.log" "$7" || rc=1
  else
    [ -n "$SP" ] && stop_server
  fi
  report "$name" $rc "$W/why" "$W/client.log" "$W/server.log"
}

# A peer client against our server.
# cli NAME TOOLS 'OUR SERVER ARGS' 'PEER CLIENT CMD' 'PEER ERE@@..' 'OUR ERE@@..'
cli() {
  local name="$1 -> tls13 server"
  selected "$name" || return 0
  : >"$W/why"; : >"$W/server.log"; : >"$W/client.log"
  local rc=1
  export P; P=$(peer_free_port)
  if have $2 && start_server "$OUR_SERVER $3"; then
    timeout 15 bash -c "$4" >"$W/client.log" 2>&1
    stop_server
    rc=0
    matches "$W/client.log" "$5" && matches "$W/server.log" "$6" || rc=1
  else
    [ -n "$SP" ] && stop_server
  fi
  report "$name" $rc "$W/why" "$W/client.log" "$W/server.log"
}

cert() { echo "--cert \$K/client-$1-chain.pem --key \$K/client-$1.key"; }
AUTH_OK='"client_auth":true'
OURS_AUTH='handshake complete: .* client_auth$'
OURS_NOAUTH='handshake complete: [^ ]+ [^ ]+( sni=[^ ]+)?$'
OURS_PHA='post-handshake authentication: client certificate verified'

# --- OpenSSL 3.0 -----------------------------------------------------------------------
SSRV='openssl s_server -tls1_3 -accept 127.0.0.1:$P -naccept 1 -cert $K/server-ecdsa.pem -key $K/server-ecdsa.key -cert_chain $K/ca.pem -CAfile $K/ca.pem -verify_return_error'
SCLI='openssl s_client -tls1_3 -connect 127.0.0.1:$P -servername localhost -CAfile $K/ca.pem -verify_return_error'
# s_client prints each ticket in hex through a buffer and the echo unbuffered, so the
# echo can land mid-line behind a ticket holding the client's chain: no "^" there.
for k in ecdsa rsa ed25519; do
  srv "OpenSSL s_server -Verify 1: client certificate $k" openssl "exec $SSRV -www -Verify 1" \
    "$(cert $k)" ok "$AUTH_OK" "depth=0 O = tls13 test, CN = client-$k@@verify return:1"
  cli "OpenSSL s_client -cert: client certificate $k" openssl "--verify-client" \
    "(echo ping-tls13; sleep 2) | $SCLI -cert \$K/client-$k.pem -key \$K/client-$k.key" \
    "ping-tls13@@Verify return code: 0" "$OURS_AUTH"
done
srv "OpenSSL s_server -Verify 1: no client certificate (certificate_required)" openssl \
  "exec $SSRV -www -Verify 1" "" fail '"client_auth":false@@certificate_required' ""
# §4.6.1: a connection resumed from a ticket issued after client authentication is
# authenticated as the first was (the second s_client sends no certificate).
OUR_SERVER=${OUR_SERVER/--count 1/--count 2} cli "OpenSSL s_client -sess_in: resumption keeps client auth" \
  openssl "--verify-client" \
  "(echo ping-tls13; sleep 2) | $SCLI -cert \$K/client-ecdsa.pem -key \$K/client-ecdsa.key -sess_out \$W/sess.pem >/dev/null && (echo ping-tls13; sleep 2) | $SCLI -sess_in \$W/sess.pem" \
  "Reused, TLSv1.3@@ping-tls13" "handshake complete: .* client_auth\$@@handshake complete: .* resumed client_auth\$"
cli "OpenSSL s_client: no client certificate (certificate_required)" openssl "--verify-client" \
  "(echo ping-tls13; sleep 2) | $SCLI" "alert certificate required|alert number 116" \
  "handshake failed: certificate_required"
cli "OpenSSL s_client: no client certificate, --verify-client=optional" openssl \
  "--verify-client=optional" "(echo ping-tls13; sleep 2) | $SCLI" "^ping-tls13" "$OURS_NOAUTH"
cli "OpenSSL s_client: serverAuth-only certificate (unsupported_certificate)" openssl \
  "--verify-client" "(echo ping-tls13; sleep 2) | $SCLI -cert \$K/server-ecdsa.pem -key \$K/server-ecdsa.key" \
  "alert unsupported certificate|alert number 43" "handshake failed: unsupported_certificate"
# Post-handshake authentication: s_client -enable_pha answers our request; our
# client answers s_server's interactive "c" command.
cli "OpenSSL s_client -enable_pha: post-handshake auth" openssl "--post-handshake-auth" \
  "(echo ping-tls13; sleep 1.5) | $SCLI -enable_pha -cert \$K/client-rsa.pem -key \$K/client-rsa.key -msg" \
  "<<< TLS 1.3, Handshake \[length [0-9a-f]+\], CertificateRequest@@>>> TLS 1.3, Handshake \[length [0-9a-f]+\], CertificateVerify@@^ping-tls13" \
  "$OURS_PHA"
cli "OpenSSL s_client without -enable_pha: no post-handshake request" openssl "--post-handshake-auth" \
  "(echo ping-tls13; sleep 2) | $SCLI -msg" "^ping-tls13" \
  "post-handshake authentication not requested: .*post_handshake_auth"
srv "OpenSSL s_server 'c' command: post-handshake auth" openssl \
  "(sleep 1.5; echo c; sleep 2) | exec $SSRV -msg" "--post-handshake-auth $(cert ecdsa)" ok \
  "post-handshake authentication: certificate sent@@\"client_auth\":false" \
  ">>> TLS 1.3, Handshake \[length [0-9a-f]+\], CertificateRequest@@depth=0 O = tls13 test, CN = client-ecdsa@@verify return:1"

# --- GnuTLS 3.7 ------------------------------------------------------------------------
GSRV='exec gnutls-serv --port $P --x509certfile $K/server-ecdsa.pem --x509keyfile $K/server-ecdsa.key --x509cafile $K/ca.pem --priority NORMAL:-VERS-ALL:+VERS-TLS1.3 --echo'
GCLI="(printf 'GET / HTTP/1.0\r\n\r\n'; sleep 1.5) | gnutls-cli --port \$P --x509cafile \$K/ca.pem --verify-hostname localhost"
srv "GnuTLS gnutls-serv --require-client-cert: client certificate rsa" gnutls-serv \
  "$GSRV --require-client-cert --verify-client-cert" "$(cert rsa)" ok "$AUTH_OK" \
  "The certificate is trusted@@Subject: CN=client-rsa,O=tls13 test"
srv "GnuTLS gnutls-serv --require-client-cert: no client certificate (certificate_required)" \
  gnutls-serv "$GSRV --require-client-cert --verify-client-cert" "" fail "certificate_required" ""
for k in ecdsa ed25519; do
  cli "GnuTLS gnutls-cli --x509certfile: client certificate $k" gnutls-cli "--verify-client" \
    "$GCLI --x509certfile \$K/client-$k.pem --x509keyfile \$K/client-$k.key 127.0.0.1" \
    "Handshake was completed" "$OURS_AUTH"
done
cli "GnuTLS gnutls-cli --post-handshake-auth: post-handshake auth" gnutls-cli "--post-handshake-auth" \
  "$GCLI --x509certfile \$K/client-ecdsa.pem --x509keyfile \$K/client-ecdsa.key --post-handshake-auth 127.0.0.1" \
  "Re-authentication was requested@@Successfully sent 1 certificate\(s\) to server" "$OURS_PHA"
not_applicable "tls13 client -> GnuTLS gnutls-serv: post-handshake auth" \
  "gnutls-serv has no option to send a post-handshake CertificateRequest"

# --- Go 1.19 crypto/tls ----------------------------------------------------------------
GOSRV='exec $B/go-peer -mode server -port $P -cert $K/server-ecdsa.pem -key $K/server-ecdsa.key -ca $K/ca.pem -n 1'
GOCLI='$B/go-peer -mode client -port $P -ca $K/ca.pem -sni localhost -msg ping'
srv "Go -clientauth require: client certificate ed25519" "$B/go-peer" "$GOSRV -clientauth require" \
  "$(cert ed25519)" ok "$AUTH_OK" 'handshake ok: .*peer="CN=client-ed25519,O=tls13 test"'
# Go 1.19 aborts with bad_certificate rather than certificate_required (§4.4.2.4
# leaves the choice to the server).
srv "Go -clientauth require: no client certificate (Go sends bad_certificate)" "$B/go-peer" \
  "$GOSRV -clientauth require" "" fail "peer sent alert bad_certificate" \
  "handshake FAILED: tls: client didn't provide a certificate"
cli "Go -cert: client certificate rsa" "$B/go-peer" "--verify-client" \
  "$GOCLI -cert \$K/client-rsa-chain.pem -key \$K/client-rsa.key" "handshake ok: version=TLSv1.3" \
  "$OURS_AUTH"
not_applicable "Go: post-handshake auth (both directions)" \
  "Go's crypto/tls implements no post-handshake authentication"

# --- wolfSSL 5.5 -----------------------------------------------------------------------
WSRV='exec $B/wolfssl-peer -mode server -port $P -cert $K/server-ecdsa.pem -key $K/server-ecdsa.key -ca $K/ca.pem -n 1'
WCLI='$B/wolfssl-peer -mode client -port $P -ca $K/ca.pem -sni localhost -msg ping'
srv "wolfSSL -clientauth require: client certificate ecdsa" "$B/wolfssl-peer" \
  "$WSRV -clientauth require" "$(cert ecdsa)" ok "$AUTH_OK" \
  'handshake ok: .*peer="/O=tls13 test/CN=client-ecdsa"'
cli "wolfSSL -cert: client certificate rsa" "$B/wolfssl-peer" "--verify-client" \
  "$WCLI -cert \$K/client-rsa-chain.pem -key \$K/client-rsa.key" "handshake ok: version=TLSv1.3" \
  "$OURS_AUTH"
cli "wolfSSL -cert -nokeyshare: client certificate after HelloRetryRequest" "$B/wolfssl-peer" \
  "--verify-client" "$WCLI -nokeyshare -cert \$K/client-ecdsa-chain.pem -key \$K/client-ecdsa.key" \
  "handshake ok: version=TLSv1.3" "hello_retry_request client_auth$"
not_applicable "wolfSSL: post-handshake auth (both directions)" \
  "wolfssl-peer exposes no post-handshake authentication option"

echo "client auth interop: $pass passed, $fail failed, $na n/a"
[ $fail = 0 ] && [ $pass -gt 0 ]
