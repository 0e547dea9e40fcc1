//! The byte layout of a bundle (format version [`FORMAT_VERSION`]).
//!
//! Every integer is little-endian and read byte-wise, so no section needs
//! any alignment in memory (a `Vec<u8>`, a memory map or a copy of a JS
//! `Uint8Array` all work).
//!
//! ```text
//! offset  size  field
//!      0     8  magic            b"ESAFETYB"
//!      8     4  endianness mark  0x01020304 (reads as 0x04030201 on a big-endian writer)
//!     12     4  format version   exact match required
//!     16     8  checksum         XXH3-64 (seed 0) of bytes 24..end
//!     24     8  total length     must equal the length of the bytes
//!     32     8  created          seconds since the Unix epoch (i64)
//!     40     4  section count
//!     44     4  reserved         0
//!     48  24*n  section table    n × { kind u32, reserved u32 (0), offset u64, length u64 }
//!      …        sections         in table order, non-overlapping, 8-byte aligned offsets
//! ```
//!
//! Sections (each exactly once):
//!
//! | kind | section | contents |
//! |---|---|---|
//! | 1 | meta | JSON: source lists, local categories, list sets and their case-folded and string-prefix subsets, gate parameters, regex pattern table (with each pattern's `ignore_case`) |
//! | 2 | hosts | `fst` map: reversed canonical host → `list_set << 1 \| has_path_entries` |
//! | 3 | paths | `fst` map: `host/path[?query]` → `exact_list_set \| prefix_list_set << 32` |
//! | 4 | gate | Bloom filter bits (u64 words) over keyed hashes of sensitive hosts |
//! | 5 | digests | sorted records { SHA-256 of an expression (32 bytes), list set u32 } |
//! | 6 | regex | regex-automata DFAs (sparse, or dense where the metadata's `automata` entry says so), little-endian serializations, each at an 8-aligned offset the metadata's `automata` gives (may be empty) |
//! | 7 | host-prefixes | `fst` map: lowercased `host/path[?query]` of a squidGuard `urls` line → list set |

//!
//! # Case-ignoring entries (since version 2)
//!
//! Entries from formats that match paths regardless of case (squidGuard,
//! e2guardian, Adblock without `$match-case`) are keyed in the paths map
//! with their path and query ASCII-lowercased
//! ([`fold_case`](crate::lists::fold_case)). The metadata's `folded_sets`
//! lists, for each list set that has any, the lists of the set whose entry
//! at that key ignores case. A lookup expression is looked up as it is
//! (every entry at that key matches); only if its path or query has an
//! ASCII capital is it looked up again folded, and then only the folded
//! lists of the set found match, so a case-sensitive entry (IWF style,
//! plain lists, `$match-case`) never matches a request in another case.
//! Regex patterns with `ignore_case` are compiled behind `(?i)` (ASCII
//! only). Version 1 bundles stored such entries as written and are refused
//! with [`BundleError::UnsupportedVersion`](super::BundleError::UnsupportedVersion),
//! whose message says to recompile.
//!
//! # String-prefix entries (version 2)
//!
//! An Adblock `||host/path` rule matches every URL that starts with it
//! ([`EntryKind::UrlStringPrefix`](crate::lists::EntryKind::UrlStringPrefix)),
//! with no path boundary after it. Such an entry is a prefix key (the
//! prefix half of the paths map value), and the metadata's optional
//! `string_prefix_sets` lists, for each prefix list set that has any, the
//! lists of the set that hold the key as a string prefix; it has the
//! shape and the checks of `folded_sets` (increasing set ids of existing
//! sets, each a sorted, non-empty subset of its set). Where a prefix key
//! ends on a path boundary (it ends in `/`, or the URL goes on with `/`
//! or `?` or ends there) every list of its set matches, as before; where
//! it does not, only the string-prefix lists do, and in the folded lookup
//! only the lists in both subsets. The field is written only when some
//! set has string-prefix lists, so a bundle without them has the same
//! bytes as before the field existed, and a version 2 bundle written
//! without it still loads and means what it meant; the format version
//! stays 2 (it had not been released).

