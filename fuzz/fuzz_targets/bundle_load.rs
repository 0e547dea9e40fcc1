//! `Bundle::from_bytes` over untrusted bytes: `Ok` or `Err`, never a panic,
//! and a loaded bundle classifies without panicking.
//!
//! The first byte picks a mode, so one target reaches every layer:
//! - 0: the bytes as they are (the checksum stops almost everything);
//! - 1: the bytes with the header's length and checksum fixed up, as
//!   regex-automata's deserialization targets prepend a valid header;
//! - 2: the sample bundle with the input applied as (offset, xor) patches,
//!   then resealed: valid structure, hostile details.
#![no_main]

use std::sync::OnceLock;

use esafety::bundle::{Bundle, reseal_checksum};
use esafety::classify::Classifier;
use libfuzzer_sys::fuzz_target;

const URLS: &[&str] = &[
    "http://www.bet365.com/",
    "http://a.b.c.d.reddit.com/r/learnprogramming/x/y/z?q=1",
    "http://iwf-test.esafety.invalid/abuse/page-1.html",
    "http://192.0.2.55/iwf-test/page.html",
    "http://x.test/browse.php?u=1",
    "http://testsafebrowsing.appspot.com/s/malware.html",
];

fn sample() -> &'static [u8] {
    static SAMPLE: OnceLock<Vec<u8>> = OnceLock::new();
    SAMPLE.get_or_init(esafety::sample::bundle_bytes)
}

fn exercise(bytes: Vec<u8>) {
    if let Ok(bundle) = Bundle::from_bytes(bytes) {
        let _ = format!("{bundle:?}");
        let classifier = Classifier::new(bundle);
        for url in URLS {
            let _ = classifier.classify_str(url);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 3 {
        0 => exercise(rest.to_vec()),
        1 => {
            let mut bytes = rest.to_vec();
            if bytes.len() >= 32 {
                let len = bytes.len() as u64;
                bytes[24..32].copy_from_slice(&len.to_le_bytes());
            }
            reseal_checksum(&mut bytes);
            exercise(bytes);
        }
        _ => {
            let mut bytes = sample().to_vec();
            for patch in rest.chunks_exact(3) {
                let at = usize::from(u16::from_le_bytes([patch[0], patch[1]])) % bytes.len();
                bytes[at] ^= patch[2];
            }
            reseal_checksum(&mut bytes);
            exercise(bytes);
        }
    }
});
