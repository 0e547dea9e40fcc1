//! `esafety_record`: the decision record as a C struct
//! (`esafety_record_new`, `esafety_record_free`). The record is the
//! core's (`esafety::record::DecisionRecord`, the JSON Lines record); this
//! face only lays its fields out for C, in memory the record owns.

use std::ffi::c_char;

use esafety::policy::{AlertUrgency, ContentFinding, ContentSource, Device};
use esafety::record::DecisionRecord;

use crate::decide::{esafety_action, esafety_device, esafety_request};
use crate::engine::esafety_engine;
use crate::error::{Failure, esafety_status};
use crate::input::{handle_in, out_ptr};
use crate::panic::ffi_status;
use crate::record::{esafety_identity, make_record};
use crate::scan::{esafety_scanner, esafety_verdict};

/// A text of a record: `len` bytes of UTF-8 at `ptr`, followed by a NUL
/// (so `ptr` is also a C string when the text has no NUL of its own).
/// `ptr` is NULL (and `len` 0) when the record's field is null: not known,
/// or not applicable. Owned by the record; valid until `esafety_record_free`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct esafety_text {
    /// The text, NUL-terminated; NULL for none.
    pub ptr: *const c_char,
    /// Its length in bytes, without the NUL.
    pub len: usize,
}

impl esafety_text {
    const NONE: esafety_text = esafety_text {
        ptr: std::ptr::null(),
        len: 0,
    };
}

/// How soon a decision's alert asks the designated safeguarding lead to
/// act (`esafety_record.alert`). Zero is the most urgent, as zero is the
/// most restrictive action: a value that was never written never means
/// "no alert".
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum esafety_alert_urgency {
    /// Now: the lead is told at once (every statutory block).
    Immediately = 0,
    /// Before the end of the day.
    SameDay = 1,
    /// Within one working day.
    WithinOneWorkingDay = 2,
    /// At the next review of the logs.
    AtReview = 3,
    /// The decision raises no alert.
    None = 4,
}

impl From<Option<AlertUrgency>> for esafety_alert_urgency {
    fn from(urgency: Option<AlertUrgency>) -> Self {
        match urgency {
            Some(AlertUrgency::Immediately) => esafety_alert_urgency::Immediately,
            Some(AlertUrgency::SameDay) => esafety_alert_urgency::SameDay,
            Some(AlertUrgency::WithinOneWorkingDay) => esafety_alert_urgency::WithinOneWorkingDay,
            Some(AlertUrgency::AtReview) => esafety_alert_urgency::AtReview,
            None => esafety_alert_urgency::None,
        }
    }
}

/// What a content score was taken of (`esafety_content_finding.source`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum esafety_content_source {
    /// The page's text.
    Page = 0,
    /// The search terms in the URL.
    SearchTerms = 1,
}

/// The positive score of one esafety category in a content score.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct esafety_content_category {
    /// The category id (`gambling`).
    pub category: esafety_text,
    /// Its score.
    pub score: i64,
}

/// One phrase behind a content score.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct esafety_content_phrase {
    /// The phrase (or combination) as listed, e.g. `< poker >`.
    pub phrase: esafety_text,
    /// `weighted`, `banned` or `exception`.
    pub kind: esafety_text,
    /// Its weight (0 for banned and exception phrases).
    pub weight: i64,
    /// How often it was found.
    pub count: u32,
    /// What it added to the score.
    pub score: i64,
    /// The esafety category of its list; NULL when it has none.
    pub category: esafety_text,
}

/// One content score of a record (the JSON record's `content` items):
/// what was scanned, the score, the limit it was judged at, the verdict,
/// and the categories and phrases behind it.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct esafety_content_finding {
    /// What was scanned.
    pub source: esafety_content_source,
    /// The score e2guardian would log.
    pub score: i64,
    /// The limit it was judged at.
    pub limit: u32,
    /// `ESAFETY_VERDICT_BLOCK` (0) when the score crossed the limit (over
    /// it, or a banned phrase); `ESAFETY_VERDICT_ALLOW` when within it.
    pub verdict: esafety_verdict,
    /// The score in words.
    pub explanation: esafety_text,
    /// The positive score per esafety category, by category id
    /// (`categories_len`; NULL when none).
    pub categories: *const esafety_content_category,
    /// How many `categories`.
    pub categories_len: usize,
    /// The phrases behind the verdict, those that decided first
    /// (`phrases_len`; NULL when none).
    pub phrases: *const esafety_content_phrase,
    /// How many `phrases`.
    pub phrases_len: usize,
}

