//! The built-in sample bundle: small lists compiled at run time, for
//! demonstrations, the shared test vectors (`tests/vectors/classify.toml`)
//! and every face's "no `--bundle` given" default.
//!
//! The lists live in `policies/samples/`: a few real, well-known domains
//! per category, and **synthetic** `child-abuse` (IWF) and `terrorism`
//! lists of made-up pages under reserved names (`*.esafety.invalid`,
//! documentation IP ranges), compiled as digests like real ones. They are
//! not a filtering list: use real vendor lists with `esafety compile`.
//!
//! Sample list syntax (one entry per line, `#` comments): `host` (a domain
//! and its subdomains), `host/path` (an exact page), `host/dir/*` (a URL
//! prefix), `re:PATTERN` (a regex over `host/path?query`).
//!
//! ```
//! use esafety::classify::Classifier;
//! let classifier = Classifier::new(esafety::sample::bundle()?);
//! let c = classifier.classify_str("https://www.bet365.com/")?;
//! assert_eq!(c.matches[0].list, "sample-gambling");
//! assert_eq!(esafety::sample::bundle_bytes(), esafety::sample::bundle_bytes());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::bundle::{BuildError, Bundle, BundleBuilder, BundleError, ListId};
use crate::lists::{Entry, EntryKind};

/// The creation time stored in the sample bundle (fixed, so its bytes are
/// the same on every build and platform): 2026-01-01T00:00:00Z.
///
/// ```
/// let at = jiff::Timestamp::from_second(esafety::sample::CREATED)?;
/// assert_eq!(at.to_string(), "2026-01-01T00:00:00Z");
/// # Ok::<(), jiff::Error>(())
/// ```
pub const CREATED: i64 = 1_767_225_600;

/// The sample lists: (list name, category id, contents).
///
/// ```
/// use esafety::Category;
/// // One list per built-in category.
/// assert_eq!(esafety::sample::LISTS.len(), Category::BUILTIN.len());
/// assert!(esafety::sample::LISTS.iter().all(|(_, id, _)| Category::from_id(id).is_some()));
/// ```
pub const LISTS: &[(&str, &str, &str)] = &[
    (
        "sample-gambling",
        "gambling",
        include_str!("../policies/samples/gambling.txt"),
    ),
    (
        "sample-pornography",
        "pornography",
        include_str!("../policies/samples/pornography.txt"),
    ),
    (
        "sample-social-networking",
        "social-networking",
        include_str!("../policies/samples/social-networking.txt"),
    ),
    (
        "sample-search",
        "search",
        include_str!("../policies/samples/search.txt"),
    ),
    (
        "sample-streaming",
        "streaming",
        include_str!("../policies/samples/streaming.txt"),
    ),
    (
        "sample-gaming",
        "gaming",
        include_str!("../policies/samples/gaming.txt"),
    ),
    (
        "sample-chat",
        "chat",
        include_str!("../policies/samples/chat.txt"),
    ),
    (
        "sample-webmail",
        "webmail",
        include_str!("../policies/samples/webmail.txt"),
    ),
    (
        "sample-malware-hacking",
        "malware-hacking",
        include_str!("../policies/samples/malware-hacking.txt"),
    ),
    (
        "sample-circumvention",
        "circumvention",
        include_str!("../policies/samples/circumvention.txt"),
    ),
    (
        "sample-drugs",
        "drugs",
        include_str!("../policies/samples/drugs.txt"),
    ),
    (
        "sample-violence",
        "violence",
        include_str!("../policies/samples/violence.txt"),
    ),
    (
        "sample-weapons",
        "weapons",
        include_str!("../policies/samples/weapons.txt"),
    ),
    (
        "sample-self-harm",
        "self-harm",
        include_str!("../policies/samples/self-harm.txt"),
    ),
    (
        "sample-extremism",
        "extremism",
        include_str!("../policies/samples/extremism.txt"),
    ),
    (
        "sample-discrimination",
        "discrimination",
        include_str!("../policies/samples/discrimination.txt"),
    ),
    (
        "sample-piracy",
        "piracy",
        include_str!("../policies/samples/piracy.txt"),
    ),
    (
        "sample-dating",
        "dating",
        include_str!("../policies/samples/dating.txt"),
    ),
    (
        "sample-file-sharing",
        "file-sharing",
        include_str!("../policies/samples/file-sharing.txt"),
    ),
    (
        "sample-adult",
        "adult",
        include_str!("../policies/samples/adult.txt"),
    ),
    (
        "sample-iwf",
        "child-abuse",
        include_str!("../policies/samples/iwf.txt"),
    ),
    (
        "sample-terrorism",
        "terrorism",
        include_str!("../policies/samples/terrorism.txt"),
    ),
];

