//! Scenarios (spec §3.6, §3.7, §3.9): day-by-day exposure when countries,
//! suppliers or items fail, tariff cost impact, and single-loss sweeps ranked by
//! the risk exposure index.
//!
//! Owns: [`ScenarioSpec`] (a scenario resolved to graph indices), [`simulate`] and
//! [`sweep`], and the plain-language explanation of each outcome.
//! Never: mutates the model or the graph (everything here is a pure function of
//! a `&SupplyGraph`), reads or writes files, or prints. Memory stays
//! O(items + systems × days): only the systems' daily series are kept.
//!
//! Decisions the spec leaves open are written down in docs/metrics.md
//! ("Scenario metrics").

mod compare;
mod engine;
mod explain;
pub mod render;
mod sweep;
mod tariff;

pub use compare::{vs_baseline, ScenarioEntry, ScenariosDocument, SystemDelta, SCENARIO_SCHEMA};
pub use engine::STOCK_TOLERANCE;
pub use sweep::{sweep, sweep_candidates, sweep_systems, sweep_with_progress, SweepKind, SweepRow};
pub use tariff::tariff_rates;

use crate::graph::{CountryIx, ItemIx, SupplierIx, SupplyGraph};
use crate::model::{self, Case};
use indexmap::IndexMap;
use serde::{Serialize, Serializer};
use std::collections::VecDeque;

/// Days on which per-system output is reported (those inside the horizon, plus
/// the horizon's last day D−1).
pub const CHECKPOINT_DAYS: [u32; 5] = [0, 30, 90, 180, 365];
/// How many of the earliest short items each system lists.
pub const MAX_SHORT_ITEMS: usize = 5;

/// A scenario resolved to graph indices: what fails, which tariffs apply, for how long.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioSpec {
    pub id: String,
    pub name: String,
    pub failed_countries: Vec<CountryIx>,
    pub failed_suppliers: Vec<SupplierIx>,
    pub failed_items: Vec<ItemIx>,
    /// Ad valorem rate by origin country: 1.25 = 125 %.
    pub tariffs: Vec<(CountryIx, f64)>,
    /// Horizon D: days t = 0..D−1 (a horizon of 0 is run as 1 day).
    pub days: u32,
}

impl ScenarioSpec {
    /// Resolves a scenario declared in the graph. Every id of a validated model
    /// resolves; one that does not (a hand-built model) is skipped, never a panic.
    pub fn from_declared(g: &SupplyGraph, s: &model::Scenario) -> Self {
        ScenarioSpec {
            id: s.id.to_string(),
            name: s.name.clone(),
            failed_countries: s
                .fail
                .countries
                .iter()
                .filter_map(|c| g.country_ix(c.as_str()))
                .collect(),
            failed_suppliers: s
                .fail
                .suppliers
                .iter()
                .filter_map(|x| g.supplier_ix(x.as_str()))
                .collect(),
            failed_items: s
                .fail
                .items
                .iter()
                .filter_map(|x| g.item_ix(x.as_str()))
                .collect(),
            tariffs: s
                .tariffs
                .iter()
                .filter_map(|(c, r)| g.country_ix(c.as_str()).map(|ix| (ix, *r)))
                .collect(),
            days: s.duration_days,
        }
    }

    /// Nothing failed, no tariffs: the reference every scenario is compared with.
    pub fn baseline(days: u32) -> Self {
        ScenarioSpec {
            id: "baseline".into(),
            name: "Baseline (nothing failed, no tariffs)".into(),
            failed_countries: Vec::new(),
            failed_suppliers: Vec::new(),
            failed_items: Vec::new(),
            tariffs: Vec::new(),
            days,
        }
    }

    /// True when the scenario fails nothing and sets no tariff.
    pub fn is_baseline(&self) -> bool {
        self.failed_countries.is_empty()
            && self.failed_suppliers.is_empty()
            && self.failed_items.is_empty()
            && self.tariffs.iter().all(|(_, r)| *r == 0.0)
    }
}

/// The ids a scenario fails, for output.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FailedIds {
    pub countries: Vec<String>,
    pub suppliers: Vec<String>,
    pub items: Vec<String>,
}

/// Output on one reported day.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Checkpoint {
    pub day: u32,
    #[serde(serialize_with = "round")]
    pub output: f64,
}

