//! Guessing the format of a list from its content.
//!
//! The guess reads the first 1,000 lines that are neither blank nor `#`
//! comments. Strong markers decide at once: an Adblock header
//! (`[Adblock Plus 2.0]`, any `[…]` first line but an IPv6 address) means
//! [`Format::Adblock`]; an e2guardian `#listcategory:` or `.Include<…>`
//! means one of the e2guardian site or URL formats. Otherwise each line
//! votes: `||`, `@@`, `!` and cosmetic rules for Adblock; `ADDRESS HOST`
//! for hosts; 64 hex digits for IWF; anything else for plain. The largest
//! vote wins; ties go to the more specific format (Adblock, hosts, IWF,
//! plain).
//!
//! Content never makes a list a regular-expression list
//! ([`Format::SquidGuardExpressions`], [`Format::E2Regexp`]): a URL with
//! `?`, `+` or `( )` (`badsite.example/search?q=free+bets`,
//! `casino.example/promo(1).html`) looks like one, and read as a pattern
//! it would stop blocking its page and start matching others (`.` is any
//! byte, patterns are unanchored). Those formats come only from the file
//! name (`expressions`, `bannedregexpurllist`) or an explicit
//! `FORMAT:PATH`; `esafety compile` names the format it read each list in.
//!
//! squidGuard `domains` files read the same as plain lists; `urls` files do
//! not (a plain `host/page` is one page, a squidGuard one a prefix), so a
//! caller that has the file's name should use [`detect_file`], which
//! takes the squidGuard, UT1 and e2guardian file names first.

use std::net::IpAddr;

use super::Format;
use super::iwf::parse_digest;

/// How many entry lines the guess reads.
const SAMPLE_LINES: usize = 1000;

/// What one line looks like.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Vote {
    Adblock,
    Hosts,
    Digest,
    Plain,
}

/// `text` without a leading bracketed IPv6 host (`[2001:db8::1]`, after an
/// optional `scheme://`); `None` when it has none.
fn without_ipv6_host(text: &str) -> Option<&str> {
    let rest = text.split_once("://").map_or(text, |(_, rest)| rest);
    let inner = rest.strip_prefix('[')?;
    let (address, after) = inner.split_once(']')?;
    address.parse::<std::net::Ipv6Addr>().ok()?;
    Some(after)
}

fn vote(text: &str) -> Vote {
    if text.starts_with("||")
        || text.starts_with("@@")
        || text.starts_with('!')
        || text.contains("##")
        || text.contains("#@#")
        || text.ends_with('^')
        || text.contains("^$")
    {
        return Vote::Adblock;
    }
    let mut tokens = text.split_whitespace();
    if tokens.next().is_some_and(|a| a.parse::<IpAddr>().is_ok()) && tokens.next().is_some() {
        return Vote::Hosts;
    }
    if parse_digest(text).is_some() {
        return Vote::Digest;
    }
    Vote::Plain
}

