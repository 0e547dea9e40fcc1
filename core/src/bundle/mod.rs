//! The compiled, immutable, versioned bundle.
//!
//! A [`BundleBuilder`] turns parsed list entries ([`crate::lists::Entry`])
//! into bytes once; [`Bundle::from_bytes`] loads those bytes from any
//! `AsRef<[u8]>` (a `Vec<u8>`, a memory map, a copy of a JS `Uint8Array`)
//! without copying the lookup structures, after validating them. A
//! [`Classifier`](crate::classify::Classifier) matches URLs against it.
//!
//! ```
//! use esafety::bundle::{Bundle, BundleBuilder};
//! use esafety::lists::{Entry, EntryKind};
//!
//! let mut builder = BundleBuilder::new();
//! let list = builder.add_list("casinos", "gambling")?;
//! builder.add_entry(list, &Entry { kind: EntryKind::Domain("casino.example".into()), line: 1 })?;
//! let bundle = Bundle::from_bytes(builder.build()?)?;
//! assert_eq!(bundle.lists()[0].name(), "casinos");
//! assert_eq!(bundle.lists()[0].entries(), 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What is stored
//!
//! See [`format`](mod@format) for the byte layout. Non-sensitive entries live in two
//! [`fst`] maps: **hosts** (keyed by the canonical host written backwards,
//! so one walk along the reversed host visits every label-boundary suffix)
//! and **paths** (keyed by the canonical `host/path[?query]` of URL and
//! URL-prefix entries). A host that has path entries is marked in the hosts
//! map, so a URL on a host without any pays nothing for them. Values are
//! indices into a table of distinct *list sets* (which source lists hold
//! the key). Regex entries are compiled into regex-automata DFAs (sparse by default)
//! with anchored starts, several expressions to a DFA (built with size
//! limits; a bad or oversized regex is reported with its list and line
//! when compiling), serialized so loading only validates them (see
//! [`RegexEngine`]).
//!
//! # Sensitive lists (DESIGN.md invariant 2)
//!
//! Entries of `child-abuse` (IWF) and `terrorism` lists are never stored in
//! plaintext: each becomes the SHA-256 of its canonical lookup expression
//! (`host/path[?query]`; a domain entry becomes `host/`), kept in a sorted
//! table of digests. A match on them reports the list and a digest id
//! (`sha256:` + the first 16 hex digits), never the URL. Regex entries
//! cannot be stored that way and are refused for these lists.
//!
//! ## The sensitive-list gate
//!
//! Checking a URL against digests means hashing each of its (up to 30)
//! lookup expressions with SHA-256: several microseconds, far more than the
//! rest of a classification. So the bundle also stores a **gate**: a Bloom
//! filter (about 10 bits and 7 probes per host, about 1% false positives)
//! over a keyed 64-bit hash of the *host* of every sensitive entry: the
//! host's [`HostKey`](crate::lists::HostKey) (XXH3-64, a fixed,
//! platform-independent algorithm) mixed with a per-bundle seed derived
//! from the digests. The list parsers take the `HostKey` at parse time
//! ([`EntryKind::GatedDigest`](crate::lists::EntryKind::GatedDigest)), so a
//! sensitive host's plaintext is dropped as soon as its line is read and the
//! builder still gates it; the key itself is never stored in the bundle. A classification first probes the
//! gate with each distinct host of the URL's lookup expressions (at most
//! five cheap hashes); only the expressions of a host that passes are
//! hashed with SHA-256 and looked up. An unlisted URL therefore costs a few
//! nanoseconds per host, and a URL on a gated host a few microseconds.
//!
//! **Leakage.** The gate reveals no path, query or page and no host in
//! plaintext. Someone holding the bundle can test a *candidate* host they
//! already suspect and learn "probably on a sensitive list, or one of the
//! ~1% false positives"; they cannot enumerate hosts or learn which pages
//! of a host are listed. Digests of expressions can likewise only confirm
//! a page someone already knows. Entries given only as digests (an IWF
//! digest feed) have no known host: a bundle holding any sets its
//! `ungated_digests` flag and then hashes every expression of every URL
//! (correct, but slow); give such lists as URLs where possible.
//!
//! # Loading untrusted bytes
//!
//! [`Bundle::from_bytes`] checks, in order: the length, magic, endianness
//! mark and exact format version; the XXH3-64 checksum over everything
//! after it (chosen over SHA-256 because it runs at memory speed); the
//! section table with checked arithmetic; the metadata (every list,
//! category and list set cross-checked); each `fst`'s header and footer
//! (format version 3, map type, root address where `fst`'s builder puts
//! it); the digest table's length and order; the gate's parameters; and
//! the regex DFA through regex-automata's validating `from_bytes`. Every
//! failure is a [`BundleError`]; nothing panics, reads out of bounds or
//! allocates more than a small multiple of the input.
//!
//! Loading costs one pass over the bytes (the checksum) plus the metadata:
//! a few milliseconds for 5 million domains. The `fst` nodes are not walked
//! at load time. They are read by esafety's own `fst` reader rather than
//! the `fst` crate, because `fst`'s node decoding panics on bytes its
//! builder did not write (fst issues #57 and #146), and checking every node
//! up front would read the whole map again and break the load budget. The
//! reader checks each byte it touches and treats a malformed node as "no
//! match"; a lookup takes one step per key byte, so it always ends. `fst`'s
//! own CRC-32C footer is not checked: the XXH3-64 checksum already covers
//! those bytes against accidents.
//!
//! So for *any* bytes, including a bundle crafted with valid checksums,
//! loading is an `Err` or a bundle whose every lookup returns without a
//! panic, an out-of-bounds read or an unbounded allocation. What a crafted
//! bundle can still do is classify wrongly (checksums stop accidents, not
//! authors): load bundles from a source you trust to have compiled them.

