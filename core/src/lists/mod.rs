//! Parsers for the list formats filtering vendors already hold.
//!
//! Every parser turns the bytes of one list file into [`Entry`] values in
//! canonical form, so that list entries and lookups agree: hosts and URLs go
//! through the same Safe Browsing canonicalization ([`crate::url`]) as the
//! URLs that are later classified.
//!
//! # Formats
//!
//! | [`Format`] | id | a line |
//! |---|---|---|
//! | [`Format::Plain`] | `plain` | a domain, URL or URL prefix; `#` comments |
//! | [`Format::Hosts`] | `hosts` | `0.0.0.0 host [host…]`; `localhost` names are ignored |
//! | [`Format::Adblock`] | `adblock` | `\|\|host^`, `\|\|host/path`; all other Adblock syntax is counted in [`ParsedList::ignored`] |
//! | [`Format::SquidGuardDomains`] | `squidguard-domains` | a domain (squidGuard / UT1 `domains` file) |
//! | [`Format::SquidGuardUrls`] | `squidguard-urls` | `host/path`, a URL prefix (`urls` file) |
//! | [`Format::SquidGuardExpressions`] | `squidguard-expressions` | a regular expression (`expressions` file) |
//! | [`Format::E2Site`] | `e2guardian-site` | a domain (`bannedsitelist`), `.Include<path>`, `#listcategory: "name"` |
//! | [`Format::E2Url`] | `e2guardian-url` | `host/path`, a URL prefix (`bannedurllist`) |
//! | [`Format::E2Regexp`] | `e2guardian-regexp` | a regular expression (`bannedregexpurllist`) |
//! | [`Format::Iwf`] | `iwf` | a URL, or the 64-hex SHA-256 digest of a canonical lookup expression |
//!
//! Blank lines and comments are neither entries nor skipped lines. A line
//! that cannot be read (not UTF-8, too long, not a host, a bad regex, …) is
//! a [`SkippedLine`] naming the file, the line and the reason; with
//! [`ParseOptions::strict`] the first one is an [`Err`] instead. A bad line
//! never aborts silently and never panics.
//!
//! # How each format is read
//!
//! - **plain**: a bare host (`example.com`, `*.example.com`, `.example.com`)
//!   or a URL whose path is `/` with no query (`http://example.com/`) is a
//!   domain; `host/dir/` (a path ending in `/`, no query) is a URL prefix;
//!   anything else (`host/page.html`, `host/dir?q=1`) is one exact page. A
//!   scheme is optional, the port, userinfo and fragment are dropped. `#`
//!   starts a comment at the start of a line or after white space.
//! - **hosts**: `ADDRESS HOST [HOST…]` with any IPv4 or IPv6 address; each
//!   host is a domain; the machine's own names (`localhost`,
//!   `ip6-localhost`, `broadcasthost`, `0.0.0.0`, …) are counted in
//!   [`ParsedList::ignored`]. `#` starts a comment anywhere.
//! - **adblock**: `||host^` and `||host` are domains, also with only the
//!   options `$important`, `$all`, `$document` or `$doc`, which do not
//!   narrow the match; `||host/dir/` is a URL prefix; `||host/page^` is
//!   the page (any query) plus the prefix `host/page/` (`^` is a path
//!   boundary); any other `||host/path` (not ending in `/` or `^`, or with
//!   a query) is a string prefix, matching every URL that starts with it
//!   as Adblock's `||` does (`||qq.com/stats?` matches
//!   `tajs.qq.com/stats?sId=1`; a sensitive list reads it as `^`-ended);
//!   a line that is only a host name is a domain (as uBlock Origin reads
//!   hosts-style lines). Path rules ignore case; `$match-case` (alone or
//!   with the options above) keeps one exact. Everything else is counted in
//!   [`ParsedList::ignored`], never misread: cosmetic rules (`##`, `#@#`,
//!   `#?#`, `#$#`, `#%#`, `$$`), exceptions (`@@`), rules with any other
//!   option (`$third-party`, `$script`, `$domain=…` narrow a rule to some
//!   requests, which a page filter cannot honour), wildcard or partial hosts
//!   (`||ads.*^`, `||ads.`), paths with `*` or `^` inside, anchored
//!   (`|http://`) and `/regex/` rules, and substring patterns. `!` lines and
//!   a `[Adblock Plus 2.0]` header are comments.
//! - **squidGuard / UT1**: `domains` holds domains (a line with a path is
//!   skipped: move it to `urls`); `urls` holds `host[/path]` prefixes:
//!   `host/dir/` is that prefix, `host/page` is the page (any query) plus
//!   the prefix `host/page/` (so not `host/pagexyz`), `host` alone is the
//!   prefix `host/`, and `host/page?q` only that page with that query;
//!   `expressions` holds regular expressions, checked with regex-automata's
//!   syntax (POSIX features it lacks, such as backreferences, are skipped
//!   lines). Both ignore the case of the path, as squidGuard does (see
//!   "Path case" below).
//! - **e2guardian** (as e2guardian 5.3 matches them; the end-to-end test
//!   `core/tests/e2guardian_differential.rs` runs Debian's e2guardian
//!   beside esafety on the same lists and requests): `bannedsitelist`
//!   lines are domains (the host and every subdomain, IP hosts too);
//!   `bannedurllist` lines are `host/page` prefixes on a path boundary:
//!   the page, the pages below it, and the page followed by `?`, `&` or
//!   `=` (`/page?q`, `/page&x`, `/page=1`, never `/pagex`), on the host
//!   and every subdomain, a trailing `/` of the line ignored, case
//!   ignored; `bannedregexpurllist` lines are expressions matched,
//!   ignoring case, anywhere in the request without its scheme and with
//!   one trailing `/` chopped off it (`host/setup.exe/` is matched as
//!   `host/setup.exe`, the root `host/` as `host`), as e2guardian chops it
//!   before it applies expressions ([`EntryKind::E2guardianExpression`]),
//!   each line with a trailing `/` dropped as e2guardian drops it when it
//!   reads a list. `#listcategory: "Name"` sets [`ParsedList::list_category`];
//!   `.Include<path>` is followed by [`parse_with_includes`] (the included
//!   file is read as the same format, at most
//!   [`Limits::max_include_depth`](crate::Limits::max_include_depth) deep, at most
//!   [`Limits::max_include_files`](crate::Limits::max_include_files) files in all, below the
//!   including file's folder unless [`ParseOptions::allow_include_outside`]; cycles are an error); the
//!   blanket-block directives `**`, `**s`, `*ip`, `*ips` are policy, not
//!   entries, and counted in [`ParsedList::ignored`]. Where esafety
//!   deliberately answers otherwise than e2guardian (each a named case of
//!   the end-to-end test):
//!   - a site line with a leading dot (`.site.example`) is the domain and
//!     its subdomains; e2guardian keeps the dot and never matches it;
//!   - a URL line with `%XX` escapes (`host/caf%C3%A9`) is canonicalized
//!     like a request and blocks that page; e2guardian decodes requests
//!     but not lines, so such a line never matches there;
//!   - a request with `/./` is looked up as the browser sends it
//!     (`/a/./b` is `/a/b`); e2guardian resolves `..` and `//` but not
//!     `/./`, so there the line misses it;
//!   - a URL line with a scheme (`http://host/page`) is read without it;
//!     e2guardian strips only `ftp://` from lines, and never matches it;
//!   - a URL line with a `#fragment` is the page without it, and reported
//!     ([`ParsedList::fragment_lines`]); e2guardian keeps the fragment,
//!     which no request has, and never matches it.
//! - **iwf**: a URL is the exact page, its canonical `host/path?query`
//!   (`example.com` alone is `example.com/`, which every page of that host
//!   reaches through its lookup expressions); 64 hex digits (either case)
//!   are a digest as they are; a line of 32 or more hex digits that is not
//!   64 long is skipped.
//!
//! Every format skips a host that is not a DNS name (characters other than
//! letters, digits, `-` and `_`, labels over 63 bytes) and a non-IP host
//! with no dot (as a domain it would match a whole top-level domain or an
//! intranet name). Lines must be UTF-8 (a leading BOM and CRLF endings are
//! fine) and at most [`Limits::max_list_line_len`](crate::Limits::max_list_line_len) bytes.
//!
//! [`detect`] guesses the format from content; see its documentation.
//!
//! # Entries and how they match
//!
//! - [`EntryKind::Domain`] `example.com` matches that host and every
//!   subdomain, on a label boundary: `a.example.com`, never
//!   `notexample.com` or `example.com.evil.test`.
//! - [`EntryKind::Url`] `example.com/page` (IWF style) matches that page
//!   through the Safe Browsing lookup expressions: a listed `host/path`
//!   matches the page with any query or none, a listed `host/path?query`
//!   only with that query. It never widens to the domain or to other paths.
//! - [`EntryKind::UrlPrefix`] `example.com/dir/` matches everything below
//!   it on that host and its subdomains, at any depth (not only the first
//!   four path components that lookup expressions cover). The parsers
//!   always produce prefixes that end in `/`.
//! - [`EntryKind::UrlStringPrefix`] `example.com/track_` matches every URL
//!   on that host and its subdomains whose `host/path?query` starts with
//!   it as text, with no path boundary (`/track_pixel.gif`), as an Adblock
//!   `||host/path` pattern does.
//! - [`EntryKind::Regex`] matches [`CanonicalUrl::host_and_path_query`](crate::url::CanonicalUrl::host_and_path_query).
//! - [`EntryKind::UrlNoCase`], [`EntryKind::UrlPrefixNoCase`],
//!   [`EntryKind::UrlStringPrefixNoCase`] and [`EntryKind::RegexNoCase`]
//!   match like the four above, ignoring the ASCII case of the path and
//!   query (the host is lowercase anyway).
//!
//! # Path case
//!
//! Canonicalization keeps the case of a path (Safe Browsing does), so
//! what a list's path matches depends on its format:
//!
//! | formats | path case |
//! |---|---|
//! | squidGuard / UT1 `urls`, `expressions`; e2guardian URL and regexp lists | ignored: both lowercase the URL and their list keys before matching |
//! | Adblock path rules | ignored, as in Adblock Plus, uBlock Origin and adblock-rust, unless the rule has `$match-case` |
//! | plain | exact: the format is the project's own spelling of canonical lookup expressions and URL prefixes, as Safe Browsing and the IWF give them; list a case-ignoring path in a `urls` file instead |
//! | iwf, and every sensitive list whatever its format | exact: entries are digests of the expression as listed, which cannot be re-cased |
//!
//! Case-ignoring entries come out of the parsers with their path and query
//! lowercased ([`fold_case`]); the bundle stores them so and looks up a
//! request whose path has capitals a second time, folded, matching only
//! the case-ignoring entries there. Servers are often case-insensitive
//! (IIS), so `/VIDEOS/` reaches the page a list wrote as `/videos/`.
//! - [`EntryKind::Digest`] is the SHA-256 of a canonical lookup expression
//!   ([`expression_digest`]); it matches a URL one of whose lookup
//!   expressions has that digest.
//!
//! # Sensitive lists
//!
//! The IWF list and the police-assessed terrorism list must never exist in
//! plaintext outside the file they came in (DESIGN.md invariant 2). With
//! [`ParseOptions::sensitive`] every entry becomes an
//! [`EntryKind::Digest`] the moment it is parsed, and no skipped-line
//! reason, error or `Debug` output contains the text of a line.
//!
//! The digest rule, shared with the classifier through
//! [`expression_digest`]: SHA-256 over the UTF-8 bytes of the canonical
//! lookup expression, `host/path` or `host/path?query`, with no scheme,
//! no port, no userinfo and no fragment, exactly as
//! [`CanonicalUrl::expressions`](crate::url::CanonicalUrl::expressions)
//! spells it. A domain entry in a sensitive list becomes the digest of
//! `host/`, which the lookup expressions of every page on that host and its
//! subdomains include; a URL-prefix entry becomes the digest of its prefix,
//! which lookup expressions reach for prefixes up to four path components
//! deep. Regular expressions cannot be hashed, so a sensitive list rejects
//! them.