/// One decision record, as `esafety squid-helper --log` writes it and
/// `esafety_record_json` returns it, with one field per field of the JSON
/// Lines record (README, "Decision records"; the schema is
/// `policies/schema/record.schema.json`) and the JSON line itself. Made by
/// `esafety_record_new`, freed with `esafety_record_free`; every text and
/// array is owned by the record.
///
/// A `child-abuse` or `terrorism` match holds the digest id (`sha256:…`)
/// in `url`, never the URL or its host, in any field.
///
/// ABI growth: fields are only ever appended. `struct_size` is the
/// `sizeof(esafety_record)` of the library that made the record: a program
/// compiled with a newer header reads a field only when `struct_size`
/// covers it (`offsetof(esafety_record, field) < record->struct_size`).
#[repr(C)]
#[derive(Debug)]
pub struct esafety_record {
    /// `sizeof(esafety_record)` of the library that made this record.
    pub struct_size: usize,
    /// When the request was decided, RFC 3339 with the UTC offset of the
    /// policy's time zone (`2026-03-02T10:00:00+00:00`).
    pub time: esafety_text,
    /// The same instant in Unix seconds.
    pub time_unix: i64,
    /// The site's name (`esafety_identity.site`); NULL when not known.
    pub site: esafety_text,
    /// The client's IP address; NULL when not known or left out
    /// (`omit_client_ip`).
    pub client_ip: esafety_text,
    /// The user name, or its pseudonym (`pseudonym:` + 32 hex digits);
    /// NULL when not known.
    pub user: esafety_text,
    /// The kind of device (`ESAFETY_DEVICE_UNKNOWN` when not known).
    pub device: esafety_device,
    /// The user's group; NULL when not known.
    pub group: esafety_text,
    /// The user's age in years; -1 when not known.
    pub age: i32,
    /// The id of the policy that decided.
    pub policy: esafety_text,
    /// The canonical URL; for a `child-abuse` or `terrorism` match the
    /// digest id of the entry instead; NULL when the URL could not be read
    /// (rule `error`).
    pub url: esafety_text,
    /// The ids of the URL's categories (`categories_len` of them; NULL
    /// when there are none).
    pub categories: *const esafety_text,
    /// How many `categories`.
    pub categories_len: usize,
    /// What was done (`ESAFETY_ACTION_BLOCK` is 0).
    pub action: esafety_action,
    /// The rule that decided: a rule id, `baseline`, `default` or `error`.
    pub rule: esafety_text,
    /// The names of the lists that matched, sorted, each once
    /// (`lists_len`; NULL when none).
    pub lists: *const esafety_text,
    /// How many `lists`.
    pub lists_len: usize,
    /// The search site (`google`, `youtube`, …) when the URL is a search;
    /// else NULL.
    pub search_site: esafety_text,
    /// The search terms as typed; NULL when the URL is not a search.
    pub search_terms: esafety_text,
    /// How urgent the decision's alert is (`ESAFETY_ALERT_URGENCY_NONE`:
    /// none).
    pub alert: esafety_alert_urgency,
    /// Why the decision alerts, in words; NULL without an alert.
    pub alert_reason: esafety_text,
    /// Why: the rule, and each list, category and expression behind it
    /// (for a statutory match the digest id, never the URL)
    /// (`reasons_len`; NULL when none).
    pub reasons: *const esafety_text,
    /// How many `reasons`.
    pub reasons_len: usize,
    /// For a statutory block, the incident draft (`esafety incident` reads
    /// it) as JSON text; else NULL.
    pub incident_json: esafety_text,
    /// Why the request could not be read (rule `error`), without the
    /// request itself; else NULL.
    pub error: esafety_text,
    /// The whole record as one line of JSON, without the line break: what
    /// `esafety_record_json` returns.
    pub json: esafety_text,
    /// The content scores of the request, when its content was scanned
    /// (`esafety_record_new_scanned`: its search terms), each judged at the
    /// limit that applied (`content_len`; NULL when nothing was scanned).
    /// Added after `json`: read it only when `struct_size` covers it.
    pub content: *const esafety_content_finding,
    /// How many `content` findings.
    pub content_len: usize,
}

/// The record and the memory its pointers point into. `record` is the
/// first field of a `repr(C)` struct, so a pointer to the whole is a
/// pointer to it: C holds `*mut esafety_record`, `esafety_record_free`
/// turns it back into this.
#[repr(C)]
struct OwnedRecord {
    record: esafety_record,
    /// Every text, each with its NUL; boxed, so moving the vector never
    /// moves a text.
    _texts: Vec<Box<[u8]>>,
    /// The three arrays of texts.
    _arrays: Vec<Box<[esafety_text]>>,
    /// The content findings, with the categories and phrases of each.
    _content: Content,
}

/// Collects the record's texts while their pointers are taken.
#[derive(Default)]
struct Texts {
    texts: Vec<Box<[u8]>>,
    arrays: Vec<Box<[esafety_text]>>,
}

