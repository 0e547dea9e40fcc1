//! Decision records and search terms: `esafety_record_json`,
//! `esafety_search_terms_json`. The record is the core's
//! (`esafety::record`); this face only reads the caller's identity.

use std::ffi::c_char;

use esafety::record::{DecisionRecord, Identity, PseudonymKey, RecordOptions};

use crate::decide::{esafety_request, read_request};
use crate::engine::esafety_engine;
use crate::error::{Failure, esafety_status};
use crate::input::{ESAFETY_MAX_NAME_LEN, bytes_in, handle_in, opt_str_in, url_text_in};
use crate::panic::ffi_status;
use crate::string::OutString;

/// The longest pseudonym key accepted, in bytes.
pub const ESAFETY_MAX_KEY_LEN: usize = 1024;

/// Who made a request, and what its record keeps, for
/// `esafety_record_json`. The group, age and device are the request's
/// (`esafety_request`). Zero it (`memset` or `= {0}`) and fill in what
/// you know: every field is optional.
///
/// The struct and the buffers it points to are only read during the call.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct esafety_identity {
    /// The site's name (a site file's `site`), `site_len` bytes of UTF-8;
    /// `(NULL, 0)` means none.
    pub site: *const c_char,
    /// The length of `site` in bytes (at most `ESAFETY_MAX_NAME_LEN`).
    pub site_len: usize,
    /// The client's IP address as text (`10.0.0.7`, `2001:db8::7`),
    /// `client_ip_len` bytes; `(NULL, 0)` means none.
    pub client_ip: *const c_char,
    /// The length of `client_ip` in bytes (at most `ESAFETY_MAX_NAME_LEN`).
    pub client_ip_len: usize,
    /// The user name the proxy (or sign-in) authenticated, `user_len`
    /// bytes of UTF-8; `(NULL, 0)` means none.
    pub user: *const c_char,
    /// The length of `user` in bytes (at most `ESAFETY_MAX_NAME_LEN`).
    pub user_len: usize,
    /// A key (16 bytes or more) to write the user as `pseudonym:` +
    /// HMAC-SHA-256 of the name instead of the name; `(NULL, 0)` writes the
    /// name.
    pub pseudonym_key: *const u8,
    /// The length of `pseudonym_key` in bytes (at most
    /// `ESAFETY_MAX_KEY_LEN`).
    pub pseudonym_key_len: usize,
    /// True leaves the client address out of the record.
    pub omit_client_ip: bool,
}

/// What `esafety_identity` says: who, and what the record keeps.
struct Who<'a> {
    site: Option<&'a str>,
    client_ip: Option<std::net::IpAddr>,
    user: Option<&'a str>,
    options: RecordOptions,
}

/// Reads the identity (NULL: nobody) and the record options.
///
/// # Safety
///
/// `identity` is NULL or points to a readable `esafety_identity` whose
/// pointers are NULL or point to their lengths in readable bytes.
unsafe fn identity_in<'a>(identity: *const esafety_identity) -> Result<Who<'a>, Failure> {
    if identity.is_null() {
        return Ok(Who {
            site: None,
            client_ip: None,
            user: None,
            options: RecordOptions::new(),
        });
    }
    // SAFETY: `identity` is non-NULL and readable (contract).
    let id = unsafe { handle_in(identity, "identity") }?;
    // SAFETY: the identity's buffers are NULL or their lengths in readable
    // bytes (contract).
    let site = unsafe { opt_str_in(id.site, id.site_len, "site", ESAFETY_MAX_NAME_LEN) }?;
    // SAFETY: as above.
    let user = unsafe { opt_str_in(id.user, id.user_len, "user", ESAFETY_MAX_NAME_LEN) }?;
    // SAFETY: as above.
    let ip = unsafe {
        opt_str_in(
            id.client_ip,
            id.client_ip_len,
            "client_ip",
            ESAFETY_MAX_NAME_LEN,
        )
    }?;
    let client_ip = ip
        .map(|text| {
            text.parse().map_err(|_| {
                Failure::new(
                    esafety_status::InvalidParameter,
                    format!("`client_ip` `{text}` is not an IPv4 or IPv6 address; pass one, or (NULL, 0) for none"),
                )
            })
        })
        .transpose()?;
    let mut options = RecordOptions::new();
    if !id.pseudonym_key.is_null() || id.pseudonym_key_len != 0 {
        // SAFETY: as above.
        let key = unsafe {
            bytes_in(
                id.pseudonym_key,
                id.pseudonym_key_len,
                "pseudonym_key",
                ESAFETY_MAX_KEY_LEN,
            )
        }?;
        let key = PseudonymKey::new(key)
            .map_err(|e| Failure::from_error(esafety_status::InvalidParameter, &e))?;
        options = options.with_pseudonyms(key);
    }
    if id.omit_client_ip {
        options = options.without_client_ip();
    }
    Ok(Who {
        site,
        client_ip,
        user,
        options,
    })
}

