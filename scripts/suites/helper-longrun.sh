#!/usr/bin/env bash
# The Squid helper's long run (issue 31): 1,000,000 request lines with
# channel ids through the release `esafety squid-helper`, a SIGHUP every
# 50,000 lines and the bundle replaced at every other one (one generation
# corrupt); every answer checked. Ignored by `cargo test` (too slow in a
# debug build), so run here on the release binary. Prints its wall time.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TERM_COLOR=never
printf -- '--- helper-longrun: cargo test --release -p esafety-cli --test squid_helper_longrun -- --ignored\n'
start=$(date +%s)
cargo test --release -p esafety-cli --test squid_helper_longrun -- --ignored --nocapture
printf -- '--- helper-longrun: %s s wall\n' "$(( $(date +%s) - start ))"
