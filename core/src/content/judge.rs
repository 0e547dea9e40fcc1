//! Scoring what a scan found against a limit, as e2guardian 5.3's
//! `NaughtyFilter::checkphrase` scores each pass and `checkme` combines
//! the passes.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use serde::Serialize;

use super::normalise::Pass;
use super::scanner::{Counting, Inner, Role, Shape};
use super::show;

/// One phrase found in one pass: its id, how often, and where first (input
/// byte offsets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) phrase: u32,
    pub(crate) count: u32,
    pub(crate) start: u64,
    pub(crate) end: u64,
}

/// What one pass found, by phrase id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PassMatches {
    pub(crate) pass: Pass,
    pub(crate) found: Vec<Found>,
}

/// Every phrase a scan found in each of e2guardian's passes. The limit is
/// applied by [`ContentMatches::judge`], as often as needed (a policy with a
/// limit per audience judges one scan several times).
///
/// ```
/// use esafety::content::{ListKind, PhraseList, PhraseOptions, ScannerBuilder};
/// let list = PhraseList::parse("w", b"<poker><60>\n", ListKind::Weighted, &PhraseOptions::new())?;
/// let scanner = ScannerBuilder::new().add_list(list).build()?;
/// let matches = scanner.scan(b"poker night");
/// assert!(matches.judge(50).blocks());
/// assert!(!matches.judge(100).blocks());
/// assert_eq!(matches.len(), 11);
/// # Ok::<(), esafety::content::ContentError>(())
/// ```
#[derive(Debug, Clone)]
pub struct ContentMatches {
    pub(crate) inner: Arc<Inner>,
    pub(crate) passes: Vec<PassMatches>,
    pub(crate) search_terms: bool,
    pub(crate) length: u64,
}

impl PartialEq for ContentMatches {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
            && self.passes == other.passes
            && self.search_terms == other.search_terms
    }
}

/// Block or allow.
///
/// ```
/// use esafety::content::Verdict;
/// assert_eq!(serde_json::to_string(&Verdict::Block)?, "\"block\"");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Over the limit, or a banned phrase.
    Block,
    /// Within the limit, or an exception phrase.
    Allow,
}

/// Why a score has its verdict.
///
/// ```
/// use esafety::content::ScoreReason;
/// assert_eq!(serde_json::to_string(&ScoreReason::BannedCombination)?, "\"banned-combination\"");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScoreReason {
    /// An exception phrase (or combination) allows the page, whatever else
    /// is on it.
    Exception,
    /// A banned phrase blocks the page.
    Banned,
    /// A banned combination blocks the page.
    BannedCombination,
    /// The weighted phrases of a pass add up to more than the limit.
    OverLimit,
    /// No pass went over the limit.
    WithinLimit,
}

/// What a hit did.
///
/// ```
/// use esafety::content::HitKind;
/// assert_eq!(serde_json::to_string(&HitKind::Weighted)?, "\"weighted\"");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HitKind {
    /// Added its weight.
    Weighted,
    /// Blocks.
    Banned,
    /// Allows.
    Exception,
}

/// A phrase line that hit, with what it added.
///
/// ```
/// use esafety::content::{HitKind, ListKind, PhraseList, PhraseOptions, ScannerBuilder};
/// let list = PhraseList::parse("porn", b"#listcategory: \"Pornography\"\n< porn ><40>\n", ListKind::Weighted, &PhraseOptions::new())?;
/// let scanner = ScannerBuilder::new().add_list(list).build()?;
/// let score = scanner.scan(b"free porn, more porn ").judge(50);
/// let hit = &score.hits[0];
/// assert_eq!((hit.phrase.as_str(), hit.kind, hit.weight, hit.count, hit.score), ("< porn >", HitKind::Weighted, 40, 2, 40));
/// assert_eq!((hit.source.as_str(), hit.line, hit.category.as_deref()), ("porn", 2, Some("pornography")));
/// assert_eq!(hit.offsets, [[4, 10]]); // " porn " from byte 4 to 10 of the input
/// # Ok::<(), esafety::content::ContentError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    /// The line's phrase, as a list writes it: `< porn >`, `<xxx>,<girls>`.
    pub phrase: String,
    /// What it did.
    pub kind: HitKind,
    /// Whether it is a combination.
    pub combination: bool,
    /// Its weight (0 for banned and exception phrases).
    pub weight: i64,
    /// How often it occurred in the pass (a combination: the fewest of its
    /// parts, as e2guardian counts it).
    pub count: u32,
    /// What it added to the score: the weight once, or × `count` with
    /// [`Counting::Occurrences`].
    pub score: i64,
    /// Its esafety category, if its list has one.
    pub category: Option<String>,
    /// Its e2guardian list category (`#listcategory:`).
    pub list_category: Option<String>,
    /// The list file it is in.
    pub source: String,
    /// Its line there.
    pub line: usize,
    /// Where each of its phrases first occurred: `[start, end)` byte
    /// offsets in the input.
    pub offsets: Vec<[u64; 2]>,
}

