//! Which phrases e2guardian looks for with its graph and which with its
//! quick search, and what lies past the end of the text when it does.
//!
//! e2guardian (`ListContainer::makeGraph`) sorts its phrase items by length
//! (`graphSizeSort`, a three-way quicksort), adds them in that order to a
//! byte trie (`graphAdd`), and moves every first-byte branch of the trie
//! with fewer than 12 branchings (`graphFindBranches`) to a list searched
//! one phrase at a time (`graphCopyNodePhrases`, `bmsearch`). Both find
//! every occurrence in the middle of a text; they differ at its end:
//!
//! - `bmsearch` writes the phrase just past the end of the text as a
//!   sentinel (when the text is at least as long as the phrase and the
//!   phrase at most 126 bytes; longer phrases are never found by it), so a
//!   phrase can match across the end into its own copy;
//! - the graph, searched afterwards, reads past the end into whatever the
//!   sentinels left there (the last writer's bytes win), and so can match
//!   across the end too.
//!
//! The smart pass also hands e2guardian's search a length one short of its
//! text, so the text's last byte is scanned only if no sentinel overwrote
//! it. All of this is deterministic, and [`QuickSearch`] works it out once
//! from the phrase items, in e2guardian's own order, so that the scanner
//! can reproduce it exactly.

/// e2guardian's `bmsearch` finds no phrase longer than this.
pub(crate) const MAX_QUICK_LEN: usize = 126;

/// e2guardian moves a first-byte branch to the quick search when it has
/// fewer branchings than this.
const QUICK_BRANCHES: u32 = 12;

/// How e2guardian searches one phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Search {
    /// By the graph.
    Graph,
    /// One at a time (`bmsearch`).
    Quick,
    /// Not at all: `graphAdd` found its bytes already in the trie without
    /// an end mark (only possible if the items were not sorted by length).
    Lost,
}

/// The outcome of e2guardian's graph building.
#[derive(Debug, Clone)]
pub(crate) struct QuickSearch {
    /// Per phrase id.
    pub(crate) search: Vec<Search>,
    /// The quick-search phrases, in e2guardian's order.
    #[cfg_attr(
        not(test),
        allow(
            dead_code,
            reason = "the tails and straddlers are made from it; the tests check it"
        )
    )]
    pub(crate) order: Vec<u32>,
    /// `tails[n]`: the bytes past the end of a text of `n` bytes after every
    /// quick search has written its sentinel (`n` ≥ 126 uses `tails[126]`).
    pub(crate) tails: Vec<Vec<u8>>,
    /// Quick-search phrases that can match across the end into their own
    /// sentinel: the phrase and each `k` such that its first `k` bytes
    /// (from the text) and then its first `len - k` (from the sentinel)
    /// spell it.
    pub(crate) straddlers: Vec<(u32, Vec<u8>)>,
    /// The item indexes in the order e2guardian adds them to the graph,
    /// which is the order it settles duplicate phrases in.
    pub(crate) insertion: Vec<u32>,
}

const NONE: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
struct Node {
    byte: u8,
    end: bool,
    /// The phrase id of the item that created the node.
    phrase: u32,
    parent: u32,
    first_child: u32,
    last_child: u32,
    next_sibling: u32,
    children: u32,
}

impl Node {
    fn new(byte: u8, phrase: u32, parent: u32) -> Node {
        Node {
            byte,
            end: false,
            phrase,
            parent,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
            children: 0,
        }
    }
}

struct Trie {
    nodes: Vec<Node>,
}

impl Trie {
    fn node(&self, i: u32) -> Option<&Node> {
        self.nodes.get(usize::try_from(i).ok()?)
    }

