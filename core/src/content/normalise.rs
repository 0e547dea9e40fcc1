//! e2guardian's preprocessing of page text (`NaughtyFilter::checkme`):
//! the byte maps of each pass and the text each pass scans.
//!
//! The scanner applies these byte by byte as text streams in; the
//! functions here build the whole text at once and are the reference the
//! tests compare the scanner with.

/// How e2guardian treats letter case (`preservecase`).
///
/// ```
/// use esafety::content::CaseMode;
/// assert_eq!(CaseMode::default(), CaseMode::Fold);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CaseMode {
    /// `preservecase = 0` (the default): ASCII capitals and the Latin-1
    /// accented capitals (bytes 192–221) become small letters (+32).
    #[default]
    Fold,
    /// `preservecase = 1`: bytes keep their case (for phrase lists in
    /// encodings that folding would break, marked `#noconvert`).
    Preserve,
    /// `preservecase = 2`: every pass twice, folded first, then preserved.
    Both,
}

/// Which passes e2guardian makes over a page (`phrasefiltermode`).
///
/// ```
/// use esafety::content::PassMode;
/// assert_eq!(PassMode::default(), PassMode::Both);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PassMode {
    /// `phrasefiltermode = 0`: the raw text only (tags left in, `<` and
    /// `>` read as spaces).
    Raw,
    /// `phrasefiltermode = 1`: the "smart" text only (tags removed, runs of
    /// spaces made one). Search terms then get no pass at all, as in
    /// e2guardian.
    Smart,
    /// `phrasefiltermode = 2` (the default): smart, then raw if the smart
    /// pass neither blocked nor found an exception.
    #[default]
    Both,
}

/// A pass or case mode name that is not one.
///
/// ```
/// use esafety::content::PassMode;
/// let err = "twice".parse::<PassMode>().unwrap_err();
/// assert_eq!(err.to_string(), "`twice` is not a pass mode; give `both`, `smart` or `raw`");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{given}` is not a {what}; give {expected}")]
pub struct ModeError {
    given: String,
    what: &'static str,
    expected: &'static str,
}

impl std::str::FromStr for PassMode {
    type Err = ModeError;

    /// `both`, `smart` or `raw` (e2guardian's `phrasefiltermode` 2, 1, 0).
    ///
    /// ```
    /// use esafety::content::PassMode;
    /// assert_eq!("smart".parse::<PassMode>()?, PassMode::Smart);
    /// # Ok::<(), esafety::content::ModeError>(())
    /// ```
    fn from_str(s: &str) -> Result<PassMode, ModeError> {
        match s {
            "both" => Ok(PassMode::Both),
            "smart" => Ok(PassMode::Smart),
            "raw" => Ok(PassMode::Raw),
            _ => Err(ModeError {
                given: s.to_owned(),
                what: "pass mode",
                expected: "`both`, `smart` or `raw`",
            }),
        }
    }
}

impl std::str::FromStr for CaseMode {
    type Err = ModeError;

    /// `fold`, `preserve` or `both` (e2guardian's `preservecase` 0, 1, 2).
    ///
    /// ```
    /// use esafety::content::CaseMode;
    /// assert_eq!("preserve".parse::<CaseMode>()?, CaseMode::Preserve);
    /// assert!("upper".parse::<CaseMode>().is_err());
    /// # Ok::<(), esafety::content::ModeError>(())
    /// ```
    fn from_str(s: &str) -> Result<CaseMode, ModeError> {
        match s {
            "fold" => Ok(CaseMode::Fold),
            "preserve" => Ok(CaseMode::Preserve),
            "both" => Ok(CaseMode::Both),
            _ => Err(ModeError {
                given: s.to_owned(),
                what: "case mode",
                expected: "`fold`, `preserve` or `both`",
            }),
        }
    }
}

/// Whether a pass reads letters folded or as they are.
///
/// ```
/// use esafety::content::Case;
/// assert_eq!(Case::Folded.as_str(), "folded");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Case {
    /// Capitals folded to small letters.
    Folded,
    /// Case preserved.
    Preserved,
}

impl Case {
    /// `folded` or `preserved`.
    ///
    /// ```
    /// use esafety::content::Case;
    /// assert_eq!(Case::Preserved.as_str(), "preserved");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Case::Folded => "folded",
            Case::Preserved => "preserved",
        }
    }
}

/// The text a pass scans.
///
/// ```
/// use esafety::content::Text;
/// assert_eq!(Text::Smart.as_str(), "smart");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Text {
    /// Tags removed, space runs made one, a space in front.
    Smart,
    /// Every byte (tags and all), `<` and `>` as spaces.
    Raw,
    /// Search terms: raw, `" " + terms + " "`, with `:;<=>?@` as spaces.
    SearchTerms,
}

