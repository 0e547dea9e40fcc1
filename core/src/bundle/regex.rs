//! Regular-expression entries: each compiled once, when the bundle is
//! built, into a bounded automaton that never fails to apply.
//!
//! # Engines
//!
//! A vendor expression list is any number of expressions, some of which
//! (UT1's `strong_redirector`: seven `.*`-joined alternatives before fifty
//! keywords) have no unanchored DFA of any reasonable size, and a set of
//! ordinary ones has no unanchored DFA that is quick to build: the
//! unanchored search loop puts every expression's start into every DFA
//! state, so determinizing N expressions together costs about N² (1,000
//! UT1-style keyword expressions took about 60 s in groups of 2 MiB, and
//! still 2.6 s in groups of ten, against 0.08 s anchored). So:
//!
//! 1. Every expression gets [`RegexEngine::AnchoredDfa`]: a dense DFA with
//!    anchored start states only, if its DFA alone fits in
//!    [`ANCHORED_LIMIT`] bytes. Without the leading "anything" loop the
//!    DFA does not track every partial match at once, so it stays small
//!    and quick to build: `strong_redirector` takes about 400 KB this way
//!    and more than 16 MiB unanchored; an ordinary keyword expression
//!    about 1 KB. Expressions are then built together into as many DFAs
//!    as it takes for each to fit in [`ANCHORED_LIMIT`] (a group that does
//!    not fit is split in two, down to single expressions, which fit).
//! 2. Otherwise the expression cannot be applied by a bounded automaton,
//!    and building the bundle fails with [`BuildError::RegexTooComplex`](super::BuildError::RegexTooComplex),
//!    naming the list and line: a rule that cannot be applied is an
//!    error, never a warning.
//!
//! An anchored DFA is searched by starting it at every position of the
//! URL, all the runs advanced together one byte at a time: runs that
//! reach the same DFA state are one run from then on (a DFA state's future
//! depends only on the state and the bytes left), and a run ends at a dead
//! state. So a search costs a start and a step per byte, plus a step per
//! byte for each distinct live state, at most the DFA's states: linear in
//! the URL, even for `.*` (every run that entered the loop is in one of
//! its few states), never the quadratic walk-per-position of a naive
//! anchored search. [`RegexEngine::Dfa`] (one unanchored pass) is still
//! read from a bundle, but the builder no longer writes it.
//!
//! Every automaton is built with regex-automata's size limits, so the
//! time and memory of a build are bounded by the limits above, and is
//! serialized into the bundle as a sparse DFA (the same states, each
//! state's transitions as byte ranges rather than a full row per byte
//! class) where that is at most half the dense bytes, else as a dense
//! one ([`AutomatonLayout::BySize`]);
//! loading only validates it (`sparse::DFA::from_bytes`,
//! `dense::DFA::from_bytes`), so no face needs a regex compiler, and
//! memory per automaton is its size: no cache grows with the traffic.
//!
//! # Syntax and input
//!
//! An expression is read as POSIX tools read it in the C locale: bytes,
//! `.` any byte (newlines too), classes and case folding ASCII. One that
//! needs Unicode (`\p{L}`, `\w` over letters of any script) is read with
//! Unicode on, matching UTF-8 text, and is folded with Unicode's simple
//! case folding if it ignores case. Non-ASCII text in an expression
//! (`порно`) is its UTF-8 bytes either way. The input is the canonical
//! `host/path?query` with its `%XX` escapes decoded back to bytes (see
//! [`crate::classify`]), so an expression sees the text a user typed, as
//! squidGuard and e2guardian do after their own decoding.

#[cfg(feature = "compile")]
use std::borrow::Cow;
use std::fmt;

use regex_automata::Anchored;
#[cfg(feature = "compile")]
use regex_automata::MatchKind;
use regex_automata::dfa::{Automaton, StartKind, dense, sparse};
#[cfg(feature = "compile")]
use regex_automata::nfa::thompson;
use regex_automata::util::primitives::StateID;
use regex_automata::util::start;
#[cfg(feature = "compile")]
use regex_automata::util::syntax;

