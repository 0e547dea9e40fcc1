//! The byte layout of the built-in time zone database, shared by the build
//! script that writes it (`core/build.rs`) and the core that reads it.
//!
//! ```text
//! "ESTZ"                      magic
//! u16 LE                      format version (FORMAT_VERSION)
//! u8 n, n bytes               IANA release, e.g. "2026f"
//! u32 LE                      zone count
//! u32 LE                      blob count
//! zone count × (u8 n, n bytes name, u16 LE blob index)
//!                             sorted by name, ignoring ASCII case
//! blob count × (u32 LE n, n bytes zone rules)
//! 32 bytes                    SHA-256 of all the bytes before it
//! ```
//!
//! *Zone rules* are what a TZif file (RFC 8536, version 2 or later) says
//! about UTC offsets, and nothing else:
//!
//! ```text
//! LEB128 T                    local time type count (1..=256)
//! T × zig-zag LEB128          each type's UTC offset in seconds
//! LEB128 N                    transition count
//! N × zig-zag LEB128          transition time - previous time (the first
//!                             from 0), wrapping
//! N × u8                      each transition's local time type
//! the rest                    the TZ string of the TZif footer (may be empty)
//! ```
//!
//! Why: a policy's time windows need the UTC offset at an instant and
//! nothing else TZif holds (abbreviations, DST flags, the version 1 copy of
//! the data, standard/wall indicators). The offsets are looked up here
//! (`Rules` in `mod.rs`, which reads them as `jiff` reads a TZif file; a test
//! compares the two at every transition of every zone), so the WebAssembly
//! package carries no TZif parser. Transition times are most of the data and
//! mostly repeat the same yearly steps, which gzip sees in deltas and not in
//! absolute times.

// The build script only writes and the core only reads: each leaves half
// of this file unused.
#![allow(
    dead_code,
    reason = "shared between build.rs (compact) and the core (decode)"
)]

/// The first four bytes of the database.
pub(crate) const MAGIC: &[u8; 4] = b"ESTZ";
/// The layout described above. Version 1 stored whole TZif files.
pub(crate) const FORMAT_VERSION: u16 = 2;
/// Length of the SHA-256 trailer.
pub(crate) const CHECKSUM_LEN: usize = 32;

/// Length of a TZif header (RFC 8536 §3.1).
const HEADER_LEN: usize = 44;

/// Why a TZif file cannot be compacted or zone rules decoded.
pub(crate) type FormatError = &'static str;

/// Zone rules as stored, before the core turns them into `jiff` values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawRules<'a> {
    /// UTC offset in seconds of each local time type.
    pub(crate) offsets: Vec<i32>,
    /// Transition times (Unix seconds), in the order stored.
    pub(crate) times: Vec<i64>,
    /// The local time type each transition starts.
    pub(crate) types: Vec<u8>,
    /// The TZ string for times from the last transition on (RFC 8536 §3.3).
    pub(crate) footer: &'a str,
}

/// Reads the six counts of a TZif header: isutcnt, isstdcnt, leapcnt,
/// timecnt, typecnt, charcnt.
fn counts(header: &[u8]) -> Result<[usize; 6], FormatError> {
    if header.len() != HEADER_LEN || header.get(..4) != Some(b"TZif".as_slice()) {
        return Err("not a TZif header");
    }
    let mut out = [0usize; 6];
    for (i, slot) in out.iter_mut().enumerate() {
        let at = 20 + 4 * i;
        let bytes: [u8; 4] = header
            .get(at..at + 4)
            .and_then(|b| b.try_into().ok())
            .ok_or("truncated TZif header")?;
        *slot = usize::try_from(u32::from_be_bytes(bytes)).map_err(|_| "TZif count too large")?;
    }
    Ok(out)
}

/// Length of the data block after a header with these counts, for 4-byte
/// (version 1) or 8-byte (version 2+) times.
fn data_len(c: [usize; 6], time_size: usize) -> Option<usize> {
    let [isut, isstd, leap, time, types, chars] = c;
    time.checked_mul(time_size + 1)?
        .checked_add(types.checked_mul(6)?)?
        .checked_add(chars)?
        .checked_add(leap.checked_mul(time_size + 4)?)?
        .checked_add(isstd)?
        .checked_add(isut)
}

/// Splits off the first `n` bytes.
pub(crate) fn take<'a>(bytes: &mut &'a [u8], n: usize) -> Result<&'a [u8], FormatError> {
    if n > bytes.len() {
        return Err("truncated");
    }
    let (head, tail) = bytes.split_at(n);
    *bytes = tail;
    Ok(head)
}

/// Splits off a little-endian `u32`.
pub(crate) fn u32_le(bytes: &mut &[u8]) -> Result<usize, FormatError> {
    let b: [u8; 4] = take(bytes, 4)?.try_into().map_err(|_| "truncated")?;
    usize::try_from(u32::from_le_bytes(b)).map_err(|_| "count too large")
}

/// Splits off `N` bytes as an array.
fn array<const N: usize>(bytes: &mut &[u8]) -> Result<[u8; N], FormatError> {
    take(bytes, N)?.try_into().map_err(|_| "truncated")
}

