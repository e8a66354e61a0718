//! `mitigate` and `diff` (decision support): `chokepoint mitigate` and
//! `chokepoint diff`, through the library and the real binary.
//!
//! Mitigation numbers are hand-computed on tests/fixtures/mitigate/small (its
//! header states the baseline); the arithmetic is next to each assertion. Diff
//! tests compare two fixtures that differ by a planted list of changes.

use crate::support::*;
use chokepoint::analysis::{EventKind, FailureLogic};
use chokepoint::graph::SupplyGraph;
use chokepoint::mitigate::{
    self, apply, parse_actions, Action, ActionKind, Method, PlanOptions, ScenarioChoice,
};
use chokepoint::model::{Case, ItemId, Model, RequirementTarget};
use chokepoint::scenario::SweepKind;

fn small() -> Model {
    load(&fixture("mitigate/small")).model
}

fn small_actions(model: &Model) -> Vec<Action> {
    let path = fixture("mitigate/small-actions.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    parse_actions(&text, "small-actions.yaml", model).expect("fixture actions are valid")
}

fn opts(budget: usize) -> PlanOptions {
    PlanOptions {
        budget,
        case: Case::Mid,
        by: EventKind::Country,
        scenarios: ScenarioChoice::Declared(Vec::new()),
        exact_limit: mitigate::DEFAULT_EXACT_LIMIT,
        assumptions: Default::default(),
    }
}

fn ids(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

// ------------------------------------------------------------ the objective

#[test]
fn baseline_and_single_actions_by_hand() {
    let m = small();
    let actions = small_actions(&m);
    let plan = mitigate::plan(&m, &actions, &opts(1)).unwrap();
    // Baseline under us-stop (100 days): PI = 100 (sys-a) + 100 (sys-b) + 80 (sys-c).
    assert_close(plan.baseline.total_impact, 280.0, "baseline PI");
    assert_eq!(plan.baseline.impacts.len(), 1);
    assert_eq!(plan.baseline.impacts[0].id, "us-stop");
    // By country only sys-a has a single point of failure: part-a is US-only.
    assert_eq!(plan.baseline.choke_point_count, 1);
    assert_eq!(plan.baseline.choke_points[0].system, "sys-a");
    assert_eq!(plan.baseline.choke_points[0].event, "US");
    let alone: Vec<(String, f64, i64)> = plan
        .candidates
        .iter()
        .map(|c| {
            (
                c.action.id.clone(),
                c.alone_delta_impact.unwrap(),
                c.alone_delta_choke_points.unwrap(),
            )
        })
        .collect();
    let expected = [
        // stock-a: part-a short 1/day; 50 days of stock cover t = 0..49, then
        // output 0 for 50 days: LP 50 → PI 50 (was 100): Δ 50.
        ("stock-a", 50.0, 0),
        // dom-a: US 0.5 / new CN 0.5 → output 0.5 for 100 days: LP 50, Δ 50; US no
        // longer stops sys-a alone: one choke point fewer.
        ("dom-a", 50.0, 1),
        // stock-b: short 0.5/day, 100 days of stock last 200 days > 100: LP 0, Δ 100
        // (PI of sys-b was 50 days · 730 / 365 = 100).
        ("stock-b", 100.0, 0),
        // dom-c: s-us 0.4, s-cn 0.1 + new s-cn 0.5 → a = 0.6, LP 40 (was 80): Δ 40.
        ("dom-c", 40.0, 0),
    ];
    assert_eq!(alone.len(), expected.len());
    for ((id, d, cp), (eid, ed, ecp)) in alone.iter().zip(expected) {
        assert_eq!(id, eid);
        assert_close(*d, ed, id);
        assert_eq!(*cp, ecp, "{id} Δ choke points");
    }
}

#[test]
fn greedy_plan_equals_exact_optimum_on_the_small_fixture() {
    let m = small();
    let actions = small_actions(&m);

    // K = 2. Greedy step 1: stock-b (Δ100). Step 2: stock-a and dom-a both gain
    // 50; the tie goes to dom-a, which also removes sys-a:US. PI 280 − 150 = 130.
    // Exact over the C(4,0)+C(4,1)+C(4,2) = 11 subsets: the pairs with Δ150 are
    // {stock-b, dom-a} (0 choke points) and {stock-b, stock-a} (1); {stock-a, dom-a}
    // gains only 100 (0.5 short/day on 50 days of stock = 100 days: PI_a 0).
    // Optimum: {stock-b, dom-a}, PI 130, 0 choke points.
    let p2 = mitigate::plan(&m, &actions, &opts(2)).unwrap();
    assert_eq!(p2.method, Method::Exact);
    assert_eq!(p2.subsets, 11);
    assert_eq!(p2.evaluations, 11);
    assert_eq!(p2.greedy.actions, ids(&["stock-b", "dom-a"]));
    let exact = p2.exact.as_ref().unwrap();
    assert_eq!(exact.actions, ids(&["stock-b", "dom-a"]));
    assert_close(p2.greedy.total_impact, 130.0, "greedy PI K=2");
    assert_close(exact.total_impact, 130.0, "optimum PI K=2");
    assert_eq!(exact.choke_point_count, 0);
    assert_eq!(p2.greedy_is_optimal, Some(true));
    // Marginal gains in step order: stock-b Δ100 (PI 180), then dom-a Δ50 and one
    // choke point fewer (PI 130).
    let expected = [("stock-b", 100.0, 0, 180.0), ("dom-a", 50.0, 1, 130.0)];
    assert_eq!(exact.steps.len(), expected.len());
    for (k, (s, (id, d, cp, after))) in exact.steps.iter().zip(expected).enumerate() {
        assert_eq!(s.step, k + 1);
        assert_eq!(s.action, id);
        assert_close(s.delta_impact, d, id);
        assert_eq!(s.delta_choke_points, cp, "{id}");
        assert_close(s.after.total_impact, after, id);
    }
    assert_eq!(exact.steps[0].after.choke_point_count, 1);
    assert_eq!(exact.steps[1].choke_points_removed.len(), 1);
    assert_eq!(exact.steps[1].choke_points_removed[0].event, "US");
    assert!(exact.steps[1].after.choke_points.is_empty());

    // K = 3: greedy adds stock-a (with dom-a, 0.5 short/day on 50 days of stock
    // lasts the 100 days: Δ50) → PI 80. Exact: {stock-b, dom-a, stock-a} gains
    // 100 + 50 + 50 = 200; any triple with dom-c gains at most 100 + 50 + 40 = 190.
    let p3 = mitigate::plan(&m, &actions, &opts(3)).unwrap();
    assert_eq!(p3.greedy.actions, ids(&["stock-b", "dom-a", "stock-a"]));
    assert_eq!(
        p3.exact.as_ref().unwrap().actions,
        ids(&["stock-b", "dom-a", "stock-a"])
    );
    assert_close(p3.chosen().total_impact, 80.0, "optimum PI K=3");
    assert_eq!(p3.greedy_is_optimal, Some(true));
}

/// Two parts that are only useful together: greedy (which sees no gain in either
/// alone) stops short; exact search finds the pair.
const COMPLEMENTS: &str = r#"
meta: { title: Complements, home: CN, currency: CNY }
suppliers:
  - { id: s-us, name: US Parts, country: US }
  - { id: s-cn, name: CN Parts, country: CN }
items:
  - { id: sys-e, kind: system, name: E, market_value: 365, requires: [{ item: e1 }, { item: e2 }] }
  - { id: sys-f, kind: system, name: F, market_value: 365, requires: [{ item: f }] }
  - { id: e1, kind: part, name: E1, supply: [{ supplier: s-us, share: 1.0 }] }
  - { id: e2, kind: part, name: E2, supply: [{ supplier: s-us, share: 1.0 }] }
  - id: f
    kind: part
    name: F part
    supply: [{ supplier: s-us, share: 0.4 }, { supplier: s-cn, share: 0.6 }]
scenarios:
  - { id: us-stop, name: US stop, fail: { countries: [US] }, duration_days: 100 }
"#;

const COMPLEMENT_ACTIONS: &str = r#"
actions:
  - raise_stock: { id: stock-e1, item: e1, days: 100 }
  - raise_stock: { id: stock-e2, item: e2, days: 100 }
  - raise_stock: { id: stock-f, item: f, days: 100 }
"#;

#[test]
fn exact_search_beats_greedy_on_complementary_actions() {
    let m = load_str(&[("c.yaml", COMPLEMENTS)]).unwrap().model;
    let actions = parse_actions(COMPLEMENT_ACTIONS, "a.yaml", &m).unwrap();
    let p = mitigate::plan(&m, &actions, &opts(2)).unwrap();
    // Baseline: sys-e stops for 100 days (PI 100); sys-f runs at 0.6 (LP 40, PI 40).
    assert_close(p.baseline.total_impact, 140.0, "baseline");
    // Greedy: stock-f gains 40 (0.4/day × 100 days = 40 ≤ 100 days of stock); then
    // stock-e1 or stock-e2 alone gains 0 (the other part still stops sys-e): stop.
    assert_eq!(p.greedy.actions, ids(&["stock-f"]));
    assert_close(p.greedy.total_impact, 100.0, "greedy PI");
    // Exact: {stock-e1, stock-e2} keeps sys-e running: PI 40.
    let exact = p.exact.as_ref().unwrap();
    assert_eq!(exact.actions, ids(&["stock-e1", "stock-e2"]));
    assert_close(exact.total_impact, 40.0, "optimum");
    assert_eq!(p.greedy_is_optimal, Some(false));
    assert_eq!(p.chosen().actions, exact.actions);
    // Steps report marginal gains in order: 0 then 100.
    assert_eq!(exact.steps.len(), 2);
    assert_close(exact.steps[0].delta_impact, 0.0, "step 1");
    assert_close(exact.steps[1].delta_impact, 100.0, "step 2");
    // A limit below the 1 + 3 + 3 = 7 subsets leaves greedy alone.
    let mut o = opts(2);
    o.exact_limit = 6;
    let g = mitigate::plan(&m, &actions, &o).unwrap();
    assert_eq!(g.method, Method::Greedy);
    assert!(g.exact.is_none());
    assert_eq!(g.chosen().actions, ids(&["stock-f"]));
}

#[test]
fn sweep_objective_sums_every_single_country_loss() {
    let m = small();
    let mut o = opts(1);
    o.scenarios = ScenarioChoice::Sweep {
        kind: SweepKind::Country,
        days: 365,
    };
    let p = mitigate::plan(&m, &small_actions(&m), &o).unwrap();
    // Supplying countries except home CN: JP and US (listed by id).
    // US for 365 days: sys-a LP 365 → PI 365; sys-b a = 0.5, LP 182.5 → PI
    // 182.5 · 730/365 = 365; sys-c a = 0.2, LP 292 → PI 292. Σ 1022.
    // JP: sys-b a = 0.5 → PI 365.
    let got: Vec<(String, f64)> = p
        .baseline
        .impacts
        .iter()
        .map(|s| (s.id.clone(), s.impact))
        .collect();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].0, "JP");
    assert_close(got[0].1, 365.0, "JP");
    assert_eq!(got[1].0, "US");
    assert_close(got[1].1, 1022.0, "US");
    assert_close(p.baseline.total_impact, 1387.0, "sweep total");
    assert_eq!(p.scenarios, ids(&["JP", "US"]));
}

