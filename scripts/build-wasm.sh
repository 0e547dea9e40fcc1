#!/usr/bin/env bash
# Builds the esafety WebAssembly package into wasm/pkg/, in two builds:
#   wasm/pkg/web/, node/                    the full build (everything)
#   wasm/pkg/extension/{web,node}/          the extension build: bundles,
#                                           classify, decide with JSON policies
# (`--target web` ES modules for browsers and extensions, `--target nodejs`
# CommonJS for Node), wasm/pkg/package.json (`esafety`, `esafety/extension`)
# with entry modules and types per condition (write_entries), README.md and
# the licences; gates both sizes (gzip -9); and builds the example
# extension's lib/ (ignored by git): the extension build with the `dnr`
# feature, the built-in sample bundle and a shipped policy (as JSON), by
# wasm/extension/build.mjs.
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
WASM_OPT="$ROOT/wasm/node_modules/.bin/wasm-opt"
if [ "${ESAFETY_WASM_OPT:-1}" != 0 ] && [ ! -x "$WASM_OPT" ]; then
  echo "build-wasm: wasm-opt not found (run \`npm ci\` in wasm/); the .wasm is not post-optimized" >&2
fi

# build_variant OUT PROFILE CARGO_FEATURE_ARGS...: one build of the package
# (wasm-bindgen's web and node targets) into OUT/web and OUT/node.
build_variant() {
  local out=$1 profile=$2
  shift 2
  local wasm="$TARGET_DIR/wasm32-unknown-unknown/$profile/esafety_wasm.wasm"
  cargo build --profile "$profile" --target wasm32-unknown-unknown -p esafety-wasm "$@"
  wasm-bindgen --target web --out-dir "$out/web" --out-name esafety "$wasm"
  wasm-bindgen --target nodejs --out-dir "$out/node" --out-name esafety "$wasm"
  # The JavaScript snippets (wasm/js/) are ES modules; the Node build is
  # CommonJS and `require`s them, so their one `export { ... }` line becomes
  # `module.exports`.
  find "$out/node/snippets" -name '*.js' -print0 2>/dev/null | while IFS= read -r -d '' snippet; do
    sed -i -E 's/^export \{ (.*) \};$/module.exports = { \1 };/' "$snippet"
    if grep -qE '^export ' "$snippet"; then
      echo "build-wasm: $snippet still has an ES export after conversion; keep one \`export { ... };\` line at the end" >&2
      exit 2
    fi
  done

  # wasm-opt from the npm binaryen package only (Debian's binaryen corrupts
  # the output). The features are the ones rustc enables for wasm32 by
  # default. -Os: 15% smaller than rustc's opt-level 3 output and as fast;
  # -Oz undoes inlining that `engine.decide` measurably needs
  # (wasm/README.md). ESAFETY_WASM_OPT=0 skips it (quicker builds while
  # developing).
  local web="$out/web/esafety_bg.wasm" node="$out/node/esafety_bg.wasm"
  local before
  before=$(wc -c <"$web")
  if [ "${ESAFETY_WASM_OPT:-1}" != 0 ] && [ -x "$WASM_OPT" ]; then
    "$WASM_OPT" -Os --enable-bulk-memory --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-mutable-globals --enable-reference-types \
      --enable-multivalue "$web" -o "$web.opt"
    # Both targets get the same .wasm from wasm-bindgen: optimize it once.
    if cmp -s "$web" "$node"; then
      cp "$web.opt" "$node"
    else
      "$WASM_OPT" -Os --enable-bulk-memory --enable-nontrapping-float-to-int \
        --enable-sign-ext --enable-mutable-globals --enable-reference-types \
        --enable-multivalue "$node" -o "$node.opt"
      mv "$node.opt" "$node"
    fi
    mv "$web.opt" "$web"
    echo "build-wasm: $(basename "$out") wasm-opt -Os: $before -> $(wc -c <"$web") bytes"
  fi
  printf '{"type": "commonjs"}\n' >"$out/node/package.json"
  printf '{"type": "module"}\n' >"$out/web/package.json"
}

