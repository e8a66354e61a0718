//! The 0–10 risk score (spec §3.8), its weights and its bands.
//!
//! Owns: the six factors, the weights (defaults and the YAML weights file), the
//! band thresholds and the `incomplete` mark. Never: reads files itself (the CLI
//! hands it the text) or formats output.

use super::concentration::hhi_with;
use super::import::direct_import_share_with;
use crate::graph::SupplyGraph;
use crate::model::Case;
use crate::output::round9;
use serde::{Deserialize, Serialize};

/// Risk band: low < 3.3 ≤ medium < 6.7 ≤ high.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Band {
    Low,
    Medium,
    High,
}

impl Band {
    /// Lower bound of the medium band.
    pub const MEDIUM_FROM: f64 = 3.3;
    /// Lower bound of the high band.
    pub const HIGH_FROM: f64 = 6.7;

    /// The band of a 0–10 score. The score is rounded to 9 decimals first so that
    /// float noise (3.2999999999999998) does not move an item across a boundary.
    pub fn of(score: f64) -> Band {
        let s = round9(score);
        if s >= Self::HIGH_FROM {
            Band::High
        } else if s >= Self::MEDIUM_FROM {
            Band::Medium
        } else {
            Band::Low
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Band::Low => "low",
            Band::Medium => "medium",
            Band::High => "high",
        }
    }
}

/// Factor weights; they must be finite, non-negative and sum to 1.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Weights {
    pub import: f64,
    pub country: f64,
    pub supplier: f64,
    pub recovery: f64,
    pub buffer: f64,
    pub controls: f64,
}

impl Default for Weights {
    /// Spec §3.8: 0.30 / 0.20 / 0.15 / 0.15 / 0.10 / 0.10.
    fn default() -> Self {
        Weights {
            import: 0.30,
            country: 0.20,
            supplier: 0.15,
            recovery: 0.15,
            buffer: 0.10,
            controls: 0.10,
        }
    }
}

/// The weights file as written: every key optional (missing = 0), no other keys.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WeightsFile {
    import: Option<f64>,
    country: Option<f64>,
    supplier: Option<f64>,
    recovery: Option<f64>,
    buffer: Option<f64>,
    controls: Option<f64>,
}

/// Tolerance on the sum of the weights.
pub const WEIGHT_SUM_TOLERANCE: f64 = 1e-6;

impl Weights {
    /// Parses a weights file. `origin` (the file's path) prefixes every error, with
    /// the line and column when the YAML parser knows them.
    /// Reads a weights file; a problem is one diagnostic placed at
    /// `origin:line:column` (R001 its shape, R002 its values).
    pub fn from_yaml(text: &str, origin: &str) -> Result<Weights, crate::load::Diagnostic> {
        use crate::load::{Code, Diagnostic};
        let file: WeightsFile = serde_yaml::from_str(text)
            .map_err(|e| Diagnostic::from_serde_yaml(Code::WeightsFile, origin, &e))?;
        let w = Weights {
            import: file.import.unwrap_or(0.0),
            country: file.country.unwrap_or(0.0),
            supplier: file.supplier.unwrap_or(0.0),
            recovery: file.recovery.unwrap_or(0.0),
            buffer: file.buffer.unwrap_or(0.0),
            controls: file.controls.unwrap_or(0.0),
        };
        w.validate()
            .map_err(|m| Diagnostic::unlocated(Code::WeightsValue, origin, m))?;
        Ok(w)
    }

    fn as_array(&self) -> [(&'static str, f64); 6] {
        [
            ("import", self.import),
            ("country", self.country),
            ("supplier", self.supplier),
            ("recovery", self.recovery),
            ("buffer", self.buffer),
            ("controls", self.controls),
        ]
    }

    /// Checks that every weight is finite and ≥ 0 and that they sum to 1.
    pub fn validate(&self) -> Result<(), String> {
        for (name, v) in self.as_array() {
            if !v.is_finite() || v < 0.0 {
                return Err(format!(
                    "weight `{name}` is {v}; weights must be finite and ≥ 0"
                ));
            }
        }
        let sum: f64 = self.as_array().iter().map(|(_, v)| v).sum();
        if (sum - 1.0).abs() > WEIGHT_SUM_TOLERANCE {
            return Err(format!(
                "the weights sum to {}, not 1 (missing keys count 0; keys: import, country, supplier, recovery, buffer, controls)",
                round9(sum)
            ));
        }
        Ok(())
    }
}

/// The six factors, each in [0, 1]; `None` = missing (counts 0, marks incomplete).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Factors {
    /// DI.
    pub import: Option<f64>,
    /// HHI_country.
    pub country: Option<f64>,
    /// HHI_supplier.
    pub supplier: Option<f64>,
    /// min(1, recovery_days / 365).
    pub recovery: Option<f64>,
    /// 1 − min(1, stock_days / recovery_days); 0 when recovery_days is 0 or absent.
    pub buffer: Option<f64>,
    /// 1 when the item lists export controls.
    pub controls: f64,
}

