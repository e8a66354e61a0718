//! Single-loss sweeps (spec §3.9): every single country (or supplier) fails in
//! turn; the losses are ranked by impact, with the risk exposure index
//! REI = PI / max PI over the sweep.
//!
//! Owns: the candidate lists, which items each single loss can reach, and the
//! ranking. Each loss evaluates only the items downstream of the edges it fails
//! (every other item keeps the baseline, full availability on every day, which
//! all losses share); losses run in parallel across cores and are collected in
//! candidate order, so the result never depends on the number of threads.
//! Never: builds explanations or short-item paths (a sweep only needs LP, TTS
//! and PI, so it stays fast).

use super::engine::{CaseParams, Failure, Steps};
use crate::graph::{CountryIx, ItemIx, SupplierIx, SupplyGraph};
use crate::model::Case;
use rayon::prelude::*;
use serde::Serialize;

/// What a sweep fails one at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SweepKind {
    /// Every country that supplies something, except home.
    Country,
    /// Every supplier.
    Supplier,
}

impl SweepKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SweepKind::Country => "country",
            SweepKind::Supplier => "supplier",
        }
    }
}

/// One single loss of a sweep.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SweepRow {
    /// 1-based rank by impact.
    pub rank: usize,
    pub kind: SweepKind,
    /// Country code or supplier id.
    pub id: String,
    /// English name (a country's declared name, else its code; a supplier's name).
    pub name: String,
    #[serde(skip)]
    pub country: Option<CountryIx>,
    #[serde(skip)]
    pub supplier: Option<SupplierIx>,
    /// Σ PI over the systems (those without market_value count 0), in the graph's currency.
    #[serde(serialize_with = "super::round")]
    pub impact: f64,
    /// REI = impact / max impact over the sweep (0 when every impact is 0).
    #[serde(serialize_with = "super::round")]
    pub rei: f64,
    /// Σ LP over the systems, in days of full output.
    #[serde(serialize_with = "super::round")]
    pub lost_production: f64,
    /// Systems whose output falls below 1 within the horizon.
    pub systems_hit: usize,
    /// The earliest TTS over the systems, and the system it belongs to.
    pub earliest_tts: Option<u32>,
    pub earliest_system: Option<String>,
}

/// Sweeps every single loss of `kind` over all systems for `days` days.
pub fn sweep(g: &SupplyGraph, kind: SweepKind, days: u32, case: Case) -> Vec<SweepRow> {
    sweep_systems(g, kind, days, case, g.systems())
}

/// Sweeps every single loss of `kind`, summing impact over `systems` only.
/// Rows are ranked by impact (descending), then lost production, then index order.
pub fn sweep_systems(
    g: &SupplyGraph,
    kind: SweepKind,
    days: u32,
    case: Case,
    systems: &[ItemIx],
) -> Vec<SweepRow> {
    sweep_with_progress(g, kind, days, case, systems, &mut |_, _| {})
}

/// [`sweep_systems`], reporting (losses run, losses in all) after each loss,
/// for a progress bar.
pub fn sweep_with_progress(
    g: &SupplyGraph,
    kind: SweepKind,
    days: u32,
    case: Case,
    systems: &[ItemIx],
    progress: &mut dyn FnMut(u64, u64),
) -> Vec<SweepRow> {
    let days = days.max(1);
    // The two tables are independent: side by side on a large graph.
    let (params, reach) = if g.item_count() >= crate::graph::PARALLEL_FROM {
        rayon::join(|| CaseParams::new(g, case), || Reach::new(g, kind))
    } else {
        (CaseParams::new(g, case), Reach::new(g, kind))
    };
    let candidates = sweep_candidates(g, kind);
    let per_candidate =
        |scratch: &mut Scratch, &(country, supplier): &(Option<CountryIx>, Option<SupplierIx>)| {
            let seeds: &[ItemIx] = match (country, supplier) {
                (Some(c), _) => &reach.seeds[c.index()],
                (None, Some(s)) => &reach.seeds[s.index()],
                (None, None) => &[],
            };
            scratch.run(g, &params, &reach, seeds, country, supplier, days);
            let steps = &scratch.steps;
            let mut impact = 0.0;
            let mut lost_production = 0.0;
            let mut systems_hit = 0;
            let mut earliest: Option<(u32, ItemIx)> = None;
            for &s in systems {
                // The series is expanded so that LP sums the same days in the same
                // order as before (identical figures).
                let series = steps.series(s);
                let lp: f64 = series.iter().map(|o| 1.0 - o).fold(0.0, |acc, x| acc + x);
                lost_production += lp;
                if let Some(mv) = params.market_value[s.index()] {
                    impact += lp * mv / 365.0;
                }
                if let Some(t) = series.iter().position(|o| *o < 1.0) {
                    systems_hit += 1;
                    match earliest {
                        Some((e, _)) if e <= t as u32 => {}
                        _ => earliest = Some((t as u32, s)),
                    }
                }
            }
            let (id, name) = match (country, supplier) {
                (Some(c), _) => {
                    let code = g.country(c);
                    (
                        code.to_string(),
                        g.model().country_name(code, crate::model::Lang::En),
                    )
                }
                (None, Some(s)) => {
                    let sup = g.supplier(s);
                    (sup.id.to_string(), sup.name.clone())
                }
                (None, None) => return None,
            };
            Some(SweepRow {
                rank: 0,
                kind,
                id,
                name,
                country,
                supplier,
                impact,
                rei: 0.0,
                lost_production,
                systems_hit,
                earliest_tts: earliest.map(|(t, _)| t),
                earliest_system: earliest.map(|(_, s)| g.item(s).id.to_string()),
            })
        };
    // Indexed parallel iterators collect in candidate order. The losses run in
    // chunks so that progress is reported (from this thread) between them.
    let total = candidates.len() as u64;
    let chunk = (candidates.len() / 100)
        .max(4 * rayon::current_num_threads())
        .max(1);
    let mut rows: Vec<SweepRow> = Vec::with_capacity(candidates.len());
    for (k, part) in candidates.chunks(chunk).enumerate() {
        progress((k * chunk) as u64, total);
        rows.extend(
            part.par_iter()
                .map_init(|| Scratch::new(g, days), per_candidate)
                .flatten()
                .collect::<Vec<_>>(),
        );
    }
    progress(total, total);
    // Stable sort: ties keep index order.
    rows.sort_by(|a, b| {
        b.impact
            .total_cmp(&a.impact)
            .then(b.lost_production.total_cmp(&a.lost_production))
    });
    let max_impact = rows.first().map(|r| r.impact).unwrap_or(0.0);
    for (k, r) in rows.iter_mut().enumerate() {
        r.rank = k + 1;
        r.rei = if max_impact > 0.0 {
            r.impact / max_impact
        } else {
            0.0
        };
    }
    rows
}

