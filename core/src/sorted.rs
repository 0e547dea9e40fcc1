//! One stable sort for the decision-time code.
//!
//! `slice::sort_by` is generic over the element and the comparison, so each
//! call compiles a copy of the whole sort (about 5 KB of WebAssembly, and
//! the WebAssembly package sorts in seven places). The lists sorted here
//! are short (matches, lint findings, routes, risk factors), so they are
//! sorted through a permutation by one shared routine and then moved into
//! place once. The bundle builder, which sorts millions of keys, keeps the
//! standard sorts.

use std::cmp::Ordering;

/// Sorts `v` stably by `compare`, as `v.sort_by(compare)` does.
pub(crate) fn sort_by<T>(v: &mut Vec<T>, mut compare: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..v.len()).collect();
    let items: &[T] = v;
    sort_indices(&mut order, &mut |a, b| match (items.get(a), items.get(b)) {
        (Some(x), Some(y)) => compare(x, y),
        _ => Ordering::Equal,
    });
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(
        order
            .iter()
            .filter_map(|&i| slots.get_mut(i).and_then(Option::take)),
    );
}

/// Sorts `v` stably, as `v.sort()` does.
#[cfg(any(feature = "lint", feature = "incident"))]
pub(crate) fn sort<T: Ord>(v: &mut Vec<T>) {
    sort_by(v, T::cmp);
}

/// Sorts `v` stably by `key`, as `v.sort_by_key(key)` does.
#[cfg(feature = "incident")]
pub(crate) fn sort_by_key<T, K: Ord>(v: &mut Vec<T>, mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// The one instance of the sort algorithm: indices, by a comparison of the
/// elements they stand for.
#[inline(never)]
fn sort_indices(order: &mut [usize], compare: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| compare(a, b));
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn named_cases() {
        let cases: &[(&str, Vec<(u8, char)>)] = &[
            ("empty", vec![]),
            ("one", vec![(1, 'a')]),
            ("sorted", vec![(1, 'a'), (2, 'b'), (3, 'c')]),
            ("reversed", vec![(3, 'a'), (2, 'b'), (1, 'c')]),
            (
                "ties keep their order",
                vec![(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd')],
            ),
        ];
        for (name, input) in cases {
            let mut ours = input.clone();
            sort_by_key(&mut ours, |p| p.0);
            let mut std = input.clone();
            std.sort_by_key(|p| p.0);
            assert_eq!(ours, std, "{name}");
        }
    }

    proptest! {
        #[test]
        fn agrees_with_the_standard_stable_sort(v in prop::collection::vec((0u8..4, any::<u16>()), 0..200)) {
            let mut ours = v.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut std = v.clone();
            std.sort_by_key(|p| p.0);
            prop_assert_eq!(&ours, &std);
            let mut ours = v.clone();
            sort(&mut ours);
            let mut std = v;
            std.sort();
            prop_assert_eq!(ours, std);
        }
    }
}
