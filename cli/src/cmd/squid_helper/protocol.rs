//! The two Squid helper protocols: what an answer line says.
//!
//! * `external-acl` (`external_acl_type`): `OK` when the request may go
//!   ahead (allow, monitor, warn) and `ERR` when it is blocked, with
//!   `message="…"` (the block message or the reason, for `deny_info` `%o`)
//!   and `log="action rule categories"` (for `%ea` in the access log).
//!   Squid URL-quotes `%URI` for this helper; the IPv6 brackets it quotes
//!   are put back before the check (`Protocol::url_as_sent`). A proxy has
//!   no interstitial, so `warn` is allowed and logged here; use
//!   `url-rewrite` with a block page that offers "proceed" to honour
//!   warnings.
//! * `url-rewrite` (`url_rewrite_program`): `OK status=302 url="BLOCK_URL?…"`
//!   for a blocked or warned request, `OK rewrite-url="…"` when safe search
//!   rewrites a search URL, and `ERR` (no change) otherwise.
//!
//! A request the engine cannot read (or decide, or record) is answered with
//! the core's error decision (`DecisionReport::error`), so it fails closed
//! in both: `ERR message="…"` (denied), or a redirect to the block page
//! with `action=block&rule=error`. Not `BH`: on a rewriter's "broken helper"
//! answer Squid goes on with the original URL.

use esafety::policy::{Action, DecisionReport};

/// Which Squid helper protocol to speak.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Protocol {
    /// `external_acl_type`: OK (go ahead) or ERR (blocked).
    ExternalAcl,
    /// `url_rewrite_program`: redirect blocked requests, rewrite for safe search.
    UrlRewrite,
}

impl Protocol {
    /// The request's URL as the client sent it, from the URL as Squid
    /// passes it to this protocol's helper.
    ///
    /// An external ACL helper's `%URI` is URL-quoted by Squid (its default
    /// `quote=url`): `[`, `]`, `~`, `"`, `<`, `>`, `{`, `}`, `|`, `^`, `` ` ``,
    /// `'` and bytes that are not ASCII become `%XX`; `%` itself is left
    /// alone. Canonicalization unescapes paths and queries anyway, so only
    /// the IPv6 brackets need undoing: `http://%5B::1%5D:8080/` would
    /// otherwise be a host named `[::1]` on port 8080's side of the colon
    /// rather than the address `[::1]` (an IPv6 entry missed, or an
    /// address without a port refused). A host cannot carry a real `%5B`
    /// (browsers refuse one), so nothing else changes. A rewriter gets the
    /// URL unquoted.
    pub(crate) fn url_as_sent(self, url: &str) -> std::borrow::Cow<'_, str> {
        match self {
            Protocol::ExternalAcl => unquote_authority_brackets(url),
            Protocol::UrlRewrite => std::borrow::Cow::Borrowed(url),
        }
    }
}

/// `%5B` and `%5D` (either case) in the authority of `url` (after
/// `scheme://`, if any, up to the first `/`, `\` or `?`) as `[` and `]`.
fn unquote_authority_brackets(url: &str) -> std::borrow::Cow<'_, str> {
    let start = match url.find("://") {
        Some(i) if !url.get(..i).unwrap_or_default().contains(['/', '?', '\\']) => i + 3,
        _ => 0,
    };
    let rest = url.get(start..).unwrap_or_default();
    let end = start + rest.find(['/', '?', '\\']).unwrap_or(rest.len());
    let authority = url.get(start..end).unwrap_or_default();
    if !authority.contains('%') {
        return std::borrow::Cow::Borrowed(url);
    }
    let mut unquoted = String::with_capacity(authority.len());
    let mut remaining = authority;
    while let Some(at) = remaining.find('%') {
        unquoted.push_str(remaining.get(..at).unwrap_or_default());
        let escape = remaining.get(at..at + 3).unwrap_or_default();
        let (text, skip) = if escape.eq_ignore_ascii_case("%5B") {
            ("[", 3)
        } else if escape.eq_ignore_ascii_case("%5D") {
            ("]", 3)
        } else {
            ("%", 1)
        };
        unquoted.push_str(text);
        remaining = remaining.get(at + skip..).unwrap_or_default();
    }
    unquoted.push_str(remaining);
    std::borrow::Cow::Owned(format!(
        "{}{unquoted}{}",
        url.get(..start).unwrap_or_default(),
        url.get(end..).unwrap_or_default()
    ))
}

