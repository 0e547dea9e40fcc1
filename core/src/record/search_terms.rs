//! Search terms from search-engine and video-site URLs (STANDARD.md,
//! "Monitoring": logs attribute access attempts *and search terms* to
//! user, device and time).
//!
//! The site is recognised from the canonical host and path; the terms are
//! read from the query of the URL *as the user's browser sent it*, decoded
//! once as `application/x-www-form-urlencoded` (`+` is a space), with the
//! `form_urlencoded` crate. The canonical URL cannot be used for the terms:
//! canonicalization unescapes repeatedly, so `cats %26 dogs` (`&`) and
//! `c%2B%2B` (`+`) would read as other searches.

use serde::{Deserialize, Serialize};

use crate::url::CanonicalUrl;

/// The most characters of search terms kept (a record stays one short
/// line; the rest is cut, ending in `…`).
///
/// ```
/// assert_eq!(esafety::record::MAX_TERMS_CHARS, 256);
/// ```
pub const MAX_TERMS_CHARS: usize = 256;

/// A site whose searches esafety reads.
///
/// ```
/// use esafety::record::{SearchSite, search_terms_of};
///
/// let found = search_terms_of("https://search.yahoo.com/search?p=volcano+facts")?.ok_or("none")?;
/// assert_eq!(found.site, SearchSite::Yahoo);
/// assert_eq!(serde_json::to_string(&SearchSite::DuckDuckGo)?, r#""duckduckgo""#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum SearchSite {
    /// Google web, image and video search (`q`).
    Google,
    /// Bing (`q`).
    Bing,
    /// DuckDuckGo (`q`).
    DuckDuckGo,
    /// Yahoo search (`p`).
    Yahoo,
    /// YouTube search results (`search_query`).
    YouTube,
    /// Ecosia (`q`).
    Ecosia,
    /// Brave Search (`q`).
    Brave,
    /// Startpage (`query`).
    Startpage,
    /// Yandex (`text`).
    Yandex,
    /// Baidu (`wd`, `word`).
    Baidu,
    /// Qwant (`q`).
    Qwant,
    /// TikTok search (`q`).
    TikTok,
    /// Vimeo search (`q`).
    Vimeo,
}

impl SearchSite {
    /// The stable id, as records spell it.
    ///
    /// ```
    /// use esafety::record::SearchSite;
    ///
    /// assert_eq!(SearchSite::YouTube.as_str(), "youtube");
    /// assert_eq!(serde_json::to_string(&SearchSite::Ecosia)?, r#""ecosia""#);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            SearchSite::Google => "google",
            SearchSite::Bing => "bing",
            SearchSite::DuckDuckGo => "duckduckgo",
            SearchSite::Yahoo => "yahoo",
            SearchSite::YouTube => "youtube",
            SearchSite::Ecosia => "ecosia",
            SearchSite::Brave => "brave",
            SearchSite::Startpage => "startpage",
            SearchSite::Yandex => "yandex",
            SearchSite::Baidu => "baidu",
            SearchSite::Qwant => "qwant",
            SearchSite::TikTok => "tiktok",
            SearchSite::Vimeo => "vimeo",
        }
    }
}

impl std::fmt::Display for SearchSite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a user searched for, and where.
///
/// ```
/// use esafety::record::{SearchSite, SearchTerms, search_terms_of};
///
/// let found = search_terms_of("https://www.google.co.uk/search?q=cats+%26+dogs&hl=en")?;
/// let want = SearchTerms { site: SearchSite::Google, terms: "cats & dogs".into() };
/// assert_eq!(found, Some(want));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SearchTerms {
    /// The search site.
    pub site: SearchSite,
    /// The terms as typed: decoded, white space collapsed to single spaces,
    /// at most [`MAX_TERMS_CHARS`] characters.
    pub terms: String,
}

/// Where a site's host may be.
#[derive(Clone, Copy)]
enum HostRule {
    /// `name.<tld>` or `name.<sld>.<tld>` (any country), with or without
    /// one of `prefixes` in front.
    AnyTld {
        name: &'static str,
        prefixes: &'static [&'static str],
    },
    /// Exactly one of these hosts.
    Exact(&'static [&'static str]),
    /// `base` or any subdomain of it.
    Under(&'static str),
}

/// Which paths are searches.
#[derive(Clone, Copy)]
enum PathRule {
    /// Any path.
    Any,
    /// One of these paths exactly, or (for entries ending in `/`) below it.
    OneOf(&'static [&'static str]),
}