#[cfg(feature = "compile")]
use super::BuildError;

/// The largest anchored DFA of one [`RegexEngine::AnchoredDfa`]
/// expression, and of a group of them, in bytes. Determinization stops
/// when it is reached, which bounds the time and memory of a build.
#[cfg(feature = "compile")]
pub(crate) const ANCHORED_LIMIT: usize = 4 << 20;
/// The largest NFA an expression may compile to, in bytes.
#[cfg(feature = "compile")]
const NFA_LIMIT: usize = 16 << 20;

/// How an expression is applied: the engine the builder chose for it (the
/// compile summary names it for each expression).
///
/// ```
/// use esafety::bundle::{Bundle, BundleBuilder, RegexEngine};
/// use esafety::lists::{Entry, EntryKind};
/// let mut b = BundleBuilder::new();
/// let list = b.add_list("redirectors", "circumvention")?;
/// let strong = "((google\\..*/search\\?q=cache.*)|(bing\\.com/videos/search\\?q=.*)|(images\\.google\\..*/images\\?.*q=.*))(anal|xxx|porn|sex|nude|teen|hot|girl|babe|adult)";
/// b.add_entry(list, &Entry { kind: EntryKind::SquidGuardExpression("(^|[-/_.])porn([-/_.]|$)".into()), line: 1 })?;
/// b.add_entry(list, &Entry { kind: EntryKind::SquidGuardExpression(strong.into()), line: 2 })?;
/// let engines: Vec<RegexEngine> = b.expressions().iter().map(|e| e.engine).collect();
/// assert_eq!(engines, [RegexEngine::AnchoredDfa, RegexEngine::AnchoredDfa]);
/// assert_eq!(RegexEngine::AnchoredDfa.id(), "anchored-dfa");
/// // Both apply.
/// let classifier = esafety::classify::Classifier::new(Bundle::from_bytes(b.build()?)?);
/// assert!(!classifier.classify_str("http://www.google.co.uk/search?q=cache:x+teen")?.matches.is_empty());
/// assert!(!classifier.classify_str("http://example.com/porn/")?.matches.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RegexEngine {
    /// A dense DFA searched once over the URL (read from bundles; the
    /// builder no longer writes it).
    Dfa,
    /// A dense DFA with anchored start states, run from every position
    /// (what the builder gives every expression).
    AnchoredDfa,
}

impl RegexEngine {
    /// The engine's stable id, as the compile summary prints it: `dfa`
    /// or `anchored-dfa`.
    ///
    /// ```
    /// use esafety::bundle::RegexEngine;
    /// assert_eq!(RegexEngine::Dfa.id(), "dfa");
    /// ```
    pub fn id(self) -> &'static str {
        match self {
            RegexEngine::Dfa => "dfa",
            RegexEngine::AnchoredDfa => "anchored-dfa",
        }
    }
}

