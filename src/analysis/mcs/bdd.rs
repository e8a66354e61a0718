//! Exact probability of a monotone fault tree, and the importance of each basic
//! event, from a reduced ordered binary decision diagram (docs/metrics.md §10).
//!
//! Owns: the ROBDD (`ite` nodes in one array, a unique table so equal functions
//! are one node, a computed table per operation), its construction from a
//! [`FaultTree`], the variable order, the probability pass (Shannon expansion)
//! and conditioning on one event. Never: knows what an event means, reads a
//! probability from the model, or recurses (apply runs on an explicit stack, so
//! thousands of variables cannot overflow the call stack).
//!
//! Variable order: the order in which a depth-first, left-to-right walk from the
//! roots (in the order given) first meets each event. Events of one subtree stay
//! together, which keeps diagrams of supply trees small.

use super::{FaultTree, LimitExceeded, Limits, Node, NodeIx};
use std::collections::HashMap;

/// Index of a diagram node: 0 is the constant false, 1 the constant true.
pub type Ref = u32;
const FALSE: Ref = 0;
const TRUE: Ref = 1;

/// `ite(var, hi, lo)`: hi when the variable at `level` fails, lo otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Ite {
    level: u32,
    hi: Ref,
    lo: Ref,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Op {
    And,
    Or,
}

/// The diagrams of some roots of one fault tree, sharing nodes.
pub struct Diagram {
    /// Every node; children always have smaller indices than their parent, so
    /// index order is a bottom-up order. Entries 0 and 1 are the terminals.
    nodes: Vec<Ite>,
    unique: HashMap<Ite, Ref>,
    computed: HashMap<(Op, Ref, Ref), Ref>,
    /// Event at each level.
    order: Vec<u32>,
    roots: Vec<Ref>,
    max_nodes: usize,
}

/// P(top), P(top | e fails) and P(top | e never fails) of one event.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Conditioned {
    pub event: u32,
    pub p1: f64,
    pub p0: f64,
}

impl Diagram {
    /// Builds the diagram of each root. At most `limits.max_work / 10` nodes and
    /// cached results together (a node with its unique-table and cache entries
    /// takes about ten times a cut-set engine's unit of work; 5 million by
    /// default, some 400 MB); beyond it, [`LimitExceeded::Work`] with that bound.
    pub fn build(
        tree: &FaultTree,
        roots: &[NodeIx],
        limits: &Limits,
    ) -> Result<Diagram, LimitExceeded> {
        let order = variable_order(tree, roots);
        let mut level_of = vec![u32::MAX; tree.event_count as usize];
        for (level, &e) in order.iter().enumerate() {
            level_of[e as usize] = level as u32;
        }
        let terminal = Ite {
            level: u32::MAX,
            hi: 0,
            lo: 0,
        };
        let mut d = Diagram {
            nodes: vec![terminal, terminal],
            unique: HashMap::new(),
            computed: HashMap::new(),
            order,
            roots: Vec::with_capacity(roots.len()),
            max_nodes: (limits.max_work / 10).max(2),
        };
        // Diagram of every tree node some root reaches, bottom-up.
        let reach = reachable(tree, roots);
        let mut of: Vec<Ref> = vec![FALSE; tree.nodes.len()];
        for (i, node) in tree.nodes.iter().enumerate() {
            if !reach[i] {
                continue;
            }
            of[i] = match node {
                Node::Event(e) => d.mk(level_of[*e as usize], TRUE, FALSE)?,
                Node::Never => FALSE,
                Node::And(c) => {
                    let mut acc = TRUE;
                    for &x in c {
                        acc = d.apply(Op::And, acc, of[x as usize])?;
                    }
                    acc
                }
                Node::Or(c) => {
                    let mut acc = FALSE;
                    for &x in c {
                        acc = d.apply(Op::Or, acc, of[x as usize])?;
                    }
                    acc
                }
            };
        }
        // The computed table is only needed while building.
        d.computed = HashMap::new();
        d.roots = roots.iter().map(|&r| of[r as usize]).collect();
        Ok(d)
    }

    /// The events in variable order.
    pub fn order(&self) -> &[u32] {
        &self.order
    }

