#!/usr/bin/env bash
# Installs everything the test suite needs, idempotently: Debian packages,
# Rust targets and toolchains, pinned cargo tools, npm packages.
# Fast when everything is already there. Sourced by scripts/test-all.
set -euo pipefail

CBINDGEN_VERSION=0.29.4
CARGO_FUZZ_VERSION=0.13.2
FUZZ_NIGHTLY=nightly-2026-05-01
# cargo-c builds and installs the C library (scripts/cinstall.sh). Debian
# 12's cargo-c (0.9.14) cannot read this workspace's manifest (it predates
# `debug = "line-tables-only"` and edition 2024), so it is built from
# source: 52 min wall, 17 min CPU on this 2-core machine, once. This is the
# last release that builds with the stable toolchain here (1.95).
CARGO_C_VERSION=0.10.24+cargo-0.98.0
# cargo-deny checks licences, duplicate crates and sources (deny.toml).
CARGO_DENY_VERSION=0.20.2
# `time` (GNU time) gives the compile memory test its child's peak resident size.
APT_PACKAGES=(squid squidguard chromium valgrind pkg-config e2guardian time)

need_apt=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need_apt+=("$p")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
rustup target list --installed | grep -q '^wasm32-unknown-unknown$' || rustup target add wasm32-unknown-unknown
rustup toolchain list | grep -q "^${FUZZ_NIGHTLY}" || rustup toolchain install "$FUZZ_NIGHTLY" --profile minimal
# The declared minimum Rust version (rust-version in Cargo.toml): the MSRV
# step of scripts/test-all builds with it.
MSRV=$(sed -n 's/^rust-version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
rustup toolchain list | grep -q "^${MSRV}[.-]" || rustup toolchain install "$MSRV" --profile minimal

have_version() { command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -q "$2"; }
have_version cbindgen "$CBINDGEN_VERSION" || cargo install --locked --version "$CBINDGEN_VERSION" cbindgen
cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION" || cargo install --locked --version "$CARGO_FUZZ_VERSION" cargo-fuzz
cargo cinstall --version 2>/dev/null | grep -qF "${CARGO_C_VERSION%%+*}" || cargo install --locked --version "$CARGO_C_VERSION" cargo-c
cargo deny --version 2>/dev/null | grep -qF "$CARGO_DENY_VERSION" || cargo install --locked --version "$CARGO_DENY_VERSION" cargo-deny

# wasm-bindgen-cli must be exactly the wasm-bindgen version in Cargo.lock
# (installed without --locked: its own lock pins a yanked crate).
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock 2>/dev/null || true)
if [ -n "${WASM_BINDGEN_VERSION}" ]; then
  have_version wasm-bindgen "$WASM_BINDGEN_VERSION" || cargo install --version "$WASM_BINDGEN_VERSION" wasm-bindgen-cli
fi

# npm packages of the WebAssembly tests, pinned in wasm/package-lock.json
# (smol-toml, playwright-core driving Debian's chromium, binaryen's wasm-opt).
WASM_LOCK_SUM=$(sha256sum wasm/package-lock.json | cut -d' ' -f1)
if [ "$(cat wasm/node_modules/.esafety-lock.sha256 2>/dev/null || true)" != "$WASM_LOCK_SUM" ]; then
  (cd wasm && npm ci --no-audit --no-fund && echo "$WASM_LOCK_SUM" >node_modules/.esafety-lock.sha256)
fi