use crate::Limits;

#[cfg(feature = "compile")]
mod build_error;
#[cfg(feature = "compile")]
mod builder;
pub mod format;
mod fst_reader;
mod gate;
mod list_name;
mod load;
mod meta;
mod parts;
mod regex;
mod sets;
mod walk;

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::taxonomy::{Category, LocalCategory};

#[cfg(feature = "compile")]
pub use build_error::BuildError;
#[cfg(feature = "compile")]
pub use builder::{BundleBuilder, ExpressionPlan, ListId};
pub use list_name::{MAX_LIST_NAME_LEN, default_list_name, is_list_name};

/// The most source lists a bundle holds (list ids are `u16`).
pub(crate) const MAX_LISTS: usize = u16::MAX as usize;
pub use format::FORMAT_VERSION;
#[cfg(feature = "fuzzing")]
pub use format::reseal_checksum;
pub(crate) use regex::RegexInput;
pub use regex::{AutomatonLayout, RegexEngine};

/// Reads a bundle file for [`Bundle::from_bytes_with_limits`]: a regular
/// file of at most [`Limits::max_bundle_len`] bytes, whole; a device, FIFO
/// or directory is refused at once ([`crate::file`]). Every face that loads
/// a bundle by path reads it with this (the C face maps it after
/// [`open_regular_file`](crate::file::open_regular_file) with the same limit).
///
/// ```
/// use esafety::bundle::{read_bundle_file, Bundle};
/// use esafety::file::FileError;
/// use esafety::Limits;
/// let path = std::env::temp_dir().join(format!("esafety-doc-bundle-{}.esb", std::process::id()));
/// std::fs::write(&path, esafety::sample::bundle_bytes())?;
/// let bundle = Bundle::from_bytes(read_bundle_file(&path, &Limits::default())?)?;
/// assert!(!bundle.lists().is_empty());
/// let err = read_bundle_file(std::path::Path::new("/dev/zero"), &Limits::default()).unwrap_err();
/// assert!(matches!(err, FileError::NotAFile { .. }), "{err}");
/// std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`FileError`](crate::file::FileError): not a regular file, over
/// [`Limits::max_bundle_len`], or unreadable.
///
/// # Panics
///
/// Never.
pub fn read_bundle_file(
    path: &std::path::Path,
    limits: &Limits,
) -> Result<Vec<u8>, crate::file::FileError> {
    crate::file::read_regular_file(path, crate::limits::Limit::BundleLen, limits)
}

