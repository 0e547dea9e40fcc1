//! Warn and proceed on a proxy: the warning page's "continue" link, and the
//! one request it lets through.
//!
//! A `warn` decision shows a warning the user may continue past (the policy
//! action's meaning). A browser extension can remember the choice itself; a
//! proxy sees only requests, so the choice has to come back as one: the
//! warning page links to a *proceed address* on the reserved host
//! [`PROCEED_HOST`] (`.invalid` never resolves, so only the filter answers
//! it), carrying the warned URL and a token. The token is an HMAC over who
//! asked, the canonical URL and an expiry, under a key only the filter
//! holds: a page cannot make a child "continue" to a warned page by
//! embedding a proceed address of its own (the browser would request it,
//! but the token would not check).
//!
//! A checked proceed address grants one pass ([`ProceedPasses`]): the next
//! request from the same person for the same canonical URL, within
//! [`PASS_SECONDS`], goes ahead, and its record says `proceeded: true`
//! ([`DecisionRecord::mark_proceeded`]). Only a request the policy *warns*
//! about can proceed: a block stays a block whatever the token says, and
//! the decision is made again when the pass is used.
//!
//! ```
//! use esafety::CanonicalUrl;
//! use esafety::record::{ProceedKey, ProceedLink, ProceedPasses};
//!
//! let key = ProceedKey::new(b"a key the helper keeps in memory")?;
//! let now: jiff::Timestamp = "2026-03-02T10:00:00Z".parse()?;
//! // The warning page links to this address.
//! let link = key.link("10.0.0.7", "https://games.example:8443/play", now).ok_or("not a url")?;
//! assert!(link.starts_with("http://proceed.esafety.invalid/?url=https%3A%2F%2Fgames.example%3A8443%2Fplay&token="));
//! // The browser requests it through the proxy: the token checks, one pass is granted.
//! let ProceedLink::Proceed { url: warned, token } = ProceedLink::parse(&link) else { unreachable!() };
//! // The redirect goes to the URL as requested (port and all); the token
//! // and the pass are for its canonical form.
//! assert_eq!(warned, "https://games.example:8443/play");
//! let warned = CanonicalUrl::parse(&warned)?;
//! let url = CanonicalUrl::parse("https://games.example/play")?;
//! key.check(&token, "10.0.0.7", &warned, now)?;
//! let mut passes = ProceedPasses::new();
//! passes.grant("10.0.0.7", &warned, now);
//! // Someone else's token does not check; the pass is used once.
//! assert!(key.check(&token, "10.0.0.8", &warned, now).is_err());
//! assert!(passes.take("10.0.0.7", &url, now));
//! assert!(!passes.take("10.0.0.7", &url, now));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;
use std::fmt::{self, Write as _};

use hmac::{Hmac, KeyInit as _, Mac as _};
use sha2::Sha256;

use crate::url::CanonicalUrl;

/// The host of every proceed address (RFC 2606 reserves `.invalid`: it
/// never resolves, so a request for it reaches no one but the filter).
///
/// ```
/// assert_eq!(esafety::record::PROCEED_HOST, "proceed.esafety.invalid");
/// ```
pub const PROCEED_HOST: &str = "proceed.esafety.invalid";

/// How long a proceed address stays good after the warning is shown, and
/// how long a granted pass waits for its request, in seconds.
///
/// ```
/// assert_eq!(esafety::record::PASS_SECONDS, 300);
/// ```
pub const PASS_SECONDS: i64 = 300;

/// At most this many passes wait at once; past it, the oldest is dropped
/// (its user sees the warning again: never a request let through).
///
/// ```
/// assert_eq!(esafety::record::MAX_PASSES, 10_000);
/// ```
pub const MAX_PASSES: usize = 10_000;

/// The fewest key bytes accepted.
///
/// ```
/// assert_eq!(esafety::record::MIN_PROCEED_KEY_LEN, 16);
/// ```
pub const MIN_PROCEED_KEY_LEN: usize = 16;