/// One answer line, without the channel id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Answer(pub(crate) String);

impl Answer {
    pub(crate) fn for_report(
        report: &DecisionReport,
        protocol: Protocol,
        block_url: &str,
    ) -> Answer {
        let mut out = String::new();
        write_for_report(&mut out, report, protocol, block_url, None);
        Answer(out)
    }

    pub(crate) fn redirect(url: &str) -> Answer {
        let mut out = String::from("OK status=302 url=");
        quote_into(&mut out, url);
        out.push_str(" log=");
        quote_into(&mut out, "warn proceed -");
        Answer(out)
    }
}

/// Appends the answer line for `report` (without the line ending) to
/// `out`: the helper writes every answer into one reused buffer, so an
/// answer costs no allocation of its own.
pub(crate) fn write_for_report(
    out: &mut String,
    report: &DecisionReport,
    protocol: Protocol,
    block_url: &str,
    proceed: Option<&str>,
) {
    // `log="action rule categories"`, quoted as one value.
    let log = |out: &mut String| {
        out.push_str("log=\"");
        push_quoted(out, report.action.as_str());
        out.push(' ');
        push_quoted(out, &report.rule);
        out.push(' ');
        if report.categories.is_empty() {
            out.push('-');
        }
        for (i, category) in report.categories.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_quoted(out, category);
        }
        out.push('"');
    };
    match protocol {
        Protocol::ExternalAcl => {
            if report.action == Action::Block {
                let message = report
                    .message
                    .as_deref()
                    .or_else(|| report.reasons.first().map(String::as_str))
                    .unwrap_or("blocked by the acceptable use policy");
                out.push_str("ERR message=");
                quote_into(out, message);
                out.push(' ');
            } else {
                out.push_str("OK ");
            }
            log(out);
        }
        Protocol::UrlRewrite => match (report.action, &report.safe_search) {
            (Action::Block | Action::Warn, _) => {
                out.push_str("OK status=302 url=\"");
                let sep = if block_url.contains('?') { '&' } else { '?' };
                push_quoted(out, block_url);
                out.push(sep);
                out.push_str("action=");
                out.push_str(report.action.as_str());
                out.push_str("&rule=");
                query_escape_into(out, &report.rule);
                out.push_str("&categories=");
                for (i, category) in report.categories.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    query_escape_into(out, category);
                }
                if let (Action::Warn, Some(link)) = (report.action, proceed) {
                    out.push_str("&proceed=");
                    query_escape_into(out, link);
                }
                out.push_str("\" ");
                log(out);
            }
            (_, Some(safe)) => {
                out.push_str("OK rewrite-url=");
                quote_into(out, safe);
                out.push(' ');
                log(out);
            }
            _ => out.push_str("ERR"),
        },
    }
}

/// `value` in double quotes, as Squid reads a quoted value.
fn quote_into(out: &mut String, value: &str) {
    out.push('"');
    push_quoted(out, value);
    out.push('"');
}

/// `value` as the inside of a quoted value: `"` and `\` escaped, line
/// breaks and tabs made spaces, so an answer stays on one line.
fn push_quoted(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
}

/// `value` percent-encoded for a query value (unreserved bytes and `,`
/// kept).
fn query_escape_into(out: &mut String, value: &str) {
    use std::fmt::Write as _;
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b',') {
            out.push(char::from(b));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{b:02X}");
        }
    }
}

