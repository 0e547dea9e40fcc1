//! The WebAssembly face of esafety (wasm-bindgen). Holds no decision logic.

/// The library version.
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}
