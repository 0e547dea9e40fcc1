//! [`BundleBuilder`]: list entries → bundle bytes.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use regex_automata::dfa::{dense, sparse};
use regex_automata::{MatchKind, nfa::thompson, util::syntax};
use sha2::{Digest as _, Sha256};

use super::format::{
    self, DIGEST_RECORD_LEN, ENDIAN_MARK, FORMAT_VERSION, HEADER_LEN, MAGIC, SECTION_ENTRY_LEN,
    SectionKind,
};
use super::{BundleError, EntryCounts, ListMeta, Meta, RegexMeta, gate};
use crate::lists::{Entry, EntryKind, HostKey};
use crate::taxonomy::{Category, MAX_LOCAL_CATEGORIES};
use crate::url::CanonicalUrl;

/// The most source lists one bundle holds.
pub(crate) const MAX_LISTS: usize = u16::MAX as usize;
/// Size limit for the compiled regex DFA (and for each regex alone).
pub(crate) const REGEX_SIZE_LIMIT: usize = 16 << 20;

/// A source list in a builder, as returned by [`BundleBuilder::add_list`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ListId(u16);

impl ListId {
    /// The index of the list in the bundle's list table.
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

struct ListBuild {
    name: String,
    /// `None` for an allow list.
    category: Option<String>,
    sensitive: bool,
    entries: u64,
    date: Option<String>,
}

/// How a path key matches.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PathKind {
    Exact,
    Prefix,
}

/// Compiles list entries into bundle bytes.
///
/// Sensitive entries (lists of category `child-abuse` or `terrorism`) are
/// hashed as soon as they are added; the builder keeps only their digests
/// and the keyed hashes of their hosts, and its `Debug` output shows
/// counts only.
///
/// ```
/// use esafety::bundle::{Bundle, BundleBuilder};
/// use esafety::classify::Classifier;
/// use esafety::lists::{Entry, EntryKind};
///
/// let mut b = BundleBuilder::new();
/// b.created(jiff::Timestamp::from_second(1_700_000_000)?);
/// let bets = b.add_list("bets", "gambling")?;
/// b.add_entry(bets, &Entry { kind: EntryKind::Domain("bet.example".into()), line: 1 })?;
/// let iwf = b.add_list("iwf", "child-abuse")?;
/// b.add_entry(iwf, &Entry { kind: EntryKind::Url("iwf-test.esafety.invalid/a.html".into()), line: 1 })?;
/// let bytes = b.build()?;
/// // The sensitive entry is not in the bytes.
/// assert!(!bytes.windows(8).any(|w| w == b"iwf-test"));
///
/// let classifier = Classifier::new(Bundle::from_bytes(bytes)?);
/// let c = classifier.classify_str("https://WWW.iwf-test.esafety.invalid/a.html?x=1")?;
/// assert_eq!(c.matches[0].list, "iwf");
/// assert!(c.matches[0].expression.starts_with("sha256:"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Default)]
pub struct BundleBuilder {
    created: i64,
    lists: Vec<ListBuild>,
    local_categories: Vec<String>,
    /// Reversed canonical host → (list, is-domain-entry). A host with only
    /// path entries is stored with `None` to mark it.
    hosts: Vec<(Vec<u8>, Option<u16>)>,
    paths: Vec<(String, u16, PathKind)>,
    digests: Vec<([u8; 32], u16)>,
    /// Hosts of sensitive entries, kept in memory only until `build` hashes
    /// them with the bundle seed (known once every digest is in).
    /// [`HostKey`]s of the hosts sensitive entries live on.
    gate_keys: Vec<u64>,
    ungated_digests: bool,
    regexes: Vec<(u16, String)>,
    urls: u64,
    prefixes: u64,
}

impl fmt::Debug for BundleBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BundleBuilder")
            .field("lists", &self.lists.len())
            .field("hosts", &self.hosts.len())
            .field("paths", &self.paths.len())
            .field("digests", &self.digests.len())
            .field("regexes", &self.regexes.len())
            .finish_non_exhaustive()
    }
}

impl BundleBuilder {
    /// An empty builder; its creation time is the Unix epoch until
    /// [`created`](Self::created) sets it (time comes in as an argument).
    pub fn new() -> BundleBuilder {
        BundleBuilder::default()
    }

    /// Sets the creation time stored in the header (whole seconds).
    pub fn created(&mut self, at: jiff::Timestamp) -> &mut BundleBuilder {
        self.created = at.as_second();
        self
    }

