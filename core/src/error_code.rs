//! [`ErrorCode`]: the one list of error kinds every face reports.
//!
//! The C library returns an error's [`ErrorCode::number`] as its
//! `esafety_status`, the WebAssembly package throws `Error`s whose `code`
//! is [`ErrorCode::id`], and both give [`ErrorCode::help`] as the general
//! advice. Each core error type says which kind it is (`code()`), so a face
//! never decides that mapping itself.

/// The kind of an error, stable across faces and releases.
///
/// Numbers and ids are part of the C ABI and the JavaScript API: a code
/// never changes meaning, a retired one is never reused, new ones are only
/// added (so the enum is `#[non_exhaustive]`).
///
/// ```
/// use esafety::ErrorCode;
/// let code = esafety::CanonicalUrl::parse("mailto:head@school.example").unwrap_err().code();
/// assert_eq!(code, ErrorCode::InvalidUrl);
/// assert_eq!((code.number(), code.id()), (4, "invalid-url"));
/// assert_eq!(ErrorCode::from_number(4), Some(ErrorCode::InvalidUrl));
/// assert!(ErrorCode::ALL.iter().all(|c| ErrorCode::from_id(c.id()) == Some(*c)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// A pointer argument that must not be NULL was NULL (C only).
    NullParameter,
    /// An argument was out of range or of the wrong type: an unknown enum
    /// value, a bad combination of arguments, a JavaScript value of the
    /// wrong type.
    InvalidArgument,
    /// A text argument other than a URL was not valid UTF-8 (URLs are
    /// bytes: what is not UTF-8 in one reads as its `%XX` escapes).
    InvalidUtf8,
    /// The URL could not be canonicalized: it is not a web address.
    InvalidUrl,
    /// The bundle bytes are truncated, corrupted, hostile or of a format
    /// version this library does not read.
    InvalidBundle,
    /// The policy could not be loaded (syntax, unknown field, unknown
    /// category, or an attempt to lower the statutory baseline).
    InvalidPolicy,
    /// The request context was invalid (an age, device or time that cannot
    /// be read).
    InvalidRequest,
    /// The incident record could not be read or is not a valid incident.
    InvalidIncident,
    /// The escalation profile name is not one this library ships.
    UnknownProfile,
    /// A file could not be opened or read.
    Io,
    /// An input was larger than its documented limit.
    TooLarge,
    /// An escalation profile text could not be loaded.
    InvalidProfile,
    /// A signature or key was refused: not esafety's format, made by
    /// another key, or not matching the file (it was changed after signing).
    InvalidSignature,
    /// A phrase list (e2guardian's format) could not be read or is
    /// refused (a `#time:` line, an include cycle, a statutory category).
    InvalidPhrases,
    /// An internal error (a Rust panic) was caught at a face's boundary;
    /// the library is still usable.
    Internal,
}

