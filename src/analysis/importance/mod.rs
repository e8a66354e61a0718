//! Probability that each system stops and the importance of each basic event
//! (`analyze --importance`, docs/metrics.md §10).
//!
//! Owns: reading an event's disruption probability from the graph (supplier,
//! country, unnamed producers → their country), the horizon conversion, the
//! exact stop probability from the diagram of F, the rare-event and MCUB
//! approximations over the cut sets up to the order, and Birnbaum,
//! Fussell–Vesely, RAW and RRW with their infinite and undefined cases.
//! Never: builds the fault tree (that is `cutsets`) or the diagram (`mcs::bdd`),
//! formats (that is [`render`]), or lets hash order reach a result.

pub mod render;

use super::cutsets::{BasicEvent, CutSetLimit, EventKind, FailureLogic};
use super::mcs::{bdd::Diagram, Limits};
use crate::graph::{ItemIx, SupplyGraph};
use crate::model::Case;
use serde::{Serialize, Serializer};

/// Days in the year a `disruption_probability` is about.
pub const YEAR_DAYS: f64 = 365.0;

/// The yearly disruption probability of `event` under `case`: a supplier's
/// own figure, a country's, or for unnamed producers their country's. `None`
/// when the graph gives none.
pub fn event_probability(g: &SupplyGraph, event: BasicEvent, case: Case) -> Option<f64> {
    let model = g.model();
    let country = |code: &crate::model::CountryCode| {
        model
            .countries
            .get(code)
            .and_then(|c| c.disruption_probability.as_ref())
            .map(|e| e.get(case))
    };
    match event {
        BasicEvent::Supplier(s) => g
            .supplier(s)
            .disruption_probability
            .as_ref()
            .map(|e| e.get(case)),
        BasicEvent::Country(c) => country(g.country(c)),
        BasicEvent::Unnamed(u) => country(g.country(g.unnamed_sources()[u.index()].1)),
    }
}

/// A yearly probability `p` over `days`: 1 − (1 − p)^(days/365), the chance of
/// at least one disruption in a Poisson process with that yearly probability
/// (computed as −expm1(ln(1 − p) · days/365), exact for small p).
pub fn over_horizon(p: f64, days: f64) -> f64 {
    if p >= 1.0 {
        return 1.0;
    }
    if days == YEAR_DAYS {
        return p;
    }
    let t = days / YEAR_DAYS;
    (-(f64::ln_1p(-p) * t).exp_m1()).clamp(0.0, 1.0)
}

/// An importance value that may be infinite or undefined (docs/metrics.md §10).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Measure {
    Value(f64),
    Infinite,
    Undefined,
}

impl Measure {
    /// For sorting: undefined lowest, infinite highest.
    fn rank(self) -> f64 {
        match self {
            Measure::Value(x) => x,
            Measure::Infinite => f64::INFINITY,
            Measure::Undefined => f64::NEG_INFINITY,
        }
    }
    /// `inf`, empty for undefined, else the number in full (CSV).
    pub fn csv(self) -> String {
        match self {
            Measure::Value(x) => x.to_string(),
            Measure::Infinite => "inf".into(),
            Measure::Undefined => String::new(),
        }
    }
}

/// JSON: a number, the string `"inf"`, or `null`.
impl Serialize for Measure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            Measure::Value(x) => s.serialize_f64(x),
            Measure::Infinite => s.serialize_str("inf"),
            Measure::Undefined => s.serialize_none(),
        }
    }
}

/// The four measures of one event from P, P₁, P₀ and its probability.
pub fn measures(p_top: f64, p1: f64, p0: f64) -> (f64, Measure, Measure, Measure) {
    let birnbaum = p1 - p0;
    let ratio = |num: f64, den: f64| {
        if den > 0.0 {
            Measure::Value(num / den)
        } else if num > 0.0 {
            Measure::Infinite
        } else {
            Measure::Undefined
        }
    };
    let fv = if p_top > 0.0 {
        // Clamped: P − P₀ can come out a rounding error below 0 or above P.
        Measure::Value(((p_top - p0) / p_top).clamp(0.0, 1.0))
    } else {
        Measure::Undefined
    };
    (birnbaum, fv, ratio(p1, p_top), ratio(p_top, p0))
}

/// One basic event's importance for one system.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventImportance {
    /// The event's id (supplier id, country code, `unnamed:ITEM:CC`).
    pub id: String,
    #[serde(skip)]
    pub event: BasicEvent,
    /// Its probability over the horizon; `None` when the graph gives none
    /// (it is held at 0).
    pub probability: Option<f64>,
    /// P(S | e fails) and P(S | e never fails).
    pub p_failed: f64,
    pub p_never: f64,
    pub birnbaum: f64,
    pub fussell_vesely: Measure,
    pub raw: Measure,
    pub rrw: Measure,
}

/// One system: its exact stop probability and its events' importance.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SystemImportance {
    pub id: String,
    /// Exact P(F(S)) over the horizon.
    pub probability: f64,
    /// Σ over the minimal cut sets up to the order of Π p (rare-event sum).
    pub rare_event: f64,
    /// 1 − Π (1 − Π p) over the same cut sets (min-cut upper bound).
    pub mcub: f64,
    /// Events of F(S), by Fussell–Vesely (undefined last), then Birnbaum, both
    /// descending, then id.
    pub events: Vec<EventImportance>,
}

