//! A bounds-checked, panic-free reader of the `fst` raw format.
//!
//! The bundle's hosts and paths maps are written with `fst::MapBuilder`
//! (`fst` 0.4.7, format version 3) and read here instead of through the
//! `fst` crate, because `fst`'s node decoder indexes slices and subtracts
//! addresses unchecked: bytes that are not what its builder wrote make it
//! panic (fst issues #57 and #146). Its `Fst::verify` (a CRC32C over every
//! byte) only stops accidents, not a hostile bundle that recomputes the
//! checksum, and reading every byte up front would cost most of the load
//! time budget anyway. This reader decodes only the node it is on, reads
//! every byte with `get` and checked arithmetic, and answers `None` for
//! anything malformed, which the classifier treats as "no match". A lookup
//! takes one step per key byte, so it always terminates.
//!
//! Only what the classifier needs is here: the root, one transition on a
//! byte, whether a node is final and its final output, and `get`; and for
//! the exports ([`crate::export`]), a walk over every key
//! ([`Fst::for_each`]), which ends too: every transition leads to a lower
//! address, and the walk stops after as many keys as it is allowed.
//!
//! # Format (as written by `fst::raw::Builder`, version 3)
//!
//! ```text
//! 0       8  version   u64 LE, 3
//! 8       8  type      u64 LE, 0 for fst::MapBuilder
//! 16      …  nodes     each addressed by its LAST byte (its state byte),
//!                      written children first, so edges point backwards
//! n-20    8  len       number of keys, u64 LE
//! n-12    8  root      address of the root node, u64 LE
//! n-4     4  checksum  masked CRC32C of bytes 0..n-4 (not read: the bundle's
//!                      XXH3-64 covers these bytes)
//! ```
//!
//! Address 0 is the "empty final" node (final, output 0, no transitions).
//! A node reads downwards from its state byte at `addr`:
//!
//! - `11iiiiii` *OneTransNext*: one transition with output 0 to the node
//!   just below (`end - 1`); input is common input `i` or, if `i` is 0, the
//!   byte before the state.
//! - `10iiiiii` *OneTrans*: one transition; then below the input (if not
//!   common) a pack-size byte (high nibble: address delta size, low nibble:
//!   output size), the delta, and the output (if its size is not 0).
//! - `0fnnnnnn` *AnyTrans*: `f` final, `n` transitions (if 0, the count is
//!   the byte before the state; there 1 means 256). Below: the pack-size
//!   byte, a 256-byte index (input → transition number; only when there are
//!   more than 32 transitions), the inputs, the address deltas, the outputs
//!   (if the output size is not 0) and, if final, the final output. Lists
//!   are stored in reverse, so transition `i` is the `i`-th from the top.
//!
//! A transition's target is `end - delta` (`end` is the node's lowest
//! byte), or the empty final node if `delta` is 0. Outputs add up along a
//! path.

use std::ops::Range;

/// The `fst` format version `fst` 0.4.7 writes (and the only one read).
const FST_VERSION: u64 = 3;
/// The `fst` type `fst::MapBuilder` writes.
const FST_TYPE_MAP: u64 = 0;
/// Bytes before the first node: version and type.
const FST_HEADER_LEN: usize = 16;
/// Bytes after the root node: key count, root address, checksum.
const FST_FOOTER_LEN: usize = 20;
/// Address of the empty final node (never a real node: it is in the header).
const EMPTY_ADDRESS: usize = 0;
/// Above this many transitions an AnyTrans node has a 256-byte index.
const TRANS_INDEX_THRESHOLD: usize = 32;
/// The state of the empty final node: AnyTrans, final, count byte below
/// (which does not exist at address 0, so it has no transitions).
const EMPTY_FINAL_STATE: u8 = 0b0100_0000;

/// `fst`'s table of common inputs (`fst::raw::common_inputs::COMMON_INPUTS_INV`):
/// a one-transition node stores input `COMMON_INPUTS[i - 1]` as index `i`
/// in its state byte (6 bits, so only the first 63 entries are reachable)
/// instead of a separate byte.
const COMMON_INPUTS: [u8; 63] = *b"te/oasripcnw.hlm-du012g=:bf3y5&_4v9678k%?xCDASFIBEjPTzRNM+LOqHG";

/// A node of an `fst`: its address and state byte, decoded further only
/// when a transition or output is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Node {
    addr: usize,
    state: u8,
}

impl Node {
    const EMPTY_FINAL: Node = Node {
        addr: EMPTY_ADDRESS,
        state: EMPTY_FINAL_STATE,
    };

    /// Whether the node is final (a key ends here). Its output may still
    /// be malformed: see [`Fst::final_output`].
    #[inline]
    pub(crate) fn is_final(self) -> bool {
        // AnyTrans with the final flag; the empty final node has that state.
        self.state >> 6 == 0b01
    }
}