/// Why a proceed address is not honoured.
///
/// ```
/// use esafety::CanonicalUrl;
/// use esafety::record::{ProceedError, ProceedKey};
///
/// let key = ProceedKey::new(&[1; 32])?;
/// let url = CanonicalUrl::parse("https://games.example/")?;
/// let err = key.check("12.ab", "10.0.0.7", &url, "2026-03-02T10:00:00Z".parse()?).unwrap_err();
/// assert_eq!(err, ProceedError::Expired);
/// assert_eq!(err.to_string(), "the proceed address has expired; open the warned page again to get a new one");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProceedError {
    /// The key is shorter than [`MIN_PROCEED_KEY_LEN`] bytes.
    #[error("the proceed key is {len} bytes long; use at least {MIN_PROCEED_KEY_LEN} random bytes")]
    KeyTooShort {
        /// The key's length in bytes.
        len: usize,
    },
    /// The token is not `EXPIRY.HEX` as [`ProceedKey::token`] writes it.
    #[error("the proceed token is malformed; use the link of the warning page")]
    Malformed,
    /// The token's expiry has passed.
    #[error("the proceed address has expired; open the warned page again to get a new one")]
    Expired,
    /// The token was not made by this key for this person and URL.
    #[error(
        "the proceed token does not match this user and address; use the link of the warning page"
    )]
    Forged,
}

/// The secret key of proceed tokens. Its `Debug` output never shows it.
///
/// ```
/// use esafety::record::ProceedKey;
///
/// let key = ProceedKey::new(b"0123456789abcdef")?;
/// assert!(!format!("{key:?}").contains("0123"));
/// assert!(ProceedKey::new(b"short").is_err());
/// # Ok::<(), esafety::record::ProceedError>(())
/// ```
#[derive(Clone)]
pub struct ProceedKey {
    key: Vec<u8>,
}

impl fmt::Debug for ProceedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ProceedKey(..)")
    }
}

impl ProceedKey {
    /// A key from its bytes (at least [`MIN_PROCEED_KEY_LEN`]); a proxy
    /// makes one at random when it starts (tokens need not outlive it).
    ///
    /// ```
    /// let key = esafety::record::ProceedKey::new(&[9; 32])?;
    /// # Ok::<(), esafety::record::ProceedError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ProceedError::KeyTooShort`].
    pub fn new(key: &[u8]) -> Result<ProceedKey, ProceedError> {
        if key.len() < MIN_PROCEED_KEY_LEN {
            return Err(ProceedError::KeyTooShort { len: key.len() });
        }
        Ok(ProceedKey { key: key.to_vec() })
    }

