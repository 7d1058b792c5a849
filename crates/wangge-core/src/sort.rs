//! One stable sort for every list the app sorts. `slice::sort_by` is generic over the
//! element and the comparator, so each call site used to ship its own copy of the whole
//! sort algorithm in the browser's wasm (about 3 KB each, 25 copies). Here the algorithm
//! is instantiated once, on indices, behind a `dyn` comparator; the generic part left per
//! call site is a few lines of swapping. [`insert_all`] does the same for `collect()` into
//! sorted maps and sets, which sort a buffer first.

use std::cmp::Ordering;

/// Sorts `items` like `items.sort_by(compare)`: stable (equal items keep their order),
/// the same result for the same comparator.
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let order = sorted_order(items.len(), &mut |a, b| compare(&items[a], &items[b]));
    permute(&order, &mut |a, b| items.swap(a, b));
}

/// Sorts `items` like `items.sort_by_key(key)`.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// `items.into_iter().collect()` into a `BTreeMap`, `BTreeSet` or `serde_json::Map`, by
/// inserting one item at a time. `collect()` into those first sorts a buffer with the
/// stable sort, compiled once per iterator type: every call site's closures make their
/// own type, so each such `collect()` shipped its own copy of the sort (~3 KB each in the
/// worker's wasm). Inserting needs only the map's `insert`, one copy per map type. Same
/// result: a later item with an equal key replaces the earlier one's value, as there.
pub fn insert_all<C: Default + Extend<T>, T>(items: impl IntoIterator<Item = T>) -> C {
    let mut out = C::default();
    out.extend(items);
    out
}

/// The positions of `0..len` in sorted order (a stable sort of the indices).
fn sorted_order(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Moves the item at `order[i]` to position `i` for every `i`, one cycle of the
/// permutation at a time, with `swap` only.
fn permute(order: &[usize], swap: &mut dyn FnMut(usize, usize)) {
    let mut placed = vec![false; order.len()];
    for start in 0..order.len() {
        let mut at = start;
        while !placed[at] {
            placed[at] = true;
            let from = order[at];
            if from == start {
                break;
            }
            swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorting_matches_the_standard_stable_sort() {
        // A deterministic scramble with many equal keys, so stability is exercised.
        let mut seed = 7u64;
        for len in [0usize, 1, 2, 3, 10, 33, 200] {
            let items: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    ((seed >> 59) as u8, i)
                })
                .collect();
            let mut ours = items.clone();
            let mut std_sorted = items.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            std_sorted.sort_by_key(|a| a.0);
            assert_eq!(ours, std_sorted, "len {len}");
        }
    }

    #[test]
    fn inserting_all_gives_what_collect_gives() {
        let pairs = [("b", 1), ("a", 2), ("b", 3), ("c", 4), ("a", 5)];
        let ours: std::collections::BTreeMap<_, _> = insert_all(pairs);
        assert_eq!(ours, pairs.into_iter().collect());
        let json: serde_json::Map<String, serde_json::Value> =
            insert_all(pairs.map(|(k, v)| (k.to_owned(), serde_json::json!(v))));
        assert_eq!(serde_json::Value::Object(json), serde_json::json!({"a": 5, "b": 3, "c": 4}));
    }

    #[test]
    fn equal_keys_keep_their_order() {
        let mut words = vec!["pear", "fig", "apple", "kiwi", "plum", "date"];
        sort_by_key(&mut words, |w| w.len());
        assert_eq!(words, ["fig", "pear", "kiwi", "plum", "date", "apple"]);
    }
}
