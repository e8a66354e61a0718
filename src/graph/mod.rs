//! The validated model as a graph: dense indices, resolved references and
//! traversal orders, on petgraph.
//!
//! Owns: index newtypes ([`ItemIx`], [`SupplierIx`], [`CountryIx`]), the resolved
//! requirement and supply lists, bottom-up order, the where-used (reverse) view.
//! Never: exposes a petgraph type in its public API, reads files, or computes a
//! metric of spec §3. Every traversal is iterative, so a 100,000-deep BOM cannot
//! overflow the stack. Iteration order is the model's declaration order.

use crate::model::{
    CountryCode, Estimate, Item, ItemKind, Model, Requirement, Role, SourceInputs, Supplier,
};
use indexmap::IndexSet;
use petgraph::graph::{DiGraph, NodeIndex};

macro_rules! index_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);
        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

index_type!(
    /// Dense index of an item: its position in the model's declaration order.
    ItemIx
);
index_type!(
    /// Dense index of a supplier: its position in the model's declaration order.
    SupplierIx
);
index_type!(
    /// Dense index of a country: declared countries first, then codes used undeclared.
    CountryIx
);

index_type!(
    /// Dense index of an unnamed source (a supply entry with a country and no
    /// supplier): the basic event "unnamed producers of ITEM in C" by supplier.
    UnnamedIx
);

/// Which producers need the bill of materials (`--scope`, spec §3 notation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// What the home market loses: foreign makers need only what their entry says.
    #[default]
    Home,
    /// A producer lost to the whole world: every source needs the bill of materials
    /// unless its entry says otherwise (version 1's view).
    World,
}

/// What an unattributed remainder of supply does (`--unattributed`, spec §3.4, §3.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unattributed {
    /// The known sources stand for the whole supply (ŵ_e = w_e / W).
    #[default]
    Proportional,
    /// The remainder 1 − W is a source that needs nothing and never fails.
    Survives,
}

/// The assumptions a run reads the graph under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize)]
pub struct Assumptions {
    pub scope: Scope,
    pub unattributed: Unattributed,
    /// `--reach` (spec §3.11): a foreign source of an item under an export
    /// control also fails when the regime's issuing country fails.
    pub reach: bool,
}

/// A requirement with resolved members.
#[derive(Clone, Debug)]
pub struct Req<'m> {
    /// One member for `item`, several for `any_of`.
    pub members: Vec<ItemIx>,
    pub any_of: bool,
    pub qty: f64,
    pub cost_share: Option<&'m Estimate>,
    /// `role: design`: counts in cost, never stops production.
    pub design: bool,
    /// `qualify_days` of each member, in member order (spec §3.12: an any_of
    /// member counts in exposure only from that day); `None` when no member has one.
    pub qualify: Option<&'m [Option<Estimate>]>,
}

impl Req<'_> {
    /// qualify_days of the `k`-th member under `case` (absent → 0).
    pub fn qualify_days(&self, k: usize, case: crate::model::Case) -> f64 {
        self.qualify
            .and_then(|q| q.get(k))
            .and_then(|e| e.as_ref())
            .map_or(0.0, |e| e.get(case))
    }
}

/// A supply edge with resolved supplier and country (the site's, else the supplier's).
#[derive(Clone, Debug)]
pub struct Source<'m> {
    /// `None` for the unnamed producers of a country.
    pub supplier: Option<SupplierIx>,
    /// Set exactly when `supplier` is `None`.
    pub unnamed: Option<UnnamedIx>,
    pub country: CountryIx,
    pub share: &'m Estimate,
    /// Index of its group in [`SupplyGraph::groups`].
    pub group: u32,
}

/// What the sources of a group need (spec §3 notation: R_g).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupInputs {
    /// Nothing: a foreign maker delivering the finished item.
    Nothing,
    /// The item's production requirements R(i).
    Production,
    /// A source's own list: index into [`SupplyGraph::own_inputs`] of the item.
    Own(u32),
}

/// Sources of one item that need the same inputs and draw on one pool of them.
#[derive(Clone, Debug)]
pub struct Group {
    /// Indices into [`SupplyGraph::sources`] of the item, in declaration order.
    pub sources: Vec<u32>,
    pub inputs: GroupInputs,
}

