//! Signed updates: Ed25519 signatures over bundles and policies
//! (`ed25519-dalek`), so that a filter loads only the lists its operator
//! published.
//!
//! A signature is detached: `lists.esb` travels with `lists.esb.sig`, a
//! one-line text file. It signs the SHA-256 digest of the file's bytes
//! under a fixed domain (`esafety signed file v1`), so the same key can sign
//! bundles and policies and no signature of esafety's can be passed off as
//! a signature of anything else. Keys are one-line text files too:
//!
//! ```text
//! esafety-secret-key-ed25519 <base64 of the 32-byte seed>
//! esafety-public-key-ed25519 <base64 of the 32-byte key>
//! esafety-signature-ed25519 <key id> <base64 of the 64-byte signature>
//! ```
//!
//! The key id (the first 8 bytes of the public key's SHA-256, in hex) names
//! the key a file was signed with, so a refusal can say "signed by another
//! key" rather than only "invalid".
//!
//! The core never reads the clock or the system's randomness: a new key is
//! made from a 32-byte seed the caller draws (`esafety keygen` uses the
//! operating system's generator).
//!
//! ```
//! use esafety::signing::{PublicKey, SecretKey, Signature, SignatureError};
//!
//! let secret = SecretKey::from_seed([7; 32]);
//! let public = PublicKey::parse(&secret.public_key().to_text())?;
//! let bundle = esafety::sample::bundle_bytes();
//! let signature = Signature::parse(&secret.sign(&bundle).to_text())?;
//! public.verify(&bundle, &signature)?;
//!
//! let mut tampered = bundle.clone();
//! tampered[100] ^= 1;
//! assert!(matches!(public.verify(&tampered, &signature), Err(SignatureError::Mismatch { .. })));
//! # Ok::<(), SignatureError>(())
//! ```

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signer as _, Verifier as _};
use sha2::{Digest as _, Sha256};

/// What every esafety signature signs before the file's digest.
const DOMAIN: &[u8] = b"esafety signed file v1\0";

/// The first word of a secret key file.
const SECRET_TAG: &str = "esafety-secret-key-ed25519";
/// The first word of a public key file.
const PUBLIC_TAG: &str = "esafety-public-key-ed25519";
/// The first word of a signature file.
const SIGNATURE_TAG: &str = "esafety-signature-ed25519";

/// The longest key or signature text read (a line of well under 200 bytes
/// is all a valid one needs).
///
/// ```
/// use esafety::signing::{MAX_TEXT_LEN, PublicKey};
/// assert!(PublicKey::parse(&" ".repeat(MAX_TEXT_LEN + 1)).is_err());
/// ```
pub const MAX_TEXT_LEN: usize = 4096;

/// Why a key or a signature was refused.
///
/// ```
/// use esafety::signing::{PublicKey, SignatureError};
///
/// let err = PublicKey::parse("ssh-ed25519 AAAA").unwrap_err();
/// assert!(matches!(err, SignatureError::BadText { what: "public key", .. }));
/// assert!(err.to_string().contains("esafety keygen"), "{err}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// A key or signature text is not in esafety's format.
    #[error(
        "not an esafety {what}: {reason}; use the file `esafety keygen` or `esafety sign` wrote"
    )]
    BadText {
        /// `secret key`, `public key` or `signature`.
        what: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The file was signed with another key than the one configured.
    #[error(
        "the file is signed by key {signed_by}, not by the configured key {expected}; \
         verify with the public key of the key that signed it, or sign it again"
    )]
    WrongKey {
        /// The key id in the signature.
        signed_by: String,
        /// The configured key's id.
        expected: String,
    },
    /// The signature does not match the bytes: the file was changed after
    /// it was signed, or the signature is damaged.
    #[error(
        "the signature by key {key} does not match the file: it was changed after signing \
         or is damaged; fetch it again from its publisher"
    )]
    Mismatch {
        /// The key id.
        key: String,
    },
}

