//! Bundles and classification: `Bundle.fromBytes`, `sampleBundle()`,
//! `bundle.classify(url)`.

use std::sync::Arc;

use esafety::classify::Classifier;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::error::{Code, Failure};
use crate::to_js;

/// A compiled classification bundle, validated on load, with its
/// classifier. Immutable: load a new one to swap lists.
#[wasm_bindgen]
#[derive(Clone)]
pub struct Bundle {
    bytes: Arc<[u8]>,
    pub(crate) classifier: Arc<Classifier<SharedBytes>>,
}

/// Bundle bytes shared, without a copy, between a `Bundle` and every
/// `Engine` made from it.
#[derive(Clone)]
pub(crate) struct SharedBytes(pub(crate) Arc<[u8]>);

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// One source list in [`BundleInfo`].
#[derive(Serialize)]
struct ListReport<'a> {
    name: &'a str,
    category: &'a str,
    role: &'static str,
    sensitive: bool,
    entries: u64,
    date: Option<&'a str>,
}

/// What `bundle.info()` returns.
#[derive(Serialize)]
struct BundleInfo<'a> {
    version: u32,
    created: String,
    bytes: usize,
    lists: Vec<ListReport<'a>>,
    /// The bundle's `local-` category ids in bit order (bit 32 first), as
    /// many as its lists name.
    #[serde(rename = "localCategories")]
    local_categories: &'a [String],
}

impl Bundle {
    fn load(bytes: Arc<[u8]>, limits: &esafety::Limits) -> Result<Bundle, Failure> {
        let bundle = esafety::bundle::Bundle::from_bytes_with_limits(
            SharedBytes(Arc::clone(&bytes)),
            limits,
        )
        .map_err(|e| Failure::new(e.code(), e))?;
        Ok(Bundle {
            bytes,
            classifier: Arc::new(Classifier::new(bundle)),
        })
    }
}

#[wasm_bindgen]
impl Bundle {
    /// A second handle on this bundle (its bytes and classifier shared,
    /// nothing copied): how the boundary reads a `Bundle` argument without
    /// taking the caller's (`boundary::instance`). Not API.
    #[wasm_bindgen(js_name = __esafetyShare, skip_typescript)]
    pub fn share(&self) -> Bundle {
        self.clone()
    }

