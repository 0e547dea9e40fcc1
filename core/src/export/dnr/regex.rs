//! Bundle regex entries as declarativeNetRequest `regexFilter`s (RE2).
//!
//! A bundle regex (regex-automata syntax) matches anywhere in the
//! canonical `host/path?query`; a `regexFilter` matches anywhere in the
//! whole request URL, `scheme://host/path?query`. A pattern is written
//! out only when it uses syntax that RE2 reads the same way (checked by the
//! scanner below, token by token):
//!
//! - literals, `.`, escaped punctuation, `\d \D \s \S \w \W`, `\t \n \r
//!   \f \v`, `\xHH` and `\x{H…}`;
//! - classes `[…]` with ranges, those escapes and POSIX names
//!   (`[:alpha:]`), but no nested classes or set operations (`&&`, `--`,
//!   `~~`), which RE2 does not have;
//! - groups `(…)`, `(?:…)`, `(?P<name>…)` (and `(?<name>…)`, written as
//!   `(?P<name>…)`), flags `i`, `m`, `s`, `U` (not `x`, `R` or `u`);
//! - repetitions `* + ?`, `{n}`, `{n,}`, `{n,m}` up to 1000 (RE2's limit),
//!   lazy or not, and alternation `|`;
//! - `^` (the start of `host/path?query`) becomes
//!   `(?:^[a-zA-Z][a-zA-Z0-9+.-]*://)`, the scheme before it; `$` stays
//!   (a request URL has no fragment, so its end is the end of the query),
//!   except in an e2guardian expression, which is matched with one
//!   trailing `/` chopped off the request: there `$` becomes `(?:/?$)`,
//!   the end or a final `/` before it (`\.exe$` blocks `/setup.exe/`). A
//!   match that itself ends with the final `/` (`a/$`, `(exe/)`) is not
//!   chopped that way, so such an expression can match a URL ending in
//!   `/` that e2guardian lets through ([`super::SPELLING_DIFFERENCES`]);
//!   it never misses one that e2guardian blocks.
//!
//! A pattern without `^` is written `^[a-zA-Z][a-zA-Z0-9+.-]*://.*(?:…)`,
//! so that it cannot match inside the scheme; one with `^` is written as
//! is, and a part of it that does not use `^` could still match there
//! ([`super::SPELLING_DIFFERENCES`]).

/// The scheme and `://` of a request URL: where `host/path?query` starts.
const SCHEME: &str = "[a-zA-Z][a-zA-Z0-9+.\\-]*://";

/// RE2's largest repetition count.
const MAX_REPEAT: u32 = 1000;