/// A scan judged against a limit: e2guardian's score (the naughtiness it
/// logs), its verdict, and why.
///
/// ```
/// use esafety::content::{ListKind, PhraseList, PhraseOptions, ScannerBuilder, ScoreReason, Verdict};
/// let list = PhraseList::parse("w", b"< poker ><30>\n< casino ><30>\n<education><-25>\n", ListKind::Weighted, &PhraseOptions::new())?;
/// let scanner = ScannerBuilder::new().add_list(list).build()?;
/// let score = scanner.scan(b"<p>poker and casino education</p>").judge(50);
/// assert_eq!((score.score, score.verdict, score.reason), (35, Verdict::Allow, ScoreReason::WithinLimit));
/// let json = serde_json::to_value(&score).map_err(|e| e.to_string())?;
/// assert_eq!(json["verdict"], "allow");
/// assert_eq!(json["categories"], serde_json::json!({}));
/// assert_eq!(json["hits"].as_array().map(Vec::len), Some(3));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContentScore {
    /// The score: the highest positive total of a pass (or, if no pass
    /// was positive, the lowest negative one), as e2guardian logs it.
    pub score: i64,
    /// Block or allow.
    pub verdict: Verdict,
    /// Why.
    pub reason: ScoreReason,
    /// The limit judged against: a pass whose total is over it blocks.
    pub limit: u32,
    /// The pass the hits and categories are from: the one that blocked or
    /// found an exception, else the one whose total is the score.
    pub pass: Option<Pass>,
    /// The positive weight per esafety category in that pass.
    pub categories: BTreeMap<String, i64>,
    /// The phrases that hit in that pass: exceptions, then banned, then
    /// weighted by what they added.
    pub hits: Vec<Hit>,
}

impl ContentScore {
    /// Whether the verdict is [`Verdict::Block`].
    ///
    /// ```
    /// use esafety::content::ScannerBuilder;
    /// assert!(!ScannerBuilder::new().build()?.scan(b"").judge(50).blocks());
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn blocks(&self) -> bool {
        self.verdict == Verdict::Block
    }

    /// The score in words, with the phrases and categories behind it.
    ///
    /// ```
    /// use esafety::content::{ListKind, PhraseList, PhraseOptions, ScannerBuilder};
    /// let list = PhraseList::parse("w", b"#listcategory: \"Gambling\"\n< poker ><60>\n", ListKind::Weighted, &PhraseOptions::new())?;
    /// let scanner = ScannerBuilder::new().add_list(list).build()?;
    /// let text = scanner.scan(b"poker night").judge(50).explain();
    /// assert_eq!(text, "content score 60 is over the limit 50 in the smart (folded) pass: `< poker >` +60 (gambling); categories: gambling 60");
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn explain(&self) -> String {
        let pass = self
            .pass
            .map(|p| format!(" in the {p} pass"))
            .unwrap_or_default();
        let listed = |kind: HitKind| -> Vec<String> {
            self.hits
                .iter()
                .filter(|h| h.kind == kind)
                .map(|h| format!("`{}` ({}:{})", h.phrase, h.source, h.line))
                .collect()
        };
        let mut out = match self.reason {
            ScoreReason::Exception => format!(
                "exception {} allows the content{pass}",
                listed(HitKind::Exception).join(", ")
            ),
            ScoreReason::Banned | ScoreReason::BannedCombination => format!(
                "banned {} blocks the content{pass}",
                listed(HitKind::Banned).join(", ")
            ),
            ScoreReason::OverLimit => format!(
                "content score {} is over the limit {}{pass}",
                self.score, self.limit
            ),
            ScoreReason::WithinLimit => format!(
                "content score {} is within the limit {}{pass}",
                self.score, self.limit
            ),
        };
        if matches!(
            self.reason,
            ScoreReason::OverLimit | ScoreReason::WithinLimit
        ) {
            let weighted: Vec<String> = self
                .hits
                .iter()
                .filter(|h| h.kind == HitKind::Weighted)
                .map(|h| {
                    let cat = h
                        .category
                        .as_deref()
                        .map(|c| format!(" ({c})"))
                        .unwrap_or_default();
                    format!("`{}` {:+}{cat}", h.phrase, h.score)
                })
                .collect();
            if !weighted.is_empty() {
                let _ = write!(out, ": {}", weighted.join(", "));
            }
        }
        if !self.categories.is_empty() {
            let cats: Vec<String> = self
                .categories
                .iter()
                .map(|(c, s)| format!("{c} {s}"))
                .collect();
            let _ = write!(out, "; categories: {}", cats.join(", "));
        }
        out
    }
}

