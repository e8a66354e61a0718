//! Uncertainty by sampling (issue 23; definitions in docs/metrics.md,
//! "Uncertainty"): Monte Carlo over every estimate that is a range.
//!
//! Owns: the list of sampled estimates ([`sampled_estimates`]), the draws
//! (triangular on `low`–`high` with the mid value as mode; the shares of one
//! item drawn jointly and renormalised), percentiles, top-5 rank stability and
//! rank-correlation sensitivity, all in [`Uncertainty`]; `render.rs` prints it.
//! Never: reads or writes files, prints, or lets the thread count or hash order
//! reach a result. Sample k draws from its own ChaCha stream (seed, k), and the
//! samples are collected in index order, so the result is a function of the
//! model, the options and the seed only.
//!
//! Each worker clones the model once and overwrites only the sampled numbers
//! per sample (a drawn estimate becomes a bare number); the metrics are the
//! existing ones under `Case::Mid`, so a graph without ranges gives back the
//! deterministic result exactly.

pub mod render;

use crate::analysis::{eid_unknown, embodied_import_shares, EventKind};
use crate::graph::{Assumptions, ItemIx, SupplyGraph};
use crate::model::{Case, Confidence, Estimate, Model};
use crate::output::{round9, significant12};
use crate::scenario::{headlines, sweep_systems, Headline, ScenarioSpec, SweepKind};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

/// Version tag of the JSON shape (docs/json.md).
pub const SCHEMA: &str = "chokepoint/uncertainty/1";
/// Default seed of `--seed`.
pub const DEFAULT_SEED: u64 = 1;
/// Most samples accepted by `--samples`.
pub const MAX_SAMPLES: usize = 10_000_000;
/// Rank stability counts ranks 1..=TOP.
pub const TOP: usize = 5;
/// Horizon of the losses that rank choke points by impact (as `scenario --sweep`).
pub const IMPACT_DAYS: u32 = 365;
/// Shares summing to at least 1 − this are a fully attributed item.
const FULL: f64 = 1e-9;

/// What to sample and what to measure.
#[derive(Clone, Debug, PartialEq)]
pub struct SampleOptions {
    pub samples: usize,
    pub seed: u64,
    /// Basic events of the choke points ranked (`--by`).
    pub by: EventKind,
    pub assumptions: Assumptions,
    /// Compute the rank stability of single losses and national entries
    /// (a sweep per sample; `scenario` does without).
    pub ranks: bool,
}

impl SampleOptions {
    pub fn new(samples: usize, seed: u64) -> Self {
        SampleOptions {
            samples,
            seed,
            by: EventKind::Supplier,
            assumptions: Assumptions::default(),
            ranks: true,
        }
    }
}

/// Where a sampled number sits in the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    Share {
        item: usize,
        edge: usize,
    },
    CostShare {
        item: usize,
        req: usize,
    },
    ImportShare(usize),
    MarketValue(usize),
    Stock(usize),
    Recovery(usize),
    /// qualify_days of the `k`-th standby source (spec §3.12).
    StandbyQualify {
        item: usize,
        k: usize,
    },
    /// qualify_days of member `k` of requirement `req`'s any_of (spec §3.12).
    MemberQualify {
        item: usize,
        req: usize,
        k: usize,
    },
}

/// One estimate that is a range, in model order: what is drawn.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SampledEstimate {
    /// `item.field`, e.g. `ct-tube.supply[0:varex].share`.
    pub id: String,
    pub low: f64,
    pub mode: f64,
    pub high: f64,
    pub confidence: Option<Confidence>,
    #[serde(skip)]
    slot: Slot,
}