/// The `regexFilter` for `pattern`; with `chop_slash`, for an expression
/// matched with one trailing `/` chopped off the URL (e2guardian).
///
/// # Errors
///
/// What in the pattern RE2 may not read as regex-automata does, quoted.
pub(super) fn regex_filter(pattern: &str, chop_slash: bool) -> Result<String, String> {
    let mut out = String::with_capacity(pattern.len() + 48);
    let mut anchored = false;
    // How many `^` a match can pass, per open group: (in the alternative so
    // far, most in a finished alternative). `^` is zero-width in the
    // pattern but consumes the scheme in the filter, so a match may pass
    // it at most once.
    let mut carets: Vec<(u32, u32)> = vec![(0, 0)];
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => escape(&mut chars, &mut out)?,
            '^' => {
                anchored = true;
                if let Some(top) = carets.last_mut() {
                    top.0 += 1;
                }
                if matches!(chars.peek(), Some('*' | '+' | '{')) {
                    return Err("repeats `^`".to_owned());
                }
                out.push_str("(?:^");
                out.push_str(SCHEME);
                out.push(')');
            }
            '|' => {
                if let Some(top) = carets.last_mut() {
                    *top = (0, top.0.max(top.1));
                }
                out.push('|');
            }
            '[' => class(&mut chars, &mut out)?,
            '(' => {
                carets.push((0, 0));
                group(&mut chars, &mut out)?;
            }
            ')' => {
                let (seq, best) = carets.pop().unwrap_or_default();
                let passed = seq.max(best);
                if passed > 0 && matches!(chars.peek(), Some('*' | '+' | '{')) {
                    return Err("repeats a group with `^`".to_owned());
                }
                match carets.last_mut() {
                    Some(top) => top.0 += passed,
                    None => return Err("has an unopened `)`".to_owned()),
                }
                out.push(')');
            }
            '{' => repeat(&mut chars, &mut out)?,
            '$' if chop_slash => out.push_str("(?:/?$)"),
            _ => out.push(c),
        }
    }
    if carets.iter().any(|&(seq, best)| seq.max(best) > 1) {
        return Err("can pass `^` twice in one match".to_owned());
    }
    Ok(if anchored {
        out
    } else {
        format!("^{SCHEME}.*(?:{out})")
    })
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// An escape after `\`, outside or inside a class.
fn escape(chars: &mut Chars<'_>, out: &mut String) -> Result<(), String> {
    let Some(c) = chars.next() else {
        return Err("ends with `\\`".to_owned());
    };
    match c {
        'd' | 'D' | 's' | 'S' | 'w' | 'W' | 't' | 'n' | 'r' | 'f' | 'v' => {
            out.push('\\');
            out.push(c);
        }
        'x' => {
            out.push_str("\\x");
            if chars.peek() == Some(&'{') {
                for d in chars.by_ref() {
                    out.push(d);
                    if d == '}' {
                        return Ok(());
                    }
                    if d != '{' && !d.is_ascii_hexdigit() {
                        return Err(format!("uses `\\x{{` with `{d}`"));
                    }
                }
                return Err("has an unclosed `\\x{`".to_owned());
            }
            for _ in 0..2 {
                match chars.next() {
                    Some(d) if d.is_ascii_hexdigit() => out.push(d),
                    _ => return Err("uses `\\x` without two hex digits".to_owned()),
                }
            }
        }
        c if c.is_ascii_punctuation() => {
            out.push('\\');
            out.push(c);
        }
        c => return Err(format!("uses `\\{c}`")),
    }
    Ok(())
}

/// A class after `[`.
fn class(chars: &mut Chars<'_>, out: &mut String) -> Result<(), String> {
    out.push('[');
    if chars.peek() == Some(&'^') {
        chars.next();
        out.push('^');
    }
    if chars.peek() == Some(&']') {
        chars.next();
        out.push_str("\\]");
    }
    let mut prev = None;
    while let Some(c) = chars.next() {
        match c {
            ']' => {
                out.push(']');
                return Ok(());
            }
            '\\' => escape(chars, out)?,
            '[' if chars.peek() == Some(&':') => {
                out.push('[');
                let mut closed = false;
                for d in chars.by_ref() {
                    out.push(d);
                    if d == ']' && out.ends_with(":]") {
                        closed = true;
                        break;
                    }
                }
                if !closed {
                    return Err("has an unclosed POSIX class".to_owned());
                }
            }
            '[' => return Err("uses a class inside a class".to_owned()),
            '&' | '-' | '~' if prev == Some(c) => {
                return Err(format!("uses the class operation `{c}{c}`"));
            }
            _ => out.push(c),
        }
        prev = Some(c);
    }
    Err("has an unclosed `[`".to_owned())
}

/// A group after `(`.
fn group(chars: &mut Chars<'_>, out: &mut String) -> Result<(), String> {
    out.push('(');
    if chars.peek() != Some(&'?') {
        return Ok(());
    }
    chars.next();
    match chars.peek().copied() {
        Some(':') => {
            chars.next();
            out.push_str("?:");
        }
        Some('P') | Some('<') => {
            if chars.next() == Some('P') && chars.next() != Some('<') {
                return Err("uses `(?P` without `<`".to_owned());
            }
            out.push_str("?P<");
            for c in chars.by_ref() {
                if c == '>' {
                    out.push('>');
                    return Ok(());
                }
                if !(c.is_ascii_alphanumeric() || c == '_') {
                    return Err(format!("has the group name character `{c}`"));
                }
                out.push(c);
            }
            return Err("has an unclosed group name".to_owned());
        }
        _ => {
            out.push('?');
            for c in chars.by_ref() {
                match c {
                    'i' | 'm' | 's' | 'U' | '-' => out.push(c),
                    ':' | ')' => {
                        out.push(c);
                        return Ok(());
                    }
                    c => return Err(format!("uses the flag or group `(?{c}`")),
                }
            }
            return Err("has an unclosed `(?`".to_owned());
        }
    }
    Ok(())
}