# write_entries OUT: the package's entry modules over one build's
# wasm-bindgen output, so that every entry has the same exports in every
# condition, with types of its own:
#   web/index.js, index.d.ts       ES module: the web build and `EsafetyError`
#   node/index.js, index.d.ts      CommonJS: the Node build, `EsafetyError`,
#                                  `init` (default) and `initSync`, no-ops
#                                  (Node loads the .wasm synchronously)
#   node/index.mjs, index.d.mts    ES module over node/index.js
# The Node types are wasm-bindgen's Node declarations (no DOM types, so a
# Node-only `tsc --strict` project compiles); the web types add its loader.
write_entries() {
  local out=$1 error
  error=$(cd "$out/web" && find snippets -path '*/js/error.js' | head -n 1)
  if [ -z "$error" ]; then
    echo "build-wasm: no js/error.js snippet in $out/web/snippets" >&2
    exit 2
  fi
  local error_class
  error_class=$(cat <<'TS'

/**
 * The class of every error this package throws: `message` is the esafety
 * core's message (the same text the CLI prints).
 */
export declare class EsafetyError extends Error {
  constructor(message: string, code: ErrorCode, help: string, line?: number, column?: number);
  readonly name: "EsafetyError";
  /** What kind of input was wrong: one of the core's error code ids. */
  readonly code: ErrorCode;
  /** What to do about it, in general terms. */
  readonly help: string;
  /** For a policy or incident text: the 1-based line of the problem. */
  readonly line?: number;
  /** For a policy text: the 1-based column of the problem. */
  readonly column?: number;
}
TS
)
  # The API: wasm-bindgen's exports less `start` (its start function, which
  # installs the panic hook when the module loads: not API, not declared).
  local api
  api=$(node -e '
    const e = require(process.argv[1]);
    console.log(Object.keys(e).filter((n) => n !== "start").join(", "));
  ' "$out/node/esafety.js")
  cat >"$out/web/index.js" <<JS
export { $api, initSync, default } from './esafety.js';
export { EsafetyError } from './$error';
JS
  # wasm-bindgen declares `[Symbol.dispose]()` on its classes: the lib
  # that declares `Symbol.dispose` comes with the types, so that a project
  # whose `lib` is older (es2022) still compiles them.
  local dispose_lib='/// <reference lib="esnext.disposable" />'
  { echo "$dispose_lib"; cat "$out/web/esafety.d.ts"; printf '%s\n' "$error_class"; } >"$out/web/index.d.ts"

  # One \`exports.NAME =\` line per export: the form Node's and the type
  # checkers' CommonJS lexers read.
  local assignments
  assignments=$(for n in ${api//,/ }; do printf 'exports.%s = esafety.%s;\n' "$n" "$n"; done)
  cat >"$out/node/index.js" <<JS
'use strict';
// The Node build loads its .wasm when it is required: \`init\` and
// \`initSync\` exist so that code written for the web build runs as is.
Object.defineProperty(exports, '__esModule', { value: true });
const esafety = require('./esafety.js');
$assignments
exports.EsafetyError = require('./$error').EsafetyError;
exports.initSync = function initSync() {};
exports.default = function init() {
  return Promise.resolve();
};
JS
  local names
  names=$(node -e '
    const e = require(process.argv[1]);
    console.log(Object.keys(e).filter((n) => n !== "default").join(", "));
  ' "$out/node/index.js")
  cat >"$out/node/index.mjs" <<JS
import esafety from './index.js';
export const { $names } = esafety;
export default esafety.default;
JS
  local node_types
  node_types=$(echo "$dispose_lib"; cat "$out/node/esafety.d.ts"; printf '%s\n' "$error_class"; cat <<'TS'

/** A no-op in Node (the module is ready when it is imported); resolves at once. */
export default function init(module_or_path?: unknown): Promise<void>;
/** A no-op in Node (the module is ready when it is imported). */
export declare function initSync(module?: unknown): void;
TS
)
  printf '%s\n' "$node_types" >"$out/node/index.d.ts"
  printf '%s\n' "$node_types" >"$out/node/index.d.mts"
}

# package_exports KEY DIR: the `exports` members of one build under DIR
# (`.` or `./extension`). Node gets the Node build (import: the ES module,
# require: CommonJS), browsers, bundlers and everything else the web build,
# each with its own types.
package_exports() {
  local key=$1 dir=$2
  cat <<JSON
    "$key": {
      "node": {
        "import": { "types": "$dir/node/index.d.mts", "default": "$dir/node/index.mjs" },
        "require": { "types": "$dir/node/index.d.ts", "default": "$dir/node/index.js" }
      },
      "browser": { "types": "$dir/web/index.d.ts", "default": "$dir/web/index.js" },
      "default": { "types": "$dir/web/index.d.ts", "default": "$dir/web/index.js" }
    },
    "$key/web": { "types": "$dir/web/index.d.ts", "default": "$dir/web/index.js" },
    "$key/node": {
      "import": { "types": "$dir/node/index.d.mts", "default": "$dir/node/index.mjs" },
      "require": { "types": "$dir/node/index.d.ts", "default": "$dir/node/index.js" }
    },
    "$key/web/esafety_bg.wasm": "$dir/web/esafety_bg.wasm",
JSON
}

rm -rf "$PKG"
mkdir -p "$PKG"
# The full build (everything) at the top, the extension build (bundles,
# classification, decisions with JSON policies) under extension/.
build_variant "$PKG" wasm-release
build_variant "$PKG/extension" wasm-extension --no-default-features
write_entries "$PKG"
write_entries "$PKG/extension"

cp "$ROOT/wasm/README.md" "$PKG/README.md"
cp "$ROOT/wasm/LICENSE-MIT" "$ROOT/wasm/LICENSE-APACHE" "$PKG/"
version=$(awk -F'"' '/^version = / {print $2; exit}' Cargo.toml)
repository=$(awk -F'"' '/^repository = / {print $2; exit}' Cargo.toml)
homepage=$(awk -F'"' '/^homepage = / {print $2; exit}' Cargo.toml)
node_range=$(node -p 'require(process.argv[1]).engines.node' "$ROOT/wasm/package.json")
repository=${repository:-https://github.com/esafety/esafety}
cat >"$PKG/package.json" <<EOF
{
  "name": "esafety",
  "version": "$version",
  "description": "The UK child online-safety standard as a filtering engine: URL canonicalization, classification bundles, acceptable use policies and incident escalation (WebAssembly)",
  "license": "MIT OR Apache-2.0",
  "repository": { "type": "git", "url": "git+$repository.git", "directory": "wasm" },
  "homepage": "${homepage:-$repository}",
  "bugs": "$repository/issues",
  "keywords": ["safeguarding", "web-filter", "url-classification", "webassembly"],
  "engines": { "node": "$node_range" },
  "type": "module",
  "main": "./node/index.js",
  "module": "./web/index.js",
  "types": "./node/index.d.ts",
  "exports": {
$(package_exports . .)
$(package_exports ./extension ./extension)
    "./package.json": "./package.json"
  },
  "files": ["web/", "node/", "extension/", "README.md", "LICENSE-MIT", "LICENSE-APACHE"],
  "sideEffects": ["./web/esafety.js", "./node/*.js", "./extension/web/esafety.js", "./extension/node/*.js"]
}
EOF
node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$PKG/package.json"

# The size goals (gzip -9 of the .wasm; the build is the same bytes on
# every machine, so this is not a flaky measurement): a change that passes
# one fails the build. wasm/README.md, "Size and speed", says where the
# bytes go.
# The full build's goal is 450 KB; it is not met (wasm/README.md, "Size and
# speed", says by how much and where the bytes are: the TOML reader,
# incident model, linter, content scanner, decision records and signature
# checking that only this build has). This gate is its size when measured,
# 624,497 bytes gzip -9 (after bundle format 5's sparse automata, the
# `_with_limits` incident and profile readers and the content speed-ups
# merged; 607,837 after the content decisions), plus 2%, so that growth is
# caught.
FULL_GOAL=637000
# The extension build's goal is 250 KiB (256,000 bytes); it is not met:
# 270,548 bytes gzip -9 measured after bundle format 5 merged (263,681
# before it: the sparse-DFA search and its validation, which every build
# that reads bundles needs, added 6,867; 267,092 before the `Limits`
# overrides left it, feature `limits` of esafety-wasm, and content limits
# stopped being parsed there only to be refused). What is left over the
# goal is not a feature of this build: Rust's float formatting (13.9 KB of
# code, reached through serde's "invalid type: floating point" errors,
# which serde_json makes for any number where a string is due), the time
# zone database, the expression search from every position and the two
# automaton layouts. wasm/README.md, "Size and speed", says so. This gate
# is that size plus about 0.9%, so that growth is caught; it is not the
# goal.
EXTENSION_GOAL=273000
size_gate() {
  local name=$1 wasm=$2 goal=$3 raw gz
  raw=$(wc -c <"$wasm")
  gz=$(gzip -9 -c "$wasm" | wc -c)
  echo "build-wasm: $name build: esafety_bg.wasm is $raw bytes, $gz bytes gzip -9 (goal <= $goal)"
  if [ "$gz" -gt "$goal" ]; then
    echo "build-wasm: the $name build is $gz bytes gzip -9, over its $goal-byte goal; see wasm/README.md \"Size and speed\"" >&2
    return 1
  fi
}
sizes_ok=1
size_gate full "$PKG/web/esafety_bg.wasm" "$FULL_GOAL" || sizes_ok=0
size_gate extension "$PKG/extension/web/esafety_bg.wasm" "$EXTENSION_GOAL" || sizes_ok=0
[ "$sizes_ok" = 1 ] || exit 1

if [ -n "${ESAFETY_WASM_PKG:-}" ]; then
  echo "build-wasm: built into $PKG"
  exit 0
fi

# The example extension: the extension build with the `dnr` feature
# (Engine.dnrRules, for an install without policy; it stays out of the
# package), the built-in sample bundle and a shipped policy compiled to the
# JSON that build reads (by the full build's Policy.toJson, the core's
# Policy::to_json, as `esafety compile-policy`), written by
# wasm/extension/build.mjs into lib/: the .wasm and the bundle as files
# (lib/esafety_bg.wasm, lib/bundle.esb), the policy in lib/embedded.js
# (see there why).
policy=""
for p in policies/secondary-pupils.toml policies/*.toml; do
  [ -e "$p" ] && { policy=$p; break; }
done
if [ -z "$policy" ]; then
  echo "build-wasm: no policy in policies/ to ship in the extension" >&2
  exit 2
fi
EXT_BUILD="$TARGET_DIR/esafety-extension-dnr"
rm -rf "$EXT_BUILD"
build_variant "$EXT_BUILD" wasm-extension --no-default-features --features dnr
mkdir -p "$EXT_BUILD/shipped"
node -e '
  const fs = require("fs");
  const e = require(process.argv[1]);
  const policy = e.Policy.fromToml(fs.readFileSync(process.argv[2], "utf8"), process.argv[2]);
  // The extension build has no content scanning, and refuses a policy
  // that names a content limit (it could not apply it). Without scanned
  // content the policy limit is never crossed and a rule with a limit
  // never matches, so leaving them out decides every request the same.
  const doc = JSON.parse(policy.toJson());
  delete doc.content_limit;
  delete doc.content_message;
  if (Array.isArray(doc.rules)) doc.rules = doc.rules.filter((r) => r.content_limit === undefined);
  fs.writeFileSync(process.argv[3], JSON.stringify(doc) + "\n");
' "$PKG/node/esafety.js" "$policy" "$EXT_BUILD/shipped/policy.json"
node "$ROOT/wasm/extension/build.mjs" --web "$EXT_BUILD/web" --node-pkg "$PKG/node/esafety.js" --policy "$EXT_BUILD/shipped/policy.json"
echo "build-wasm: wasm/pkg built (full and extension builds); the example extension ships the extension build with dnr (lib/esafety_bg.wasm), the sample bundle (lib/bundle.esb) and $policy as JSON (lib/embedded.js)"
