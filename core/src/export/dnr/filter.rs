//! Bundle path keys as declarativeNetRequest `urlFilter`s.
//!
//! A `urlFilter` is matched against the URL as the browser spells it. The
//! filters below match exactly the URLs the classifier matches with the
//! key, for URLs in the form Chromium gives a request (lowercase host, no
//! fragment, no default port, `.` and `..` segments resolved, IPv4 hosts
//! as dotted quads); the differences that remain are in
//! [`super::SPELLING_DIFFERENCES`].

/// How a list holds a path key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum KeyForm {
    /// An exact page (`host/path` with any query or none, `host/path?query`
    /// with that query), matched through the Safe Browsing lookup
    /// expressions.
    Exact,
    /// A prefix that matches on a path boundary (`/dir` matches `/dir`,
    /// `/dir/x` and `/dir?q`).
    BoundaryPrefix,
    /// An Adblock `||host/path` prefix: any continuation.
    StringPrefix,
}

/// What matches a key's URLs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Filters {
    /// Every URL on this host and its subdomains (a `requestDomains` entry).
    Domain(String),
    /// Any of these `urlFilter`s.
    UrlFilters(Vec<String>),
}

/// The most path components a Safe Browsing path-prefix expression has
/// (`/a/b/c/`), after the root.
const MAX_PREFIX_COMPONENTS: usize = 3;

/// The filters that match the URLs `key` (`host/path[?query]`) matches in
/// `form`.
///
/// # Errors
///
/// The reason, when no `urlFilter` can: the path holds `*`, `^` or `|`,
/// which a `urlFilter` reads as a wildcard, a separator or an anchor and
/// has no way to escape.
pub(super) fn filters(key: &str, form: KeyForm) -> Result<Filters, String> {
    let Some(slash) = key.find('/') else {
        return Err(format!("`{key}` has no path"));
    };
    let (host, path) = key.split_at(slash);
    if let Some(c) = path.chars().find(|c| matches!(c, '*' | '^' | '|')) {
        return Err(format!(
            "the path holds `{c}`, which a urlFilter cannot match as itself"
        ));
    }
    if path == "/" {
        // `host/` in any form is every URL on the host and its subdomains.
        return Ok(Filters::Domain(host.to_owned()));
    }
    let anchored = format!("||{key}");
    let filters = match form {
        KeyForm::StringPrefix => vec![anchored],
        KeyForm::BoundaryPrefix if path.ends_with('/') => vec![anchored],
        KeyForm::BoundaryPrefix => vec![
            format!("{anchored}|"),
            format!("{anchored}/"),
            format!("{anchored}?"),
        ],
        KeyForm::Exact if path.contains('?') => vec![format!("{anchored}|")],
        KeyForm::Exact if path.ends_with('/') && components(path) <= MAX_PREFIX_COMPONENTS => {
            // Also one of the path-prefix lookup expressions of every URL below it.
            vec![anchored]
        }
        KeyForm::Exact => vec![format!("{anchored}|"), format!("{anchored}?")],
    };
    Ok(Filters::UrlFilters(filters))
}

/// The components of a path ending in `/` (`/a/b/` has two).
fn components(path: &str) -> usize {
    path.matches('/').count().saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(list: &[&str]) -> Result<Filters, String> {
        Ok(Filters::UrlFilters(
            list.iter().map(|s| (*s).to_owned()).collect(),
        ))
    }

    #[test]
    fn each_key_form_becomes_its_filters() {
        use KeyForm::{BoundaryPrefix, Exact, StringPrefix};
        let cases: [(&str, &str, KeyForm, Result<Filters, String>); 12] = [
            (
                "exact page: with a query or none",
                "a.example/p.html",
                Exact,
                urls(&["||a.example/p.html|", "||a.example/p.html?"]),
            ),
            (
                "exact page and query",
                "a.example/p?id=7",
                Exact,
                urls(&["||a.example/p?id=7|"]),
            ),
            (
                "exact root is the host",
                "a.example/",
                Exact,
                Ok(Filters::Domain("a.example".into())),
            ),
            (
                "exact folder within the prefix expressions",
                "a.example/x/y/z/",
                Exact,
                urls(&["||a.example/x/y/z/"]),
            ),
            (
                "exact folder deeper than the prefix expressions",
                "a.example/w/x/y/z/",
                Exact,
                urls(&["||a.example/w/x/y/z/|", "||a.example/w/x/y/z/?"]),
            ),
            (
                "boundary prefix ending in /",
                "a.example/dir/",
                BoundaryPrefix,
                urls(&["||a.example/dir/"]),
            ),
            (
                "boundary prefix on a name",
                "a.example/dir",
                BoundaryPrefix,
                urls(&["||a.example/dir|", "||a.example/dir/", "||a.example/dir?"]),
            ),
            (
                "boundary prefix at the root",
                "a.example/",
                BoundaryPrefix,
                Ok(Filters::Domain("a.example".into())),
            ),
            (
                "string prefix",
                "qq.com/stats?",
                StringPrefix,
                urls(&["||qq.com/stats?"]),
            ),
            (
                "ip host",
                "192.0.2.55/p.html",
                Exact,
                urls(&["||192.0.2.55/p.html|", "||192.0.2.55/p.html?"]),
            ),
            (
                "a wildcard in the path",
                "a.example/a*b",
                Exact,
                Err("the path holds `*`, which a urlFilter cannot match as itself".into()),
            ),
            (
                "an anchor in the path",
                "a.example/a|b",
                StringPrefix,
                Err("the path holds `|`, which a urlFilter cannot match as itself".into()),
            ),
        ];
        for (name, key, form, want) in cases {
            assert_eq!(filters(key, form), want, "{name}");
        }
    }
}
