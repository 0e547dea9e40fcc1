#!/usr/bin/env bash
# The documentation's own gate: rustdoc gives no warnings for the core or a
# face (broken or private intra-doc links, bad code fences), and every
# public item of esafety has a code example (scripts/doc-examples.mjs;
# `cargo test --doc` runs the examples). It reads rustdoc's JSON output,
# which needs the pinned nightly the fuzz targets already use.
set -euo pipefail
cd "$(dirname "$0")/.."
NIGHTLY=nightly-2026-05-01
dir=target/rustdoc-json
CARGO_TARGET_DIR="$dir" cargo "+$NIGHTLY" rustdoc --quiet -p esafety --lib -- \
  -D warnings -Z unstable-options --output-format json
node scripts/doc-examples.mjs "$dir/doc/esafety.json"
# The faces' docs too (one at a time: esafety-ffi's library is also named
# `esafety`, so documenting it beside the core would overwrite one).
for face in esafety-ffi esafety-wasm esafety-cli; do
  CARGO_TARGET_DIR="$dir" RUSTDOCFLAGS="-D warnings" cargo "+$NIGHTLY" doc --quiet --no-deps -p "$face"
done
# The nightly's check artifacts (about 110 MB) would be rebuilt in 20 s;
# dropping them keeps target/ under 2 GB.
rm -rf "$dir/debug"
