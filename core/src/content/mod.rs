//! Contextual content analysis: e2guardian's weighted phrase lists, read as
//! they are, scoring page text, typed text and search terms exactly as
//! e2guardian 5.3 (Debian's `e2guardian` 5.3.5) scores them.
//!
//! ```
//! use esafety::content::{ContentLimit, ListKind, PhraseList, PhraseOptions, ScannerBuilder};
//!
//! let weighted = PhraseList::parse("weightedphraselist", br#"
//! #listcategory: "Pornography"
//! < porn><40>
//! <xxx>,< girls ><30>
//! #listcategory: "GoodPhrases"
//! < medical ><-30>
//! "#, ListKind::Weighted, &PhraseOptions::new())?;
//! let mut builder = ScannerBuilder::new();
//! builder.add_list(weighted);
//! let scanner = builder.build()?;
//!
//! let score = scanner.scan(b"<p>Free PORNO and XXX <b>girls</b></p>").judge(ContentLimit::YoungChildren.points());
//! assert_eq!(score.score, 70);
//! assert!(score.blocks());
//! assert_eq!(score.categories.get("pornography"), Some(&70));
//! assert_eq!(score.hits[0].phrase, "< porn>");
//! # Ok::<(), esafety::content::ContentError>(())
//! ```
//!
//! # Phrase lists
//!
//! A list line (trimmed of `" \t\r\n"`, lowercased with ASCII rules unless
//! the file has said `#noconvert`) is read by what it starts with:
//!
//! - `<` — a phrase line, read as `ListContainer::readPhraseListHelper`
//!   reads it: a weight is the number after the *first* `><` (`<…><N>`,
//!   negative allowed; `<…><N%>` is N per cent of the limit, C integer
//!   division); a line whose text after the first `>,` is longer than 2
//!   bytes is a combination of the `<…>` parts; otherwise the phrase is
//!   what lies between the first `<` and the next `>`. The text between
//!   `<` and `>` is matched byte for byte, spaces included: `< word >` is
//!   " word ", `< pre>` a word start, `<suf >` a word end, `<sub>` any
//!   substring. Phrases are cut to 127 bytes and empty ones dropped.
//! - `.` — `.Include<path>`: the file is read in place, with the includer's
//!   category, as part of the same list. The path is lowercased with the
//!   line.
//! - `#listcategory:` — the name between the first two `"` of the line as
//!   written becomes the category of the phrases after it in this file
//!   (and in files it includes after it).
//! - `#noconvert` — stop lowercasing this file's lines.
//! - `#time:` — see "Not done" below.
//! - anything else — ignored (a `#` line is a comment).
//!
//! What a phrase is depends on its weight and its list, not on the list's
//! name: a weighted phrase is weighted in any list; an unweighted one (or
//! one whose weight is 0) is an exception in the exception list and banned
//! in the banned *and the weighted* list. The lists are read in
//! e2guardian's order: exception, banned, weighted ([`ListKind`]).
//!
//! Lines e2guardian reads as nothing or as other than they look are
//! [`PhraseList::problems`] (file, line, what e2guardian does, what to
//! do): Debian's lists have `<dojrzałe kobiety><porno><70>` (the banned
//! phrase `dojrzałe kobiety`: `porno` is no weight), `< nakna brdar > <40>`
//! (banned: no `><`), a byte-order mark before a first line (ignored), and
//! phrases with `-` or `'` (never matched: page text has those as spaces).
//! They are still read as e2guardian reads them, which is what keeps the
//! scores equal; [`PhraseOptions::strict`] makes them errors.
//!
//! Each line's `#listcategory:` maps to an esafety category
//! ([`default_category`]: `Pornography (Polish)` → `pornography`, `Illegal
//! Drugs` → `drugs`, …), or as configured per list
//! ([`ScannerBuilder::add_list_as`]) or per name
//! ([`ScannerBuilder::map_category`]). No list may carry a statutory
//! category.
//!
//! # Passes
//!
//! With e2guardian's defaults (`phrasefiltermode = 2`, `preservecase = 0`,
//! `hexdecodecontent = off`, `weightedphrasemode = 2`; see
//! [`ScanOptions`]), a page gets two passes:
//!
//! 1. **smart**: every byte through the folding map (`A`–`Z` and bytes
//!    192–221 +32; bytes below 46, `:` `;` `?` and ``[\]^_` `` become a
//!    space), then `<…>` removed (a `>` becomes a space), runs of spaces
//!    made one, and a space put in front;
//! 2. **raw**, only if the smart pass neither blocked nor found an
//!    exception: the same map with `<` and `>` as spaces too, nothing
//!    removed, no space in front.
//!
//! Search terms get one raw pass over `" " + terms + " "`, with `:;<=>?@`
//! as spaces (the map e2guardian uses when it strips no tags).
//!
//! In each pass, every phrase's occurrences are counted (overlapping ones
//! too). Combinations count when all their parts are found, in list order;
//! a combination exception allows the page at once; then each phrase found
//! (a phrase listed twice is the exception if either is, else the banned
//! one, else the heavier weight) adds its weight once (or × occurrences
//! with [`Counting::Occurrences`]), blocks if banned, allows if an
//! exception. A pass with an exception allows the page; else a banned
//! combination or phrase blocks it; else a total **over** the limit blocks
//! it. The score e2guardian logs is the highest positive pass total (or,
//! if none is positive, the lowest negative one); an exception leaves the
//! score of the passes before it.
//!
//! # At the end of the text
//!
//! e2guardian's search finds phrases in two ways (`quick_search.rs`): a
//! byte graph, and one phrase at a time for the phrases of small
//! first-byte branches. The second writes each phrase just past the end of
//! the text as a sentinel, and the graph, which runs afterwards, reads past
//! the end into what they left; and the smart pass hands the search a
//! length one short of its text. So at the very end of a text:
//!
//! - the smart text's last byte (usually the space a closing tag leaves) is
//!   overwritten by the sentinels and never seen, unless no sentinel was
//!   written (every quick-search phrase longer than the text);
//! - a quick-search phrase can match across the end into its own copy
//!   (`" sex "` after a text ending `" sex"`), and a graph phrase into the
//!   sentinels;
//! - a quick-search phrase longer than the text, or than 126 bytes, is not
//!   found at all.
//!
//! esafety works out e2guardian's graph from the same phrases in the same
//! order and does the same, so these cases score as in e2guardian.
//!
//! # Streaming
//!
//! [`Scanner::stream`] takes the text in pieces ([`ContentStream::feed`]):
//! every pass runs byte by byte over the pieces as they come, holding only
//! its automaton state, its tag and space state and its last 128 bytes, so
//! the result never depends on where the text was cut. A scan keeps
//! counts, not the text.
//!
//! # Where e2guardian's documentation and its code differ
//!
//! esafety follows the code:
//!
//! - `weightedphrasemode = 2` "each weighted phrase found only counts once
//!   on a page": once per *pass*; the smart and raw passes count
//!   separately, and the score is the best pass, not their sum. A
//!   combination "found on the same page" must be found in one pass.
//! - `< word >` "will match only the word": it matches the bytes with
//!   their spaces, so a word at the very start of the raw text (no space
//!   before it) does not match there, and one ending the page may not
//!   match at all (see above).
//! - Smart mode "is where the multiple spaces and HTML are removed": it also
//!   scans one byte less than its text.
//! - "All phrases need to be within < and >" (`bannedphraselist`): a line
//!   starting with `<` is read up to its first `>`, whatever follows.
//! - The weighted list holds weighted phrases: an unweighted phrase there
//!   is banned, and a weighted phrase in the exception list is weighted.
//! - Per-cent weights "use that % of the naughtynesslimit as the weight":
//!   one that comes to 0 makes the phrase banned (or an exception), and in
//!   the exception list they always come to 0 (it is read with a limit of
//!   0).
//! - "As of version 2.7.0 accented characters are supported": folding adds
//!   32 to bytes 192–221, which is Latin-1 `À`–`Ý` but shifts UTF-8 lead
//!   bytes, so UTF-8 phrases with such characters (`é`, `ó`, `ł` …) match
//!   only with `preservecase = 1` or `2`.
//! - `weightedphrasemode = 1` counts a combination by the fewest
//!   occurrences of its parts — and keeps that count over consecutive
//!   combinations that all matched.
//!
//! # Where esafety does otherwise
//!
//! - `#time:` (phrases for some hours, by the filter's clock) is an error
//!   ([`ContentError::TimeLimit`]): decisions take their time from the
//!   request (DESIGN.md invariant 5).
//! - An include cycle or includes deeper than
//!   [`PhraseOptions::max_include_depth`] are errors (e2guardian recurses
//!   until it crashes); a relative include path is read from the
//!   including file's folder (e2guardian: its working directory).
//! - A weight outside 32 bits, or a per-cent weight before the end of its
//!   line (whose phrases e2guardian would read differently for different
//!   limits), is an error.
//! - e2guardian stops with "Cannot load phraselists from this many
//!   languages/encodings" when more than 60 different bytes follow one
//!   prefix in its graph; esafety has no such limit.
//! - Category scores are the positive weight each category added
//!   (e2guardian's own per-category tallies, used only to order the
//!   categories it names, multiply by the count twice in
//!   `weightedphrasemode = 1`). Scores are 64-bit.
//! - Not offered: `hexdecodecontent`, `phrasefiltermode = 3` (meta and
//!   title only), embedded-URL weighting (compiled out of e2guardian 5),
//!   `weightedphrasemode = 0` (no content filtering: simply do not scan).
//!   e2guardian scans only `text/*` bodies up to `maxcontentfiltersize`,
//!   decompressed; esafety scans the bytes it is given.
//!
//! Phrases are lowercased with ASCII rules, as e2guardian's C `tolower`
//! does in the C and UTF-8 locales (in a Latin-1 locale it would also fold
//! bytes 192–222 of the lists).

