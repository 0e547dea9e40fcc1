#!/usr/bin/env bash
# The `esafety report` scale bench: N generated decision records (default
# 10 million; `generate-records`, real records decided by the engine),
# then `esafety report --json` on one core (taskset -c 0) under
# /usr/bin/time -v: wall time and peak resident memory (maximum resident
# set size). Goal (issue 33): <= 20 s and <= 256 MB for 10 million.
#
#   benches/report-scale.sh [N]        (ESAFETY_BENCH_DIR: where the log goes; default /tmp)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000000}
dir=${ESAFETY_BENCH_DIR:-/tmp}
log="$dir/esafety-report-scale-$n.jsonl"
cargo build --release -q -p esafety-cli -p esafety-benches --bin esafety --bin generate-records
if [[ ! -s "$log" ]]; then
  echo "generating $n records into $log" >&2
  target/release/generate-records "$n" > "$log.tmp"
  mv "$log.tmp" "$log"
fi
ls -l "$log" >&2
out="$dir/esafety-report-scale-$n.json"
taskset -c 0 /usr/bin/time -v target/release/esafety report --json --log "$log" > "$out" 2> "$out.time"
grep -E "Elapsed \(wall clock\)|Maximum resident set size|User time|System time" "$out.time"
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print("records", s["records"], "blocked", s["blocked"], "alerts", s["alerts"], "bad", s["bad_records"])' "$out"
