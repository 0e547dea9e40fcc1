//! `--format`: which fields of a helper line are what, in the `%` codes of
//! the `squid.conf` line that starts the helper.
//!
//! Squid writes one token per format field (a missing value is `-`),
//! URL-quoted for an external ACL helper (`quote=url`, the default); a
//! rewriter gets `URL` followed by `url_rewrite_extras` (default
//! `%>a/%>A %un %>rm myip=%la myport=%lp`), so its default format here is
//! `%URI %>a/%>A %un %>rm`. A field may join codes with literal text
//! (`%>a/%>A`, `myip=%la`). Tokens after the last field (Squid's kv-pair
//! extras) are ignored.
//!
//! With `concurrency=N` Squid puts a channel id before the fields: a line
//! whose first token is all digits and that has more tokens than the format
//! has fields starts with a channel id.

use std::net::IpAddr;

/// What a code gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    /// The request URL (`%URI`, `%>ru`, `%URL`).
    Url,
    /// The client's address (`%>a`, `%SRC`).
    ClientIp,
    /// The user name (`%un`, `%LOGIN`, `%ul`, `%ue`, `%EXT_USER`, `%ui`,
    /// `%IDENT`, `%us`).
    User,
    /// Anything else Squid may send (`%>rm`, `%>A`, `%la`, ...): read and
    /// not used.
    Other,
}

/// The codes this helper knows. An unknown code is an error: a misspelt
/// `%LOGN` would otherwise leave every user unidentified.
const CODES: &[(&str, Field)] = &[
    ("URI", Field::Url),
    (">ru", Field::Url),
    ("URL", Field::Url),
    (">a", Field::ClientIp),
    ("SRC", Field::ClientIp),
    ("un", Field::User),
    ("LOGIN", Field::User),
    ("ul", Field::User),
    ("ue", Field::User),
    ("EXT_USER", Field::User),
    ("ui", Field::User),
    ("IDENT", Field::User),
    ("us", Field::User),
    (">rm", Field::Other),
    ("METHOD", Field::Other),
    (">A", Field::Other),
    (">rd", Field::Other),
    ("DST", Field::Other),
    (">rP", Field::Other),
    ("PORT", Field::Other),
    (">rp", Field::Other),
    ("PATH", Field::Other),
    ("PROTO", Field::Other),
    (">rs", Field::Other),
    ("la", Field::Other),
    (">la", Field::Other),
    ("MYADDR", Field::Other),
    ("lp", Field::Other),
    (">lp", Field::Other),
    ("MYPORT", Field::Other),
    (">eui", Field::Other),
    ("SRCEUI48", Field::Other),
    ("SRCEUI64", Field::Other),
    ("ACL", Field::Other),
    ("DATA", Field::Other),
    ("et", Field::Other),
    ("ea", Field::Other),
    ("sn", Field::Other),
    ("ssl::>sni", Field::Other),
];

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Literal(String),
    Code(Field),
}

/// A parsed `--format`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LineFormat {
    fields: Vec<Vec<Piece>>,
}

/// The fields of one helper line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct LineFields<'a> {
    pub(crate) channel: Option<&'a str>,
    pub(crate) url: Option<&'a str>,
    pub(crate) client_ip: Option<IpAddr>,
    /// Unquoted (`%XX` decoded); borrowed from the line when it has no
    /// escape.
    pub(crate) user: Option<std::borrow::Cow<'a, str>>,
}

impl LineFormat {
    /// The default format of a protocol.
    pub(crate) fn default_for(url_rewrite: bool) -> LineFormat {
        let text = if url_rewrite {
            "%URI %>a/%>A %un %>rm"
        } else {
            "%URI"
        };
        LineFormat::parse(text).unwrap_or(LineFormat {
            fields: vec![vec![Piece::Code(Field::Url)]],
        })
    }

