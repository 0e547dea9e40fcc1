//! The scanner: phrase lists compiled once into an Aho-Corasick automaton
//! over every distinct phrase, with what e2guardian needs to score a pass.
//!
//! The automaton is aho-corasick's contiguous NFA, not its DFA: over
//! Debian's English weighted lists (9,851 phrases) the DFA is 71 MB and
//! takes about 0.5 s to build, the NFA 1.5 MB and under 0.1 s, and the NFA
//! scans faster because it stays in cache (`benches/benches/content.rs`
//! measured 17.6 against 11.2 MiB/s in one run on this machine).

use std::collections::HashMap;
use std::sync::Arc;

use aho_corasick::{MatchKind, nfa::contiguous};

use super::category::{check_id, default_category};
use super::line::{Form, Weight};
use super::list::{ListKind, PhraseList};
use super::normalise::{self, CaseMode, Pass, PassMode};
use super::quick_search::{self, QuickSearch};
use super::stream::ContentStream;
use super::{ContentError, ContentMatches};

/// How weighted phrases count (`weightedphrasemode`).
///
/// ```
/// use esafety::content::Counting;
/// assert_eq!(Counting::default(), Counting::OncePerPass);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Counting {
    /// `weightedphrasemode = 2` (the default): a phrase found in a pass
    /// adds its weight once, however often it occurs.
    #[default]
    OncePerPass,
    /// `weightedphrasemode = 1`: weight × occurrences (a combination: ×
    /// the fewest occurrences of its parts, as e2guardian counts them).
    Occurrences,
}

/// e2guardian's scanning options, at its defaults.
///
/// ```
/// use esafety::content::{CaseMode, Counting, PassMode, ScanOptions};
/// let o = ScanOptions::default();
/// assert_eq!((o.passes, o.case, o.counting), (PassMode::Both, CaseMode::Fold, Counting::OncePerPass));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ScanOptions {
    /// `phrasefiltermode`.
    pub passes: PassMode,
    /// `preservecase`.
    pub case: CaseMode,
    /// `weightedphrasemode`.
    pub counting: Counting,
}

/// One phrase line of the scanner.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub(crate) kind: ListKind,
    /// Index into [`Inner::files`].
    pub(crate) file: u32,
    pub(crate) line: u32,
    /// Index into [`Inner::list_categories`].
    pub(crate) list_category: Option<u32>,
    /// Index into [`Inner::category_ids`].
    pub(crate) category: Option<u32>,
    pub(crate) weight: Weight,
    pub(crate) shape: Shape,
}

/// What a line holds.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Shape {
    /// One phrase (a phrase id).
    Single(u32),
    /// A combination (an index into [`Inner::combis`]).
    Combination(u32),
}

/// A combination line.
#[derive(Debug, Clone)]
pub(crate) struct Combi {
    /// Index into [`Inner::lines`].
    pub(crate) line: u32,
    /// Phrase ids of the parts.
    pub(crate) parts: Vec<u32>,
}

/// What a phrase line means at a limit (e2guardian's item types).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Exception,
    Banned,
    Weighted(i32),
}

impl Line {
    /// The line's role at `limit`: a per-cent weight is `N × limit / 100`
    /// (C integer division, toward zero), and a weight of 0 is none.
    pub(crate) fn role(&self, limit: u32) -> Role {
        let w = match self.weight {
            Weight::None => 0,
            Weight::Points(w) => w,
            Weight::Percent(p) => {
                let v = i64::from(p).saturating_mul(i64::from(limit)) / 100;
                i32::try_from(v).unwrap_or(if v < 0 { i32::MIN } else { i32::MAX })
            }
        };
        match (w, self.kind) {
            (0, ListKind::Exception) => Role::Exception,
            (0, _) => Role::Banned,
            (w, _) => Role::Weighted(w),
        }
    }
}

/// The scanner's data, shared by every stream and result.
#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) options: ScanOptions,
    pub(crate) automaton: contiguous::NFA,
    /// Every distinct phrase (the automaton's pattern ids).
    pub(crate) phrases: Vec<Vec<u8>>,
    pub(crate) lines: Vec<Line>,
    pub(crate) combis: Vec<Combi>,
    /// Per phrase id: the single-phrase lines that list it, in the order
    /// e2guardian settles duplicates in.
    pub(crate) singles: Vec<Vec<u32>>,
    pub(crate) quick: QuickSearch,
    pub(crate) files: Vec<String>,
    pub(crate) list_categories: Vec<String>,
    pub(crate) category_ids: Vec<String>,
    /// The passes over a page and over search terms, with their byte maps.
    pub(crate) page_passes: Vec<(Pass, [u8; 256])>,
    pub(crate) term_passes: Vec<(Pass, [u8; 256])>,
}