/// An item below a system that runs short.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShortItem {
    #[serde(skip)]
    pub item: ItemIx,
    pub id: String,
    /// First day t with E(t) < 1.
    pub first_short_day: u32,
    /// a_i: the share of its own supply that survives.
    #[serde(serialize_with = "round")]
    pub surviving_share: f64,
    /// A shortest requirement path from the system down to the item (both included).
    #[serde(skip)]
    pub path: Vec<ItemIx>,
    /// `path` as ids.
    pub path_ids: Vec<String>,
}

/// Why a system first falls short: the binding chain on its TTS day, ending at
/// the item whose own supply is the constraint.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cause {
    #[serde(skip)]
    pub item: ItemIx,
    /// Id of the originating item.
    pub id: String,
    /// From the system down to the originating item (both included).
    #[serde(skip)]
    pub chain: Vec<ItemIx>,
    pub chain_ids: Vec<String>,
    /// The item itself is failed (a = 0).
    pub item_failed: bool,
    /// 1 − a: the share of its own supply lost.
    #[serde(serialize_with = "round")]
    pub supply_lost: f64,
    /// Failed countries (codes) and failed suppliers (ids) that cut it, in edge order.
    pub cut_by: Vec<String>,
    /// `cut_by` as indices.
    #[serde(skip)]
    pub cut_by_ix: Vec<CutBy>,
    #[serde(serialize_with = "round")]
    pub stock_days: f64,
    pub first_short_day: u32,
    #[serde(serialize_with = "round_opt")]
    pub recovery_days: Option<f64>,
}

/// A failed basic event that cuts an item's supply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CutBy {
    Country(CountryIx),
    Supplier(SupplierIx),
}

/// One system under one scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SystemOutcome {
    #[serde(skip)]
    pub system: ItemIx,
    pub id: String,
    pub name: String,
    pub name_zh: Option<String>,
    /// O(0) > 0: some output is possible on the first day.
    pub buildable_day0: bool,
    /// Time to survive: the first day with O(t) < 1; None = survives the horizon.
    pub tts: Option<u32>,
    /// O(t) for t = 0..D−1 (not serialized; see `--timeline`).
    #[serde(skip)]
    pub output: Vec<f64>,
    pub checkpoints: Vec<Checkpoint>,
    #[serde(serialize_with = "round")]
    pub min_output: f64,
    /// First day from which output stays full to the end of the horizon, after a shortage.
    pub full_again_day: Option<u32>,
    /// LP = Σ_t (1 − O(t)), in days of full output.
    #[serde(serialize_with = "round")]
    pub lost_production: f64,
    #[serde(serialize_with = "round_opt")]
    pub market_value: Option<f64>,
    /// PI = LP · market_value / 365 in the graph's currency; None without market_value.
    #[serde(serialize_with = "round_opt")]
    pub impact: Option<f64>,
    /// Δcost = rate(system) of §3.7, a fraction of the system's cost.
    #[serde(serialize_with = "round")]
    pub delta_cost: f64,
    /// The earliest short items below the system (at most [`MAX_SHORT_ITEMS`]).
    pub short_items: Vec<ShortItem>,
    /// Why it first falls short (on its TTS day).
    pub cause: Option<Cause>,
    /// Why it reaches the low point of that first shortage spell, when that is a
    /// later day with a different originating item.
    pub deepest_cause: Option<Cause>,
    pub explanation: String,
    pub explanation_zh: String,
}

/// An item that runs short somewhere in the graph.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ItemShortage {
    #[serde(skip)]
    pub item: ItemIx,
    pub id: String,
    pub first_short_day: u32,
    #[serde(serialize_with = "round")]
    pub surviving_share: f64,
}

/// A failed supply edge whose item runs short before it recovers (TTS < recovery_days).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExposedSource {
    #[serde(skip)]
    pub item_ix: ItemIx,
    pub item: String,
    /// `None` for unnamed producers.
    pub supplier: Option<String>,
    pub country: String,
    /// ŵ_e.
    #[serde(serialize_with = "round")]
    pub share: f64,
    /// The item's time to survive (its first short day).
    pub tts: u32,
    /// None = no recovery_days (no recovery within the horizon).
    #[serde(serialize_with = "round_opt")]
    pub recovery_days: Option<f64>,
}

/// A source stopped only through export-control reach (spec §3.11, `--reach`):
/// its own country and supplier stand, but the issuer of one of the item's
/// regimes is failed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReachedSource {
    #[serde(skip)]
    pub item_ix: ItemIx,
    pub item: String,
    /// `None` for unnamed producers.
    pub supplier: Option<String>,
    /// Where it is made (not the issuer).
    pub country: String,
    /// ŵ_e.
    #[serde(serialize_with = "round")]
    pub share: f64,
    /// The item's regimes whose issuing country the scenario fails, with it.
    pub regimes: Vec<(String, String)>,
}

