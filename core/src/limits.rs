//! The bounds on every input the engine reads: one [`Limits`] value, with
//! documented defaults, that every face passes to core the same way.
//!
//! Every input has a size bound, and every piece of work is proportional
//! to input that passed one, so memory and time are bounded whatever a
//! caller passes:
//!
//! | field | default | bounds | where |
//! |---|---|---|---|
//! | [`Limits::MAX_URL_LEN`] (fixed) | 2 MiB | one URL | [`CanonicalUrl::parse`](crate::url::CanonicalUrl::parse) |
//! | [`Limits::MAX_URL_LINE_LEN`] (fixed) | 2 MiB + 4 KiB | one line of a URL stream | the CLI's stdin reader |
//! | [`Limits::max_list_file_len`] | 1 GiB | one list file (and each file it includes) | [`lists::read_list_file`](crate::lists::read_list_file) |
//! | [`Limits::max_list_line_len`] | 8 KiB | one list line (longer: a skipped line) | [`lists::parse`](crate::lists::parse) |
//! | [`Limits::max_entries`] | 50,000,000 | entries one parse produces, includes counted, and entries one compile is given over all its lists | [`lists::parse`](crate::lists::parse), [`BundleBuilder::limits`](crate::bundle::BundleBuilder::limits) |
//! | [`Limits::max_include_depth`] | 8 | e2guardian `.Include` nesting | [`lists::parse_with_includes`](crate::lists::parse_with_includes) |
//! | [`Limits::max_include_files`] | 1,024 | `.Include` files one parse reads, repeats counted | [`lists::parse_with_includes`](crate::lists::parse_with_includes) |
//! | [`Limits::max_document_len`] | 4 MiB | a policy, incident, site or escalation-profile document | [`Policy::load_with_limits`](crate::Policy::load_with_limits), `Incident::from_bytes`, `Site::from_toml_str`, `EscalationProfile::from_toml` (these three at the default) |
//! | [`Limits::max_policy_rules`] | 100,000 | a policy's rules | [`Policy::load_with_limits`](crate::Policy::load_with_limits) |
//! | [`Limits::max_bundle_len`] | 1 GiB | a bundle (and a bundle file) | [`Bundle::from_bytes`](crate::bundle::Bundle::from_bytes), [`bundle::read_bundle_file`](crate::bundle::read_bundle_file) |
//! | [`Limits::max_bundle_meta_len`] | 16 MiB | a bundle's metadata section | [`Bundle::from_bytes`](crate::bundle::Bundle::from_bytes) |
//!
//! A limit exceeded is a typed error naming the input (file and line where
//! there is one) and the [`Limit`] by its name, never a warning and never a
//! truncation: a list that cannot be read whole is not compiled, and a
//! bundle that cannot be loaded decides nothing (every face blocks where a
//! decision is asked without one).
//!
//! # Why two are fixed
//!
//! The URL limits are constants, not fields: they are Chromium's own
//! (`url::kMaxURLChars`), so every address a browser can open can be
//! checked, and a lower one would be a way past the lists (a listed page
//! with a long query added would be an error, not a match). They bound
//! work per URL, which is linear in its length.
//!
//! # Faces
//!
//! The CLI uses [`Limits::default`] (no flag changes them). A host that
//! needs other bounds sets them, and core checks them
//! ([`Limits::validate`]: none 0, the include depth at most
//! [`Limits::MAX_INCLUDE_DEPTH`]) before they are used:
//!
//! - Rust: set the fields and pass the value to
//!   [`Bundle::from_bytes_with_limits`](crate::bundle::Bundle::from_bytes_with_limits),
//!   [`Policy::load_with_limits`](crate::Policy::load_with_limits),
//!   [`ParseOptions::with_limits`](crate::lists::ParseOptions::with_limits) and
//!   [`BundleBuilder::limits`](crate::bundle::BundleBuilder::limits);
//! - C: `esafety_limits_default()`, set fields, and pass it to
//!   `esafety_bundle_from_file_with_limits`,
//!   `esafety_bundle_from_bytes_with_limits` or
//!   `esafety_policy_from_text_with_limits`;
//! - WebAssembly: `new Engine(bundle, policy, { limits: { maxBundleLen, … } })`.
//!
//! ```
//! use esafety::Limits;
//! let mut limits = Limits::default();
//! limits.max_include_files = 16;
//! assert_eq!(limits.max_include_depth, 8);
//! assert_eq!(limits.get(esafety::limits::Limit::IncludeFiles), 16);
//! ```

