#!/usr/bin/env bash
# Concurrent-server figures on loopback, with one load generator (tls13 load)
# against both servers:
#   1. tls13 server (event loop, 1 thread; and --threads 2) vs openssl s_server -rev:
#      full handshakes, resumed handshakes, bulk echo; ROUNDS rounds, servers alternating,
#      medians printed;
#   2. IDLE (10 000) concurrent idle connections held by a fresh tls13 server, with its
#      resident memory per connection; s_server's answer to the same (it serves one
#      connection at a time).
# Same certificate (ECDSA P-256 leaf under a CA), TLS_AES_128_GCM_SHA256, x25519; the
# generator verifies the chain and the name on every full handshake.
#
# Usage: scripts/load.sh [BUILD_DIR]      (default: build)
# Env:   ROUNDS=3 DURATION=5 CONNS=50 IDLE=10000 BULK_BYTES=4194304
#        NICE=-8: run servers and generator at this nice level (root; e.g. the level of a
#        fuzz run sharing the machine, so that they get a fair share). RAW=FILE keeps the
#        JSON lines.
set -euo pipefail
B=${1:-build}
X=$(realpath "$B/tls13")
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5}
CONNS=${CONNS:-50}
IDLE=${IDLE:-10000}
BULK_BYTES=${BULK_BYTES:-4194304}
NICE=${NICE:-}
command -v openssl >/dev/null || { echo "openssl not found" >&2; exit 1; }
[ -x "$X" ] || { echo "$X not built (cmake --build $B --target tls13_cli)" >&2; exit 1; }

# Each end of a loopback connection is a descriptor: IDLE connections need IDLE in the
# server and IDLE in the generator (separate processes, separate limits).
ulimit -Hn 1048576 2>/dev/null || true
ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" -lt $((IDLE + 100)) ]; then
  echo "ulimit -n is $(ulimit -n): too low for $IDLE connections (run as root or lower IDLE)" >&2
  exit 1
fi

T=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$T"; }
trap cleanup EXIT
RAW=${RAW:-$T/raw.jsonl}
: >"$RAW"

# A command prefix, not a function: "$!" must be the server's own PID.
RUN=()
[ -n "$NICE" ] && RUN=(nice -n "$NICE")

# Test PKI.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=load-ca \
  -keyout "$T/ca.key" -out "$T/ca.pem" -days 30 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost \
  -keyout "$T/leaf.key" -out "$T/leaf.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' >"$T/ext"
openssl x509 -req -in "$T/leaf.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial \
  -out "$T/leaf.pem" -days 30 -extfile "$T/ext" 2>/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "nothing listens on port $1" >&2
  return 1
}
SERVER_PID=
start_tls13() { # port, threads
  "${RUN[@]}" "$X" server --port "$1" --threads "$2" --echo --cert "$T/leaf.pem" --key "$T/leaf.key" \
    >/dev/null 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  wait_port "$1"
}
start_ossl() { # port
  "${RUN[@]}" openssl s_server -accept "127.0.0.1:$1" -cert "$T/leaf.pem" -key "$T/leaf.key" -tls1_3 \
    -ciphersuites TLS_AES_128_GCM_SHA256 -groups X25519 -rev -quiet </dev/null >/dev/null 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  wait_port "$1"
}
load() { # label, port, pid, load options...
  local label=$1 port=$2 pid=$3
  shift 3
  "${RUN[@]}" "$X" load "127.0.0.1:$port" --cafile "$T/ca.pem" --servername localhost \
    --suites TLS_AES_128_GCM_SHA256 --groups x25519 --server-pid "$pid" --json "$@" |
    python3 -c 'import json,sys; j=json.loads(sys.stdin.read()); j["label"]=sys.argv[1]; print(json.dumps(j))' "$label" >>"$RAW" || true
}

echo "machine: $(nproc) CPUs, $(uname -r), $(openssl version | cut -d' ' -f1-2), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "rounds $ROUNDS x ${DURATION}s, $CONNS connections, bulk $BULK_BYTES bytes per connection${NICE:+, nice $NICE}"

P1=$(free_port); start_tls13 "$P1" 1; PID1=$SERVER_PID
P2=$(free_port); start_tls13 "$P2" 2; PID2=$SERVER_PID
P3=$(free_port); start_ossl "$P3"; PID3=$SERVER_PID
for r in $(seq "$ROUNDS"); do
  echo "round $r/$ROUNDS (load average $(cut -d' ' -f1 /proc/loadavg))" >&2
  for s in "tls13:$P1:$PID1" "tls13 --threads 2:$P2:$PID2" "s_server:$P3:$PID3"; do
    IFS=: read -r name port pid <<<"$s"
    load "$name|full" "$port" "$pid" --connections "$CONNS" --duration "$DURATION"
    load "$name|resumed" "$port" "$pid" --connections "$CONNS" --duration "$DURATION" --resume
    load "$name|bulk" "$port" "$pid" --connections 4 --duration "$DURATION" --resume --bytes "$BULK_BYTES"
  done
done
for p in "$PID1" "$PID2" "$PID3"; do kill "$p" 2>/dev/null || true; done

python3 - "$RAW" <<'EOF'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    j = json.loads(line)
    rows.setdefault(j["label"], []).append(j)
def med(xs): return statistics.median(xs) if xs else 0
print()
print("| server | run | handshakes/s | hs per server CPU-s | p50 ms | p90 ms | p99 ms | MiB/s echoed | errors |")
print("|---|---|---|---|---|---|---|---|---|")
for label, js in rows.items():
    name, kind = label.split("|")
    hs = med([j["handshakes_per_s"] for j in js])
    cpu = med([j.get("server", {}).get("handshakes_per_cpu_s", 0) for j in js])
    lat = {q: med([j["latency_ms"][q] for j in js]) for q in ("p50", "p90", "p99")}
    mib = med([j["mib_per_s_received"] for j in js])
    errs = {}
    for j in js:
        for k, v in j["errors_by_kind"].items(): errs[k] = errs.get(k, 0) + v
    e = ", ".join(f"{k}: {v}" for k, v in errs.items()) or "0"
    print(f"| {name} | {kind} | {hs:.0f} | {cpu:.0f} | {lat['p50']:.2f} | {lat['p90']:.2f} | {lat['p99']:.2f} | {mib:.1f} | {e} |")
EOF

echo
echo "idle: $IDLE connections held by a fresh tls13 server (1 thread)"
P4=$(free_port); start_tls13 "$P4" 1; PID4=$SERVER_PID
sleep 0.5
"${RUN[@]}" "$X" load "127.0.0.1:$P4" --cafile "$T/ca.pem" --servername localhost \
  --suites TLS_AES_128_GCM_SHA256 --groups x25519 --server-pid "$PID4" \
  --idle --connections "$IDLE" --duration 5 | grep -E '^(idle|server|client rss|kernel|errors|latency)' || true
kill "$PID4"

echo
echo "idle: openssl s_server -rev, 20 connections (it serves one connection at a time)"
P5=$(free_port); start_ossl "$P5"; PID5=$SERVER_PID
"${RUN[@]}" "$X" load "127.0.0.1:$P5" --cafile "$T/ca.pem" --servername localhost \
  --suites TLS_AES_128_GCM_SHA256 --groups x25519 --server-pid "$PID5" \
  --idle --connections 20 --duration 1 --timeout 3 | grep -E '^(idle|errors)' || true
kill "$PID5"
