//! Safe-search enforcement: rewriting a search-engine URL to its safe-search
//! form (STANDARD.md, "Features a filter is expected to have": safe-search
//! enforcement).

use serde::{Deserialize, Serialize};

/// A search engine whose safe-search form esafety knows.
///
/// ```
/// use esafety::policy::{SearchEngine, safe_search};
///
/// let bing = safe_search("https://www.bing.com/images/search?q=volcanoes").ok_or("no rewrite")?;
/// assert_eq!(bing.engine, SearchEngine::Bing);
/// assert_eq!(bing.url, "https://www.bing.com/images/search?q=volcanoes&adlt=strict");
/// assert_eq!(serde_json::to_string(&SearchEngine::DuckDuckGo)?, r#""duckduckgo""#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SearchEngine {
    /// Google web and image search: `safe=active`.
    Google,
    /// Bing: `adlt=strict`.
    Bing,
    /// DuckDuckGo: `kp=1`.
    DuckDuckGo,
    /// YouTube: Restricted Mode (`restrict.youtube.com`, header
    /// `YouTube-Restrict: Strict`).
    YouTube,
}

impl SearchEngine {
    /// The stable id: `google`, `bing`, `duckduckgo`, `youtube`.
    ///
    /// ```
    /// use esafety::policy::SearchEngine;
    ///
    /// assert_eq!(SearchEngine::DuckDuckGo.as_str(), "duckduckgo");
    /// assert_eq!(SearchEngine::YouTube.as_str(), "youtube");
    /// // The same id as the JSON of a decision uses.
    /// for engine in [SearchEngine::Google, SearchEngine::Bing, SearchEngine::YouTube] {
    ///     assert_eq!(serde_json::to_string(&engine)?, format!("\"{}\"", engine.as_str()));
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            SearchEngine::Google => "google",
            SearchEngine::Bing => "bing",
            SearchEngine::DuckDuckGo => "duckduckgo",
            SearchEngine::YouTube => "youtube",
        }
    }
}

/// A safe-search rewrite of one URL.
///
/// ```
/// use esafety::policy::{SearchEngine, safe_search};
///
/// let yt = safe_search("https://www.youtube.com/watch?v=abc123").ok_or("no rewrite")?;
/// assert_eq!(yt.engine, SearchEngine::YouTube);
/// assert_eq!(yt.url, "https://restrict.youtube.com/watch?v=abc123");
/// let header = yt.header.ok_or("no header")?;
/// assert_eq!((header.0.as_str(), header.1.as_str()), ("YouTube-Restrict", "Strict"));
///
/// let ddg = safe_search("https://duckduckgo.com/?q=volcanoes").ok_or("no rewrite")?;
/// assert_eq!((ddg.url.as_str(), ddg.header), ("https://duckduckgo.com/?q=volcanoes&kp=1", None));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafeSearch {
    /// Which engine.
    pub engine: SearchEngine,
    /// The URL to send the user to instead.
    pub url: String,
    /// A request header a proxy should add as well (`name`, `value`), where
    /// the engine honours one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<(String, String)>,
}

struct Parts<'a> {
    scheme: &'a str,
    host: &'a str,
    port: &'a str,
    path: &'a str,
    query: Option<&'a str>,
}

fn split(url: &str) -> Option<Parts<'_>> {
    let (scheme, rest) = url.split_once("://")?;
    let (authority, path_query) = match rest.find('/') {
        Some(i) => (rest.get(..i)?, rest.get(i..)?),
        None => (rest, "/"),
    };
    let (host, port) = match authority.rfind(':') {
        Some(i) if !authority.ends_with(']') => (authority.get(..i)?, authority.get(i..)?),
        _ => (authority, ""),
    };
    let (path, query) = match path_query.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path_query, None),
    };
    Some(Parts {
        scheme,
        host,
        port,
        path,
        query,
    })
}

/// Whether `host` is `name.<tld>` or `www.name.<tld>` for a country or
/// generic suffix such as `com`, `co.uk`, `com.au`.
fn is_engine_host(host: &str, name: &str) -> bool {
    let host = host.strip_prefix("www.").unwrap_or(host);
    let Some(rest) = host.strip_prefix(name).and_then(|r| r.strip_prefix('.')) else {
        return false;
    };
    let labels: Vec<&str> = rest.split('.').collect();
    (1..=2).contains(&labels.len())
        && labels
            .iter()
            .all(|l| (2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_lowercase()))
}

