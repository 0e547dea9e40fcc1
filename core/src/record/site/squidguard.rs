//! Importing the `src` blocks of a squidGuard configuration as a site file.
//!
//! squidGuard (1.4–1.6, `sg.y` and `sgDiv.c`) reads, inside
//! `src NAME { … }` (or `source`):
//!
//! - `ip` values: a host `10.0.0.7`, a CIDR range `10.0.0.0/24`, a netmask
//!   range `10.0.0.0/255.255.255.0` and a span `10.0.0.10-10.0.0.20`;
//! - `iplist FILE`: the same values, separated by spaces, tabs or commas,
//!   `#` comments; relative to `dbhome`;
//! - `user` names, lowercased;
//! - `userlist FILE`: names separated by spaces, tabs or commas, or one
//!   `name:…` per line (a passwd-style file), lowercased; `#` comments.
//!
//! A block matches when its address test and its user test both hold (a
//! test the block does not have holds); the first block in the file that
//! matches decides. The site file means the same, so each block becomes
//! one `[[clients]]` entry, in order, with `group` the block's name. A span
//! becomes the CIDR ranges that cover exactly it.
//!
//! What a site file cannot say is refused with the line (a rule that cannot
//! be applied is an error): `within`/`outside` (time-bound sources),
//! `domain` (client DNS names), `group`/`netgroup` (Unix groups),
//! `ldapusersearch`, `ldapipsearch`, `execuserlist`, `userquota`. Log
//! settings (`log`, `logfile`) say nothing about who a client is and are
//! skipped.
//!
//! Differences from squidGuard itself: squidGuard compares the name Squid
//! sends, as sent, with its lowercased names, so `Alice` never matches any
//! `user`; a site file compares ignoring ASCII case, so `Alice` matches
//! `alice`. squidGuard reads only IPv4 addresses.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr};

use super::Cidr;

/// Why a squidGuard configuration cannot be imported.
///
/// ```
/// use esafety::record::site::{ImportError, import_squidguard};
///
/// let conf = "src lunch within lunchtime {\n  ip 10.0.0.0/8\n}\n";
/// let err = import_squidguard("squidGuard.conf", conf, "school", |_| Err("no files".into())).unwrap_err();
/// assert!(matches!(err, ImportError::Unsupported { line: 1, .. }));
/// assert!(err.to_string().starts_with("squidGuard.conf:1: `within` in src `lunch` cannot be expressed in a site file"), "{err}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// A statement the site file cannot express.
    #[error(
        "{source_name}:{line}: `{keyword}` in src `{src}` cannot be expressed in a site file; {help}"
    )]
    Unsupported {
        /// The configuration's (or list's) name.
        source_name: String,
        /// The 1-based line.
        line: usize,
        /// The src block.
        src: String,
        /// The statement.
        keyword: String,
        /// What to do.
        help: String,
    },
    /// A value that is not what squidGuard reads.
    #[error("{source_name}:{line}: {message}")]
    Invalid {
        /// The configuration's (or list's) name.
        source_name: String,
        /// The 1-based line.
        line: usize,
        /// What is wrong and what to do.
        message: String,
    },
    /// An `iplist` or `userlist` file that could not be read.
    #[error("{source_name}:{line}: cannot read `{path}`: {reason}")]
    ListFile {
        /// The configuration's name.
        source_name: String,
        /// The 1-based line of the statement.
        line: usize,
        /// The file as resolved against `dbhome`.
        path: String,
        /// What the reader said.
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    Open,
    Close,
}

