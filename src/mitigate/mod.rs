//! Mitigation planning (`chokepoint mitigate`): which K actions — a new domestic
//! or second-country source, more stock, a qualified alternative — most reduce
//! the total impact PI (spec §3.6) over a set of scenarios, and then the number
//! of single points of failure (order-1 minimal cut sets, spec §3.4).
//!
//! Owns: the objective, the lazy greedy (CELF) and exact searches, and the
//! [`Plan`] they produce with its renderings. Never: mutates the loaded model
//! (each evaluation builds a modified copy and a new [`SupplyGraph`]), reads or
//! writes files, or prints. Decisions the spec leaves open are in docs/mitigate.md.

mod actions;
mod render;

pub use actions::{
    apply, generate_actions, new_supplier_id, parse_actions, Action, ActionError, ActionKind,
    DEFAULT_SOURCE_SHARE, DEFAULT_STOCK_DAYS,
};

pub(crate) use render::{money as render_money, wrap as wrap_line};

use crate::analysis::{EventKind, FailureLogic};
use crate::graph::SupplyGraph;
use crate::model::{Case, Model};
use crate::scenario::{self, ScenarioSpec, SweepKind};
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap};

/// Version tag of the JSON shape (docs/json.md).
pub const SCHEMA: &str = "chokepoint/mitigate/1";
/// Exact search runs when Σ_{k ≤ K} C(n, k) is at most this.
pub const DEFAULT_EXACT_LIMIT: u64 = 5_000;

/// Which scenarios the objective sums PI over.
#[derive(Clone, Debug, PartialEq)]
pub enum ScenarioChoice {
    /// Declared scenarios by id; empty = every scenario declared in the graph.
    Declared(Vec<String>),
    /// Every single country (except home) or every single supplier of the
    /// evaluated graph fails in turn for `days` days.
    Sweep { kind: SweepKind, days: u32 },
}

/// What [`plan`] optimises and how hard it searches.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanOptions {
    /// Most actions chosen (K).
    pub budget: usize,
    pub case: Case,
    /// Basic events of the choke-point count.
    pub by: EventKind,
    pub scenarios: ScenarioChoice,
    /// Exact search runs when the number of subsets of size ≤ K is at most this.
    pub exact_limit: u64,
    /// `--scope` and `--unattributed`.
    pub assumptions: crate::graph::Assumptions,
}

impl Default for PlanOptions {
    fn default() -> Self {
        PlanOptions {
            budget: 3,
            case: Case::Mid,
            by: EventKind::Country,
            scenarios: ScenarioChoice::Declared(Vec::new()),
            exact_limit: DEFAULT_EXACT_LIMIT,
            assumptions: Default::default(),
        }
    }
}

/// Why a plan could not be made.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum MitigateError {
    #[error("unknown scenario `{0}` (the graph declares: {1})")]
    UnknownScenario(String, String),
}

/// One order-1 choke point: a basic event that alone stops a system.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ChokePoint {
    pub system: String,
    /// Supplier id or country code.
    pub event: String,
    /// It stops the system only if unattributed remainders fail too (spec §3.4).
    pub conditional: bool,
}

/// PI of one scenario, summed over the systems.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioImpact {
    pub id: String,
    #[serde(serialize_with = "crate::scenario::round")]
    pub impact: f64,
}

/// The objective on one (modified) graph.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evaluation {
    /// Σ PI over the scenarios and systems, in the graph's currency.
    #[serde(serialize_with = "crate::scenario::round")]
    pub total_impact: f64,
    pub impacts: Vec<ScenarioImpact>,
    /// Number of order-1 choke points over all systems (system, event) pairs.
    pub choke_point_count: usize,
    /// The order-1 choke points, by system (declaration order), then event id.
    pub choke_points: Vec<ChokePoint>,
}

impl Evaluation {
    /// PI in thousandths of the currency unit: the searches compare these
    /// integers, so rounding noise never decides between two plans.
    fn impact_milli(&self) -> i128 {
        (self.total_impact * 1000.0).round() as i128
    }
}

/// One step of a plan: the action added and what it changed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Step {
    /// 1-based.
    pub step: usize,
    pub action: String,
    pub description: String,
    /// The description in Chinese (not in the JSON).
    #[serde(skip)]
    pub description_zh: String,
    /// PI before − PI after (positive = less impact).
    #[serde(serialize_with = "crate::scenario::round")]
    pub delta_impact: f64,
    /// Order-1 choke points before − after (positive = fewer).
    pub delta_choke_points: i64,
    /// The objective after this step.
    pub after: Evaluation,
    pub choke_points_removed: Vec<ChokePoint>,
    pub choke_points_added: Vec<ChokePoint>,
}

