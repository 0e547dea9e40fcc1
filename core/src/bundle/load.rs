//! Validating loader: bytes → [`Bundle`].

use std::collections::HashSet;
use std::ops::Range;
use std::sync::Arc;

use super::format::{
    self, DIGEST_RECORD_LEN, ENDIAN_MARK, FORMAT_VERSION, HEADER_LEN, MAGIC, SECTION_ENTRY_LEN,
    SectionKind, read_u32, read_u64,
};
use super::fst_reader::FstSection;
use super::parts::BundleParts;
use super::regex::{Loaded, RegexEngine, RegexInput};
use super::sets::{FlatSets, Subsets};
use super::{Bundle, BundleError, BundleSizes, ListInfo, ListRole, Meta, gate};
use crate::Limits;
use crate::limits::Limit;
use crate::taxonomy::{Category, LocalCategory, MAX_LOCAL_CATEGORIES};

pub(super) fn load<B: AsRef<[u8]>>(data: B, limits: &Limits) -> Result<Bundle<B>, BundleError> {
    let bytes = data.as_ref();
    let too_large = |limit: Limit, what: &'static str, len: usize| BundleError::TooLarge {
        what,
        len: len as u64,
        limit,
        max: limits.get(limit),
    };
    if bytes.len() as u64 > limits.max_bundle_len {
        return Err(too_large(Limit::BundleLen, "the bundle", bytes.len()));
    }
    let header = |at| read_u64(bytes, at).ok_or(BundleError::TooShort { len: bytes.len() });
    if bytes.len() < HEADER_LEN {
        return Err(BundleError::TooShort { len: bytes.len() });
    }
    if bytes.get(..8) != Some(&MAGIC[..]) {
        return Err(BundleError::BadMagic);
    }
    if read_u32(bytes, 8) != Some(ENDIAN_MARK) {
        return Err(BundleError::WrongEndianness);
    }
    let version = read_u32(bytes, 12).ok_or(BundleError::TooShort { len: bytes.len() })?;
    if version != FORMAT_VERSION {
        return Err(BundleError::UnsupportedVersion {
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    let total = header(24)?;
    let actual = bytes.len() as u64;
    if total != actual {
        return Err(BundleError::LengthMismatch {
            expected: total,
            actual,
        });
    }
    // The metadata's size, if the table names it inside the bytes, is
    // checked before the checksum: refusing an inflated bundle costs no
    // pass over its bytes. (The table is checked in full below.)
    let meta_entry = (
        read_u64(bytes, HEADER_LEN + 8),
        read_u64(bytes, HEADER_LEN + 16),
    );
    if read_u32(bytes, HEADER_LEN) == Some(SectionKind::Meta as u32)
        && let (Some(offset), Some(len)) = meta_entry
        && offset.checked_add(len).is_some_and(|end| end <= actual)
        && len > limits.max_bundle_meta_len
    {
        return Err(too_large(
            Limit::BundleMetaLen,
            "the metadata section",
            usize::try_from(len).unwrap_or(usize::MAX),
        ));
    }
    let stored = header(16)?;
    let computed = format::checksum(bytes);
    if stored != computed {
        return Err(BundleError::ChecksumMismatch { stored, computed });
    }
    let created = i64::from_le_bytes(header(32)?.to_le_bytes());
    let count = read_u32(bytes, 40).ok_or(BundleError::TooShort { len: bytes.len() })?;
    let table_err = |reason: String| BundleError::Section {
        section: "table",
        reason,
    };
    if read_u32(bytes, 44) != Some(0) {
        return Err(table_err("reserved header field is not zero".into()));
    }
    if count as usize != SectionKind::ALL.len() {
        return Err(table_err(format!(
            "{count} sections, expected {}",
            SectionKind::ALL.len()
        )));
    }

    // Section table: every kind once, in order, in bounds, not overlapping.
    let mut ranges: Vec<Range<usize>> = Vec::with_capacity(SectionKind::ALL.len());
    let table_end = HEADER_LEN + SectionKind::ALL.len() * SECTION_ENTRY_LEN;
    let mut prev_end = table_end;
    for (i, expected) in SectionKind::ALL.iter().enumerate() {
        let at = HEADER_LEN + i * SECTION_ENTRY_LEN;
        let field = |off: usize| {
            read_u64(bytes, at + off).ok_or_else(|| table_err("section table is truncated".into()))
        };
        let kind =
            read_u32(bytes, at).ok_or_else(|| table_err("section table is truncated".into()))?;
        if SectionKind::from_u32(kind) != Some(*expected) || read_u32(bytes, at + 4) != Some(0) {
            return Err(table_err(format!(
                "entry {i} has kind {kind}, expected {} ({})",
                *expected as u32,
                expected.name()
            )));
        }
        let offset =
            usize::try_from(field(8)?).map_err(|_| table_err("offset overflows".into()))?;
        let len = usize::try_from(field(16)?).map_err(|_| table_err("length overflows".into()))?;
        let end = offset
            .checked_add(len)
            .ok_or_else(|| table_err("offset + length overflows".into()))?;
        if offset < prev_end || end > bytes.len() || offset % 8 != 0 {
            return Err(BundleError::section(
                *expected,
                format!(
                    "bytes {offset}..{end} are out of bounds, unaligned or overlap the previous section"
                ),
            ));
        }
        prev_end = end;
        ranges.push(offset..end);
    }
    let range = |k: SectionKind| ranges.get(k as usize - 1).cloned().unwrap_or(0..0);
    let slice = |k: SectionKind| bytes.get(range(k)).unwrap_or(&[]);
    // Every section lies inside the bytes (checked above), so what each
    // allocates is bounded by its own length: the metadata is read into
    // flat tables (`sets.rs`) that cost no more than the JSON that spells
    // them, and is refused over its own limit before a byte is parsed.
    let meta_len = range(SectionKind::Meta).len();
    if meta_len as u64 > limits.max_bundle_meta_len {
        return Err(too_large(
            Limit::BundleMetaLen,
            "the metadata section",
            meta_len,
        ));
    }

    // Metadata.
    let meta_text = std::str::from_utf8(slice(SectionKind::Meta)).map_err(|e| {
        BundleError::section(
            SectionKind::Meta,
            format!("metadata is not UTF-8 (byte {})", e.valid_up_to()),
        )
    })?;
    let mut meta: Meta = super::meta::read(meta_text)
        .map_err(|reason| BundleError::section(SectionKind::Meta, reason))?;
    let meta_err = |reason: String| BundleError::section(SectionKind::Meta, reason);
    if meta.local_categories.len() > MAX_LOCAL_CATEGORIES {
        return Err(meta_err(format!(
            "{} local categories (at most {MAX_LOCAL_CATEGORIES})",
            meta.local_categories.len()
        )));
    }
    let mut seen = HashSet::new();
    for c in &meta.local_categories {
        if !Category::is_local_id(c) || !seen.insert(c.as_str()) {
            return Err(meta_err(format!(
                "local category `{c}` is invalid or repeated"
            )));
        }
    }
    if meta.lists.len() > super::MAX_LISTS {
        return Err(meta_err("too many lists".into()));
    }
    let mut names = HashSet::new();
    let mut lists = Vec::with_capacity(meta.lists.len());
    for l in &meta.lists {
        if l.name.is_empty() || !names.insert(l.name.as_str()) {
            return Err(meta_err(format!(
                "list name `{}` is empty or repeated",
                l.name
            )));
        }
        let (category, role) = match &l.category {
            None => (None, ListRole::Allow),
            Some(id) => {
                let c = Category::from_id(id).or_else(|| {
                    let i = meta.local_categories.iter().position(|c| c == id)?;
                    LocalCategory::new(i).map(Category::Local)
                });
                match c {
                    Some(c) => (Some(c), ListRole::Block),
                    None => {
                        return Err(meta_err(format!(
                            "list `{}` has unknown category `{id}`",
                            l.name
                        )));
                    }
                }
            }
        };
        lists.push(ListInfo {
            name: l.name.clone(),
            category,
            category_id: l.category.clone().unwrap_or_else(|| "allow".to_owned()),
            role,
            entries: l.entries,
            date: l.date.clone(),
        });
    }
    if meta.list_sets.get(0).is_none_or(|s| !s.is_empty()) {
        return Err(meta_err("list set 0 must exist and be empty".into()));
    }
    if meta.list_sets.iter().skip(1).any(<[u16]>::is_empty) {
        return Err(meta_err("only list set 0 may be empty".into()));
    }
    if meta.list_sets.len() > u32::MAX as usize >> 1 {
        return Err(meta_err("too many list sets".into()));
    }
    for set in meta.list_sets.iter() {
        if set.iter().any(|l| usize::from(*l) >= lists.len())
            || !set.windows(2).all(|w| matches!(w, [a, b] if a < b))
        {
            return Err(meta_err(
                "a list set names an unknown list or is not sorted".into(),
            ));
        }
    }
    let folded_sets =
        subsets(&meta.list_sets, std::mem::take(&mut meta.folded_sets)).map_err(|()| {
            meta_err(
            "a case-folded list set names an unknown set or lists outside its set, or is not sorted"
                .into(),
        )
        })?;
    let string_sets = subsets(&meta.list_sets, std::mem::take(&mut meta.string_prefix_sets)).map_err(|()| {
        meta_err(
            "a string-prefix list set names an unknown set or lists outside its set, or is not sorted"
                .into(),
        )
    })?;
    for r in &meta.regexes {
        let list = lists.get(usize::from(r.list));
        if list.is_none_or(ListInfo::is_sensitive) {
            return Err(meta_err(
                "a regex names an unknown or sensitive list".into(),
            ));
        }
    }

    // Gate.
    let gate_range = range(SectionKind::Gate);
    let digest_range = range(SectionKind::Digests);
    if gate_range.len() % 8 != 0 {
        return Err(BundleError::section(
            SectionKind::Gate,
            "length is not a multiple of 8",
        ));
    }
    if !(1..=gate::MAX_HASHES).contains(&meta.gate_hashes) {
        return Err(BundleError::section(
            SectionKind::Gate,
            format!("{} probes (1 to {})", meta.gate_hashes, gate::MAX_HASHES),
        ));
    }
    // Digests: whole records, strictly increasing, valid list sets.
    if digest_range.len() % DIGEST_RECORD_LEN != 0 {
        return Err(BundleError::section(
            SectionKind::Digests,
            format!("length is not a multiple of {DIGEST_RECORD_LEN}"),
        ));
    }
    let digests = bytes.get(digest_range.clone()).unwrap_or(&[]);
    let mut prev: Option<&[u8]> = None;
    for rec in digests.chunks_exact(DIGEST_RECORD_LEN) {
        let (d, set) = rec.split_at(32);
        let set = read_u32(set, 0).unwrap_or(u32::MAX) as usize;
        if set == 0 || set >= meta.list_sets.len() {
            return Err(BundleError::section(
                SectionKind::Digests,
                "a record names an unknown list set",
            ));
        }
        if prev.is_some_and(|p| p >= d) {
            return Err(BundleError::section(
                SectionKind::Digests,
                "records are not sorted",
            ));
        }
        prev = Some(d);
    }
    if !digests.is_empty() && gate_range.is_empty() && !meta.ungated_digests {
        return Err(BundleError::section(
            SectionKind::Gate,
            "digests are present but the gate is empty",
        ));
    }

    // Regex DFAs: regex-automata validates every table; the metadata must
    // name every expression exactly once, in automata that lie in order
    // inside the section.
    let regex_bytes = bytes.get(range(SectionKind::Regex)).unwrap_or(&[]);
    let (automata, engines) = regex_automata(regex_bytes, &meta)?;

    let heap = automata.iter().map(Loaded::memory_usage).sum::<usize>()
        + meta.list_sets.heap()
        + folded_sets.heap()
        + string_sets.heap()
        + meta
            .regexes
            .iter()
            .map(|r| r.pattern.len() + 32)
            .sum::<usize>()
        + lists
            .iter()
            .map(|l| l.name.len() + l.category_id.len() + 96)
            .sum::<usize>();
    let sizes = BundleSizes {
        total: 0,
        meta: range(SectionKind::Meta).len(),
        hosts: range(SectionKind::Hosts).len(),
        paths: range(SectionKind::Paths).len(),
        gate: gate_range.len(),
        digests: digest_range.len(),
        regex: regex_bytes.len(),
        host_prefixes: range(SectionKind::HostPrefixes).len(),
        heap,
    };
    // fst maps: header and footer only (constant time). Their nodes are
    // read by `fst_reader`, which checks every byte it reads, so nothing
    // needs to walk them here (fst's own CRC32C `verify` would read every
    // byte again and protects nothing the XXH3-64 checksum does not).
    let open_fst = |k: SectionKind| {
        FstSection::open(bytes, range(k)).map_err(|reason| BundleError::section(k, reason))
    };
    let hosts = open_fst(SectionKind::Hosts)?;
    let paths = open_fst(SectionKind::Paths)?;
    let host_prefixes = open_fst(SectionKind::HostPrefixes)?;
    let total_len = bytes.len();
    let shared = Arc::new(data);

    let sizes = BundleSizes {
        total: total_len,
        ..sizes
    };
    Ok(Bundle::from_parts(BundleParts {
        has_paths: paths.len() != 0,
        data: shared,
        created,
        lists,
        local_categories: meta.local_categories,
        list_sets: meta.list_sets,
        folded_sets,
        string_sets,
        hosts,
        paths,
        gate_range,
        gate_seed: meta.gate_seed,
        gate_hashes: meta.gate_hashes,
        ungated_digests: meta.ungated_digests,
        digest_range,
        automata,
        regexes: meta.regexes,
        engines,
        host_prefixes,
        counts: meta.counts,
        sizes,
    }))
}

/// A subset table of the metadata (`folded_sets`, `string_prefix_sets`),
/// checked: set ids must increase and name existing non-empty sets, and
/// each subset must be a sorted, non-empty subset of its set.
fn subsets(list_sets: &FlatSets, pairs: Subsets) -> Result<Subsets, ()> {
    let mut prev_set: Option<u32> = None;
    for (set, sub) in pairs.iter() {
        let lists_of = list_sets.get(set as usize);
        let ok = set != 0
            && prev_set.is_none_or(|p| p < set)
            && !sub.is_empty()
            && sub.windows(2).all(|w| matches!(w, [a, b] if a < b))
            && lists_of.is_some_and(|all| sub.iter().all(|l| all.binary_search(l).is_ok()));
        if !ok {
            return Err(());
        }
        prev_set = Some(set);
    }
    Ok(pairs)
}

/// The regex automata the metadata describes, validated, and the engine
/// of each expression.
fn regex_automata(
    section: &[u8],
    meta: &Meta,
) -> Result<(Vec<Loaded>, Vec<RegexEngine>), BundleError> {
    let err = |reason: String| BundleError::section(SectionKind::Regex, reason);
    let mut inputs = Vec::with_capacity(meta.regexes.len());
    for r in &meta.regexes {
        let Some(input) = RegexInput::from_id(&r.input) else {
            return Err(BundleError::section(
                SectionKind::Meta,
                format!(
                    "a regex is matched against input `{}`, which this esafety neither writes nor reads (only `url` and `e2guardian`): the bundle is corrupt or from another esafety version",
                    r.input
                ),
            ));
        };
        inputs.push(input);
    }
    let mut engines: Vec<Option<RegexEngine>> = vec![None; meta.regexes.len()];
    let mut automata = Vec::with_capacity(meta.automata.len());
    let mut end = 0u64;
    for a in &meta.automata {
        if a.offset < end || a.offset % 8 != 0 || a.patterns.is_empty() {
            return Err(err(
                "automata overlap, are out of order or unaligned, or one has no pattern".into(),
            ));
        }
        end = a
            .offset
            .checked_add(a.len)
            .filter(|e| *e <= section.len() as u64)
            .ok_or_else(|| err("an automaton lies outside the section".into()))?;
        let start = usize::try_from(a.offset).map_err(|_| err("offset overflows".into()))?;
        let stop = usize::try_from(end).map_err(|_| err("offset overflows".into()))?;
        let bytes = section.get(start..stop).unwrap_or_default();
        let engine = if a.anchored {
            RegexEngine::AnchoredDfa
        } else {
            RegexEngine::Dfa
        };
        let input = a
            .patterns
            .first()
            .and_then(|&p| inputs.get(p as usize))
            .copied()
            .unwrap_or(RegexInput::Url);
        for &p in &a.patterns {
            if inputs.get(p as usize).is_some_and(|&i| i != input) {
                return Err(err(
                    "an automaton holds expressions matched against different inputs".into(),
                ));
            }
            match engines.get_mut(p as usize) {
                Some(slot @ None) => *slot = Some(engine),
                _ => {
                    return Err(err(
                        "an automaton names an unknown or repeated expression".into()
                    ));
                }
            }
        }
        automata.push(
            Loaded::from_bytes(bytes, (a.anchored, a.sparse), input, a.patterns.clone())
                .map_err(err)?,
        );
    }
    let engines: Option<Vec<RegexEngine>> = engines.into_iter().collect();
    let engines = engines.ok_or_else(|| err("an expression is in no automaton".into()))?;
    if end != section.len() as u64 && !(meta.automata.is_empty() && section.is_empty()) {
        return Err(err("trailing bytes after the last automaton".into()));
    }
    Ok((automata, engines))
}