// ------------------------------------------------------------ applying actions

#[test]
fn add_source_scales_existing_shares_and_never_touches_the_loaded_model() {
    let m = small();
    let before = m.items.clone();
    let actions = small_actions(&m);
    let dom_a = actions.iter().find(|a| a.id == "dom-a").unwrap();
    let changed = apply(&m, &[dom_a]).unwrap();
    assert_eq!(m.items, before, "the loaded model is never mutated");
    let part = &changed.items["part-a"];
    // s-us 1.0 · (1 − 0.5) = 0.5; the new firm gets 0.5: the sum stays 1.
    let shares: Vec<(String, f64)> = part
        .supply
        .iter()
        .map(|e| (e.supplier_id().unwrap_or("").to_string(), e.share.mid()))
        .collect();
    assert_eq!(
        shares,
        vec![("s-us".into(), 0.5), ("new:part-a:CN".into(), 0.5)]
    );
    assert_eq!(changed.suppliers["new:part-a:CN"].country.as_str(), "CN");

    // part-b: 0.5 / 0.5 scaled by 0.5 → 0.25 / 0.25 + 0.5.
    let text = "actions:\n  - add_source: { item: part-b, country: KR, share: 0.5 }\n";
    let a = parse_actions(text, "x.yaml", &m).unwrap();
    assert_eq!(a[0].id, "add-source:part-b:KR");
    let c = apply(&m, &[&a[0]]).unwrap();
    let w: Vec<f64> = c.items["part-b"]
        .supply
        .iter()
        .map(|e| e.share.mid())
        .collect();
    assert_eq!(w, vec![0.25, 0.25, 0.5]);
    assert_eq!(c.suppliers["new:part-b:KR"].country.as_str(), "KR");
}