/// A chosen set of actions, in the order a step-by-step report adds them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Selection {
    /// Action ids in step order.
    pub actions: Vec<String>,
    pub steps: Vec<Step>,
    #[serde(serialize_with = "crate::scenario::round")]
    pub total_impact: f64,
    pub choke_point_count: usize,
}

/// A candidate with its effect when taken alone.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Candidate {
    #[serde(flatten)]
    pub action: Action,
    /// PI reduction of this action alone; `None` when it is infeasible alone.
    #[serde(serialize_with = "crate::scenario::round_opt")]
    pub alone_delta_impact: Option<f64>,
    pub alone_delta_choke_points: Option<i64>,
}

/// Which search produced [`Plan::chosen`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Every subset of size ≤ K was evaluated: the plan is optimal.
    Exact,
    /// Lazy greedy (CELF) only: too many subsets for exact search.
    Greedy,
}

/// The result of [`plan`]; its JSON form is documented in docs/json.md.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Plan {
    pub schema: &'static str,
    pub title: String,
    pub home: String,
    pub currency: String,
    pub case: Case,
    pub by: EventKind,
    pub budget: usize,
    /// "declared" or "sweep-country" / "sweep-supplier".
    pub objective: String,
    /// Scenario ids the objective sums over (for a sweep: those of the original graph).
    pub scenarios: Vec<String>,
    pub method: Method,
    /// Σ_{k ≤ K} C(n, k), saturating.
    pub subsets: u64,
    /// Distinct (modified) graphs evaluated.
    pub evaluations: usize,
    pub baseline: Evaluation,
    pub candidates: Vec<Candidate>,
    pub greedy: Selection,
    /// Present when exact search ran.
    pub exact: Option<Selection>,
    /// Exact search ran and found the same objective value as greedy.
    pub greedy_is_optimal: Option<bool>,
    /// Display names of the systems, suppliers and countries the tables name
    /// (results keep ids; the JSON leaves this out).
    #[serde(skip)]
    pub names: crate::model::Names,
}

impl Plan {
    /// The plan to act on: the exact optimum when it was computed, else greedy.
    pub fn chosen(&self) -> &Selection {
        self.exact.as_ref().unwrap_or(&self.greedy)
    }
}

/// Σ_{k=0..=K} C(n, k), saturating at u64::MAX.
pub fn subset_count(n: usize, k: usize) -> u64 {
    let mut total: u64 = 0;
    let mut c: u128 = 1; // C(n, 0)
    for j in 0..=k.min(n) {
        if j > 0 {
            c = c * (n - j + 1) as u128 / j as u128;
        }
        total = total.saturating_add(u64::try_from(c).unwrap_or(u64::MAX));
        if total == u64::MAX {
            // Larger binomials would only overflow the intermediate product.
            break;
        }
    }
    total
}

/// Evaluates sets of actions on modified copies of one model, memoised by set.
struct Evaluator<'a> {
    base: Model,
    actions: &'a [Action],
    opts: &'a PlanOptions,
    cache: BTreeMap<Vec<usize>, Option<Evaluation>>,
}

impl<'a> Evaluator<'a> {
    fn new(model: &Model, actions: &'a [Action], opts: &'a PlanOptions) -> Self {
        let mut base = model.clone();
        // Source texts are only for diagnostics; not copying them keeps each evaluation cheap.
        base.files.clear();
        Evaluator {
            base,
            actions,
            opts,
            cache: BTreeMap::new(),
        }
    }

    /// The objective with the actions `set` applied (in index order, so the value is
    /// a function of the set); `None` when the set closes a requires cycle.
    fn eval(&mut self, set: &[usize]) -> Option<Evaluation> {
        let mut key = set.to_vec();
        key.sort_unstable();
        key.dedup();
        if let Some(e) = self.cache.get(&key) {
            return e.clone();
        }
        let chosen: Vec<&Action> = key.iter().map(|&i| &self.actions[i]).collect();
        let result = if chosen.is_empty() {
            Some(evaluate(&self.base, self.opts))
        } else {
            apply(&self.base, &chosen).map(|m| evaluate(&m, self.opts))
        };
        self.cache.insert(key, result.clone());
        result
    }
}

