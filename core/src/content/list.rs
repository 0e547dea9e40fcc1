//! Phrase-list files, read as e2guardian 5.3's `ListContainer::readPhraseList`
//! reads them (see the module docs of [`super`] for every rule).

use std::io;

use super::line::{self, Form, Note, Weight};
use super::{ContentError, LineProblem, show};
use crate::include_path::{below, resolve};

/// Reads the file an `.Include` names.
///
/// ```
/// use esafety::content::Loader;
///
/// let mut files = |name: &str| -> std::io::Result<Vec<u8>> {
///     match name {
///         "weighted" => Ok(b"< porn ><80>\n".to_vec()),
///         other => Err(std::io::Error::new(std::io::ErrorKind::NotFound, other.to_owned())),
///     }
/// };
/// let loader: &mut Loader<'_> = &mut files;
/// assert!(loader("weighted").is_ok());
/// assert!(loader("missing").is_err());
/// ```
pub type Loader<'l> = dyn FnMut(&str) -> Result<Vec<u8>, io::Error> + 'l;

/// Which of e2guardian's three phrase lists a file is (an included file is
/// whatever includes it).
///
/// Only [`ListKind::Exception`] reads differently: there a phrase without a
/// weight is an exception, elsewhere it is banned, and a weighted phrase is
/// weighted in any list (e2guardian reads all three files into one list and
/// decides by the weight alone). The kind also sets the order e2guardian
/// loads them in: exception, banned, weighted.
///
/// ```
/// use esafety::content::ListKind;
/// assert_eq!(ListKind::detect("/etc/e2guardian/lists/exceptionphraselist"), ListKind::Exception);
/// assert_eq!(ListKind::detect("lists/bannedphraselist"), ListKind::Banned);
/// assert_eq!(ListKind::detect("phraselists/goodphrases/exception_email"), ListKind::Exception);
/// assert_eq!(ListKind::detect("phraselists/pornography/weighted"), ListKind::Weighted);
/// assert_eq!(ListKind::detect("my-phrases.txt"), ListKind::Weighted);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ListKind {
    /// `exceptionphraselist`: an unweighted phrase allows the page.
    Exception,
    /// `bannedphraselist`: an unweighted phrase blocks the page.
    Banned,
    /// `weightedphraselist`: weighted phrases add up (an unweighted one
    /// still blocks, as in e2guardian).
    Weighted,
}

impl ListKind {
    /// The kind a file's name says: a name starting with `exception` (any
    /// case) is an exception list, one starting with `banned` a banned
    /// list, any other a weighted list.
    ///
    /// ```
    /// use esafety::content::ListKind;
    /// assert_eq!(ListKind::detect("C:\\e2g\\ExceptionPhraseList"), ListKind::Exception);
    /// ```
    pub fn detect(path: &str) -> ListKind {
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        let lower = name.to_ascii_lowercase();
        if lower.starts_with("exception") {
            ListKind::Exception
        } else if lower.starts_with("banned") {
            ListKind::Banned
        } else {
            ListKind::Weighted
        }
    }

    /// The kind's name: `exception`, `banned` or `weighted`.
    ///
    /// ```
    /// use esafety::content::ListKind;
    /// assert_eq!(ListKind::Banned.as_str(), "banned");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ListKind::Exception => "exception",
            ListKind::Banned => "banned",
            ListKind::Weighted => "weighted",
        }
    }
}