use std::fmt;

/// The bounds on what the engine reads (see the [module docs](self)).
///
/// `#[non_exhaustive]`: build it with [`Limits::default`] (or
/// [`Limits::DEFAULT`]) and set the fields you need.
///
/// ```
/// use esafety::Limits;
/// let limits = Limits::default();
/// assert_eq!(limits, Limits::DEFAULT);
/// assert_eq!(limits.max_list_file_len, 1 << 30);
/// assert_eq!(limits.max_list_line_len, 8192);
/// assert_eq!(Limits::MAX_URL_LEN, esafety::url::MAX_INPUT_LEN);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Limits {
    /// The largest list file read, in bytes (default 1 GiB): a longer
    /// one, or a device or FIFO that never ends, is a
    /// [`FileError::TooLarge`](crate::file::FileError::TooLarge).
    pub max_list_file_len: u64,
    /// The longest list line, in bytes without its line ending (default
    /// 8 KiB); a longer line is a skipped line saying so.
    pub max_list_line_len: usize,
    /// The most entries one parse produces, the files it includes counted,
    /// and the most one [`BundleBuilder`](crate::bundle::BundleBuilder) is
    /// given over all its lists (default 50,000,000; the UT1 blacklists
    /// hold about 4 million).
    pub max_entries: usize,
    /// How deep e2guardian `.Include` may nest (default 8).
    pub max_include_depth: usize,
    /// The most `.Include` files one parse reads, a file included twice
    /// counted twice (default 1,024): includes that fan out (each file
    /// including the next several times) would otherwise read
    /// exponentially many files from a few kilobytes.
    pub max_include_files: usize,
    /// The largest policy (or other TOML / JSON document) read, in bytes
    /// (default 4 MiB, the C face's `ESAFETY_MAX_POLICY_LEN`).
    pub max_document_len: usize,
    /// The most rules a policy may have (default 100,000).
    pub max_policy_rules: usize,
    /// The largest bundle loaded, in bytes (default 1 GiB): a longer bundle
    /// file is refused before it is read
    /// ([`FileError::TooLarge`](crate::file::FileError::TooLarge)), and
    /// longer bytes before they are parsed.
    pub max_bundle_len: u64,
    /// The largest metadata section of a bundle, in bytes (default 16 MiB;
    /// the metadata of a bundle of the UT1 blacklists and the peer lists
    /// is well under 1 MiB). Loading allocates at most about 10 times it.
    pub max_bundle_meta_len: u64,
}

impl Limits {
    /// The longest URL, in bytes (2 MiB, Chromium's limit); fixed (see the
    /// [module docs](self#why-two-are-fixed)).
    ///
    /// ```
    /// assert_eq!(esafety::Limits::MAX_URL_LEN, 2 * 1024 * 1024);
    /// ```
    pub const MAX_URL_LEN: usize = 2 * 1024 * 1024;

    /// The longest line of a URL stream, in bytes without its line ending:
    /// [`Limits::MAX_URL_LEN`] and 4 KiB of slack for white space around a
    /// URL; fixed.
    ///
    /// ```
    /// use esafety::Limits;
    /// assert_eq!(Limits::MAX_URL_LINE_LEN, Limits::MAX_URL_LEN + 4096);
    /// ```
    pub const MAX_URL_LINE_LEN: usize = Limits::MAX_URL_LEN + 4096;

    /// The defaults, as a constant.
    ///
    /// ```
    /// use esafety::Limits;
    /// const L: Limits = Limits::DEFAULT;
    /// assert_eq!((L.max_include_depth, L.max_include_files), (8, 1024));
    /// ```
    pub const DEFAULT: Limits = Limits {
        max_list_file_len: 1 << 30,
        max_list_line_len: 8192,
        max_entries: 50_000_000,
        max_include_depth: 8,
        max_include_files: 1024,
        max_document_len: 4 << 20,
        max_policy_rules: 100_000,
        max_bundle_len: 1 << 30,
        max_bundle_meta_len: 16 << 20,
    };

