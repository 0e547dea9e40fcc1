//! `engine.dnrRules(context)`: the core's declarativeNetRequest export
//! ([`esafety::export::dnr`]) for an extension installed without policy,
//! which has no blocking `webRequest` listener. Only in builds with the
//! `dnr` feature (the example extension's build): the package's default
//! build stays within its size goal.

use esafety::export::dnr::{self, DnrOptions};
use wasm_bindgen::prelude::*;

use crate::error::{Code, Failure};
use crate::policy::Engine;
use crate::request::JsRequest;
use crate::to_js;

/// The address a context-only request is read with: the export decides
/// for a user and a time, not for one URL.
const NO_URL: &str = "http://dnr-export.invalid/";

#[wasm_bindgen]
impl Engine {
    /// The declarativeNetRequest rules for one user at one time, `{time,
    /// group?, age?, device?}` (as `decide`, without `url`), with rule ids
    /// from `firstRuleId` (default 1): `{rules, regex_rules,
    /// blocks_unlisted, valid_until, coverage, not_covered}` as `esafety dnr
    /// --json` prints, with `spelling_differences` and `engine_only`. Pass `rules` to
    /// `chrome.declarativeNetRequest.updateDynamicRules`, and make them again
    /// at `valid_until`.
    ///
    /// Throws an `Error` with code `too-large` when the rules do not fit
    /// the dynamic-rule limits, `invalid-request` for a malformed context,
    /// `invalid-argument` for a `firstRuleId` that is not an integer from 1
    /// to 2147483647 (with room for the rules' ids).
    #[wasm_bindgen(js_name = dnrRules, unchecked_return_type = "DnrExport")]
    pub fn dnr_rules(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DnrContext")] context: JsValue,
        #[wasm_bindgen(js_name = firstRuleId, unchecked_optional_param_type = "number")]
        first_rule_id: JsValue,
    ) -> Result<JsValue, JsValue> {
        // Read by type (wasm-bindgen's `Option<u32>` coerced `1.5` to 1 and
        // `-1` to 4294967295 without a word); core checks the range.
        let first_rule_id = crate::boundary::optional_u32(&first_rule_id, "firstRuleId")?;
        // A copy (the caller's getters run once, caught), with the url set.
        let with_url = crate::boundary::plain(&context, "context", Code::InvalidRequest)?;
        if !with_url.is_object() {
            return Err(Failure::new(Code::InvalidRequest, "the context is not an object").into());
        }
        js_sys::Reflect::set(
            &with_url,
            &JsValue::from_str("url"),
            &JsValue::from_str(NO_URL),
        )
        .map_err(|_| Failure::new(Code::InvalidRequest, "the context is not an object"))?;
        let request = JsRequest::read(&with_url, None)?;
        let options = DnrOptions {
            first_rule_id: first_rule_id.unwrap_or(1),
            ..DnrOptions::default()
        };
        let export = dnr::rules(self.core(), request.context(), &options)
            .map_err(|e| Failure::new(e.code(), e))?;
        Ok(to_js(&WithLimits {
            export: &export,
            spelling_differences: dnr::SPELLING_DIFFERENCES,
            engine_only: dnr::ENGINE_ONLY,
        })?)
    }
}

/// The export and the differences every install without policy has.
#[derive(serde::Serialize)]
struct WithLimits<'a> {
    #[serde(flatten)]
    export: &'a dnr::DnrExport,
    spelling_differences: &'static [&'static str],
    engine_only: &'static [&'static str],
}

#[wasm_bindgen(typescript_custom_section)]
const DNR_TYPES: &str = r#"
/** The user and time `engine.dnrRules` writes rules for. */
export interface DnrContext {
  time: string | number | Date;
  group?: string;
  age?: number;
  device?: Device;
}

/** One declarativeNetRequest rule (`chrome.declarativeNetRequest.Rule`). */
export interface DnrRule {
  id: number;
  priority: number;
  action: { type: "block" | "allow" };
  condition: {
    urlFilter?: string;
    regexFilter?: string;
    isUrlFilterCaseSensitive?: boolean;
    requestDomains?: string[];
    resourceTypes: string[];
  };
}

/** How much of one list the rules cover. */
export interface DnrListCoverage {
  list: string;
  category: string;
  coverage: "rules" | "partly" | "not-blocked" | "engine" | "sensitive";
  entries: number;
  in_rules: number;
  not_blocked: number;
  engine_only: number;
}

/** `engine.dnrRules(context)`: the rules and what they cover. */
export interface DnrExport {
  rules: DnrRule[];
  /** How rules match differently from the engine, for every install without policy. */
  spelling_differences: string[];
  /** What only the engine does (so only for top-level pages without policy). */
  engine_only: string[];
  regex_rules: number;
  blocks_unlisted: boolean;
  /** RFC 3339; `null`: until the bundle, the policy or the user changes. */
  valid_until: string | null;
  coverage: DnrListCoverage[];
  not_covered: string[];
}
"#;
