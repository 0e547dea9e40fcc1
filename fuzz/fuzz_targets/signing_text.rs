//! The signed-update texts a filter reads from disk or the network: public
//! keys, secret keys and detached signatures (`esafety::signing`). Any
//! bytes: `Ok` or a typed error, never a panic; a signature that parses is
//! checked against a fixed key and must never verify bytes it was not made
//! for.
#![no_main]

use std::sync::OnceLock;

use esafety::signing::{PublicKey, SecretKey, Signature, verify_detached};
use libfuzzer_sys::fuzz_target;

fn key() -> &'static SecretKey {
    static KEY: OnceLock<SecretKey> = OnceLock::new();
    KEY.get_or_init(|| SecretKey::from_seed([11; 32]))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = PublicKey::parse(&text).map(|k| k.to_text());
    let _ = SecretKey::parse(&text).map(|k| k.public_key());
    if let Ok(signature) = Signature::parse(&text) {
        // Only the key's own signature of these bytes verifies, and the
        // fuzzer cannot forge it.
        let public = key().public_key();
        assert!(verify_detached(b"bundle", &signature.to_text(), &public).is_err());
    }
    // A real signature over the fuzz bytes verifies them, and only them.
    let signature = key().sign(data).to_text();
    assert!(verify_detached(data, &signature, &key().public_key()).is_ok());
    let mut other = data.to_vec();
    other.push(0);
    assert!(verify_detached(&other, &signature, &key().public_key()).is_err());
});
