//! Feeding text to the scanner in pieces: every pass runs over the bytes
//! as they come, so a phrase split between pieces is found as in one piece.

use std::sync::Arc;

use aho_corasick::Anchored;
use aho_corasick::automaton::{Automaton as _, StateID};
use aho_corasick::nfa::contiguous::NFA as Nfa;

use super::normalise::{Case, Pass, Text};
use super::quick_search::{MAX_QUICK_LEN, Search};
use super::scanner::Inner;
use super::{ContentMatches, Found, PassMatches};

/// The last bytes of a pass's text, kept for what e2guardian does at its
/// end (no phrase is longer than 127 bytes).
const RING: usize = 128;
const RING_MASK: u64 = 127;

#[derive(Debug, Clone)]
struct PassState {
    pass: Pass,
    map: [u8; 256],
    sid: StateID,
    /// Occurrences per phrase id; empty until the first match.
    counts: Vec<u32>,
    /// The first occurrence of each phrase found: id, start, end.
    firsts: Vec<(u32, u64, u64)>,
    /// Bytes given to the automaton.
    fed: u64,
    /// The bytes fed, by position modulo [`RING`].
    ring: [u8; RING],
    /// Smart pass: the input offset each fed byte came from.
    offsets: [u64; RING],
    /// Smart pass: inside `<…>`.
    in_tag: bool,
    /// Smart pass: the last byte of the text so far (held or fed).
    last: u8,
    /// Smart pass: the newest byte, not yet fed (e2guardian scans one
    /// byte less than the smart text has).
    held: Option<(u8, u64)>,
}

impl PassState {
    fn new(pass: Pass, map: [u8; 256], start: StateID) -> PassState {
        let smart = pass.text == Text::Smart;
        PassState {
            pass,
            map,
            sid: start,
            counts: Vec::new(),
            firsts: Vec::new(),
            fed: 0,
            ring: [0; RING],
            offsets: [0; RING],
            in_tag: false,
            last: b' ',
            // The smart text starts with a space (`bodynohtml[0] = 32`).
            held: smart.then_some((b' ', 0)),
        }
    }

    fn count(&mut self, patterns: usize, id: u32, start: u64, end: u64) {
        if self.counts.is_empty() {
            self.counts = vec![0; patterns];
        }
        if let Some(c) = usize::try_from(id)
            .ok()
            .and_then(|i| self.counts.get_mut(i))
        {
            if *c == 0 {
                self.firsts.push((id, start, end));
            }
            *c = c.saturating_add(1);
        }
    }

    /// The input offset of the smart byte at `position`.
    fn offset_at(&self, position: u64) -> u64 {
        let i = usize::try_from(position & RING_MASK).unwrap_or(0);
        self.offsets.get(i).copied().unwrap_or(0)
    }

    fn ring_at(&self, position: u64) -> u8 {
        let i = usize::try_from(position & RING_MASK).unwrap_or(0);
        self.ring.get(i).copied().unwrap_or(0)
    }
}

/// The passes of one case: e2guardian's smart and raw texts, fed together.
#[derive(Debug, Clone)]
struct Group {
    smart: Option<PassState>,
    raw: Option<PassState>,
}

/// Text fed in pieces to a [`super::Scanner`]; [`ContentStream::finish`]
/// gives what matched.
///
/// ```
/// use esafety::content::{ListKind, PhraseList, PhraseOptions, ScannerBuilder};
/// let list = PhraseList::parse("w", b"<casino><60>\n", ListKind::Weighted, &PhraseOptions::new())?;
/// let scanner = ScannerBuilder::new().add_list(list).build()?;
/// let mut stream = scanner.stream();
/// for piece in [&b"online ca"[..], b"si", b"no"] {
///     stream.feed(piece);
/// }
/// assert_eq!(stream.finish().judge(50).score, 60);
/// # Ok::<(), esafety::content::ContentError>(())
/// ```
#[derive(Debug, Clone)]
pub struct ContentStream {
    inner: Arc<Inner>,
    groups: Vec<Group>,
    input: u64,
    search_terms: bool,
}

impl ContentStream {
    pub(crate) fn new(inner: Arc<Inner>, search_terms: bool) -> ContentStream {
        let start = inner
            .automaton
            .start_state(Anchored::No)
            .unwrap_or(StateID::ZERO);
        let passes = if search_terms {
            &inner.term_passes
        } else {
            &inner.page_passes
        };
        let mut groups: Vec<Group> = Vec::new();
        for &(pass, map) in passes {
            let state = PassState::new(pass, map, start);
            let slot = match groups.last_mut() {
                Some(g) if group_case(g) == Some(pass.case) => g,
                _ => {
                    groups.push(Group {
                        smart: None,
                        raw: None,
                    });
                    let Some(g) = groups.last_mut() else {
                        continue;
                    };
                    g
                }
            };
            if pass.text == Text::Smart {
                slot.smart = Some(state);
            } else {
                slot.raw = Some(state);
            }
        }
        ContentStream {
            inner,
            groups,
            input: 0,
            search_terms,
        }
    }

