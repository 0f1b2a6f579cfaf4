#!/usr/bin/env bash
# `tls13 load` against `tls13 server` on loopback, briefly: the report has
# its lines, handshakes happened, nothing failed; then --idle and --json.
# No timing is checked. Usage: load_smoke.sh path/to/tls13
set -u
X=${1:?path to the tls13 binary}
T=$(mktemp -d)
fail=0
check() { # name, regex, file
  if grep -Eq "$2" "$3"; then echo "ok   $1"; else echo "FAIL $1 (no /$2/)"; fail=1; fi
}
# A free port: let the kernel pick one.
P=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$X" server --port "$P" --echo --threads 2 >"$T/server.out" 2>"$T/server.err" &
SP=$!
trap 'kill $SP 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 100); do grep -q listening "$T/server.out" 2>/dev/null && break; sleep 0.1; done

"$X" load "127.0.0.1:$P" --insecure --connections 20 --duration 1 --bytes 4096 --resume \
  --server-pid "$SP" >"$T/load.txt" 2>&1
echo "exit $?" >>"$T/load.txt"
cat "$T/load.txt"
check "report header" '^tls13 load: 127\.0\.0\.1:[0-9]+, 20 connections' "$T/load.txt"
check "handshakes line" '^handshakes: [1-9][0-9]* in [0-9.]+ s = [0-9.]+ hs/s \(resumed [1-9][0-9]*\)' "$T/load.txt"
check "latency percentiles" '^latency ms: p50 [0-9.]+ p90 [0-9.]+ p99 [0-9.]+ max [0-9.]+' "$T/load.txt"
check "throughput line" '^throughput: sent [0-9.]+ MiB/s, received [0-9.]+ MiB/s' "$T/load.txt"
check "no errors" '^connections: [1-9][0-9]* completed, 0 errors' "$T/load.txt"
check "errors by alert" '^errors by alert: none' "$T/load.txt"
check "server cpu" '^server: pid [0-9]+, cpu [0-9.]+ s' "$T/load.txt"
check "exit status" '^exit 0' "$T/load.txt"

"$X" load "127.0.0.1:$P" --insecure --connections 50 --duration 0.5 --idle --server-pid "$SP" \
  >"$T/idle.txt" 2>&1
cat "$T/idle.txt"
check "idle established" '^idle: 50 of 50 connections established' "$T/idle.txt"
check "idle server rss" '^server rss: before [0-9]+ KiB, after [0-9]+ KiB, -?[0-9]+ bytes per connection' "$T/idle.txt"

# A wrong trust anchor: every handshake fails with the alert named.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=other \
  -keyout "$T/k.pem" -out "$T/ca.pem" -days 1 2>/dev/null
"$X" load "127.0.0.1:$P" --cafile "$T/ca.pem" --servername localhost --connections 5 --duration 0.5 \
  --json >"$T/bad.json" 2>&1
cat "$T/bad.json"
check "errors by alert (json)" '"errors_by_kind":\{"alert unknown_ca \(sent\)":[1-9]' "$T/bad.json"
exit $fail
