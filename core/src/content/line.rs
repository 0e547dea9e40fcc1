//! One phrase line, read exactly as e2guardian 5.3's
//! `ListContainer::readPhraseListHelper` reads it: with its `String::after`
//! and `String::before` (the text after / before the *first* occurrence of
//! a pattern, or nothing when it is absent) and `atoi`.
//!
//! The reading is literal, quirks included (`<a><porno><70>` is the banned
//! phrase `a`; `< a > <40>` is the banned phrase ` a `); what looks unlike
//! its author's intent is also reported as a [`Note`] so that
//! [`super::PhraseList::problems`] can say so.

use super::ContentError;

/// The text of `s` after the first `pat`, or nothing (`String::after`).
pub(super) fn after<'a>(s: &'a [u8], pat: &[u8]) -> &'a [u8] {
    match find(s, pat) {
        Some(i) => s.get(i.saturating_add(pat.len())..).unwrap_or_default(),
        None => &[],
    }
}

/// The text of `s` before the first `pat`, or nothing (`String::before`).
pub(super) fn before<'a>(s: &'a [u8], pat: &[u8]) -> &'a [u8] {
    match find(s, pat) {
        Some(i) => s.get(..i).unwrap_or_default(),
        None => &[],
    }
}

/// The first index of `pat` in `s`.
pub(super) fn find(s: &[u8], pat: &[u8]) -> Option<usize> {
    if pat.is_empty() {
        return Some(0);
    }
    s.windows(pat.len()).position(|w| w == pat)
}

/// C's `atoi` (glibc: `strtol` base 10): leading white space, an optional
/// sign, digits up to the first non-digit; nothing readable is 0. A value
/// outside `i32` is `None`: glibc would saturate it to a `long` and then
/// truncate it to an `int`, which no list means.
pub(super) fn atoi(s: &[u8]) -> Option<i32> {
    let mut rest = s;
    while let [b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r', tail @ ..] = rest {
        rest = tail;
    }
    let negative = match rest {
        [b'-', tail @ ..] => {
            rest = tail;
            true
        }
        [b'+', tail @ ..] => {
            rest = tail;
            false
        }
        _ => false,
    };
    let mut value: i64 = 0;
    for &b in rest.iter().take_while(|b| b.is_ascii_digit()) {
        value = value
            .checked_mul(10)?
            .checked_add(i64::from(b.wrapping_sub(b'0')))?;
        if value > i64::from(i32::MAX) + 1 {
            return None;
        }
    }
    let value = if negative { -value } else { value };
    i32::try_from(value).ok()
}

/// e2guardian keeps at most this many bytes of a phrase
/// (`readPhraseListHelper2` cuts longer ones).
pub(crate) const MAX_PHRASE_LEN: usize = 127;

/// The weight of a phrase line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Weight {
    /// No weight (or a weight of 0): a banned phrase, or an exception in an
    /// exception list.
    None,
    /// `<…><N>` with `N ≠ 0`.
    Points(i32),
    /// `<…><N%>` with `N ≠ 0`: `N × limit / 100` (C integer division), which
    /// can be 0, and then the line is banned or an exception after all.
    Percent(i32),
}

/// The phrases of a line: one, or a combination that counts only when all
/// its parts are on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Form {
    /// One phrase (`None` when e2guardian drops it as empty).
    Single(Option<Vec<u8>>),
    /// `<a>,<b>,…`: the parts e2guardian keeps (empty parts are dropped,
    /// and a combination with no parts left matches every page).
    Combination(Vec<Vec<u8>>),
}

/// Something about a line worth telling its author; the line is still read
/// as e2guardian reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Note {
    /// The text after `><` is not a number, so the line has no weight.
    NotAWeight(Vec<u8>),
    /// An explicit weight of 0, which e2guardian reads as no weight.
    ZeroWeight,
    /// Text after the last `>` that is neither white space nor a `#`
    /// comment, which e2guardian ignores.
    Trailing(Vec<u8>),
    /// A phrase (or part) with nothing between `<` and `>`, which
    /// e2guardian drops.
    Empty,
    /// A phrase longer than [`MAX_PHRASE_LEN`], cut to that length.
    Truncated(usize),
    /// A combination none of whose parts survived: it matches every page.
    EmptyCombination,
}

/// A phrase line as e2guardian reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReadLine {
    pub(crate) weight: Weight,
    pub(crate) form: Form,
    pub(crate) notes: Vec<Note>,
}

