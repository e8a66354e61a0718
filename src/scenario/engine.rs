//! The exposure recurrence of spec §3.6 (version 2), driven by events, shared by
//! [`super::simulate`] and [`super::sweep`].
//!
//! Owns: the per-scenario failed edges and surviving shares, production from
//! pools of sources grouped by their inputs (P_g = min(Σ w·alive, w_g·In)), and
//! the event-driven evaluation that turns them into availabilities, stock
//! draw-down and first short days: each affected item's availability E_i(t) is a
//! step function of the day, kept as its steps (day it starts, value), and built
//! from its inputs' steps in bottom-up order, evaluating production once per
//! step instead of once per day. docs/metrics.md ("Event-driven evaluation")
//! argues why every day's value equals the day-by-day definition bit for bit; a
//! property test holds it to the literal day loop, which lives only in the tests.
//! Source weights come from [`crate::analysis::weights`], the one place they are
//! made. Never: allocates items × days (only the recorded items' series are
//! expanded), formats anything, or touches the model.

use crate::analysis::weights::append_source_weights;
use crate::graph::{ItemIx, Req, SupplyGraph};
use crate::model::Case;

/// Stock comparisons tolerate this much rounding (spec §3.6).
pub const STOCK_TOLERANCE: f64 = 1e-9;

/// Every number of the recurrence that depends only on the case, not on the scenario.
/// Built once and reused across the scenarios of a sweep.
pub(crate) struct CaseParams {
    /// Every item's source weights then group weights under the graph's
    /// `--unattributed`, one after another; read them with [`Self::weights`].
    weight_values: Vec<f64>,
    /// Per item: where its sources' weights start in `weight_values`, where
    /// its groups' start, and its remainder.
    weight_spans: Vec<(usize, usize, f64)>,
    /// Starting stock in days of full demand (absent → 0).
    pub stock: Vec<f64>,
    /// recovery_days (absent → +∞: no recovery within any horizon).
    pub recovery: Vec<f64>,
    /// market_value per year (absent → None).
    pub market_value: Vec<Option<f64>>,
    /// Per item, each standby source's capacity w_e (its `share`, never
    /// normalised) and its qualify_days (absent → 0), spec §3.12.
    pub standby: Vec<Vec<(f64, f64)>>,
    /// The case, for the `qualify_days` of `any_of` members (read per requirement).
    pub case: Case,
}

impl CaseParams {
    pub fn new(g: &SupplyGraph, case: Case) -> Self {
        let n = g.item_count();
        let policy = g.assumptions().unattributed;
        let mut weight_values = Vec::with_capacity(n * 4);
        let mut weight_spans = Vec::with_capacity(n);
        let mut stock = Vec::with_capacity(n);
        let mut recovery = Vec::with_capacity(n);
        let mut market_value = Vec::with_capacity(n);
        let mut standby = Vec::with_capacity(n);
        for i in g.items() {
            standby.push(
                g.standby_sources(i)
                    .iter()
                    .enumerate()
                    .map(|(k, s)| {
                        let w = non_negative(Some(s.share.get(case)))
                            .unwrap_or(0.0)
                            .min(1.0);
                        let q =
                            non_negative(g.qualify_days(i, k).map(|e| e.get(case))).unwrap_or(0.0);
                        (w, q)
                    })
                    .collect(),
            );
            let start = weight_values.len();
            let (remainder, _) = append_source_weights(g, i, case, policy, &mut weight_values);
            weight_spans.push((start, start + g.sources(i).len(), remainder));
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
            weight_values,
            weight_spans,
            stock,
            recovery,
            market_value,
            standby,
            case,
        }
    }

    /// Item `ix`'s source and group weights.
    pub fn weights(&self, ix: usize) -> ItemWeights<'_> {
        let (start, groups_at, remainder) = self.weight_spans[ix];
        let end = self
            .weight_spans
            .get(ix + 1)
            .map_or(self.weight_values.len(), |next| next.0);
        ItemWeights {
            sources: &self.weight_values[start..groups_at],
            groups: &self.weight_values[groups_at..end],
            remainder,
        }
    }
}