impl Inner {
    pub(crate) fn phrase(&self, id: u32) -> &[u8] {
        usize::try_from(id)
            .ok()
            .and_then(|i| self.phrases.get(i))
            .map_or(&[], Vec::as_slice)
    }

    pub(crate) fn line(&self, index: u32) -> Option<&Line> {
        self.lines.get(usize::try_from(index).ok()?)
    }

    pub(crate) fn file(&self, index: u32) -> &str {
        usize::try_from(index)
            .ok()
            .and_then(|i| self.files.get(i))
            .map_or("", String::as_str)
    }
}

/// Builds a [`Scanner`] from phrase lists.
///
/// ```
/// use esafety::content::{ListKind, PhraseList, PhraseOptions, ScannerBuilder};
/// let options = PhraseOptions::new();
/// let weighted = PhraseList::parse("weighted", b"#listcategory: \"Gambling\"\n< poker ><30>\n<casino><30>\n", ListKind::Weighted, &options)?;
/// let exceptions = PhraseList::parse("exceptionphraselist", b"< gambling addiction >\n", ListKind::Exception, &options)?;
/// let mut builder = ScannerBuilder::new();
/// builder.add_list(weighted).add_list(exceptions);
/// let scanner = builder.build()?;
/// let score = scanner.scan(b"<p>Poker and casino night</p>").judge(50);
/// assert_eq!(score.score, 60);
/// assert!(score.blocks());
/// assert_eq!(score.categories.get("gambling"), Some(&60));
/// let help = scanner.scan(b"Help with gambling addiction: poker, casino").judge(50);
/// assert!(!help.blocks()); // an exception phrase allows the page
/// # Ok::<(), esafety::content::ContentError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct ScannerBuilder {
    lists: Vec<(PhraseList, Option<String>)>,
    names: Vec<(String, String)>,
    options: ScanOptions,
}

impl ScannerBuilder {
    /// No lists, e2guardian's default options.
    ///
    /// ```
    /// use esafety::content::ScannerBuilder;
    /// let scanner = ScannerBuilder::new().build()?;
    /// assert_eq!(scanner.phrase_count(), 0);
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn new() -> ScannerBuilder {
        ScannerBuilder::default()
    }

    /// Sets the scanning options.
    ///
    /// ```
    /// use esafety::content::{ListKind, PassMode, PhraseList, PhraseOptions, ScanOptions, ScannerBuilder};
    /// let list = PhraseList::parse("w", b"<sex><60>\n", ListKind::Weighted, &PhraseOptions::new())?;
    /// let mut b = ScannerBuilder::new();
    /// b.add_list(list).options(ScanOptions { passes: PassMode::Smart, ..ScanOptions::default() });
    /// // Only the smart pass: a phrase inside a tag is not seen.
    /// assert_eq!(b.build()?.scan(b"<img alt=\"sex\">").judge(50).score, 0);
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn options(&mut self, options: ScanOptions) -> &mut ScannerBuilder {
        self.options = options;
        self
    }

    /// Adds a list; each of its lines gets the esafety category of its
    /// `#listcategory:` ([`default_category`], or as mapped by
    /// [`ScannerBuilder::map_category`]).
    ///
    /// ```
    /// use esafety::content::{ListKind, PhraseList, PhraseOptions, ScannerBuilder};
    /// let list = PhraseList::parse("w", b"<poker><30>\n", ListKind::Weighted, &PhraseOptions::new())?;
    /// let scanner = ScannerBuilder::new().add_list(list).build()?;
    /// assert_eq!(scanner.phrase_count(), 1);
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn add_list(&mut self, list: PhraseList) -> &mut ScannerBuilder {
        self.lists.push((list, None));
        self
    }

