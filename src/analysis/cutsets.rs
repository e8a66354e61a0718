//! Failure logic and minimal cut sets (spec §3.4, version 2).
//!
//! Owns: basic events (suppliers, countries, unnamed sources), the translation
//! of the supply graph into a fault tree (groups of sources by their inputs,
//! requirements following the source, design requirements left out), the
//! *conditional* mark, and the item paths ("via") through which a cut set acts.
//! Never: ranks by degree or centrality (a choke point *is* a minimal cut set),
//! computes cut sets itself (that is [`super::mcs`]), reads files, or lets hash
//! order reach its output.
//!
//! F(i) = AND over groups g of [ (AND_{e∈g} fail(e)) OR (OR_{r∈R_g} F(r)) ] with
//! supply edges; OR_{r∈R(i)} F(r) with only requirements; never otherwise.
//! F′ gives each item with an unattributed remainder one more group that never
//! fails; a cut set C of F is conditional when F′(C) is false.

use super::mcs::{self, FaultTree, LimitExceeded, Limits, Node, NodeIx};
use super::weights::{unattributed_share, SHARE_TOLERANCE};
use crate::graph::{CountryIx, ItemIx, Req, SupplierIx, SupplyGraph, Unattributed, UnnamedIx};
use crate::model::{Case, Lang};
use serde::Serialize;
use std::collections::HashMap;

/// Highest order `--order` accepts.
pub const MAX_ORDER: usize = mcs::families::MAX_ORDER;

/// Most via paths kept per cut set beyond the first complete explanation
/// (with [`ViaPaths::All`]).
pub const MAX_VIA: usize = 4;

/// Which via paths a cut set carries (`--via`). Either way they are found by
/// evaluating the tree under the one cut set, never by enumerating families.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ViaPaths {
    /// One shortest path from the system to an item whose own supply the set
    /// cuts: breadth-first over the items the set fails, ties broken by
    /// declaration order (groups, then their inputs, then `any_of` members).
    #[default]
    Shortest,
    /// Every path up to the cap: one complete explanation (every group that
    /// fails through its inputs contributes its first failing input; at an
    /// `any_of` every member), then further failing routes in depth-first
    /// order until [`MAX_VIA`] paths.
    All,
}

impl ViaPaths {
    pub fn as_str(self) -> &'static str {
        match self {
            ViaPaths::Shortest => "shortest",
            ViaPaths::All => "all",
        }
    }
}

/// What a basic event is (`--by`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    #[default]
    Supplier,
    Country,
    /// Top parent companies (spec §3.10): a source fails when top(its supplier)
    /// fails; a source without a supplier is its own event, as by supplier.
    Parent,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Supplier => "supplier",
            EventKind::Country => "country",
            EventKind::Parent => "parent",
        }
    }
}

/// A basic event of the fault tree: a supplier, a country, or (by supplier) the
/// unnamed producers of one item in one country stop supplying.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BasicEvent {
    Supplier(SupplierIx),
    Country(CountryIx),
    Unnamed(UnnamedIx),
}

