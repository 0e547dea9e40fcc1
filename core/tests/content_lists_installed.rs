//! Every line of every phrase list Debian's `e2guardian` package installs
//! is read or reported: per file, the phrase lines esafety reads and the
//! lines it reports as problems (what e2guardian does with them), checked
//! against the counts below, and every line that is neither blank, a
//! comment, a directive nor a phrase is among the problems.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test harness: a failed setup step should fail the test loudly"
)]

mod content_peer;

use std::collections::BTreeSet;

use content_peer::e2guardian;
use content_peer::lists::{ListSet, files_under, phraselists};
use esafety::content::{ListKind, PhraseList, PhraseOptions};

/// (file under `phraselists/`, phrase lines, problems) for e2guardian
/// 5.3.5-4+deb12u1. Set `ESAFETY_PRINT_COUNTS=1` to print the table again.
const COUNTS: &[(&str, usize, usize)] = &[
    ("badwords/weighted_dutch", 28, 0),
    ("badwords/weighted_french", 36, 1),
    ("badwords/weighted_german", 26, 0),
    ("badwords/weighted_portuguese", 9, 0),
    ("badwords/weighted_spanish", 57, 0),
    ("chat/weighted", 28, 2),
    ("chat/weighted_italian", 23, 1),
    ("chinesebig5/pornography/weighted", 10, 1),
    ("chinesegb2312/pornography/weighted", 10, 1),
    ("conspiracy/weighted", 49, 0),
    ("danish/goodphrases/weighted_general", 2, 0),
    ("danish/pornography/weighted", 49, 1),
    ("domainsforsale/weighted", 18, 2),
    ("drugadvocacy/weighted", 9, 0),
    ("dutch/badwords/weighted", 28, 0),
    ("dutch/goodphrases/weighted_general", 1, 0),
    ("dutch/pornography/weighted", 31, 0),
    ("forums/weighted", 35, 4),
    ("french/badwords/weighted", 36, 1),
    ("french/pornography/weighted", 122, 5),
    ("gambling/banned", 10, 0),
    ("gambling/banned_portuguese", 7, 0),
    ("gambling/weighted", 38, 0),
    ("gambling/weighted_portuguese", 9, 0),
    ("games/weighted", 42, 1),
    ("german/badwords/weighted", 22, 0),
    ("german/pornography/weighted", 89, 4),
    ("goodphrases/exception", 3, 2),
    ("goodphrases/exception_email", 10, 5),
    ("goodphrases/weighted_general", 417, 11),
    ("goodphrases/weighted_general_danish", 2, 0),
    ("goodphrases/weighted_general_dutch", 1, 0),
    ("goodphrases/weighted_general_malay", 2, 0),
    ("goodphrases/weighted_general_polish", 41, 1),
    ("goodphrases/weighted_general_portuguese", 40, 4),
    ("goodphrases/weighted_general_swedish", 91, 1),
    ("goodphrases/weighted_news", 27, 0),
    ("googlesearches/banned", 625, 606),
    ("gore/weighted", 10, 0),
    ("gore/weighted_portuguese", 9, 0),
    ("idtheft/weighted", 15, 1),
    ("illegaldrugs/banned", 3, 0),
    ("illegaldrugs/weighted", 79, 0),
    ("illegaldrugs/weighted_portuguese", 33, 0),
    ("intolerance/banned_portuguese", 7, 0),
    ("intolerance/weighted", 40, 0),
    ("intolerance/weighted_portuguese", 17, 0),
    ("italian/badwords/weighted", 357, 11),
    ("italian/chat/weighted", 23, 1),
    ("italian/pornography/weighted", 326, 10),
    ("japanese/pornography/weighted", 191, 15),
    ("legaldrugs/weighted", 39, 0),
    ("malay/goodphrases/weighted_general", 2, 0),
    ("malay/pornography/weighted", 53, 0),
    ("malware/weighted", 84, 3),
    ("music/weighted", 72, 4),
    ("news/weighted", 85, 3),
    ("norwegian/pornography/weighted", 65, 0),
    ("nudism/weighted", 21, 2),
    ("peer2peer/weighted", 36, 0),
    ("personals/weighted", 54, 1),
    ("personals/weighted_portuguese", 201, 5),
    ("polish/goodphrases/weighted_general", 42, 1),
    ("polish/pornography/weighted", 206, 5),
    ("pornography/banned", 4, 2),
    ("pornography/banned_portuguese", 477, 0),
    ("pornography/weighted", 3856, 190),
    ("pornography/weighted_chinese", 10, 1),
    ("pornography/weighted_danish", 50, 1),
    ("pornography/weighted_dutch", 32, 0),
    ("pornography/weighted_french", 126, 5),
    ("pornography/weighted_german", 93, 4),
    ("pornography/weighted_italian", 323, 9),
    ("pornography/weighted_japanese", 191, 15),
    ("pornography/weighted_malay", 53, 0),
    ("pornography/weighted_norwegian", 65, 0),
    ("pornography/weighted_polish", 206, 5),
    ("pornography/weighted_portuguese", 673, 28),
    ("pornography/weighted_russian", 135, 1),
    ("pornography/weighted_russian_utf8", 135, 1),
    ("pornography/weighted_spanish", 52, 0),
    ("pornography/weighted_swedish", 83, 1),
    ("portuguese/badwords/weighted", 9, 0),
    ("portuguese/gambling/banned", 7, 0),
    ("portuguese/gambling/weighted", 9, 0),
    ("portuguese/goodphrases/weighted_general", 40, 4),
    ("portuguese/gore/weighted", 9, 0),
    ("portuguese/illegaldrugs/weighted", 32, 0),
    ("portuguese/intolerance/banned", 7, 0),
    ("portuguese/intolerance/weighted", 17, 0),
    ("portuguese/personals/banned", 477, 0),
    ("portuguese/personals/weighted", 201, 5),
    ("portuguese/pornography/weighted", 672, 29),
    ("portuguese/violence/weighted", 14, 0),
    ("portuguese/weapons/weighted", 45, 4),
    ("proxies/weighted", 103, 15),
    ("rta/banned", 1, 1),
    ("russian-1251/pornography/weighted", 52, 0),
    ("russian-koi8-r/pornography/weighted", 52, 0),
    ("safelabel/banned", 3, 3),
    ("secretsocieties/weighted", 49, 2),
    ("spanish/badwords/weighted", 57, 0),
    ("spanish/pornography/weighted", 52, 0),
    ("sport/weighted", 507, 10),
    ("swedish/goodphrases/weighted_general", 91, 1),
    ("swedish/pornography/weighted", 83, 1),
    ("translation/weighted", 55, 1),
    ("travel/weighted", 88, 2),
    ("ukenglish/badwords/banned", 1, 0),
    ("ukenglish/badwords/weighted", 0, 0),
    ("ukenglish/chat/weighted", 11, 0),
    ("ukenglish/drugadvocacy/weighted", 135, 2),
    ("ukenglish/gambling/banned", 10, 0),
    ("ukenglish/gambling/weighted", 25, 0),
    ("ukenglish/games/weighted", 62, 2),
    ("ukenglish/goodphrases/exception_email", 10, 5),
    ("ukenglish/goodphrases/weighted", 271, 7),
    ("ukenglish/goodphrases/weighted_news", 27, 0),
    ("ukenglish/gore/weighted", 10, 0),
    ("ukenglish/illegaldrugs/weighted", 81, 0),
    ("ukenglish/intolerance/weighted", 79, 2),
    ("ukenglish/nudism/weighted", 21, 2),
    ("ukenglish/personals/weighted", 52, 0),
    ("ukenglish/pornography/banned", 3, 1),
    ("ukenglish/pornography/weighted", 4982, 774),
    ("ukenglish/proxies/weighted", 67, 25),
    ("ukenglish/violence/weighted", 114, 4),
    ("ukenglish/warezhacking/weighted", 58, 2),
    ("ukenglish/weapons/weighted", 158, 0),
    ("upstreamfilter/weighted", 5, 1),
    ("violence/weighted", 24, 0),
    ("violence/weighted_portuguese", 14, 0),
    ("warezhacking/weighted", 23, 1),
    ("weapons/weighted", 130, 0),
    ("weapons/weighted_portuguese", 45, 4),
    ("webmail/weighted", 27, 2),
    ("../exceptionphraselist", 0, 0),
    ("../bannedphraselist", 0, 0),
    ("../weightedphraselist", 0, 0),
];

