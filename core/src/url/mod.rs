//! Safe Browsing (v4) URL canonicalization: [`CanonicalUrl`].
//!
//! Every list entry and every URL that is classified goes through
//! [`CanonicalUrl::parse`], so that no spelling of a URL (an IPv4 address in
//! octal, a host in upper case or with a trailing dot, a path
//! percent-encoded twice, a backslash instead of a slash) reaches a
//! different lookup key than the spelling on the list.
//!
//! # What canonicalization does
//!
//! The steps follow Google Safe Browsing v4, "URLs and Hashing", with the
//! gaps that specification leaves filled the way browsers (the WHATWG URL
//! Standard) fill them:
//!
//! 1. Inputs longer than [`MAX_INPUT_LEN`] bytes (2 MiB, Chromium's limit)
//!    are rejected. Leading and trailing spaces and C0 control characters
//!    are trimmed; tab, CR and LF are removed everywhere (`%09`, `%0D` and
//!    `%0A` escapes are kept).
//! 2. The fragment (from the first `#`) is dropped.
//! 3. The scheme is lowercased; `http`, `https`, `ftp`, `ws` and `wss` are
//!    accepted, anything else (`javascript:`, `file://`, `mailto:`) is
//!    [`UrlError::UnsupportedScheme`] (see "Addresses that are not web
//!    addresses" below). An input without a scheme is `http://`
//!    (`www.google.com`); so is a host name and a port without one
//!    (`example.com:8080/x`, `localhost:8080`), where a host name has a `.`
//!    or is `localhost`. Any number of `/` or `\` may follow the scheme, as
//!    in browsers.
//! 4. The authority ends at the first `/`, `\` or `?`. Userinfo (up to the
//!    last `@`) and the port are dropped; a port must be decimal and at most
//!    65535 ([`UrlError::InvalidPort`]).
//! 5. Host: percent-unescaped repeatedly; a host with non-ASCII characters
//!    is mapped by IDNA (UTS 46, as browsers do) to punycode, and one IDNA
//!    rejects is [`UrlError::BadIdn`] (bytes that are not UTF-8 at all are
//!    kept and escaped, as the Safe Browsing `http://\x01\x80.com/` example
//!    requires); lowercased; leading and trailing dots removed and runs of
//!    dots collapsed. A host whose last label is a number is an IPv4 address
//!    in any spelling browsers accept (`3279880203`, `0xC3.0177.11`,
//!    `195.127.0.11`, octal, hex, one to four parts) and becomes a dotted
//!    quad; if it is not a valid address it is [`UrlError::InvalidHost`].
//!    An IPv6 literal is written shortened (`[2001:db8::1]`); IPv4-mapped
//!    (`::ffff:a.b.c.d`) and NAT64 (`64:ff9b::a.b.c.d`) addresses become
//!    the IPv4 address.
//! 6. Path: `\` is `/`; the dot segments a browser resolves (`.`, `..`,
//!    `%2e`, `.%2E`, `%2e%2e` between raw slashes) are removed; then the
//!    path is percent-unescaped repeatedly until no escape is left (`%2525`
//!    is `%`); the dot segments that unescaping made are removed, with
//!    empty segments kept (RFC 3986 `remove_dot_segments`), and only then
//!    are runs of `/` collapsed; an empty path is `/`. A `?` that only
//!    appears after unescaping starts the query (it will when the canonical
//!    URL is read again). See "Paths" below for why this order.
//! 7. Query: kept as it is, only percent-unescaped repeatedly and
//!    re-escaped.
//! 8. Re-escaping: every byte `<= 0x20`, `>= 0x7F`, `#` and `%` is written
//!    `%XX` with upper-case hex. Additionally a `\` in the path and the
//!    characters `/ \ ? @ : [ ]` in a host are escaped, so that the
//!    canonical string reads back as the same URL.
//!
//! The canonical string is therefore always ASCII, and canonicalization is
//! idempotent: parsing [`CanonicalUrl::as_str`] gives the same URL again.
//!
//! ```
//! use esafety::url::CanonicalUrl;
//!
//! let url = CanonicalUrl::parse("  HTTP://user:pw@WWW.Example.COM.:8080/a/./b/../%2525c?q=1#frag ")?;
//! assert_eq!(url.as_str(), "http://www.example.com/a/%25c?q=1");
//! assert_eq!(url.scheme(), "http");
//! assert_eq!(url.host(), "www.example.com");
//! assert_eq!(url.path(), "/a/%25c");
//! assert_eq!(url.query(), Some("q=1"));
//!
//! // Every legal IPv4 spelling is the same host.
//! for spelling in ["http://3279880203/", "http://0xC37F000B/", "http://0303.0177.0.013/", "http://195.127.11/"] {
//!     assert_eq!(CanonicalUrl::parse(spelling)?.host(), "195.127.0.11");
//! }
//!
//! // IDN hosts become punycode.
//! assert_eq!(CanonicalUrl::parse("http://Bücher.example/")?.host(), "xn--bcher-kva.example");
//!
//! // Canonicalization is idempotent.
//! assert_eq!(CanonicalUrl::parse(url.as_str())?, url);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Paths: the page the browser requests
//!
//! The lookup must name the page a browser fetches, or a listed page is
//! reached through another spelling of it. Two orders matter:
//!
//! - Dot segments before slash runs, as the Safe Browsing specification
//!   orders them ("resolve `/./` and `/../`", then "replace runs of
//!   consecutive slashes"): `/gallery/x93//../a.jpg` is
//!   `/gallery/x93/a.jpg` to a browser (the `..` removes the empty segment
//!   between the slashes), not `/gallery/a.jpg`.
//! - Dot segments a browser sees before unescaping. Browsers (the WHATWG
//!   URL Standard) keep an escaped `/` or `?` inside its segment, so in
//!   `/a%2Fb/../c` the `..` removes `a%2Fb` and the browser requests `/c`;
//!   unescaping first, as a literal reading of Safe Browsing does, would
//!   look up `/a/c` and miss `/c`. Everything else the specification says
//!   still happens after that: `dir%2Fpage` is looked up as `dir/page`
//!   (as a server that decodes `%2F` serves it), so a listed `dir/`
//!   covers it. Both choices can only make a list entry meet more
//!   spellings of its page, never fewer.
//!
//! ```
//! use esafety::url::CanonicalUrl;
//!
//! for spelling in [
//!     "http://evil.example/gallery/x93//../a.jpg",
//!     "http://evil.example/gallery/x93/.//../a.jpg",
//!     "http://evil.example/gallery/x93//%2e%2e/a.jpg",
//!     "http://evil.example/gallery/x93//.%2E/a.jpg",
//!     "http://evil.example/gallery/x93//./../a.jpg",
//!     "http://evil.example\\gallery\\x93\\\\..\\a.jpg",
//!     "http://evil.example/junk%2Fmore/../gallery/x93/a.jpg",
//! ] {
//!     assert_eq!(CanonicalUrl::parse(spelling)?.path(), "/gallery/x93/a.jpg", "{spelling}");
//! }
//! assert_eq!(CanonicalUrl::parse("http://e.example/dir%2Fpage.html")?.path(), "/dir/page.html");
//! # Ok::<(), esafety::UrlError>(())
//! ```
//!
//! The `url_browser` tests check this against the `url` crate (the WHATWG
//! URL Standard) for generated spellings: the lookup expressions of every
//! input it accepts as http(s) include the page it requests.
//!
//! # Addresses that are not web addresses
//!
//! A URL of a scheme that names no web page (`javascript:`, `data:`,
//! `about:`, `blob:`, `mailto:`, `tel:`, `file:`, `chrome:`) is
//! [`UrlError::UnsupportedScheme`], never a made-up `http://` host:
//! `javascript:1` is not the host `javascript` on port 1. The rule is the
//! one of step 3: a `name:` prefix is a scheme unless the name is a host
//! name (it has a `.` or is `localhost`) followed by a port number.
//!
//! What a face decides for one is the decision for every input that is
//! not a URL: block (fail closed). There is no page to look up, so no list
//! can clear it, and what such an address runs (a script in the current
//! page, inline data, a local file) is not something a web filter can
//! vouch for. `esafety check` prints a block line for it.
//!
//! ```
//! use esafety::url::{CanonicalUrl, UrlError};
//!
//! for input in ["javascript:1", "javascript:alert(1)", "about:blank", "data:text/html,hi", "tel:123", "intranet:8080"] {
//!     assert!(matches!(CanonicalUrl::parse(input), Err(UrlError::UnsupportedScheme { .. })), "{input}");
//! }
//! assert_eq!(CanonicalUrl::parse("localhost:8080/x")?.as_str(), "http://localhost/x");
//! assert_eq!(CanonicalUrl::parse("example.com:8080")?.as_str(), "http://example.com/");
//! # Ok::<(), esafety::UrlError>(())
//! ```
//!
//! # Deliberate differences from the Safe Browsing specification
//!
//! Each is tested in `tests/url_browser.rs`
//! (`documented_differences_from_safe_browsing`) and below.
//!
//! - **Escaped delimiters in hosts stay escaped.** `http://a%2Fb.example/`
//!   has the host `a%2Fb.example`; unescaped it would read back as the host
//!   `a` with a path. The same for `\ ? @ : [ ]`.
//! - **`%5C` stays escaped in a path.** Only a raw `\` is a slash (as in
//!   browsers); an unescaped `\` would read back as `/`.
//! - **An empty query is an expression.** `http://e.example/a?` is looked
//!   up as `e.example/a?` before `e.example/a`, so a list line written with
//!   the `?` meets it.
//! - **`host:1:2`**: the port is what follows the last `:`, and the rest is
//!   the host, its `:` escaped (`host%3A1`). Browsers reject the URL.
//! - **Hosts IDNA (UTS 46) rejects are errors** ([`UrlError::BadIdn`]),
//!   where the specification would keep the bytes escaped; browsers do not
//!   open them either.
//! - **Dot segments a browser sees are resolved before unescaping** (see
//!   "Paths").
//!
//! ```
//! use esafety::url::{CanonicalUrl, UrlError};
//!
//! assert_eq!(CanonicalUrl::parse("http://a%2Fb.example/")?.host(), "a%2Fb.example");
//! assert_eq!(CanonicalUrl::parse("http://e.example/a%5Cb")?.path(), "/a%5Cb");
//! let first: Vec<String> = CanonicalUrl::parse("http://e.example/a?")?.expressions().take(2).map(|e| e.to_string()).collect();
//! assert_eq!(first, ["e.example/a?", "e.example/a"]);
//! assert_eq!(CanonicalUrl::parse("http://host:1:2/")?.host(), "host%3A1");
//! assert!(matches!(CanonicalUrl::parse("http://ex\u{ff0f}ample.com/"), Err(UrlError::BadIdn { .. })));
//! # Ok::<(), esafety::UrlError>(())
//! ```
//!
//! # Lookup expressions
//!
//! [`CanonicalUrl::expressions`] yields the Safe Browsing host-suffix ×
//! path-prefix combinations that a URL is looked up under (at most 5 hosts
//! × 6 paths), and [`CanonicalUrl::host_suffixes`] every label-boundary
//! suffix of the host, for domain lists of any depth.
//!
//! ```
//! use esafety::url::CanonicalUrl;
//!
//! let url = CanonicalUrl::parse("http://a.b.c/1/2.html?param=1")?;
//! let expressions: Vec<String> = url.expressions().map(|e| e.to_string()).collect();
//! assert_eq!(expressions, [
//!     "a.b.c/1/2.html?param=1", "a.b.c/1/2.html", "a.b.c/", "a.b.c/1/",
//!     "b.c/1/2.html?param=1", "b.c/1/2.html", "b.c/", "b.c/1/",
//! ]);
//! let suffixes: Vec<&str> = url.host_suffixes().collect();
//! assert_eq!(suffixes, ["a.b.c", "b.c", "c"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod expressions;
mod fast;
mod host;
mod parse;
mod report;

