//! The one decision for a request that could not be decided: block.
//!
//! Every face (the CLI's `check`, the Squid helper, the C library, the
//! WebAssembly package and the example extension) answers an error with the
//! decision built here, so "fail closed" is not a convention each face
//! re-implements but a value the core hands out: action `block`, rule
//! [`ERROR`], the reason, and the generic block message.

use std::fmt;

use super::document::Action;
use super::evaluate::{DecidedBy, Decision};
use super::report::DecisionReport;

/// The rule name of a decision made because the request could not be
/// decided (a URL that is not a web address, an unreadable request, an
/// engine that is not loaded): such a request is always blocked.
///
/// ```
/// use esafety::policy::{Action, Decision, ERROR};
/// let decision = Decision::error("the bundle file is damaged");
/// assert_eq!((decision.action, decision.rule.as_str()), (Action::Block, ERROR));
/// ```
pub const ERROR: &str = "error";

/// The block-page text of an error decision.
///
/// ```
/// use esafety::policy::{Decision, ERROR_BLOCK_MESSAGE};
/// assert_eq!(Decision::error("x").message.as_deref(), Some(ERROR_BLOCK_MESSAGE));
/// ```
pub const ERROR_BLOCK_MESSAGE: &str = "This page is blocked because the filter could not check it. \
     If you need it, ask a member of staff.";

/// How many bytes of a caller's input an error decision or message repeats
/// at most; the rest is cut at a character boundary and marked with `…`.
/// A 100 MB line that is not a URL is answered with its first bytes, not
/// echoed back whole.
///
/// ```
/// use esafety::policy::{DecisionReport, MAX_ECHO_LEN};
/// let line = "x".repeat(10_000);
/// let report = DecisionReport::error(&line, "not a URL");
/// assert_eq!(report.url.len(), MAX_ECHO_LEN + '…'.len_utf8());
/// ```
pub const MAX_ECHO_LEN: usize = 256;

/// `input` cut to at most [`MAX_ECHO_LEN`] bytes at a character boundary,
/// with `…` after it when something was cut.
///
/// ```
/// assert_eq!(esafety::policy::echo_prefix("short"), "short");
/// let long = "é".repeat(200); // 400 bytes
/// let echoed = esafety::policy::echo_prefix(&long);
/// assert!(echoed.ends_with('…') && echoed.len() <= esafety::policy::MAX_ECHO_LEN + 3);
/// ```
pub fn echo_prefix(input: &str) -> std::borrow::Cow<'_, str> {
    if input.len() <= MAX_ECHO_LEN {
        return std::borrow::Cow::Borrowed(input);
    }
    let mut end = MAX_ECHO_LEN;
    while !input.is_char_boundary(end) {
        end -= 1;
    }
    let kept = input.get(..end).unwrap_or_default();
    std::borrow::Cow::Owned(format!("{kept}…"))
}

impl Decision {
    /// The decision for a request that could not be decided: `block`, rule
    /// [`ERROR`], logged, with `reason` as its explanation. Every face
    /// answers its errors with this decision (fail closed).
    ///
    /// ```
    /// use esafety::policy::{Action, DecidedBy, Decision, ERROR};
    /// let decision = Decision::error("`http://[::1` is not a URL: unclosed IPv6 address");
    /// assert_eq!(decision.action, Action::Block);
    /// assert_eq!(decision.rule, ERROR);
    /// assert_eq!(decision.decided_by, DecidedBy::Error);
    /// assert!(decision.log && decision.categories.is_empty());
    /// assert_eq!(
    ///     decision.reasons,
    ///     ["the request could not be checked, so it is blocked: `http://[::1` is not a URL: unclosed IPv6 address"],
    /// );
    /// ```
    pub fn error(reason: impl fmt::Display) -> Decision {
        Decision {
            action: Action::Block,
            rule: ERROR.to_owned(),
            decided_by: DecidedBy::Error,
            categories: Vec::new(),
            log: true,
            review: false,
            reasons: vec![format!(
                "the request could not be checked, so it is blocked: {reason}"
            )],
            message: Some(ERROR_BLOCK_MESSAGE.to_owned()),
            safe_search: None,
            // An unreadable request is not a safeguarding concern in itself.
            alert: None,
            content: Vec::new(),
        }
    }
}

impl DecisionReport {
    /// The report of [`Decision::error`] for `input` (repeated up to
    /// [`MAX_ECHO_LEN`] bytes); its `canonical` is empty, since there is no
    /// canonical form.
    ///
    /// ```
    /// use esafety::policy::{Action, DecisionReport, ERROR};
    /// let report = DecisionReport::error("javascript:alert(1)", "`javascript:` is not a web address");
    /// assert_eq!((report.action, report.rule.as_str()), (Action::Block, ERROR));
    /// assert_eq!((report.url.as_str(), report.canonical.as_str()), ("javascript:alert(1)", ""));
    /// ```
    pub fn error(input: &str, reason: impl fmt::Display) -> DecisionReport {
        DecisionReport::new(&echo_prefix(input), "", Decision::error(reason))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echo_prefix_cuts_at_a_character_boundary() {
        let cases: [(&str, String, usize); 4] = [
            ("ascii at the limit", "a".repeat(MAX_ECHO_LEN), MAX_ECHO_LEN),
            ("ascii over", "a".repeat(MAX_ECHO_LEN + 1), MAX_ECHO_LEN),
            ("two-byte chars", "é".repeat(MAX_ECHO_LEN), MAX_ECHO_LEN),
            (
                "four-byte chars",
                "😀".repeat(MAX_ECHO_LEN),
                MAX_ECHO_LEN - 3,
            ),
        ];
        for (name, input, kept) in cases {
            let echoed = echo_prefix(&input);
            let body = echoed.strip_suffix('…').unwrap_or(&echoed);
            assert!(body.len() <= MAX_ECHO_LEN, "{name}");
            assert!(body.len() >= kept, "{name}: kept {} bytes", body.len());
            assert!(input.starts_with(body), "{name}");
            assert_eq!(echoed.ends_with('…'), input.len() > MAX_ECHO_LEN, "{name}");
        }
    }

    #[test]
    fn an_error_decision_never_allows() {
        let d = Decision::error("");
        assert_eq!(d.action, Action::Block);
        assert!(d.log);
        assert!(d.message.is_some());
    }
}