/// Which items each candidate's failed edges touch, and the reverse of the
/// inputs production reads, built once per sweep.
struct Reach {
    /// Per country or supplier (by `kind`): the items with a source it fails, in index order.
    seeds: Vec<Vec<ItemIx>>,
    /// Per supplier: the suppliers below it (spec §3.10), which fail with it.
    below: Vec<Vec<SupplierIx>>,
    /// Per item: the items whose production reads it (compressed rows).
    user_offsets: Vec<u32>,
    users: Vec<ItemIx>,
    /// The items by level (an item's level is one more than its inputs'
    /// highest), by index within a level: an order in which every item comes
    /// after its inputs, like [`SupplyGraph::bottom_up`], but one that reads
    /// each level's item data in address order. Kahn's order releases an item
    /// when its last input is done, which scatters a level over memory; at a
    /// million items the cache misses that cost dominated a sweep.
    order: Vec<ItemIx>,
    /// Per item: its position in `order`.
    position: Vec<u32>,
}

/// [`Reach::order`]: a counting sort of the items by level.
fn level_order(g: &SupplyGraph) -> Vec<ItemIx> {
    let n = g.item_count();
    let mut level = vec![0u32; n];
    let mut top = 0;
    for &i in g.bottom_up() {
        let l = g
            .children(i)
            .map(|m| level[m.index()] + 1)
            .max()
            .unwrap_or(0);
        level[i.index()] = l;
        top = top.max(l);
    }
    let mut start = vec![0usize; top as usize + 2];
    for &l in &level {
        start[l as usize + 1] += 1;
    }
    for k in 0..=top as usize {
        start[k + 1] += start[k];
    }
    let mut order = vec![ItemIx(0); n];
    for (i, &l) in level.iter().enumerate() {
        order[start[l as usize]] = ItemIx(i as u32);
        start[l as usize] += 1;
    }
    order
}

impl Reach {
    fn new(g: &SupplyGraph, kind: SweepKind) -> Reach {
        let n = g.item_count();
        let mut seeds: Vec<Vec<ItemIx>> = vec![
            Vec::new();
            match kind {
                SweepKind::Country => g.country_count(),
                SweepKind::Supplier => g.supplier_count(),
            }
        ];
        let mut below: Vec<Vec<SupplierIx>> = vec![Vec::new(); g.supplier_count()];
        for s in 0..g.supplier_count() {
            let s = SupplierIx(s as u32);
            for o in g.owners(s) {
                below[o.index()].push(s);
            }
        }
        for i in g.items() {
            for (k, src) in g.sources(i).iter().enumerate() {
                // The loss that fails the source directly, then (spec §3.10,
                // §3.11) the owners and the regimes' issuers that fail it too.
                let keys: Vec<usize> = match kind {
                    SweepKind::Country => std::iter::once(src.country.index())
                        .chain(g.reached_by(i, k).iter().map(|c| c.index()))
                        .collect(),
                    SweepKind::Supplier => src
                        .supplier
                        .into_iter()
                        .flat_map(|s| std::iter::once(s).chain(g.owners(s).iter().copied()))
                        .map(|s| s.index())
                        .collect(),
                };
                for key in keys {
                    if let Some(list) = seeds.get_mut(key) {
                        if list.last() != Some(&i) {
                            list.push(i);
                        }
                    }
                }
            }
        }
        // children() covers every requirement and every source's own list: a
        // superset of what production reads, which is enough to bound the reach.
        let mut count = vec![0u32; n + 1];
        for i in g.items() {
            for m in g.children(i) {
                count[m.index() + 1] += 1;
            }
        }
        for k in 0..n {
            count[k + 1] += count[k];
        }
        let mut fill = count.clone();
        let mut users = vec![ItemIx(0); count[n] as usize];
        for i in g.items() {
            for m in g.children(i) {
                users[fill[m.index()] as usize] = i;
                fill[m.index()] += 1;
            }
        }
        let order = level_order(g);
        let mut position = vec![0u32; n];
        for (k, i) in order.iter().enumerate() {
            position[i.index()] = k as u32;
        }
        Reach {
            seeds,
            below,
            user_offsets: count,
            users,
            order,
            position,
        }
    }

