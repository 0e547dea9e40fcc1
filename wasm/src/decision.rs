//! The `engine.decide` result, made as a JavaScript object in one call.
//!
//! `decide` runs on every navigation, and the crossings between WebAssembly
//! and JavaScript cost more than the decision: a generic serializer makes a
//! fresh JavaScript string for every key and value, and even one property
//! store per field was a dozen crossings. Here the report's fields go to
//! `makeReport` (wasm/js/decide.js) in one call, which makes the object with
//! an object literal — the same keys in the same order, the `check --json`
//! shape. The URL is handed back as the string the caller passed; the texts
//! that repeat from one decision to the next (action, rule id, the joined
//! categories and reasons, the message) are made into JavaScript strings
//! once and reused from a bounded cache; JavaScript strings are immutable,
//! so sharing them is invisible to the caller, and the lists are fresh
//! arrays every time (a list a NUL join would change, an empty reason or
//! one holding NUL, goes over as an array).

use std::cell::RefCell;

use esafety::policy::{Action, Decision};
use js_sys::Array;
use wasm_bindgen::prelude::*;

/// Slots of the string cache: a real deployment repeats a few dozen rule
/// ids, category ids and messages, and the reasons of the sites its users
/// visit; the cache keeps the most recent text per slot, so its memory is
/// bounded whatever the traffic.
const CACHE_SLOTS: usize = 1024;

/// Texts longer than this are not cached (a reason quoting a long URL
/// prefix or regex is rarely repeated).
const CACHE_MAX_TEXT: usize = 512;

/// One cached text and the JavaScript string made from it.
struct Cached {
    text: String,
    value: JsValue,
}

thread_local! {
    /// Strings that repeat across decisions, made once: a direct-mapped
    /// cache indexed by the text's XXH3 hash.
    static CACHE: RefCell<Vec<Option<Cached>>> = const { RefCell::new(Vec::new()) };
}

/// The last text and JavaScript string of each cached field of the result,
/// checked before the cache: consecutive decisions mostly share them.
#[derive(Default)]
struct Last {
    action: Option<Cached>,
    rule: Option<Cached>,
    categories: Option<Cached>,
    reasons: Option<Cached>,
    message: Option<Cached>,
}

thread_local! {
    static LAST: RefCell<Last> = RefCell::new(Last::default());
}

/// Makes `slot` hold the text `same` accepts (made by `text` when it does
/// not already) and returns its JavaScript string.
fn refresh(
    slot: &mut Option<Cached>,
    same: impl Fn(&str) -> bool,
    text: impl FnOnce() -> String,
) -> &JsValue {
    if !slot.as_ref().is_some_and(|c| same(&c.text)) {
        let text = text();
        let value = interned(&text);
        *slot = Some(Cached { text, value });
    }
    // `slot` is `Some` by now; the closure never runs.
    &slot
        .get_or_insert_with(|| Cached {
            text: String::new(),
            value: JsValue::UNDEFINED,
        })
        .value
}

/// Whether `text` is `items` joined with [`SEPARATOR`], without joining.
fn is_joined(text: &str, items: &[String]) -> bool {
    let mut rest = text.as_bytes();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            match rest.split_first() {
                Some((&b, tail)) if b == SEPARATOR as u8 => rest = tail,
                _ => return false,
            }
        }
        let Some((head, tail)) = rest.split_at_checked(item.len()) else {
            return false;
        };
        if !same_bytes(head, item.as_bytes()) {
            return false;
        }
        rest = tail;
    }
    rest.is_empty()
}

/// `a == b`, eight bytes at a time. The cached texts are compared on every
/// decision, and on wasm32 a slice comparison is a byte-at-a-time `memcmp`.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let ((a8, a_tail), (b8, b_tail)) = (a.as_chunks::<8>(), b.as_chunks::<8>());
    a8.iter()
        .zip(b8)
        .all(|(x, y)| u64::from_ne_bytes(*x) == u64::from_ne_bytes(*y))
        && a_tail == b_tail
}

/// `a == b` for texts, by [`same_bytes`].
fn same_text(a: &str, b: &str) -> bool {
    same_bytes(a.as_bytes(), b.as_bytes())
}