impl fmt::Display for RegexEngine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// How a bundle lays out its expression automata (the regex section):
/// regex-automata's dense DFAs (a transition table, a 4-byte entry per
/// state and byte class: the fastest step) or sparse DFAs (each state's
/// transitions as byte ranges: smaller, a search per step). Both are
/// searched the same way and match the same URLs; the builder's
/// [`automata`](super::BundleBuilder::automata) chooses (by default, per
/// automaton, the smaller by a wide margin), and the extension build
/// reads either without a regex compiler.
///
/// ```
/// use esafety::bundle::{AutomatonLayout, Bundle, BundleBuilder};
/// use esafety::lists::{Entry, EntryKind};
/// let build = |layout| -> Result<Vec<u8>, esafety::bundle::BuildError> {
///     let mut b = BundleBuilder::new();
///     b.automata(layout);
///     let list = b.add_list("expressions", "adult")?;
///     for (i, word) in ["poker", "casino", "roulette"].iter().enumerate() {
///         let e = format!("(^|[-/_.]){word}([-/_.]|$)");
///         b.add_entry(list, &Entry { kind: EntryKind::SquidGuardExpression(e), line: i + 1 })?;
///     }
///     b.build()
/// };
/// let dense = Bundle::from_bytes(build(AutomatonLayout::Dense)?)?;
/// let sparse = Bundle::from_bytes(build(AutomatonLayout::Sparse)?)?;
/// assert!(sparse.sizes().regex < dense.sizes().regex);
/// assert_eq!(AutomatonLayout::default(), AutomatonLayout::BySize);
/// assert_eq!(AutomatonLayout::Sparse.id(), "sparse");
/// for bundle in [dense, sparse] {
///     let c = esafety::classify::Classifier::new(bundle);
///     assert!(!c.classify_str("http://example.com/casino/")?.matches.is_empty());
///     assert!(c.classify_str("http://example.com/casinos/")?.matches.is_empty());
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum AutomatonLayout {
    /// Every automaton a regex-automata `dense::DFA`: a full transition
    /// table.
    Dense,
    /// Every automaton a regex-automata `sparse::DFA`: transitions as
    /// byte ranges.
    Sparse,
    /// Each automaton sparse where that is at most half its dense bytes,
    /// else dense (the default). Measured (`classify_expressions` bench):
    /// 1,000 UT1-style keyword expressions are 0.08 MB sparse against
    /// 2.35 MB dense, classified about 1.3× slower; the one
    /// `strong_redirector`-style expression is 0.60 MB sparse against
    /// 0.55 MB dense and classified about 2× slower sparse, so it stays
    /// dense.
    #[default]
    BySize,
}

impl AutomatonLayout {
    /// The layout's stable id: `dense`, `sparse` or `by-size`.
    ///
    /// ```
    /// use esafety::bundle::AutomatonLayout;
    /// assert_eq!(AutomatonLayout::Dense.id(), "dense");
    /// ```
    pub fn id(self) -> &'static str {
        match self {
            AutomatonLayout::Dense => "dense",
            AutomatonLayout::Sparse => "sparse",
            AutomatonLayout::BySize => "by-size",
        }
    }
}

/// What an expression is matched against, as the metadata names it
/// (`input`). Every automaton holds expressions of one input only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum RegexInput {
    /// `url`: the canonical `host/path?query`, escapes decoded. squidGuard
    /// 1.6 matches expressions against the URL as requested, host
    /// unchopped (`regexec` on `furl`); generic regex entries too.
    Url,
    /// `e2guardian`: the same text with one trailing `/` chopped off, as
    /// e2guardian 5.3 chops it before it applies a `bannedregexpurllist`
    /// (`ListMeta::inRegExpURLList`: `if (url.endsWith("/")) url.chop()`).
    E2guardian,
}

impl RegexInput {
    /// The id the metadata stores.
    #[cfg(feature = "compile")]
    pub(crate) fn id(self) -> &'static str {
        match self {
            RegexInput::Url => "url",
            RegexInput::E2guardian => "e2guardian",
        }
    }

    /// The input an id names (`None` for one this esafety does not read:
    /// an older build wrote `squidguard`, a chopped host).
    pub(crate) fn from_id(id: &str) -> Option<RegexInput> {
        match id {
            "url" => Some(RegexInput::Url),
            "e2guardian" => Some(RegexInput::E2guardian),
            _ => None,
        }
    }

    /// This input, given the decoded canonical `host/path?query`.
    pub(crate) fn view(self, decoded: &[u8]) -> &[u8] {
        match self {
            RegexInput::Url => decoded,
            RegexInput::E2guardian => decoded.strip_suffix(b"/").unwrap_or(decoded),
        }
    }
}

/// How one expression compiles: its engine, whether it needs Unicode, the
/// size of its DFA alone, and that DFA's serialized bytes if it is at
/// least [`ALONE_FROM`] bytes.
#[cfg(feature = "compile")]
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub(crate) engine: RegexEngine,
    pub(crate) unicode: bool,
    size: usize,
    alone: Option<std::sync::Arc<dense::DFA<Vec<u32>>>>,
}

/// An expression whose DFA alone is at least this large (`strong_redirector`:
/// about 400 KB) keeps the DFA its plan built and is an automaton of its
/// own: building it again, with others, would cost its determinization
/// twice, for a group that is mostly its DFA anyway.
#[cfg(feature = "compile")]
const ALONE_FROM: usize = 64 << 10;

