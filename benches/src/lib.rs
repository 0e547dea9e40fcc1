//! Shared data loading for the benchmarks: `ESAFETY_DATA` (default
//! `../shared/data`), falling back to generated data where it is absent.

pub mod policy_gen;

use std::path::PathBuf;

/// The data folder the benches read: `$ESAFETY_DATA`, else `../shared/data`
/// relative to the workspace root.
pub fn data_dir() -> PathBuf {
    match std::env::var_os("ESAFETY_DATA") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data"),
    }
}