impl SignatureError {
    /// The error's code on every face.
    ///
    /// ```
    /// use esafety::ErrorCode;
    /// use esafety::signing::PublicKey;
    ///
    /// assert_eq!(PublicKey::parse("").unwrap_err().code(), ErrorCode::InvalidSignature);
    /// ```
    pub fn code(&self) -> crate::ErrorCode {
        crate::ErrorCode::InvalidSignature
    }
}

fn bad(what: &'static str, reason: impl Into<String>) -> SignatureError {
    SignatureError::BadText {
        what,
        reason: reason.into(),
    }
}

/// Reads `TAG payload...` from a one-line text (surrounding space and one
/// final newline allowed), returning the payload words.
fn words<'t>(
    text: &'t str,
    tag: &str,
    what: &'static str,
    count: usize,
) -> Result<Vec<&'t str>, SignatureError> {
    if text.len() > MAX_TEXT_LEN {
        return Err(bad(
            what,
            format!("it is {} bytes, over {MAX_TEXT_LEN}", text.len()),
        ));
    }
    let line = text.trim();
    if line.contains('\n') {
        return Err(bad(what, "it has more than one line"));
    }
    let mut parts = line.split_ascii_whitespace();
    match parts.next() {
        Some(first) if first == tag => {}
        Some(first) => {
            return Err(bad(
                what,
                format!(
                    "it starts with `{}`, not `{tag}`",
                    crate::policy::echo_prefix(first)
                ),
            ));
        }
        None => return Err(bad(what, "it is empty")),
    }
    let rest: Vec<&str> = parts.collect();
    if rest.len() != count {
        return Err(bad(
            what,
            format!("`{tag}` is followed by {} words, not {count}", rest.len()),
        ));
    }
    Ok(rest)
}

fn decode<const N: usize>(word: &str, what: &'static str) -> Result<[u8; N], SignatureError> {
    let bytes = STANDARD
        .decode(word)
        .map_err(|e| bad(what, format!("its base64 does not decode ({e})")))?;
    let len = bytes.len();
    bytes
        .try_into()
        .map_err(|_| bad(what, format!("it holds {len} bytes, not {N}")))
}

/// The SHA-256 digest of `bytes` under esafety's signing domain: what a
/// signature signs.
fn message(bytes: &[u8]) -> Vec<u8> {
    let mut message = DOMAIN.to_vec();
    message.extend_from_slice(&Sha256::digest(bytes));
    message
}

/// A signing key: signs bundles and policies. Its `Debug` output never
/// shows the key.
///
/// ```
/// use esafety::signing::SecretKey;
///
/// let secret = SecretKey::from_seed([1; 32]);
/// assert_eq!(format!("{secret:?}"), format!("SecretKey({})", secret.public_key().id()));
/// ```
pub struct SecretKey(ed25519_dalek::SigningKey);

impl SecretKey {
    /// The key made from a 32-byte seed drawn from a cryptographic random
    /// number generator (the seed *is* the secret).
    ///
    /// ```
    /// use esafety::signing::SecretKey;
    ///
    /// let a = SecretKey::from_seed([1; 32]);
    /// let b = SecretKey::from_seed([1; 32]);
    /// assert_eq!(a.public_key(), b.public_key());
    /// assert_ne!(a.public_key(), SecretKey::from_seed([2; 32]).public_key());
    /// ```
    pub fn from_seed(seed: [u8; 32]) -> SecretKey {
        SecretKey(ed25519_dalek::SigningKey::from_bytes(&seed))
    }

