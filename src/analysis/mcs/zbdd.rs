//! Minimal cut sets with a zero-suppressed BDD and order truncation (Rauzy's
//! ZBDD method for coherent fault trees, as SCRAM does it).
//!
//! Calling it: build a [`FaultTree`], then
//! `zbdd::cut_sets(&tree, &[root_a, root_b], order, &Limits::default())` gives,
//! per root, its minimal cut sets of order ≤ `order` as raw event indices
//! (each set ascending; the list by length, then lexicographically), or the
//! [`LimitExceeded`] that stopped the run. Map raw events to suppliers or
//! countries afterwards; the engine knows nothing about them.
//!
//! How: every gate's family of minimal cut sets is one ZBDD node, built bottom-up
//! over the tree (children have smaller indices) with a unique table, so a family
//! shared by many gates — or a common tail of many families — is stored once.
//! AND is the truncated product of families, OR their union; both keep the result
//! minimal on the way up with the subsumption operator `without` (P ÷ Q = the
//! sets of P containing no set of Q), and the product drops every set above the
//! order as it is formed, so no family ever holds a set that cannot be in the
//! answer. Results of every operation are memoised in one computed table
//! (open addressing, stamped with the gate it serves, so it empties for free).
//!
//! Before the pass at `order` ≥ 2, a pass at order 1 finds the single events that
//! fail every root; the main pass takes them as never failing and adds them back
//! at the end. That is exact (a minimal cut set holding such an event is that
//! event alone) and keeps the gates from carrying the many sets the roots would
//! subsume: on a generated DAG of 8,000 gates, 3.5 s → 0.22 s.
//!
//! Memory: nodes are 16 bytes in one vector, the unique table is open addressing
//! over u32 node ids (4 bytes a slot, at most half full). A gate's family is
//! released once its last parent is built (parent counts), and when the diagram
//! has doubled since the last collection, a mark-and-compact pass keeps only the
//! nodes of families still to be read and rebuilds the unique table.
//!
//! Limits: every live node and every memoised result of the current gate counts
//! as one unit of `max_work` (16–40 bytes each); the number of sets is counted on the
//! diagram before a single set is listed, so 30⁶ sets end with
//! [`LimitExceeded::Sets`] in microseconds instead of exhausting memory.
//!
//! No recursion: the diagram operations run on an explicit stack of frames, so a
//! family of 100,000 single events (a 100,000-node chain) is as safe as a short one.
//! Variables are ordered so that gates mostly add events above their children's
//! diagrams (see [`variable_order`]).

use super::{FaultTree, LimitExceeded, Limits, Node, NodeIx};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The empty family ∅ (no cut set: the gate never fails).
const EMPTY: u32 = 0;
/// The family {∅} (the gate always fails).
const BASE: u32 = 1;
/// `var` of the two terminals: after every variable.
const TERMINAL_VAR: u32 = u32::MAX;

/// A decision node: the sets containing `var` are `{var} ∪ s` for `s` in `hi`; the
/// others are `lo`. `var` is the variable's level (0 is the top).
#[derive(Clone, Copy)]
struct ZNode {
    var: u32,
    hi: u32,
    lo: u32,
    /// Size of the largest set in the family (saturating).
    max_len: u8,
}

/// Fixed, fast hasher for the unique and computed tables (integer keys only;
/// never iterated, so hash order cannot reach a result).
#[derive(Default, Clone, Copy)]
struct MixHasher(u64);

impl Hasher for MixHasher {
    fn finish(&self) -> u64 {
        // murmur3 fmix64: spreads the bits to the low (bucket) and high (tag) ends.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(23) ^ i).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    fn write_u128(&mut self, i: u128) {
        self.write_u64(i as u64);
        self.write_u64((i >> 64) as u64);
    }
}

type Counts = HashMap<u32, u64, BuildHasherDefault<MixHasher>>;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
enum Op {
    /// Minimal sets of a ∪ b (a, b minimal).
    Union,
    /// Minimal sets of {x ∪ y : x ∈ a, y ∈ b, |x ∪ y| ≤ k}.
    Product,
    /// The sets of a that contain no set of b.
    Without,
    /// The sets of a of size ≤ k.
    Trunc,
}

