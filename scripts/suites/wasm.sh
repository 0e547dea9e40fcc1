#!/usr/bin/env bash
# The WebAssembly face: builds wasm/pkg in its two builds
# (scripts/build-wasm.sh, which gates both sizes), then runs the Node tests
# (both builds: test/extension-build.test.mjs decides the shared vectors with
# the extension build and JSON policies) (every export, the shared test
# vectors, the same JSON as the CLI, the extension's navigation check), the
# headless-Chromium browser test and the extension's end-to-end test, and a
# short run of the WebAssembly half of the benchmark.
# Needs what scripts/setup.sh installs (wasm32 target, wasm-bindgen-cli,
# chromium, wasm/node_modules). Runs unattended (CI=true, no stdin).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export ESAFETY_DATA="${ESAFETY_DATA:-$ROOT/../shared/data}"

if [ ! -d wasm/node_modules/playwright-core ]; then
  (cd wasm && npm ci --no-audit --no-fund)
fi

# Builds both builds (full: wasm/pkg; extension: wasm/pkg/extension) and
# fails if either is over its size gate (gzip -9; FULL_GOAL and
# EXTENSION_GOAL in build-wasm.sh: the build is the same bytes on every
# machine, so this is not a flaky measurement). wasm/README.md, "Size and speed", says
# where the bytes go.
bash scripts/build-wasm.sh
for build in web extension/web; do
  wasm="wasm/pkg/$build/esafety_bg.wasm"
  echo "wasm: $wasm is $(wc -c <"$wasm") bytes, $(gzip -9 -c "$wasm" | wc -c) bytes gzip -9"
done

# The package as published: `npm pack`, then publint (strict: warnings
# fail) and @arethetypeswrong/cli (every condition's types resolve and match
# the module kind) on the tarball, offline. test/package.test.mjs does the
# same and installs it into consumers.
pack_dir=$(mktemp -d)
trap 'rm -rf "$pack_dir"' EXIT
tarball=$(cd wasm && npm pack --offline --silent --pack-destination "$pack_dir" ./pkg | tail -n 1)
# `esafety/web` is the ES-module build only (by design: `require('esafety')`
# is the Node build) and the `.wasm` entries are files, not modules: they
# are checked without the one rule that says so.
(cd wasm && node_modules/.bin/attw "$pack_dir/$tarball" \
  --exclude-entrypoints ./web/esafety_bg.wasm ./extension/web/esafety_bg.wasm ./web ./extension/web)
(cd wasm && node_modules/.bin/attw "$pack_dir/$tarball" --entrypoints ./web ./extension/web \
  --ignore-rules cjs-resolves-to-esm)
mkdir -p "$pack_dir/unpacked" && tar -xzf "$pack_dir/$tarball" -C "$pack_dir/unpacked"
(cd wasm && node_modules/.bin/publint run "$pack_dir/unpacked/package" --pack false --strict)

# The CLI, for the same-JSON-as-the-CLI test.
cargo build -p esafety-cli
export ESAFETY_CLI="$TARGET_DIR/debug/esafety"

cd wasm
# One test file at a time: a managed-extension test force-installs its
# extension by a machine-wide policy file, which any other Chromium started
# meanwhile would also obey.
node --test --test-concurrency=1 --test-reporter=spec test/*.test.mjs test/browser/*.test.mjs

# A short benchmark run (Node half only: the native half needs a release
# build; ESAFETY_WASM_BENCH=1 runs both and checks they decide alike).
if [ -e "$ESAFETY_DATA/peer-lists/top500-sitelist.txt" ]; then
  if [ "${ESAFETY_WASM_BENCH:-0}" = 1 ]; then
    node bench/decide.mjs --seconds "${ESAFETY_WASM_BENCH_SECONDS:-3}"
  else
    node bench/decide.mjs --seconds 1 --rounds 1 --no-native
  fi
fi