/// Reads `line` (already trimmed of `" \t\r\n"` and, unless the file says
/// `#noconvert`, lowercased; it starts with `<`).
///
/// # Errors
///
/// [`ContentError::BadWeight`] for a weight outside `i32`, and
/// [`ContentError::PercentForm`] for a per-cent weight not at the end of
/// the line, whose phrases would then depend on the limit (e2guardian
/// strips `<N%>` only when `N × limit / 100` is not 0).
pub(crate) fn read(
    source: &str,
    number: usize,
    line: &[u8],
    exception_list: bool,
) -> Result<ReadLine, ContentError> {
    let bad_weight = || ContentError::BadWeight {
        file: source.to_owned(),
        line: number,
        text: String::from_utf8_lossy(line).into_owned(),
    };
    let weight_text = after(line, b"><");
    let percent = atoi_or_zero(before(weight_text, b"%>")).ok_or_else(bad_weight)?;
    let mut notes = Vec::new();
    let weight = if percent != 0 {
        // The exception list is read with a limit of 0
        // (`readPhraseList(exception, true)`), so its per-cent weights are
        // always 0.
        if exception_list {
            Weight::None
        } else {
            Weight::Percent(percent)
        }
    } else {
        let digits = before(weight_text, b">");
        match atoi_or_zero(digits).ok_or_else(bad_weight)? {
            0 => {
                if !weight_text.is_empty() {
                    if digits.iter().any(u8::is_ascii_digit) && atoi(digits) == Some(0) {
                        notes.push(Note::ZeroWeight);
                    } else {
                        notes.push(Note::NotAWeight(before(weight_text, b">").to_vec()));
                    }
                }
                Weight::None
            }
            n => Weight::Points(n),
        }
    };
    let stripped;
    let text: &[u8] = if matches!(weight, Weight::None) {
        line
    } else {
        let mut s = before(line, b"><").to_vec();
        s.push(b'>');
        stripped = s;
        &stripped
    };
    if let Weight::Percent(_) = weight {
        // The same line with its weight resolving to 0 must give the same
        // phrases, or the line means different things for different limits.
        if form_of(line, &mut Vec::new()) != form_of(text, &mut Vec::new()) {
            return Err(ContentError::PercentForm {
                file: source.to_owned(),
                line: number,
                text: String::from_utf8_lossy(line).into_owned(),
            });
        }
    }
    if !matches!(weight, Weight::None) {
        let tail = after(weight_text, b">");
        if is_junk(tail) {
            notes.push(Note::Trailing(tail.to_vec()));
        }
    }
    let mut form_notes = Vec::new();
    let form = form_of(text, &mut form_notes);
    // The text after an unread weight is the weight itself, already noted.
    let weight_noted = notes
        .iter()
        .any(|n| matches!(n, Note::NotAWeight(_) | Note::ZeroWeight));
    notes.extend(
        form_notes
            .into_iter()
            .filter(|n| !(weight_noted && matches!(n, Note::Trailing(_)))),
    );
    Ok(ReadLine {
        weight,
        form,
        notes,
    })
}

/// `String::toInteger`: 0 for nothing, else `atoi`.
fn atoi_or_zero(s: &[u8]) -> Option<i32> {
    if s.is_empty() { Some(0) } else { atoi(s) }
}

/// Text that is neither white space nor a `#` comment.
fn is_junk(tail: &[u8]) -> bool {
    let t = tail.trim_ascii();
    !t.is_empty() && !t.starts_with(b"#")
}

/// The phrases of `text` (the line without its weight).
fn form_of(text: &[u8], notes: &mut Vec<Note>) -> Form {
    if after(text, b">,").len() > 2 {
        let mut parts = Vec::new();
        let mut line = text;
        let mut last_rest: &[u8] = &[];
        while line.len() > 2 {
            line = after(line, b"<");
            if let Some(part) = keep(before(line, b">"), notes) {
                parts.push(part);
            }
            last_rest = after(line, b">");
            line = after(line, b">,");
        }
        if is_junk(last_rest) && !last_rest.starts_with(b",") {
            notes.push(Note::Trailing(last_rest.to_vec()));
        }
        if parts.is_empty() {
            notes.push(Note::EmptyCombination);
        }
        Form::Combination(parts)
    } else {
        let inner = after(text, b"<");
        let rest = after(inner, b">");
        if is_junk(rest) {
            notes.push(Note::Trailing(rest.to_vec()));
        }
        Form::Single(keep(before(inner, b">"), notes))
    }
}