    fn children(&self, i: u32) -> impl Iterator<Item = u32> + '_ {
        let mut next = self.node(i).map_or(NONE, |n| n.first_child);
        std::iter::from_fn(move || {
            if next == NONE {
                return None;
            }
            let this = next;
            next = self.node(this).map_or(NONE, |n| n.next_sibling);
            Some(this)
        })
    }

    fn push_child(&mut self, parent: u32, byte: u8, phrase: u32) -> u32 {
        let id = u32::try_from(self.nodes.len()).unwrap_or(NONE);
        self.nodes.push(Node::new(byte, phrase, parent));
        let last = match self
            .nodes
            .get_mut(usize::try_from(parent).unwrap_or(usize::MAX))
        {
            Some(p) => {
                let last = p.last_child;
                if last == NONE {
                    p.first_child = id;
                }
                p.last_child = id;
                p.children = p.children.saturating_add(1);
                last
            }
            None => NONE,
        };
        if let Some(l) = self
            .nodes
            .get_mut(usize::try_from(last).unwrap_or(usize::MAX))
        {
            l.next_sibling = id;
        }
        id
    }

    /// `graphAdd`: follows existing bytes, then adds the rest as a chain
    /// ending in an end mark. A phrase whose bytes are all already there
    /// adds nothing (and gets no end mark if it had none).
    fn add(&mut self, bytes: &[u8], phrase: u32) {
        let mut node = 0u32;
        let mut rest = bytes;
        while let Some((&first, tail)) = rest.split_first() {
            let child = self
                .children(node)
                .find(|&c| self.node(c).is_some_and(|n| n.byte == first));
            match child {
                Some(c) if !tail.is_empty() => {
                    node = c;
                    rest = tail;
                }
                Some(_) => return,
                None => {
                    let mut at = self.push_child(node, first, phrase);
                    for &b in tail {
                        at = self.push_child(at, b, phrase);
                    }
                    if let Some(n) = self
                        .nodes
                        .get_mut(usize::try_from(at).unwrap_or(usize::MAX))
                    {
                        n.end = true;
                    }
                    return;
                }
            }
        }
    }
}

/// `graphSizeSort`, e2guardian's three-way quicksort of item indexes by
/// phrase length, step for step (with an explicit stack instead of
/// recursion; the two halves are independent, so the order they are sorted
/// in does not matter).
pub(crate) fn size_sort(list: &mut [u32], len: &dyn Fn(u32) -> usize) {
    let at = |list: &[u32], i: i64| -> usize {
        usize::try_from(i)
            .ok()
            .and_then(|i| list.get(i))
            .map_or(0, |&item| len(item))
    };
    let swap = |list: &mut [u32], a: i64, b: i64| {
        if let (Ok(a), Ok(b)) = (usize::try_from(a), usize::try_from(b))
            && a < list.len()
            && b < list.len()
        {
            list.swap(a, b);
        }
    };
    let n = i64::try_from(list.len()).unwrap_or(0);
    let mut stack = vec![(0i64, n.saturating_sub(1))];
    while let Some((l, r)) = stack.pop() {
        if r <= l {
            continue;
        }
        let v = at(list, r);
        let (mut i, mut j, mut p, mut q) = (l - 1, r, l - 1, r);
        loop {
            loop {
                i += 1;
                if i >= r || at(list, i) >= v {
                    break;
                }
            }
            loop {
                j -= 1;
                if v >= at(list, j) || j <= l {
                    break;
                }
            }
            if i >= j {
                break;
            }
            swap(list, i, j);
            if at(list, i) == v {
                p += 1;
                swap(list, p, i);
            }
            if at(list, j) == v {
                q -= 1;
                swap(list, q, j);
            }
        }
        swap(list, i, r);
        j = i - 1;
        i += 1;
        let mut k = l;
        while k <= p {
            swap(list, k, j);
            k += 1;
            j -= 1;
        }
        let mut k = r - 1;
        while k >= q {
            swap(list, k, i);
            k -= 1;
            i += 1;
        }
        stack.push((i, r));
        stack.push((l, j));
    }
}

