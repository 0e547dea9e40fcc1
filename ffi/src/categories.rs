//! Category bits: the `categories` bitset of results, as C macros, and
//! the index accessors that read any category of a bundle.
//!
//! Built-in categories have fixed bits `0..32` (DESIGN.md, "Category ids");
//! a bundle's `local-` categories take bits `32, 33, …` in the order the
//! bundle lists them, as many as it defines. The 64-bit `categories` field
//! of a result holds bits `0..64`; `esafety_classify_categories` gives
//! every category of a URL as its index (its bit), and
//! `esafety_bundle_category_id` names any index.

use std::ffi::c_char;

use esafety::Category;

use crate::bundle::esafety_bundle;
use crate::canonicalize::url_in;
use crate::error::{Failure, esafety_status};
use crate::input::{handle_in, out_ptr};
use crate::panic::ffi_status;
use crate::string::OutString;

/// The bit of category `child-abuse` in a `categories` bitset.
pub const ESAFETY_CATEGORY_CHILD_ABUSE: u64 = 1 << 0;
/// The bit of category `terrorism` in a `categories` bitset.
pub const ESAFETY_CATEGORY_TERRORISM: u64 = 1 << 1;
/// The bit of category `discrimination` in a `categories` bitset.
pub const ESAFETY_CATEGORY_DISCRIMINATION: u64 = 1 << 2;
/// The bit of category `drugs` in a `categories` bitset.
pub const ESAFETY_CATEGORY_DRUGS: u64 = 1 << 3;
/// The bit of category `extremism` in a `categories` bitset.
pub const ESAFETY_CATEGORY_EXTREMISM: u64 = 1 << 4;
/// The bit of category `gambling` in a `categories` bitset.
pub const ESAFETY_CATEGORY_GAMBLING: u64 = 1 << 5;
/// The bit of category `malware-hacking` in a `categories` bitset.
pub const ESAFETY_CATEGORY_MALWARE_HACKING: u64 = 1 << 6;
/// The bit of category `pornography` in a `categories` bitset.
pub const ESAFETY_CATEGORY_PORNOGRAPHY: u64 = 1 << 7;
/// The bit of category `piracy` in a `categories` bitset.
pub const ESAFETY_CATEGORY_PIRACY: u64 = 1 << 8;
/// The bit of category `self-harm` in a `categories` bitset.
pub const ESAFETY_CATEGORY_SELF_HARM: u64 = 1 << 9;
/// The bit of category `violence` in a `categories` bitset.
pub const ESAFETY_CATEGORY_VIOLENCE: u64 = 1 << 10;
/// The bit of category `circumvention` in a `categories` bitset.
pub const ESAFETY_CATEGORY_CIRCUMVENTION: u64 = 1 << 11;
/// The bit of category `weapons` in a `categories` bitset.
pub const ESAFETY_CATEGORY_WEAPONS: u64 = 1 << 12;
/// The bit of category `adult` in a `categories` bitset.
pub const ESAFETY_CATEGORY_ADULT: u64 = 1 << 13;
/// The bit of category `social-networking` in a `categories` bitset.
pub const ESAFETY_CATEGORY_SOCIAL_NETWORKING: u64 = 1 << 14;
/// The bit of category `chat` in a `categories` bitset.
pub const ESAFETY_CATEGORY_CHAT: u64 = 1 << 15;
/// The bit of category `webmail` in a `categories` bitset.
pub const ESAFETY_CATEGORY_WEBMAIL: u64 = 1 << 16;
/// The bit of category `gaming` in a `categories` bitset.
pub const ESAFETY_CATEGORY_GAMING: u64 = 1 << 17;
/// The bit of category `streaming` in a `categories` bitset.
pub const ESAFETY_CATEGORY_STREAMING: u64 = 1 << 18;
/// The bit of category `dating` in a `categories` bitset.
pub const ESAFETY_CATEGORY_DATING: u64 = 1 << 19;
/// The bit of category `file-sharing` in a `categories` bitset.
pub const ESAFETY_CATEGORY_FILE_SHARING: u64 = 1 << 20;
/// The bit of category `search` in a `categories` bitset.
pub const ESAFETY_CATEGORY_SEARCH: u64 = 1 << 21;
/// The bits of the statutory categories (`child-abuse`, `terrorism`),
/// which every policy blocks.
pub const ESAFETY_CATEGORY_STATUTORY: u64 =
    ESAFETY_CATEGORY_CHILD_ABUSE | ESAFETY_CATEGORY_TERRORISM;
