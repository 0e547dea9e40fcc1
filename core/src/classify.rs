//! Classification of a canonical URL against a compiled bundle.
//!
//! # Matching semantics
//!
//! A [`Classifier`] matches a [`CanonicalUrl`] against every entry of its
//! [`Bundle`]:
//!
//! - **Domain** entries match the host and every subdomain on a label
//!   boundary, at any depth: `example.com` matches `example.com` and
//!   `a.b.example.com`, never `notexample.com` or `example.com.evil.test`.
//!   A domain that is an IP address matches only that address. The
//!   expression reported is the listed host followed by `/`.
//! - **URL** entries match through the Safe Browsing lookup expressions
//!   ([`CanonicalUrl::expressions`]): a listed `host/path` matches that
//!   page with any query or none, a listed `host/path?query` only with that
//!   query; neither widens to the domain or to other paths. Subdomains are
//!   covered as far as the lookup expressions go (`www.` present only in
//!   the URL still matches).
//! - **URL-prefix** entries (`host/dir/`) match everything below them at any
//!   path depth (not only the first path components the lookup expressions
//!   cover), on the listed host and its subdomains. A prefix that does not
//!   end in `/` matches only on a path boundary (`/dir` matches `/dir`,
//!   `/dir/x` and `/dir?q`, not `/directory`). The expression reported is
//!   the listed prefix.
//! - **String-prefix** entries (Adblock `||host/path`,
//!   [`EntryKind::UrlStringPrefix`](crate::lists::EntryKind::UrlStringPrefix))
//!   match like URL-prefix entries but need no path boundary: every URL on
//!   the listed host or a subdomain whose `host/path?query` starts with
//!   the entry (`qq.com/stats?` matches `tajs.qq.com/stats?sId=1`,
//!   `multporn.net/frunti_` matches `/frunti_punti.js`). Where one key is
//!   a boundary prefix in one list and a string prefix in another, a URL
//!   that continues the key on a boundary (`/key/x`) matches both, one
//!   that continues it otherwise (`/keyXYZ`) only the string-prefix list.
//!   The expression reported is the listed prefix.
//! - **Regex** entries match anywhere in
//!   [`CanonicalUrl::host_and_path_query`] (`host/path?query`, its `%XX`
//!   escapes decoded, byte-oriented); e2guardian expressions
//!   ([`EntryKind::E2guardianExpression`](crate::lists::EntryKind::E2guardianExpression))
//!   see it with one trailing `/` chopped off, as e2guardian does. The
//!   expression reported is `regex:` followed by the pattern.
//! - **Sensitive lists** (`child-abuse`, `terrorism`) hold only digests of
//!   lookup expressions (a domain entry is the expression `host/`): they
//!   match like URL entries, and the expression reported is the digest id
//!   `sha256:` + 16 hex digits, never the URL (DESIGN.md invariant 2).
//! - **Allow amendments** (lists added with
//!   [`BundleBuilder::add_allow_list`](crate::bundle::BundleBuilder::add_allow_list))
//!   match with the same rules; when one matches, every match of a
//!   non-statutory category is dropped. Matches of `child-abuse` and
//!   `terrorism` are never dropped: nothing can unblock them (the statutory
//!   baseline, DESIGN.md invariant 1).
//!
//! Matches are sorted by list name, then expression, without duplicates.
//!
//! ```
//! use esafety::classify::Classifier;
//! use esafety::Category;
//!
//! let classifier = Classifier::new(esafety::sample::bundle()?);
//! let c = classifier.classify_str("https://WWW.Bet365.com/en/sports?x=1")?;
//! assert!(c.categories.contains(Category::Gambling));
//! assert_eq!(c.matches[0].expression, "bet365.com/");
//! assert!(classifier.classify_str("https://notbet365.com/")?.categories.is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::bundle::{Bundle, ListRole};
use crate::taxonomy::{Category, CategorySet};
use crate::url::{CanonicalUrl, UrlError};