fn estimate_at(m: &Model, slot: Slot) -> &Estimate {
    let item = |i: usize| &m.items[i];
    match slot {
        Slot::Share { item: i, edge } => &item(i).supply[edge].share,
        Slot::CostShare { item: i, req } => item(i).requires[req]
            .cost_share
            .as_deref()
            .expect("slot made from a cost share"),
        Slot::ImportShare(i) => item(i).import_share.as_deref().expect("slot"),
        Slot::MarketValue(i) => item(i).market_value.as_deref().expect("slot"),
        Slot::Stock(i) => item(i).stock_days.as_deref().expect("slot"),
        Slot::Recovery(i) => item(i).recovery_days.as_deref().expect("slot"),
        Slot::StandbyQualify { item: i, k } => {
            item(i).standby[k].qualify_days.as_deref().expect("slot")
        }
        Slot::MemberQualify { item: i, req, k } => {
            item(i).requires[req].qualify_days(k).expect("slot")
        }
    }
}

fn estimate_at_mut(m: &mut Model, slot: Slot) -> &mut Estimate {
    let (i, _) = match slot {
        Slot::Share { item, .. } | Slot::CostShare { item, .. } => (item, 0),
        Slot::ImportShare(i) | Slot::MarketValue(i) | Slot::Stock(i) | Slot::Recovery(i) => (i, 0),
        Slot::StandbyQualify { item, .. } | Slot::MemberQualify { item, .. } => (item, 0),
    };
    let item = &mut m.items[i];
    match slot {
        Slot::Share { edge, .. } => &mut item.supply[edge].share,
        Slot::CostShare { req, .. } => item.requires[req]
            .cost_share
            .as_deref_mut()
            .expect("slot made from a cost share"),
        Slot::ImportShare(_) => item.import_share.as_deref_mut().expect("slot"),
        Slot::MarketValue(_) => item.market_value.as_deref_mut().expect("slot"),
        Slot::Stock(_) => item.stock_days.as_deref_mut().expect("slot"),
        Slot::Recovery(_) => item.recovery_days.as_deref_mut().expect("slot"),
        Slot::StandbyQualify { k, .. } => {
            item.standby[k].qualify_days.as_deref_mut().expect("slot")
        }
        Slot::MemberQualify { req, k, .. } => item.requires[req]
            .member_qualify
            .as_deref_mut()
            .and_then(|q| q.get_mut(k))
            .and_then(|e| e.as_mut())
            .expect("slot"),
    }
}

/// Every estimate of the model's items that is a range (low ≠ high), in
/// declaration order: item by item, its supply shares, its requirements' cost
/// shares, then import_share, market_value, stock_days, recovery_days, standby
/// sources' and `any_of` members' qualify_days (spec §3.12). Bare
/// numbers are not listed: they stay fixed.
pub fn sampled_estimates(m: &Model) -> Vec<SampledEstimate> {
    let mut out = Vec::new();
    for (i, item) in m.items.values().enumerate() {
        let mut push = |slot: Slot, field: String| {
            let e = estimate_at(m, slot);
            if e.is_range() && e.numbers().all(f64::is_finite) {
                out.push(SampledEstimate {
                    id: format!("{}.{field}", item.id),
                    low: significant12(e.low()),
                    mode: significant12(e.mid()),
                    high: significant12(e.high()),
                    confidence: e.confidence,
                    slot,
                });
            }
        };
        for (k, edge) in item.supply.iter().enumerate() {
            let who = edge
                .supplier
                .as_ref()
                .map(|s| s.to_string())
                .or_else(|| edge.country.as_ref().map(|c| c.to_string()))
                .unwrap_or_default();
            push(
                Slot::Share { item: i, edge: k },
                format!("supply[{k}:{who}].share"),
            );
        }
        for (k, r) in item.requires.iter().enumerate() {
            if r.cost_share.is_some() {
                push(
                    Slot::CostShare { item: i, req: k },
                    format!("requires[{}].cost_share", r.target.members().join("|")),
                );
            }
        }
        if item.import_share.is_some() {
            push(Slot::ImportShare(i), "import_share".into());
        }
        if item.market_value.is_some() {
            push(Slot::MarketValue(i), "market_value".into());
        }
        if item.stock_days.is_some() {
            push(Slot::Stock(i), "stock_days".into());
        }
        if item.recovery_days.is_some() {
            push(Slot::Recovery(i), "recovery_days".into());
        }
        // Last, so that an item's shares and cost shares stay consecutive
        // (`constrain` reads them as runs).
        for (k, sb) in item.standby.iter().enumerate() {
            if sb.qualify_days.is_some() {
                let who = sb
                    .edge
                    .supplier
                    .as_ref()
                    .map(|s| s.to_string())
                    .or_else(|| sb.edge.country.as_ref().map(|c| c.to_string()))
                    .unwrap_or_default();
                push(
                    Slot::StandbyQualify { item: i, k },
                    format!("standby[{k}:{who}].qualify_days"),
                );
            }
        }
        for (req, r) in item.requires.iter().enumerate() {
            for (k, m) in r.target.members().iter().enumerate() {
                if r.qualify_days(k).is_some() {
                    push(
                        Slot::MemberQualify { item: i, req, k },
                        format!(
                            "requires[{}].qualify_days[{m}]",
                            r.target.members().join("|")
                        ),
                    );
                }
            }
        }
    }
    out
}

