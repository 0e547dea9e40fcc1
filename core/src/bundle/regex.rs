//! Regular-expression entries: each compiled once, when the bundle is
//! built, into a bounded automaton that never fails to apply.
//!
//! # Engines
//!
//! A vendor expression list is any number of expressions, some of which
//! (UT1's `strong_redirector`: seven `.*`-joined alternatives before fifty
//! keywords) have no unanchored DFA of any reasonable size. So each
//! expression gets the first engine that fits, and a set is never compiled
//! as one automaton that one line can make too large:
//!
//! 1. [`RegexEngine::Dfa`]: a dense DFA searched once over the URL,
//!    unanchored, if the expression's DFA alone fits in 256 KiB
//!    bytes. Such expressions are then built together into as many DFAs as
//!    it takes for each to fit in 2 MiB (a group that does
//!    not fit is split in two, down to single expressions, which fit).
//! 2. [`RegexEngine::AnchoredDfa`]: otherwise, a dense DFA with anchored
//!    start states only, run from every position of the URL until it dies,
//!    if it fits in 4 MiB. Without the leading "anything"
//!    loop of an unanchored search the DFA does not have to track every
//!    partial match at once, so it stays small: `strong_redirector` takes
//!    about 400 KB this way and more than 16 MiB (the old limit, reached
//!    after about 26 s) unanchored. It costs a walk per position, most of
//!    which end at the first byte.
//! 3. Otherwise the expression cannot be applied by a bounded automaton,
//!    and building the bundle fails with [`BundleError::RegexTooComplex`],
//!    naming the list and line: a rule that cannot be applied is an
//!    error, never a warning.
//!
//! Every automaton is built with regex-automata's size limits, so the
//! time and memory of a build are bounded by the limits above, and is
//! serialized into the bundle;
//! loading only validates it (`dense::DFA::from_bytes`), so no face needs
//! a regex compiler, and memory per automaton is its size: no cache grows
//! with the traffic.
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

use std::fmt;

use regex_automata::Anchored;
use regex_automata::dfa::{Automaton as _, StartKind, dense};
use regex_automata::util::start;

#[cfg(feature = "compile")]
mod build;
#[cfg(feature = "compile")]
pub(crate) use build::{ANCHORED_LIMIT, Plan, PlanError, Planned, build, flagged, plan};

/// How an expression is applied; see the [module docs](self).
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
/// assert_eq!(engines, [RegexEngine::Dfa, RegexEngine::AnchoredDfa]);
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
    /// A dense DFA searched once over the URL.
    Dfa,
    /// A dense DFA with anchored start states, run from every position.
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

/// What an expression is matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum RegexInput {
    /// The canonical `host/path?query`, escapes decoded.
    Url,
    /// The same with the host chopped as squidGuard chops it
    /// ([`crate::lists::squidguard_chop`]).
    SquidGuard,
}

impl RegexInput {
    /// The id stored in the metadata.
    #[cfg(feature = "compile")]
    pub(crate) fn id(self) -> &'static str {
        match self {
            RegexInput::Url => "url",
            RegexInput::SquidGuard => "squidguard",
        }
    }

    /// The input with this id.
    pub(crate) fn from_id(id: &str) -> Option<RegexInput> {
        match id {
            "url" => Some(RegexInput::Url),
            "squidguard" => Some(RegexInput::SquidGuard),
            _ => None,
        }
    }
}

/// A loaded automaton.
#[derive(Clone)]
pub(crate) struct Loaded {
    dfa: dense::DFA<Vec<u32>>,
    anchored: bool,
    pub(crate) input: RegexInput,
    /// The expression (index into the bundle's regex table) of each DFA
    /// pattern id.
    pub(crate) patterns: Vec<u32>,
}

impl Loaded {
    /// Validates serialized DFA bytes (regex-automata checks every table)
    /// and the metadata's claims about them.
    pub(crate) fn from_bytes(
        bytes: &[u8],
        anchored: bool,
        input: RegexInput,
        patterns: Vec<u32>,
    ) -> Result<Loaded, String> {
        // A dense DFA is read in place from 4-aligned bytes: copy them to
        // an aligned spot of a buffer (the bundle's own bytes may sit at
        // any address).
        let mut buf = vec![0u8; bytes.len().saturating_add(3)];
        let at = buf.as_ptr().align_offset(4);
        let end = at.checked_add(bytes.len()).ok_or("the DFA is too large")?;
        let slot = buf
            .get_mut(at..end)
            .ok_or("no aligned buffer for the DFA")?;
        slot.copy_from_slice(bytes);
        let (dfa, read) = dense::DFA::from_bytes(slot).map_err(|e| e.to_string())?;
        if read != bytes.len() {
            return Err("trailing bytes after a DFA".to_owned());
        }
        if dfa.pattern_len() != patterns.len() {
            return Err(format!(
                "a DFA has {} patterns, the metadata {}",
                dfa.pattern_len(),
                patterns.len()
            ));
        }
        let starts_ok = match (anchored, dfa.start_kind()) {
            (_, StartKind::Both) => true,
            (true, kind) => kind == StartKind::Anchored,
            (false, kind) => kind == StartKind::Unanchored,
        };
        if !starts_ok {
            return Err("a DFA lacks the start states its engine needs".to_owned());
        }
        Ok(Loaded {
            dfa: dfa.to_owned(),
            anchored,
            input,
            patterns,
        })
    }

    /// Heap memory the automaton holds.
    pub(crate) fn memory_usage(&self) -> usize {
        self.dfa
            .memory_usage()
            .saturating_add(self.patterns.len().saturating_mul(4))
    }

    /// Calls `found` with the DFA pattern id of every expression that
    /// matches somewhere in `hay` (possibly more than once).
    pub(crate) fn matches(&self, hay: &[u8], found: &mut dyn FnMut(usize)) {
        if self.anchored {
            for at in 0..=hay.len() {
                let behind = at.checked_sub(1).and_then(|i| hay.get(i)).copied();
                let config = start::Config::new()
                    .anchored(Anchored::Yes)
                    .look_behind(behind);
                if let Ok(state) = self.dfa.start_state(&config) {
                    self.walk(state, hay.get(at..).unwrap_or_default(), found);
                }
            }
        } else {
            let config = start::Config::new().anchored(Anchored::No);
            if let Ok(state) = self.dfa.start_state(&config) {
                self.walk(state, hay, found);
            }
        }
    }

    /// Runs the DFA from `state` over `hay` (to its end or a dead state),
    /// reporting the patterns of every match state.
    fn walk(
        &self,
        mut state: regex_automata::util::primitives::StateID,
        hay: &[u8],
        found: &mut dyn FnMut(usize),
    ) {
        let dfa = &self.dfa;
        let report = |state, found: &mut dyn FnMut(usize)| {
            for i in 0..dfa.match_len(state) {
                found(dfa.match_pattern(state, i).as_usize());
            }
        };
        for &byte in hay {
            state = dfa.next_state(state, byte);
            if dfa.is_special_state(state) {
                if dfa.is_match_state(state) {
                    report(state, found);
                } else if dfa.is_dead_state(state) || dfa.is_quit_state(state) {
                    return;
                }
            }
        }
        state = dfa.next_eoi_state(state);
        if dfa.is_match_state(state) {
            report(state, found);
        }
    }
}