    /// The MAC of (who, url, expiry), 16 bytes in lowercase hex.
    fn mac(&self, who: &str, url: &CanonicalUrl, expires: i64) -> Option<String> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).ok()?;
        mac.update(b"esafety-proceed\0");
        mac.update(who.as_bytes());
        mac.update(b"\0");
        mac.update(url.as_str().as_bytes());
        mac.update(b"\0");
        mac.update(expires.to_string().as_bytes());
        let digest = mac.finalize().into_bytes();
        let mut hex = String::with_capacity(32);
        for b in digest.iter().take(16) {
            // Writing to a String cannot fail.
            let _ = write!(hex, "{b:02x}");
        }
        Some(hex)
    }

    /// The token for `who` (the client's address or user name, as the face
    /// names people) to continue to `url`, good for [`PASS_SECONDS`] from
    /// `now`: `EXPIRY.HEX`, the expiry in Unix seconds.
    ///
    /// ```
    /// use esafety::CanonicalUrl;
    /// use esafety::record::ProceedKey;
    ///
    /// let key = ProceedKey::new(&[9; 32])?;
    /// let url = CanonicalUrl::parse("https://games.example/")?;
    /// let token = key.token("alice", &url, "2026-03-02T10:00:00Z".parse()?);
    /// assert!(token.starts_with("1772445900."), "{token}"); // ten:00 + 300 s
    /// assert_eq!(token.len(), 11 + 32);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn token(&self, who: &str, url: &CanonicalUrl, now: jiff::Timestamp) -> String {
        let expires = now.as_second().saturating_add(PASS_SECONDS);
        let mac = self.mac(who, url, expires).unwrap_or_default();
        format!("{expires}.{mac}")
    }

    /// The proceed address for the warning page of the request `input`
    /// (the URL as requested: the redirect after the check goes there):
    /// `http://` [`PROCEED_HOST`] `/?url=INPUT&token=TOKEN`, both
    /// query-escaped, the token for `input`'s canonical form. `None` when
    /// `input` is not a URL the engine reads.
    ///
    /// ```
    /// use esafety::record::ProceedKey;
    ///
    /// let key = ProceedKey::new(&[9; 32])?;
    /// let link = key.link("alice", "https://games.example/a b", "2026-03-02T10:00:00Z".parse()?);
    /// let link = link.ok_or("not a url")?;
    /// assert!(link.starts_with("http://proceed.esafety.invalid/?url=https%3A%2F%2Fgames.example%2Fa%20b&token=1772445900."), "{link}");
    /// assert_eq!(key.link("alice", "mailto:x", "2026-03-02T10:00:00Z".parse()?), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn link(&self, who: &str, input: &str, now: jiff::Timestamp) -> Option<String> {
        let url = CanonicalUrl::parse(input).ok()?;
        let token = self.token(who, &url, now);
        Some(format!(
            "http://{PROCEED_HOST}/?url={}&token={}",
            query_escape(input),
            query_escape(&token)
        ))
    }

    /// Whether `token` is this key's, for `who` and `url`, and not expired
    /// at `now`.
    ///
    /// ```
    /// use esafety::CanonicalUrl;
    /// use esafety::record::{ProceedError, ProceedKey};
    ///
    /// let key = ProceedKey::new(&[9; 32])?;
    /// let url = CanonicalUrl::parse("https://games.example/")?;
    /// let now: jiff::Timestamp = "2026-03-02T10:00:00Z".parse()?;
    /// let token = key.token("alice", &url, now);
    /// assert_eq!(key.check(&token, "alice", &url, now), Ok(()));
    /// let other = CanonicalUrl::parse("https://games.example/other")?;
    /// assert_eq!(key.check(&token, "alice", &other, now), Err(ProceedError::Forged));
    /// let later = now + jiff::SignedDuration::from_secs(301);
    /// assert_eq!(key.check(&token, "alice", &url, later), Err(ProceedError::Expired));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ProceedError::Malformed`], [`ProceedError::Expired`] or
    /// [`ProceedError::Forged`].
    pub fn check(
        &self,
        token: &str,
        who: &str,
        url: &CanonicalUrl,
        now: jiff::Timestamp,
    ) -> Result<(), ProceedError> {
        let (expires, mac) = token.split_once('.').ok_or(ProceedError::Malformed)?;
        if expires.is_empty() || !expires.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ProceedError::Malformed);
        }
        let expires: i64 = expires.parse().map_err(|_| ProceedError::Malformed)?;
        if expires < now.as_second() {
            return Err(ProceedError::Expired);
        }
        // No token is good for longer than a fresh one would be.
        if expires > now.as_second().saturating_add(PASS_SECONDS) {
            return Err(ProceedError::Forged);
        }
        let want = self.mac(who, url, expires).ok_or(ProceedError::Forged)?;
        // Constant-time comparison of the hex digits.
        let same = want.len() == mac.len()
            && want
                .bytes()
                .zip(mac.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        if same {
            Ok(())
        } else {
            Err(ProceedError::Forged)
        }
    }
}

/// A request's URL read as a proceed address, or not one.
///
/// ```
/// use esafety::record::ProceedLink;
///
/// assert_eq!(ProceedLink::parse("https://www.bbc.co.uk/"), ProceedLink::NotProceed);
/// assert_eq!(ProceedLink::parse("http://proceed.esafety.invalid/?token=1.ab"), ProceedLink::Malformed);
/// assert_eq!(
///     ProceedLink::parse("http://proceed.esafety.invalid/?url=https%3A%2F%2Fgames.example%2F&token=1.ab"),
///     ProceedLink::Proceed { url: "https://games.example/".to_owned(), token: "1.ab".to_owned() },
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProceedLink {
    /// Not a proceed address: decide it as any request.
    NotProceed,
    /// A proceed address without a `url` and a `token`: block it.
    Malformed,
    /// A proceed address: the warned URL (as written, to canonicalize) and
    /// the token.
    Proceed {
        /// The warned URL, query-unescaped.
        url: String,
        /// The token, query-unescaped.
        token: String,
    },
}

impl ProceedLink {
    /// Reads `input` (a request URL as the proxy passes it): its host is
    /// [`PROCEED_HOST`] (any case, `http` or `https`, no port) or it is not
    /// a proceed address.
    ///
    /// ```
    /// use esafety::record::ProceedLink;
    ///
    /// let link = ProceedLink::parse("HTTP://Proceed.Esafety.Invalid/?token=1.ab&url=x");
    /// assert!(matches!(link, ProceedLink::Proceed { .. }));
    /// ```
    pub fn parse(input: &str) -> ProceedLink {
        let rest = input.trim();
        let Some((scheme, rest)) = rest.split_once("://") else {
            return ProceedLink::NotProceed;
        };
        if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
            return ProceedLink::NotProceed;
        }
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (host, tail) = rest.split_at(end);
        if !host.eq_ignore_ascii_case(PROCEED_HOST) {
            return ProceedLink::NotProceed;
        }
        let query = tail
            .split_once('?')
            .map_or("", |(_, q)| q.split('#').next().unwrap_or(q));
        let (mut url, mut token) = (None, None);
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            match &*name {
                "url" if url.is_none() => url = Some(value.into_owned()),
                "token" if token.is_none() => token = Some(value.into_owned()),
                _ => {}
            }
        }
        match (url, token) {
            (Some(url), Some(token)) if !url.is_empty() && !token.is_empty() => {
                ProceedLink::Proceed { url, token }
            }
            _ => ProceedLink::Malformed,
        }
    }
}

