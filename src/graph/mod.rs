//! The validated model as a graph: dense indices, resolved references and
//! traversal orders, with a petgraph view (built on first use) for centrality.
//!
//! Built once per command on models of up to millions of items: the per-item
//! lists are stored flat (one allocation per kind of list), large models are
//! resolved on several threads, and the result is the same either way.
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
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

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

/// The members of a requirement, read as a slice. A single member (an
/// `item` requirement, most of them) is held without a heap allocation:
/// a million-item model has millions of requirements.
#[derive(Clone, PartialEq, Eq)]
pub struct Members(MembersRepr);

#[derive(Clone, PartialEq, Eq)]
enum MembersRepr {
    One(ItemIx),
    /// Never exactly one member, so that equal lists have equal forms.
    Many(Box<[ItemIx]>),
}

impl Members {
    fn new(members: impl ExactSizeIterator<Item = ItemIx>) -> Self {
        let mut members = members;
        Members(match members.len() {
            1 => MembersRepr::One(members.next().expect("one member")),
            _ => MembersRepr::Many(members.collect()),
        })
    }
}

impl std::ops::Deref for Members {
    type Target = [ItemIx];
    fn deref(&self) -> &[ItemIx] {
        match &self.0 {
            MembersRepr::One(m) => std::slice::from_ref(m),
            MembersRepr::Many(ms) => ms,
        }
    }
}

impl<'a> IntoIterator for &'a Members {
    type Item = &'a ItemIx;
    type IntoIter = std::slice::Iter<'a, ItemIx>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl std::fmt::Debug for Members {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// A requirement with resolved members.
#[derive(Clone, Debug)]
pub struct Req<'m> {
    /// One member for `item`, several for `any_of`.
    pub members: Members,
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
    lists: ItemLists<'m>,
    parents: PerItem<ItemIx>,
    /// Per supplier, its owners nearest first (spec §3.10); the last is top(s).
    owners: Vec<Vec<SupplierIx>>,
    bottom_up: Vec<ItemIx>,
    /// parent → child edges, one per requirement member, for centrality only:
    /// built on first use, since no other reader needs it and a million-item
    /// graph would pay for it on every load.
    graph: std::sync::OnceLock<DiGraph<ItemIx, ()>>,
}

/// Items from which the graph is built on several threads, and from which
/// other whole-graph preparations (a sweep's tables) run side by side. Below
/// it, measured at 100,000 items, the worker threads' fresh memory costs as
/// much as the split saves.
pub(crate) const PARALLEL_FROM: usize = 250_000;

/// Per-item lists stored flat: item `i`'s entries are
/// `data[start[i]..start[i + 1]]`. One allocation per kind of list instead of
/// one per item (a million-item model has millions of short lists, and
/// allocating and freeing them dominated building the graph).
struct PerItem<T> {
    data: Vec<T>,
    /// `item_count + 1` offsets, starting at 0.
    start: Vec<u32>,
}

impl<T> PerItem<T> {
    fn with_capacity(items: usize, data: usize) -> Self {
        let mut start = Vec::with_capacity(items + 1);
        start.push(0);
        PerItem {
            data: Vec::with_capacity(data),
            start,
        }
    }

    /// Closes the current item: the entries pushed since the last call are its.
    fn end_item(&mut self) {
        self.start.push(offset(self.data.len()));
    }

    fn get(&self, i: usize) -> &[T] {
        &self.data[self.start[i] as usize..self.start[i + 1] as usize]
    }

    fn range(&self, i: usize) -> std::ops::Range<usize> {
        self.start[i] as usize..self.start[i + 1] as usize
    }

    fn items(&self) -> usize {
        self.start.len() - 1
    }

    /// Appends the items of `other` after those of `self`, passing each entry
    /// through `f`.
    fn append(&mut self, other: PerItem<T>, f: impl FnMut(T) -> T) {
        let base = offset(self.data.len());
        self.data.extend(other.data.into_iter().map(f));
        self.start.extend(other.start[1..].iter().map(|s| s + base));
    }
}

fn offset(len: usize) -> u32 {
    u32::try_from(len).expect("fewer than 2^32 entries of one kind")
}