/// An operation with its operands: the computed table's key.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
struct Key(u128);

impl Key {
    fn new(op: Op, a: u32, b: u32, k: u8) -> Key {
        Key(u128::from(a) | u128::from(b) << 32 | u128::from(k) << 64 | (op as u128) << 72)
    }
    fn op(self) -> Op {
        match (self.0 >> 72) as u8 {
            0 => Op::Union,
            1 => Op::Product,
            2 => Op::Without,
            _ => Op::Trunc,
        }
    }
    fn a(self) -> u32 {
        self.0 as u32
    }
    fn b(self) -> u32 {
        (self.0 >> 32) as u32
    }
    fn k(self) -> u8 {
        (self.0 >> 64) as u8
    }
}

/// murmur3's 64-bit finaliser: spreads every input bit over the word.
fn fmix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

fn node_hash(var: u32, hi: u32, lo: u32) -> u64 {
    fmix((u64::from(var) << 32 | u64::from(hi)) ^ u64::from(lo).wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

/// The unique table: open addressing with linear probing over node ids (4 bytes
/// a slot, at most half full); slot 0 is free, since node 0 (∅) is never stored.
/// Entries are only added; a collection rebuilds the table from the survivors.
struct Unique {
    slots: Vec<u32>,
    len: usize,
}

impl Unique {
    const MIN_SLOTS: usize = 1 << 12;

    fn with_nodes(nodes: &[ZNode]) -> Unique {
        let live = nodes.len().saturating_sub(2);
        let want = (live * 2 + 2).next_power_of_two().max(Self::MIN_SLOTS);
        let mut u = Unique {
            slots: vec![0; want],
            len: 0,
        };
        for (i, z) in nodes.iter().enumerate().skip(2) {
            u.insert_new(node_hash(z.var, z.hi, z.lo), i as u32);
        }
        u
    }

    /// Adds id `n` (known absent) at the end of its probe sequence.
    fn insert_new(&mut self, h: u64, n: u32) {
        let mask = self.slots.len() - 1;
        let mut i = h as usize & mask;
        while self.slots[i] != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = n;
        self.len += 1;
    }
}

/// One memoised result: operands, operation, order bound and generation
/// (`tag`), and the result. A generation is one gate; an entry of an older one
/// counts as a free slot, so clearing the table between gates costs nothing.
#[derive(Clone, Copy, Default)]
struct Memo {
    a: u32,
    b: u32,
    tag: u32,
    r: u32,
}

/// The computed table: open addressing with linear probing, generation-stamped.
struct Computed {
    slots: Vec<Memo>,
    /// Entries of the current generation.
    len: usize,
    /// Current generation, 1 ..= GEN_MAX (0 marks a never-used slot).
    generation: u32,
}

impl Computed {
    const GEN_BITS: u32 = 22;
    const GEN_MAX: u32 = (1 << Self::GEN_BITS) - 1;

    fn new() -> Computed {
        Computed {
            slots: vec![Memo::default(); 1 << 10],
            len: 0,
            generation: 1,
        }
    }

    /// Forgets every entry.
    fn clear(&mut self) {
        self.len = 0;
        if self.generation == Self::GEN_MAX {
            self.slots.fill(Memo::default());
            self.generation = 1;
        } else {
            self.generation += 1;
        }
    }

    fn tag(&self, key: Key) -> u32 {
        self.generation << 10 | (key.op() as u32) << 8 | u32::from(key.k())
    }

    fn hash(a: u32, b: u32, tag: u32) -> u64 {
        fmix(
            (u64::from(a) << 32 | u64::from(b))
                ^ u64::from(tag).wrapping_mul(0x9e37_79b9_7f4a_7c15),
        )
    }

    fn live(&self, m: &Memo) -> bool {
        m.tag >> 10 == self.generation
    }

    fn get(&self, key: Key) -> Option<u32> {
        let (a, b, tag) = (key.a(), key.b(), self.tag(key));
        let mask = self.slots.len() - 1;
        let mut i = Self::hash(a, b, tag) as usize & mask;
        loop {
            let m = &self.slots[i];
            if !self.live(m) {
                return None;
            }
            if m.a == a && m.b == b && m.tag == tag {
                return Some(m.r);
            }
            i = (i + 1) & mask;
        }
    }

    /// Records `key → r` (`key` known absent).
    fn insert(&mut self, key: Key, r: u32) {
        if (self.len + 1) * 2 > self.slots.len() {
            let bigger = vec![Memo::default(); self.slots.len() * 2];
            let old = std::mem::replace(&mut self.slots, bigger);
            self.len = 0;
            let generation = self.generation;
            for m in old.into_iter().filter(|m| m.tag >> 10 == generation) {
                self.put(m);
            }
        }
        let tag = self.tag(key);
        self.put(Memo {
            a: key.a(),
            b: key.b(),
            tag,
            r,
        });
    }

    fn put(&mut self, m: Memo) {
        let mask = self.slots.len() - 1;
        let mut i = Self::hash(m.a, m.b, m.tag) as usize & mask;
        while self.live(&self.slots[i]) {
            i = (i + 1) & mask;
        }
        self.slots[i] = m;
        self.len += 1;
    }
}

/// One suspended operation on the explicit stack.
struct Frame {
    key: Key,
    state: u8,
    var: u32,
    a1: u32,
    a0: u32,
    b1: u32,
    b0: u32,
    r0: u32,
    r1: u32,
    r2: u32,
}

/// What a frame asks for next.
enum Step {
    Call(Key),
    Done(u32),
}

/// The diagram store: nodes, unique table, computed table, and the work limit.
struct Zbdd {
    nodes: Vec<ZNode>,
    unique: Unique,
    computed: Computed,
    stack: Vec<Frame>,
    max_work: usize,
}

impl Zbdd {
    fn new(max_work: usize) -> Zbdd {
        let terminal = ZNode {
            var: TERMINAL_VAR,
            hi: EMPTY,
            lo: EMPTY,
            max_len: 0,
        };
        Zbdd {
            nodes: vec![terminal, terminal],
            unique: Unique::with_nodes(&[]),
            computed: Computed::new(),
            stack: Vec::new(),
            max_work,
        }
    }

    fn work(&self) -> usize {
        self.nodes.len() + self.computed.len
    }

    fn check_work(&self) -> Result<(), LimitExceeded> {
        if self.work() > self.max_work {
            Err(LimitExceeded::Work {
                limit: self.max_work,
            })
        } else {
            Ok(())
        }
    }

    /// The reduced node (var, hi, lo): `lo` itself when `hi` is empty.
    fn mk(&mut self, var: u32, hi: u32, lo: u32) -> Result<u32, LimitExceeded> {
        if hi == EMPTY {
            return Ok(lo);
        }
        let h = node_hash(var, hi, lo);
        let mask = self.unique.slots.len() - 1;
        let mut i = h as usize & mask;
        loop {
            let n = self.unique.slots[i];
            if n == 0 {
                break;
            }
            let z = &self.nodes[n as usize];
            if z.var == var && z.hi == hi && z.lo == lo {
                return Ok(n);
            }
            i = (i + 1) & mask;
        }
        self.check_work()?;
        let max_len = self.nodes[hi as usize]
            .max_len
            .saturating_add(1)
            .max(self.nodes[lo as usize].max_len);
        let n = u32::try_from(self.nodes.len()).map_err(|_| LimitExceeded::Work {
            limit: self.max_work,
        })?;
        self.nodes.push(ZNode {
            var,
            hi,
            lo,
            max_len,
        });
        if (self.unique.len + 1) * 2 > self.unique.slots.len() {
            self.unique = Unique::with_nodes(&self.nodes);
        } else {
            self.unique.slots[i] = n;
            self.unique.len += 1;
        }
        Ok(n)
    }

    fn var(&self, n: u32) -> u32 {
        self.nodes[n as usize].var
    }

    fn max_len(&self, n: u32) -> usize {
        usize::from(self.nodes[n as usize].max_len)
    }

    /// The answer without a frame: terminal cases and the computed table.
    fn quick(&self, key: Key) -> Option<u32> {
        let (a, b, k) = (key.a(), key.b(), usize::from(key.k()));
        let r = match key.op() {
            Op::Union => {
                if a == EMPTY {
                    Some(b)
                } else if b == EMPTY || a == b {
                    Some(a)
                } else if a == BASE || b == BASE {
                    // {∅} subsumes every set.
                    Some(BASE)
                } else {
                    None
                }
            }
            Op::Product => {
                if a == EMPTY || b == EMPTY {
                    Some(EMPTY)
                } else if k == 0 {
                    Some(if a == BASE && b == BASE { BASE } else { EMPTY })
                } else if a == BASE && self.max_len(b) <= k {
                    Some(b)
                } else if (b == BASE || a == b) && self.max_len(a) <= k {
                    Some(a)
                } else {
                    None
                }
            }
            Op::Without => {
                if a == EMPTY || b == BASE || a == b {
                    Some(EMPTY)
                } else if b == EMPTY || a == BASE {
                    // A minimal family other than {∅} does not hold ∅.
                    Some(a)
                } else {
                    None
                }
            }
            Op::Trunc => {
                if self.max_len(a) <= k {
                    Some(a)
                } else if k == 0 {
                    // a holds a nonempty set, so it is not {∅}; minimal: no ∅.
                    Some(EMPTY)
                } else {
                    None
                }
            }
        };
        r.or_else(|| self.computed.get(key))
    }

    /// Runs `key` to completion on the explicit stack.
    fn run(&mut self, key: Key) -> Result<u32, LimitExceeded> {
        if let Some(r) = self.quick(key) {
            return Ok(r);
        }
        let mut stack = std::mem::take(&mut self.stack);
        stack.clear();
        stack.push(self.frame(key));
        let mut ret = EMPTY;
        let result = loop {
            let top = stack.last_mut().expect("the loop ends with the last frame");
            match self.step(top, ret) {
                Err(e) => break Err(e),
                Ok(Step::Call(child)) => match self.quick(child) {
                    Some(r) => ret = r,
                    None => {
                        let f = self.frame(child);
                        stack.push(f);
                    }
                },
                Ok(Step::Done(r)) => {
                    let done = stack.pop().expect("a frame is running");
                    if let Err(e) = self.check_work() {
                        break Err(e);
                    }
                    self.computed.insert(done.key, r);
                    ret = r;
                    if stack.is_empty() {
                        break Ok(r);
                    }
                }
            }
        };
        self.stack = stack;
        result
    }

    /// A new frame with the cofactors of both operands at their top variable.
    fn frame(&self, key: Key) -> Frame {
        let (a, b) = (key.a(), key.b());
        let (va, vb) = (self.var(a), self.var(b));
        let var = match key.op() {
            // Without and Trunc walk a's variables (b's are skipped as needed).
            Op::Union | Op::Product => va.min(vb),
            Op::Without | Op::Trunc => va,
        };
        let cof = |n: u32, vn: u32| {
            if vn == var {
                let z = self.nodes[n as usize];
                (z.hi, z.lo)
            } else {
                (EMPTY, n)
            }
        };
        let (a1, a0) = cof(a, va);
        let (b1, b0) = cof(b, vb);
        Frame {
            key,
            state: 0,
            var,
            a1,
            a0,
            b1,
            b0,
            r0: EMPTY,
            r1: EMPTY,
            r2: EMPTY,
        }
    }

    /// Advances frame `f` given the result `ret` of its last call.
    fn step(&mut self, f: &mut Frame, ret: u32) -> Result<Step, LimitExceeded> {
        let k = f.key.k();
        let s = f.state;
        f.state += 1;
        let call = |op, a: u32, b: u32, k| {
            // Commutative operations share one cache entry per unordered pair.
            let (a, b) = if matches!(op, Op::Union | Op::Product) && b < a {
                (b, a)
            } else {
                (a, b)
            };
            Ok(Step::Call(Key::new(op, a, b, k)))
        };
        match f.key.op() {
            Op::Union => match s {
                0 => call(Op::Union, f.a1, f.b1, 0),
                1 => {
                    f.r0 = ret;
                    call(Op::Union, f.a0, f.b0, 0)
                }
                // A set with var is subsumed only by a set without var inside it.
                2 => {
                    f.r1 = ret;
                    call(Op::Without, f.r0, f.r1, 0)
                }
                _ => Ok(Step::Done(self.mk(f.var, ret, f.r1)?)),
            },
            Op::Product => {
                // Both operands {∅} or equal but too long: only truncation is left.
                let (a, b) = (f.key.a(), f.key.b());
                if s == 0 && (a == BASE || b == BASE || a == b) {
                    f.state = 100;
                    let other = if a == BASE { b } else { a };
                    return call(Op::Trunc, other, 0, k);
                }
                match s {
                    100 => Ok(Step::Done(ret)),
                    // hi = a1·b1 ∪ a1·b0 ∪ a0·b1 (one event spent on var), lo = a0·b0.
                    0 => call(Op::Product, f.a1, f.b1, k - 1),
                    1 => {
                        f.r0 = ret;
                        call(Op::Product, f.a1, f.b0, k - 1)
                    }
                    2 => {
                        f.r1 = ret;
                        call(Op::Product, f.a0, f.b1, k - 1)
                    }
                    3 => {
                        f.r2 = ret;
                        call(Op::Union, f.r1, f.r2, 0)
                    }
                    4 => call(Op::Union, f.r0, ret, 0),
                    5 => {
                        f.r0 = ret;
                        call(Op::Product, f.a0, f.b0, k)
                    }
                    6 => {
                        f.r1 = ret;
                        call(Op::Without, f.r0, f.r1, 0)
                    }
                    _ => Ok(Step::Done(self.mk(f.var, ret, f.r1)?)),
                }
            }
            Op::Without => {
                let (a, b) = (f.key.a(), f.key.b());
                let (va, vb) = (self.var(a), self.var(b));
                if vb < va {
                    // b's sets with vb are not inside any set of a (none has vb).
                    let b0 = self.nodes[b as usize].lo;
                    return match s {
                        0 => call(Op::Without, a, b0, 0),
                        _ => Ok(Step::Done(ret)),
                    };
                }
                match s {
                    0 => call(Op::Without, f.a1, f.b1, 0),
                    1 => call(Op::Without, ret, f.b0, 0),
                    2 => {
                        f.r0 = ret;
                        call(Op::Without, f.a0, f.b0, 0)
                    }
                    _ => Ok(Step::Done(self.mk(f.var, f.r0, ret)?)),
                }
            }
            Op::Trunc => match s {
                0 => call(Op::Trunc, f.a1, 0, k - 1),
                1 => {
                    f.r0 = ret;
                    call(Op::Trunc, f.a0, 0, k)
                }
                _ => Ok(Step::Done(self.mk(f.var, f.r0, ret)?)),
            },
        }
    }

    fn union(&mut self, a: u32, b: u32) -> Result<u32, LimitExceeded> {
        self.run(Key::new(Op::Union, a.min(b), a.max(b), 0))
    }

    fn product(&mut self, a: u32, b: u32, k: u8) -> Result<u32, LimitExceeded> {
        self.run(Key::new(Op::Product, a.min(b), a.max(b), k))
    }

    /// Mark-and-compact collection: keeps the nodes reachable from `live`, which
    /// it renumbers in place, and rebuilds the unique table. Survivors keep their
    /// relative order, so children still precede parents. The computed table must
    /// be empty (its entries would name old ids).
    fn collect(&mut self, live: &mut [u32], remap: &mut Vec<u32>) {
        const DEAD: u32 = u32::MAX;
        remap.clear();
        remap.resize(self.nodes.len(), DEAD);
        remap[EMPTY as usize] = EMPTY;
        remap[BASE as usize] = BASE;
        let mut stack: Vec<u32> = live.to_vec();
        while let Some(n) = stack.pop() {
            if remap[n as usize] != DEAD {
                continue;
            }
            remap[n as usize] = 0;
            let z = self.nodes[n as usize];
            stack.push(z.hi);
            stack.push(z.lo);
        }
        let mut next = 2u32;
        for old in 2..self.nodes.len() {
            if remap[old] == DEAD {
                continue;
            }
            let mut z = self.nodes[old];
            z.hi = remap[z.hi as usize];
            z.lo = remap[z.lo as usize];
            self.nodes[next as usize] = z;
            remap[old] = next;
            next += 1;
        }
        self.nodes.truncate(next as usize);
        for f in live.iter_mut() {
            *f = remap[*f as usize];
        }
        self.unique = Unique::with_nodes(&self.nodes);
    }

    /// Number of sets in each family, saturating; iterative post-order.
    fn count(&self, root: u32, counts: &mut Counts) -> u64 {
        counts.insert(EMPTY, 0);
        counts.insert(BASE, 1);
        let mut stack = vec![root];
        while let Some(&n) = stack.last() {
            if counts.contains_key(&n) {
                stack.pop();
                continue;
            }
            let z = self.nodes[n as usize];
            match (counts.get(&z.hi), counts.get(&z.lo)) {
                (Some(&h), Some(&l)) => {
                    counts.insert(n, h.saturating_add(l));
                    stack.pop();
                }
                (h, l) => {
                    if h.is_none() {
                        stack.push(z.hi);
                    }
                    if l.is_none() {
                        stack.push(z.lo);
                    }
                }
            }
        }
        counts[&root]
    }

    /// Every set of the family as ascending levels; iterative depth-first.
    fn sets(&self, root: u32) -> Vec<Vec<u32>> {
        let mut out = Vec::new();
        let mut path: Vec<u32> = Vec::new();
        let mut stack = vec![(root, 0usize)];
        while let Some((n, len)) = stack.pop() {
            path.truncate(len);
            match n {
                EMPTY => {}
                BASE => out.push(path.clone()),
                _ => {
                    let z = self.nodes[n as usize];
                    stack.push((z.lo, len));
                    path.push(z.var);
                    stack.push((z.hi, len + 1));
                }
            }
        }
        out
    }
}

/// Fewest nodes before the first collection (below it one costs more than it saves).
const GC_MIN_NODES: usize = if cfg!(test) { 64 } else { 1 << 16 };

/// Levels of the events, as (event → level, level → event): the reverse of the
/// order in which the bottom-up pass first meets them as a gate's child. A gate
/// then mostly adds events *above* its children's diagrams, which costs a new
/// top node, instead of below them, which rebuilds every path; on generated DAGs
/// this needs 4× fewer nodes than a depth-first order from the roots.
fn variable_order(tree: &FaultTree, needed: &[bool]) -> (Vec<u32>, Vec<u32>) {
    let mut level = vec![u32::MAX; tree.event_count as usize];
    let mut event_at = Vec::new();
    let mut first_use = |e: u32, event_at: &mut Vec<u32>| {
        if level[e as usize] == u32::MAX {
            level[e as usize] = 0;
            event_at.push(e);
        }
    };
    for (i, node) in tree.nodes.iter().enumerate().take(needed.len()) {
        match node {
            Node::And(c) | Node::Or(c) if needed[i] => {
                for &x in c {
                    if let Node::Event(e) = tree.nodes[x as usize] {
                        first_use(e, &mut event_at);
                    }
                }
            }
            // A root that is an event.
            Node::Event(e) if needed[i] => first_use(*e, &mut event_at),
            _ => {}
        }
    }
    event_at.reverse();
    for (l, &e) in event_at.iter().enumerate() {
        level[e as usize] = l as u32;
    }
    (level, event_at)
}

/// The gates below the roots (`needed`, indexed up to the largest root).
fn needed_nodes(tree: &FaultTree, roots: &[NodeIx]) -> Vec<bool> {
    let top = roots.iter().map(|&r| r as usize + 1).max().unwrap_or(0);
    let mut needed = vec![false; top];
    for &r in roots {
        needed[r as usize] = true;
    }
    for i in (0..top).rev() {
        if !needed[i] {
            continue;
        }
        if let Node::And(c) | Node::Or(c) = &tree.nodes[i] {
            for &x in c {
                needed[x as usize] = true;
            }
        }
    }
    needed
}

/// Builds, bottom-up, the family of order ≤ `k` of every needed node, with the
/// events in `off` taken as never failing, and returns the roots' families.
/// A family is collected as soon as its last parent is built. `progress` hears
/// the number of gates built so far, every [`PROGRESS_EVERY`] gates.
#[allow(clippy::too_many_arguments)] // one pass's inputs; a struct would only rename them
fn build(
    dd: &mut Zbdd,
    tree: &FaultTree,
    roots: &[NodeIx],
    needed: &[bool],
    level: &[u32],
    off: &[bool],
    k: u8,
    progress: &mut dyn FnMut(u64),
) -> Result<Vec<u32>, LimitExceeded> {
    let top = needed.len();
    let mut family = vec![EMPTY; top];
    // Parent references still to be served, per node; a root is never released.
    let mut pending = vec![0u32; top];
    for &r in roots {
        pending[r as usize] = u32::MAX;
    }
    for (node, _) in tree.nodes.iter().zip(needed).filter(|(_, &n)| n) {
        if let Node::And(c) | Node::Or(c) = node {
            for &x in c {
                pending[x as usize] = pending[x as usize].saturating_add(1);
            }
        }
    }
    // Nodes whose family may still be read; collected when the diagram has grown
    // to twice what survived the last collection.
    let mut live_gates: Vec<usize> = Vec::new();
    let mut live_fams: Vec<u32> = Vec::new();
    let mut remap: Vec<u32> = Vec::new();
    let mut gc_at = GC_MIN_NODES;
    let mut built: u64 = 0;
    for i in 0..top {
        if !needed[i] {
            continue;
        }
        built += 1;
        if built.is_multiple_of(PROGRESS_EVERY) {
            progress(built);
        }
        // Memoised results rarely serve another gate (measured: the same nodes
        // are built with and without), and a small table is a fast one.
        dd.computed.clear();
        family[i] = match &tree.nodes[i] {
            Node::Never => EMPTY,
            Node::Event(e) => {
                if k == 0 || off[*e as usize] {
                    EMPTY
                } else {
                    dd.mk(level[*e as usize], BASE, EMPTY)?
                }
            }
            Node::Or(c) => {
                // Pairwise, as a balanced tree: folding one by one would rebuild
                // an ever longer chain (quadratic in the number of children).
                let mut level: Vec<u32> = c.iter().map(|&x| family[x as usize]).collect();
                while level.len() > 1 {
                    let mut next = Vec::with_capacity(level.len().div_ceil(2));
                    for pair in level.chunks(2) {
                        next.push(match pair {
                            [a, b] => dd.union(*a, *b)?,
                            [a] => *a,
                            _ => unreachable!("chunks of two"),
                        });
                    }
                    level = next;
                }
                level.first().copied().unwrap_or(EMPTY)
            }
            Node::And(c) => {
                let mut acc = BASE;
                for &x in c {
                    if acc == EMPTY {
                        break;
                    }
                    acc = dd.product(acc, family[x as usize], k)?;
                }
                acc
            }
        };
        if let Node::And(c) | Node::Or(c) = &tree.nodes[i] {
            for &x in c {
                let p = &mut pending[x as usize];
                if *p != u32::MAX {
                    *p -= 1;
                }
            }
        }
        if pending[i] > 0 {
            live_gates.push(i);
        }
        if dd.nodes.len() >= gc_at {
            live_gates.retain(|&g| pending[g] > 0);
            live_fams.clear();
            live_fams.extend(live_gates.iter().map(|&g| family[g]));
            dd.computed.clear();
            dd.collect(&mut live_fams, &mut remap);
            for (&g, &f) in live_gates.iter().zip(&live_fams) {
                family[g] = f;
            }
            gc_at = (dd.nodes.len() * 2).max(GC_MIN_NODES);
        }
    }
    Ok(roots.iter().map(|&r| family[r as usize]).collect())
}

/// For each root, its minimal cut sets of order ≤ `order`: each set ascending by
/// raw event, the list sorted by (length, events). `order` above 255 is treated
/// as 255. Ends with [`LimitExceeded`] when the diagram would grow past
/// `limits.max_work` nodes and memoised results, or the answer past
/// `limits.max_sets` sets over all roots.
///
/// Two passes when `order` ≥ 2: the first finds the single events that fail
/// every root on their own; the second takes them as never failing, which
/// removes exactly the sets that contain them (MCS(f) is MCS(f | e = 0) plus
/// {e} when {e} is a minimal cut set), so that no gate carries sets the roots
/// would subsume; they are added back at the end.
pub fn cut_sets(
    tree: &FaultTree,
    roots: &[NodeIx],
    order: usize,
    limits: &Limits,
) -> Result<Vec<Vec<Vec<u32>>>, LimitExceeded> {
    cut_sets_with_progress(tree, roots, order, limits, &mut |_, _| {})
}

/// How many gates are built between two progress reports: often enough for a
/// bar to move smoothly, rarely enough to cost nothing.
const PROGRESS_EVERY: u64 = 1024;

/// [`cut_sets`], reporting (gates built, gates to build) over both passes as
/// it goes, for a progress bar.
pub fn cut_sets_with_progress(
    tree: &FaultTree,
    roots: &[NodeIx],
    order: usize,
    limits: &Limits,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Vec<Vec<Vec<u32>>>, LimitExceeded> {
    let k = order.min(usize::from(u8::MAX)) as u8;
    // Only the gates below some root are built.
    let needed = needed_nodes(tree, roots);
    let gates = needed.iter().filter(|&&n| n).count() as u64;
    let passes = if k >= 2 && !roots.is_empty() { 2 } else { 1 };
    let total = gates * passes;
    let (level, event_at) = variable_order(tree, &needed);
    let mut off = vec![false; tree.event_count as usize];
    let mut singles: Vec<u32> = Vec::new();
    if k >= 2 && !roots.is_empty() {
        let mut dd = Zbdd::new(limits.max_work);
        let fams = build(&mut dd, tree, roots, &needed, &level, &off, 1, &mut |d| {
            progress(d, total)
        })?;
        let mut hits = vec![0usize; tree.event_count as usize];
        for &f in &fams {
            for set in dd.sets(f) {
                if let [l] = set[..] {
                    hits[event_at[l as usize] as usize] += 1;
                }
            }
        }
        for (e, &h) in hits.iter().enumerate() {
            if h == roots.len() {
                off[e] = true;
                singles.push(e as u32);
            }
        }
    }
    let done_before = total - gates;
    let mut dd = Zbdd::new(limits.max_work);
    let fams = build(&mut dd, tree, roots, &needed, &level, &off, k, &mut |d| {
        progress(done_before + d, total)
    })?;
    progress(total, total);
    let mut memo = Counts::default();
    let mut total: u64 = 0;
    for &f in &fams {
        total = total
            .saturating_add(dd.count(f, &mut memo))
            .saturating_add(singles.len() as u64);
        if total > limits.max_sets as u64 {
            return Err(LimitExceeded::Sets {
                limit: limits.max_sets,
            });
        }
    }
    Ok(fams
        .iter()
        .map(|&f| {
            let mut sets: Vec<Vec<u32>> = singles.iter().map(|&e| vec![e]).collect();
            sets.extend(dd.sets(f).into_iter().map(|s| {
                let mut ev: Vec<u32> = s.iter().map(|&l| event_at[l as usize]).collect();
                ev.sort_unstable();
                ev
            }));
            sets.sort_unstable_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
            sets
        })
        .collect())
}