/// Everything a scenario does to the graph.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioOutcome {
    pub id: String,
    pub name: String,
    pub case: Case,
    pub days: u32,
    pub currency: String,
    pub failed: FailedIds,
    pub tariffs: IndexMap<String, f64>,
    pub checkpoint_days: Vec<u32>,
    pub systems: Vec<SystemOutcome>,
    /// Σ LP over the reported systems.
    #[serde(serialize_with = "round")]
    pub total_lost_production: f64,
    /// Σ PI over the reported systems with a market value.
    #[serde(serialize_with = "round")]
    pub total_impact: f64,
    /// Every item that runs short, by first short day, then declaration order.
    pub short_items: Vec<ItemShortage>,
    pub exposed_sources: Vec<ExposedSource>,
    /// Sources under the reported systems that fail only through
    /// export-control reach, in declaration order (only with `--reach`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reached_sources: Vec<ReachedSource>,
    /// First short day per item (indexed by ItemIx), for diagrams.
    #[serde(skip)]
    pub item_first_short: Vec<Option<u32>>,
    /// a_i per item (indexed by ItemIx).
    #[serde(skip)]
    pub item_surviving: Vec<f64>,
    /// The items the scenario fails, as indices.
    #[serde(skip)]
    pub failed_item_ixs: Vec<ItemIx>,
}

impl ScenarioOutcome {
    /// The first short day of an item, if it runs short.
    pub fn first_short_day(&self, item: ItemIx) -> Option<u32> {
        self.item_first_short.get(item.index()).copied().flatten()
    }
    /// Whether the scenario fails the item itself.
    pub fn item_failed(&self, item: ItemIx) -> bool {
        self.failed_item_ixs.contains(&item)
    }
    pub fn system(&self, system: ItemIx) -> Option<&SystemOutcome> {
        self.systems.iter().find(|s| s.system == system)
    }
}

/// Runs the scenario for every system of the graph.
pub fn simulate(g: &SupplyGraph, spec: &ScenarioSpec, case: Case) -> ScenarioOutcome {
    simulate_systems(g, spec, case, g.systems())
}

