//! Building expressions into automata (the `compile` feature): each
//! expression's engine, then the automata of a bundle. See the
//! [parent module](super) for the engines.

use std::borrow::Cow;

use regex_automata::dfa::{StartKind, dense};
use regex_automata::util::syntax;
use regex_automata::{MatchKind, nfa::thompson};

use super::{RegexEngine, RegexInput};
use crate::bundle::BundleError;

/// The largest unanchored DFA one expression may have to get
/// [`RegexEngine::Dfa`], in bytes. Determinization stops when it is
/// reached, which bounds the time a failing attempt costs (about 0.1 s for
/// `strong_redirector`).
const DFA_LIMIT: usize = 256 << 10;
/// The largest DFA several [`RegexEngine::Dfa`] expressions are built
/// into together, in bytes.
const DFA_CHUNK_LIMIT: usize = 2 << 20;
/// The largest anchored DFA of one [`RegexEngine::AnchoredDfa`]
/// expression, and of a group of them, in bytes.
pub(crate) const ANCHORED_LIMIT: usize = 4 << 20;
/// The largest NFA an expression may compile to, in bytes.
const NFA_LIMIT: usize = 16 << 20;

/// How one expression compiles: its engine, whether it needs Unicode, and
/// the size of its DFA alone.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Plan {
    pub(crate) engine: RegexEngine,
    pub(crate) unicode: bool,
    size: usize,
}

/// Why an expression cannot be compiled.
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
fn last_line(message: &str) -> String {
    message.lines().last().unwrap_or_default().trim().to_owned()
}

/// A dense DFA of `patterns` (already [`flagged`]) within `limit` bytes.
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

/// Chooses the engine of one expression.
pub(crate) fn plan(pattern: &str, no_case: bool) -> Result<Plan, PlanError> {
    let unicode = needs_unicode(pattern, no_case).map_err(PlanError::Syntax)?;
    let one = [flagged(pattern, no_case, unicode)];
    match dense_dfa(&one, false, DFA_LIMIT) {
        Ok(dfa) => {
            return Ok(Plan {
                engine: RegexEngine::Dfa,
                unicode,
                size: dfa.memory_usage(),
            });
        }
        Err(e) if !is_size_limit(&e) => return Err(PlanError::Syntax(e)),
        Err(_) => {}
    }
    match dense_dfa(&one, true, ANCHORED_LIMIT) {
        Ok(dfa) => Ok(Plan {
            engine: RegexEngine::AnchoredDfa,
            unicode,
            size: dfa.memory_usage(),
        }),
        Err(e) if is_size_limit(&e) => Err(PlanError::TooComplex),
        Err(e) => Err(PlanError::Syntax(e)),
    }
}

/// Whether a build error is a size limit (rather than a pattern a DFA
/// cannot run at all).
fn is_size_limit(message: &str) -> bool {
    message.contains("size limit")
}

/// One expression to build: its flagged pattern, its plan and input.
pub(crate) struct Planned<'a> {
    pub(crate) pattern: Cow<'a, str>,
    pub(crate) plan: Plan,
    pub(crate) input: RegexInput,
}

/// One built automaton: its serialized bytes (little-endian, without
/// padding) and the expressions it holds, by index, in DFA pattern order.
pub(crate) struct Built {
    pub(crate) bytes: Vec<u8>,
    pub(crate) anchored: bool,
    pub(crate) patterns: Vec<u32>,
}

/// Builds every expression into automata: those of one engine and input
/// together, in groups that fit the limits.
pub(crate) fn build(planned: &[Planned<'_>]) -> Result<Vec<Built>, BundleError> {
    let mut out = Vec::new();
    for engine in [RegexEngine::Dfa, RegexEngine::AnchoredDfa] {
        for input in [RegexInput::Url, RegexInput::SquidGuard] {
            let ids: Vec<u32> = planned
                .iter()
                .enumerate()
                .filter(|(_, p)| p.plan.engine == engine && p.input == input)
                .filter_map(|(i, _)| u32::try_from(i).ok())
                .collect();
            let (budget, anchored) = match engine {
                RegexEngine::Dfa => (DFA_CHUNK_LIMIT, false),
                RegexEngine::AnchoredDfa => (ANCHORED_LIMIT, true),
            };
            // Greedy groups by the sizes alone; a group whose DFA is
            // larger than the sum (it can be) is split when it is built.
            let mut group: Vec<u32> = Vec::new();
            let mut size = 0usize;
            for id in ids {
                let one = planned
                    .get(id as usize)
                    .map_or(budget, |p| p.plan.size.max(1));
                if !group.is_empty() && size.saturating_add(one) > budget {
                    build_group(
                        planned,
                        std::mem::take(&mut group),
                        anchored,
                        budget,
                        &mut out,
                    )?;
                    size = 0;
                }
                group.push(id);
                size = size.saturating_add(one);
            }
            if !group.is_empty() {
                build_group(planned, group, anchored, budget, &mut out)?;
            }
        }
    }
    Ok(out)
}

/// Builds `group` into one automaton, or splits it in two if it does not
/// fit (a single expression always fits: its plan built it alone).
fn build_group(
    planned: &[Planned<'_>],
    group: Vec<u32>,
    anchored: bool,
    budget: usize,
    out: &mut Vec<Built>,
) -> Result<(), BundleError> {
    let patterns: Vec<&str> = group
        .iter()
        .filter_map(|&i| planned.get(i as usize).map(|p| p.pattern.as_ref()))
        .collect();
    // A single expression fits: its plan built it alone within a limit no
    // larger than `budget`.
    match dense_dfa(&patterns, anchored, budget) {
        Ok(dfa) => {
            let (bytes, pad) = dfa.to_bytes_little_endian();
            out.push(Built {
                bytes: bytes.get(pad..).unwrap_or_default().to_vec(),
                anchored,
                patterns: group,
            });
            Ok(())
        }
        Err(reason) if group.len() > 1 && is_size_limit(&reason) => {
            let mut first = group;
            let second = first.split_off(first.len() / 2);
            build_group(planned, first, anchored, budget, out)?;
            build_group(planned, second, anchored, budget, out)
        }
        Err(reason) => Err(BundleError::Section {
            section: "regex",
            reason: format!("an expression that compiled alone does not compile: {reason}"),
        }),
    }
}