/// The bits of the `local-` categories a bundle defines.
pub const ESAFETY_CATEGORY_LOCAL_MASK: u64 = 0xFFFF_FFFF_0000_0000;

/// Writes to `*out_count` how many category indices `bundle`'s results
/// can use: 32 built-in positions, then one per `local-` category of the
/// bundle. Every index a classification gives is below it.
///
/// Errors: `NULL_PARAMETER` (`bundle` or `out_count` is NULL).
///
/// # Safety
///
/// `bundle` is NULL or a live bundle; `out_count` is NULL or points to a
/// writable `size_t`.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_bundle_category_count(
    bundle: *const esafety_bundle,
    out_count: *mut usize,
) -> esafety_status {
    ffi_status!({
        // SAFETY: `out_count` is NULL or writable (contract).
        let out = unsafe { out_ptr(out_count, "out_count") }?;
        *out = 0;
        // SAFETY: `bundle` is NULL or a live bundle (contract).
        let bundle = unsafe { handle_in(bundle, "bundle") }?;
        *out = bundle.classifier.bundle().category_count();
        Ok(())
    })
}

/// Writes the stable id of category `index` of `bundle` (a built-in id
/// such as `gambling`, or one of the bundle's `local-` ids) as new text to
/// `*out_id` (length in `*out_len` when not NULL); free it with
/// `esafety_string_free`. `index` is a bit of a `categories` bitset or an
/// index from `esafety_classify_categories`.
///
/// Errors: `NULL_PARAMETER` (`bundle` or `out_id` is NULL),
/// `INVALID_PARAMETER` (no category of the bundle has that index). On
/// error `*out_id` is NULL.
///
/// # Safety
///
/// `bundle` is NULL or a live bundle; `out_id` is NULL or points to a
/// writable `char *`; `out_len` is NULL or points to a writable `size_t`.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_bundle_category_id(
    bundle: *const esafety_bundle,
    index: u32,
    out_id: *mut *mut c_char,
    out_len: *mut usize,
) -> esafety_status {
    ffi_status!({
        // SAFETY: `out_id` and `out_len` are NULL or writable (contract).
        let out = unsafe { OutString::new(out_id, out_len) }?;
        // SAFETY: `bundle` is NULL or a live bundle (contract).
        let bundle = unsafe { handle_in(bundle, "bundle") }?;
        let bundle = bundle.classifier.bundle();
        let id = Category::from_bit(index)
            .and_then(|c| bundle.category_id(c))
            .ok_or_else(|| {
                Failure::new(
                    esafety_status::InvalidParameter,
                    format!(
                        "no category of this bundle has index {index}; use an index below `esafety_bundle_category_count` that a result gave"
                    ),
                )
            })?;
        out.give(id.to_owned())
    })
}