/// Passes granted by checked proceed addresses, each for one request from
/// one person for one canonical URL within [`PASS_SECONDS`]; at most
/// [`MAX_PASSES`] at once.
///
/// ```
/// use esafety::CanonicalUrl;
/// use esafety::record::ProceedPasses;
///
/// let url = CanonicalUrl::parse("https://games.example/")?;
/// let now: jiff::Timestamp = "2026-03-02T10:00:00Z".parse()?;
/// let mut passes = ProceedPasses::new();
/// passes.grant("alice", &url, now);
/// assert_eq!(passes.len(), 1);
/// assert!(!passes.take("bob", &url, now));
/// let late = now + jiff::SignedDuration::from_secs(301);
/// assert!(!passes.take("alice", &url, late)); // expired
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default)]
pub struct ProceedPasses {
    /// (who, canonical URL) → expiry (Unix seconds).
    passes: HashMap<(String, String), i64>,
}

impl ProceedPasses {
    /// No passes.
    ///
    /// ```
    /// assert!(esafety::record::ProceedPasses::new().is_empty());
    /// ```
    pub fn new() -> ProceedPasses {
        ProceedPasses::default()
    }

    /// Lets the next request from `who` for `url` go ahead, until
    /// [`PASS_SECONDS`] after `now`. Expired passes are dropped first; at
    /// [`MAX_PASSES`] the one that expires soonest goes.
    ///
    /// ```
    /// use esafety::CanonicalUrl;
    /// use esafety::record::ProceedPasses;
    ///
    /// let url = CanonicalUrl::parse("https://games.example/")?;
    /// let mut passes = ProceedPasses::new();
    /// passes.grant("alice", &url, "2026-03-02T10:00:00Z".parse()?);
    /// assert!(passes.take("alice", &url, "2026-03-02T10:04:00Z".parse()?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn grant(&mut self, who: &str, url: &CanonicalUrl, now: jiff::Timestamp) {
        let now = now.as_second();
        if self.passes.len() >= MAX_PASSES {
            self.passes.retain(|_, expires| *expires >= now);
        }
        if self.passes.len() >= MAX_PASSES
            && let Some(soonest) = self
                .passes
                .iter()
                .min_by_key(|(_, expires)| **expires)
                .map(|(key, _)| key.clone())
        {
            self.passes.remove(&soonest);
        }
        self.passes.insert(
            (who.to_owned(), url.as_str().to_owned()),
            now.saturating_add(PASS_SECONDS),
        );
    }

    /// Uses the pass of `who` for `url`, if one is waiting and not expired.
    ///
    /// ```
    /// use esafety::CanonicalUrl;
    /// use esafety::record::ProceedPasses;
    ///
    /// let url = CanonicalUrl::parse("https://games.example/")?;
    /// assert!(!ProceedPasses::new().take("alice", &url, "2026-03-02T10:00:00Z".parse()?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn take(&mut self, who: &str, url: &CanonicalUrl, now: jiff::Timestamp) -> bool {
        if self.passes.is_empty() {
            return false;
        }
        match self
            .passes
            .remove(&(who.to_owned(), url.as_str().to_owned()))
        {
            Some(expires) => expires >= now.as_second(),
            None => false,
        }
    }

    /// How many passes wait.
    ///
    /// ```
    /// assert_eq!(esafety::record::ProceedPasses::new().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.passes.len()
    }

    /// Whether no pass waits.
    ///
    /// ```
    /// assert!(esafety::record::ProceedPasses::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.passes.is_empty()
    }
}