impl Text {
    /// `smart`, `raw` or `search-terms`.
    ///
    /// ```
    /// use esafety::content::Text;
    /// assert_eq!(Text::SearchTerms.as_str(), "search-terms");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Text::Smart => "smart",
            Text::Raw => "raw",
            Text::SearchTerms => "search-terms",
        }
    }
}

/// One of e2guardian's passes over a text.
///
/// ```
/// use esafety::content::{Case, Pass, Text};
/// let pass = Pass { case: Case::Folded, text: Text::Smart };
/// assert_eq!(pass.to_string(), "smart (folded)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct Pass {
    /// Folded or preserved letters.
    pub case: Case,
    /// Which text.
    pub text: Text,
}

impl std::fmt::Display for Pass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.text.as_str(), self.case.as_str())
    }
}

/// The passes e2guardian makes, in its order: for each case (folded first),
/// smart then raw.
pub(crate) fn passes(mode: PassMode, case: CaseMode, search_terms: bool) -> Vec<Pass> {
    let cases: &[Case] = match case {
        CaseMode::Fold => &[Case::Folded],
        CaseMode::Preserve => &[Case::Preserved],
        CaseMode::Both => &[Case::Folded, Case::Preserved],
    };
    let texts: &[Text] = match (search_terms, mode) {
        // checkme: search terms are never tag-stripped, and only a mode
        // with a raw pass scans them.
        (true, PassMode::Smart) => &[],
        (true, _) => &[Text::SearchTerms],
        (false, PassMode::Raw) => &[Text::Raw],
        (false, PassMode::Smart) => &[Text::Smart],
        (false, PassMode::Both) => &[Text::Smart, Text::Raw],
    };
    cases
        .iter()
        .flat_map(|&case| texts.iter().map(move |&text| Pass { case, text }))
        .collect()
}

/// The byte map of a pass: what each byte of the page becomes.
///
/// - Folded: `A`–`Z` and bytes 192–221 (Latin-1 `À`–`Ý`) gain 32. On UTF-8
///   text this also shifts the lead bytes `0xC0`–`0xDD` of two-byte
///   characters, so a UTF-8 phrase with such a character never matches a
///   folded pass (e2guardian's lists are lowercased with C `tolower`,
///   which leaves bytes over 127 alone).
/// - Every byte below 46 (controls, space, ``!"#$%&'()*+,-``), `:` `;` `?`
///   and ``[\]^_` `` become a space; with the raw-only map (mode 0 pages,
///   search terms) `:;<=>?@` all do.
/// - The raw pass of mode 2 also reads `<` and `>` as spaces.
pub(crate) fn byte_map(pass: Pass, mode: PassMode) -> [u8; 256] {
    let mut map = [0u8; 256];
    let raw_only = pass.text == Text::SearchTerms || mode == PassMode::Raw;
    for (b, slot) in (0u8..=255).zip(map.iter_mut()) {
        let folded = match (pass.case, b) {
            (Case::Folded, b'A'..=b'Z' | 192..=221) => b.wrapping_add(32),
            _ => b,
        };
        let space = if raw_only {
            matches!(folded, 0..=45 | 58..=64 | 91..=96)
        } else {
            matches!(folded, 0..=45 | 58 | 59 | 63 | 91..=96)
                || (pass.text == Text::Raw && matches!(folded, b'<' | b'>'))
        };
        *slot = if space { b' ' } else { folded };
    }
    map
}

/// The whole text a pass scans, as e2guardian builds it (the smart text
/// with its leading space; its last byte is the one e2guardian leaves out
/// of the scan, see the module docs).
///
/// ```
/// use esafety::content::{normalise, Case, Pass, PassMode, Text};
/// let page = b"<p>Hello,   <b>WORLD</b>!</p>";
/// let smart = Pass { case: Case::Folded, text: Text::Smart };
/// assert_eq!(normalise(page, smart, PassMode::Both), b" hello world ");
/// let raw = Pass { case: Case::Folded, text: Text::Raw };
/// assert_eq!(normalise(page, raw, PassMode::Both), b" p hello     b world /b   /p ");
/// // Idempotent: the scanned text of a scanned text is itself.
/// let once = normalise(page, smart, PassMode::Both);
/// assert_eq!(normalise(&once, smart, PassMode::Both), once);
/// ```
pub fn normalise(text: &[u8], pass: Pass, mode: PassMode) -> Vec<u8> {
    let map = byte_map(pass, mode);
    let mapped = text
        .iter()
        .map(|&b| map.get(usize::from(b)).copied().unwrap_or(b));
    match pass.text {
        Text::Raw | Text::SearchTerms => mapped.collect(),
        Text::Smart => {
            let mut out = Vec::with_capacity(text.len().saturating_add(1));
            out.push(b' ');
            let mut in_tag = false;
            for mut c in mapped {
                if c == b'<' {
                    in_tag = true;
                }
                if c == b'>' {
                    in_tag = false;
                    c = b' ';
                }
                if in_tag || (c == b' ' && out.last() == Some(&b' ')) {
                    continue;
                }
                out.push(c);
            }
            out
        }
    }
}