    /// Parses a format: whitespace-separated fields of `%CODE`s (also
    /// `%{CODE}`) and literal text.
    pub(crate) fn parse(text: &str) -> Result<LineFormat, String> {
        let mut fields = Vec::new();
        for token in text.split_ascii_whitespace() {
            let mut pieces = Vec::new();
            let mut rest = token;
            while !rest.is_empty() {
                let Some(at) = rest.find('%') else {
                    pieces.push(Piece::Literal(rest.to_owned()));
                    break;
                };
                if at > 0 {
                    pieces.push(Piece::Literal(
                        rest.get(..at).unwrap_or_default().to_owned(),
                    ));
                }
                let after = rest.get(at + 1..).unwrap_or_default();
                let (code, len) = if let Some(braced) = after.strip_prefix('{') {
                    let end = braced
                        .find('}')
                        .ok_or_else(|| format!("`%{{` without `}}` in format field `{token}`"))?;
                    (braced.get(..end).unwrap_or_default(), end + 2)
                } else {
                    // The longest known code at this point.
                    let found = CODES
                        .iter()
                        .filter(|(c, _)| after.starts_with(c))
                        .max_by_key(|(c, _)| c.len())
                        .map(|(c, _)| *c)
                        .ok_or_else(|| unknown(after))?;
                    (found, found.len())
                };
                let field = CODES
                    .iter()
                    .find(|(c, _)| *c == code)
                    .map(|(_, f)| *f)
                    .ok_or_else(|| unknown(code))?;
                if matches!(pieces.last(), Some(Piece::Code(_))) {
                    return Err(format!(
                        "format field `{token}` has two codes with nothing between them; Squid could not separate their values"
                    ));
                }
                pieces.push(Piece::Code(field));
                rest = after.get(len..).unwrap_or_default();
            }
            fields.push(pieces);
        }
        let urls = fields
            .iter()
            .flatten()
            .filter(|p| **p == Piece::Code(Field::Url))
            .count();
        if urls != 1 {
            return Err(format!(
                "the format must have the request URL (`%URI`) exactly once; `{text}` has it {urls} times"
            ));
        }
        Ok(LineFormat { fields })
    }

    /// The fields of `line` (`-` is an absent value).
    pub(crate) fn read<'a>(&self, line: &'a str) -> LineFields<'a> {
        // Two passes over the tokens rather than a vector of them: no
        // allocation per line.
        let count = line.split_ascii_whitespace().count();
        let mut tokens = line.split_ascii_whitespace().peekable();
        let mut out = LineFields::default();
        let numeric = tokens
            .peek()
            .is_some_and(|t| t.bytes().all(|b| b.is_ascii_digit()));
        // A channel id before the fields, or alone (a channel id with no
        // request after it).
        if numeric && (count > self.fields.len() || (count == 1 && self.fields.len() == 1)) {
            out.channel = tokens.next();
        }
        for (pieces, token) in self.fields.iter().zip(tokens) {
            let mut rest = token;
            let mut iter = pieces.iter().peekable();
            while let Some(piece) = iter.next() {
                match piece {
                    Piece::Literal(l) => {
                        rest = rest.strip_prefix(l.as_str()).unwrap_or(rest);
                    }
                    Piece::Code(field) => {
                        let value = match iter.peek() {
                            Some(Piece::Literal(next)) => match rest.find(next.as_str()) {
                                Some(end) => {
                                    let v = rest.get(..end).unwrap_or_default();
                                    rest = rest.get(end..).unwrap_or_default();
                                    v
                                }
                                None => std::mem::take(&mut rest),
                            },
                            _ => std::mem::take(&mut rest),
                        };
                        if value.is_empty() || value == "-" {
                            continue;
                        }
                        match field {
                            Field::Url => out.url = Some(value),
                            Field::ClientIp => {
                                out.client_ip = value
                                    .trim_start_matches('[')
                                    .trim_end_matches(']')
                                    .parse()
                                    .ok();
                            }
                            Field::User => out.user = Some(unquote(value)),
                            Field::Other => {}
                        }
                    }
                }
            }
        }
        out
    }
}

fn unknown(code: &str) -> String {
    let shown: String = code.chars().take(20).collect();
    format!(
        "unknown format code `%{shown}`; use the squid.conf codes this helper reads: %URI, %>a, %un, %LOGIN, %ul, %ue, %>rm (others: %>A, %>rd, %PROTO, %la, %lp, ...)"
    )
}