    /// Reads a secret key file's text.
    ///
    /// ```
    /// use esafety::signing::SecretKey;
    ///
    /// let secret = SecretKey::from_seed([3; 32]);
    /// let again = SecretKey::parse(&secret.to_text())?;
    /// assert_eq!(again.public_key(), secret.public_key());
    /// assert!(SecretKey::parse(&secret.public_key().to_text()).is_err());
    /// # Ok::<(), esafety::signing::SignatureError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`SignatureError::BadText`] when it is not a secret key file.
    pub fn parse(text: &str) -> Result<SecretKey, SignatureError> {
        let what = "secret key";
        let words = words(text, SECRET_TAG, what, 1)?;
        let seed = decode::<32>(words.first().copied().unwrap_or_default(), what)?;
        Ok(SecretKey::from_seed(seed))
    }

    /// The secret key file's text (one line, with a final newline). Keep it
    /// private: whoever holds it can publish lists your filters will load.
    ///
    /// ```
    /// use esafety::signing::SecretKey;
    ///
    /// let text = SecretKey::from_seed([0; 32]).to_text();
    /// assert!(text.starts_with("esafety-secret-key-ed25519 AAAA") && text.ends_with('\n'));
    /// ```
    pub fn to_text(&self) -> String {
        format!("{SECRET_TAG} {}\n", STANDARD.encode(self.0.to_bytes()))
    }

    /// The public key that verifies this key's signatures.
    ///
    /// ```
    /// use esafety::signing::SecretKey;
    ///
    /// let public = SecretKey::from_seed([5; 32]).public_key();
    /// assert_eq!(public.id().len(), 16);
    /// ```
    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.0.verifying_key())
    }

    /// Signs a file's bytes.
    ///
    /// ```
    /// use esafety::signing::SecretKey;
    ///
    /// let secret = SecretKey::from_seed([5; 32]);
    /// let policy = b"id = \"staff\"\ndefault = \"allow\"\n";
    /// let signature = secret.sign(policy);
    /// assert_eq!(signature.key_id(), secret.public_key().id());
    /// assert!(secret.public_key().verify(policy, &signature).is_ok());
    /// ```
    pub fn sign(&self, bytes: &[u8]) -> Signature {
        Signature {
            key_id: self.public_key().id(),
            signature: self.0.sign(&message(bytes)),
        }
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretKey({})", self.public_key().id())
    }
}

/// A verifying key: what a filter is configured with to accept only the
/// lists and policies its publisher signed.
///
/// ```
/// use esafety::signing::{PublicKey, SecretKey};
///
/// let public = SecretKey::from_seed([9; 32]).public_key();
/// assert_eq!(PublicKey::parse(&public.to_text())?, public);
/// # Ok::<(), esafety::signing::SignatureError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(ed25519_dalek::VerifyingKey);

impl PublicKey {
    /// Reads a public key file's text.
    ///
    /// ```
    /// use esafety::signing::PublicKey;
    ///
    /// let err = PublicKey::parse("esafety-public-key-ed25519 AAAA").unwrap_err();
    /// assert!(err.to_string().contains("holds 3 bytes, not 32"), "{err}");
    /// ```
    ///
    /// # Errors
    ///
    /// [`SignatureError::BadText`] when it is not a public key file or the
    /// bytes are not a valid Ed25519 key.
    pub fn parse(text: &str) -> Result<PublicKey, SignatureError> {
        let what = "public key";
        let words = words(text, PUBLIC_TAG, what, 1)?;
        let bytes = decode::<32>(words.first().copied().unwrap_or_default(), what)?;
        ed25519_dalek::VerifyingKey::from_bytes(&bytes)
            .map(PublicKey)
            .map_err(|_| bad(what, "its 32 bytes are not an Ed25519 public key"))
    }

    /// The public key file's text (one line, with a final newline).
    ///
    /// ```
    /// use esafety::signing::SecretKey;
    ///
    /// let text = SecretKey::from_seed([0; 32]).public_key().to_text();
    /// assert!(text.starts_with("esafety-public-key-ed25519 "));
    /// ```
    pub fn to_text(&self) -> String {
        format!("{PUBLIC_TAG} {}\n", STANDARD.encode(self.0.to_bytes()))
    }