/// The supply graph over a borrowed model.
pub struct SupplyGraph<'m> {
    model: &'m Model,
    countries: IndexSet<CountryCode>,
    home: CountryIx,
    assumptions: Assumptions,
    requirements: Vec<Vec<Req<'m>>>,
    sources: Vec<Vec<Source<'m>>>,
    /// Sources' own input lists, per item (referenced by [`GroupInputs::Own`]).
    own_inputs: Vec<Vec<Vec<Req<'m>>>>,
    groups: Vec<Vec<Group>>,
    /// Standby sources (spec §3.12) and their groups, per item, apart from
    /// the regular ones so that no share-based metric reads them.
    standby: Vec<Vec<Source<'m>>>,
    standby_groups: Vec<Vec<Group>>,
    /// qualify_days of each standby source (absent → None = 0).
    qualify: Vec<Vec<Option<&'m Estimate>>>,
    unnamed: Vec<(ItemIx, CountryIx)>,
    parents: Vec<Vec<ItemIx>>,
    /// Per supplier, its owners nearest first (spec §3.10); the last is top(s).
    owners: Vec<Vec<SupplierIx>>,
    /// Per item, the countries that issue its `export_controls` regimes
    /// (`meta.regimes`), each once, in the item's order.
    issuers: Vec<Vec<CountryIx>>,
    bottom_up: Vec<ItemIx>,
    systems: Vec<ItemIx>,
    /// parent → child edges, one per requirement member (for centrality and order).
    graph: DiGraph<ItemIx, ()>,
}

impl<'m> SupplyGraph<'m> {
    /// Builds the graph under the default assumptions (`--scope home`,
    /// `--unattributed proportional`). The model must be validated (as every
    /// `load` result is).
    pub fn new(model: &'m Model) -> Self {
        Self::with_assumptions(model, Assumptions::default())
    }