#[cfg(feature = "compile")]
mod adblock;
#[cfg(feature = "compile")]
mod canon;
mod chop;
#[cfg(feature = "compile")]
mod ctx;
#[cfg(feature = "compile")]
mod detect;
#[cfg(feature = "compile")]
mod e2guardian;
mod file;
#[cfg(feature = "compile")]
mod hosts;
#[cfg(feature = "compile")]
mod iwf;
#[cfg(feature = "compile")]
mod plain;
#[cfg(feature = "compile")]
mod squidguard;

use std::fmt;
use std::str::FromStr;

pub use chop::squidguard_chop;
#[cfg(feature = "compile")]
pub use detect::{detect, detect_file};
pub use file::{ListFileError, read_list_file};

use sha2::{Digest as _, Sha256};

/// One parsed list entry, normalised to canonical form.
///
/// ```
/// use esafety::lists::{parse, EntryKind, Format, ParseOptions};
/// let text = b"Ads.Example\ntracker.example/pixel.gif\nexample.org/dir/\n";
/// let parsed = parse(Format::Plain, "list.txt", text, &ParseOptions::new())?;
/// let kinds: Vec<&EntryKind> = parsed.entries.iter().map(|e| &e.kind).collect();
/// assert_eq!(kinds, [
///     &EntryKind::Domain("ads.example".into()),
///     &EntryKind::Url("tracker.example/pixel.gif".into()),
///     &EntryKind::UrlPrefix("example.org/dir/".into()),
/// ]);
/// // A sensitive list keeps digests only, and `Debug` shows the digest, not the URL.
/// let iwf = parse(Format::Iwf, "iwf.txt", b"abuse.example/a.html\n", &ParseOptions::new().with_sensitive(true))?;
/// let entry = iwf.entries.first().ok_or("no entry")?;
/// assert!(matches!(entry.kind, EntryKind::GatedDigest(..)));
/// assert!(!format!("{:?}", entry.kind).contains("abuse.example"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntryKind {
    /// A canonical host (lowercase, punycode, IPv4 as a dotted quad): matches
    /// it and every subdomain on a label boundary.
    Domain(String),
    /// An exact page as a canonical lookup expression, `host/path` or
    /// `host/path?query` (IWF style: never widened).
    Url(String),
    /// A canonical `host/dir/…` prefix (the parsers always end it with
    /// `/`): matches everything below it on that host and its subdomains,
    /// at any depth.
    UrlPrefix(String),
    /// A regular expression (regex-automata syntax), matched against
    /// [`CanonicalUrl::host_and_path_query`](crate::url::CanonicalUrl::host_and_path_query).
    Regex(String),
    /// [`EntryKind::Url`] from a list format whose path matching ignores
    /// case (squidGuard, e2guardian, Adblock without `$match-case`): it
    /// matches a request whose path and query equal it after ASCII
    /// lowercasing. The parsers give it with its path and query already
    /// lowercased; the bundle stores it so (see [`fold_case`]).
    ///
    /// ```
    /// use esafety::bundle::{Bundle, BundleBuilder};
    /// use esafety::classify::Classifier;
    /// use esafety::lists::{Entry, EntryKind};
    /// let mut b = BundleBuilder::new();
    /// let adult = b.add_list("adult", "adult")?;
    /// b.add_entry(adult, &Entry { kind: EntryKind::UrlNoCase("example.com/Page.html".into()), line: 1 })?;
    /// let classifier = Classifier::new(Bundle::from_bytes(b.build()?)?);
    /// for url in ["http://example.com/page.html", "http://example.com/PAGE.HTML?x"] {
    ///     let c = classifier.classify_str(url)?;
    ///     assert_eq!(c.matches.first().map(|m| m.expression.as_str()), Some("example.com/page.html"), "{url}");
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    UrlNoCase(String),
    /// [`EntryKind::UrlPrefix`] that ignores the ASCII case of the path, as
    /// [`EntryKind::UrlNoCase`] does.
    ///
    /// ```
    /// use esafety::lists::{parse, EntryKind, Format, ParseOptions};
    /// let parsed = parse(Format::Adblock, "rules", b"||example.com/Adult/\n", &ParseOptions::new())?;
    /// assert_eq!(parsed.entries.first().map(|e| &e.kind), Some(&EntryKind::UrlPrefixNoCase("example.com/adult/".into())));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    UrlPrefixNoCase(String),
    /// [`EntryKind::Regex`] compiled ASCII case-insensitively: `porn`
    /// matches `/PORN/` and `/Porn.html`. (squidGuard `expressions` are
    /// [`EntryKind::SquidGuardExpression`], e2guardian
    /// `bannedregexpurllist` lines [`EntryKind::E2guardianExpression`].)
    ///
    /// ```
    /// use esafety::bundle::{Bundle, BundleBuilder};
    /// use esafety::classify::Classifier;
    /// use esafety::lists::{Entry, EntryKind};
    /// let mut b = BundleBuilder::new();
    /// let list = b.add_list("adult", "adult")?;
    /// b.add_entry(list, &Entry { kind: EntryKind::RegexNoCase("(^|[-/_.])porn([-/_.]|$)".into()), line: 1 })?;
    /// let classifier = Classifier::new(Bundle::from_bytes(b.build()?)?);
    /// assert!(!classifier.classify_str("http://video.example/PORN/1")?.matches.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    RegexNoCase(String),
    /// A canonical `host/path[?query]` that matches every URL whose
    /// [`CanonicalUrl::host_and_path_query`](crate::url::CanonicalUrl::host_and_path_query)
    /// *starts with* it as text, on that host and its subdomains, as an
    /// Adblock `||host/path` pattern does: `multporn.net/frunti_` matches
    /// `/frunti_punti_lad.js`, `qq.com/stats?` matches `/stats?sId=1`. No
    /// path boundary is needed (unlike [`EntryKind::UrlPrefix`]). The
    /// Adblock parser gives it for a `||host/path` rule that ends neither
    /// in `/` nor in `^`, or that has a query, with `$match-case`;
    /// without, it gives [`EntryKind::UrlStringPrefixNoCase`]. A sensitive
    /// list stores it as the digest of the expression, like a URL prefix.
    ///
    /// ```
    /// use esafety::bundle::{Bundle, BundleBuilder};
    /// use esafety::classify::Classifier;
    /// use esafety::lists::{Entry, EntryKind};
    /// let mut b = BundleBuilder::new();
    /// let ads = b.add_list("ads", "local-ads")?;
    /// b.add_entry(ads, &Entry { kind: EntryKind::UrlStringPrefix("ads.example/track_".into()), line: 1 })?;
    /// let classifier = Classifier::new(Bundle::from_bytes(b.build()?)?);
    /// let c = classifier.classify_str("https://www.ads.example/track_pixel.gif?id=7")?;
    /// assert_eq!(c.matches.first().map(|m| m.expression.as_str()), Some("ads.example/track_"));
    /// assert!(classifier.classify_str("https://ads.example/track")?.matches.is_empty());
    /// // Case-sensitive: the case-ignoring kind is `UrlStringPrefixNoCase`.
    /// assert!(classifier.classify_str("https://ads.example/TRACK_pixel.gif")?.matches.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    UrlStringPrefix(String),
    /// [`EntryKind::UrlStringPrefix`] that ignores the ASCII case of the
    /// path and query, as [`EntryKind::UrlNoCase`] does: an Adblock
    /// `||host/path` rule without `$match-case`.
    ///
    /// ```
    /// use esafety::lists::{parse, EntryKind, Format, ParseOptions};
    /// let parsed = parse(Format::Adblock, "easylist.txt", b"||multporn.net/Frunti_\n", &ParseOptions::new())?;
    /// assert_eq!(
    ///     parsed.entries.first().map(|e| &e.kind),
    ///     Some(&EntryKind::UrlStringPrefixNoCase("multporn.net/frunti_".into()))
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    UrlStringPrefixNoCase(String),
    /// A squidGuard / UT1 `urls` line as squidGuard matches it: its
    /// canonical `host/path?query`, lowercased, is a plain string prefix
    /// (no path boundary needed) of the request's `host/path?query`,
    /// ignoring ASCII case, where the request's host is the listed host
    /// itself or that host after one leading `www`, `web` or `ftp` label
    /// with any digits ([`squidguard_chop`]) is chopped off it. Never
    /// another subdomain: on a shared host that is someone else's site.
    /// See the [`squidguard`](self#how-each-format-is-read) notes.
    ///
    /// ```
    /// use esafety::bundle::{Bundle, BundleBuilder};
    /// use esafety::classify::Classifier;
    /// use esafety::lists::{Entry, EntryKind};
    /// let mut b = BundleBuilder::new();
    /// let adult = b.add_list("adult.urls", "adult")?;
    /// b.add_entry(adult, &Entry { kind: EntryKind::SquidGuardUrl("tumblr.com/someone/123".into()), line: 1 })?;
    /// let classifier = Classifier::new(Bundle::from_bytes(b.build()?)?);
    /// for url in ["http://tumblr.com/someone/123", "https://www2.tumblr.com/someone/1234?x", "http://WWW.tumblr.com/Someone/123"] {
    ///     assert!(!classifier.classify_str(url)?.categories.is_empty(), "{url}");
    /// }
    /// // Another subdomain of a shared host is someone else's site.
    /// assert!(classifier.classify_str("http://v2tc.tumblr.com/someone/123")?.categories.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    SquidGuardUrl(String),
    /// A squidGuard / UT1 `expressions` line: a regular expression matched
    /// ignoring ASCII case anywhere in the request as squidGuard 1.6 sees
    /// it (its full URL, `regexec` on `furl`): `host/path?query` with the
    /// host as requested (not chopped: `^example\.com/` does not match
    /// `www.example.com/`) and the escapes decoded (non-ASCII text as
    /// UTF-8), so `порно` matches `/%D0%BF%D0%BE%D1%80%D0%BD%D0%BE`.
    ///
    /// ```
    /// use esafety::lists::{parse, EntryKind, Format, ParseOptions};
    /// let parsed = parse(Format::SquidGuardExpressions, "expressions", b"(^|[-/_.])porn([-/_.]|$)\n", &ParseOptions::new())?;
    /// assert!(matches!(parsed.entries.first().map(|e| &e.kind), Some(EntryKind::SquidGuardExpression(_))));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    SquidGuardExpression(String),
    /// An e2guardian `bannedregexpurllist` line: a regular expression
    /// matched ignoring ASCII case anywhere in the request as e2guardian
    /// 5.3 sees it (`ListMeta::inRegExpURLList`): `host/path?query`
    /// without the scheme, the path decoded and its dot segments resolved,
    /// and then **one trailing `/` chopped off**. So `\.exe$` matches
    /// `files.example/setup.exe/` (seen as `files.example/setup.exe`), and
    /// `/dl/$` never matches (`files.example/dl/` is seen as
    /// `files.example/dl`). esafety gives it the canonical
    /// `host/path?query`, escapes decoded, with one trailing `/` removed.
    ///
    /// ```
    /// use esafety::bundle::{Bundle, BundleBuilder};
    /// use esafety::classify::Classifier;
    /// use esafety::lists::{parse, EntryKind, Format, ParseOptions};
    /// let parsed = parse(Format::E2Regexp, "bannedregexpurllist", b"\\.exe$\n", &ParseOptions::new())?;
    /// assert!(matches!(parsed.entries.first().map(|e| &e.kind), Some(EntryKind::E2guardianExpression(_))));
    /// let mut b = BundleBuilder::new();
    /// let list = b.add_list("bannedregexpurllist", "malware-hacking")?;
    /// b.add_entries(list, &parsed.entries)?;
    /// let classifier = Classifier::new(Bundle::from_bytes(b.build()?)?);
    /// assert!(!classifier.classify_str("http://files.example/setup.exe/")?.matches.is_empty());
    /// assert!(classifier.classify_str("http://files.example/setup.exe.txt")?.matches.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    E2guardianExpression(String),
    /// The SHA-256 of a canonical lookup expression (sensitive lists: IWF,
    /// terrorism); see [`expression_digest`]. A list that gives only
    /// digests (no URLs) yields these: the bundle cannot gate them by host,
    /// so every lookup expression of every URL is hashed.
    Digest([u8; 32]),
    /// A sensitive entry parsed from a URL: its digest and the [`HostKey`]
    /// of its host, which lets the bundle build its host gate without the
    /// host's plaintext (see the bundle docs, "The sensitive-list gate").
    GatedDigest([u8; 32], HostKey),
}