/// `%XX` escapes decoded (Squid URL-quotes user names); bytes that do not
/// decode to UTF-8 are kept as written.
fn unquote(value: &str) -> std::borrow::Cow<'_, str> {
    if !value.contains('%') {
        return std::borrow::Cow::Borrowed(value);
    }
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = |j: usize| bytes.get(j).and_then(|c| char::from(*c).to_digit(16));
        match (b, hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    std::borrow::Cow::Owned(String::from_utf8(out).unwrap_or_else(|_| value.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (name, format, line, channel, url, client ip, user)
    type Case<'a> = (
        &'a str,
        &'a LineFormat,
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
    );

    #[test]
    fn formats_and_lines() {
        let acl = LineFormat::parse("%>a %LOGIN %URI").unwrap();
        let rewrite = LineFormat::default_for(true);
        let url_only = LineFormat::default_for(false);
        let cases: &[Case<'_>] = &[
            (
                "acl with channel",
                &acl,
                "3 127.0.0.2 - http://a.test/",
                Some("3"),
                Some("http://a.test/"),
                Some("127.0.0.2"),
                None,
            ),
            (
                "acl quoted user",
                &acl,
                "127.0.0.3 J%20Smith http://a.test/",
                None,
                Some("http://a.test/"),
                Some("127.0.0.3"),
                Some("J Smith"),
            ),
            (
                "acl v6 client",
                &acl,
                "0 ::1 alice http://a.test/",
                Some("0"),
                Some("http://a.test/"),
                Some("::1"),
                Some("alice"),
            ),
            (
                "acl numeric user is not a channel",
                &acl,
                "10.0.0.1 12345 http://a.test/",
                None,
                Some("http://a.test/"),
                Some("10.0.0.1"),
                Some("12345"),
            ),
            (
                "rewrite default line",
                &rewrite,
                "http://a.test/ 10.0.0.5/- - GET myip=127.0.0.1 myport=3128",
                None,
                Some("http://a.test/"),
                Some("10.0.0.5"),
                None,
            ),
            (
                "rewrite with channel and user",
                &rewrite,
                "7 http://a.test/ 10.0.0.5/pc.school bob GET myip=1 myport=2",
                Some("7"),
                Some("http://a.test/"),
                Some("10.0.0.5"),
                Some("bob"),
            ),
            (
                "rewrite pre-3.5 line",
                &rewrite,
                "http://a.test/ 10.0.0.5/- alice GET",
                None,
                Some("http://a.test/"),
                Some("10.0.0.5"),
                Some("alice"),
            ),
            (
                "url only",
                &url_only,
                "http://a.test/",
                None,
                Some("http://a.test/"),
                None,
                None,
            ),
            (
                "url only with channel",
                &url_only,
                "12 http://a.test/ extra",
                Some("12"),
                Some("http://a.test/"),
                None,
                None,
            ),
            (
                "channel alone",
                &url_only,
                "12",
                Some("12"),
                None,
                None,
                None,
            ),
            ("empty", &acl, "", None, None, None, None),
            (
                "bad address is unknown",
                &acl,
                "nonsense - http://a.test/",
                None,
                Some("http://a.test/"),
                None,
                None,
            ),
        ];
        for (name, format, line, channel, url, ip, user) in cases {
            let got = format.read(line);
            assert_eq!(got.channel, *channel, "{name}");
            assert_eq!(got.url, *url, "{name}");
            assert_eq!(got.client_ip, ip.map(|i| i.parse().unwrap()), "{name}");
            assert_eq!(got.user.as_deref(), *user, "{name}");
        }
    }

    #[test]
    fn bad_formats_are_refused() {
        let cases = [
            ("unknown code", "%URI %LOGN", "unknown format code `%LOGN`"),
            ("no url", "%>a %un", "exactly once"),
            ("two urls", "%URI %>ru", "exactly once"),
            (
                "codes touching",
                "%URI %>a%un",
                "two codes with nothing between them",
            ),
            ("open brace", "%URI %{un", "without `}`"),
        ];
        for (name, format, want) in cases {
            let err = LineFormat::parse(format).unwrap_err();
            assert!(err.contains(want), "{name}: {err}");
        }
        assert!(LineFormat::parse("%{URI} myip=%la").is_ok());
    }
}
