//! The crate's one stable sort. Every `sort_by` call site compiled its own copy of the standard
//! library's driftsort (16 copies, about 60 kB of wasm before wasm-opt): here the items' indices
//! are sorted through one non-generic instance, and the items are then moved into that order.

use std::cmp::Ordering;

/// `0..n` in the stable order `cmp` gives the indices (equal ones keep their order).
// NOTE: `&mut dyn` on purpose, for size: it keeps this the only instance of the standard sort.
pub fn order_by(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Sorts `v` stably by `cmp`, as `slice::sort_by` does.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() > 1 {
        let order = order_by(v.len(), &mut |a, b| cmp(&v[a], &v[b]));
        permute(v, order);
    }
}

/// Sorts `v` stably by `key`, as `slice::sort_by_key` does.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` stably, as `slice::sort` does.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// Puts `v` in `order` (`order[k]`: where the item for place `k` is now), cycle by cycle.
fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    for start in 0..v.len() {
        let mut pos = start;
        loop {
            let src = order[pos];
            // A place once filled points at itself, so its cycle is not followed again.
            order[pos] = pos;
            if src == start {
                break;
            }
            v.swap(pos, src);
            pos = src;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sorts_as_the_standard_stable_sort(v in proptest::collection::vec((0u8..6, any::<u16>()), 0..200)) {
            let mut want = v.clone();
            want.sort_by_key(|p| p.0);
            let mut got = v.clone();
            sort_by_key(&mut got, |p| p.0);
            prop_assert_eq!(&got, &want);
            let mut all = v.clone();
            sort(&mut all);
            let mut std_all = v;
            std_all.sort();
            prop_assert_eq!(all, std_all);
        }
    }

    #[test]
    fn equal_keys_keep_their_order() {
        let mut v = vec![(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd'), (0, 'e')];
        sort_by(&mut v, |a, b| a.0.cmp(&b.0));
        assert_eq!(v, [(0, 'e'), (1, 'b'), (1, 'd'), (2, 'a'), (2, 'c')]);
        assert_eq!(order_by(4, &mut |a, b| (a % 2).cmp(&(b % 2))), [0, 2, 1, 3]);
    }
}