/// The query with `key` set to `value` (replacing every earlier `key=`).
fn with_param(query: Option<&str>, key: &str, value: &str) -> String {
    let mut out: Vec<String> = query
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| p.split('=').next() != Some(key))
        .map(str::to_owned)
        .collect();
    out.push(format!("{key}={value}"));
    out.join("&")
}

fn has_param(query: Option<&str>, key: &str) -> bool {
    query
        .unwrap_or("")
        .split('&')
        .any(|p| p.split('=').next() == Some(key))
}

/// Whether `host` could be a host [`safe_search`] rewrites: its first or
/// second label starts with an engine's name. A cheap test on the canonical
/// host that spares the evaluator taking apart every URL it allows.
pub(crate) fn may_be_engine_host(host: &str) -> bool {
    const NAMES: [&[u8]; 4] = [b"google", b"bing", b"duckduckgo", b"youtube"];
    let host = host.as_bytes();
    // A plain loop: hosts are short, and a memchr-based split costs more
    // than the test on WebAssembly. (No name contains a dot, so "the rest
    // starts with the name" is "the label starts with the name".)
    let second = host
        .iter()
        .position(|&b| b == b'.')
        .map_or(host.len(), |dot| dot + 1);
    [0, second].into_iter().any(|at| {
        host.get(at..)
            .is_some_and(|rest| NAMES.iter().any(|n| rest.starts_with(n)))
    })
}

