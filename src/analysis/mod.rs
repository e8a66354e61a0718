//! Analysis (spec §3.1–3.5, §3.8): pure, deterministic metrics of a [`SupplyGraph`]
//! under one [`Case`].
//!
//! Owns: import dependence ([`direct_import_share`], [`embodied_import_shares`]),
//! concentration ([`hhi_supplier`], [`hhi_country`], the foreign-dependence
//! screen), failure logic and minimal cut sets ([`minimal_cut_sets`],
//! [`FailureLogic`]), where-used / fan-in ([`fan_in`]), the risk score
//! ([`risk_scores`]) and the whole-graph report [`analyze`] that
//! `chokepoint analyze --format json` prints.
//! Never: reads or writes files, prints, or lets hash-map order reach a result.
//! Every function here is a function of its arguments only.

mod concentration;
mod cutsets;
mod fanin;
mod import;
pub mod importance;
pub mod mcs;
pub mod render;
mod risk;
pub mod weights;

pub use concentration::{foreign_dependent, hhi_country, hhi_supplier, Screen};
pub use cutsets::{
    minimal_cut_sets, open_psa, open_psa_over, Assumed, BasicEvent, CutSet, CutSetLimit, EventKind,
    FailureLogic, ViaPaths, MAX_ORDER, MAX_VIA,
};
pub use fanin::{betweenness, fan_in, market_value, FanIn};
pub use import::{
    direct_import_share, eid_unknown, embodied_import_shares, embodied_import_shares_all_cases,
    normalized_sources,
};
pub use importance::{importance, ImportanceReport};
pub use risk::{
    factors, risk_scores, risk_scores_all_cases, risk_scores_with_range, score, Band, Factors,
    RiskScore, Weights, WEIGHT_SUM_TOLERANCE,
};

use crate::graph::{ItemIx, SupplyGraph};
use crate::model::{Case, Interval, Lang};
use crate::output::round9;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// Version tag of the JSON shape (docs/json.md); bumped on any incompatible change.
pub const SCHEMA: &str = "chokepoint/analyze/3";

/// The national choke-point list covers cut sets up to this order ("alone or in pairs").
pub const NATIONAL_MAX_ORDER: usize = 2;

/// What [`analyze`] computes and how much of it it lists.
#[derive(Clone, Debug, PartialEq)]
pub struct AnalyzeOptions {
    pub case: Case,
    /// Language of names in the result.
    pub lang: Lang,
    pub by: EventKind,
    /// Highest cut-set order, 1..=[`MAX_ORDER`].
    pub order: usize,
    /// Only this system and what it requires; `None` = every system.
    pub system: Option<ItemIx>,
    /// Length of the top-risk and national lists; 0 = unlimited.
    pub top: usize,
    pub weights: Weights,
    pub screen: Screen,
    /// Compute betweenness centrality (O(V·E)).
    pub centrality: bool,
    /// Which via paths each cut set carries (one shortest by default).
    pub via: ViaPaths,
    /// Most cut sets listed per system (order 1 first); `None` lists all. The
    /// counts per order are complete either way.
    pub list_max: Option<usize>,
}

impl Default for AnalyzeOptions {
    fn default() -> Self {
        AnalyzeOptions {
            case: Case::Mid,
            lang: Lang::En,
            by: EventKind::Supplier,
            order: 2,
            system: None,
            top: 10,
            weights: Weights::default(),
            screen: Screen::default(),
            centrality: false,
            via: ViaPaths::Shortest,
            list_max: None,
        }
    }
}

/// The result of [`analyze`]; its JSON form is documented in docs/json.md.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Analysis {
    pub schema: &'static str,
    pub title: String,
    pub home: String,
    pub currency: String,
    pub case: Case,
    /// `--scope`: whose producers need the bill of materials.
    pub scope: crate::graph::Scope,
    /// `--unattributed`: what an unattributed remainder of supply does.
    pub unattributed: crate::graph::Unattributed,
    pub by: EventKind,
    pub order: usize,
    pub screen: Screen,
    pub weights: Weights,
    /// `--via`: which via paths the cut sets carry.
    pub via: ViaPaths,
    /// `--list-max`: most cut sets listed per system; `None` = all.
    pub list_max: Option<usize>,
    /// Every basic event named in `systems` and `national`, by id: the one
    /// place their names are written.
    pub events: BTreeMap<String, EventInfo>,
    pub systems: Vec<SystemAnalysis>,
    pub national: Vec<NationalChokePoint>,
    pub items: Vec<ItemMetrics>,
}