// The limits are plain data a policy names even without the scanner; a
// policy naming one in a build without the `content` feature fails to
// load rather than never blocking.
mod limit;
pub use limit::{ContentLimit, LimitError};

#[cfg(feature = "content")]
mod category;
#[cfg(feature = "content")]
mod error;
#[cfg(feature = "content")]
mod file;
#[cfg(feature = "content")]
mod judge;
#[cfg(feature = "content")]
mod line;
#[cfg(feature = "content")]
mod list;
#[cfg(feature = "content")]
mod normalise;
#[cfg(feature = "content")]
mod quick_search;
#[cfg(feature = "content")]
mod scanner;
#[cfg(feature = "content")]
mod stream;

#[cfg(feature = "content")]
pub use category::default_category;
#[cfg(feature = "content")]
pub use error::{ContentError, LineProblem};
#[cfg(feature = "content")]
pub use judge::{ContentMatches, ContentScore, Hit, HitKind, ScoreReason, Verdict};
#[cfg(feature = "content")]
pub(crate) use judge::{Found, PassMatches};
#[cfg(feature = "content")]
pub use list::{ListKind, Loader, PhraseList, PhraseOptions};
#[cfg(feature = "content")]
pub use normalise::{Case, CaseMode, ModeError, Pass, PassMode, Text, normalise};
#[cfg(feature = "content")]
pub use scanner::{Counting, ScanOptions, Scanner, ScannerBuilder};
#[cfg(feature = "content")]
pub use stream::ContentStream;

/// `bytes` as text: UTF-8 as it is, any other byte as `\xNN`.
#[cfg(feature = "content")]
pub(crate) fn show(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}

#[cfg(all(test, feature = "content"))]
mod tests;

#[cfg(all(test, feature = "content"))]
mod show_tests {
    #[test]
    fn show_escapes_what_is_not_utf8() {
        assert_eq!(super::show("é".as_bytes()), "é");
        assert_eq!(super::show(b"caf\xE9"), "caf\\xE9");
    }
}
