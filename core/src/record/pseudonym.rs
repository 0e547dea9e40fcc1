//! Keyed-hash pseudonyms for user names in decision records.
//!
//! A record may have to leave the setting (to a trust's central team, a
//! vendor's support desk) where the user's name should not: with a key the
//! setting keeps, each user becomes `pseudonym:` + 32 hex digits of
//! HMAC-SHA-256(key, name). The same user gets the same pseudonym in every
//! record (reports can still count per user), and whoever holds the key can
//! check a pseudonym against a name; without the key a name cannot be
//! guessed from it, as it could from a plain hash of a short name.

use std::fmt;

use hmac::{Hmac, KeyInit as _, Mac as _};
use sha2::Sha256;

/// The fewest key bytes accepted.
///
/// ```
/// assert_eq!(esafety::record::MIN_KEY_LEN, 16);
/// ```
pub const MIN_KEY_LEN: usize = 16;

/// The prefix of every pseudonym.
///
/// ```
/// assert_eq!(esafety::record::PSEUDONYM_PREFIX, "pseudonym:");
/// ```
pub const PSEUDONYM_PREFIX: &str = "pseudonym:";

/// A secret key for user pseudonyms. Its `Debug` output never shows the key.
///
/// ```
/// use esafety::record::PseudonymKey;
///
/// let key = PseudonymKey::new(b"a school's secret of 32 bytes...")?;
/// let alice = key.pseudonym("alice");
/// assert!(alice.starts_with("pseudonym:") && alice.len() == 10 + 32);
/// assert_eq!(alice, key.pseudonym("alice")); // stable
/// assert_ne!(alice, key.pseudonym("bob"));
/// assert!(!format!("{key:?}").contains("secret"));
/// assert!(PseudonymKey::new(b"short").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct PseudonymKey {
    key: Vec<u8>,
}

/// A pseudonym key that cannot be used.
///
/// ```
/// use esafety::record::{KeyError, PseudonymKey};
///
/// let err = PseudonymKey::new(b"0123456789").unwrap_err();
/// assert_eq!(err, KeyError::TooShort { len: 10 });
/// assert_eq!(
///     err.to_string(),
///     "the pseudonym key is 10 bytes long; use at least 16 random bytes, e.g. `head -c 32 /dev/urandom > records.key`"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// Fewer than [`MIN_KEY_LEN`] bytes.
    #[error(
        "the pseudonym key is {len} bytes long; use at least {MIN_KEY_LEN} random bytes, e.g. `head -c 32 /dev/urandom > records.key`"
    )]
    TooShort {
        /// The key's length in bytes.
        len: usize,
    },
}

impl PseudonymKey {
    /// A key from its bytes (at least [`MIN_KEY_LEN`]).
    ///
    /// ```
    /// use esafety::record::PseudonymKey;
    ///
    /// let a = PseudonymKey::new(&[7u8; 32])?;
    /// let b = PseudonymKey::new(&[8u8; 32])?;
    /// assert_ne!(a.pseudonym("alice"), b.pseudonym("alice")); // another key, another pseudonym
    /// # Ok::<(), esafety::record::KeyError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`KeyError::TooShort`] for fewer than [`MIN_KEY_LEN`] bytes.
    pub fn new(key: &[u8]) -> Result<PseudonymKey, KeyError> {
        if key.len() < MIN_KEY_LEN {
            return Err(KeyError::TooShort { len: key.len() });
        }
        Ok(PseudonymKey { key: key.to_vec() })
    }

    /// The pseudonym of `user`: `pseudonym:` and the first 16 bytes of
    /// HMAC-SHA-256(key, user) in lowercase hex. The name is hashed as
    /// given (no case folding: `Alice` and `alice` differ, as they may in
    /// the directory the proxy authenticates against).
    ///
    /// ```
    /// use esafety::record::PseudonymKey;
    ///
    /// // RFC 4231 test case 1: key 0x0b × 20, data "Hi There".
    /// let key = PseudonymKey::new(&[0x0b; 20])?;
    /// assert_eq!(key.pseudonym("Hi There"), "pseudonym:b0344c61d8db38535ca8afceaf0bf12b");
    /// # Ok::<(), esafety::record::KeyError>(())
    /// ```
    pub fn pseudonym(&self, user: &str) -> String {
        let mut mac = match Hmac::<Sha256>::new_from_slice(&self.key) {
            Ok(mac) => mac,
            // HMAC takes keys of any length; unreachable in practice, and
            // never the name itself.
            Err(_) => return format!("{PSEUDONYM_PREFIX}unavailable"),
        };
        mac.update(user.as_bytes());
        let digest = mac.finalize().into_bytes();
        let mut out = String::with_capacity(PSEUDONYM_PREFIX.len() + 32);
        out.push_str(PSEUDONYM_PREFIX);
        for b in digest.iter().take(16) {
            for nibble in [b >> 4, b & 0xf] {
                out.push(char::from_digit(u32::from(nibble), 16).unwrap_or('0'));
            }
        }
        out
    }
}

impl fmt::Debug for PseudonymKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PseudonymKey({} bytes, hidden)", self.key.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_rfc_4231_test_case_2() {
        // Key "Jefe" is too short for a pseudonym key: check the MAC itself
        // against RFC 4231 case 2, then a pseudonym against case 1.
        let mut mac = Hmac::<Sha256>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        let hex: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // And the pseudonym is that digest's first half for a valid key.
        let key = PseudonymKey::new(&[0x0b; 20]).unwrap();
        // RFC 4231 case 1: key 0x0b * 20, data "Hi There".
        assert_eq!(
            key.pseudonym("Hi There"),
            "pseudonym:b0344c61d8db38535ca8afceaf0bf12b"
        );
    }
}