/// One item's weights in a [`CaseParams`], as
/// [`crate::analysis::weights::SourceWeights`] has them.
pub(crate) struct ItemWeights<'a> {
    /// Per source, aligned with [`SupplyGraph::sources`].
    pub sources: &'a [f64],
    /// Per group, aligned with [`SupplyGraph::groups`].
    pub groups: &'a [f64],
    /// The never-failing remainder group's weight.
    pub remainder: f64,
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
        // Spec §3.10: failing a supplier fails every supplier whose chain of
        // owners passes through it.
        let named = f.suppliers.clone();
        for (s, failed) in f.suppliers.iter_mut().enumerate() {
            let owners = g.owners(crate::graph::SupplierIx(s as u32));
            *failed = *failed || owners.iter().any(|o| named[o.index()]);
        }
        f
    }

    /// Whether the `k`-th supply edge of item `i` fails: its supplier (or an
    /// owner of it), its country, the item itself, or under `--reach` the
    /// issuer of one of the item's export-control regimes.
    pub fn edge_fails(&self, g: &SupplyGraph, i: ItemIx, k: usize) -> bool {
        let s = &g.sources(i)[k];
        self.items[i.index()]
            || s.supplier.is_some_and(|x| self.suppliers[x.index()])
            || self.countries[s.country.index()]
            || self.reaches(g, i, k)
    }

    /// Whether the `k`-th standby source of item `i` is failed: as a regular
    /// edge, by its supplier (or an owner), its country, the item, or reach.
    pub fn standby_fails(&self, g: &SupplyGraph, i: ItemIx, k: usize) -> bool {
        let s = &g.standby_sources(i)[k];
        self.items[i.index()]
            || s.supplier.is_some_and(|x| self.suppliers[x.index()])
            || self.countries[s.country.index()]
            || g.reached_by_source(i, s)
                .iter()
                .any(|c| self.countries[c.index()])
    }

    /// Whether the `k`-th supply edge of item `i` fails only through
    /// export-control reach (spec §3.11): its supplier and country stand, an
    /// issuer of the item's regimes is failed, and the run has `--reach`.
    pub fn reaches(&self, g: &SupplyGraph, i: ItemIx, k: usize) -> bool {
        let s = &g.sources(i)[k];
        !self.countries[s.country.index()]
            && g.reached_by(i, k).iter().any(|c| self.countries[c.index()])
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
    /// Every affected item's availability, as steps.
    pub steps: Steps,
}

/// a_i of every item under `failure`: the supply weight whose edges survive (plus
/// a surviving remainder); 1 when nothing of the item fails; 0 when the item
/// itself is failed.
fn surviving_shares(g: &SupplyGraph, params: &CaseParams, failure: &Failure) -> Vec<f64> {
    g.items()
        .map(|i| surviving_share(g, params, failure, i))
        .collect()
}

fn surviving_share(g: &SupplyGraph, params: &CaseParams, failure: &Failure, i: ItemIx) -> f64 {
    if failure.items[i.index()] {
        return 0.0;
    }
    let n = g.sources(i).len();
    if !(0..n).any(|k| failure.edge_fails(g, i, k)) {
        return 1.0;
    }
    let w = params.weights(i.index());
    let alive: f64 = w
        .sources
        .iter()
        .enumerate()
        .filter(|(k, _)| !failure.edge_fails(g, i, *k))
        .fold(w.remainder, |acc, (_, x)| acc + x);
    alive.clamp(0.0, 1.0)
}

/// Production P_i(t) of spec §3.6 from the availabilities of its inputs on day t
/// (`avail`), the same arithmetic in the same order whichever engine asks.
pub(crate) fn production(
    g: &SupplyGraph,
    params: &CaseParams,
    failure: &Failure,
    i: ItemIx,
    t: u32,
    avail: &impl Fn(ItemIx) -> f64,
) -> f64 {
    let ix = i.index();
    let recovered = (t as f64) >= params.recovery[ix];
    let item_failed = failure.items[ix];
    let sources = g.sources(i);
    if sources.is_empty() {
        let alive: f64 = if item_failed && !recovered { 0.0 } else { 1.0 };
        return alive.min(inputs_available(
            g.production_requirements(i),
            avail,
            t,
            params.case,
        ));
    }
    let w = params.weights(ix);
    let mut total = if item_failed && !recovered {
        0.0
    } else {
        w.remainder
    };
    for (gi, group) in g.groups(i).iter().enumerate() {
        let alive: f64 = group
            .sources
            .iter()
            .filter(|&&k| recovered || !failure.edge_fails(g, i, k as usize))
            .fold(0.0, |acc, &k| acc + w.sources[k as usize]);
        if alive <= 0.0 {
            continue;
        }
        let input = inputs_available(g.group_inputs(i, group), avail, t, params.case);
        total += alive.min(w.groups[gi] * input);
    }
    // Standby groups h (spec §3.12): min(Σ w_e·active_e(t), w_h·In_{R_h}(t)),
    // a source active from qualify_days while not failed (or recovered).
    let standby = &params.standby[ix];
    for group in g.standby_groups(i) {
        let mut active = 0.0;
        let mut w_h = 0.0;
        for &k in &group.sources {
            let (w, q) = standby[k as usize];
            w_h += w;
            if (t as f64) >= q && (recovered || !failure.standby_fails(g, i, k as usize)) {
                active += w;
            }
        }
        if active <= 0.0 {
            continue;
        }
        let input = inputs_available(g.group_inputs(i, group), avail, t, params.case);
        total += active.min(w_h * input);
    }
    total.min(1.0)
}

