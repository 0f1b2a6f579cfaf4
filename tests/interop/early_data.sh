#!/usr/bin/env bash
# Interop over loopback for PSKs and 0-RTT (RFC 8446 §4.2.9-4.2.11, §8):
# resumption with early data and external PSKs, both directions, against
# tls13 itself, OpenSSL, GnuTLS, BoringSSL (bssl-tool) and NSS. One line per
# case: "pass  NAME", "FAIL  NAME" or "n/a   NAME (reason)"; a missing peer
# is a FAIL. Exits non-zero on any FAIL.
# Usage: early_data.sh TLS13_BINARY SHARED_DIR [CASE_REGEX]
set -u
[ $# -ge 2 ] || { echo "usage: $0 TLS13_BINARY SHARED_DIR [CASE_REGEX]" >&2; exit 2; }

. "$(dirname "$0")/netns.sh"  # a private network namespace when permitted

X=$(realpath "$1") || exit 1
SHARED=$(realpath "$2") || exit 1
FILTER=${3:-.}
T=$(mktemp -d)
K=$T/pki
PGS=()
trap 'for g in "${PGS[@]}"; do kill -- "-$g" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$T"' EXIT
pass=0 fail=0
result() {
  if [ "$1" = 0 ]; then echo "pass  $2"; pass=$((pass+1)); return; fi
  echo "FAIL  $2"; fail=$((fail+1))
  # What the client and the server said, so that a failure explains itself.
  for f in "$T/c.out" "$T"/*.log; do [ -f "$f" ] && sed "s|^|      ${f##*/}: |" "$f" | tail -n 6; done
}
na() { [[ "$1" =~ $FILTER ]] && echo "n/a   $1 ($2)"; }
want() { [[ "$1" =~ $FILTER ]]; }
# A case whose peer is missing fails.
have() {  # name, commands...
  local n=$1; shift
  for c in "$@"; do
    command -v "$c" >/dev/null || { result 1 "$n (peer missing: $c)"; return 1; }
  done
}
# Starts a server in its own process group; its log is $T/$1.log.
start() {  # log name, command line
  setsid bash -c "$2" >"$T/$1.log" 2>&1 </dev/null &
  PGS+=($!)
  SP=$!
}
stop() { kill -- "-$SP" 2>/dev/null; wait "$SP" 2>/dev/null; }

[ -x "$X" ] || { result 1 "setup: $X is not executable"; exit 1; }
[ -f "$SHARED/peers/lib.sh" ] || { result 1 "setup: $SHARED/peers/lib.sh missing"; exit 1; }
# shellcheck source=/dev/null
. "$SHARED/peers/lib.sh"
bash "$SHARED/peers/make-certs.sh" "$K" >"$T/setup.log" 2>&1 || { result 1 "setup: make-certs.sh"; exit 1; }
KEY=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
printf 'GET / HTTP/1.0\r\n\r\n' >"$T/req.txt"
# Our client: full handshake keeping a ticket, then resumption with 0-RTT.
ours() { timeout 10 "$X" client "127.0.0.1:$P" --servername localhost --cafile "$K/ca.pem" --json --once "$@"; }
early_json='"resumed":true' ok_json='"early_data":"accepted"'
got() { grep -q -a -- "$2" "$1"; }  # file, fixed regex

# ------------------------------------------------------------ tls13 itself --
N="tls13 client -> tls13 server: resumption + 0-RTT accepted"
if want "$N"; then
  P=$(peer_free_port)
  start ours "$X server --port $P --count 2 --echo --early-data --cert $K/server-ecdsa-chain.pem --key $K/server-ecdsa.key"
  printf 'early-from-tls13\n' >"$T/e1"
  peer_wait_port "$P" 5 && ours --send first --sess-out "$T/s1" >/dev/null 2>&1 &&
    ours --sess-in "$T/s1" --early-data "$T/e1" >"$T/c.out" 2>&1
  rc=$?; stop
  [ $rc = 0 ] && got "$T/c.out" "$early_json" && got "$T/c.out" "$ok_json" &&
    got "$T/ours.log" 'resumed early_data=accepted' &&
    got "$T/ours.log" 'early data (17 bytes, may be replayed): early-from-tls13'
  result $? "$N"