/// What a classifier found for one URL: the union of the categories and
/// every match behind them (DESIGN.md invariant 3: every decision explains
/// itself).
///
/// ```
/// use esafety::Category;
/// let classifier = esafety::classify::Classifier::new(esafety::sample::bundle()?);
/// let c = classifier.classify_str("https://www.youtube.com/watch?v=1")?;
/// assert_eq!(c.categories.iter().collect::<Vec<_>>(), [Category::Streaming]);
/// assert_eq!(c.matches.len(), 1);
/// assert!(classifier.classify_str("https://example.org/")?.matches.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Classification<'b> {
    /// The union of the categories of `matches`.
    pub categories: CategorySet,
    /// Every list entry that matched, in a deterministic order.
    pub matches: Vec<Match<'b>>,
}

/// One list entry that matched a URL.
///
/// ```
/// use esafety::Category;
/// let classifier = esafety::classify::Classifier::new(esafety::sample::bundle()?);
/// let c = classifier.classify_str("https://iwf-test.esafety.invalid/abuse/page-1.html")?;
/// let m = c.matches.first().ok_or("no match")?;
/// assert_eq!((m.list, m.category, m.category_id), ("sample-iwf", Category::ChildAbuse, "child-abuse"));
/// // A sensitive match reports a digest id, never the URL (DESIGN.md invariant 2).
/// assert!(m.expression.starts_with("sha256:") && m.expression.len() == 23);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match<'b> {
    /// The name of the source list (as given when the bundle was compiled).
    pub list: &'b str,
    /// The category of that list.
    pub category: Category,
    /// The stable id of `category` (`local-…` names resolved from the bundle).
    pub category_id: &'b str,
    /// The lookup expression that hit (`host/path`), or for a sensitive list
    /// (`child-abuse`, `terrorism`) a digest id (`sha256:` + 16 hex digits),
    /// never the URL.
    pub expression: String,
}

/// Matches canonical URLs against a [`Bundle`].
///
/// Immutable and `Send + Sync` (when the bundle bytes are): share one
/// behind an `Arc` across threads; replace the `Arc` to swap bundles. A
/// classification allocates nothing for a URL that matches nothing, and
/// only the result (one `String` per match) for one that does.
///
/// ```
/// use std::sync::Arc;
/// use esafety::classify::Classifier;
/// let classifier = Arc::new(Classifier::new(esafety::sample::bundle()?));
/// let worker = {
///     let classifier = Arc::clone(&classifier);
///     std::thread::spawn(move || classifier.classify_str("https://www.twitch.tv/").map(|c| c.categories))
/// };
/// let here = classifier.classify_str("https://www.twitch.tv/")?.categories;
/// assert_eq!(worker.join().map_err(|_| "thread panicked")??, here);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Classifier<B = Vec<u8>> {
    bundle: Bundle<B>,
}

impl<B> fmt::Debug for Classifier<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Classifier")
            .field("bundle", &self.bundle)
            .finish()
    }
}

impl<B: AsRef<[u8]>> From<Bundle<B>> for Classifier<B> {
    fn from(bundle: Bundle<B>) -> Self {
        Classifier::new(bundle)
    }
}

/// Where a host walk found a host with path entries (the start of the host
/// suffix in the host).
const MAX_FLAGGED: usize = 8;