/// Why an expression cannot be compiled.
#[cfg(feature = "compile")]
#[derive(Debug)]
pub(crate) enum PlanError {
    /// Not an expression regex-automata reads (or one a DFA cannot run,
    /// such as a Unicode word boundary); the message says which.
    Syntax(String),
    /// Valid, but even its anchored DFA exceeds [`ANCHORED_LIMIT`].
    TooComplex,
}

/// The pattern as the DFA compiles it: flags before it (not a group, so
/// a pattern's own `(?x)` comments cannot swallow a closing parenthesis).
/// Byte mode is `-u`; `s` lets `.` match every byte, as POSIX `.` does.
#[cfg(feature = "compile")]
pub(crate) fn flagged(pattern: &str, no_case: bool, unicode: bool) -> String {
    let flags = match (no_case, unicode) {
        (true, true) => "(?is)",
        (true, false) => "(?is-u)",
        (false, true) => "(?s)",
        (false, false) => "(?s-u)",
    };
    let mut out = String::with_capacity(flags.len() + pattern.len());
    out.push_str(flags);
    out.push_str(pattern);
    out
}

/// Whether `pattern` parses in byte mode (`Ok(false)`), only with
/// Unicode on (`Ok(true)`), or not at all (the byte-mode error).
#[cfg(feature = "compile")]
pub(crate) fn needs_unicode(pattern: &str, no_case: bool) -> Result<bool, String> {
    // The error is only displayed: keep its text, not the large value.
    let parse = |unicode| {
        syntax::parse_with(
            &flagged(pattern, no_case, unicode),
            &syntax::Config::new().utf8(false),
        )
        .map(drop)
        .map_err(|e| e.to_string())
    };
    match parse(false) {
        Ok(()) => Ok(false),
        Err(bytes) => match parse(true) {
            Ok(()) => Ok(true),
            Err(_) => Err(last_line(&bytes)),
        },
    }
}

/// The last line of a regex-syntax error (its pattern and caret lines
/// come first).
#[cfg(feature = "compile")]
fn last_line(message: &str) -> String {
    message.lines().last().unwrap_or_default().trim().to_owned()
}

/// A dense DFA of `patterns` (already [`flagged`]) within `limit` bytes.
#[cfg(feature = "compile")]
fn dense_dfa<P: AsRef<str>>(
    patterns: &[P],
    anchored: bool,
    limit: usize,
) -> Result<dense::DFA<Vec<u32>>, String> {
    let start = if anchored {
        StartKind::Anchored
    } else {
        StartKind::Unanchored
    };
    dense::Builder::new()
        .configure(
            dense::Config::new()
                .match_kind(MatchKind::All)
                .start_kind(start)
                .dfa_size_limit(Some(limit))
                .determinize_size_limit(Some(limit)),
        )
        .syntax(syntax::Config::new().utf8(false))
        .thompson(
            thompson::Config::new()
                .utf8(false)
                .nfa_size_limit(Some(NFA_LIMIT)),
        )
        .build_many(patterns)
        .map_err(|e| e.to_string())
}

/// Chooses the engine of one expression: its anchored DFA, alone, within
/// [`ANCHORED_LIMIT`].
#[cfg(feature = "compile")]
pub(crate) fn plan(pattern: &str, no_case: bool) -> Result<Plan, PlanError> {
    let unicode = needs_unicode(pattern, no_case).map_err(PlanError::Syntax)?;
    let one = [flagged(pattern, no_case, unicode)];
    match dense_dfa(&one, true, ANCHORED_LIMIT) {
        Ok(dfa) => {
            let size = dfa.memory_usage();
            let alone = (size >= ALONE_FROM).then(|| std::sync::Arc::new(dfa));
            Ok(Plan {
                engine: RegexEngine::AnchoredDfa,
                unicode,
                size,
                alone,
            })
        }
        Err(e) if is_size_limit(&e) => Err(PlanError::TooComplex),
        Err(e) => Err(PlanError::Syntax(e)),
    }
}