/// An error loading a bundle: the bytes are not a complete, intact bundle
/// of this format version. (Building one fails with a
/// [`BuildError`] instead.)
///
/// Messages never contain an entry of a sensitive list.
///
/// ```
/// use esafety::bundle::{Bundle, BundleError};
/// let err = Bundle::from_bytes(b"not a bundle, but long enough to have a header....".to_vec()).unwrap_err();
/// assert_eq!(err, BundleError::BadMagic);
/// // Every message says what to do.
/// assert!(err.to_string().contains("esafety compile"), "{err}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BundleError {
    /// The bytes are shorter than a bundle header.
    #[error("not an esafety bundle: {len} bytes is shorter than the {HEADER} byte header; compile it with `esafety compile`", HEADER = format::HEADER_LEN)]
    TooShort {
        /// The length seen.
        len: usize,
    },
    /// The bytes do not start with the bundle magic.
    #[error("not an esafety bundle (bad magic bytes); compile one with `esafety compile`")]
    BadMagic,
    /// The bundle was written with the other byte order.
    #[error(
        "bundle byte order mark is wrong: the file is corrupt; compile it again with `esafety compile`"
    )]
    WrongEndianness,
    /// The bundle format version differs from the one this build reads.
    #[error(
        "bundle format version {found} is not supported (this esafety reads version {supported}); upgrade esafety, or recompile the bundle with this esafety's `esafety compile`"
    )]
    UnsupportedVersion {
        /// The version in the bundle.
        found: u32,
        /// The version this build reads.
        supported: u32,
    },
    /// The length stored in the header differs from the length of the bytes.
    #[error(
        "bundle is truncated or has trailing bytes: header says {expected} bytes, got {actual}; copy or compile it again"
    )]
    LengthMismatch {
        /// The length in the header.
        expected: u64,
        /// The length of the bytes.
        actual: u64,
    },
    /// The checksum does not match the bytes.
    #[error(
        "bundle checksum mismatch (stored {stored:#018x}, computed {computed:#018x}): the file is corrupt; copy or compile it again"
    )]
    ChecksumMismatch {
        /// The checksum in the header.
        stored: u64,
        /// The checksum of the bytes.
        computed: u64,
    },
    /// The bundle, or its metadata section, is larger than its limit
    /// ([`Limits::max_bundle_len`], [`Limits::max_bundle_meta_len`]).
    #[error(
        "{what} is {len} bytes, over {max}, the limit `{limit}`; compile a smaller bundle, or raise the limit (`Limits::{limit}`)"
    )]
    TooLarge {
        /// What is too large: `the bundle` or `the metadata section`.
        what: &'static str,
        /// Its length.
        len: u64,
        /// The limit exceeded.
        limit: crate::limits::Limit,
        /// Its value.
        max: u64,
    },
    /// A section of the bundle is malformed.
    #[error("bundle section `{section}` is invalid: {reason}; compile the bundle again")]
    Section {
        /// The section name.
        section: &'static str,
        /// What is wrong.
        reason: String,
    },
}

impl BundleError {
    fn section(section: format::SectionKind, reason: impl Into<String>) -> BundleError {
        BundleError::Section {
            section: section.name(),
            reason: reason.into(),
        }
    }
}

/// Whether a source list blocks its category or allows (a local `--allow`
/// amendment).
///
/// ```
/// use esafety::bundle::ListRole;
/// let bundle = esafety::sample::bundle()?;
/// let allow: Vec<_> = bundle.lists().iter().filter(|l| l.role() == ListRole::Allow).collect();
/// assert_eq!(allow.len(), 1);
/// assert_eq!(allow.first().map(|l| l.name()), Some("sample-allow"));
/// # Ok::<(), esafety::bundle::BundleError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListRole {
    /// Entries put URLs in the list's category.
    Block,
    /// Entries unblock URLs for every category except `child-abuse` and
    /// `terrorism`.
    Allow,
}

/// The metadata of one source list in a bundle.
///
/// ```
/// use esafety::bundle::{Bundle, BundleBuilder, ListRole};
/// use esafety::lists::{Entry, EntryKind};
///
/// let mut b = BundleBuilder::new();
/// let exams = b.add_list("exam-sites", "local-exam-mode")?;
/// b.set_date(exams, "2026-05-11")?;
/// b.add_entry(exams, &Entry { kind: EntryKind::Domain("quiz.example".into()), line: 1 })?;
/// let bundle = Bundle::from_bytes(b.build()?)?;
/// let list = bundle.lists().first().ok_or("no list")?;
/// assert_eq!((list.name(), list.category_id()), ("exam-sites", "local-exam-mode"));
/// assert_eq!((list.role(), list.entries(), list.date()), (ListRole::Block, 1, Some("2026-05-11")));
/// // `Debug` shows metadata, never an entry.
/// assert!(!format!("{list:?}").contains("quiz.example"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ListInfo {
    name: String,
    category: Option<Category>,
    category_id: String,
    role: ListRole,
    entries: u64,
    date: Option<String>,
}