/// The objective of one model: PI over the chosen scenarios, order-1 choke points.
/// Declared scenario ids that the model lacks are skipped ([`plan`] checks them first).
pub fn evaluate(model: &Model, opts: &PlanOptions) -> Evaluation {
    let g = SupplyGraph::with_assumptions(model, opts.assumptions);
    let mut impacts = Vec::new();
    match &opts.scenarios {
        ScenarioChoice::Declared(ids) => {
            let declared: Vec<&crate::model::Scenario> = if ids.is_empty() {
                model.scenarios.values().collect()
            } else {
                ids.iter()
                    .filter_map(|id| model.scenarios.get(id.as_str()))
                    .collect()
            };
            for sc in declared {
                let spec = ScenarioSpec::from_declared(&g, sc);
                let out = scenario::simulate(&g, &spec, opts.case);
                impacts.push(ScenarioImpact {
                    id: sc.id.to_string(),
                    impact: out.total_impact,
                });
            }
        }
        ScenarioChoice::Sweep { kind, days } => {
            let mut rows = scenario::sweep(&g, *kind, *days, opts.case);
            // Report in a stable order independent of the ranking.
            rows.sort_by(|a, b| a.id.cmp(&b.id));
            impacts.extend(rows.into_iter().map(|r| ScenarioImpact {
                id: r.id,
                impact: r.impact,
            }));
        }
    }
    let total_impact = impacts.iter().map(|s| s.impact).fold(0.0, |a, x| a + x);
    // Order 1 holds at most one set per event: no limit can be reached.
    let logic = FailureLogic::for_roots(&g, opts.by, 1, opts.case, g.systems()).ok();
    let mut choke_points = Vec::new();
    for &s in g.systems() {
        let system = g.item(s).id.to_string();
        let mut events: Vec<(String, bool)> = logic
            .as_ref()
            .map(|l| l.cut_sets(s))
            .unwrap_or_default()
            .iter()
            .filter(|c| c.order() == 1)
            .map(|c| (c.events[0].id(&g), c.is_conditional()))
            .collect();
        events.sort();
        choke_points.extend(events.into_iter().map(|(event, conditional)| ChokePoint {
            system: system.clone(),
            event,
            conditional,
        }));
    }
    Evaluation {
        total_impact,
        impacts,
        choke_point_count: choke_points.len(),
        choke_points,
    }
}

/// How much better `after` is than `before`: (PI reduction in milli-units,
/// choke-point reduction). Compared lexicographically.
fn gain(before: &Evaluation, after: &Evaluation) -> (i128, i64) {
    (
        before.impact_milli() - after.impact_milli(),
        before.choke_point_count as i64 - after.choke_point_count as i64,
    )
}

fn is_improvement(g: (i128, i64)) -> bool {
    g > (0, 0)
}

/// A heap entry of the lazy greedy: the gain last computed for a candidate and
/// the round it was computed in. Ties go to the lower candidate index.
#[derive(PartialEq, Eq)]
struct Entry {
    gain: (i128, i64),
    index: usize,
    round: usize,
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        self.gain
            .cmp(&other.gain)
            .then_with(|| other.index.cmp(&self.index))
    }
}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Progress of a long search: (evaluations done, evaluations expected).
pub type Progress<'p> = &'p mut dyn FnMut(u64, u64);

/// Chooses up to `opts.budget` actions: lazy greedy always, exact search too when
/// the subsets of size ≤ K number at most `opts.exact_limit`.
pub fn plan(model: &Model, actions: &[Action], opts: &PlanOptions) -> Result<Plan, MitigateError> {
    plan_with_progress(model, actions, opts, &mut |_, _| {})
}

