//! Errors thrown to JavaScript: an `Error` whose `message` is the core's
//! message, with a stable `code` and a `help` text (cedar-wasm's
//! `DetailedError` fields, thrown as an exception as DESIGN.md asks).

use std::fmt::Display;

use wasm_bindgen::JsValue;

/// What kind of input was wrong: the `code` field of a thrown `Error`.
///
/// The strings are part of the JavaScript API (`ErrorCode` in the
/// TypeScript types); they mirror the C face's status codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Code {
    /// A URL that cannot be canonicalized.
    InvalidUrl,
    /// Bundle bytes that are truncated, corrupt or of another version.
    InvalidBundle,
    /// A policy that does not load.
    InvalidPolicy,
    /// A request whose fields are missing, of the wrong type or out of range.
    InvalidRequest,
    /// An incident record that cannot be read.
    InvalidIncident,
    /// An escalation profile that is not shipped.
    UnknownProfile,
    /// An escalation profile text that does not load.
    InvalidProfile,
    /// An argument of the wrong JavaScript type.
    InvalidArgument,
}

impl Code {
    /// The stable code string.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Code::InvalidUrl => "invalid-url",
            Code::InvalidBundle => "invalid-bundle",
            Code::InvalidPolicy => "invalid-policy",
            Code::InvalidRequest => "invalid-request",
            Code::InvalidIncident => "invalid-incident",
            Code::UnknownProfile => "unknown-profile",
            Code::InvalidProfile => "invalid-profile",
            Code::InvalidArgument => "invalid-argument",
        }
    }

    /// What to do about an error of this kind, in general terms (the message
    /// says what exactly was wrong).
    fn help(self) -> &'static str {
        match self {
            Code::InvalidUrl => {
                "pass an http, https, ftp, ws or wss url such as `http://example.com/`"
            }
            Code::InvalidBundle => {
                "load the bytes of a bundle written by this version's `esafety compile`, or use `sampleBundle()`"
            }
            Code::InvalidPolicy => {
                "fix the policy at the line and column given, then check it with `lintPolicy` or `esafety lint`"
            }
            Code::InvalidRequest => {
                "pass {url, time} and optionally group, age (0-255) and device (`managed` or `byod`); time is an RFC 3339 string with an offset or epoch milliseconds"
            }
            Code::InvalidIncident => {
                "pass an incident record as an object or as JSON or TOML text with the fields listed in the README"
            }
            Code::UnknownProfile => "use one of the profile names `escalationProfiles()` returns",
            Code::InvalidProfile => {
                "fix the profile TOML at the line and column given; see policies/escalation/national.toml for the format"
            }
            Code::InvalidArgument => "check the argument types against esafety.d.ts",
        }
    }
}

/// A failed call, turned into a thrown JavaScript `Error` at the boundary.
#[derive(Debug)]
pub(crate) struct Failure {
    code: Code,
    message: String,
    location: Option<(usize, usize)>,
}

impl Failure {
    /// A failure of kind `code` with the core's message.
    pub(crate) fn new(code: Code, message: impl Display) -> Failure {
        Failure {
            code,
            message: message.to_string(),
            location: None,
        }
    }

    /// Adds the 1-based line and column of the problem in the input text
    /// (column 0: not known).
    pub(crate) fn at(mut self, line: usize, column: usize) -> Failure {
        self.location = Some((line, column));
        self
    }

    /// The message.
    pub(crate) fn message_text(&self) -> &str {
        &self.message
    }
}

impl From<Failure> for JsValue {
    fn from(failure: Failure) -> JsValue {
        let error = js_sys::Error::new(&failure.message);
        let set = |key: &str, value: JsValue| {
            // Setting a property on a fresh Error object cannot fail; if it
            // did, the message alone still reaches the caller.
            let _ = js_sys::Reflect::set(&error, &JsValue::from_str(key), &value);
        };
        set("code", JsValue::from_str(failure.code.as_str()));
        set("help", JsValue::from_str(failure.code.help()));
        if let Some((line, column)) = failure.location {
            set("line", JsValue::from_f64(line as f64));
            if column > 0 {
                set("column", JsValue::from_f64(column as f64));
            }
        }
        error.into()
    }
}
