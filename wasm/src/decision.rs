//! The `engine.decide` result, made as a JavaScript object in one call.
//!
//! `decide` runs on every navigation, and the crossings between WebAssembly
//! and JavaScript cost more than the decision: a generic serializer makes a
//! fresh JavaScript string for every key and value, and even one property
//! store per field was a dozen crossings. Here the report's fields go to
//! `makeReport` (wasm/js/decide.js) in one call, which makes the object with
//! an object literal — the same keys in the same order, the `check --json`
//! shape. The URL is handed back as the string the caller passed; the texts
//! that repeat from one decision to the next (action, rule id, the
//! categories and reasons, the message) are made into JavaScript strings
//! and arrays once and reused from bounded caches; JavaScript strings are
//! immutable, so sharing them is invisible to the caller, and the list
//! arrays are frozen, so sharing them is too: a caller cannot change what a
//! later decision returns (a list a NUL join would change, an empty reason
//! or one holding NUL, goes over as a fresh array, frozen as well). Frozen
//! shared arrays instead of a copy per result made `decide` about 5% faster.

use std::cell::RefCell;

use esafety::policy::{Action, Decision};
use js_sys::{Array, Object};
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

/// A direct-mapped cache of JavaScript values made from texts, indexed by
/// the text's XXH3 hash.
type TextCache = RefCell<Vec<Option<Cached>>>;

thread_local! {
    /// Strings that repeat across decisions, made once.
    static STRINGS: TextCache = const { RefCell::new(Vec::new()) };
    /// The arrays of lists that repeat across decisions, by their joined
    /// text, made once and frozen: every result with that list shares it.
    static LISTS: TextCache = const { RefCell::new(Vec::new()) };
}

/// The last text and JavaScript string of each cached field of the result,
/// checked before the cache: consecutive decisions mostly share them.
#[derive(Default)]
struct Last {
    action: Option<Cached>,
    rule: Option<Cached>,
    categories: Option<CachedList>,
    reasons: Option<CachedList>,
    message: Option<Cached>,
}

/// A list joined with [`SEPARATOR`] (made only from a [`joinable`] list),
/// with its number of items.
struct CachedList {
    joined: Cached,
    items: usize,
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

/// The frozen JavaScript array of the list `items`, for `makeReport`: the
/// one in `slot` when it holds `items`, else the one made from `items`
/// joined (and then kept in `slot`), or, when a join and split would change
/// them, a fresh array left in `array`.
///
/// A hit needs no [`joinable`] scan: the slot's text was joined from a
/// joinable list of `slot.items` items, so it holds exactly `items - 1`
/// separators and no empty segment, and a list of as many items that joins
/// to it is that same list.
fn list_value<'a>(
    slot: &'a mut Option<CachedList>,
    array: &'a mut JsValue,
    items: &[String],
    make: fn(&str) -> JsValue,
) -> &'a JsValue {
    let hit = slot
        .as_ref()
        .is_some_and(|c| holds(&c.joined.text, c.items, items));
    if !hit {
        if !joinable(items) {
            *array = array_of(items, make);
            return array;
        }
        let text = joined(items);
        let value = cached(&LISTS, &text, split_list);
        *slot = Some(CachedList {
            joined: Cached { text, value },
            items: items.len(),
        });
    }
    // `slot` is `Some` by now; the closure never runs.
    &slot
        .get_or_insert_with(|| CachedList {
            joined: Cached {
                text: String::new(),
                value: JsValue::UNDEFINED,
            },
            items: 0,
        })
        .joined
        .value
}

/// Whether `items` is the list that `text`, joined from a [`joinable`] list
/// of `count` items, was joined from.
fn holds(text: &str, count: usize, items: &[String]) -> bool {
    count == items.len() && is_joined(text, items)
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
    cached(&STRINGS, text, JsValue::from_str)
}

/// The value `make` gives for `text`, made once while it stays in `cache`.
fn cached(
    cache: &'static std::thread::LocalKey<TextCache>,
    text: &str,
    make: fn(&str) -> JsValue,
) -> JsValue {
    if text.len() > CACHE_MAX_TEXT {
        return make(text);
    }
    let slot = (xxhash_rust::xxh3::xxh3_64(text.as_bytes()) as usize) % CACHE_SLOTS;
    cache.with(|cell| {
        let Ok(mut cache) = cell.try_borrow_mut() else {
            return make(text);
        };
        if cache.is_empty() {
            cache.resize_with(CACHE_SLOTS, || None);
        }
        let Some(entry) = cache.get_mut(slot) else {
            return make(text);
        };
        match entry {
            Some(cached) if same_text(&cached.text, text) => cached.value.clone(),
            _ => {
                let value = make(text);
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

fn array_of(items: &[String], make: fn(&str) -> JsValue) -> JsValue {
    let out = Array::new_with_length(items.len() as u32);
    for (i, item) in items.iter().enumerate() {
        out.set(i as u32, make(item));
    }
    Object::freeze(&out).into()
}

#[wasm_bindgen(module = "/js/decide.js")]
extern "C" {
    /// `joined` split on [`SEPARATOR`] (`[]` for the empty text), frozen.
    #[wasm_bindgen(js_name = splitList)]
    fn split_list(joined: &str) -> JsValue;

    /// Makes the result object with one object literal (see
    /// wasm/js/decide.js): `url` undefined for the string `readRequest`
    /// read, `canonical` undefined for "same as `url`", `categories` and
    /// `reasons` as the frozen arrays the result shares.
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
    // `readRequest` takes only well-formed URLs, so this is the field-by-field
    // reader's case alone.
    let text_url;
    // (U+FFFD is EF BF BD in UTF-8: look for the byte first, as URLs are
    // nearly always ASCII.)
    let url = match url {
        Some(_) if report.url.as_bytes().contains(&0xef) && report.url.contains('\u{fffd}') => {
            text_url = JsValue::from_str(report.url);
            Some(&text_url)
        }
        _ => url,
    };
    let canonical = if same_text(report.canonical, report.url) {
        JsValue::UNDEFINED
    } else {
        JsValue::from_str(report.canonical)
    };
    let safe_search = optional(report.safe_search, JsValue::from_str);
    let (mut categories_array, mut reasons_array) = (JsValue::UNDEFINED, JsValue::UNDEFINED);
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
        let categories = list_value(
            &mut last.categories,
            &mut categories_array,
            report.categories,
            interned,
        );
        let reasons = list_value(
            &mut last.reasons,
            &mut reasons_array,
            report.reasons,
            JsValue::from_str,
        );
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
    fn a_cached_list_is_held_by_that_list_alone() {
        // Lists that may arrive, joinable or not.
        let lists: [&[&str]; 11] = [
            &[],
            &[""],
            &["", ""],
            &["a"],
            &["a", "b"],
            &["a\0b"],
            &["a", "", "b"],
            &["", "a"],
            &["a", "b\0"],
            &["ab"],
            &["a", "b", "c"],
        ];
        for cached in lists {
            let cached = strings(cached);
            if !joinable(&cached) {
                continue; // only joinable lists are ever cached
            }
            let text = joined(&cached);
            for other in lists {
                let other = strings(other);
                assert_eq!(
                    holds(&text, cached.len(), &other),
                    other == cached,
                    "cached {cached:?}, request {other:?}"
                );
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