/// [`plan`], reporting progress (for a progress bar).
pub fn plan_with_progress(
    model: &Model,
    actions: &[Action],
    opts: &PlanOptions,
    progress: Progress,
) -> Result<Plan, MitigateError> {
    let scenario_ids: Vec<String> = match &opts.scenarios {
        ScenarioChoice::Declared(ids) => {
            for id in ids {
                if !model.scenarios.contains_key(id.as_str()) {
                    let known: Vec<&str> = model.scenarios.keys().map(|k| k.as_str()).collect();
                    return Err(MitigateError::UnknownScenario(
                        id.clone(),
                        if known.is_empty() {
                            "none".into()
                        } else {
                            known.join(", ")
                        },
                    ));
                }
            }
            if ids.is_empty() {
                model.scenarios.keys().map(|k| k.to_string()).collect()
            } else {
                ids.clone()
            }
        }
        ScenarioChoice::Sweep { .. } => Vec::new(),
    };
    let mut ev = Evaluator::new(model, actions, opts);
    let n = actions.len();
    let subsets = subset_count(n, opts.budget);
    let run_exact = subsets <= opts.exact_limit;
    let expected = if run_exact {
        subsets
    } else {
        n as u64 * (opts.budget as u64 + 1)
    };
    let mut done = 0u64;
    let mut tick = |ev: &Evaluator| {
        done = ev.cache.len() as u64;
        progress(done.min(expected), expected);
    };

    let baseline = ev.eval(&[]).expect("the unmodified model is acyclic");
    let scenario_ids = match &opts.scenarios {
        ScenarioChoice::Sweep { .. } => baseline.impacts.iter().map(|s| s.id.clone()).collect(),
        _ => scenario_ids,
    };

    // Lazy greedy (CELF): gains are re-evaluated only when a candidate reaches the
    // top of the queue with a gain from an earlier round.
    let mut chosen: Vec<usize> = Vec::new();
    let mut current = baseline.clone();
    let mut heap = BinaryHeap::new();
    let mut candidates = Vec::with_capacity(n);
    for (i, action) in actions.iter().enumerate() {
        let alone = ev.eval(&[i]);
        tick(&ev);
        candidates.push(Candidate {
            action: action.clone(),
            alone_delta_impact: alone
                .as_ref()
                .map(|e| baseline.total_impact - e.total_impact),
            alone_delta_choke_points: alone
                .as_ref()
                .map(|e| baseline.choke_point_count as i64 - e.choke_point_count as i64),
        });
        if let Some(e) = alone {
            heap.push(Entry {
                gain: gain(&baseline, &e),
                index: i,
                round: 1,
            });
        }
    }
    let mut round = 1;
    while chosen.len() < opts.budget {
        let Some(top) = heap.pop() else { break };
        if top.round == round {
            if !is_improvement(top.gain) {
                break;
            }
            chosen.push(top.index);
            current = ev
                .eval(&chosen)
                .expect("evaluated when its gain was computed");
            round += 1;
            continue;
        }
        let mut set = chosen.clone();
        set.push(top.index);
        if let Some(e) = ev.eval(&set) {
            heap.push(Entry {
                gain: gain(&current, &e),
                index: top.index,
                round,
            });
        }
        tick(&ev);
    }
    let greedy = selection(&mut ev, &baseline, &chosen);

    let exact = if run_exact {
        let mut best: Option<(Vec<usize>, Evaluation)> = None;
        let mut combo: Vec<usize> = Vec::new();
        for size in 0..=opts.budget.min(n) {
            combo.clear();
            combo.extend(0..size);
            loop {
                if let Some(e) = ev.eval(&combo) {
                    let better = match &best {
                        None => true,
                        // Lower PI, then fewer choke points; ties keep the smaller,
                        // then lexicographically first set (enumeration order).
                        Some((_, b)) => {
                            (e.impact_milli(), e.choke_point_count)
                                < (b.impact_milli(), b.choke_point_count)
                        }
                    };
                    if better {
                        best = Some((combo.clone(), e));
                    }
                }
                tick(&ev);
                if !next_combination(&mut combo, n) {
                    break;
                }
            }
        }
        let (set, _) = best.expect("the empty set is always evaluated");
        let ordered = order_by_marginal_gain(&mut ev, &baseline, &set);
        Some(selection(&mut ev, &baseline, &ordered))
    } else {
        None
    };
    let greedy_is_optimal = exact.as_ref().map(|x| {
        (x.total_impact * 1000.0).round() as i128 == (greedy.total_impact * 1000.0).round() as i128
            && x.choke_point_count == greedy.choke_point_count
    });
    Ok(Plan {
        schema: SCHEMA,
        title: model.meta.title.clone(),
        home: model.meta.home.to_string(),
        currency: model.meta.currency.clone(),
        case: opts.case,
        by: opts.by,
        budget: opts.budget,
        objective: match &opts.scenarios {
            ScenarioChoice::Declared(_) => "declared".into(),
            ScenarioChoice::Sweep { kind, .. } => format!("sweep-{}", kind.as_str()),
        },
        scenarios: scenario_ids,
        method: if run_exact {
            Method::Exact
        } else {
            Method::Greedy
        },
        subsets,
        evaluations: ev.cache.len(),
        baseline,
        candidates,
        greedy,
        exact,
        greedy_is_optimal,
        names: crate::model::Names::of(model),
    })
}