//!
//! # Version 3
//!
//! - **Host-anchored string prefixes** (squidGuard / UT1 `urls` lines,
//!   [`EntryKind::SquidGuardUrl`](crate::lists::EntryKind::SquidGuardUrl))
//!   are keys of their own `fst` map, section 7: a key matches a request
//!   whose lowercased `host/path?query`, or the same after squidGuard's
//!   `www`/`web`/`ftp` chop of its host, starts with it. The metadata's
//!   `counts` has `host_prefixes`.
//! - **Regular expressions** are several dense DFAs, not one sparse DFA:
//!   the metadata's `automata` lists each one's byte range in section 6
//!   (`offset`, `len`, 8-aligned, in order, not overlapping), whether it
//!   is `anchored` (run from every position) and its `patterns` (indices
//!   into `regexes`, which together name every expression exactly once).
//!   Each `regexes` entry has an `input`; version 3 wrote only `url` (the
//!   canonical `host/path?query`, escapes decoded). See
//!   [`RegexEngine`](super::RegexEngine).
//! - **Local categories** are not limited to 32: a bundle lists as many as
//!   its lists name.
//!
//! Version 2 bundles are refused with
//! [`BundleError::UnsupportedVersion`](super::BundleError::UnsupportedVersion),
//! whose message says to recompile.
//!
//! # Version 4
//!
//! - **e2guardian expressions have an input of their own.** A `regexes`
//!   entry's `input` is `url` (squidGuard `expressions` and generic regex
//!   entries: the canonical `host/path?query`, escapes decoded) or
//!   `e2guardian` (e2guardian `bannedregexpurllist` lines,
//!   [`EntryKind::E2guardianExpression`](crate::lists::EntryKind::E2guardianExpression):
//!   the same text with one trailing `/` chopped off, as e2guardian chops
//!   it). Every automaton holds expressions of one input; the loader
//!   refuses one that mixes them, and any other input id.
//!
//! A version 3 bundle stored e2guardian expressions with input `url`,
//! which now means the squidGuard reading: rather than read it with a
//! meaning its lists did not have, it is refused with
//! [`BundleError::UnsupportedVersion`](super::BundleError::UnsupportedVersion),
//! whose message says to recompile.
//!
//! # Version 5
//!
//! - **Sparse automata.** An `automata` entry has `sparse: true` when its
//!   bytes are a regex-automata `sparse::DFA` (the builder's default
//!   writes one where it is at most half the dense bytes,
//!   [`AutomatonLayout`](super::AutomatonLayout)); without the field they
//!   are a `dense::DFA`, as in version 4. Sparse tables of 1,000
//!   UT1-style expressions are a 29th of the dense ones (the
//!   `classify_expressions` bench prints both).
//!
//! A version 4 bundle would load and mean the same, but an older esafety
//! cannot read a version 5 one; versions are matched exactly, so version
//! 4 is refused with
//! [`BundleError::UnsupportedVersion`](super::BundleError::UnsupportedVersion),
//! whose message says to recompile.

/// The first eight bytes of every bundle.
///
/// ```
/// use esafety::bundle::format::MAGIC;
/// assert_eq!(&MAGIC, b"ESAFETYB");
/// assert!(esafety::sample::bundle_bytes().starts_with(&MAGIC));
/// ```
pub const MAGIC: [u8; 8] = *b"ESAFETYB";
/// Written little-endian; a reader that sees anything else has the wrong
/// byte order.
pub(crate) const ENDIAN_MARK: u32 = 0x0102_0304;
/// The bundle format version this build of esafety reads and writes.
/// Readers require an exact match.
///
/// ```
/// use esafety::bundle::{Bundle, BundleError, FORMAT_VERSION};
/// let mut bytes = esafety::sample::bundle_bytes();
/// // The version is the u32 after the magic and the byte-order mark.
/// bytes.splice(12..16, (FORMAT_VERSION + 1).to_le_bytes());
/// assert_eq!(
///     Bundle::from_bytes(bytes).unwrap_err(),
///     BundleError::UnsupportedVersion { found: FORMAT_VERSION + 1, supported: FORMAT_VERSION }
/// );
/// ```
pub const FORMAT_VERSION: u32 = 5;
/// Length of the fixed header.
pub(crate) const HEADER_LEN: usize = 48;
/// The checksum covers every byte from here to the end.
pub(crate) const CHECKSUM_FROM: usize = 24;
/// Length of one section table entry.
pub(crate) const SECTION_ENTRY_LEN: usize = 24;
/// Length of one digest record.
pub(crate) const DIGEST_RECORD_LEN: usize = 36;