/// `application/x-www-form-urlencoded`-safe: unreserved bytes as they are,
/// everything else `%XX`.
fn query_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3 / 2);
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> CanonicalUrl {
        CanonicalUrl::parse(s).unwrap()
    }

    fn at(s: &str) -> jiff::Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn link_round_trips_through_parse() {
        let key = ProceedKey::new(&[3; 32]).unwrap();
        let now = at("2026-03-02T10:00:00Z");
        for input in [
            "https://games.example/",
            "http://games.example/a?b=c&d=%20e",
            "https://xn--bcher-kva.example/%E2%82%AC",
            "http://[::1]:8080/x",
        ] {
            let link = key.link("10.0.0.7", input, now).unwrap();
            let ProceedLink::Proceed { url: back, token } = ProceedLink::parse(&link) else {
                panic!("{input}: {link} not a proceed link");
            };
            assert_eq!(back, input, "{input}");
            assert_eq!(
                key.check(&token, "10.0.0.7", &url(&back), now),
                Ok(()),
                "{input}"
            );
        }
    }

    #[test]
    fn check_refusals() {
        let key = ProceedKey::new(&[3; 32]).unwrap();
        let other_key = ProceedKey::new(&[4; 32]).unwrap();
        let now = at("2026-03-02T10:00:00Z");
        let u = url("https://games.example/");
        let good = key.token("alice", &u, now);
        let (expiry, mac) = good.split_once('.').unwrap();
        let far = format!("{}.{mac}", now.as_second() + 10 * PASS_SECONDS);
        let flipped = format!(
            "{expiry}.{}{}",
            if mac.starts_with('0') { '1' } else { '0' },
            mac.get(1..).unwrap()
        );
        let cases: [(&str, String, &str, Result<(), ProceedError>); 8] = [
            ("good", good.clone(), "alice", Ok(())),
            (
                "another user",
                good.clone(),
                "bob",
                Err(ProceedError::Forged),
            ),
            (
                "another key",
                other_key.token("alice", &u, now),
                "alice",
                Err(ProceedError::Forged),
            ),
            (
                "one hex digit changed",
                flipped,
                "alice",
                Err(ProceedError::Forged),
            ),
            ("expiry stretched", far, "alice", Err(ProceedError::Forged)),
            (
                "no dot",
                mac.to_owned(),
                "alice",
                Err(ProceedError::Malformed),
            ),
            (
                "signed expiry",
                format!("-1.{mac}"),
                "alice",
                Err(ProceedError::Malformed),
            ),
            (
                "empty",
                String::new(),
                "alice",
                Err(ProceedError::Malformed),
            ),
        ];
        for (name, token, who, want) in cases {
            assert_eq!(key.check(&token, who, &u, now), want, "{name}");
        }
        let late = now + jiff::SignedDuration::from_secs(PASS_SECONDS + 1);
        assert_eq!(
            key.check(&good, "alice", &u, late),
            Err(ProceedError::Expired)
        );
    }

    #[test]
    fn parse_cases() {
        let cases = [
            (
                "ordinary url",
                "https://games.example/",
                ProceedLink::NotProceed,
            ),
            (
                "lookalike host",
                "http://proceed.esafety.invalid.example/?url=a&token=b",
                ProceedLink::NotProceed,
            ),
            (
                "port",
                "http://proceed.esafety.invalid:8080/?url=a&token=b",
                ProceedLink::NotProceed,
            ),
            (
                "ftp",
                "ftp://proceed.esafety.invalid/?url=a&token=b",
                ProceedLink::NotProceed,
            ),
            (
                "no query",
                "http://proceed.esafety.invalid/",
                ProceedLink::Malformed,
            ),
            (
                "empty url",
                "http://proceed.esafety.invalid/?url=&token=b",
                ProceedLink::Malformed,
            ),
            (
                "first of repeated",
                "http://proceed.esafety.invalid/?url=a&url=c&token=b#frag",
                ProceedLink::Proceed {
                    url: "a".to_owned(),
                    token: "b".to_owned(),
                },
            ),
        ];
        for (name, input, want) in cases {
            assert_eq!(ProceedLink::parse(input), want, "{name}");
        }
    }

    #[test]
    fn passes_are_bounded_and_single_use() {
        let mut passes = ProceedPasses::new();
        let now = at("2026-03-02T10:00:00Z");
        let u = url("https://games.example/");
        for i in 0..MAX_PASSES + 5 {
            passes.grant(&format!("client-{i}"), &u, now);
        }
        assert_eq!(passes.len(), MAX_PASSES);
        assert!(passes.take(&format!("client-{}", MAX_PASSES + 4), &u, now));
        assert!(!passes.take(&format!("client-{}", MAX_PASSES + 4), &u, now));
    }
}