use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

pub use expressions::{Expression, Expressions, HostSuffixes};
pub use report::{CanonicalizeFailure, CanonicalizeReport};

/// The longest input [`CanonicalUrl::parse`] accepts, in bytes (2 MiB):
/// [`Limits::MAX_URL_LEN`](crate::Limits::MAX_URL_LEN), kept under this name.
///
/// This is Chromium's own limit (`url::kMaxURLChars`): a browser does not
/// open a longer URL, so every address a browser can navigate to can be
/// checked. A lower limit would be a way past the lists: a listed page with
/// a long query or fragment added would be an error rather than a match,
/// and a caller that lets errors through would let it through. Work per URL
/// is linear in its length.
///
/// ```
/// use esafety::url::{CanonicalUrl, MAX_INPUT_LEN, UrlError};
/// let path = "a".repeat(MAX_INPUT_LEN - "http://example.com/".len());
/// assert!(CanonicalUrl::parse(&format!("http://example.com/{path}")).is_ok());
/// let err = CanonicalUrl::parse(&format!("http://example.com/{path}a")).unwrap_err();
/// assert_eq!(err, UrlError::TooLong { len: MAX_INPUT_LEN + 1, max: MAX_INPUT_LEN });
/// ```
pub const MAX_INPUT_LEN: usize = crate::Limits::MAX_URL_LEN;