fi

N="tls13 client -> tls13 server without --early-data: not offered, sent after the handshake"
if want "$N"; then
  P=$(peer_free_port)
  start ours "$X server --port $P --count 2 --echo --cert $K/server-ecdsa-chain.pem --key $K/server-ecdsa.key"
  printf 'early-from-tls13\n' >"$T/e1"
  peer_wait_port "$P" 5 && ours --send first --sess-out "$T/s1" >/dev/null 2>&1 &&
    timeout 10 "$X" client "127.0.0.1:$P" --servername localhost --cafile "$K/ca.pem" --once \
      --sess-in "$T/s1" --early-data "$T/e1" >"$T/c.out" 2>&1
  rc=$?; stop
  [ $rc = 0 ] && got "$T/c.out" '^early-from-tls13' && got "$T/c.out" 'resumed (session ticket)$' &&
    ! got "$T/ours.log" 'early_data='
  result $? "$N"
fi

# ---------------------------------------------------------------- OpenSSL --
N="tls13 client -> openssl s_server -early_data: resumption + 0-RTT accepted"
if want "$N" && have "$N" openssl; then
  P=$(peer_free_port)
  # Interactive s_server (the only mode with early data) sends a line from
  # stdin now and then, which ends each of our clients' --once read.
  start ossl "(for i in \$(seq 40); do echo pong; sleep 0.5; done) | openssl s_server -accept 127.0.0.1:$P -tls1_3 -naccept 2 -early_data -no_anti_replay -cert $K/server-ecdsa.pem -key $K/server-ecdsa.key -cert_chain $K/ca.pem"
  printf 'early-to-openssl\n' >"$T/e2"
  peer_wait_port "$P" 5 && ours --send first --sess-out "$T/s2" >/dev/null 2>&1 &&
    ours --sess-in "$T/s2" --early-data "$T/e2" >"$T/c.out" 2>&1
  rc=$?; sleep 0.5; stop
  [ $rc = 0 ] && got "$T/c.out" "$early_json" && got "$T/c.out" "$ok_json" &&
    got "$T/ossl.log" 'Early data received:' && got "$T/ossl.log" 'early-to-openssl'
  result $? "$N"
fi

N="openssl s_client -sess_in -early_data -> tls13 server: resumption + 0-RTT accepted"
if want "$N" && have "$N" openssl; then
  P=$(peer_free_port)
  start ours "$X server --port $P --count 2 --echo --early-data --cert $K/server-ecdsa-chain.pem --key $K/server-ecdsa.key"
  printf 'early-from-openssl\n' >"$T/e3"
  out=""
  if peer_wait_port "$P" 5; then
    (echo ping; sleep 4) | timeout 15 openssl s_client -tls1_3 -connect "127.0.0.1:$P" \
      -servername localhost -CAfile "$K/ca.pem" -sess_out "$T/s3.pem" >/dev/null 2>&1
    out=$( (echo after; sleep 4) | timeout 15 openssl s_client -tls1_3 -connect "127.0.0.1:$P" \
      -servername localhost -CAfile "$K/ca.pem" -sess_in "$T/s3.pem" -early_data "$T/e3" 2>&1)
  fi
  stop
  printf '%s\n' "$out" >"$T/s_client.log"
  echo "$out" | grep -q '^Reused, TLSv1.3' && echo "$out" | grep -q 'Early data was accepted' &&
    echo "$out" | grep -q 'early-from-openssl' &&
    got "$T/ours.log" 'resumed early_data=accepted' && got "$T/ours.log" 'early-from-openssl'
  result $? "$N"
fi

