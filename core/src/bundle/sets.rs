//! The metadata's list sets, held flat: every set's list ids in one array
//! and each set's end in another, read straight from the JSON into them.
//!
//! A table of `Vec`s costs 24 bytes per set before its first id, so
//! metadata of a million empty sets (`[],` is three bytes) would allocate
//! eight times its size, and each parallel table again. Flat, a set costs
//! four bytes and an id two, never more than the JSON that spells them:
//! what a bundle's metadata allocates stays a small multiple of its size
//! (`Limits`, "bundle").

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

/// Sets of list ids: set `i` is `ids[ends[i - 1]..ends[i]]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FlatSets {
    ids: Vec<u16>,
    ends: Vec<u32>,
}

impl FlatSets {
    /// How many sets.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Set `i`.
    pub(crate) fn get(&self, i: usize) -> Option<&[u16]> {
        let end = *self.ends.get(i)? as usize;
        let start = match i.checked_sub(1) {
            Some(p) => *self.ends.get(p)? as usize,
            None => 0,
        };
        self.ids.get(start..end)
    }

    /// Every set, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &[u16]> {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// Appends a set.
    pub(crate) fn push(&mut self, set: &[u16]) {
        self.ids.extend_from_slice(set);
        self.ends
            .push(u32::try_from(self.ids.len()).unwrap_or(u32::MAX));
    }

    /// Heap bytes held.
    pub(crate) fn heap(&self) -> usize {
        self.ids.capacity() * 2 + self.ends.capacity() * 4
    }
}

impl From<Vec<Vec<u16>>> for FlatSets {
    fn from(sets: Vec<Vec<u16>>) -> FlatSets {
        let mut out = FlatSets::default();
        for set in &sets {
            out.push(set);
        }
        out
    }
}

impl Serialize for FlatSets {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for set in self.iter() {
            seq.serialize_element(set)?;
        }
        seq.end()
    }
}

/// Reads one set's ids onto the end of `ids`.
struct AppendIds<'a>(&'a mut Vec<u16>);

impl<'de> DeserializeSeed<'de> for AppendIds<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for AppendIds<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list set (an array of list ids)")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(id) = seq.next_element::<u16>()? {
            self.0.push(id);
        }
        Ok(())
    }
}

/// Reads sets onto the end of a [`FlatSets`].
struct AppendSets<'a>(&'a mut FlatSets);

impl<'de> Visitor<'de> for AppendSets<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of list sets")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(AppendIds(&mut self.0.ids))?.is_some() {
            let end = u32::try_from(self.0.ids.len())
                .map_err(|_| serde::de::Error::custom("too many list ids"))?;
            self.0.ends.push(end);
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for FlatSets {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<FlatSets, D::Error> {
        let mut out = FlatSets::default();
        deserializer.deserialize_seq(AppendSets(&mut out))?;
        Ok(out)
    }
}

/// Subsets of some list sets: `(set id, lists)` pairs by increasing set id
/// (the metadata's `folded_sets` and `string_prefix_sets`), held flat.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Subsets {
    /// The set id of each pair.
    sets: Vec<u32>,
    /// The lists of each pair, parallel to `sets`.
    lists: FlatSets,
}

impl Subsets {
    /// Whether there are none.
    pub(crate) fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// The pairs, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u32, &[u16])> {
        self.sets.iter().copied().zip(self.lists.iter())
    }

    /// The subset of set `set`, if it has one (set ids are increasing:
    /// [`crate::bundle`]'s loader checks it).
    pub(crate) fn get(&self, set: usize) -> Option<&[u16]> {
        let set = u32::try_from(set).ok()?;
        let i = self.sets.binary_search(&set).ok()?;
        self.lists.get(i)
    }

    /// Appends a pair (the builder writes them).
    #[cfg(feature = "compile")]
    pub(crate) fn push(&mut self, set: u32, lists: &[u16]) {
        self.sets.push(set);
        self.lists.push(lists);
    }

    /// Heap bytes held.
    pub(crate) fn heap(&self) -> usize {
        self.sets.capacity() * 4 + self.lists.heap()
    }
}

impl Serialize for Subsets {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.sets.len()))?;
        for pair in self.iter() {
            seq.serialize_element(&pair)?;
        }
        seq.end()
    }
}

/// Reads one `[set, [lists…]]` pair onto the end of a [`Subsets`].
struct AppendPair<'a>(&'a mut Subsets);

impl<'de> DeserializeSeed<'de> for AppendPair<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_tuple(2, self)
    }
}

impl<'de> Visitor<'de> for AppendPair<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a tuple of size 2")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let set: u32 = seq
            .next_element()?
            .ok_or_else(|| serde::de::Error::invalid_length(0, &self))?;
        seq.next_element_seed(AppendIds(&mut self.0.lists.ids))?
            .ok_or_else(|| serde::de::Error::invalid_length(1, &self))?;
        let end = u32::try_from(self.0.lists.ids.len())
            .map_err(|_| serde::de::Error::custom("too many list ids"))?;
        self.0.lists.ends.push(end);
        self.0.sets.push(set);
        Ok(())
    }
}

/// Reads pairs onto the end of a [`Subsets`].
struct AppendPairs<'a>(&'a mut Subsets);

impl<'de> Visitor<'de> for AppendPairs<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of `[set, [lists]]` pairs")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(AppendPair(self.0))?.is_some() {}
        Ok(())
    }
}

impl<'de> Deserialize<'de> for Subsets {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Subsets, D::Error> {
        let mut out = Subsets::default();
        deserializer.deserialize_seq(AppendPairs(&mut out))?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::{FlatSets, Subsets};

    #[test]
    fn sets_read_and_write_as_arrays_of_arrays() {
        let cases = [
            ("none", "[]"),
            ("the empty set", "[[]]"),
            ("three", "[[],[0],[0,1]]"),
        ];
        for (name, text) in cases {
            let sets: FlatSets = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_string(&sets).unwrap(), text, "{name}");
        }
        let sets: FlatSets = serde_json::from_str("[[],[0],[0,1]]").unwrap();
        assert_eq!(sets.get(0), Some(&[][..]));
        assert_eq!(sets.get(2), Some(&[0, 1][..]));
        assert_eq!(sets.get(3), None);
        assert_eq!(sets, FlatSets::from(vec![vec![], vec![0], vec![0, 1]]));
    }

    #[test]
    fn subsets_read_and_write_as_pairs() {
        let text = "[[1,[0]],[4,[1,2]]]";
        let subsets: Subsets = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&subsets).unwrap(), text);
        assert_eq!(subsets.get(4), Some(&[1, 2][..]));
        assert_eq!(subsets.get(2), None);
        for (name, bad) in [
            ("one", "[[1]]"),
            ("three", "[[1,[0],2]]"),
            ("not ids", "[[1,[\"a\"]]]"),
        ] {
            assert!(serde_json::from_str::<Subsets>(bad).is_err(), "{name}");
        }
    }
}