impl ListInfo {
    /// The list name given when the bundle was compiled.
    ///
    /// ```
    /// let bundle = esafety::sample::bundle()?;
    /// let names: Vec<&str> = bundle.lists().iter().map(|l| l.name()).collect();
    /// assert_eq!(names.first(), Some(&"sample-gambling"));
    /// assert_eq!(names.last(), Some(&"sample-allow"));
    /// # Ok::<(), esafety::bundle::BundleError>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The category of a block list (`None` for an allow list).
    ///
    /// ```
    /// use esafety::Category;
    /// let bundle = esafety::sample::bundle()?;
    /// let category = |name: &str| bundle.lists().iter().find(|l| l.name() == name).and_then(|l| l.category());
    /// assert_eq!(category("sample-iwf"), Some(Category::ChildAbuse));
    /// assert_eq!(category("sample-allow"), None);
    /// # Ok::<(), esafety::bundle::BundleError>(())
    /// ```
    pub fn category(&self) -> Option<Category> {
        self.category
    }
    /// The stable category id (`local-…` resolved; `allow` for an allow list).
    ///
    /// ```
    /// let bundle = esafety::sample::bundle()?;
    /// let id = |name: &str| bundle.lists().iter().find(|l| l.name() == name).map(|l| l.category_id());
    /// assert_eq!(id("sample-terrorism"), Some("terrorism"));
    /// assert_eq!(id("sample-allow"), Some("allow"));
    /// # Ok::<(), esafety::bundle::BundleError>(())
    /// ```
    pub fn category_id(&self) -> &str {
        &self.category_id
    }
    /// Block or allow.
    ///
    /// ```
    /// use esafety::bundle::ListRole;
    /// let bundle = esafety::sample::bundle()?;
    /// let gambling = bundle.lists().iter().find(|l| l.name() == "sample-gambling");
    /// assert_eq!(gambling.map(|l| l.role()), Some(ListRole::Block));
    /// # Ok::<(), esafety::bundle::BundleError>(())
    /// ```
    pub fn role(&self) -> ListRole {
        self.role
    }
    /// Whether the list is sensitive (`child-abuse` or `terrorism`): stored
    /// only as digests.
    ///
    /// ```
    /// let bundle = esafety::sample::bundle()?;
    /// let sensitive: Vec<&str> = bundle.lists().iter().filter(|l| l.is_sensitive()).map(|l| l.name()).collect();
    /// assert_eq!(sensitive, ["sample-iwf", "sample-terrorism"]);
    /// # Ok::<(), esafety::bundle::BundleError>(())
    /// ```
    pub fn is_sensitive(&self) -> bool {
        self.category.is_some_and(Category::is_statutory)
    }
    /// How many entries the list contributed.
    ///
    /// ```
    /// let (name, _, text) = esafety::sample::LISTS.first().ok_or("no sample list")?;
    /// let written = text.lines().filter(|l| !l.trim().is_empty() && !l.trim().starts_with('#')).count();
    /// let bundle = esafety::sample::bundle()?;
    /// let list = bundle.lists().iter().find(|l| l.name() == *name).ok_or("missing")?;
    /// assert_eq!(list.entries(), u64::try_from(written)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn entries(&self) -> u64 {
        self.entries
    }
    /// The list's date (`YYYY-MM-DD`), if one was given.
    ///
    /// ```
    /// let bundle = esafety::sample::bundle()?;
    /// let date = |name: &str| bundle.lists().iter().find(|l| l.name() == name).and_then(|l| l.date());
    /// assert_eq!(date("sample-gambling"), Some("2026-01-01"));
    /// assert_eq!(date("sample-allow"), None); // the allow amendment has none
    /// # Ok::<(), esafety::bundle::BundleError>(())
    /// ```
    pub fn date(&self) -> Option<&str> {
        self.date.as_deref()
    }
}

impl fmt::Debug for ListInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ListInfo")
            .field("name", &self.name)
            .field("category", &self.category_id)
            .field("role", &self.role)
            .field("entries", &self.entries)
            .field("date", &self.date)
            .finish()
    }
}

/// Entry counts by kind, as stored in a bundle.
///
/// ```
/// use esafety::bundle::{Bundle, BundleBuilder};
/// use esafety::lists::{Entry, EntryKind};
///
/// let mut b = BundleBuilder::new();
/// let l = b.add_list("bets", "gambling")?;
/// for (line, kind) in [
///     EntryKind::Domain("bet.example".into()),
///     EntryKind::Domain("www.bet.example".into()),
///     EntryKind::Url("casino.example/play.html".into()),
///     EntryKind::Regex("poker[0-9]+".into()),
/// ].into_iter().enumerate() {
///     b.add_entry(l, &Entry { kind, line: line + 1 })?;
/// }
/// let counts = Bundle::from_bytes(b.build()?)?.counts();
/// assert_eq!((counts.domains, counts.urls, counts.regexes, counts.digests), (2, 1, 1, 0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryCounts {
    /// Distinct hosts in the hosts map (domain entries).
    pub domains: u64,
    /// Exact URL entries (non-sensitive).
    pub urls: u64,
    /// URL-prefix entries (non-sensitive), on a path boundary or string
    /// prefixes.
    pub prefixes: u64,
    /// Distinct digests of sensitive expressions.
    pub digests: u64,
    /// Regex entries.
    pub regexes: u64,
    /// Hosts in the sensitive-list gate.
    pub gated_hosts: u64,
    /// Distinct squidGuard `urls` keys (host-anchored string prefixes).
    pub host_prefixes: u64,
}