#[test]
fn raise_stock_and_qualify_alternative_edit_a_copy() {
    let m = small();
    let text = "actions:\n  - raise_stock: { item: part-c, days: 30 }\n  - qualify_alternative: { item: part-a, alternative: part-b, parent: sys-a }\n";
    let a = parse_actions(text, "x.yaml", &m).unwrap();
    let c = apply(&m, &[&a[0], &a[1]]).unwrap();
    assert_eq!(c.items["part-c"].stock_days.as_ref().unwrap().mid(), 30.0);
    assert_eq!(
        c.items["sys-a"].requires[0].target,
        RequirementTarget::AnyOf(vec![ItemId::new("part-a"), ItemId::new("part-b")])
    );
    // sys-a now survives a US stop through part-b's JP half: no order-1 choke point.
    let g = SupplyGraph::new(&c);
    let logic = FailureLogic::for_roots(&g, EventKind::Country, 1, Case::Mid, g.systems()).unwrap();
    assert!(logic.cut_sets(g.item_ix("sys-a").unwrap()).is_empty());
    match &a[1].kind {
        ActionKind::QualifyAlternative { parent, .. } => {
            assert_eq!(parent.as_deref(), Some("sys-a"))
        }
        k => panic!("unexpected {k:?}"),
    }
}

#[test]
fn a_combination_that_closes_a_cycle_is_infeasible() {
    // x requires y; qualifying x as an alternative under y is refused at once;
    // two qualifications that only together make a cycle are infeasible as a set.
    let g = r#"
meta: { title: C, home: CN }
suppliers: [{ id: s, name: S, country: US }]
items:
  - { id: sys, kind: system, name: S, requires: [{ item: p }, { item: q }] }
  - { id: p, kind: part, name: P, requires: [{ item: a }] }
  - { id: q, kind: part, name: Q, requires: [{ item: b }] }
  - { id: a, kind: part, name: A, supply: [{ supplier: s, share: 1 }] }
  - { id: b, kind: part, name: B, supply: [{ supplier: s, share: 1 }] }
"#;
    let m = load_str(&[("g.yaml", g)]).unwrap().model;
    let text = "actions:\n  - qualify_alternative: { item: a, alternative: q, parent: p }\n  - qualify_alternative: { item: b, alternative: p, parent: q }\n";
    let a = parse_actions(text, "x.yaml", &m).unwrap();
    assert!(apply(&m, &[&a[0]]).is_some());
    assert!(apply(&m, &[&a[1]]).is_some());
    assert!(apply(&m, &[&a[0], &a[1]]).is_none(), "p → q → p");
    let bad = "actions:\n  - qualify_alternative: { item: a, alternative: sys, parent: p }\n";
    let err = parse_actions(bad, "x.yaml", &m).unwrap_err();
    assert_eq!(
        err.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
        vec!["x.yaml:2:50: `sys` requires `p` (or is it): qualifying it under `p` would make a requires cycle"]
    );
}