/// Advances `combo` (strictly increasing indices below `n`) to the next
/// combination of the same size in lexicographic order; false after the last.
fn next_combination(combo: &mut [usize], n: usize) -> bool {
    let k = combo.len();
    let mut i = k;
    while i > 0 {
        i -= 1;
        if combo[i] < n - k + i {
            combo[i] += 1;
            for j in i + 1..k {
                combo[j] = combo[j - 1] + 1;
            }
            return true;
        }
    }
    false
}

/// Orders a chosen set for a step-by-step report: at each step the member with
/// the largest marginal gain (ties: lower index). Infeasible prefixes sort last.
fn order_by_marginal_gain(ev: &mut Evaluator, baseline: &Evaluation, set: &[usize]) -> Vec<usize> {
    let mut remaining: Vec<usize> = set.to_vec();
    remaining.sort_unstable();
    let mut ordered = Vec::new();
    let mut current = baseline.clone();
    while !remaining.is_empty() {
        let mut best: Option<(usize, (i128, i64), Evaluation)> = None;
        for (k, &i) in remaining.iter().enumerate() {
            let mut s = ordered.clone();
            s.push(i);
            if let Some(e) = ev.eval(&s) {
                let g = gain(&current, &e);
                if best.as_ref().is_none_or(|(_, bg, _)| g > *bg) {
                    best = Some((k, g, e));
                }
            }
        }
        let (k, e) = match best {
            Some((k, _, e)) => (k, e),
            None => (0, current.clone()),
        };
        ordered.push(remaining.remove(k));
        current = e;
    }
    ordered
}

/// Builds the step-by-step report of adding `order` one action at a time.
fn selection(ev: &mut Evaluator, baseline: &Evaluation, order: &[usize]) -> Selection {
    let mut steps = Vec::new();
    let mut before = baseline.clone();
    for k in 0..order.len() {
        let Some(after) = ev.eval(&order[..=k]) else {
            continue;
        };
        let a = &ev.actions[order[k]];
        let removed = before
            .choke_points
            .iter()
            .filter(|c| !after.choke_points.contains(c))
            .cloned()
            .collect();
        let added = after
            .choke_points
            .iter()
            .filter(|c| !before.choke_points.contains(c))
            .cloned()
            .collect();
        steps.push(Step {
            step: k + 1,
            action: a.id.clone(),
            description: a.description.clone(),
            description_zh: a.description_zh.clone(),
            delta_impact: before.total_impact - after.total_impact,
            delta_choke_points: before.choke_point_count as i64 - after.choke_point_count as i64,
            choke_points_removed: removed,
            choke_points_added: added,
            after: after.clone(),
        });
        before = after;
    }
    Selection {
        actions: order.iter().map(|&i| ev.actions[i].id.clone()).collect(),
        steps,
        total_impact: before.total_impact,
        choke_point_count: before.choke_point_count,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subset_count_sums_binomials() {
        // C(4,0)+C(4,1)+C(4,2) = 1 + 4 + 6 = 11
        assert_eq!(subset_count(4, 2), 11);
        // K ≥ n: all 2^n subsets.
        assert_eq!(subset_count(3, 5), 8);
        // C(44,0)+C(44,1)+C(44,2) = 1 + 44 + 946
        assert_eq!(subset_count(44, 2), 991);
        assert_eq!(subset_count(10_000, 10), u64::MAX);
    }

    #[test]
    fn combinations_enumerate_in_lexicographic_order() {
        let mut c = vec![0, 1];
        let mut all = vec![c.clone()];
        while next_combination(&mut c, 4) {
            all.push(c.clone());
        }
        assert_eq!(
            all,
            vec![
                vec![0, 1],
                vec![0, 2],
                vec![0, 3],
                vec![1, 2],
                vec![1, 3],
                vec![2, 3]
            ]
        );
        let mut empty: Vec<usize> = vec![];
        assert!(!next_combination(&mut empty, 3));
    }
}
