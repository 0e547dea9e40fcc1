//! Errors thrown to JavaScript: an `EsafetyError` (wasm/js/error.js, a
//! subclass of `Error`) whose `message` is the core's message, with a stable
//! `code` and a `help` text (cedar-wasm's `DetailedError` fields, thrown as
//! an exception as DESIGN.md asks).

use std::fmt::Display;

use wasm_bindgen::prelude::*;

/// What kind of input was wrong: the `code` field of a thrown error is
/// its [`ErrorCode::id`](esafety::ErrorCode::id) and `help` its
/// [`ErrorCode::help`](esafety::ErrorCode::help) — the core's one list of
/// error kinds, which the C face's status codes spell too.
pub use esafety::ErrorCode as Code;

#[wasm_bindgen(module = "/js/error.js")]
extern "C" {
    /// A new `EsafetyError` (`line`, `column`: 0 when not known). Our own
    /// constructor: it runs no caller code.
    #[wasm_bindgen(js_name = newError)]
    fn new_error(message: &str, code: &str, help: &str, line: u32, column: u32) -> JsValue;
}

/// A failed call, turned into a thrown `EsafetyError` at the boundary.
///
/// ```
/// use esafety_wasm::{Code, Failure};
///
/// let failure = Failure::new(Code::InvalidRequest, "request field `url` is missing");
/// assert_eq!(failure.code(), Code::InvalidRequest);
/// assert_eq!(failure.message(), "request field `url` is missing");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    code: Code,
    message: String,
    location: Option<(usize, usize)>,
}

impl Failure {
    /// A failure of kind `code` with the core's message.
    pub fn new(code: Code, message: impl Display) -> Failure {
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

    /// What kind of input was wrong.
    pub fn code(&self) -> Code {
        self.code
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl From<Failure> for JsValue {
    fn from(failure: Failure) -> JsValue {
        let (line, column) = failure.location.unwrap_or((0, 0));
        let number = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        new_error(
            &failure.message,
            failure.code.id(),
            failure.code.help(),
            number(line),
            number(column),
        )
    }
}