/// Sizes in bytes of the parts of a bundle.
///
/// ```
/// let bundle = esafety::sample::bundle()?;
/// let sizes = bundle.sizes();
/// assert_eq!(sizes.total, bundle.as_bytes().len());
/// assert!(sizes.meta + sizes.hosts + sizes.paths + sizes.gate + sizes.digests + sizes.regex < sizes.total);
/// assert!(sizes.digests > 0, "the sample IWF and terrorism lists are stored as digests");
/// # Ok::<(), esafety::bundle::BundleError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BundleSizes {
    /// The whole bundle.
    pub total: usize,
    /// The metadata section.
    pub meta: usize,
    /// The hosts `fst`.
    pub hosts: usize,
    /// The paths `fst`.
    pub paths: usize,
    /// The sensitive-host gate.
    pub gate: usize,
    /// The digest table.
    pub digests: usize,
    /// The serialized regex DFAs.
    pub regex: usize,
    /// The squidGuard `urls` `fst`.
    pub host_prefixes: usize,
    /// Heap memory the loaded bundle holds beyond the bytes (metadata,
    /// list-set table, regex DFA copies).
    pub heap: usize,
}

/// A regular expression of a loaded bundle, as [`Bundle::expressions`]
/// lists them.
///
/// ```
/// let bundle = esafety::sample::bundle()?;
/// for e in bundle.expressions() {
///     assert!(!e.pattern.is_empty() && !e.list.is_empty(), "{e:?}");
/// }
/// # Ok::<(), esafety::bundle::BundleError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExpressionInfo<'b> {
    /// The name of its list.
    pub list: &'b str,
    /// The expression as listed.
    pub pattern: &'b str,
    /// The engine that applies it.
    pub engine: RegexEngine,
}

/// Metadata section contents (JSON), written and read with serde
/// (`meta.rs`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Meta {
    pub(crate) lists: Vec<ListMeta>,
    pub(crate) local_categories: Vec<String>,
    pub(crate) list_sets: sets::FlatSets,
    /// The path-key list sets some of whose lists hold the key as a
    /// case-ignoring entry: `(set, those lists)`, by increasing set id,
    /// each a non-empty subset of its set.
    pub(crate) folded_sets: sets::Subsets,
    /// The prefix-key list sets some of whose lists hold the key as a
    /// string prefix (Adblock `||host/path`): `(set, those lists)`, by
    /// increasing set id, each a non-empty subset of its set. Absent when
    /// empty, so a bundle without string prefixes has the bytes it had
    /// before they existed.
    #[serde(default, skip_serializing_if = "sets::Subsets::is_empty")]
    pub(crate) string_prefix_sets: sets::Subsets,
    pub(crate) gate_seed: u64,
    pub(crate) gate_hashes: u32,
    pub(crate) ungated_digests: bool,
    pub(crate) regexes: Vec<RegexMeta>,
    /// The regex automata, in section order.
    pub(crate) automata: Vec<AutomatonMeta>,
    pub(crate) counts: EntryCounts,
}

/// One regex automaton in the regex section.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AutomatonMeta {
    /// Its first byte in the regex section (a multiple of 8).
    pub(crate) offset: u64,
    /// Its length in bytes.
    pub(crate) len: u64,
    /// Run from every position ([`RegexEngine::AnchoredDfa`]) rather than
    /// once ([`RegexEngine::Dfa`]).
    pub(crate) anchored: bool,
    /// A sparse DFA ([`AutomatonLayout::Sparse`]) rather than a dense one.
    #[serde(default, skip_serializing_if = "is_false")]
    pub(crate) sparse: bool,
    /// The `regexes` index of each of its pattern ids.
    pub(crate) patterns: Vec<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListMeta {
    pub(crate) name: String,
    /// `None` for an allow list.
    pub(crate) category: Option<String>,
    pub(crate) entries: u64,
    pub(crate) date: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RegexMeta {
    pub(crate) list: u16,
    pub(crate) pattern: String,
    /// Compiled ASCII case-insensitively (squidGuard, e2guardian).
    #[serde(default, skip_serializing_if = "is_false")]
    pub(crate) ignore_case: bool,
    /// What it is matched against (`regex::RegexInput`): `url` or
    /// `e2guardian`; the loader refuses any other.
    pub(crate) input: String,
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if takes a reference"
)]
fn is_false(b: &bool) -> bool {
    !*b
}

/// A loaded, validated bundle over bytes `B`.
///
/// Immutable, `Send + Sync` when `B` is; swap in a new one by replacing an
/// `Arc`. Its `Debug` output shows metadata only, never an entry.
///
/// ```
/// use esafety::bundle::Bundle;
/// // Over any bytes: a `Vec`, a slice, a memory map.
/// let bytes = esafety::sample::bundle_bytes();
/// let borrowed: Bundle<&[u8]> = Bundle::from_bytes(&bytes[..])?;
/// let owned: Bundle<Vec<u8>> = Bundle::from_bytes(bytes.clone())?;
/// assert_eq!(borrowed.lists(), owned.lists());
/// let debug = format!("{owned:?}");
/// assert!(debug.contains("sample-iwf") && !debug.contains("esafety.invalid"));
/// # Ok::<(), esafety::bundle::BundleError>(())
/// ```
pub struct Bundle<B = Vec<u8>> {
    parts: Arc<parts::BundleParts<B>>,
}