/// The memory of the record's content findings; boxed, so moving it never
/// moves what the pointers point to.
#[derive(Default)]
struct Content {
    findings: Option<Box<[esafety_content_finding]>>,
    categories: Vec<Box<[esafety_content_category]>>,
    phrases: Vec<Box<[esafety_content_phrase]>>,
}

/// A boxed slice's pointer (NULL when empty) and length.
fn ptr_len<T>(items: &[T]) -> (*const T, usize) {
    if items.is_empty() {
        (std::ptr::null(), 0)
    } else {
        (items.as_ptr(), items.len())
    }
}

impl Content {
    /// Lays `findings` out for C; returns the array's pointer and length.
    fn lay_out(
        &mut self,
        texts: &mut Texts,
        findings: &[ContentFinding],
    ) -> (*const esafety_content_finding, usize) {
        let laid: Box<[esafety_content_finding]> = findings
            .iter()
            .map(|f| {
                let categories: Box<[esafety_content_category]> = f
                    .categories
                    .iter()
                    .map(|(category, score)| esafety_content_category {
                        category: texts.text(category),
                        score: *score,
                    })
                    .collect();
                let phrases: Box<[esafety_content_phrase]> = f
                    .phrases
                    .iter()
                    .map(|p| esafety_content_phrase {
                        phrase: texts.text(&p.phrase),
                        kind: texts.text(&p.kind),
                        weight: p.weight,
                        count: p.count,
                        score: p.score,
                        category: texts.opt(p.category.as_deref()),
                    })
                    .collect();
                let (categories_ptr, categories_len) = ptr_len(&categories);
                let (phrases_ptr, phrases_len) = ptr_len(&phrases);
                self.categories.push(categories);
                self.phrases.push(phrases);
                esafety_content_finding {
                    source: match f.source {
                        ContentSource::Page => esafety_content_source::Page,
                        ContentSource::SearchTerms => esafety_content_source::SearchTerms,
                    },
                    score: f.score,
                    limit: f.limit,
                    verdict: if f.crossed {
                        esafety_verdict::Block
                    } else {
                        esafety_verdict::Allow
                    },
                    explanation: texts.text(&f.explanation),
                    categories: categories_ptr,
                    categories_len,
                    phrases: phrases_ptr,
                    phrases_len,
                }
            })
            .collect();
        let out = ptr_len(&laid);
        self.findings = Some(laid);
        out
    }
}

impl Texts {
    fn text(&mut self, text: &str) -> esafety_text {
        let mut bytes = Vec::with_capacity(text.len() + 1);
        bytes.extend_from_slice(text.as_bytes());
        bytes.push(0);
        let boxed = bytes.into_boxed_slice();
        let out = esafety_text {
            ptr: boxed.as_ptr().cast(),
            len: text.len(),
        };
        self.texts.push(boxed);
        out
    }

    fn opt(&mut self, text: Option<&str>) -> esafety_text {
        text.map_or(esafety_text::NONE, |t| self.text(t))
    }

    /// An array of texts: its pointer (NULL when empty) and length.
    fn array(&mut self, items: &[String]) -> (*const esafety_text, usize) {
        if items.is_empty() {
            return (std::ptr::null(), 0);
        }
        let array: Box<[esafety_text]> = items.iter().map(|t| self.text(t)).collect();
        let out = (array.as_ptr(), array.len());
        self.arrays.push(array);
        out
    }
}

fn owned(record: &DecisionRecord) -> Result<Box<OwnedRecord>, Failure> {
    let mut texts = Texts::default();
    let incident = record
        .incident
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| {
            Failure::new(
                esafety_status::Panic,
                format!("internal error: the incident draft could not be written as JSON ({e}); please report this"),
            )
        })?;
    let client_ip = record.client_ip.map(|ip| ip.to_string());
    let (categories, categories_len) = texts.array(&record.categories);
    let (lists, lists_len) = texts.array(&record.lists);
    let (reasons, reasons_len) = texts.array(&record.reasons);
    let mut content_memory = Content::default();
    let (content, content_len) = content_memory.lay_out(&mut texts, &record.content);
    let c = esafety_record {
        struct_size: std::mem::size_of::<esafety_record>(),
        time: texts.text(&record.time.to_string()),
        time_unix: record.time.instant().as_second(),
        site: texts.opt(record.site.as_deref()),
        client_ip: texts.opt(client_ip.as_deref()),
        user: texts.opt(record.user.as_deref()),
        device: match record.device {
            Some(Device::Managed) => esafety_device::Managed,
            Some(Device::Byod) => esafety_device::Byod,
            None => esafety_device::Unknown,
        },
        group: texts.opt(record.group.as_deref()),
        age: record.age.map_or(-1, i32::from),
        policy: texts.opt(record.policy.as_deref()),
        url: texts.opt(record.url.as_deref()),
        categories,
        categories_len,
        action: record.action.into(),
        rule: texts.text(&record.rule),
        lists,
        lists_len,
        search_site: texts.opt(record.search_terms.as_ref().map(|s| s.site.as_str())),
        search_terms: texts.opt(record.search_terms.as_ref().map(|s| s.terms.as_str())),
        alert: record.alert.as_ref().map(|a| a.urgency).into(),
        alert_reason: texts.opt(record.alert.as_ref().map(|a| a.reason.as_str())),
        reasons,
        reasons_len,
        incident_json: texts.opt(incident.as_deref()),
        error: texts.opt(record.error.as_deref()),
        json: texts.text(&record.to_json_line()),
        content,
        content_len,
    };
    Ok(Box::new(OwnedRecord {
        record: c,
        _texts: texts.texts,
        _arrays: texts.arrays,
        _content: content_memory,
    }))
}

