//! The `engine.decide` result, built as a JavaScript object directly.
//!
//! `decide` runs on every navigation, and turning the report into a
//! JavaScript object was about half of each call: a generic serializer makes
//! a fresh JavaScript string for every key and every value. This builds the
//! same object — the same keys in the same order, the `check --json` shape —
//! with the keys made once, the URL handed back as the string the caller
//! passed, and the strings that repeat from one decision to the next (the
//! action, rule ids, category ids, block and warning messages) made once
//! and reused. JavaScript strings are immutable, so sharing them is
//! invisible to the caller.

use std::cell::RefCell;
use std::collections::HashMap;

use esafety::policy::DecisionReport;
use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The result object under construction. Its fields are set with plain
    /// property stores (`o.url = v`), in `DecisionReport` (and `check
    /// --json`) order, so every result has the same shape and the engine
    /// stores them fast; `Reflect.set` with key strings was slower than the
    /// decision itself.
    type Report;

    #[wasm_bindgen(method, setter = url, structural)]
    fn set_url(this: &Report, value: &JsValue);
    #[wasm_bindgen(method, setter = canonical, structural)]
    fn set_canonical(this: &Report, value: &JsValue);
    #[wasm_bindgen(method, setter = action, structural)]
    fn set_action(this: &Report, value: &JsValue);
    #[wasm_bindgen(method, setter = rule, structural)]
    fn set_rule(this: &Report, value: &JsValue);
    #[wasm_bindgen(method, setter = categories, structural)]
    fn set_categories(this: &Report, value: &JsValue);
    #[wasm_bindgen(method, setter = reasons, structural)]
    fn set_reasons(this: &Report, value: &JsValue);
    #[wasm_bindgen(method, setter = log, structural)]
    fn set_log(this: &Report, value: bool);
    #[wasm_bindgen(method, setter = review, structural)]
    fn set_review(this: &Report, value: bool);
    #[wasm_bindgen(method, setter = message, structural)]
    fn set_message(this: &Report, value: &JsValue);
    #[wasm_bindgen(method, setter = safe_search, structural)]
    fn set_safe_search(this: &Report, value: &JsValue);
}

/// How many distinct repeated strings are kept: rule ids, category ids and
/// messages come from the policy and the bundle, so a real deployment has a
/// few dozen; the cap only bounds memory for a pathological policy.
const INTERN_CAP: usize = 4096;

thread_local! {
    /// Strings that repeat across decisions, made once.
    static INTERNED: RefCell<HashMap<String, JsValue>> = RefCell::new(HashMap::new());
}

/// `text` as a JavaScript string, made once per distinct text (up to
/// [`INTERN_CAP`] texts).
fn interned(text: &str) -> JsValue {
    INTERNED.with(|cell| {
        let mut map = cell.borrow_mut();
        if let Some(value) = map.get(text) {
            return value.clone();
        }
        let value = JsValue::from_str(text);
        if map.len() < INTERN_CAP {
            map.insert(text.to_owned(), value.clone());
        }
        value
    })
}

/// `None` as `null`, as in the JSON.
fn optional(text: Option<&str>, make: fn(&str) -> JsValue) -> JsValue {
    text.map_or(JsValue::NULL, make)
}

fn array(items: &[String], make: fn(&str) -> JsValue) -> JsValue {
    let out = Array::new_with_length(items.len() as u32);
    for (i, item) in items.iter().enumerate() {
        out.set(i as u32, make(item));
    }
    out.into()
}

/// The report as a plain object `{url, canonical, action, rule, categories,
/// reasons, log, review, message, safe_search}`, equal to `JSON.parse` of its
/// JSON. `url` is the JavaScript string the request gave (the report's `url`
/// is that string, unchanged).
pub(crate) fn to_object(report: &DecisionReport, url: &JsValue) -> JsValue {
    // A string with a lone surrogate reached Rust with U+FFFD in its place
    // (and so does the report): then the report's text is what is returned.
    let url = if report.url.contains('\u{fffd}') {
        &JsValue::from_str(&report.url)
    } else {
        url
    };
    let canonical = if report.canonical == report.url {
        url.clone()
    } else {
        JsValue::from_str(&report.canonical)
    };
    let object = Object::new();
    let fields = object.unchecked_ref::<Report>();
    fields.set_url(url);
    fields.set_canonical(&canonical);
    fields.set_action(&interned(report.action.as_str()));
    fields.set_rule(&interned(&report.rule));
    fields.set_categories(&array(&report.categories, interned));
    fields.set_reasons(&array(&report.reasons, JsValue::from_str));
    fields.set_log(report.log);
    fields.set_review(report.review);
    fields.set_message(&optional(report.message.as_deref(), interned));
    fields.set_safe_search(&optional(report.safe_search.as_deref(), JsValue::from_str));
    object.into()
}
