//! Reading a bundle's metadata section: the JSON the builder writes, read
//! back by the same serde derive ([`Meta`]) through `serde_json`.
//!
//! The section is checked again after it is read (`load.rs`: names, ids,
//! counts against the sections); this step only refuses what is not the
//! shape the builder writes: an unknown or missing field, a value of the
//! wrong type or out of its integer range.

use super::Meta;

/// Reads the metadata section's text; the error is `serde_json`'s, with
/// its line and column.
pub(super) fn read(text: &str) -> Result<Meta, String> {
    serde_json::from_str(text).map_err(|e| format!("not valid metadata JSON: {e}"))
}

#[cfg(test)]
mod tests;
