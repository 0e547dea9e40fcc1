#!/usr/bin/env bash
# Builds the esafety WebAssembly package into wasm/pkg/:
#   wasm/pkg/web/   ES module (`--target web`) for browsers and extensions
#   wasm/pkg/node/  CommonJS module (`--target nodejs`) for Node
#   wasm/pkg/package.json, README.md, esafety.d.ts
# and builds the example extension's lib/ (wasm/extension/build.mjs: the web
# build with the `dnr` feature, the sample bundle, a shipped policy; ignored
# by git).
#
# Needs: the wasm32-unknown-unknown target and wasm-bindgen-cli at exactly the
# wasm-bindgen version in Cargo.lock (both installed by scripts/setup.sh), and
# optionally wasm-opt from the npm `binaryen` package (wasm/node_modules).
# Usage: scripts/build-wasm.sh        (honours CARGO_TARGET_DIR)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
# ESAFETY_WASM_PKG builds elsewhere (e.g. a speed-tuned build to compare) and
# leaves the extension alone.
PKG="${ESAFETY_WASM_PKG:-$ROOT/wasm/pkg}"

want=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$want" != "$have" ]; then
  echo "build-wasm: wasm-bindgen CLI is \`${have:-missing}\` but Cargo.lock has wasm-bindgen \`$want\`; run scripts/setup.sh or \`cargo install --version $want wasm-bindgen-cli\`" >&2
  exit 2
fi

# The .wasm keeps the source paths of its panic locations: written relative
# to the checkout and the cargo registry, it is the same bytes (and size)
# wherever the repository and cargo live. (With --target, RUSTFLAGS applies
# to the wasm crates only, not to the host's build scripts.)
CARGO_HOME_DIR="${CARGO_HOME:-$HOME/.cargo}"
export RUSTFLAGS="${RUSTFLAGS:-} --remap-path-prefix=$ROOT/=esafety/ --remap-path-prefix=$CARGO_HOME_DIR/registry/src/=crates/"
cargo build --profile wasm-release --target wasm32-unknown-unknown -p esafety-wasm
WASM="$TARGET_DIR/wasm32-unknown-unknown/wasm-release/esafety_wasm.wasm"

rm -rf "$PKG"
mkdir -p "$PKG"
wasm-bindgen --target web --out-dir "$PKG/web" --out-name esafety "$WASM"
wasm-bindgen --target nodejs --out-dir "$PKG/node" --out-name esafety "$WASM"
# The JavaScript snippets (wasm/js/) are ES modules; the Node build is
# CommonJS and `require`s them, so their one `export { ... }` line becomes
# `module.exports`.
find "$PKG/node/snippets" -name '*.js' -print0 2>/dev/null | while IFS= read -r -d '' snippet; do
  sed -i -E 's/^export \{ (.*) \};$/module.exports = { \1 };/' "$snippet"
  if grep -qE '^export ' "$snippet"; then
    echo "build-wasm: $snippet still has an ES export after conversion; keep one \`export { ... };\` line at the end" >&2
    exit 2
  fi
done

# wasm-opt from the npm binaryen package only (Debian's binaryen corrupts the
# output). The features are the ones rustc enables for wasm32 by default.
# -Os: 15% smaller than rustc's opt-level 3 output and as fast; -Oz undoes
# inlining that `engine.decide` measurably needs (wasm/README.md).
# ESAFETY_WASM_OPT=0 skips it (quicker builds while developing).
WASM_OPT="$ROOT/wasm/node_modules/.bin/wasm-opt"
before=$(wc -c <"$PKG/web/esafety_bg.wasm")
if [ "${ESAFETY_WASM_OPT:-1}" != 0 ] && [ -x "$WASM_OPT" ]; then
  web="$PKG/web/esafety_bg.wasm"
  "$WASM_OPT" -Os --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types \
    --enable-multivalue "$web" -o "$web.opt"
  # Both targets get the same .wasm from wasm-bindgen: optimize it once.
  if cmp -s "$web" "$PKG/node/esafety_bg.wasm"; then
    cp "$web.opt" "$PKG/node/esafety_bg.wasm"
  else
    "$WASM_OPT" -Os --enable-bulk-memory --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-mutable-globals --enable-reference-types \
      --enable-multivalue "$PKG/node/esafety_bg.wasm" -o "$PKG/node/esafety_bg.wasm.opt"
    mv "$PKG/node/esafety_bg.wasm.opt" "$PKG/node/esafety_bg.wasm"
  fi
  mv "$web.opt" "$web"
  echo "build-wasm: wasm-opt -Os: $before -> $(wc -c <"$web") bytes"