/// In_R(t): the minimum over requirements, an any_of group counting its best
/// member among those qualified by day t; 1 for an empty list.
fn inputs_available<'a, 'm: 'a>(
    reqs: impl Iterator<Item = &'a Req<'m>>,
    avail: &impl Fn(ItemIx) -> f64,
    t: u32,
    case: Case,
) -> f64 {
    reqs.map(|r| requirement_availability(r, avail, t, case))
        .fold(1.0, f64::min)
}

/// Whether the `k`-th member of `r` counts on day t (spec §3.12: an any_of
/// member counts in its group's max only for t ≥ qualify_days).
fn counts(r: &Req, k: usize, t: u32, case: Case) -> bool {
    r.qualify.is_none() || (t as f64) >= r.qualify_days(k, case)
}

/// Whether a requirement's availability can fall below 1 when the items marked
/// by `affected` can (an any_of group only when every member counting from
/// day 0 can: one that counts from day 0 and cannot fall holds the max at 1).
fn can_fall(r: &Req, affected: &impl Fn(ItemIx) -> bool, case: Case) -> bool {
    if r.any_of {
        !r.members.is_empty()
            && r.members
                .iter()
                .enumerate()
                .all(|(k, m)| !counts(r, k, 0, case) || affected(*m))
    } else {
        r.members.iter().any(|m| affected(*m))
    }
}

/// Whether item `i` can ever fall below full availability: an edge of its own
/// fails, or an input some source needs can fall. Items that cannot keep E = 1
/// (the baseline) and are never evaluated.
pub(crate) fn is_affected(
    g: &SupplyGraph,
    params: &CaseParams,
    failure: &Failure,
    i: ItemIx,
    affected: &impl Fn(ItemIx) -> bool,
) -> bool {
    let case = params.case;
    let own =
        failure.items[i.index()] || (0..g.sources(i).len()).any(|k| failure.edge_fails(g, i, k));
    own || if g.sources(i).is_empty() {
        g.production_requirements(i)
            .any(|r| can_fall(r, affected, case))
    } else {
        g.groups(i)
            .iter()
            .any(|gr| g.group_inputs(i, gr).any(|r| can_fall(r, affected, case)))
    }
}

/// The availability E_i(t) of the affected items of one run, each a step
/// function: steps (first day, value), the first on day 0, consecutive values
/// different. Items without steps have E = 1 on every day. Reused across the
/// runs of a sweep ([`Steps::clear`] touches only what the last run wrote).
pub(crate) struct Steps {
    days: u32,
    /// Per item: index into `spans`, or `NONE` (full availability throughout).
    slot: Vec<u32>,
    /// (offset, length) into `starts`/`values`, per affected item in evaluation order.
    spans: Vec<(u32, u32)>,
    order: Vec<ItemIx>,
    starts: Vec<u32>,
    values: Vec<f64>,
    /// Scratch: the step days of one item's inputs.
    breaks: Vec<u32>,
}

const NONE: u32 = u32::MAX;

impl Steps {
    pub fn new(item_count: usize, days: u32) -> Self {
        Steps {
            days,
            slot: vec![NONE; item_count],
            spans: Vec::new(),
            order: Vec::new(),
            starts: Vec::new(),
            values: Vec::new(),
            breaks: Vec::new(),
        }
    }

    /// Forgets the last run (cost proportional to what it wrote).
    pub fn clear(&mut self, days: u32) {
        for i in self.order.drain(..) {
            self.slot[i.index()] = NONE;
        }
        self.spans.clear();
        self.starts.clear();
        self.values.clear();
        self.days = days;
    }