/// The analysis JSON with the importance report as one more member,
/// `importance` (what `analyze --importance --format json` prints).
#[derive(Serialize)]
pub struct WithImportance<'a> {
    #[serde(flatten)]
    pub analysis: &'a super::Analysis,
    pub importance: &'a ImportanceReport,
}

/// The result of [`importance`]; in `analyze --importance --format json` it is
/// the `importance` member.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ImportanceReport {
    pub horizon_days: f64,
    pub case: Case,
    pub by: EventKind,
    /// The order of the cut sets behind `rare_event` and `mcub`.
    pub order: usize,
    /// Events listed (in any system) that have no probability and are held at 0.
    pub events_without_probability: usize,
    pub systems: Vec<SystemImportance>,
}

/// The stop probability and importance measures of `systems`, over
/// `horizon_days`. A diagram beyond the work limit ends as [`CutSetLimit`].
pub fn importance(
    g: &SupplyGraph,
    by: EventKind,
    order: usize,
    case: Case,
    systems: &[ItemIx],
    horizon_days: f64,
) -> Result<ImportanceReport, CutSetLimit> {
    let limits = Limits::default();
    let logic = FailureLogic::with_limits(g, by, order, case, systems, &limits)?;
    let roots: Vec<_> = systems.iter().map(|&s| logic.node(s)).collect();
    let tree = logic.tree();
    let diagram = Diagram::build(tree, &roots, &limits)
        .map_err(|cause| CutSetLimit::for_diagram(cause, logic.order()))?;
    let given: Vec<Option<f64>> = (0..tree.event_count)
        .map(|raw| {
            event_probability(g, logic.event(raw), case).map(|p| over_horizon(p, horizon_days))
        })
        .collect();
    let p: Vec<f64> = given.iter().map(|x| x.unwrap_or(0.0)).collect();
    let mut without = std::collections::BTreeSet::new();
    let mut out = Vec::with_capacity(systems.len());
    for (k, &s) in systems.iter().enumerate() {
        let (p_top, conditioned) = diagram.conditioned(k, &p);
        let mut events: Vec<EventImportance> = conditioned
            .into_iter()
            .map(|c| {
                let (birnbaum, fussell_vesely, raw, rrw) = measures(p_top, c.p1, c.p0);
                if given[c.event as usize].is_none() {
                    without.insert(c.event);
                }
                let event = logic.event(c.event);
                EventImportance {
                    id: event.id(g),
                    event,
                    probability: given[c.event as usize],
                    p_failed: c.p1,
                    p_never: c.p0,
                    birnbaum,
                    fussell_vesely,
                    raw,
                    rrw,
                }
            })
            .collect();
        events.sort_by(|a, b| {
            b.fussell_vesely
                .rank()
                .total_cmp(&a.fussell_vesely.rank())
                .then(b.birnbaum.total_cmp(&a.birnbaum))
                .then_with(|| a.id.cmp(&b.id))
        });
        let products: Vec<f64> = logic
            .raw_cut_sets(s)
            .iter()
            .map(|set| set.iter().map(|&e| p[e as usize]).product())
            .collect();
        out.push(SystemImportance {
            id: g.item(s).id.to_string(),
            probability: p_top,
            rare_event: products.iter().sum(),
            mcub: 1.0 - products.iter().map(|x| 1.0 - x).product::<f64>(),
            events,
        });
    }
    Ok(ImportanceReport {
        horizon_days,
        case,
        by,
        order: logic.order(),
        events_without_probability: without.len(),
        systems: out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn horizon_conversion() {
        assert_eq!(over_horizon(0.1, 365.0), 0.1);
        assert!((over_horizon(0.1, 73.0) - (1.0 - 0.9f64.powf(0.2))).abs() < 1e-15);
        assert!((over_horizon(0.1, 730.0) - 0.19).abs() < 1e-15);
        assert_eq!(over_horizon(1.0, 10.0), 1.0);
        assert_eq!(over_horizon(0.0, 1000.0), 0.0);
    }

    #[test]
    fn infinite_and_undefined_cases() {
        // P > 0, P0 = 0: RRW infinite, FV 1.
        assert_eq!(
            measures(0.044, 0.44, 0.0),
            (
                0.44,
                Measure::Value(1.0),
                Measure::Value(0.44 / 0.044),
                Measure::Infinite
            )
        );
        // P = 0, P1 > 0: RAW infinite, FV and RRW undefined.
        assert_eq!(
            measures(0.0, 0.3, 0.0),
            (
                0.3,
                Measure::Undefined,
                Measure::Infinite,
                Measure::Undefined
            )
        );
        // P = P1 = 0: all ratios undefined.
        assert_eq!(
            measures(0.0, 0.0, 0.0),
            (
                0.0,
                Measure::Undefined,
                Measure::Undefined,
                Measure::Undefined
            )
        );
        assert_eq!(
            serde_json::to_string(&[Measure::Value(0.5), Measure::Infinite, Measure::Undefined])
                .unwrap(),
            "[0.5,\"inf\",null]"
        );
    }
}