/// The triangular distribution's quantile function on [low, high] with mode `mode`.
pub fn triangular(low: f64, mode: f64, high: f64, u: f64) -> f64 {
    let width = high - low;
    if width <= 0.0 {
        return mode;
    }
    let left = mode - low;
    if u * width < left {
        low + (u * width * left).sqrt()
    } else {
        high - ((1.0 - u) * width * (high - mode)).sqrt()
    }
}

/// A uniform number in [0, 1) from the top 53 bits of a draw.
fn uniform(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// FNV-1a, 64 bits: a fixed hash (std's is seeded per process).
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The values of the sampled estimates in sample `index` (docs/metrics.md,
/// "Uncertainty"): one triangular draw each, then the constraints on sums.
pub fn draw(m: &Model, est: &[SampledEstimate], seed: u64, index: u64) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(index);
    // Each estimate reads its own place in the stream, found from its id: its
    // draw depends on (seed, sample, id) only, not on which other estimates
    // exist, so two graphs that share an estimate (before and after a plan)
    // draw it alike.
    let mut x: Vec<f64> = est
        .iter()
        .map(|e| {
            rng.set_word_pos(u128::from(fnv1a(&e.id)) << 1);
            triangular(e.low, e.mode, e.high, uniform(&mut rng))
        })
        .collect();
    constrain(m, est, &mut x);
    x
}

/// The joint constraints on drawn values `x` (aligned with `est`), item by
/// item: the drawn supply shares of a fully attributed item are renormalised
/// to keep its sum; any other drawn shares, and drawn cost shares, are scaled
/// down only when their sum with the fixed ones would pass 1.
pub fn constrain(m: &Model, est: &[SampledEstimate], x: &mut [f64]) {
    // The sampled shares of an item are consecutive in `est` (model order).
    let mut k = 0;
    while k < est.len() {
        let (item, is_share) = match est[k].slot {
            Slot::Share { item, .. } => (item, true),
            Slot::CostShare { item, .. } => (item, false),
            _ => {
                k += 1;
                continue;
            }
        };
        let end = k + est[k..]
            .iter()
            .take_while(|e| match e.slot {
                Slot::Share { item: i, .. } => is_share && i == item,
                Slot::CostShare { item: i, .. } => !is_share && i == item,
                _ => false,
            })
            .count();
        let it = &m.items[item];
        let all: Vec<&Estimate> = if is_share {
            it.supply.iter().map(|e| &e.share).collect()
        } else {
            it.requires
                .iter()
                .filter_map(|r| r.cost_share.as_deref())
                .collect()
        };
        let mid_sum: f64 = all.iter().map(|e| e.mid()).sum();
        let fixed: f64 = all.iter().filter(|e| !e.is_range()).map(|e| e.mid()).sum();
        let drawn: f64 = x[k..end].iter().sum();
        // Fully attributed supply stays fully attributed; any other sum may move
        // but never passes 1.
        let target = if is_share && mid_sum >= 1.0 - FULL {
            Some(mid_sum - fixed)
        } else if fixed + drawn > 1.0 {
            Some(1.0 - fixed)
        } else {
            None
        };
        if let Some(t) = target {
            if drawn > 0.0 {
                let f = t.max(0.0) / drawn;
                x[k..end].iter_mut().for_each(|v| *v *= f);
            }
        }
        k = end;
    }
}

/// Writes drawn values into a model: each sampled estimate becomes a bare number.
fn fill(m: &mut Model, est: &[SampledEstimate], values: &[f64]) {
    for (e, &v) in est.iter().zip(values) {
        let target = estimate_at_mut(m, e.slot);
        target.value = Some(v);
        target.low = None;
        target.high = None;
    }
}

/// The P5 / P50 / P95 of a result and its deterministic (mid-case) value.
/// `None` stands for +∞: a system that survives the horizon (TTS only).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Band {
    pub deterministic: Option<f64>,
    pub p5: Option<f64>,
    pub p50: Option<f64>,
    pub p95: Option<f64>,
}

