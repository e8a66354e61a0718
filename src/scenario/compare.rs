//! Scenario against baseline, and the JSON document of a scenario run — shared
//! by `chokepoint scenario --format json` and the report's scenarios.json, so the
//! two are the same bytes by construction.

use super::{stable_number, ScenarioOutcome};
use crate::model::Case;
use serde::Serialize;

/// Schema tag of the scenario JSON document (docs/json.md, "## scenario").
pub const SCENARIO_SCHEMA: &str = "chokepoint/scenario/1";

/// Scenario minus baseline, per system, over the scenario's horizon.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SystemDelta {
    pub system: String,
    #[serde(serialize_with = "ser_round")]
    pub lost_production: f64,
    #[serde(serialize_with = "ser_round_opt")]
    pub impact: Option<f64>,
    #[serde(serialize_with = "ser_round")]
    pub delta_cost: f64,
    /// Output on the last day minus the baseline's.
    #[serde(serialize_with = "ser_round")]
    pub output_last_day: f64,
}

/// Per system of `outcome`: the difference to `baseline`, with the baseline cut
/// to the scenario's own horizon (the baseline may run longer).
pub fn vs_baseline(outcome: &ScenarioOutcome, baseline: &ScenarioOutcome) -> Vec<SystemDelta> {
    let d = outcome.days as usize;
    outcome
        .systems
        .iter()
        .map(|s| {
            let b = baseline.system(s.system);
            let b_series: &[f64] = b.map(|b| &b.output[..d.min(b.output.len())]).unwrap_or(&[]);
            let b_lp: f64 = b_series.iter().map(|o| 1.0 - o).fold(0.0, |acc, x| acc + x);
            let b_last = b_series.last().copied().unwrap_or(1.0);
            let b_cost = b.map(|b| b.delta_cost).unwrap_or(0.0);
            SystemDelta {
                system: s.id.clone(),
                lost_production: s.lost_production - b_lp,
                impact: s
                    .market_value
                    .map(|mv| (s.lost_production - b_lp) * mv / 365.0),
                delta_cost: s.delta_cost - b_cost,
                output_last_day: s.output.last().copied().unwrap_or(1.0) - b_last,
            }
        })
        .collect()
}

/// The JSON document of a scenario run.
#[derive(Serialize)]
pub struct ScenariosDocument<'a> {
    pub schema: &'static str,
    pub case: Case,
    pub currency: String,
    pub baseline: &'a ScenarioOutcome,
    pub scenarios: Vec<ScenarioEntry<'a>>,
}

/// A scenario's outcome with its per-system deltas against the baseline.
#[derive(Serialize)]
pub struct ScenarioEntry<'a> {
    #[serde(flatten)]
    pub outcome: &'a ScenarioOutcome,
    pub vs_baseline: &'a [SystemDelta],
}

impl<'a> ScenariosDocument<'a> {
    /// `outcomes` and `deltas` are aligned (one delta list per outcome).
    pub fn new(
        case: Case,
        currency: &str,
        baseline: &'a ScenarioOutcome,
        outcomes: impl IntoIterator<Item = &'a ScenarioOutcome>,
        deltas: impl IntoIterator<Item = &'a [SystemDelta]>,
    ) -> Self {
        ScenariosDocument {
            schema: SCENARIO_SCHEMA,
            case,
            currency: currency.to_string(),
            baseline,
            scenarios: outcomes
                .into_iter()
                .zip(deltas)
                .map(|(outcome, vs_baseline)| ScenarioEntry {
                    outcome,
                    vs_baseline,
                })
                .collect(),
        }
    }

    /// Pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("scenario outcomes serialize") + "\n"
    }
}

fn ser_round<S: serde::Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(stable_number(*x))
}

fn ser_round_opt<S: serde::Serializer>(x: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match x {
        Some(v) => s.serialize_some(&stable_number(*v)),
        None => s.serialize_none(),
    }
}
