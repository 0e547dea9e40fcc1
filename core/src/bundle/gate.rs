//! The sensitive-host gate: a Bloom filter over keyed XXH3-64 hashes of the
//! hosts that sensitive (digest-only) entries live on. See the module docs of
//! [`crate::bundle`], "The sensitive-list gate".

use super::format::read_u64;
#[cfg(doc)]
use crate::lists::HostKey;

/// Bits per gated host: with [`HASHES`] probes this gives about 1% false
/// positives.
#[cfg(feature = "compile")]
pub(crate) const BITS_PER_HOST: u64 = 10;
/// Probes per host.
#[cfg(feature = "compile")]
pub(crate) const HASHES: u32 = 7;
/// Most probes a bundle may ask for.
pub(crate) const MAX_HASHES: u32 = 16;

/// The keyed hash of a host: its [`HostKey`] (unseeded XXH3-64, a fixed,
/// platform-independent specification) mixed with the bundle's gate seed
/// by the SplitMix64 finalizer. Going through the key lets list parsers
/// drop a sensitive host's plaintext at once and the builder still gate it.
#[inline]
pub(crate) fn host_hash(seed: u64, host: &[u8]) -> u64 {
    key_hash(seed, xxhash_rust::xxh3::xxh3_64(host))
}

/// [`host_hash`] from a host's key.
#[inline]
pub(crate) fn key_hash(seed: u64, key: u64) -> u64 {
    let mut z = key ^ seed;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The bit positions probed for `hash` in a filter of `bits` bits
/// (Kirsch–Mitzenmacher double hashing).
#[inline]
fn probes(hash: u64, bits: u64, hashes: u32) -> impl Iterator<Item = u64> {
    let h1 = hash;
    let h2 = hash.rotate_left(32) | 1;
    (0..u64::from(hashes)).map(move |i| h1.wrapping_add(i.wrapping_mul(h2)) % bits.max(1))
}

/// Builds the filter words for `hashes_of_hosts`.
#[cfg(feature = "compile")]
pub(crate) fn build(host_hashes: &[u64], hashes: u32) -> Vec<u64> {
    if host_hashes.is_empty() {
        return Vec::new();
    }
    let n = u64::try_from(host_hashes.len()).unwrap_or(u64::MAX);
    let bits = n
        .saturating_mul(BITS_PER_HOST)
        .max(64)
        .div_ceil(64)
        .saturating_mul(64);
    let words = usize::try_from(bits / 64).unwrap_or(0);
    let mut out = vec![0u64; words];
    for &h in host_hashes {
        for bit in probes(h, bits, hashes) {
            let (w, b) = (bit / 64, bit % 64);
            if let Some(word) = usize::try_from(w).ok().and_then(|w| out.get_mut(w)) {
                *word |= 1u64 << b;
            }
        }
    }
    out
}

/// A loaded filter over the gate section bytes.
#[derive(Clone, Copy)]
pub(crate) struct Gate<'a> {
    pub(crate) bytes: &'a [u8],
    pub(crate) seed: u64,
    pub(crate) hashes: u32,
}

impl Gate<'_> {
    /// Whether `host` may be on a sensitive list (about 1% false
    /// positives; never a false negative).
    #[inline]
    pub(crate) fn may_contain(&self, host: &[u8]) -> bool {
        let bits = (self.bytes.len() as u64).saturating_mul(8);
        if bits == 0 {
            return false;
        }
        let h = host_hash(self.seed, host);
        probes(h, bits, self.hashes).all(|bit| {
            let word = usize::try_from(bit / 64)
                .ok()
                .and_then(|w| w.checked_mul(8));
            word.and_then(|at| read_u64(self.bytes, at))
                .is_some_and(|w| w & (1u64 << (bit % 64)) != 0)
        })
    }
}