struct Site {
    site: SearchSite,
    host: HostRule,
    path: PathRule,
    /// The query parameters that carry the terms, the first present wins.
    params: &'static [&'static str],
}

const SITES: &[Site] = &[
    Site {
        site: SearchSite::Google,
        host: HostRule::AnyTld {
            name: "google",
            prefixes: &["www.", "images.", "news.", "m."],
        },
        path: PathRule::OneOf(&["/search", "/images", "/webhp", "/m/search"]),
        params: &["q", "as_q"],
    },
    Site {
        site: SearchSite::Bing,
        host: HostRule::Exact(&["bing.com", "www.bing.com", "cn.bing.com", "m.bing.com"]),
        path: PathRule::OneOf(&[
            "/search",
            "/images/search",
            "/videos/search",
            "/news/search",
            "/shop",
        ]),
        params: &["q"],
    },
    Site {
        site: SearchSite::DuckDuckGo,
        host: HostRule::Exact(&[
            "duckduckgo.com",
            "www.duckduckgo.com",
            "html.duckduckgo.com",
            "lite.duckduckgo.com",
            "start.duckduckgo.com",
        ]),
        path: PathRule::Any,
        params: &["q"],
    },
    Site {
        site: SearchSite::Yahoo,
        host: HostRule::Under("search.yahoo.com"),
        path: PathRule::OneOf(&["/search", "/search/", "/yhs/search"]),
        params: &["p", "q"],
    },
    Site {
        site: SearchSite::YouTube,
        host: HostRule::Exact(&[
            "youtube.com",
            "www.youtube.com",
            "m.youtube.com",
            "music.youtube.com",
        ]),
        path: PathRule::OneOf(&["/results", "/search"]),
        params: &["search_query", "q"],
    },
    Site {
        site: SearchSite::Ecosia,
        host: HostRule::Exact(&["ecosia.org", "www.ecosia.org"]),
        path: PathRule::OneOf(&["/search", "/images", "/videos", "/news"]),
        params: &["q"],
    },
    Site {
        site: SearchSite::Brave,
        host: HostRule::Exact(&["search.brave.com"]),
        path: PathRule::OneOf(&["/search", "/images", "/videos", "/news"]),
        params: &["q"],
    },
    Site {
        site: SearchSite::Startpage,
        host: HostRule::Exact(&["startpage.com", "www.startpage.com", "eu.startpage.com"]),
        path: PathRule::OneOf(&["/do/search", "/sp/search", "/do/dsearch"]),
        params: &["query", "q"],
    },
    Site {
        site: SearchSite::Yandex,
        host: HostRule::AnyTld {
            name: "yandex",
            prefixes: &["www."],
        },
        path: PathRule::OneOf(&["/search", "/search/", "/images/search", "/video/search"]),
        params: &["text"],
    },
    Site {
        site: SearchSite::Baidu,
        host: HostRule::Exact(&["baidu.com", "www.baidu.com", "m.baidu.com"]),
        path: PathRule::OneOf(&["/s"]),
        params: &["wd", "word"],
    },
    Site {
        site: SearchSite::Qwant,
        host: HostRule::Exact(&["qwant.com", "www.qwant.com", "lite.qwant.com"]),
        path: PathRule::Any,
        params: &["q"],
    },
    Site {
        site: SearchSite::TikTok,
        host: HostRule::Exact(&["tiktok.com", "www.tiktok.com", "m.tiktok.com"]),
        path: PathRule::OneOf(&["/search", "/search/"]),
        params: &["q"],
    },
    Site {
        site: SearchSite::Vimeo,
        host: HostRule::Exact(&["vimeo.com", "www.vimeo.com"]),
        path: PathRule::OneOf(&["/search"]),
        params: &["q"],
    },
];

/// Whether `rest` is a public suffix shape: one or two labels of 2 to 3
/// lowercase letters (`com`, `co.uk`, `com.au`, `de`).
fn is_country_suffix(rest: &str) -> bool {
    let mut labels = 0;
    for label in rest.split('.') {
        labels += 1;
        if !(2..=3).contains(&label.len()) || !label.bytes().all(|b| b.is_ascii_lowercase()) {
            return false;
        }
    }
    (1..=2).contains(&labels)
}

impl HostRule {
    fn matches(self, host: &str) -> bool {
        match self {
            HostRule::AnyTld { name, prefixes } => {
                let bare = prefixes
                    .iter()
                    .find_map(|p| host.strip_prefix(p))
                    .unwrap_or(host);
                bare.strip_prefix(name)
                    .and_then(|r| r.strip_prefix('.'))
                    .is_some_and(is_country_suffix)
            }
            HostRule::Exact(hosts) => hosts.contains(&host),
            HostRule::Under(base) => {
                host == base
                    || host
                        .strip_suffix(base)
                        .is_some_and(|sub| sub.ends_with('.'))
            }
        }
    }
}