# HelloRetryRequest after a 0-RTT offer (§4.1.2, §4.2.10): the resumption
# completes with recomputed binders, the early data is rejected and resent.
N="tls13 client -> openssl s_server -early_data: HRR + resumption, 0-RTT rejected and resent"
if want "$N" && have "$N" openssl; then
  P=$(peer_free_port)
  start ossl "(for i in \$(seq 40); do echo pong; sleep 0.5; done) | openssl s_server -accept 127.0.0.1:$P -tls1_3 -naccept 2 -early_data -no_anti_replay -groups X25519 -cert $K/server-ecdsa.pem -key $K/server-ecdsa.key -cert_chain $K/ca.pem"
  printf 'early-resent-after-hrr\n' >"$T/e8"
  peer_wait_port "$P" 5 && ours --send first --sess-out "$T/s8" >/dev/null 2>&1 &&
    ours --sess-in "$T/s8" --groups secp256r1,x25519 --early-data "$T/e8" >"$T/c.out" 2>&1
  rc=$?; sleep 0.5; stop
  [ $rc = 0 ] && got "$T/c.out" "$early_json" && got "$T/c.out" '"early_data":"rejected"' &&
    got "$T/c.out" '"hello_retry_request":true' && got "$T/ossl.log" 'early-resent-after-hrr'
  result $? "$N"
fi

N="openssl s_client -sess_in -early_data -> tls13 server: HRR + resumption, 0-RTT rejected"
if want "$N" && have "$N" openssl; then
  P=$(peer_free_port)
  start ours "$X server --port $P --count 2 --echo --early-data --groups secp384r1,x25519 --cert $K/server-ecdsa-chain.pem --key $K/server-ecdsa.key"
  printf 'early-before-hrr\n' >"$T/e9"
  out=""
  if peer_wait_port "$P" 5; then
    (echo ping; sleep 4) | timeout 15 openssl s_client -tls1_3 -connect "127.0.0.1:$P" \
      -servername localhost -CAfile "$K/ca.pem" -groups secp384r1 -sess_out "$T/s9.pem" >/dev/null 2>&1
    out=$( (echo after-hrr; sleep 4) | timeout 15 openssl s_client -tls1_3 -connect "127.0.0.1:$P" \
      -servername localhost -CAfile "$K/ca.pem" -groups X25519:secp384r1 -sess_in "$T/s9.pem" \
      -early_data "$T/e9" 2>&1)
  fi
  stop
  printf '%s\n' "$out" >"$T/s_client.log"
  echo "$out" | grep -q '^Reused, TLSv1.3' && echo "$out" | grep -q 'Early data was rejected' &&
    echo "$out" | grep -q '^after-hrr' &&
    got "$T/ours.log" 'hello_retry_request resumed early_data=rejected'
  result $? "$N"
fi

for mode in psk_dhe_ke psk_ke; do
  sx=() cx=() group='"group":"x25519"' grp=' x25519 psk=external'
  if [ $mode = psk_ke ]; then
    sx=(-allow_no_dhe_kex) cx=(--psk-modes psk_ke) group='"group":""' grp=' psk_ke psk=external'
  fi
  N="tls13 client -> openssl s_server -psk: external PSK ($mode)"
  if want "$N" && have "$N" openssl; then
    P=$(peer_free_port)
    start ossl "openssl s_server -accept 127.0.0.1:$P -tls1_3 -naccept 1 -www -nocert -psk $KEY -psk_identity client1 ${sx[*]}"
    peer_wait_port "$P" 5 && ours --send $'GET / HTTP/1.0\r\n\r\n' --psk-identity client1 --psk "$KEY" "${cx[@]}" >"$T/c.out" 2>&1
    rc=$?; stop
    [ $rc = 0 ] && got "$T/c.out" '"psk":"external"' && got "$T/c.out" "$group"
    result $? "$N"
  fi
  N="openssl s_client -psk -> tls13 server: external PSK ($mode)"
  if want "$N" && have "$N" openssl; then
    P=$(peer_free_port)
    start ours "$X server --port $P --count 1 --echo --psk-identity client1 --psk $KEY ${cx[*]}"
    out=""
    if peer_wait_port "$P" 5; then
      out=$( (echo ping-psk; sleep 4) | timeout 15 openssl s_client -tls1_3 -connect "127.0.0.1:$P" \
        -psk "$KEY" -psk_identity client1 "${sx[@]}" 2>&1)
    fi
    stop
    echo "$out" | grep -q '^ping-psk' && got "$T/ours.log" "$grp"
    result $? "$N"
  fi
done