/// squidGuard's tokens with their lines: `#` starts a comment, `{` and `}`
/// stand alone, `"…"` quotes a word, spaces, tabs, commas and carriage
/// returns separate.
fn tokens(text: &str) -> Vec<(usize, Token)> {
    let mut out = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let mut chars = raw.chars().peekable();
        let mut word = String::new();
        let flush = |word: &mut String, out: &mut Vec<(usize, Token)>| {
            if !word.is_empty() {
                out.push((line, Token::Word(std::mem::take(word))));
            }
        };
        while let Some(c) = chars.next() {
            match c {
                '#' => break,
                '{' | '}' => {
                    flush(&mut word, &mut out);
                    out.push((line, if c == '{' { Token::Open } else { Token::Close }));
                }
                '"' => {
                    flush(&mut word, &mut out);
                    for q in chars.by_ref() {
                        if q == '"' {
                            break;
                        }
                        word.push(q);
                    }
                    out.push((line, Token::Word(std::mem::take(&mut word))));
                }
                ' ' | '\t' | ',' | '\r' => flush(&mut word, &mut out),
                c => word.push(c),
            }
        }
        flush(&mut word, &mut out);
    }
    out
}

/// One src block as read.
struct Source {
    name: String,
    line: usize,
    ranges: Vec<Cidr>,
    users: Vec<String>,
    has_ip: bool,
    has_user: bool,
}

/// The CIDR ranges of one squidGuard address value.
fn ranges_of(value: &str) -> Result<Vec<Cidr>, String> {
    let ip4 = |s: &str| {
        s.parse::<Ipv4Addr>()
            .map_err(|_| format!("`{s}` is not an IPv4 address (squidGuard reads IPv4 only)"))
    };
    if let Some((start, end)) = value.split_once('-') {
        let (a, b) = (ip4(start)?, ip4(end)?);
        if a > b {
            return Err(format!(
                "the span `{value}` ends before it starts; write the lower address first"
            ));
        }
        return Ok(ipnet::Ipv4Subnets::new(a, b, 0)
            .map(|n| Cidr::truncated(IpAddr::V4(n.network()), n.prefix_len()))
            .collect::<Option<Vec<_>>>()
            .unwrap_or_default());
    }
    if let Some((address, mask)) = value.split_once('/') {
        let ip = ip4(address)?;
        let prefix = if mask.contains('.') {
            let m = u32::from(ip4(mask)?);
            let ones = m.leading_ones();
            if m.checked_shl(ones).unwrap_or(0) != 0 {
                return Err(format!(
                    "the netmask `{mask}` is not contiguous; write the range as CIDR"
                ));
            }
            u8::try_from(ones).unwrap_or(32)
        } else {
            mask.parse::<u8>()
                .ok()
                .filter(|p| *p <= 32)
                .ok_or_else(|| format!("`{value}` has a prefix that is not 0 to 32"))?
        };
        // squidGuard masks the address with the prefix.
        return Cidr::truncated(IpAddr::V4(ip), prefix)
            .map(|c| vec![c])
            .ok_or_else(|| format!("`{value}` is not an address range"));
    }
    Ok(vec![Cidr::host(IpAddr::V4(ip4(value)?))])
}

/// The address values of an `iplist` file: tokens separated by spaces, tabs
/// and commas, each cut to its leading `0-9 . / -` characters; `#` starts a
/// comment.
fn iplist_values(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line_text = line.split('#').next().unwrap_or_default();
        for token in line_text
            .split([' ', '\t', ',', '\r'])
            .filter(|t| !t.is_empty())
        {
            let cut: String = token
                .chars()
                .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | '/' | '-'))
                .collect();
            if cut.is_empty() {
                break;
            }
            out.push((index + 1, cut));
        }
    }
    out
}

/// The names of a `userlist` file (lowercased).
fn userlist_names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') {
            continue;
        }
        if let Some((name, _)) = line.split_once(':') {
            let name = name.trim();
            if !name.is_empty() {
                out.push(name.to_ascii_lowercase());
            }
            continue;
        }
        let line = line.split('#').next().unwrap_or_default();
        out.extend(
            line.split([' ', '\t', ',', '\r'])
                .filter(|t| !t.is_empty())
                .map(str::to_ascii_lowercase),
        );
    }
    out
}

