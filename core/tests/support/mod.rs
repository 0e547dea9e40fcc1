//! Helpers shared by the classification tests that compile lists from
//! bytes and classify through the public API.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers: a failure should panic with its message"
)]

use esafety::bundle::{Bundle, BundleBuilder};
use esafety::classify::Classifier;
use esafety::lists::{Format, ParseOptions, parse};

/// A bundle of one list per (name, category, format, text); lists of the
/// statutory categories are parsed as sensitive, as the CLI does.
pub(crate) fn compile(lists: &[(&str, &str, Format, &[u8])]) -> Classifier {
    let mut b = BundleBuilder::new();
    for (name, category, format, text) in lists {
        let sensitive = matches!(*category, "child-abuse" | "terrorism");
        let options = ParseOptions::new()
            .with_strict(true)
            .with_sensitive(sensitive);
        let parsed = parse(*format, name, text, &options).unwrap();
        assert!(!parsed.entries.is_empty(), "{name}: no entries");
        let id = b.add_list(name, category).unwrap();
        b.add_entries(id, &parsed.entries).unwrap();
    }
    Classifier::new(Bundle::from_bytes(b.build().unwrap()).unwrap())
}

/// (list, expression) pairs of the matches for `url`.
pub(crate) fn hits(c: &Classifier, url: &str) -> Vec<(String, String)> {
    c.classify_str(url)
        .unwrap()
        .matches
        .iter()
        .map(|m| (m.list.to_owned(), m.expression.clone()))
        .collect()
}
