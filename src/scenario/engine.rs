//! The day-by-day exposure recurrence of spec §3.6, shared by [`super::simulate`]
//! and [`super::sweep`].
//!
//! Owns: normalised source weights, the per-scenario surviving shares, and the
//! day loop that turns them into availabilities, stock draw-down and first short
//! days. Never: allocates items × days (only the recorded items keep a series),
//! formats anything, or touches the model.

use crate::graph::{ItemIx, SupplyGraph};
use crate::model::Case;

/// Stock comparisons tolerate this much rounding (spec §3.6).
pub const STOCK_TOLERANCE: f64 = 1e-9;

/// Every number of the recurrence that depends only on the case, not on the scenario.
/// Built once and reused across the scenarios of a sweep.
pub(crate) struct CaseParams {
    /// ŵ_e per item, aligned with `g.sources(i)`.
    pub weights: Vec<Vec<f64>>,
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
        let mut weights = Vec::with_capacity(n);
        let mut stock = Vec::with_capacity(n);
        let mut recovery = Vec::with_capacity(n);
        let mut market_value = Vec::with_capacity(n);
        for i in g.items() {
            weights.push(normalized_weights(g, i, case));
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

/// ŵ_e = w_e / W over the item's supply edges. When W is 0 (every share is 0) the
/// edges count equally: a listed source is a source even when its share is unknown.
pub(crate) fn normalized_weights(g: &SupplyGraph, i: ItemIx, case: Case) -> Vec<f64> {
    let raw: Vec<f64> = g
        .sources(i)
        .iter()
        .map(|s| {
            let w = s.share.get(case);
            if w.is_finite() && w > 0.0 {
                w
            } else {
                0.0
            }
        })
        .collect();
    let total: f64 = raw.iter().fold(0.0, |acc, x| acc + x);
    if raw.is_empty() {
        raw
    } else if total > 0.0 {
        raw.iter().map(|w| w / total).collect()
    } else {
        vec![1.0 / raw.len() as f64; raw.len()]
    }
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

    /// Whether the `k`-th supply edge of item `i` fails (its supplier or its country).
    pub fn edge_fails(&self, g: &SupplyGraph, i: ItemIx, k: usize) -> bool {
        let s = &g.sources(i)[k];
        self.suppliers[s.supplier.index()] || self.countries[s.country.index()]
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
    // a_i: 0 when failed; Σ ŵ over surviving edges; 1 without supply edges.
    let mut surviving = vec![1.0; n];
    for i in g.items() {
        if failure.items[i.index()] {
            surviving[i.index()] = 0.0;
        } else if !g.sources(i).is_empty() {
            let w = &params.weights[i.index()];
            let mut any_fails = false;
            let mut a = 0.0;
            for (k, wk) in w.iter().enumerate() {
                if failure.edge_fails(g, i, k) {
                    any_fails = true;
                } else {
                    a += wk;
                }
            }
            // Exactly 1 when nothing fails, whatever the rounding of Σ ŵ.
            surviving[i.index()] = if any_fails { a.clamp(0.0, 1.0) } else { 1.0 };
        }
    }
    // Only items that can ever fall below 1 need the day loop: an own cut, or a
    // requirement that can (an any_of group only when every member can).
    let mut affected = vec![false; n];
    let mut order = Vec::new();
    for &i in g.bottom_up() {
        let own = surviving[i.index()] < 1.0;
        let via_input = g.requirements(i).iter().any(|r| {
            if r.any_of {
                !r.members.is_empty() && r.members.iter().all(|m| affected[m.index()])
            } else {
                r.members.iter().any(|m| affected[m.index()])
            }
        });
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
            let input = input_availability(g, i, &availability);
            let own = if (t as f64) < params.recovery[ix] {
                surviving[ix]
            } else {
                1.0
            };
            let shortfall = 1.0 - own.min(input);
            let e = if shortfall <= 0.0 {
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
                        Some(binding_chain(g, params, &surviving, &availability, i, t));
                }
            }
        }
        for (k, r) in record.iter().enumerate() {
            series[k].push(availability[r.index()]);
        }
    }
    Run {
        surviving,
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
    binding_chain(g, params, &r.surviving, &r.last_day, item, day)
}

/// In_i(t): the minimum over requirements, an any_of group counting its best member.
fn input_availability(g: &SupplyGraph, i: ItemIx, availability: &[f64]) -> f64 {
    let mut input = 1.0_f64;
    for r in g.requirements(i) {
        let v = requirement_availability(r, availability);
        input = input.min(v);
    }
    input
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
/// stop at the item whose own supply is the minimum, else descend into the
/// requirement with the lowest availability (first in declaration order), and for
/// an any_of group into its best member. Every item on the way is short on day t.
fn binding_chain(
    g: &SupplyGraph,
    params: &CaseParams,
    surviving: &[f64],
    availability: &[f64],
    start: ItemIx,
    t: u32,
) -> Vec<ItemIx> {
    let mut chain = vec![start];
    let mut i = start;
    loop {
        let own = if (t as f64) < params.recovery[i.index()] {
            surviving[i.index()]
        } else {
            1.0
        };
        let mut best: Option<(f64, ItemIx)> = None;
        for r in g.requirements(i) {
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
            Some((v, m)) if v < own && v < 1.0 => {
                chain.push(m);
                i = m;
            }
            _ => return chain,
        }
    }
}
