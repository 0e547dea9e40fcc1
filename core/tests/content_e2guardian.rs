//! Score parity with the real e2guardian: Debian's `e2guardian` runs as a
//! proxy on 127.0.0.1 in front of an origin in this test, with the same
//! phrase lists, limit and options as esafety's scanner; every page is
//! fetched through it, e2guardian's score and verdict are read from its
//! access log, and esafety must give the same.
//!
//! The configurations: Debian's shipped phrase lists, and every phrase
//! list of the package (all topics, every language), at e2guardian's
//! defaults and at its other modes (`weightedphrasemode = 1`,
//! `preservecase = 1` and `2`, `phrasefiltermode = 0` and `1`), over pages
//! of real text from this machine's documentation with phrases from the
//! lists written in (`content_peer/pages.rs`); and a fixture list with
//! pages that end in every way a phrase can end a page, where e2guardian's
//! search does its most particular things.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test harness: a failed setup step should fail the test loudly"
)]

mod content_peer;

use std::fmt::Write as _;
use std::sync::Arc;

use content_peer::e2guardian::{self, Scratch};
use content_peer::lists::ListSet;
use content_peer::pages::{self, Pools};
use esafety::content::{CaseMode, ContentScore, Counting, PassMode, ScanOptions, ScoreReason};

enum Corpus {
    /// Documentation pages with phrases written in: how many, and the seed.
    Documents(usize, u64),
    /// Every ending of every phrase of the lists.
    Endings,
}

/// Fetches every page through e2guardian and compares its log with
/// esafety; returns (pages, blocked, allowed, exceptions, banned).
fn parity(
    name: &str,
    lists: impl FnOnce(&Scratch) -> ListSet,
    limit: u32,
    options: ScanOptions,
    corpus: Corpus,
) -> Option<(usize, usize, usize, usize, usize)> {
    if !e2guardian::available() {
        return None;
    }
    let scratch = Scratch::new(name);
    let lists = lists(&scratch);
    let parsed = lists.parse();
    let pools = Pools {
        exception: parsed[0].phrases().map(<[u8]>::to_vec).collect(),
        banned: parsed[1].phrases().map(<[u8]>::to_vec).collect(),
        weighted: parsed[2].phrases().map(<[u8]>::to_vec).collect(),
    };
    let scanner = lists.scanner(options);
    let pages = match corpus {
        Corpus::Documents(n, seed) => {
            let sources = pages::sources();
            assert!(
                sources.len() > 100,
                "too few documentation files to build pages from"
            );
            pages::pages(&sources, &pools, n, seed)
        }
        Corpus::Endings => {
            let all: Vec<Vec<u8>> = [&pools.weighted, &pools.banned, &pools.exception]
                .into_iter()
                .flatten()
                .cloned()
                .collect();
            pages::endings(&all)
        }
    };
    let pages = Arc::new(pages);
    let origin = e2guardian::origin(Arc::clone(&pages));
    let proxy = e2guardian::start(&scratch, &lists, limit, options);
    let url = |i: usize| format!("http://127.0.0.1:{origin}/page/{i}");
    for i in 0..pages.len() {
        proxy.fetch(&url(i));
    }
    let log = proxy.log(pages.len());
    let mut mismatches = String::new();
    let mut wrong = 0usize;
    let (mut blocked, mut allowed, mut exceptions, mut banned) = (0, 0, 0, 0);
    for (i, page) in pages.iter().enumerate() {
        let logged = log
            .get(&url(i))
            .unwrap_or_else(|| panic!("{name}: page {i} is not in e2guardian's access log"));
        let ours: ContentScore = scanner.scan(page).judge(limit);
        match ours.reason {
            ScoreReason::Exception => exceptions += 1,
            ScoreReason::Banned | ScoreReason::BannedCombination => banned += 1,
            _ => {}
        }
        if logged.blocked() {
            blocked += 1;
        } else {
            allowed += 1;
        }
        // 604/605: an exception phrase or combination let the page through.
        let their_exception = matches!(logged.message, 604 | 605);
        let same = ours.score == logged.naughtiness
            && ours.blocks() == logged.blocked()
            && (ours.reason == ScoreReason::Exception) == their_exception;
        if !same {
            wrong += 1;
            let kept = std::env::temp_dir().join(format!("esafety-{name}-page-{i}.html"));
            std::fs::write(&kept, page).unwrap();
            let _ = writeln!(
                mismatches,
                "page {i} ({} bytes, kept as {}): e2guardian {} {} score {} `{}`; esafety {} {:?} score {}: {}",
                page.len(),
                kept.display(),
                logged.code,
                logged.message,
                logged.naughtiness,
                logged.what,
                if ours.blocks() { "block" } else { "allow" },
                ours.reason,
                ours.score,
                ours.explain()
            );
        }
    }
    eprintln!(
        "{name}: {} pages; e2guardian blocked {blocked}, allowed {allowed}; esafety saw {exceptions} exceptions, {banned} banned",
        pages.len()
    );
    assert!(
        wrong == 0,
        "{name}: {wrong} of {} pages differ:\n{mismatches}",
        pages.len()
    );
    Some((pages.len(), blocked, allowed, exceptions, banned))
}

