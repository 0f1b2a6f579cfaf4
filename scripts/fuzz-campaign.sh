#!/usr/bin/env bash
# A long fuzzing campaign by CPU time, not wall time, so figures stay comparable
# on a shared machine: runs each libFuzzer target (scripts/fuzz-build.sh) until
# it has used CPU_SECONDS of CPU, then interrupts it and records its final stats.
#   scripts/fuzz-campaign.sh [--cpu-seconds N] [--workers W] [TARGET...]
#   --cpu-seconds N   CPU seconds per target (default 600: 10 CPU-minutes)
#   --workers W       targets run side by side (default 1)
#   TLS13_FUZZ_NICE   nice level of the fuzzers (default 0)
# Corpora grow in build-fuzz/campaign/corpus/TARGET (checked-in seeds are read
# too); crashes land in build-fuzz/artifacts/; one line per target is appended to
# build-fuzz/campaign/results.txt. Exits non-zero when any target crashed.
set -euo pipefail
cd "$(dirname "$0")/.."
cpu=600 workers=1
while (($#)); do
  case $1 in
    --cpu-seconds) cpu=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) break ;;
  esac
done
dir=$(scripts/fuzz-build.sh | tail -1)
if (($#)); then
  targets=("$@")
else
  mapfile -t targets < <(find "$dir/fuzz" -maxdepth 1 -type f -name 'fuzz_*' -perm -u+x \
                           ! -name fuzz_corpus_gen -printf '%f\n' | sort)
fi
camp=$dir/campaign
mkdir -p "$camp/claims" "$camp/logs" "$camp/corpus" "$dir/artifacts"
rm -rf "$camp/claims"/*
tick=$(getconf CLK_TCK)
results=$camp/results.txt

# CPU seconds (user + system) a process has used so far.
cpu_of() { awk -v t="$tick" '{print int(($14 + $15) / t)}' "/proc/$1/stat" 2>/dev/null || echo -1; }

run_one() {
  local t=$1 log=$camp/logs/$1.log seeds=() rc=0 start used=0
  mkdir -p "$camp/corpus/$t"
  [[ -d fuzz/corpus/$t ]] && seeds=("fuzz/corpus/$t")
  start=$(date +%s)
  nice -n "${TLS13_FUZZ_NICE:-0}" "$dir/fuzz/$t" -max_total_time=$((cpu * 20)) -timeout=25 \
    -rss_limit_mb=3072 -print_final_stats=1 -artifact_prefix="$dir/artifacts/$t-" \
    "$camp/corpus/$t" "${seeds[@]}" >"$log" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    used=$(cpu_of "$pid")
    if ((used >= cpu)); then kill -INT "$pid"; break; fi
    sleep 2
  done
  wait "$pid" || rc=$?
  local wall=$(($(date +%s) - start))
  local execs rate cov ft corp result=pass
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  corp=$(find "$camp/corpus/$t" -type f | wc -l)
  # 72 is libFuzzer's exit code when interrupted, which is how a run ends here.
  if ! ((rc == 0 || (rc == 72 && used >= cpu))); then
    result="FAIL (exit $rc, log $log)"
  fi
  printf '%-28s %7s %7s %11s %8s %6s %6s %7s  %s\n' "$t" "$used" "$wall" "${execs:-?}" \
    "${rate:-?}" "${cov:-?}" "${ft:-?}" "$corp" "$result" | tee -a "$results"
}

worker() {
  for t in "${targets[@]}"; do
    mkdir "$camp/claims/$t" 2>/dev/null || continue  # another worker has it
    run_one "$t"
  done
}

printf '%-28s %7s %7s %11s %8s %6s %6s %7s  %s\n' target cpu_s wall_s execs exec/s cov ft corpus \
  result | tee -a "$results"
for ((w = 0; w < workers; w++)); do worker & done
wait
if grep -q FAIL <(tail -n "${#targets[@]}" "$results"); then
  echo "fuzz-campaign: a target failed (see $results)" >&2
  exit 1
fi
echo "fuzz-campaign: ${#targets[@]} targets, ${cpu} CPU-seconds each, no crash"
