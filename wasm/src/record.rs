//! Decision records and search terms: `engine.record(request, options?)`,
//! `engine.recordJson(request, options?)`, `searchTerms(url)`.

use esafety::policy::context;
use esafety::record::{Identity, PseudonymKey, RecordOptions};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use crate::boundary;
use crate::error::{Code, Failure};
use crate::policy::Engine;
use crate::to_js;

/// `{url, time, site?, clientIp?, user?, group?, age?, device?}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RecordRequest {
    url: String,
    time: TimeArg,
    #[serde(default)]
    site: Option<String>,
    #[serde(default)]
    client_ip: Option<String>,
    #[serde(default)]
    user: Option<String>,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    age: Option<f64>,
    #[serde(default)]
    device: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum TimeArg {
    Millis(f64),
    Text(String),
}

/// `{pseudonymKey?: Uint8Array, clientIp?: boolean, proceeded?: boolean}`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Options {
    #[serde(default, with = "serde_bytes_compat")]
    pseudonym_key: Option<Vec<u8>>,
    #[serde(default)]
    client_ip: Option<bool>,
    #[serde(default)]
    proceeded: Option<bool>,
}

/// A `Uint8Array` (or array of numbers) as bytes.
mod serde_bytes_compat {
    use serde::{Deserialize, Deserializer};

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Vec<u8>>, D::Error> {
        Option::<serde_bytes_like::Bytes>::deserialize(d).map(|b| b.map(|b| b.0))
    }

    mod serde_bytes_like {
        use serde::de::{Deserialize, Deserializer, SeqAccess, Visitor};

        pub(in super::super) struct Bytes(pub(in super::super) Vec<u8>);

        impl<'de> Deserialize<'de> for Bytes {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = Bytes;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("a Uint8Array of key bytes")
                    }
                    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Bytes, E> {
                        Ok(Bytes(v.to_vec()))
                    }
                    fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Bytes, E> {
                        Ok(Bytes(v))
                    }
                    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Bytes, A::Error> {
                        let mut out = Vec::new();
                        while let Some(b) = seq.next_element::<u8>()? {
                            out.push(b);
                        }
                        Ok(Bytes(out))
                    }
                }
                d.deserialize_any(V)
            }
        }
    }
}

fn bad(message: String) -> Failure {
    Failure::new(Code::InvalidRequest, message)
}

fn record_of(
    engine: &Engine,
    request: JsValue,
    options: JsValue,
) -> Result<esafety::record::DecisionRecord, Failure> {
    let request = boundary::plain(&request, "request", Code::InvalidRequest)?;
    const FIELDS: [&str; 8] = [
        "url", "time", "site", "clientIp", "user", "group", "age", "device",
    ];
    if let Some(key) = boundary::unknown_key(&request, &FIELDS) {
        return Err(bad(format!(
            "unknown record request field `{}`; the fields are {}",
            key.chars().take(64).collect::<String>(),
            FIELDS.join(", ")
        )));
    }
    let r: RecordRequest = serde_wasm_bindgen::from_value(request).map_err(|e| {
        bad(format!(
            "a record request is `{{url, time, site?, clientIp?, user?, group?, age?, device?}}`: {e}"
        ))
    })?;
    let options: Options = if options.is_undefined() || options.is_null() {
        Options::default()
    } else {
        let options = boundary::plain(&options, "options", Code::InvalidRequest)?;
        const OPTIONS: [&str; 3] = ["pseudonymKey", "clientIp", "proceeded"];
        if let Some(key) = boundary::unknown_key(&options, &OPTIONS) {
            return Err(bad(format!(
                "unknown record option `{}`; the options are pseudonymKey, clientIp and proceeded",
                key.chars().take(64).collect::<String>()
            )));
        }
        serde_wasm_bindgen::from_value(options).map_err(|e| {
            bad(format!(
                "record options are `{{pseudonymKey?, clientIp?, proceeded?}}`: {e}"
            ))
        })?
    };
    let time = match &r.time {
        TimeArg::Millis(ms) => crate::request::timestamp(&JsValue::from_f64(*ms))?,
        TimeArg::Text(t) => crate::request::timestamp(&JsValue::from_str(t))?,
    };
    let client_ip = match &r.client_ip {
        None => None,
        Some(ip) => Some(ip.parse().map_err(|_| {
            bad(format!(
                "`clientIp` `{}` is not an IPv4 or IPv6 address",
                ip.chars().take(64).collect::<String>()
            ))
        })?),
    };
    // The identity's values are read by the core's one request validator.
    let age = r.age.map(crate::request::age).transpose()?;
    let device = r
        .device
        .as_deref()
        .map(context::device_from_name)
        .transpose()
        .map_err(crate::request::rejected)?;
    let group = r
        .group
        .as_deref()
        .map(context::group)
        .transpose()
        .map_err(crate::request::rejected)?;
    let mut record_options = RecordOptions::new();
    if let Some(key) = &options.pseudonym_key {
        record_options = record_options.with_pseudonyms(
            PseudonymKey::new(key).map_err(|e| Failure::new(Code::InvalidArgument, e))?,
        );
    }
    if options.client_ip == Some(false) {
        record_options = record_options.without_client_ip();
    }
    let identity = Identity {
        site: r.site.as_deref(),
        client_ip,
        user: r.user.as_deref(),
        device,
        group,
        age,
    };
    let mut record = engine.record_for(&r.url, &identity, time, &record_options);
    if options.proceeded == Some(true) {
        // The core marks only a warning as continued past: a request the
        // policy blocks stays a block whatever the host says.
        record.mark_proceeded();
    }
    Ok(record)
}