impl EntryKind {
    /// The expression digest of a sensitive entry ([`EntryKind::Digest`] or
    /// [`EntryKind::GatedDigest`]).
    ///
    /// ```
    /// use esafety::lists::{expression_digest, EntryKind, HostKey};
    /// let d = expression_digest("a.example/x.html");
    /// let kind = EntryKind::GatedDigest(d, HostKey::of("a.example"));
    /// assert_eq!(kind.digest(), Some(&d));
    /// assert_eq!(EntryKind::Domain("a.example".into()).digest(), None);
    /// ```
    pub fn digest(&self) -> Option<&[u8; 32]> {
        match self {
            EntryKind::Digest(d) | EntryKind::GatedDigest(d, _) => Some(d),
            _ => None,
        }
    }
}

/// A 64-bit XXH3 key of a sensitive entry's canonical host, taken at parse
/// time so that the plaintext host need not be kept. The bundle mixes it
/// with its own seed into a Bloom filter; the key itself is never stored
/// in a bundle, and `Debug` does not print it.
///
/// ```
/// use esafety::lists::{parse, EntryKind, Format, HostKey, ParseOptions};
/// let iwf = parse(Format::Iwf, "iwf.txt", b"Abuse.Example/a.html\n", &ParseOptions::new().with_sensitive(true))?;
/// let Some(EntryKind::GatedDigest(_, key)) = iwf.entries.first().map(|e| &e.kind) else {
///     return Err("expected a gated digest".into());
/// };
/// assert_eq!(*key, HostKey::of("abuse.example")); // the canonical host's key
/// assert_eq!(format!("{key:?}"), "HostKey(..)");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HostKey(u64);

