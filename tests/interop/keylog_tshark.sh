#!/usr/bin/env bash
# Our NSS key log lets an independent tool decrypt a captured session: tshark
# captures a loopback session of `tls13 client --keylog F` against `tls13 server`
# (and against openssl s_server), then `tshark -o tls.keylog_file:F` must show the
# application data (a unique marker the client sends, the server's answer) and the
# encrypted handshake messages; the same capture read without the key log must show
# neither, and the raw capture must not hold the marker. Prints "pass NAME" /
# "FAIL NAME" (with the evidence) per check, then "keylog tshark: N passed, M failed";
# exits non-zero on any FAIL. A missing tshark or openssl is a FAIL, never a skip.
# Usage: keylog_tshark.sh TLS13_BINARY SHARED_DIR
set -u
[ $# -ge 2 ] || { echo "usage: $0 TLS13_BINARY SHARED_DIR" >&2; exit 2; }

# In a private network namespace the loopback carries only this test's traffic.
if [ -z "${TLS13_PEERS_NETNS:-}" ]; then
  if command -v unshare >/dev/null && command -v ip >/dev/null &&
    unshare -n ip link set lo up 2>/dev/null; then
    export TLS13_PEERS_NETNS=private
    exec unshare -n bash -c 'ip link set lo up && exec bash "$0" "$@"' "$0" "$@"
  fi
  export TLS13_PEERS_NETNS=host
fi

X=$(realpath "$1") || exit 1
SHARED=$(realpath "$2") || exit 1
W=$(mktemp -d)
K=$W/pki
TP= SP=
trap '[ -n "$TP" ] && kill -9 "$TP" 2>/dev/null; [ -n "$SP" ] && kill -- "-$SP" 2>/dev/null
  wait 2>/dev/null; rm -rf "$W"' EXIT
trap 'exit 1' INT TERM
pass=0 fail=0
fatal() { echo "FAIL  setup: $*"; echo "keylog tshark: 0 passed, 1 failed"; exit 1; }
result() {  # RC NAME [EVIDENCE FILE...]
  local rc=$1 name=$2 f
  shift 2
  if [ "$rc" = 0 ]; then
    echo "pass  $name"; pass=$((pass + 1))
  else
    echo "FAIL  $name"; fail=$((fail + 1))
    for f in "$@"; do [ -s "$f" ] && { echo "      $f:"; tail -n 15 "$f" | sed 's/^/      | /'; }; done
  fi
}

[ -x "$X" ] || fatal "$X is not executable"
for t in tshark openssl; do
  command -v $t >/dev/null || fatal "$t not installed (scripts/bootstrap.sh installs it)"
done
[ -f "$SHARED/peers/lib.sh" ] || fatal "$SHARED/peers/lib.sh missing"
# shellcheck source=/dev/null
. "$SHARED/peers/lib.sh"
bash "$SHARED/peers/make-certs.sh" "$K" >"$W/setup.log" 2>&1 || fatal "make-certs.sh: $(tail -3 "$W/setup.log")"
# tshark reads no user preferences (a configured key log would spoil the control).
export HOME=$W XDG_CONFIG_HOME=$W/xdg

# capture_start PORT FILE: tshark on lo for tcp port PORT; returns once it captures.
capture_start() {
  timeout -s INT 90 tshark -i lo -f "tcp port $1" -w "$2" -q >"$2.log" 2>&1 </dev/null &
  TP=$!
  local i
  for ((i = 0; i < 200; i++)); do
    grep -q "Capturing on" "$2.log" && return 0
    kill -0 "$TP" 2>/dev/null || break
    sleep 0.1
  done
  return 1
}
# capture_stop FILE: once both FINs are in the file (or 5 s), stop tshark with SIGINT
# so that it writes out the capture, then wait for it (10 s, then KILL).
capture_stop() {
  local i end=$((SECONDS + 5))
  while ((SECONDS < end)); do
    [ "$(timeout 10 tshark -r "$1" -Y 'tcp.flags.fin == 1' 2>/dev/null | wc -l)" -ge 2 ] && break
    sleep 0.2
  done
  kill -INT "$TP" 2>/dev/null
  for ((i = 0; i < 100; i++)); do kill -0 "$TP" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$TP" 2>/dev/null
  wait "$TP" 2>/dev/null
  TP=
}
# decode CAP PORT OUT [KEYLOG]: the decrypted TLS stream, then the handshake types
# tshark could read (Certificate = 11 and Finished = 20 are encrypted in TLS 1.3).
decode() {
  local opt=()
  [ -n "${4:-}" ] && opt=(-o "tls.keylog_file:$4")
  {
    timeout 60 tshark -r "$1" -d "tcp.port==$2,tls" "${opt[@]}" -q -z follow,tls,ascii,0
    echo "handshake types: $(timeout 60 tshark -r "$1" -d "tcp.port==$2,tls" "${opt[@]}" \
      -Y tls.handshake -T fields -e tls.handshake.type | tr ',\n' '  ')"
  } >"$3" 2>&1
}

# session NAME SERVER_CMD SERVER_ANSWER_ERE: one captured session and its checks.
session() {
  local name=$1 cmd=$2 answer=$3 d=$W/$4 P marker rc i
  mkdir -p "$d"
  marker="tls13-keylog-marker-$(od -An -tx1 -N8 /dev/urandom | tr -d ' \n')"
  P=$(peer_free_port) || { result 1 "$name: no free port"; return; }
  if ! capture_start "$P" "$d/cap.pcapng"; then
    result 1 "$name: tshark did not start capturing" "$d/cap.pcapng.log"
    kill -9 "$TP" 2>/dev/null; TP=
    return
  fi
  export P d K X
  setsid bash -c "$cmd" >"$d/server.log" 2>&1 </dev/null &
  SP=$!
  rc=1
  if peer_wait_port "$P" 10 2>/dev/null; then
    timeout 20 "$X" client "127.0.0.1:$P" --servername localhost --cafile "$K/ca.pem" --once \
      --keylog "$d/client.keys" --send $'GET /'"$marker"$' HTTP/1.0\r\n\r\n' >"$d/client.log" 2>&1
    rc=$?
  fi
  for ((i = 0; i < 50; i++)); do kill -0 "$SP" 2>/dev/null || break; sleep 0.1; done
  kill -- "-$SP" 2>/dev/null
  wait "$SP" 2>/dev/null
  SP=
  capture_stop "$d/cap.pcapng"
  result $rc "$name: session completed" "$d/client.log" "$d/server.log"

  local l ok=0
  for l in CLIENT_HANDSHAKE_TRAFFIC_SECRET SERVER_HANDSHAKE_TRAFFIC_SECRET CLIENT_TRAFFIC_SECRET_0 \
    SERVER_TRAFFIC_SECRET_0 EXPORTER_SECRET; do
    grep -Eq "^$l [0-9a-f]{64} [0-9a-f]{64}([0-9a-f]{32})?\$" "$d/client.keys" 2>/dev/null ||
      { echo "no $l line" >>"$d/labels.log"; ok=1; }
  done
  result $ok "$name: the client's key log has the five labels" "$d/labels.log" "$d/client.keys"

  ! grep -aqF "$marker" "$d/cap.pcapng" && [ "$(stat -c %s "$d/cap.pcapng" 2>/dev/null || echo 0)" -gt 1000 ]
  result $? "$name: the capture holds the session, encrypted" "$d/cap.pcapng.log"

  decode "$d/cap.pcapng" "$P" "$d/plain.txt"
  ! grep -qF "$marker" "$d/plain.txt" && ! grep -Eq -- "$answer" "$d/plain.txt" &&
    ! grep -Eq '^handshake types: .*\<(11|20)\>' "$d/plain.txt" && grep -q '^handshake types: 1 2 ' "$d/plain.txt"
  result $? "$name: without the key log tshark sees ClientHello, ServerHello, nothing else" "$d/plain.txt"

  decode "$d/cap.pcapng" "$P" "$d/decrypted.txt" "$d/client.keys"
  grep -qF "GET /$marker HTTP/1.0" "$d/decrypted.txt" && grep -Eq -- "$answer" "$d/decrypted.txt" &&
    grep -Eq '^handshake types: 1 2 8 11 15 20 .*\<20\>' "$d/decrypted.txt"
  result $? "$name: with the client's key log tshark decrypts the handshake and both directions' data" "$d/decrypted.txt"

  if [ -s "$d/server.keys" ]; then
    decode "$d/cap.pcapng" "$P" "$d/decrypted-server.txt" "$d/server.keys"
    grep -qF "GET /$marker HTTP/1.0" "$d/decrypted-server.txt" && grep -Eq -- "$answer" "$d/decrypted-server.txt" &&
      cmp -s <(sort "$d/client.keys") <(grep -v '^#' "$d/server.keys" | sort)
    result $? "$name: the server's key log equals the client's and decrypts too" "$d/decrypted-server.txt" "$d/server.keys"
  fi
}

# Our server writes its key log through SSLKEYLOGFILE, the client through --keylog.
session "tls13 client -> tls13 server" \
  'SSLKEYLOGFILE=$d/server.keys exec timeout 30 "$X" server --port $P --count 1 --www --cert $K/server-ecdsa-chain.pem --key $K/server-ecdsa.key' \
  '^HTTP/1\.1 200 OK' ours
session "tls13 client -> openssl s_server" \
  'exec timeout 30 openssl s_server -accept 127.0.0.1:$P -tls1_3 -naccept 1 -www -cert $K/server-ecdsa.pem -key $K/server-ecdsa.key -cert_chain $K/ca.pem -keylogfile $d/server.keys' \
  'New, TLSv1\.3, Cipher is TLS_AES_128_GCM_SHA256' openssl

echo "keylog tshark: $pass passed, $fail failed"
((fail == 0))