/// Runs the scenario, reporting the given systems (all items are still simulated).
pub fn simulate_systems(
    g: &SupplyGraph,
    spec: &ScenarioSpec,
    case: Case,
    systems: &[ItemIx],
) -> ScenarioOutcome {
    let days = spec.days.max(1);
    let params = engine::CaseParams::new(g, case);
    let failure = engine::Failure::from_spec(g, spec);
    let run = engine::run(g, &params, &failure, days, systems, true);
    let rates = tariff::tariff_rates(g, &spec.tariffs, case);
    let checkpoint_days = checkpoint_days(days);
    let id_of = |i: ItemIx| g.item(i).id.to_string();

    let mut out_systems = Vec::with_capacity(systems.len());
    for (k, &s) in systems.iter().enumerate() {
        let output = run.series[k].clone();
        let tts = output.iter().position(|o| *o < 1.0).map(|t| t as u32);
        let lost_production: f64 = output.iter().map(|o| 1.0 - o).fold(0.0, |acc, x| acc + x);
        let market_value = params.market_value[s.index()];
        let last_short = output.iter().rposition(|o| *o < 1.0);
        let full_again_day = match last_short {
            Some(l) if l + 1 < output.len() => Some(l as u32 + 1),
            _ => None,
        };
        let short_items = earliest_short_items(g, s, &run);
        let cause = run.chains[k]
            .as_ref()
            .map(|chain| make_cause(g, &params, &failure, &run, chain));
        let deepest_cause = match (tts, &cause) {
            (Some(t), Some(first)) => {
                let low_day = spell_low_point(&output, t).0;
                if low_day > t {
                    let chain = engine::chain_on_day(g, &params, &failure, &run.steps, s, low_day);
                    let c = make_cause(g, &params, &failure, &run, &chain);
                    (c.item != first.item).then_some(c)
                } else {
                    None
                }
            }
            _ => None,
        };
        let mut so = SystemOutcome {
            system: s,
            id: id_of(s),
            name: g.item(s).name.clone(),
            name_zh: g.item(s).name_zh.clone(),
            buildable_day0: output.first().is_some_and(|o| *o > STOCK_TOLERANCE),
            tts,
            checkpoints: checkpoint_days
                .iter()
                .map(|&d| Checkpoint {
                    day: d,
                    output: output[d as usize],
                })
                .collect(),
            min_output: output.iter().copied().fold(1.0, f64::min),
            full_again_day,
            lost_production,
            market_value,
            impact: market_value.map(|mv| lost_production * mv / 365.0),
            delta_cost: rates[s.index()],
            short_items,
            cause,
            deepest_cause,
            output,
            explanation: String::new(),
            explanation_zh: String::new(),
        };
        so.explanation = explain::sentence(g, &so, days, model::Lang::En);
        so.explanation_zh = explain::sentence(g, &so, days, model::Lang::Zh);
        out_systems.push(so);
    }

    // Items outside the reported systems' BOMs (another system's, with `--system`)
    // are not listed.
    let relevant = under_systems(g, systems);
    let mut short_items: Vec<ItemShortage> = g
        .items()
        .filter(|i| relevant[i.index()])
        .filter_map(|i| {
            run.first_short[i.index()].map(|d| ItemShortage {
                item: i,
                id: id_of(i),
                first_short_day: d,
                surviving_share: run.surviving[i.index()],
            })
        })
        .collect();
    short_items.sort_by_key(|s| (s.first_short_day, s.item));

    let mut exposed_sources = Vec::new();
    for i in g.items().filter(|i| relevant[i.index()]) {
        let Some(tts) = run.first_short[i.index()] else {
            continue;
        };
        let recovery = params.recovery[i.index()];
        if (tts as f64) >= recovery {
            continue;
        }
        // A failed item is not a failed source (docs/metrics.md, "Exposed sources").
        if failure.items[i.index()] {
            continue;
        }
        for (k, src) in g.sources(i).iter().enumerate() {
            if failure.edge_fails(g, i, k) {
                exposed_sources.push(ExposedSource {
                    item_ix: i,
                    item: id_of(i),
                    supplier: src.supplier.map(|s| g.supplier(s).id.to_string()),
                    country: g.country(src.country).to_string(),
                    share: params.weights(i.index()).sources[k],
                    tts,
                    recovery_days: recovery.is_finite().then_some(recovery),
                });
            }
        }
    }

    let mut reached_sources = Vec::new();
    for i in g.items().filter(|i| relevant[i.index()]) {
        if failure.items[i.index()] {
            continue;
        }
        for (k, src) in g.sources(i).iter().enumerate() {
            if !failure.reaches(g, i, k)
                || src.supplier.is_some_and(|s| failure.suppliers[s.index()])
            {
                continue;
            }
            let meta = &g.model().meta;
            let regimes = g
                .item(i)
                .export_controls
                .iter()
                .filter_map(|r| {
                    let issuer = meta.regimes.get(r)?;
                    let c = g.country_ix(issuer.as_str())?;
                    (failure.countries[c.index()] && c != src.country)
                        .then(|| (r.clone(), issuer.to_string()))
                })
                .collect();
            reached_sources.push(ReachedSource {
                item_ix: i,
                item: id_of(i),
                supplier: src.supplier.map(|s| g.supplier(s).id.to_string()),
                country: g.country(src.country).to_string(),
                share: params.weights(i.index()).sources[k],
                regimes,
            });
        }
    }

    ScenarioOutcome {
        id: spec.id.clone(),
        name: spec.name.clone(),
        case,
        days,
        currency: g.model().meta.currency.clone(),
        failed: FailedIds {
            countries: spec
                .failed_countries
                .iter()
                .filter(|c| c.index() < g.country_count())
                .map(|c| g.country(*c).to_string())
                .collect(),
            suppliers: spec
                .failed_suppliers
                .iter()
                .filter(|s| s.index() < g.supplier_count())
                .map(|s| g.supplier(*s).id.to_string())
                .collect(),
            items: spec
                .failed_items
                .iter()
                .filter(|i| i.index() < g.item_count())
                .map(|i| id_of(*i))
                .collect(),
        },
        tariffs: spec
            .tariffs
            .iter()
            .filter(|(c, _)| c.index() < g.country_count())
            .map(|(c, r)| (g.country(*c).to_string(), *r))
            .collect(),
        checkpoint_days,
        total_lost_production: out_systems
            .iter()
            .map(|s| s.lost_production)
            .fold(0.0, |acc, x| acc + x),
        total_impact: out_systems
            .iter()
            .filter_map(|s| s.impact)
            .fold(0.0, |acc, x| acc + x),
        systems: out_systems,
        short_items,
        exposed_sources,
        reached_sources,
        item_first_short: run.first_short,
        item_surviving: run.surviving,
        failed_item_ixs: spec.failed_items.clone(),
    }
}

