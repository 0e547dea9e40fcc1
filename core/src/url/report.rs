//! The JSON shapes of `esafety canonicalize --json`, shared by every face.

use serde::{Deserialize, Serialize};

use super::CanonicalUrl;

/// One canonicalized input: `{"input", "canonical", "expressions": [..]}`
/// (DESIGN.md, command-line contract).
///
/// ```
/// use esafety::url::CanonicalizeReport;
///
/// let report = CanonicalizeReport::from_input("http://A.b.c/1/2.html?param=1")?;
/// assert_eq!(report.canonical, "http://a.b.c/1/2.html?param=1");
/// assert_eq!(report.expressions.len(), 8);
/// let json = serde_json::to_string(&report)?;
/// assert!(json.starts_with(r#"{"input":"http://A.b.c/1/2.html?param=1","canonical":"#));
///
/// let failure = CanonicalizeReport::from_input("javascript:alert(1)").unwrap_err();
/// assert_eq!(failure.input, "javascript:alert(1)");
/// assert!(failure.error.starts_with("unsupported scheme `javascript`"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CanonicalizeReport {
    /// The input as given.
    pub input: String,
    /// The canonical URL.
    pub canonical: String,
    /// The Safe Browsing lookup expressions, in order.
    pub expressions: Vec<String>,
}

/// An input that could not be canonicalized: `{"input", "error"}`.
///
/// ```
/// use esafety::url::CanonicalizeReport;
/// let failure = CanonicalizeReport::from_input("http://[::1/").unwrap_err();
/// assert_eq!(failure.input, "http://[::1/");
/// let json = serde_json::to_string(&failure)?;
/// assert!(json.starts_with(r#"{"input":"http://[::1/","error":"invalid host"#), "{json}");
/// assert_eq!(failure.to_string(), format!("`http://[::1/`: {}", failure.error));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("`{input}`: {error}")]
pub struct CanonicalizeFailure {
    /// The input as given.
    pub input: String,
    /// Why it is not a URL (the [`UrlError`](super::UrlError) message).
    pub error: String,
}

impl CanonicalizeReport {
    /// The report for `input`, already canonicalized as `url`.
    ///
    /// ```
    /// use esafety::CanonicalUrl;
    /// use esafety::url::CanonicalizeReport;
    /// let input = "HTTP://www.Example.com/a/../b";
    /// let report = CanonicalizeReport::new(input, &CanonicalUrl::parse(input)?);
    /// assert_eq!(report.canonical, "http://www.example.com/b");
    /// assert_eq!(report.expressions, ["www.example.com/b", "www.example.com/", "example.com/b", "example.com/"]);
    /// # Ok::<(), esafety::UrlError>(())
    /// ```
    pub fn new(input: &str, url: &CanonicalUrl) -> Self {
        CanonicalizeReport {
            input: input.to_owned(),
            canonical: url.as_str().to_owned(),
            expressions: url.expressions().map(|e| e.to_string()).collect(),
        }
    }

    /// Canonicalizes `input` and reports the result.
    ///
    /// ```
    /// use esafety::url::CanonicalizeReport;
    /// let report = CanonicalizeReport::from_input("  example.com  ")?;
    /// assert_eq!((report.input.as_str(), report.canonical.as_str()), ("  example.com  ", "http://example.com/"));
    /// assert!(CanonicalizeReport::from_input("").is_err());
    /// # Ok::<(), esafety::url::CanonicalizeFailure>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`CanonicalizeFailure`] with the input and the error message when
    /// `input` cannot be canonicalized.
    pub fn from_input(input: &str) -> Result<Self, CanonicalizeFailure> {
        match CanonicalUrl::parse(input) {
            Ok(url) => Ok(Self::new(input, &url)),
            Err(err) => Err(CanonicalizeFailure {
                input: input.to_owned(),
                error: err.to_string(),
            }),
        }
    }
}
