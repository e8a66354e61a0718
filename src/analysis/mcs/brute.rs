//! Brute force: every subset of the events up to the order, evaluated with
//! [`FaultTree::evaluate`]. The oracle of the engines' property tests; only for
//! trees with a handful of events.

use super::{FaultTree, NodeIx};

/// Minimal cut sets of each root of order ≤ `order`, in the engines' output order.
/// A failing set is minimal when no set with one event fewer fails (the logic is
/// monotone). Panics above 20 events.
pub(crate) fn cut_sets(tree: &FaultTree, roots: &[NodeIx], order: usize) -> Vec<Vec<Vec<u32>>> {
    let n = tree.event_count as usize;
    assert!(n <= 20, "brute force is for small trees");
    let fails = |root: NodeIx, mask: u32| {
        let failed: Vec<bool> = (0..n).map(|e| mask & (1 << e) != 0).collect();
        tree.evaluate(root, &failed)
    };
    roots
        .iter()
        .map(|&root| {
            let mut sets: Vec<Vec<u32>> = (0u32..1 << n)
                .filter(|m| m.count_ones() as usize <= order)
                .filter(|&m| fails(root, m))
                .filter(|&m| (0..n).all(|e| m & (1 << e) == 0 || !fails(root, m & !(1 << e))))
                .map(|m| (0..n as u32).filter(|e| m & (1 << e) != 0).collect())
                .collect();
            sets.sort_unstable_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
            sets
        })
        .collect()
}