/// How phrase lists are read.
///
/// ```
/// use esafety::content::{ContentError, ListKind, PhraseList, PhraseOptions};
/// let text = b"<porn><40>\n<>\n";
/// assert_eq!(PhraseList::parse("w", text, ListKind::Weighted, &PhraseOptions::new())?.problems().len(), 1);
/// let strict = PhraseOptions::new().with_strict(true);
/// let err = PhraseList::parse("w", text, ListKind::Weighted, &strict).unwrap_err();
/// assert!(matches!(err, ContentError::BadLine(ref p) if p.line == 2), "{err}");
/// # Ok::<(), ContentError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhraseOptions {
    /// How deep `.Include`s may nest (e2guardian has no limit and recurses
    /// until it crashes on a cycle).
    pub max_include_depth: usize,
    /// Make the first [`LineProblem`] an error.
    pub strict: bool,
    /// Follow an `.Include` that names a file outside the including file's
    /// folder (an absolute path elsewhere, or `..` above it). Off by
    /// default: such an include is [`ContentError::IncludeOutside`], the
    /// rule URL lists follow
    /// ([`ParseOptions::allow_include_outside`](crate::lists::ParseOptions::allow_include_outside)),
    /// judged by the same code.
    pub allow_include_outside: bool,
}

impl PhraseOptions {
    /// Includes up to 16 deep, problems reported but not errors.
    ///
    /// ```
    /// use esafety::content::PhraseOptions;
    /// assert_eq!(PhraseOptions::new().max_include_depth, 16);
    /// assert!(!PhraseOptions::new().strict);
    /// ```
    pub fn new() -> PhraseOptions {
        PhraseOptions {
            max_include_depth: 16,
            strict: false,
            allow_include_outside: false,
        }
    }

    /// Sets [`PhraseOptions::allow_include_outside`].
    ///
    /// ```
    /// use esafety::content::{ContentError, ListKind, PhraseList, PhraseOptions};
    /// let text = b".Include</etc/e2guardian/lists/phraselists/porn/weighted>\n";
    /// let mut loader = |_: &str| Ok(b"<sex>,<50>\n".to_vec());
    /// let confined = PhraseOptions::new();
    /// let err = PhraseList::parse_with_includes("lists/weighted", text, ListKind::Weighted, &confined, &mut loader)
    ///     .unwrap_err();
    /// assert!(matches!(err, ContentError::IncludeOutside { line: 1, .. }), "{err}");
    /// let open = PhraseOptions::new().with_allow_include_outside(true);
    /// assert!(PhraseList::parse_with_includes("lists/weighted", text, ListKind::Weighted, &open, &mut loader).is_ok());
    /// ```
    pub fn with_allow_include_outside(mut self, allow: bool) -> PhraseOptions {
        self.allow_include_outside = allow;
        self
    }

    /// Sets [`PhraseOptions::strict`].
    ///
    /// ```
    /// use esafety::content::PhraseOptions;
    /// assert!(PhraseOptions::new().with_strict(true).strict);
    /// ```
    pub fn with_strict(mut self, strict: bool) -> PhraseOptions {
        self.strict = strict;
        self
    }
}

impl Default for PhraseOptions {
    fn default() -> Self {
        PhraseOptions::new()
    }
}

/// One phrase line of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PhraseLine {
    /// Index into [`PhraseList::files`].
    pub(crate) file: u32,
    /// The 1-based line number.
    pub(crate) line: u32,
    /// Index into [`PhraseList::list_categories`]; `None` before any
    /// `#listcategory:` (e2guardian's category -1).
    pub(crate) category: Option<u32>,
    pub(crate) weight: Weight,
    pub(crate) form: Form,
}

/// A phrase-list file and everything it includes, read as e2guardian reads
/// it.
///
/// ```
/// use esafety::content::{ListKind, PhraseList, PhraseOptions};
/// let files = [
///     ("lists/weightedphraselist", "#listcategory: \"Weighted\"\n.Include<phraselists/porn>\n"),
///     ("lists/phraselists/porn", "#listcategory: \"Pornography\"\n< porn ><50>\n<xxx>,<girls><40>\n"),
/// ];
/// let mut loader = |path: &str| {
///     files.iter().find(|(p, _)| *p == path).map(|(_, t)| t.as_bytes().to_vec())
///         .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
/// };
/// let (path, text) = files[0];
/// let list = PhraseList::parse_with_includes(path, text.as_bytes(), ListKind::detect(path), &PhraseOptions::new(), &mut loader)?;
/// assert_eq!(list.len(), 2);
/// assert_eq!(list.files(), ["lists/weightedphraselist", "lists/phraselists/porn"]);
/// assert_eq!(list.list_categories(), ["Weighted", "Pornography"]);
/// assert_eq!(list.counts_by_file(), [("lists/weightedphraselist", 0), ("lists/phraselists/porn", 2)]);
/// assert!(list.problems().is_empty());
/// # Ok::<(), esafety::content::ContentError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhraseList {
    pub(crate) kind: ListKind,
    pub(crate) files: Vec<String>,
    pub(crate) categories: Vec<String>,
    pub(crate) lines: Vec<PhraseLine>,
    pub(crate) problems: Vec<LineProblem>,
}