/// One system: import content, choke points and its riskiest parts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SystemAnalysis {
    pub id: String,
    pub name: String,
    pub market_value: Option<f64>,
    /// EID under the case, with the interval from the low and high cases.
    pub embodied_import_share: Option<Interval>,
    /// Sum of the known cost shares of the system's requirements.
    pub coverage: Option<f64>,
    /// How many minimal cut sets of each order there are: `[k − 1]` counts
    /// order k, for k = 1..=order. Complete even when the lists are cut short.
    pub cut_set_counts: Vec<usize>,
    /// How many cut sets `--list-max` left out of the two lists below.
    pub unlisted: usize,
    /// Order-1 minimal cut sets (listed ones).
    pub single_points_of_failure: Vec<CutSetReport>,
    /// Minimal cut sets of order 2..=order (listed ones, after the order-1 sets).
    pub cut_sets: Vec<CutSetReport>,
    /// Items in the system's BOM (itself included) without supply edges or
    /// requirements — unmapped, or known only by an `import_share` figure: the
    /// failure logic treats them as never failing (spec §3.4).
    pub never_fail: Vec<String>,
    /// Items needed only to develop the system or its parts (`role: design`):
    /// counted in cost, never in the failure logic.
    pub design_dependencies: Vec<DesignDependency>,
    /// The riskiest items the system requires (transitively), highest score first.
    pub top_risk: Vec<RiskRow>,
}

/// One supply entry a choke point cuts, and what its share rests on.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evidence {
    pub item: String,
    /// The supplier's name, or "unnamed producers in C".
    pub source: String,
    pub country: String,
    /// The entry's share in the case (as written, not normalised).
    pub share: f64,
    /// References cited for the share (else for the entry, else for the item).
    pub cite: Vec<String>,
    /// The share is an estimate the data marks as such (`confidence: low`) or
    /// cites nothing.
    pub assumed: bool,
}

/// The supply entries a cut set cuts at the end items of its via paths.
fn evidence(g: &SupplyGraph, c: &CutSet, case: Case, lang: Lang) -> Vec<Evidence> {
    let model = g.model();
    let mut out: Vec<Evidence> = Vec::new();
    for path in &c.via {
        let Some(&end) = path.last() else { continue };
        let item = g.item(end);
        for (src, edge) in g.sources(end).iter().zip(&item.supply) {
            let hit = c.events.iter().any(|e| match *e {
                BasicEvent::Country(x) => src.country == x,
                BasicEvent::Supplier(x) => src.supplier == Some(x),
                BasicEvent::Unnamed(x) => src.unnamed == Some(x),
            });
            if !hit {
                continue;
            }
            let cite: Vec<String> = [&edge.share.cite, &edge.cite, &item.cite]
                .into_iter()
                .find(|c| !c.is_empty())
                .map(|c| c.iter().map(|r| r.to_string()).collect())
                .unwrap_or_default();
            let e = Evidence {
                item: item.id.to_string(),
                source: model.source_label(edge, lang),
                country: g.country(src.country).to_string(),
                share: round9(edge.share.get(case)),
                assumed: cite.is_empty()
                    || edge.share.confidence == Some(crate::model::Confidence::Low),
                cite,
            };
            if !out.contains(&e) {
                out.push(e);
            }
        }
    }
    out
}

/// A design dependency of a system (spec §2 `role: design`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DesignDependency {
    pub id: String,
    pub name: String,
    pub direct_import_share: Option<f64>,
    pub risk: f64,
    pub band: Band,
}

/// An unattributed remainder a conditional cut set assumes fails.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AssumedRemainder {
    pub item: String,
    pub name: String,
    /// 1 − W: the share of the item's supply that no source accounts for.
    pub unattributed: f64,
}

