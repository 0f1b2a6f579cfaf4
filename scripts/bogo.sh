#!/usr/bin/env bash
# Runs BoringSSL's BoGo conformance runner against tls13's shim and prints
# the TLS 1.3 results per feature group, ending with
#   N passed, M failed, K unimplemented
# The runner is not part of this repository (tests/bogo/README.md says how
# to obtain and build one); pass its binary.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: scripts/bogo.sh RUNNER [-- EXTRA_RUNNER_FLAGS...]

  RUNNER   BoGo runner binary (a `go test -c` build of ssl/test/runner)

Environment:
  BOGO_SHIM     shim binary        (default: build/tls13-bogo-shim)
  BOGO_CONFIG   shim config        (default: tests/bogo/config.json)
  BOGO_FILTER   glob(s), ';'-separated: run only the listed tests matching one
  BOGO_WORKERS  parallel shims     (default: 2)
  BOGO_OUT      log directory      (default: build/bogo)

Runs every test in the config's TLS13Tests list with strict error matching
(no -loose-errors). Exits 1 if any test failed.
EOF
}

if [[ $# -lt 1 || "$1" == "-h" || "$1" == "--help" ]]; then
  usage
  [[ $# -lt 1 ]] && exit 2 || exit 0
fi
runner=$(realpath "$1")
shift
[[ "${1:-}" == "--" ]] && shift

root=$(cd "$(dirname "$0")/.." && pwd)
shim=$(realpath "${BOGO_SHIM:-$root/build/tls13-bogo-shim}")
config=$(realpath "${BOGO_CONFIG:-$root/tests/bogo/config.json}")
out=${BOGO_OUT:-$root/build/bogo}
workers=${BOGO_WORKERS:-2}
for f in "$runner" "$shim" "$config"; do
  [[ -e "$f" ]] || { echo "bogo.sh: missing $f" >&2; exit 2; }
done
mkdir -p "$out"

# The explicit TLS 1.3 test list (name globs alone miss some), optionally
# narrowed by BOGO_FILTER.
tests=$(python3 - "$config" "${BOGO_FILTER:-}" <<'EOF'
import fnmatch, json, sys
names = json.load(open(sys.argv[1]))["TLS13Tests"]
pats = [p for p in sys.argv[2].split(";") if p]
if pats:
    names = [n for n in names if any(fnmatch.fnmatchcase(n, p) for p in pats)]
print(";".join(names))
EOF
)
[[ -n "$tests" ]] || { echo "bogo.sh: no test matches" >&2; exit 2; }

# The runner writes temporary certificates; run it from a scratch directory.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log="$out/runner.log"
set +e
(cd "$work" && "$runner" -shim-path "$shim" -shim-config "$config" -num-workers "$workers" \
  -pipe -allow-unimplemented -test "$tests" "$@") >"$log" 2>&1
rc=$?
set -e
if ! grep -qE '^(PASSED|FAILED|UNIMPLEMENTED) \(' "$log"; then
  echo "bogo.sh: the runner ran no test (exit $rc); see $log" >&2
  tail -5 "$log" >&2
  exit 1
fi

python3 - "$log" "$config" "${BOGO_FILTER:-}" "$out/results.json" <<'EOF'
import collections, fnmatch, json, re, sys
log, config, filt, out = sys.argv[1:5]
text = open(log).read()
status = {}
for st, name in re.findall(r"^(PASSED|FAILED|UNIMPLEMENTED) \((.*)\)$", text, re.M):
    status[name] = st
cfg = json.load(open(config))
listed = cfg["TLS13Tests"]
pats = [p for p in filt.split(";") if p]
if pats:
    listed = [n for n in listed if any(fnmatch.fnmatchcase(n, p) for p in pats)]
disabled = [n for n in listed if n not in status and
            any(fnmatch.fnmatchcase(n, p.replace("[^", "[!")) for p in cfg["DisabledTests"])]

# Feature groups, first match wins (name patterns).
groups = [
    ("0-RTT", r"EarlyData|0RTT"),
    ("ECH", r"ECH"),
    ("compliance policies", r"^Compliance"),
    ("client auth", r"ClientAuth|ClientCert|Client-Sign-|Server-Verify|NoClientCertificate|"
                    r"RequireAnyClientCertificate|SkipClientCertificate|RetainOnlySHA256|"
                    r"CertificateVerification.*-Server-|SendExtensionOnClientCertificate|"
                    r"-Server-TLS13-(RSA|ECDSA|Ed25519)"),
    ("certificate verification", r"CertificateVerification|KeyUsage|GarbageCertificate|"
                                 r"EmptyCertificateList|CheckLeafCurve|ExtensionsOnIntermediates|"
                                 r"NoExtensionsOnIntermediate|DuplicateExtensionsOnCerts|"
                                 r"UnknownExtensionOnCertificate|LargeMessage"),
    ("signature algorithms", r"Sign-|Verify|BadECDSA|ECDSACurveMismatch|Ed25519|RSA-PSS|"
                             r"ServerAuth|InvalidSignature|NoCommonAlgorithms|DelegatedCredential"),
    ("groups/HRR", r"Curve|HelloRetryRequest|KeyShare|ECDH|Kyber|PointFormat|HRR|"
                   r"SecondClientHello|SecondServerHello"),
    ("SNI/ALPN", r"ServerName|ALPN|ALPS|NPN|SNI"),
    ("OCSP/SCT", r"OCSP|SignedCertificateTimestamp|SCT"),
    ("tickets/resumption", r"Resum|Ticket|Session|PSK|Binder"),
    ("KeyUpdate", r"KeyUpdate"),
    ("exporters", r"Export"),
    ("core", r""),
]
def group(name):
    for g, rx in groups:
        if re.search(rx, name):
            return g
counts = collections.OrderedDict((g, collections.Counter()) for g, _ in groups)
for n in listed:
    st = status.get(n, "DISABLED" if n in disabled else "NOT RUN")
    counts[group(n)][st] += 1
print(f"{'group':26} {'passed':>7} {'failed':>7} {'unimpl':>7} {'disabled':>9}")
for g, c in counts.items():
    if sum(c.values()):
        print(f"{g:26} {c['PASSED']:7} {c['FAILED']:7} {c['UNIMPLEMENTED']:7} {c['DISABLED']:9}")
failed = sorted(n for n in listed if status.get(n) == "FAILED")
for n in failed:
    print("FAILED:", n)
total = collections.Counter(status.get(n, "DISABLED" if n in disabled else "NOT RUN") for n in listed)
json.dump({"counts": {g: dict(c) for g, c in counts.items()}, "failed": failed}, open(out, "w"), indent=1)
print(f"{len(listed)} TLS 1.3 tests listed; {total['DISABLED']} disabled by config.json"
      + (f"; {total['NOT RUN']} not run" if total['NOT RUN'] else ""))
print(f"{total['PASSED']} passed, {total['FAILED']} failed, {total['UNIMPLEMENTED']} unimplemented")
sys.exit(1 if total["FAILED"] or total["NOT RUN"] else 0)
EOF