impl ErrorCode {
    /// Every code, in number order.
    ///
    /// ```
    /// use esafety::ErrorCode;
    ///
    /// assert_eq!(ErrorCode::ALL.first(), Some(&ErrorCode::NullParameter));
    /// assert!(ErrorCode::ALL.windows(2).all(|w| w[0].number() < w[1].number()));
    /// ```
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::NullParameter,
        ErrorCode::InvalidArgument,
        ErrorCode::InvalidUtf8,
        ErrorCode::InvalidUrl,
        ErrorCode::InvalidBundle,
        ErrorCode::InvalidPolicy,
        ErrorCode::InvalidRequest,
        ErrorCode::InvalidIncident,
        ErrorCode::UnknownProfile,
        ErrorCode::Io,
        ErrorCode::TooLarge,
        ErrorCode::InvalidProfile,
        ErrorCode::InvalidSignature,
        ErrorCode::InvalidPhrases,
        ErrorCode::Internal,
    ];

    /// The code's number: the C library's `esafety_status` value (0 is
    /// success there, and is no error code).
    ///
    /// ```
    /// assert_eq!(esafety::ErrorCode::Internal.number(), 99);
    /// ```
    pub const fn number(self) -> u32 {
        match self {
            ErrorCode::NullParameter => 1,
            ErrorCode::InvalidArgument => 2,
            ErrorCode::InvalidUtf8 => 3,
            ErrorCode::InvalidUrl => 4,
            ErrorCode::InvalidBundle => 5,
            ErrorCode::InvalidPolicy => 6,
            ErrorCode::InvalidRequest => 7,
            ErrorCode::InvalidIncident => 8,
            ErrorCode::UnknownProfile => 9,
            ErrorCode::Io => 10,
            ErrorCode::TooLarge => 11,
            ErrorCode::InvalidProfile => 12,
            ErrorCode::InvalidSignature => 13,
            ErrorCode::InvalidPhrases => 14,
            ErrorCode::Internal => 99,
        }
    }

    /// The code with this number.
    ///
    /// ```
    /// use esafety::ErrorCode;
    /// assert_eq!(ErrorCode::from_number(7), Some(ErrorCode::InvalidRequest));
    /// assert_eq!(ErrorCode::from_number(0), None);
    /// ```
    pub fn from_number(number: u32) -> Option<ErrorCode> {
        ErrorCode::ALL
            .iter()
            .copied()
            .find(|c| c.number() == number)
    }

    /// The code's id: the `code` of a JavaScript `Error`, and of the CLI's
    /// JSON errors.
    ///
    /// ```
    /// assert_eq!(esafety::ErrorCode::InvalidPolicy.id(), "invalid-policy");
    /// ```
    pub const fn id(self) -> &'static str {
        match self {
            ErrorCode::NullParameter => "null-parameter",
            ErrorCode::InvalidArgument => "invalid-argument",
            ErrorCode::InvalidUtf8 => "invalid-utf8",
            ErrorCode::InvalidUrl => "invalid-url",
            ErrorCode::InvalidBundle => "invalid-bundle",
            ErrorCode::InvalidPolicy => "invalid-policy",
            ErrorCode::InvalidRequest => "invalid-request",
            ErrorCode::InvalidIncident => "invalid-incident",
            ErrorCode::UnknownProfile => "unknown-profile",
            ErrorCode::Io => "io",
            ErrorCode::TooLarge => "too-large",
            ErrorCode::InvalidProfile => "invalid-profile",
            ErrorCode::InvalidSignature => "invalid-signature",
            ErrorCode::InvalidPhrases => "invalid-phrases",
            ErrorCode::Internal => "internal",
        }
    }

    /// The code with this id.
    ///
    /// ```
    /// use esafety::ErrorCode;
    /// assert_eq!(ErrorCode::from_id("too-large"), Some(ErrorCode::TooLarge));
    /// assert_eq!(ErrorCode::from_id("TOO_LARGE"), None);
    /// ```
    pub fn from_id(id: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.iter().copied().find(|c| c.id() == id)
    }

    /// What to do about an error of this kind, in general terms (the error's
    /// own message says what exactly was wrong).
    ///
    /// ```
    /// assert!(esafety::ErrorCode::InvalidBundle.help().contains("esafety compile"));
    /// ```
    pub const fn help(self) -> &'static str {
        match self {
            ErrorCode::NullParameter => "pass a valid pointer; only optional inputs may be NULL",
            ErrorCode::InvalidArgument => {
                "check the argument against the documented type and range"
            }
            ErrorCode::InvalidUtf8 => "pass the text as UTF-8 and its length in bytes",
            ErrorCode::InvalidUrl => {
                "pass an http, https, ftp, ws or wss url such as `http://example.com/`"
            }
            ErrorCode::InvalidBundle => {
                "load a bundle written by this version's `esafety compile` (recompile the lists if it is older), or the sample bundle"
            }
            ErrorCode::InvalidPolicy => {
                "fix the policy at the line and column given, then check it with `esafety lint`"
            }
            ErrorCode::InvalidRequest => {
                "give the url and the time, and optionally a group, an age from 0 to 255 and a device (`managed` or `byod`); a time is RFC 3339 with an offset, such as `2026-03-02T10:00:00Z`"
            }
            ErrorCode::InvalidIncident => {
                "pass an incident record as JSON or TOML with the fields listed in the README"
            }
            ErrorCode::UnknownProfile => {
                "use one of the shipped escalation profiles: `national` or `manchester`"
            }
            ErrorCode::Io => "check that the file exists and is readable",
            ErrorCode::TooLarge => "pass an input within the documented limit",
            ErrorCode::InvalidProfile => {
                "fix the profile at the line and column given; see policies/escalation/national.toml for the format"
            }
            ErrorCode::InvalidSignature => {
                "verify with the public key of the key that signed the file (`esafety keygen` made both), and fetch the file and its `.sig` again from the publisher"
            }
            ErrorCode::InvalidPhrases => {
                "fix the phrase list at the file and line given (e2guardian's format: `<phrase><weight>`, `.Include<path>`, `#listcategory: \"Name\"`)"
            }
            ErrorCode::Internal => {
                "this is a bug in esafety: please report it with the input that caused it"
            }
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

impl crate::url::UrlError {
    /// The error's kind: [`ErrorCode::TooLarge`] for an input over the
    /// length limit, else [`ErrorCode::InvalidUrl`].
    ///
    /// ```
    /// use esafety::{CanonicalUrl, ErrorCode};
    /// assert_eq!(CanonicalUrl::parse("").unwrap_err().code(), ErrorCode::InvalidUrl);
    /// ```
    pub fn code(&self) -> ErrorCode {
        match self {
            crate::url::UrlError::TooLong { .. } => ErrorCode::TooLarge,
            _ => ErrorCode::InvalidUrl,
        }
    }
}

impl crate::bundle::BundleError {
    /// The error's kind: [`ErrorCode::TooLarge`] for a bundle over its
    /// size limits, else [`ErrorCode::InvalidBundle`].
    ///
    /// ```
    /// use esafety::{ErrorCode, bundle::Bundle};
    /// assert_eq!(Bundle::from_bytes(&b"x"[..]).unwrap_err().code(), ErrorCode::InvalidBundle);
    /// ```
    pub fn code(&self) -> ErrorCode {
        match self {
            crate::bundle::BundleError::TooLarge { .. } => ErrorCode::TooLarge,
            _ => ErrorCode::InvalidBundle,
        }
    }
}

impl crate::policy::PolicyError {
    /// The error's kind: [`ErrorCode::TooLarge`] for a policy over its
    /// [`Limits`](crate::Limits), else [`ErrorCode::InvalidPolicy`].
    ///
    /// ```
    /// use esafety::{ErrorCode, Policy};
    /// assert_eq!(Policy::load("p.toml", "id = 1").unwrap_err().code(), ErrorCode::InvalidPolicy);
    /// ```
    pub fn code(&self) -> ErrorCode {
        match self {
            crate::policy::PolicyError::Limit(_) => ErrorCode::TooLarge,
            _ => ErrorCode::InvalidPolicy,
        }
    }
}

impl crate::policy::EngineError {
    /// The error's kind: that of the error inside.
    ///
    /// ```
    /// use esafety::policy::{Context, Engine, Policy};
    /// let engine = Engine::new(esafety::sample::bundle()?, Policy::load("p.toml", "id = \"p\"\ndefault = \"allow\"")?);
    /// let err = engine.check("", Context::at("2026-03-02T10:00:00Z".parse()?)).unwrap_err();
    /// assert_eq!(err.code(), esafety::ErrorCode::InvalidUrl);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn code(&self) -> ErrorCode {
        match self {
            crate::policy::EngineError::Url(e) => e.code(),
        }
    }
}