impl HostKey {
    /// The key of a canonical host (as [`crate::url::CanonicalUrl::host`]
    /// gives it).
    ///
    /// ```
    /// use esafety::lists::HostKey;
    /// assert_eq!(HostKey::of("a.example"), HostKey::of("a.example"));
    /// assert_ne!(HostKey::of("a.example"), HostKey::of("b.example"));
    /// ```
    pub fn of(host: &str) -> HostKey {
        HostKey(xxhash_rust::xxh3::xxh3_64(host.as_bytes()))
    }

    /// The raw key.
    ///
    /// ```
    /// use esafety::lists::HostKey;
    /// // XXH3-64 of the host's bytes: the same on every platform.
    /// assert_eq!(HostKey::of("a.example").get(), xxhash_rust::xxh3::xxh3_64(b"a.example"));
    /// ```
    pub fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Debug for HostKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HostKey(..)")
    }
}

impl fmt::Debug for EntryKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EntryKind::Domain(s) => f.debug_tuple("Domain").field(s).finish(),
            EntryKind::Url(s) => f.debug_tuple("Url").field(s).finish(),
            EntryKind::UrlPrefix(s) => f.debug_tuple("UrlPrefix").field(s).finish(),
            EntryKind::Regex(s) => f.debug_tuple("Regex").field(s).finish(),
            EntryKind::UrlNoCase(s) => f.debug_tuple("UrlNoCase").field(s).finish(),
            EntryKind::UrlPrefixNoCase(s) => f.debug_tuple("UrlPrefixNoCase").field(s).finish(),
            EntryKind::RegexNoCase(s) => f.debug_tuple("RegexNoCase").field(s).finish(),
            EntryKind::UrlStringPrefix(s) => f.debug_tuple("UrlStringPrefix").field(s).finish(),
            EntryKind::SquidGuardUrl(s) => f.debug_tuple("SquidGuardUrl").field(s).finish(),
            EntryKind::SquidGuardExpression(s) => {
                f.debug_tuple("SquidGuardExpression").field(s).finish()
            }
            EntryKind::E2guardianExpression(s) => {
                f.debug_tuple("E2guardianExpression").field(s).finish()
            }
            EntryKind::UrlStringPrefixNoCase(s) => {
                f.debug_tuple("UrlStringPrefixNoCase").field(s).finish()
            }
            EntryKind::Digest(d) => write!(f, "Digest(sha256:{})", hex(d)),
            EntryKind::GatedDigest(d, _) => write!(f, "GatedDigest(sha256:{})", hex(d)),
        }
    }
}

/// One parsed list entry and the line it came from.
///
/// ```
/// use esafety::lists::{parse, Entry, EntryKind, Format, ParseOptions};
/// let parsed = parse(Format::Hosts, "hosts", b"# blocked\n\n0.0.0.0 ads.example\n", &ParseOptions::new())?;
/// assert_eq!(parsed.entries, [Entry { kind: EntryKind::Domain("ads.example".into()), line: 3 }]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Entry {
    /// What the entry matches.
    pub kind: EntryKind,
    /// The 1-based line of the entry in its source file (for an entry that
    /// came through an e2guardian `.Include`, the line in the included file).
    pub line: usize,
}

