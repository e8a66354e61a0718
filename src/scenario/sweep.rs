//! Single-loss sweeps (spec §3.9): every single country (or supplier) fails in
//! turn; the losses are ranked by impact, with the risk exposure index
//! REI = PI / max PI over the sweep.
//!
//! Owns: the candidate lists and the ranking. Never: builds explanations or
//! short-item paths (a sweep only needs LP, TTS and PI, so it stays fast).

use super::engine::{self, CaseParams, Failure};
use crate::graph::{CountryIx, ItemIx, SupplierIx, SupplyGraph};
use crate::model::Case;
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
    let params = CaseParams::new(g, case);
    let candidates: Vec<(Option<CountryIx>, Option<SupplierIx>)> = match kind {
        SweepKind::Country => g
            .supplying_countries()
            .into_iter()
            .filter(|c| *c != g.home())
            .map(|c| (Some(c), None))
            .collect(),
        SweepKind::Supplier => (0..g.supplier_count() as u32)
            .map(|s| (None, Some(SupplierIx(s))))
            .collect(),
    };
    let mut failure = Failure {
        countries: vec![false; g.country_count()],
        suppliers: vec![false; g.supplier_count()],
        items: vec![false; g.item_count()],
    };
    let mut rows: Vec<SweepRow> = Vec::with_capacity(candidates.len());
    let total = candidates.len() as u64;
    for (done, (country, supplier)) in candidates.into_iter().enumerate() {
        progress(done as u64, total);
        if let Some(c) = country {
            failure.countries[c.index()] = true;
        }
        if let Some(s) = supplier {
            failure.suppliers[s.index()] = true;
        }
        let run = engine::run(g, &params, &failure, days, systems, false);
        if let Some(c) = country {
            failure.countries[c.index()] = false;
        }
        if let Some(s) = supplier {
            failure.suppliers[s.index()] = false;
        }
        let mut impact = 0.0;
        let mut lost_production = 0.0;
        let mut systems_hit = 0;
        let mut earliest: Option<(u32, ItemIx)> = None;
        for (k, &s) in systems.iter().enumerate() {
            let series = &run.series[k];
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
            (None, None) => continue,
        };
        rows.push(SweepRow {
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
        });
    }
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
