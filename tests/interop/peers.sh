#!/usr/bin/env bash
# Interop over loopback with every independent TLS 1.3 peer of SHARED_DIR/peers
# (README.md there): GnuTLS, NSS, BoringSSL (bssl-tool), Go, wolfSSL and headless
# Chromium. Our client against each peer's server, each peer's client against our
# server: every suite, group and certificate type the peer supports, ALPN, SNI, a
# forced HelloRetryRequest and KeyUpdate (wolfSSL). Each case checks both sides'
# reports. Prints one line per peer x case (pass / FAIL / n/a with the reason), then
# "peers interop: N passed, M failed"; exits non-zero on any FAIL. A missing peer
# binary is a FAIL, never a skip.
# Usage: peers.sh TLS13_BINARY SHARED_DIR [CASE_REGEX]   (PEERS_JOBS: parallel cases, default 3)
set -u
[ $# -ge 2 ] || { echo "usage: $0 TLS13_BINARY SHARED_DIR [CASE_REGEX]" >&2; exit 2; }

# gnutls-serv, selfserv and bssl-tool server bind the wildcard address: run the whole
# test in a private network namespace with only loopback when we may (root here).
if [ -z "${TLS13_PEERS_NETNS:-}" ]; then
  if command -v unshare >/dev/null && command -v ip >/dev/null &&
    unshare -n ip link set lo up 2>/dev/null; then
    export TLS13_PEERS_NETNS=private
    exec unshare -n bash -c 'ip link set lo up && exec bash "$0" "$@"' "$0" "$@"
  fi
  export TLS13_PEERS_NETNS="host (unshare -n not permitted: wildcard peer servers bind all interfaces)"
fi

X=$(realpath "$1") || exit 1
SHARED=$(realpath "$2") || exit 1
FILTER=${3:-.}
JOBS=${PEERS_JOBS:-3}
W=$(mktemp -d)
C=$W/pki B=$W/bin
export X C B W
[ -z "${PEERS_KEEP:-}" ] || touch "$W/keep"   # keep the work files
# On any exit, stop the cases and every server process group still registered in $W/pg.
trap 'kill $(jobs -p) 2>/dev/null; for g in "$W"/pg/*; do [ -e "$g" ] && kill -- "-${g##*/}"; done 2>/dev/null
  wait 2>/dev/null; [ -f "$W/keep" ] || rm -rf "$W"' EXIT
trap 'exit 1' INT TERM
fatal() { echo "FAIL  setup: $*"; echo "peers interop: 0 passed, 1 failed"; exit 1; }

[ -x "$X" ] || fatal "$X is not executable"
[ -f "$SHARED/peers/lib.sh" ] || fatal "$SHARED/peers/lib.sh missing"
# shellcheck source=/dev/null
. "$SHARED/peers/lib.sh"
bash "$SHARED/peers/make-certs.sh" "$C" >"$W/setup.log" 2>&1 || fatal "make-certs.sh: $(tail -3 "$W/setup.log")"
# A missing go or wolfSSL is reported by each case that needs the peer.
[ -w "${HOME:-/nonexistent}" ] || export GOCACHE=$W/gocache
bash "$SHARED/peers/build-peers.sh" "$B" >>"$W/setup.log" 2>&1 ||
  echo "note: build-peers.sh failed: $(tail -2 "$W/setup.log" | tr '\n' ' ')"
# selfserv -a NAME answers SNI NAME only (any other name: unrecognized_name), and only
# when a certificate in its database has the nickname NAME.
if command -v certutil >/dev/null && [ -d "$C/nssdb" ]; then
  cp -r "$C/nssdb" "$W/nssdb-sni" &&
    certutil --rename -n server-rsa --new-n server.test -d "sql:$W/nssdb-sni" >>"$W/setup.log" 2>&1
fi
printf 'GET / HTTP/1.0\r\n\r\n' >"$W/req.txt"
mkdir -p "$W/res" "$W/ports" "$W/pg"

# --- case table ----------------------------------------------------------------------
# add srv PEER NAME 'PEER SERVER CMD' 'OUR CLIENT ARGS' 'PEER ERE@@..' 'OUR ERE@@..'
# add cli PEER NAME 'OUR SERVER ARGS' 'PEER CLIENT CMD' 'PEER ERE@@..' 'OUR ERE@@..'
# add na  PEER NAME srv|cli|both 'REASON'
# Commands run under bash -c with $P (port), $C (certs), $B (built peers), $W, $X.
# srv: our client's JSON line must show "peer_verified":true and exit 0; the peer
# server's log must match PEER ERE. cli: our server (--www) must log "handshake
# complete" plus OUR ERE; the peer client must exit 0 and its output (with our page)
# must match PEER ERE.
N=0
declare -a KIND PEER NAME A1 A2 A3 A4
add() {
  [[ "$2 $3" =~ $FILTER ]] || return 0
  KIND[N]=$1 PEER[N]=$2 NAME[N]=$3 A1[N]=$4 A2[N]=${5:-} A3[N]=${6:-} A4[N]=${7:-}
  N=$((N + 1))
}

SUITES=(TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256
        TLS_AES_128_CCM_SHA256 TLS_AES_128_CCM_8_SHA256)
GROUPS_=(x25519 secp256r1 secp384r1 secp521r1 x448 ffdhe2048 ffdhe3072)
CERTS=(ecdsa ecdsa384 rsa rsapss ed25519)
declare -A SIG=([ecdsa]=ecdsa_secp256r1_sha256 [ecdsa384]=ecdsa_secp384r1_sha384
  [rsa]=rsa_pss_rsae_sha256 [rsapss]=rsa_pss_pss_sha256 [ed25519]=ed25519)
j() { echo "\"$1\":\"$2\""; }                      # a field of our client's JSON line
jb() { echo "\"$1\":$2"; }                      # a JSON boolean
page() { echo "$1</td><td>$2"; }                  # a row of our server's --www page
ours_ok() { echo "handshake complete: ${1:-\S+} ${2:-\S+}"; }  # our server's log line:
ours_nohrr() { echo "handshake complete: \S+ $1( sni=\S+)?\$"; }  # ... [sni=] [alpn=] [hello_retry_request]
ours_hrr() { echo "handshake complete: \S+ $1 .*hello_retry_request\$"; }
OURSRV() { echo "--cert \$C/server-${1:-ecdsa}-chain.pem --key \$C/server-${1:-ecdsa}.key"; }
CCM_NA="no AES-CCM suites"

# --- GnuTLS 3.7 ------------------------------------------------------------------------
declare -A GT_S=([TLS_AES_128_GCM_SHA256]=AES-128-GCM [TLS_AES_256_GCM_SHA384]=AES-256-GCM
  [TLS_CHACHA20_POLY1305_SHA256]=CHACHA20-POLY1305 [TLS_AES_128_CCM_SHA256]=AES-128-CCM
  [TLS_AES_128_CCM_8_SHA256]=AES-128-CCM-8)
declare -A GT_G=([x25519]=X25519 [secp256r1]=SECP256R1 [secp384r1]=SECP384R1 [secp521r1]=SECP521R1
  [x448]=X448 [ffdhe2048]=FFDHE2048 [ffdhe3072]=FFDHE3072)
declare -A GT_KX=([x25519]=ECDHE-X25519 [secp256r1]=ECDHE-SECP256R1 [secp384r1]=ECDHE-SECP384R1
  [secp521r1]=ECDHE-SECP521R1 [x448]=ECDHE-X448 [ffdhe2048]=DHE-FFDHE2048 [ffdhe3072]=DHE-FFDHE3072)
declare -A GT_SIG=([ecdsa]=ECDSA-SECP256R1-SHA256 [ecdsa384]=ECDSA-SECP384R1-SHA384
  [rsa]=RSA-PSS-RSAE-SHA256 [rsapss]=RSA-PSS-SHA256 [ed25519]=EdDSA-Ed25519)
GPRIO='NORMAL:-VERS-ALL:+VERS-TLS1.3'
gs() { echo "exec gnutls-serv --port \$P --x509certfile \$C/server-${1:-ecdsa}.pem --x509keyfile \$C/server-${1:-ecdsa}.key --echo"; }
gc() { echo "(cat \$W/req.txt; sleep 1) | gnutls-cli --port \$P --x509cafile \$C/ca.pem --verify-hostname localhost"; }
GD='Description: \(TLS1.3-X.509\)'
for s in "${SUITES[@]}"; do
  add srv gnutls "suite $s" "$(gs) --priority '$GPRIO:-CIPHER-ALL:+${GT_S[$s]}'" "--suites $s" \
    "$GD-.*-\(${GT_S[$s]}\)\$" "$(j cipher_suite "$s")"
  add cli gnutls "suite $s" "--suites $s $(OURSRV)" "$(gc) --priority '$GPRIO:-CIPHER-ALL:+${GT_S[$s]}' 127.0.0.1" \
    "$GD-.*-\(${GT_S[$s]}\)\$@@Handshake was completed@@$(page 'cipher suite' "$s")" "$(ours_ok "$s")"
done
for g in "${GROUPS_[@]}"; do
  add srv gnutls "group $g" "$(gs) --priority '$GPRIO:-GROUP-ALL:+GROUP-${GT_G[$g]}'" "--groups $g" \
    "$GD-\(${GT_KX[$g]}\)-" "$(j group "$g")@@$(jb hello_retry_request false)"
  add cli gnutls "group $g" "--groups $g $(OURSRV)" "$(gc) --priority '$GPRIO:-GROUP-ALL:+GROUP-${GT_G[$g]}' 127.0.0.1" \
    "$GD-\(${GT_KX[$g]}\)-@@Handshake was completed" "$(ours_nohrr "$g")"
done
for k in "${CERTS[@]}"; do
  add srv gnutls "certificate $k" "$(gs "$k") --priority '$GPRIO'" "" "$GD-.*-\(${GT_SIG[$k]}\)-" "$(j signature_scheme "${SIG[$k]}")"
  add cli gnutls "certificate $k" "$(OURSRV "$k")" "$(gc) 127.0.0.1" \
    "subject \`CN=server-$k,@@The certificate is trusted@@$GD-.*-\(${GT_SIG[$k]}\)-@@$(page signature "${SIG[$k]}")" "$(ours_ok)"
done
add srv gnutls "ALPN" "$(gs) --priority '$GPRIO' --alpn h2" "--alpn http/1.1,h2" \
  "Application protocol: h2" "$(j alpn h2)"
add cli gnutls "ALPN" "--alpn h2 $(OURSRV)" "$(gc) --alpn http/1.1 --alpn h2 127.0.0.1" \
  "Application protocol: h2@@$(page ALPN h2)" "$(ours_ok).* alpn=h2( |\$)"
add srv gnutls "SNI server.test" "$(gs) --priority '$GPRIO'" "--servername server.test" \
  "Given server name\[1\]: server.test" "$(j server_name server.test)"
add cli gnutls "SNI server.test" "$(OURSRV)" \
  "$(gc | sed 's/localhost/server.test/') --sni-hostname server.test 127.0.0.1" \
  "Handshake was completed@@$(page SNI server.test)" "$(ours_ok) sni=server.test"
add srv gnutls "HRR (server wants secp384r1)" "$(gs) --priority '$GPRIO:-GROUP-ALL:+GROUP-SECP384R1' -d 4" \
  "--groups x25519,secp384r1" "requesting retry with group SECP384R1@@$GD-\(ECDHE-SECP384R1\)-" \
  "$(jb hello_retry_request true)@@$(j group secp384r1)"
add cli gnutls "HRR (client shares x25519)" "--groups secp384r1,x25519 $(OURSRV)" \
  "$(gc) --priority '$GPRIO:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP384R1' --single-key-share -d 4 127.0.0.1" \
  "HELLO RETRY REQUEST.*was received@@$GD-\(ECDHE-SECP384R1\)-@@$(page HelloRetryRequest yes)" "$(ours_hrr secp384r1)"

# --- NSS 3.87 --------------------------------------------------------------------------
declare -A NS_S=([TLS_AES_128_GCM_SHA256]=:1301 [TLS_AES_256_GCM_SHA384]=:1302 [TLS_CHACHA20_POLY1305_SHA256]=:1303)
declare -A NS_SLOG=([TLS_AES_128_GCM_SHA256]='128-bit AES-GCM' [TLS_AES_256_GCM_SHA384]='256-bit AES-GCM'
  [TLS_CHACHA20_POLY1305_SHA256]='256-bit CHACHA20POLY1305')
declare -A NS_G=([x25519]=x25519 [secp256r1]=P256 [secp384r1]=P384 [secp521r1]=P521 [ffdhe2048]=FF2048 [ffdhe3072]=FF3072)
declare -A NS_GBITS=([x25519]=255 [secp256r1]=256 [secp384r1]=384 [secp521r1]=521 [ffdhe2048]=2048 [ffdhe3072]=3072)
declare -A NS_KBITS=([ecdsa]=256 [ecdsa384]=384 [rsa]=2048 [rsapss]=2048)
ss() { echo "exec selfserv -d sql:\$C/nssdb -p \$P -V tls1.3:tls1.3 -v -n server-${1:-ecdsa}"; }
tc() { echo "tstclnt -h 127.0.0.1 -p \$P -d sql:\$C/nssdb -V tls1.3:tls1.3 -a localhost -A \$W/req.txt"; }
NSV='SSL version 3.4 using'
HTTP_OK='HTTP/1.1 200 OK'
for s in "${SUITES[@]}"; do
  if [ -z "${NS_S[$s]:-}" ]; then add na nss "suite $s" both "$CCM_NA in NSS"; continue; fi
  add srv nss "suite $s" "$(ss) -c ${NS_S[$s]}" "--suites $s" "$NSV ${NS_SLOG[$s]}" "$(j cipher_suite "$s")"
  add cli nss "suite $s" "--suites $s $(OURSRV)" "$(tc) -c ${NS_S[$s]}" \
    "$HTTP_OK@@$(page 'cipher suite' "$s")" "$(ours_ok "$s")"
done
for g in "${GROUPS_[@]}"; do
  if [ -z "${NS_G[$g]:-}" ]; then add na nss "group $g" both "NSS has no x448"; continue; fi
  dh=; [[ $g == ffdhe* ]] && dh=' -H 1'
  add srv nss "group $g" "$(ss) -I ${NS_G[$g]}$dh" "--groups $g" "Key Exchange: ${NS_GBITS[$g]}-bit TLS 1.3" \
    "$(j group "$g")@@$(jb hello_retry_request false)"
  add cli nss "group $g" "--groups $g $(OURSRV)" "$(tc) -I ${NS_G[$g]}" "$HTTP_OK@@$(page group "$g")" "$(ours_nohrr "$g")"
done
for k in "${CERTS[@]}"; do
  if [ "$k" = ed25519 ]; then add na nss "certificate $k" both "NSS 3.87 has no Ed25519 in TLS"; continue; fi
  js=; [ "$k" = rsapss ] && js=' -J rsa_pss_pss_sha256'   # NSS leaves rsa_pss_pss off by default
  add srv nss "certificate $k" "$(ss "$k")$js" "" "Server Auth: ${NS_KBITS[$k]}-bit@@subject DN: CN=server-$k," \
    "$(j signature_scheme "${SIG[$k]}")"
  add cli nss "certificate $k" "$(OURSRV "$k")" "$(tc)$js" \
    "subject DN: CN=server-$k,@@$HTTP_OK@@$(page signature "${SIG[$k]}")" "$(ours_ok)"
done
add srv nss "ALPN" "$(ss) -Q" "--alpn h2,http/1.1" "$NSV" "$(j alpn http/1.1)"   # -Q: http/1.1 only
add na nss "ALPN" cli "tstclnt has no ALPN option"
add srv nss "SNI server.test" "$(ss | sed 's|\$C/nssdb|$W/nssdb-sni|') -a server.test" "--servername server.test" \
  "$NSV" "$(j server_name server.test)"   # selfserv -a: any other name gets unrecognized_name
add cli nss "SNI server.test" "$(OURSRV)" "$(tc | sed 's/-a localhost/-a server.test/')" \
  "$HTTP_OK@@$(page SNI server.test)" "$(ours_ok) sni=server.test"
add srv nss "HRR (server wants secp384r1)" "$(ss) -I P384" "--groups x25519,secp384r1" \
  "Key Exchange: 384-bit" "$(jb hello_retry_request true)@@$(j group secp384r1)"
add cli nss "HRR (client shares x25519)" "--groups secp384r1,x25519 $(OURSRV)" "$(tc) -I x25519,P384" \
  "$HTTP_OK@@$(page HelloRetryRequest yes)" "$(ours_hrr secp384r1)"

# --- BoringSSL (Android 13 bssl-tool) --------------------------------------------------
declare -A BS_G=([x25519]=X25519 [secp256r1]=P-256 [secp384r1]=P-384 [secp521r1]=P-521)
bs() { echo "exec bssl-tool server -accept \$P -min-version tls1.3 -max-version tls1.3 -www -cert \$C/server-${1:-ecdsa}.pem -key \$C/server-${1:-ecdsa}.key"; }
bc() { echo "(cat \$W/req.txt; sleep 1) | bssl-tool client -connect 127.0.0.1:\$P -root-certs \$C/ca.pem -server-name localhost -min-version tls1.3 -max-version tls1.3"; }
for s in "${SUITES[@]}"; do
  if [[ $s == *CCM* ]]; then add na bssl "suite $s" both "$CCM_NA in BoringSSL"; continue; fi
  # BoringSSL's TLS 1.3 suites are not configurable: our side restricts.
  add srv bssl "suite $s" "$(bs)" "--suites $s" "Cipher: $s" "$(j cipher_suite "$s")"
  add cli bssl "suite $s" "--suites $s $(OURSRV)" "$(bc)" "Cipher: $s@@$(page 'cipher suite' "$s")" "$(ours_ok "$s")"
done
for g in "${GROUPS_[@]}"; do
  if [ -z "${BS_G[$g]:-}" ]; then add na bssl "group $g" both "BoringSSL has no x448/ffdhe"; continue; fi
  add srv bssl "group $g" "$(bs) -curves ${BS_G[$g]}" "--groups $g" "ECDHE curve: ${BS_G[$g]}" \
    "$(j group "$g")@@$(jb hello_retry_request false)"
  add cli bssl "group $g" "--groups $g $(OURSRV)" "$(bc) -curves ${BS_G[$g]}" \
    "ECDHE curve: ${BS_G[$g]}@@$(page group "$g")" "$(ours_nohrr "$g")"
done
for k in "${CERTS[@]}"; do
  if [ "$k" = rsapss ]; then add na bssl "certificate $k" both "BoringSSL cannot load RSASSA-PSS keys, offers no rsa_pss_pss"; continue; fi
  sa=; [ "$k" = ed25519 ] && sa=' -sigalgs ed25519'   # not in bssl's default verify list
  add srv bssl "certificate $k" "$(bs "$k")" "" "Version: TLSv1.3" "$(j signature_scheme "${SIG[$k]}")"
  add cli bssl "certificate $k" "$(OURSRV "$k")" "$(bc)$sa" \
    "Signature algorithm: ${SIG[$k]}@@Cert subject: .*CN = server-$k\$@@$(page signature "${SIG[$k]}")" "$(ours_ok)"
done
add na bssl "ALPN" srv "bssl-tool server has no ALPN option"
add cli bssl "ALPN" "--alpn h2 $(OURSRV)" "$(bc) -alpn-protos http/1.1,h2" "ALPN protocol: h2@@$(page ALPN h2)" "$(ours_ok).* alpn=h2( |\$)"
add srv bssl "SNI server.test" "$(bs)" "--servername server.test" "Client sent SNI: server.test" "$(j server_name server.test)"
add cli bssl "SNI server.test" "$(OURSRV)" "$(bc | sed 's/-server-name localhost/-server-name server.test/')" \
  "Version: TLSv1.3@@$(page SNI server.test)" "$(ours_ok) sni=server.test"
add srv bssl "HRR (server wants secp384r1)" "$(bs) -curves P-384" "--groups x25519,secp384r1" \
  "ECDHE curve: P-384" "$(jb hello_retry_request true)@@$(j group secp384r1)"
add cli bssl "HRR (client shares x25519)" "--groups secp384r1,x25519 $(OURSRV)" "$(bc) -curves X25519:P-384" \
  "ECDHE curve: P-384@@$(page HelloRetryRequest yes)" "$(ours_hrr secp384r1)"
add cli bssl "GREASE, permuted extensions" "$(OURSRV)" "$(bc) -grease -permute-extensions -alpn-protos h2" \
  "Version: TLSv1.3@@$(page group x25519)" "$(ours_ok)"

# --- Go 1.19 crypto/tls (go-peer) ------------------------------------------------------
declare -A GO_G=([x25519]=x25519 [secp256r1]=p256 [secp384r1]=p384 [secp521r1]=p521)
go_s() { echo "exec \$B/go-peer -mode server -port \$P -cert \$C/server-${1:-ecdsa}.pem -key \$C/server-${1:-ecdsa}.key"; }
go_c() { echo "\$B/go-peer -mode client -port \$P -ca \$C/ca.pem -sni localhost"; }
GOK='handshake ok: version=TLSv1.3'
for s in "${SUITES[@]}"; do
  if [[ $s == *CCM* ]]; then add na go "suite $s" both "$CCM_NA in Go"; continue; fi
  # Go's TLS 1.3 suites are not configurable: our side restricts.
  add srv go "suite $s" "$(go_s)" "--suites $s" "$GOK cipher=$s" "$(j cipher_suite "$s")"
  add cli go "suite $s" "--suites $s $(OURSRV)" "$(go_c)" "$GOK cipher=$s@@received .*$HTTP_OK" "$(ours_ok "$s")"
done
for g in "${GROUPS_[@]}"; do
  if [ -z "${GO_G[$g]:-}" ]; then add na go "group $g" both "Go has no x448/ffdhe"; continue; fi
  add srv go "group $g" "$(go_s) -groups ${GO_G[$g]}" "--groups $g" "$GOK" "$(j group "$g")@@$(jb hello_retry_request false)"
  add cli go "group $g" "--groups $g $(OURSRV)" "$(go_c) -groups ${GO_G[$g]}" "$GOK@@received .*$HTTP_OK" "$(ours_nohrr "$g")"
done
for k in "${CERTS[@]}"; do
  if [ "$k" = rsapss ]; then add na go "certificate $k" both "Go cannot parse RSASSA-PSS keys, offers no rsa_pss_pss"; continue; fi
  add srv go "certificate $k" "$(go_s "$k")" "" "$GOK" "$(j signature_scheme "${SIG[$k]}")"
  add cli go "certificate $k" "$(OURSRV "$k")" "$(go_c)" "$GOK.*peer=\"CN=server-$k,@@received .*$HTTP_OK" "$(ours_ok)"
done
add srv go "ALPN" "$(go_s) -alpn h2" "--alpn http/1.1,h2" "$GOK.* alpn=h2 " "$(j alpn h2)"
add cli go "ALPN" "--alpn h2 $(OURSRV)" "$(go_c) -alpn http/1.1,h2" "$GOK.* alpn=h2 @@received .*$HTTP_OK" "$(ours_ok).* alpn=h2( |\$)"
add srv go "SNI server.test" "$(go_s)" "--servername server.test" "$GOK.* sni=server.test " "$(j server_name server.test)"
add cli go "SNI server.test" "$(OURSRV)" "$(go_c | sed 's/-sni localhost/-sni server.test/')" \
  "$GOK.* sni=server.test @@received .*$HTTP_OK" "$(ours_ok) sni=server.test"
add srv go "HRR (server wants secp384r1)" "$(go_s) -groups p384" "--groups x25519,secp384r1" "$GOK" \
  "$(jb hello_retry_request true)@@$(j group secp384r1)"
add cli go "HRR (client shares x25519)" "--groups secp384r1,x25519 $(OURSRV)" "$(go_c) -groups x25519,p384" \
  "$GOK@@received .*$HTTP_OK" "$(ours_hrr secp384r1)"

# --- wolfSSL 5.5.4 (wolfssl-peer) ------------------------------------------------------
declare -A WS_S=([TLS_AES_128_GCM_SHA256]=TLS13-AES128-GCM-SHA256 [TLS_AES_256_GCM_SHA384]=TLS13-AES256-GCM-SHA384
  [TLS_CHACHA20_POLY1305_SHA256]=TLS13-CHACHA20-POLY1305-SHA256 [TLS_AES_128_CCM_SHA256]=TLS13-AES128-CCM-SHA256
  [TLS_AES_128_CCM_8_SHA256]=TLS13-AES128-CCM-8-SHA256)
declare -A WS_G=([x25519]=x25519 [secp256r1]=p256 [secp384r1]=p384 [secp521r1]=p521 [x448]=x448
  [ffdhe2048]=ffdhe2048 [ffdhe3072]=ffdhe3072)
# wolfSSL's own group= report is unreliable for x448/ffdhe (README 3.6): EC groups only.
declare -A WS_GLOG=([x25519]=X25519 [secp256r1]=SECP256R1 [secp384r1]=SECP384R1 [secp521r1]=SECP521R1)
ws() { echo "exec \$B/wolfssl-peer -mode server -port \$P -cert \$C/server-${1:-ecdsa}.pem -key \$C/server-${1:-ecdsa}.key"; }
wc_() { echo "\$B/wolfssl-peer -mode client -port \$P -ca \$C/ca.pem -sni localhost"; }
for s in "${SUITES[@]}"; do
  add srv wolfssl "suite $s" "$(ws) -ciphers ${WS_S[$s]}" "--suites $s" "$GOK cipher=$s" "$(j cipher_suite "$s")"
  add cli wolfssl "suite $s" "--suites $s $(OURSRV)" "$(wc_) -ciphers ${WS_S[$s]}" \
    "$GOK cipher=$s@@received .*$HTTP_OK" "$(ours_ok "$s")"
done
for g in "${GROUPS_[@]}"; do
  wg=$GOK; [ -n "${WS_GLOG[$g]:-}" ] && wg="$GOK .*group=${WS_GLOG[$g]} "
  add srv wolfssl "group $g" "$(ws) -groups ${WS_G[$g]}" "--groups $g" "$wg" "$(j group "$g")@@$(jb hello_retry_request false)"
  add cli wolfssl "group $g" "--groups $g $(OURSRV)" "$(wc_) -groups ${WS_G[$g]}" "$wg@@received .*$HTTP_OK" "$(ours_nohrr "$g")"
done
for k in "${CERTS[@]}"; do
  if [ "$k" = rsapss ]; then
    add na wolfssl "certificate $k" both "wolfSSL 5.5.4 signs rsa_pss_rsae with an RSASSA-PSS key and its client rejects rsa_pss_pss (-425); the same against OpenSSL"
    continue
  fi
  add srv wolfssl "certificate $k" "$(ws "$k")" "" "$GOK" "$(j signature_scheme "${SIG[$k]}")"
  pe="peer=\"/O=tls13 test/CN=server-$k\""; [ "$k" = ed25519 ] && pe='peer="\?"'   # README 3.6
  add cli wolfssl "certificate $k" "$(OURSRV "$k")" "$(wc_)" "$GOK.*$pe@@received .*$HTTP_OK" "$(ours_ok)"
done
add srv wolfssl "ALPN" "$(ws) -alpn h2" "--alpn http/1.1,h2" "$GOK.* alpn=h2 " "$(j alpn h2)"
add cli wolfssl "ALPN" "--alpn h2 $(OURSRV)" "$(wc_) -alpn http/1.1,h2" "$GOK.* alpn=h2 @@received .*$HTTP_OK" "$(ours_ok).* alpn=h2( |\$)"
add srv wolfssl "SNI server.test" "$(ws)" "--servername server.test" "$GOK.* sni=server.test " "$(j server_name server.test)"
add cli wolfssl "SNI server.test" "$(OURSRV)" "$(wc_ | sed 's/-sni localhost/-sni server.test/')" \
  "$GOK.* sni=server.test @@received .*$HTTP_OK" "$(ours_ok) sni=server.test"
add srv wolfssl "HRR (server wants secp384r1)" "$(ws) -groups p384" "--groups x25519,secp384r1" \
  "$GOK .*group=SECP384R1 " "$(jb hello_retry_request true)@@$(j group secp384r1)"
add cli wolfssl "HRR (client shares x25519)" "--groups secp384r1,x25519 $(OURSRV)" \
  "$(wc_) -groups x25519,p384 -keyshare x25519" "$GOK .*group=SECP384R1 @@received .*$HTTP_OK" "$(ours_hrr secp384r1)"
add cli wolfssl "HRR (empty key_share)" "$(OURSRV)" "$(wc_) -nokeyshare" \
  "$GOK@@received .*$HTTP_OK" "$(ours_hrr x25519)"
# KeyUpdate (RFC 8446 §4.6.3) both ways. wolfssl-peer -keyupdate sends one with
# update_requested right after the handshake but prints nothing about it, so our
# --trace shows each KeyUpdate sent and received (">>"/"<<") and each application-data
# record after it; the peer's echo (or its reading of our page) proves it decrypted our
# data under our new key, and our reading of its data proves the same the other way.
KU='KeyUpdate +update'
add srv wolfssl "KeyUpdate both ways (both request)" "$(ws) -keyupdate" "--keyupdate --trace" \
  "$GOK@@conn 1: echoed 18 bytes@@!FAILED" \
  "^>> ${KU}_requested\$ ==> ^>> application data +18 bytes\$@@^<< ${KU}_requested\$ ==> ^>> ${KU}_not_requested\$@@^<< ${KU}_not_requested\$ ==> ^<< application data +18 bytes\$"
add cli wolfssl "KeyUpdate (peer requests)" "--trace $(OURSRV)" "$(wc_) -keyupdate" \
  "$GOK@@received [1-9][0-9]* bytes: $HTTP_OK@@!FAILED" \
  "^<< ${KU}_requested\$ ==> ^>> ${KU}_not_requested\$@@^<< ${KU}_requested\$ ==> ^<< application data +18 bytes\$@@^>> ${KU}_not_requested\$ ==> ^>> application data +[1-9][0-9]* bytes\$"

# --- Chromium 156 headless (client only) -----------------------------------------------
# Trusts the test CA through an NSS database in a fresh HOME; fresh profile per case.
CH='mkdir -p $W/ch-$P/home/.pki/nssdb && certutil -N -d sql:$W/ch-$P/home/.pki/nssdb --empty-password'
CH+=' && certutil -A -d sql:$W/ch-$P/home/.pki/nssdb -n testca -t C,, -i $C/ca.pem && HOME=$W/ch-$P/home'
CH+=' chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking'
CH+=' --disable-component-update --disable-sync --user-data-dir=$W/ch-$P/profile --dump-dom'
ch() { echo "$CH https://localhost:\$P/"; }
for s in "${SUITES[@]}"; do
  if [[ $s == *CCM* ]]; then add na chromium "suite $s" cli "$CCM_NA in Chromium"; continue; fi
  add cli chromium "suite $s" "--suites $s $(OURSRV)" "$(ch)" "$(page 'cipher suite' "$s")" "$(ours_ok "$s")"
done
for g in "${GROUPS_[@]}"; do
  case $g in
    x25519) add cli chromium "group $g (beside X25519MLKEM768)" "$(OURSRV)" "$(ch)" \
      "$(page group x25519)@@$(page HelloRetryRequest no)" "$(ours_nohrr x25519)" ;;
    secp256r1 | secp384r1) add cli chromium "group $g (HRR: Chromium shares only MLKEM, x25519)" \
      "--groups $g $(OURSRV)" "$(ch)" "$(page group "$g")@@$(page HelloRetryRequest yes)" "$(ours_hrr "$g")" ;;
    *) add na chromium "group $g" cli "Chromium offers X25519MLKEM768, x25519, P-256, P-384 only" ;;
  esac