    /// The value of one limit, as a number.
    ///
    /// ```
    /// use esafety::{limits::Limit, Limits};
    /// assert_eq!(Limits::default().get(Limit::Entries), 50_000_000);
    /// assert_eq!(Limits::default().get(Limit::UrlLen), 2 * 1024 * 1024);
    /// ```
    pub fn get(&self, limit: Limit) -> u64 {
        let n = |v: usize| u64::try_from(v).unwrap_or(u64::MAX);
        match limit {
            Limit::UrlLen => n(Limits::MAX_URL_LEN),
            Limit::UrlLineLen => n(Limits::MAX_URL_LINE_LEN),
            Limit::ListFileLen => self.max_list_file_len,
            Limit::ListLineLen => n(self.max_list_line_len),
            Limit::Entries => n(self.max_entries),
            Limit::IncludeDepth => n(self.max_include_depth),
            Limit::IncludeFiles => n(self.max_include_files),
            Limit::DocumentLen => n(self.max_document_len),
            Limit::PolicyRules => n(self.max_policy_rules),
            Limit::BundleLen => self.max_bundle_len,
            Limit::BundleMetaLen => self.max_bundle_meta_len,
        }
    }
}

impl Limits {
    /// The deepest [`Limits::max_include_depth`] a host may set: includes
    /// are followed by recursion, so this bounds the stack they use.
    ///
    /// ```
    /// assert_eq!(esafety::Limits::MAX_INCLUDE_DEPTH, 64);
    /// ```
    pub const MAX_INCLUDE_DEPTH: usize = 64;

    /// Checks the values a host set, for every face that lets one set
    /// them (a Rust host, the C `esafety_limits`, the WebAssembly
    /// `limits: {…}` option): every limit is at least 1 (a limit of 0
    /// would refuse every input, which is never what a host means, and a
    /// zeroed struct must never pass for a choice), and the include depth is
    /// at most [`Limits::MAX_INCLUDE_DEPTH`]. (A metadata limit over the
    /// bundle limit is allowed: the bundle limit then binds.)
    ///
    /// ```
    /// use esafety::limits::{Limit, LimitsError};
    /// use esafety::Limits;
    /// assert_eq!(Limits::default().validate(), Ok(()));
    /// let mut limits = Limits::default();
    /// limits.max_entries = 0;
    /// assert_eq!(limits.validate(), Err(LimitsError::Zero { limit: Limit::Entries }));
    /// limits.max_entries = 10;
    /// limits.max_include_depth = 1000;
    /// let err = limits.validate().unwrap_err();
    /// assert_eq!(err.to_string(), "`max_include_depth` is 1000, over 64, the most it may be; set it to at most 64");
    /// ```
    ///
    /// # Errors
    ///
    /// The first value that is wrong, as a [`LimitsError`].
    pub fn validate(&self) -> Result<(), LimitsError> {
        if let Some(&limit) = Limit::SETTABLE.iter().find(|&&l| self.get(l) == 0) {
            return Err(LimitsError::Zero { limit });
        }
        if self.max_include_depth > Limits::MAX_INCLUDE_DEPTH {
            return Err(LimitsError::OverCeiling {
                limit: Limit::IncludeDepth,
                value: self.get(Limit::IncludeDepth),
                max: Limits::MAX_INCLUDE_DEPTH as u64,
            });
        }
        Ok(())
    }
}

/// A [`Limits`] value a host set that cannot be used
/// ([`Limits::validate`]).
///
/// ```
/// use esafety::limits::{Limit, LimitsError};
/// let err = LimitsError::Zero { limit: Limit::BundleLen };
/// assert_eq!(err.to_string(), "`max_bundle_len` is 0, which would refuse every input; set it to at least 1, or leave the default");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LimitsError {
    /// A limit is 0.
    #[error(
        "`{limit}` is 0, which would refuse every input; set it to at least 1, or leave the default"
    )]
    Zero {
        /// The limit.
        limit: Limit,
    },
    /// A fixed limit ([`Limits::MAX_URL_LEN`], [`Limits::MAX_URL_LINE_LEN`])
    /// cannot be set.
    #[error("`{limit}` is fixed (see `Limits`, \"why two are fixed\"); leave it out")]
    Fixed {
        /// The limit.
        limit: Limit,
    },
    /// A limit is over the most it may be.
    #[error("`{limit}` is {value}, over {max}, the most it may be; set it to at most {max}")]
    OverCeiling {
        /// The limit.
        limit: Limit,
        /// The value set.
        value: u64,
        /// The most it may be.
        max: u64,
    },
}