impl PhraseList {
    /// Reads one file; an `.Include` in it is an error (use
    /// [`PhraseList::parse_with_includes`]).
    ///
    /// # Errors
    ///
    /// See [`PhraseList::parse_with_includes`];
    /// [`ContentError::IncludeUnfollowed`] for an `.Include`.
    ///
    /// ```
    /// use esafety::content::{ListKind, PhraseList, PhraseOptions};
    /// let list = PhraseList::parse("bannedphraselist", b"# comment\n< sex >\n<sex>,<fetish>\n", ListKind::Banned, &PhraseOptions::new())?;
    /// assert_eq!(list.len(), 2);
    /// assert_eq!(list.kind(), ListKind::Banned);
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn parse(
        source: &str,
        bytes: &[u8],
        kind: ListKind,
        options: &PhraseOptions,
    ) -> Result<PhraseList, ContentError> {
        Reader::new(source, kind, options, None).run(bytes)
    }

    /// Reads a file, following `.Include<path>` through `loader` where the
    /// line is (e2guardian reads included phrases in place). A relative
    /// path is given to the loader joined to the including file's folder
    /// (e2guardian opens it from its working directory); the path is
    /// lowercased, as e2guardian lowercases the whole line.
    ///
    /// # Errors
    ///
    /// [`ContentError::IncludeRead`], [`ContentError::IncludeCycle`],
    /// [`ContentError::IncludeTooDeep`], [`ContentError::TimeLimit`],
    /// [`ContentError::BadWeight`], [`ContentError::PercentForm`], and with
    /// [`PhraseOptions::strict`] [`ContentError::BadLine`].
    ///
    /// ```
    /// use esafety::content::{ContentError, ListKind, PhraseList, PhraseOptions};
    /// let mut loader = |path: &str| match path {
    ///     "lists/a" => Ok(b".Include<b>\n".to_vec()),
    ///     "lists/b" => Ok(b".Include</abs/a>\n".to_vec()),
    ///     "/abs/a" => Ok(b".Include<b>\n".to_vec()),
    ///     _ => Err(std::io::Error::from(std::io::ErrorKind::NotFound)),
    /// };
    /// // An include outside the list's folder is refused unless allowed.
    /// let err = PhraseList::parse_with_includes("lists/a", b".Include<b>\n", ListKind::Weighted, &PhraseOptions::new(), &mut loader);
    /// assert!(matches!(err, Err(ContentError::IncludeOutside { .. })), "{err:?}");
    /// let open = PhraseOptions::new().with_allow_include_outside(true);
    /// let err = PhraseList::parse_with_includes("lists/a", b".Include<b>\n", ListKind::Weighted, &open, &mut loader);
    /// // lists/a → lists/b → /abs/a → /abs/b, which is missing.
    /// assert!(matches!(err, Err(ContentError::IncludeRead { ref tried, .. }) if tried == "/abs/b"));
    /// # Ok::<(), ContentError>(())
    /// ```
    pub fn parse_with_includes(
        source: &str,
        bytes: &[u8],
        kind: ListKind,
        options: &PhraseOptions,
        loader: &mut Loader<'_>,
    ) -> Result<PhraseList, ContentError> {
        Reader::new(source, kind, options, Some(loader)).run(bytes)
    }