    fn mk(&mut self, level: u32, hi: Ref, lo: Ref) -> Result<Ref, LimitExceeded> {
        if hi == lo {
            return Ok(lo);
        }
        let node = Ite { level, hi, lo };
        if let Some(&r) = self.unique.get(&node) {
            return Ok(r);
        }
        if self.nodes.len() + self.computed.len() >= self.max_nodes {
            return Err(LimitExceeded::Work {
                limit: self.max_nodes,
            });
        }
        let r = self.nodes.len() as Ref;
        self.nodes.push(node);
        self.unique.insert(node, r);
        Ok(r)
    }

    /// f AND g, or f OR g, on an explicit stack.
    fn apply(&mut self, op: Op, f: Ref, g: Ref) -> Result<Ref, LimitExceeded> {
        enum Step {
            Call(Ref, Ref),
            /// Combine the two results on top of `out` (hi below lo).
            Join(u32, Ref, Ref),
        }
        let mut steps = vec![Step::Call(f, g)];
        let mut out: Vec<Ref> = Vec::new();
        while let Some(step) = steps.pop() {
            match step {
                Step::Call(f, g) => {
                    let (f, g) = if f <= g { (f, g) } else { (g, f) };
                    let done = match op {
                        Op::And if f == FALSE => Some(FALSE),
                        Op::And if f == TRUE => Some(g),
                        Op::Or if f == TRUE || g == TRUE => Some(TRUE),
                        Op::Or if f == FALSE => Some(g),
                        _ if f == g => Some(f),
                        _ => self.computed.get(&(op, f, g)).copied(),
                    };
                    if let Some(r) = done {
                        out.push(r);
                        continue;
                    }
                    let (nf, ng) = (self.nodes[f as usize], self.nodes[g as usize]);
                    let level = nf.level.min(ng.level);
                    let (f1, f0) = if nf.level == level {
                        (nf.hi, nf.lo)
                    } else {
                        (f, f)
                    };
                    let (g1, g0) = if ng.level == level {
                        (ng.hi, ng.lo)
                    } else {
                        (g, g)
                    };
                    steps.push(Step::Join(level, f, g));
                    steps.push(Step::Call(f0, g0));
                    steps.push(Step::Call(f1, g1));
                }
                Step::Join(level, f, g) => {
                    let lo = out.pop().expect("lo result");
                    let hi = out.pop().expect("hi result");
                    let r = self.mk(level, hi, lo)?;
                    self.computed.insert((op, f, g), r);
                    out.push(r);
                }
            }
        }
        Ok(out.pop().expect("one result"))
    }

    /// The nodes `root` reaches, in increasing index (bottom-up) order,
    /// terminals excluded.
    fn below(&self, root: Ref) -> Vec<Ref> {
        let mut seen = vec![false; self.nodes.len()];
        let mut stack = vec![root];
        let mut out = Vec::new();
        while let Some(n) = stack.pop() {
            if n <= TRUE || std::mem::replace(&mut seen[n as usize], true) {
                continue;
            }
            out.push(n);
            let node = self.nodes[n as usize];
            stack.push(node.hi);
            stack.push(node.lo);
        }
        out.sort_unstable();
        out
    }

    /// P(root) with each event failing independently with `p[event]`:
    /// P(ite(x, h, l)) = p_x · P(h) + (1 − p_x) · P(l), one pass bottom-up.
    fn probability_of(&self, below: &[Ref], root: Ref, p: &[f64], prob: &mut [f64]) -> f64 {
        prob[FALSE as usize] = 0.0;
        prob[TRUE as usize] = 1.0;
        for &n in below {
            let node = self.nodes[n as usize];
            let px = p[self.order[node.level as usize] as usize];
            prob[n as usize] = px * prob[node.hi as usize] + (1.0 - px) * prob[node.lo as usize];
        }
        prob[root as usize]
    }

    /// The exact probability that root `k` (an index into the roots given to
    /// [`Diagram::build`]) fails, with event `e` failing with `p[e]`.
    pub fn probability(&self, k: usize, p: &[f64]) -> f64 {
        let root = self.roots[k];
        let mut prob = vec![0.0; self.nodes.len()];
        self.probability_of(&self.below(root), root, p, &mut prob)
    }

    /// The events root `k` depends on (the support of its function: for a
    /// monotone tree, exactly the events of its minimal cut sets), in variable
    /// order.
    pub fn support(&self, k: usize) -> Vec<u32> {
        let mut levels: Vec<u32> = self
            .below(self.roots[k])
            .iter()
            .map(|&n| self.nodes[n as usize].level)
            .collect();
        levels.sort_unstable();
        levels.dedup();
        levels.iter().map(|&l| self.order[l as usize]).collect()
    }