/// `text` as a JavaScript string, made once while it stays in the cache.
fn interned(text: &str) -> JsValue {
    if text.len() > CACHE_MAX_TEXT {
        return JsValue::from_str(text);
    }
    let slot = (xxhash_rust::xxh3::xxh3_64(text.as_bytes()) as usize) % CACHE_SLOTS;
    CACHE.with(|cell| {
        let Ok(mut cache) = cell.try_borrow_mut() else {
            return JsValue::from_str(text);
        };
        if cache.is_empty() {
            cache.resize_with(CACHE_SLOTS, || None);
        }
        let Some(entry) = cache.get_mut(slot) else {
            return JsValue::from_str(text);
        };
        match entry {
            Some(cached) if same_text(&cached.text, text) => cached.value.clone(),
            _ => {
                let value = JsValue::from_str(text);
                *entry = Some(Cached {
                    text: text.to_owned(),
                    value: value.clone(),
                });
                value
            }
        }
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

#[wasm_bindgen(module = "/js/decide.js")]
extern "C" {
    /// Makes the result object with one object literal (see
    /// wasm/js/decide.js): `url` undefined for the string `readRequest`
    /// read, `canonical` undefined for "same as `url`", `categories` and
    /// `reasons` joined with NUL (or, when a join would change them, as
    /// arrays).
    #[wasm_bindgen(js_name = makeReport)]
    // (The lint fires on the stub wasm-bindgen makes for other targets.)
    #[cfg_attr(
        not(target_arch = "wasm32"),
        expect(
            clippy::too_many_arguments,
            reason = "one argument per field of the result, in one call"
        )
    )]
    fn make_report(
        url: &JsValue,
        canonical: &JsValue,
        action: &JsValue,
        rule: &JsValue,
        categories: &JsValue,
        reasons: &JsValue,
        log: bool,
        review: bool,
        message: &JsValue,
        safe_search: &JsValue,
    ) -> JsValue;
}

/// What joins list items for `makeReport`, which splits on it.
const SEPARATOR: char = '\0';

/// Whether `items` survive a join with [`SEPARATOR`] and a split: none is
/// empty or contains it (policy text could, in theory, put a NUL in a
/// reason).
fn joinable(items: &[String]) -> bool {
    items
        .iter()
        .all(|s| !s.is_empty() && !s.as_bytes().contains(&(SEPARATOR as u8)))
}

/// `items` joined with [`SEPARATOR`].
fn joined(items: &[String]) -> String {
    let mut out = String::with_capacity(items.iter().map(|s| s.len() + 1).sum());
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(SEPARATOR);
        }
        out.push_str(item);
    }
    out
}

/// The report as a plain object `{url, canonical, action, rule, categories,
/// reasons, log, review, message, safe_search}`, equal to `JSON.parse` of its
/// JSON. `url` is the JavaScript string the request gave (the report's `url`
/// is that string, unchanged): `None` when `readRequest` read it.
/// The fields of the `check --json` report, borrowed from the request and
/// the core's [`Decision`] (what `DecisionReport::new` would copy).
pub(crate) struct Fields<'a> {
    pub(crate) url: &'a str,
    pub(crate) canonical: &'a str,
    pub(crate) action: Action,
    pub(crate) rule: &'a str,
    pub(crate) categories: &'a [String],
    pub(crate) reasons: &'a [String],
    pub(crate) log: bool,
    pub(crate) review: bool,
    pub(crate) message: Option<&'a str>,
    pub(crate) safe_search: Option<&'a str>,
}