/// The graph's per-item lists, of all items or of one run of consecutive
/// items: runs are resolved in parallel and concatenated in item order.
struct ItemLists<'m> {
    requirements: PerItem<Req<'m>>,
    sources: PerItem<Source<'m>>,
    /// Sources' own input lists, per item (referenced by [`GroupInputs::Own`]).
    own_inputs: PerItem<Vec<Req<'m>>>,
    groups: PerItem<Group>,
    /// Standby sources (spec §3.12) and their groups, per item, apart from
    /// the regular ones so that no share-based metric reads them.
    standby: PerItem<Source<'m>>,
    standby_groups: PerItem<Group>,
    /// qualify_days of each standby source (absent → None = 0), parallel to
    /// `standby.data` (so its per-item ranges are `standby`'s).
    qualify: Vec<Option<&'m Estimate>>,
    /// The unnamed sources; in a run, the `unnamed` of its sources index the
    /// run's own list until the run is appended after the runs before it.
    unnamed: Vec<(ItemIx, CountryIx)>,
    /// Per item, the countries that issue its `export_controls` regimes
    /// (`meta.regimes`), each once, in the item's order.
    issuers: PerItem<CountryIx>,
    systems: Vec<ItemIx>,
}

impl<'m> ItemLists<'m> {
    /// The runs' lists one after another (`n` items in all), renumbering
    /// the unnamed sources; a single run is taken as it is.
    fn concat(mut runs: Vec<ItemLists<'m>>, n: usize) -> Self {
        if runs.len() == 1 {
            return runs.pop().expect("one run");
        }
        let total = |len: fn(&ItemLists) -> usize| runs.iter().map(len).sum::<usize>();
        let mut all = ItemLists {
            requirements: PerItem::with_capacity(n, total(|r| r.requirements.data.len())),
            sources: PerItem::with_capacity(n, total(|r| r.sources.data.len())),
            own_inputs: PerItem::with_capacity(n, total(|r| r.own_inputs.data.len())),
            groups: PerItem::with_capacity(n, total(|r| r.groups.data.len())),
            standby: PerItem::with_capacity(n, total(|r| r.standby.data.len())),
            standby_groups: PerItem::with_capacity(n, total(|r| r.standby_groups.data.len())),
            qualify: Vec::with_capacity(total(|r| r.qualify.len())),
            unnamed: Vec::with_capacity(total(|r| r.unnamed.len())),
            issuers: PerItem::with_capacity(n, total(|r| r.issuers.data.len())),
            systems: Vec::with_capacity(total(|r| r.systems.len())),
        };
        for run in runs {
            let base = offset(all.unnamed.len());
            let renumber = |mut s: Source<'m>| {
                if let Some(u) = &mut s.unnamed {
                    u.0 += base;
                }
                s
            };
            all.requirements.append(run.requirements, |r| r);
            all.sources.append(run.sources, renumber);
            all.own_inputs.append(run.own_inputs, |o| o);
            all.groups.append(run.groups, |g| g);
            all.standby.append(run.standby, renumber);
            all.standby_groups.append(run.standby_groups, |g| g);
            all.qualify.extend(run.qualify);
            all.unnamed.extend(run.unnamed);
            all.issuers.append(run.issuers, |c| c);
            all.systems.extend(run.systems);
        }
        all
    }
}

/// Item ids to indices, for resolving the model's references while the graph
/// is built: a table from each item id's 64-bit hash to its index.
///
/// Exact, not probabilistic: every id looked up is an item of the model
/// (validation resolved every reference), and the table is used only when no
/// two item ids share a hash, so the one id with the looked-up hash is the id.
/// When two do, every lookup goes through the model's map instead. Why not the
/// map alone: it compares the id's text with the stored key's, two more cache
/// misses per reference, and at a million items (three million references)
/// those misses were most of the time to build the graph.
struct ItemLookup<'m> {
    model: &'m Model,
    /// Empty when two item ids share a hash (then the model's map answers).
    by_hash: HashMap<u64, u32, BuildHasherDefault<PassThrough>>,
}

/// The hasher for keys that are already hashes.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, _: &[u8]) {
        unreachable!("PassThrough hashes u64 keys only")
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = x;
    }
}

impl<'m> ItemLookup<'m> {
    fn new(model: &'m Model) -> Self {
        let mut by_hash = HashMap::with_capacity_and_hasher(model.items.len(), Default::default());
        for (ix, id) in model.items.keys().enumerate() {
            if by_hash.insert(id_hash(id.as_str()), ix as u32).is_some() {
                by_hash = HashMap::default();
                break;
            }
        }
        ItemLookup { model, by_hash }
    }