else
  echo "build-wasm: wasm-opt not found (run \`npm ci\` in wasm/); the .wasm is not post-optimized" >&2
fi

# One .d.ts at the top (the web and node builds declare the same exports).
cp "$PKG/web/esafety.d.ts" "$PKG/esafety.d.ts"
cp "$ROOT/wasm/README.md" "$PKG/README.md"
version=$(awk -F'"' '/^version = / {print $2; exit}' Cargo.toml)
cat >"$PKG/package.json" <<EOF
{
  "name": "esafety",
  "version": "$version",
  "description": "The UK child online-safety standard as a filtering engine: URL canonicalization, classification bundles, acceptable use policies and incident escalation (WebAssembly)",
  "license": "MIT OR Apache-2.0",
  "main": "./node/esafety.js",
  "module": "./web/esafety.js",
  "types": "./esafety.d.ts",
  "exports": {
    ".": {
      "types": "./esafety.d.ts",
      "node": "./node/esafety.js",
      "default": "./web/esafety.js"
    },
    "./web": {
      "types": "./web/esafety.d.ts",
      "default": "./web/esafety.js"
    },
    "./node": {
      "types": "./node/esafety.d.ts",
      "default": "./node/esafety.js"
    },
    "./web/esafety_bg.wasm": "./web/esafety_bg.wasm",
    "./package.json": "./package.json"
  },
  "files": ["web/", "node/", "esafety.d.ts", "README.md"],
  "sideEffects": ["./web/esafety.js"]
}
EOF
# The node build is CommonJS inside a folder of a package with no "type".
printf '{"type": "commonjs"}\n' >"$PKG/node/package.json"
printf '{"type": "module"}\n' >"$PKG/web/package.json"

# The example extension: the web build, the sample bundle, a shipped policy.
if [ -n "${ESAFETY_WASM_PKG:-}" ]; then
  echo "build-wasm: built into $PKG ($(wc -c <"$PKG/web/esafety_bg.wasm") bytes, $(gzip -9 -c "$PKG/web/esafety_bg.wasm" | wc -c) gzip -9)"
  exit 0
fi
# The example extension ships its own build: the package plus the `dnr`
# feature (Engine.dnrRules, for an install without policy), which the
# package's size goal leaves out. wasm/extension/build.mjs embeds it, the
# sample bundle, a shipped policy and config.json in lib/ (see there why).
policy=""
for p in policies/secondary-pupils.toml policies/*.toml; do
  [ -e "$p" ] && { policy=$p; break; }
done
if [ -z "$policy" ]; then
  echo "build-wasm: no policy in policies/ to ship in the extension" >&2
  exit 2
fi
cargo build --profile wasm-release --target wasm32-unknown-unknown -p esafety-wasm --features dnr
EXT_WEB="$TARGET_DIR/esafety-extension-web"
rm -rf "$EXT_WEB"
wasm-bindgen --target web --out-dir "$EXT_WEB" --out-name esafety "$WASM"
if [ "${ESAFETY_WASM_OPT:-1}" != 0 ] && [ -x "$WASM_OPT" ]; then
  "$WASM_OPT" -Os --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types \
    --enable-multivalue "$EXT_WEB/esafety_bg.wasm" -o "$EXT_WEB/esafety_bg.wasm.opt"
  mv "$EXT_WEB/esafety_bg.wasm.opt" "$EXT_WEB/esafety_bg.wasm"
fi
node "$ROOT/wasm/extension/build.mjs" --web "$EXT_WEB" --node-pkg "$PKG/node/esafety.js" --policy "$policy"

raw=$(wc -c <"$PKG/web/esafety_bg.wasm")
gz=$(gzip -9 -c "$PKG/web/esafety_bg.wasm" | wc -c)
echo "build-wasm: wasm/pkg built; esafety_bg.wasm is $raw bytes, $gz bytes gzip -9 (goal <= 307200); extension ships $policy"
