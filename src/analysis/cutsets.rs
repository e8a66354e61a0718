//! Failure logic and minimal cut sets (spec §3.4).
//!
//! Owns: basic events, the AND/OR failure function of every item, and its
//! minimal cut sets up to an order k with the item paths ("via") through which
//! they act. Never: ranks by degree or centrality (a choke point *is* a minimal
//! cut set), reads files, or lets hash order reach its output.
//!
//! Algorithm (docs/metrics.md explains the choice): one bottom-up pass over
//! [`SupplyGraph::bottom_up`] computes each item's *family*: the minimal cut sets
//! of F(item) of order ≤ k, as sorted fixed-size event arrays. OR is union plus
//! subsumption removal; AND (an `any_of` group) is the pairwise product truncated
//! at order k, then minimised. Truncation is exact: a minimal cut set of order ≤ k
//! of an OR or AND only ever comes from members of order ≤ k. Families are shared
//! (`Arc`) and memoised per item, so a shared part is solved once however many
//! paths reach it.

use crate::graph::{CountryIx, ItemIx, SupplierIx, SupplyGraph};
use crate::model::Lang;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

/// Highest order `--order` accepts. Cut sets are fixed-size arrays of this length.
pub const MAX_ORDER: usize = 6;

/// Most via paths kept per cut set beyond the first complete explanation.
pub const MAX_VIA: usize = 4;

/// What a basic event is (`--by`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    #[default]
    Supplier,
    Country,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Supplier => "supplier",
            EventKind::Country => "country",
        }
    }
}

/// A basic event of the fault tree: a supplier or a country stops supplying.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BasicEvent {
    Supplier(SupplierIx),
    Country(CountryIx),
}

impl BasicEvent {
    fn from_raw(kind: EventKind, raw: u32) -> BasicEvent {
        match kind {
            EventKind::Supplier => BasicEvent::Supplier(SupplierIx(raw)),
            EventKind::Country => BasicEvent::Country(CountryIx(raw)),
        }
    }
    pub fn kind(&self) -> EventKind {
        match self {
            BasicEvent::Supplier(_) => EventKind::Supplier,
            BasicEvent::Country(_) => EventKind::Country,
        }
    }
    /// The supplier id or country code.
    pub fn id(&self, g: &SupplyGraph) -> String {
        match *self {
            BasicEvent::Supplier(s) => g.supplier(s).id.to_string(),
            BasicEvent::Country(c) => g.country(c).to_string(),
        }
    }
    /// The display name in `lang` (a country without a declared name shows its code).
    pub fn label(&self, g: &SupplyGraph, lang: Lang) -> String {
        match *self {
            BasicEvent::Supplier(s) => g.model().supplier_name(&g.supplier(s).id, lang),
            BasicEvent::Country(c) => g.model().country_name(g.country(c), lang),
        }
    }
    /// True for the home country, or a supplier whose firm is based there.
    pub fn is_domestic(&self, g: &SupplyGraph) -> bool {
        match *self {
            BasicEvent::Supplier(s) => {
                g.country_ix(g.supplier(s).country.as_str()) == Some(g.home())
            }
            BasicEvent::Country(c) => c == g.home(),
        }
    }
}

/// A minimal cut set: events (sorted by id) whose joint failure stops the system,
/// and the item paths from the system down to the items where they act.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CutSet {
    pub events: Vec<BasicEvent>,
    pub via: Vec<Vec<ItemIx>>,
}

impl CutSet {
    pub fn order(&self) -> usize {
        self.events.len()
    }
}

/// A set of raw event indices, sorted ascending, in a fixed array (no allocation).
/// Ordering is by length first, then lexicographic: the order minimisation needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Cut {
    len: u8,
    ev: [u32; MAX_ORDER],
}