/// A phrase as e2guardian keeps it: dropped when empty, cut to
/// [`MAX_PHRASE_LEN`] bytes.
fn keep(phrase: &[u8], notes: &mut Vec<Note>) -> Option<Vec<u8>> {
    if phrase.len() > MAX_PHRASE_LEN {
        notes.push(Note::Truncated(phrase.len()));
        return phrase.get(..MAX_PHRASE_LEN).map(<[u8]>::to_vec);
    }
    if phrase.is_empty() {
        notes.push(Note::Empty);
        return None;
    }
    Some(phrase.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(line: &str) -> ReadLine {
        read("t", 1, line.as_bytes(), false).unwrap()
    }
    fn single(p: &str) -> Form {
        Form::Single(Some(p.as_bytes().to_vec()))
    }
    fn combi(parts: &[&str]) -> Form {
        Form::Combination(parts.iter().map(|p| p.as_bytes().to_vec()).collect())
    }

    #[test]
    fn string_helpers_are_e2guardians() {
        assert_eq!(after(b"<a><5>", b"><"), b"5>");
        assert_eq!(after(b"<a>", b"><"), b"");
        assert_eq!(before(b"5>", b"%>"), b"");
        assert_eq!(before(b"10%>", b"%>"), b"10");
        assert_eq!(atoi(b"  -30x"), Some(-30));
        assert_eq!(atoi(b"+7"), Some(7));
        assert_eq!(atoi(b"porno"), Some(0));
        assert_eq!(atoi(b"2147483648"), None);
        assert_eq!(atoi(b"-2147483648"), Some(i32::MIN));
    }

    /// (name, line, weight, form)
    const CASES: &[(&str, &str, Weight, &[&str], bool)] = &[
        (
            "substring",
            "<sex><10>",
            Weight::Points(10),
            &["sex"],
            false,
        ),
        ("word", "< sex ><10>", Weight::Points(10), &[" sex "], false),
        (
            "negative",
            "<education><-25>",
            Weight::Points(-25),
            &["education"],
            false,
        ),
        (
            "banned",
            "<sex magazine>",
            Weight::None,
            &["sex magazine"],
            false,
        ),
        (
            "combination",
            "<slut>,<horny><50>",
            Weight::Points(50),
            &["slut", "horny"],
            true,
        ),
        (
            "combination-banned",
            "<sex>,<fetish>",
            Weight::None,
            &["sex", "fetish"],
            true,
        ),
        (
            "percent",
            "< slut ><10%>",
            Weight::Percent(10),
            &[" slut "],
            false,
        ),
        (
            "trailing-comment",
            "<a><40>  #note",
            Weight::Points(40),
            &["a"],
            false,
        ),
        // `<porno>` is not a number: the line is the banned phrase before it.
        (
            "not-a-weight",
            "<dojrzale kobiety><porno><70>",
            Weight::None,
            &["dojrzale kobiety"],
            false,
        ),
        // No `><`: no weight, and the phrase ends at the first `>`.
        (
            "space-before-weight",
            "< nakna brdar > <40>",
            Weight::None,
            &[" nakna brdar "],
            false,
        ),
        (
            "space-in-combination",
            "< slampor >, <xxx><60>",
            Weight::Points(60),
            &[" slampor ", "xxx"],
            true,
        ),
        (
            "junk-after-weight",
            "<b><30>3",
            Weight::Points(30),
            &["b"],
            false,
        ),
        ("zero", "<x><0>", Weight::None, &["x"], false),
    ];

    #[test]
    fn lines_read_as_e2guardian_reads_them() {
        for &(name, line, weight, parts, is_combi) in CASES {
            let got = r(line);
            assert_eq!(got.weight, weight, "{name}");
            let want = if is_combi {
                combi(parts)
            } else {
                single(parts[0])
            };
            assert_eq!(got.form, want, "{name}");
        }
    }

    #[test]
    fn odd_lines_are_noted() {
        assert_eq!(r("<x><0>").notes, [Note::ZeroWeight]);
        assert_eq!(
            r("<a><porno><70>").notes,
            [Note::NotAWeight(b"porno".to_vec())]
        );
        assert_eq!(r("<b><30>3").notes, [Note::Trailing(b"3".to_vec())]);
        assert_eq!(r("<>").form, Form::Single(None));
        assert_eq!(r("<>").notes, [Note::Empty]);
        assert_eq!(r("<abc").form, Form::Single(None));
        assert_eq!(r("<>,<>,<><10>").form, Form::Combination(vec![]));
        assert!(r("<>,<>,<><10>").notes.contains(&Note::EmptyCombination));
        let long = format!("<{}>", "a".repeat(200));
        assert_eq!(r(&long).form, single(&"a".repeat(127)));
        assert_eq!(r(&long).notes, [Note::Truncated(200)]);
    }

    #[test]
    fn exception_list_weights() {
        let e = read("e", 1, b"<medical>", true).unwrap();
        assert_eq!(e.weight, Weight::None);
        // An exception list's per-cent weight resolves against a limit of 0.
        assert_eq!(
            read("e", 1, b"<x><10%>", true).unwrap().weight,
            Weight::None
        );
        // A point weight makes it weighted, in any list.
        assert_eq!(
            read("e", 1, b"<x><10>", true).unwrap().weight,
            Weight::Points(10)
        );
    }

    #[test]
    fn errors() {
        let e = read("w", 3, b"<x><99999999999>", false).unwrap_err();
        assert!(e.to_string().starts_with("w:3: "), "{e}");
        let e = read("w", 4, b"<a><5%>,<b>", false).unwrap_err();
        assert!(matches!(e, ContentError::PercentForm { .. }), "{e}");
    }
}