    /// Adds a list whose every line is in esafety category `category`,
    /// whatever its `#listcategory:` says.
    ///
    /// # Errors
    ///
    /// [`ContentError::UnknownCategory`] for an id that is neither
    /// built-in nor `local-`; [`ContentError::StatutoryCategory`] for
    /// `child-abuse` and `terrorism`.
    ///
    /// ```
    /// use esafety::content::{ContentError, ListKind, PhraseList, PhraseOptions, ScannerBuilder};
    /// let list = PhraseList::parse("w", b"#listcategory: \"Sport\"\n< goal ><5>\n", ListKind::Weighted, &PhraseOptions::new())?;
    /// let mut b = ScannerBuilder::new();
    /// b.add_list_as(list.clone(), "local-sport")?;
    /// assert_eq!(b.build()?.scan(b"a goal!").judge(50).categories.get("local-sport"), Some(&5));
    /// assert!(matches!(ScannerBuilder::new().add_list_as(list, "child-abuse"), Err(ContentError::StatutoryCategory { .. })));
    /// # Ok::<(), ContentError>(())
    /// ```
    pub fn add_list_as(
        &mut self,
        list: PhraseList,
        category: &str,
    ) -> Result<&mut ScannerBuilder, ContentError> {
        check_id(category)?;
        self.lists.push((list, Some(category.to_owned())));
        Ok(self)
    }

    /// Maps the e2guardian list category `list_category` (as written in
    /// `#listcategory: "…"`) to esafety category `category`, over the
    /// default.
    ///
    /// # Errors
    ///
    /// As [`ScannerBuilder::add_list_as`].
    ///
    /// ```
    /// use esafety::content::{ListKind, PhraseList, PhraseOptions, ScannerBuilder};
    /// let list = PhraseList::parse("w", b"#listcategory: \"Forums\"\n<forum><5>\n", ListKind::Weighted, &PhraseOptions::new())?;
    /// let mut b = ScannerBuilder::new();
    /// b.add_list(list).map_category("Forums", "social-networking")?;
    /// assert_eq!(b.build()?.scan(b"forum").judge(50).categories.get("social-networking"), Some(&5));
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn map_category(
        &mut self,
        list_category: &str,
        category: &str,
    ) -> Result<&mut ScannerBuilder, ContentError> {
        check_id(category)?;
        self.names
            .push((list_category.to_owned(), category.to_owned()));
        Ok(self)
    }