    /// The key's id: the first 8 bytes of its SHA-256, in hex.
    ///
    /// ```
    /// use esafety::signing::SecretKey;
    ///
    /// let id = SecretKey::from_seed([0; 32]).public_key().id();
    /// assert!(id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit()));
    /// ```
    pub fn id(&self) -> String {
        Sha256::digest(self.0.to_bytes())
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Checks that `signature` is this key's signature of `bytes`.
    ///
    /// ```
    /// use esafety::signing::{SecretKey, SignatureError};
    ///
    /// let ours = SecretKey::from_seed([1; 32]);
    /// let theirs = SecretKey::from_seed([2; 32]);
    /// let signature = theirs.sign(b"lists");
    /// let err = ours.public_key().verify(b"lists", &signature).unwrap_err();
    /// assert!(matches!(err, SignatureError::WrongKey { .. }));
    /// ```
    ///
    /// # Errors
    ///
    /// [`SignatureError::WrongKey`] when another key signed it,
    /// [`SignatureError::Mismatch`] when the bytes or the signature were
    /// changed.
    pub fn verify(&self, bytes: &[u8], signature: &Signature) -> Result<(), SignatureError> {
        let id = self.id();
        if signature.key_id != id {
            return Err(SignatureError::WrongKey {
                signed_by: signature.key_id.clone(),
                expected: id,
            });
        }
        self.0
            .verify(&message(bytes), &signature.signature)
            .map_err(|_| SignatureError::Mismatch { key: id })
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.id())
    }
}

/// A detached signature: the text of a `.sig` file.
///
/// ```
/// use esafety::signing::{SecretKey, Signature};
///
/// let signature = SecretKey::from_seed([4; 32]).sign(b"bundle bytes");
/// let text = signature.to_text();
/// assert!(text.starts_with(&format!("esafety-signature-ed25519 {} ", signature.key_id())));
/// assert_eq!(Signature::parse(&text)?, signature);
/// # Ok::<(), esafety::signing::SignatureError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    key_id: String,
    signature: ed25519_dalek::Signature,
}

impl Signature {
    /// Reads a signature file's text.
    ///
    /// ```
    /// use esafety::signing::Signature;
    ///
    /// let err = Signature::parse("esafety-signature-ed25519 0011").unwrap_err();
    /// assert!(err.to_string().contains("followed by 1 words, not 2"), "{err}");
    /// ```
    ///
    /// # Errors
    ///
    /// [`SignatureError::BadText`] when it is not a signature file.
    pub fn parse(text: &str) -> Result<Signature, SignatureError> {
        let what = "signature";
        let words = words(text, SIGNATURE_TAG, what, 2)?;
        let (Some(key_id), Some(encoded)) = (words.first(), words.get(1)) else {
            return Err(bad(what, "it has no key id and signature"));
        };
        if key_id.len() != 16
            || !key_id
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            return Err(bad(
                what,
                format!(
                    "its key id `{}` is not 16 lowercase hex digits",
                    crate::policy::echo_prefix(key_id)
                ),
            ));
        }
        let bytes = decode::<64>(encoded, what)?;
        Ok(Signature {
            key_id: (*key_id).to_owned(),
            signature: ed25519_dalek::Signature::from_bytes(&bytes),
        })
    }

    /// The signature file's text (one line, with a final newline).
    ///
    /// ```
    /// use esafety::signing::SecretKey;
    ///
    /// let text = SecretKey::from_seed([4; 32]).sign(b"x").to_text();
    /// assert_eq!(text.lines().count(), 1);
    /// ```
    pub fn to_text(&self) -> String {
        format!(
            "{SIGNATURE_TAG} {} {}\n",
            self.key_id,
            STANDARD.encode(self.signature.to_bytes())
        )
    }

    /// The id of the key that made it ([`PublicKey::id`]).
    ///
    /// ```
    /// use esafety::signing::SecretKey;
    ///
    /// let secret = SecretKey::from_seed([4; 32]);
    /// assert_eq!(secret.sign(b"x").key_id(), secret.public_key().id());
    /// ```
    pub fn key_id(&self) -> &str {
        &self.key_id
    }
}

