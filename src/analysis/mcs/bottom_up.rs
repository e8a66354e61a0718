//! The family engine: minimal cut sets by one bottom-up pass over the fault
//! tree, each node's *family* (its minimal cut sets of order ≤ k) as sorted
//! fixed-size arrays. OR is union plus subsumption removal; AND is the pairwise
//! product truncated at k, then minimised. Truncation is exact: a minimal cut
//! set of order ≤ k of an OR or AND only comes from members of order ≤ k.

use super::{FaultTree, LimitExceeded, Limits, Node, NodeIx};
use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

/// Highest order the engine supports.
pub const MAX_ORDER: usize = 6;

/// A set of raw event indices, sorted ascending, in a fixed array (no allocation).
/// Ordering is by length first, then lexicographic: the order minimisation needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Cut {
    len: u8,
    ev: [u32; MAX_ORDER],
}

impl Cut {
    pub(crate) fn from_sorted(events: &[u32]) -> Cut {
        let mut ev = [0; MAX_ORDER];
        ev[..events.len()].copy_from_slice(events);
        Cut {
            len: events.len() as u8,
            ev,
        }
    }
    pub(crate) fn events(&self) -> &[u32] {
        &self.ev[..self.len as usize]
    }
    /// The union, or `None` when it has more than `k` events.
    fn union(&self, other: &Cut, k: usize) -> Option<Cut> {
        let (a, b) = (self.events(), other.events());
        let mut ev = [0; MAX_ORDER];
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
            ev[n] = next;
            n += 1;
        }
        Some(Cut { len: n as u8, ev })
    }
    /// The sub-cut selecting the positions set in `mask`.
    fn subset(&self, mask: u32) -> Cut {
        let mut ev = [0; MAX_ORDER];
        let mut n = 0;
        for (p, &e) in self.events().iter().enumerate() {
            if mask & (1 << p) != 0 {
                ev[n] = e;
                n += 1;
            }
        }
        Cut { len: n as u8, ev }
    }
}

/// FNV-1a: a fixed, fast hasher (membership tests only; never iterated for output).
#[derive(Default)]
struct Fnv(u64);
impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x100_0000_01b3);
        }
        self.0 = h;
    }
}
type CutSetHash = HashSet<Cut, BuildHasherDefault<Fnv>>;