/// The headline numbers of one system in one scenario: TTS, LP, PI and Δcost,
/// computed exactly as [`simulate_systems`] computes them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Headline {
    pub tts: Option<u32>,
    pub lost_production: f64,
    pub impact: Option<f64>,
    pub delta_cost: f64,
}

/// [`Headline`]s of every scenario (outer) and system (inner), without series,
/// causes or explanations: what sampling (`crate::uncertainty`) repeats per
/// sample. The case's parameters are built once for all scenarios.
pub fn headlines(
    g: &SupplyGraph,
    specs: &[ScenarioSpec],
    case: Case,
    systems: &[ItemIx],
) -> Vec<Vec<Headline>> {
    let params = engine::CaseParams::new(g, case);
    specs
        .iter()
        .map(|spec| {
            let days = spec.days.max(1);
            let failure = engine::Failure::from_spec(g, spec);
            let run = engine::run(g, &params, &failure, days, systems, false);
            let rates = tariff::tariff_rates(g, &spec.tariffs, case);
            systems
                .iter()
                .zip(&run.series)
                .map(|(&s, output)| {
                    let lost_production: f64 =
                        output.iter().map(|o| 1.0 - o).fold(0.0, |acc, x| acc + x);
                    Headline {
                        tts: output.iter().position(|o| *o < 1.0).map(|t| t as u32),
                        lost_production,
                        impact: params.market_value[s.index()]
                            .map(|mv| lost_production * mv / 365.0),
                        delta_cost: rates[s.index()],
                    }
                })
                .collect()
        })
        .collect()
}

/// The reported days for a horizon of `days`: the standard days inside it, then
/// the last day D−1 when it is not one of them.
pub fn checkpoint_days(days: u32) -> Vec<u32> {
    let days = days.max(1);
    let mut out: Vec<u32> = CHECKPOINT_DAYS
        .iter()
        .copied()
        .filter(|d| *d < days)
        .collect();
    if out.last() != Some(&(days - 1)) {
        out.push(days - 1);
    }
    out
}

/// Flags the given systems and every item they transitively require.
fn under_systems(g: &SupplyGraph, systems: &[ItemIx]) -> Vec<bool> {
    let mut seen = vec![false; g.item_count()];
    let mut stack: Vec<ItemIx> = Vec::new();
    for &s in systems {
        if s.index() < seen.len() && !seen[s.index()] {
            seen[s.index()] = true;
            stack.push(s);
        }
    }
    while let Some(i) = stack.pop() {
        for r in g.requirements(i) {
            for &m in &r.members {
                if !seen[m.index()] {
                    seen[m.index()] = true;
                    stack.push(m);
                }
            }
        }
    }
    seen
}

/// The earliest short items strictly below `system` through production
/// requirements, each with a shortest path
/// from the system (breadth-first in requirement order, so the path is deterministic).
fn earliest_short_items(g: &SupplyGraph, system: ItemIx, run: &engine::Run) -> Vec<ShortItem> {
    let n = g.item_count();
    let mut via: Vec<Option<ItemIx>> = vec![None; n];
    let mut seen = vec![false; n];
    seen[system.index()] = true;
    let mut queue = VecDeque::from([system]);
    let mut short = Vec::new();
    while let Some(i) = queue.pop_front() {
        // Design requirements never stop production (spec §3.6): an item short
        // only below one of them did not make the system short.
        for r in g.production_requirements(i) {
            for &m in &r.members {
                if !seen[m.index()] {
                    seen[m.index()] = true;
                    via[m.index()] = Some(i);
                    queue.push_back(m);
                    if let Some(d) = run.first_short[m.index()] {
                        short.push((d, m));
                    }
                }
            }
        }
    }
    short.sort();
    short.truncate(MAX_SHORT_ITEMS);
    short
        .into_iter()
        .map(|(d, m)| {
            let mut path = vec![m];
            let mut cur = m;
            while let Some(p) = via[cur.index()] {
                path.push(p);
                cur = p;
            }
            path.reverse();
            ShortItem {
                item: m,
                id: g.item(m).id.to_string(),
                first_short_day: d,
                surviving_share: run.surviving[m.index()],
                path_ids: path.iter().map(|p| g.item(*p).id.to_string()).collect(),
                path,
            }
        })
        .collect()
}

