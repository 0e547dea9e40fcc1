#!/usr/bin/env bash
# Runs every cargo-fuzz target for a short time with the pinned nightly.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${1:-15}"
NIGHTLY=nightly-2026-05-01
targets=$(ls fuzz_targets/*.rs 2>/dev/null | xargs -rn1 basename | sed 's/\.rs$//')
[ -n "$targets" ] || { echo "no fuzz targets"; exit 0; }
for t in $targets; do
  echo "fuzz: $t (${seconds}s)"
  mkdir -p "corpus/$t"
  cargo "+$NIGHTLY" fuzz run "$t" "corpus/$t" -- -max_total_time="$seconds" -rss_limit_mb=2048 2>&1 | tail -n 3
done