    /// Compiles the lists, in e2guardian's order (exception lists, then
    /// banned, then weighted; in the order added within each kind).
    ///
    /// # Errors
    ///
    /// [`ContentError::Automaton`] if the phrase automaton cannot be built
    /// (far more phrases than any list holds).
    ///
    /// ```
    /// use esafety::content::{ListKind, PhraseList, PhraseOptions, ScannerBuilder};
    /// let list = PhraseList::parse("w", b"<a><1>\n<b>,<a><2>\n", ListKind::Weighted, &PhraseOptions::new())?;
    /// let scanner = ScannerBuilder::new().add_list(list).build()?;
    /// assert_eq!(scanner.phrase_count(), 2); // `a` and `b`, once each
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn build<'b>(&'b self) -> Result<Scanner, ContentError> {
        let mut order: Vec<&(PhraseList, Option<String>)> = self.lists.iter().collect();
        order.sort_by_key(|(list, _)| list.kind);

        let mut files = Vec::new();
        let mut list_categories: Vec<String> = Vec::new();
        let mut category_ids: Vec<String> = Vec::new();
        let intern_id = |id: &str, ids: &mut Vec<String>| -> Option<u32> {
            let i = match ids.iter().position(|x| x == id) {
                Some(i) => i,
                None => {
                    ids.push(id.to_owned());
                    ids.len().saturating_sub(1)
                }
            };
            u32::try_from(i).ok()
        };
        let mut phrases: Vec<Vec<u8>> = Vec::new();
        // Keyed by the lists' own bytes: each distinct phrase is copied
        // once, into the scanner.
        let mut ids: HashMap<&[u8], u32> = HashMap::new();
        let mut intern = |p: &'b [u8], phrases: &mut Vec<Vec<u8>>| -> u32 {
            if let Some(&id) = ids.get(p) {
                return id;
            }
            let id = u32::try_from(phrases.len()).unwrap_or(u32::MAX);
            phrases.push(p.to_vec());
            ids.insert(p, id);
            id
        };
        let mut lines = Vec::new();
        let mut combis = Vec::new();
        // Every phrase item in e2guardian's reading order: (phrase id,
        // line index, single?).
        let mut items: Vec<(u32, u32, bool)> = Vec::new();
        for (list, override_id) in order {
            let file_base = u32::try_from(files.len()).unwrap_or(u32::MAX);
            files.extend(list.files.iter().cloned());
            // This list's category indexes → the merged tables.
            let mut local = Vec::with_capacity(list.categories.len());
            for name in &list.categories {
                let merged = match list_categories.iter().position(|c| c == name) {
                    Some(i) => i,
                    None => {
                        list_categories.push(name.clone());
                        list_categories.len().saturating_sub(1)
                    }
                };
                let id = self
                    .names
                    .iter()
                    .rev()
                    .find(|(n, _)| n == name)
                    .map(|(_, id)| id.as_str())
                    .or_else(|| default_category(name));
                local.push((u32::try_from(merged).ok(), id));
            }
            let forced = override_id
                .as_deref()
                .and_then(|id| intern_id(id, &mut category_ids));
            for l in &list.lines {
                let at = |i: Option<u32>| {
                    i.and_then(|i| usize::try_from(i).ok())
                        .and_then(|i| local.get(i))
                };
                let list_category = at(l.category).and_then(|(m, _)| *m);
                let category = match forced {
                    Some(f) => Some(f),
                    None => at(l.category)
                        .and_then(|(_, id)| *id)
                        .and_then(|id| intern_id(id, &mut category_ids)),
                };
                let index = u32::try_from(lines.len()).unwrap_or(u32::MAX);
                let shape = match &l.form {
                    Form::Single(None) => continue,
                    Form::Single(Some(p)) => {
                        let id = intern(p, &mut phrases);
                        items.push((id, index, true));
                        Shape::Single(id)
                    }
                    Form::Combination(parts) => {
                        let parts: Vec<u32> =
                            parts.iter().map(|p| intern(p, &mut phrases)).collect();
                        items.extend(parts.iter().map(|&id| (id, index, false)));
                        let c = u32::try_from(combis.len()).unwrap_or(u32::MAX);
                        combis.push(Combi { line: index, parts });
                        Shape::Combination(c)
                    }
                };
                lines.push(Line {
                    kind: list.kind,
                    file: file_base.saturating_add(l.file),
                    line: l.line,
                    list_category,
                    category,
                    weight: l.weight,
                    shape,
                });
            }
        }
        let item_ids: Vec<u32> = items.iter().map(|&(id, _, _)| id).collect();
        let quick = quick_search::build(&item_ids, &phrases);
        let mut singles: Vec<Vec<u32>> = vec![Vec::new(); phrases.len()];
        for &item in &quick.insertion {
            if let Some(&(id, line, true)) = usize::try_from(item).ok().and_then(|i| items.get(i))
                && let Some(s) = usize::try_from(id).ok().and_then(|i| singles.get_mut(i))
            {
                s.push(line);
            }
        }
        let automaton = contiguous::Builder::new()
            .match_kind(MatchKind::Standard)
            .prefilter(false)
            .byte_classes(true)
            .build(&phrases)
            .map_err(|e| ContentError::Automaton(e.to_string()))?;
        let options = self.options;
        let with_maps = |search_terms: bool| {
            normalise::passes(options.passes, options.case, search_terms)
                .into_iter()
                .map(|p| (p, normalise::byte_map(p, options.passes)))
                .collect()
        };
        Ok(Scanner {
            inner: Arc::new(Inner {
                options,
                automaton,
                phrases,
                lines,
                combis,
                singles,
                quick,
                files,
                list_categories,
                category_ids,
                page_passes: with_maps(false),
                term_passes: with_maps(true),
            }),
        })
    }
}

/// Compiled phrase lists: text in, what matched out, scored against a
/// limit with [`ContentMatches::judge`]. Built once, `Send + Sync`, cheap to
/// clone (the data is shared).
///
/// ```
/// use esafety::content::{ListKind, PhraseList, PhraseOptions, ScannerBuilder};
/// let list = PhraseList::parse("weighted", b"< porn ><40>\n<xxx>,<girls><30>\n", ListKind::Weighted, &PhraseOptions::new())?;
/// let scanner = ScannerBuilder::new().add_list(list).build()?;
/// // In pieces, as a proxy sees a body: a phrase split between pieces still counts.
/// let mut stream = scanner.stream();
/// stream.feed(b"<html><body>Free po");
/// stream.feed(b"rn: XXX girls</body></html>");
/// let score = stream.finish().judge(50);
/// assert_eq!(score.score, 70);
/// assert!(score.blocks());
/// assert_eq!(score, scanner.scan(b"<html><body>Free porn: XXX girls</body></html>").judge(50));
/// let worker = std::thread::spawn({ let s = scanner.clone(); move || s.scan(b"porn").judge(50).score });
/// assert_eq!(worker.join().map_err(|_| "panicked")?, 0); // `< porn >` needs a space on both sides
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Scanner {
    pub(crate) inner: Arc<Inner>,
}