/// The longest line a face reads from a stream as one URL input, in bytes
/// without its line ending: [`MAX_INPUT_LEN`] and 4 KiB of slack for the
/// white space around a URL (which canonicalization trims).
///
/// A face that reads URLs line by line (the CLI's `canonicalize`,
/// `classify` and `check` on standard input) holds at most this much of a
/// line: a longer line is answered with an error (and, where a decision is
/// due, a block), its bytes discarded as they arrive, and the stream goes
/// on with the next line. Memory therefore stays bounded whatever the
/// input, and no URL a browser can open is refused.
///
/// ```
/// use esafety::url::{MAX_INPUT_LEN, MAX_LINE_LEN};
/// assert_eq!(MAX_LINE_LEN, MAX_INPUT_LEN + 4096);
/// ```
pub const MAX_LINE_LEN: usize = crate::Limits::MAX_URL_LINE_LEN;

/// The text of a URL received as bytes that may not be UTF-8 (a request
/// line off the network, a log file): every byte that is not part of a
/// valid UTF-8 sequence is written `%XX`; valid UTF-8 is kept as it is
/// (and borrowed, not copied).
///
/// This changes nothing [`CanonicalUrl::parse`] decides: canonicalization
/// percent-unescapes before it looks at a byte, and an inserted `%XX`
/// stands for a byte of `0x80` or more, which is neither `%` nor a hex
/// digit, so it cannot join a neighbour into another escape. The result
/// canonicalizes exactly as the raw bytes would, where rejecting the line
/// would leave a proxy without an answer for that request.
///
/// ```
/// use esafety::url::{escape_invalid_utf8, CanonicalUrl};
///
/// let text = escape_invalid_utf8(b"http://example.com/caf\xe9/\xc3\xa9");
/// assert_eq!(text, "http://example.com/caf%E9/\u{e9}");
/// assert_eq!(
///     CanonicalUrl::parse(&text)?.as_str(),
///     "http://example.com/caf%E9/%C3%A9"
/// );
/// // Valid UTF-8 is borrowed unchanged.
/// assert!(matches!(escape_invalid_utf8(b"http://a.test/%ff"), std::borrow::Cow::Borrowed(_)));
/// # Ok::<(), esafety::UrlError>(())
/// ```
pub fn escape_invalid_utf8(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    use std::fmt::Write as _;
    // Nearly every request line is valid UTF-8 (most are ASCII):
    // `from_utf8` checks that a word at a time, where the chunk iterator
    // below goes byte by byte.
    if let Ok(text) = std::str::from_utf8(bytes) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut chunks = bytes.utf8_chunks();
    let Some(first) = chunks.next() else {
        return std::borrow::Cow::Borrowed("");
    };
    if first.invalid().is_empty() {
        // The first chunk ends only at invalid bytes or the end of input.
        return std::borrow::Cow::Borrowed(first.valid());
    }
    let mut out = String::with_capacity(bytes.len() + 2 * first.invalid().len());
    for chunk in std::iter::once(first).chain(chunks) {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{b:02X}");
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Why an input is not a URL that can be canonicalized.
///
/// Messages quote at most the first 100 bytes of the offending part.
///
/// ```
/// use esafety::url::{CanonicalUrl, UrlError};
/// let err = CanonicalUrl::parse("http://example.com:99999/").unwrap_err();
/// assert_eq!(err, UrlError::InvalidPort { port: "99999".into() });
/// assert_eq!(err.to_string(), "invalid port `99999`; a port is a decimal number from 0 to 65535");
/// let long_scheme = format!("{}:x", "z".repeat(500));
/// let err = CanonicalUrl::parse(&long_scheme).unwrap_err();
/// assert!(err.to_string().len() < 250, "quotes are cut to 100 bytes: {err}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UrlError {
    /// The input is empty or only white space.
    #[error("empty url; give a url such as `http://example.com/`")]
    Empty,
    /// The input is longer than [`MAX_INPUT_LEN`].
    #[error("url is {len} bytes long, over the limit of {max} bytes; shorten it")]
    TooLong {
        /// Length of the input in bytes.
        len: usize,
        /// The limit, [`MAX_INPUT_LEN`].
        max: usize,
    },
    /// The scheme is not one of `http`, `https`, `ftp`, `ws`, `wss`.
    #[error(
        "unsupported scheme `{scheme}`; only http, https, ftp, ws and wss urls can be canonicalized"
    )]
    UnsupportedScheme {
        /// The scheme as written (lowercased).
        scheme: String,
    },
    /// The host is empty (or only dots).
    #[error("url has an empty host; write one after the scheme, as in `http://example.com/`")]
    EmptyHost,
    /// The host cannot be a host: an invalid IPv6 literal, or a host ending
    /// in a number that is not a valid IPv4 address.
    #[error("invalid host `{host}`: {reason}")]
    InvalidHost {
        /// The host (as far as it was canonicalized).
        host: String,
        /// What is wrong with it and how to fix it.
        reason: &'static str,
    },
    /// A host with non-ASCII characters that IDNA (UTS 46) rejects.
    #[error(
        "invalid internationalized host `{host}`: IDNA (UTS 46) rejects it; check the host for stray or disallowed characters"
    )]
    BadIdn {
        /// The host after percent-unescaping.
        host: String,
    },
    /// The port is not a decimal number up to 65535.
    #[error("invalid port `{port}`; a port is a decimal number from 0 to 65535")]
    InvalidPort {
        /// The port as written.
        port: String,
    },
}