/// Decides a request like `esafety_decide_json` for the identity the caller
/// passes and returns its decision record — the JSON Lines record
/// `esafety squid-helper --log` writes, `{"time", "site", "client_ip",
/// "user", "device", "group", "age", "policy", "url", "categories",
/// "action", "rule", "lists", "search_terms", "alert", "reasons"}` (and
/// `"incident"` for a statutory block, `"error"` for rule `error`), one
/// line without a line break — as new text in `*out_json` (length in
/// `*out_len` when not NULL; free it with `esafety_string_free`). The
/// schema is `policies/schema/record.schema.json`. A `child-abuse` or
/// `terrorism` match records the digest id as `url`, never the URL.
///
/// `identity` may be NULL (nobody known).
///
/// A URL that cannot be read still has a record: blocked, rule `error`,
/// status `OK` (the record is the answer; it is fail closed).
///
/// Errors: `NULL_PARAMETER` (`engine`, `request`, `request->url` or
/// `out_json` is NULL; a buffer NULL with a non-zero length),
/// `TOO_LARGE`, `INVALID_UTF8`, `INVALID_REQUEST` (as `esafety_decide`),
/// `INVALID_PARAMETER` (a `client_ip` that is not an address, a pseudonym
/// key under 16 bytes). On error `*out_json` is NULL: no decision was
/// made, so there is nothing to record.
///
/// # Safety
///
/// As `esafety_decide_json`, with `identity` NULL or pointing to a
/// readable `esafety_identity` whose pointers are NULL or point to their
/// lengths in readable bytes.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_record_json(
    engine: *const esafety_engine,
    request: *const esafety_request,
    identity: *const esafety_identity,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
) -> esafety_status {
    ffi_status!({
        // SAFETY: `out_json` and `out_len` are NULL or writable (contract).
        let out = unsafe { OutString::new(out_json, out_len) }?;
        // SAFETY: forwarded from this function's contract.
        let record = unsafe { make_record(engine, request, identity, None) }?;
        out.give(record.to_json_line())
    })
}

/// The decision record of `request` for `identity`: the core's
/// (`esafety::record::record`), after every argument was read.
///
/// # Safety
///
/// `engine` is NULL or a live engine, `request` NULL or readable (as
/// `esafety_decide`), `identity` NULL or a readable `esafety_identity`
/// whose pointers are NULL or point to their lengths in readable bytes.
/// With `phrases`, the request's search terms are scored with it first.
pub(crate) unsafe fn make_record(
    engine: *const esafety_engine,
    request: *const esafety_request,
    identity: *const esafety_identity,
    phrases: Option<&esafety::content::Scanner>,
) -> Result<DecisionRecord, Failure> {
    // SAFETY: `engine` is NULL or a live engine (contract).
    let engine = unsafe { handle_in(engine, "engine") }?;
    // SAFETY: `request` is NULL or readable (contract).
    let (text, context) = unsafe { read_request(request) }?;
    // SAFETY: `identity` is NULL or readable (contract).
    let who = unsafe { identity_in(identity) }?;
    let options = match phrases {
        Some(scanner) => who.options.with_phrases(scanner.clone()),
        None => who.options,
    };
    let who = Identity {
        site: who.site,
        client_ip: who.client_ip,
        user: who.user,
        device: context.device,
        group: context.group,
        age: context.age,
    };
    Ok(esafety::record::record(
        &engine.engine,
        &text,
        &who,
        context.time,
        &options,
    ))
}

/// The search terms of a search-engine or video-site URL (Google, Bing,
/// DuckDuckGo, Yahoo, YouTube, Ecosia and more): `{"site":"google",
/// "terms":"volcano facts"}`, or `null` when the URL is not a search, as
/// new JSON text in `*out_json` (length in `*out_len` when not NULL; free
/// it with `esafety_string_free`).
///
/// Errors: `NULL_PARAMETER` (`url` or `out_json` is NULL), `TOO_LARGE`,
/// `INVALID_URL`. On error `*out_json` is NULL.
///
/// # Safety
///
/// `url` is NULL or points to `url_len` readable bytes; `out_json` is NULL
/// or points to a writable `char *`; `out_len` is NULL or points to a
/// writable `size_t`.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_search_terms_json(
    url: *const c_char,
    url_len: usize,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
) -> esafety_status {
    ffi_status!({
        // SAFETY: `out_json` and `out_len` are NULL or writable (contract).
        let out = unsafe { OutString::new(out_json, out_len) }?;
        // SAFETY: `url` is NULL or `url_len` readable bytes (contract).
        let text = unsafe { url_text_in(url, url_len) }?;
        let found = esafety::record::search_terms_of(&text)
            .map_err(|e| Failure::from_error(e.code().into(), &e))?;
        out.give_json(&found)
    })
}