/// The outcome of one pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Exception,
    BannedCombination,
    Banned,
    OverLimit,
    WithinLimit,
}

/// A pass's verdict, with its hits as line indexes and counts: only the
/// deciding pass's hits are made into [`Hit`]s (names, offsets), so a
/// scan allocates nothing per phrase in the passes that do not decide.
struct Checked {
    outcome: Outcome,
    weighting: i64,
    hits: Vec<Pending>,
    /// The found phrases behind the hits, each hit's a range of them.
    parts: Vec<Found>,
}

/// A hit before it is named.
#[derive(Debug, Clone, Copy)]
struct Pending {
    line: u32,
    kind: HitKind,
    weight: i64,
    count: u32,
    score: i64,
    /// Its parts in [`Checked::parts`].
    parts: (usize, usize),
}

/// Whether `new` replaces `cur` when e2guardian meets a phrase listed
/// twice (`graphAdd`): an exception always, a banned phrase over a
/// weighted one, a heavier weight over a lighter one.
fn replaces(cur: Role, new: Role) -> bool {
    match (cur, new) {
        (_, Role::Exception) => true,
        (Role::Weighted(_), Role::Banned) => true,
        (Role::Weighted(a), Role::Weighted(b)) => b > a,
        _ => false,
    }
}

impl ContentMatches {
    /// Judges the scan against `limit` (e2guardian's `naughtynesslimit`):
    /// per pass, in order, the combinations (all parts found) and single
    /// phrases add up; an exception allows, a banned phrase blocks, a total
    /// over the limit blocks; the next pass runs only if this one did none
    /// of these.
    ///
    /// ```
    /// use esafety::content::{ListKind, PhraseList, PhraseOptions, ScannerBuilder, ScoreReason};
    /// let list = PhraseList::parse("w", b"<breast><20>\n<breast>,<cancer><-30>\n", ListKind::Weighted, &PhraseOptions::new())?;
    /// let scanner = ScannerBuilder::new().add_list(list).build()?;
    /// assert_eq!(scanner.scan(b"breast").judge(10).reason, ScoreReason::OverLimit);
    /// assert_eq!(scanner.scan(b"breast cancer screening").judge(10).score, -10);
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn judge(&self, limit: u32) -> ContentScore {
        let mut naughtiness: i64 = 0;
        let mut best: Option<usize> = None;
        let mut decided: Option<(usize, Outcome)> = None;
        let mut checked: Vec<Checked> = Vec::with_capacity(self.passes.len());
        for (i, pass) in self.passes.iter().enumerate() {
            let c = self.check(pass, limit);
            let outcome = c.outcome;
            if outcome != Outcome::Exception {
                let w = c.weighting;
                let n = naughtiness;
                if (w < 0 && n <= 0 && w < n) || (n >= 0 && w > n) || (n < 0 && w > 0) {
                    naughtiness = w;
                    best = Some(i);
                }
            }
            checked.push(c);
            if outcome != Outcome::WithinLimit {
                decided = Some((i, outcome));
                break;
            }
        }
        let (at, outcome) = decided.unwrap_or((best.unwrap_or(0), Outcome::WithinLimit));
        let (verdict, reason) = match outcome {
            Outcome::Exception => (Verdict::Allow, ScoreReason::Exception),
            Outcome::BannedCombination => (Verdict::Block, ScoreReason::BannedCombination),
            Outcome::Banned => (Verdict::Block, ScoreReason::Banned),
            Outcome::OverLimit => (Verdict::Block, ScoreReason::OverLimit),
            Outcome::WithinLimit => (Verdict::Allow, ScoreReason::WithinLimit),
        };
        let pass = self.passes.get(at).map(|p| p.pass);
        let mut hits: Vec<Hit> = match checked.into_iter().nth(at) {
            Some(c) => c
                .hits
                .iter()
                .filter_map(|p| self.hit(p, c.parts.get(p.parts.0..p.parts.1).unwrap_or_default()))
                .collect(),
            None => Vec::new(),
        };
        let order = |k: HitKind| match k {
            HitKind::Exception => 0,
            HitKind::Banned => 1,
            HitKind::Weighted => 2,
        };
        hits.sort_by(|a, b| {
            order(a.kind)
                .cmp(&order(b.kind))
                .then(b.score.cmp(&a.score))
                .then_with(|| a.phrase.cmp(&b.phrase))
        });
        let mut categories = BTreeMap::new();
        for h in &hits {
            if h.kind == HitKind::Weighted
                && h.score > 0
                && let Some(c) = &h.category
            {
                let e = categories.entry(c.clone()).or_insert(0i64);
                *e = e.saturating_add(h.score);
            }
        }
        ContentScore {
            score: naughtiness,
            verdict,
            reason,
            limit,
            pass,
            categories,
            hits,
        }
    }