    /// Adds a block list of category `category_id` (a built-in id or a
    /// `local-` id) and returns its id.
    ///
    /// # Errors
    ///
    /// [`BundleError::ListName`] for an empty or repeated name,
    /// [`BundleError::UnknownCategory`],
    /// [`BundleError::TooManyLocalCategories`] or
    /// [`BundleError::TooManyLists`].
    pub fn add_list(&mut self, name: &str, category_id: &str) -> Result<ListId, BundleError> {
        let sensitive = match Category::from_id(category_id) {
            Some(c) => c.is_statutory(),
            None if Category::is_local_id(category_id) => {
                if !self.local_categories.iter().any(|c| c == category_id) {
                    if self.local_categories.len() >= MAX_LOCAL_CATEGORIES {
                        return Err(BundleError::TooManyLocalCategories {
                            max: MAX_LOCAL_CATEGORIES,
                        });
                    }
                    self.local_categories.push(category_id.to_owned());
                }
                false
            }
            None => {
                return Err(BundleError::UnknownCategory {
                    id: category_id.to_owned(),
                });
            }
        };
        self.push_list(name, Some(category_id.to_owned()), sensitive)
    }

    /// Adds an allow list (a local `--allow` amendment): its entries unblock
    /// a host or URL for every category except `child-abuse` and
    /// `terrorism`.
    ///
    /// # Errors
    ///
    /// As [`add_list`](Self::add_list).
    pub fn add_allow_list(&mut self, name: &str) -> Result<ListId, BundleError> {
        self.push_list(name, None, false)
    }

    fn push_list(
        &mut self,
        name: &str,
        category: Option<String>,
        sensitive: bool,
    ) -> Result<ListId, BundleError> {
        if name.is_empty() || self.lists.iter().any(|l| l.name == name) {
            return Err(BundleError::ListName {
                name: name.to_owned(),
            });
        }
        let id = u16::try_from(self.lists.len())
            .ok()
            .filter(|i| usize::from(*i) < MAX_LISTS)
            .ok_or(BundleError::TooManyLists { max: MAX_LISTS })?;
        self.lists.push(ListBuild {
            name: name.to_owned(),
            category,
            sensitive,
            entries: 0,
            date: None,
        });
        Ok(ListId(id))
    }

    /// Records the date of a list (`YYYY-MM-DD`).
    ///
    /// # Errors
    ///
    /// [`BundleError::BadDate`] or [`BundleError::UnknownList`].
    pub fn set_date(&mut self, list: ListId, date: &str) -> Result<(), BundleError> {
        let l = self.list_mut(list)?;
        if date.parse::<jiff::civil::Date>().is_err() || date.len() != 10 {
            return Err(BundleError::BadDate {
                list: l.name.clone(),
                date: date.to_owned(),
            });
        }
        l.date = Some(date.to_owned());
        Ok(())
    }

    fn list_mut(&mut self, list: ListId) -> Result<&mut ListBuild, BundleError> {
        self.lists
            .get_mut(list.index())
            .ok_or(BundleError::UnknownList { id: list.index() })
    }

