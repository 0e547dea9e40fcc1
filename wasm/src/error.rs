//! Errors thrown to JavaScript: an `Error` whose `message` is the core's
//! message, with a stable `code` and a `help` text (cedar-wasm's
//! `DetailedError` fields, thrown as an exception as DESIGN.md asks).

use std::fmt::Display;

use wasm_bindgen::JsValue;

/// What kind of input was wrong: the `code` field of a thrown `Error` is
/// its [`ErrorCode::id`](esafety::ErrorCode::id) and `help` its
/// [`ErrorCode::help`](esafety::ErrorCode::help) — the core's one list of
/// error kinds, which the C face's status codes spell too.
pub(crate) use esafety::ErrorCode as Code;

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
    #[cfg(feature = "full")]
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
        set("code", JsValue::from_str(failure.code.id()));
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