macro_rules! formats {
    ($( $(#[$doc:meta])* $variant:ident => $id:literal $(| $alias:literal)*; )*) => {
        /// A list format.
        ///
        /// Its [`Display`](fmt::Display) and [`FromStr`] use stable ids
        /// (`plain`, `hosts`, `adblock`, `squidguard-domains`, …), the ones
        /// the CLI takes in `--list CATEGORY=FORMAT:PATH`.
        ///
        /// ```
        /// use esafety::lists::Format;
        /// let f: Format = "squidguard-urls".parse()?;
        /// assert_eq!(f, Format::SquidGuardUrls);
        /// assert_eq!(f.to_string(), "squidguard-urls");
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Format {
            $( $(#[$doc])* $variant, )*
        }

        impl Format {
            /// Every format, in documentation order.
            ///
            /// ```
            /// use esafety::lists::Format;
            /// assert_eq!(Format::ALL.first(), Some(&Format::Plain));
            /// assert_eq!(Format::ALL.last(), Some(&Format::Iwf));
            /// assert_eq!(Format::ALL.len(), 10);
            /// ```
            pub const ALL: &'static [Format] = &[$(Format::$variant,)*];

            /// The stable id of this format.
            ///
            /// ```
            /// use esafety::lists::Format;
            /// assert_eq!(Format::E2Url.id(), "e2guardian-url");
            /// // Aliases parse; the id is what `Display` writes back.
            /// assert_eq!("bannedurllist".parse::<Format>().map(Format::id), Ok("e2guardian-url"));
            /// for f in Format::ALL {
            ///     assert_eq!(f.id().parse::<Format>().as_ref(), Ok(f));
            /// }
            /// ```
            pub fn id(self) -> &'static str {
                match self {
                    $( Format::$variant => $id, )*
                }
            }
        }

        impl FromStr for Format {
            type Err = UnknownFormat;

            fn from_str(s: &str) -> Result<Format, UnknownFormat> {
                match s {
                    $( $id $(| $alias)* => Ok(Format::$variant), )*
                    _ => Err(UnknownFormat(s.to_owned())),
                }
            }
        }
    };
}

formats! {
    /// One domain, URL or URL prefix per line, `#` comments.
    Plain => "plain";
    /// A hosts file: `0.0.0.0 host [host…]`.
    Hosts => "hosts";
    /// Adblock-style host rules: `||host^`, `||host/path`.
    Adblock => "adblock" | "abp" | "easylist";
    /// A squidGuard / UT1 `domains` file.
    SquidGuardDomains => "squidguard-domains" | "domains";
    /// A squidGuard / UT1 `urls` file (URL prefixes).
    SquidGuardUrls => "squidguard-urls" | "urls";
    /// A squidGuard / UT1 `expressions` file (regular expressions).
    SquidGuardExpressions => "squidguard-expressions" | "expressions";
    /// An e2guardian `bannedsitelist` (domains).
    E2Site => "e2guardian-site" | "bannedsitelist";
    /// An e2guardian `bannedurllist` (URL prefixes).
    E2Url => "e2guardian-url" | "bannedurllist";
    /// An e2guardian `bannedregexpurllist` (regular expressions).
    E2Regexp => "e2guardian-regexp" | "bannedregexpurllist";
    /// The IWF URL list: URLs or 64-hex SHA-256 digests.
    Iwf => "iwf";
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Format {
    /// The squidGuard / UT1 format of a file in a category folder by its
    /// name (`domains`, `urls`, `expressions`), if it is one of those.
    ///
    /// ```
    /// use esafety::lists::Format;
    /// assert_eq!(Format::from_squidguard_file_name("urls"), Some(Format::SquidGuardUrls));
    /// assert_eq!(Format::from_squidguard_file_name("README"), None);
    /// ```
    pub fn from_squidguard_file_name(name: &str) -> Option<Format> {
        match name {
            "domains" => Some(Format::SquidGuardDomains),
            "urls" => Some(Format::SquidGuardUrls),
            "expressions" => Some(Format::SquidGuardExpressions),
            _ => None,
        }
    }

    /// The format a list file's name says it is, if it is one of the names
    /// those tools give their files: a squidGuard / UT1 category file
    /// (`domains`, `urls`, `expressions`) or an e2guardian list
    /// (`bannedsitelist`, `bannedurllist`, `bannedregexpurllist`). Only the
    /// last component of `path` counts (`/` or `\` separated).
    ///
    /// The name decides where content cannot: a squidGuard `urls` line
    /// `host/dir` is a prefix, the same line in a plain list one page; an
    /// e2guardian list of only `.Include<…>` lines has no line to vote on.
    ///
    /// ```
    /// use esafety::lists::Format;
    /// assert_eq!(Format::from_file_name("blacklists/adult/urls"), Some(Format::SquidGuardUrls));
    /// assert_eq!(Format::from_file_name("/etc/e2guardian/lists/bannedurllist"), Some(Format::E2Url));
    /// assert_eq!(Format::from_file_name("urls.txt"), None);
    /// assert_eq!(Format::from_file_name("easylist.txt"), None);
    /// ```
    pub fn from_file_name(path: &str) -> Option<Format> {
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        Format::from_squidguard_file_name(name).or(match name {
            "bannedsitelist" => Some(Format::E2Site),
            "bannedurllist" => Some(Format::E2Url),
            "bannedregexpurllist" => Some(Format::E2Regexp),
            _ => None,
        })
    }
}

/// A format id that [`Format::from_str`] does not know.
///
/// ```
/// use esafety::lists::Format;
/// let err = "csv".parse::<Format>().unwrap_err();
/// assert!(err.to_string().starts_with("unknown list format `csv`; use one of: plain, hosts,"), "{err}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown list format `{0}`; use one of: plain, hosts, adblock, squidguard-domains, squidguard-urls, squidguard-expressions, e2guardian-site, e2guardian-url, e2guardian-regexp, iwf"
)]
pub struct UnknownFormat(String);

/// How to parse a list.
///
/// ```
/// use esafety::lists::{parse, Format, ParseOptions};
/// use esafety::Limits;
/// let long = format!("{}.example\nok.example\n", "a".repeat(100));
/// let mut limits = Limits::default();
/// limits.max_list_line_len = 64;
/// let options = ParseOptions::new().with_limits(limits);
/// let parsed = parse(Format::Plain, "list.txt", long.as_bytes(), &options)?;
/// assert_eq!(parsed.entries.len(), 1);
/// assert_eq!(parsed.skipped.first().map(|s| s.line), Some(1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParseOptions {
    /// The first bad line is an [`Err`] instead of a [`SkippedLine`].
    pub strict: bool,
    /// A sensitive list (IWF, terrorism): every entry becomes an
    /// [`EntryKind::Digest`] at once, and no reason, error or `Debug` output
    /// contains the text of a line or the path of a file it includes.
    pub sensitive: bool,
    /// The bounds of the parse: [`Limits::max_list_line_len`] (a longer
    /// line is skipped), [`Limits::max_entries`],
    /// [`Limits::max_include_depth`] and [`Limits::max_include_files`]
    /// (each an error).
    ///
    /// [`Limits::max_list_line_len`]: crate::Limits::max_list_line_len
    /// [`Limits::max_entries`]: crate::Limits::max_entries
    /// [`Limits::max_include_depth`]: crate::Limits::max_include_depth
    /// [`Limits::max_include_files`]: crate::Limits::max_include_files
    pub limits: crate::Limits,
    /// An e2guardian `.Include` may name a file outside the including
    /// file's folder (an absolute path elsewhere, or `..` above it).
    /// Off by default: such an include is a
    /// [`ListError::IncludeOutside`].
    pub allow_include_outside: bool,
}

impl Default for ParseOptions {
    fn default() -> ParseOptions {
        ParseOptions {
            strict: false,
            sensitive: false,
            limits: crate::Limits::DEFAULT,
            allow_include_outside: false,
        }
    }
}

impl ParseOptions {
    /// The defaults: lenient, not sensitive, [`Limits::DEFAULT`](crate::Limits::DEFAULT),
    /// includes below the including file's folder only.
    ///
    /// ```
    /// use esafety::lists::ParseOptions;
    /// let options = ParseOptions::new();
    /// assert!(!options.strict && !options.sensitive && !options.allow_include_outside);
    /// assert_eq!((options.limits.max_list_line_len, options.limits.max_include_depth), (8192, 8));
    /// ```
    pub fn new() -> ParseOptions {
        ParseOptions::default()
    }

    /// Sets [`ParseOptions::limits`].
    ///
    /// ```
    /// use esafety::lists::{parse, Format, ListError, ParseOptions};
    /// use esafety::{limits::Limit, Limits};
    /// let mut limits = Limits::default();
    /// limits.max_entries = 2;
    /// let err = parse(Format::Plain, "l.txt", b"a.example\nb.example\nc.example\n", &ParseOptions::new().with_limits(limits)).unwrap_err();
    /// assert!(matches!(err, ListError::LimitExceeded { limit: Limit::Entries, line: 3, .. }), "{err}");
    /// ```
    pub fn with_limits(mut self, limits: crate::Limits) -> ParseOptions {
        self.limits = limits;
        self
    }

    /// Sets [`ParseOptions::allow_include_outside`].
    ///
    /// ```
    /// use esafety::lists::{parse_with_includes, Format, ListError, ParseOptions};
    /// let mut loader = |_: &str| Ok(b"more.example\n".to_vec());
    /// let main = b".Include</etc/other/list>\n";
    /// let err = parse_with_includes(Format::E2Site, "/lists/bannedsitelist", main, &ParseOptions::new(), &mut loader).unwrap_err();
    /// assert!(matches!(err, ListError::IncludeOutside { .. }), "{err}");
    /// let options = ParseOptions::new().with_allow_include_outside(true);
    /// let parsed = parse_with_includes(Format::E2Site, "/lists/bannedsitelist", main, &options, &mut loader)?;
    /// assert_eq!(parsed.entries.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_allow_include_outside(mut self, allow: bool) -> ParseOptions {
        self.allow_include_outside = allow;
        self
    }

    /// Sets [`ParseOptions::strict`].
    ///
    /// ```
    /// use esafety::lists::{parse, Format, ParseOptions};
    /// let text = b"good.example\nbad host\n";
    /// assert!(parse(Format::Plain, "l.txt", text, &ParseOptions::new()).is_ok());
    /// let err = parse(Format::Plain, "l.txt", text, &ParseOptions::new().with_strict(true)).unwrap_err();
    /// assert_eq!((err.file(), err.line()), ("l.txt", 2));
    /// ```
    pub fn with_strict(mut self, strict: bool) -> ParseOptions {
        self.strict = strict;
        self
    }

    /// Sets [`ParseOptions::sensitive`].
    ///
    /// ```
    /// use esafety::lists::{parse, Format, ParseOptions};
    /// let text = b"abuse.example/a.html\nbad host/x\n";
    /// let parsed = parse(Format::Plain, "iwf.txt", text, &ParseOptions::new().with_sensitive(true))?;
    /// assert!(parsed.entries.iter().all(|e| e.kind.digest().is_some()));
    /// // The reason for a skipped line never repeats its text.
    /// assert!(parsed.skipped.iter().all(|s| !s.reason.contains("bad host")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_sensitive(mut self, sensitive: bool) -> ParseOptions {
        self.sensitive = sensitive;
        self
    }
}