    /// Adds every entry of `entries` to `list`, stopping at the first error.
    ///
    /// # Errors
    ///
    /// As [`add_entry`](Self::add_entry).
    pub fn add_entries<'e>(
        &mut self,
        list: ListId,
        entries: impl IntoIterator<Item = &'e Entry>,
    ) -> Result<(), BundleError> {
        entries
            .into_iter()
            .try_for_each(|e| self.add_entry(list, e))
    }

    /// Adds one entry to `list`.
    ///
    /// Domains, URLs and URL prefixes are canonicalized again (so any
    /// spelling works); a sensitive list's entry is reduced to the SHA-256
    /// of its canonical expression at once.
    ///
    /// # Errors
    ///
    /// [`BundleError::Entry`] (with the entry's line) for a host or URL that
    /// does not canonicalize, a regex that does not compile or exceeds the
    /// size limit, or a regex in a sensitive list;
    /// [`BundleError::UnknownList`].
    pub fn add_entry(&mut self, list: ListId, entry: &Entry) -> Result<(), BundleError> {
        let (name, sensitive) = {
            let l = self.list_mut(list)?;
            (l.name.clone(), l.sensitive)
        };
        let err = |reason: String| BundleError::Entry {
            list: name.clone(),
            line: entry.line,
            reason,
        };
        let id = list.0;
        match &entry.kind {
            EntryKind::Domain(d) => {
                let host = canonical_host(d).ok_or_else(|| {
                    err(if sensitive {
                        "not a valid host name; fix or remove the line".to_owned()
                    } else {
                        format!("`{d}` is not a valid host name; fix or remove the line")
                    })
                })?;
                if sensitive {
                    let mut expr = host.clone();
                    expr.push('/');
                    self.add_digest(id, &expr, Some(&host));
                } else {
                    self.hosts.push((host.bytes().rev().collect(), Some(id)));
                }
            }
            EntryKind::Url(u) | EntryKind::UrlPrefix(u) => {
                let kind = if matches!(entry.kind, EntryKind::Url(_)) {
                    PathKind::Exact
                } else {
                    PathKind::Prefix
                };
                let url = CanonicalUrl::parse(u).map_err(|e| {
                    err(if sensitive {
                        "not a valid URL; fix or remove the line".to_owned()
                    } else {
                        format!("`{u}` is not a valid URL ({e}); fix or remove the line")
                    })
                })?;
                if sensitive {
                    self.add_digest(id, url.host_and_path_query(), Some(url.host()));
                } else {
                    self.hosts.push((url.host().bytes().rev().collect(), None));
                    self.paths
                        .push((url.host_and_path_query().to_owned(), id, kind));
                    match kind {
                        PathKind::Exact => self.urls += 1,
                        PathKind::Prefix => self.prefixes += 1,
                    }
                }
            }
            EntryKind::Regex(r) => {
                if sensitive {
                    return Err(err(
                        "a sensitive list cannot hold regex entries (they cannot be stored as digests); give the URLs instead".to_owned(),
                    ));
                }
                build_dfa(std::slice::from_ref(r)).map_err(|e| {
                    err(format!(
                        "regex `{r}` does not compile: {e}; fix or remove the line"
                    ))
                })?;
                self.regexes.push((id, r.clone()));
            }
            EntryKind::Digest(d) => {
                self.digests.push((*d, id));
                self.ungated_digests = true;
            }
            EntryKind::GatedDigest(d, key) => {
                self.digests.push((*d, id));
                self.gate_keys.push(key.get());
            }
        }
        if let Some(l) = self.lists.get_mut(list.index()) {
            l.entries += 1;
        }
        Ok(())
    }

    fn add_digest(&mut self, list: u16, expression: &str, host: Option<&str>) {
        self.digests
            .push((Sha256::digest(expression.as_bytes()).into(), list));
        match host {
            Some(h) => self.gate_keys.push(HostKey::of(h).get()),
            None => self.ungated_digests = true,
        }
    }

    /// Compiles the bundle.
    ///
    /// The output is deterministic: the same lists, entries and creation
    /// time give the same bytes.
    ///
    /// # Errors
    ///
    /// [`BundleError::RegexSetTooLarge`] if the regex entries together exceed
    /// the DFA size limit; [`BundleError::TooLarge`] if a section would
    /// exceed what the format addresses.
    pub fn build(&self) -> Result<Vec<u8>, BundleError> {
        let mut sets = ListSets::default();

        // Hosts: sort, merge equal keys.
        let mut hosts: Vec<(&[u8], Option<u16>)> =
            self.hosts.iter().map(|(k, l)| (k.as_slice(), *l)).collect();
        hosts.sort_unstable();
        hosts.dedup();
        let mut host_map = fst::MapBuilder::memory();
        let mut domains = 0u64;
        let mut i = 0;
        while let Some(&(key, _)) = hosts.get(i) {
            let mut lists = Vec::new();
            let mut has_paths = false;
            while let Some(&(k, l)) = hosts.get(i) {
                if k != key {
                    break;
                }
                match l {
                    Some(l) => lists.push(l),
                    None => has_paths = true,
                }
                i += 1;
            }
            if !lists.is_empty() {
                domains += 1;
            }
            let set = sets.intern(lists)?;
            host_map
                .insert(key, (u64::from(set) << 1) | u64::from(has_paths))
                .map_err(|e| BundleError::section(SectionKind::Hosts, e.to_string()))?;
        }
        let hosts_fst = host_map
            .into_inner()
            .map_err(|e| BundleError::section(SectionKind::Hosts, e.to_string()))?;

        // Paths: exact and prefix list sets per key.
        let mut paths: BTreeMap<&str, (Vec<u16>, Vec<u16>)> = BTreeMap::new();
        for (key, list, kind) in &self.paths {
            let slot = paths.entry(key.as_str()).or_default();
            match kind {
                PathKind::Exact => slot.0.push(*list),
                PathKind::Prefix => slot.1.push(*list),
            }
        }
        let mut path_map = fst::MapBuilder::memory();
        for (key, (exact, prefix)) in paths {
            let e = sets.intern(exact)?;
            let p = sets.intern(prefix)?;
            path_map
                .insert(key, u64::from(e) | (u64::from(p) << 32))
                .map_err(|e| BundleError::section(SectionKind::Paths, e.to_string()))?;
        }
        let paths_fst = path_map
            .into_inner()
            .map_err(|e| BundleError::section(SectionKind::Paths, e.to_string()))?;

        // Digests: sorted records, equal digests merged.
        let mut digests = self.digests.clone();
        digests.sort_unstable();
        digests.dedup();
        let mut digest_bytes = Vec::with_capacity(digests.len().saturating_mul(DIGEST_RECORD_LEN));
        let mut seed_hasher = xxhash_rust::xxh3::Xxh3::new();
        let mut distinct_digests = 0u64;
        let mut i = 0;
        while let Some(&(d, _)) = digests.get(i) {
            let mut lists = Vec::new();
            while let Some(&(d2, l)) = digests.get(i) {
                if d2 != d {
                    break;
                }
                lists.push(l);
                i += 1;
            }
            let set = sets.intern(lists)?;
            digest_bytes.extend_from_slice(&d);
            digest_bytes.extend_from_slice(&set.to_le_bytes());
            seed_hasher.update(&d);
            distinct_digests += 1;
        }

        // Gate: keyed hashes of the sensitive hosts under a seed derived
        // from the digests (deterministic per bundle, different between
        // bundles).
        let gate_seed = seed_hasher.digest();
        let host_hashes = self.gate_host_hashes(gate_seed);
        let gate_words = gate::build(&host_hashes, gate::HASHES);
        let mut gate_bytes = Vec::with_capacity(gate_words.len().saturating_mul(8));
        for w in &gate_words {
            gate_bytes.extend_from_slice(&w.to_le_bytes());
        }

        // Regexes: one sparse DFA over every pattern, pattern id = index.
        let patterns: Vec<&str> = self.regexes.iter().map(|(_, p)| p.as_str()).collect();
        let regex_bytes = if patterns.is_empty() {
            Vec::new()
        } else {
            build_dfa(&patterns)
                .map_err(|reason| BundleError::RegexSetTooLarge {
                    limit: REGEX_SIZE_LIMIT,
                    reason,
                })?
                .to_bytes_little_endian()
        };

        let meta = Meta {
            lists: self
                .lists
                .iter()
                .map(|l| ListMeta {
                    name: l.name.clone(),
                    category: l.category.clone(),
                    entries: l.entries,
                    date: l.date.clone(),
                })
                .collect(),
            local_categories: self.local_categories.clone(),
            list_sets: sets.sets,
            gate_seed,
            gate_hashes: gate::HASHES,
            ungated_digests: self.ungated_digests,
            regexes: self
                .regexes
                .iter()
                .map(|(l, p)| RegexMeta {
                    list: *l,
                    pattern: p.clone(),
                })
                .collect(),
            counts: EntryCounts {
                domains,
                urls: self.urls,
                prefixes: self.prefixes,
                digests: distinct_digests,
                regexes: u64::try_from(self.regexes.len()).unwrap_or(u64::MAX),
                gated_hosts: u64::try_from(host_hashes.len()).unwrap_or(u64::MAX),
            },
        };
        let meta_bytes = serde_json::to_vec(&meta)
            .map_err(|e| BundleError::section(SectionKind::Meta, e.to_string()))?;

        assemble(
            self.created,
            &[
                (SectionKind::Meta, &meta_bytes),
                (SectionKind::Hosts, &hosts_fst),
                (SectionKind::Paths, &paths_fst),
                (SectionKind::Gate, &gate_bytes),
                (SectionKind::Digests, &digest_bytes),
                (SectionKind::Regex, &regex_bytes),
            ],
        )
    }

    fn gate_host_hashes(&self, seed: u64) -> Vec<u64> {
        let mut out: Vec<u64> = self
            .gate_keys
            .iter()
            .map(|&k| gate::key_hash(seed, k))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Interned list sets; index 0 is the empty set.
struct ListSets {
    sets: Vec<Vec<u16>>,
    index: HashMap<Vec<u16>, u32>,
}

impl Default for ListSets {
    fn default() -> Self {
        let mut index = HashMap::new();
        index.insert(Vec::new(), 0);
        ListSets {
            sets: vec![Vec::new()],
            index,
        }
    }
}

impl ListSets {
    fn intern(&mut self, mut lists: Vec<u16>) -> Result<u32, BundleError> {
        lists.sort_unstable();
        lists.dedup();
        if let Some(&i) = self.index.get(&lists) {
            return Ok(i);
        }
        let i = u32::try_from(self.sets.len())
            .ok()
            .filter(|i| *i < u32::MAX >> 1)
            .ok_or(BundleError::TooLarge {
                what: "more than 2^31 distinct list sets",
            })?;
        self.sets.push(lists.clone());
        self.index.insert(lists, i);
        Ok(i)
    }
}

/// The canonical form of a domain entry, or `None` if it is not a host.
fn canonical_host(d: &str) -> Option<String> {
    let plain = !d.is_empty()
        && d.len() <= 253
        && !d.starts_with('.')
        && !d.ends_with('.')
        && !d.contains("..")
        && d.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.' || b == b'_'
        })
        && d.rsplit('.')
            .next()
            .is_some_and(|tld| tld.bytes().any(|b| !b.is_ascii_digit()));
    if plain {
        return Some(d.to_owned());
    }
    if d.contains(['/', '?', '#', '@']) {
        return None;
    }
    let url = CanonicalUrl::parse(d).ok()?;
    let host_chars = url.is_ip()
        || url.host().bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.' || b == b'_'
        });
    (host_chars && url.path() == "/" && url.query().is_none()).then(|| url.host().to_owned())
}