    /// Which list this is.
    ///
    /// ```
    /// use esafety::content::{ListKind, PhraseList, PhraseOptions};
    /// let list = PhraseList::parse("exceptionphraselist", b"< medical >\n", ListKind::Exception, &PhraseOptions::new())?;
    /// assert_eq!(list.kind(), ListKind::Exception);
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn kind(&self) -> ListKind {
        self.kind
    }

    /// The number of phrase lines read (a combination is one line).
    ///
    /// ```
    /// use esafety::content::{ListKind, PhraseList, PhraseOptions};
    /// let list = PhraseList::parse("w", b"<a><5>\n<b>,<c><10>\n", ListKind::Weighted, &PhraseOptions::new())?;
    /// assert_eq!(list.len(), 2);
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether no phrase line was read.
    ///
    /// ```
    /// use esafety::content::{ListKind, PhraseList, PhraseOptions};
    /// assert!(PhraseList::parse("w", b"# nothing\n", ListKind::Weighted, &PhraseOptions::new())?.is_empty());
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Every file read, the top one first, in the order they were opened.
    ///
    /// ```
    /// use esafety::content::{ListKind, PhraseList, PhraseOptions};
    /// let list = PhraseList::parse("w", b"<a><5>\n", ListKind::Weighted, &PhraseOptions::new())?;
    /// assert_eq!(list.files(), ["w"]);
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn files(&self) -> &[String] {
        &self.files
    }

    /// The `#listcategory:` names, in the order they first appear.
    ///
    /// ```
    /// use esafety::content::{ListKind, PhraseList, PhraseOptions};
    /// let list = PhraseList::parse("w", b"#listcategory: \"Gambling\"\n<poker><20>\n", ListKind::Weighted, &PhraseOptions::new())?;
    /// assert_eq!(list.list_categories(), ["Gambling"]);
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn list_categories(&self) -> &[String] {
        &self.categories
    }

    /// How many phrase lines each file gave, in [`PhraseList::files`] order.
    ///
    /// ```
    /// use esafety::content::{ListKind, PhraseList, PhraseOptions};
    /// let list = PhraseList::parse("w", b"<a><5>\n<b><5>\n", ListKind::Weighted, &PhraseOptions::new())?;
    /// assert_eq!(list.counts_by_file(), [("w", 2)]);
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn counts_by_file(&self) -> Vec<(&str, usize)> {
        let mut counts = vec![0usize; self.files.len()];
        for l in &self.lines {
            if let Some(c) = usize::try_from(l.file).ok().and_then(|i| counts.get_mut(i)) {
                *c = c.saturating_add(1);
            }
        }
        self.files.iter().map(String::as_str).zip(counts).collect()
    }

    /// Every phrase of every line, in order (a combination gives each of
    /// its parts), as the bytes matched against page text.
    ///
    /// ```
    /// use esafety::content::{ListKind, PhraseList, PhraseOptions};
    /// let list = PhraseList::parse("w", b"< sex ><5>\n<xxx>,<Girls><30>\n", ListKind::Weighted, &PhraseOptions::new())?;
    /// let phrases: Vec<&[u8]> = list.phrases().collect();
    /// assert_eq!(phrases, [&b" sex "[..], b"xxx", b"girls"]);
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn phrases(&self) -> impl Iterator<Item = &[u8]> + '_ {
        self.lines.iter().flat_map(|l| -> Vec<&[u8]> {
            match &l.form {
                Form::Single(Some(p)) => vec![p.as_slice()],
                Form::Single(None) => Vec::new(),
                Form::Combination(parts) => parts.iter().map(Vec::as_slice).collect(),
            }
        })
    }

    /// The lines e2guardian reads as nothing or as other than they look.
    ///
    /// ```
    /// use esafety::content::{ListKind, PhraseList, PhraseOptions};
    /// let list = PhraseList::parse("w", b"< nakna brdar > <40>\n", ListKind::Weighted, &PhraseOptions::new())?;
    /// let reason = &list.problems()[0].reason;
    /// assert!(reason.contains("banned phrase ` nakna brdar `"), "{reason}");
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn problems(&self) -> &[LineProblem] {
        &self.problems
    }
}