# ----------------------------------------------------------------- GnuTLS --
N="tls13 client -> gnutls-serv --earlydata: resumption + 0-RTT accepted"
if want "$N" && have "$N" gnutls-serv; then
  P=$(peer_free_port)
  start gnutls "gnutls-serv --port $P --x509certfile $K/server-ecdsa.pem --x509keyfile $K/server-ecdsa.key --echo --earlydata --maxearlydata 16384"
  printf 'early-to-gnutls\n' >"$T/e4"
  # gnutls-serv echoes lines but not early data: the 1-RTT line comes back.
  peer_wait_port "$P" 5 && ours --send $'first\n' --sess-out "$T/s4" >/dev/null 2>&1 &&
    ours --sess-in "$T/s4" --early-data "$T/e4" --send $'after\n' >"$T/c.out" 2>&1
  rc=$?; stop
  [ $rc = 0 ] && got "$T/c.out" "$early_json" && got "$T/c.out" "$ok_json"
  result $? "$N"
fi

N="gnutls-cli --resume --earlydata -> tls13 server: resumption + 0-RTT accepted"
if want "$N" && have "$N" gnutls-cli; then
  P=$(peer_free_port)
  start ours "$X server --port $P --count 2 --echo --early-data --cert $K/server-ecdsa-chain.pem --key $K/server-ecdsa.key"
  printf 'early-from-gnutls\n' >"$T/e5"
  out=""
  if peer_wait_port "$P" 5; then
    out=$( (echo ping; sleep 2) | timeout 10 gnutls-cli --port "$P" --x509cafile "$K/ca.pem" \
      --verify-hostname localhost --resume --earlydata "$T/e5" 127.0.0.1 2>&1)
  fi
  stop
  echo "$out" | grep -q 'This is a resumed session' &&
    got "$T/ours.log" 'resumed early_data=accepted' && got "$T/ours.log" 'early-from-gnutls'
  result $? "$N"
fi

N="tls13 client -> gnutls-serv --pskpasswd: external PSK"
if want "$N" && have "$N" gnutls-serv; then
  P=$(peer_free_port)
  echo "client1:$KEY" >"$T/psk.txt"
  start gnutls "gnutls-serv --port $P --x509certfile $K/server-ecdsa.pem --x509keyfile $K/server-ecdsa.key --echo --pskpasswd $T/psk.txt --priority NORMAL:-VERS-ALL:+VERS-TLS1.3:+PSK:+ECDHE-PSK:+DHE-PSK"
  peer_wait_port "$P" 5 && ours --send $'x\n' --psk-identity client1 --psk "$KEY" >"$T/c.out" 2>&1
  rc=$?; stop
  [ $rc = 0 ] && got "$T/c.out" '"psk":"external"'
  result $? "$N"
fi