// ------------------------------------------------------------ actions file errors

#[test]
fn actions_file_errors_are_located() {
    let m = small();
    let check = |text: &str, expected: &[&str]| {
        let got: Vec<String> = parse_actions(text, "acts.yaml", &m)
            .unwrap_err()
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(got, expected, "for:\n{text}");
    };
    // serde_yaml's own errors carry its location.
    check(
        "actions:\n  - raise_stock: { item: part-a, dayz: 3 }\n",
        &["acts.yaml:2:34: actions[0].raise_stock: unknown field `dayz`, expected one of `id`, `item`, `days`"],
    );
    check(
        "actoins: []\n",
        &["acts.yaml:1:1: unknown field `actoins`, expected `actions`"],
    );
    // Semantic errors: every one, at the offending value.
    check(
        "actions:\n  - add_source: { item: nope, share: 1.5 }\n  - raise_stock: { item: part-a, days: -1 }\n  - {}\n  - add_source: { item: part-a, share: 0.5, country: XX }\n",
        &[
            "acts.yaml:2:25: unknown item `nope`",
            "acts.yaml:2:38: share 1.5: must be in (0, 1]",
            "acts.yaml:3:40: days -1: must be a positive number",
            "acts.yaml:4:5: each action needs exactly one of add_source, raise_stock, qualify_alternative, qualify_standby",
            "acts.yaml:5:54: `XX` is not an ISO 3166-1 alpha-2 country code",
        ],
    );
    check(
        "actions:\n  - raise_stock: { id: x, item: part-a, days: 5 }\n  - raise_stock: { id: x, item: part-b, days: 5 }\n",
        &["acts.yaml:3:5: duplicate action id `x` (first used by action 1)"],
    );
    check(
        "actions:\n  - add_source: { item: sys-a, share: 0.5 }\n",
        &["acts.yaml:2:25: item `sys-a` has no supply edges: a new source needs existing shares to rebalance"],
    );
}

#[test]
fn generated_candidates_cover_every_foreign_dependent_item() {
    let m = small();
    let acts = mitigate::generate_actions(&m, Case::Mid, &Default::default());
    // Screen: HHI_country > 0.4 and DI > 0.5. part-a: HHI 1, DI 1 → in.
    // part-b: HHI 0.5² + 0.5² = 0.5, DI 1 → in. part-c: HHI 0.8² + 0.2² = 0.68,
    // DI 0.8 → in. Each gets a domestic source and (stock 0 < 180) a stock raise.
    let got: Vec<&str> = acts.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        got,
        vec![
            "domestic:part-a",
            "stock:part-a",
            "domestic:part-b",
            "stock:part-b",
            "domestic:part-c",
            "stock:part-c"
        ]
    );
    assert_eq!(
        acts[0].description,
        "Add a domestic (CN) source for part-a with share 0.5 (the item lists no bill of materials: a domestic source needs no inputs)"
    );
    assert_eq!(acts[1].description, "Raise the stock of part-a to 180 days");
}

// ------------------------------------------------------------ the shipped graphs

/// Order-1 choke points by country whose via paths end at one of `items`
/// (the events cut that item's own supply), as "system:event".
fn spof_through(model: &Model, items: &[&str]) -> Vec<String> {
    let g = SupplyGraph::new(model);
    let logic = FailureLogic::for_roots(&g, EventKind::Country, 1, Case::Mid, g.systems()).unwrap();
    let mut out = Vec::new();
    for &s in g.systems() {
        for c in logic.cut_sets(s) {
            let ends_at_tube = c.via.iter().any(|p| {
                p.last()
                    .is_some_and(|i| items.contains(&g.item(*i).id.as_str()))
            });
            if ends_at_tube {
                out.push(format!("{}:{}", g.item(s).id, c.events[0].id(&g)));
            }
        }
    }
    out
}

/// Country cut sets of F(item) up to `k`, as sorted event-id lists.
fn item_cut_sets(model: &Model, item: &str, k: usize) -> Vec<Vec<String>> {
    let g = SupplyGraph::new(model);
    let ix = g.item_ix(item).unwrap();
    chokepoint::analysis::minimal_cut_sets(&g, ix, EventKind::Country, k, Case::Mid)
        .unwrap()
        .iter()
        .map(|c| c.events.iter().map(|e| e.id(&g)).collect())
        .collect()
}