#[cfg(feature = "incident")]
impl crate::incident::IncidentError {
    /// The error's kind: [`ErrorCode::TooLarge`] for a document over
    /// [`Limits::max_document_len`](crate::Limits::max_document_len), else
    /// [`ErrorCode::InvalidIncident`].
    ///
    /// ```
    /// use esafety::{ErrorCode, Incident};
    /// assert_eq!(Incident::from_toml("kind = 1").unwrap_err().code(), ErrorCode::InvalidIncident);
    /// ```
    pub fn code(&self) -> ErrorCode {
        match self {
            crate::incident::IncidentError::TooLarge { .. } => ErrorCode::TooLarge,
            _ => ErrorCode::InvalidIncident,
        }
    }
}

#[cfg(feature = "incident")]
impl crate::incident::ProfileError {
    /// The error's kind: [`ErrorCode::UnknownProfile`] for a name no
    /// shipped profile has, else [`ErrorCode::InvalidProfile`].
    ///
    /// ```
    /// use esafety::{ErrorCode, EscalationProfile};
    /// assert_eq!(EscalationProfile::shipped("northshire").unwrap_err().code(), ErrorCode::UnknownProfile);
    /// ```
    pub fn code(&self) -> ErrorCode {
        match self {
            crate::incident::ProfileError::UnknownShipped(_) => ErrorCode::UnknownProfile,
            crate::incident::ProfileError::TooLarge { .. } => ErrorCode::TooLarge,
            _ => ErrorCode::InvalidProfile,
        }
    }
}

