//! Compiles the core's built-in sample bundle at build time, so that the
//! `.wasm` carries its bytes instead of the bundle compiler (the regex and
//! automaton builders and their Unicode tables are most of the size of a
//! package that only needs to load and search bundles).
//!
//! The bytes are the core's `esafety::sample::try_bundle_bytes()`, which are
//! the same on every platform; a unit test checks that they are current.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo::rerun-if-changed=../policies/samples");
    println!("cargo::rerun-if-changed=../core/src");
    let bytes = esafety::sample::try_bundle_bytes()?;
    let out = PathBuf::from(std::env::var("OUT_DIR")?).join("sample.esb");
    std::fs::write(out, bytes)?;
    Ok(())
}