/// Canonicalizes `url` (`url_len` bytes; bytes that are not UTF-8 read as
/// their `%XX` escapes), classifies it against `bundle` and writes the
/// index of each of its categories, in bit order (built-in ones first),
/// to `out_indices`, and their number to `*out_count`. Unlike the 64-bit
/// `categories` field of `esafety_classification`, this gives every
/// category, however many `local-` categories the bundle defines; name
/// an index with `esafety_bundle_category_id`.
///
/// `capacity` is how many indices `out_indices` has room for; pass
/// `esafety_bundle_category_count` to never run short, or `(NULL, 0)` to
/// learn the count. When the URL has more categories than `capacity`,
/// nothing is written to `out_indices`, `*out_count` is the number
/// needed and the status is `TOO_LARGE`: a partial list is never handed
/// out as if it were complete.
///
/// Errors: `NULL_PARAMETER` (`bundle`, `url` or `out_count` is NULL, or
/// `out_indices` is NULL with a `capacity` above 0), `TOO_LARGE`,
/// `INVALID_URL`. On `INVALID_URL` and `NULL_PARAMETER` `*out_count` is 0.
///
/// Thread-safe: any number of threads may classify with one bundle at once.
///
/// # Safety
///
/// `bundle` is NULL or a live bundle; `url` is NULL or points to `url_len`
/// readable bytes; `out_indices` is NULL or points to `capacity` writable
/// `uint32_t`; `out_count` is NULL or points to a writable `size_t`.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_classify_categories(
    bundle: *const esafety_bundle,
    url: *const c_char,
    url_len: usize,
    out_indices: *mut u32,
    capacity: usize,
    out_count: *mut usize,
) -> esafety_status {
    ffi_status!({
        // SAFETY: `out_count` is NULL or writable (contract).
        let count = unsafe { out_ptr(out_count, "out_count") }?;
        *count = 0;
        if out_indices.is_null() && capacity > 0 {
            return Err(Failure::new(
                esafety_status::NullParameter,
                format!(
                    "`out_indices` is NULL but `capacity` is {capacity}; pass room for the indices, or (NULL, 0) to learn their number"
                ),
            ));
        }
        // SAFETY: `bundle` is NULL or a live bundle (contract).
        let bundle = unsafe { handle_in(bundle, "bundle") }?;
        // SAFETY: `url` is NULL or `url_len` readable bytes (contract).
        let (_, canonical) = unsafe { url_in(url, url_len) }?;
        let c = bundle.classifier.classify(&canonical);
        let indices: Vec<u32> = c.categories.iter().map(Category::bit).collect();
        *count = indices.len();
        if indices.len() > capacity {
            return Err(Failure::new(
                esafety_status::TooLarge,
                format!(
                    "the URL has {} categories, more than the capacity of {capacity}; call again with room for {}",
                    indices.len(),
                    indices.len()
                ),
            ));
        }
        if !indices.is_empty() {
            // SAFETY: `out_indices` is non-NULL here (checked above, as
            // `capacity >= indices.len() > 0`) and points to `capacity`
            // writable, aligned `uint32_t` (contract), of which this
            // writes the first `indices.len()`; that many `u32` (at most
            // one per category of the bundle) is far below `isize::MAX`
            // bytes.
            let out = unsafe { std::slice::from_raw_parts_mut(out_indices, indices.len()) };
            for (slot, index) in out.iter_mut().zip(&indices) {
                *slot = *index;
            }
        }
        Ok(())
    })
}

#[cfg(test)]
#[allow(
    clippy::undocumented_unsafe_blocks,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests pass valid pointers, or NULL where the function under test accepts it"
)]
mod tests {
    use super::*;
    use esafety::Category;

    #[test]
    fn every_macro_is_the_core_bit_of_its_category() {
        let table: &[(&str, u64)] = &[
            ("child-abuse", ESAFETY_CATEGORY_CHILD_ABUSE),
            ("terrorism", ESAFETY_CATEGORY_TERRORISM),
            ("discrimination", ESAFETY_CATEGORY_DISCRIMINATION),
            ("drugs", ESAFETY_CATEGORY_DRUGS),
            ("extremism", ESAFETY_CATEGORY_EXTREMISM),
            ("gambling", ESAFETY_CATEGORY_GAMBLING),
            ("malware-hacking", ESAFETY_CATEGORY_MALWARE_HACKING),
            ("pornography", ESAFETY_CATEGORY_PORNOGRAPHY),
            ("piracy", ESAFETY_CATEGORY_PIRACY),
            ("self-harm", ESAFETY_CATEGORY_SELF_HARM),
            ("violence", ESAFETY_CATEGORY_VIOLENCE),
            ("circumvention", ESAFETY_CATEGORY_CIRCUMVENTION),
            ("weapons", ESAFETY_CATEGORY_WEAPONS),
            ("adult", ESAFETY_CATEGORY_ADULT),
            ("social-networking", ESAFETY_CATEGORY_SOCIAL_NETWORKING),
            ("chat", ESAFETY_CATEGORY_CHAT),
            ("webmail", ESAFETY_CATEGORY_WEBMAIL),
            ("gaming", ESAFETY_CATEGORY_GAMING),
            ("streaming", ESAFETY_CATEGORY_STREAMING),
            ("dating", ESAFETY_CATEGORY_DATING),
            ("file-sharing", ESAFETY_CATEGORY_FILE_SHARING),
            ("search", ESAFETY_CATEGORY_SEARCH),
        ];
        assert_eq!(table.len(), Category::BUILTIN.len());
        for &(id, bit) in table {
            let c = Category::from_id(id).unwrap();
            assert_eq!(bit, 1u64 << c.bit(), "{id}");
        }
        let statutory: u64 = Category::STATUTORY.iter().map(|c| 1u64 << c.bit()).sum();
        assert_eq!(ESAFETY_CATEGORY_STATUTORY, statutory);
    }