/// The safe-search form of a canonical URL, if it is a search on a known
/// engine (Google, Bing, DuckDuckGo) or a YouTube page.
///
/// The URL should be canonical ([`crate::url::CanonicalUrl::as_str`]); the
/// rewrite keeps everything but the safe-search parameter or host, and is
/// idempotent on its own output (apart from YouTube, whose restricted host
/// is already the rewrite).
///
/// ```
/// use esafety::policy::{safe_search, SearchEngine};
/// let s = safe_search("http://www.google.co.uk/search?q=cats&safe=off").unwrap();
/// assert_eq!(s.engine, SearchEngine::Google);
/// assert_eq!(s.url, "http://www.google.co.uk/search?q=cats&safe=active");
/// assert!(safe_search("http://example.com/search?q=cats").is_none());
/// ```
pub fn safe_search(url: &str) -> Option<SafeSearch> {
    let p = split(url)?;
    let rebuild =
        |host: &str, query: &str| format!("{}://{}{}{}?{}", p.scheme, host, p.port, p.path, query);
    if is_engine_host(p.host, "google") && (p.path == "/search" || p.path == "/images") {
        return Some(SafeSearch {
            engine: SearchEngine::Google,
            url: rebuild(p.host, &with_param(p.query, "safe", "active")),
            header: None,
        });
    }
    if is_engine_host(p.host, "bing")
        && (p.path == "/search"
            || p.path.starts_with("/images/search")
            || p.path.starts_with("/videos/search"))
    {
        return Some(SafeSearch {
            engine: SearchEngine::Bing,
            url: rebuild(p.host, &with_param(p.query, "adlt", "strict")),
            header: None,
        });
    }
    let ddg = matches!(
        p.host,
        "duckduckgo.com" | "www.duckduckgo.com" | "html.duckduckgo.com" | "lite.duckduckgo.com"
    );
    if ddg && has_param(p.query, "q") {
        return Some(SafeSearch {
            engine: SearchEngine::DuckDuckGo,
            url: rebuild(p.host, &with_param(p.query, "kp", "1")),
            header: None,
        });
    }
    if matches!(
        p.host,
        "youtube.com"
            | "www.youtube.com"
            | "m.youtube.com"
            | "youtubei.googleapis.com"
            | "youtube.googleapis.com"
    ) {
        let url = match p.query {
            Some(q) => format!(
                "{}://restrict.youtube.com{}{}?{}",
                p.scheme, p.port, p.path, q
            ),
            None => format!("{}://restrict.youtube.com{}{}", p.scheme, p.port, p.path),
        };
        return Some(SafeSearch {
            engine: SearchEngine::YouTube,
            url,
            header: Some(("YouTube-Restrict".to_owned(), "Strict".to_owned())),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rewritten_host_passes_the_quick_test() {
        let cases = [
            "http://google.com/search?q=x",
            "http://www.google.co.uk/search?q=x",
            "https://www.google.com.au/images?q=x",
            "http://bing.com/search?q=x",
            "http://www.bing.com/images/search?q=x",
            "http://duckduckgo.com/?q=x",
            "http://www.duckduckgo.com/?q=x",
            "http://html.duckduckgo.com/html?q=x",
            "http://lite.duckduckgo.com/lite?q=x",
            "http://youtube.com/watch?v=1",
            "http://www.youtube.com/watch?v=1",
            "http://m.youtube.com/watch?v=1",
            "http://youtubei.googleapis.com/x",
            "http://youtube.googleapis.com/x",
        ];
        for url in cases {
            assert!(safe_search(url).is_some(), "{url}");
            let host = split(url).unwrap().host;
            assert!(may_be_engine_host(host), "{url}");
        }
        for host in [
            "example.com",
            "www.example.org",
            "a.b.google.com",
            "notgoogle.com",
        ] {
            assert!(!may_be_engine_host(host), "{host}");
        }
    }

    proptest::proptest! {
        /// The quick test never rejects a host the full rewrite accepts.
        #[test]
        fn quick_test_never_rejects_an_engine(
            host in "((www|m|html|lite|a)\\.)?(google|bing|duckduckgo|youtube|youtubei|[a-z]{1,6})\\.(com|co|googleapis|[a-z]{2})(\\.(uk|com|[a-z]{2}))?",
            path in "/(search|images|videos/search|images/search|watch|x)?",
        ) {
            let url = format!("http://{host}{path}?q=x");
            if safe_search(&url).is_some() {
                proptest::prop_assert!(may_be_engine_host(&host), "{}", url);
            }
        }
    }

    #[test]
    fn rewrites_each_engine() {
        let cases: &[(&str, &str, Option<&str>)] = &[
            (
                "google",
                "http://www.google.com/search?q=x",
                Some("http://www.google.com/search?q=x&safe=active"),
            ),
            (
                "google replaces safe",
                "https://google.co.uk/search?safe=off&q=x",
                Some("https://google.co.uk/search?q=x&safe=active"),
            ),
            (
                "google images",
                "https://www.google.com.au/images?q=x",
                Some("https://www.google.com.au/images?q=x&safe=active"),
            ),
            (
                "google home is not a search",
                "https://www.google.com/",
                None,
            ),
            (
                "not google",
                "https://www.google.evil.example/search?q=x",
                None,
            ),
            (
                "bing",
                "https://www.bing.com/search?q=x&adlt=off",
                Some("https://www.bing.com/search?q=x&adlt=strict"),
            ),
            (
                "bing images",
                "https://www.bing.com/images/search?q=x",
                Some("https://www.bing.com/images/search?q=x&adlt=strict"),
            ),
            (
                "duckduckgo",
                "https://duckduckgo.com/?q=x",
                Some("https://duckduckgo.com/?q=x&kp=1"),
            ),
            ("duckduckgo home", "https://duckduckgo.com/", None),
            (
                "youtube",
                "https://www.youtube.com/watch?v=abc",
                Some("https://restrict.youtube.com/watch?v=abc"),
            ),
            (
                "youtube no query",
                "https://m.youtube.com/",
                Some("https://restrict.youtube.com/"),
            ),
            (
                "port kept",
                "http://www.bing.com:8080/search?q=x",
                Some("http://www.bing.com:8080/search?q=x&adlt=strict"),
            ),
            ("other", "http://example.com/search?q=x", None),
            ("garbage", "not a url", None),
        ];
        for (name, input, want) in cases {
            let got = safe_search(input).map(|s| s.url);
            assert_eq!(got.as_deref(), *want, "{name}");
        }
    }

    #[test]
    fn rewrite_is_idempotent_for_query_engines() {
        for url in [
            "http://www.google.com/search?q=x",
            "https://www.bing.com/search?q=x",
            "https://duckduckgo.com/?q=x",
        ] {
            let once = safe_search(url).unwrap().url;
            assert_eq!(safe_search(&once).unwrap().url, once, "{url}");
        }
    }
}
