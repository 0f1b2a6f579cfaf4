#!/usr/bin/env bash
# Builds the libFuzzer targets (scripts/fuzz-build.sh: clang, ASan + UBSan,
# deterministic fuzzing mode) and runs one for SECONDS:
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer args...]
#   scripts/fuzz.sh fuzz_server 600 -jobs=2
# Targets: fuzz_client fuzz_server fuzz_record fuzz_reassembler fuzz_extensions
# fuzz_finished and one fuzz_<message> per handshake message decoder.
# New inputs go to build-fuzz/corpus/TARGET; the checked-in seeds
# fuzz/corpus/TARGET (scripts/fuzz-corpus.sh) are read too. Crashes land in
# build-fuzz/artifacts/. TLS13_FUZZ_DETERMINISTIC=0 fuzzes real crypto.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == --help || $# -lt 2 ]]; then
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
  [[ "${1:-}" == --help ]] && exit 0 || exit 2
fi
target=$1 seconds=$2
shift 2
dir=$(scripts/fuzz-build.sh "$target" | tail -1)
mkdir -p "$dir/corpus/$target" "$dir/artifacts"
seeds=()
[[ -d "fuzz/corpus/$target" ]] && seeds=("fuzz/corpus/$target")
exec "$dir/fuzz/$target" -max_total_time="$seconds" -print_final_stats=1 \
  -artifact_prefix="$dir/artifacts/$target-" "$dir/corpus/$target" "${seeds[@]}" "$@"
