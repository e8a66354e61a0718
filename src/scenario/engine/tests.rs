//! The event-driven engine against spec §3.6 written as the literal day loop
//! (the engine this crate had before it jumped from event to event; kept here
//! as the reference only). Equality is exact: every day's E of every item,
//! hence TTS and LP, bit for bit.

use super::*;
use crate::graph::{Assumptions, Scope, Unattributed};
use crate::scenario::ScenarioSpec;
use proptest::prelude::*;

/// §3.6 day by day: every item, every day, production re-evaluated (no
/// shortcut for the items the engine proves unaffected, so a wrong proof shows).
/// Returns E_i(t) as a days × items table.
fn day_by_day(g: &SupplyGraph, params: &CaseParams, failure: &Failure, days: u32) -> Vec<Vec<f64>> {
    let n = g.item_count();
    let order: Vec<ItemIx> = g.bottom_up().to_vec();
    let mut availability = vec![1.0_f64; n];
    let mut stock: Vec<f64> = params.stock.clone();
    let mut table = Vec::with_capacity(days as usize);
    for t in 0..days {
        for &i in &order {
            let ix = i.index();
            let p = production(g, params, failure, i, t, &|m| availability[m.index()]);
            let shortfall = 1.0 - p;
            let e = if shortfall <= STOCK_TOLERANCE {
                1.0
            } else if stock[ix] >= shortfall - STOCK_TOLERANCE {
                stock[ix] = (stock[ix] - shortfall).max(0.0);
                1.0
            } else {
                let e = 1.0 - (shortfall - stock[ix]);
                stock[ix] = 0.0;
                e
            };
            availability[ix] = e;
        }
        table.push(availability.clone());
    }
    table
}

const SUPPLIERS: [(&str, &str); 5] = [
    ("s0", "CN"),
    ("s1", "US"),
    ("s2", "JP"),
    ("s3", "DE"),
    ("s4", "CN"),
];

/// (any_of, raw member picks, qualify_days of the 2nd and 3rd members in
/// half days: (low, high − low); 0 = none).
type GenReq = (bool, Vec<usize>, Vec<(u32, u32)>);

#[derive(Clone, Debug)]
struct GenItem {
    /// (supplier, share in sixteenths, own requires: None / bom / one later item).
    supply: Vec<(usize, u32, Option<Option<usize>>)>,
    /// Requirements ([`GenReq`]).
    reqs: Vec<GenReq>,
    /// Stock in quarter days (quarters make "runs out exactly on a day boundary" common).
    stock: Option<u32>,
    /// Recovery in days, sometimes half days.
    recovery: Option<u32>,
}

fn gen_item() -> impl Strategy<Value = GenItem> {
    (
        proptest::collection::vec(
            (
                0..5usize,
                1..=5u32,
                proptest::option::of(proptest::option::of(0..100usize)),
            ),
            0..4,
        ),
        proptest::collection::vec(
            (
                any::<bool>(),
                proptest::collection::vec(0..100usize, 1..4),
                proptest::collection::vec((0..90u32, prop_oneof![Just(0u32), 0..40u32]), 2),
            ),
            0..3,
        ),
        proptest::option::of(0..48u32),
        proptest::option::of(0..50u32),
    )
        .prop_map(|(supply, reqs, stock, recovery)| GenItem {
            supply,
            reqs,
            stock,
            recovery,
        })
}

