#!/usr/bin/env bash
# The crates as a registry ships them (issue 32): `cargo package` (which
# builds each packaged crate: everything it reads must lie inside it) for
# every publishable crate, the packaged core's doc examples run inside the
# unpacked package, and a consumer: a new Rust project outside the
# repository that depends on the unpacked `esafety` package, builds, and
# decides a request with it.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
export CARGO_TERM_COLOR=never
# The packaged crates build outside the workspace, without its profiles:
# no debug info there either (it would double the target directory).
export CARGO_PROFILE_DEV_DEBUG=false
target=${CARGO_TARGET_DIR:-$root/target}
work=$(mktemp -d "${TMPDIR:-/tmp}/esafety-package.XXXXXX")
trap 'rm -rf "$work"' EXIT
say() { printf -- '--- package: %s\n' "$*"; }

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
publishable=(esafety esafety-ffi esafety-cli)

say "every crate is publishable or says it is not (publish = false)"
for manifest in core/Cargo.toml ffi/Cargo.toml cli/Cargo.toml wasm/Cargo.toml benches/Cargo.toml; do
  name=$(sed -n 's/^name = "\(.*\)"$/\1/p' "$manifest" | head -n1)
  listed=0
  for p in "${publishable[@]}"; do [ "$p" = "$name" ] && listed=1; done
  if grep -q '^publish = false' "$manifest"; then
    [ "$listed" = 0 ] || { echo "package: $name is listed as publishable but $manifest says publish = false" >&2; exit 1; }
  else
    [ "$listed" = 1 ] || { echo "package: $manifest is publishable; package it here or add publish = false" >&2; exit 1; }
  fi
done

say "cargo package ${publishable[*]} (builds each packaged crate)"
args=()
for p in "${publishable[@]}"; do args+=(-p "$p"); done
# Cargo verifies each packaged crate against the others through a local
# registry under target/package, and extracts them to
# $CARGO_HOME/registry/src/-HASH/ (the hash of that registry's path) once
# per version: a second run from the same checkout path would build against
# the sources of the first. Those local-registry copies go first (the
# crates.io directories are named after their index, never with a leading
# `-`).
for p in "${publishable[@]}"; do
  rm -rf "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/"$p"-[0-9]*
done
# --allow-dirty: the suite also runs on a tree with uncommitted changes.
cargo package --allow-dirty "${args[@]}"

for p in "${publishable[@]}"; do
  crate="$target/package/$p-$version.crate"
  [ -f "$crate" ] || { echo "package: $crate was not written" >&2; exit 1; }
  tar -tzf "$crate" > "$work/$p.files"
  for licence in LICENSE-MIT LICENSE-APACHE README.md; do
    grep -qx "$p-$version/$licence" "$work/$p.files" \
      || { echo "package: $p-$version.crate has no $licence" >&2; exit 1; }
  done
done

say "unpack esafety-$version.crate outside the repository"
tar -xzf "$target/package/esafety-$version.crate" -C "$work"
unpacked="$work/esafety-$version"
for f in policies/secondary-pupils.toml policies/escalation/national.toml policies/samples/gambling.txt; do
  [ -f "$unpacked/$f" ] && [ ! -L "$unpacked/$f" ] \
    || { echo "package: the packaged crate has no file $f" >&2; exit 1; }
done

say "the packaged crate's doc examples (cargo test --doc inside the package)"
CARGO_TARGET_DIR="$target/package-check" cargo test --quiet --doc --manifest-path "$unpacked/Cargo.toml"

say "a consumer project depending on the unpacked package builds and decides"
consumer="$work/consumer"
mkdir -p "$consumer/src"
cat > "$consumer/Cargo.toml" <<TOML
[package]
name = "esafety-consumer"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
esafety = { path = "../esafety-$version" }
TOML
# The versions the package was verified with.
cp "$unpacked/Cargo.lock" "$consumer/Cargo.lock"
cat > "$consumer/src/main.rs" <<'RUST'
//! Decides one request under a policy shipped in the esafety package.
use esafety::policy::{Context, Engine, Policy};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(policy_path), Some(url)) = (args.next(), args.next()) else {
        return Err("usage: esafety-consumer POLICY URL".into());
    };
    let policy = Policy::load(&policy_path, &std::fs::read_to_string(&policy_path)?)?;
    let engine = Engine::new(esafety::sample::bundle()?, policy);
    let context = Context {
        group: Some("pupils"),
        age: Some(14),
        device: None,
        time: "2026-03-02T10:00:00Z".parse()?,
    };
    let report = engine.check(&url, context)?;
    println!("{} {}", report.action, report.rule);
    Ok(())
}
RUST
CARGO_TARGET_DIR="$target/package-check" cargo run --quiet --manifest-path "$consumer/Cargo.toml" -- \
  "$unpacked/policies/secondary-pupils.toml" "https://www.bet365.com/" > "$work/consumer.txt"
read -r action rule < "$work/consumer.txt"
[ "$action" = block ] && [ -n "$rule" ] \
  || { echo "package: the consumer decided \`$action\` by rule \`$rule\` for a gambling site (expected block)" >&2; exit 1; }
say "consumer: $(cat "$work/consumer.txt")"
say "all passed"
