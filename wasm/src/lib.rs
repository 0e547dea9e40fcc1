//! The WebAssembly face of esafety (wasm-bindgen).
//!
//! It holds no decision logic: every export converts its JavaScript
//! arguments into a call of the `esafety` core crate and returns the core's
//! serde report types as plain JavaScript objects, the same shapes the CLI
//! prints with `--json`. Errors are thrown as JavaScript `Error`s carrying the
//! core's message plus `code` and `help` fields (the `error` module).
//!
//! Two builds (wasm/README.md, "Two builds"): the default `full` feature
//! is everything; without it, the extension build keeps bundles,
//! classification and decisions with JSON policies only.
//!
//! The TypeScript types of the results are written by hand in the `types`
//! module and shipped in the package's `esafety.d.ts`.

mod boundary;
mod bundle;
mod decision;
mod error;
#[cfg(feature = "dnr")]
mod export;
#[cfg(feature = "full")]
mod incident;
mod policy;
pub mod reader;
#[cfg(feature = "record")]
mod record;
mod request;
#[cfg(feature = "full")]
mod scan;
mod types;

pub use bundle::Bundle;
#[cfg(feature = "full")]
pub use bundle::{sample_bundle, sample_bundle_bytes};
pub use error::{Code, Failure};
#[cfg(feature = "full")]
pub use incident::{assess_incident, escalation_profiles};
#[cfg(feature = "full")]
pub use policy::lint_policy;
pub use policy::{Engine, Policy};
#[cfg(feature = "record")]
pub use record::search_terms;
#[cfg(feature = "full")]
pub use scan::{ScanStream, Scanner};

use esafety::url::{CanonicalUrl, CanonicalizeReport};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Installs the panic hook, so that a panic (which core code is written
/// never to cause) is reported on the console with its message before the
/// WebAssembly trap.
#[wasm_bindgen(start, skip_typescript)]
fn start() {
    console_error_panic_hook::set_once();
}

/// Serializes a core report into a plain JavaScript object with the same
/// shape as its JSON (`null` for `None`, maps as objects, 64-bit integers as
/// numbers). `engine.decide`, the per-navigation call, builds its object in
/// [`decision`] instead.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, Failure> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&serializer).map_err(|e| {
        Failure::new(
            Code::InvalidArgument,
            format!("cannot convert the result to JavaScript: {e}"),
        )
    })
}

/// The version of the esafety library in this package.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Canonicalizes `url` (Safe Browsing v4) and lists its lookup expressions:
/// `{input, canonical, expressions}`, as `esafety canonicalize --json`.
///
/// Throws an `EsafetyError` with code `invalid-url` if `url` is not a URL,
/// `invalid-argument` if it is not a string.
#[wasm_bindgen(js_name = canonicalize, unchecked_return_type = "CanonicalizeReport")]
pub fn canonicalize(
    #[wasm_bindgen(unchecked_param_type = "string")] url: JsValue,
) -> Result<JsValue, JsValue> {
    let url = boundary::string(&url, "url")?;
    let url_ = parse_url(&url)?;
    Ok(to_js(&CanonicalizeReport::new(&url, &url_))?)
}

/// The decision for a request that could not be decided: the core's
/// fail-closed `DecisionReport::error` (`action: "block"`, `rule: "error"`,
/// `reason` in `reasons`), for a host that must answer a request its engine
/// could not check (an engine that failed to load, a thrown error).
#[wasm_bindgen(js_name = errorDecision, unchecked_return_type = "DecisionReport")]
///
/// It never throws for what it is given: a `url` or `reason` that is not a
/// string is written as an empty string (the decision blocks all the same).
pub fn error_decision(
    #[wasm_bindgen(unchecked_param_type = "string")] url: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] reason: JsValue,
) -> Result<JsValue, JsValue> {
    let text = |v: &JsValue| v.as_string().unwrap_or_default();
    Ok(to_js(&esafety::policy::DecisionReport::error(
        &text(&url),
        text(&reason),
    ))?)
}

fn parse_url(url: &str) -> Result<CanonicalUrl, Failure> {
    CanonicalUrl::parse(url).map_err(|e| Failure::new(Code::InvalidUrl, e))
}
