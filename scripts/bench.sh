#!/usr/bin/env bash
# tls13 vs OpenSSL's libssl vs the crypto limit, measured side by side in one
# run (issue 6, ../shared/design/bench-method.md). Builds build/tls13-bench if
# needed, runs it with a progress line, and writes docs/bench-results.txt and
# docs/bench-plot.png (installs gnuplot-nox when missing).
#
#   scripts/bench.sh                 5 rounds, the representative set
#   scripts/bench.sh --rounds 3 --all    any tls13-bench option passes through
#   scripts/bench.sh --plot-only     redraw the plot from docs/bench-results.txt
set -euo pipefail
cd "$(dirname "$0")/.."
results=docs/bench-results.txt
plot=docs/bench-plot.png

plot_only=0
args=()
rounds=5
while (($#)); do
  case $1 in
    --plot-only) plot_only=1 ;;
    --rounds) rounds=$2; shift ;;
    *) args+=("$1") ;;
  esac
  shift
done

if ((!plot_only)); then
  if [[ ! -f build/build.ninja && ! -f build/Makefile ]]; then
    scripts/bootstrap.sh --no-peers
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  fi
  cmake --build build --target tls13_bench -j 2 >/dev/null
  mkdir -p docs
  echo "bench: tls13-bench --with-openssl --rounds $rounds ${args[*]} (several minutes)" >&2
  build/tls13-bench --with-openssl --rounds "$rounds" --progress "${args[@]}" > "$results.tmp"
  mv "$results.tmp" "$results"
fi
[[ -s $results ]] || { echo "bench: no $results" >&2; exit 1; }

# The issue's table: tls13, OpenSSL, limit and the ratios, from the results.
awk '
  /^#/ { if ($0 ~ /DISTURBED|medians over/) print; next }
  { v[$1] = $2 }
  END {
    k = "ecdsa_p256.aes128gcm.x25519"
    printf "%-44s %10s %10s %10s %9s %9s\n", "metric (" k ")", "tls13", "OpenSSL", "limit", "/limit", "/OpenSSL"
    n = split("hs_full." k ".server hs_full." k ".client hs_full." k ".pair hs_resume." k ".pair " \
              "bulk.aes128gcm.send bulk.aes128gcm.recv", m, " ")
    for (i = 1; i <= n; i++) {
      t = v["tls13." m[i]]; o = v["ossl." m[i]]; l = v["limit." m[i]]
      printf "%-44s %10.0f %10.0f %10.0f %9.2f %9.2f\n", m[i], t, o, l, (l ? t / l : 0), (o ? t / o : 0)
    }
    n = split("hs_full." k ".allocs hs_resume." k ".allocs bulk.aes128gcm.allocs_per_record " \
              "mem." k ".pair_peak_hs mem." k ".pair_idle mem." k ".server_idle mem." k ".client_idle", m, " ")
    for (i = 1; i <= n; i++)
      printf "%-44s %10.0f %10.0f\n", m[i], v["tls13." m[i]], v["ossl." m[i]]
  }' "$results"

# The plot: rates of tls13, OpenSSL and the limit side by side.
if ! command -v gnuplot >/dev/null; then
  echo "bench: installing gnuplot-nox" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends gnuplot-nox >/dev/null
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk -v hs="$tmp/hs.dat" -v bulk="$tmp/bulk.dat" '
  /^#/ { next }
  { v[$1] = $2 }
  END {
    k = "ecdsa_p256.aes128gcm.x25519"
    n = split("hs_full." k ".server:full server|hs_full." k ".client:full client|hs_full." k ".pair:full pair|" \
              "hs_resume." k ".pair:resumed pair|hs_full.rsa2048.aes128gcm.x25519.pair:RSA full pair|" \
              "hs_full.ed25519.aes128gcm.x25519.pair:Ed25519 full pair", m, "|")
    for (i = 1; i <= n; i++) {
      split(m[i], p, ":")
      if (("tls13." p[1]) in v)
        printf "\"%s\" %s %s %s\n", p[2], v["tls13." p[1]], v["ossl." p[1]] + 0, v["limit." p[1]] + 0 > hs
    }
    n = split("aes128gcm aes256gcm chacha20", s, " ")
    for (i = 1; i <= n; i++)
      for (d = 1; d <= 2; d++) {
        dir = d == 1 ? "send" : "recv"
        key = "bulk." s[i] "." dir
        if (("tls13." key) in v)
          printf "\"%s %s\" %s %s %s\n", s[i], dir, v["tls13." key], v["ossl." key] + 0, v["limit." key] + 0 > bulk
      }
  }' "$results"
gnuplot <<EOF_PLOT
set terminal pngcairo size 1400,560 font ",10"
set output "$plot"
set multiplot layout 1,2 title "tls13 vs OpenSSL 3.0 libssl vs crypto limit (one thread, in memory; $(date -u +%Y-%m-%d))"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set grid ytics
set key top right
set xtics rotate by -25
set title "handshakes/s (ECDSA P-256 unless named; AES-128-GCM, X25519)"
set yrange [0:*]
plot "$tmp/hs.dat" using 2:xtic(1) title "tls13" lc rgb "#2a7ab9", \
     "" using 3 title "OpenSSL libssl" lc rgb "#c0392b", \
     "" using 4 title "crypto limit" lc rgb "#95a5a6"
set title "bulk MiB/s, 16 KiB records"
plot "$tmp/bulk.dat" using 2:xtic(1) title "tls13" lc rgb "#2a7ab9", \
     "" using 3 title "OpenSSL libssl" lc rgb "#c0392b", \
     "" using 4 title "crypto limit" lc rgb "#95a5a6"
unset multiplot
EOF_PLOT
echo "bench: wrote $results and $plot" >&2