/// YAML of generated items: item 0 is a system; requirements (and sources' own
/// lists) point to later items only, so the graph is acyclic.
fn gen_yaml(items: &[GenItem]) -> String {
    let n = items.len();
    let mut y = String::from("meta: { title: t, home: CN, currency: CNY }\nsuppliers:\n");
    for (id, c) in SUPPLIERS {
        y.push_str(&format!("  - {{ id: {id}, name: {id}, country: {c} }}\n"));
    }
    y.push_str("items:\n");
    let later = |k: usize, r: usize| k + 1 + r % (n - k - 1);
    for (k, it) in items.iter().enumerate() {
        let kind = if k == 0 { "system" } else { "part" };
        y.push_str(&format!(
            "  - id: i{k}\n    kind: {kind}\n    name: Item {k}\n    market_value: 365\n"
        ));
        let mut seen = Vec::new();
        let supply: Vec<String> = it
            .supply
            .iter()
            .filter(|(s, _, _)| {
                let fresh = !seen.contains(s);
                seen.push(*s);
                fresh
            })
            .map(|(s, q, own)| {
                let own = match own {
                    Some(None) => ", requires: bom".to_string(),
                    Some(Some(r)) if k + 1 < n => {
                        format!(", requires: [{{ item: i{} }}]", later(k, *r))
                    }
                    _ => String::new(),
                };
                format!("{{ supplier: s{s}, share: {}{own} }}", *q as f64 / 16.0)
            })
            .collect();
        if !supply.is_empty() {
            y.push_str(&format!("    supply: [{}]\n", supply.join(", ")));
        }
        let mut reqs: Vec<String> = Vec::new();
        let mut used: Vec<usize> = Vec::new();
        if k + 1 < n {
            for (any_of, raw, qualify) in &it.reqs {
                let mut members: Vec<usize> = raw.iter().map(|r| later(k, *r)).collect();
                members.sort_unstable();
                members.dedup();
                members.retain(|m| !used.contains(m));
                if members.is_empty() {
                    continue;
                }
                used.extend(&members);
                if *any_of && members.len() > 1 {
                    // The first member counts from day 0 (E025); the others
                    // from their qualify_days, a range sometimes.
                    let ids: Vec<String> = members
                        .iter()
                        .enumerate()
                        .map(
                            |(j, m)| match j.checked_sub(1).and_then(|j| qualify.get(j)) {
                                Some(&(low, 0)) if low > 0 => {
                                    format!("{{ item: i{m}, qualify_days: {} }}", low as f64 / 2.0)
                                }
                                Some(&(low, extra)) if extra > 0 => format!(
                                    "{{ item: i{m}, qualify_days: {{ low: {}, high: {} }} }}",
                                    low as f64 / 2.0,
                                    (low + extra) as f64 / 2.0
                                ),
                                _ => format!("i{m}"),
                            },
                        )
                        .collect();
                    reqs.push(format!("{{ any_of: [{}] }}", ids.join(", ")));
                } else {
                    for m in members {
                        reqs.push(format!("{{ item: i{m} }}"));
                    }
                }
            }
            if k == 0 && reqs.is_empty() {
                reqs.push("{ item: i1 }".into());
            }
        }
        if !reqs.is_empty() {
            y.push_str(&format!("    requires: [{}]\n", reqs.join(", ")));
        }
        if let Some(s) = it.stock {
            y.push_str(&format!("    stock_days: {}\n", s as f64 / 4.0));
        }
        if let Some(r) = it.recovery {
            y.push_str(&format!("    recovery_days: {}\n", r as f64 / 2.0));
        }
    }
    y
}

fn failure_of(g: &SupplyGraph, countries: u8, suppliers: u8, items: u16, days: u32) -> Failure {
    let mut s = ScenarioSpec::baseline(days);
    s.failed_countries = ["US", "JP", "DE", "CN"]
        .iter()
        .enumerate()
        .filter(|(b, _)| countries >> b & 1 == 1)
        .filter_map(|(_, c)| g.country_ix(c))
        .collect();
    s.failed_suppliers = (0..SUPPLIERS.len())
        .filter(|b| suppliers >> b & 1 == 1)
        .filter_map(|b| g.supplier_ix(SUPPLIERS[b].0))
        .collect();
    s.failed_items = g
        .items()
        .filter(|i| i.index() < 16 && items >> i.index() & 1 == 1)
        .collect();
    Failure::from_spec(g, &s)
}