    /// Feeds the next piece of the text.
    ///
    /// ```
    /// use esafety::content::{ListKind, PhraseList, PhraseOptions, ScannerBuilder};
    /// let list = PhraseList::parse("w", b"< xxx ><60>\n", ListKind::Weighted, &PhraseOptions::new())?;
    /// let scanner = ScannerBuilder::new().add_list(list).build()?;
    /// let mut stream = scanner.stream();
    /// stream.feed(b"<p>XX");
    /// stream.feed(b"X</p>");
    /// assert_eq!(stream.finish().judge(50).score, 60);
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn feed(&mut self, chunk: &[u8]) {
        let automaton = &self.inner.automaton;
        let patterns = self.inner.phrases.len();
        let base = self.input;
        for g in &mut self.groups {
            match (&mut g.smart, &mut g.raw) {
                (Some(s), Some(r)) => feed_pair(automaton, patterns, s, r, chunk, base),
                (Some(s), None) => feed_smart(automaton, patterns, s, chunk, base),
                (None, Some(r)) => feed_raw(automaton, patterns, r, chunk, base),
                (None, None) => {}
            }
        }
        self.input = base.saturating_add(u64::try_from(chunk.len()).unwrap_or(u64::MAX));
    }

    /// The bytes fed so far.
    ///
    /// ```
    /// use esafety::content::ScannerBuilder;
    /// let mut s = ScannerBuilder::new().build()?.stream();
    /// s.feed(b"abc");
    /// s.feed(b"de");
    /// assert_eq!(s.len(), 5);
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn len(&self) -> u64 {
        self.input
    }

    /// Whether nothing has been fed.
    ///
    /// ```
    /// use esafety::content::ScannerBuilder;
    /// assert!(ScannerBuilder::new().build()?.stream().is_empty());
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.input == 0
    }

    /// Ends the text: what e2guardian does at its end (see the module
    /// docs), then every pass's phrases.
    ///
    /// ```
    /// use esafety::content::{ListKind, PhraseList, PhraseOptions, ScannerBuilder};
    /// let list = PhraseList::parse("w", b"<a><1>\n", ListKind::Weighted, &PhraseOptions::new())?;
    /// let scanner = ScannerBuilder::new().add_list(list).build()?;
    /// let mut s = scanner.stream();
    /// s.feed(b"banana");
    /// let matches = s.finish();
    /// assert_eq!(matches.judge(50).score, 1);
    /// # Ok::<(), esafety::content::ContentError>(())
    /// ```
    pub fn finish(self) -> ContentMatches {
        let mut passes = Vec::new();
        for g in self.groups {
            for state in [g.smart, g.raw].into_iter().flatten() {
                passes.push(finish_pass(&self.inner, state, self.input));
            }
        }
        ContentMatches {
            inner: self.inner,
            passes,
            search_terms: self.search_terms,
            length: self.input,
        }
    }
}

fn group_case(g: &Group) -> Option<Case> {
    g.smart.as_ref().or(g.raw.as_ref()).map(|s| s.pass.case)
}

fn mapped(map: &[u8; 256], b: u8) -> u8 {
    map.get(usize::from(b)).copied().unwrap_or(b)
}

/// Records the matches of a raw-pass state entered at input `end`.
#[cold]
#[inline(never)]
fn record_raw(automaton: &Nfa, patterns: usize, state: &mut PassState, sid: StateID, end: u64) {
    if !automaton.is_match(sid) {
        return;
    }
    for i in 0..automaton.match_len(sid) {
        let id = automaton.match_pattern(sid, i);
        let len = u64::try_from(automaton.pattern_len(id)).unwrap_or(0);
        let start = end.saturating_add(1).saturating_sub(len);
        state.count(patterns, id.as_u32(), start, end.saturating_add(1));
    }
}

/// Records the matches of a smart-pass state entered after `fed` bytes.
#[cold]
#[inline(never)]
fn record_smart(automaton: &Nfa, patterns: usize, state: &mut PassState, sid: StateID, fed: u64) {
    if !automaton.is_match(sid) {
        return;
    }
    let end = state.offset_at(fed.saturating_sub(1)).saturating_add(1);
    for i in 0..automaton.match_len(sid) {
        let id = automaton.match_pattern(sid, i);
        let len = u64::try_from(automaton.pattern_len(id)).unwrap_or(0);
        let start = state.offset_at(fed.saturating_sub(len));
        state.count(patterns, id.as_u32(), start, end);
    }
}