impl<B> Bundle<B> {
    /// A bundle over its loaded parts.
    pub(crate) fn from_parts(parts: parts::BundleParts<B>) -> Bundle<B> {
        Bundle {
            parts: Arc::new(parts),
        }
    }
}

/// A copy of the handle: the bytes, tables and automata are shared, not
/// copied (one reference count), so every engine over one bundle holds it
/// once.
///
/// ```
/// use esafety::bundle::Bundle;
///
/// let bundle = Bundle::from_bytes(esafety::sample::bundle_bytes())?;
/// let copy = bundle.clone();
/// assert!(std::ptr::eq(bundle.lists().as_ptr(), copy.lists().as_ptr()));
/// assert_eq!(bundle.as_bytes().as_ptr(), copy.as_bytes().as_ptr());
/// # Ok::<(), esafety::bundle::BundleError>(())
/// ```
impl<B> Clone for Bundle<B> {
    fn clone(&self) -> Bundle<B> {
        Bundle {
            parts: Arc::clone(&self.parts),
        }
    }
}

// The bundle's own code reads its parts as fields; the parts type is not
// nameable outside the crate and has no public methods.
#[doc(hidden)]
impl<B> std::ops::Deref for Bundle<B> {
    type Target = parts::BundleParts<B>;

    fn deref(&self) -> &parts::BundleParts<B> {
        &self.parts
    }
}