/// Where a validated `fst` lies in the bundle bytes, and its root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FstSection {
    range: Range<usize>,
    root: Node,
    len: u64,
}

impl FstSection {
    /// Checks the `fst` header and footer of `bytes[range]`: length,
    /// version, type, and a root address where `fst`'s builder puts it
    /// (the last node, just before the footer). Constant time: nodes are
    /// checked as lookups reach them.
    pub(crate) fn open(bytes: &[u8], range: Range<usize>) -> Result<FstSection, String> {
        let data = bytes
            .get(range.clone())
            .ok_or_else(|| "out of bounds".to_owned())?;
        let n = data.len();
        if n < FST_HEADER_LEN + FST_FOOTER_LEN {
            return Err(format!("{n} bytes is too short for an fst"));
        }
        let u64_at = |at: usize| super::format::read_u64(data, at).unwrap_or(u64::MAX);
        let version = u64_at(0);
        if version != FST_VERSION {
            return Err(format!(
                "fst format version {version}, expected {FST_VERSION}"
            ));
        }
        let ty = u64_at(8);
        if ty != FST_TYPE_MAP {
            return Err(format!("fst type {ty}, expected {FST_TYPE_MAP} (a map)"));
        }
        let len = u64_at(n - FST_FOOTER_LEN);
        let root = u64_at(n - FST_FOOTER_LEN + 8);
        // The root is the last node written, right before the footer; or
        // the empty final node when the only key is "" with output 0.
        let root_ok = if root == EMPTY_ADDRESS as u64 {
            n == FST_HEADER_LEN + FST_FOOTER_LEN
        } else {
            usize::try_from(root)
                .is_ok_and(|r| r >= FST_HEADER_LEN && r.checked_add(1 + FST_FOOTER_LEN) == Some(n))
        };
        if !root_ok {
            return Err(format!(
                "fst root address {root} is not the last node of {n} bytes"
            ));
        }
        let fst = Fst {
            data,
            root: Node::EMPTY_FINAL,
        };
        let root = usize::try_from(root)
            .ok()
            .and_then(|r| fst.node(r))
            .ok_or_else(|| "fst root is out of bounds".to_owned())?;
        Ok(FstSection { range, root, len })
    }

    /// The number of keys, as the footer says.
    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    /// A reader over this section of `bytes` (the bundle bytes it was
    /// opened on; other bytes give a reader that finds nothing or nonsense,
    /// never a panic).
    #[inline]
    pub(crate) fn reader<'a>(&self, bytes: &'a [u8]) -> Fst<'a> {
        Fst {
            data: bytes.get(self.range.clone()).unwrap_or_default(),
            root: self.root,
        }
    }
}

/// Why [`Fst::for_each`] stopped before the last key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WalkError {
    /// The node at this address does not decode (the bytes were not written
    /// by `fst`'s builder).
    Malformed {
        /// The node's address in the map.
        at: usize,
    },
    /// More keys than the walk was allowed to visit.
    TooManyKeys {
        /// The limit.
        max: u64,
    },
}

/// One node on the path of [`Fst::for_each`]: its transitions, the next one
/// to follow, and the output summed up to the node.
struct WalkFrame {
    transitions: Vec<(u8, u64, Node)>,
    next: usize,
    acc: u64,
}

/// A read-only view of one `fst` map's bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fst<'a> {
    data: &'a [u8],
    root: Node,
}

impl<'a> Fst<'a> {
    /// The root node.
    #[inline]
    pub(crate) fn root(&self) -> Node {
        self.root
    }

    /// The value of `key`, if it is in the map (`fst::Map::get`; the
    /// classifier walks instead, and tests compare the two).
    #[cfg(test)]
    pub(crate) fn get(&self, key: &[u8]) -> Option<u64> {
        self.get_parts(key, &[])
    }

    /// The value of the key `a` followed by `b`, if it is in the map.
    pub(crate) fn get_parts(&self, a: &[u8], b: &[u8]) -> Option<u64> {
        let mut node = self.root;
        let mut acc = 0u64;
        for &byte in a.iter().chain(b) {
            let (out, next) = self.step(node, byte)?;
            acc = acc.wrapping_add(out);
            node = next;
        }
        Some(acc.wrapping_add(self.final_output(node)?))
    }

    /// [`Fst::get_parts`] with `b` ASCII-lowercased on the fly (the
    /// case-folded lookup of a path).
    pub(crate) fn get_parts_folded(&self, a: &[u8], b: &[u8]) -> Option<u64> {
        let mut node = self.root;
        let mut acc = 0u64;
        for byte in a
            .iter()
            .copied()
            .chain(b.iter().map(u8::to_ascii_lowercase))
        {
            let (out, next) = self.step(node, byte)?;
            acc = acc.wrapping_add(out);
            node = next;
        }
        Some(acc.wrapping_add(self.final_output(node)?))
    }