/// The regex DFA configuration: all matches (so every list that matches is
/// reported), bytes rather than UTF-8 (canonical URLs are ASCII), size
/// limits on the DFA and on determinization.
pub(crate) fn build_dfa<P: AsRef<str>>(patterns: &[P]) -> Result<sparse::DFA<Vec<u8>>, String> {
    let dfa = dense::Builder::new()
        .configure(
            dense::Config::new()
                .match_kind(MatchKind::All)
                .dfa_size_limit(Some(REGEX_SIZE_LIMIT))
                .determinize_size_limit(Some(REGEX_SIZE_LIMIT)),
        )
        .syntax(syntax::Config::new().unicode(false).utf8(false))
        .thompson(
            thompson::Config::new()
                .utf8(false)
                .nfa_size_limit(Some(REGEX_SIZE_LIMIT)),
        )
        .build_many(patterns)
        .map_err(|e| e.to_string())?;
    dfa.to_sparse().map_err(|e| e.to_string())
}

/// Writes header, section table and sections, then the checksum.
fn assemble(created: i64, sections: &[(SectionKind, &[u8])]) -> Result<Vec<u8>, BundleError> {
    let too_large = || BundleError::TooLarge {
        what: "more than 2^64 bytes",
    };
    let table_len = sections
        .len()
        .checked_mul(SECTION_ENTRY_LEN)
        .ok_or_else(too_large)?;
    let mut offset = HEADER_LEN.checked_add(table_len).ok_or_else(too_large)?;
    let mut table = Vec::with_capacity(table_len);
    let mut layout = Vec::with_capacity(sections.len());
    for (kind, bytes) in sections {
        offset = offset.checked_next_multiple_of(8).ok_or_else(too_large)?;
        table.extend_from_slice(&(*kind as u32).to_le_bytes());
        table.extend_from_slice(&0u32.to_le_bytes());
        table.extend_from_slice(&(offset as u64).to_le_bytes());
        table.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        layout.push(offset);
        offset = offset.checked_add(bytes.len()).ok_or_else(too_large)?;
    }
    let total = offset;
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&ENDIAN_MARK.to_le_bytes());
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&0u64.to_le_bytes());
    out.extend_from_slice(&(total as u64).to_le_bytes());
    out.extend_from_slice(&created.to_le_bytes());
    let count = u32::try_from(sections.len()).map_err(|_| too_large())?;
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&table);
    for ((_, bytes), at) in sections.iter().zip(layout) {
        out.resize(at, 0);
        out.extend_from_slice(bytes);
    }
    format::reseal_checksum(&mut out);
    Ok(out)
}