impl Scanner {
    /// A stream to feed text to in pieces.
    ///
    /// ```
    /// use esafety::content::ScannerBuilder;
    /// let scanner = ScannerBuilder::new().build()?;
    /// let mut s = scanner.stream();
    /// s.feed(b"nothing to see");
    /// assert_eq!(s.finish().judge(50).score, 0);
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn stream(&self) -> ContentStream {
        ContentStream::new(Arc::clone(&self.inner), false)
    }

    /// Scans a whole text (a page body, bytes as they came).
    ///
    /// ```
    /// use esafety::content::{ListKind, PhraseList, PhraseOptions, ScannerBuilder};
    /// let list = PhraseList::parse("bannedphraselist", b"<sex magazine>\n", ListKind::Banned, &PhraseOptions::new())?;
    /// let scanner = ScannerBuilder::new().add_list(list).build()?;
    /// let score = scanner.scan(b"buy a SEX MAGAZINE").judge(160);
    /// assert!(score.blocks()); // banned: whatever the limit
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn scan(&self, text: &[u8]) -> ContentMatches {
        let mut s = self.stream();
        s.feed(text);
        s.finish()
    }

    /// Scans search terms as e2guardian does: `" " + terms + " "`, one raw
    /// pass (no tag stripping), `+` read as a space. The record side
    /// ([`crate`]'s decision records) hands the terms it extracted.
    ///
    /// ```
    /// use esafety::content::{ListKind, PhraseList, PhraseOptions, ScannerBuilder};
    /// let list = PhraseList::parse("w", b"< porn ><40>\n< free >,< porn ><30>\n", ListKind::Weighted, &PhraseOptions::new())?;
    /// let scanner = ScannerBuilder::new().add_list(list).build()?;
    /// let score = scanner.scan_search_terms(&["free+porn"]).judge(50);
    /// assert_eq!(score.score, 70);
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn scan_search_terms(&self, terms: &[&str]) -> ContentMatches {
        let mut s = ContentStream::new(Arc::clone(&self.inner), true);
        s.feed(&normalise::search_terms_text(terms));
        s.finish()
    }

    /// The number of distinct phrases (a phrase listed twice, or in a
    /// combination and alone, counts once).
    ///
    /// ```
    /// use esafety::content::{ListKind, PhraseList, PhraseOptions, ScannerBuilder};
    /// let list = PhraseList::parse("w", b"<a><1>\n<a><2>\n", ListKind::Weighted, &PhraseOptions::new())?;
    /// assert_eq!(ScannerBuilder::new().add_list(list).build()?.phrase_count(), 1);
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn phrase_count(&self) -> usize {
        self.inner.phrases.len()
    }

    /// The options it scans with.
    ///
    /// ```
    /// use esafety::content::{ScanOptions, ScannerBuilder};
    /// assert_eq!(ScannerBuilder::new().build()?.options(), ScanOptions::default());
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn options(&self) -> ScanOptions {
        self.inner.options
    }

    /// The heap memory of the phrase automaton, in bytes.
    ///
    /// ```
    /// use esafety::content::{ListKind, PhraseList, PhraseOptions, ScannerBuilder};
    /// let list = PhraseList::parse("w", b"<a><1>\n", ListKind::Weighted, &PhraseOptions::new())?;
    /// assert!(ScannerBuilder::new().add_list(list).build()?.automaton_bytes() > 0);
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn automaton_bytes(&self) -> usize {
        use aho_corasick::automaton::Automaton as _;
        self.inner.automaton.memory_usage()
    }

    /// The e2guardian list categories no esafety category was found for
    /// (their phrases still count in the score).
    ///
    /// ```
    /// use esafety::content::{ListKind, PhraseList, PhraseOptions, ScannerBuilder};
    /// let list = PhraseList::parse("w", b"#listcategory: \"Sport\"\n<goal><5>\n", ListKind::Weighted, &PhraseOptions::new())?;
    /// assert_eq!(ScannerBuilder::new().add_list(list).build()?.unmapped_list_categories(), ["Sport"]);
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn unmapped_list_categories(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for l in &self.inner.lines {
            if l.category.is_none()
                && let Some(name) = l
                    .list_category
                    .and_then(|i| usize::try_from(i).ok())
                    .and_then(|i| self.inner.list_categories.get(i))
                && !out.contains(&name.as_str())
            {
                out.push(name);
            }
        }
        out
    }
}
