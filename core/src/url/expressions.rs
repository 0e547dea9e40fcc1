//! Safe Browsing lookup expressions and host suffixes, as slices of the
//! canonical string (no allocation).

use std::fmt;

use super::CanonicalUrl;

/// Most hosts an expression list uses: the exact host and four suffixes.
const MAX_HOSTS: usize = 5;
/// Most paths: path and query, path, and four prefixes.
const MAX_PATHS: usize = 6;
/// Most path prefixes (`/`, `/a/`, `/a/b/`, `/a/b/c/`).
const MAX_PREFIXES: usize = 4;

/// One Safe Browsing lookup expression: a host (or host suffix) and a path
/// (or path prefix, or path with query), both slices of the canonical URL.
///
/// `Display` writes `host` then `path`, e.g. `a.b.c/1/2.html?param=1`.
///
/// ```
/// use esafety::CanonicalUrl;
/// let url = CanonicalUrl::parse("http://a.b.c/1/2.html?param=1")?;
/// let first = url.expressions().next().ok_or("no expression")?;
/// assert_eq!(first.to_string(), "a.b.c/1/2.html?param=1");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Expression<'a> {
    host: &'a str,
    path: &'a str,
}

impl<'a> Expression<'a> {
    /// The host part: the canonical host or one of its suffixes.
    ///
    /// ```
    /// use esafety::CanonicalUrl;
    /// let url = CanonicalUrl::parse("http://a.b.c.d.e.f.g/1.html")?;
    /// let mut hosts: Vec<&str> = url.expressions().map(|e| e.host()).collect();
    /// hosts.dedup();
    /// // The exact host, then the last five labels down to the last two.
    /// assert_eq!(hosts, ["a.b.c.d.e.f.g", "c.d.e.f.g", "d.e.f.g", "e.f.g", "f.g"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn host(&self) -> &'a str {
        self.host
    }

    /// The path part, starting with `/`; includes `?query` for the first
    /// expression of each host when the URL has a query.
    ///
    /// ```
    /// use esafety::CanonicalUrl;
    /// let url = CanonicalUrl::parse("http://a.b.c/1/2.html?param=1")?;
    /// let paths: Vec<&str> = url.expressions().filter(|e| e.host() == "a.b.c").map(|e| e.path()).collect();
    /// assert_eq!(paths, ["/1/2.html?param=1", "/1/2.html", "/", "/1/"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn path(&self) -> &'a str {
        self.path
    }

    /// Appends `host` and `path` to `buf` (no allocation when `buf` has room).
    ///
    /// ```
    /// use esafety::url::CanonicalUrl;
    ///
    /// let url = CanonicalUrl::parse("http://a.b.c/1/2.html?param=1")?;
    /// let mut buf = String::new();
    /// for expression in url.expressions() {
    ///     buf.clear();
    ///     expression.write_to(&mut buf);
    ///     assert!(buf.ends_with('/') || buf.contains(".html"));
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_to(&self, buf: &mut String) {
        buf.push_str(self.host);
        buf.push_str(self.path);
    }
}

impl fmt::Display for Expression<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.host)?;
        f.write_str(self.path)
    }
}

/// The lookup expressions of a [`CanonicalUrl`], from
/// [`CanonicalUrl::expressions`]: hosts outer, paths inner, in the order of
/// the Safe Browsing specification.
///
/// ```
/// use esafety::CanonicalUrl;
/// let url = CanonicalUrl::parse("http://a.b.c/1/2.html?param=1")?;
/// let expressions = url.expressions();
/// assert_eq!(expressions.len(), 8); // exact-size: 2 hosts × 4 paths
/// let all: Vec<String> = expressions.map(|e| e.to_string()).collect();
/// assert_eq!(all, [
///     "a.b.c/1/2.html?param=1", "a.b.c/1/2.html", "a.b.c/", "a.b.c/1/",
///     "b.c/1/2.html?param=1", "b.c/1/2.html", "b.c/", "b.c/1/",
/// ]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Expressions<'a> {
    /// The host part, `host` of the URL.
    host: &'a str,
    /// `path?query` of the URL.
    path_and_query: &'a str,
    /// Start offsets (in `host`) of the hosts to use.
    hosts: [usize; MAX_HOSTS],
    host_count: usize,
    /// End offsets (in `path_and_query`) of the paths to use.
    paths: [usize; MAX_PATHS],
    path_count: usize,
    /// Position of the next expression.
    next_host: usize,
    next_path: usize,
}