impl LimitsError {
    /// The error's kind on every face: [`ErrorCode::InvalidArgument`](crate::ErrorCode::InvalidArgument).
    ///
    /// ```
    /// use esafety::limits::{Limit, LimitsError};
    /// let err = LimitsError::Zero { limit: Limit::Entries };
    /// assert_eq!(err.code(), esafety::ErrorCode::InvalidArgument);
    /// ```
    pub fn code(&self) -> crate::ErrorCode {
        crate::ErrorCode::InvalidArgument
    }
}

impl Limits {
    /// Sets one limit by its [`Limit`], for a face that reads them by name
    /// (the WebAssembly `limits: {…}` option). [`Limits::validate`] checks
    /// the values afterwards.
    ///
    /// ```
    /// use esafety::limits::{Limit, LimitsError};
    /// use esafety::Limits;
    /// let mut limits = Limits::default();
    /// limits.set(Limit::IncludeFiles, 16)?;
    /// assert_eq!(limits.max_include_files, 16);
    /// assert_eq!(limits.set(Limit::UrlLen, 1), Err(LimitsError::Fixed { limit: Limit::UrlLen }));
    /// # Ok::<(), LimitsError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`LimitsError::Fixed`] for a fixed limit ([`Limit::UrlLen`],
    /// [`Limit::UrlLineLen`]); [`LimitsError::OverCeiling`] for a value
    /// this platform cannot address.
    pub fn set(&mut self, limit: Limit, value: u64) -> Result<(), LimitsError> {
        let size = |v: u64| {
            usize::try_from(v).map_err(|_| LimitsError::OverCeiling {
                limit,
                value: v,
                max: u64::try_from(usize::MAX).unwrap_or(u64::MAX),
            })
        };
        match limit {
            Limit::UrlLen | Limit::UrlLineLen => return Err(LimitsError::Fixed { limit }),
            Limit::ListFileLen => self.max_list_file_len = value,
            Limit::ListLineLen => self.max_list_line_len = size(value)?,
            Limit::Entries => self.max_entries = size(value)?,
            Limit::IncludeDepth => self.max_include_depth = size(value)?,
            Limit::IncludeFiles => self.max_include_files = size(value)?,
            Limit::DocumentLen => self.max_document_len = size(value)?,
            Limit::PolicyRules => self.max_policy_rules = size(value)?,
            Limit::BundleLen => self.max_bundle_len = value,
            Limit::BundleMetaLen => self.max_bundle_meta_len = value,
        }
        Ok(())
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::DEFAULT
    }
}

/// One of the [`Limits`], named in the errors that exceed it.
///
/// Displays as the field's name (`max_entries`), so a message says which
/// bound to raise.
///
/// ```
/// use esafety::limits::Limit;
/// assert_eq!(Limit::IncludeFiles.to_string(), "max_include_files");
/// assert_eq!(Limit::UrlLen.to_string(), "MAX_URL_LEN");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Limit {
    /// [`Limits::MAX_URL_LEN`].
    UrlLen,
    /// [`Limits::MAX_URL_LINE_LEN`].
    UrlLineLen,
    /// [`Limits::max_list_file_len`].
    ListFileLen,
    /// [`Limits::max_list_line_len`].
    ListLineLen,
    /// [`Limits::max_entries`].
    Entries,
    /// [`Limits::max_include_depth`].
    IncludeDepth,
    /// [`Limits::max_include_files`].
    IncludeFiles,
    /// [`Limits::max_document_len`].
    DocumentLen,
    /// [`Limits::max_policy_rules`].
    PolicyRules,
    /// [`Limits::max_bundle_len`].
    BundleLen,
    /// [`Limits::max_bundle_meta_len`].
    BundleMetaLen,
}

impl Limit {
    /// The limits a host may set (every one but the two fixed URL limits),
    /// in the order of the [`Limits`] fields.
    ///
    /// ```
    /// use esafety::limits::Limit;
    /// assert_eq!(Limit::SETTABLE.len(), 9);
    /// assert!(!Limit::SETTABLE.contains(&Limit::UrlLen));
    /// ```
    pub const SETTABLE: [Limit; 9] = [
        Limit::ListFileLen,
        Limit::ListLineLen,
        Limit::Entries,
        Limit::IncludeDepth,
        Limit::IncludeFiles,
        Limit::DocumentLen,
        Limit::PolicyRules,
        Limit::BundleLen,
        Limit::BundleMetaLen,
    ];

