//! squidGuard's host chop, which lookups need too (the classifier applies
//! it to requests), so it is not behind the `compile` feature.

/// The host squidGuard looks a request up under, besides the host itself:
/// the host without one leading `www`, `web` or `ftp` label with any
/// digits after it (`www.`, `www2.`, `web.`, `ftp3.`), as squidGuard
/// 1.6's `parseLine` chops it; `None` if the host has no such label.
///
/// ```
/// use esafety::lists::squidguard_chop;
/// assert_eq!(squidguard_chop("www.tumblr.com"), Some("tumblr.com"));
/// assert_eq!(squidguard_chop("www2.tumblr.com"), Some("tumblr.com"));
/// assert_eq!(squidguard_chop("ftp.example.org"), Some("example.org"));
/// assert_eq!(squidguard_chop("webmail.example.org"), None);
/// assert_eq!(squidguard_chop("v2tc.tumblr.com"), None);
/// ```
pub fn squidguard_chop(host: &str) -> Option<&str> {
    let rest = ["www", "web", "ftp"]
        .iter()
        .find_map(|label| host.strip_prefix(label))?;
    rest.trim_start_matches(|c: char| c.is_ascii_digit())
        .strip_prefix('.')
}