/// The result of parsing one list (and, for e2guardian, what it includes).
///
/// ```
/// use esafety::lists::{parse, Format, ParseOptions};
/// let text = b"||ads.example^\n##.banner\n@@||ok.example^\n||bad!.example^\n";
/// let parsed = parse(Format::Adblock, "easylist.txt", text, &ParseOptions::new())?;
/// assert_eq!(parsed.format, Format::Adblock);
/// assert_eq!(parsed.entries.len(), 1);
/// assert_eq!(parsed.ignored, 2); // a cosmetic rule and an exception
/// assert_eq!(parsed.skipped.len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedList {
    /// The format the list was read as.
    pub format: Format,
    /// The entries, in file order.
    pub entries: Vec<Entry>,
    /// The lines that could not be read, with the reason.
    pub skipped: Vec<SkippedLine>,
    /// Lines understood but deliberately not turned into entries: Adblock
    /// cosmetic rules, exceptions and rules whose options narrow the match,
    /// `localhost` names in hosts files, e2guardian blanket-block directives.
    pub ignored: usize,
    /// The e2guardian `#listcategory: "name"`, if the list declares one.
    pub list_category: Option<String>,
    /// The lines of URL entries (squidGuard `urls`, e2guardian
    /// `bannedurllist`, plain lists) whose `#fragment` was dropped: a
    /// browser never sends a fragment, so such a line names the page
    /// before it (`site.example/#content` is `site.example/`, the site).
    /// Reported so that a compile can say so (`esafety compile` does).
    ///
    /// ```
    /// use esafety::lists::{parse, EntryKind, Format, ParseOptions};
    /// let parsed = parse(Format::SquidGuardUrls, "urls", b"a.example/x\nsexcams.example/#content\n", &ParseOptions::new())?;
    /// assert_eq!(parsed.fragment_lines, [2]);
    /// assert_eq!(parsed.entries[1].kind, EntryKind::SquidGuardUrl("sexcams.example/".into()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fragment_lines: Vec<usize>,
}

/// A line that could not be read, and why.
///
/// Displays as `source:line: reason`. For a sensitive list the reason never
/// contains the text of the line.
///
/// ```
/// use esafety::lists::{parse, Format, ParseOptions};
/// let parsed = parse(Format::Hosts, "hosts", b"0.0.0.0 ok.example\n0.0.0.0 bad_host!\n", &ParseOptions::new())?;
/// let skipped = parsed.skipped.first().ok_or("nothing skipped")?;
/// assert_eq!((skipped.source.as_str(), skipped.line), ("hosts", 2));
/// assert!(skipped.to_string().starts_with("hosts:2: "), "{skipped}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedLine {
    /// The name of the file the line is in.
    pub source: String,
    /// The 1-based line number.
    pub line: usize,
    /// What is wrong, in plain words, and what to do.
    pub reason: String,
}

impl fmt::Display for SkippedLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.source, self.line, self.reason)
    }
}

/// The SHA-256 digest of a canonical lookup expression: the one rule the
/// list parsers and the classifier share for sensitive lists.
///
/// `expr` must already be canonical, as
/// [`CanonicalUrl::expressions`](crate::url::CanonicalUrl::expressions)
/// yields it: `host/path` or `host/path?query`, no scheme. The digest is
/// SHA-256 over its UTF-8 bytes.
///
/// ```
/// use esafety::lists::expression_digest;
/// let d = expression_digest("example.com/");
/// assert_eq!(d.len(), 32);
/// assert_eq!(d, expression_digest("example.com/"));
/// assert_ne!(d, expression_digest("example.com/a"));
/// ```
pub fn expression_digest(expr: &str) -> [u8; 32] {
    Sha256::digest(expr.as_bytes()).into()
}