impl Cut {
    fn from_sorted(events: &[u32]) -> Cut {
        let mut ev = [0; MAX_ORDER];
        ev[..events.len()].copy_from_slice(events);
        Cut {
            len: events.len() as u8,
            ev,
        }
    }
    fn events(&self) -> &[u32] {
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

/// AND of two families: pairwise unions of order ≤ k, minimised.
fn product(a: &[Cut], b: &[Cut], k: usize) -> Vec<Cut> {
    let mut out = Vec::new();
    for x in a {
        for y in b {
            if let Some(u) = x.union(y, k) {
                out.push(u);
            }
        }
    }
    minimise(out)
}

/// Whether some set of the (sorted, minimal) family lies inside `c`.
fn family_hits(family: &[Cut], c: &Cut) -> bool {
    let full = (1u32 << c.len) - 1;
    (1..=full).any(|m| family.binary_search(&c.subset(m)).is_ok())
}

/// The failure logic of a graph at one granularity, with each item's family of
/// minimal cut sets up to `max_order` computed once.
pub struct FailureLogic<'g, 'm> {
    g: &'g SupplyGraph<'m>,
    by: EventKind,
    order: usize,
    /// `None` for items not computed (outside the requested roots).
    families: Vec<Option<Arc<Vec<Cut>>>>,
    /// For items with many requirements: smallest event of each set in a branch's
    /// first-member family → the branch indices. A branch can fail under a cut
    /// only if such a set lies inside the cut, so its smallest event is in the
    /// cut: explanations look up candidates instead of scanning every branch.
    branch_index: Vec<Option<BranchIndex>>,
}

type BranchIndex = HashMap<u32, Vec<u32>, BuildHasherDefault<Fnv>>;

/// Items with more requirements than this get a [`BranchIndex`].
const BRANCH_INDEX_FROM: usize = 4;

impl<'g, 'm> FailureLogic<'g, 'm> {
    /// Computes the families of every item. `max_order` is clamped to 1..=[`MAX_ORDER`].
    pub fn new(g: &'g SupplyGraph<'m>, by: EventKind, max_order: usize) -> Self {
        Self::build(g, by, max_order, None)
    }

    /// Computes the families of `roots` and everything they require only.
    pub fn for_roots(
        g: &'g SupplyGraph<'m>,
        by: EventKind,
        max_order: usize,
        roots: &[ItemIx],
    ) -> Self {
        let mut needed = vec![false; g.item_count()];
        let mut stack: Vec<ItemIx> = roots.to_vec();
        while let Some(i) = stack.pop() {
            if !needed[i.index()] {
                needed[i.index()] = true;
                stack.extend(
                    g.requirements(i)
                        .iter()
                        .flat_map(|r| r.members.iter().copied()),
                );
            }
        }
        Self::build(g, by, max_order, Some(&needed))
    }

    fn build(
        g: &'g SupplyGraph<'m>,
        by: EventKind,
        max_order: usize,
        needed: Option<&[bool]>,
    ) -> Self {
        let k = max_order.clamp(1, MAX_ORDER);
        let mut families: Vec<Option<Arc<Vec<Cut>>>> = vec![None; g.item_count()];
        let empty = Arc::new(Vec::new());
        for &ix in g.bottom_up() {
            if needed.is_some_and(|n| !n[ix.index()]) {
                continue;
            }
            let fam = |m: ItemIx| {
                families[m.index()]
                    .as_ref()
                    .expect("bottom-up order computes requirements first")
            };
            let sources = g.sources(ix);
            let reqs = g.requirements(ix);
            // A pure pass-through (one requirement, one member, no supply) shares its child's family.
            if sources.is_empty() && reqs.len() == 1 && reqs[0].members.len() == 1 {
                families[ix.index()] = Some(Arc::clone(fam(reqs[0].members[0])));
                continue;
            }
            if sources.is_empty() && reqs.is_empty() {
                families[ix.index()] = Some(Arc::clone(&empty));
                continue;
            }
            let mut acc: Vec<Cut> = Vec::new();
            if let Some(c) = supply_cut(g, by, ix, k) {
                acc.push(c);
            }
            for r in reqs {
                let mut members = r.members.iter();
                let first = fam(*members.next().expect("a requirement has a member"));
                let mut p: Vec<Cut> = first.to_vec();
                for &m in members {
                    if p.is_empty() {
                        break;
                    }
                    p = product(&p, fam(m), k);
                }
                acc.extend(p);
            }
            families[ix.index()] = Some(Arc::new(minimise(acc)));
        }
        let branch_index = g
            .items()
            .map(|ix| {
                let reqs = g.requirements(ix);
                if reqs.len() <= BRANCH_INDEX_FROM || families[ix.index()].is_none() {
                    return None;
                }
                let mut index = BranchIndex::default();
                for (ri, r) in reqs.iter().enumerate() {
                    let first = families[r.members[0].index()]
                        .as_ref()
                        .expect("computed with its parent");
                    for c in first.iter() {
                        let list = index.entry(c.ev[0]).or_default();
                        if list.last() != Some(&(ri as u32)) {
                            list.push(ri as u32);
                        }
                    }
                }
                Some(index)
            })
            .collect();
        FailureLogic {
            g,
            by,
            order: k,
            families,
            branch_index,
        }
    }

    pub fn by(&self) -> EventKind {
        self.by
    }
    pub fn order(&self) -> usize {
        self.order
    }

    /// The minimal cut sets of F(item) up to the order, sorted by order, then by
    /// the events' ids; each with its via paths. Empty when never computed.
    pub fn cut_sets(&self, item: ItemIx) -> Vec<CutSet> {
        let Some(fam) = &self.families[item.index()] else {
            return Vec::new();
        };
        let mut out: Vec<(Vec<String>, CutSet)> = fam
            .iter()
            .map(|c| {
                let mut events: Vec<BasicEvent> = c
                    .events()
                    .iter()
                    .map(|&e| BasicEvent::from_raw(self.by, e))
                    .collect();
                let mut ids: Vec<(String, BasicEvent)> =
                    events.iter().map(|e| (e.id(self.g), *e)).collect();
                ids.sort();
                events = ids.iter().map(|(_, e)| *e).collect();
                let key = ids.into_iter().map(|(s, _)| s).collect();
                (
                    key,
                    CutSet {
                        events,
                        via: self.explain(item, c),
                    },
                )
            })
            .collect();
        out.sort_by(|(ka, a), (kb, b)| a.order().cmp(&b.order()).then_with(|| ka.cmp(kb)));
        out.into_iter().map(|(_, c)| c).collect()
    }

    /// Items under `item` (itself included) that have neither supply edges nor
    /// requirements: they never fail, so no cut set passes through them.
    pub fn never_failing(&self, item: ItemIx) -> Vec<ItemIx> {
        let mut list: Vec<ItemIx> = self.g.descendants(item);
        list.push(item);
        list.sort();
        list.into_iter()
            .filter(|&i| self.g.sources(i).is_empty() && self.g.requirements(i).is_empty())
            .collect()
    }

    fn raw_event(&self, s: &crate::graph::Source) -> u32 {
        match self.by {
            EventKind::Supplier => s.supplier.0,
            EventKind::Country => s.country.0,
        }
    }

    fn supply_killed(&self, item: ItemIx, c: &Cut) -> bool {
        let srcs = self.g.sources(item);
        !srcs.is_empty()
            && srcs
                .iter()
                .all(|s| c.events().binary_search(&self.raw_event(s)).is_ok())
    }

    fn kills(&self, item: ItemIx, c: &Cut) -> bool {
        self.families[item.index()]
            .as_ref()
            .is_some_and(|f| family_hits(f, c))
    }

    /// The requirement branches of `item` that `c` fails, as lists of members
    /// (one for an item requirement, all members for an any_of group).
    fn killed_branches(&self, item: ItemIx, c: &Cut) -> Vec<&[ItemIx]> {
        let reqs = self.g.requirements(item);
        let killed = |r: &&crate::graph::Req| r.members.iter().all(|&m| self.kills(m, c));
        match &self.branch_index[item.index()] {
            Some(index) => {
                let mut candidates: Vec<u32> = c
                    .events()
                    .iter()
                    .filter_map(|e| index.get(e))
                    .flatten()
                    .copied()
                    .collect();
                candidates.sort_unstable();
                candidates.dedup();
                candidates
                    .into_iter()
                    .map(|ri| &reqs[ri as usize])
                    .filter(killed)
                    .map(|r| r.members.as_slice())
                    .collect()
            }
            None => reqs
                .iter()
                .filter(killed)
                .map(|r| r.members.as_slice())
                .collect(),
        }
    }

    /// Via paths of cut `c` at `root`: first one complete explanation (at each OR
    /// the first failing branch, own supply first; at each AND every member), then
    /// further failing routes in depth-first order until [`MAX_VIA`] paths. Iterative,
    /// so deep BOMs cannot overflow the stack.
    fn explain(&self, root: ItemIx, c: &Cut) -> Vec<Vec<ItemIx>> {
        let mut paths = self.walk(root, c, true, usize::MAX);
        if paths.len() < MAX_VIA {
            for p in self.walk(root, c, false, MAX_VIA * 4) {
                if paths.len() >= MAX_VIA {
                    break;
                }
                if !paths.contains(&p) {
                    paths.push(p);
                }
            }
        }
        paths
    }

    fn walk(&self, root: ItemIx, c: &Cut, first_only: bool, limit: usize) -> Vec<Vec<ItemIx>> {
        let mut out = Vec::new();
        let mut stack: Vec<Vec<ItemIx>> = vec![vec![root]];
        while let Some(path) = stack.pop() {
            if out.len() >= limit {
                break;
            }
            let item = *path.last().expect("paths are non-empty");
            let own = self.supply_killed(item, c);
            if own {
                out.push(path.clone());
                if first_only {
                    continue;
                }
            }
            let branches = self.killed_branches(item, c);
            let chosen: &[&[ItemIx]] = if first_only {
                &branches[..branches.len().min(1)]
            } else {
                &branches
            };
            // Push in reverse so the stack pops them in declaration order.
            for members in chosen.iter().rev() {
                for &m in members.iter().rev() {
                    let mut next = path.clone();
                    next.push(m);
                    stack.push(next);
                }
            }
        }
        out
    }
}

/// The supply term AND_e fail(e) as one cut: the distinct events of the item's
/// supply edges; `None` without edges or above order `k`.
fn supply_cut(g: &SupplyGraph, by: EventKind, ix: ItemIx, k: usize) -> Option<Cut> {
    let sources = g.sources(ix);
    if sources.is_empty() {
        return None;
    }
    let mut ev: Vec<u32> = sources
        .iter()
        .map(|s| match by {
            EventKind::Supplier => s.supplier.0,
            EventKind::Country => s.country.0,
        })
        .collect();
    ev.sort_unstable();
    ev.dedup();
    (ev.len() <= k).then(|| Cut::from_sorted(&ev))
}

/// The minimal cut sets of `system` up to `max_order` (1..=[`MAX_ORDER`]), by
/// supplier or by country; order 1 first, then by events' ids.
pub fn minimal_cut_sets(
    g: &SupplyGraph,
    system: ItemIx,
    by: EventKind,
    max_order: usize,
) -> Vec<CutSet> {
    FailureLogic::for_roots(g, by, max_order, &[system]).cut_sets(system)
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
        // {2,3} and {1,2,3} contain {2}; {1,4,5} contains {4,5}; the duplicate goes.
        assert_eq!(got, vec![cut(&[2]), cut(&[4, 5])]);
    }

    #[test]
    fn product_is_and_of_two_families() {
        // (a ∨ b) ∧ (a ∨ c) = a ∨ (b ∧ c)
        let got = product(&[cut(&[0]), cut(&[1])], &[cut(&[0]), cut(&[2])], 2);
        assert_eq!(got, vec![cut(&[0]), cut(&[1, 2])]);
        // Truncated at order 1, only {a} survives.
        assert_eq!(
            product(&[cut(&[0]), cut(&[1])], &[cut(&[0]), cut(&[2])], 1),
            vec![cut(&[0])]
        );
    }

    #[test]
    fn family_hits_any_subset() {
        let fam = vec![cut(&[2]), cut(&[0, 5])];
        assert!(family_hits(&fam, &cut(&[0, 2])));
        assert!(family_hits(&fam, &cut(&[0, 3, 5])));
        assert!(!family_hits(&fam, &cut(&[0, 3])));
    }
}