/// Truncates user input quoted in an error to at most 100 bytes.
fn quote(bytes: &[u8]) -> String {
    let cut = bytes.get(..100).unwrap_or(bytes);
    let mut s = String::from_utf8_lossy(cut).into_owned();
    if cut.len() < bytes.len() {
        s.push('…');
    }
    s
}

/// A URL in Safe Browsing (v4) canonical form.
///
/// The canonical string is held once; the accessors and
/// [`expressions`](Self::expressions) are slices of it. See the
/// [module documentation](self) for what canonicalization does.
///
/// Two `CanonicalUrl`s are equal exactly when their canonical strings are.
///
/// ```
/// use esafety::CanonicalUrl;
/// // The Safe Browsing examples: every spelling of one page is one URL.
/// let a = CanonicalUrl::parse("http://3279880203/blah")?;
/// assert_eq!(a.as_str(), "http://195.127.0.11/blah");
/// let b = CanonicalUrl::parse("http://www.GOOgle.com/blah/..")?;
/// assert_eq!(b, CanonicalUrl::parse("http://www.google.com/")?);
/// let c = CanonicalUrl::parse("http://%31%36%38%2e%31%38%38%2e%39%39%2e%32%36/%2E%73%65%63%75%72%65/%77%77%77%2E%65%62%61%79%2E%63%6F%6D/")?;
/// assert_eq!(c.as_str(), "http://168.188.99.26/.secure/www.ebay.com/");
/// # Ok::<(), esafety::UrlError>(())
/// ```
#[derive(Clone)]
pub struct CanonicalUrl {
    /// `scheme://host/path?query`, ASCII.
    serialization: String,
    /// Where the host starts (after `://`).
    host_start: usize,
    /// Where the host ends and the path (always starting with `/`) begins.
    host_end: usize,
    /// Where the path ends: the `?` of the query, or the end.
    path_end: usize,
    /// Whether there is a query (possibly empty: `/q?`).
    has_query: bool,
    /// Whether the host is an IPv4 or IPv6 address.
    is_ip: bool,
}