/// Section kinds, in the order they are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SectionKind {
    Meta = 1,
    Hosts = 2,
    Paths = 3,
    Gate = 4,
    Digests = 5,
    Regex = 6,
    HostPrefixes = 7,
}

impl SectionKind {
    pub(crate) const ALL: [SectionKind; 7] = [
        SectionKind::Meta,
        SectionKind::Hosts,
        SectionKind::Paths,
        SectionKind::Gate,
        SectionKind::Digests,
        SectionKind::Regex,
        SectionKind::HostPrefixes,
    ];

    pub(crate) fn from_u32(v: u32) -> Option<SectionKind> {
        SectionKind::ALL.iter().copied().find(|k| *k as u32 == v)
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            SectionKind::Meta => "meta",
            SectionKind::Hosts => "hosts",
            SectionKind::Paths => "paths",
            SectionKind::Gate => "gate",
            SectionKind::Digests => "digests",
            SectionKind::Regex => "regex",
            SectionKind::HostPrefixes => "host-prefixes",
        }
    }
}

/// The XXH3-64 checksum of `bytes[CHECKSUM_FROM..]` (zero for shorter input).
pub(crate) fn checksum(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes.get(CHECKSUM_FROM..).unwrap_or(&[]))
}

/// Reads a little-endian `u32` at `at`, if in bounds.
pub(crate) fn read_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let end = at.checked_add(4)?;
    let b: [u8; 4] = bytes.get(at..end)?.try_into().ok()?;
    Some(u32::from_le_bytes(b))
}

/// Reads a little-endian `u64` at `at`, if in bounds.
pub(crate) fn read_u64(bytes: &[u8], at: usize) -> Option<u64> {
    let end = at.checked_add(8)?;
    let b: [u8; 8] = bytes.get(at..end)?.try_into().ok()?;
    Some(u64::from_le_bytes(b))
}

/// Writes a little-endian `u64` at `at`, if in bounds.
#[cfg(any(feature = "compile", feature = "fuzzing"))]
pub(crate) fn write_u64(bytes: &mut [u8], at: usize, v: u64) -> bool {
    match at.checked_add(8).and_then(|end| bytes.get_mut(at..end)) {
        Some(slot) => {
            slot.copy_from_slice(&v.to_le_bytes());
            true
        }
        None => false,
    }
}

/// Recomputes and stores the checksum of edited bundle bytes. A test hook:
/// only with the `fuzzing` feature (it forges a valid checksum, which no
/// production caller should be able to do by accident).
///
/// For tests and fuzzing (so a mutated bundle gets past the checksum and
/// exercises the structural checks behind it); a bundle writer never needs
/// it. Returns `false` (and changes nothing) if `bytes` is shorter than the
/// header.
///
/// ```
/// let mut bytes = esafety::sample::bundle_bytes();
/// let last = bytes.len() - 1;
/// bytes[last] ^= 1;
/// assert!(esafety::bundle::Bundle::from_bytes(bytes.clone()).is_err());
/// assert!(esafety::bundle::reseal_checksum(&mut bytes));
/// // Past the checksum now: the flipped byte is caught (or harmless) further in.
/// let _ = esafety::bundle::Bundle::from_bytes(bytes);
/// ```
#[cfg(feature = "fuzzing")]
pub fn reseal_checksum(bytes: &mut [u8]) -> bool {
    seal(bytes)
}

/// Computes and stores the checksum of bundle bytes (what the builder does
/// last); `false` if `bytes` is shorter than the header.
#[cfg(any(feature = "compile", feature = "fuzzing"))]
pub(crate) fn seal(bytes: &mut [u8]) -> bool {
    if bytes.len() < HEADER_LEN {
        return false;
    }
    let sum = checksum(bytes);
    write_u64(bytes, 16, sum)
}