/// Verifies a file's `bytes` against the text of its signature file with
/// `key`: what a loader does before it trusts a bundle or a policy.
///
/// ```
/// use esafety::signing::{SecretKey, SignatureError, verify_detached};
///
/// let secret = SecretKey::from_seed([8; 32]);
/// let sig = secret.sign(b"lists").to_text();
/// assert!(verify_detached(b"lists", &sig, &secret.public_key()).is_ok());
/// let err = verify_detached(b"lists!", &sig, &secret.public_key()).unwrap_err();
/// assert!(matches!(err, SignatureError::Mismatch { .. }));
/// ```
///
/// # Errors
///
/// As [`Signature::parse`] and [`PublicKey::verify`].
pub fn verify_detached(
    bytes: &[u8],
    signature_text: &str,
    key: &PublicKey,
) -> Result<(), SignatureError> {
    key.verify(bytes, &Signature::parse(signature_text)?)
}

/// Why [`verified_bundle`] did not load a bundle.
///
/// ```
/// use esafety::signing::{SecretKey, VerifiedBundleError, verified_bundle};
/// use esafety::{ErrorCode, Limits};
///
/// let key = SecretKey::from_seed([6; 32]).public_key().to_text();
/// let bytes = esafety::sample::bundle_bytes();
/// let err = verified_bundle(&bytes[..], "", &key, &Limits::DEFAULT).unwrap_err();
/// assert!(matches!(err, VerifiedBundleError::Signature(_)));
/// assert_eq!(err.code(), ErrorCode::InvalidSignature);
/// assert!(err.to_string().contains("not an esafety signature: it is empty"), "{err}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifiedBundleError {
    /// The key or the signature is not esafety's, the bundle is unsigned,
    /// signed by another key, or its bytes or signature were changed:
    /// nothing of the bytes was read as a bundle.
    #[error(transparent)]
    Signature(#[from] SignatureError),
    /// The bytes are over [`Limits::max_bundle_len`](crate::Limits) (checked
    /// before they are hashed), or they are signed by the key but are not a
    /// bundle this library reads (another format version, a signed file
    /// that is not a bundle).
    #[error("{0}")]
    Bundle(#[from] crate::bundle::BundleError),
}

impl VerifiedBundleError {
    /// The error's code on every face: `InvalidSignature` for a refused
    /// signature, the bundle error's code otherwise.
    ///
    /// ```
    /// use esafety::ErrorCode;
    /// use esafety::bundle::BundleError;
    /// use esafety::signing::VerifiedBundleError;
    ///
    /// assert_eq!(VerifiedBundleError::Bundle(BundleError::BadMagic).code(), ErrorCode::InvalidBundle);
    /// ```
    pub fn code(&self) -> crate::ErrorCode {
        match self {
            VerifiedBundleError::Signature(e) => e.code(),
            VerifiedBundleError::Bundle(e) => e.code(),
        }
    }
}

/// Loads a bundle only if `signature_text` (the text of its `.sig` file,
/// `esafety compile --sign`) is the signature of exactly these bytes by
/// the key in `public_key_text` (the publisher's `.pub` file,
/// `esafety keygen`): verify, then load, in one call, so that a host
/// configured with a key never holds an unverified bundle. The C and
/// WebAssembly faces' verified constructors are this function.
///
/// The length is checked against `limits` first, then the key and the
/// signature are read, then the bytes are verified, and only then are
/// they read as a bundle ([`Bundle::from_bytes_with_limits`](crate::bundle::Bundle::from_bytes_with_limits)).
///
/// ```
/// use esafety::signing::{SecretKey, SignatureError, VerifiedBundleError, verified_bundle};
/// use esafety::Limits;
///
/// let secret = SecretKey::from_seed([6; 32]);
/// let key = secret.public_key().to_text();
/// let bytes = esafety::sample::bundle_bytes();
/// let signature = secret.sign(&bytes).to_text();
/// let bundle = verified_bundle(&bytes[..], &signature, &key, &Limits::DEFAULT)?;
/// assert!(bundle.lists().iter().any(|l| l.category_id() == "gambling"));
///
/// let mut tampered = bytes.clone();
/// tampered[200] ^= 1;
/// let err = verified_bundle(&tampered[..], &signature, &key, &Limits::DEFAULT).unwrap_err();
/// assert!(matches!(err, VerifiedBundleError::Signature(SignatureError::Mismatch { .. })), "{err}");
/// # Ok::<(), VerifiedBundleError>(())
/// ```
///
/// # Errors
///
/// [`VerifiedBundleError::Signature`] when the key or signature text is
/// not esafety's (an empty signature: the bundle is unsigned), another key
/// signed it, or the bytes or the signature were changed;
/// [`VerifiedBundleError::Bundle`] when the bytes are over the limit, or
/// verify but do not load.
///
/// # Panics
///
/// Never, whatever the bytes and texts.
pub fn verified_bundle<B: AsRef<[u8]>>(
    bytes: B,
    signature_text: &str,
    public_key_text: &str,
    limits: &crate::Limits,
) -> Result<crate::bundle::Bundle<B>, VerifiedBundleError> {
    let len = bytes.as_ref().len() as u64;
    if len > limits.max_bundle_len {
        return Err(crate::bundle::BundleError::TooLarge {
            what: "the bundle",
            len,
            limit: crate::limits::Limit::BundleLen,
            max: limits.max_bundle_len,
        }
        .into());
    }
    let key = PublicKey::parse(public_key_text)?;
    verify_detached(bytes.as_ref(), signature_text, &key)?;
    Ok(crate::bundle::Bundle::from_bytes_with_limits(
        bytes, limits,
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SecretKey {
        SecretKey::from_seed([42; 32])
    }

    #[test]
    fn every_tampering_is_refused() {
        let secret = key();
        let public = secret.public_key();
        let bytes = b"the bundle bytes".to_vec();
        let signature = secret.sign(&bytes);
        let text = signature.to_text();
        assert!(verify_detached(&bytes, &text, &public).is_ok());

        // Each byte of the file flipped.
        for i in 0..bytes.len() {
            let mut changed = bytes.clone();
            if let Some(b) = changed.get_mut(i) {
                *b ^= 0x01;
            }
            assert!(
                matches!(
                    verify_detached(&changed, &text, &public),
                    Err(SignatureError::Mismatch { .. })
                ),
                "byte {i}"
            );
        }
        // A byte appended, the file truncated, emptied.
        let mut longer = bytes.clone();
        longer.push(0);
        let cases: &[(&str, &[u8])] = &[
            ("appended", &longer),
            ("truncated", &bytes[..bytes.len() - 1]),
            ("empty", b""),
        ];
        for (name, changed) in cases {
            assert!(verify_detached(changed, &text, &public).is_err(), "{name}");
        }
        // Each bit of the signature flipped: refused (mismatch, or a
        // signature that no longer decodes).
        let raw = signature.signature.to_bytes();
        for i in 0..raw.len() * 8 {
            let mut sig = raw;
            if let Some(b) = sig.get_mut(i / 8) {
                *b ^= 1 << (i % 8);
            }
            let forged = format!("{SIGNATURE_TAG} {} {}", public.id(), STANDARD.encode(sig));
            assert!(
                verify_detached(&bytes, &forged, &public).is_err(),
                "bit {i}"
            );
        }
    }

    #[test]
    fn another_key_or_a_relabelled_signature_is_refused() {
        let secret = key();
        let other = SecretKey::from_seed([43; 32]);
        let bytes = b"policy";
        let by_other = other.sign(bytes);
        assert!(matches!(
            secret.public_key().verify(bytes, &by_other),
            Err(SignatureError::WrongKey { .. })
        ));
        // The other key's signature, relabelled with our key id.
        let relabelled = format!(
            "{SIGNATURE_TAG} {} {}",
            secret.public_key().id(),
            STANDARD.encode(by_other.signature.to_bytes())
        );
        assert!(matches!(
            verify_detached(bytes, &relabelled, &secret.public_key()),
            Err(SignatureError::Mismatch { .. })
        ));
    }

    #[test]
    fn a_signature_is_over_the_domain_not_the_bare_digest() {
        // A plain Ed25519 signature of the file's SHA-256 (what another
        // tool might make with the same key) is not an esafety signature.
        let secret = key();
        let bytes = b"bundle";
        let bare = secret.0.sign(&Sha256::digest(bytes));
        let text = format!(
            "{SIGNATURE_TAG} {} {}",
            secret.public_key().id(),
            STANDARD.encode(bare.to_bytes())
        );
        assert!(verify_detached(bytes, &text, &secret.public_key()).is_err());
    }

    #[test]
    fn bad_texts_say_what_is_wrong() {
        let public = key().public_key().to_text();
        let cases: &[(&str, String, &str)] = &[
            ("empty", String::new(), "it is empty"),
            (
                "ssh key",
                "ssh-ed25519 AAAAC3Nza".to_owned(),
                "starts with `ssh-ed25519`",
            ),
            (
                "two lines",
                format!("{public}{public}"),
                "more than one line",
            ),
            (
                "no payload",
                PUBLIC_TAG.to_owned(),
                "followed by 0 words, not 1",
            ),
            (
                "bad base64",
                format!("{PUBLIC_TAG} !!!!"),
                "base64 does not decode",
            ),
            (
                "short",
                format!("{PUBLIC_TAG} AAAA"),
                "holds 3 bytes, not 32",
            ),
            ("huge", "x".repeat(MAX_TEXT_LEN + 1), "over 4096"),
        ];
        for (name, text, want) in cases {
            let err = PublicKey::parse(text).unwrap_err();
            assert!(err.to_string().contains(want), "{name}: {err}");
            assert_eq!(err.code(), crate::ErrorCode::InvalidSignature, "{name}");
        }
        let err = Signature::parse(&format!("{SIGNATURE_TAG} ABCDEF0123456789 AAAA")).unwrap_err();
        assert!(
            err.to_string().contains("not 16 lowercase hex digits"),
            "{err}"
        );
    }

    /// Every way a verified load must refuse, by name, with the kind of
    /// error and its code; and the one way it loads.
    #[test]
    fn verified_bundle_loads_only_the_signed_bytes() {
        use crate::ErrorCode;
        let secret = key();
        let public = secret.public_key().to_text();
        let stranger = SecretKey::from_seed([43; 32]).public_key().to_text();
        let bytes = crate::sample::bundle_bytes();
        let signature = secret.sign(&bytes).to_text();
        let limits = crate::Limits::DEFAULT;
        let loaded = verified_bundle(&bytes[..], &signature, &public, &limits).unwrap();
        assert_eq!(loaded.as_bytes(), &bytes[..]);

        let mut flipped_last = bytes.clone();
        if let Some(b) = flipped_last.last_mut() {
            *b ^= 0x80;
        }
        // A bundle byte changed and the checksum forged to match: the
        // checksum passes, the signature does not.
        let mut resealed = bytes.clone();
        if let Some(b) = resealed.get_mut(200) {
            *b ^= 1;
        }
        assert!(crate::bundle::reseal_checksum(&mut resealed));
        let raw = Signature::parse(&signature).unwrap().signature.to_bytes();
        let mut raw_flipped = raw;
        if let Some(b) = raw_flipped.get_mut(10) {
            *b ^= 4;
        }
        let sig_flipped = format!(
            "{SIGNATURE_TAG} {} {}",
            secret.public_key().id(),
            STANDARD.encode(raw_flipped)
        );
        let other_bytes = secret.sign(b"another bundle").to_text();
        let by_stranger = SecretKey::from_seed([43; 32]).sign(&bytes).to_text();
        let not_a_bundle = b"signed, but not a bundle at all; long enough for a header.....";
        let not_a_bundle_sig = secret.sign(not_a_bundle).to_text();
        let mut small = crate::Limits::DEFAULT;
        small.max_bundle_len = 100;

        type Case<'a> = (
            &'a str,
            &'a [u8],
            &'a str,
            &'a str,
            &'a crate::Limits,
            ErrorCode,
            &'a str,
        );
        let cases: &[Case<'_>] = &[
            (
                "unsigned",
                &bytes,
                "",
                &public,
                &limits,
                ErrorCode::InvalidSignature,
                "it is empty",
            ),
            (
                "last byte changed",
                &flipped_last,
                &signature,
                &public,
                &limits,
                ErrorCode::InvalidSignature,
                "does not match the file",
            ),
            (
                "byte changed, checksum resealed",
                &resealed,
                &signature,
                &public,
                &limits,
                ErrorCode::InvalidSignature,
                "does not match the file",
            ),
            (
                "truncated",
                bytes.get(..bytes.len() - 1).unwrap_or_default(),
                &signature,
                &public,
                &limits,
                ErrorCode::InvalidSignature,
                "does not match the file",
            ),
            (
                "signature byte changed",
                &bytes,
                &sig_flipped,
                &public,
                &limits,
                ErrorCode::InvalidSignature,
                "does not match the file",
            ),
            (
                "signature of other bytes",
                &bytes,
                &other_bytes,
                &public,
                &limits,
                ErrorCode::InvalidSignature,
                "does not match the file",
            ),
            (
                "wrong key",
                &bytes,
                &signature,
                &stranger,
                &limits,
                ErrorCode::InvalidSignature,
                "is signed by key",
            ),
            (
                "signed by a stranger",
                &bytes,
                &by_stranger,
                &public,
                &limits,
                ErrorCode::InvalidSignature,
                "is signed by key",
            ),
            (
                "not a key",
                &bytes,
                &signature,
                "ssh-ed25519 AAAA",
                &limits,
                ErrorCode::InvalidSignature,
                "not an esafety public key",
            ),
            (
                "key text as signature",
                &bytes,
                &public,
                &public,
                &limits,
                ErrorCode::InvalidSignature,
                "not an esafety signature",
            ),
            (
                "over the limit",
                &bytes,
                &signature,
                &public,
                &small,
                ErrorCode::TooLarge,
                "`max_bundle_len`",
            ),
            (
                "signed non-bundle",
                not_a_bundle,
                &not_a_bundle_sig,
                &public,
                &limits,
                ErrorCode::InvalidBundle,
                "bad magic",
            ),
        ];
        for (name, bytes, sig, key, limits, code, message) in cases {
            let err = verified_bundle(*bytes, sig, key, limits).unwrap_err();
            assert_eq!(err.code(), *code, "{name}: {err}");
            assert!(err.to_string().contains(message), "{name}: {err}");
        }
        // Bundle bytes changed at every 64th offset: each refused.
        for at in (0..bytes.len()).step_by(64) {
            let mut changed = bytes.clone();
            if let Some(b) = changed.get_mut(at) {
                *b ^= 0x01;
            }
            let err = verified_bundle(&changed[..], &signature, &public, &limits).unwrap_err();
            assert!(
                matches!(
                    err,
                    VerifiedBundleError::Signature(SignatureError::Mismatch { .. })
                ),
                "byte {at}: {err}"
            );
        }
    }

    #[test]
    fn debug_never_shows_a_secret() {
        let secret = key();
        let seed = STANDARD.encode([42u8; 32]);
        let debug = format!("{secret:?}");
        assert!(!debug.contains(&seed), "{debug}");
        assert!(!format!("{:?}", secret.public_key()).contains(&seed));
    }
}
