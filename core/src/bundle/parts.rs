//! What a loaded bundle holds; [`super::Bundle`] shares it behind an `Arc`.
//!
//! The type is `pub` in a private module: the bundle's `Deref` names it,
//! and nothing outside the crate can name or build it.

use std::ops::Range;
use std::sync::Arc;

use super::{BundleSizes, EntryCounts, ListInfo, RegexEngine, RegexMeta, fst_reader, regex};

/// The parts of a loaded, validated bundle over bytes `B`.
pub struct BundleParts<B> {
    pub(crate) data: Arc<B>,
    pub(crate) created: i64,
    pub(crate) lists: Vec<ListInfo>,
    pub(crate) local_categories: Vec<String>,
    pub(crate) list_sets: super::sets::FlatSets,
    /// By set id: the lists of each set that hold a path key
    /// as a case-ignoring entry (empty for most sets). Empty as a whole in
    /// a bundle without such entries, and the classifier's folded lookups
    /// are skipped then.
    pub(crate) folded_sets: super::sets::Subsets,
    /// By set id: the lists of each prefix set that hold the
    /// key as a string prefix, matching where the key does not end on a
    /// path boundary (empty for most sets). Empty as a whole in a bundle
    /// without string prefixes: no extra work off a path boundary then.
    pub(crate) string_sets: super::sets::Subsets,
    pub(crate) hosts: fst_reader::FstSection,
    pub(crate) paths: fst_reader::FstSection,
    pub(crate) gate_range: Range<usize>,
    pub(crate) gate_seed: u64,
    pub(crate) gate_hashes: u32,
    pub(crate) ungated_digests: bool,
    pub(crate) digest_range: Range<usize>,
    pub(crate) automata: Vec<regex::Loaded>,
    pub(crate) regexes: Vec<RegexMeta>,
    /// The engine of each of `regexes`.
    pub(crate) engines: Vec<RegexEngine>,
    pub(crate) host_prefixes: fst_reader::FstSection,
    pub(crate) counts: EntryCounts,
    pub(crate) sizes: BundleSizes,
    pub(crate) has_paths: bool,
}