/// A DFA's little-endian bytes in `layout`, without the alignment
/// padding, and whether they are the sparse form (for
/// [`AutomatonLayout::BySize`], the sparse form where it is at most half
/// the dense one's bytes).
#[cfg(feature = "compile")]
fn laid_out(
    dfa: &dense::DFA<Vec<u32>>,
    layout: AutomatonLayout,
) -> Result<(Vec<u8>, bool), BuildError> {
    let dense = || {
        let (bytes, pad) = dfa.to_bytes_little_endian();
        bytes.get(pad..).unwrap_or_default().to_vec()
    };
    let sparse = || {
        dfa.to_sparse()
            .map(|sparse| sparse.to_bytes_little_endian())
            .map_err(|e| BuildError::Encode {
                section: "regex",
                reason: format!("a DFA has no sparse form: {e}"),
            })
    };
    match layout {
        AutomatonLayout::Dense => Ok((dense(), false)),
        AutomatonLayout::Sparse => Ok((sparse()?, true)),
        AutomatonLayout::BySize => {
            let (dense, sparse) = (dense(), sparse()?);
            if sparse.len().saturating_mul(2) <= dense.len() {
                Ok((sparse, true))
            } else {
                Ok((dense, false))
            }
        }
    }
}

/// Whether a build error is a size limit (rather than a pattern a DFA
/// cannot run at all).
#[cfg(feature = "compile")]
fn is_size_limit(message: &str) -> bool {
    message.contains("size limit")
}

/// One expression to build: its flagged pattern and its plan.
#[cfg(feature = "compile")]
pub(crate) struct Planned<'a> {
    pub(crate) pattern: Cow<'a, str>,
    pub(crate) plan: Plan,
    pub(crate) input: RegexInput,
}

/// One built automaton: its serialized bytes (little-endian, without
/// padding) and the expressions it holds, by index, in DFA pattern order.
#[cfg(feature = "compile")]
pub(crate) struct Built {
    pub(crate) bytes: Vec<u8>,
    pub(crate) anchored: bool,
    /// A sparse DFA (else dense).
    pub(crate) sparse: bool,
    pub(crate) patterns: Vec<u32>,
}

/// The (engine, input) groups expressions are built in, in section order.
#[cfg(feature = "compile")]
const GROUPS: [(RegexEngine, RegexInput); 4] = [
    (RegexEngine::Dfa, RegexInput::Url),
    (RegexEngine::Dfa, RegexInput::E2guardian),
    (RegexEngine::AnchoredDfa, RegexInput::Url),
    (RegexEngine::AnchoredDfa, RegexInput::E2guardian),
];