/// Asserts the two engines agree on every item and day, and the run's derived
/// figures (series, TTS, LP, first short days) follow.
fn check(g: &SupplyGraph, case: Case, failure: &Failure, days: u32) -> Result<(), TestCaseError> {
    let params = CaseParams::new(g, case);
    let reference = day_by_day(g, &params, failure, days);
    let all: Vec<ItemIx> = g.items().collect();
    let run = run(g, &params, failure, days, &all, true);
    for i in g.items() {
        let series = &run.series[i.index()];
        prop_assert_eq!(series.len(), days as usize);
        for t in 0..days as usize {
            prop_assert!(
                series[t].to_bits() == reference[t][i.index()].to_bits(),
                "item i{} day {}: event-driven {} vs day-by-day {}",
                i.index(),
                t,
                series[t],
                reference[t][i.index()]
            );
            prop_assert_eq!(run.steps.value(i, t as u32).to_bits(), series[t].to_bits());
        }
        let tts = (0..days as usize)
            .find(|&t| reference[t][i.index()] < 1.0)
            .map(|t| t as u32);
        prop_assert_eq!(run.first_short[i.index()], tts, "TTS of i{}", i.index());
        let lp_ref: f64 = reference
            .iter()
            .map(|e| 1.0 - e[i.index()])
            .fold(0.0, |a, x| a + x);
        let lp: f64 = series.iter().map(|o| 1.0 - o).fold(0.0, |a, x| a + x);
        prop_assert_eq!(lp.to_bits(), lp_ref.to_bits(), "LP of i{}", i.index());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn event_driven_equals_day_by_day_on_random_graphs_and_scenarios(
        items in proptest::collection::vec(gen_item(), 2..9),
        countries in 0u8..16, suppliers in 0u8..32, failed_items in 0u16..512,
        days in 1u32..70,
        world in any::<bool>(), survives in any::<bool>(), case in 0..3usize,
    ) {
        let l = crate::load::load_sources(vec![("g.yaml".into(), gen_yaml(&items))])
            .map_err(|e| TestCaseError::fail(e.render(false)))?;
        let assumptions = Assumptions {
            scope: if world { Scope::World } else { Scope::Home },
            unattributed: if survives { Unattributed::Survives } else { Unattributed::Proportional },
            reach: false,
        };
        let g = SupplyGraph::with_assumptions(&l.model, assumptions);
        let case = [Case::Low, Case::Mid, Case::High][case];
        let failure = failure_of(&g, countries, suppliers, failed_items, days);
        check(&g, case, &failure, days)?;
    }
}

/// Loads a hand-written graph.
fn graph(yaml: &str) -> crate::load::Loaded {
    match crate::load::load_sources(vec![("g.yaml".into(), yaml.to_string())]) {
        Ok(l) => l,
        Err(e) => panic!("{}", e.render(false)),
    }
}

const HEAD: &str = "meta: { title: t, home: CN, currency: CNY }\nsuppliers:\n  - { id: us, name: us, country: US }\n  - { id: cn, name: cn, country: CN }\n  - { id: jp, name: jp, country: JP }\n";

fn us_failed(g: &SupplyGraph, days: u32) -> Failure {
    failure_of(g, 1, 0, 0, days)
}

#[test]
fn stock_running_out_exactly_on_a_day_boundary_gives_full_output_that_day() {
    // Shortfall 0.5 a day, stock 2.0: days 0–3 are covered exactly (the stock
    // reaches 0 at the end of day 3), day 4 is the first short day at 0.5.
    let l = graph(&format!(
        "{HEAD}items:\n  - {{ id: sys, kind: system, name: S, supply: [{{ supplier: us, share: 0.5 }}, {{ supplier: cn, share: 0.5 }}], stock_days: 2 }}\n"
    ));
    let g = SupplyGraph::new(&l.model);
    let f = us_failed(&g, 6);
    let params = CaseParams::new(&g, Case::Mid);
    let r = run(&g, &params, &f, 6, &[ItemIx(0)], false);
    assert_eq!(r.series[0], vec![1.0, 1.0, 1.0, 1.0, 0.5, 0.5]);
    assert_eq!(r.first_short[0], Some(4));
    check(&g, Case::Mid, &f, 6).unwrap();
}

#[test]
fn recovery_during_a_shortfall_restores_output_and_stops_the_draw_down() {
    // Part lost whole (US), stock 1.5, recovery 4: day 0 covered, day 1 at 0.5,
    // days 2–3 at 0, full again from day 4; the system follows its part.
    let l = graph(&format!(
        "{HEAD}items:\n  - {{ id: sys, kind: system, name: S, requires: [{{ item: part }}] }}\n  - {{ id: part, kind: part, name: P, supply: [{{ supplier: us, share: 1 }}], stock_days: 1.5, recovery_days: 4 }}\n"
    ));
    let g = SupplyGraph::new(&l.model);
    let f = us_failed(&g, 7);
    let params = CaseParams::new(&g, Case::Mid);
    let r = run(&g, &params, &f, 7, &[ItemIx(0), ItemIx(1)], true);
    assert_eq!(r.series[1], vec![1.0, 0.5, 0.0, 0.0, 1.0, 1.0, 1.0]);
    assert_eq!(r.series[0], r.series[1]);
    assert_eq!(r.chains[0].as_deref(), Some(&[ItemIx(0), ItemIx(1)][..]));
    check(&g, Case::Mid, &f, 7).unwrap();
}

#[test]
fn an_any_of_group_follows_its_best_member_as_the_members_run_out_at_different_days() {
    // Two alternatives lost to US with 2 and 4 days of stock: the group is full
    // until the later one runs out (day 4), then 0.
    let l = graph(&format!(
        "{HEAD}items:\n  - {{ id: sys, kind: system, name: S, requires: [{{ any_of: [a, b] }}] }}\n  - {{ id: a, kind: part, name: A, supply: [{{ supplier: us, share: 1 }}], stock_days: 2 }}\n  - {{ id: b, kind: part, name: B, supply: [{{ supplier: us, share: 1 }}], stock_days: 4 }}\n"
    ));
    let g = SupplyGraph::new(&l.model);
    let f = us_failed(&g, 6);
    let params = CaseParams::new(&g, Case::Mid);
    let r = run(&g, &params, &f, 6, &[ItemIx(0)], false);
    assert_eq!(r.series[0], vec![1.0, 1.0, 1.0, 1.0, 0.0, 0.0]);
    check(&g, Case::Mid, &f, 6).unwrap();
}

#[test]
fn the_worked_check_of_spec_3_6_has_its_100_days_of_stock_and_lp_48() {
    let l = graph(&format!(
        "{HEAD}items:\n  - {{ id: sys, kind: system, name: S, supply: [{{ supplier: us, share: 0.6 }}, {{ supplier: cn, share: 0.4 }}], stock_days: 60, recovery_days: 180 }}\n"
    ));
    let g = SupplyGraph::new(&l.model);
    let f = us_failed(&g, 365);
    let params = CaseParams::new(&g, Case::Mid);
    let r = run(&g, &params, &f, 365, &[ItemIx(0)], false);
    assert_eq!(r.first_short[0], Some(100));
    let lp: f64 = r.series[0].iter().map(|o| 1.0 - o).sum();
    assert!((lp - 48.0).abs() < 1e-9, "LP {lp}");
    // Three steps: full, 0.4 from day 100, full again from day 180.
    assert_eq!(r.steps.series(ItemIx(0)), r.series[0]);
    assert_eq!(r.steps.value(ItemIx(0), 99), 1.0);
    assert!((r.steps.value(ItemIx(0), 100) - 0.4).abs() < 1e-12);
    assert_eq!(r.steps.value(ItemIx(0), 180), 1.0);
    check(&g, Case::Mid, &f, 365).unwrap();
}

#[test]
fn an_any_of_member_with_qualify_days_counts_from_that_day_only() {
    // sys needs any_of [a, { b, qualify_days: 2.5 }]; a is lost to US, b is
    // domestic and never fails. Days 0–2 the group has only a (0); b counts
    // from day 3 (the first t ≥ 2.5).
    let l = graph(&format!(
        "{HEAD}items:\n  - {{ id: sys, kind: system, name: S, requires: [{{ any_of: [a, {{ item: b, qualify_days: 2.5 }}] }}] }}\n  - {{ id: a, kind: part, name: A, supply: [{{ supplier: us, share: 1 }}] }}\n  - {{ id: b, kind: part, name: B, supply: [{{ supplier: cn, share: 1 }}] }}\n"
    ));
    let g = SupplyGraph::new(&l.model);
    let f = us_failed(&g, 6);
    let params = CaseParams::new(&g, Case::Mid);
    let r = run(&g, &params, &f, 6, &[ItemIx(0)], true);
    assert_eq!(r.series[0], vec![0.0, 0.0, 0.0, 1.0, 1.0, 1.0]);
    assert_eq!(r.chains[0].as_deref(), Some(&[ItemIx(0), ItemIx(1)][..]));
    check(&g, Case::Mid, &f, 6).unwrap();
}

#[test]
fn a_source_whose_inputs_differ_only_in_qualify_days_draws_on_a_pool_of_its_own() {
    // sys requires any_of [a, b]; the cn supplier (0.5) needs that, the unnamed
    // CN producers (0.5) need any_of [a, { b, qualify_days: 2 }]. a is lost to
    // US, b is domestic. The first pool has b from day 0 (0.5); the second has
    // only a (0) until day 2, then b: 0.5, 0.5, 1, 1. One shared pool would
    // give 1 throughout.
    let l = graph(&format!(
        "{HEAD}items:\n  - {{ id: sys, kind: system, name: S, requires: [{{ any_of: [a, b] }}], supply: [{{ supplier: cn, share: 0.5 }}, {{ country: CN, share: 0.5, requires: [{{ any_of: [a, {{ item: b, qualify_days: 2 }}] }}] }}] }}\n  - {{ id: a, kind: part, name: A, supply: [{{ supplier: us, share: 1 }}] }}\n  - {{ id: b, kind: part, name: B, supply: [{{ supplier: cn, share: 1 }}] }}\n"
    ));
    let g = SupplyGraph::new(&l.model);
    assert_eq!(g.groups(ItemIx(0)).len(), 2);
    let f = us_failed(&g, 4);
    let params = CaseParams::new(&g, Case::Mid);
    let r = run(&g, &params, &f, 4, &[ItemIx(0)], false);
    assert_eq!(r.series[0], vec![0.5, 0.5, 1.0, 1.0]);
    check(&g, Case::Mid, &f, 4).unwrap();
}