/// A basic event as the document's lookup table names it (the key is its id).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventInfo {
    pub kind: EventKind,
    pub name: String,
    /// The home country, or a supplier based there.
    pub domestic: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CutSetReport {
    pub order: usize,
    /// Event ids, sorted; their names are in [`Analysis::events`].
    pub events: Vec<String>,
    /// Item-id paths from the system to the items where the events act.
    pub via: Vec<Vec<String>>,
    /// True when the set stops the system only if the remainders in `assumes` fail too.
    pub conditional: bool,
    pub assumes: Vec<AssumedRemainder>,
    /// Under `--reach`: items whose sources the set fails only through
    /// export-control reach (spec §3.11); absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reached: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RiskRow {
    pub id: String,
    pub name: String,
    pub score: f64,
    pub band: Band,
    pub incomplete: bool,
}

/// A cut set of order ≤ 2 ranked across systems.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NationalChokePoint {
    pub rank: usize,
    pub order: usize,
    /// Event ids, sorted; their names are in [`Analysis::events`].
    pub events: Vec<String>,
    /// The systems for which these events form a minimal cut set.
    pub systems: Vec<String>,
    pub system_count: usize,
    /// True when the set is conditional for every system listed (it rests on
    /// unattributed remainders failing); `conditional_in` lists where it is.
    pub conditional: bool,
    pub conditional_in: Vec<String>,
    /// The supply entries the events cut where they act (the end items of the
    /// via paths), with their shares and citations: what the entry rests on.
    pub evidence: Vec<Evidence>,
    /// Σ market value of `systems` under the case; `None` when none of them
    /// has a market value.
    pub market_value: Option<f64>,
}

/// Every metric of one item.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ItemMetrics {
    pub id: String,
    pub kind: crate::model::ItemKind,
    pub name: String,
    pub direct_import_share: Option<f64>,
    pub embodied_import_share: Option<f64>,
    pub coverage: Option<f64>,
    pub hhi_supplier: Option<f64>,
    pub hhi_country: Option<f64>,
    pub foreign_dependent: bool,
    pub risk: RiskReport,
    /// Systems that transitively require the item.
    pub used_by: Vec<String>,
    /// Σ market value of `used_by`.
    pub used_by_value: f64,
    /// Present only with `--centrality`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub betweenness: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RiskReport {
    pub score: f64,
    /// Scores under the low and high cases (min, max).
    pub low: f64,
    pub high: f64,
    pub band: Band,
    pub incomplete: bool,
    pub factors: Factors,
}

fn r9(x: Option<f64>) -> Option<f64> {
    x.map(round9)
}

/// The id of `e`, entered in the document's event table on first use.
fn event_id(
    g: &SupplyGraph,
    e: &BasicEvent,
    lang: Lang,
    table: &mut BTreeMap<String, EventInfo>,
) -> String {
    let id = e.id(g);
    if !table.contains_key(&id) {
        table.insert(
            id.clone(),
            EventInfo {
                kind: e.kind(),
                name: e.label(g, lang),
                domestic: e.is_domestic(g),
            },
        );
    }
    id
}

fn cut_report(
    g: &SupplyGraph,
    c: &CutSet,
    lang: Lang,
    table: &mut BTreeMap<String, EventInfo>,
) -> CutSetReport {
    CutSetReport {
        order: c.order(),
        events: c
            .events
            .iter()
            .map(|e| event_id(g, e, lang, table))
            .collect(),
        via: c
            .via
            .iter()
            .map(|p| p.iter().map(|i| g.item(*i).id.to_string()).collect())
            .collect(),
        conditional: c.is_conditional(),
        reached: c
            .reached
            .iter()
            .map(|i| g.item(*i).id.to_string())
            .collect(),
        assumes: c
            .assumes
            .iter()
            .map(|a| AssumedRemainder {
                item: g.item(a.item).id.to_string(),
                name: g.item(a.item).display_name(lang).to_string(),
                unattributed: round9(a.remainder),
            })
            .collect(),
    }
}

fn round_factors(f: &Factors) -> Factors {
    Factors {
        import: r9(f.import),
        country: r9(f.country),
        supplier: r9(f.supplier),
        recovery: r9(f.recovery),
        buffer: r9(f.buffer),
        controls: f.controls,
    }
}