#[cfg(test)]
fn quote(value: &str) -> String {
    let mut out = String::new();
    quote_into(&mut out, value);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_acl_urls_get_their_ipv6_brackets_back() {
        let cases = [
            (
                "v6 with port",
                "http://%5B::1%5D:8080/x",
                "http://[::1]:8080/x",
            ),
            (
                "v6 lower case",
                "https://%5b2001:db8::1%5d/",
                "https://[2001:db8::1]/",
            ),
            ("connect authority", "%5B::1%5D:443", "[::1]:443"),
            (
                "path escapes stay",
                "http://a.test/%5B%5D%7E",
                "http://a.test/%5B%5D%7E",
            ),
            (
                "query escapes stay",
                "http://a.test?%5B",
                "http://a.test?%5B",
            ),
            (
                "other host escapes stay",
                "http://a%2eb%5B/",
                "http://a%2eb[/",
            ),
            ("a lone percent", "http://a%/", "http://a%/"),
            (
                "scheme-less with a url in the query",
                "a.test/?u=http://%5B::1%5D/",
                "a.test/?u=http://%5B::1%5D/",
            ),
            (
                "nothing to do",
                "http://www.bet365.com/",
                "http://www.bet365.com/",
            ),
        ];
        for (name, sent, want) in cases {
            assert_eq!(Protocol::ExternalAcl.url_as_sent(sent), want, "{name}");
        }
        assert_eq!(
            Protocol::UrlRewrite.url_as_sent("http://%5B::1%5D/"),
            "http://%5B::1%5D/",
            "a rewriter's URL is not quoted"
        );
    }

    #[test]
    fn quoting_keeps_answers_on_one_line() {
        assert_eq!(quote("a \"b\"\nc\\"), "\"a \\\"b\\\" c\\\\\"");
    }

    fn report(action: Action, safe_search: Option<&str>) -> DecisionReport {
        DecisionReport {
            url: "u".into(),
            canonical: "http://u/".into(),
            action,
            rule: "no gambling".into(),
            categories: vec!["gambling".into()],
            reasons: vec!["rule `no gambling` matched".into()],
            log: true,
            review: false,
            message: None,
            safe_search: safe_search.map(str::to_owned),
            alert: None,
            content: vec![],
        }
    }

    #[test]
    fn the_cores_error_decision_is_a_block_in_both_protocols() {
        let message = esafety::policy::ERROR_BLOCK_MESSAGE;
        let cases = [
            (
                "acl denies",
                Protocol::ExternalAcl,
                format!("ERR message=\"{message}\" log=\"block error -\""),
            ),
            (
                "rewrite redirects to the block page, never BH",
                Protocol::UrlRewrite,
                "OK status=302 url=\"http://blk/?x=1&action=block&rule=error&categories=\" log=\"block error -\"".to_owned(),
            ),
        ];
        for (name, protocol, want) in cases {
            let report = DecisionReport::error("http://host.123/", "empty host");
            assert_eq!(
                Answer::for_report(&report, protocol, "http://blk/?x=1").0,
                want,
                "{name}"
            );
        }
    }

    #[test]
    fn answers_per_protocol_and_action() {
        let block = report(Action::Block, None);
        let allow = report(Action::Allow, None);
        let safe = report(
            Action::Allow,
            Some("https://www.google.com/search?q=x&safe=active"),
        );
        let cases = [
            (
                "acl block is ERR with reason",
                &block,
                Protocol::ExternalAcl,
                "ERR message=\"rule `no gambling` matched\" log=\"block no gambling gambling\"",
            ),
            (
                "acl allow is OK",
                &allow,
                Protocol::ExternalAcl,
                "OK log=\"allow no gambling gambling\"",
            ),
            (
                "rewrite block redirects",
                &block,
                Protocol::UrlRewrite,
                "OK status=302 url=\"http://blk/?action=block&rule=no%20gambling&categories=gambling\" log=\"block no gambling gambling\"",
            ),
            (
                "rewrite allow is no change",
                &allow,
                Protocol::UrlRewrite,
                "ERR",
            ),
            (
                "rewrite safe search",
                &safe,
                Protocol::UrlRewrite,
                "OK rewrite-url=\"https://www.google.com/search?q=x&safe=active\" log=\"allow no gambling gambling\"",
            ),
        ];
        for (name, r, protocol, want) in cases {
            assert_eq!(
                Answer::for_report(r, protocol, "http://blk/").0,
                want,
                "{name}"
            );
        }
    }
}