impl BasicEvent {
    fn from_raw(g: &SupplyGraph, kind: EventKind, raw: u32) -> BasicEvent {
        match kind {
            EventKind::Supplier | EventKind::Parent if (raw as usize) < g.supplier_count() => {
                BasicEvent::Supplier(SupplierIx(raw))
            }
            EventKind::Supplier | EventKind::Parent => {
                BasicEvent::Unnamed(UnnamedIx(raw - g.supplier_count() as u32))
            }
            EventKind::Country => BasicEvent::Country(CountryIx(raw)),
        }
    }
    /// Supplier or country: a top parent is a supplier.
    pub fn kind(&self) -> EventKind {
        match self {
            BasicEvent::Supplier(_) | BasicEvent::Unnamed(_) => EventKind::Supplier,
            BasicEvent::Country(_) => EventKind::Country,
        }
    }
    /// The supplier id, the country code, or `unnamed:ITEM:CC` for unnamed producers.
    pub fn id(&self, g: &SupplyGraph) -> String {
        match *self {
            BasicEvent::Supplier(s) => g.supplier(s).id.to_string(),
            BasicEvent::Country(c) => g.country(c).to_string(),
            BasicEvent::Unnamed(u) => {
                let (item, c) = g.unnamed_sources()[u.index()];
                format!("unnamed:{}:{}", g.item(item).id, g.country(c))
            }
        }
    }
    /// The display name in `lang` (a country without a declared name shows its code).
    pub fn label(&self, g: &SupplyGraph, lang: Lang) -> String {
        match *self {
            BasicEvent::Supplier(s) => g.model().supplier_name(&g.supplier(s).id, lang),
            BasicEvent::Country(c) => g.model().country_name(g.country(c), lang),
            BasicEvent::Unnamed(u) => {
                let (item, c) = g.unnamed_sources()[u.index()];
                let country = g.model().country_name(g.country(c), lang);
                match lang {
                    Lang::En => format!(
                        "unnamed producers of {} in {country}",
                        g.item(item).display_name(lang)
                    ),
                    Lang::Zh => format!("{country}未具名{}生产商", g.item(item).display_name(lang)),
                }
            }
        }
    }
    /// True for the home country, or a supplier (or unnamed producers) based there.
    pub fn is_domestic(&self, g: &SupplyGraph) -> bool {
        match *self {
            BasicEvent::Supplier(s) => {
                g.country_ix(g.supplier(s).country.as_str()) == Some(g.home())
            }
            BasicEvent::Country(c) => c == g.home(),
            BasicEvent::Unnamed(u) => g.unnamed_sources()[u.index()].1 == g.home(),
        }
    }
}

/// An unattributed remainder a conditional cut set assumes fails.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Assumed {
    pub item: ItemIx,
    /// 1 − W in the case computed.
    pub remainder: f64,
}

/// A minimal cut set: events (sorted by id) whose joint failure stops the system,
/// and the item paths from the system down to the items where they act.
#[derive(Clone, Debug, PartialEq)]
pub struct CutSet {
    pub events: Vec<BasicEvent>,
    pub via: Vec<Vec<ItemIx>>,
    /// Under `--reach` (spec §3.11): the items on the set's paths with a source
    /// that fails only through export-control reach (its own country and
    /// supplier stand); empty without reach or when nothing came through it.
    pub reached: Vec<ItemIx>,
    /// Non-empty when the set is *conditional*: it stops the system only if
    /// these items' unattributed remainders fail with their known sources.
    pub assumes: Vec<Assumed>,
}

impl CutSet {
    pub fn order(&self) -> usize {
        self.events.len()
    }
    pub fn is_conditional(&self) -> bool {
        !self.assumes.is_empty()
    }
}

/// A cut-set run stopped at a limit (spec §3.4): says which, and how to narrow it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{what}; narrow the question: {narrow}")]
pub struct CutSetLimit {
    pub what: String,
    /// What would make the question smaller (the options that help this limit).
    pub narrow: String,
    pub order: usize,
    pub cause: LimitExceeded,
}

impl CutSetLimit {
    fn new(cause: LimitExceeded, order: usize) -> Self {
        let what = match cause {
            LimitExceeded::Sets { limit } => {
                format!("more than {limit} minimal cut sets (the result limit)")
            }
            LimitExceeded::Work { limit } => format!(
                "the cut-set computation needs more than {limit} intermediate sets (the memory limit)"
            ),
        };
        let narrow = format!(
            "a lower `--order` (asked {order}), `--by country` (fewer events), or one `--system`"
        );
        CutSetLimit {
            what,
            narrow,
            order,
            cause,
        }
    }

    /// The probability diagram of `--importance` outgrew the memory limit.
    pub(crate) fn for_diagram(cause: LimitExceeded, order: usize) -> Self {
        let what = match cause {
            LimitExceeded::Sets { limit } | LimitExceeded::Work { limit } => format!(
                "the probability diagram of `--importance` needs more than {limit} nodes and cached results (the memory limit)"
            ),
        };
        // The diagram is exact over all cut sets: the order does not shrink it.
        let narrow = "`--by country` (fewer events) or one `--system`".to_string();
        CutSetLimit {
            what,
            narrow,
            order,
            cause,
        }
    }
}

