//! Concentration (spec §3.3): Herfindahl–Hirschman indices over suppliers and over
//! producing countries, and the EU SWD(2021) 352-style foreign-dependence screen.
//!
//! Owns: HHI and the screen thresholds. Never: formats output.

use super::import::direct_import_share;
use crate::graph::{ItemIx, SupplyGraph};
use crate::model::Case;
use crate::output::round9;
use serde::{Deserialize, Serialize};

/// HHI over normalised shares grouped by `key`; `None` without supply edges.
fn hhi_by<K: Ord>(
    g: &SupplyGraph,
    ix: ItemIx,
    case: Case,
    key: impl Fn(&crate::graph::Source) -> K,
) -> Option<f64> {
    if g.sources(ix).is_empty() {
        return None;
    }
    hhi_with(g, ix, &super::weights::normalized_weights(g, ix, case), key)
}

/// [`hhi_by`] from the item's normalised weights already made.
pub(crate) fn hhi_with<K: Ord>(
    g: &SupplyGraph,
    ix: ItemIx,
    weights: &[f64],
    key: impl Fn(&crate::graph::Source) -> K,
) -> Option<f64> {
    if g.sources(ix).is_empty() {
        return None;
    }
    let mut grouped: Vec<(K, f64)> = Vec::with_capacity(weights.len());
    for (s, &w) in g.sources(ix).iter().zip(weights) {
        let k = key(s);
        match grouped.iter_mut().find(|(g, _)| *g == k) {
            Some((_, acc)) => *acc += w,
            None => grouped.push((k, w)),
        }
    }
    Some(grouped.iter().map(|(_, w)| w * w).sum())
}

/// HHI_supplier(i) = Σ_s (Σ_{e: supplier s} ŵ_e)²; `None` without supply edges.
pub fn hhi_supplier(g: &SupplyGraph, ix: ItemIx, case: Case) -> Option<f64> {
    hhi_by(g, ix, case, |s| s.supplier)
}

/// HHI_country(i) = Σ_c (Σ_{e: c_e = c} ŵ_e)²; `None` without supply edges.
pub fn hhi_country(g: &SupplyGraph, ix: ItemIx, case: Case) -> Option<f64> {
    hhi_by(g, ix, case, |s| s.country)
}

/// Thresholds of the foreign-dependence screen: dependent when
/// HHI_country > `hhi_country` and DI > `import_share` (both strict).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Screen {
    pub hhi_country: f64,
    pub import_share: f64,
}

impl Default for Screen {
    /// EU SWD(2021) 352 defaults: HHI_country > 0.4 and DI > 0.5.
    fn default() -> Self {
        Screen {
            hhi_country: 0.4,
            import_share: 0.5,
        }
    }
}

/// Whether the item passes the foreign-dependence screen; false when HHI_country
/// or DI is undefined. Values are rounded to 9 decimals before the strict
/// comparison, so 0.6 / (0.6 + 0.4) = 0.6000000000000001 does not exceed 0.6.
pub fn foreign_dependent(g: &SupplyGraph, ix: ItemIx, case: Case, screen: &Screen) -> bool {
    screened(
        hhi_country(g, ix, case),
        direct_import_share(g, ix, case),
        screen,
    )
}

/// The screen on an item's HHI_country and DI already computed (its risk
/// factors carry both).
pub(crate) fn screened(hhi_country: Option<f64>, import: Option<f64>, screen: &Screen) -> bool {
    match (hhi_country, import) {
        (Some(h), Some(d)) => round9(h) > screen.hhi_country && round9(d) > screen.import_share,
        _ => false,
    }
}