impl<'a> Fields<'a> {
    /// The report of `decision` for the request URL `url` (as given) and its
    /// canonical form.
    pub(crate) fn new(url: &'a str, canonical: &'a str, decision: &'a Decision) -> Fields<'a> {
        Fields {
            url,
            canonical,
            action: decision.action,
            rule: &decision.rule,
            categories: &decision.categories,
            reasons: &decision.reasons,
            log: decision.log,
            review: decision.review,
            message: decision.message.as_deref(),
            safe_search: decision.safe_search.as_ref().map(|s| s.url.as_str()),
        }
    }
}

pub(crate) fn to_object(report: &Fields<'_>, url: Option<&JsValue>) -> JsValue {
    // A string with a lone surrogate reached Rust with U+FFFD in its place
    // (and so does the report): then the report's text is what is returned.
    let text_url;
    // (U+FFFD is EF BF BD in UTF-8: look for the byte first, as URLs are
    // nearly always ASCII.)
    let url = if report.url.as_bytes().contains(&0xef) && report.url.contains('\u{fffd}') {
        text_url = JsValue::from_str(report.url);
        Some(&text_url)
    } else {
        url
    };
    let canonical = if report.canonical == report.url {
        JsValue::UNDEFINED
    } else {
        JsValue::from_str(report.canonical)
    };
    let safe_search = optional(report.safe_search, JsValue::from_str);
    // A list a NUL join and split would change goes over as an array.
    let categories_array =
        (!joinable(report.categories)).then(|| array(report.categories, interned));
    let reasons_array =
        (!joinable(report.reasons)).then(|| array(report.reasons, JsValue::from_str));
    LAST.with(|cell| {
        // Should the slots be in use (`decide` does not call itself), fresh
        // ones do: the strings then come from the cache alone.
        let mut fresh = Last::default();
        let mut borrowed = cell.try_borrow_mut();
        let last: &mut Last = match borrowed.as_deref_mut() {
            Ok(last) => last,
            Err(_) => &mut fresh,
        };
        let action = report.action.as_str();
        let action = refresh(
            &mut last.action,
            |t| same_text(t, action),
            || action.to_owned(),
        );
        let rule = refresh(
            &mut last.rule,
            |t| same_text(t, report.rule),
            || report.rule.to_owned(),
        );
        let categories = match &categories_array {
            Some(items) => items,
            None => refresh(
                &mut last.categories,
                |t| is_joined(t, report.categories),
                || joined(report.categories),
            ),
        };
        let reasons = match &reasons_array {
            Some(items) => items,
            None => refresh(
                &mut last.reasons,
                |t| is_joined(t, report.reasons),
                || joined(report.reasons),
            ),
        };
        let null = JsValue::NULL;
        let message = match report.message {
            Some(m) => refresh(&mut last.message, |t| same_text(t, m), || m.to_owned()),
            None => &null,
        };
        make_report(
            url.unwrap_or(&JsValue::UNDEFINED),
            &canonical,
            action,
            rule,
            categories,
            reasons,
            report.log,
            report.review,
            message,
            &safe_search,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn is_joined_agrees_with_joined() {
        let lists: [&[&str]; 6] = [
            &[],
            &["a"],
            &["a", "b"],
            &["ab", "c"],
            &["a", "bc"],
            &["no rule matched", "category `x` from list `y` matched `z/`"],
        ];
        for items in lists {
            let items = strings(items);
            for other in lists {
                let other = strings(other);
                assert_eq!(
                    is_joined(&joined(&other), &items),
                    other == items,
                    "{other:?} vs {items:?}"
                );
            }
            assert!(!is_joined(&format!("{}\0", joined(&items)), &items));
            assert!(!is_joined(&format!("x{}", joined(&items)), &items));
        }
    }

    #[test]
    fn same_bytes_is_slice_equality() {
        let texts: Vec<Vec<u8>> = (0..20)
            .map(|n| (0..n).map(|i| b'a' + (i % 7) as u8).collect())
            .collect();
        for a in &texts {
            for b in &texts {
                assert_eq!(same_bytes(a, b), a == b);
                for flip in 0..b.len() {
                    let mut c = b.clone();
                    c[flip] ^= 1;
                    assert_eq!(same_bytes(a, &c), *a == c, "{a:?} {c:?}");
                }
            }
        }
    }

    #[test]
    fn joinable_rejects_what_a_split_would_change() {
        assert!(joinable(&strings(&["a", "b"])));
        assert!(joinable(&[]));
        assert!(!joinable(&strings(&["a", ""])));
        assert!(!joinable(&strings(&["a\0b"])));
    }
}
