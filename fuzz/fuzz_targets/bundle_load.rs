//! `Bundle::from_bytes` over untrusted bytes: `Ok` or `Err`, never a panic,
//! and a loaded bundle classifies without panicking.
//!
//! The first byte picks a mode, so one target reaches every layer:
//! - 0: the bytes as they are (the checksum stops almost everything);
//! - 1: the bytes with the header's length and checksum fixed up, as
//!   regex-automata's deserialization targets prepend a valid header;
//! - 2: the sample bundle with the input applied as (offset, xor) patches,
//!   then resealed: valid structure, hostile details.
//! - 3: like 2, but the patches land in the hosts and paths `fst` sections
//!   and both checksums are recomputed (each `fst`'s own CRC-32C footer,
//!   then the bundle's XXH3-64): hostile `fst` nodes reach the classifier's
//!   `fst` reader, which must answer "no match", never panic.
//! - 4, 5: like 2 and 3, on a bundle of case-ignoring entries (squidGuard
//!   `urls` and `expressions`, Adblock path rules, one `$match-case` rule)
//!   beside exact ones, and Adblock string prefixes (`||host/path`, one
//!   with `$match-case`) at keys that other lists hold as boundary
//!   prefixes, so that patches reach the `folded_sets` and
//!   `string_prefix_sets` metadata, the folded keys and the `ignore_case`
//!   regexes, and the URLs with capitals take the classifier's folded
//!   lookups, and URLs that go on past a key off a path boundary its
//!   string-prefix lookups.
//! - 6, 7: the patches land in the regex section only (its automata
//!   bytes), resealed, of a bundle of expressions of every kind (the
//!   `strong_redirector` shape, keyword boundaries, a Unicode class, an
//!   e2guardian expression) laid out as sparse (6) or dense (7) DFAs:
//!   hostile tables reach regex-automata's validating `from_bytes` and, if
//!   they pass it, the every-position search.
#![no_main]

use std::sync::OnceLock;

use esafety::bundle::{Bundle, reseal_checksum};
use esafety::classify::Classifier;
use libfuzzer_sys::fuzz_target;

const URLS: &[&str] = &[
    "http://www.bet365.com/",
    "http://a.b.c.d.reddit.com/r/learnprogramming/x/y/z?q=1",
    "http://iwf-test.esafety.invalid/abuse/page-1.html",
    "http://192.0.2.55/iwf-test/page.html",
    "http://x.test/browse.php?u=1",
    "http://testsafebrowsing.appspot.com/s/malware.html",
    "http://m.youtube.com/watch?v=1",
    "http://reddit.com/r/learnprogramming",
    "http://example.com/ADULT/Page.html?Q=1",
    "http://www.example.com/Adult/x/y/z/w",
    "http://ads.example/Banners/1.gif",
    "http://ads.example/BANNERS/1.gif",
    "http://example.org/PORN/x",
    "http://ads.example/track_pixel.gif",
    "http://www.ads.example/TRACK_Pixel.gif?id=1",
    "http://ads.example/Track_x",
    "http://example.com/adultXYZ",
    "http://www.google.co.uk/search?q=cache:x+porn",
    "http://a.example/setup.exe/",
    "http://a.example/%D0%BF%D0%BE",
    "http://example.com/Adult/page.htmlX",
    "https://tajs.qq.com/stats?sId=36778060",
];

/// CRC-32C (Castagnoli), bit by bit.
fn crc32c(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0x82F6_3B78
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// The byte ranges of a bundle's hosts and paths `fst` sections (kinds 2
/// and 3 of the section table).
fn fst_ranges(b: &[u8]) -> Vec<std::ops::Range<usize>> {
    {
        let u32_at = |at: usize| u32::from_le_bytes(b[at..at + 4].try_into().unwrap());
        let u64_at = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().unwrap()) as usize;
        (0..u32_at(40) as usize)
            .map(|i| 48 + 24 * i)
            .filter(|&at| matches!(u32_at(at), 2 | 3))
            .map(|at| u64_at(at + 8)..u64_at(at + 8) + u64_at(at + 16))
            .collect()
    }
}

/// A bundle and its `fst` ranges.
struct Base {
    bytes: Vec<u8>,
    fsts: Vec<std::ops::Range<usize>>,
}

impl Base {
    fn new(bytes: Vec<u8>) -> Base {
        let fsts = fst_ranges(&bytes);
        Base { bytes, fsts }
    }
}

fn sample() -> &'static Base {
    static SAMPLE: OnceLock<Base> = OnceLock::new();
    SAMPLE.get_or_init(|| Base::new(esafety::sample::bundle_bytes()))
}

/// Case-ignoring entries beside exact ones at the same keys.
fn folded_sample() -> &'static Base {
    static SAMPLE: OnceLock<Base> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        use esafety::bundle::BundleBuilder;
        use esafety::lists::{Format, ParseOptions, parse};
        let lists: [(&str, &str, Format, &[u8]); 5] = [
            (
                "urls",
                "adult",
                Format::SquidGuardUrls,
                b"example.com/Adult/\nexample.com/adult/page.html\n",
            ),
            (
                "expr",
                "pornography",
                Format::SquidGuardExpressions,
                b"(^|[-/_.])porn([-/_.]|$)\n",
            ),
            (
                "ads",
                "local-ads",
                Format::Adblock,
                b"||ads.example/banners/\n||ads.example/Banners/$match-case\n",
            ),
            ("plain", "adult", Format::Plain, b"example.com/adult/\n"),
            (
                "strings",
                "local-ads",
                Format::Adblock,
                b"||ads.example/track_\n||ads.example/Track_$match-case\n||example.com/adult\n\
                  ||example.com/adult/page.html\n||qq.com/stats?\n",
            ),
        ];
        let mut b = BundleBuilder::new();
        for (name, category, format, text) in lists {
            let parsed = parse(format, name, text, &ParseOptions::new()).unwrap();
            let id = b.add_list(name, category).unwrap();
            b.add_entries(id, &parsed.entries).unwrap();
        }
        Base::new(b.build().unwrap())
    })
}

