use super::*;
use proptest::prelude::*;

#[test]
fn timestamps_read_as_jiff_reads_them() {
    let cases: &[(&str, &str, &str)] = &[
        ("utc", "2026-03-02T10:00:00Z", "2026-03-02T10:00:00Z"),
        (
            "lower case t and z",
            "2026-03-02t10:00:00z",
            "2026-03-02T10:00:00Z",
        ),
        (
            "space separator",
            "2026-03-02 10:00:00Z",
            "2026-03-02T10:00:00Z",
        ),
        ("no seconds", "2026-03-02T10:00Z", "2026-03-02T10:00:00Z"),
        ("hour only", "2026-03-02T10Z", "2026-03-02T10:00:00Z"),
        (
            "leap second",
            "2026-03-02T23:59:60Z",
            "2026-03-02T23:59:59Z",
        ),
        (
            "nanoseconds",
            "2026-03-02T10:00:00.123456789Z",
            "2026-03-02T10:00:00.123456789Z",
        ),
        (
            "comma fraction",
            "2026-03-02T10:00:00,5Z",
            "2026-03-02T10:00:00.5Z",
        ),
        (
            "offset hours",
            "2026-03-02T10:00:00+01",
            "2026-03-02T09:00:00Z",
        ),
        (
            "offset without colon",
            "2026-03-02T10:00:00+0100",
            "2026-03-02T09:00:00Z",
        ),
        (
            "offset",
            "2026-03-02T10:00:00+01:00",
            "2026-03-02T09:00:00Z",
        ),
        (
            "negative zero offset",
            "2026-03-02T10:00:00-00:00",
            "2026-03-02T10:00:00Z",
        ),
        (
            "largest offset",
            "2026-03-02T10:00:00+25:59:59",
            "2026-03-01T08:00:01Z",
        ),
        (
            "offset seconds",
            "2026-03-02T10:00:00+01:00:30",
            "2026-03-02T08:59:30Z",
        ),
        (
            "offset seconds without colons",
            "2026-03-02T10:00:00-013030",
            "2026-03-02T11:30:30Z",
        ),
        (
            "fraction and offset",
            "2026-03-02T10:00:00.5+01:00",
            "2026-03-02T09:00:00.5Z",
        ),
        ("leap day", "2024-02-29T10:00:00Z", "2024-02-29T10:00:00Z"),
        ("year zero", "0000-01-01T00:00:00Z", "0000-01-01T00:00:00Z"),
        ("latest", "9999-12-30T22:00:00Z", "9999-12-30T22:00:00Z"),
    ];
    for (case, text, want) in cases {
        let ours = parse_timestamp(text).unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(ours.to_string(), *want, "{case}");
        let theirs: Timestamp = text.parse().unwrap();
        assert_eq!(ours, theirs, "{case}: jiff reads it otherwise");
    }
}