/// Analyses the graph: per system, the embodied import share, single points of
/// failure, higher-order cut sets and top-risk items; across systems, the
/// national choke-point list; per item, every metric.
///
/// Fails only when the cut sets would pass a limit (spec §3.4).
pub fn analyze(g: &SupplyGraph, opts: &AnalyzeOptions) -> Result<Analysis, CutSetLimit> {
    analyze_with_progress(g, opts, &mut |_, _| {})
}

/// [`analyze`], reporting (systems done, systems in all) as each system's
/// cut sets, via paths and evidence are gathered, for a progress bar.
pub fn analyze_with_progress(
    g: &SupplyGraph,
    opts: &AnalyzeOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Analysis, CutSetLimit> {
    let model = g.model();
    let lang = opts.lang;
    let systems: Vec<ItemIx> = match opts.system {
        Some(s) => vec![s],
        None => g.systems().to_vec(),
    };
    let scope: Vec<ItemIx> = match opts.system {
        Some(s) => {
            let mut v = g.descendants(s);
            v.push(s);
            v.sort();
            v
        }
        None => g.items().collect(),
    };
    // The per-item metrics on a second thread while this one searches the
    // cut sets (which reports progress, so it stays here): neither reads what
    // the other makes, and each is deterministic on its own.
    let mut search_total = 0;
    let (logic, (eid_by_case, ((risk, risk_range), fan))) = std::thread::scope(|scope| {
        // Three independent passes, split so that the pool's threads share
        // them evenly (EID is the longest, about as long as the other two).
        let metrics = scope.spawn(|| {
            rayon::join(
                // The three cases in one pass, sharing every item whose
                // numbers do not depend on the case.
                || embodied_import_shares_all_cases(g),
                || {
                    rayon::join(
                        || risk_scores_with_range(g, &opts.weights, opts.case),
                        || fan_in(g, opts.case),
                    )
                },
            )
        });
        // One bar over the whole run: the cut-set search's gates, then one
        // unit per system for listing and explaining its sets.
        let logic = FailureLogic::with_progress(
            g,
            opts.by,
            opts.order,
            opts.case,
            &systems,
            &mcs::Limits::default(),
            &mut |done, total| {
                search_total = total;
                progress(done, total + systems.len() as u64);
            },
        );
        (
            logic,
            metrics
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        )
    });
    let logic = logic?.with_via(opts.via);
    let mut table: BTreeMap<String, EventInfo> = BTreeMap::new();
    let case_slot = |c: Case| Case::ALL.iter().position(|x| *x == c).expect("case in ALL");
    let risk = &risk;
    let eid = &eid_by_case[case_slot(opts.case)];
    let centrality = opts.centrality.then(|| betweenness(g));
    let top = if opts.top == 0 { usize::MAX } else { opts.top };
    let name = |ix: ItemIx| g.item(ix).display_name(lang).to_string();
    let id = |ix: ItemIx| g.item(ix).id.as_str().to_owned();

    let riskier = |a: &ItemIx, b: &ItemIx| {
        risk[b.index()]
            .score
            .total_cmp(&risk[a.index()].score)
            .then_with(|| g.item(*a).id.cmp(&g.item(*b).id))
    };
    // Each system's design dependencies and riskiest items walk everything
    // below it: independent of one another, so in parallel, in system order.
    let below: Vec<(Vec<ItemIx>, Vec<ItemIx>)> = systems
        .par_iter()
        .map(|&s| {
            let mut under: Vec<ItemIx> = g.descendants(s);
            let design = design_dependencies_under(g, s, &under);
            // Only the first `top` are reported: select them, then sort those.
            if top < under.len() {
                under.select_nth_unstable_by(top, riskier);
                under.truncate(top);
            }
            under.sort_by(riskier);
            (design, under)
        })
        .collect();
    let mut national: BTreeMap<Vec<BasicEvent>, Vec<(ItemIx, bool)>> = BTreeMap::new();
    let mut evidence_of: BTreeMap<Vec<BasicEvent>, Vec<Evidence>> = BTreeMap::new();
    let mut system_reports = Vec::with_capacity(systems.len());
    for ((done, &s), (design, under)) in systems.iter().enumerate().zip(below) {
        progress(
            search_total + done as u64,
            search_total + systems.len() as u64,
        );
        let counts = logic.counts_by_order(s);
        let total: usize = counts.iter().sum();
        let listed = opts.list_max.unwrap_or(usize::MAX).min(total);
        // Sets are sorted by order: the national list's are a prefix too.
        let national_sets: usize = counts.iter().take(NATIONAL_MAX_ORDER).sum();
        let cuts = logic.first_cut_sets(s, listed.max(national_sets));
        for c in cuts.iter().filter(|c| c.order() <= NATIONAL_MAX_ORDER) {
            if c.events.iter().all(|e| e.is_domestic(g)) {
                continue;
            }
            national
                .entry(c.events.clone())
                .or_default()
                .push((s, c.is_conditional()));
            let found = evidence_of.entry(c.events.clone()).or_default();
            for e in evidence(g, c, opts.case, lang) {
                if !found.contains(&e) {
                    found.push(e);
                }
            }
        }
        let (spof, higher): (Vec<&CutSet>, Vec<&CutSet>) =
            cuts[..listed].iter().partition(|c| c.order() == 1);
        let eid_interval = eid[s.index()]
            .filter(|&(_, c)| !eid_unknown(g, s, c))
            .map(|_| {
                let iv = Interval::from_cases(opts.case, |c| {
                    eid_by_case[case_slot(c)][s.index()].map_or(f64::NAN, |(e, _)| e)
                });
                Interval {
                    value: round9(iv.value),
                    low: round9(iv.low),
                    high: round9(iv.high),
                }
            });
        system_reports.push(SystemAnalysis {
            id: id(s),
            name: name(s),
            market_value: r9(market_value(g, s, opts.case)),
            embodied_import_share: eid_interval,
            coverage: r9(eid[s.index()].map(|(_, c)| c)),
            cut_set_counts: counts,
            unlisted: total - listed,
            single_points_of_failure: spof
                .iter()
                .map(|c| cut_report(g, c, lang, &mut table))
                .collect(),
            cut_sets: higher
                .iter()
                .map(|c| cut_report(g, c, lang, &mut table))
                .collect(),
            never_fail: logic.never_failing(s).into_iter().map(id).collect(),
            design_dependencies: design
                .into_iter()
                .map(|d| DesignDependency {
                    id: id(d),
                    name: name(d),
                    direct_import_share: r9(risk[d.index()].factors.import),
                    risk: round9(risk[d.index()].score),
                    band: risk[d.index()].band,
                })
                .collect(),
            top_risk: under
                .iter()
                .take(top)
                .map(|&i| RiskRow {
                    id: id(i),
                    name: name(i),
                    score: round9(risk[i.index()].score),
                    band: risk[i.index()].band,
                    incomplete: risk[i.index()].incomplete,
                })
                .collect(),
        });
    }

    let mut ranked: Vec<(Vec<String>, Vec<BasicEvent>, NationalChokePoint)> = national
        .into_iter()
        .map(|(events, users)| {
            let mut refs: Vec<String> = events.iter().map(|e| e.id(g)).collect();
            refs.sort();
            let key = refs.clone();
            let values: Vec<f64> = users
                .iter()
                .filter_map(|(s, _)| market_value(g, *s, opts.case))
                .collect();
            // An empty f64 sum is -0.0: no market value is unknown, not "-0".
            let value = (!values.is_empty()).then(|| round9(values.iter().sum::<f64>() + 0.0));
            let conditional = users.iter().all(|(_, c)| *c);
            (
                key,
                events.clone(),
                NationalChokePoint {
                    rank: 0,
                    order: refs.len(),
                    events: refs,
                    system_count: users.len(),
                    conditional,
                    conditional_in: users
                        .iter()
                        .filter(|(_, c)| *c)
                        .map(|(s, _)| id(*s))
                        .collect(),
                    systems: users.into_iter().map(|(s, _)| id(s)).collect(),
                    market_value: value,
                    evidence: evidence_of.get(&events).cloned().unwrap_or_default(),
                },
            )
        })
        .collect();
    ranked.sort_by(|(ka, _, a), (kb, _, b)| {
        b.system_count
            .cmp(&a.system_count)
            .then_with(|| {
                let v = |n: &NationalChokePoint| n.market_value.unwrap_or(0.0);
                v(b).total_cmp(&v(a))
            })
            .then_with(|| a.order.cmp(&b.order))
            .then_with(|| ka.cmp(kb))
    });
    let national: Vec<NationalChokePoint> = ranked
        .into_iter()
        .take(top)
        .enumerate()
        .map(|(k, (_, events, mut n))| {
            for e in &events {
                event_id(g, e, lang, &mut table);
            }
            n.rank = k + 1;
            n
        })
        .collect();

    // Items are independent of one another: built in parallel, in order.
    let items = scope
        .par_iter()
        .map(|&ix| {
            let i = ix.index();
            let (low, high) = risk_range[i];
            ItemMetrics {
                id: id(ix),
                kind: g.item(ix).kind,
                name: name(ix),
                direct_import_share: r9(risk[i].factors.import),
                embodied_import_share: r9(eid[i]
                    .filter(|&(_, c)| !eid_unknown(g, ix, c))
                    .map(|(e, _)| e)),
                coverage: r9(eid[i].map(|(_, c)| c)),
                hhi_supplier: r9(risk[i].factors.supplier),
                hhi_country: r9(risk[i].factors.country),
                // The screen reads the case's HHI_country and DI: the
                // risk factors computed them already.
                foreign_dependent: concentration::screened(
                    risk[i].factors.country,
                    risk[i].factors.import,
                    &opts.screen,
                ),
                risk: RiskReport {
                    score: round9(risk[i].score),
                    low: round9(low),
                    high: round9(high),
                    band: risk[i].band,
                    incomplete: risk[i].incomplete,
                    factors: round_factors(&risk[i].factors),
                },
                used_by: fan[i].systems.iter().map(|s| id(*s)).collect(),
                used_by_value: round9(fan[i].market_value + 0.0),
                betweenness: centrality.as_ref().map(|c| c[i]),
            }
        })
        .collect();

    Ok(Analysis {
        schema: SCHEMA,
        title: model.meta.title.clone(),
        home: model.meta.home.to_string(),
        currency: model.meta.currency.clone(),
        case: opts.case,
        scope: g.assumptions().scope,
        unattributed: g.assumptions().unattributed,
        by: opts.by,
        order: logic.order(),
        screen: opts.screen,
        weights: opts.weights,
        via: opts.via,
        list_max: opts.list_max,
        events: table,
        systems: system_reports,
        national,
        items,
    })
}

/// The items a system's bill of materials needs only to be developed: the
/// members of `role: design` requirements of the system or anything it
/// requires, in index order.
pub fn design_dependencies(g: &SupplyGraph, system: ItemIx) -> Vec<ItemIx> {
    design_dependencies_under(g, system, &g.descendants(system))
}

/// [`design_dependencies`] given the system's descendants (`g.descendants(system)`).
fn design_dependencies_under(g: &SupplyGraph, system: ItemIx, under: &[ItemIx]) -> Vec<ItemIx> {
    let mut out: Vec<ItemIx> = under
        .iter()
        .chain(std::iter::once(&system))
        .flat_map(|&i| g.requirements(i).iter().filter(|r| r.design))
        .flat_map(|r| r.members.iter().copied())
        .collect();
    out.sort();
    out.dedup();
    out
}

impl Analysis {
    /// One row per analysed item, every number in full: `analyze --format csv`
    /// and the report's items.csv.
    pub fn items_table(&self) -> crate::output::Table {
        let a = self;
        let mut t = crate::output::Table::new(
            "",
            &[
                "id",
                "kind",
                "name",
                "direct_import_share",
                "embodied_import_share",
                "coverage",
                "hhi_supplier",
                "hhi_country",
                "foreign_dependent",
                "risk",
                "band",
                "incomplete",
                "used_by",
                "used_by_value",
            ],
        );
        let num = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
        for i in &a.items {
            t.row(vec![
                i.id.clone(),
                i.kind.as_str().into(),
                i.name.clone(),
                num(i.direct_import_share),
                num(i.embodied_import_share),
                num(i.coverage),
                num(i.hhi_supplier),
                num(i.hhi_country),
                i.foreign_dependent.to_string(),
                i.risk.score.to_string(),
                i.risk.band.as_str().into(),
                i.risk.incomplete.to_string(),
                i.used_by.join(" "),
                i.used_by_value.to_string(),
            ]);
        }
        t
    }
}