impl CanonicalUrl {
    /// Canonicalizes `input`.
    ///
    /// ```
    /// use esafety::url::{CanonicalUrl, UrlError};
    ///
    /// let url = CanonicalUrl::parse("www.GOOgle.com...")?;
    /// assert_eq!(url.as_str(), "http://www.google.com/");
    /// assert!(matches!(CanonicalUrl::parse("javascript:alert(1)"), Err(UrlError::UnsupportedScheme { .. })));
    /// assert!(matches!(CanonicalUrl::parse("   "), Err(UrlError::Empty)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`UrlError`] naming the reason when the input is empty, too long,
    /// has an unsupported scheme, an empty or invalid host, an IDN that
    /// IDNA rejects or an invalid port.
    ///
    /// # Panics
    ///
    /// Never, whatever the input.
    pub fn parse(input: &str) -> Result<CanonicalUrl, UrlError> {
        parse::parse(input)
    }

    /// [`parse`](Self::parse) without its one-pass fast path for inputs
    /// already in canonical shape: every input takes the general path.
    ///
    /// The result is always the same as `parse`'s; this is public (and
    /// hidden) only so that the `canonicalize` fuzz target can check that
    /// differentially. Use [`parse`](Self::parse).
    ///
    /// # Errors
    ///
    /// As [`parse`](Self::parse).
    #[doc(hidden)]
    #[cfg(feature = "fuzzing")]
    pub fn parse_general(input: &str) -> Result<CanonicalUrl, UrlError> {
        parse::parse_general(input)
    }