#[test]
fn refused_timestamps_say_why() {
    let syntax = |at, expected, found: &str| DateTimeError::Syntax {
        at,
        expected,
        found: found.to_owned(),
    };
    let range = |field, value, min, max| DateTimeError::Range {
        field,
        value,
        min,
        max,
    };
    let cases: Vec<(&str, &str, DateTimeError)> = vec![
        (
            "empty",
            "",
            syntax(1, "a four-digit year (`YYYY-MM-DD`)", "the end"),
        ),
        (
            "date only",
            "2026-03-02",
            syntax(11, "`T` and a time after the date", "the end"),
        ),
        ("no offset", "2026-03-02T10:00:00", DateTimeError::NoOffset),
        ("hour 24", "2026-03-02T24:00:00Z", range("hour", 24, 0, 23)),
        (
            "minute 60",
            "2026-03-02T10:60:00Z",
            range("minute", 60, 0, 59),
        ),
        (
            "second 61",
            "2026-03-02T10:00:61Z",
            range("second", 61, 0, 60),
        ),
        (
            "month 13",
            "2026-13-02T10:00:00Z",
            range("month", 13, 1, 12),
        ),
        ("day 0", "2026-03-00T10:00:00Z", range("day", 0, 1, 31)),
        (
            "february 29 of a common year",
            "2026-02-29T10:00:00Z",
            DateTimeError::NoSuchDay {
                month: "February",
                year: 2026,
                days: 28,
                day: 29,
            },
        ),
        (
            "april 31",
            "2026-04-31T10:00:00Z",
            DateTimeError::NoSuchDay {
                month: "April",
                year: 2026,
                days: 30,
                day: 31,
            },
        ),
        (
            "ten digits of a second",
            "2026-03-02T10:00:00.1234567891Z",
            DateTimeError::LongFraction,
        ),
        (
            "no digits after the point",
            "2026-03-02T10:00:00.Z",
            syntax(21, "digits of a second after the decimal sign", "`Z`"),
        ),
        (
            "one-digit hour",
            "2026-03-02T1:00:00Z",
            syntax(13, "a two-digit hour", "`:`"),
        ),
        (
            "one-digit month",
            "2026-3-2T10:00:00Z",
            syntax(7, "a two-digit month (`YYYY-MM-DD`)", "`-`"),
        ),
        (
            "space before the offset",
            "2026-03-02T10:00:00 Z",
            syntax(20, "`Z` or a UTC offset such as `+01:00`", "` `"),
        ),
        (
            "trailing space",
            "2026-03-02T10:00:00Z ",
            syntax(21, "the end", "` `"),
        ),
        (
            "leading space",
            " 2026-03-02T10:00:00Z",
            syntax(1, "a four-digit year (`YYYY-MM-DD`)", "` `"),
        ),
        (
            "unicode minus",
            "2026-03-02T10:00:00\u{2212}01:00",
            syntax(20, "`Z` or a UTC offset such as `+01:00`", "`\u{2212}`"),
        ),
        (
            "offset hour 26",
            "2026-03-02T10:00:00+26:00",
            range("offset hour", 26, 0, 25),
        ),
        (
            "offset minute 60",
            "2026-03-02T10:00:00+01:60",
            range("offset minute", 60, 0, 59),
        ),
        (
            "half an offset minute",
            "2026-03-02T10:00:00+01:0",
            syntax(25, "two digits in the offset", "the end"),
        ),
        (
            "colon then nothing",
            "2026-03-02T10:00:00+01:",
            syntax(24, "two digits after `:` in the offset", "the end"),
        ),
        (
            "mixed offset colons",
            "2026-03-02T10:00:00+01:0030",
            syntax(
                26,
                "`:` before the offset's seconds (its minutes had one)",
                "`3`",
            ),
        ),
        (
            "basic format",
            "20260302T100000Z",
            syntax(5, "`-` after the year (`YYYY-MM-DD`)", "`0`"),
        ),
        (
            "six-digit year",
            "+002026-03-02T10:00:00Z",
            syntax(1, "a four-digit year (`YYYY-MM-DD`)", "`+`"),
        ),
        (
            "annotation",
            "2026-03-02T10:00:00+01:00[Europe/London]",
            syntax(26, "the end", "`[`"),
        ),
        (
            "out of range",
            "9999-12-31T23:59:59Z",
            DateTimeError::OutOfRange,
        ),
        (
            "week date",
            "2026-W10-1T10:00:00Z",
            syntax(6, "a two-digit month (`YYYY-MM-DD`)", "`W`"),
        ),
    ];
    for (case, text, want) in cases {
        assert_eq!(parse_timestamp(text), Err(want), "{case}");
        assert!(
            text.parse::<Timestamp>().is_err()
                || matches!(case, "basic format" | "six-digit year" | "annotation"),
            "{case}: jiff reads it"
        );
    }
}

#[test]
fn dates() {
    let cases: &[(&str, Result<Date, DateTimeError>)] = &[
        ("2026-09-01", Ok(jiff::civil::date(2026, 9, 1))),
        ("2024-02-29", Ok(jiff::civil::date(2024, 2, 29))),
        ("0000-01-01", Ok(jiff::civil::date(0, 1, 1))),
        ("9999-12-31", Ok(jiff::civil::date(9999, 12, 31))),
        (
            "2100-02-29",
            Err(DateTimeError::NoSuchDay {
                month: "February",
                year: 2100,
                days: 28,
                day: 29,
            }),
        ),
        (
            "2026-09-01T10:00",
            Err(DateTimeError::Syntax {
                at: 11,
                expected: "the end",
                found: "`T`".to_owned(),
            }),
        ),
        (
            "2026-9-1",
            Err(DateTimeError::Syntax {
                at: 7,
                expected: "a two-digit month (`YYYY-MM-DD`)",
                found: "`-`".to_owned(),
            }),
        ),
        (
            "20260901",
            Err(DateTimeError::Syntax {
                at: 5,
                expected: "`-` after the year (`YYYY-MM-DD`)",
                found: "`0`".to_owned(),
            }),
        ),
        (
            "2026-09-3\u{e9}",
            Err(DateTimeError::Syntax {
                at: 10,
                expected: "a two-digit day (`YYYY-MM-DD`)",
                found: "`\u{e9}`".to_owned(),
            }),
        ),
    ];
    for (text, want) in cases {
        assert_eq!(&parse_date(text), want, "{text}");
        if let Ok(date) = want {
            assert_eq!(
                text.parse::<Date>().ok().as_ref(),
                Some(date),
                "{text}: jiff"
            );
        }
    }
}