    /// Builds the graph read under `assumptions`: the scope decides which
    /// sources need the bill of materials, and so how sources group.
    pub fn with_assumptions(model: &'m Model, assumptions: Assumptions) -> Self {
        let countries: IndexSet<CountryCode> =
            model.countries_in_use().into_iter().cloned().collect();
        let home = countries
            .get_index_of(&model.meta.home)
            .expect("home is a country in use");
        let n = model.items.len();
        let mut requirements = Vec::with_capacity(n);
        let mut sources = Vec::with_capacity(n);
        let mut own_inputs = Vec::with_capacity(n);
        let mut groups = Vec::with_capacity(n);
        let mut standby_all = Vec::with_capacity(n);
        let mut standby_groups_all = Vec::with_capacity(n);
        let mut qualify_all = Vec::with_capacity(n);
        let mut unnamed = Vec::new();
        let mut parents = vec![Vec::new(); n];
        let mut graph = DiGraph::with_capacity(n, n * 2);
        for i in 0..n {
            graph.add_node(ItemIx(i as u32));
        }
        let resolve = |r: &'m Requirement| {
            let members: Vec<ItemIx> = r
                .target
                .members()
                .iter()
                .map(|id| ItemIx(model.items.get_index_of(id).expect("validated reference") as u32))
                .collect();
            Req {
                any_of: matches!(r.target, crate::model::RequirementTarget::AnyOf(_)),
                members,
                qty: r.qty,
                cost_share: r.cost_share.as_deref(),
                design: r.role == Role::Design,
                qualify: r.member_qualify.as_deref().map(|v| v.as_slice()),
            }
        };
        for (i, item) in model.items.values().enumerate() {
            let ix = ItemIx(i as u32);
            let reqs: Vec<Req> = item.requires.iter().map(resolve).collect();
            // R(i) as a list only when a source's own list must be compared
            // with it (rare): most items never need the copy.
            let production =
                || -> Vec<Req> { reqs.iter().filter(|r| !r.design).cloned().collect() };
            let no_production = reqs.iter().all(|r| r.design);
            let mut own: Vec<Vec<Req>> = Vec::new();
            let mut item_groups: Vec<Group> = Vec::new();
            let mut srcs: Vec<Source> = Vec::with_capacity(item.supply.len());
            let mut sb_groups: Vec<Group> = Vec::new();
            let mut sb_srcs: Vec<Source> = Vec::new();
            let entries = item
                .supply
                .iter()
                .enumerate()
                .map(|(k, e)| (k, e, false))
                .chain(
                    item.standby
                        .iter()
                        .enumerate()
                        .map(|(k, s)| (k, &s.edge, true)),
                );
            for (k, e, is_standby) in entries {
                let (item_groups, srcs) = if is_standby {
                    (&mut sb_groups, &mut sb_srcs)
                } else {
                    (&mut item_groups, &mut srcs)
                };
                let supplier = e.supplier.as_ref().map(|id| {
                    SupplierIx(
                        model
                            .suppliers
                            .get_index_of(id)
                            .expect("validated reference") as u32,
                    )
                });
                let code = model.edge_country(e);
                let c = CountryIx(
                    countries
                        .get_index_of(code)
                        .expect("every site is a country in use") as u32,
                );
                let domestic = c.0 as usize == home;
                let inputs = match e.requires.as_deref() {
                    Some(SourceInputs::Bom) => GroupInputs::Production,
                    Some(SourceInputs::List(list)) if list.is_empty() => GroupInputs::Nothing,
                    Some(SourceInputs::List(list)) => {
                        let resolved: Vec<Req> = list.iter().map(resolve).collect();
                        if same_inputs(&resolved, &production()) {
                            GroupInputs::Production
                        } else {
                            // Equal lists share a group: the same inputs, one pool.
                            let same = own.iter().position(|o| same_inputs(o, &resolved));
                            GroupInputs::Own(same.unwrap_or_else(|| {
                                own.push(resolved);
                                own.len() - 1
                            }) as u32)
                        }
                    }
                    None if domestic || assumptions.scope == Scope::World => {
                        GroupInputs::Production
                    }
                    None => GroupInputs::Nothing,
                };
                // Sources that need the same inputs share a group, however the
                // inputs were written: an empty bill of materials is nothing.
                let inputs = if inputs == GroupInputs::Production && no_production {
                    GroupInputs::Nothing
                } else {
                    inputs
                };
                let group = match item_groups.iter().position(|g| g.inputs == inputs) {
                    Some(p) => p,
                    None => {
                        item_groups.push(Group {
                            sources: Vec::new(),
                            inputs,
                        });
                        item_groups.len() - 1
                    }
                };
                item_groups[group].sources.push(k as u32);
                let unnamed_ix = supplier.is_none().then(|| {
                    let key = (ix, c);
                    let p = match unnamed.iter().rposition(|u| *u == key) {
                        Some(p) => p,
                        None => {
                            unnamed.push(key);
                            unnamed.len() - 1
                        }
                    };
                    UnnamedIx(p as u32)
                });
                srcs.push(Source {
                    supplier,
                    unnamed: unnamed_ix,
                    country: c,
                    share: &e.share,
                    group: group as u32,
                });
            }
            for m in reqs
                .iter()
                .chain(own.iter().flatten())
                .flat_map(|r| r.members.iter())
            {
                if !parents[m.index()].contains(&ix) {
                    parents[m.index()].push(ix);
                }
                graph.add_edge(NodeIndex::new(i), NodeIndex::new(m.index()), ());
            }
            requirements.push(reqs);
            own_inputs.push(own);
            groups.push(item_groups);
            sources.push(srcs);
            standby_all.push(sb_srcs);
            standby_groups_all.push(sb_groups);
            qualify_all.push(
                item.standby
                    .iter()
                    .map(|s| s.qualify_days.as_deref())
                    .collect(),
            );
        }
        let bottom_up = bottom_up_order(&requirements, &own_inputs, n);
        let owners = model
            .suppliers
            .keys()
            .map(|id| {
                model
                    .parent_chain(id)
                    .into_iter()
                    .filter_map(|p| model.suppliers.get_index_of(p))
                    .map(|p| SupplierIx(p as u32))
                    .collect()
            })
            .collect();
        let issuers = model
            .items
            .values()
            .map(|item| {
                let mut list: Vec<CountryIx> = Vec::new();
                for regime in &item.export_controls {
                    let issuer = model
                        .meta
                        .regimes
                        .get(regime)
                        .and_then(|c| countries.get_index_of(c))
                        .map(|c| CountryIx(c as u32));
                    if let Some(c) = issuer.filter(|c| !list.contains(c)) {
                        list.push(c);
                    }
                }
                list
            })
            .collect();
        let systems = model
            .items
            .values()
            .enumerate()
            .filter(|(_, it)| it.kind == ItemKind::System)
            .map(|(i, _)| ItemIx(i as u32))
            .collect();
        SupplyGraph {
            model,
            countries,
            home: CountryIx(home as u32),
            assumptions,
            requirements,
            sources,
            own_inputs,
            groups,
            standby: standby_all,
            standby_groups: standby_groups_all,
            qualify: qualify_all,
            unnamed,
            parents,
            owners,
            issuers,
            bottom_up,
            systems,
            graph,
        }
    }

    /// The standby sources of `ix` (spec §3.12), in declaration order; their
    /// `group` indexes [`Self::standby_groups`].
    pub fn standby_sources(&self, ix: ItemIx) -> &[Source<'m>] {
        &self.standby[ix.index()]
    }

    /// Groups of the standby sources of `ix` by their inputs (read their
    /// inputs with [`Self::group_inputs`], as for regular groups).
    pub fn standby_groups(&self, ix: ItemIx) -> &[Group] {
        &self.standby_groups[ix.index()]
    }

    /// Every group of `ix` with the sources its indices point into: the
    /// regular groups over [`Self::sources`], then the standby groups over
    /// [`Self::standby_sources`] (for the failure logic, where standby sources
    /// are sources like any other, spec §3.12).
    pub fn groups_with_standby(
        &self,
        ix: ItemIx,
    ) -> impl Iterator<Item = (&Group, &[Source<'m>])> + '_ {
        let (sources, standby) = (self.sources(ix), self.standby_sources(ix));
        self.groups(ix)
            .iter()
            .map(move |gr| (gr, sources))
            .chain(self.standby_groups(ix).iter().map(move |gr| (gr, standby)))
    }

    /// qualify_days of the `k`-th standby source of `ix` (None = 0).
    pub fn qualify_days(&self, ix: ItemIx, k: usize) -> Option<&'m Estimate> {
        self.qualify[ix.index()][k]
    }

    /// The countries whose failure also fails `source` of `ix` through
    /// export-control reach, for a standby or a regular source (see
    /// [`Self::reached_by`]).
    pub fn reached_by_source(&self, ix: ItemIx, source: &Source) -> &[CountryIx] {
        if !self.assumptions.reach || source.country == self.home {
            return &[];
        }
        &self.issuers[ix.index()]
    }

    /// top(s) of spec §3.10: the end of the supplier's `parent` chain, or itself.
    pub fn top_parent(&self, s: SupplierIx) -> SupplierIx {
        self.owners[s.index()].last().copied().unwrap_or(s)
    }

    /// The owners of a supplier, nearest first, up to its top parent.
    pub fn owners(&self, s: SupplierIx) -> &[SupplierIx] {
        &self.owners[s.index()]
    }

    /// Whether a supplier has an owner or owns another supplier of the graph.
    pub fn has_parents(&self) -> bool {
        self.owners.iter().any(|o| !o.is_empty())
    }

    /// The countries issuing the export-control regimes of item `ix`
    /// (`meta.regimes`), whether or not the run has `--reach`.
    pub fn issuers(&self, ix: ItemIx) -> &[CountryIx] {
        &self.issuers[ix.index()]
    }

    /// The countries whose failure also fails the `k`-th source of `ix` through
    /// export-control reach (spec §3.11): under `--reach`, for a foreign source,
    /// the issuers of the item's regimes other than the source's own country;
    /// empty otherwise. Domestic sources are never reached (their inputs are).
    pub fn reached_by(&self, ix: ItemIx, k: usize) -> &[CountryIx] {
        let s = &self.sources[ix.index()][k];
        if !self.assumptions.reach || s.country == self.home {
            return &[];
        }
        // May hold the source's own country, which fails it directly anyway:
        // callers that say "through reach" skip it.
        &self.issuers[ix.index()]
    }

    /// The assumptions the graph is read under.
    pub fn assumptions(&self) -> Assumptions {
        self.assumptions
    }

    /// The groups of sources of `ix` (spec §3 notation), in order of first source.
    pub fn groups(&self, ix: ItemIx) -> &[Group] {
        &self.groups[ix.index()]
    }

    /// The inputs R_g a group needs: nothing, the item's production
    /// requirements, or a source's own list.
    pub fn group_inputs<'s>(
        &'s self,
        ix: ItemIx,
        group: &Group,
    ) -> Box<dyn Iterator<Item = &'s Req<'m>> + 's> {
        match group.inputs {
            GroupInputs::Nothing => Box::new(std::iter::empty()),
            GroupInputs::Production => Box::new(self.production_requirements(ix)),
            GroupInputs::Own(k) => Box::new(self.own_inputs[ix.index()][k as usize].iter()),
        }
    }

    /// R(i): the requirements production needs (role `production`).
    pub fn production_requirements(&self, ix: ItemIx) -> impl Iterator<Item = &Req<'m>> {
        self.requirements[ix.index()].iter().filter(|r| !r.design)
    }

    /// Sources' own input lists of `ix` (each list once).
    pub fn own_inputs(&self, ix: ItemIx) -> &[Vec<Req<'m>>] {
        &self.own_inputs[ix.index()]
    }

    /// Every unnamed source (item, country), indexed by [`UnnamedIx`].
    pub fn unnamed_sources(&self) -> &[(ItemIx, CountryIx)] {
        &self.unnamed
    }

    pub fn model(&self) -> &'m Model {
        self.model
    }
    pub fn item_count(&self) -> usize {
        self.requirements.len()
    }
    pub fn items(&self) -> impl Iterator<Item = ItemIx> {
        (0..self.item_count() as u32).map(ItemIx)
    }
    pub fn item(&self, ix: ItemIx) -> &'m Item {
        &self.model.items[ix.index()]
    }
    pub fn item_ix(&self, id: &str) -> Option<ItemIx> {
        self.model.items.get_index_of(id).map(|i| ItemIx(i as u32))
    }
    pub fn supplier(&self, ix: SupplierIx) -> &'m Supplier {
        &self.model.suppliers[ix.index()]
    }
    pub fn supplier_count(&self) -> usize {
        self.model.suppliers.len()
    }
    pub fn supplier_ix(&self, id: &str) -> Option<SupplierIx> {
        self.model
            .suppliers
            .get_index_of(id)
            .map(|i| SupplierIx(i as u32))
    }
    pub fn country_count(&self) -> usize {
        self.countries.len()
    }
    pub fn country(&self, ix: CountryIx) -> &CountryCode {
        &self.countries[ix.index()]
    }
    pub fn country_ix(&self, code: &str) -> Option<CountryIx> {
        self.countries
            .get_index_of(code)
            .map(|i| CountryIx(i as u32))
    }
    /// Countries that supply at least one item, in index order.
    pub fn supplying_countries(&self) -> Vec<CountryIx> {
        let mut used = vec![false; self.countries.len()];
        for s in self.sources.iter().flatten() {
            used[s.country.index()] = true;
        }
        (0..self.countries.len() as u32)
            .map(CountryIx)
            .filter(|c| used[c.index()])
            .collect()
    }
    /// The perspective country (`meta.home`).
    pub fn home(&self) -> CountryIx {
        self.home
    }
    pub fn requirements(&self, ix: ItemIx) -> &[Req<'m>] {
        &self.requirements[ix.index()]
    }
    pub fn sources(&self, ix: ItemIx) -> &[Source<'m>] {
        &self.sources[ix.index()]
    }
    /// Items that list `ix` among their requirements (the reverse view).
    pub fn parents(&self, ix: ItemIx) -> &[ItemIx] {
        &self.parents[ix.index()]
    }
    /// Every item, each after all the items it requires (leaves first).
    pub fn bottom_up(&self) -> &[ItemIx] {
        &self.bottom_up
    }
    /// Systems in declaration order.
    pub fn systems(&self) -> &[ItemIx] {
        &self.systems
    }

    /// All items that transitively require `ix`, in index order.
    pub fn ancestors(&self, ix: ItemIx) -> Vec<ItemIx> {
        self.reach(ix, |g, i| g.parents(i).to_vec())
    }

    /// All items `ix` transitively requires, in index order.
    pub fn descendants(&self, ix: ItemIx) -> Vec<ItemIx> {
        self.reach(ix, |g, i| g.children(i).collect())
    }

    /// Every member of every requirement of `ix` and of its sources' own lists.
    pub fn children(&self, ix: ItemIx) -> impl Iterator<Item = ItemIx> + '_ {
        self.requirements(ix)
            .iter()
            .chain(self.own_inputs(ix).iter().flatten())
            .flat_map(|r| r.members.iter().copied())
    }

    /// The systems that transitively require `ix` (where-used), in index order.
    /// A system is not its own user.
    pub fn where_used(&self, ix: ItemIx) -> Vec<ItemIx> {
        self.ancestors(ix)
            .into_iter()
            .filter(|a| self.item(*a).kind == ItemKind::System)
            .collect()
    }

    fn reach(&self, start: ItemIx, next: impl Fn(&Self, ItemIx) -> Vec<ItemIx>) -> Vec<ItemIx> {
        let mut seen = vec![false; self.item_count()];
        let mut stack = vec![start];
        while let Some(i) = stack.pop() {
            for n in next(self, i) {
                if !seen[n.index()] {
                    seen[n.index()] = true;
                    stack.push(n);
                }
            }
        }
        seen[start.index()] = false;
        (0..seen.len() as u32)
            .map(ItemIx)
            .filter(|i| seen[i.index()])
            .collect()
    }

    /// Runs `f` over the petgraph graph (parent → child edges). Crate-internal so
    /// that no petgraph type leaks into the public API.
    pub(crate) fn with_petgraph<R>(&self, f: impl FnOnce(&DiGraph<ItemIx, ()>) -> R) -> R {
        f(&self.graph)
    }
}