impl<B: AsRef<[u8]>> Bundle<B> {
    /// Loads and validates a bundle from bytes, without copying its lookup
    /// structures.
    ///
    /// # Errors
    ///
    /// A [`BundleError`] naming what is wrong if the bytes are not a
    /// complete, intact bundle of [`FORMAT_VERSION`].
    ///
    /// # Panics
    ///
    /// Never, whatever the bytes.
    ///
    /// ```
    /// use esafety::bundle::{Bundle, BundleError};
    /// let bytes = esafety::sample::bundle_bytes();
    /// let bundle = Bundle::from_bytes(&bytes[..])?;
    /// assert!(bundle.lists().iter().any(|l| l.category_id() == "gambling"));
    /// assert!(matches!(
    ///     Bundle::from_bytes(&bytes[..100]),
    ///     Err(BundleError::LengthMismatch { .. })
    /// ));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_bytes(bytes: B) -> Result<Bundle<B>, BundleError> {
        load::load(bytes, &Limits::DEFAULT)
    }

    /// [`Bundle::from_bytes`] within other [`Limits`]: the bundle at most
    /// [`Limits::max_bundle_len`] bytes, its metadata section at most
    /// [`Limits::max_bundle_meta_len`]. Both are checked before anything
    /// is allocated; what loading allocates after that is a small
    /// multiple of the bytes (the metadata is read into flat tables).
    ///
    /// ```
    /// use esafety::bundle::{Bundle, BundleError};
    /// use esafety::{limits::Limit, Limits};
    /// let bytes = esafety::sample::bundle_bytes();
    /// let mut limits = Limits::default();
    /// limits.max_bundle_len = 1000;
    /// let err = Bundle::from_bytes_with_limits(&bytes[..], &limits).unwrap_err();
    /// assert!(matches!(err, BundleError::TooLarge { limit: Limit::BundleLen, max: 1000, .. }), "{err}");
    /// assert!(err.to_string().contains("`max_bundle_len`"), "{err}");
    /// assert!(Bundle::from_bytes_with_limits(&bytes[..], &Limits::default()).is_ok());
    /// ```
    ///
    /// # Errors
    ///
    /// Those of [`Bundle::from_bytes`], and [`BundleError::TooLarge`].
    ///
    /// # Panics
    ///
    /// Never, whatever the bytes.
    pub fn from_bytes_with_limits(bytes: B, limits: &Limits) -> Result<Bundle<B>, BundleError> {
        load::load(bytes, limits)
    }

    /// The bundle bytes.
    ///
    /// ```
    /// let bundle = esafety::sample::bundle()?;
    /// assert_eq!(bundle.as_bytes(), esafety::sample::bundle_bytes());
    /// # Ok::<(), esafety::bundle::BundleError>(())
    /// ```
    pub fn as_bytes(&self) -> &[u8] {
        (*self.data).as_ref()
    }

    /// The format version (always [`FORMAT_VERSION`] for a loaded bundle).
    ///
    /// ```
    /// assert_eq!(esafety::sample::bundle()?.version(), esafety::bundle::FORMAT_VERSION);
    /// # Ok::<(), esafety::bundle::BundleError>(())
    /// ```
    pub fn version(&self) -> u32 {
        FORMAT_VERSION
    }

    /// When the bundle was compiled (whole seconds).
    ///
    /// ```
    /// use esafety::bundle::{Bundle, BundleBuilder};
    /// let mut b = BundleBuilder::new();
    /// b.created("2026-09-01T07:30:00.75Z".parse()?);
    /// let bundle = Bundle::from_bytes(b.build()?)?;
    /// assert_eq!(bundle.created().to_string(), "2026-09-01T07:30:00Z");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn created(&self) -> jiff::Timestamp {
        jiff::Timestamp::from_second(self.created).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
    }

    /// The source lists, in the order they were added.
    ///
    /// ```
    /// let bundle = esafety::sample::bundle()?;
    /// let names: Vec<&str> = bundle.lists().iter().map(|l| l.name()).collect();
    /// let mut expected: Vec<&str> = esafety::sample::LISTS.iter().map(|(name, _, _)| *name).collect();
    /// expected.push(esafety::sample::ALLOW.0);
    /// assert_eq!(names, expected);
    /// # Ok::<(), esafety::bundle::BundleError>(())
    /// ```
    pub fn lists(&self) -> &[ListInfo] {
        &self.lists
    }

    /// The `local-` categories the bundle defines, in bit order.
    ///
    /// ```
    /// use esafety::bundle::{Bundle, BundleBuilder};
    /// let mut b = BundleBuilder::new();
    /// b.add_list("exams", "local-exam-mode")?;
    /// b.add_list("trips", "local-school-trip")?;
    /// let bundle = Bundle::from_bytes(b.build()?)?;
    /// assert_eq!(bundle.local_categories(), ["local-exam-mode", "local-school-trip"]);
    /// assert!(esafety::sample::bundle()?.local_categories().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn local_categories(&self) -> &[String] {
        &self.local_categories
    }

    /// The name (`local-…`) of a local category, if the bundle defines it.
    ///
    /// ```
    /// use esafety::taxonomy::LocalCategory;
    /// use esafety::bundle::{Bundle, BundleBuilder};
    /// let mut b = BundleBuilder::new();
    /// b.add_list("exams", "local-exam-mode")?;
    /// b.add_list("trips", "local-school-trip")?;
    /// let bundle = Bundle::from_bytes(b.build()?)?;
    /// let second = LocalCategory::new(1).ok_or("index")?;
    /// assert_eq!(bundle.local_category_name(second), Some("local-school-trip"));
    /// assert_eq!(bundle.local_category_name(LocalCategory::new(2).ok_or("index")?), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn local_category_name(&self, local: LocalCategory) -> Option<&str> {
        self.local_categories.get(local.index()).map(String::as_str)
    }

    /// The stable id of a category: built-in ids, and `local-` names from
    /// this bundle.
    ///
    /// ```
    /// use esafety::Category;
    /// use esafety::taxonomy::LocalCategory;
    /// use esafety::bundle::{Bundle, BundleBuilder};
    /// let mut b = BundleBuilder::new();
    /// b.add_list("exams", "local-exam-mode")?;
    /// b.add_list("trips", "local-school-trip")?;
    /// let bundle = Bundle::from_bytes(b.build()?)?;
    /// assert_eq!(bundle.category_id(Category::Gambling), Some("gambling"));
    /// let exams = Category::Local(LocalCategory::new(0).ok_or("index")?);
    /// assert_eq!(bundle.category_id(exams), Some("local-exam-mode"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn category_id(&self, category: Category) -> Option<&str> {
        match category {
            Category::Local(l) => self.local_category_name(l),
            c => c.builtin_id(),
        }
    }

    /// The category with this id: built-in, or a `local-` id this bundle
    /// defines.
    ///
    /// ```
    /// use esafety::Category;
    /// use esafety::bundle::{Bundle, BundleBuilder};
    /// let mut b = BundleBuilder::new();
    /// b.add_list("exams", "local-exam-mode")?;
    /// b.add_list("trips", "local-school-trip")?;
    /// let bundle = Bundle::from_bytes(b.build()?)?;
    /// assert_eq!(bundle.category_from_id("gambling"), Some(Category::Gambling));
    /// let trips = bundle.category_from_id("local-school-trip").ok_or("not defined")?;
    /// assert_eq!(bundle.category_id(trips), Some("local-school-trip"));
    /// assert_eq!(bundle.category_from_id("local-not-defined"), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn category_from_id(&self, id: &str) -> Option<Category> {
        Category::from_id(id).or_else(|| {
            let i = self.local_categories.iter().position(|c| c == id)?;
            LocalCategory::new(i).map(Category::Local)
        })
    }

    /// How many category positions (bits of a
    /// [`CategorySet`](crate::CategorySet)) this bundle's classifications
    /// can use: the 32 built-in positions, then one per local category.
    /// Every category of a classification has a bit below this, and
    /// [`category_id`](Self::category_id) of
    /// [`Category::from_bit`](crate::Category::from_bit) names it.
    ///
    /// ```
    /// use esafety::Category;
    /// use esafety::bundle::{Bundle, BundleBuilder};
    /// let mut b = BundleBuilder::new();
    /// for i in 0..100 {
    ///     b.add_list(&format!("list-{i}"), &format!("local-c{i}"))?;
    /// }
    /// let bundle = Bundle::from_bytes(b.build()?)?;
    /// assert_eq!(bundle.category_count(), 132);
    /// let last = Category::from_bit(131).ok_or("no category")?;
    /// assert_eq!(bundle.category_id(last), Some("local-c99"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn category_count(&self) -> usize {
        32usize.saturating_add(self.local_categories.len())
    }

    /// Entry counts by kind.
    ///
    /// ```
    /// let bundle = esafety::sample::bundle()?;
    /// let counts = bundle.counts();
    /// // The sample IWF and terrorism entries are digests; others are hosts, URLs, prefixes or regexes.
    /// let total: u64 = bundle.lists().iter().map(|l| l.entries()).sum();
    /// assert!(counts.digests > 0 && counts.domains > 0);
    /// assert!(counts.domains + counts.urls + counts.prefixes + counts.regexes + counts.digests <= total);
    /// # Ok::<(), esafety::bundle::BundleError>(())
    /// ```
    pub fn counts(&self) -> EntryCounts {
        self.counts
    }

    /// Sizes of the parts of the bundle.
    ///
    /// ```
    /// let bundle = esafety::sample::bundle()?;
    /// assert_eq!(bundle.sizes().total, bundle.as_bytes().len());
    /// # Ok::<(), esafety::bundle::BundleError>(())
    /// ```
    pub fn sizes(&self) -> BundleSizes {
        self.sizes
    }

    /// The hosts map (reversed host → `list_set << 1 | has_path_entries`).
    #[inline]
    pub(crate) fn hosts_fst(&self) -> fst_reader::Fst<'_> {
        self.hosts.reader(self.as_bytes())
    }

    /// The paths map (`host/path[?query]` → `exact | prefix << 32`).
    #[inline]
    pub(crate) fn paths_fst(&self) -> fst_reader::Fst<'_> {
        self.paths.reader(self.as_bytes())
    }

    /// The squidGuard `urls` map (lowercased `host/path[?query]` → list set).
    #[inline]
    pub(crate) fn host_prefixes_fst(&self) -> fst_reader::Fst<'_> {
        self.host_prefixes.reader(self.as_bytes())
    }

    /// The bundle's regular expressions, in the order they were added,
    /// with their list and the engine that applies each.
    ///
    /// ```
    /// use esafety::bundle::{Bundle, BundleBuilder, RegexEngine};
    /// use esafety::lists::{parse, Format, ParseOptions};
    /// let parsed = parse(Format::SquidGuardExpressions, "expressions", b"(^|[-/_.])porn([-/_.]|$)\n", &ParseOptions::new())?;
    /// let mut b = BundleBuilder::new();
    /// let list = b.add_list("adult-expressions", "adult")?;
    /// b.add_entries(list, &parsed.entries)?;
    /// let bundle = Bundle::from_bytes(b.build()?)?;
    /// let expressions = bundle.expressions();
    /// assert_eq!(expressions.len(), 1);
    /// assert_eq!((expressions[0].list, expressions[0].pattern), ("adult-expressions", "(^|[-/_.])porn([-/_.]|$)"));
    /// assert_eq!(expressions[0].engine, RegexEngine::AnchoredDfa);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn expressions(&self) -> Vec<ExpressionInfo<'_>> {
        self.regexes
            .iter()
            .zip(&self.engines)
            .map(|(r, engine)| ExpressionInfo {
                list: self
                    .lists
                    .get(usize::from(r.list))
                    .map_or("", ListInfo::name),
                pattern: &r.pattern,
                engine: *engine,
            })
            .collect()
    }

    /// The sensitive-host gate over the gate section.
    pub(crate) fn gate(&self) -> gate::Gate<'_> {
        gate::Gate {
            bytes: self
                .as_bytes()
                .get(self.gate_range.clone())
                .unwrap_or_default(),
            seed: self.gate_seed,
            hashes: self.gate_hashes,
        }
    }

    /// Whether digests without a known host force every URL through
    /// SHA-256 (see the module docs, "The sensitive-list gate").
    ///
    /// ```
    /// // Every sample IWF and terrorism entry names its host, so the gate
    /// // lets URLs on other hosts skip hashing.
    /// assert!(!esafety::sample::bundle()?.has_ungated_digests());
    /// # Ok::<(), esafety::bundle::BundleError>(())
    /// ```
    pub fn has_ungated_digests(&self) -> bool {
        self.ungated_digests
    }
}

impl<B> fmt::Debug for Bundle<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bundle")
            .field("version", &FORMAT_VERSION)
            .field("created", &self.created)
            .field("lists", &self.lists)
            .field("local_categories", &self.local_categories)
            .field("counts", &self.counts)
            .field("sizes", &self.sizes)
            .finish_non_exhaustive()
    }
}
