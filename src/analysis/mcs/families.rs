//! The family engine: the cut-set algorithm chokepoint shipped before the ZBDD,
//! ported to the [`FaultTree`] and kept as the ZBDD's cross-check partner.
//!
//! Each gate's family of minimal cut sets of order ≤ k is a sorted list of
//! fixed-size event arrays. OR is union plus subsumption removal; AND is the
//! pairwise product truncated at order k, then minimised. Nothing is shared
//! between families, so it is quadratic where the ZBDD shares structure; the
//! benchmark in docs/performance.md measures the difference.

use super::{FaultTree, LimitExceeded, Limits, Node, NodeIx};
use std::collections::HashSet;

/// Highest order this engine computes; larger orders are clamped.
pub const MAX_ORDER: usize = 6;

/// A set of raw events, ascending, in a fixed array. Ordered by length first,
/// then lexicographically: the order minimisation needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Cut {
    len: u8,
    ev: [u32; MAX_ORDER],
}

impl Cut {
    const EMPTY: Cut = Cut {
        len: 0,
        ev: [0; MAX_ORDER],
    };

    fn single(e: u32) -> Cut {
        let mut c = Cut::EMPTY;
        c.ev[0] = e;
        c.len = 1;
        c
    }
    fn events(&self) -> &[u32] {
        &self.ev[..usize::from(self.len)]
    }
    /// The union, or `None` when it has more than `k` events.
    fn union(&self, other: &Cut, k: usize) -> Option<Cut> {
        let (a, b) = (self.events(), other.events());
        let mut out = Cut::EMPTY;
        let (mut i, mut j, mut n) = (0, 0, 0);
        while i < a.len() || j < b.len() {
            let next = if j == b.len() || (i < a.len() && a[i] < b[j]) {
                i += 1;
                a[i - 1]
            } else if i == a.len() || b[j] < a[i] {
                j += 1;
                b[j - 1]
            } else {
                i += 1;
                j += 1;
                a[i - 1]
            };
            if n == k {
                return None;
            }
            out.ev[n] = next;
            n += 1;
        }
        out.len = n as u8;
        Some(out)
    }
    /// The sub-cut selecting the positions set in `mask`.
    fn subset(&self, mask: u32) -> Cut {
        let mut out = Cut::EMPTY;
        for (p, &e) in self.events().iter().enumerate() {
            if mask & (1 << p) != 0 {
                out.ev[usize::from(out.len)] = e;
                out.len += 1;
            }
        }
        out
    }
}

/// Sorts, deduplicates and removes every set that contains another set.
fn minimise(mut cuts: Vec<Cut>) -> Vec<Cut> {
    cuts.sort_unstable();
    cuts.dedup();
    if cuts.first().is_some_and(|c| c.len == 0) {
        return vec![Cut::EMPTY];
    }
    if cuts.last().is_none_or(|c| c.len <= 1) {
        return cuts;
    }
    let mut kept: HashSet<Cut> = HashSet::with_capacity(cuts.len());
    let mut out = Vec::with_capacity(cuts.len());
    for c in cuts {
        // Sorted by length: every possible subset was decided before `c`.
        let full = (1u32 << c.len) - 1;
        let subsumed = c.len > 1 && (1..full).any(|m| kept.contains(&c.subset(m)));
        if !subsumed {
            kept.insert(c);
            out.push(c);
        }
    }
    out
}

/// AND of two families: pairwise unions of order ≤ k, minimised.
fn product(a: &[Cut], b: &[Cut], k: usize, max_work: usize) -> Result<Vec<Cut>, LimitExceeded> {
    let mut out = Vec::new();
    for x in a {
        for y in b {
            if let Some(u) = x.union(y, k) {
                if out.len() >= max_work {
                    return Err(LimitExceeded::Work { limit: max_work });
                }
                out.push(u);
            }
        }
    }
    Ok(minimise(out))
}

/// Same contract as [`super::zbdd::cut_sets`], with `order` clamped to
/// [`MAX_ORDER`]. `max_work` bounds the sets held in all families at once.
pub fn cut_sets(
    tree: &FaultTree,
    roots: &[NodeIx],
    order: usize,
    limits: &Limits,
) -> Result<Vec<Vec<Vec<u32>>>, LimitExceeded> {
    let k = order.min(MAX_ORDER);
    let top = roots.iter().map(|&r| r as usize + 1).max().unwrap_or(0);
    let mut needed = vec![false; top];
    for &r in roots {
        needed[r as usize] = true;
    }
    for i in (0..top).rev() {
        if let (true, Node::And(c) | Node::Or(c)) = (needed[i], &tree.nodes[i]) {
            for &x in c {
                needed[x as usize] = true;
            }
        }
    }
    let mut families: Vec<Vec<Cut>> = vec![Vec::new(); top];
    let mut held = 0usize;
    for i in 0..top {
        if !needed[i] {
            continue;
        }
        let fam = match &tree.nodes[i] {
            Node::Never => Vec::new(),
            Node::Event(e) if k > 0 => vec![Cut::single(*e)],
            Node::Event(_) => Vec::new(),
            Node::Or(c) => minimise(
                c.iter()
                    .flat_map(|&x| families[x as usize].iter().copied())
                    .collect(),
            ),
            Node::And(c) => {
                let mut acc = vec![Cut::EMPTY];
                for &x in c {
                    if acc.is_empty() {
                        break;
                    }
                    acc = product(&acc, &families[x as usize], k, limits.max_work - held)?;
                }
                acc
            }
        };
        held += fam.len();
        if held > limits.max_work {
            return Err(LimitExceeded::Work {
                limit: limits.max_work,
            });
        }
        families[i] = fam;
    }
    let total: usize = roots.iter().map(|&r| families[r as usize].len()).sum();
    if total > limits.max_sets {
        return Err(LimitExceeded::Sets {
            limit: limits.max_sets,
        });
    }
    Ok(roots
        .iter()
        .map(|&r| {
            families[r as usize]
                .iter()
                .map(|c| c.events().to_vec())
                .collect()
        })
        .collect())
}