/// The text e2guardian scans for search terms: `" " + terms + " "`
/// (`ConnectionHandler::check_search_terms`; the terms come to it with `+`
/// already read as a space).
pub(crate) fn search_terms_text(terms: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    out.push(b' ');
    for (i, t) in terms.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        out.extend(t.bytes().map(|b| if b == b'+' { b' ' } else { b }));
    }
    out.push(b' ');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FOLD_SMART: Pass = Pass {
        case: Case::Folded,
        text: Text::Smart,
    };

    #[test]
    fn folding_shifts_latin1_capitals_and_utf8_lead_bytes() {
        let map = byte_map(FOLD_SMART, PassMode::Both);
        assert_eq!(map[usize::from(b'Q')], b'q');
        assert_eq!(map[0xC9], 0xE9); // É → é in Latin-1
        assert_eq!(map[0xC3], 0xE3); // the UTF-8 lead byte of é, shifted
        assert_eq!(map[0xDE], 0xDE); // Þ is not folded (e2guardian stops at 221)
        assert_eq!(map[0xE9], 0xE9);
        let keep = byte_map(
            Pass {
                case: Case::Preserved,
                text: Text::Smart,
            },
            PassMode::Both,
        );
        assert_eq!(keep[usize::from(b'Q')], b'Q');
    }

    /// (name, byte, smart map, raw pass of mode 2, raw-only map)
    const PUNCTUATION: &[(&str, u8, u8, u8, u8)] = &[
        ("tab", b'\t', b' ', b' ', b' '),
        ("hyphen", b'-', b' ', b' ', b' '),
        ("dot", b'.', b'.', b'.', b'.'),
        ("slash", b'/', b'/', b'/', b'/'),
        ("colon", b':', b' ', b' ', b' '),
        ("less", b'<', b'<', b' ', b' '),
        ("equals", b'=', b'=', b'=', b' '),
        ("greater", b'>', b'>', b' ', b' '),
        ("question", b'?', b' ', b' ', b' '),
        ("at", b'@', b'@', b'@', b' '),
        ("underscore", b'_', b' ', b' ', b' '),
        ("brace", b'{', b'{', b'{', b'{'),
        ("tilde", b'~', b'~', b'~', b'~'),
    ];

    #[test]
    fn punctuation_maps() {
        let smart = byte_map(FOLD_SMART, PassMode::Both);
        let raw2 = byte_map(
            Pass {
                case: Case::Folded,
                text: Text::Raw,
            },
            PassMode::Both,
        );
        let raw0 = byte_map(
            Pass {
                case: Case::Folded,
                text: Text::Raw,
            },
            PassMode::Raw,
        );
        let terms = byte_map(
            Pass {
                case: Case::Folded,
                text: Text::SearchTerms,
            },
            PassMode::Both,
        );
        for &(name, b, s, r, r0) in PUNCTUATION {
            let i = usize::from(b);
            assert_eq!(
                (smart[i], raw2[i], raw0[i], terms[i]),
                (s, r, r0, r0),
                "{name}"
            );
        }
    }

    #[test]
    fn passes_in_e2guardian_order() {
        let p = passes(PassMode::Both, CaseMode::Both, false);
        let got: Vec<String> = p.iter().map(ToString::to_string).collect();
        assert_eq!(
            got,
            [
                "smart (folded)",
                "raw (folded)",
                "smart (preserved)",
                "raw (preserved)"
            ]
        );
        assert!(passes(PassMode::Smart, CaseMode::Fold, true).is_empty());
        assert_eq!(passes(PassMode::Raw, CaseMode::Fold, true).len(), 1);
    }

    #[test]
    fn smart_text() {
        assert_eq!(normalise(b"", FOLD_SMART, PassMode::Both), b" ");
        assert_eq!(normalise(b"a<b", FOLD_SMART, PassMode::Both), b" a");
        assert_eq!(normalise(b"a>b", FOLD_SMART, PassMode::Both), b" a b");
        assert_eq!(normalise(b"<>x", FOLD_SMART, PassMode::Both), b" x");
        assert_eq!(
            normalise(b"  A \n\n B", FOLD_SMART, PassMode::Both),
            b" a b"
        );
    }

    #[test]
    fn search_terms() {
        assert_eq!(search_terms_text(&["free+porn", "now"]), b" free porn now ");
        assert_eq!(search_terms_text(&[]), b"  ");
    }
}
