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
//! blob count × (u32 LE n, n bytes compact TZif)
//! 32 bytes                    SHA-256 of all the bytes before it
//! ```
//!
//! A *compact TZif* is a TZif file (RFC 8536, version 2 or later) whose
//! 64-bit transition times are written as LEB128 zig-zag deltas instead of
//! big-endian 8-byte integers:
//!
//! ```text
//! u32 LE n, n bytes           the version 1 header and data block, as is
//! 44 bytes                    the version 2+ header, as is
//! timecnt × LEB128            zig-zag of (time - previous time), wrapping
//! the rest of the file        types, abbreviations, leap seconds,
//!                             indicators and footer, as is
//! ```
//!
//! Why: transition times are most of the database and mostly repeat the
//! same yearly steps, which gzip cannot see in 8-byte absolute times; as
//! deltas the whole database gzips to less than half. Everything else is
//! copied byte for byte, so expanding gives back the exact file.

// The build script only writes and the core only reads: each leaves half
// of this file unused.
#![allow(
    dead_code,
    reason = "shared between build.rs (compact) and the core (expand)"
)]

/// The first four bytes of the database.
pub(crate) const MAGIC: &[u8; 4] = b"ESTZ";
/// The layout described above.
pub(crate) const FORMAT_VERSION: u16 = 1;
/// Length of the SHA-256 trailer.
pub(crate) const CHECKSUM_LEN: usize = 32;

/// Length of a TZif header (RFC 8536 §3.1).
const HEADER_LEN: usize = 44;

/// Why a TZif file cannot be compacted or a compact one expanded.
pub(crate) type FormatError = &'static str;

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

/// The database's order of zone names: ignoring ASCII case, as IANA names
/// are looked up.
pub(crate) fn compare_names(a: &str, b: &str) -> std::cmp::Ordering {
    let a = a.bytes().map(|c| c.to_ascii_lowercase());
    a.cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// Compacts a TZif file of version 2 or later (see the module docs).
pub(crate) fn compact(tzif: &[u8]) -> Result<Vec<u8>, FormatError> {
    let mut rest = tzif;
    let v1_header = take(&mut rest, HEADER_LEN)?;
    if v1_header.get(4).is_none_or(|v| *v < b'2') {
        return Err("a version 1 TZif file has no 64-bit data to compact");
    }
    let v1_len = data_len(counts(v1_header)?, 4).ok_or("TZif counts overflow")?;
    take(&mut rest, v1_len)?;
    let v1 = tzif.get(..HEADER_LEN + v1_len).ok_or("truncated")?;
    let header = take(&mut rest, HEADER_LEN)?;
    let [_, _, _, timecnt, _, _] = counts(header)?;

    let mut out = Vec::with_capacity(tzif.len());
    let v1_len = u32::try_from(v1.len()).map_err(|_| "TZif file too large")?;
    out.extend_from_slice(&v1_len.to_le_bytes());
    out.extend_from_slice(v1);
    out.extend_from_slice(header);
    let mut previous = 0i64;
    for _ in 0..timecnt {
        let bytes: [u8; 8] = take(&mut rest, 8)?.try_into().map_err(|_| "truncated")?;
        let time = i64::from_be_bytes(bytes);
        let delta = time.wrapping_sub(previous);
        previous = time;
        let mut zigzag = ((delta << 1) ^ (delta >> 63)) as u64;
        loop {
            let low = (zigzag & 0x7f) as u8;
            zigzag >>= 7;
            if zigzag == 0 {
                out.push(low);
                break;
            }
            out.push(low | 0x80);
        }
    }
    out.extend_from_slice(rest);
    Ok(out)
}

/// Expands a compact TZif back into the exact TZif file it came from.
pub(crate) fn expand(compact: &[u8]) -> Result<Vec<u8>, FormatError> {
    let mut rest = compact;
    let v1_len = u32_le(&mut rest)?;
    let v1 = take(&mut rest, v1_len)?;
    let header = take(&mut rest, HEADER_LEN)?;
    let [_, _, _, timecnt, _, _] = counts(header)?;
    // Each time takes at least one byte, so a count larger than what is
    // left is damage, not a reason to allocate.
    if timecnt > rest.len() {
        return Err("more transition times than bytes");
    }

    let mut out = Vec::with_capacity(compact.len() + 7 * timecnt);
    out.extend_from_slice(v1);
    out.extend_from_slice(header);
    let mut previous = 0i64;
    for _ in 0..timecnt {
        let mut zigzag = 0u64;
        let mut shift = 0u32;
        loop {
            let [byte] = take(&mut rest, 1)? else {
                return Err("truncated");
            };
            if shift > 63 || (shift == 63 && byte & 0x7e != 0) {
                return Err("transition time delta overflows 64 bits");
            }
            zigzag |= u64::from(byte & 0x7f) << shift;
            shift += 7;
            if byte & 0x80 == 0 {
                break;
            }
        }
        let delta = ((zigzag >> 1) as i64) ^ -((zigzag & 1) as i64);
        previous = previous.wrapping_add(delta);
        out.extend_from_slice(&previous.to_be_bytes());
    }
    out.extend_from_slice(rest);
    Ok(out)
}
