//! The one identifier rule: policy ids, rule ids, group names and list
//! names are 1 to 64 lowercase ASCII letters, digits, `-`, `_` and `.`,
//! starting with a letter or digit. A list name follows the policy rule so
//! that every list a bundle holds can be named in a rule's `lists`.

/// The longest identifier, in bytes.
pub(crate) const MAX_IDENT_LEN: usize = 64;

/// Whether `s` is an identifier.
pub(crate) fn is_identifier(s: &str) -> bool {
    let mut bytes = s.bytes();
    s.len() <= MAX_IDENT_LEN
        && bytes
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && bytes.all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
        })
}