/// The byte range of a bundle's regex section (kind 6).
fn regex_range(b: &[u8]) -> std::ops::Range<usize> {
    let u32_at = |at: usize| u32::from_le_bytes(b[at..at + 4].try_into().unwrap());
    let u64_at = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().unwrap()) as usize;
    (0..u32_at(40) as usize)
        .map(|i| 48 + 24 * i)
        .find(|&at| u32_at(at) == 6)
        .map(|at| u64_at(at + 8)..u64_at(at + 8) + u64_at(at + 16))
        .unwrap()
}

/// Expressions of every kind in `layout`, and the regex section's range.
fn expressions(layout: esafety::bundle::AutomatonLayout) -> (Vec<u8>, std::ops::Range<usize>) {
    use esafety::bundle::BundleBuilder;
    use esafety::lists::{Entry, EntryKind};
    let mut b = BundleBuilder::new();
    b.automata(layout);
    let list = b.add_list("expressions", "adult").unwrap();
    let kinds = [
        EntryKind::SquidGuardExpression(
            "((google\\..*/search\\?q=cache.*)|(bing\\.com/videos/search\\?q=.*))(porn|sex|nude)".into(),
        ),
        EntryKind::SquidGuardExpression("(^|[-/_.])porn([-/_.]|$)".into()),
        EntryKind::SquidGuardExpression("(^|[-/_.])adult([-/_.]|$)".into()),
        EntryKind::RegexNoCase("/\\p{L}+$".into()),
        EntryKind::E2guardianExpression("\\.exe$".into()),
    ];
    for (i, kind) in kinds.into_iter().enumerate() {
        b.add_entry(list, &Entry { kind, line: i + 1 }).unwrap();
    }
    let bytes = b.build().unwrap();
    let range = regex_range(&bytes);
    (bytes, range)
}

fn sparse_expressions() -> &'static (Vec<u8>, std::ops::Range<usize>) {
    static SAMPLE: OnceLock<(Vec<u8>, std::ops::Range<usize>)> = OnceLock::new();
    SAMPLE.get_or_init(|| expressions(esafety::bundle::AutomatonLayout::Sparse))
}

fn dense_expressions() -> &'static (Vec<u8>, std::ops::Range<usize>) {
    static SAMPLE: OnceLock<(Vec<u8>, std::ops::Range<usize>)> = OnceLock::new();
    SAMPLE.get_or_init(|| expressions(esafety::bundle::AutomatonLayout::Dense))
}

fn exercise(bytes: Vec<u8>) {
    if let Ok(bundle) = Bundle::from_bytes(bytes) {
        let _ = format!("{bundle:?}");
        let classifier = Classifier::new(bundle);
        for url in URLS {
            let _ = classifier.classify_str(url);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode % 8 >= 6 {
        let (base, range) = if mode % 8 == 6 {
            sparse_expressions()
        } else {
            dense_expressions()
        };
        let mut bytes = base.clone();
        for patch in rest.chunks_exact(3) {
            let at = range.start + usize::from(u16::from_le_bytes([patch[0], patch[1]])) % range.len();
            bytes[at] ^= patch[2];
        }
        reseal_checksum(&mut bytes);
        exercise(bytes);
        return;
    }
    let base = if mode % 8 >= 4 {
        folded_sample()
    } else {
        sample()
    };
    match mode % 8 {
        0 => exercise(rest.to_vec()),
        1 => {
            let mut bytes = rest.to_vec();
            if bytes.len() >= 32 {
                let len = bytes.len() as u64;
                bytes[24..32].copy_from_slice(&len.to_le_bytes());
            }
            reseal_checksum(&mut bytes);
            exercise(bytes);
        }
        2 | 4 => {
            let mut bytes = base.bytes.clone();
            for patch in rest.chunks_exact(3) {
                let at = usize::from(u16::from_le_bytes([patch[0], patch[1]])) % bytes.len();
                bytes[at] ^= patch[2];
            }
            reseal_checksum(&mut bytes);
            exercise(bytes);
        }
        _ => {
            let mut bytes = base.bytes.clone();
            let ranges = &base.fsts;
            let total: usize = ranges.iter().map(|r| r.len()).sum();
            for patch in rest.chunks_exact(4) {
                // An offset into the two fsts taken as one run of bytes.
                let mut at = u32::from_le_bytes([patch[0], patch[1], patch[2], 0]) as usize % total;
                for r in ranges {
                    if at < r.len() {
                        bytes[r.start + at] ^= patch[3];
                        break;
                    }
                    at -= r.len();
                }
            }
            for r in ranges {
                let end = r.end - 4;
                let sum = crc32c(&bytes[r.start..end]);
                let masked = sum.rotate_right(15).wrapping_add(0xA282_EAD8);
                bytes[end..r.end].copy_from_slice(&masked.to_le_bytes());
            }
            reseal_checksum(&mut bytes);
            exercise(bytes);
        }
    }
});