    /// Calls `visit` with every key and its value, in key order, and
    /// returns how many there were.
    ///
    /// # Errors
    ///
    /// [`WalkError::Malformed`] at the first node that does not decode, and
    /// [`WalkError::TooManyKeys`] when there are more than `max_keys` keys
    /// (a few hundred crafted bytes can describe more keys than any memory
    /// holds). The walk always ends: every transition goes to a lower
    /// address, so no path is longer than the map.
    pub(crate) fn for_each(
        &self,
        max_keys: u64,
        mut visit: impl FnMut(&[u8], u64),
    ) -> Result<u64, WalkError> {
        let mut key: Vec<u8> = Vec::new();
        let mut stack: Vec<WalkFrame> = Vec::new();
        let mut count = 0u64;
        self.walk_enter(
            self.root, 0, &key, &mut stack, &mut count, max_keys, &mut visit,
        )?;
        while let Some(top) = stack.last_mut() {
            let Some(&(byte, out, next)) = top.transitions.get(top.next) else {
                stack.pop();
                if !stack.is_empty() {
                    key.pop();
                }
                continue;
            };
            top.next += 1;
            let acc = top.acc.wrapping_add(out);
            key.push(byte);
            self.walk_enter(
                next, acc, &key, &mut stack, &mut count, max_keys, &mut visit,
            )?;
        }
        Ok(count)
    }