const UNSUPPORTED: &[(&str, &str)] = &[
    (
        "within",
        "remove the time condition, or put the time rule into the policy (`days`, `times`)",
    ),
    (
        "outside",
        "remove the time condition, or put the time rule into the policy (`days`, `times`)",
    ),
    (
        "domain",
        "list the clients' addresses (`ip`) instead of their DNS names",
    ),
    (
        "group",
        "list the group's members as `user` names (or a `userlist`)",
    ),
    (
        "netgroup",
        "list the netgroup's members as `user` names (or a `userlist`)",
    ),
    (
        "ldapusersearch",
        "export the users to a `userlist` file first",
    ),
    (
        "ldapipsearch",
        "export the addresses to an `iplist` file first",
    ),
    (
        "execuserlist",
        "run the command once and save its output as a `userlist` file",
    ),
    ("userquota", "quotas are not supported; remove it"),
];

/// Reads the `src` blocks of a squidGuard configuration and writes the site
/// file (TOML) that identifies the same clients, in the same order, each
/// entry's `group` the block's name. `read` returns the text of an `iplist`
/// or `userlist` file given its path (resolved against `dbhome` as
/// squidGuard does); `site` is the site's name.
///
/// ```
/// use esafety::record::site::{Site, import_squidguard};
///
/// let conf = r#"
/// dbhome /var/lib/squidguard/db
/// src staff {
///     user  Alice bob
/// }
/// src pupils {
///     ip     10.0.0.0/255.255.0.0 10.1.0.10-10.1.0.13
///     iplist lists/labs
/// }
/// acl { default { pass all } }
/// "#;
/// let files = |path: &str| match path {
///     "/var/lib/squidguard/db/lists/labs" => Ok("10.9.0.0/24 # lab\n".to_owned()),
///     other => Err(format!("no file {other}")),
/// };
/// let toml = import_squidguard("squidGuard.conf", conf, "example-school", files)?;
/// let site = Site::from_toml_str("site.toml", &toml)?;
/// assert_eq!(site.clients()[0].users(), ["alice", "bob"]);
/// let ranges: Vec<String> = site.clients()[1].ranges().iter().map(|r| r.to_string()).collect();
/// assert_eq!(ranges, ["10.0.0.0/16", "10.1.0.10/31", "10.1.0.12/31", "10.9.0.0/24"]);
/// assert_eq!(site.resolve(Some("10.9.0.4".parse()?), None).and_then(|c| c.group()), Some("pupils"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`ImportError`] naming the file and line: a statement a site file cannot
/// express, an address squidGuard would not read, a list file that cannot
/// be read, a block name that is not a group id.
pub fn import_squidguard(
    source: &str,
    text: &str,
    site: &str,
    mut read: impl FnMut(&str) -> Result<String, String>,
) -> Result<String, ImportError> {
    let tokens = tokens(text);
    let mut dbhome = String::from("/var/lib/squidguard/db");
    let mut sources: Vec<Source> = Vec::new();
    let invalid = |line: usize, message: String| ImportError::Invalid {
        source_name: source.to_owned(),
        line,
        message,
    };
    let mut i = 0;
    while let Some((line, token)) = tokens.get(i) {
        let line = *line;
        i += 1;
        let Token::Word(word) = token else {
            if *token == Token::Open {
                i = skip_block(&tokens, i);
            }
            continue;
        };
        match word.as_str() {
            "dbhome" => {
                if let Some((_, Token::Word(path))) = tokens.get(i) {
                    dbhome = path.trim_end_matches('/').to_owned();
                    i += 1;
                }
            }
            "src" | "source" => {
                let Some((_, Token::Word(name))) = tokens.get(i) else {
                    return Err(invalid(
                        line,
                        "`src` without a name; write `src NAME { … }`".to_owned(),
                    ));
                };
                i += 1;
                // `src NAME within TIME {`
                if let Some((_, Token::Word(k))) = tokens.get(i)
                    && (k == "within" || k == "outside")
                {
                    return Err(unsupported(source, line, name, k));
                }
                if tokens.get(i).map(|t| &t.1) != Some(&Token::Open) {
                    return Err(invalid(line, format!("src `{name}` has no `{{` block")));
                }
                i += 1;
                let mut block = Source {
                    name: name.clone(),
                    line,
                    ranges: Vec::new(),
                    users: Vec::new(),
                    has_ip: false,
                    has_user: false,
                };
                let mut statement: Option<&str> = None;
                loop {
                    let Some((at, token)) = tokens.get(i) else {
                        return Err(invalid(
                            line,
                            format!("src `{name}` is not closed; add `}}`"),
                        ));
                    };
                    let at = *at;
                    i += 1;
                    let value = match token {
                        Token::Close => break,
                        Token::Open => {
                            return Err(invalid(at, format!("unexpected `{{` in src `{name}`")));
                        }
                        Token::Word(w) => w.as_str(),
                    };
                    if let Some(&(k, _)) = UNSUPPORTED.iter().find(|(k, _)| *k == value) {
                        return Err(unsupported(source, at, name, k));
                    }
                    match value {
                        "ip" | "iplist" | "user" | "userlist" | "log" | "logfile" => {
                            statement = Some(match value {
                                "ip" => "ip",
                                "iplist" => "iplist",
                                "user" => "user",
                                "userlist" => "userlist",
                                _ => "log",
                            });
                            if value.starts_with("ip") {
                                block.has_ip = true;
                            } else if value.starts_with("user") {
                                block.has_user = true;
                            }
                            continue;
                        }
                        _ => {}
                    }
                    match statement {
                        Some("ip") => block.ranges.extend(
                            ranges_of(value)
                                .map_err(|e| invalid(at, format!("{e}, in src `{name}`")))?,
                        ),
                        Some("user") => block.users.push(value.to_ascii_lowercase()),
                        Some(kind @ ("iplist" | "userlist")) => {
                            let path = if value.starts_with('/') {
                                value.to_owned()
                            } else {
                                format!("{dbhome}/{value}")
                            };
                            let contents = read(&path).map_err(|reason| ImportError::ListFile {
                                source_name: source.to_owned(),
                                line: at,
                                path: path.clone(),
                                reason,
                            })?;
                            if kind == "iplist" {
                                for (list_line, v) in iplist_values(&contents) {
                                    block.ranges.extend(ranges_of(&v).map_err(|e| {
                                        ImportError::Invalid {
                                            source_name: path.clone(),
                                            line: list_line,
                                            message: e,
                                        }
                                    })?);
                                }
                            } else {
                                block.users.extend(userlist_names(&contents));
                            }
                            statement = None;
                        }
                        Some(_) => {} // log file names
                        None => {
                            return Err(invalid(
                                at,
                                format!(
                                    "unknown statement `{value}` in src `{name}`; squidGuard reads `ip`, `iplist`, `user`, `userlist` there"
                                ),
                            ));
                        }
                    }
                }
                if !block.has_ip && !block.has_user {
                    // squidGuard sets such a block inactive ("missing active content").
                    continue;
                }
                sources.push(block);
            }
            _ => {}
        }
    }
    write_site(site, source, &sources)
}