/// The tree of one graph at one granularity: a node per item for F and for F′.
struct Trees {
    tree: FaultTree,
    /// F(i) per item.
    item: Vec<NodeIx>,
    /// F′(i) per item (equal to `item` where no remainder is involved).
    assuming_survival: Vec<NodeIx>,
}

/// Builds F and F′ over every item, bottom-up, sharing nodes where they agree.
fn build_trees(g: &SupplyGraph, by: EventKind, case: Case) -> (Trees, Vec<f64>) {
    let events = match by {
        EventKind::Supplier | EventKind::Parent => g.supplier_count() + g.unnamed_sources().len(),
        EventKind::Country => g.country_count(),
    };
    let mut tree = FaultTree {
        nodes: Vec::with_capacity(g.item_count() * 2 + events + 1),
        event_count: events as u32,
    };
    let never = tree.push(Node::Never);
    let mut event_node: Vec<Option<NodeIx>> = vec![None; events];
    let n = g.item_count();
    let mut item_node = vec![never; n];
    let mut prime_node = vec![never; n];
    let mut remainder = vec![0.0; n];
    let survives = g.assumptions().unattributed == Unattributed::Survives;
    // Reused across items: a tree of a million items would otherwise
    // allocate a small vector per group that it drops at once.
    let mut raw: Vec<u32> = Vec::new();
    for &i in g.bottom_up() {
        let sources = g.sources(i);
        let (f, f_prime) = if !sources.is_empty() {
            let rest = unattributed_share(g, i, case);
            let has_rest = rest.is_some();
            if let Some(rest) = rest {
                remainder[i.index()] = rest;
            }
            let mut groups = Vec::new();
            let mut groups_prime = Vec::new();
            // Standby sources are sources like any other here (spec §3.12:
            // cut sets ignore qualify_days), in groups of their own.
            for (group, sources) in g.groups_with_standby(i) {
                raw.clear();
                raw.extend(
                    group
                        .sources
                        .iter()
                        .map(|&k| raw_event(g, by, &sources[k as usize])),
                );
                raw.sort_unstable();
                raw.dedup();
                let mut event = |tree: &mut FaultTree, e: u32| {
                    *event_node[e as usize].get_or_insert_with(|| tree.push(Node::Event(e)))
                };
                let mut supply: Vec<NodeIx> = raw.iter().map(|&e| event(&mut tree, e)).collect();
                if by == EventKind::Country {
                    // Export-control reach (spec §3.11): fail(e) = c_e ∨ the issuers.
                    for &k in &group.sources {
                        let issuers = g.reached_by_source(i, &sources[k as usize]);
                        if issuers.is_empty() {
                            continue;
                        }
                        let own = raw_event(g, by, &sources[k as usize]);
                        let mut or = vec![event(&mut tree, own)];
                        or.extend(issuers.iter().map(|c| event(&mut tree, c.0)));
                        let node = or_node(&mut tree, never, or);
                        // Replaces the plain country event of this source.
                        let plain = event(&mut tree, own);
                        if let Some(at) = supply.iter().position(|&n| n == plain) {
                            supply[at] = node;
                        } else {
                            supply.push(node);
                        }
                    }
                }
                let supply = and(&mut tree, never, supply);
                let branch = |nodes: &[NodeIx], tree: &mut FaultTree| {
                    let mut or = vec![supply];
                    or.extend(
                        g.group_inputs(i, group)
                            .map(|r| requirement(tree, never, r, nodes)),
                    );
                    or_node(tree, never, or)
                };
                groups.push(branch(&item_node, &mut tree));
                groups_prime.push(branch(&prime_node, &mut tree));
            }
            let f = and(&mut tree, never, groups);
            let f_prime = if has_rest {
                never
            } else {
                and(&mut tree, never, groups_prime)
            };
            (if has_rest && survives { never } else { f }, f_prime)
        } else {
            let f: Vec<NodeIx> = g
                .production_requirements(i)
                .map(|r| requirement(&mut tree, never, r, &item_node))
                .collect();
            let f_prime: Vec<NodeIx> = g
                .production_requirements(i)
                .map(|r| requirement(&mut tree, never, r, &prime_node))
                .collect();
            (
                or_node(&mut tree, never, f),
                or_node(&mut tree, never, f_prime),
            )
        };
        item_node[i.index()] = f;
        prime_node[i.index()] = f_prime;
    }
    (
        Trees {
            tree,
            item: item_node,
            assuming_survival: prime_node,
        },
        remainder,
    )
}