/// The bytes e2guardian turns into a space in page text in every pass, so
/// a phrase containing one never matches.
pub(crate) fn never_in_text(b: u8) -> bool {
    matches!(b, 0..=31 | 33..=45 | 58 | 59 | 63 | 91..=96)
}

struct Reader<'o, 'l, 'f> {
    out: PhraseList,
    options: &'o PhraseOptions,
    loader: Option<&'l mut Loader<'f>>,
    /// The files being read, outermost first.
    stack: Vec<String>,
}

impl<'o, 'l, 'f> Reader<'o, 'l, 'f> {
    fn new(
        source: &str,
        kind: ListKind,
        options: &'o PhraseOptions,
        loader: Option<&'l mut Loader<'f>>,
    ) -> Self {
        Reader {
            out: PhraseList {
                kind,
                files: vec![source.to_owned()],
                categories: Vec::new(),
                lines: Vec::new(),
                problems: Vec::new(),
            },
            options,
            loader,
            stack: vec![source.to_owned()],
        }
    }

    fn run(mut self, bytes: &[u8]) -> Result<PhraseList, ContentError> {
        self.file(0, bytes, None)?;
        Ok(self.out)
    }

    fn problem(&mut self, file: u32, line: usize, reason: String) -> Result<(), ContentError> {
        let problem = LineProblem {
            source: self.name(file).to_owned(),
            line,
            reason,
        };
        if self.options.strict {
            return Err(ContentError::BadLine(problem));
        }
        self.out.problems.push(problem);
        Ok(())
    }

    fn name(&self, file: u32) -> &str {
        usize::try_from(file)
            .ok()
            .and_then(|i| self.out.files.get(i))
            .map_or("", String::as_str)
    }

    /// e2guardian's `getCategoryIndex`; the empty name is no category.
    fn category(&mut self, name: &str) -> Option<u32> {
        if name.is_empty() {
            return None;
        }
        let index = match self.out.categories.iter().position(|c| c == name) {
            Some(i) => i,
            None => {
                self.out.categories.push(name.to_owned());
                self.out.categories.len().saturating_sub(1)
            }
        };
        u32::try_from(index).ok()
    }

