//! e2guardian list categories (`#listcategory: "…"`) as esafety category
//! ids.

use super::ContentError;
use crate::Category;

/// The esafety category of the e2guardian list categories Debian's
/// `e2guardian` package ships, by their name lowercased with spaces,
/// dashes and a trailing `(Language)` removed. A name not here has no
/// esafety category unless mapped ([`super::ScannerBuilder::map_category`]).
const DEFAULTS: &[(&str, &str)] = &[
    ("pornography", "pornography"),
    ("porn", "pornography"),
    ("pornografia", "pornography"),
    ("'restrictedtoadults'tag", "pornography"),
    ("adult", "adult"),
    ("nudism", "adult"),
    ("badwords", "adult"),
    ("gambling", "gambling"),
    ("illegaldrugs", "drugs"),
    ("legaldrugs", "drugs"),
    ("drugadvocacy", "drugs"),
    ("violence", "violence"),
    ("gore", "violence"),
    ("weapons", "weapons"),
    ("intolerance", "discrimination"),
    ("proxies", "circumvention"),
    ("proxy", "circumvention"),
    ("translation", "circumvention"),
    ("warez", "piracy"),
    ("hacking", "malware-hacking"),
    ("malware", "malware-hacking"),
    ("idtheft", "malware-hacking"),
    ("peertopeer", "file-sharing"),
    ("chat", "chat"),
    ("webmail", "webmail"),
    ("personals", "dating"),
    ("games", "gaming"),
    ("onlinegames", "gaming"),
];

/// The lookup key of an e2guardian category name.
fn key(name: &str) -> String {
    let base = match name.trim().rsplit_once('(') {
        Some((head, tail)) if tail.trim_end().ends_with(')') && !head.trim().is_empty() => head,
        _ => name,
    };
    base.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The default esafety category id of an e2guardian list category.
///
/// ```
/// use esafety::content::default_category;
/// assert_eq!(default_category("Pornography (Portuguese)"), Some("pornography"));
/// assert_eq!(default_category("Illegal Drugs"), Some("drugs"));
/// assert_eq!(default_category("Peer-to-peer"), Some("file-sharing"));
/// assert_eq!(default_category("GoodPhrases"), None);
/// ```
pub fn default_category(list_category: &str) -> Option<&'static str> {
    let k = key(list_category);
    DEFAULTS.iter().find(|(n, _)| *n == k).map(|&(_, id)| id)
}

/// Checks that `id` can carry phrase scores: a built-in id or a `local-`
/// id, and not a statutory one.
pub(crate) fn check_id(id: &str) -> Result<(), ContentError> {
    match Category::from_id(id) {
        Some(c) if c.is_statutory() => Err(ContentError::StatutoryCategory { id: id.to_owned() }),
        Some(_) => Ok(()),
        None if Category::is_local_id(id) => Ok(()),
        None => Err(ContentError::UnknownCategory { id: id.to_owned() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_is_a_real_category() {
        for (name, id) in DEFAULTS {
            check_id(id).unwrap();
            assert_eq!(key(name), *name, "keys are stored normalised");
        }
    }

    #[test]
    fn statutory_and_unknown_ids_are_refused() {
        assert!(matches!(
            check_id("child-abuse"),
            Err(ContentError::StatutoryCategory { .. })
        ));
        assert!(matches!(
            check_id("terrorism"),
            Err(ContentError::StatutoryCategory { .. })
        ));
        assert!(matches!(
            check_id("porn"),
            Err(ContentError::UnknownCategory { .. })
        ));
        check_id("local-sport").unwrap();
    }

    #[test]
    fn debian_names() {
        for (name, want) in [
            ("Bad words (Spanish)", Some("adult")),
            ("'Restricted To Adults' tag", Some("pornography")),
            ("Weapons (Protuguese)", Some("weapons")),
            ("(Blocked by OpenDNS)", None),
            ("Sport", None),
        ] {
            assert_eq!(default_category(name), want, "{name}");
        }
    }
}