/// The case-folded form of a canonical lookup expression or URL prefix
/// (`host/path[?query]`): ASCII letters lowercased, every other byte as it
/// is. This is how [`EntryKind::UrlNoCase`] and
/// [`EntryKind::UrlPrefixNoCase`] entries are stored, and how the
/// classifier folds a request path that has upper case. Percent escapes
/// are unaffected in meaning: canonical form writes them in upper-case hex
/// on both sides, so folding them to lower case keeps them equal.
///
/// ```
/// use esafety::lists::fold_case;
/// assert_eq!(fold_case("example.com/Adult/Index.HTML?Q=1"), "example.com/adult/index.html?q=1");
/// // Already folded: borrowed, no allocation.
/// assert!(matches!(fold_case("example.com/adult/"), std::borrow::Cow::Borrowed(_)));
/// ```
pub fn fold_case(expr: &str) -> std::borrow::Cow<'_, str> {
    if expr.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(expr.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(expr)
    }
}

/// Lowercase hex of bytes.
fn hex(bytes: &[u8]) -> String {
    use fmt::Write as _;
    let mut out = String::with_capacity(bytes.len().saturating_mul(2));
    for &b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Why a list could not be parsed.
///
/// Every error names the file and line, says what is wrong and what to do.
/// For a sensitive list no error contains the text of a line.
///
/// ```
/// use esafety::lists::{parse_with_includes, Format, ListError, ParseOptions};
/// let mut loader = |path: &str| match path {
///     "/lists/a" => Ok(b".Include</lists/a>\n".to_vec()),
///     _ => Err(std::io::Error::from(std::io::ErrorKind::NotFound)),
/// };
/// let main = b"one.example\n.Include</lists/a>\n";
/// let err = parse_with_includes(Format::E2Site, "/lists/bannedsitelist", main, &ParseOptions::new(), &mut loader).unwrap_err();
/// assert!(matches!(err, ListError::IncludeCycle { .. }), "{err}");
/// assert!(err.to_string().contains("include cycle"), "{err}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ListError {
    /// A line could not be read and [`ParseOptions::strict`] is set.
    #[error("{0}")]
    BadLine(SkippedLine),
    /// e2guardian `.Include` directives nest deeper than
    /// [`Limits::max_include_depth`](crate::Limits::max_include_depth).
    #[error("{file}:{line}: `.Include` nests more than {max} levels deep; flatten the includes")]
    IncludeTooDeep {
        /// The including file.
        file: String,
        /// The line of the `.Include`.
        line: usize,
        /// The depth limit.
        max: usize,
    },
    /// An e2guardian `.Include` includes a file that is already being read.
    #[error(
        "{file}:{line}: `.Include<{path}>` includes a file that is already being read (an include cycle); remove the `.Include`"
    )]
    IncludeCycle {
        /// The including file.
        file: String,
        /// The line of the `.Include`.
        line: usize,
        /// The included path.
        path: String,
    },
    /// An e2guardian `.Include` names a file that could not be read.
    #[error(
        "{file}:{line}: cannot read `.Include<{path}>` (as `{tried}`): {error}; check that the path exists and is readable"
    )]
    IncludeRead {
        /// The including file.
        file: String,
        /// The line of the `.Include`.
        line: usize,
        /// The included path, as written.
        path: String,
        /// The path given to the loader: a relative `path` joined to the
        /// including file's folder.
        tried: String,
        /// What went wrong. Part of the message, and so not also its
        /// `source()`: a caller printing the error chain (the CLI does)
        /// would say it twice.
        error: std::io::Error,
    },
    /// An e2guardian `.Include` names a file outside the including file's
    /// folder (an absolute path elsewhere, `..` above it, or an absolute
    /// path from a list named by a relative one) and
    /// [`ParseOptions::allow_include_outside`] is off.
    #[error(
        "{file}:{line}: `.Include<{path}>` names a file outside the folder of `{file}`; move the list below that folder, or allow it (`--allow-include-outside`, `ParseOptions::allow_include_outside`)"
    )]
    IncludeOutside {
        /// The including file.
        file: String,
        /// The line of the `.Include`.
        line: usize,
        /// The included path, as written.
        path: String,
    },
    /// An `.Include` of a sensitive list (IWF, terrorism) could not be
    /// followed: a cycle, a file that cannot be read, or one outside the
    /// folder. The message names the including file and line only, never
    /// the included path (which is the list's text).
    #[error("{file}:{line}: {reason}")]
    SensitiveInclude {
        /// The including file (for a nested include, the top file and the
        /// lines of the includes that lead to it).
        file: String,
        /// The line of the `.Include`.
        line: usize,
        /// What is wrong and what to do, with no path and no line text.
        reason: String,
    },
    /// A bound of [`ParseOptions::limits`] was exceeded: the entries of the
    /// parse ([`Limit::Entries`](crate::limits::Limit::Entries)) or the
    /// files its includes read ([`Limit::IncludeFiles`](crate::limits::Limit::IncludeFiles)).
    #[error(
        "{file}:{line}: the list goes over {max}, the limit `{limit}` ({what}); split the list, or raise the limit (`Limits::{limit}`)"
    )]
    LimitExceeded {
        /// The file being read.
        file: String,
        /// The line that went over (the entry, or the `.Include`).
        line: usize,
        /// Which limit.
        limit: crate::limits::Limit,
        /// Its value.
        max: u64,
        /// What it counts, in words.
        what: &'static str,
    },
}

impl ListError {
    /// The name of the file the error is in.
    ///
    /// ```
    /// use esafety::lists::{parse_with_includes, Format, ParseOptions};
    /// let mut loader = |_: &str| Err(std::io::Error::from(std::io::ErrorKind::NotFound));
    /// let main = b"one.example\n.Include</lists/missing>\n";
    /// let err = parse_with_includes(Format::E2Site, "bannedsitelist", main, &ParseOptions::new(), &mut loader).unwrap_err();
    /// assert_eq!(err.file(), "bannedsitelist"); // the including file
    /// ```
    pub fn file(&self) -> &str {
        match self {
            ListError::BadLine(s) => &s.source,
            ListError::IncludeTooDeep { file, .. }
            | ListError::IncludeCycle { file, .. }
            | ListError::IncludeRead { file, .. }
            | ListError::IncludeOutside { file, .. }
            | ListError::SensitiveInclude { file, .. }
            | ListError::LimitExceeded { file, .. } => file,
        }
    }

    /// The 1-based line the error is on.
    ///
    /// ```
    /// use esafety::lists::{parse, Format, ParseOptions};
    /// let err = parse(Format::Plain, "l.txt", b"a.example\n\n# c\nnot a host\n", &ParseOptions::new().with_strict(true)).unwrap_err();
    /// assert_eq!(err.line(), 4);
    /// ```
    pub fn line(&self) -> usize {
        match self {
            ListError::BadLine(s) => s.line,
            ListError::IncludeTooDeep { line, .. }
            | ListError::IncludeCycle { line, .. }
            | ListError::IncludeRead { line, .. }
            | ListError::IncludeOutside { line, .. }
            | ListError::SensitiveInclude { line, .. }
            | ListError::LimitExceeded { line, .. } => *line,
        }
    }
}