    /// The canonical string, `scheme://host/path?query`.
    ///
    /// ```
    /// use esafety::CanonicalUrl;
    /// // No fragment, userinfo or default port; `#` and what follows go.
    /// let url = CanonicalUrl::parse("https://user:pw@Example.COM:443/a/./b?q=1#top")?;
    /// assert_eq!(url.as_str(), "https://example.com/a/b?q=1");
    /// # Ok::<(), esafety::UrlError>(())
    /// ```
    pub fn as_str(&self) -> &str {
        &self.serialization
    }

    /// The scheme, lowercase (`http`, `https`, `ftp`, `ws` or `wss`).
    ///
    /// ```
    /// use esafety::CanonicalUrl;
    /// assert_eq!(CanonicalUrl::parse("WSS://chat.example/")?.scheme(), "wss");
    /// assert_eq!(CanonicalUrl::parse("example.com")?.scheme(), "http"); // none given
    /// # Ok::<(), esafety::UrlError>(())
    /// ```
    pub fn scheme(&self) -> &str {
        self.slice(0, self.host_start.saturating_sub(3))
    }

    /// The canonical host: lowercase punycode, a dotted quad for IPv4,
    /// `[…]` for IPv6. No userinfo, no port.
    ///
    /// ```
    /// use esafety::CanonicalUrl;
    /// assert_eq!(CanonicalUrl::parse("http://Bücher.Example./")?.host(), "xn--bcher-kva.example");
    /// assert_eq!(CanonicalUrl::parse("http://0x7f.1/")?.host(), "127.0.0.1");
    /// assert_eq!(CanonicalUrl::parse("http://[2001:DB8:0:0::1]:8080/")?.host(), "[2001:db8::1]");
    /// // An IPv4-mapped IPv6 address is its IPv4 address, so an IPv4 listing covers it.
    /// assert_eq!(CanonicalUrl::parse("http://[::FFFF:1.2.3.4]/")?.host(), "1.2.3.4");
    /// # Ok::<(), esafety::UrlError>(())
    /// ```
    pub fn host(&self) -> &str {
        self.slice(self.host_start, self.host_end)
    }

    /// Whether the host is an IP address (IPv4, or IPv6 in brackets).
    ///
    /// ```
    /// use esafety::CanonicalUrl;
    /// assert!(CanonicalUrl::parse("http://192.0.2.1/")?.is_ip());
    /// assert!(CanonicalUrl::parse("http://[2001:db8::1]/")?.is_ip());
    /// assert!(!CanonicalUrl::parse("http://192.0.2.1.example/")?.is_ip());
    /// # Ok::<(), esafety::UrlError>(())
    /// ```
    pub fn is_ip(&self) -> bool {
        self.is_ip
    }

