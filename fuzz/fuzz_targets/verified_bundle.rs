//! Verify-then-load (`esafety::signing::verified_bundle`), the loader the
//! C and WebAssembly faces' verified constructors are: any bytes, signed by
//! the configured key (so they get past verification and are read as a
//! bundle, the checksum resealed to reach the sections), load or fail with
//! a bundle error, never a panic; and a signature of other bytes never lets
//! any bytes through.
#![no_main]

use std::sync::OnceLock;

use esafety::Limits;
use esafety::signing::{SecretKey, VerifiedBundleError, verified_bundle};
use libfuzzer_sys::fuzz_target;

struct Fixed {
    key: SecretKey,
    public: String,
    sample: Vec<u8>,
    sample_signature: String,
}

fn fixed() -> &'static Fixed {
    static FIXED: OnceLock<Fixed> = OnceLock::new();
    FIXED.get_or_init(|| {
        let key = SecretKey::from_seed([13; 32]);
        let sample = esafety::sample::bundle_bytes();
        Fixed {
            public: key.public_key().to_text(),
            sample_signature: key.sign(&sample).to_text(),
            key,
            sample,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let f = fixed();
    // Signed by the key: verified, then read as a bundle.
    let mut bytes = data.to_vec();
    let _ = esafety::bundle::reseal_checksum(&mut bytes);
    let signature = f.key.sign(&bytes).to_text();
    match verified_bundle(&bytes[..], &signature, &f.public, &Limits::DEFAULT) {
        Ok(bundle) => assert_eq!(bundle.as_bytes(), &bytes[..]),
        Err(e) => assert!(matches!(e, VerifiedBundleError::Bundle(_)), "{e}"),
    }
    // The sample's signature lets no other bytes through.
    if data != &f.sample[..] {
        let refused = verified_bundle(data, &f.sample_signature, &f.public, &Limits::DEFAULT);
        assert!(matches!(refused, Err(VerifiedBundleError::Signature(_))));
    }
    // Any other text as the signature or the key: refused, never a panic.
    let text = String::from_utf8_lossy(data);
    if text.trim() != f.sample_signature.trim() {
        assert!(verified_bundle(&f.sample[..], &text, &f.public, &Limits::DEFAULT).is_err());
    }
    if text.trim() != f.public.trim() {
        let by_text = verified_bundle(&f.sample[..], &f.sample_signature, &text, &Limits::DEFAULT);
        assert!(by_text.is_err());
    }
});
