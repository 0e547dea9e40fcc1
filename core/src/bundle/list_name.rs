//! List names: what a bundle, a match reason, a decision record and a
//! block page call a source list.
//!
//! A list is named by an identifier of its own, never by the path it was
//! read from: a path names the build machine's folders
//! (`/home/…/lists/gambling.txt`), means nothing to a pupil reading a block
//! page, and changes when the same list is compiled elsewhere. The
//! [`BundleBuilder`](super::BundleBuilder) refuses any name that is not a
//! list name, so no bundle it writes holds a path.

/// The longest list name, in bytes.
///
/// ```
/// use esafety::bundle::{MAX_LIST_NAME_LEN, is_list_name};
/// assert!(is_list_name(&"a".repeat(MAX_LIST_NAME_LEN)));
/// assert!(!is_list_name(&"a".repeat(MAX_LIST_NAME_LEN + 1)));
/// ```
pub const MAX_LIST_NAME_LEN: usize = crate::ident::MAX_IDENT_LEN;

/// Whether `name` is a list name: an identifier as policies write them
/// (1 to [`MAX_LIST_NAME_LEN`] lowercase ASCII letters, digits, `-`, `_`
/// and `.`, starting with a letter or digit), so a rule's `lists` can name
/// any list. A path (it holds `/` or `\`), a name with capitals, spaces or
/// control characters, and an empty name are not.
///
/// ```
/// use esafety::bundle::is_list_name;
/// assert!(is_list_name("ut1-gambling"));
/// assert!(is_list_name("iwf_2026.12"));
/// assert!(!is_list_name("lists/gambling.txt"));
/// assert!(!is_list_name("C:\\lists\\gambling.txt"));
/// assert!(!is_list_name("Gambling"));
/// assert!(!is_list_name(".hidden"));
/// assert!(!is_list_name(""));
/// ```
pub fn is_list_name(name: &str) -> bool {
    crate::ident::is_identifier(name)
}

/// File names that name a list's format rather than the list: a list read
/// from one is named after its folder (`ut1/gambling/domains` is the list
/// `gambling`).
const FORMAT_FILE_NAMES: &[&str] = &[
    "domains",
    "urls",
    "expressions",
    "bannedsitelist",
    "bannedurllist",
    "bannedregexpurllist",
    "weightedphraselist",
    "bannedphraselist",
    "exceptionsitelist",
    "exceptionurllist",
    "greysitelist",
    "list",
    "hosts",
];

/// The name a list read from `path` gets when its caller gives none: the
/// file name without its extension (for a squidGuard / UT1 / e2guardian
/// file named after its format, such as `domains`, the folder's name),
/// lowercased, with every other character a list name cannot hold replaced
/// by `-`, and `fallback`
/// when nothing is left. The result is always a list name (see
/// [`is_list_name`]) when `fallback` is one.
///
/// ```
/// use esafety::bundle::default_list_name;
/// assert_eq!(default_list_name("/home/ann/lists/gambling.txt", "gambling"), "gambling");
/// assert_eq!(default_list_name("blacklists/gambling/domains", "gambling"), "gambling");
/// assert_eq!(default_list_name("blacklists/adult/", "adult"), "adult");
/// assert_eq!(default_list_name("My Lists/Bets 2026.txt", "gambling"), "bets-2026");
/// assert_eq!(default_list_name("/", "child-abuse"), "child-abuse");
/// ```
pub fn default_list_name(path: &str, fallback: &str) -> String {
    let mut parts = path
        .rsplit(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != "." && *p != "..");
    let Some(file) = parts.next() else {
        return fallback.to_owned();
    };
    let stem = match file.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => file,
    };
    let chosen = if FORMAT_FILE_NAMES
        .iter()
        .any(|f| f.eq_ignore_ascii_case(stem))
    {
        parts.next().unwrap_or(stem)
    } else {
        stem
    };
    let cleaned: String = chosen
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let trimmed = cleaned.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
    let trimmed = trimmed.trim_end_matches('-');
    let name: String = trimmed.chars().take(MAX_LIST_NAME_LEN).collect();
    if is_list_name(&name) {
        name
    } else {
        fallback.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_not_names() {
        let cases: &[(&str, &str, bool)] = &[
            ("plain id", "gambling", true),
            ("digits and dots", "ut1.2026-12", true),
            ("longest", &"a".repeat(MAX_LIST_NAME_LEN), true),
            ("too long", &"a".repeat(MAX_LIST_NAME_LEN + 1), false),
            ("unix path", "/srv/lists/gambling.txt", false),
            ("relative path", "lists/gambling.txt", false),
            ("windows path", "lists\\gambling.txt", false),
            ("space", "my list", false),
            ("leading dash", "-x", false),
            ("control", "a\nb", false),
            ("capitals", "Gambling", false),
            ("non-ascii", "jeux-d’argent", false),
            ("empty", "", false),
        ];
        for (case, name, want) in cases {
            assert_eq!(is_list_name(name), *want, "{case}: `{name}`");
        }
    }

    #[test]
    fn default_names() {
        let cases = [
            ("file stem", "/home/ann/lists/gambling.txt", "gambling"),
            ("no extension", "lists/chat", "chat"),
            ("squidGuard file", "ut1/gambling/domains", "gambling"),
            ("e2guardian file", "lists/bannedsitelist", "lists"),
            ("folder", "ut1/adult", "adult"),
            ("folder with slash", "ut1/adult/", "adult"),
            ("dot files", "./.", "fallback"),
            ("spaces and capitals", "My Lists/Bets 2026.txt", "bets-2026"),
            ("unicode", "listes/jeux d’argent.txt", "jeux-d-argent"),
            ("only punctuation", "lists/___.txt", "fallback"),
            ("format file at the root", "domains", "domains"),
        ];
        for (case, path, want) in cases {
            let got = default_list_name(path, "fallback");
            assert_eq!(got, want, "{case}: `{path}`");
            assert!(is_list_name(&got), "{case}: `{got}` is a list name");
        }
    }
}