fn trim(line: &[u8]) -> &[u8] {
    let ws = |b: &u8| b" \t\r\n".contains(b);
    let start = line.iter().position(|b| !ws(b)).unwrap_or(line.len());
    let end = line.iter().rposition(|b| !ws(b)).map_or(start, |e| e + 1);
    &line[start..end.max(start)]
}

#[test]
fn every_installed_phrase_list_line_is_read_or_reported() {
    if !e2guardian::available() {
        return;
    }
    let root = phraselists();
    let mut table = Vec::new();
    let (mut phrases, mut problems) = (0, 0);
    for path in files_under(&root) {
        let name = path.strip_prefix(&root).unwrap().display().to_string();
        let bytes = std::fs::read(&path).unwrap();
        let kind = ListKind::detect(&name);
        let list = PhraseList::parse(&name, &bytes, kind, &PhraseOptions::new())
            .unwrap_or_else(|e| panic!("{e}"));
        // Independently of the parser: the lines that start with `<`, and
        // those that are none of blank, `#`, `.` or `<`.
        let mut starts_lt = 0;
        let mut other = BTreeSet::new();
        for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
            let t = trim(raw).to_ascii_lowercase();
            if t.is_empty() {
                continue;
            }
            match t[0] {
                b'<' => starts_lt += 1,
                b'#' | b'.' => {}
                _ => {
                    other.insert(i + 1);
                }
            }
        }
        assert_eq!(
            list.len(),
            starts_lt,
            "{name}: every `<` line is a phrase line"
        );
        let reported: BTreeSet<usize> = list.problems().iter().map(|p| p.line).collect();
        let missing: Vec<&usize> = other.difference(&reported).collect();
        assert!(
            missing.is_empty(),
            "{name}: lines {missing:?} are neither read nor reported"
        );
        for p in list.problems() {
            assert_eq!(p.source, name);
            assert!(!p.reason.is_empty() && !p.reason.ends_with('.'), "{p}");
        }
        phrases += list.len();
        problems += list.problems().len();
        table.push((name, list.len(), list.problems().len()));
    }
    // The top-level lists, with their includes (their own lines only: the
    // included files are counted above).
    for top in [
        "exceptionphraselist",
        "bannedphraselist",
        "weightedphraselist",
    ] {
        let path = std::path::Path::new(content_peer::lists::LISTS).join(top);
        let list = content_peer::lists::load(&path, ListKind::detect(top));
        let own = list.counts_by_file()[0].1;
        let problems_own = list
            .problems()
            .iter()
            .filter(|p| p.source == path.display().to_string())
            .count();
        table.push((format!("../{top}"), own, problems_own));
    }
    if std::env::var_os("ESAFETY_PRINT_COUNTS").is_some() {
        for (name, n, p) in &table {
            println!("    (\"{name}\", {n}, {p}),");
        }
    }
    eprintln!(
        "{} files, {phrases} phrase lines, {problems} problems",
        table.len()
    );
    let got: Vec<(&str, usize, usize)> =
        table.iter().map(|(n, a, b)| (n.as_str(), *a, *b)).collect();
    assert_eq!(
        got, COUNTS,
        "per-file counts (ESAFETY_PRINT_COUNTS=1 prints them)"
    );
}

