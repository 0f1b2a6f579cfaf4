#!/usr/bin/env bash
# CI fuzz smoke: builds every libFuzzer target (scripts/fuzz-build.sh: clang,
# ASan + UBSan, deterministic fuzzing mode) and runs each for a bounded time
# from its checked-in seeds (fuzz/corpus/TARGET). Fails when any target
# crashes, leaks, times out or trips a sanitizer; the reproducer is kept in
# build-fuzz/artifacts/. Prints one line per target: execs, exec/s, cov, ft.
#   scripts/fuzz-smoke.sh [TARGET...]     (no target: all)
#   TLS13_FUZZ_SMOKE_SECONDS=10           seconds per target (default 10)
#   --help                                this text
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/fuzz-lib.sh
if [[ "${1:-}" == --help ]]; then sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0; fi
seconds=${TLS13_FUZZ_SMOKE_SECONDS:-10}
dir=$(scripts/fuzz-build.sh | tail -1)
if (($#)); then
  targets=("$@")
else
  mapfile -t targets < <(fuzz_targets "$dir")
fi
((${#targets[@]})) || { echo "fuzz-smoke: no fuzz targets built in $dir/fuzz" >&2; exit 1; }
mkdir -p "$dir/artifacts" "$dir/smoke"
failed=()
printf '%-28s %10s %8s %7s %7s  %s\n' target execs exec/s cov ft result
for t in "${targets[@]}"; do
  work=$(mktemp -d "$dir/smoke/$t.XXXX")  # new inputs; the checked-in seeds stay as they are
  seeds=()
  [[ -d fuzz/corpus/$t ]] && seeds=("fuzz/corpus/$t")
  log="$dir/smoke/$t.log"
  rc=0
  "$dir/fuzz/$t" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=3072 -print_final_stats=1 \
    -artifact_prefix="$dir/artifacts/$t-" "$work" "${seeds[@]}" >"$log" 2>&1 || rc=$?
  rm -rf "$work"
  read -r execs rate cov ft < <(fuzz_stats "$log")
  result=pass
  if ((rc != 0)); then
    result="FAIL (exit $rc, log $log)"
    failed+=("$t")
    grep -E '^==[0-9]+==ERROR|SUMMARY|^artifact_prefix|Test unit written' "$log" | head -5 >&2 || true
  fi
  printf '%-28s %10s %8s %7s %7s  %s\n' "$t" "$execs" "$rate" "$cov" "$ft" "$result"
done
if ((${#failed[@]})); then
  echo "fuzz-smoke: ${#failed[@]} target(s) failed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz-smoke: ${#targets[@]} targets, ${seconds}s each, no crash"