/// Builds every expression into automata: those of one engine and one
/// input together, in groups that fit the limits.
#[cfg(feature = "compile")]
pub(crate) fn build(
    planned: &[Planned<'_>],
    layout: AutomatonLayout,
) -> Result<Vec<Built>, BuildError> {
    let mut out = Vec::new();
    for (engine, input) in GROUPS {
        let ids: Vec<u32> = planned
            .iter()
            .enumerate()
            .filter(|(_, p)| p.plan.engine == engine && p.input == input)
            .filter_map(|(i, _)| u32::try_from(i).ok())
            .collect();
        let (budget, anchored) = match engine {
            RegexEngine::Dfa => (ANCHORED_LIMIT, false),
            RegexEngine::AnchoredDfa => (ANCHORED_LIMIT, true),
        };
        // Greedy groups by the sizes alone; a group whose DFA is
        // larger than the sum (it can be) is split when it is built.
        let mut group: Vec<u32> = Vec::new();
        let mut size = 0usize;
        for id in ids {
            if let Some(dfa) = planned.get(id as usize).and_then(|p| p.plan.alone.as_ref()) {
                let (bytes, sparse) = laid_out(dfa, layout)?;
                out.push(Built {
                    bytes,
                    anchored,
                    sparse,
                    patterns: vec![id],
                });
                continue;
            }
            let one = planned
                .get(id as usize)
                .map_or(budget, |p| p.plan.size.max(1));
            if !group.is_empty() && size.saturating_add(one) > budget {
                build_group(
                    planned,
                    std::mem::take(&mut group),
                    (anchored, layout),
                    budget,
                    &mut out,
                )?;
                size = 0;
            }
            group.push(id);
            size = size.saturating_add(one);
        }
        if !group.is_empty() {
            build_group(planned, group, (anchored, layout), budget, &mut out)?;
        }
    }
    Ok(out)
}

/// Builds `group` into one automaton, or splits it in two if it does not
/// fit (a single expression always fits: its plan built it alone).
#[cfg(feature = "compile")]
fn build_group(
    planned: &[Planned<'_>],
    group: Vec<u32>,
    (anchored, layout): (bool, AutomatonLayout),
    budget: usize,
    out: &mut Vec<Built>,
) -> Result<(), BuildError> {
    let patterns: Vec<&str> = group
        .iter()
        .filter_map(|&i| planned.get(i as usize).map(|p| p.pattern.as_ref()))
        .collect();
    // A single expression fits: its plan built it alone within a limit no
    // larger than `budget`.
    match dense_dfa(&patterns, anchored, budget) {
        Ok(dfa) => {
            let (bytes, sparse) = laid_out(&dfa, layout)?;
            out.push(Built {
                bytes,
                anchored,
                sparse,
                patterns: group,
            });
            Ok(())
        }
        Err(reason) if group.len() > 1 && is_size_limit(&reason) => {
            let mut first = group;
            let second = first.split_off(first.len() / 2);
            build_group(planned, first, (anchored, layout), budget, out)?;
            build_group(planned, second, (anchored, layout), budget, out)
        }
        Err(reason) => Err(BuildError::Encode {
            section: "regex",
            reason: format!("an expression that compiled alone does not compile: {reason}"),
        }),
    }
}

/// A loaded automaton's tables, in the layout the bundle stores.
#[derive(Clone)]
enum Tables {
    Dense(dense::DFA<Vec<u32>>),
    Sparse(sparse::DFA<Vec<u8>>),
}

/// A loaded automaton.
#[derive(Clone)]
pub(crate) struct Loaded {
    dfa: Tables,
    anchored: bool,
    /// What its expressions are matched against.
    pub(crate) input: RegexInput,
    /// The expression (index into the bundle's regex table) of each DFA
    /// pattern id.
    pub(crate) patterns: Vec<u32>,
}

impl Loaded {
    /// Validates serialized DFA bytes, sparse or dense (regex-automata
    /// checks every table), and the metadata's claims about them.
    pub(crate) fn from_bytes(
        bytes: &[u8],
        (anchored, sparse): (bool, bool),
        input: RegexInput,
        patterns: Vec<u32>,
    ) -> Result<Loaded, String> {
        let (dfa, read) = if !sparse {
            {
                // A dense DFA is read in place from 4-aligned bytes: copy
                // them to an aligned spot of a buffer (the bundle's own
                // bytes may sit at any address).
                let mut buf = vec![0u8; bytes.len().saturating_add(3)];
                let at = buf.as_ptr().align_offset(4);
                let end = at.checked_add(bytes.len()).ok_or("the DFA is too large")?;
                let slot = buf
                    .get_mut(at..end)
                    .ok_or("no aligned buffer for the DFA")?;
                slot.copy_from_slice(bytes);
                let (dfa, read) = dense::DFA::from_bytes(slot).map_err(|e| e.to_string())?;
                (Tables::Dense(dfa.to_owned()), read)
            }
        } else {
            // A sparse DFA is bytes: read where it lies, then copied once.
            let (dfa, read) = sparse::DFA::from_bytes(bytes).map_err(|e| e.to_string())?;
            (Tables::Sparse(dfa.to_owned()), read)
        };
        if read != bytes.len() {
            return Err("trailing bytes after a DFA".to_owned());
        }
        let (pattern_len, start_kind) = match &dfa {
            Tables::Dense(d) => (d.pattern_len(), d.start_kind()),
            Tables::Sparse(d) => (d.pattern_len(), d.start_kind()),
        };
        if pattern_len != patterns.len() {
            return Err(format!(
                "a DFA has {pattern_len} patterns, the metadata {}",
                patterns.len()
            ));
        }
        let starts_ok = match (anchored, start_kind) {
            (_, StartKind::Both) => true,
            (true, kind) => kind == StartKind::Anchored,
            (false, kind) => kind == StartKind::Unanchored,
        };
        if !starts_ok {
            return Err("a DFA lacks the start states its engine needs".to_owned());
        }
        Ok(Loaded {
            dfa,
            anchored,
            input,
            patterns,
        })
    }

    /// Heap memory the automaton holds.
    pub(crate) fn memory_usage(&self) -> usize {
        let tables = match &self.dfa {
            Tables::Dense(d) => d.memory_usage(),
            Tables::Sparse(d) => d.memory_usage(),
        };
        tables.saturating_add(self.patterns.len().saturating_mul(4))
    }

    /// Calls `found` with the DFA pattern id of every expression that
    /// matches somewhere in `hay` (possibly more than once).
    pub(crate) fn matches(&self, hay: &[u8], found: &mut dyn FnMut(usize)) {
        match (&self.dfa, self.anchored) {
            (Tables::Dense(d), true) => every_position(d, hay, found),
            (Tables::Sparse(d), true) => every_position(d, hay, found),
            (Tables::Dense(d), false) => once(d, hay, found),
            (Tables::Sparse(d), false) => once(d, hay, found),
        }
    }
}

/// Reports the patterns of match state `state`.
fn report<A: Automaton>(dfa: &A, state: StateID, found: &mut dyn FnMut(usize)) {
    for i in 0..dfa.match_len(state) {
        found(dfa.match_pattern(state, i).as_usize());
    }
}

/// The anchored DFA started at every position of `hay`, the runs
/// advanced together and merged where they reach the same state (see
/// the module docs): linear in `hay`.
fn every_position<A: Automaton>(dfa: &A, hay: &[u8], found: &mut dyn FnMut(usize)) {
    let mut live: Vec<StateID> = Vec::new();
    let mut next: Vec<StateID> = Vec::new();
    let mut behind = None;
    let mut at = 0;
    loop {
        let config = start::Config::new()
            .anchored(Anchored::Yes)
            .look_behind(behind);
        if let Ok(state) = dfa.start_state(&config)
            && !dfa.is_dead_state(state)
        {
            live.push(state);
        }
        let Some(&byte) = hay.get(at) else {
            for &state in &live {
                let state = dfa.next_eoi_state(state);
                if dfa.is_match_state(state) {
                    report(dfa, state, found);
                }
            }
            return;
        };
        next.clear();
        for &state in &live {
            let state = dfa.next_state(state, byte);
            if dfa.is_special_state(state) {
                if dfa.is_match_state(state) {
                    report(dfa, state, found);
                } else if dfa.is_dead_state(state) || dfa.is_quit_state(state) {
                    continue;
                }
            }
            next.push(state);
        }
        // Runs in the same state are one run from here on.
        if next.len() > 1 {
            next.sort_unstable();
            next.dedup();
        }
        std::mem::swap(&mut live, &mut next);
        behind = Some(byte);
        at += 1;
    }
}

/// The unanchored DFA run once over `hay` (to its end or a dead state),
/// reporting the patterns of every match state.
fn once<A: Automaton>(dfa: &A, hay: &[u8], found: &mut dyn FnMut(usize)) {
    let config = start::Config::new().anchored(Anchored::No);
    let Ok(mut state) = dfa.start_state(&config) else {
        return;
    };
    for &byte in hay {
        state = dfa.next_state(state, byte);
        if dfa.is_special_state(state) {
            if dfa.is_match_state(state) {
                report(dfa, state, found);
            } else if dfa.is_dead_state(state) || dfa.is_quit_state(state) {
                return;
            }
        }
    }
    state = dfa.next_eoi_state(state);
    if dfa.is_match_state(state) {
        report(dfa, state, found);
    }
}