done
for k in "${CERTS[@]}"; do
  case $k in
    rsapss | ed25519) add na chromium "certificate $k" cli "Chromium offers no rsa_pss_pss / ed25519 signature" ;;
    *) add cli chromium "certificate $k" "$(OURSRV "$k")" "$(ch)" "$(page signature "${SIG[$k]}")" "$(ours_ok)" ;;
  esac
done
add cli chromium "ALPN (offers h2,http/1.1)" "--alpn http/1.1 $(OURSRV)" "$(ch)" "$(page ALPN http/1.1)" "$(ours_ok).* alpn=http/1.1( |\$)"
add cli chromium "SNI server.test" "$(OURSRV)" "$CH --host-resolver-rules='MAP server.test 127.0.0.1' https://server.test:\$P/" \
  "$(page SNI server.test)" "$(ours_ok) sni=server.test"
add cli chromium "HRR (our server prefers secp256r1)" "--groups secp256r1,x25519 $(OURSRV)" "$(ch)" \
  "$(page HelloRetryRequest yes)@@$(page group secp256r1)" "$(ours_hrr secp256r1)"

# --- running a case ------------------------------------------------------------------
declare -A SRVBIN=([gnutls]=gnutls-serv [nss]=selfserv [bssl]=bssl-tool [go]='$B/go-peer' [wolfssl]='$B/wolfssl-peer')
declare -A CLIBIN=([gnutls]=gnutls-cli [nss]=tstclnt [bssl]=bssl-tool [go]='$B/go-peer' [wolfssl]='$B/wolfssl-peer' [chromium]=chromium)
declare -A SRVNAME=([gnutls]=gnutls-serv [nss]=selfserv [bssl]='bssl-tool server' [go]='go-peer server' [wolfssl]='wolfssl-peer server')
declare -A CLINAME=([gnutls]=gnutls-cli [nss]=tstclnt [bssl]='bssl-tool client' [go]='go-peer client' [wolfssl]='wolfssl-peer client' [chromium]=chromium)