/// Works out e2guardian's graph for `items` (each the phrase id of one
/// single phrase or combination part, in the order e2guardian reads them)
/// over the distinct `phrases`.
pub(crate) fn build(items: &[u32], phrases: &[Vec<u8>]) -> QuickSearch {
    let phrase = |id: u32| -> &[u8] {
        usize::try_from(id)
            .ok()
            .and_then(|i| phrases.get(i))
            .map_or(&[], Vec::as_slice)
    };
    let item_phrase = |item: u32| -> u32 {
        usize::try_from(item)
            .ok()
            .and_then(|i| items.get(i))
            .copied()
            .unwrap_or(NONE)
    };
    let mut insertion: Vec<u32> = (0..u32::try_from(items.len()).unwrap_or(0)).collect();
    size_sort(&mut insertion, &|item| phrase(item_phrase(item)).len());

    let mut trie = Trie {
        nodes: vec![Node::new(0, NONE, NONE)],
    };
    for &item in &insertion {
        let id = item_phrase(item);
        trie.add(phrase(id), id);
    }

    // graphFindBranches for every node: children are created after their
    // parents, so one pass from the last node back adds each into its
    // parent.
    let mut branches = vec![0u32; trie.nodes.len()];
    for i in (1..trie.nodes.len()).rev() {
        let Some(node) = trie.nodes.get(i) else {
            continue;
        };
        let own = branches.get(i).copied().unwrap_or(0);
        let total = own.saturating_add(node.children.saturating_sub(1));
        if let Some(b) = branches.get_mut(i) {
            *b = total;
        }
        if let Some(p) = branches.get_mut(usize::try_from(node.parent).unwrap_or(usize::MAX))
            && node.parent != 0
        {
            *p = p.saturating_add(total);
        }
    }

    let mut search = vec![Search::Lost; phrases.len()];
    let mut order = Vec::new();
    let roots: Vec<u32> = trie.children(0).collect();
    let mut quick_root = vec![false; roots.len()];
    for (r, &root) in roots.iter().enumerate().rev() {
        let b = usize::try_from(root)
            .ok()
            .and_then(|i| branches.get(i))
            .copied()
            .unwrap_or(0);
        if b >= QUICK_BRANCHES {
            continue;
        }
        if let Some(q) = quick_root.get_mut(r) {
            *q = true;
        }
        // graphCopyNodePhrases: children first, in order, then the node.
        let mut stack = vec![(root, false)];
        while let Some((node, visited)) = stack.pop() {
            if visited {
                let Some(id) = trie.node(node).map(|n| n.phrase) else {
                    continue;
                };
                if let Some(s) = search.get_mut(usize::try_from(id).unwrap_or(usize::MAX))
                    && *s != Search::Quick
                {
                    *s = Search::Quick;
                    order.push(id);
                }
                continue;
            }
            stack.push((node, true));
            let kids: Vec<u32> = trie.children(node).collect();
            stack.extend(kids.into_iter().rev().map(|c| (c, false)));
        }
    }
    // Graph phrases: an end mark under a root that stayed in the graph.
    let mut stack: Vec<u32> = roots
        .iter()
        .zip(&quick_root)
        .filter(|(_, q)| !**q)
        .map(|(&r, _)| r)
        .collect();
    while let Some(node) = stack.pop() {
        if let Some(n) = trie.node(node)
            && n.end
            && let Some(s) = search.get_mut(usize::try_from(n.phrase).unwrap_or(usize::MAX))
        {
            *s = Search::Graph;
        }
        stack.extend(trie.children(node));
    }

    let tails = (0..=MAX_QUICK_LEN)
        .map(|n| {
            // The last writer of each byte wins: walk the writers backwards
            // and fill only what no later writer covered.
            let mut tail: Vec<u8> = Vec::new();
            for &id in order.iter().rev() {
                let p = phrase(id);
                if p.len() <= n && p.len() <= MAX_QUICK_LEN && p.len() > tail.len() {
                    tail.extend_from_slice(p.get(tail.len()..).unwrap_or_default());
                }
            }
            tail
        })
        .collect();
    let straddlers = order
        .iter()
        .filter_map(|&id| {
            let p = phrase(id);
            if p.len() > MAX_QUICK_LEN {
                return None;
            }
            let ks: Vec<u8> = (1..p.len())
                .filter(|&k| p.get(k..) == p.get(..p.len() - k))
                .filter_map(|k| u8::try_from(k).ok())
                .collect();
            (!ks.is_empty()).then_some((id, ks))
        })
        .collect();
    QuickSearch {
        search,
        order,
        tails,
        straddlers,
        insertion,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(words: &[&str]) -> (Vec<u32>, Vec<Vec<u8>>) {
        let mut phrases: Vec<Vec<u8>> = Vec::new();
        let mut items = Vec::new();
        for w in words {
            let id = match phrases.iter().position(|p| p == w.as_bytes()) {
                Some(i) => i,
                None => {
                    phrases.push(w.as_bytes().to_vec());
                    phrases.len() - 1
                }
            };
            items.push(u32::try_from(id).unwrap());
        }
        (items, phrases)
    }

    #[test]
    fn size_sort_sorts_by_length() {
        let lens = [5usize, 3, 9, 3, 1, 5, 5, 2, 9, 0, 7];
        let mut list: Vec<u32> = (0..11).collect();
        size_sort(&mut list, &|i| lens[i as usize]);
        let sorted: Vec<usize> = list.iter().map(|&i| lens[i as usize]).collect();
        let mut want = lens.to_vec();
        want.sort_unstable();
        assert_eq!(sorted, want);
        let mut many: Vec<u32> = (0..5000).collect();
        size_sort(&mut many, &|i| (i as usize * 7919) % 13);
        assert!(
            many.windows(2)
                .all(|w| (w[0] as usize * 7919) % 13 <= (w[1] as usize * 7919) % 13)
        );
    }

    /// Equal lengths come out in e2guardian's order, which decides which of
    /// two listings of a phrase it credits. The orders are what
    /// `graphSizeSort`, compiled from e2guardian 5.3.5's source, gives (the
    /// port also agreed with it on 3,000 random cases of up to 2,000 items).
    #[test]
    fn size_sort_order_is_e2guardians() {
        const CASES: &[(&str, &[usize], &[u32])] = &[
            ("two-pairs", &[2, 1, 2, 1], &[1, 3, 0, 2]),
            (
                "mixed",
                &[5, 3, 9, 3, 1, 5, 5, 2, 9, 0, 7],
                &[9, 4, 7, 1, 3, 6, 5, 0, 10, 8, 2],
            ),
            ("one", &[4], &[0]),
            ("none", &[], &[]),
        ];
        for &(name, lens, want) in CASES {
            let mut list: Vec<u32> = (0..u32::try_from(lens.len()).unwrap()).collect();
            size_sort(&mut list, &|i| lens[i as usize]);
            assert_eq!(list, want, "{name}");
        }
    }

    #[test]
    fn small_branches_go_to_quick_search() {
        // `q…` has one branching; `s…` has twelve.
        let mut words = vec!["quiz", "quit"];
        let s: Vec<String> = (b'a'..=b'm').map(|c| format!("s{}", c as char)).collect();
        words.extend(s.iter().map(String::as_str));
        let (items, phrases) = ids(&words);
        let qs = build(&items, &phrases);
        assert_eq!(qs.search[0], Search::Quick);
        assert_eq!(qs.search[1], Search::Quick);
        assert!(qs.search[2..].iter().all(|s| *s == Search::Graph));
        // Post-order: the leaf added first, then the other.
        let first =
            qs.insertion.iter().position(|&i| i == 0) < qs.insertion.iter().position(|&i| i == 1);
        assert_eq!(qs.order, if first { [0, 1] } else { [1, 0] });
        // Both write four bytes past the end; the second one wins.
        assert_eq!(qs.tails[MAX_QUICK_LEN], phrases[qs.order[1] as usize]);
        assert_eq!(qs.tails[3], b"");
        assert!(qs.straddlers.is_empty());
    }

    #[test]
    fn straddlers_have_periods() {
        let (items, phrases) = ids(&[" sex ", "abab"]);
        let qs = build(&items, &phrases);
        let s: Vec<(u32, Vec<u8>)> = qs.straddlers.clone();
        assert_eq!(s, [(0, vec![4]), (1, vec![2])]);
    }
}
