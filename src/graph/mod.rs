//! The validated model as a graph: dense indices, resolved references and
//! traversal orders, on petgraph.
//!
//! Owns: index newtypes ([`ItemIx`], [`SupplierIx`], [`CountryIx`]), the resolved
//! requirement and supply lists, bottom-up order, the where-used (reverse) view.
//! Never: exposes a petgraph type in its public API, reads files, or computes a
//! metric of spec §3. Every traversal is iterative, so a 100,000-deep BOM cannot
//! overflow the stack. Iteration order is the model's declaration order.

use crate::model::{CountryCode, Estimate, Item, ItemKind, Model, Supplier};
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

/// A requirement with resolved members.
#[derive(Clone, Debug)]
pub struct Req<'m> {
    /// One member for `item`, several for `any_of`.
    pub members: Vec<ItemIx>,
    pub any_of: bool,
    pub qty: f64,
    pub cost_share: Option<&'m Estimate>,
}

/// A supply edge with resolved supplier and country (the site's, else the supplier's).
#[derive(Clone, Debug)]
pub struct Source<'m> {
    pub supplier: SupplierIx,
    pub country: CountryIx,
    pub share: &'m Estimate,
}

/// The supply graph over a borrowed model.
pub struct SupplyGraph<'m> {
    model: &'m Model,
    countries: IndexSet<CountryCode>,
    home: CountryIx,
    requirements: Vec<Vec<Req<'m>>>,
    sources: Vec<Vec<Source<'m>>>,
    parents: Vec<Vec<ItemIx>>,
    bottom_up: Vec<ItemIx>,
    systems: Vec<ItemIx>,
    /// parent → child edges, one per requirement member (for centrality and order).
    graph: DiGraph<ItemIx, ()>,
}

impl<'m> SupplyGraph<'m> {
    /// Builds the graph. The model must be validated (as every `load` result is).
    pub fn new(model: &'m Model) -> Self {
        let countries: IndexSet<CountryCode> =
            model.countries_in_use().into_iter().cloned().collect();
        let home = countries
            .get_index_of(&model.meta.home)
            .expect("home is a country in use");
        let n = model.items.len();
        let mut requirements = Vec::with_capacity(n);
        let mut sources = Vec::with_capacity(n);
        let mut parents = vec![Vec::new(); n];
        let mut graph = DiGraph::with_capacity(n, n * 2);
        for i in 0..n {
            graph.add_node(ItemIx(i as u32));
        }
        for (i, item) in model.items.values().enumerate() {
            let reqs: Vec<Req> = item
                .requires
                .iter()
                .map(|r| {
                    let members: Vec<ItemIx> =
                        r.target
                            .members()
                            .iter()
                            .map(|id| {
                                ItemIx(model.items.get_index_of(id).expect("validated reference")
                                    as u32)
                            })
                            .collect();
                    Req {
                        any_of: matches!(r.target, crate::model::RequirementTarget::AnyOf(_)),
                        members,
                        qty: r.qty,
                        cost_share: r.cost_share.as_deref(),
                    }
                })
                .collect();
            for r in &reqs {
                for m in &r.members {
                    if !parents[m.index()].contains(&ItemIx(i as u32)) {
                        parents[m.index()].push(ItemIx(i as u32));
                    }
                    graph.add_edge(NodeIndex::new(i), NodeIndex::new(m.index()), ());
                }
            }
            requirements.push(reqs);
            let srcs: Vec<Source> = item
                .supply
                .iter()
                .map(|e| {
                    let (supplier, _, firm) = model
                        .suppliers
                        .get_full(&e.supplier)
                        .expect("validated reference");
                    let code = e.country.as_ref().unwrap_or(&firm.country);
                    let c = countries
                        .get_index_of(code)
                        .expect("every site is a country in use");
                    Source {
                        supplier: SupplierIx(supplier as u32),
                        country: CountryIx(c as u32),
                        share: &e.share,
                    }
                })
                .collect();
            sources.push(srcs);
        }
        let bottom_up = bottom_up_order(&requirements, n);
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
            requirements,
            sources,
            parents,
            bottom_up,
            systems,
            graph,
        }
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
        self.reach(ix, |g, i| {
            g.requirements(i)
                .iter()
                .flat_map(|r| r.members.iter().copied())
                .collect()
        })
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

/// Kahn's algorithm on child counts: leaves first, ties in index order.
fn bottom_up_order(requirements: &[Vec<Req>], n: usize) -> Vec<ItemIx> {
    let mut pending: Vec<usize> = requirements
        .iter()
        .map(|rs| rs.iter().map(|r| r.members.len()).sum())
        .collect();
    let mut parents_of: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (p, rs) in requirements.iter().enumerate() {
        for r in rs {
            for m in &r.members {
                parents_of[m.index()].push(p);
            }
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