/// Decides a request like `esafety_record_json`, for the identity the
/// caller passes, and returns its decision record as a struct: `*out` is a
/// new `esafety_record` (every field of the JSON Lines record, and the
/// JSON line in `json`) to free with `esafety_record_free`. `identity` may
/// be NULL (nobody known).
///
/// A URL that cannot be read still has a record: blocked, rule `error`,
/// status `OK`. A `child-abuse` or `terrorism` match records the digest id
/// as `url`; no field holds the URL or its host.
///
/// Errors: as `esafety_record_json` (`NULL_PARAMETER`, `TOO_LARGE`,
/// `INVALID_UTF8`, `INVALID_REQUEST`, `INVALID_PARAMETER`). On error `*out`
/// is NULL: no decision was made, so there is nothing to record (decide
/// with `esafety_decide` for the fail-closed block).
///
/// # Safety
///
/// As `esafety_record_json`, with `out` NULL or pointing to a writable
/// `esafety_record *`.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_record_new(
    engine: *const esafety_engine,
    request: *const esafety_request,
    identity: *const esafety_identity,
    out: *mut *mut esafety_record,
) -> esafety_status {
    ffi_status!({
        // SAFETY: `out` is NULL or a writable pointer (contract).
        let out = unsafe { out_ptr(out, "out") }?;
        *out = std::ptr::null_mut();
        // SAFETY: forwarded from this function's contract.
        let record = unsafe { make_record(engine, request, identity, None) }?;
        let owned = owned(&record)?;
        // The cast is to the first field of a `repr(C)` struct.
        *out = Box::into_raw(owned).cast::<esafety_record>();
        Ok(())
    })
}

/// As `esafety_record_new`, with the request's search terms scored by
/// `scanner` (e2guardian's phrase lists, `esafety_scanner_new`) before
/// deciding, so that the policy's and its rules' `content_limit`s act on
/// them: a search whose terms cross the limit is blocked (rule `content`),
/// and the record's `content` (and the `content` of its `json`) holds the
/// score, the limit, the verdict and the phrases behind it. A URL that is
/// not a search has no content finding.
///
/// Errors: as `esafety_record_new`, and `NULL_PARAMETER` when `scanner`
/// is NULL. On error `*out` is NULL.
///
/// # Safety
///
/// As `esafety_record_new`, with `scanner` NULL or a live scanner from
/// `esafety_scanner_new`.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_record_new_scanned(
    engine: *const esafety_engine,
    request: *const esafety_request,
    identity: *const esafety_identity,
    scanner: *const esafety_scanner,
    out: *mut *mut esafety_record,
) -> esafety_status {
    ffi_status!({
        // SAFETY: `out` is NULL or a writable pointer (contract).
        let out = unsafe { out_ptr(out, "out") }?;
        *out = std::ptr::null_mut();
        // SAFETY: `scanner` is NULL or a live scanner (contract).
        let scanner = unsafe { handle_in(scanner, "scanner") }?;
        // SAFETY: forwarded from this function's contract.
        let record = unsafe { make_record(engine, request, identity, Some(scanner.scanner())) }?;
        let owned = owned(&record)?;
        // The cast is to the first field of a `repr(C)` struct.
        *out = Box::into_raw(owned).cast::<esafety_record>();
        Ok(())
    })
}

/// Frees a record made by `esafety_record_new`, with every text and array
/// it holds. `NULL` is a no-op.
///
/// # Safety
///
/// `record` is NULL or a record from `esafety_record_new` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_record_free(record: *mut esafety_record) {
    crate::panic::ffi_boundary!((), {
        if !record.is_null() {
            // SAFETY: `record` came from `Box::into_raw` of an
            // `OwnedRecord` in `esafety_record_new` (its first field, at
            // the same address: `repr(C)`), and is freed once (contract).
            drop(unsafe { Box::from_raw(record.cast::<OwnedRecord>()) });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_is_the_first_field() {
        assert_eq!(std::mem::offset_of!(OwnedRecord, record), 0);
    }
}