#[test]
fn domestic_tube_source_on_the_shipped_graphs() {
    let m = load(&shipped()).model;
    // The X-ray tubes of graphs/shared/xray.yaml.
    let xray = m
        .files
        .iter()
        .position(|f| f.path.ends_with("shared/xray.yaml"))
        .expect("graphs/shared/xray.yaml") as u32;
    let tubes: Vec<&str> = m
        .items
        .values()
        .filter(|i| {
            i.loc.file == xray
                && i.id.as_str().contains("tube")
                && i.kind == chokepoint::model::ItemKind::Part
        })
        .map(|i| i.id.as_str())
        .collect();
    assert_eq!(
        tubes,
        vec![
            "ct-tube",
            "ct-tube-highend",
            "xray-tube-angio",
            "xray-tube-dr"
        ]
    );

    // Before: no system has a tube as an order-1 choke point by country. The
    // high-end CT tube has no domestic source; its foreign makers deliver it
    // finished (spec v2), so it stops only when DE, JP and US all stop — China's
    // tungsten no longer stops an imported tube, and its thermal-simulation
    // software is a design requirement.
    assert_eq!(spof_through(&m, &tubes), Vec::<String>::new());
    assert_eq!(
        item_cut_sets(&m, "ct-tube-highend", 3),
        vec![ids(&["DE", "JP", "US"])]
    );

    let text = std::fs::read_to_string(fixture("mitigate/domestic-tube.yaml")).unwrap();
    let actions = parse_actions(&text, "domestic-tube.yaml", &m).unwrap();
    let after = apply(&m, &[&actions[0]]).unwrap();
    // After: a domestic edge (United Imaging, CN, share 0.5) joins the tube's
    // sources and needs its bill of materials, so stopping the tube now takes
    // DE, JP and US plus whatever stops domestic production: every set of order
    // ≤ 4 contains {DE, JP, US}, and no triple is left.
    let after_sets = item_cut_sets(&after, "ct-tube-highend", 4);
    assert!(!after_sets.is_empty());
    for set in &after_sets {
        assert_eq!(set.len(), 4, "{set:?}");
        for c in ["DE", "JP", "US"] {
            assert!(set.contains(&c.to_string()), "{set:?}");
        }
    }
    assert!(after_sets.contains(&ids(&["CN", "DE", "JP", "US"])));
    assert_eq!(spof_through(&after, &tubes), Vec::<String>::new());
    // The loaded model is untouched.
    assert_eq!(
        item_cut_sets(&m, "ct-tube-highend", 3),
        vec![ids(&["DE", "JP", "US"])]
    );

    // The planner sees it too: offered alone, the action changes neither PI (the
    // tube's 180 days of stock already outlast every declared scenario's loss of
    // it) nor the order-1 list, so the plan takes no action.
    let plan = mitigate::plan(&m, &actions, &opts(1)).unwrap();
    assert_eq!(plan.candidates[0].alone_delta_choke_points, Some(0));
    assert_close(
        plan.candidates[0].alone_delta_impact.unwrap(),
        0.0,
        "tube ΔPI",
    );
    assert!(plan.chosen().actions.is_empty());
}

// ------------------------------------------------------------ the command line

