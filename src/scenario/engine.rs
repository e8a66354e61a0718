//! The day-by-day exposure recurrence of spec §3.6 (version 2), shared by
//! [`super::simulate`] and [`super::sweep`].
//!
//! Owns: the per-scenario failed edges and surviving shares, production from
//! pools of sources grouped by their inputs (P_g = min(Σ w·alive, w_g·In)), and
//! the day loop that turns them into availabilities, stock draw-down and first
//! short days. Source weights come from [`crate::analysis::weights`], the one
//! place they are made. Never: allocates items × days (only the recorded items
//! keep a series), formats anything, or touches the model.

use crate::analysis::weights::{source_weights, SourceWeights};
use crate::graph::{ItemIx, Req, SupplyGraph};
use crate::model::Case;

/// Stock comparisons tolerate this much rounding (spec §3.6).
pub const STOCK_TOLERANCE: f64 = 1e-9;

/// Every number of the recurrence that depends only on the case, not on the scenario.
/// Built once and reused across the scenarios of a sweep.
pub(crate) struct CaseParams {
    /// Source and group weights per item under the graph's `--unattributed`.
    pub weights: Vec<SourceWeights>,
    /// Starting stock in days of full demand (absent → 0).
    pub stock: Vec<f64>,
    /// recovery_days (absent → +∞: no recovery within any horizon).
    pub recovery: Vec<f64>,
    /// market_value per year (absent → None).
    pub market_value: Vec<Option<f64>>,
}

impl CaseParams {
    pub fn new(g: &SupplyGraph, case: Case) -> Self {
        let n = g.item_count();
        let policy = g.assumptions().unattributed;
        let mut weights = Vec::with_capacity(n);
        let mut stock = Vec::with_capacity(n);
        let mut recovery = Vec::with_capacity(n);
        let mut market_value = Vec::with_capacity(n);
        for i in g.items() {
            weights.push(source_weights(g, i, case, policy));
            let item = g.item(i);
            stock.push(non_negative(item.stock_days.as_ref().map(|e| e.get(case))).unwrap_or(0.0));
            recovery.push(
                non_negative(item.recovery_days.as_ref().map(|e| e.get(case)))
                    .unwrap_or(f64::INFINITY),
            );
            market_value.push(non_negative(
                item.market_value.as_ref().map(|e| e.get(case)),
            ));
        }
        CaseParams {
            weights,
            stock,
            recovery,
            market_value,
        }
    }
}

/// A finite non-negative number, else None (the loader guarantees this; bad input never panics).
fn non_negative(x: Option<f64>) -> Option<f64> {
    x.filter(|v| v.is_finite() && *v >= 0.0)
}

/// What a scenario fails, as dense flags.
pub(crate) struct Failure {
    pub countries: Vec<bool>,
    pub suppliers: Vec<bool>,
    pub items: Vec<bool>,
}

impl Failure {
    pub fn from_spec(g: &SupplyGraph, spec: &super::ScenarioSpec) -> Self {
        let mut f = Failure {
            countries: vec![false; g.country_count()],
            suppliers: vec![false; g.supplier_count()],
            items: vec![false; g.item_count()],
        };
        for c in &spec.failed_countries {
            if let Some(x) = f.countries.get_mut(c.index()) {
                *x = true;
            }
        }
        for s in &spec.failed_suppliers {
            if let Some(x) = f.suppliers.get_mut(s.index()) {
                *x = true;
            }
        }
        for i in &spec.failed_items {
            if let Some(x) = f.items.get_mut(i.index()) {
                *x = true;
            }
        }
        f
    }

    /// Whether the `k`-th supply edge of item `i` fails: its supplier, its
    /// country, or the item itself is failed.
    pub fn edge_fails(&self, g: &SupplyGraph, i: ItemIx, k: usize) -> bool {
        let s = &g.sources(i)[k];
        self.items[i.index()]
            || s.supplier.is_some_and(|x| self.suppliers[x.index()])
            || self.countries[s.country.index()]
    }
}

/// The outcome of one run of the recurrence.
pub(crate) struct Run {
    /// a_i per item.
    pub surviving: Vec<f64>,
    /// First day with E_i(t) < 1, per item.
    pub first_short: Vec<Option<u32>>,
    /// Daily E(t) of each recorded item, in the order asked.
    pub series: Vec<Vec<f64>>,
    /// For each recorded item that runs short: the binding chain on its first short
    /// day, from the item down to the item whose own supply is the constraint.
    pub chains: Vec<Option<Vec<ItemIx>>>,
    /// E_i on the last day run, per item.
    pub last_day: Vec<f64>,
}