    /// P(root k) and, for every event of its support (variable order),
    /// P(root k | e fails) and P(root k | e never fails): the diagram evaluated
    /// with p_e set to 1 and to 0, one pass each.
    pub fn conditioned(&self, k: usize, p: &[f64]) -> (f64, Vec<Conditioned>) {
        let root = self.roots[k];
        let below = self.below(root);
        let mut prob = vec![0.0; self.nodes.len()];
        let mut q = p.to_vec();
        let total = self.probability_of(&below, root, &q, &mut prob);
        let events = self.support(k);
        let conditioned = events
            .into_iter()
            .map(|e| {
                let keep = q[e as usize];
                q[e as usize] = 1.0;
                let p1 = self.probability_of(&below, root, &q, &mut prob);
                q[e as usize] = 0.0;
                let p0 = self.probability_of(&below, root, &q, &mut prob);
                q[e as usize] = keep;
                Conditioned { event: e, p1, p0 }
            })
            .collect();
        (total, conditioned)
    }
}

/// Tree nodes some root reaches.
fn reachable(tree: &FaultTree, roots: &[NodeIx]) -> Vec<bool> {
    let mut reach = vec![false; tree.nodes.len()];
    let mut stack: Vec<NodeIx> = roots.to_vec();
    while let Some(n) = stack.pop() {
        if std::mem::replace(&mut reach[n as usize], true) {
            continue;
        }
        if let Node::And(c) | Node::Or(c) = &tree.nodes[n as usize] {
            stack.extend(c.iter().copied());
        }
    }
    reach
}

