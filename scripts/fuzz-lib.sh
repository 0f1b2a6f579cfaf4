# Sourced by scripts/fuzz-smoke.sh and scripts/fuzz-campaign.sh.

# The fuzz targets built in DIR/fuzz (the corpus generator is not one).
fuzz_targets() {
  find "$1/fuzz" -maxdepth 1 -type f -name 'fuzz_*' -perm -u+x ! -name fuzz_corpus_gen \
    -printf '%f\n' | sort
}

# A libFuzzer log's final figures (-print_final_stats=1), as the words
# "EXECS EXEC/S COV FT" ("?" for a figure the log lacks).
fuzz_stats() {
  local execs rate cov ft
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$1" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$1" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$1" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$1" | tail -1 | cut -d' ' -f2)
  echo "${execs:-?} ${rate:-?} ${cov:-?} ${ft:-?}"
}