impl<B: AsRef<[u8]>> Classifier<B> {
    /// A classifier over `bundle`.
    ///
    /// ```
    /// use esafety::bundle::Bundle;
    /// use esafety::classify::Classifier;
    /// let bytes = esafety::sample::bundle_bytes();
    /// let classifier = Classifier::new(Bundle::from_bytes(&bytes[..])?);
    /// assert!(!classifier.classify_str("http://bing.com/")?.categories.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(bundle: Bundle<B>) -> Classifier<B> {
        Classifier { bundle }
    }

    /// The bundle it matches against.
    ///
    /// ```
    /// let classifier = esafety::classify::Classifier::new(esafety::sample::bundle()?);
    /// assert_eq!(classifier.bundle().as_bytes(), esafety::sample::bundle_bytes());
    /// # Ok::<(), esafety::bundle::BundleError>(())
    /// ```
    pub fn bundle(&self) -> &Bundle<B> {
        &self.bundle
    }

    /// Gives the bundle back.
    ///
    /// ```
    /// let bundle = esafety::sample::bundle()?;
    /// let lists = bundle.lists().to_vec();
    /// let classifier = esafety::classify::Classifier::new(bundle);
    /// assert_eq!(classifier.into_bundle().lists(), lists);
    /// # Ok::<(), esafety::bundle::BundleError>(())
    /// ```
    pub fn into_bundle(self) -> Bundle<B> {
        self.bundle
    }

    /// Canonicalizes `input` and classifies it.
    ///
    /// ```
    /// use esafety::{Category, UrlError};
    /// let classifier = esafety::classify::Classifier::new(esafety::sample::bundle()?);
    /// // Spelling tricks canonicalize away: case, trailing dots, escapes, dotted paths.
    /// let c = classifier.classify_str("HTTP://WWW.BET365.COM.../%2e/en/")?;
    /// assert!(c.categories.contains(Category::Gambling));
    /// assert!(matches!(classifier.classify_str("mailto:a@b.example"), Err(UrlError::UnsupportedScheme { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The [`UrlError`] if `input` is not a URL that can be canonicalized.
    pub fn classify_str(&self, input: &str) -> Result<Classification<'_>, UrlError> {
        Ok(self.classify(&CanonicalUrl::parse(input)?))
    }

    /// Canonicalizes `input`, classifies it and returns the report every
    /// face prints for `classify --json`.
    ///
    /// # Errors
    ///
    /// The [`UrlError`] if `input` is not a URL that can be canonicalized.
    ///
    /// ```
    /// use esafety::classify::Classifier;
    /// let classifier = Classifier::new(esafety::sample::bundle()?);
    /// let report = classifier.report("http://www.youtube.com/watch?v=1")?;
    /// assert_eq!(report.categories, ["streaming"]);
    /// assert_eq!(
    ///     serde_json::to_string(&report)?,
    ///     r#"{"url":"http://www.youtube.com/watch?v=1","canonical":"http://www.youtube.com/watch?v=1","categories":["streaming"],"matches":[{"list":"sample-streaming","category":"streaming","expression":"youtube.com/"}]}"#
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn report(&self, input: &str) -> Result<ClassificationReport, UrlError> {
        let url = CanonicalUrl::parse(input)?;
        let c = self.classify(&url);
        Ok(ClassificationReport::new(input, &url, &c))
    }

    /// Classifies a canonical URL (see the [module docs](self) for the
    /// matching rules).
    ///
    /// ```
    /// use esafety::CanonicalUrl;
    /// let classifier = esafety::classify::Classifier::new(esafety::sample::bundle()?);
    /// // The allow amendment unblocks one subreddit, not the rest of the site.
    /// let allowed = classifier.classify(&CanonicalUrl::parse("https://www.reddit.com/r/learnprogramming/")?);
    /// let blocked = classifier.classify(&CanonicalUrl::parse("https://www.reddit.com/r/other/")?);
    /// assert!(allowed.categories.is_empty());
    /// assert!(!blocked.categories.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn classify(&self, url: &CanonicalUrl) -> Classification<'_> {
        let mut out = Classification::default();
        let mut allowed = false;
        let host = url.host().as_bytes();
        let hpq = url.host_and_path_query();

        // 1. Domains: one walk along the reversed host visits every
        //    label-boundary suffix; note the suffixes that have path entries.
        let mut flagged = [0usize; MAX_FLAGGED];
        let mut n_flagged = 0usize;
        let mut flag_overflow = false;
        {
            // A malformed node ends the walk like a missing transition
            // (see `bundle::fst_reader`): no match, never a panic.
            let fst = self.bundle.hosts_fst();
            let mut node = fst.root();
            let mut acc = 0u64;
            let len = host.len();
            for (k, &byte) in host.iter().rev().enumerate() {
                let Some((output, next)) = fst.step(node, byte) else {
                    break;
                };
                acc = acc.wrapping_add(output);
                node = next;
                let start = len - 1 - k;
                let boundary = start == 0 || (!url.is_ip() && host.get(start - 1) == Some(&b'.'));
                if node.is_final()
                    && boundary
                    && let Some(fin) = fst.final_output(node)
                {
                    let v = acc.wrapping_add(fin);
                    let set = usize::try_from(v >> 1).unwrap_or(0);
                    if set != 0 {
                        let expr = || {
                            let mut s = String::with_capacity(len - start + 1);
                            s.push_str(url.host().get(start..).unwrap_or_default());
                            s.push('/');
                            s
                        };
                        self.push_set(&mut out.matches, &mut allowed, set, expr);
                    }
                    if v & 1 == 1 {
                        match flagged.get_mut(n_flagged) {
                            Some(slot) => {
                                *slot = start;
                                n_flagged += 1;
                            }
                            None => flag_overflow = true,
                        }
                    }
                }
            }
        }

        // 2. URL and URL-prefix entries, only under hosts that have them.
        if self.bundle.has_paths && (n_flagged > 0 || flag_overflow) {
            // Case-ignoring entries are keyed folded: a second, folded
            // lookup only for a request with ASCII capitals (the host is
            // lowercase already), and only in a bundle that has them.
            let fold =
                !self.bundle.folded_sets.is_empty() && hpq.bytes().any(|b| b.is_ascii_uppercase());
            for &start in flagged.get(..n_flagged).unwrap_or_default() {
                self.match_paths(url, hpq, start, fold, &mut out.matches, &mut allowed);
            }
            if flag_overflow {
                // More flagged suffixes than slots: check every suffix the
                // slots did not cover.
                let covered = flagged.get(..n_flagged).unwrap_or_default();
                for (start, _) in std::iter::once((0, 0))
                    .chain(url.host().match_indices('.').map(|(i, _)| (i + 1, 0)))
                {
                    if !covered.contains(&start) {
                        self.match_paths(url, hpq, start, fold, &mut out.matches, &mut allowed);
                    }
                }
            }
        }

        // 3. squidGuard `urls` lines: string prefixes of the request, on
        //    the host itself or after squidGuard's `www` chop.
        if self.bundle.counts.host_prefixes > 0 {
            self.match_host_prefixes(url, hpq, &mut out.matches, &mut allowed);
        }

        // 4. Sensitive digests, behind the host gate.
        if !self.bundle.digest_range.is_empty() {
            self.match_digests(url, &mut out.matches);
        }

        // 5. Regexes over the decoded host/path?query.
        if !self.bundle.automata.is_empty() {
            self.match_regexes(hpq, &mut out.matches, &mut allowed);
        }

        if allowed {
            out.matches.retain(|m| m.category.is_statutory());
        }
        if out.matches.len() > 1 {
            crate::sorted::sort_by(&mut out.matches, |a, b| {
                (a.list, &a.expression).cmp(&(b.list, &b.expression))
            });
            out.matches.dedup();
        }
        out.categories = out.matches.iter().map(|m| m.category).collect();
        out
    }

    /// URL-prefix entries along `host/path?query` from host offset `start`,
    /// and exact URL entries through the lookup expressions on that host;
    /// with `fold`, also the case-ignoring entries at the folded keys.
    fn match_paths<'s>(
        &'s self,
        url: &CanonicalUrl,
        hpq: &str,
        start: usize,
        fold: bool,
        matches: &mut Vec<Match<'s>>,
        allowed: &mut bool,
    ) {
        let Some(key) = hpq.get(start..) else { return };
        self.match_prefixes(key, false, matches, allowed);
        if fold {
            self.match_prefixes(key, true, matches, allowed);
        }
        let Some(host) = url.host().get(start..) else {
            return;
        };
        // Exact entries on this host suffix with the URL's lookup paths
        // (path and query, path, prefixes): every flagged suffix, not only
        // the five hosts of the Safe Browsing expressions, so a page listed
        // under a host of six or more labels is found when the request
        // adds `www.`.
        let fst = self.bundle.paths_fst();
        let own = url.host();
        for e in url.expressions().take_while(|e| e.host() == own) {
            let path = e.path();
            if let Some(v) = fst.get_parts(host.as_bytes(), path.as_bytes()) {
                let set = usize::try_from(v & 0xffff_ffff).unwrap_or(0);
                if set != 0 {
                    self.push_set(matches, allowed, set, || format!("{host}{path}"));
                }
            }
            if fold
                && path.bytes().any(|b| b.is_ascii_uppercase())
                && let Some(v) = fst.get_parts_folded(host.as_bytes(), path.as_bytes())
            {
                let set = usize::try_from(v & 0xffff_ffff).unwrap_or(0);
                if set != 0 {
                    self.push_folded_set(matches, allowed, set, || {
                        format!("{host}{path}").to_ascii_lowercase()
                    });
                }
            }
        }
    }

    /// URL-prefix entries along `key` (`host/path?query` from a host
    /// suffix): every entry, or with `folded` the case-ignoring entries at
    /// the ASCII-lowercased key. Where a listed prefix ends off a path
    /// boundary, only its string-prefix lists match.
    fn match_prefixes<'s>(
        &'s self,
        key: &str,
        folded: bool,
        matches: &mut Vec<Match<'s>>,
        allowed: &mut bool,
    ) {
        let fst = self.bundle.paths_fst();
        let bytes = key.as_bytes();
        let mut node = fst.root();
        let mut acc = 0u64;
        for (k, &byte) in bytes.iter().enumerate() {
            let byte = if folded {
                byte.to_ascii_lowercase()
            } else {
                byte
            };
            let Some((output, next)) = fst.step(node, byte) else {
                break;
            };
            acc = acc.wrapping_add(output);
            node = next;
            if node.is_final()
                && let Some(fin) = fst.final_output(node)
            {
                let v = acc.wrapping_add(fin);
                let set = usize::try_from(v >> 32).unwrap_or(0);
                if set == 0 {
                    continue;
                }
                let end = k + 1;
                let expression = || key.get(..end).unwrap_or_default().to_owned();
                let boundary = byte == b'/' || matches!(bytes.get(end), None | Some(b'/' | b'?'));
                if boundary {
                    if folded {
                        self.push_folded_set(matches, allowed, set, || {
                            expression().to_ascii_lowercase()
                        });
                    } else {
                        self.push_set(matches, allowed, set, expression);
                    }
                } else if !self.bundle.string_sets.is_empty() {
                    // Off a path boundary only string prefixes match.
                    self.push_string_set(matches, allowed, set, folded, || {
                        let e = expression();
                        if folded { e.to_ascii_lowercase() } else { e }
                    });
                }
            }
        }
    }

    /// squidGuard `urls` entries: every listed key that the lowercased
    /// `host/path?query` starts with, from the host itself and from the
    /// host after squidGuard's `www`/`web`/`ftp` chop (see
    /// [`squidguard_chop`](crate::lists::squidguard_chop)).
    fn match_host_prefixes<'s>(
        &'s self,
        url: &CanonicalUrl,
        hpq: &str,
        matches: &mut Vec<Match<'s>>,
        allowed: &mut bool,
    ) {
        let host = url.host();
        let chopped = if url.is_ip() {
            None
        } else {
            crate::lists::squidguard_chop(host).map(|rest| host.len() - rest.len())
        };
        for start in std::iter::once(0).chain(chopped) {
            let Some(key) = hpq.get(start..) else {
                continue;
            };
            let fst = self.bundle.host_prefixes_fst();
            let mut node = fst.root();
            let mut acc = 0u64;
            for (k, byte) in key.bytes().enumerate() {
                let Some((output, next)) = fst.step(node, byte.to_ascii_lowercase()) else {
                    break;
                };
                acc = acc.wrapping_add(output);
                node = next;
                if node.is_final()
                    && let Some(fin) = fst.final_output(node)
                {
                    let set = usize::try_from(acc.wrapping_add(fin)).unwrap_or(0);
                    if set != 0 {
                        self.push_set(matches, allowed, set, || {
                            key.get(..=k).unwrap_or_default().to_ascii_lowercase()
                        });
                    }
                }
            }
        }
    }

    /// Regex entries: each automaton over the canonical `host/path?query`,
    /// escapes decoded, as its input has it.
    fn match_regexes<'s>(&'s self, hpq: &str, matches: &mut Vec<Match<'s>>, allowed: &mut bool) {
        let view = decoded(hpq);
        for automaton in &self.bundle.automata {
            automaton.matches(automaton.input.view(&view), &mut |pattern| {
                let Some(r) = automaton
                    .patterns
                    .get(pattern)
                    .and_then(|&i| self.bundle.regexes.get(i as usize))
                else {
                    return;
                };
                let id = usize::from(r.list);
                let exists = matches.iter().any(|m| {
                    m.expression.strip_prefix("regex:") == Some(r.pattern.as_str())
                        && self
                            .bundle
                            .lists
                            .get(id)
                            .is_some_and(|l| l.name() == m.list)
                });
                if !exists {
                    self.push_list(matches, allowed, id, || format!("regex:{}", r.pattern));
                }
            });
        }
    }

    /// Digest matches for the expressions on hosts that pass the gate.
    fn match_digests<'s>(&'s self, url: &CanonicalUrl, matches: &mut Vec<Match<'s>>) {
        let bytes = self.bundle.as_bytes();
        let gate = self.bundle.gate();
        let digests = bytes
            .get(self.bundle.digest_range.clone())
            .unwrap_or_default();
        let mut ignored_allow = false;
        let own = url.host();
        for h in host_suffixes(own, url.is_ip()) {
            if !self.bundle.ungated_digests && !gate.may_contain(h.as_bytes()) {
                continue;
            }
            // The lookup paths with every host suffix, not only the five
            // hosts of the Safe Browsing expressions: a listed page under
            // a host of six or more labels is found with `www.` added too.
            for e in url.expressions().take_while(|e| e.host() == own) {
                let d: [u8; 32] = Sha256::new()
                    .chain_update(h)
                    .chain_update(e.path())
                    .finalize()
                    .into();
                if let Some(set) = find_digest(digests, &d) {
                    self.push_set(matches, &mut ignored_allow, set, || digest_id(&d));
                }
            }
        }
    }

    /// Pushes one match per list of list set `set`.
    fn push_set<'s>(
        &'s self,
        matches: &mut Vec<Match<'s>>,
        allowed: &mut bool,
        set: usize,
        expression: impl Fn() -> String,
    ) {
        self.push_lists(matches, allowed, self.bundle.list_sets.get(set), expression);
    }

    /// Pushes one match per list of list set `set` that holds its key as a
    /// case-ignoring entry (a folded lookup must not match the others).
    fn push_folded_set<'s>(
        &'s self,
        matches: &mut Vec<Match<'s>>,
        allowed: &mut bool,
        set: usize,
        expression: impl Fn() -> String,
    ) {
        self.push_lists(
            matches,
            allowed,
            self.bundle.folded_sets.get(set),
            expression,
        );
    }

    /// Pushes one match per list in `lists` (nothing when the set id is
    /// out of range), the common tail of `push_set` and `push_folded_set`.
    fn push_lists<'s>(
        &'s self,
        matches: &mut Vec<Match<'s>>,
        allowed: &mut bool,
        lists: Option<&[u16]>,
        expression: impl Fn() -> String,
    ) {
        for &l in lists.into_iter().flatten() {
            self.push_list(matches, allowed, usize::from(l), &expression);
        }
    }

    /// Pushes one match per list of prefix set `set` that holds its key as
    /// a string prefix (with `folded`, as a case-ignoring one): the lists
    /// that match where the key does not end on a path boundary.
    fn push_string_set<'s>(
        &'s self,
        matches: &mut Vec<Match<'s>>,
        allowed: &mut bool,
        set: usize,
        folded: bool,
        expression: impl Fn() -> String,
    ) {
        let Some(lists) = self.bundle.string_sets.get(set) else {
            return;
        };
        let case_ignoring = self.bundle.folded_sets.get(set).unwrap_or(&[]);
        for &l in lists {
            if !folded || case_ignoring.binary_search(&l).is_ok() {
                self.push_list(matches, allowed, usize::from(l), &expression);
            }
        }
    }

    fn push_list<'s>(
        &'s self,
        matches: &mut Vec<Match<'s>>,
        allowed: &mut bool,
        list: usize,
        expression: impl Fn() -> String,
    ) {
        let Some(info) = self.bundle.lists.get(list) else {
            return;
        };
        match (info.role(), info.category()) {
            (ListRole::Block, Some(category)) => matches.push(Match {
                list: info.name(),
                category,
                category_id: info.category_id(),
                expression: expression(),
            }),
            _ => *allowed = true,
        }
    }
}