/// Texts in or near the format: every field in and just out of range,
/// each separator and offset form; and junk after them.
fn near_timestamp() -> impl Strategy<Value = (String, String)> {
    let two = |max: u32| (0..=max).prop_map(|n| format!("{n:02}"));
    let offset = prop_oneof![
        Just(String::new()),
        Just("Z".to_owned()),
        Just("z".to_owned()),
        (
            prop_oneof![Just('+'), Just('-')],
            two(27),
            two(61),
            two(61),
            0..6usize
        )
            .prop_map(|(sign, h, m, s, form)| match form {
                0 => format!("{sign}{h}"),
                1 => format!("{sign}{h}{m}"),
                2 => format!("{sign}{h}:{m}"),
                3 => format!("{sign}{h}:{m}:{s}"),
                4 => format!("{sign}{h}{m}{s}"),
                _ => format!("{sign}{h}:{m}{s}"),
            }),
    ];
    let fraction = prop_oneof![
        Just(String::new()),
        ("[.,]", "[0-9]{0,11}").prop_map(|(p, d)| format!("{p}{d}")),
    ];
    let time =
        (two(25), two(61), two(62), 0..3usize, fraction).prop_map(
            |(h, m, s, form, f)| match form {
                0 => h,
                1 => format!("{h}:{m}"),
                _ => format!("{h}:{m}:{s}{f}"),
            },
        );
    let date = ("[0-9]{4}", two(13), two(32)).prop_map(|(y, m, d)| format!("{y}-{m}-{d}"));
    (
        date,
        "[Tt x]?",
        time,
        offset,
        prop_oneof![4 => Just(String::new()), 1 => ".{0,3}"],
    )
        .prop_map(|(d, sep, t, o, junk)| (format!("{d}{sep}{t}{o}"), junk))
}

proptest! {
    /// What esafety reads, jiff reads as the same instant; what jiff
    /// refuses, esafety refuses.
    #[test]
    /// Without junk, what jiff reads esafety reads too.
    fn timestamps_agree_with_jiff((text, junk) in near_timestamp()) {
        let text = format!("{text}{junk}");
        let theirs = text.parse::<Timestamp>().map_err(|e| e.to_string());
        match parse_timestamp(&text) {
            Ok(ours) => prop_assert_eq!(Ok(ours), theirs, "{}", text),
            Err(e) => prop_assert!(theirs.is_err() || !junk.is_empty(), "{}: {}", text, e),
        }
    }

    /// jiff's own RFC 3339 text of any timestamp from year 0 on reads back
    /// as that timestamp.
    #[test]
    fn jiff_display_reads_back(
        second in 0i64..=253_402_207_200 - 62_167_219_200,
        nanos in 0i32..1_000_000_000,
    ) {
        let at = Timestamp::new(second - 62_167_219_200, nanos).unwrap();
        prop_assert_eq!(parse_timestamp(&at.to_string()), Ok(at));
        let offset = Offset::from_seconds(((second % 93_600) - 46_800) as i32).unwrap();
        let text = at.display_with_offset(offset).to_string();
        if let Ok(theirs) = text.parse::<Timestamp>() {
            prop_assert_eq!(parse_timestamp(&text), Ok(theirs), "{}", text);
        }
    }

    /// Any text: an answer, never a panic, and never one jiff disagrees with.
    #[test]
    fn any_text(text in ".{0,40}") {
        if let Ok(ours) = parse_timestamp(&text) {
            prop_assert_eq!(text.parse::<Timestamp>().ok(), Some(ours));
        }
        if let Ok(ours) = parse_date(&text) {
            prop_assert_eq!(text.parse::<Date>().ok(), Some(ours));
        }
    }

    /// Every date jiff can hold from year 0 reads back from its text.
    #[test]
    fn dates_read_back(day in 0i64..3_652_059) {
        let date = jiff::civil::date(0, 1, 1)
            .checked_add(jiff::Span::new().days(day))
            .unwrap();
        prop_assert_eq!(parse_date(&date.to_string()), Ok(date));
    }
}