/// The raw basic event a source fails with at granularity `by`: its country,
/// its supplier, or (after the suppliers) its unnamed-producers event.
fn raw_event(g: &SupplyGraph, by: EventKind, s: &crate::graph::Source) -> u32 {
    match (by, s.supplier, s.unnamed) {
        (EventKind::Country, _, _) => s.country.0,
        (EventKind::Supplier, Some(sup), _) => sup.0,
        (EventKind::Parent, Some(sup), _) => g.top_parent(sup).0,
        (EventKind::Supplier | EventKind::Parent, None, u) => {
            g.supplier_count() as u32 + u.map_or(0, |u| u.0)
        }
    }
}

/// Whether the `k`-th source of `item` is failed by the sorted raw events
/// `cut`, and whether only through export-control reach (its own event stands).
fn source_dead(
    g: &SupplyGraph,
    by: EventKind,
    item: ItemIx,
    k: usize,
    cut: &[u32],
) -> (bool, bool) {
    dead(g, by, item, &g.sources(item)[k], cut)
}

/// [`source_dead`] for any source of `item`, regular or standby.
fn dead(
    g: &SupplyGraph,
    by: EventKind,
    item: ItemIx,
    s: &crate::graph::Source,
    cut: &[u32],
) -> (bool, bool) {
    let own = cut.binary_search(&raw_event(g, by, s)).is_ok();
    if own || by != EventKind::Country {
        return (own, false);
    }
    let reached = g
        .reached_by_source(item, s)
        .iter()
        .any(|c| cut.binary_search(&c.0).is_ok());
    (reached, reached)
}

/// F of a requirement: the member's node, or the AND of an any_of group's members.
fn requirement(tree: &mut FaultTree, never: NodeIx, r: &Req, nodes: &[NodeIx]) -> NodeIx {
    if let [m] = &r.members[..] {
        // AND of one child is the child (what `and` returns), without a vector.
        return nodes[m.index()];
    }
    let members: Vec<NodeIx> = r.members.iter().map(|m| nodes[m.index()]).collect();
    and(tree, never, members)
}

/// AND of `children`, simplified: any never-failing child makes it never fail.
fn and(tree: &mut FaultTree, never: NodeIx, mut children: Vec<NodeIx>) -> NodeIx {
    if children.is_empty() || children.contains(&never) {
        return never;
    }
    children.sort_unstable();
    children.dedup();
    if children.len() == 1 {
        return children[0];
    }
    tree.push(Node::And(children))
}

/// OR of `children`, simplified: never-failing children drop out.
fn or_node(tree: &mut FaultTree, never: NodeIx, mut children: Vec<NodeIx>) -> NodeIx {
    children.retain(|&c| c != never);
    children.sort_unstable();
    children.dedup();
    match children.len() {
        0 => never,
        1 => children[0],
        _ => tree.push(Node::Or(children)),
    }
}

/// The failure logic of a graph at one granularity and case, with the minimal
/// cut sets of the requested roots computed once.
pub struct FailureLogic<'g, 'm> {
    g: &'g SupplyGraph<'m>,
    by: EventKind,
    order: usize,
    case: Case,
    trees: Trees,
    remainder: Vec<f64>,
    families: HashMap<ItemIx, Vec<Vec<u32>>>,
    via: ViaPaths,
}

impl<'g, 'm> FailureLogic<'g, 'm> {
    /// The cut sets of every system, with the default limits.
    pub fn new(
        g: &'g SupplyGraph<'m>,
        by: EventKind,
        max_order: usize,
        case: Case,
    ) -> Result<Self, CutSetLimit> {
        Self::for_roots(g, by, max_order, case, g.systems())
    }

    /// The cut sets of `roots`, with the default limits.
    pub fn for_roots(
        g: &'g SupplyGraph<'m>,
        by: EventKind,
        max_order: usize,
        case: Case,
        roots: &[ItemIx],
    ) -> Result<Self, CutSetLimit> {
        Self::with_limits(g, by, max_order, case, roots, &Limits::default())
    }