/// Keeps the last bytes of a raw chunk in the ring (the raw text is the
/// mapped input, byte for byte).
fn keep_raw_tail(state: &mut PassState, chunk: &[u8]) {
    let keep = chunk.len().min(RING);
    let from = chunk.len().saturating_sub(keep);
    let start = state.fed.saturating_sub(u64::try_from(keep).unwrap_or(0));
    for (k, &b) in chunk.get(from..).unwrap_or_default().iter().enumerate() {
        let pos = start.saturating_add(u64::try_from(k).unwrap_or(0));
        let i = usize::try_from(pos & RING_MASK).unwrap_or(0);
        if let Some(slot) = state.ring.get_mut(i) {
            *slot = mapped(&state.map, b);
        }
    }
}

fn feed_raw(automaton: &Nfa, patterns: usize, r: &mut PassState, chunk: &[u8], base: u64) {
    let mut sid = r.sid;
    for (i, &b) in chunk.iter().enumerate() {
        sid = automaton.next_state(Anchored::No, sid, mapped(&r.map, b));
        if automaton.is_special(sid) {
            let at = base.saturating_add(u64::try_from(i).unwrap_or(0));
            record_raw(automaton, patterns, r, sid, at);
        }
    }
    r.sid = sid;
    r.fed = r
        .fed
        .saturating_add(u64::try_from(chunk.len()).unwrap_or(0));
    keep_raw_tail(r, chunk);
}

/// The raw pass's last transition: from a state, on a byte, to a state.
/// The smart pass feeds each byte one step after the raw pass (it holds
/// its newest byte) and, outside tags and space runs, the same bytes, so
/// once both passes are in the same state it takes the raw pass's
/// transition instead of walking the automaton again: the same result
/// (`next_state` is a function of state and byte), half the walks.
#[derive(Clone, Copy)]
struct Step {
    from: StateID,
    byte: u8,
    to: StateID,
}

/// No transition yet: a `from` no state has.
const NO_STEP: Step = Step {
    from: StateID::MAX,
    byte: 0,
    to: StateID::ZERO,
};

/// One byte of the smart text: the tag and space rules, then the held
/// byte goes to the automaton and this one is held.
#[inline(always)]
fn smart_byte(automaton: &Nfa, patterns: usize, s: &mut PassState, b: u8, at: u64) {
    smart_byte_after(automaton, patterns, s, b, at, NO_STEP);
}

/// [`smart_byte`], taking `step` when it starts from the state and byte
/// the smart pass is at.
#[inline(always)]
fn smart_byte_after(
    automaton: &Nfa,
    patterns: usize,
    s: &mut PassState,
    b: u8,
    at: u64,
    step: Step,
) {
    let mut c = mapped(&s.map, b);
    if c == b'<' {
        s.in_tag = true;
    }
    if c == b'>' {
        s.in_tag = false;
        c = b' ';
    }
    if s.in_tag || (c == b' ' && s.last == b' ') {
        return;
    }
    s.last = c;
    if let Some((h, off)) = s.held.replace((c, at)) {
        let i = usize::try_from(s.fed & RING_MASK).unwrap_or(0);
        if let Some(slot) = s.ring.get_mut(i) {
            *slot = h;
        }
        if let Some(slot) = s.offsets.get_mut(i) {
            *slot = off;
        }
        s.fed = s.fed.saturating_add(1);
        s.sid = if s.sid == step.from && h == step.byte {
            step.to
        } else {
            automaton.next_state(Anchored::No, s.sid, h)
        };
        if automaton.is_special(s.sid) {
            let (sid, fed) = (s.sid, s.fed);
            record_smart(automaton, patterns, s, sid, fed);
        }
    }
}

fn feed_smart(automaton: &Nfa, patterns: usize, s: &mut PassState, chunk: &[u8], base: u64) {
    for (i, &b) in chunk.iter().enumerate() {
        let at = base.saturating_add(u64::try_from(i).unwrap_or(0));
        smart_byte(automaton, patterns, s, b, at);
    }
}