    /// A bundle of 100 local categories, the last holding `far.example`.
    fn many_locals() -> *mut esafety_bundle {
        use esafety::bundle::BundleBuilder;
        use esafety::lists::{Entry, EntryKind};
        let mut b = BundleBuilder::new();
        for i in 0..100 {
            let list = b
                .add_list(&format!("l{i}"), &format!("local-c{i}"))
                .unwrap();
            if i == 99 {
                let kind = EntryKind::Domain("far.example".into());
                b.add_entry(list, &Entry { kind, line: 1 }).unwrap();
            }
        }
        let bytes = b.build().unwrap();
        let mut out = std::ptr::null_mut();
        let status =
            unsafe { crate::esafety_bundle_from_bytes(bytes.as_ptr(), bytes.len(), &raw mut out) };
        assert_eq!(status, esafety_status::Ok);
        out
    }

    #[test]
    fn any_category_of_a_bundle_reads_through_the_index_accessors() {
        let bundle = many_locals();
        let mut count = 0usize;
        assert_eq!(
            unsafe { esafety_bundle_category_count(bundle, &raw mut count) },
            esafety_status::Ok
        );
        assert_eq!(count, 132);
        let url = b"http://www.far.example/x";
        let mut indices = vec![0u32; count];
        let mut n = 0usize;
        let status = unsafe {
            esafety_classify_categories(
                bundle,
                url.as_ptr().cast(),
                url.len(),
                indices.as_mut_ptr(),
                indices.len(),
                &raw mut n,
            )
        };
        assert_eq!((status, n), (esafety_status::Ok, 1));
        assert_eq!(indices[0], 131);
        let mut id = std::ptr::null_mut();
        let mut len = 0usize;
        assert_eq!(
            unsafe { esafety_bundle_category_id(bundle, 131, &raw mut id, &raw mut len) },
            esafety_status::Ok
        );
        assert_eq!(
            unsafe { std::ffi::CStr::from_ptr(id) }.to_str().unwrap(),
            "local-c99"
        );
        assert_eq!(len, 9);
        unsafe { crate::esafety_string_free(id) };
        // The 64-bit field holds bits 0..64 only; the index list has them all.
        let mut c = crate::esafety_classification::default();
        assert_eq!(
            unsafe { crate::esafety_classify(bundle, url.as_ptr().cast(), url.len(), &raw mut c) },
            esafety_status::Ok
        );
        assert_eq!((c.categories, c.match_count), (0, 1));
        // (NULL, 0) counts; too little room writes nothing and says how much.
        let mut n = 7usize;
        let status = unsafe {
            esafety_classify_categories(
                bundle,
                url.as_ptr().cast(),
                url.len(),
                std::ptr::null_mut(),
                0,
                &raw mut n,
            )
        };
        assert_eq!((status, n), (esafety_status::TooLarge, 1));
        let status = unsafe {
            esafety_classify_categories(
                bundle,
                url.as_ptr().cast(),
                url.len(),
                std::ptr::null_mut(),
                1,
                &raw mut n,
            )
        };
        assert_eq!((status, n), (esafety_status::NullParameter, 0));
        // An unlisted URL has no categories: (NULL, 0) is enough.
        let other = b"http://other.example/";
        let status = unsafe {
            esafety_classify_categories(
                bundle,
                other.as_ptr().cast(),
                other.len(),
                std::ptr::null_mut(),
                0,
                &raw mut n,
            )
        };
        assert_eq!((status, n), (esafety_status::Ok, 0));
        // Indices no category has are refused.
        for bad in [25u32, 132, u32::MAX] {
            let mut id = std::ptr::null_mut();
            assert_eq!(
                unsafe {
                    esafety_bundle_category_id(bundle, bad, &raw mut id, std::ptr::null_mut())
                },
                esafety_status::InvalidParameter,
                "{bad}"
            );
            assert!(id.is_null());
        }
        assert_eq!(
            unsafe { esafety_bundle_category_id(bundle, 5, &raw mut id, std::ptr::null_mut()) },
            esafety_status::Ok
        );
        assert_eq!(
            unsafe { std::ffi::CStr::from_ptr(id) }.to_str().unwrap(),
            "gambling"
        );
        unsafe { crate::esafety_string_free(id) };
        unsafe { crate::esafety_bundle_free(bundle) };
    }
}