/// The lookup hosts of a host for digests: itself and (unless it is an IP
/// address) every suffix of two or more labels, longest first. The Safe
/// Browsing expressions stop at five labels; a sensitive entry under a
/// longer host must still be found when a request adds labels to it.
fn host_suffixes(host: &str, is_ip: bool) -> impl Iterator<Item = &str> {
    let dots = if is_ip { 0 } else { host.matches('.').count() };
    let suffixes = host
        .match_indices('.')
        .take(dots.saturating_sub(1))
        .filter_map(move |(i, _)| host.get(i + 1..));
    std::iter::once(host).chain(suffixes)
}

/// `text` with its `%XX` escapes decoded back to bytes: the canonical form
/// escapes only bytes at or below space, at or above 0x7F, `#` and `%`
/// (each once), so this is the text a user typed, non-ASCII as UTF-8.
/// Borrowed when there is no escape.
fn decoded(text: &str) -> std::borrow::Cow<'_, [u8]> {
    let bytes = text.as_bytes();
    if !bytes.contains(&b'%') {
        return std::borrow::Cow::Borrowed(bytes);
    }
    let hex = |b: u8| char::from(b).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let pair = (bytes.get(i + 1).copied(), bytes.get(i + 2).copied());
        if b == b'%'
            && let (Some(hi), Some(lo)) = pair
            && let (Some(hi), Some(lo)) = (hex(hi), hex(lo))
        {
            out.push(u8::try_from(hi * 16 + lo).unwrap_or(b'%'));
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Binary search for `d` in sorted digest records; its list set.
fn find_digest(records: &[u8], d: &[u8; 32]) -> Option<usize> {
    use crate::bundle::format::read_u32;
    const REC: usize = 36;
    let (mut lo, mut hi) = (0usize, records.len() / REC);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let at = mid * REC;
        let rec = records.get(at..at + 32)?;
        match rec.cmp(&d[..]) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return read_u32(records, at + 32).map(|s| s as usize),
        }
    }
    None
}