#[test]
fn mitigate_cli_json_is_the_plan() {
    let out = bin()
        .args(["mitigate", "tests/fixtures/mitigate/small", "--budget", "2"])
        .args([
            "--actions",
            "tests/fixtures/mitigate/small-actions.yaml",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v = json_ok(out);
    assert_eq!(v["schema"], "chokepoint/mitigate/1");
    assert_eq!(v["method"], "exact");
    assert_eq!(v["objective"], "declared");
    assert_eq!(v["scenarios"], serde_json::json!(["us-stop"]));
    assert_eq!(v["baseline"]["total_impact"], 280.0);
    assert_eq!(
        v["exact"]["actions"],
        serde_json::json!(["stock-b", "dom-a"])
    );
    assert_eq!(
        v["greedy"]["actions"],
        serde_json::json!(["stock-b", "dom-a"])
    );
    assert_eq!(v["exact"]["steps"][1]["delta_choke_points"], 1);
    assert_eq!(
        v["exact"]["steps"][1]["choke_points_removed"],
        serde_json::json!([{ "system": "sys-a", "event": "US", "conditional": false }])
    );
    assert_eq!(v["candidates"][1]["kind"], "add_source");
    assert_eq!(v["candidates"][1]["country"], "CN");
    assert_eq!(v["greedy_is_optimal"], true);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        vec![
            "schema",
            "title",
            "home",
            "currency",
            "case",
            "by",
            "budget",
            "objective",
            "scenarios",
            "method",
            "subsets",
            "evaluations",
            "baseline",
            "candidates",
            "greedy",
            "exact",
            "greedy_is_optimal"
        ]
    );
}

#[test]
fn mitigate_cli_csv_and_markdown_list_every_step() {
    let run = |fmt: &str| {
        let out = bin()
            .args(["mitigate", "tests/fixtures/mitigate/small", "--budget", "2"])
            .args([
                "--actions",
                "tests/fixtures/mitigate/small-actions.yaml",
                "--format",
                fmt,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(
        run("csv"),
        "plan,step,action,description,delta_impact,delta_choke_points,total_impact,choke_points,choke_point_list,removed,added\n\
exact,0,,baseline,,,280,1,sys-a:US,,\n\
exact,1,stock-b,Raise the stock of part-b to 100 days,100,0,180,1,sys-a:US,,\n\
exact,2,dom-a,Add a domestic (CN) source for part-a with share 0.5 (the item lists no bill of materials: a domestic source needs no inputs),50,1,130,0,,sys-a:US,\n\
greedy,0,,baseline,,,280,1,sys-a:US,,\n\
greedy,1,stock-b,Raise the stock of part-b to 100 days,100,0,180,1,sys-a:US,,\n\
greedy,2,dom-a,Add a domestic (CN) source for part-a with share 0.5 (the item lists no bill of materials: a domestic source needs no inputs),50,1,130,0,,sys-a:US,\n"
    );
    let md = run("md");
    assert!(md.contains("### Plan (exact optimum)\n\n| step | action | ΔPI (CNY) | Δ choke points | PI after (CNY) | choke points after | removed | added |\n|---|---|---|---|---|---|---|---|\n| 1 | stock-b | 100 | 0 | 180 | 1 |  |  |\n| 2 | dom-a | 50 | +1 | 130 | 0 | System A: US |  |\n"), "{md}");
    // Tables name systems and events (the CSV above keeps ids).
    assert!(md.contains("| System A | US | US | — |"), "{md}");
    let table = run("table");
    assert!(table.lines().all(|l| l.chars().count() <= 80), "{table}");
    assert!(table.contains(
        "Baseline: PI 280 CNY, 1 order-1 choke point(s). Plan: PI 130 CNY, 0 choke\n  point(s)."
    ));
}

#[test]
fn mitigate_cli_usage_errors_exit_2() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--budget", "0"],
            "error[U001]: --budget 0: no action to choose\n  \
             help: give --budget 1 or more (the number of actions to choose)\n",
        ),
        (
            &["--budget", "1", "--scenario", "nope"],
            "error[U001]: unknown scenario `nope` (the graph declares: us-stop)\n  \
             help: run `chokepoint mitigate --help` for the flags and an example\n",
        ),
        (
            &[
                "--budget",
                "1",
                "--actions",
                "tests/fixtures/mitigate/missing.yaml",
            ],
            "error[E015]: cannot read actions file tests/fixtures/mitigate/missing.yaml: ",
        ),
        (
            &["--budget", "1", "--sweep", "country", "--days", "0"],
            "error[U001]: --days 0: must be a whole number from 1 to 36500\n  \
             help: run `chokepoint mitigate --help` for the flags and an example\n",
        ),
    ];
    for (args, msg) in cases {
        let out = bin()
            .args(["mitigate", "tests/fixtures/mitigate/small"])
            .args(*args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(msg), "{args:?}: {err}");
        assert!(out.stdout.is_empty());
    }
    // A bad actions file: located, exit 2.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.yaml");
    std::fs::write(&p, "actions:\n  - raise_stock: { item: ghost, days: 5 }\n").unwrap();
    let out = bin()
        .args([
            "mitigate",
            "tests/fixtures/mitigate/small",
            "--budget",
            "1",
            "--actions",
        ])
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    // One diagnostic (code, place, hint), as for every input.
    assert_eq!(
        err,
        format!(
            "{}:2:26: error[A002]: unknown item `ghost`\n  \
             help: name items, suppliers and countries of the graph, and give each action its own id\n\
             error: 1 error(s) in the actions file\n",
            p.display()
        )
    );
}

// ------------------------------------------------------------ diff

fn diff_fixtures() -> chokepoint::diff::GraphDiff {
    let old = load(&fixture("diff/old")).model;
    let new = load(&fixture("diff/new")).model;
    chokepoint::diff::diff(&old, &new, "old", "new", &Default::default()).unwrap()
}

#[test]
fn diff_lists_exactly_the_planted_changes() {
    let d = diff_fixtures();
    let got: Vec<String> = d
        .changes
        .iter()
        .map(|c| {
            format!(
                "{} | {} | {} | {} | {} | {}",
                c.entity.as_str(),
                c.key,
                c.change.as_str(),
                c.field.as_deref().unwrap_or(""),
                c.old.as_deref().unwrap_or(""),
                c.new.as_deref().unwrap_or("")
            )
        })
        .collect();
    // The eight planted changes of tests/fixtures/diff/new/graph.yaml, one row per
    // field or edge, sorted by entity, key, kind of change, field.
    assert_eq!(
        got,
        vec![
            "reference | ref-2 | added |  |  | New survey",
            "supplier | s-kr | added |  |  | KR Parts (KR)",
            "item | glue | removed |  | Glue (material) | ",
            "item | part-a | changed | cite | ref-1 | ref-1, ref-2",
            "item | part-a | changed | recovery_days |  | 365",
            "item | part-a | changed | stock_days |  | 30",
            "item | part-d | added |  |  | Part D (component)",
            "requirement | sys-a → part-b | changed | cost_share | 0.3 | 0.4",
            "requirement | sys-b → glue | removed |  |  | ",
            "requirement | sys-b → part-d | added |  |  | cost_share 0.1",
            "supply | glue ← s-cn (CN) | removed |  | share 1 | ",
            "supply | part-b ← s-jp (JP) | changed | share | 0.5 | 0.3",
            "supply | part-c ← s-kr (KR) | added |  |  | share 0.2",
            "supply | part-c ← s-us (US) | changed | share | 0.8 | 0.6",
            "supply | part-d ← s-jp (JP) | added |  |  | share 1",
        ]
    );
    // A graph compared with itself has no change at all.
    let old = load(&fixture("diff/old")).model;
    let same = chokepoint::diff::diff(&old, &old, "a", "b", &Default::default()).unwrap();
    assert!(same.changes.is_empty());
    assert!(same.risk.is_empty());
    assert!(same.systems.iter().all(|s| !s.changed()));
    assert!(same.scenarios.iter().all(|s| !s.changed()));
}

#[test]
fn diff_metrics_by_hand() {
    let d = diff_fixtures();
    // EID sys-a: old 0.5·1 + 0.3·1 = 0.8 (both parts foreign); new 0.5 + 0.4 = 0.9.
    // sys-b: old 0.6 · EID(part-c) = 0.6 · 0.8 = 0.48 (glue has no cost share);
    // new part-c is still 0.8 foreign (US 0.6 + KR 0.2) → 0.48, plus part-d 0.1 · 1.
    let eid: Vec<(&str, f64, f64, f64, f64)> = d
        .systems
        .iter()
        .map(|s| {
            (
                s.id.as_str(),
                s.embodied_import_share_old.unwrap(),
                s.embodied_import_share_new.unwrap(),
                s.coverage_old.unwrap(),
                s.coverage_new.unwrap(),
            )
        })
        .collect();
    assert_eq!(
        eid,
        vec![
            ("sys-a", 0.8, 0.9, 0.8, 0.9),
            ("sys-b", 0.48, 0.58, 0.6, 0.7)
        ]
    );
    // Cut sets by country, order ≤ 2: sys-a keeps {US} (part-a). sys-b loses {CN}
    // (glue, CN-only) and gains {JP} (part-d, JP-only); part-c's {CN, KR, US} is order 3.
    assert!(d.systems[0].cut_sets_added.is_empty() && d.systems[0].cut_sets_removed.is_empty());
    assert_eq!(d.systems[1].cut_sets_removed, vec![ids(&["CN"])]);
    assert_eq!(d.systems[1].cut_sets_added, vec![ids(&["JP"])]);
    // Risk of part-a: import 1, country 1, supplier 1 → 10·(0.3 + 0.2 + 0.15) = 6.5
    // (medium). With recovery 365 (factor 1) and stock 30 (buffer 1 − 30/365):
    // 6.5 + 10·(0.15 + 0.1·(335/365)) = 8.9178… (high). No other band moves.
    assert_eq!(d.risk.len(), 1);
    assert_eq!(d.risk[0].id, "part-a");
    assert_eq!(d.risk[0].band_old, chokepoint::analysis::Band::Medium);
    assert_eq!(d.risk[0].band_new, chokepoint::analysis::Band::High);
    assert_close(d.risk[0].score_old, 6.5, "old score");
    assert_close(
        d.risk[0].score_new,
        round9(6.5 + 1.5 + 335.0 / 365.0),
        "new score",
    );
    // us-stop (100 days). Old: sys-a needs part-a (US-only, no stock): output 0,
    // LP 100, PI 100; sys-b runs on part-c's CN 0.2: LP 80, PI 80.
    // New: part-b survives at 0.3/0.8 = 0.375 and part-a's 30 days of stock cover
    // t = 0..29, so sys-a runs at 0.375 for 30 days, then 0: LP = 30·0.625 + 70 =
    // 88.75. sys-b: part-c survives at 0.4 (CN + KR): LP 60. TTS is day 0 throughout.
    let runs = &d.scenarios;
    assert_eq!(runs.len(), 2);
    let expected = [("sys-a", 100.0, 88.75), ("sys-b", 80.0, 60.0)];
    for (r, (system, old_pi, new_pi)) in runs.iter().zip(expected) {
        assert_eq!(r.scenario, "us-stop");
        assert_eq!(r.system, system);
        assert_eq!((r.tts_old, r.tts_new), (Some(0), Some(0)), "{system} TTS");
        assert_close(r.impact_old.unwrap(), old_pi, "PI old");
        assert_close(r.impact_new.unwrap(), new_pi, "PI new");
    }
}

fn round9(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}

#[test]
fn diff_cli_formats() {
    let run = |fmt: &str| {
        let out = bin()
            .args([
                "diff",
                "tests/fixtures/diff/old",
                "tests/fixtures/diff/new",
                "-q",
            ])
            .args(["--format", fmt])
            .output()
            .unwrap();
        stdout_ok(out)
    };
    let v: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(v["schema"], "chokepoint/diff/1");
    assert_eq!(v["old"], "tests/fixtures/diff/old");
    assert_eq!(v["changes"].as_array().unwrap().len(), 15);
    assert_eq!(v["scenarios"][0]["impact_new"], 88.75);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        vec![
            "schema",
            "old",
            "new",
            "case",
            "by",
            "order",
            "currency",
            "changes",
            "systems",
            "risk",
            "scenarios"
        ]
    );
    let csv = run("csv");
    let tail: Vec<&str> = csv.lines().skip(16).collect();
    assert_eq!(csv.lines().next(), Some("section,key,field,change,old,new"));
    assert_eq!(
        tail,
        vec![
            "embodied_import_share,sys-a,,changed,0.8,0.9",
            "embodied_import_share,sys-b,,changed,0.48,0.58",
            "cut_set,sys-b,CN,removed,,",
            "cut_set,sys-b,JP,added,,",
            "risk_band,part-a,,changed,medium,high",
            "scenario,us-stop/sys-a,impact,changed,100,88.75",
            "scenario,us-stop/sys-b,impact,changed,80,60",
        ]
    );
    let md = run("md");
    assert!(
        md.contains("| supply | Part B ← JP Parts (JP) | changed | share | 0.5 | 0.3 |"),
        "{md}"
    );
    // Tables name items and systems (the CSV above keeps ids).
    assert!(
        md.contains("| Part A | medium | high | 6.5 | 8.9 |"),
        "{md}"
    );
    assert!(md.contains("| System B | removed | 1 | {CN} |"), "{md}");
    assert!(
        md.contains("| us-stop | System A | 0 | 0 | 100 | 89 |"),
        "{md}"
    );
    let table = run("table");
    assert!(table.lines().all(|l| l.chars().count() <= 80), "{table}");
    // Deterministic: the same input prints the same bytes.
    assert_eq!(run("table"), table);
}