/// The low point of the shortage spell that starts on `start` (consecutive days
/// with O < 1): the first day it reaches its minimum, and that minimum.
pub(crate) fn spell_low_point(output: &[f64], start: u32) -> (u32, f64) {
    let spell = output[start as usize..].iter().take_while(|o| **o < 1.0);
    spell.enumerate().fold((start, 1.0_f64), |(d, m), (k, o)| {
        if *o < m - STOCK_TOLERANCE {
            (start + k as u32, *o)
        } else {
            (d, m)
        }
    })
}

fn make_cause(
    g: &SupplyGraph,
    params: &engine::CaseParams,
    failure: &engine::Failure,
    run: &engine::Run,
    chain: &[ItemIx],
) -> Cause {
    // A chain always holds its start; the last item is where the constraint originates.
    let origin = chain.last().copied().unwrap_or(ItemIx(0));
    let item_failed = failure.items[origin.index()];
    let mut cut_by_ix: Vec<CutBy> = Vec::new();
    if !item_failed {
        for (k, src) in g.sources(origin).iter().enumerate() {
            if !failure.edge_fails(g, origin, k) {
                continue;
            }
            // A failed country names the cut; a failed supplier in a live country names itself.
            let by = match src.supplier {
                Some(s) if !failure.countries[src.country.index()] => CutBy::Supplier(s),
                _ => CutBy::Country(src.country),
            };
            if !cut_by_ix.contains(&by) {
                cut_by_ix.push(by);
            }
        }
    }
    let cut_by = cut_by_ix
        .iter()
        .map(|b| match b {
            CutBy::Country(c) => g.country(*c).to_string(),
            CutBy::Supplier(s) => g.supplier(*s).id.to_string(),
        })
        .collect();
    let recovery = params.recovery[origin.index()];
    Cause {
        item: origin,
        id: g.item(origin).id.to_string(),
        chain: chain.to_vec(),
        chain_ids: chain.iter().map(|c| g.item(*c).id.to_string()).collect(),
        item_failed,
        supply_lost: 1.0 - run.surviving[origin.index()],
        cut_by,
        cut_by_ix,
        stock_days: params.stock[origin.index()],
        first_short_day: run.first_short[origin.index()].unwrap_or(0),
        recovery_days: recovery.is_finite().then_some(recovery),
    }
}

/// A number for machine output: at most 9 decimals and at most 12 significant
/// digits, so that day-by-day rounding (48.000000000000075 days × 1e6) prints as
/// the figure a person computes by hand (48000000).
pub fn stable_number(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    crate::output::significant12(crate::output::round9(x))
}

/// Serializes through [`stable_number`].
pub(crate) fn round<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(stable_number(*x))
}

pub(crate) fn round_opt<S: Serializer>(x: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match x {
        Some(v) => s.serialize_some(&stable_number(*v)),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoints_are_the_standard_days_inside_the_horizon_plus_its_last_day() {
        assert_eq!(checkpoint_days(365), vec![0, 30, 90, 180, 364]);
        assert_eq!(checkpoint_days(366), vec![0, 30, 90, 180, 365]);
        assert_eq!(checkpoint_days(120), vec![0, 30, 90, 119]);
        assert_eq!(checkpoint_days(730), vec![0, 30, 90, 180, 365, 729]);
        assert_eq!(checkpoint_days(31), vec![0, 30]);
        assert_eq!(checkpoint_days(1), vec![0]);
        assert_eq!(checkpoint_days(0), vec![0]);
    }

    #[test]
    fn stable_numbers_print_as_computed_by_hand() {
        assert_eq!(stable_number(48.000000000000075e6), 48.0e6);
        assert_eq!(stable_number(10.0 / 21.0), 0.476190476);
        assert_eq!(stable_number(0.4000000000000001), 0.4);
        assert!(stable_number(-0.0).is_sign_positive());
        assert!(stable_number(f64::NAN).is_nan());
    }

    #[test]
    fn percentages_drop_needless_decimals() {
        assert_eq!(explain::percent(0.6), "60 %");
        assert_eq!(explain::percent(0.125), "12.5 %");
        assert_eq!(explain::percent(0.904), "90.4 %");
        assert_eq!(explain::percent(1.0), "100 %");
    }
}