/// `sha256:` + the first 16 hex digits of a digest.
fn digest_id(d: &[u8; 32]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(23);
    s.push_str("sha256:");
    for &b in d.iter().take(8) {
        s.push(char::from(
            HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'),
        ));
        s.push(char::from(
            HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0'),
        ));
    }
    s
}

/// The `classify --json` line (DESIGN.md), the same on every face.
///
/// ```
/// let classifier = esafety::classify::Classifier::new(esafety::sample::bundle()?);
/// let report = classifier.report("https://Duckduckgo.com/?q=esafety")?;
/// assert_eq!(report.canonical, "https://duckduckgo.com/?q=esafety");
/// assert_eq!(report.categories, ["search"]);
/// let line = serde_json::to_string(&report)?;
/// assert_eq!(serde_json::from_str::<esafety::classify::ClassificationReport>(&line)?, report);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassificationReport {
    /// The input as given.
    pub url: String,
    /// Its canonical form.
    pub canonical: String,
    /// The category ids, in bit order (built-ins, then `local-` ones).
    pub categories: Vec<String>,
    /// Every match.
    pub matches: Vec<MatchReport>,
}

/// One match in a [`ClassificationReport`].
///
/// ```
/// use esafety::classify::MatchReport;
/// let classifier = esafety::classify::Classifier::new(esafety::sample::bundle()?);
/// let report = classifier.report("http://netflix.com/browse")?;
/// assert_eq!(report.matches, [MatchReport {
///     list: "sample-streaming".into(),
///     category: "streaming".into(),
///     expression: "netflix.com/".into(),
/// }]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchReport {
    /// The source list.
    pub list: String,
    /// The category id.
    pub category: String,
    /// The expression that hit, or a digest id for a sensitive list.
    pub expression: String,
}