impl PathRule {
    fn matches(self, path: &str) -> bool {
        match self {
            PathRule::Any => true,
            PathRule::OneOf(paths) => paths
                .iter()
                .any(|p| path == *p || (p.ends_with('/') && path.starts_with(p))),
        }
    }
}

/// The query of `input` as sent: after the first `?`, before any `#`.
fn raw_query(input: &str) -> Option<&str> {
    let (_, after) = input.split_once('?')?;
    Some(after.split_once('#').map_or(after, |(q, _)| q))
}

/// Collapses white space (and control characters) to single spaces, trims
/// the ends and cuts at [`MAX_TERMS_CHARS`].
fn tidy(terms: &str) -> String {
    let mut out = String::with_capacity(terms.len().min(MAX_TERMS_CHARS * 4));
    let mut chars = 0;
    for word in terms.split(|c: char| c.is_whitespace() || c.is_control()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
            chars += 1;
        }
        for c in word.chars() {
            if chars >= MAX_TERMS_CHARS {
                out.push('…');
                return out;
            }
            out.push(c);
            chars += 1;
        }
    }
    out
}

/// The search terms of a request: `input` is the URL as the browser sent
/// it and `url` its canonical form (the site is read from `url`, the terms
/// from `input`'s query). `None` when the URL is not a search on a known
/// site, or the search is empty.
///
/// ```
/// use esafety::CanonicalUrl;
/// use esafety::record::{SearchSite, search_terms};
///
/// let input = "HTTPS://WWW.YouTube.com/results?search_query=how+to+draw%20a+cat";
/// let url = CanonicalUrl::parse(input)?;
/// let found = search_terms(input, &url).ok_or("no terms")?;
/// assert_eq!((found.site, found.terms.as_str()), (SearchSite::YouTube, "how to draw a cat"));
/// // A page that is not a search has no terms.
/// let page = "https://www.youtube.com/watch?v=abc";
/// assert_eq!(search_terms(page, &CanonicalUrl::parse(page)?), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn search_terms(input: &str, url: &CanonicalUrl) -> Option<SearchTerms> {
    let host = url.host();
    let path = url.path();
    let site = SITES
        .iter()
        .find(|s| s.host.matches(host) && s.path.matches(path))?;
    // The raw query, unless the input has none where the canonical URL has
    // one (an input canonicalization had to repair): then the canonical.
    let query = raw_query(input).or_else(|| url.query())?;
    for param in site.params {
        let value = form_urlencoded::parse(query.as_bytes())
            .find(|(key, _)| key == param)
            .map(|(_, value)| value);
        if let Some(value) = value {
            let terms = tidy(&value);
            if terms.is_empty() {
                return None;
            }
            return Some(SearchTerms {
                site: site.site,
                terms,
            });
        }
    }
    None
}

/// [`search_terms`] for a URL that is not canonicalized yet.
///
/// ```
/// use esafety::record::{SearchSite, search_terms_of};
///
/// let found = search_terms_of("https://www.ecosia.org/search?method=index&q=tree+planting")?;
/// assert_eq!(found.map(|f| (f.site, f.terms)), Some((SearchSite::Ecosia, "tree planting".into())));
/// assert!(search_terms_of("mailto:head@school.example").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`crate::UrlError`] when `input` cannot be canonicalized.
pub fn search_terms_of(input: &str) -> Result<Option<SearchTerms>, crate::UrlError> {
    let url = CanonicalUrl::parse(input)?;
    Ok(search_terms(input, &url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes() {
        for (rest, ok) in [
            ("com", true),
            ("co.uk", true),
            ("com.au", true),
            ("evil.example", false),
            ("c", false),
            ("a.b.c", false),
            ("", false),
        ] {
            assert_eq!(is_country_suffix(rest), ok, "{rest}");
        }
    }

    #[test]
    fn tidy_collapses_and_cuts() {
        assert_eq!(tidy("  a \t b\n\nc "), "a b c");
        assert_eq!(tidy("   "), "");
        let long = "x".repeat(MAX_TERMS_CHARS + 10);
        let cut = tidy(&long);
        assert_eq!(cut.chars().count(), MAX_TERMS_CHARS + 1);
        assert!(cut.ends_with('…'));
    }
}