/// The p-quantile (0 ≤ p ≤ 1) of sorted values by linear interpolation between
/// the order statistics at h = (n − 1)·p (Hyndman–Fan type 7); +∞ stays +∞.
pub fn quantile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    let frac = h - lo as f64;
    let (a, b) = (sorted[lo], sorted[hi]);
    if frac == 0.0 || a == b {
        a
    } else if b.is_infinite() {
        b
    } else {
        a + frac * (b - a)
    }
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then(|| round9(x))
}

impl Band {
    fn of(deterministic: f64, samples: &[f64]) -> Band {
        let mut s: Vec<f64> = samples.to_vec();
        s.sort_by(f64::total_cmp);
        Band {
            deterministic: finite(deterministic),
            p5: finite(quantile(&s, 0.05)),
            p50: finite(quantile(&s, 0.50)),
            p95: finite(quantile(&s, 0.95)),
        }
    }
}

/// A system's embodied import share across the samples.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SystemBand {
    pub id: String,
    /// `None` when EID is unknown (coverage 0) in the deterministic run.
    pub embodied_import_share: Option<Band>,
}

/// One system in one scenario across the samples.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioSystemBand {
    pub id: String,
    /// `null` percentiles: the system survives the horizon.
    pub tts: Band,
    pub lost_production: Band,
    /// `None` without a market value.
    pub impact: Option<Band>,
    pub delta_cost: Band,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioBand {
    pub id: String,
    pub name: String,
    pub days: u32,
    pub total_impact: Band,
    pub systems: Vec<ScenarioSystemBand>,
}

/// A choke point's impact across the samples and how often it ranks in the top 5.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RankStability {
    /// Event ids (one for a single loss; sorted).
    pub events: Vec<String>,
    /// Rank by deterministic impact (1 = largest).
    pub rank: usize,
    /// Σ PI over the systems when the events fail for [`IMPACT_DAYS`] days.
    pub impact: Band,
    /// Fraction of samples in which it ranks 1..=5 by impact.
    pub top5: f64,
}

/// How much of a headline result's variance one estimate explains.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sensitivity {
    pub estimate: String,
    pub low: f64,
    pub mode: f64,
    pub high: f64,
    pub confidence: Option<Confidence>,
    /// The headline result it moves most: `eid:SYSTEM`, `pi:SCENARIO:SYSTEM`
    /// (`lp:` without a market value) or `total_pi:SCENARIO`.
    pub result: String,
    /// Spearman's rank correlation between the estimate and the result.
    pub rho: f64,
    /// ρ²: the share of the result's (rank) variance it explains.
    pub explained: f64,
}