impl ClassificationReport {
    /// The report for `input`, canonicalized as `url`, classified as `c`.
    ///
    /// ```
    /// use esafety::CanonicalUrl;
    /// use esafety::classify::{ClassificationReport, Classifier};
    /// let classifier = Classifier::new(esafety::sample::bundle()?);
    /// let input = "twitch.tv";
    /// let url = CanonicalUrl::parse(input)?;
    /// let report = ClassificationReport::new(input, &url, &classifier.classify(&url));
    /// assert_eq!((report.url.as_str(), report.canonical.as_str()), ("twitch.tv", "http://twitch.tv/"));
    /// assert_eq!(report, classifier.report(input)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(input: &str, url: &CanonicalUrl, c: &Classification<'_>) -> ClassificationReport {
        let categories = c
            .categories
            .iter()
            .filter_map(|cat| {
                c.matches
                    .iter()
                    .find(|m| m.category == cat)
                    .map(|m| m.category_id.to_owned())
            })
            .collect();
        ClassificationReport {
            url: input.to_owned(),
            canonical: url.as_str().to_owned(),
            categories,
            matches: c
                .matches
                .iter()
                .map(|m| MatchReport {
                    list: m.list.to_owned(),
                    category: m.category_id.to_owned(),
                    expression: m.expression.clone(),
                })
                .collect(),
        }
    }
}
