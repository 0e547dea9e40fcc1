#!/usr/bin/env bash
# The WebAssembly face: builds wasm/pkg (scripts/build-wasm.sh), checks the
# .wasm size, then runs the Node tests (every export, the shared test
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

bash scripts/build-wasm.sh

gz=$(gzip -9 -c wasm/pkg/web/esafety_bg.wasm | wc -c)
echo "wasm: esafety_bg.wasm is $(wc -c <wasm/pkg/web/esafety_bg.wasm) bytes, $gz bytes gzip -9 (goal <= 307200)"
# The size goal (300 KiB gzipped) is a requirement of the package: a change
# that passes it fails the suite (the build is the same bytes on every
# machine, so this is not a flaky measurement). wasm/README.md, "Size and
# speed", says where the bytes go.
if [ "$gz" -gt 307200 ]; then
  echo "wasm: esafety_bg.wasm is $gz bytes gzip -9, over the 307200-byte (300 KiB) goal; see wasm/README.md \"Size and speed\"" >&2
  exit 1
fi

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