impl<'a> Expressions<'a> {
    pub(super) fn new(url: &'a CanonicalUrl) -> Self {
        let host = url.host();
        let path_and_query = url.path_and_query();
        let path_len = url.path().len();

        let mut hosts = [0usize; MAX_HOSTS];
        let mut host_count = 1;
        if !url.is_ip() {
            // starts[k - 1]: the start of the suffix with k labels, after the
            // k-th dot from the right (k = 1..=5).
            let mut starts = [None::<usize>; MAX_HOSTS];
            let mut found = 0;
            for (i, b) in host.bytes().enumerate().rev() {
                if b == b'.' {
                    if let Some(slot) = starts.get_mut(found) {
                        *slot = Some(i + 1);
                    }
                    found += 1;
                    if found == MAX_HOSTS {
                        break;
                    }
                }
            }
            // Longest first: 5 labels down to 2; skip the label-1 suffix (the
            // TLD) and the exact host.
            for start in starts.iter().skip(1).rev().flatten() {
                if let Some(slot) = hosts.get_mut(host_count) {
                    *slot = *start;
                    host_count += 1;
                }
            }
        }

        let mut paths = [0usize; MAX_PATHS];
        let mut path_count = 0;
        let mut push_path = |end: usize| {
            if let Some(slot) = paths.get_mut(path_count) {
                *slot = end;
                path_count += 1;
            }
        };
        if url.query().is_some() {
            push_path(path_and_query.len());
        }
        push_path(path_len);
        let path = path_and_query.get(..path_len).unwrap_or_default();
        let mut prefixes = 0;
        for (i, b) in path.bytes().enumerate() {
            if b == b'/' {
                let end = i + 1;
                if end != path_len {
                    push_path(end);
                }
                prefixes += 1;
                if prefixes == MAX_PREFIXES {
                    break;
                }
            }
        }

        Expressions {
            host,
            path_and_query,
            hosts,
            host_count,
            paths,
            path_count,
            next_host: 0,
            next_path: 0,
        }
    }

    fn remaining(&self) -> usize {
        let hosts_left = self.host_count.saturating_sub(self.next_host);
        (hosts_left * self.path_count).saturating_sub(self.next_path)
    }
}

impl<'a> Iterator for Expressions<'a> {
    type Item = Expression<'a>;

    fn next(&mut self) -> Option<Expression<'a>> {
        if self.next_host >= self.host_count {
            return None;
        }
        let host_start = *self.hosts.get(self.next_host)?;
        let path_end = *self.paths.get(self.next_path)?;
        let expression = Expression {
            host: self.host.get(host_start..).unwrap_or_default(),
            path: self.path_and_query.get(..path_end).unwrap_or_default(),
        };
        self.next_path += 1;
        if self.next_path >= self.path_count {
            self.next_path = 0;
            self.next_host += 1;
        }
        Some(expression)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.remaining();
        (n, Some(n))
    }
}

impl ExactSizeIterator for Expressions<'_> {}

impl std::iter::FusedIterator for Expressions<'_> {}

/// Every label-boundary suffix of a host, longest first, from
/// [`CanonicalUrl::host_suffixes`].
///
/// ```
/// use esafety::CanonicalUrl;
/// let url = CanonicalUrl::parse("https://www.bbc.co.uk/news")?;
/// assert_eq!(url.host_suffixes().collect::<Vec<_>>(), ["www.bbc.co.uk", "bbc.co.uk", "co.uk", "uk"]);
/// let ip = CanonicalUrl::parse("http://192.0.2.1/")?;
/// assert_eq!(ip.host_suffixes().collect::<Vec<_>>(), ["192.0.2.1"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct HostSuffixes<'a> {
    /// What is left to yield; `None` when done.
    rest: Option<&'a str>,
    is_ip: bool,
}

impl<'a> HostSuffixes<'a> {
    pub(super) fn new(host: &'a str, is_ip: bool) -> Self {
        HostSuffixes {
            rest: Some(host).filter(|h| !h.is_empty()),
            is_ip,
        }
    }
}

impl<'a> Iterator for HostSuffixes<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let current = self.rest?;
        self.rest = if self.is_ip {
            None
        } else {
            current.split_once('.').map(|(_, tail)| tail)
        };
        Some(current)
    }
}

impl std::iter::FusedIterator for HostSuffixes<'_> {}