#[cfg(feature = "content")]
impl crate::content::ContentError {
    /// The error's kind: [`ErrorCode::Io`] for a list file or an
    /// `.Include` that cannot be read ([`ErrorCode::TooLarge`] for a list
    /// file over its limit), else [`ErrorCode::InvalidPhrases`].
    ///
    /// ```
    /// use esafety::ErrorCode;
    /// use esafety::content::{ListKind, PhraseList, PhraseOptions};
    /// let err = PhraseList::parse("w", b"#time: 9 0 17 0 01234\n", ListKind::Weighted, &PhraseOptions::new()).unwrap_err();
    /// assert_eq!(err.code(), ErrorCode::InvalidPhrases);
    /// ```
    pub fn code(&self) -> ErrorCode {
        match self {
            crate::content::ContentError::IncludeRead { .. } => ErrorCode::Io,
            crate::content::ContentError::ListRead { error, .. } => error.code(),
            _ => ErrorCode::InvalidPhrases,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn numbers_and_ids_are_unique_and_round_trip() {
        for (i, a) in ErrorCode::ALL.iter().enumerate() {
            assert_eq!(ErrorCode::from_number(a.number()), Some(*a));
            assert_eq!(ErrorCode::from_id(a.id()), Some(*a));
            assert_ne!(a.number(), 0, "0 is success in C");
            for b in ErrorCode::ALL.iter().skip(i + 1) {
                assert_ne!(a.number(), b.number());
                assert_ne!(a.id(), b.id());
            }
        }
    }

    #[test]
    fn numbers_are_the_abi() {
        // The numbers are the C ABI: this table only ever grows.
        let abi = [
            (ErrorCode::NullParameter, 1),
            (ErrorCode::InvalidArgument, 2),
            (ErrorCode::InvalidUtf8, 3),
            (ErrorCode::InvalidUrl, 4),
            (ErrorCode::InvalidBundle, 5),
            (ErrorCode::InvalidPolicy, 6),
            (ErrorCode::InvalidRequest, 7),
            (ErrorCode::InvalidIncident, 8),
            (ErrorCode::UnknownProfile, 9),
            (ErrorCode::Io, 10),
            (ErrorCode::TooLarge, 11),
            (ErrorCode::InvalidProfile, 12),
            (ErrorCode::InvalidSignature, 13),
            (ErrorCode::InvalidPhrases, 14),
            (ErrorCode::Internal, 99),
        ];
        assert_eq!(abi.len(), ErrorCode::ALL.len());
        for (code, number) in abi {
            assert_eq!(code.number(), number, "{code}");
        }
    }
}