/// Events in the order a depth-first, left-to-right walk from the roots first
/// meets them (iterative; a shared subtree is walked once).
fn variable_order(tree: &FaultTree, roots: &[NodeIx]) -> Vec<u32> {
    let mut visited = vec![false; tree.nodes.len()];
    let mut placed = vec![false; tree.event_count as usize];
    let mut order = Vec::new();
    for &root in roots {
        let mut stack = vec![root];
        while let Some(n) = stack.pop() {
            if std::mem::replace(&mut visited[n as usize], true) {
                continue;
            }
            match &tree.nodes[n as usize] {
                Node::Event(e) => {
                    if !std::mem::replace(&mut placed[*e as usize], true) {
                        order.push(*e);
                    }
                }
                // Reversed, so that the first child is walked first.
                Node::And(c) | Node::Or(c) => stack.extend(c.iter().rev().copied()),
                Node::Never => {}
            }
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// top = a ∧ (b ∨ c): the worked example of docs/metrics.md §10.
    fn worked() -> (FaultTree, NodeIx) {
        let mut t = FaultTree {
            nodes: Vec::new(),
            event_count: 3,
        };
        let a = t.push(Node::Event(0));
        let b = t.push(Node::Event(1));
        let c = t.push(Node::Event(2));
        let bc = t.push(Node::Or(vec![b, c]));
        let top = t.push(Node::And(vec![a, bc]));
        (t, top)
    }

    fn close(x: f64, y: f64) -> bool {
        (x - y).abs() <= 1e-12 * y.abs().max(1.0)
    }

    #[test]
    fn worked_example_probability_and_conditioning() {
        let (t, top) = worked();
        let d = Diagram::build(&t, &[top], &Limits::default()).unwrap();
        assert_eq!(d.order(), &[0, 1, 2]);
        let p = [0.1, 0.2, 0.3];
        assert!(close(d.probability(0, &p), 0.044));
        let (total, cond) = d.conditioned(0, &p);
        assert!(close(total, 0.044));
        let want = [(0, 0.44, 0.0), (1, 0.1, 0.03), (2, 0.1, 0.02)];
        assert_eq!(cond.len(), 3);
        for (c, (e, p1, p0)) in cond.iter().zip(want) {
            assert_eq!(c.event, e);
            assert!(close(c.p1, p1), "{c:?}");
            assert!(close(c.p0, p0), "{c:?}");
        }
        // P0 of `a` is exactly 0 (every way the top fails goes through a), so
        // RRW is infinite, not a huge finite number.
        assert_eq!(cond[0].p0, 0.0);
    }

    #[test]
    fn shared_nodes_constants_and_absorbed_events() {
        // a ∨ (a ∧ b) = a: b is not in the support; a Never child drops out of
        // an OR and zeroes an AND; an empty AND is true.
        let mut t = FaultTree {
            nodes: Vec::new(),
            event_count: 2,
        };
        let a = t.push(Node::Event(0));
        let b = t.push(Node::Event(1));
        let never = t.push(Node::Never);
        let ab = t.push(Node::And(vec![a, b]));
        let top = t.push(Node::Or(vec![a, ab, never]));
        let zero = t.push(Node::And(vec![a, never]));
        let one = t.push(Node::And(vec![]));
        let d = Diagram::build(&t, &[top, zero, one], &Limits::default()).unwrap();
        assert_eq!(d.support(0), vec![0]);
        assert!(close(d.probability(0, &[0.25, 0.5]), 0.25));
        assert_eq!(d.probability(1, &[0.25, 0.5]), 0.0);
        assert_eq!(d.probability(2, &[0.25, 0.5]), 1.0);
        assert!(d.support(1).is_empty());
    }

    #[test]
    fn a_diagram_beyond_the_limit_ends_with_work_exceeded() {
        let (t, top) = worked();
        let limits = Limits {
            max_sets: 10,
            max_work: 40,
        };
        assert_eq!(
            Diagram::build(&t, &[top], &limits).err(),
            Some(LimitExceeded::Work { limit: 4 })
        );
        let limits = Limits {
            max_sets: 10,
            max_work: 100,
        };
        assert!(Diagram::build(&t, &[top], &limits).is_ok());
    }

    /// A random DAG over `events` events with shared subtrees.
    fn random_tree(seed: u64, events: u32, gates: usize) -> (FaultTree, NodeIx) {
        let mut s = seed | 1;
        let mut below = |n: usize| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s % n as u64) as usize
        };
        let mut t = FaultTree {
            nodes: Vec::new(),
            event_count: events,
        };
        for e in 0..events {
            t.push(Node::Event(e));
        }
        t.push(Node::Never);
        for _ in 0..gates {
            let n = t.nodes.len();
            let width = 1 + below(4);
            let children: Vec<NodeIx> = (0..width).map(|_| below(n) as NodeIx).collect();
            t.push(if below(2) == 0 {
                Node::And(children)
            } else {
                Node::Or(children)
            });
        }
        let top = (t.nodes.len() - 1) as NodeIx;
        (t, top)
    }

    /// P(top) by enumerating all 2^n states.
    fn brute_probability(t: &FaultTree, top: NodeIx, p: &[f64]) -> f64 {
        let n = t.event_count as usize;
        let mut total = 0.0;
        for state in 0u32..(1 << n) {
            let failed: Vec<bool> = (0..n).map(|e| state >> e & 1 == 1).collect();
            if t.evaluate(top, &failed) {
                total += (0..n)
                    .map(|e| if failed[e] { p[e] } else { 1.0 - p[e] })
                    .product::<f64>();
            }
        }
        total
    }

    proptest! {
        #[test]
        fn bdd_probability_equals_brute_force_enumeration(
            seed in any::<u64>(),
            events in 1u32..=10,
            gates in 1usize..25,
            p in proptest::collection::vec(0.0f64..=1.0, 10),
        ) {
            let (t, top) = random_tree(seed, events, gates);
            let d = Diagram::build(&t, &[top], &Limits::default()).unwrap();
            let want = brute_probability(&t, top, &p);
            prop_assert!((d.probability(0, &p) - want).abs() <= 1e-12, "{} vs {want}", d.probability(0, &p));
            let (_, cond) = d.conditioned(0, &p);
            for c in cond {
                let mut q = p.clone();
                q[c.event as usize] = 1.0;
                prop_assert!((c.p1 - brute_probability(&t, top, &q)).abs() <= 1e-12);
                q[c.event as usize] = 0.0;
                prop_assert!((c.p0 - brute_probability(&t, top, &q)).abs() <= 1e-12);
            }
            // The support is exactly the events the function depends on.
            let support = d.support(0);
            for e in 0..events {
                let mut q = p.clone();
                q[e as usize] = 1.0;
                let p1 = brute_probability(&t, top, &q);
                q[e as usize] = 0.0;
                let p0 = brute_probability(&t, top, &q);
                let depends = (0u32..(1 << events)).any(|s| {
                    let mut f: Vec<bool> = (0..events).map(|x| s >> x & 1 == 1).collect();
                    f[e as usize] = true;
                    let on = t.evaluate(top, &f);
                    f[e as usize] = false;
                    on != t.evaluate(top, &f)
                });
                prop_assert_eq!(support.contains(&e), depends, "event {} (p1 {}, p0 {})", e, p1, p0);
            }
        }
    }
}