    /// Reads one file. `category` is the includer's at the `.Include`.
    fn file(
        &mut self,
        file: u32,
        bytes: &[u8],
        mut category: Option<u32>,
    ) -> Result<(), ContentError> {
        // e2guardian: a file shorter than 2 bytes is blank.
        if bytes.len() < 2 {
            return Ok(());
        }
        let mut case_insensitive = true;
        let exception = self.out.kind == ListKind::Exception;
        for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
            let number = i.saturating_add(1);
            if raw.is_empty() {
                continue;
            }
            let trimmed = trim(raw);
            let lowered;
            let text: &[u8] = if case_insensitive {
                lowered = trimmed.to_ascii_lowercase();
                &lowered
            } else {
                trimmed
            };
            if text.starts_with(b"<") {
                self.phrase(file, number, text, category, exception)?;
            } else if text.starts_with(b".") {
                self.include(file, number, trimmed, text, category, case_insensitive)?;
            } else if text.starts_with(b"#listcategory:") {
                // The name comes from the line as written (case kept).
                let name = line::before(line::after(raw, b"\""), b"\"");
                if name.is_empty() {
                    self.problem(
                        file,
                        number,
                        format!(
                            "`{}` has no name in double quotes, so e2guardian gives the phrases after it no category; write `#listcategory: \"Name\"`",
                            show(trimmed)
                        ),
                    )?;
                }
                category = self.category(&String::from_utf8_lossy(name));
            } else if text.starts_with(b"#noconvert") {
                case_insensitive = false;
            } else if text.starts_with(b"#time: ") {
                return Err(ContentError::TimeLimit {
                    file: self.name(file).to_owned(),
                    line: number,
                });
            } else if text.starts_with(b"\xEF\xBB\xBF") {
                self.problem(
                    file,
                    number,
                    format!(
                        "`{}` starts with a byte-order mark, which e2guardian does not skip, so it ignores the line; save the file without the mark",
                        show(trimmed.get(3..).unwrap_or_default())
                    ),
                )?;
            } else if !text.starts_with(b"#") && !text.iter().all(|b| b" \t\r\n".contains(b)) {
                self.problem(
                    file,
                    number,
                    format!(
                        "`{}` is not a phrase: e2guardian reads only `<phrase>` lines, `.Include<path>` and `#` directives, and ignores this line; write the phrase as `<…>`",
                        show(trimmed)
                    ),
                )?;
            }
        }
        Ok(())
    }

    fn phrase(
        &mut self,
        file: u32,
        number: usize,
        text: &[u8],
        category: Option<u32>,
        exception: bool,
    ) -> Result<(), ContentError> {
        let name = self.name(file).to_owned();
        let read = line::read(&name, number, text, exception)?;
        let what = if exception {
            "exception"
        } else {
            "banned phrase"
        };
        let shown_form = match &read.form {
            Form::Single(Some(p)) => format!("{what} `{}`", show(p)),
            Form::Single(None) => "nothing".to_owned(),
            Form::Combination(parts) => format!(
                "the combination {}",
                parts
                    .iter()
                    .map(|p| format!("`{}`", show(p)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        for note in &read.notes {
            let reason = match note {
                Note::NotAWeight(w) => format!(
                    "`<{}>` is not a weight, so e2guardian reads this line as the {shown_form}; write a combination as `<a>,<b><N>` and a weight as `<a><N>`",
                    show(w)
                ),
                Note::ZeroWeight => format!(
                    "a weight of 0 is no weight to e2guardian, so this line is the {shown_form}; give it a weight or remove it"
                ),
                Note::Trailing(t) => format!(
                    "e2guardian ignores `{}` after the phrase and reads this line as {}; remove it or make it a `#` comment",
                    show(t.trim_ascii()),
                    if matches!(read.weight, Weight::None) {
                        format!("the {shown_form}")
                    } else {
                        "a weighted phrase".to_owned()
                    }
                ),
                Note::Empty => {
                    "`<>` has no text, so e2guardian drops it; remove it".to_owned()
                }
                Note::Truncated(n) => format!(
                    "the phrase is {n} bytes long and e2guardian keeps only its first {}; shorten it",
                    line::MAX_PHRASE_LEN
                ),
                Note::EmptyCombination => "no part of this combination has any text, so e2guardian counts it on every page; remove the line".to_owned(),
            };
            self.problem(file, number, reason)?;
        }
        let phrases: Vec<&Vec<u8>> = match &read.form {
            Form::Single(p) => p.iter().collect(),
            Form::Combination(parts) => parts.iter().collect(),
        };
        for p in phrases {
            if let Some(&b) = p.iter().find(|&&b| never_in_text(b)) {
                // As page text would have it: those bytes as a space, and
                // a run of spaces as one (the smart pass).
                let mut fixed: Vec<u8> = Vec::with_capacity(p.len());
                for &c in p.iter() {
                    let c = if never_in_text(c) { b' ' } else { c };
                    if !(c == b' ' && fixed.last() == Some(&b' ')) {
                        fixed.push(c);
                    }
                }
                self.problem(
                    file,
                    number,
                    format!(
                        "`{}` can never match: e2guardian turns `{}` in page text into a space; write `<{}>`",
                        show(p),
                        show(&[b]),
                        show(&fixed)
                    ),
                )?;
            }
        }
        self.out.lines.push(PhraseLine {
            file,
            line: u32::try_from(number).unwrap_or(u32::MAX),
            category,
            weight: read.weight,
            form: read.form,
        });
        Ok(())
    }

    fn include(
        &mut self,
        file: u32,
        number: usize,
        written: &[u8],
        text: &[u8],
        category: Option<u32>,
        case_insensitive: bool,
    ) -> Result<(), ContentError> {
        let path_bytes = line::before(line::after(text, b".include<"), b">");
        if path_bytes.is_empty() {
            let reason = if !case_insensitive
                && !line::before(
                    line::after(&written.to_ascii_lowercase(), b".include<"),
                    b">",
                )
                .is_empty()
            {
                format!(
                    "e2guardian does not follow `{}` in a `#noconvert` list (it looks for `.include<` in lower case there); write `.include<…>`",
                    show(written)
                )
            } else {
                format!(
                    "`{}` is not `.Include<path>`, so e2guardian ignores it; write `.Include</path/to/list>`",
                    show(written)
                )
            };
            return self.problem(file, number, reason);
        }
        let path = String::from_utf8_lossy(path_bytes).into_owned();
        if case_insensitive {
            let lower = written.to_ascii_lowercase();
            let original = line::find(&lower, b".include<")
                .and_then(|i| written.get(i.saturating_add(9)..))
                .map(|rest| line::before(rest, b">"))
                .unwrap_or_default();
            if original != path_bytes {
                self.problem(
                    file,
                    number,
                    format!(
                        "e2guardian lowercases the whole line, so it reads `{}` as `{path}`; name the file in lower case",
                        show(original)
                    ),
                )?;
            }
        }
        let including = self.name(file).to_owned();
        let Some(loader) = self.loader.as_deref_mut() else {
            return Err(ContentError::IncludeUnfollowed {
                file: including,
                line: number,
                path,
            });
        };
        let tried = resolve(&including, &path);
        if !self.options.allow_include_outside && !below(&including, &path) {
            return Err(ContentError::IncludeOutside {
                file: including,
                line: number,
                path,
            });
        }
        if self.stack.len() > self.options.max_include_depth {
            return Err(ContentError::IncludeTooDeep {
                file: including,
                line: number,
                max: self.options.max_include_depth,
            });
        }
        if self.stack.contains(&tried) {
            return Err(ContentError::IncludeCycle {
                file: including,
                line: number,
                path,
            });
        }
        let bytes = loader(&tried).map_err(|error| ContentError::IncludeRead {
            file: including.clone(),
            line: number,
            path: path.clone(),
            tried: tried.clone(),
            error,
        })?;
        self.out.files.push(tried.clone());
        let index = u32::try_from(self.out.files.len().saturating_sub(1)).unwrap_or(u32::MAX);
        self.stack.push(tried);
        let result = self.file(index, &bytes, category);
        self.stack.pop();
        result
    }
}

/// e2guardian's `String::removeWhiteSpace`: `" \t\r\n"` off both ends (a
/// line of only those stays as it is, and is then ignored).
fn trim(raw: &[u8]) -> &[u8] {
    let ws = |b: &u8| b" \t\r\n".contains(b);
    let Some(start) = raw.iter().position(|b| !ws(b)) else {
        return raw;
    };
    let end = raw.iter().rposition(|b| !ws(b)).unwrap_or(start);
    raw.get(start..=end).unwrap_or(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> PhraseList {
        PhraseList::parse(
            "w",
            text.as_bytes(),
            ListKind::Weighted,
            &PhraseOptions::new(),
        )
        .unwrap()
    }

    #[test]
    fn categories_follow_lines_and_includes() {
        let files = [
            (
                "top",
                "<a><1>\n#listcategory: \"One\"\n<b><1>\n.Include<inc>\n<c><1>\n",
            ),
            ("inc", "<d><1>\n#listcategory: \"Two\"\n<e><1>\n"),
        ];
        let mut loader = |p: &str| {
            files
                .iter()
                .find(|(n, _)| *n == p)
                .map(|(_, t)| t.as_bytes().to_vec())
                .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
        };
        let list = PhraseList::parse_with_includes(
            "top",
            files[0].1.as_bytes(),
            ListKind::Weighted,
            &PhraseOptions::new(),
            &mut loader,
        )
        .unwrap();
        let cats: Vec<Option<u32>> = list.lines.iter().map(|l| l.category).collect();
        // a: none; b: One; d (included after b): One; e: Two; c (back in top): One.
        assert_eq!(cats, [None, Some(0), Some(0), Some(1), Some(0)]);
        let order: Vec<u32> = list.lines.iter().map(|l| l.line).collect();
        assert_eq!(order, [1, 3, 1, 3, 5]);
    }

    #[test]
    fn noconvert_keeps_case_and_ignores_capital_include() {
        let list = parse("#noconvert\n<ABC><5>\n.Include<x>\n");
        assert_eq!(list.lines[0].form, Form::Single(Some(b"ABC".to_vec())));
        assert_eq!(list.problems.len(), 1);
        assert!(
            list.problems[0].reason.contains("`#noconvert`"),
            "{}",
            list.problems[0]
        );
        let list = parse("<ABC><5>\n");
        assert_eq!(list.lines[0].form, Form::Single(Some(b"abc".to_vec())));
    }

    #[test]
    fn bom_and_junk_lines_are_problems_not_phrases() {
        let list = parse("\u{feff}<antykoncepcja><-30>\nplain words\n   \n#comment\n");
        assert!(list.is_empty());
        assert_eq!(list.problems.len(), 2);
        assert!(list.problems[0].reason.contains("byte-order mark"));
        assert!(
            list.problems[1]
                .reason
                .contains("`plain words` is not a phrase")
        );
    }

    #[test]
    fn listcategory_without_quotes() {
        let list = parse("#listcategory: \"Open\n<a><1>\n");
        assert_eq!(list.lines[0].category, None);
        assert!(list.problems[0].reason.contains("no name in double quotes"));
    }

    #[test]
    fn includes_without_loader_and_cycles() {
        let err = PhraseList::parse(
            "w",
            b".Include<x>\n",
            ListKind::Weighted,
            &PhraseOptions::new(),
        )
        .unwrap_err();
        assert!(matches!(err, ContentError::IncludeUnfollowed { .. }));
        let mut loader = |_: &str| Ok(b".Include<w>\n".to_vec());
        let err = PhraseList::parse_with_includes(
            "d/w",
            b".Include<w>\n",
            ListKind::Weighted,
            &PhraseOptions::new(),
            &mut loader,
        )
        .unwrap_err();
        assert!(matches!(err, ContentError::IncludeCycle { .. }), "{err}");
        let mut deep = |p: &str| Ok(format!(".Include<{p}x>\n").into_bytes());
        let err = PhraseList::parse_with_includes(
            "a",
            b".Include<ax>\n",
            ListKind::Weighted,
            &PhraseOptions::new(),
            &mut deep,
        )
        .unwrap_err();
        assert!(
            matches!(err, ContentError::IncludeTooDeep { max: 16, .. }),
            "{err}"
        );
    }

    #[test]
    fn include_paths_are_lowercased() {
        let mut seen = Vec::new();
        let mut loader = |p: &str| {
            seen.push(p.to_owned());
            Ok(b"<a><1>\n".to_vec())
        };
        let list = PhraseList::parse_with_includes(
            "dir/top",
            b".Include</Lists/Porn> #BETA#\n",
            ListKind::Weighted,
            // An absolute path outside `dir/`: allowed, to see how it is read.
            &PhraseOptions::new().with_allow_include_outside(true),
            &mut loader,
        )
        .unwrap();
        assert_eq!(seen, ["/lists/porn"]);
        assert!(
            list.problems[0]
                .reason
                .contains("reads `/Lists/Porn` as `/lists/porn`"),
            "{}",
            list.problems[0]
        );
    }

    #[test]
    fn tiny_files_are_blank() {
        assert!(parse("<").problems.is_empty());
    }
}