/// The result of [`sample`]; its JSON form is documented in docs/json.md.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Uncertainty {
    pub schema: &'static str,
    pub samples: usize,
    pub seed: u64,
    pub distribution: &'static str,
    pub currency: String,
    pub by: EventKind,
    /// How many estimates are ranges (and drawn); the others stay fixed.
    pub estimates_sampled: usize,
    pub systems: Vec<SystemBand>,
    pub scenarios: Vec<ScenarioBand>,
    /// Every single loss (each supplier, or each foreign country, by `by`).
    pub single_losses: Vec<RankStability>,
    /// Every entry of the national choke-point list (order ≤ 2).
    pub national: Vec<RankStability>,
    /// One row per sampled estimate, most explaining first.
    pub sensitivity: Vec<Sensitivity>,
}

/// What one sample measures.
struct Measured {
    eid: Vec<f64>,
    heads: Vec<Vec<Headline>>,
    singles: Vec<f64>,
    national: Vec<f64>,
}

/// The national entries that can be failed as a scenario (a set with an
/// unnamed producer cannot: failing its country fails every source there).
fn national_specs(g: &SupplyGraph, by: EventKind) -> Vec<(Vec<String>, ScenarioSpec)> {
    let opts = crate::analysis::AnalyzeOptions {
        by,
        top: 0,
        list_max: Some(0),
        ..Default::default()
    };
    let Ok(a) = crate::analysis::analyze(g, &opts) else {
        return Vec::new();
    };
    a.national
        .iter()
        .filter_map(|n| {
            let mut spec = ScenarioSpec::baseline(IMPACT_DAYS);
            spec.id = n.events.join("+");
            for e in &n.events {
                match (g.supplier_ix(e), g.country_ix(e), by) {
                    (Some(s), _, EventKind::Supplier) => spec.failed_suppliers.push(s),
                    (_, Some(c), EventKind::Country) => spec.failed_countries.push(c),
                    _ => return None,
                }
            }
            Some((n.events.clone(), spec))
        })
        .collect()
}

fn measure(
    g: &SupplyGraph,
    specs: &[ScenarioSpec],
    systems: &[ItemIx],
    national: &[(Vec<String>, ScenarioSpec)],
    opts: &SampleOptions,
) -> Measured {
    let eid_all = embodied_import_shares(g, Case::Mid);
    let eid = systems
        .iter()
        .map(|s| eid_all[s.index()].map_or(f64::NAN, |(e, _)| e))
        .collect();
    let heads = headlines(g, specs, Case::Mid, systems);
    let (singles, national) = if opts.ranks {
        let kind = match opts.by {
            // `--by parent` is refused with --samples (no parent sweep).
            EventKind::Supplier | EventKind::Parent => SweepKind::Supplier,
            EventKind::Country => SweepKind::Country,
        };
        let rows = sweep_systems(g, kind, IMPACT_DAYS, Case::Mid, systems);
        let singles = crate::scenario::sweep_candidates(g, kind)
            .iter()
            .map(|&(c, s)| {
                rows.iter()
                    .find(|r| r.country == c && r.supplier == s)
                    .map_or(0.0, |r| r.impact)
            })
            .collect();
        let nat_specs: Vec<ScenarioSpec> = national.iter().map(|(_, s)| s.clone()).collect();
        let national = headlines(g, &nat_specs, Case::Mid, systems)
            .iter()
            .map(|hs| hs.iter().filter_map(|h| h.impact).fold(0.0, |a, x| a + x))
            .collect();
        (singles, national)
    } else {
        (Vec::new(), Vec::new())
    };
    Measured {
        eid,
        heads,
        singles,
        national,
    }
}

/// Average ranks (1-based; ties share their mean rank).
fn ranks(x: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]).then(a.cmp(&b)));
    let mut r = vec![0.0; x.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && x[idx[j + 1]].total_cmp(&x[idx[i]]).is_eq() {
            j += 1;
        }
        let mean = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            r[k] = mean;
        }
        i = j + 1;
    }
    r
}

/// Pearson correlation of two rank vectors; `None` when either is constant.
fn correlation(a: &[f64], b: &[f64]) -> Option<f64> {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        let (dx, dy) = (x - ma, y - mb);
        sab += dx * dy;
        saa += dx * dx;
        sbb += dy * dy;
    }
    (saa > 0.0 && sbb > 0.0).then(|| sab / (saa * sbb).sqrt())
}