/// Guesses the format of a list from its bytes.
///
/// Reads the first 1,000 lines that are neither blank nor `#` comments. A
/// first line in brackets (`[Adblock Plus 2.0]`, but not an IPv6 address
/// such as `[2001:db8::1]`) means [`Format::Adblock`]; an e2guardian
/// `#listcategory:` or `.Include<…>` means [`Format::E2Url`] or
/// [`Format::E2Site`] (by whether most lines have a path). Otherwise each
/// line votes: `||`, `@@`, `!`, `##` and `^` for Adblock, `ADDRESS HOST`
/// for hosts, 64 hex digits for IWF, anything else for plain; the largest
/// vote wins, ties go to the more specific format.
///
/// Never a regular-expression format (a regex format changes what every
/// line means, so it is never guessed from the content). A list
/// of expressions must be named `expressions` or `bannedregexpurllist`,
/// or given as `squidguard-expressions:PATH` or `e2guardian-regexp:PATH`.
///
/// A squidGuard `domains` file reads the same as a plain list, but a
/// `urls` file does not (a plain `host/page` is one page, a squidGuard one
/// a prefix): a caller that knows a file comes from a squidGuard folder
/// should use [`detect_file`].
///
/// Never fails: an empty or unrecognisable list is [`Format::Plain`].
///
/// ```
/// use esafety::lists::{detect, Format};
/// assert_eq!(detect(b"[Adblock Plus 2.0]\n||ads.example^\n"), Format::Adblock);
/// assert_eq!(detect(b"0.0.0.0 ads.example\n0.0.0.0 track.example\n"), Format::Hosts);
/// assert_eq!(detect(b"#listcategory: \"Ads\"\nads.example\n"), Format::E2Site);
/// assert_eq!(detect(b"ads.example\ntrack.example/pixel\n"), Format::Plain);
/// assert_eq!(detect(b"[2001:db8::1]\nads.example\n"), Format::Plain);
/// // URLs with `?`, `+` and `( )` stay URLs.
/// assert_eq!(detect(b"badsite.example/search?q=free+bets\ncasino.example/promo(1).html\n"), Format::Plain);
/// ```
pub fn detect(bytes: &[u8]) -> Format {
    let text = String::from_utf8_lossy(bytes.get(..1 << 20).unwrap_or(bytes));
    let mut lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .peekable();
    if lines.peek().is_some_and(|first| {
        first.starts_with('[') && first.ends_with(']') && without_ipv6_host(first).is_none()
    }) {
        return Format::Adblock;
    }
    let mut e2 = false;
    let mut counts = [0usize; 4];
    let mut e2_counts = [0usize; 2];
    for line in lines {
        let lower = line.get(..14).unwrap_or(line).to_ascii_lowercase();
        if lower.starts_with("#listcategory:") || lower.starts_with(".include<") {
            e2 = true;
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let v = vote(line);
        let i = match v {
            Vote::Adblock => 0,
            Vote::Hosts => 1,
            Vote::Digest => 2,
            Vote::Plain => 3,
        };
        if let Some(c) = counts.get_mut(i) {
            *c = c.saturating_add(1);
        }
        let j = usize::from(super::canon::has_path(line));
        if let Some(c) = e2_counts.get_mut(j) {
            *c = c.saturating_add(1);
        }
        if counts.iter().sum::<usize>() >= SAMPLE_LINES {
            break;
        }
    }
    if e2 {
        return match argmax(&e2_counts, 0) {
            1 => Format::E2Url,
            _ => Format::E2Site,
        };
    }
    match argmax(&counts, 3) {
        0 => Format::Adblock,
        1 => Format::Hosts,
        2 => Format::Iwf,
        _ => Format::Plain,
    }
}

/// The format of a list file: what its name says when it is a squidGuard,
/// UT1 or e2guardian file name ([`Format::from_file_name`]), else what its
/// content looks like ([`detect`]).
///
/// ```
/// use esafety::lists::{detect_file, Format};
/// let urls = b"badsite.example/videos\n";
/// // In a UT1 `urls` file the line is a prefix: everything under /videos/.
/// assert_eq!(detect_file("blacklists/adult/urls", urls), Format::SquidGuardUrls);
/// // Under any other name it reads as a plain list.
/// assert_eq!(detect_file("my-list.txt", urls), Format::Plain);
/// // An e2guardian list of only includes has no line to vote on.
/// let e2 = b"#listcategory: \"Pornography\"\n.Include<blacklists/porn/urls>\n";
/// assert_eq!(detect_file("lists/bannedurllist", e2), Format::E2Url);
/// ```
pub fn detect_file(path: &str, bytes: &[u8]) -> Format {
    Format::from_file_name(path).unwrap_or_else(|| detect(bytes))
}

/// The index of the largest count; the first on a tie; `default` when all
/// are zero.
fn argmax(counts: &[usize], default: usize) -> usize {
    let mut best = default;
    let mut best_count = 0;
    for (i, &c) in counts.iter().enumerate() {
        if c > best_count {
            best = i;
            best_count = c;
        }
    }
    best
}