    fn users(&self, i: ItemIx) -> &[ItemIx] {
        let k = i.index();
        &self.users[self.user_offsets[k] as usize..self.user_offsets[k + 1] as usize]
    }
}

/// One worker's reusable state: the failure flags, the steps, and the reach
/// search, each reset by undoing only what the last candidate touched.
struct Scratch {
    failure: Failure,
    steps: Steps,
    /// One bit per position in [`Reach::order`]: the items this loss reaches.
    reached_at: Vec<u64>,
    /// The items reached, first in discovery order, then in level order.
    reached: Vec<ItemIx>,
}

impl Scratch {
    fn new(g: &SupplyGraph, days: u32) -> Scratch {
        Scratch {
            failure: Failure {
                countries: vec![false; g.country_count()],
                suppliers: vec![false; g.supplier_count()],
                items: vec![false; g.item_count()],
            },
            steps: Steps::new(g.item_count(), days),
            reached_at: vec![0; g.item_count().div_ceil(64)],
            reached: Vec::new(),
        }
    }

    /// Marks `i` reached; returns whether it was not yet.
    fn reach(&mut self, reach: &Reach, i: ItemIx) -> bool {
        let p = reach.position[i.index()] as usize;
        let (word, bit) = (p / 64, 1u64 << (p % 64));
        let new = self.reached_at[word] & bit == 0;
        self.reached_at[word] |= bit;
        new
    }

    /// Evaluates one single loss: the items reachable from `seeds`, in level order.
    #[allow(clippy::too_many_arguments)]
    fn run(
        &mut self,
        g: &SupplyGraph,
        params: &CaseParams,
        reach: &Reach,
        seeds: &[ItemIx],
        country: Option<CountryIx>,
        supplier: Option<SupplierIx>,
        days: u32,
    ) {
        self.steps.clear(days);
        self.reached_at.iter_mut().for_each(|w| *w = 0);
        self.reached.clear();
        for &s in seeds {
            if self.reach(reach, s) {
                self.reached.push(s);
            }
        }
        let mut k = 0;
        while k < self.reached.len() {
            let i = self.reached[k];
            k += 1;
            for &u in reach.users(i) {
                if self.reach(reach, u) {
                    self.reached.push(u);
                }
            }
        }
        // Level order from the bits, lowest position first: linear in the
        // items, where sorting the reached items cost R log R cache misses (a
        // country reaches most of a million-item graph).
        self.reached.clear();
        for (w, &bits) in self.reached_at.iter().enumerate() {
            let mut bits = bits;
            while bits != 0 {
                let p = w * 64 + bits.trailing_zeros() as usize;
                self.reached.push(reach.order[p]);
                bits &= bits - 1;
            }
        }
        if let Some(c) = country {
            self.failure.countries[c.index()] = true;
        }
        if let Some(s) = supplier {
            self.failure.suppliers[s.index()] = true;
            for b in &reach.below[s.index()] {
                self.failure.suppliers[b.index()] = true;
            }
        }
        for &i in &self.reached {
            self.steps.evaluate(g, params, &self.failure, i);
        }
        if let Some(c) = country {
            self.failure.countries[c.index()] = false;
        }
        if let Some(s) = supplier {
            self.failure.suppliers[s.index()] = false;
            for b in &reach.below[s.index()] {
                self.failure.suppliers[b.index()] = false;
            }
        }
    }
}

/// What a sweep of `kind` fails one at a time, in its order: every country that
/// supplies something except home, or every supplier.
pub fn sweep_candidates(
    g: &SupplyGraph,
    kind: SweepKind,
) -> Vec<(Option<CountryIx>, Option<SupplierIx>)> {
    match kind {
        SweepKind::Country => g
            .supplying_countries()
            .into_iter()
            .filter(|c| *c != g.home())
            .map(|c| (Some(c), None))
            .collect(),
        SweepKind::Supplier => (0..g.supplier_count() as u32)
            .map(|s| (None, Some(SupplierIx(s))))
            .collect(),
    }
}