#[test]
fn diff_rev_extracts_graphs_from_git() {
    if !tool_available("git") {
        return;
    }
    let repo = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let st = std::process::Command::new("git")
            .arg("-C")
            .arg(repo.path())
            .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            st.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&st.stderr)
        );
    };
    git(&["init", "-q"]);
    let graphs = repo.path().join("graphs");
    std::fs::create_dir_all(&graphs).unwrap();
    let copy = |side: &str| {
        std::fs::copy(
            fixture(&format!("diff/{side}/graph.yaml")),
            graphs.join("graph.yaml"),
        )
        .unwrap();
    };
    copy("old");
    git(&["add", "graphs"]);
    git(&["commit", "-q", "-m", "old"]);
    copy("new");
    git(&["commit", "-q", "-am", "new"]);

    let run = |args: &[&str]| {
        bin()
            .arg("diff")
            .args(args)
            .arg("--repo")
            .arg(repo.path())
            .args(["-q", "--format", "json"])
            .output()
            .unwrap()
    };
    let out = run(&["--rev", "HEAD~1", "--rev", "HEAD"]);
    let v = json_ok(out);
    assert_eq!(v["old"], "HEAD~1:graphs");
    assert_eq!(v["new"], "HEAD:graphs");
    let expected = serde_json::to_value(diff_fixtures().changes).unwrap();
    assert_eq!(v["changes"], expected);
    // One revision: against the working tree (which holds the new side).
    let out = run(&["--rev", "HEAD~1"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["changes"], expected);
    // HEAD against the working tree: nothing changed.
    let out = run(&["--rev", "HEAD"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["changes"], serde_json::json!([]));
    // Bad revisions and option-like revisions are usage errors.
    for bad in ["no-such-rev", "--output=x"] {
        let out = run(&["--rev", bad, "--rev", "HEAD"]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn diff_cli_usage_errors_exit_2() {
    for args in [
        vec!["diff"],
        vec!["diff", "tests/fixtures/diff/old"],
        vec![
            "diff",
            "tests/fixtures/diff/old",
            "tests/fixtures/diff/new",
            "--order",
            "0",
        ],
        vec![
            "diff",
            "tests/fixtures/diff/old",
            "tests/fixtures/diff/missing",
        ],
    ] {
        let out = bin().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

// ------------------------------------------------------------ property: exact = brute force

fn random_actions(spec: &[(u8, u8, u8)]) -> String {
    // (kind, part, amount): kind 0 = add_source (share amount/10 + 0.1), 1 = raise_stock (amount·15 days).
    let mut s = String::from("actions:\n");
    for (k, (kind, part, amount)) in spec.iter().enumerate() {
        let part = ["part-a", "part-b", "part-c"][*part as usize % 3];
        if kind % 2 == 0 {
            s.push_str(&format!(
                "  - add_source: {{ id: a{k}, item: {part}, share: {} }}\n",
                f64::from(amount % 9) / 10.0 + 0.1
            ));
        } else {
            s.push_str(&format!(
                "  - raise_stock: {{ id: a{k}, item: {part}, days: {} }}\n",
                u32::from(amount % 10) * 15 + 5
            ));
        }
    }
    s
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
    #[test]
    fn exact_search_equals_brute_force_and_never_loses_to_greedy(
        spec in proptest::collection::vec((0u8..2, 0u8..3, 0u8..10), 1..6),
        budget in 1usize..4,
    ) {
        let m = small();
        let actions = parse_actions(&random_actions(&spec), "r.yaml", &m).unwrap();
        let o = opts(budget);
        let p = mitigate::plan(&m, &actions, &o).unwrap();
        let exact = p.exact.as_ref().expect("a handful of actions is always searched exactly");
        // Brute force, independently: every subset of size ≤ K through apply + evaluate.
        let n = actions.len();
        let mut best = (i128::MAX, usize::MAX);
        for mask in 0u32..(1 << n) {
            if mask.count_ones() as usize > budget {
                continue;
            }
            let set: Vec<&Action> = (0..n).filter(|i| mask & (1 << i) != 0).map(|i| &actions[i]).collect();
            let e = mitigate::evaluate(&apply(&m, &set).unwrap(), &o);
            best = best.min(((e.total_impact * 1000.0).round() as i128, e.choke_point_count));
        }
        let value = |s: &mitigate::Selection| ((s.total_impact * 1000.0).round() as i128, s.choke_point_count);
        proptest::prop_assert_eq!(value(exact), best);
        proptest::prop_assert!(value(&p.greedy) >= best);
        proptest::prop_assert_eq!(p.greedy_is_optimal, Some(value(&p.greedy) == best));
        proptest::prop_assert!(exact.actions.len() <= budget && p.greedy.actions.len() <= budget);
    }
}