/// The smart and raw passes of one case in one loop over the bytes (two
/// independent automaton walks side by side).
fn feed_pair(
    automaton: &Nfa,
    patterns: usize,
    s: &mut PassState,
    r: &mut PassState,
    chunk: &[u8],
    base: u64,
) {
    let mut rsid = r.sid;
    // The raw transition of the byte before this one: the one the smart
    // pass, a byte behind, may be about to make.
    let mut last = NO_STEP;
    for (i, &b) in chunk.iter().enumerate() {
        let at = base.saturating_add(u64::try_from(i).unwrap_or(0));
        let byte = mapped(&r.map, b);
        let from = rsid;
        rsid = automaton.next_state(Anchored::No, from, byte);
        if automaton.is_special(rsid) {
            record_raw(automaton, patterns, r, rsid, at);
        }
        smart_byte_after(automaton, patterns, s, b, at, last);
        last = Step {
            from,
            byte,
            to: rsid,
        };
    }
    r.sid = rsid;
    r.fed = r
        .fed
        .saturating_add(u64::try_from(chunk.len()).unwrap_or(0));
    keep_raw_tail(r, chunk);
}

/// What e2guardian does at the end of a pass's text, then the pass's
/// phrases. `n` is the length e2guardian searches (the smart text without
/// its last byte).
fn finish_pass(inner: &Inner, mut state: PassState, input: u64) -> PassMatches {
    let automaton = &inner.automaton;
    let patterns = inner.phrases.len();
    let n = state.fed;
    let quick = &inner.quick;
    let tail = quick
        .tails
        .get(
            usize::try_from(n)
                .unwrap_or(MAX_QUICK_LEN)
                .min(MAX_QUICK_LEN),
        )
        .map_or(&[][..], Vec::as_slice);
    let held = state.held.map(|(b, _)| [b]);
    // The graph reads past the end: the sentinels quick search left, or,
    // if it wrote none, the smart text's last (unsearched) byte.
    let past: &[u8] = match (&held, tail.is_empty()) {
        (_, false) => tail,
        (Some(h), true) => h,
        (None, true) => &[],
    };
    let search = |id: u32| {
        usize::try_from(id)
            .ok()
            .and_then(|i| quick.search.get(i))
            .copied()
            .unwrap_or(Search::Lost)
    };
    let mut sid = state.sid;
    let mut extra = Vec::new();
    for (m, &b) in past.iter().enumerate() {
        sid = automaton.next_state(Anchored::No, sid, b);
        if !automaton.is_match(sid) {
            continue;
        }
        for i in 0..automaton.match_len(sid) {
            let id = automaton.match_pattern(sid, i);
            let len = automaton.pattern_len(id);
            if search(id.as_u32()) == Search::Graph && len > m.saturating_add(1) {
                let start_pos = n
                    .saturating_add(u64::try_from(m).unwrap_or(0))
                    .saturating_add(1)
                    .saturating_sub(u64::try_from(len).unwrap_or(0));
                extra.push((id.as_u32(), start_pos));
            }
        }
    }
    // Quick search: nothing longer than 126 bytes or than the text, and
    // matches across the end into the phrase's own sentinel.
    for &(id, _, _) in &state.firsts {
        let len = inner.phrase(id).len();
        let gone = match search(id) {
            Search::Lost => true,
            Search::Quick => len > MAX_QUICK_LEN || u64::try_from(len).unwrap_or(u64::MAX) > n,
            Search::Graph => false,
        };
        if gone
            && let Some(c) = usize::try_from(id)
                .ok()
                .and_then(|i| state.counts.get_mut(i))
        {
            *c = 0;
        }
    }
    for (id, ks) in &quick.straddlers {
        let p = inner.phrase(*id);
        if u64::try_from(p.len()).unwrap_or(u64::MAX) > n {
            continue;
        }
        for &k in ks {
            let k64 = u64::from(k);
            let from = n.saturating_sub(k64);
            let ends_with = p.get(..usize::from(k)).is_some_and(|head| {
                head.iter()
                    .zip(from..)
                    .all(|(&c, pos)| state.ring_at(pos) == c)
            });
            if ends_with {
                extra.push((*id, from));
            }
        }
    }
    let smart = state.pass.text == Text::Smart;
    for (id, start_pos) in extra {
        let start = if smart {
            state.offset_at(start_pos)
        } else {
            start_pos
        };
        state.count(patterns, id, start, input);
    }
    let mut found: Vec<Found> = state
        .firsts
        .iter()
        .filter_map(|&(id, start, end)| {
            let count = usize::try_from(id)
                .ok()
                .and_then(|i| state.counts.get(i))
                .copied()
                .unwrap_or(0);
            (count > 0).then_some(Found {
                phrase: id,
                count,
                start,
                end,
            })
        })
        .collect();
    found.sort_by_key(|f| f.phrase);
    found.dedup_by_key(|f| f.phrase);
    PassMatches {
        pass: state.pass,
        found,
    }
}