    /// The canonical path; it always starts with `/`.
    ///
    /// ```
    /// use esafety::CanonicalUrl;
    /// assert_eq!(CanonicalUrl::parse("http://example.com")?.path(), "/");
    /// assert_eq!(CanonicalUrl::parse("http://example.com//a/../b/%7e?x")?.path(), "/b/~");
    /// # Ok::<(), esafety::UrlError>(())
    /// ```
    pub fn path(&self) -> &str {
        self.slice(self.host_end, self.path_end)
    }

    /// The query, without the `?`; `Some("")` for a URL ending in `?`.
    ///
    /// ```
    /// use esafety::CanonicalUrl;
    /// assert_eq!(CanonicalUrl::parse("http://example.com/a?b=1&c")?.query(), Some("b=1&c"));
    /// assert_eq!(CanonicalUrl::parse("http://example.com/a?")?.query(), Some(""));
    /// assert_eq!(CanonicalUrl::parse("http://example.com/a")?.query(), None);
    /// # Ok::<(), esafety::UrlError>(())
    /// ```
    pub fn query(&self) -> Option<&str> {
        if self.has_query {
            Some(self.slice(self.path_end.saturating_add(1), self.serialization.len()))
        } else {
            None
        }
    }

    /// `host/path?query` without the scheme: what URL-prefix and regular
    /// expression list entries are matched against.
    ///
    /// ```
    /// use esafety::url::CanonicalUrl;
    ///
    /// let url = CanonicalUrl::parse("https://Example.com:443/a?b")?;
    /// assert_eq!(url.host_and_path_query(), "example.com/a?b");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn host_and_path_query(&self) -> &str {
        self.slice(self.host_start, self.serialization.len())
    }

    /// The path and query as one slice (`/path?query`).
    fn path_and_query(&self) -> &str {
        self.slice(self.host_end, self.serialization.len())
    }

    /// The Safe Browsing lookup expressions, in the order the specification
    /// lists them: for each host (the exact host, then up to four suffixes
    /// from the last five labels down to the last two; none for an IP
    /// address), each path (path and query, path, then `/`, `/a/`, `/a/b/`,
    /// `/a/b/c/`, skipping repeats). At most 30.
    ///
    /// ```
    /// use esafety::url::CanonicalUrl;
    ///
    /// let url = CanonicalUrl::parse("http://1.2.3.4/1/")?;
    /// let expressions: Vec<String> = url.expressions().map(|e| e.to_string()).collect();
    /// assert_eq!(expressions, ["1.2.3.4/1/", "1.2.3.4/"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn expressions(&self) -> Expressions<'_> {
        Expressions::new(self)
    }

    /// Every suffix of the host on a label boundary, longest (the host
    /// itself) first, down to the last label. An IP host yields only itself.
    ///
    /// ```
    /// use esafety::url::CanonicalUrl;
    ///
    /// let url = CanonicalUrl::parse("http://a.b.c.d.e.f.g/")?;
    /// assert_eq!(url.host_suffixes().count(), 7);
    /// assert_eq!(url.host_suffixes().last(), Some("g"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn host_suffixes(&self) -> HostSuffixes<'_> {
        HostSuffixes::new(self.host(), self.is_ip)
    }

    /// A slice of the canonical string; empty if the range is not one (it
    /// always is: the offsets are set by the parser).
    fn slice(&self, start: usize, end: usize) -> &str {
        self.serialization.get(start..end).unwrap_or_default()
    }
}

impl PartialEq for CanonicalUrl {
    fn eq(&self, other: &Self) -> bool {
        self.serialization == other.serialization
    }
}

impl Eq for CanonicalUrl {}

impl Hash for CanonicalUrl {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.serialization.hash(state);
    }
}

impl PartialOrd for CanonicalUrl {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for CanonicalUrl {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.serialization.cmp(&other.serialization)
    }
}

impl fmt::Debug for CanonicalUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("CanonicalUrl")
            .field(&self.serialization)
            .finish()
    }
}

impl fmt::Display for CanonicalUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.serialization)
    }
}

impl AsRef<str> for CanonicalUrl {
    fn as_ref(&self) -> &str {
        &self.serialization
    }
}

impl FromStr for CanonicalUrl {
    type Err = UrlError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl From<CanonicalUrl> for String {
    fn from(url: CanonicalUrl) -> String {
        url.serialization
    }
}