alloc_port() {  # peer_free_port, made unique among our parallel cases
  local p i
  for ((i = 0; i < 50; i++)); do
    p=$(peer_free_port) || return 1
    mkdir "$W/ports/$p" 2>/dev/null && { echo "$p"; return 0; }
  done
  return 1
}
need() {  # BIN...: false (and says so) when a peer binary is missing
  local b
  for b in "$@"; do
    b=$(eval echo "$b")
    if [[ $b == */* ]]; then [ -x "$b" ] || { echo "peer binary missing: $b"; return 1; }
    else command -v "$b" >/dev/null || { echo "peer binary missing: $b (run install-peers.sh)"; return 1; }; fi
  done
}
sanitizer_clean() {  # FILE: no AddressSanitizer / LeakSanitizer / UBSan report (sanitizer builds)
  ! grep -Eq 'ERROR: [A-Za-z]+Sanitizer|runtime error:' "$1" || { echo "sanitizer report in $2"; return 1; }
}
check() {  # FILE 'ERE@@ERE' LABEL: prints each unmet ERE. '!ERE': no line may match;
  # 'A ==> B': the first line matching A comes before the last line matching B.
  local f=$1 re bad=0 res a b
  [ -n "$2" ] || return 0
  IFS=$'\x1f' read -r -a res <<<"${2//@@/$'\x1f'}"
  for re in "${res[@]}"; do
    if [[ $re == !* ]]; then
      ! grep -Eq -- "${re#!}" "$f" || { echo "$3 has: ${re#!}"; bad=1; }
    elif [[ $re == *' ==> '* ]]; then
      a=$(grep -Enm1 -- "${re%% ==> *}" "$f" | cut -d: -f1)
      b=$(grep -En -- "${re#* ==> }" "$f" | tail -n 1 | cut -d: -f1)
      [ -n "$a" ] && [ -n "$b" ] && ((a < b)) || { echo "$3 lacks, in this order: $re"; bad=1; }
    else
      grep -Eq -- "$re" "$f" || { echo "$3 lacks: $re"; bad=1; }
    fi
  done
  return $bad
}
wait_gone() {  # PID TENTHS: wait for a server that exits by itself
  local i
  for ((i = 0; i < $2; i++)); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
}
stop_group() { kill -- "-$1" 2>/dev/null; wait "$1" 2>/dev/null; rm -f "$W/pg/$1"; }
tail_log() { [ -s "$1" ] && { echo "$2:"; grep -v 'dbus\|^$' "$1" | tail -n 12 | sed 's/^/    | /'; }; }

case_srv() {  # our client against the peer's server; $d: work dir
  local cmd=$1 args=$2 pre=$3 ore=$4 sp rc ok=0 sni=--servername=localhost
  need "${SRVBIN[$p]}" || return 1
  P=$(alloc_port) || { echo "no free port"; return 1; }
  export P
  setsid bash -c "$cmd" >"$d/peer.log" 2>&1 </dev/null &
  sp=$!
  : >"$W/pg/$sp"
  if ! peer_wait_port "$P" 10 2>/dev/null; then
    echo "peer server did not listen on $P"; stop_group "$sp"; tail_log "$d/peer.log" "peer server"; return 1
  fi
  [[ $args == *--servername* ]] && sni=
  # shellcheck disable=SC2086
  timeout 20 "$X" client "127.0.0.1:$P" $sni --cafile "$C/ca.pem" --json --once \
    --send $'GET / HTTP/1.0\r\n\r\n' $args >"$d/ours.log" 2>&1
  rc=$?
  # bssl-tool, go-peer and wolfssl-peer exit after one connection; gnutls-serv and
  # selfserv serve until killed (both write their log as they go).
  case $p in bssl | go | wolfssl) wait_gone "$sp" 20 ;; *) sleep 0.2 ;; esac
  stop_group "$sp"
  [ $rc = 0 ] || { echo "tls13 client exited $rc"; ok=1; }
  check "$d/ours.log" '"peer_verified":true'"${ore:+@@$ore}" "tls13 client output" || ok=1
  check "$d/peer.log" "$pre" "peer server log" || ok=1
  sanitizer_clean "$d/ours.log" "tls13 client output" || ok=1
  ((ok == 0)) || { tail_log "$d/ours.log" "tls13 client"; tail_log "$d/peer.log" "peer server"; }
  return $ok
}

case_cli() {  # the peer's client against our server
  local args=$1 cmd=$2 pre=$3 ore=$4 sp rc ok=0 count=1
  need "${CLIBIN[$p]}" || return 1
  [ "$p" = chromium ] && { need certutil || return 1; count=20; }  # Chromium may open several
  P=$(alloc_port) || { echo "no free port"; return 1; }
  export P
  setsid bash -c "exec timeout 60 \"\$X\" server --port \$P --count $count --www $args" >"$d/ours.log" 2>&1 </dev/null &
  sp=$!
  : >"$W/pg/$sp"
  if ! peer_wait_port "$P" 10 2>/dev/null; then
    echo "tls13 server did not listen on $P"; stop_group "$sp"; tail_log "$d/ours.log" "tls13 server"; return 1
  fi
  timeout 40 bash -c "$cmd" >"$d/peer.log" 2>&1 </dev/null
  rc=$?
  [ "$p" = chromium ] || wait_gone "$sp" 20
  stop_group "$sp"
  [ $rc = 0 ] || { echo "peer client exited $rc"; ok=1; }
  check "$d/peer.log" "$pre" "peer client output" || ok=1
  check "$d/ours.log" "handshake complete${ore:+@@$ore}" "tls13 server log" || ok=1
  sanitizer_clean "$d/ours.log" "tls13 server log" || ok=1
  ((ok == 0)) || { tail_log "$d/peer.log" "peer client"; tail_log "$d/ours.log" "tls13 server"; }
  return $ok
}

run_case() {  # INDEX: prints the matrix line, then on FAIL the evidence
  local i=$1 p=${PEER[$1]} d=$W/case-$1 dir detail rc t0=$SECONDS
  mkdir -p "$d"
  case ${KIND[i]} in
    na)
      case ${A1[i]} in
        srv) dir="tls13 client -> ${SRVNAME[$p]}" ;;
        cli) dir="${CLINAME[$p]} -> tls13 server" ;;
        *) dir="both directions" ;;
      esac
      printf 'n/a   %-8s  %-34s  %s (%s)\n' "$p" "$dir" "${NAME[i]}" "${A2[i]}"
      return ;;
    srv) dir="tls13 client -> ${SRVNAME[$p]}"; detail=$(case_srv "${A1[i]}" "${A2[i]}" "${A3[i]}" "${A4[i]}"); rc=$? ;;
    cli) dir="${CLINAME[$p]} -> tls13 server"; detail=$(case_cli "${A1[i]}" "${A2[i]}" "${A3[i]}" "${A4[i]}"); rc=$? ;;
  esac
  if [ $rc = 0 ]; then
    printf 'pass  %-8s  %-34s  %s\n' "$p" "$dir" "${NAME[i]}"
  else
    printf 'FAIL  %-8s  %-34s  %s  (%d s)\n' "$p" "$dir" "${NAME[i]}" $((SECONDS - t0))
    echo "$detail" | sed 's/^/      /'
    touch "$W/keep"
  fi
}

echo "interop peers matrix: $N cases, $JOBS at a time; network namespace: $TLS13_PEERS_NETNS"
t0=$SECONDS next=0
flush() { while [ -f "$W/res/$next.done" ]; do cat "$W/res/$next"; next=$((next + 1)); done; }
for ((i = 0; i < N; i++)); do
  while (($(jobs -rp | wc -l) >= JOBS)); do wait -n; flush; done
  (run_case "$i" >"$W/res/$i" 2>&1; touch "$W/res/$i.done") &
done
wait
flush
pass=$(cat "$W"/res/[0-9]* | grep -c '^pass ')
fail=$(cat "$W"/res/[0-9]* | grep -c '^FAIL ')
na=$(cat "$W"/res/[0-9]* | grep -c '^n/a ')
((pass + fail + na == N)) || { echo "FAIL  runner: $((N - pass - fail - na)) case(s) left no result"; fail=$((fail + N - pass - fail - na)); }
echo "$na case(s) n/a (the peer lacks the feature); $((SECONDS - t0)) s"
((fail == 0)) || echo "work files kept in $W"
echo "peers interop: $pass passed, $fail failed"
((fail == 0))