/// Parses one list.
///
/// `source` names the list in skipped lines and errors (a file name).
/// e2guardian `.Include` lines are not followed here (each is a skipped
/// line saying so); use [`parse_with_includes`] to follow them.
///
/// ```
/// use esafety::lists::{parse, EntryKind, Format, ParseOptions};
///
/// let list = b"# ads\nAds.Example.COM\nexample.org/dir/\nexample.net/page.html\nnot a host\n";
/// let parsed = parse(Format::Plain, "ads.txt", list, &ParseOptions::new())?;
/// let kinds: Vec<&EntryKind> = parsed.entries.iter().map(|e| &e.kind).collect();
/// assert_eq!(kinds, [
///     &EntryKind::Domain("ads.example.com".into()),
///     &EntryKind::UrlPrefix("example.org/dir/".into()),
///     &EntryKind::Url("example.net/page.html".into()),
/// ]);
/// assert_eq!(parsed.skipped[0].to_string(),
///     "ads.txt:5: `not a host` is not a valid host name (it contains white space); fix or remove the line");
///
/// // Strict mode: the first bad line is an error.
/// let err = parse(Format::Plain, "ads.txt", list, &ParseOptions::new().with_strict(true)).unwrap_err();
/// assert_eq!(err.line(), 5);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// With [`ParseOptions::strict`], a [`ListError::BadLine`] for the first
/// line that cannot be read. Without it, never: bad lines are in
/// [`ParsedList::skipped`].
///
/// # Panics
///
/// Never, whatever the bytes.
#[cfg(feature = "compile")]
pub fn parse(
    format: Format,
    source: &str,
    bytes: &[u8],
    options: &ParseOptions,
) -> Result<ParsedList, ListError> {
    parse_inner(format, source, bytes, options, None)
}

/// Parses one list, reading the files its e2guardian `.Include<path>` lines
/// name through `loader` (give it [`read_list_file`], as the CLI does, to
/// refuse devices, FIFOs, directories and files over the size limit).
///
/// Included files are read as the same format as the including one, after
/// it; their entries carry their own line numbers and their skipped lines
/// their own name (the path given to `loader`). An absolute include path is
/// given to `loader` as written; a relative one is joined to the folder of
/// the including file (`source` for the top one), so `loader` reads paths
/// as they are, and a nested list finds its neighbours next to itself.
/// Other formats have no includes and never call `loader`.
///
/// An include must name a file below the including file's folder (a
/// relative path that does not climb out with `..`, or an absolute one
/// inside the folder of an absolute `source`) unless
/// [`ParseOptions::allow_include_outside`] is set; at most
/// [`Limits::max_include_depth`](crate::Limits::max_include_depth) deep and
/// [`Limits::max_include_files`](crate::Limits::max_include_files) files
/// are read. For a sensitive list no error names an included path.
///
/// ```
/// use esafety::lists::{parse_with_includes, Format, ParseOptions};
///
/// let main = b"#listcategory: \"Ads\"\n.Include</lists/more>\nads.example\n";
/// let mut loader = |path: &str| match path {
///     "/lists/more" => Ok(b"more.example\n".to_vec()),
///     _ => Err(std::io::Error::from(std::io::ErrorKind::NotFound)),
/// };
/// let parsed = parse_with_includes(Format::E2Site, "/lists/bannedsitelist", main, &ParseOptions::new(), &mut loader)?;
/// assert_eq!(parsed.list_category.as_deref(), Some("Ads"));
/// assert_eq!(parsed.entries.len(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// Those of [`parse`], and [`ListError::IncludeRead`],
/// [`ListError::IncludeCycle`], [`ListError::IncludeTooDeep`],
/// [`ListError::IncludeOutside`], [`ListError::LimitExceeded`] (too many
/// include files) or, for a sensitive list, [`ListError::SensitiveInclude`],
/// each naming the including file and line.
///
/// # Panics
///
/// Never, whatever the bytes or the loader returns.
#[cfg(feature = "compile")]
pub fn parse_with_includes(
    format: Format,
    source: &str,
    bytes: &[u8],
    options: &ParseOptions,
    loader: &mut dyn FnMut(&str) -> Result<Vec<u8>, std::io::Error>,
) -> Result<ParsedList, ListError> {
    parse_inner(format, source, bytes, options, Some(loader))
}

/// What reads the file an e2guardian `.Include` names: given the path
/// (a relative one already joined to the including file's folder), its
/// bytes.
///
/// ```
/// use esafety::lists::{read_list_file, IncludeLoader};
/// use esafety::Limits;
/// let limits = Limits::default();
/// let mut read = |path: &str| read_list_file(std::path::Path::new(path), &limits).map_err(std::io::Error::from);
/// let loader: &mut IncludeLoader<'_> = &mut read;
/// assert!(loader("/dev/zero").is_err());
/// ```
#[cfg(feature = "compile")]
pub type IncludeLoader<'l> = dyn FnMut(&str) -> Result<Vec<u8>, std::io::Error> + 'l;

/// [`parse_with_includes`] that hands each entry to `on_entry` as it is
/// parsed, with the name of the file it is in (an included file's own),
/// instead of collecting them: memory stays that of one file's bytes and
/// what `on_entry` keeps (`esafety compile` adds each entry to the bundle
/// builder). The returned [`ParsedList`] has no
/// [`entries`](ParsedList::entries); everything else is as
/// [`parse_with_includes`] gives it. Without a `loader`, includes are
/// skipped lines, as in [`parse`].
///
/// ```
/// use esafety::lists::{parse_streaming, Format, ParseOptions};
/// let mut seen = Vec::new();
/// let parsed = parse_streaming(Format::Plain, "ads.txt", b"a.example\nb.example\nnot a host\n", &ParseOptions::new(), None, &mut |file, entry| {
///     seen.push((file.to_owned(), entry.line));
/// })?;
/// assert_eq!(seen, [("ads.txt".to_owned(), 1), ("ads.txt".to_owned(), 2)]);
/// assert!(parsed.entries.is_empty());
/// assert_eq!(parsed.skipped.len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// Those of [`parse_with_includes`].
///
/// # Panics
///
/// Never, whatever the bytes or the loader returns (unless `on_entry`
/// panics).
#[cfg(feature = "compile")]
pub fn parse_streaming<'l>(
    format: Format,
    source: &str,
    bytes: &[u8],
    options: &ParseOptions,
    loader: Option<&'l mut IncludeLoader<'l>>,
    on_entry: &mut dyn FnMut(&str, Entry),
) -> Result<ParsedList, ListError> {
    let mut sink = ctx::Sink::new(format, source, options);
    sink.emit = Some(on_entry);
    parse_sink(&mut sink, format, source, bytes, loader)?;
    Ok(sink.finish())
}

#[cfg(feature = "compile")]
fn parse_inner(
    format: Format,
    source: &str,
    bytes: &[u8],
    options: &ParseOptions,
    loader: Option<e2guardian::Loader<'_>>,
) -> Result<ParsedList, ListError> {
    let mut sink = ctx::Sink::new(format, source, options);
    parse_sink(&mut sink, format, source, bytes, loader)?;
    Ok(sink.finish())
}

/// Parses `bytes` into `sink`.
#[cfg(feature = "compile")]
fn parse_sink(
    sink: &mut ctx::Sink<'_>,
    format: Format,
    source: &str,
    bytes: &[u8],
    loader: Option<e2guardian::Loader<'_>>,
) -> Result<(), ListError> {
    let sink = &mut *sink;
    match format {
        Format::Plain => plain::parse(sink, bytes)?,
        Format::Hosts => hosts::parse(sink, bytes)?,
        Format::Adblock => adblock::parse(sink, bytes)?,
        Format::SquidGuardDomains | Format::SquidGuardUrls | Format::SquidGuardExpressions => {
            squidguard::parse(sink, format, bytes)?;
        }
        Format::E2Site | Format::E2Url | Format::E2Regexp => {
            let mut stack = vec![source.to_owned()];
            e2guardian::parse(sink, format, bytes, loader, &mut stack)?;
        }
        Format::Iwf => iwf::parse(sink, bytes)?,
    }
    Ok(())
}