/// The corpus must exercise both verdicts, exceptions and banned phrases.
fn assert_covers(got: Option<(usize, usize, usize, usize, usize)>, blocked: usize, allowed: usize) {
    if let Some((_, b, a, e, n)) = got {
        assert!(b >= blocked && a >= allowed, "blocked {b}, allowed {a}");
        assert!(e >= 1 && n >= 1, "exceptions {e}, banned {n}");
    }
}

const DEFAULTS: ScanOptions = ScanOptions {
    passes: PassMode::Both,
    case: CaseMode::Fold,
    counting: Counting::OncePerPass,
};

#[test]
fn debian_lists_at_the_young_children_limit() {
    let got = parity(
        "e2g-debian",
        |_| ListSet::debian(),
        50,
        DEFAULTS,
        Corpus::Documents(240, 1),
    );
    assert_covers(got, 40, 40);
}

#[test]
fn every_list_at_the_older_children_limit() {
    let got = parity(
        "e2g-all",
        |s| ListSet::everything(s.path()),
        100,
        DEFAULTS,
        Corpus::Documents(240, 2),
    );
    assert_covers(got, 40, 40);
}

#[test]
fn counting_occurrences_with_both_cases_at_the_young_adults_limit() {
    let options = ScanOptions {
        passes: PassMode::Both,
        case: CaseMode::Both,
        counting: Counting::Occurrences,
    };
    let got = parity(
        "e2g-counts",
        |s| ListSet::everything(s.path()),
        160,
        options,
        Corpus::Documents(120, 3),
    );
    assert_covers(got, 20, 20);
}

#[test]
fn smart_pass_only_counting_occurrences() {
    let options = ScanOptions {
        passes: PassMode::Smart,
        case: CaseMode::Fold,
        counting: Counting::Occurrences,
    };
    let got = parity(
        "e2g-smart",
        |s| ListSet::everything(s.path()),
        50,
        options,
        Corpus::Documents(120, 4),
    );
    assert_covers(got, 20, 10);
}

#[test]
fn raw_pass_only_preserving_case() {
    let options = ScanOptions {
        passes: PassMode::Raw,
        case: CaseMode::Preserve,
        counting: Counting::OncePerPass,
    };
    let got = parity(
        "e2g-raw",
        |s| ListSet::everything(s.path()),
        100,
        options,
        Corpus::Documents(120, 5),
    );
    assert_covers(got, 20, 20);
}

#[test]
fn every_ending_of_every_phrase() {
    let got = parity(
        "e2g-end",
        |_| ListSet::fixture("end"),
        50,
        DEFAULTS,
        Corpus::Endings,
    );
    assert_covers(got, 100, 100);
}

#[test]
fn every_ending_raw_pass_only() {
    let options = ScanOptions {
        passes: PassMode::Raw,
        ..DEFAULTS
    };
    let got = parity(
        "e2g-end-raw",
        |_| ListSet::fixture("end"),
        50,
        options,
        Corpus::Endings,
    );
    assert_covers(got, 100, 100);
}