    /// Whether item `i` was evaluated (it can fall below 1).
    pub fn affected(&self, i: ItemIx) -> bool {
        self.slot[i.index()] != NONE
    }

    fn span(&self, i: ItemIx) -> Option<(&[u32], &[f64])> {
        let s = *self.slot.get(i.index())?;
        if s == NONE {
            return None;
        }
        let (o, l) = self.spans[s as usize];
        let r = o as usize..(o + l) as usize;
        Some((&self.starts[r.clone()], &self.values[r]))
    }

    /// E_i(t).
    pub fn value(&self, i: ItemIx, t: u32) -> f64 {
        match self.span(i) {
            None => 1.0,
            Some((starts, values)) => values[starts.partition_point(|s| *s <= t) - 1],
        }
    }

    /// The first day with E_i(t) < 1.
    pub fn first_short(&self, i: ItemIx) -> Option<u32> {
        let (starts, values) = self.span(i)?;
        values.iter().position(|v| *v < 1.0).map(|k| starts[k])
    }

    /// E_i(t) for t = 0..days−1.
    pub fn series(&self, i: ItemIx) -> Vec<f64> {
        let mut out = Vec::with_capacity(self.days as usize);
        match self.span(i) {
            None => out.resize(self.days as usize, 1.0),
            Some((starts, values)) => {
                for (k, v) in values.iter().enumerate() {
                    let end = starts.get(k + 1).copied().unwrap_or(self.days);
                    out.resize(end as usize, *v);
                }
            }
        }
        out
    }

    /// Every item's availability on day t (1 for the unaffected).
    pub fn on_day(&self, t: u32) -> Vec<f64> {
        let mut a = vec![1.0; self.slot.len()];
        for &i in &self.order {
            a[i.index()] = self.value(i, t);
        }
        a
    }

    /// Evaluates item `i`, whose inputs are all evaluated already (bottom-up
    /// order), if it can fall below 1; returns whether it was.
    pub fn evaluate(
        &mut self,
        g: &SupplyGraph,
        params: &CaseParams,
        failure: &Failure,
        i: ItemIx,
    ) -> bool {
        if !is_affected(g, params, failure, i, &|m| self.affected(m)) {
            return false;
        }
        let ix = i.index();
        let days = self.days;
        // Production is constant between the step days of the inputs it reads and
        // the recovery day (the first t ≥ recovery_days): evaluate it once per piece.
        let mut breaks = std::mem::take(&mut self.breaks);
        breaks.clear();
        breaks.push(0);
        let recovery = params.recovery[ix];
        if recovery.is_finite() && recovery.ceil() < days as f64 {
            breaks.push(recovery.ceil() as u32);
        }
        // A standby source starts delivering on its qualification day.
        for &(_, q) in &params.standby[ix] {
            if q.ceil() < days as f64 {
                breaks.push(q.ceil() as u32);
            }
        }
        let case = params.case;
        let mut add_inputs = |r: &Req| {
            for (k, m) in r.members.iter().enumerate() {
                if let Some((starts, _)) = self.span(*m) {
                    breaks.extend_from_slice(&starts[1..]);
                }
                // An any_of member starts counting on its qualification day.
                let q = r.qualify_days(k, case);
                if q > 0.0 && q.ceil() < days as f64 {
                    breaks.push(q.ceil() as u32);
                }
            }
        };
        if g.sources(i).is_empty() {
            g.production_requirements(i).for_each(&mut add_inputs);
        } else {
            for gr in g.groups(i).iter().chain(g.standby_groups(i)) {
                g.group_inputs(i, gr).for_each(&mut add_inputs);
            }
        }
        breaks.sort_unstable();
        breaks.dedup();

        let offset = self.starts.len();
        let mut stock = params.stock[ix];
        for (k, &from) in breaks.iter().enumerate() {
            let to = breaks.get(k + 1).copied().unwrap_or(days);
            let p = production(g, params, failure, i, from, &|m| self.value(m, from));
            let shortfall = 1.0 - p;
            let mut t = from;
            if shortfall <= STOCK_TOLERANCE {
                push_step(&mut self.starts, &mut self.values, offset, t, 1.0);
                continue;
            }
            // Stock covers the shortfall while it lasts: the same subtraction,
            // day by day, as §3.6 (so the leftover on the day it runs out is the
            // same number), but production is not re-evaluated.
            if stock >= shortfall - STOCK_TOLERANCE {
                push_step(&mut self.starts, &mut self.values, offset, t, 1.0);
                while t < to && stock >= shortfall - STOCK_TOLERANCE {
                    stock = (stock - shortfall).max(0.0);
                    t += 1;
                }
            }
            if t < to {
                // The day it runs out: what is left covers part of the shortfall.
                let e = 1.0 - (shortfall - stock);
                stock = 0.0;
                push_step(&mut self.starts, &mut self.values, offset, t, e);
                t += 1;
                if t < to {
                    push_step(
                        &mut self.starts,
                        &mut self.values,
                        offset,
                        t,
                        1.0 - (shortfall - stock),
                    );
                }
            }
        }
        self.breaks = breaks;
        let len = self.starts.len() - offset;
        self.slot[ix] = self.spans.len() as u32;
        self.spans.push((offset as u32, len as u32));
        self.order.push(i);
        true
    }
}