    /// Visits `node` if it is final and pushes its transitions.
    #[expect(
        clippy::too_many_arguments,
        reason = "the state of one walk, kept on its stack frame"
    )]
    fn walk_enter(
        &self,
        node: Node,
        acc: u64,
        key: &[u8],
        stack: &mut Vec<WalkFrame>,
        count: &mut u64,
        max_keys: u64,
        visit: &mut impl FnMut(&[u8], u64),
    ) -> Result<(), WalkError> {
        let malformed = WalkError::Malformed { at: node.addr };
        if node.is_final() {
            let fin = self.final_output(node).ok_or(malformed)?;
            *count += 1;
            if *count > max_keys {
                return Err(WalkError::TooManyKeys { max: max_keys });
            }
            visit(key, acc.wrapping_add(fin));
        }
        let mut transitions = self.transitions(node).ok_or(malformed)?;
        transitions.sort_unstable_by_key(|&(input, _, _)| input);
        stack.push(WalkFrame {
            transitions,
            next: 0,
            acc,
        });
        Ok(())
    }

    /// Every transition of `node` (input, output, target); `None` if the
    /// node is malformed or a target is not below it.
    fn transitions(&self, node: Node) -> Option<Vec<(u8, u64, Node)>> {
        if node.addr == EMPTY_ADDRESS {
            return Some(Vec::new());
        }
        let below = |n: Node| (n.addr < node.addr).then_some(n);
        match node.state >> 6 {
            0b11 => {
                let (input, input_len) = self.one_input(node.addr, node.state)?;
                let next = self.node(node.addr.checked_sub(input_len + 1)?)?;
                Some(vec![(input, 0, below(next)?)])
            }
            0b10 => {
                let (input, _) = self.one_input(node.addr, node.state)?;
                let (out, next) = self.step_other(node, input)?;
                Some(vec![(input, out, below(next)?)])
            }
            _ => {
                let l = self.any_layout(node)?;
                let mut out = Vec::with_capacity(l.ntrans);
                for i in 0..l.ntrans {
                    let input = self.byte(l.inputs_at.checked_add(l.ntrans - 1 - i)?)?;
                    let delta_at = l.inputs_at.checked_sub((i + 1).checked_mul(l.tsize)?)?;
                    let delta = self.delta(delta_at, l.tsize)?;
                    let out_at = l.deltas_at.checked_sub((i + 1).checked_mul(l.osize)?)?;
                    let value = self.uint(out_at, l.osize)?;
                    out.push((input, value, below(self.target(l.end, delta)?)?));
                }
                Some(out)
            }
        }
    }

    /// Follows the transition of `node` on `byte`: its output and the node
    /// it leads to. `None` if there is none, or if the node is malformed.
    #[inline(always)]
    pub(crate) fn step(&self, node: Node, byte: u8) -> Option<(u64, Node)> {
        if node.state >> 6 == 0b11 {
            // OneTransNext, inline: the commonest node on a long path (one
            // transition with output 0 to the node written just before).
            let (input, input_len) = self.one_input(node.addr, node.state)?;
            if input != byte {
                return None;
            }
            let next = node.addr.checked_sub(input_len + 1)?;
            return Some((0, self.node(next)?));
        }
        self.step_other(node, byte)
    }

    /// [`Fst::step`] for OneTrans and AnyTrans nodes.
    #[inline(never)]
    fn step_other(&self, node: Node, byte: u8) -> Option<(u64, Node)> {
        if node.state >> 6 == 0b10 {
            let (input, input_len) = self.one_input(node.addr, node.state)?;
            if input != byte {
                return None;
            }
            let sizes_at = node.addr.checked_sub(input_len + 1)?;
            let (tsize, osize) = pack_sizes(self.byte(sizes_at)?)?;
            let delta_at = sizes_at.checked_sub(tsize)?;
            let end = delta_at.checked_sub(osize)?;
            let out = self.uint(end, osize)?;
            let delta = self.delta(delta_at, tsize)?;
            return Some((out, self.target(end, delta)?));
        }
        self.any_step(node, byte)
    }

    /// The final output of `node` if it is final; `None` if it is not, or
    /// if its output is malformed.
    #[inline]
    pub(crate) fn final_output(&self, node: Node) -> Option<u64> {
        if !node.is_final() {
            return None;
        }
        if node.addr == EMPTY_ADDRESS {
            return Some(0);
        }
        let l = self.any_layout(node)?;
        self.uint(l.end, l.osize)
    }

    /// The node at `addr`: the empty final node, or the one whose state
    /// byte is at `addr` if that is in bounds.
    #[inline]
    fn node(&self, addr: usize) -> Option<Node> {
        if addr == EMPTY_ADDRESS {
            return Some(Node::EMPTY_FINAL);
        }
        Some(Node {
            addr,
            state: self.byte(addr)?,
        })
    }

    #[inline]
    fn byte(&self, at: usize) -> Option<u8> {
        self.data.get(at).copied()
    }

    /// A little-endian unsigned integer of `n` (0 to 8) bytes at `at`.
    #[inline]
    fn uint(&self, at: usize, n: usize) -> Option<u64> {
        match n {
            0 => return Some(0),
            1..=8 => {}
            _ => return None,
        }
        if let Some(w) = self.u64_at(at) {
            // One load and a mask (the bytes above belong to the node or
            // the footer); `n` is 1 to 8.
            return Some(w & (u64::MAX >> (64 - 8 * n)));
        }
        let bytes = self.data.get(at..at.checked_add(n)?)?;
        Some(
            bytes
                .iter()
                .rev()
                .fold(0u64, |v, &b| (v << 8) | u64::from(b)),
        )
    }

    /// An address delta of `n` bytes: a transition needs at least one.
    #[inline]
    fn delta(&self, at: usize, n: usize) -> Option<usize> {
        if n == 0 {
            return None;
        }
        usize::try_from(self.uint(at, n)?).ok()
    }

    /// The target of a transition of the node whose lowest byte is `end`.
    #[inline]
    fn target(&self, end: usize, delta: usize) -> Option<Node> {
        if delta == EMPTY_ADDRESS {
            return Some(Node::EMPTY_FINAL);
        }
        self.node(end.checked_sub(delta)?)
    }

    /// The input of a one-transition node and how many bytes it takes.
    #[inline]
    fn one_input(&self, addr: usize, state: u8) -> Option<(u8, usize)> {
        match usize::from(state & 0b0011_1111) {
            0 => Some((self.byte(addr.checked_sub(1)?)?, 1)),
            i => Some((*COMMON_INPUTS.get(i - 1)?, 0)),
        }
    }

    /// Where the parts of an AnyTrans node are.
    #[inline]
    fn any_layout(&self, node: Node) -> Option<AnyLayout> {
        let (ntrans, ntrans_len) = match usize::from(node.state & 0b0011_1111) {
            0 => {
                let n = usize::from(self.byte(node.addr.checked_sub(1)?)?);
                // 1 transition is always in the state byte, so 1 here
                // stands for 256 (which does not fit in a byte).
                (if n == 1 { 256 } else { n }, 1)
            }
            n => (n, 0),
        };
        let sizes_at = node.addr.checked_sub(ntrans_len + 1)?;
        let (tsize, osize) = pack_sizes(self.byte(sizes_at)?)?;
        let index_len = if ntrans > TRANS_INDEX_THRESHOLD {
            256
        } else {
            0
        };
        let final_len = if node.is_final() { osize } else { 0 };
        // At most 256 + 256 × 17 + 8: no overflow. Everything between `end`
        // and `sizes_at` is then in bounds of the node, so the sums below
        // cannot overflow either.
        let end = sizes_at.checked_sub(index_len + ntrans * (1 + tsize + osize) + final_len)?;
        let deltas_at = end + final_len + ntrans * osize;
        let inputs_at = deltas_at + ntrans * tsize;
        Some(AnyLayout {
            ntrans,
            tsize,
            osize,
            index_at: inputs_at + ntrans,
            inputs_at,
            deltas_at,
            end,
        })
    }

    #[inline]
    fn any_step(&self, node: Node, byte: u8) -> Option<(u64, Node)> {
        let l = self.any_layout(node)?;
        let i = if l.ntrans > TRANS_INDEX_THRESHOLD {
            let i = usize::from(self.byte(l.index_at + usize::from(byte))?);
            // The index holds 255 (or any number ≥ the count) for "none".
            if i >= l.ntrans {
                return None;
            }
            i
        } else {
            let p = self.find_byte(l.inputs_at, l.ntrans, byte)?;
            l.ntrans - 1 - p
        };
        // Transition i is the i-th from the top of each list.
        let delta = self.delta(l.inputs_at - (i + 1) * l.tsize, l.tsize)?;
        let out = self.uint(l.deltas_at - (i + 1) * l.osize, l.osize)?;
        Some((out, self.target(l.end, delta)?))
    }

    /// The position of `byte` among the `n` (at most 32) bytes at `at`.
    #[inline]
    fn find_byte(&self, at: usize, n: usize, byte: u8) -> Option<usize> {
        const LO: u64 = 0x0101_0101_0101_0101;
        const HI: u64 = 0x8080_8080_8080_8080;
        let pattern = LO.wrapping_mul(u64::from(byte));
        let mut k = 0;
        while k < n {
            // Eight bytes at a time (bytes past the `n` inputs belong to the
            // same node, or the footer: in bounds for a node that is); the
            // lowest zero byte of `w` is exactly the first match.
            let Some(w) = self.u64_at(at + k) else {
                let inputs = self.data.get(at + k..at + n)?;
                return inputs.iter().position(|&b| b == byte).map(|p| k + p);
            };
            let w = w ^ pattern;
            let zeros = w.wrapping_sub(LO) & !w & HI;
            if zeros != 0 {
                let p = k + (zeros.trailing_zeros() / 8) as usize;
                return (p < n).then_some(p);
            }
            k += 8;
        }
        None
    }

    /// Eight bytes at `at`, little-endian, if in bounds.
    #[inline]
    fn u64_at(&self, at: usize) -> Option<u64> {
        let bytes: [u8; 8] = self.data.get(at..at.checked_add(8)?)?.try_into().ok()?;
        Some(u64::from_le_bytes(bytes))
    }
}