N="gnutls-cli --pskusername -> tls13 server: external PSK"
if want "$N" && have "$N" gnutls-cli; then
  P=$(peer_free_port)
  start ours "$X server --port $P --count 1 --echo --psk-identity client1 --psk $KEY"
  out=""
  if peer_wait_port "$P" 5; then
    out=$( (echo ping-psk; sleep 2) | timeout 10 gnutls-cli --port "$P" --pskusername client1 \
      --pskkey "$KEY" --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.3:+ECDHE-PSK:+PSK' 127.0.0.1 2>&1)
  fi
  stop
  echo "$out" | grep -q '^ping-psk' && got "$T/ours.log" 'psk=external'
  result $? "$N"
fi

# -------------------------------------------------------------- BoringSSL --
N="tls13 client -> bssl-tool server -early-data: resumption + 0-RTT accepted"
if want "$N" && have "$N" bssl-tool; then
  P=$(peer_free_port)
  start bssl "bssl-tool server -accept $P -min-version tls1.3 -max-version tls1.3 -cert $K/server-ecdsa.pem -key $K/server-ecdsa.key -early-data -loop -www"
  peer_wait_port "$P" 5 && ours --send $'GET / HTTP/1.0\r\n\r\n' --sess-out "$T/s6" >/dev/null 2>&1 &&
    ours --sess-in "$T/s6" --early-data "$T/req.txt" >"$T/c.out" 2>&1
  rc=$?; sleep 0.5; stop
  [ $rc = 0 ] && got "$T/c.out" "$early_json" && got "$T/c.out" "$ok_json" &&
    got "$T/bssl.log" 'Early data: yes' && got "$T/bssl.log" 'Resumed session: yes'
  result $? "$N"
fi

N="bssl-tool client -test-resumption -early-data -> tls13 server: resumption + 0-RTT accepted"
if want "$N" && have "$N" bssl-tool; then
  P=$(peer_free_port)
  start ours "$X server --port $P --count 2 --echo --early-data --cert $K/server-ecdsa-chain.pem --key $K/server-ecdsa.key"
  out=""
  if peer_wait_port "$P" 5; then
    out=$(sleep 2 | timeout 10 bssl-tool client -connect "127.0.0.1:$P" -root-certs "$K/ca.pem" \
      -server-name localhost -min-version tls1.3 -max-version tls1.3 -test-resumption \
      -early-data early-from-bssl 2>&1)
  fi
  stop
  echo "$out" | grep -q 'Resumed session: yes' && echo "$out" | grep -q 'Early data: yes' &&
    got "$T/ours.log" 'resumed early_data=accepted' && got "$T/ours.log" 'early-from-bssl'
  result $? "$N"
fi
na "bssl-tool: external PSK" "bssl-tool has no external PSK option"

# -------------------------------------------------------------------- NSS --
N="tls13 client -> selfserv -u -Z: resumption + 0-RTT accepted"
if want "$N" && have "$N" selfserv; then
  P=$(peer_free_port)
  start nss "selfserv -d sql:$K/nssdb -p $P -V tls1.3:tls1.3 -v -n server-ecdsa -u -Z"
  peer_wait_port "$P" 5 && ours --send $'GET / HTTP/1.0\r\n\r\n' --sess-out "$T/s7" >/dev/null 2>&1 &&
    sleep 11 &&  # selfserv rejects all 0-RTT in its first 10 s (anti-replay window)
    ours --sess-in "$T/s7" --early-data "$T/req.txt" >"$T/c.out" 2>&1
  rc=$?; stop
  [ $rc = 0 ] && got "$T/c.out" "$early_json" && got "$T/c.out" "$ok_json" &&
    got "$T/nss.log" '1 stateless resumes'
  result $? "$N"
fi

N="tstclnt -u -Z -L 2 -> tls13 server: resumption + 0-RTT accepted"
if want "$N" && have "$N" tstclnt; then
  P=$(peer_free_port)
  start ours "$X server --port $P --count 2 --www --early-data --cert $K/server-ecdsa-chain.pem --key $K/server-ecdsa.key"
  out=""
  if peer_wait_port "$P" 5; then
    out=$(timeout 10 tstclnt -h 127.0.0.1 -p "$P" -d "sql:$K/nssdb" -V tls1.3:tls1.3 -a localhost \
      -A "$T/req.txt" -u -Z -L 2 2>&1)
  fi
  stop
  echo "$out" | grep -q '1 stateless resumes' && [ "$(echo "$out" | grep -c 'HTTP/1.1 200')" = 2 ] &&
    got "$T/ours.log" 'resumed early_data=accepted'
  result $? "$N"
fi

N="tstclnt -z -> tls13 server: external PSK"
if want "$N" && have "$N" tstclnt; then
  P=$(peer_free_port)
  start ours "$X server --port $P --count 1 --www --psk-identity client1 --psk $KEY"
  out=""
  if peer_wait_port "$P" 5; then
    out=$(timeout 10 tstclnt -h 127.0.0.1 -p "$P" -d "sql:$K/nssdb" -V tls1.3:tls1.3 \
      -A "$T/req.txt" -z "0x$KEY:client1" 2>&1)
  fi
  stop
  echo "$out" | grep -q 'HTTP/1.1 200' && got "$T/ours.log" 'psk=external'
  result $? "$N"
fi
na "tls13 client -> selfserv -z: external PSK" \
  "selfserv -z never selects the PSK, not even for NSS's own tstclnt -z or s_client -psk"

# ------------------------------------------------------ peers without 0-RTT --
na "go-peer: 0-RTT" "Go's crypto/tls has no 0-RTT"
na "wolfssl-peer: 0-RTT" "Debian's wolfSSL is built without WOLFSSL_EARLY_DATA"
na "chromium: 0-RTT" "Chromium offers no early_data over TCP"

echo "early data interop: $pass passed, $fail failed"
[ $fail = 0 ]