    /// Loads a bundle from its bytes (an `.esb` file written by
    /// `esafety compile`). The bytes are copied and validated completely
    /// (checksum, every section, every automaton).
    ///
    /// `options.limits` overrides the core's bounds on a bundle
    /// (`maxBundleLen`, `maxBundleMetaLen`; see `Limits`).
    ///
    /// Throws an `Error` with code `invalid-bundle` when the bytes are
    /// truncated, corrupt or of another format version, `too-large` when
    /// they are over the limits, `invalid-argument` for options that are
    /// not `{limits: {…}}` of whole numbers the core accepts.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer")] bytes: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "LoadOptions")] options: JsValue,
    ) -> Result<Bundle, JsValue> {
        let limits = crate::boundary::limits(&options, "options")?;
        let bytes = crate::boundary::bytes(&bytes, "bytes")?;
        Ok(Bundle::load(Arc::from(bytes), &limits)?)
    }

    /// Loads a bundle from its bytes only if `signature` is the signature of
    /// exactly these bytes by `publicKey`: verify, then load, so that an
    /// extension or a page configured with its publisher's key never holds
    /// an unverified bundle. `signature` is the text of the bundle's `.sig`
    /// file (`esafety compile --sign`), `publicKey` the text of the
    /// publisher's `.pub` file (`esafety keygen`). The bytes are copied.
    ///
    /// Throws an `Error` with code `invalid-signature` for an unsigned
    /// bundle (an empty signature), a text that is not esafety's format, a
    /// bundle signed by another key, or any byte of the bundle or the
    /// signature changed; `invalid-bundle` when the bytes are signed by the
    /// key but are not a bundle this package reads; `too-large` over the
    /// bundle limit. No bundle is made: keep the current engine.
    ///
    /// In the full build (the `signing` feature).
    #[cfg(feature = "signing")]
    #[wasm_bindgen(js_name = fromVerifiedBytes)]
    pub fn from_verified_bytes(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer")] bytes: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] signature: JsValue,
        #[wasm_bindgen(js_name = publicKey, unchecked_param_type = "string")] public_key: JsValue,
    ) -> Result<Bundle, JsValue> {
        let bytes: Arc<[u8]> = Arc::from(crate::boundary::bytes(&bytes, "bytes")?);
        let signature = &crate::boundary::string(&signature, "signature")?;
        let public_key = &crate::boundary::string(&public_key, "publicKey")?;
        let bundle = esafety::signing::verified_bundle(
            SharedBytes(Arc::clone(&bytes)),
            signature,
            public_key,
            &esafety::Limits::DEFAULT,
        )
        .map_err(|e| Failure::new(e.code(), e))?;
        Ok(Bundle {
            bytes,
            classifier: Arc::new(Classifier::new(bundle)),
        })
    }

    /// The bundle format version.
    #[wasm_bindgen(getter)]
    pub fn version(&self) -> u32 {
        self.classifier.bundle().version()
    }

    /// The bundle's metadata: format version, creation time, size, the
    /// source lists (name, category, role, entry count, date) and the
    /// `local-` category ids it defines (any number).
    #[wasm_bindgen(unchecked_return_type = "BundleInfo")]
    pub fn info(&self) -> Result<JsValue, JsValue> {
        let bundle = self.classifier.bundle();
        let lists = bundle
            .lists()
            .iter()
            .map(|l| ListReport {
                name: l.name(),
                category: l.category_id(),
                role: match l.role() {
                    esafety::bundle::ListRole::Block => "block",
                    esafety::bundle::ListRole::Allow => "allow",
                },
                sensitive: l.is_sensitive(),
                entries: l.entries(),
                date: l.date(),
            })
            .collect();
        let info = BundleInfo {
            version: bundle.version(),
            created: bundle.created().to_string(),
            bytes: bundle.as_bytes().len(),
            lists,
            local_categories: bundle.local_categories(),
        };
        Ok(to_js(&info)?)
    }

    /// Canonicalizes `url` and classifies it against the bundle:
    /// `{url, canonical, categories, matches}`, as `esafety classify --json`.
    ///
    /// Throws an `Error` with code `invalid-url` if `url` is not a URL.
    #[wasm_bindgen(unchecked_return_type = "ClassificationReport")]
    pub fn classify(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] url: JsValue,
    ) -> Result<JsValue, JsValue> {
        let url = crate::boundary::string(&url, "url")?;
        let report = self
            .classifier
            .report(&url)
            .map_err(|e| Failure::new(Code::InvalidUrl, e))?;
        Ok(to_js(&report)?)
    }

    /// Checks that the bundle's bytes are signed by `publicKey`:
    /// `signature` is the text of the bundle's `.sig` file
    /// (`esafety compile --sign`), `publicKey` the text of the publisher's
    /// `.pub` file (`esafety keygen`). Call it before making an engine from
    /// a bundle fetched from anywhere, and keep the current engine if it
    /// throws.
    ///
    /// Throws an `Error` with code `invalid-signature` when either text is
    /// not esafety's format, the bundle was signed by another key, or its
    /// bytes changed after signing.
    ///
    /// In the full build (the `signing` feature).
    #[cfg(feature = "signing")]
    pub fn verify(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] signature: JsValue,
        #[wasm_bindgen(js_name = publicKey, unchecked_param_type = "string")] public_key: JsValue,
    ) -> Result<(), JsValue> {
        let signature = &crate::boundary::string(&signature, "signature")?;
        let public_key = &crate::boundary::string(&public_key, "publicKey")?;
        let failure = |e: esafety::signing::SignatureError| Failure::new(e.code(), e);
        let key = esafety::signing::PublicKey::parse(public_key).map_err(failure)?;
        esafety::signing::verify_detached(&self.bytes, signature, &key).map_err(failure)?;
        Ok(())
    }

    /// The bundle's bytes (a copy), e.g. to store it.
    #[wasm_bindgen(js_name = toBytes)]
    pub fn to_bytes(&self) -> Vec<u8> {
        self.bytes.to_vec()
    }
}

/// The core's sample bundle, compiled by `build.rs`
/// (`esafety::sample::try_bundle_bytes()`, the same bytes on every platform).
#[cfg(feature = "full")]
static SAMPLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/sample.esb"));

/// The built-in sample bundle: a few well-known domains per category and
/// synthetic `child-abuse` and `terrorism` lists under reserved names, for
/// demonstrations and tests. Not a filtering list: load real lists compiled
/// with `esafety compile` with `Bundle.fromBytes`.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = sampleBundle)]
pub fn sample_bundle() -> Result<Bundle, JsValue> {
    Ok(Bundle::load(Arc::from(SAMPLE), &esafety::Limits::DEFAULT)?)
}

/// The bytes of the built-in sample bundle (the same on every platform),
/// e.g. to write it to a file.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = sampleBundleBytes)]
pub fn sample_bundle_bytes() -> Vec<u8> {
    SAMPLE.to_vec()
}

#[cfg(all(test, feature = "full"))]
mod tests {
    use super::*;

    #[test]
    fn sample_bytes_are_the_cores_sample_bundle() {
        let core = esafety::sample::try_bundle_bytes().unwrap();
        assert!(
            SAMPLE == core.as_slice(),
            "wasm/build.rs output is stale; rebuild"
        );
    }
}