/// The database's order of zone names: ignoring ASCII case, as IANA names
/// are looked up.
pub(crate) fn compare_names(a: &str, b: &str) -> std::cmp::Ordering {
    let a = a.bytes().map(|c| c.to_ascii_lowercase());
    a.cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

fn push_unsigned(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let low = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

fn push_signed(out: &mut Vec<u8>, n: i64) {
    push_unsigned(out, ((n << 1) ^ (n >> 63)) as u64);
}

fn unsigned(bytes: &mut &[u8]) -> Result<u64, FormatError> {
    let mut n = 0u64;
    let mut shift = 0u32;
    loop {
        let [byte] = array(bytes)?;
        if shift > 63 || (shift == 63 && byte & 0x7e != 0) {
            return Err("a number overflows 64 bits");
        }
        n |= u64::from(byte & 0x7f) << shift;
        shift += 7;
        if byte & 0x80 == 0 {
            return Ok(n);
        }
    }
}

fn signed(bytes: &mut &[u8]) -> Result<i64, FormatError> {
    let n = unsigned(bytes)?;
    Ok(((n >> 1) as i64) ^ -((n & 1) as i64))
}

/// A count that must fit what is left (each counted item takes at least one
/// byte): a larger one is damage, not a reason to allocate.
fn count(bytes: &mut &[u8]) -> Result<usize, FormatError> {
    let n = usize::try_from(unsigned(bytes)?).map_err(|_| "count too large")?;
    if n > bytes.len() {
        return Err("a count is larger than the data");
    }
    Ok(n)
}

/// The zone rules of a TZif file of version 2 or later (see the module
/// docs). Leap seconds are refused: no zone of the IANA database has them
/// (only the `right/` variants, which are not shipped).
pub(crate) fn compact(tzif: &[u8]) -> Result<Vec<u8>, FormatError> {
    let mut rest = tzif;
    let v1_header = take(&mut rest, HEADER_LEN)?;
    if v1_header.get(4).is_none_or(|v| *v < b'2') {
        return Err("a version 1 TZif file has no 64-bit data");
    }
    take(
        &mut rest,
        data_len(counts(v1_header)?, 4).ok_or("TZif counts overflow")?,
    )?;
    let [isut, isstd, leap, timecnt, typecnt, charcnt] = counts(take(&mut rest, HEADER_LEN)?)?;
    if leap != 0 {
        return Err("leap seconds are not supported");
    }
    if typecnt == 0 || typecnt > 256 {
        return Err("a TZif file needs 1 to 256 local time types");
    }
    let mut times = Vec::with_capacity(timecnt);
    for _ in 0..timecnt {
        times.push(i64::from_be_bytes(array(&mut rest)?));
    }
    let types = take(&mut rest, timecnt)?;
    let mut offsets = Vec::with_capacity(typecnt);
    for _ in 0..typecnt {
        offsets.push(i32::from_be_bytes(array(&mut rest)?));
        take(&mut rest, 2)?; // DST flag, abbreviation index
    }
    take(&mut rest, charcnt + isstd + isut)?;
    // The footer: a newline, the TZ string, a newline.
    let footer = rest
        .strip_prefix(b"\n")
        .and_then(|f| f.strip_suffix(b"\n"))
        .ok_or("the TZif footer is not a TZ string between newlines")?;

    let mut out = Vec::with_capacity(tzif.len() / 2);
    push_unsigned(&mut out, typecnt as u64);
    for offset in offsets {
        push_signed(&mut out, i64::from(offset));
    }
    push_unsigned(&mut out, timecnt as u64);
    let mut previous = 0i64;
    for time in times {
        push_signed(&mut out, time.wrapping_sub(previous));
        previous = time;
    }
    out.extend_from_slice(types);
    out.extend_from_slice(footer);
    Ok(out)
}

/// Reads zone rules back (see the module docs), checking that they are
/// whole: every type index names a type and times never go back.
pub(crate) fn decode(mut rules: &[u8]) -> Result<RawRules<'_>, FormatError> {
    let rest = &mut rules;
    let typecnt = count(rest)?;
    if !(1..=256).contains(&typecnt) {
        return Err("a zone needs 1 to 256 local time types");
    }
    let mut offsets = Vec::with_capacity(typecnt);
    for _ in 0..typecnt {
        offsets.push(i32::try_from(signed(rest)?).map_err(|_| "an offset overflows 32 bits")?);
    }
    let timecnt = count(rest)?;
    let mut times = Vec::with_capacity(timecnt);
    let mut previous = 0i64;
    for _ in 0..timecnt {
        let time = previous.wrapping_add(signed(rest)?);
        if !times.is_empty() && time < previous {
            return Err("transition times go back");
        }
        times.push(time);
        previous = time;
    }
    let types = take(rest, timecnt)?.to_vec();
    if types.iter().any(|&t| usize::from(t) >= typecnt) {
        return Err("a transition names a missing local time type");
    }
    let footer = std::str::from_utf8(rest).map_err(|_| "the TZ string is not UTF-8")?;
    Ok(RawRules {
        offsets,
        times,
        types,
        footer,
    })
}