    /// Whether these are search terms ([`super::Scanner::scan_search_terms`]).
    ///
    /// ```
    /// use esafety::content::ScannerBuilder;
    /// let scanner = ScannerBuilder::new().build()?;
    /// assert!(scanner.scan_search_terms(&["x"]).is_search_terms());
    /// assert!(!scanner.scan(b"x").is_search_terms());
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn is_search_terms(&self) -> bool {
        self.search_terms
    }

    /// The bytes scanned (search terms: with the spaces e2guardian adds).
    ///
    /// ```
    /// use esafety::content::ScannerBuilder;
    /// assert_eq!(ScannerBuilder::new().build()?.scan_search_terms(&["ab"]).len(), 4);
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn len(&self) -> u64 {
        self.length
    }

    /// Whether nothing was scanned.
    ///
    /// ```
    /// use esafety::content::ScannerBuilder;
    /// assert!(ScannerBuilder::new().build()?.scan(b"").is_empty());
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// The passes made, in order.
    ///
    /// ```
    /// use esafety::content::{ScannerBuilder, Text};
    /// let m = ScannerBuilder::new().build()?.scan(b"x");
    /// let texts: Vec<Text> = m.passes().map(|p| p.text).collect();
    /// assert_eq!(texts, [Text::Smart, Text::Raw]);
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn passes(&self) -> impl Iterator<Item = Pass> + '_ {
        self.passes.iter().map(|p| p.pass)
    }

    /// The single-phrase line that decides what a phrase is at `limit`.
    fn resolve(&self, phrase: u32, limit: u32) -> Option<(Role, u32)> {
        let lines = usize::try_from(phrase)
            .ok()
            .and_then(|i| self.inner.singles.get(i))?;
        let mut cur: Option<(Role, u32)> = None;
        for &l in lines {
            let Some(line) = self.inner.line(l) else {
                continue;
            };
            let role = line.role(limit);
            cur = match cur {
                Some((c, cl)) if !replaces(c, role) => Some((c, cl)),
                _ => Some((role, l)),
            };
        }
        cur
    }

    /// Names a hit: its phrase, category, list and offsets.
    fn hit(&self, p: &Pending, parts: &[Found]) -> Option<Hit> {
        let line = self.inner.line(p.line)?;
        let (kind, weight, count, score) = (p.kind, p.weight, p.count, p.score);
        let inner = &self.inner;
        let phrase = match line.shape {
            Shape::Single(id) => format!("<{}>", show(inner.phrase(id))),
            Shape::Combination(c) => usize::try_from(c)
                .ok()
                .and_then(|c| inner.combis.get(c))
                .map(|c| {
                    c.parts
                        .iter()
                        .map(|&p| format!("<{}>", show(inner.phrase(p))))
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .unwrap_or_default(),
        };
        let name = |i: Option<u32>, table: &[String]| {
            i.and_then(|i| usize::try_from(i).ok())
                .and_then(|i| table.get(i))
                .cloned()
        };
        Some(Hit {
            phrase,
            kind,
            combination: matches!(line.shape, Shape::Combination(_)),
            weight,
            count,
            score,
            category: name(line.category, &inner.category_ids),
            list_category: name(line.list_category, &inner.list_categories),
            source: inner.file(line.file).to_owned(),
            line: usize::try_from(line.line).unwrap_or(usize::MAX),
            offsets: parts.iter().map(|f| [f.start, f.end]).collect(),
        })
    }

    /// `checkphrase`: one pass at `limit`.
    fn check(&self, pass: &PassMatches, limit: u32) -> Checked {
        let inner = &self.inner;
        let once = inner.options.counting == Counting::OncePerPass;
        let found = |id: u32| -> Option<&Found> {
            pass.found
                .binary_search_by_key(&id, |f| f.phrase)
                .ok()
                .and_then(|i| pass.found.get(i))
        };
        let mut weighting: i64 = 0;
        let mut hits = Vec::new();
        let mut found_parts: Vec<Found> = Vec::new();
        let pending = |line: u32,
                       kind: HitKind,
                       weight: i64,
                       count: u32,
                       score: i64,
                       from: usize,
                       to: usize| Pending {
            line,
            kind,
            weight,
            count,
            score,
            parts: (from, to),
        };
        let mut banned_combination = false;
        let mut banned = false;
        let mut exception = false;
        // e2guardian keeps the fewest occurrences across consecutive
        // combinations that all matched: it resets the count only after
        // one that did not.
        let mut lowest: u32 = 0;
        for combi in &inner.combis {
            let from = found_parts.len();
            let mut all = true;
            for &p in &combi.parts {
                match found(p) {
                    Some(f) => {
                        if lowest == 0 || lowest > f.count {
                            lowest = f.count;
                        }
                        found_parts.push(*f);
                    }
                    None => {
                        all = false;
                        break;
                    }
                }
            }
            if !all {
                found_parts.truncate(from);
                lowest = 0;
                continue;
            }
            let to = found_parts.len();
            let Some(line) = inner.line(combi.line) else {
                continue;
            };
            let l = combi.line;
            match line.role(limit) {
                Role::Exception => {
                    exception = true;
                    hits.push(pending(l, HitKind::Exception, 0, lowest, 0, from, to));
                }
                Role::Weighted(w) if !exception => {
                    let times = if once { 1 } else { i64::from(lowest) };
                    let added = i64::from(w).saturating_mul(times);
                    weighting = weighting.saturating_add(added);
                    hits.push(pending(
                        l,
                        HitKind::Weighted,
                        i64::from(w),
                        lowest,
                        added,
                        from,
                        to,
                    ));
                }
                Role::Banned if !exception => {
                    banned_combination = true;
                    hits.push(pending(l, HitKind::Banned, 0, lowest, 0, from, to));
                }
                _ => found_parts.truncate(from),
            }
        }
        for f in &pass.found {
            let Some((role, l)) = self.resolve(f.phrase, limit) else {
                continue;
            };
            if inner.line(l).is_none() {
                continue;
            }
            let from = found_parts.len();
            found_parts.push(*f);
            let to = found_parts.len();
            match role {
                Role::Exception => {
                    exception = true;
                    hits.push(pending(l, HitKind::Exception, 0, f.count, 0, from, to));
                }
                Role::Banned => {
                    banned = true;
                    hits.push(pending(l, HitKind::Banned, 0, f.count, 0, from, to));
                }
                Role::Weighted(w) => {
                    let times = if once { 1 } else { i64::from(f.count) };
                    let added = i64::from(w).saturating_mul(times);
                    weighting = weighting.saturating_add(added);
                    hits.push(pending(
                        l,
                        HitKind::Weighted,
                        i64::from(w),
                        f.count,
                        added,
                        from,
                        to,
                    ));
                }
            }
        }
        let outcome = if exception {
            hits.retain(|h| h.kind == HitKind::Exception);
            Outcome::Exception
        } else if banned_combination {
            Outcome::BannedCombination
        } else if banned {
            Outcome::Banned
        } else if weighting > i64::from(limit) {
            Outcome::OverLimit
        } else {
            Outcome::WithinLimit
        };
        Checked {
            outcome,
            weighting,
            hits,
            parts: found_parts,
        }
    }
}
