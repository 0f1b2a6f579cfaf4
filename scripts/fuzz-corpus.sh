#!/usr/bin/env bash
# Regenerates the checked-in seed corpora fuzz/corpus/<target>/ from real
# in-memory handshakes (fuzz/corpus_gen.cpp, deterministic fuzz build):
#   scripts/fuzz-corpus.sh            (--help: this text)
# Each endpoint recording is replayed once to prove it reaches the same state.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == --help ]]; then sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0; fi
dir=$(TLS13_FUZZ_DETERMINISTIC=1 scripts/fuzz-build.sh fuzz_corpus_gen | tail -1)
rm -rf fuzz/corpus
"$dir/fuzz/fuzz_corpus_gen" fuzz/corpus
echo "fuzz/corpus: $(find fuzz/corpus -type f | wc -l) files, $(du -s --apparent-size -k fuzz/corpus | cut -f1) KiB"