    /// The name of the limit: the [`Limits`] field (or constant) it is.
    ///
    /// ```
    /// use esafety::limits::Limit;
    /// assert_eq!(Limit::BundleMetaLen.name(), "max_bundle_meta_len");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Limit::UrlLen => "MAX_URL_LEN",
            Limit::UrlLineLen => "MAX_URL_LINE_LEN",
            Limit::ListFileLen => "max_list_file_len",
            Limit::ListLineLen => "max_list_line_len",
            Limit::Entries => "max_entries",
            Limit::IncludeDepth => "max_include_depth",
            Limit::IncludeFiles => "max_include_files",
            Limit::DocumentLen => "max_document_len",
            Limit::PolicyRules => "max_policy_rules",
            Limit::BundleLen => "max_bundle_len",
            Limit::BundleMetaLen => "max_bundle_meta_len",
        }
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::{Limit, Limits};

    #[test]
    fn every_limit_reads_its_field() {
        let l = Limits {
            max_list_file_len: 1,
            max_list_line_len: 2,
            max_entries: 3,
            max_include_depth: 4,
            max_include_files: 5,
            max_document_len: 8,
            max_policy_rules: 9,
            max_bundle_len: 6,
            max_bundle_meta_len: 7,
        };
        let cases = [
            (Limit::ListFileLen, 1),
            (Limit::ListLineLen, 2),
            (Limit::Entries, 3),
            (Limit::IncludeDepth, 4),
            (Limit::IncludeFiles, 5),
            (Limit::DocumentLen, 8),
            (Limit::PolicyRules, 9),
            (Limit::BundleLen, 6),
            (Limit::BundleMetaLen, 7),
        ];
        for (limit, want) in cases {
            assert_eq!(l.get(limit), want, "{limit}");
        }
    }

    #[test]
    fn validate_refuses_each_unusable_value() {
        use super::LimitsError;
        let with = |f: fn(&mut Limits)| {
            let mut l = Limits::DEFAULT;
            f(&mut l);
            l.validate()
        };
        let cases: [(&str, Result<(), LimitsError>); 6] = [
            ("defaults", with(|_| {})),
            ("entries 0", with(|l| l.max_entries = 0)),
            ("bundle 0", with(|l| l.max_bundle_len = 0)),
            ("depth 64", with(|l| l.max_include_depth = 64)),
            ("depth 65", with(|l| l.max_include_depth = 65)),
            (
                "meta over bundle",
                with(|l| {
                    l.max_bundle_len = 10;
                    l.max_bundle_meta_len = 11;
                }),
            ),
        ];
        let want: [Result<(), LimitsError>; 6] = [
            Ok(()),
            Err(LimitsError::Zero {
                limit: Limit::Entries,
            }),
            Err(LimitsError::Zero {
                limit: Limit::BundleLen,
            }),
            Ok(()),
            Err(LimitsError::OverCeiling {
                limit: Limit::IncludeDepth,
                value: 65,
                max: 64,
            }),
            Ok(()),
        ];
        for ((name, got), want) in cases.into_iter().zip(want) {
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn set_reaches_every_settable_field() {
        for (i, limit) in Limit::SETTABLE.into_iter().enumerate() {
            let mut l = Limits::DEFAULT;
            let value = 40 + i as u64;
            l.set(limit, value).unwrap();
            assert_eq!(l.get(limit), value, "{limit}");
            for other in Limit::SETTABLE.into_iter().filter(|&o| o != limit) {
                assert_eq!(
                    l.get(other),
                    Limits::DEFAULT.get(other),
                    "{limit} changed {other}"
                );
            }
        }
    }

    #[test]
    fn the_old_constants_are_the_defaults() {
        assert_eq!(Limits::DEFAULT.max_document_len, 4_194_304);
        assert_eq!(Limits::MAX_URL_LEN, crate::url::MAX_INPUT_LEN);
        assert_eq!(Limits::MAX_URL_LINE_LEN, crate::url::MAX_LINE_LEN);
    }
}