/// Whether two resolved input lists are the same inputs: the same set of
/// requirements, each the same set of members, in any order.
fn same_inputs(a: &[Req], b: &[Req]) -> bool {
    // A member's qualify_days (spec §3.12) changes what the list yields over
    // time: such lists are the same only when written alike, in the same order.
    if a.iter().chain(b).any(|r| r.qualify.is_some()) {
        return a.len() == b.len()
            && a.iter().zip(b).all(|(x, y)| {
                x.any_of == y.any_of && x.members == y.members && x.qualify == y.qualify
            });
    }
    fn canonical(list: &[Req]) -> Vec<Vec<ItemIx>> {
        let mut out: Vec<Vec<ItemIx>> = list
            .iter()
            .map(|r| {
                let mut m = r.members.clone();
                m.sort();
                m.dedup();
                m
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }
    canonical(a) == canonical(b)
}

/// Kahn's algorithm on child counts (requirements and sources' own lists):
/// leaves first, ties in index order.
fn bottom_up_order(
    requirements: &[Vec<Req>],
    own_inputs: &[Vec<Vec<Req>>],
    n: usize,
) -> Vec<ItemIx> {
    let children = |p: usize| {
        requirements[p]
            .iter()
            .chain(own_inputs[p].iter().flatten())
            .flat_map(|r| r.members.iter())
    };
    let mut pending: Vec<usize> = (0..n).map(|p| children(p).count()).collect();
    let mut parents_of: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (p, parents) in (0..n).map(|p| (p, children(p))) {
        for m in parents {
            parents_of[m.index()].push(p);
        }
    }
    let mut queue: std::collections::VecDeque<usize> =
        (0..n).filter(|&i| pending[i] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(i) = queue.pop_front() {
        order.push(ItemIx(i as u32));
        for &p in &parents_of[i] {
            pending[p] -= 1;
            if pending[p] == 0 {
                queue.push_back(p);
            }
        }
    }
    debug_assert_eq!(order.len(), n, "validated models are acyclic");
    order
}