/// The failed edges of one scenario: per item, which sources fail, and a_i.
struct Cuts {
    /// Per item, per source: the edge fails.
    dead: Vec<Vec<bool>>,
    /// Per item: the item itself is failed.
    item_failed: Vec<bool>,
    /// a_i: the supply weight whose edges survive (plus a surviving remainder);
    /// 1 when nothing of the item fails; 0 when the item itself is failed.
    surviving: Vec<f64>,
}

impl Cuts {
    fn new(g: &SupplyGraph, params: &CaseParams, failure: &Failure) -> Cuts {
        let n = g.item_count();
        let mut dead = Vec::with_capacity(n);
        let mut surviving = vec![1.0; n];
        for i in g.items() {
            let d: Vec<bool> = (0..g.sources(i).len())
                .map(|k| failure.edge_fails(g, i, k))
                .collect();
            let w = &params.weights[i.index()];
            if failure.items[i.index()] {
                surviving[i.index()] = 0.0;
            } else if d.iter().any(|x| *x) {
                let alive: f64 = w
                    .sources
                    .iter()
                    .zip(&d)
                    .filter(|(_, dead)| !**dead)
                    .fold(w.remainder, |acc, (x, _)| acc + x);
                surviving[i.index()] = alive.clamp(0.0, 1.0);
            }
            dead.push(d);
        }
        Cuts {
            dead,
            item_failed: failure.items.clone(),
            surviving,
        }
    }
}

/// Production P_i(t) of spec §3.6 from the availabilities of its inputs.
fn production(
    g: &SupplyGraph,
    params: &CaseParams,
    cuts: &Cuts,
    i: ItemIx,
    t: u32,
    availability: &[f64],
) -> f64 {
    let ix = i.index();
    let recovered = (t as f64) >= params.recovery[ix];
    let sources = g.sources(i);
    if sources.is_empty() {
        let alive: f64 = if cuts.item_failed[ix] && !recovered {
            0.0
        } else {
            1.0
        };
        return alive.min(inputs_available(g.production_requirements(i), availability));
    }
    let w = &params.weights[ix];
    let dead = &cuts.dead[ix];
    let mut total = if cuts.item_failed[ix] && !recovered {
        0.0
    } else {
        w.remainder
    };
    for (gi, group) in g.groups(i).iter().enumerate() {
        let alive: f64 = group
            .sources
            .iter()
            .filter(|&&k| recovered || !dead[k as usize])
            .fold(0.0, |acc, &k| acc + w.sources[k as usize]);
        if alive <= 0.0 {
            continue;
        }
        let input = inputs_available(g.group_inputs(i, group), availability);
        total += alive.min(w.groups[gi] * input);
    }
    total.min(1.0)
}

/// In_R(t): the minimum over requirements, an any_of group counting its best
/// member; 1 for an empty list.
fn inputs_available<'a, 'm: 'a>(
    reqs: impl Iterator<Item = &'a Req<'m>>,
    availability: &[f64],
) -> f64 {
    reqs.map(|r| requirement_availability(r, availability))
        .fold(1.0, f64::min)
}

/// Runs §3.6 for `days` days (t = 0..days−1), recording the series of `record`.
/// `trace` also records the binding chain of each recorded item (for explanations).
pub(crate) fn run(
    g: &SupplyGraph,
    params: &CaseParams,
    failure: &Failure,
    days: u32,
    record: &[ItemIx],
    trace: bool,
) -> Run {
    let n = g.item_count();
    let cuts = Cuts::new(g, params, failure);
    // Only items that can ever fall below 1 need the day loop: an edge of their
    // own fails, or an input some source needs can fall (an any_of group only
    // when every member can).
    let mut affected = vec![false; n];
    let mut order = Vec::new();
    let can_fall = |r: &Req, affected: &[bool]| {
        if r.any_of {
            !r.members.is_empty() && r.members.iter().all(|m| affected[m.index()])
        } else {
            r.members.iter().any(|m| affected[m.index()])
        }
    };
    for &i in g.bottom_up() {
        let own = cuts.item_failed[i.index()] || cuts.dead[i.index()].iter().any(|d| *d);
        let via_input = if g.sources(i).is_empty() {
            g.production_requirements(i).any(|r| can_fall(r, &affected))
        } else {
            g.groups(i)
                .iter()
                .any(|gr| g.group_inputs(i, gr).any(|r| can_fall(r, &affected)))
        };
        if own || via_input {
            affected[i.index()] = true;
            order.push(i);
        }
    }
    let mut record_slot = vec![usize::MAX; n];
    for (k, r) in record.iter().enumerate() {
        record_slot[r.index()] = k;
    }
    let mut series: Vec<Vec<f64>> = record
        .iter()
        .map(|_| Vec::with_capacity(days as usize))
        .collect();
    let mut chains: Vec<Option<Vec<ItemIx>>> = vec![None; record.len()];
    let mut first_short: Vec<Option<u32>> = vec![None; n];
    let mut availability = vec![1.0_f64; n];
    let mut stock: Vec<f64> = params.stock.clone();
    for t in 0..days {
        for &i in &order {
            let ix = i.index();
            let shortfall = 1.0 - production(g, params, &cuts, i, t, &availability);
            let e = if shortfall <= STOCK_TOLERANCE {
                1.0
            } else if stock[ix] >= shortfall - STOCK_TOLERANCE {
                stock[ix] = (stock[ix] - shortfall).max(0.0);
                1.0
            } else {
                let e = 1.0 - (shortfall - stock[ix]);
                stock[ix] = 0.0;
                e
            };
            availability[ix] = e;
            if e < 1.0 && first_short[ix].is_none() {
                first_short[ix] = Some(t);
                if trace && record_slot[ix] != usize::MAX {
                    chains[record_slot[ix]] =
                        Some(binding_chain(g, params, &cuts, &availability, i, t));
                }
            }
        }
        for (k, r) in record.iter().enumerate() {
            series[k].push(availability[r.index()]);
        }
    }
    Run {
        surviving: cuts.surviving,
        first_short,
        series,
        chains,
        last_day: availability,
    }
}