/// An item's risk score under one case.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct RiskScore {
    /// 0–10.
    pub score: f64,
    pub band: Band,
    /// Some factor was missing and counted 0.
    pub incomplete: bool,
    pub factors: Factors,
}

/// The factors of one item under `case`.
pub fn factors(g: &SupplyGraph, ix: crate::graph::ItemIx, case: Case) -> Factors {
    let item = g.item(ix);
    let recovery_days = item.recovery_days.as_ref().map(|e| e.get(case));
    let stock_days = item.stock_days.as_ref().map(|e| e.get(case));
    let buffer = match recovery_days {
        None => Some(0.0),
        Some(r) if r <= 0.0 => Some(0.0),
        Some(r) => stock_days.map(|s| 1.0 - (s / r).min(1.0)),
    };
    // One set of normalised weights for the three factors that read them.
    let weights = super::weights::normalized_weights(g, ix, case);
    Factors {
        import: direct_import_share_with(g, ix, case, &weights),
        country: hhi_with(g, ix, &weights, |s| s.country),
        supplier: hhi_with(g, ix, &weights, |s| s.supplier),
        recovery: recovery_days.map(|r| (r / 365.0).min(1.0)),
        buffer,
        controls: if item.export_controls.is_empty() {
            0.0
        } else {
            1.0
        },
    }
}

/// Combines factors with weights: 10 · Σ w_f x_f.
pub fn score(f: &Factors, w: &Weights) -> RiskScore {
    let parts = [
        (w.import, f.import),
        (w.country, f.country),
        (w.supplier, f.supplier),
        (w.recovery, f.recovery),
        (w.buffer, f.buffer),
        (w.controls, Some(f.controls)),
    ];
    let incomplete = parts.iter().any(|(_, x)| x.is_none());
    let score = 10.0 * parts.iter().map(|(w, x)| w * x.unwrap_or(0.0)).sum::<f64>();
    RiskScore {
        score,
        band: Band::of(score),
        incomplete,
        factors: *f,
    }
}

/// The risk score of every item under `case`, indexed by `ItemIx`.
pub fn risk_scores(g: &SupplyGraph, case: Case, w: &Weights) -> Vec<RiskScore> {
    g.items()
        .map(|ix| score(&factors(g, ix, case), w))
        .collect()
}

/// What `analyze` reports in one pass: every item's risk score under `case`,
/// and the lower and upper of its scores under the low and high cases. Equal
/// to [`risk_scores_all_cases`] read at `case`, low and high, without holding
/// three full sets of factors (at a million items, 300 MB of fresh memory).
pub fn risk_scores_with_range(
    g: &SupplyGraph,
    w: &Weights,
    case: Case,
) -> (Vec<RiskScore>, Vec<(f64, f64)>) {
    let n = g.item_count();
    let mut scores = Vec::with_capacity(n);
    let mut range = Vec::with_capacity(n);
    for ix in g.items() {
        if same_in_every_case(g, ix) {
            let r = score(&factors(g, ix, Case::Mid), w);
            range.push((r.score, r.score));
            scores.push(r);
        } else {
            let [low, mid, high] = Case::ALL.map(|c| score(&factors(g, ix, c), w));
            range.push((low.score.min(high.score), low.score.max(high.score)));
            scores.push(match case {
                Case::Low => low,
                Case::Mid => mid,
                Case::High => high,
            });
        }
    }
    (scores, range)
}

/// True when an item's own numbers (supply shares, import share, stock,
/// recovery) are the same in every case, so its factors are too.
fn same_in_every_case(g: &SupplyGraph, ix: crate::graph::ItemIx) -> bool {
    let item = g.item(ix);
    g.sources(ix)
        .iter()
        .map(|s| s.share)
        .chain(item.import_share.as_deref())
        .chain(item.stock_days.as_deref())
        .chain(item.recovery_days.as_deref())
        .all(super::import::case_free)
}

/// Risk scores under each of [`Case::ALL`] in one pass: an item whose own
/// numbers (supply shares, import share, stock, recovery) are the same in every
/// case is scored once and shared (identical to [`risk_scores`] per case).
pub fn risk_scores_all_cases(g: &SupplyGraph, w: &Weights) -> [Vec<RiskScore>; 3] {
    let n = g.item_count();
    let mut out: [Vec<RiskScore>; 3] = [
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    ];
    for ix in g.items() {
        if same_in_every_case(g, ix) {
            let r = score(&factors(g, ix, Case::Mid), w);
            for o in out.iter_mut() {
                o.push(r);
            }
        } else {
            for (k, case) in Case::ALL.iter().enumerate() {
                out[k].push(score(&factors(g, ix, *case), w));
            }
        }
    }
    out
}