/// Appends step (t, v) unless the item's last step already has value v.
fn push_step(starts: &mut Vec<u32>, values: &mut Vec<f64>, offset: usize, t: u32, v: f64) {
    if values.len() > offset && values.last() == Some(&v) {
        return;
    }
    starts.push(t);
    values.push(v);
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
    let mut steps = Steps::new(g.item_count(), days);
    for &i in g.bottom_up() {
        steps.evaluate(g, params, failure, i);
    }
    let series = record.iter().map(|r| steps.series(*r)).collect();
    let first_short: Vec<Option<u32>> = g.items().map(|i| steps.first_short(i)).collect();
    let chains = record
        .iter()
        .map(|&r| {
            let t = first_short[r.index()]?;
            trace.then(|| chain_on_day(g, params, failure, &steps, r, t))
        })
        .collect();
    Run {
        surviving: surviving_shares(g, params, failure),
        first_short,
        series,
        chains,
        steps,
    }
}

/// The binding chain of `item` on day `day` of a run.
pub(crate) fn chain_on_day(
    g: &SupplyGraph,
    params: &CaseParams,
    failure: &Failure,
    steps: &Steps,
    item: ItemIx,
    day: u32,
) -> Vec<ItemIx> {
    binding_chain(g, params, failure, &steps.on_day(day), item, day)
}

fn requirement_availability(r: &Req, avail: &impl Fn(ItemIx) -> f64, t: u32, case: Case) -> f64 {
    if r.members.is_empty() {
        1.0
    } else if r.any_of {
        r.members
            .iter()
            .enumerate()
            .filter(|(k, _)| counts(r, *k, t, case))
            .map(|(_, m)| avail(*m))
            .fold(0.0, f64::max)
    } else {
        r.members.iter().map(|m| avail(*m)).fold(1.0, f64::min)
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
    failure: &Failure,
    availability: &[f64],
    start: ItemIx,
    t: u32,
) -> Vec<ItemIx> {
    let avail = |m: ItemIx| availability[m.index()];
    let mut chain = vec![start];
    let mut i = start;
    loop {
        let ix = i.index();
        let recovered = (t as f64) >= params.recovery[ix];
        let binding: Vec<&Req> = if g.sources(i).is_empty() {
            let alive: f64 = if failure.items[ix] && !recovered {
                0.0
            } else {
                1.0
            };
            let reqs: Vec<&Req> = g.production_requirements(i).collect();
            let input = inputs_available(reqs.iter().copied(), &avail, t, params.case);
            if input < alive {
                reqs
            } else {
                Vec::new()
            }
        } else {
            let w = params.weights(ix);
            let mut out = Vec::new();
            for (gi, group) in g.groups(i).iter().enumerate() {
                let alive: f64 = group
                    .sources
                    .iter()
                    .filter(|&&k| recovered || !failure.edge_fails(g, i, k as usize))
                    .fold(0.0, |acc, &k| acc + w.sources[k as usize]);
                let input = inputs_available(g.group_inputs(i, group), &avail, t, params.case);
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
                // Best member among those qualified by day t; the first of equals.
                let mut pick = (f64::NEG_INFINITY, r.members[0]);
                for (k, &m) in r.members.iter().enumerate() {
                    if counts(r, k, t, params.case) && availability[m.index()] > pick.0 {
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

#[cfg(test)]
mod tests;