#[test]
fn debian_top_level_lists_load_with_their_includes() {
    if !e2guardian::available() {
        return;
    }
    let [exception, banned, weighted] = ListSet::debian().parse();
    for list in [&exception, &banned, &weighted] {
        assert!(
            list.files().len() > 1,
            "{:?} follows its includes",
            list.files()[0]
        );
    }
    assert!(weighted.len() > 5000, "{}", weighted.len());
    assert!(
        weighted
            .list_categories()
            .iter()
            .any(|c| c == "Pornography")
    );
    assert!(!banned.is_empty() && !exception.is_empty());
}

/// The lines of Debian's lists that e2guardian reads otherwise than they
/// look, as reported.
#[test]
fn debian_quirks_are_reported() {
    if !e2guardian::available() {
        return;
    }
    let read = |name: &str| {
        let p = phraselists().join(name);
        PhraseList::parse(
            name,
            &std::fs::read(p).unwrap(),
            ListKind::Weighted,
            &PhraseOptions::new(),
        )
        .unwrap()
    };
    let cases: &[(&str, &str)] = &[
        (
            "polish/pornography/weighted",
            "is not a weight, so e2guardian reads this line as the banned phrase `dojrzałe kobiety`",
        ),
        (
            "swedish/pornography/weighted",
            "e2guardian ignores `<40>` after the phrase and reads this line as the banned phrase ` nakna brdar `",
        ),
        (
            "goodphrases/weighted_general_polish",
            "starts with a byte-order mark",
        ),
    ];
    for (file, reason) in cases {
        let list = read(file);
        assert!(
            list.problems().iter().any(|p| p.reason.contains(reason)),
            "{file}: no problem says `{reason}`: {:#?}",
            list.problems()
        );
    }
}

/// Debian also ships `new*phraselist` files that include a
/// `newphraselists/` folder the package does not have: e2guardian
/// configured with them does not start, and esafety refuses them the same
/// way, naming the missing file.
#[test]
fn debian_new_lists_include_files_that_are_not_there() {
    if !e2guardian::available() {
        return;
    }
    for top in [
        "newexceptionphraselist",
        "newbannedphraselist",
        "newweightedphraselist",
    ] {
        let path = std::path::Path::new(content_peer::lists::LISTS).join(top);
        let bytes = std::fs::read(&path).unwrap();
        let mut loader = |p: &str| std::fs::read(p);
        let err = PhraseList::parse_with_includes(
            &path.display().to_string(),
            &bytes,
            ListKind::detect(top),
            &PhraseOptions::new(),
            &mut loader,
        )
        .unwrap_err();
        assert!(
            matches!(err, esafety::content::ContentError::IncludeRead { ref tried, .. } if tried.contains("/newphraselists/")),
            "{err}"
        );
    }
}