/// The layout of an AnyTrans node (byte offsets into the fst).
struct AnyLayout {
    ntrans: usize,
    tsize: usize,
    osize: usize,
    index_at: usize,
    inputs_at: usize,
    deltas_at: usize,
    end: usize,
}

/// The (address delta, output) sizes of a pack-size byte; `None` if either
/// exceeds 8 bytes.
#[inline]
fn pack_sizes(b: u8) -> Option<(usize, usize)> {
    let (t, o) = (usize::from(b >> 4), usize::from(b & 0x0f));
    (t <= 8 && o <= 8).then_some((t, o))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;
    use std::panic::{AssertUnwindSafe, catch_unwind};

    /// An fst map built by `fst::MapBuilder` from `keys`.
    fn build(keys: &BTreeMap<Vec<u8>, u64>) -> Vec<u8> {
        let mut b = fst::MapBuilder::memory();
        for (k, v) in keys {
            b.insert(k, *v).unwrap();
        }
        b.into_inner().unwrap()
    }

    /// The bytes `fst` 0.4.7's `MapBuilder` writes for a small map whose
    /// nodes take every layout this reader decodes (the empty key, one and
    /// many transitions, outputs on transitions and on final nodes, a
    /// shared suffix). The workspace pins `fst = "=0.4.7"`: this reader
    /// reads that writer's layout, so an upgrade that changes a byte fails
    /// here and the reader must be checked against the new layout first.
    const GOLDEN_KEYS: &[(&[u8], u64)] = &[
        (b"", 7),
        (b"a", 1),
        (b"ab", 300),
        (b"abc", 2),
        (b"b", 70_000),
        (b"bc", 5),
        (b"example.org/", 1 << 40),
        (b"xyz", 0),
    ];
    const GOLDEN_HEX: &str = concat!(
        "030000000000000000000000000000002a010000006312410001016211416b110100000000631341001083d7c7c4",
        "cdc2cfc9d0c5ea0010b6dd0700000000000000000000000000000000010500000000000100000000000105121c78",
        "6562611644080000000000000060000000000000009107f7ec",
    );

    #[test]
    fn writer_layout_is_the_pinned_one() {
        let map: BTreeMap<Vec<u8>, u64> =
            GOLDEN_KEYS.iter().map(|(k, v)| (k.to_vec(), *v)).collect();
        let bytes = build(&map);
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex, GOLDEN_HEX,
            "fst's writer lays out a map differently from 0.4.7"
        );
        let fst = open(&bytes).unwrap();
        for (k, v) in GOLDEN_KEYS {
            assert_eq!(fst.get(k), Some(*v), "key {k:?}");
        }
        assert_eq!(fst.get(b"abcd"), None);
    }

    fn open(bytes: &[u8]) -> Result<Fst<'_>, String> {
        Ok(FstSection::open(bytes, 0..bytes.len())?.reader(bytes))
    }

    /// Asserts that the reader and `fst` agree on `key`: the value, and
    /// at every step the transition output, the node address, finality
    /// and final output.
    fn assert_same(bytes: &[u8], key: &[u8]) {
        let ours = open(bytes).unwrap();
        let map = fst::Map::new(bytes.to_vec()).unwrap();
        assert_eq!(ours.get(key), map.get(key), "get {key:?}");
        let theirs = map.as_fst();
        let (mut a, mut b) = (ours.root(), theirs.root());
        assert_eq!(a.addr, b.addr(), "root");
        for (k, &byte) in key.iter().enumerate() {
            let step = ours.step(a, byte);
            let t = b.find_input(byte).map(|i| b.transition(i));
            assert_eq!(
                step.map(|(out, n)| (out, n.addr)),
                t.map(|t| (t.out.value(), t.addr)),
                "step {k} of {key:?}"
            );
            let (Some((_, next)), Some(t)) = (step, t) else {
                break;
            };
            a = next;
            b = theirs.node(t.addr);
            assert_eq!(a.is_final(), b.is_final(), "final at {k} of {key:?}");
            assert_eq!(
                ours.final_output(a),
                b.is_final().then(|| b.final_output().value()),
                "final output at {k} of {key:?}"
            );
        }
    }

    /// Bytes drawn mostly from a small alphabet (so keys share prefixes and
    /// nodes get several transitions), with common-input and other bytes.
    fn key_byte() -> impl Strategy<Value = u8> {
        prop_oneof![
            4 => prop::sample::select(b"abc./-0".to_vec()),
            1 => any::<u8>(),
        ]
    }

    fn value() -> impl Strategy<Value = u64> {
        prop_oneof![Just(0u64), 0..300u64, any::<u64>()]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// The reader answers exactly what `fst::Map::get` answers, for
        /// keys in the map, their prefixes and extensions, and other keys.
        #[test]
        fn agrees_with_fst(
            keys in prop::collection::btree_map(prop::collection::vec(key_byte(), 0..10), value(), 0..120),
            queries in prop::collection::vec(prop::collection::vec(key_byte(), 0..12), 0..40),
        ) {
            let bytes = build(&keys);
            for key in keys.keys() {
                assert_same(&bytes, key);
                for cut in 0..key.len() {
                    assert_same(&bytes, &key[..cut]);
                }
                let mut longer = key.clone();
                longer.push(b'a');
                assert_same(&bytes, &longer);
            }
            for q in &queries {
                assert_same(&bytes, q);
            }
        }

        /// The walk visits exactly the keys and values `fst`'s own stream
        /// gives, in the same order.
        #[test]
        fn walk_agrees_with_fst_stream(
            keys in prop::collection::btree_map(prop::collection::vec(key_byte(), 0..10), value(), 0..150),
        ) {
            use fst::Streamer as _;
            let bytes = build(&keys);
            let mut ours = Vec::new();
            let n = open(&bytes).unwrap().for_each(u64::MAX, |k, v| ours.push((k.to_vec(), v))).unwrap();
            let map = fst::Map::new(bytes.clone()).unwrap();
            let mut theirs = Vec::new();
            let mut stream = map.stream();
            while let Some((k, v)) = stream.next() {
                theirs.push((k.to_vec(), v));
            }
            prop_assert_eq!(n, theirs.len() as u64);
            prop_assert_eq!(ours, theirs);
        }

        /// Whatever the node bytes, the walk ends (an error or the keys),
        /// without a panic and within its key limit.
        #[test]
        fn walk_of_arbitrary_nodes_ends(nodes in prop::collection::vec(any::<u8>(), 1..600)) {
            let bytes = with_nodes(&nodes);
            let f = open(&bytes).unwrap();
            let mut seen = 0u64;
            match f.for_each(1000, |_, _| seen += 1) {
                Ok(n) => prop_assert_eq!(n, seen),
                Err(WalkError::TooManyKeys { max }) => prop_assert_eq!((max, seen), (1000, 1000)),
                Err(WalkError::Malformed { .. }) => prop_assert!(seen <= 1000),
            }
        }

        /// Whatever the node bytes between a valid header and footer,
        /// lookups end without a panic.
        #[test]
        fn arbitrary_nodes_never_panic(
            nodes in prop::collection::vec(any::<u8>(), 1..600),
            queries in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..16), 1..20),
        ) {
            let bytes = with_nodes(&nodes);
            let f = open(&bytes).unwrap();
            for q in &queries {
                let _ = f.get(q);
                walk(&f, q);
            }
        }
    }

    #[test]
    fn walk_stops_at_its_key_limit() {
        let keys: BTreeMap<Vec<u8>, u64> = (0..10u64)
            .map(|i| (format!("k{i}").into_bytes(), i))
            .collect();
        let bytes = build(&keys);
        let f = open(&bytes).unwrap();
        assert_eq!(f.for_each(10, |_, _| {}), Ok(10));
        assert_eq!(
            f.for_each(9, |_, _| {}),
            Err(WalkError::TooManyKeys { max: 9 })
        );
    }

    /// Steps along `key` as the classifier does, asking for final outputs.
    fn walk(f: &Fst<'_>, key: &[u8]) {
        let mut node = f.root();
        for &b in key {
            let Some((_, next)) = f.step(node, b) else {
                return;
            };
            node = next;
            let _ = f.final_output(node);
        }
    }

    /// A version-3 map fst around `nodes`, whose last byte is the root.
    fn with_nodes(nodes: &[u8]) -> Vec<u8> {
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&3u64.to_le_bytes());
        bytes.extend_from_slice(&0u64.to_le_bytes());
        bytes.extend_from_slice(nodes);
        let root = bytes.len() as u64 - 1;
        bytes.extend_from_slice(&1u64.to_le_bytes());
        bytes.extend_from_slice(&root.to_le_bytes());
        bytes.extend_from_slice(&0u32.to_le_bytes());
        bytes
    }

    #[test]
    fn every_node_shape_agrees_with_fst() {
        let mut cases: Vec<(&str, BTreeMap<Vec<u8>, u64>)> = Vec::new();
        let all_bytes = |prefix: &[u8], n: usize| -> BTreeMap<Vec<u8>, u64> {
            (0..n)
                .map(|b| {
                    let mut k = prefix.to_vec();
                    k.push(b as u8);
                    (
                        k,
                        (b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (b % 64),
                    )
                })
                .collect()
        };
        // Every byte as the one input of a OneTrans root (common inputs and
        // the others), then of a OneTransNext node.
        for b in 0..=255u8 {
            cases.push(("one key of one byte", BTreeMap::from([(vec![b], 7)])));
            cases.push((
                "one key of three bytes",
                BTreeMap::from([(vec![b, b, b], 0)]),
            ));
        }
        cases.push(("32 transitions: no index", all_bytes(b"", 32)));
        cases.push(("33 transitions: index", all_bytes(b"", 33)));
        cases.push(("255 transitions", all_bytes(b"x", 255)));
        cases.push(("256 transitions: count byte 1", all_bytes(b"", 256)));
        cases.push((
            "final node with transitions and outputs",
            BTreeMap::from([
                (b"a".to_vec(), 5),
                (b"ab".to_vec(), 9),
                (b"abc".to_vec(), u64::MAX),
                (b"b".to_vec(), 0),
            ]),
        ));
        cases.push((
            "the empty key only, output 0",
            BTreeMap::from([(vec![], 0)]),
        ));
        cases.push((
            "the empty key only, output 3",
            BTreeMap::from([(vec![], 3)]),
        ));
        cases.push(("empty map", BTreeMap::new()));
        for (name, keys) in &cases {
            let bytes = build(keys);
            let mut queries: Vec<Vec<u8>> = keys.keys().cloned().collect();
            queries.extend([vec![], vec![0], vec![255], b"xyz".to_vec(), b"ab".to_vec()]);
            for q in &queries {
                assert_same(&bytes, q);
            }
            assert_eq!(
                FstSection::open(&bytes, 0..bytes.len()).unwrap().len(),
                keys.len() as u64,
                "{name}"
            );
        }
    }

    /// Opens `bytes` and looks up and walks a few keys; `fst`'s own decoder
    /// is tried too, to show the bytes are hostile to it.
    fn hostile(name: &str, nodes: &[u8], fst_panics: bool) {
        let bytes = with_nodes(nodes);
        let f = open(&bytes).unwrap();
        for key in [&b""[..], b"a", b"ab", b"\x00", b"\xff\xff", b"abcdefgh"] {
            assert_eq!(f.get(key), None, "{name}: {key:?}");
            walk(&f, key);
        }
        let theirs = catch_unwind(AssertUnwindSafe(|| {
            let map = fst::Map::new(bytes.clone()).unwrap();
            for key in [&b"a"[..], b"ab", b"\x00", b"\xff\xff"] {
                let _ = map.get(key);
            }
        }));
        assert_eq!(theirs.is_err(), fst_panics, "{name}: did fst panic?");
    }

    #[test]
    fn hostile_nodes_are_no_match() {
        // (name, node bytes (the last one is the root's state), whether
        // `fst` 0.4.7 panics on them)
        let cases: [(&str, &[u8], bool); 9] = [
            // OneTrans on 'a' (state 0b10_000101: common input 5), pack
            // sizes 0x80 (8-byte delta, no output), a delta far past the
            // start of the fst.
            (
                "OneTrans delta before the start",
                b"\xff\xff\xff\xff\xff\xff\xff\x7f\x80\x85",
                true,
            ),
            // OneTrans, pack size byte says 15-byte delta and output.
            ("pack sizes above 8", &[0xff, 0b10_000101], true),
            // OneTrans, delta size 0.
            ("delta of zero bytes", &[0x00, 0b10_000101], true),
            // AnyTrans, 256 transitions (count byte 1), nothing below.
            ("256 transitions in 3 bytes", &[0x11, 1, 0b00_000000], true),
            // AnyTrans with 63 transitions and a 1-byte delta: the index
            // and inputs would start before the fst.
            ("63 transitions in 2 bytes", &[0x11, 0b00_111111], true),
            // OneTransNext on 'a' as the first node: the next node would
            // be at address 15, in the header. Reads garbage, no panic.
            ("OneTransNext into the header", &[0b11_000101], false),
            // OneTransNext with a non-common input byte below it, at the
            // very first node byte: fine, then the header again.
            ("OneTransNext, explicit input", &[b'a', 0b11_000000], false),
            // AnyTrans, final, 40 transitions (so an index), 8-byte
            // outputs, in 2 bytes: the node would start before the fst.
            ("final node larger than the fst", &[0x18, 0b01_101000], true),
            // AnyTrans with 40 transitions (index) whose index maps every
            // byte to transition 200 (≥ 40: none).
            (
                "index entries out of range",
                &{
                    let mut n = vec![0u8; 40 * 2];
                    n.extend([200u8; 256]);
                    n.extend([0x10, 40, 0b00_000000]);
                    n
                },
                false,
            ),
        ];
        for (name, nodes, fst_panics) in cases {
            hostile(name, nodes, fst_panics);
        }
    }

    #[test]
    fn every_bit_flip_of_a_real_fst_is_safe() {
        let keys: BTreeMap<Vec<u8>, u64> = (0..60u64)
            .map(|i| {
                (
                    format!("k{}.ex{}/p{}", i % 7, i, i * 31).into_bytes(),
                    i * 1000,
                )
            })
            .chain((0..40u8).map(|b| (vec![b'z', b], u64::from(b) << 40)))
            .collect();
        let bytes = build(&keys);
        let queries: Vec<&Vec<u8>> = keys.keys().collect();
        let n = bytes.len();
        // Every node byte (the header and footer are checked by `open`).
        for i in FST_HEADER_LEN..n - FST_FOOTER_LEN {
            for bit in 0..8 {
                let mut m = bytes.clone();
                m[i] ^= 1 << bit;
                let f = open(&m).unwrap();
                for q in &queries {
                    let _ = f.get(q);
                    walk(&f, q);
                }
            }
        }
    }

    #[test]
    fn open_checks_header_and_footer() {
        let good = build(&BTreeMap::from([(b"ab".to_vec(), 1), (b"b".to_vec(), 2)]));
        assert!(FstSection::open(&good, 0..good.len()).is_ok());
        let n = good.len();
        let set = |at: usize, v: u64| {
            let mut m = good.clone();
            m[at..at + 8].copy_from_slice(&v.to_le_bytes());
            m
        };
        let cases: [(&str, Vec<u8>, &str); 8] = [
            ("too short", good[..35].to_vec(), "too short"),
            ("version 2", set(0, 2), "version 2"),
            ("version 4", set(0, 4), "version 4"),
            ("a set's type", set(8, 1), "type 1"),
            (
                "root one byte early",
                set(n - 12, (n - 22) as u64),
                "root address",
            ),
            ("root past the end", set(n - 12, u64::MAX), "root address"),
            ("root in the header", set(n - 12, 0), "root address"),
            ("truncated", good[..n - 1].to_vec(), "root address"),
        ];
        for (name, bytes, want) in cases {
            let err = FstSection::open(&bytes, 0..bytes.len()).unwrap_err();
            assert!(err.contains(want), "{name}: {err}");
        }
        assert_eq!(
            FstSection::open(&good, 0..good.len() + 1).unwrap_err(),
            "out of bounds"
        );
        // A section opened on other bytes reads nothing, without panicking.
        let s = FstSection::open(&good, 0..good.len()).unwrap();
        assert_eq!(s.reader(&good[..10]).get(b"ab"), None);
        assert_eq!(s.reader(&good).get(b"ab"), Some(1));
    }
}