/// A counted repetition after `{`.
fn repeat(chars: &mut Chars<'_>, out: &mut String) -> Result<(), String> {
    let mut body = String::new();
    for c in chars.by_ref() {
        if c == '}' {
            break;
        }
        body.push(c);
    }
    let (lo, hi) = match body.split_once(',') {
        Some((lo, hi)) => (lo, Some(hi)),
        None => (body.as_str(), None),
    };
    let count = |s: &str| s.parse::<u32>().ok().filter(|&n| n <= MAX_REPEAT);
    let ok = count(lo).is_some() && hi.is_none_or(|h| h.is_empty() || count(h).is_some());
    if !ok {
        return Err(format!(
            "uses the repetition `{{{body}}}` (RE2 counts up to {MAX_REPEAT})"
        ));
    }
    out.push('{');
    out.push_str(&body);
    out.push('}');
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn named_patterns() {
        let cases: [(&str, &str, Result<&str, &str>); 16] = [
            (
                "plain",
                "browse\\.php\\?u=",
                Ok("^[a-zA-Z][a-zA-Z0-9+.\\-]*://.*(?:browse\\.php\\?u=)"),
            ),
            (
                "squidGuard word",
                "(^|[-/_.])porn([-/_.]|$)",
                Ok("((?:^[a-zA-Z][a-zA-Z0-9+.\\-]*://)|[-/_.])porn([-/_.]|$)"),
            ),
            (
                "classes and repeats",
                "[a-z]{3,}[0-9]+x?",
                Ok("^[a-zA-Z][a-zA-Z0-9+.\\-]*://.*(?:[a-z]{3,}[0-9]+x?)"),
            ),
            (
                "posix class",
                "[[:digit:]x]",
                Ok("^[a-zA-Z][a-zA-Z0-9+.\\-]*://.*(?:[[:digit:]x])"),
            ),
            (
                "named group",
                "(?<n>ab)",
                Ok("^[a-zA-Z][a-zA-Z0-9+.\\-]*://.*(?:(?P<n>ab))"),
            ),
            (
                "flags",
                "(?i:abc)",
                Ok("^[a-zA-Z][a-zA-Z0-9+.\\-]*://.*(?:(?i:abc))"),
            ),
            (
                "leading ] in a class",
                "[]a]",
                Ok("^[a-zA-Z][a-zA-Z0-9+.\\-]*://.*(?:[\\]a])"),
            ),
            ("word boundary", "\\bporn\\b", Err("uses `\\b`")),
            ("text anchor", "\\Aabc", Err("uses `\\A`")),
            (
                "verbose flag",
                "(?x) a b",
                Err("uses the flag or group `(?x`"),
            ),
            (
                "nested class",
                "[a[bc]]",
                Err("uses a class inside a class"),
            ),
            (
                "class intersection",
                "[a-z&&[^x]]",
                Err("uses the class operation `&&`"),
            ),
            (
                "class difference",
                "[a-z--x]",
                Err("uses the class operation `--`"),
            ),
            (
                "huge repeat",
                "a{2000}",
                Err("uses the repetition `{2000}` (RE2 counts up to 1000)"),
            ),
            ("repeated caret", "^{2}a", Err("repeats `^`")),
            (
                "caret twice",
                "(^a|b)^c",
                Err("can pass `^` twice in one match"),
            ),
        ];
        for (name, pattern, want) in cases {
            assert_eq!(
                regex_filter(pattern, false).as_deref(),
                want.map_err(str::to_owned).as_deref(),
                "{name}"
            );
        }
    }

    /// RE2's reading of `pattern` as Chrome's declarativeNetRequest uses
    /// it, with regex-automata's DFA regex standing in: `\w`, `\d` and
    /// `(?i)` are ASCII in RE2 (and in URLs), so the stand-in is built
    /// without Unicode classes. With them, a random pattern such as
    /// `(?i)\w{1,3}\w+` determinizes for many minutes in a debug build
    /// (it held a CI run in this test for over seven).
    fn re2(pattern: &str) -> Result<regex_automata::dfa::regex::Regex, String> {
        regex_automata::dfa::regex::Regex::builder()
            .syntax(
                regex_automata::util::syntax::Config::new()
                    .unicode(false)
                    .utf8(false),
            )
            .build(pattern)
            .map_err(|e| e.to_string())
    }

    /// A pattern from a small alphabet of regex pieces.
    fn pattern() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "a", "b", "/", ".", "\\.", "\\?", "x", "^", "$", "[a-c]", "[^/]", "(", ")", "|", "*",
            "+", "?", "{2}", "{1,3}", "(?:", "(?i)", "\\d", "\\w", "-", "=", "0",
        ]);
        prop::collection::vec(piece, 1..8).prop_map(|v| v.concat())
    }

    /// A canonical `host/path?query` from a small alphabet.
    fn hpq() -> impl Strategy<Value = String> {
        ("[a-c]{1,3}\\.[a-c]{1,2}", "(/[a-c0-9.=?x-]{0,4}){1,3}")
            .prop_map(|(h, p)| format!("{h}{p}"))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Where the scanner writes a filter, it matches the whole URL
        /// where the pattern matches `host/path?query` (regex-automata's
        /// DFA regex standing in for RE2, whose syntax it shares for
        /// everything the scanner lets through): exactly for a pattern
        /// without `^`, and at least there for one with it.
        #[test]
        fn a_written_filter_matches_where_the_pattern_does(pattern in pattern(), hpq in hpq(), scheme in prop::sample::select(vec!["http", "https", "wss"])) {
            let Ok(ours) = re2(&pattern) else { return Ok(()) };
            let Ok(filter) = regex_filter(&pattern, false) else { return Ok(()) };
            let theirs = re2(&filter).unwrap_or_else(|e| panic!("{pattern} → {filter}: {e}"));
            let url = format!("{scheme}://{hpq}");
            let (p, f) = (ours.is_match(&hpq), theirs.is_match(&url));
            if filter.starts_with("^[a-zA-Z]") {
                prop_assert_eq!(f, p, "{} → {} on {}", pattern, filter, url);
            } else {
                prop_assert!(!p || f, "{} → {} misses {}", pattern, filter, url);
            }
        }

        /// An e2guardian expression's filter matches the whole URL
        /// wherever the expression matches `host/path?query` with one
        /// trailing `/` chopped off (it may match more: a match that ends
        /// with the final `/` itself).
        #[test]
        fn an_e2guardian_filter_matches_where_the_chopped_pattern_does(pattern in pattern(), hpq in hpq(), slash in any::<bool>()) {
            let hpq = if slash { format!("{hpq}/") } else { hpq };
            let Ok(ours) = re2(&pattern) else { return Ok(()) };
            let Ok(filter) = regex_filter(&pattern, true) else { return Ok(()) };
            let theirs = re2(&filter).unwrap_or_else(|e| panic!("{pattern} → {filter}: {e}"));
            let chopped = hpq.strip_suffix('/').unwrap_or(&hpq);
            let url = format!("http://{hpq}");
            prop_assert!(!ours.is_match(chopped) || theirs.is_match(&url), "{} → {} misses {}", pattern, filter, url);
        }
    }

    #[test]
    fn e2guardian_end_anchors() {
        let cases = [
            (
                "file at the end",
                "\\.exe$",
                "http://files.example/setup.exe",
                true,
            ),
            (
                "directory named like a file",
                "\\.exe$",
                "http://files.example/setup.exe/",
                true,
            ),
            (
                "query ending in a slash",
                "\\.exe$",
                "http://files.example/get?f=a.exe/",
                true,
            ),
            (
                "not at the end",
                "\\.exe$",
                "http://files.example/setup.exe.txt",
                false,
            ),
            (
                "two slashes are not one",
                "\\.exe$",
                "http://files.example/setup.exe//x",
                false,
            ),
        ];
        for (name, pattern, url, want) in cases {
            let filter = regex_filter(pattern, true).unwrap();
            let re = regex_automata::dfa::regex::Regex::new(&filter).unwrap();
            assert_eq!(re.is_match(url), want, "{name}: {filter} on {url}");
        }
        assert_eq!(
            regex_filter("\\.exe$", true).as_deref(),
            Ok("^[a-zA-Z][a-zA-Z0-9+.\\-]*://.*(?:\\.exe(?:/?$))")
        );
    }
}