/// How often each candidate ranks in the top 5 by impact: per sample, ranked
/// by impact (descending), ties in deterministic order.
fn top5(samples: &[Vec<f64>], order: &[usize]) -> Vec<f64> {
    let n = order.len();
    let mut hits = vec![0usize; n];
    for s in samples {
        let mut idx: Vec<usize> = order.to_vec();
        idx.sort_by(|&a, &b| s[b].total_cmp(&s[a]));
        for &k in idx.iter().take(TOP) {
            hits[k] += 1;
        }
    }
    hits.iter()
        .map(|&h| round9(h as f64 / samples.len().max(1) as f64))
        .collect()
}

fn rank_stability(
    names: Vec<Vec<String>>,
    deterministic: &[f64],
    samples: &[Vec<f64>],
) -> Vec<RankStability> {
    // Deterministic order: impact descending, ties in candidate order.
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|&a, &b| deterministic[b].total_cmp(&deterministic[a]));
    let p = top5(samples, &order);
    let mut rows: Vec<RankStability> = order
        .iter()
        .enumerate()
        .map(|(r, &k)| {
            let column: Vec<f64> = samples.iter().map(|s| s[k]).collect();
            RankStability {
                events: names[k].clone(),
                rank: r + 1,
                impact: Band::of(deterministic[k], &column),
                top5: p[k],
            }
        })
        .collect();
    rows.sort_by_key(|r| r.rank);
    rows
}