/// The binding chain of `item` on day `day`, by re-running the recurrence up to it.
pub(crate) fn chain_on_day(
    g: &SupplyGraph,
    params: &CaseParams,
    failure: &Failure,
    item: ItemIx,
    day: u32,
) -> Vec<ItemIx> {
    let r = run(g, params, failure, day + 1, &[], false);
    let cuts = Cuts::new(g, params, failure);
    binding_chain(g, params, &cuts, &r.last_day, item, day)
}

fn requirement_availability(r: &crate::graph::Req, availability: &[f64]) -> f64 {
    if r.members.is_empty() {
        1.0
    } else if r.any_of {
        r.members
            .iter()
            .map(|m| availability[m.index()])
            .fold(0.0, f64::max)
    } else {
        r.members
            .iter()
            .map(|m| availability[m.index()])
            .fold(1.0, f64::min)
    }
}

/// Follows the binding constraint down from `start`, which is short on day `t`:
/// stop at the item whose own supply is the constraint, else descend into the
/// input with the lowest availability among the inputs that bind (a group whose
/// pool is smaller than its live sources; without sources, the production
/// requirements), first in declaration order, and for an any_of group into its
/// best member. Every item on the way is short on day t.
fn binding_chain(
    g: &SupplyGraph,
    params: &CaseParams,
    cuts: &Cuts,
    availability: &[f64],
    start: ItemIx,
    t: u32,
) -> Vec<ItemIx> {
    let mut chain = vec![start];
    let mut i = start;
    loop {
        let ix = i.index();
        let recovered = (t as f64) >= params.recovery[ix];
        let binding: Vec<&Req> = if g.sources(i).is_empty() {
            let alive: f64 = if cuts.item_failed[ix] && !recovered {
                0.0
            } else {
                1.0
            };
            let reqs: Vec<&Req> = g.production_requirements(i).collect();
            let input = inputs_available(reqs.iter().copied(), availability);
            if input < alive {
                reqs
            } else {
                Vec::new()
            }
        } else {
            let w = &params.weights[ix];
            let mut out = Vec::new();
            for (gi, group) in g.groups(i).iter().enumerate() {
                let alive: f64 = group
                    .sources
                    .iter()
                    .filter(|&&k| recovered || !cuts.dead[ix][k as usize])
                    .fold(0.0, |acc, &k| acc + w.sources[k as usize]);
                let input = inputs_available(g.group_inputs(i, group), availability);
                if w.groups[gi] * input < alive - STOCK_TOLERANCE {
                    out.extend(g.group_inputs(i, group));
                }
            }
            out
        };
        let mut best: Option<(f64, ItemIx)> = None;
        for r in binding {
            if r.members.is_empty() {
                continue;
            }
            let (v, m) = if r.any_of {
                // Best member; the first of equals.
                let mut pick = (f64::NEG_INFINITY, r.members[0]);
                for &m in &r.members {
                    if availability[m.index()] > pick.0 {
                        pick = (availability[m.index()], m);
                    }
                }
                pick
            } else {
                let mut pick = (f64::INFINITY, r.members[0]);
                for &m in &r.members {
                    if availability[m.index()] < pick.0 {
                        pick = (availability[m.index()], m);
                    }
                }
                pick
            };
            match best {
                Some((b, _)) if b <= v => {}
                _ => best = Some((v, m)),
            }
        }
        match best {
            Some((v, m)) if v < 1.0 && !chain.contains(&m) => {
                chain.push(m);
                i = m;
            }
            _ => return chain,
        }
    }
}