    /// The cut sets of `roots` up to `max_order` (clamped to 1..=[`MAX_ORDER`]).
    pub fn with_limits(
        g: &'g SupplyGraph<'m>,
        by: EventKind,
        max_order: usize,
        case: Case,
        roots: &[ItemIx],
        limits: &Limits,
    ) -> Result<Self, CutSetLimit> {
        Self::with_progress(g, by, max_order, case, roots, limits, &mut |_, _| {})
    }

    /// [`Self::with_limits`], reporting the search's progress as (done, total)
    /// work units (gates built), for a progress bar.
    pub fn with_progress(
        g: &'g SupplyGraph<'m>,
        by: EventKind,
        max_order: usize,
        case: Case,
        roots: &[ItemIx],
        limits: &Limits,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Self, CutSetLimit> {
        let k = max_order.clamp(1, MAX_ORDER);
        let (trees, remainder) = build_trees(g, by, case);
        let nodes: Vec<NodeIx> = roots.iter().map(|r| trees.item[r.index()]).collect();
        let sets = mcs::zbdd::cut_sets_with_progress(&trees.tree, &nodes, k, limits, progress)
            .map_err(|e| CutSetLimit::new(e, k))?;
        let families = roots.iter().copied().zip(sets).collect();
        Ok(FailureLogic {
            g,
            by,
            order: k,
            case,
            trees,
            remainder,
            families,
            via: ViaPaths::default(),
        })
    }

    /// The same cut sets, explained with `via` paths from now on.
    pub fn with_via(mut self, via: ViaPaths) -> Self {
        self.via = via;
        self
    }
    pub fn via(&self) -> ViaPaths {
        self.via
    }

    pub fn by(&self) -> EventKind {
        self.by
    }

    /// The fault tree behind the cut sets (for the diagrams of `importance`).
    pub(crate) fn tree(&self) -> &FaultTree {
        &self.trees.tree
    }
    /// The node of F(item) in [`FailureLogic::tree`].
    pub(crate) fn node(&self, item: ItemIx) -> NodeIx {
        self.trees.item[item.index()]
    }
    /// The basic event a raw event index of the tree stands for.
    pub(crate) fn event(&self, raw: u32) -> BasicEvent {
        BasicEvent::from_raw(self.g, self.by, raw)
    }
    /// The minimal cut sets of a root as raw event indices (empty for a non-root).
    pub(crate) fn raw_cut_sets(&self, item: ItemIx) -> &[Vec<u32>] {
        self.families.get(&item).map_or(&[], |f| f.as_slice())
    }
    pub fn order(&self) -> usize {
        self.order
    }
    pub fn case(&self) -> Case {
        self.case
    }

    /// The minimal cut sets of F(item) up to the order, sorted by order, then by
    /// the events' ids; each with its via paths and, when conditional, the
    /// remainders it assumes. Empty for an item that was not a root.
    pub fn cut_sets(&self, item: ItemIx) -> Vec<CutSet> {
        self.first_cut_sets(item, usize::MAX)
    }

    /// How many minimal cut sets F(item) has of each order: `[k − 1]` counts
    /// order k, for k = 1..=order. All zero for an item that was not a root.
    pub fn counts_by_order(&self, item: ItemIx) -> Vec<usize> {
        let mut counts = vec![0; self.order];
        for raw in self.families.get(&item).into_iter().flatten() {
            counts[raw.len() - 1] += 1;
        }
        counts
    }

    /// The first `n` of [`Self::cut_sets`]: every set is sorted, only those
    /// kept are explained (via paths, the conditional mark), so listing 20 of
    /// a million sets costs 20 explanations.
    pub fn first_cut_sets(&self, item: ItemIx, n: usize) -> Vec<CutSet> {
        let Some(fam) = self.families.get(&item) else {
            return Vec::new();
        };
        let mut keyed: Vec<(Vec<String>, Vec<BasicEvent>, &[u32])> = fam
            .iter()
            .map(|raw| {
                let mut ids: Vec<(String, BasicEvent)> = raw
                    .iter()
                    .map(|&e| {
                        let ev = BasicEvent::from_raw(self.g, self.by, e);
                        (ev.id(self.g), ev)
                    })
                    .collect();
                ids.sort();
                let events = ids.iter().map(|(_, e)| *e).collect();
                let key = ids.into_iter().map(|(s, _)| s).collect();
                (key, events, raw.as_slice())
            })
            .collect();
        keyed.sort_by(|(ka, ea, _), (kb, eb, _)| ea.len().cmp(&eb.len()).then_with(|| ka.cmp(kb)));
        keyed.truncate(n);
        // One evaluation for every set, restarted under each.
        let mut eval = Evaluation::new(&self.trees.tree);
        keyed
            .into_iter()
            .map(|(_, events, raw)| {
                eval.start(raw);
                self.explain_set(item, events, raw, &mut eval)
            })
            .collect()
    }

    /// Via paths and the conditional mark of one cut set (`eval` fails `raw`).
    fn explain_set(
        &self,
        item: ItemIx,
        events: Vec<BasicEvent>,
        raw: &[u32],
        eval: &mut Evaluation,
    ) -> CutSet {
        let via = match self.via {
            ViaPaths::Shortest => self.shortest(item, raw, eval),
            ViaPaths::All => self.explain(item, raw, eval),
        };
        let conditional = !eval.fails(self.trees.assuming_survival[item.index()]);
        let assumes = if conditional {
            // The items on every path (as `--via all` lists them), so
            // that what a set assumes does not depend on `--via`.
            let all;
            let paths = match self.via {
                ViaPaths::All => &via,
                ViaPaths::Shortest => {
                    all = self.explain(item, raw, eval);
                    &all
                }
            };
            let mut on_path: Vec<ItemIx> = paths.iter().flatten().copied().collect();
            on_path.sort();
            on_path.dedup();
            on_path
                .into_iter()
                .filter(|i| self.remainder[i.index()] > SHARE_TOLERANCE)
                .map(|i| Assumed {
                    item: i,
                    remainder: self.remainder[i.index()],
                })
                .collect()
        } else {
            Vec::new()
        };
        let reached = if self.g.assumptions().reach && self.by == EventKind::Country {
            let paths = self.explain(item, raw, eval);
            let mut on_path: Vec<ItemIx> = paths.iter().flatten().copied().collect();
            on_path.sort();
            on_path.dedup();
            on_path
                .into_iter()
                .filter(|&i| {
                    (0..self.g.sources(i).len()).any(|k| source_dead(self.g, self.by, i, k, raw).1)
                })
                .collect()
        } else {
            Vec::new()
        };
        CutSet {
            events,
            via,
            reached,
            assumes,
        }
    }

    /// Items under `item` (itself included) that never fail: no supply edges and
    /// no production requirements (unmapped, known only by a figure, or
    /// design-only), so no cut set passes through them.
    pub fn never_failing(&self, item: ItemIx) -> Vec<ItemIx> {
        let mut list: Vec<ItemIx> = self.g.descendants(item);
        list.push(item);
        list.sort();
        list.into_iter()
            .filter(|&i| {
                self.g.sources(i).is_empty() && self.g.production_requirements(i).next().is_none()
            })
            .collect()
    }

    /// Where the walk goes from a failing item: whether a group failed by its
    /// own supply, and for each group that did not, its failing inputs (member
    /// lists: one for an item requirement, all members for an any_of group).
    fn step(
        &self,
        item: ItemIx,
        cut: &[u32],
        eval: &mut Evaluation,
    ) -> (bool, Vec<Vec<Vec<ItemIx>>>) {
        let g = self.g;
        let fails = |eval: &mut Evaluation, r: &Req| {
            r.members
                .iter()
                .all(|m| eval.fails(self.trees.item[m.index()]))
        };
        let sources = g.sources(item);
        if sources.is_empty() {
            let inputs: Vec<Vec<ItemIx>> = g
                .production_requirements(item)
                .filter(|r| fails(eval, r))
                .map(|r| r.members.to_vec())
                .collect();
            return (false, vec![inputs]);
        }
        let mut own = false;
        let mut per_group = Vec::new();
        for (group, sources) in g.groups_with_standby(item) {
            let supply_dead = group
                .sources
                .iter()
                .all(|&k| dead(g, self.by, item, &sources[k as usize], cut).0);
            if supply_dead {
                own = true;
                continue;
            }
            let inputs: Vec<Vec<ItemIx>> = g
                .group_inputs(item, group)
                .filter(|r| fails(eval, r))
                .map(|r| r.members.to_vec())
                .collect();
            per_group.push(inputs);
        }
        (own, per_group)
    }

    /// One shortest via path of the cut at `root`: breadth-first over the items
    /// the cut fails (every failing input of every group that does not fail by
    /// its own supply), neighbours in declaration order, so the first item
    /// reached whose own supply the cut kills ends the path. Every failing
    /// item leads to one, so a failing root always has a path.
    fn shortest(&self, root: ItemIx, cut: &[u32], eval: &mut Evaluation) -> Vec<Vec<ItemIx>> {
        let mut parent: HashMap<ItemIx, ItemIx> = HashMap::new();
        let mut queue = std::collections::VecDeque::from([root]);
        parent.insert(root, root);
        while let Some(item) = queue.pop_front() {
            let (own, groups) = self.step(item, cut, eval);
            if own {
                let mut path = vec![item];
                let mut at = item;
                while at != root {
                    at = parent[&at];
                    path.push(at);
                }
                path.reverse();
                return vec![path];
            }
            for &m in groups.iter().flatten().flatten() {
                if let std::collections::hash_map::Entry::Vacant(e) = parent.entry(m) {
                    e.insert(item);
                    queue.push_back(m);
                }
            }
        }
        Vec::new()
    }

    /// Via paths of the cut at `root`: first one complete explanation (every
    /// group that fails through its inputs contributes its first failing input;
    /// at an any_of group every member), then further failing routes in
    /// depth-first order until [`MAX_VIA`] paths. Iterative.
    fn explain(&self, root: ItemIx, cut: &[u32], eval: &mut Evaluation) -> Vec<Vec<ItemIx>> {
        let mut paths = self.walk(root, cut, eval, true, usize::MAX);
        if paths.len() < MAX_VIA {
            for p in self.walk(root, cut, eval, false, MAX_VIA * 4) {
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

    fn walk(
        &self,
        root: ItemIx,
        cut: &[u32],
        eval: &mut Evaluation,
        first_only: bool,
        limit: usize,
    ) -> Vec<Vec<ItemIx>> {
        let mut out = Vec::new();
        let mut stack: Vec<Vec<ItemIx>> = vec![vec![root]];
        while let Some(path) = stack.pop() {
            if out.len() >= limit {
                break;
            }
            let item = *path.last().expect("paths are non-empty");
            let (own, groups) = self.step(item, cut, eval);
            if own {
                out.push(path.clone());
            }
            let mut next: Vec<&Vec<ItemIx>> = Vec::new();
            for inputs in &groups {
                if first_only {
                    next.extend(inputs.first());
                } else {
                    next.extend(inputs.iter());
                }
            }
            let mut seen = Vec::new();
            // Push in reverse so the stack pops them in declaration order.
            for members in next.into_iter().rev() {
                for &m in members.iter().rev() {
                    if seen.contains(&m) {
                        continue;
                    }
                    seen.push(m);
                    let mut p = path.clone();
                    p.push(m);
                    stack.push(p);
                }
            }
        }
        out
    }
}

/// Lazy, memoised evaluation of tree nodes under one set of failed events.
struct Evaluation<'t> {
    tree: &'t FaultTree,
    /// Per event: whether the cut set being explained fails it.
    failed: Vec<bool>,
    /// The events `failed` marks.
    failed_events: Vec<u32>,
    /// Per node: not evaluated yet (`UNKNOWN`), or 1 + whether it fails.
    /// Dense, where a hash map cost a SipHash per node visited and set;
    /// [`Self::start`] undoes only the nodes in `evaluated`.
    memo: Vec<u8>,
    evaluated: Vec<NodeIx>,
}

const UNKNOWN: u8 = 0;

impl<'t> Evaluation<'t> {
    fn new(tree: &'t FaultTree) -> Self {
        Evaluation {
            tree,
            failed: vec![false; tree.event_count as usize],
            failed_events: Vec::new(),
            memo: vec![UNKNOWN; tree.nodes.len()],
            evaluated: Vec::new(),
        }
    }

    /// Starts over with exactly the events `raw` failed: undoes the last
    /// set's events and forgets every node evaluated under them.
    fn start(&mut self, raw: &[u32]) {
        for e in self.failed_events.drain(..) {
            self.failed[e as usize] = false;
        }
        for n in self.evaluated.drain(..) {
            self.memo[n as usize] = UNKNOWN;
        }
        for &e in raw {
            self.failed[e as usize] = true;
        }
        self.failed_events.extend_from_slice(raw);
    }

    fn known(&self, node: NodeIx) -> Option<bool> {
        match self.memo[node as usize] {
            UNKNOWN => None,
            v => Some(v == 2),
        }
    }

    /// Whether `node` fails. Iterative: a deep tree cannot overflow the stack.
    fn fails(&mut self, node: NodeIx) -> bool {
        if let Some(v) = self.known(node) {
            return v;
        }
        let mut stack = vec![node];
        while let Some(&n) = stack.last() {
            if self.known(n).is_some() {
                stack.pop();
                continue;
            }
            let value = match &self.tree.nodes[n as usize] {
                Node::Event(e) => Some(self.failed[*e as usize]),
                Node::Never => Some(false),
                Node::And(c) | Node::Or(c) => {
                    let is_and = matches!(self.tree.nodes[n as usize], Node::And(_));
                    let mut decided = None;
                    let mut pending = None;
                    for &x in c {
                        match self.known(x) {
                            Some(v) if v != is_and => {
                                decided = Some(v);
                                break;
                            }
                            Some(_) => {}
                            None => {
                                pending = Some(x);
                                break;
                            }
                        }
                    }
                    match (decided, pending) {
                        (Some(v), _) => Some(v),
                        (None, Some(x)) => {
                            stack.push(x);
                            None
                        }
                        (None, None) => Some(is_and),
                    }
                }
            };
            if let Some(v) = value {
                self.memo[n as usize] = 1 + v as u8;
                self.evaluated.push(n);
                stack.pop();
            }
        }
        self.known(node).expect("evaluated above")
    }
}

/// The failure logic of `systems` (spec §3.4) as Open-PSA Model Exchange
/// Format XML: one top gate per system (named by its id), a gate per item and
/// source group, and a basic event per supplier, country or unnamed source
/// (named by its id; `unnamed:ITEM:CC` for unnamed producers), with its
/// disruption probability over a year where the graph gives one. For SCRAM and
/// other MEF tools.
pub fn open_psa(g: &SupplyGraph, by: EventKind, case: Case, systems: &[ItemIx]) -> String {
    open_psa_over(g, by, case, systems, super::importance::YEAR_DAYS)
}

/// [`open_psa`] with the probabilities over `horizon_days` (docs/metrics.md §10).
pub fn open_psa_over(
    g: &SupplyGraph,
    by: EventKind,
    case: Case,
    systems: &[ItemIx],
    horizon_days: f64,
) -> String {
    let (trees, _) = build_trees(g, by, case);
    let roots: Vec<(String, NodeIx)> = systems
        .iter()
        .map(|s| (g.item(*s).id.to_string(), trees.item[s.index()]))
        .collect();
    let name = |raw: u32| BasicEvent::from_raw(g, by, raw).id(g);
    let probability = |raw: u32| {
        super::importance::event_probability(g, BasicEvent::from_raw(g, by, raw), case)
            .map(|p| super::importance::over_horizon(p, horizon_days))
    };
    mcs::openpsa::write_open_psa_with(&trees.tree, &roots, &name, &probability)
}

/// The minimal cut sets of `system` up to `max_order` (1..=[`MAX_ORDER`]), by
/// supplier or by country; order 1 first, then by events' ids.
pub fn minimal_cut_sets(
    g: &SupplyGraph,
    system: ItemIx,
    by: EventKind,
    max_order: usize,
    case: Case,
) -> Result<Vec<CutSet>, CutSetLimit> {
    Ok(FailureLogic::for_roots(g, by, max_order, case, &[system])?.cut_sets(system))
}