/// Monte Carlo over every estimate of `model` that is a range (docs/metrics.md,
/// "Uncertainty"): percentiles of EID per system and of TTS, LP, PI and Δcost
/// per system and scenario, top-5 rank stability of single losses and national
/// entries, and per-estimate sensitivity. `specs` are resolved against a graph
/// of `model` under `opts.assumptions`; `systems` are the reported systems.
pub fn sample(
    model: &Model,
    specs: &[ScenarioSpec],
    systems: &[ItemIx],
    opts: &SampleOptions,
) -> Uncertainty {
    let n = opts.samples.max(1);
    let est = sampled_estimates(model);
    let g0 = SupplyGraph::with_assumptions(model, opts.assumptions);
    let national = if opts.ranks {
        national_specs(&g0, opts.by)
    } else {
        Vec::new()
    };
    let base = measure(&g0, specs, systems, &national, opts);
    let kind = match opts.by {
        // `--by parent` is refused with --samples (no parent sweep).
        EventKind::Supplier | EventKind::Parent => SweepKind::Supplier,
        EventKind::Country => SweepKind::Country,
    };
    let single_names: Vec<Vec<String>> = if opts.ranks {
        crate::scenario::sweep_candidates(&g0, kind)
            .iter()
            .map(|&(c, s)| match (c, s) {
                (Some(c), _) => vec![g0.country(c).to_string()],
                (None, Some(s)) => vec![g0.supplier(s).id.to_string()],
                (None, None) => Vec::new(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let eid_known: Vec<bool> = {
        let all = embodied_import_shares(&g0, Case::Mid);
        systems
            .iter()
            .map(|s| all[s.index()].is_some_and(|(_, c)| !eid_unknown(&g0, *s, c)))
            .collect()
    };
    drop(g0);

    let runs: Vec<(Vec<f64>, Measured)> = (0..n as u64)
        .into_par_iter()
        .map_init(
            || model.clone(),
            |m, k| {
                let values = draw(model, &est, opts.seed, k);
                fill(m, &est, &values);
                let g = SupplyGraph::with_assumptions(m, opts.assumptions);
                let measured = measure(&g, specs, systems, &national, opts);
                (values, measured)
            },
        )
        .collect();

    let column =
        |f: &dyn Fn(&Measured) -> f64| -> Vec<f64> { runs.iter().map(|(_, r)| f(r)).collect() };
    let lp_or_pi = |h: &Headline| h.impact.unwrap_or(h.lost_production);
    let tts = |h: &Headline| h.tts.map_or(f64::INFINITY, f64::from);

    let system_bands: Vec<SystemBand> = systems
        .iter()
        .enumerate()
        .map(|(k, &s)| SystemBand {
            id: model.items[s.index()].id.to_string(),
            embodied_import_share: eid_known[k]
                .then(|| Band::of(base.eid[k], &column(&|r: &Measured| r.eid[k]))),
        })
        .collect();

    // Headline results for the sensitivity: name and series.
    let mut results: Vec<(String, Vec<f64>)> = Vec::new();
    for (k, &s) in systems.iter().enumerate() {
        if eid_known[k] {
            results.push((
                format!("eid:{}", model.items[s.index()].id),
                column(&|r: &Measured| r.eid[k]),
            ));
        }
    }
    let scenario_bands: Vec<ScenarioBand> = specs
        .iter()
        .enumerate()
        .map(|(j, spec)| {
            let total =
                |hs: &[Headline]| hs.iter().filter_map(|h| h.impact).fold(0.0, |a, x| a + x);
            let totals = column(&|r: &Measured| total(&r.heads[j]));
            results.push((format!("total_pi:{}", spec.id), totals.clone()));
            ScenarioBand {
                id: spec.id.clone(),
                name: spec.name.clone(),
                days: spec.days.max(1),
                total_impact: Band::of(total(&base.heads[j]), &totals),
                systems: systems
                    .iter()
                    .enumerate()
                    .map(|(k, &s)| {
                        let b = &base.heads[j][k];
                        let id = model.items[s.index()].id.to_string();
                        let col = |f: &dyn Fn(&Headline) -> f64| {
                            column(&|r: &Measured| f(&r.heads[j][k]))
                        };
                        let key = if b.impact.is_some() { "pi" } else { "lp" };
                        results.push((format!("{key}:{}:{id}", spec.id), col(&lp_or_pi)));
                        ScenarioSystemBand {
                            tts: Band::of(tts(b), &col(&tts)),
                            lost_production: Band::of(
                                b.lost_production,
                                &col(&|h: &Headline| h.lost_production),
                            ),
                            impact: b.impact.map(|v| {
                                Band::of(v, &col(&|h: &Headline| h.impact.unwrap_or(f64::NAN)))
                            }),
                            delta_cost: Band::of(b.delta_cost, &col(&|h: &Headline| h.delta_cost)),
                            id,
                        }
                    })
                    .collect(),
            }
        })
        .collect();

    let singles: Vec<Vec<f64>> = runs.iter().map(|(_, r)| r.singles.clone()).collect();
    let nats: Vec<Vec<f64>> = runs.iter().map(|(_, r)| r.national.clone()).collect();
    let single_losses = if opts.ranks {
        rank_stability(single_names, &base.singles, &singles)
    } else {
        Vec::new()
    };
    let national_rows = if opts.ranks {
        rank_stability(
            national.iter().map(|(e, _)| e.clone()).collect(),
            &base.national,
            &nats,
        )
    } else {
        Vec::new()
    };

    // Sensitivity: Spearman's ρ of each estimate with each headline result.
    let result_ranks: Vec<(String, Vec<f64>)> = results
        .into_iter()
        .filter(|(_, v)| v.iter().all(|x| x.is_finite()))
        .map(|(name, v)| (name, ranks(&v)))
        .collect();
    let mut sensitivity: Vec<Sensitivity> = est
        .par_iter()
        .enumerate()
        .map(|(k, e)| {
            let xs: Vec<f64> = runs.iter().map(|(v, _)| v[k]).collect();
            let rx = ranks(&xs);
            let mut best: Option<(&str, f64)> = None;
            for (name, ry) in &result_ranks {
                if let Some(rho) = correlation(&rx, ry) {
                    if best.is_none_or(|(_, b)| rho.abs() > b.abs() + 1e-12) {
                        best = Some((name, rho));
                    }
                }
            }
            let (result, rho) = best.map_or((String::new(), 0.0), |(n, r)| (n.to_string(), r));
            Sensitivity {
                estimate: e.id.clone(),
                low: e.low,
                mode: e.mode,
                high: e.high,
                confidence: e.confidence,
                result,
                rho: round9(rho),
                explained: round9(rho * rho),
            }
        })
        .collect();
    // Stable: ties keep model order.
    sensitivity.sort_by(|a, b| b.explained.total_cmp(&a.explained));

    Uncertainty {
        schema: SCHEMA,
        samples: n,
        seed: opts.seed,
        distribution: "triangular",
        currency: model.meta.currency.clone(),
        by: opts.by,
        estimates_sampled: est.len(),
        systems: system_bands,
        scenarios: scenario_bands,
        single_losses,
        national: national_rows,
        sensitivity,
    }
}

/// The scenarios declared in the graph, resolved: what `analyze`, `report` and
/// `mitigate` sample.
pub fn declared_specs(g: &SupplyGraph) -> Vec<ScenarioSpec> {
    g.model()
        .scenarios
        .values()
        .map(|s| ScenarioSpec::from_declared(g, s))
        .collect()
}

/// `mitigate --samples`: the plan's scenarios sampled before and after its
/// actions, with the same seed (the same draws for every estimate both graphs share).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanUncertainty {
    pub schema: &'static str,
    /// The plan's actions, in step order.
    pub actions: Vec<String>,
    pub before: Uncertainty,
    pub after: Uncertainty,
}

/// Version tag of [`PlanUncertainty`]'s JSON shape.
pub const PLAN_SCHEMA: &str = "chokepoint/mitigate-uncertainty/1";

impl PlanUncertainty {
    /// Samples `before` and `after` over the declared scenarios named in
    /// `scenarios` (all declared ones when empty), every system.
    pub fn new(
        before: &Model,
        after: &Model,
        scenarios: &[String],
        actions: Vec<String>,
        opts: &SampleOptions,
    ) -> Self {
        let one = |m: &Model| {
            let g = SupplyGraph::with_assumptions(m, opts.assumptions);
            let specs: Vec<ScenarioSpec> = declared_specs(&g)
                .into_iter()
                .filter(|s| scenarios.is_empty() || scenarios.contains(&s.id))
                .collect();
            let systems = g.systems().to_vec();
            drop(g);
            sample(m, &specs, &systems, opts)
        };
        PlanUncertainty {
            schema: PLAN_SCHEMA,
            actions,
            before: one(before),
            after: one(after),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_7_quantiles_interpolate() {
        let s = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&s, 0.5), 3.0);
        // h = 4 · 0.05 = 0.2 → 1 + 0.2 · (2 − 1)
        assert!((quantile(&s, 0.05) - 1.2).abs() < 1e-12);
        assert!((quantile(&s, 0.95) - 4.8).abs() < 1e-12);
        assert_eq!(quantile(&[1.0, f64::INFINITY], 0.5), f64::INFINITY);
        assert_eq!(quantile(&[1.0, f64::INFINITY], 0.0), 1.0);
    }

    #[test]
    fn triangular_quantiles_are_the_closed_form() {
        // Tri(0.2, 0.3, 0.7): F(0.3) = 0.2; median 0.7 − sqrt(0.5 · 0.5 · 0.4) = 0.383772…
        assert!((triangular(0.2, 0.3, 0.7, 0.2) - 0.3).abs() < 1e-12);
        assert!((triangular(0.2, 0.3, 0.7, 0.5) - (0.7 - 0.1f64.sqrt())).abs() < 1e-12);
        assert_eq!(triangular(0.2, 0.3, 0.7, 0.0), 0.2);
        assert_eq!(triangular(0.5, 0.5, 0.5, 0.9), 0.5);
    }

    #[test]
    fn ranks_average_ties() {
        assert_eq!(ranks(&[3.0, 1.0, 3.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
        assert_eq!(correlation(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]), Some(-1.0));
        assert_eq!(correlation(&[1.0, 1.0], &[1.0, 2.0]), None);
    }
}