/// The sample allow amendment (list name, contents).
///
/// ```
/// let (name, text) = esafety::sample::ALLOW;
/// assert_eq!(name, "sample-allow");
/// assert!(text.lines().any(|l| l == "reddit.com/r/learnprogramming/*"));
/// ```
pub const ALLOW: (&str, &str) = (
    "sample-allow",
    include_str!("../policies/samples/allow.txt"),
);

/// The entries of one sample list.
fn entries(text: &str) -> impl Iterator<Item = Entry> + '_ {
    text.lines().enumerate().filter_map(|(i, line)| {
        let line_no = i + 1;
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') {
            return None;
        }
        let kind = if let Some(re) = l.strip_prefix("re:") {
            EntryKind::Regex(re.to_owned())
        } else if let Some(prefix) = l.strip_suffix('*') {
            EntryKind::UrlPrefix(prefix.to_owned())
        } else if l.contains('/') {
            EntryKind::Url(l.to_owned())
        } else {
            EntryKind::Domain(l.to_owned())
        };
        Some(Entry {
            kind,
            line: line_no,
        })
    })
}

fn add(builder: &mut BundleBuilder, list: ListId, text: &str) -> Result<(), BuildError> {
    entries(text).try_for_each(|e| builder.add_entry(list, &e))
}

/// Compiles the sample bundle (deterministic bytes).
///
/// ```
/// use esafety::bundle::{Bundle, format::MAGIC};
/// let bytes = esafety::sample::try_bundle_bytes()?;
/// assert!(bytes.starts_with(&MAGIC));
/// let bundle = Bundle::from_bytes(bytes)?;
/// assert_eq!(bundle.created().as_second(), esafety::sample::CREATED);
/// assert_eq!(bundle.lists().len(), esafety::sample::LISTS.len() + 1); // + the allow amendment
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// Never in practice: the sample lists are fixed and tested; an error would
/// be a bug in the builder.
pub fn try_bundle_bytes() -> Result<Vec<u8>, BuildError> {
    let mut b = BundleBuilder::new();
    b.created(jiff::Timestamp::from_second(CREATED).unwrap_or(jiff::Timestamp::UNIX_EPOCH));
    for (name, category, text) in LISTS {
        let id = b.add_list(name, category)?;
        b.set_date(id, "2026-01-01")?;
        add(&mut b, id, text)?;
    }
    let allow = b.add_allow_list(ALLOW.0)?;
    add(&mut b, allow, ALLOW.1)?;
    b.build()
}

/// The sample bundle's bytes (deterministic); empty if compiling failed
/// (it does not: see [`try_bundle_bytes`]).
///
/// ```
/// // The same bytes on every call, build and platform.
/// let bytes = esafety::sample::bundle_bytes();
/// assert!(!bytes.is_empty());
/// assert_eq!(bytes, esafety::sample::try_bundle_bytes()?);
/// # Ok::<(), esafety::bundle::BuildError>(())
/// ```
pub fn bundle_bytes() -> Vec<u8> {
    try_bundle_bytes().unwrap_or_default()
}

/// The sample bundle, loaded.
///
/// ```
/// use esafety::Category;
/// let bundle = esafety::sample::bundle()?;
/// let gambling = bundle.lists().iter().find(|l| l.name() == "sample-gambling");
/// assert_eq!(gambling.and_then(|l| l.category()), Some(Category::Gambling));
/// # Ok::<(), esafety::bundle::BundleError>(())
/// ```
///
/// # Errors
///
/// As [`Bundle::from_bytes`] (a failure of [`try_bundle_bytes`] leaves no
/// bytes, which do not load); neither happens for the shipped samples.
pub fn bundle() -> Result<Bundle<Vec<u8>>, BundleError> {
    Bundle::from_bytes(bundle_bytes())
}