/// Sorts, deduplicates and removes every set that contains another set.
fn minimise(mut cuts: Vec<Cut>) -> Vec<Cut> {
    cuts.sort_unstable();
    cuts.dedup();
    if cuts.last().map_or(true, |c| c.len <= 1) {
        return cuts;
    }
    let mut kept = CutSetHash::default();
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

/// AND of two families: pairwise unions of order ≤ k, minimised; `None` past `max_work`.
fn product(a: &[Cut], b: &[Cut], k: usize, max_work: usize) -> Option<Vec<Cut>> {
    let mut out = Vec::new();
    for x in a {
        for y in b {
            if let Some(u) = x.union(y, k) {
                out.push(u);
                if out.len() > max_work {
                    return None;
                }
            }
        }
    }
    Some(minimise(out))
}

/// The minimal cut sets of order ≤ `order` of each root: each set ascending,
/// each list sorted by (length, events).
pub fn cut_sets(
    tree: &FaultTree,
    roots: &[NodeIx],
    order: usize,
    limits: &Limits,
) -> Result<Vec<Vec<Vec<u32>>>, LimitExceeded> {
    let k = order.clamp(1, MAX_ORDER);
    // Only the nodes under a root are solved.
    let mut needed = vec![false; tree.nodes.len()];
    let mut stack: Vec<NodeIx> = roots.to_vec();
    while let Some(n) = stack.pop() {
        if std::mem::replace(&mut needed[n as usize], true) {
            continue;
        }
        if let Node::And(c) | Node::Or(c) = &tree.nodes[n as usize] {
            stack.extend(c.iter().copied());
        }
    }
    let mut families: Vec<Option<std::rc::Rc<Vec<Cut>>>> = vec![None; tree.nodes.len()];
    let mut held = 0usize;
    let work = LimitExceeded::Work {
        limit: limits.max_work,
    };
    for (ix, node) in tree.nodes.iter().enumerate() {
        if !needed[ix] {
            continue;
        }
        let fam = |c: NodeIx| {
            std::rc::Rc::clone(
                families[c as usize]
                    .as_ref()
                    .expect("children precede their parents"),
            )
        };
        let family = match node {
            Node::Event(e) => std::rc::Rc::new(vec![Cut::from_sorted(&[*e])]),
            Node::Never => std::rc::Rc::new(Vec::new()),
            Node::Or(children) if children.len() == 1 => fam(children[0]),
            Node::And(children) if children.len() == 1 => fam(children[0]),
            Node::Or(children) => {
                let mut all = Vec::new();
                for &c in children {
                    all.extend(fam(c).iter().copied());
                }
                std::rc::Rc::new(minimise(all))
            }
            Node::And(children) => {
                let mut acc: Option<Vec<Cut>> = None;
                for &c in children {
                    let f = fam(c);
                    acc = Some(match acc {
                        None => f.to_vec(),
                        Some(a) if a.is_empty() => a,
                        Some(a) => product(&a, &f, k, limits.max_work).ok_or(work)?,
                    });
                }
                std::rc::Rc::new(acc.unwrap_or_else(|| vec![Cut::from_sorted(&[])]))
            }
        };
        held += family.len();
        if held > limits.max_work {
            return Err(work);
        }
        families[ix] = Some(family);
    }
    let mut total = 0usize;
    let mut out = Vec::with_capacity(roots.len());
    for &r in roots {
        let fam = families[r as usize].as_ref().expect("roots are solved");
        total += fam.len();
        if total > limits.max_sets {
            return Err(LimitExceeded::Sets {
                limit: limits.max_sets,
            });
        }
        out.push(fam.iter().map(|c| c.events().to_vec()).collect());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(ev: &[u32]) -> Cut {
        Cut::from_sorted(ev)
    }

    #[test]
    fn union_merges_sorted_and_truncates() {
        assert_eq!(cut(&[1, 4]).union(&cut(&[2, 4]), 3), Some(cut(&[1, 2, 4])));
        assert_eq!(cut(&[1, 4]).union(&cut(&[2, 4]), 2), None);
        assert_eq!(cut(&[3]).union(&cut(&[3]), 1), Some(cut(&[3])));
    }

    #[test]
    fn minimise_removes_duplicates_and_supersets() {
        let got = minimise(vec![
            cut(&[2, 3]),
            cut(&[1, 2, 3]),
            cut(&[2]),
            cut(&[4, 5]),
            cut(&[4, 5]),
            cut(&[1, 4, 5]),
        ]);
        assert_eq!(got, vec![cut(&[2]), cut(&[4, 5])]);
    }

    #[test]
    fn and_of_ors_is_the_product() {
        // (a ∨ b) ∧ (a ∨ c) = a ∨ (b ∧ c)
        let mut t = FaultTree {
            nodes: Vec::new(),
            event_count: 3,
        };
        let a = t.push(Node::Event(0));
        let b = t.push(Node::Event(1));
        let c = t.push(Node::Event(2));
        let ab = t.push(Node::Or(vec![a, b]));
        let ac = t.push(Node::Or(vec![a, c]));
        let top = t.push(Node::And(vec![ab, ac]));
        let got = cut_sets(&t, &[top], 2, &Limits::default()).unwrap();
        assert_eq!(got, vec![vec![vec![0], vec![1, 2]]]);
        let got = cut_sets(&t, &[top], 1, &Limits::default()).unwrap();
        assert_eq!(got, vec![vec![vec![0]]]);
    }

    #[test]
    fn a_product_past_the_work_limit_is_an_error() {
        let mut t = FaultTree {
            nodes: Vec::new(),
            event_count: 60,
        };
        let ors: Vec<NodeIx> = (0..2)
            .map(|g| {
                let ev: Vec<NodeIx> = (0..30).map(|e| t.push(Node::Event(g * 30 + e))).collect();
                t.push(Node::Or(ev))
            })
            .collect();
        let top = t.push(Node::And(ors));
        let limits = Limits {
            max_sets: 1000,
            max_work: 500,
        };
        assert_eq!(
            cut_sets(&t, &[top], 2, &limits),
            Err(LimitExceeded::Work { limit: 500 })
        );
    }
}