    /// The index of item `id`, which must be an item of the model.
    fn get(&self, id: &str) -> ItemIx {
        let ix = if self.by_hash.is_empty() {
            self.model.items.get_index_of(id)
        } else {
            self.by_hash.get(&id_hash(id)).map(|&ix| ix as usize)
        };
        let ix = ix.expect("validated reference");
        debug_assert_eq!(
            self.model.items.get_index(ix).map(|(k, _)| k.as_str()),
            Some(id)
        );
        ItemIx(ix as u32)
    }
}

/// A fixed 64-bit hash of an id (the same in every run).
fn id_hash(id: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x6368_6f6b_6570_6f69).hash_one(id)
}

/// What resolving an item's lists reads: the model and its index tables.
struct Resolver<'m, 'c> {
    model: &'m Model,
    items: ItemLookup<'m>,
    countries: &'c IndexSet<CountryCode>,
    /// The country index of each supplier's own country (by supplier index).
    supplier_country: Vec<CountryIx>,
    home: CountryIx,
    scope: Scope,
}

impl<'m> Resolver<'m, '_> {
    fn req(&self, r: &'m Requirement) -> Req<'m> {
        let members = Members::new(
            r.target
                .members()
                .iter()
                .map(|id| self.items.get(id.as_str())),
        );
        Req {
            any_of: matches!(r.target, crate::model::RequirementTarget::AnyOf(_)),
            members,
            qty: r.qty,
            cost_share: r.cost_share.as_deref(),
            design: r.role == Role::Design,
            qualify: r.member_qualify.as_deref().map(|v| v.as_slice()),
        }
    }

    fn country(&self, code: &CountryCode) -> CountryIx {
        CountryIx(
            self.countries
                .get_index_of(code)
                .expect("every site is a country in use") as u32,
        )
    }

    /// Resolves the items in `range` into their [`ItemLists`].
    fn run(&self, range: std::ops::Range<usize>) -> ItemLists<'m> {
        let model = self.model;
        let items = &model.items.as_slice()[range.clone()];
        let (mut n_reqs, mut n_srcs, mut n_standby) = (0, 0, 0);
        for item in items.values() {
            n_reqs += item.requires.len();
            n_srcs += item.supply.len();
            n_standby += item.standby.len();
        }
        let len = range.len();
        let mut lists = ItemLists {
            requirements: PerItem::with_capacity(len, n_reqs),
            sources: PerItem::with_capacity(len, n_srcs),
            own_inputs: PerItem::with_capacity(len, 0),
            // Most items have one group (all their sources need the same).
            groups: PerItem::with_capacity(len, len),
            standby: PerItem::with_capacity(len, n_standby),
            standby_groups: PerItem::with_capacity(len, 0),
            qualify: Vec::with_capacity(n_standby),
            unnamed: Vec::new(),
            issuers: PerItem::with_capacity(len, 0),
            systems: Vec::new(),
        };
        for (i, item) in range.zip(items.values()) {
            self.item(ItemIx(i as u32), item, &mut lists);
        }
        lists
    }

    /// Appends item `ix`'s lists to `lists`.
    fn item(&self, ix: ItemIx, item: &'m Item, lists: &mut ItemLists<'m>) {
        let model = self.model;
        let reqs_start = lists.requirements.data.len();
        lists
            .requirements
            .data
            .extend(item.requires.iter().map(|r| self.req(r)));
        lists.requirements.end_item();
        let reqs = &lists.requirements.data[reqs_start..];
        let no_production = reqs.iter().all(|r| r.design);
        let own_start = lists.own_inputs.data.len();
        let unnamed_start = lists.unnamed.len();
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
            let (groups, srcs) = if is_standby {
                (&mut lists.standby_groups, &mut lists.standby)
            } else {
                (&mut lists.groups, &mut lists.sources)
            };
            let supplier = e.supplier.as_ref().map(|id| {
                SupplierIx(
                    model
                        .suppliers
                        .get_index_of(id)
                        .expect("validated reference") as u32,
                )
            });
            // The edge's country (`Model::edge_country`), without looking
            // the supplier up a second time.
            let c = match (&e.country, supplier) {
                (Some(code), _) => self.country(code),
                (None, Some(s)) => self.supplier_country[s.index()],
                (None, None) => {
                    unreachable!("validated: a supply entry names a supplier or a country")
                }
            };
            let domestic = c == self.home;
            let inputs = match e.requires.as_deref() {
                Some(SourceInputs::Bom) => GroupInputs::Production,
                Some(SourceInputs::List(list)) if list.is_empty() => GroupInputs::Nothing,
                Some(SourceInputs::List(list)) => {
                    let resolved: Vec<Req> = list.iter().map(|r| self.req(r)).collect();
                    let reqs = &lists.requirements.data[reqs_start..];
                    let production = reqs.iter().filter(|r| !r.design);
                    if same_inputs(resolved.iter(), production) {
                        GroupInputs::Production
                    } else {
                        // Equal lists share a group: the same inputs, one pool.
                        let own = &mut lists.own_inputs.data;
                        let same = own[own_start..]
                            .iter()
                            .position(|o| same_inputs(o.iter(), resolved.iter()));
                        GroupInputs::Own(same.unwrap_or_else(|| {
                            own.push(resolved);
                            own.len() - 1 - own_start
                        }) as u32)
                    }
                }
                None if domestic || self.scope == Scope::World => GroupInputs::Production,
                None => GroupInputs::Nothing,
            };
            // Sources that need the same inputs share a group, however the
            // inputs were written: an empty bill of materials is nothing.
            let inputs = if inputs == GroupInputs::Production && no_production {
                GroupInputs::Nothing
            } else {
                inputs
            };
            let item_groups = &mut groups.data[*groups.start.last().unwrap() as usize..];
            let group = match item_groups.iter().position(|g| g.inputs == inputs) {
                Some(p) => {
                    item_groups[p].sources.push(k as u32);
                    p
                }
                None => {
                    let p = item_groups.len();
                    groups.data.push(Group {
                        sources: vec![k as u32],
                        inputs,
                    });
                    p
                }
            };
            // Unnamed sources are numbered in item order, each (item,
            // country) once: only this item's entries can hold the key.
            let unnamed_ix = supplier.is_none().then(|| {
                let p = match lists.unnamed[unnamed_start..].iter().position(|u| u.1 == c) {
                    Some(p) => unnamed_start + p,
                    None => {
                        lists.unnamed.push((ix, c));
                        lists.unnamed.len() - 1
                    }
                };
                UnnamedIx(p as u32)
            });
            srcs.data.push(Source {
                supplier,
                unnamed: unnamed_ix,
                country: c,
                share: &e.share,
                group: group as u32,
            });
        }
        lists.sources.end_item();
        lists.groups.end_item();
        lists.standby.end_item();
        lists.standby_groups.end_item();
        lists.own_inputs.end_item();
        lists
            .qualify
            .extend(item.standby.iter().map(|s| s.qualify_days.as_deref()));
        let issuers_start = lists.issuers.data.len();
        for regime in &item.export_controls {
            let issuer = model
                .meta
                .regimes
                .get(regime)
                .and_then(|c| self.countries.get_index_of(c))
                .map(|c| CountryIx(c as u32));
            if let Some(c) = issuer.filter(|c| !lists.issuers.data[issuers_start..].contains(c)) {
                lists.issuers.data.push(c);
            }
        }
        lists.issuers.end_item();
        if item.kind == ItemKind::System {
            lists.systems.push(ix);
        }
    }
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
        // Smaller models are built on the calling thread: measured at 100,000
        // items, the worker threads' allocations (fresh memory from the
        // system, where the caller reuses what loading freed) cost as much
        // as the split saves.
        let n = model.items.len();
        let run = (n >= PARALLEL_FROM)
            .then(|| (n / (8 * rayon::current_num_threads())).clamp(1024, 1 << 16));
        Self::build(model, assumptions, run)
    }

    /// [`Self::with_assumptions`], with the items split into runs of `run`
    /// items built in parallel (`None`: one run, on this thread). The result
    /// is the same whatever the split.
    fn build(model: &'m Model, assumptions: Assumptions, run: Option<usize>) -> Self {
        let countries: IndexSet<CountryCode> =
            model.countries_in_use().into_iter().cloned().collect();
        let home = CountryIx(
            countries
                .get_index_of(&model.meta.home)
                .expect("home is a country in use") as u32,
        );
        let n = model.items.len();
        let resolver = Resolver {
            model,
            items: ItemLookup::new(model),
            countries: &countries,
            supplier_country: model
                .suppliers
                .values()
                .map(|s| {
                    CountryIx(
                        countries
                            .get_index_of(&s.country)
                            .expect("every supplier's country is in use")
                            as u32,
                    )
                })
                .collect(),
            home,
            scope: assumptions.scope,
        };
        // Items resolve independently (id lookups, grouping), so runs of them
        // are built in parallel; what is numbered across items (unnamed
        // sources) is renumbered as the runs are appended in item order.
        let runs: Vec<ItemLists> = match run {
            None => vec![resolver.run(0..n)],
            Some(run) => (0..n.div_ceil(run))
                .into_par_iter()
                .map(|r| resolver.run(r * run..((r + 1) * run).min(n)))
                .collect(),
        };
        let lists = ItemLists::concat(runs, n);
        let (parents, bottom_up) = parents_and_order(&lists.requirements, &lists.own_inputs);
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
        SupplyGraph {
            model,
            countries,
            home,
            assumptions,
            lists,
            parents,
            owners,
            bottom_up,
            graph: std::sync::OnceLock::new(),
        }
    }

    /// The standby sources of `ix` (spec §3.12), in declaration order; their
    /// `group` indexes [`Self::standby_groups`].
    pub fn standby_sources(&self, ix: ItemIx) -> &[Source<'m>] {
        self.lists.standby.get(ix.index())
    }

    /// Groups of the standby sources of `ix` by their inputs (read their
    /// inputs with [`Self::group_inputs`], as for regular groups).
    pub fn standby_groups(&self, ix: ItemIx) -> &[Group] {
        self.lists.standby_groups.get(ix.index())
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
        self.lists.qualify[self.lists.standby.range(ix.index())][k]
    }

    /// The countries whose failure also fails `source` of `ix` through
    /// export-control reach, for a standby or a regular source (see
    /// [`Self::reached_by`]).
    pub fn reached_by_source(&self, ix: ItemIx, source: &Source) -> &[CountryIx] {
        if !self.assumptions.reach || source.country == self.home {
            return &[];
        }
        self.lists.issuers.get(ix.index())
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
        self.lists.issuers.get(ix.index())
    }

    /// The countries whose failure also fails the `k`-th source of `ix` through
    /// export-control reach (spec §3.11): under `--reach`, for a foreign source,
    /// the issuers of the item's regimes other than the source's own country;
    /// empty otherwise. Domestic sources are never reached (their inputs are).
    pub fn reached_by(&self, ix: ItemIx, k: usize) -> &[CountryIx] {
        let s = &self.lists.sources.get(ix.index())[k];
        if !self.assumptions.reach || s.country == self.home {
            return &[];
        }
        // May hold the source's own country, which fails it directly anyway:
        // callers that say "through reach" skip it.
        self.lists.issuers.get(ix.index())
    }

    /// The assumptions the graph is read under.
    pub fn assumptions(&self) -> Assumptions {
        self.assumptions
    }

    /// The groups of sources of `ix` (spec §3 notation), in order of first source.
    pub fn groups(&self, ix: ItemIx) -> &[Group] {
        self.lists.groups.get(ix.index())
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
            GroupInputs::Own(k) => {
                Box::new(self.lists.own_inputs.get(ix.index())[k as usize].iter())
            }
        }
    }

    /// R(i): the requirements production needs (role `production`).
    pub fn production_requirements(&self, ix: ItemIx) -> impl Iterator<Item = &Req<'m>> {
        self.lists
            .requirements
            .get(ix.index())
            .iter()
            .filter(|r| !r.design)
    }

    /// Sources' own input lists of `ix` (each list once).
    pub fn own_inputs(&self, ix: ItemIx) -> &[Vec<Req<'m>>] {
        self.lists.own_inputs.get(ix.index())
    }

    /// Every unnamed source (item, country), indexed by [`UnnamedIx`].
    pub fn unnamed_sources(&self) -> &[(ItemIx, CountryIx)] {
        &self.lists.unnamed
    }

    pub fn model(&self) -> &'m Model {
        self.model
    }
    pub fn item_count(&self) -> usize {
        self.lists.requirements.items()
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
        for s in &self.lists.sources.data {
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
        self.lists.requirements.get(ix.index())
    }
    pub fn sources(&self, ix: ItemIx) -> &[Source<'m>] {
        self.lists.sources.get(ix.index())
    }
    /// Items that list `ix` among their requirements (the reverse view).
    pub fn parents(&self, ix: ItemIx) -> &[ItemIx] {
        self.parents.get(ix.index())
    }
    /// Every item, each after all the items it requires (leaves first).
    pub fn bottom_up(&self) -> &[ItemIx] {
        &self.bottom_up
    }
    /// Systems in declaration order.
    pub fn systems(&self) -> &[ItemIx] {
        &self.lists.systems
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

    /// Runs `f` over the petgraph graph (parent → child edges, in item order,
    /// each item's as [`Self::children`] lists them). Crate-internal so that no
    /// petgraph type leaks into the public API.
    pub(crate) fn with_petgraph<R>(&self, f: impl FnOnce(&DiGraph<ItemIx, ()>) -> R) -> R {
        f(self.graph.get_or_init(|| {
            let n = self.item_count();
            let mut graph = DiGraph::with_capacity(n, n * 2);
            for i in self.items() {
                graph.add_node(i);
            }
            for i in self.items() {
                for m in self.children(i) {
                    graph.add_edge(NodeIndex::new(i.index()), NodeIndex::new(m.index()), ());
                }
            }
            graph
        }))
    }
}

/// Whether two resolved input lists are the same inputs: the same set of
/// requirements, each the same set of members, in any order.
fn same_inputs<'a, 'm: 'a>(
    a: impl Iterator<Item = &'a Req<'m>> + Clone,
    b: impl Iterator<Item = &'a Req<'m>> + Clone,
) -> bool {
    // A member's qualify_days (spec §3.12) changes what the list yields over
    // time: such lists are the same only when written alike, in the same order.
    if a.clone().chain(b.clone()).any(|r| r.qualify.is_some()) {
        return a.clone().count() == b.clone().count()
            && a.zip(b).all(|(x, y)| {
                x.any_of == y.any_of && x.members == y.members && x.qualify == y.qualify
            });
    }
    fn canonical<'a, 'm: 'a>(list: impl Iterator<Item = &'a Req<'m>>) -> Vec<Vec<ItemIx>> {
        let mut out: Vec<Vec<ItemIx>> = list
            .map(|r| {
                let mut m = r.members.to_vec();
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

/// The where-used lists (each parent once, in index order) and the bottom-up
/// order, both over the edges of requirements and sources' own lists. The
/// order is Kahn's algorithm on child counts: leaves first, ties in index
/// order.
fn parents_and_order(
    requirements: &PerItem<Req>,
    own_inputs: &PerItem<Vec<Req>>,
) -> (PerItem<ItemIx>, Vec<ItemIx>) {
    let n = requirements.items();
    let children = |p: usize| {
        requirements
            .get(p)
            .iter()
            .chain(own_inputs.get(p).iter().flatten())
            .flat_map(|r| r.members.iter().map(|m| m.index()))
    };
    // A parent's edges to one child come together (parents are visited in
    // order), so comparing with the last parent seen lists each once.
    let mut last = vec![u32::MAX; n];
    let mut parent_count = vec![0u32; n];
    // Distinct children: Kahn's order is the same counting an item once per
    // child or once per edge, since a child's parents are released together.
    let mut pending = vec![0u32; n];
    for (p, pending) in pending.iter_mut().enumerate() {
        for m in children(p) {
            if last[m] != p as u32 {
                last[m] = p as u32;
                parent_count[m] += 1;
                *pending += 1;
            }
        }
    }
    let mut parents = PerItem::with_capacity(n, 0);
    let mut total = 0usize;
    for &c in &parent_count {
        total += c as usize;
        parents.start.push(offset(total));
    }
    parents.data = vec![ItemIx(0); total];
    let mut at = parents.start[..n].to_vec();
    last.fill(u32::MAX);
    for p in 0..n {
        for m in children(p) {
            if last[m] != p as u32 {
                last[m] = p as u32;
                parents.data[at[m] as usize] = ItemIx(p as u32);
                at[m] += 1;
            }
        }
    }
    // The order doubles as the queue: items enter it once, when ready.
    let mut order: Vec<ItemIx> = Vec::with_capacity(n);
    order.extend(
        (0..n)
            .filter(|&i| pending[i] == 0)
            .map(|i| ItemIx(i as u32)),
    );
    let mut head = 0;
    while let Some(&i) = order.get(head) {
        head += 1;
        for &p in parents.get(i.index()) {
            pending[p.index()] -= 1;
            if pending[p.index()] == 0 {
                order.push(p);
            }
        }
    }
    debug_assert_eq!(order.len(), n, "validated models are acyclic");
    (parents, order)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sources known only by country in several items (numbered across
    /// runs), own input lists, standby sources with qualify_days, design
    /// requirements, any_of, export controls.
    const MODEL: &str = "
meta: { home: CN, regimes: { US-EAR: US } }
suppliers:
  - { id: canon, name: Canon Electron Tubes, country: JP }
  - { id: kunshan, name: Kunshan Yiyuan, country: CN }
  - { id: varex, name: Varex Imaging, country: US }
items:
  - id: ct
    kind: system
    requires:
      - { item: tube, cost_share: 0.3 }
      - { item: recon-sw, role: design, cost_share: 0.05 }
      - { any_of: [gos, garnet], qty: 2 }
  - id: tube
    kind: part
    supply:
      - { supplier: varex, share: 0.35, country: IN }
      - { supplier: kunshan, share: 0.15 }
      - { country: JP, share: { low: 0.05, high: 0.15 } }
      - { supplier: canon, share: 0.05, requires: [{ item: bearing }, { any_of: [gos, garnet] }] }
      - { supplier: varex, share: 0.1, requires: bom }
      - { supplier: kunshan, share: 0.2, standby: true, qualify_days: 90 }
      - { country: DE, share: 0.1, standby: true, requires: [{ item: bearing }] }
    requires:
      - { item: anode }
      - { item: thermal-sim, role: design }
    export_controls: [US-EAR]
  - { id: anode, kind: material, supply: [{ country: CN, share: 0.8 }, { country: AT, share: 0.2 }] }
  - { id: bearing, kind: component, supply: [{ country: DE, share: 1 }] }
  - { id: gos, kind: material, supply: [{ country: JP, share: 1 }] }
  - { id: garnet, kind: material, supply: [{ supplier: kunshan, share: 1 }] }
  - { id: recon-sw, kind: software, supply: [{ country: US, share: 1 }] }
  - { id: thermal-sim, kind: software, supply: [{ country: US, share: 0.7 }] }
  - { id: bought-ct, kind: system, supply: [{ country: DE, share: 1 }] }
";

    /// Everything the graph answers, as text.
    fn describe(g: &SupplyGraph) -> String {
        let mut out = format!(
            "{:?} {:?} {:?} {:?}\n",
            g.unnamed_sources(),
            g.bottom_up(),
            g.systems(),
            g.supplying_countries()
        );
        for i in g.items() {
            let qualify: Vec<_> = (0..g.standby_sources(i).len())
                .map(|k| g.qualify_days(i, k))
                .collect();
            out += &format!(
                "{i:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}\n",
                g.requirements(i),
                g.sources(i),
                g.groups(i),
                g.own_inputs(i),
                g.standby_sources(i),
                g.standby_groups(i),
                qualify,
                g.parents(i),
                g.issuers(i),
                g.children(i).collect::<Vec<_>>(),
            );
        }
        out += &g.with_petgraph(|pg| format!("{pg:?}"));
        out
    }

    #[test]
    fn the_graph_is_the_same_however_the_items_are_split() {
        let loaded = crate::load::load_sources(vec![("g.yaml".into(), MODEL.into())])
            .unwrap_or_else(|e| panic!("{}", e.render(false)));
        let model = &loaded.model;
        for scope in [Scope::Home, Scope::World] {
            let assumptions = Assumptions {
                scope,
                ..Assumptions::default()
            };
            let whole = describe(&SupplyGraph::build(model, assumptions, None));
            assert!(whole.contains("Own(0)"), "{whole}");
            for run in [1, 2, 3, 100] {
                let split = describe(&SupplyGraph::build(model, assumptions, Some(run)));
                assert_eq!(split, whole, "runs of {run}");
            }
        }
    }

    #[test]
    fn item_ids_resolve_to_their_index_by_hash_and_by_the_map() {
        let loaded = crate::load::load_sources(vec![("g.yaml".into(), MODEL.into())])
            .unwrap_or_else(|e| panic!("{}", e.render(false)));
        let model = &loaded.model;
        let by_hash = ItemLookup::new(model);
        assert_eq!(by_hash.by_hash.len(), model.items.len());
        // The path taken when two ids share a hash.
        let by_map = ItemLookup {
            model,
            by_hash: HashMap::default(),
        };
        for (ix, id) in model.items.keys().enumerate() {
            assert_eq!(by_hash.get(id.as_str()), ItemIx(ix as u32), "{id}");
            assert_eq!(by_map.get(id.as_str()), ItemIx(ix as u32), "{id}");
        }
    }
}