fn unsupported(source: &str, line: usize, src: &str, keyword: &str) -> ImportError {
    let help = UNSUPPORTED
        .iter()
        .find(|(k, _)| *k == keyword)
        .map_or("remove it", |(_, h)| h);
    ImportError::Unsupported {
        source_name: source.to_owned(),
        line,
        src: src.to_owned(),
        keyword: keyword.to_owned(),
        help: help.to_owned(),
    }
}

/// The index after the block whose `{` was just read.
fn skip_block(tokens: &[(usize, Token)], mut i: usize) -> usize {
    let mut depth = 1usize;
    while let Some((_, t)) = tokens.get(i) {
        i += 1;
        match t {
            Token::Open => depth += 1,
            Token::Close => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            Token::Word(_) => {}
        }
    }
    i
}

/// A TOML basic string: a JSON string is one (TOML's escapes are a superset
/// of the ones `serde_json` writes: `\\`, `\"`, `\n`, `\t`, `\uXXXX`, ...).
fn quoted(s: &str) -> String {
    serde_json::Value::String(s.to_owned()).to_string()
}

fn write_site(site: &str, source: &str, sources: &[Source]) -> Result<String, ImportError> {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Imported from the src blocks of {source}: one entry per block, in order."
    );
    let _ = writeln!(
        out,
        "# Add `policy`, `age` and `device` to each entry as they apply."
    );
    let _ = writeln!(out, "site = {}", quoted(site));
    let mut seen: HashMap<String, usize> = HashMap::new();
    for s in sources {
        let group = s.name.to_ascii_lowercase();
        if crate::policy::Ident::new(&group).is_err() {
            return Err(ImportError::Invalid {
                source_name: source.to_owned(),
                line: s.line,
                message: format!(
                    "the src name `{}` cannot be a group id; rename the block with lowercase letters, digits, `-`, `_` or `.`",
                    s.name
                ),
            });
        }
        if s.has_ip && s.ranges.is_empty() || s.has_user && s.users.is_empty() {
            return Err(ImportError::Invalid {
                source_name: source.to_owned(),
                line: s.line,
                message: format!(
                    "src `{}` has an `ip`/`iplist` or `user`/`userlist` that lists nothing, so it can never match; remove the statement or fill the list",
                    s.name
                ),
            });
        }
        if let Some(first) = seen.insert(group.clone(), s.line) {
            return Err(ImportError::Invalid {
                source_name: source.to_owned(),
                line: s.line,
                message: format!(
                    "src `{}` is defined twice (first on line {first}); squidGuard refuses that too",
                    s.name
                ),
            });
        }
        let _ = writeln!(out, "\n# src {} ({source}:{})", s.name, s.line);
        let _ = writeln!(out, "[[clients]]");
        if s.has_ip {
            let mut ranges: Vec<String> = Vec::with_capacity(s.ranges.len());
            for r in &s.ranges {
                let text = r.to_string();
                if !ranges.contains(&text) {
                    ranges.push(text);
                }
            }
            let items: Vec<String> = ranges.iter().map(|r| quoted(r)).collect();
            let _ = writeln!(out, "ip = [{}]", items.join(", "));
        }
        if s.has_user {
            let mut users: Vec<&str> = Vec::new();
            for u in &s.users {
                if !users.contains(&u.as_str()) {
                    users.push(u);
                }
            }
            let items: Vec<String> = users.iter().map(|u| quoted(u)).collect();
            let _ = writeln!(out, "user = [{}]", items.join(", "));
        }
        let _ = writeln!(out, "group = {}", quoted(&group));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_values_as_squidguard_reads_them() {
        let cases: &[(&str, &str, &[&str])] = &[
            ("host", "10.0.0.7", &["10.0.0.7/32"]),
            ("cidr", "10.0.0.0/24", &["10.0.0.0/24"]),
            (
                "cidr with host bits is masked",
                "10.0.0.9/24",
                &["10.0.0.0/24"],
            ),
            ("netmask", "10.0.0.0/255.255.255.128", &["10.0.0.0/25"]),
            (
                "span",
                "10.0.0.1-10.0.0.6",
                &["10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32"],
            ),
            ("one-address span", "10.0.0.1-10.0.0.1", &["10.0.0.1/32"]),
        ];
        for (name, value, want) in cases {
            let got: Vec<String> = ranges_of(value)
                .unwrap()
                .iter()
                .map(|c| c.to_string())
                .collect();
            assert_eq!(got, *want, "{name}");
        }
        for bad in [
            "10.0.0.0/33",
            "10.0.0.0/255.0.255.0",
            "10.0.0.9-10.0.0.1",
            "::1",
            "host",
        ] {
            assert!(ranges_of(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn list_files_as_squidguard_reads_them() {
        let ips = iplist_values("# labs\n10.0.0.0/24, 10.0.1.0/24 # two\n10.0.2.5\tjunk\n");
        let ips: Vec<&str> = ips.iter().map(|(_, v)| v.as_str()).collect();
        assert_eq!(ips, ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.5"]);
        let users =
            userlist_names("# staff\nAlice bob,carol\ndave:x:1000:1000::/home/dave:/bin/sh\n");
        assert_eq!(users, ["alice", "bob", "carol", "dave"]);
    }
}