#[wasm_bindgen]
impl Engine {
    /// Decides one request for the identity it names and returns its
    /// decision record `{time, site, client_ip, user, device, group, age,
    /// policy, url, categories, action, rule, lists, search_terms, alert,
    /// reasons, incident?, error?}` (the JSON Lines record of
    /// `squid-helper --log`). A URL that cannot be read gives a blocked
    /// record with rule `error` (fail closed); a `child-abuse` or
    /// `terrorism` match has the digest id as `url`.
    ///
    /// `options`: `{pseudonymKey?: Uint8Array (16+ bytes), clientIp?:
    /// false, proceeded?: true}` to write the user as a keyed-hash
    /// pseudonym, leave the address out, and record that the user
    /// continued past the warning (`proceeded: true`, as `squid-helper`
    /// records a proceed; only a `warn` decision is marked: a block stays
    /// a block and its record has no `proceeded`).
    ///
    /// Throws an `Error` with code `invalid-request` for a malformed
    /// request.
    #[wasm_bindgen(unchecked_return_type = "DecisionRecord")]
    pub fn record(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RecordRequest")] request: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RecordOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let rec = record_of(self, request, options)?;
        Ok(to_js(&rec)?)
    }

    /// `record` as one JSON line (no line break), as the log holds it.
    #[wasm_bindgen(js_name = recordJson)]
    pub fn record_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RecordRequest")] request: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RecordOptions")] options: JsValue,
    ) -> Result<String, JsValue> {
        Ok(record_of(self, request, options)?.to_json_line())
    }
}

/// The search terms of a search-engine or video-site URL: `{site, terms}`
/// (`site` one of `google`, `bing`, `duckduckgo`, `yahoo`, `youtube`,
/// `ecosia`, ...), or `null` when the URL is not a search.
///
/// Throws an `Error` with code `invalid-url` when `url` is not a URL.
#[wasm_bindgen(js_name = searchTerms, unchecked_return_type = "SearchTerms | null")]
pub fn search_terms(
    #[wasm_bindgen(unchecked_param_type = "string")] url: JsValue,
) -> Result<JsValue, JsValue> {
    let url = boundary::string(&url, "url")?;
    let found =
        esafety::record::search_terms_of(&url).map_err(|e| Failure::new(Code::InvalidUrl, e))?;
    Ok(to_js(&found)?)
}
