//! Scenarios (spec §3.6, §3.7, §3.9): hand-computed outcomes, properties on
//! random graphs cross-checked against a literal implementation of §3.6, and the
//! `chokepoint scenario` command end to end.

use crate::support::{assert_close, bin, fixture, json_ok, load, load_str, stdout_ok};
use chokepoint::graph::{ItemIx, SupplyGraph};
use chokepoint::model::Case;
use chokepoint::scenario::{self, ScenarioSpec, SweepKind};
use proptest::prelude::*;

const HEAD: &str = "meta: { title: t, home: CN, currency: CNY }\n";

fn loaded(yaml: &str) -> chokepoint::load::Loaded {
    match load_str(&[("g.yaml", yaml)]) {
        Ok(l) => l,
        Err(e) => panic!("test graph failed to load:\n{}", e.render(false)),
    }
}

fn ix(g: &SupplyGraph, id: &str) -> ItemIx {
    g.item_ix(id).unwrap_or_else(|| panic!("no item {id}"))
}

/// A spec failing the given countries, suppliers and items for `days` days.
fn spec(
    g: &SupplyGraph,
    countries: &[&str],
    suppliers: &[&str],
    items: &[&str],
    days: u32,
) -> ScenarioSpec {
    let mut s = ScenarioSpec::baseline(days);
    s.id = "test".into();
    s.failed_countries = countries
        .iter()
        .map(|c| g.country_ix(c).expect("country"))
        .collect();
    s.failed_suppliers = suppliers
        .iter()
        .map(|x| g.supplier_ix(x).expect("supplier"))
        .collect();
    s.failed_items = items.iter().map(|x| ix(g, x)).collect();
    s
}

fn assert_series(output: &[f64], from: usize, to: usize, expected: f64, what: &str) {
    for (t, o) in output.iter().enumerate().take(to).skip(from) {
        assert_close(*o, expected, &format!("{what} on day {t}"));
    }
}

// ---------------------------------------------------------------- §3.6 worked check

#[test]
fn worked_check_of_spec_3_6() {
    let l = load(&fixture("scenario/worked"));
    let g = SupplyGraph::new(&l.model);
    let declared = &l.model.scenarios["us-embargo"];
    let out = scenario::simulate(&g, &ScenarioSpec::from_declared(&g, declared), Case::Mid);
    let ct = &out.systems[0];
    // a = 0.4 (CN survives), shortfall 0.6/day until day 180; 60 days of stock
    // cover 60 / 0.6 = 100 days (t = 0..99).
    assert_eq!(ct.tts, Some(100));
    assert!(ct.buildable_day0);
    assert_eq!(ct.output.len(), 365);
    assert_series(&ct.output, 0, 100, 1.0, "covered by stock");
    assert_series(
        &ct.output,
        100,
        180,
        0.4,
        "after the stock, before recovery",
    );
    assert_series(&ct.output, 180, 365, 1.0, "recovered");
    // LP = 80 days × 0.6 = 48.0; PI = 48 × 365e6 / 365 = 48e6.
    assert_close(ct.lost_production, 48.0, "LP");
    assert!(
        (ct.impact.unwrap() - 48.0e6).abs() < 1e-6,
        "PI {:?}",
        ct.impact
    );
    assert_eq!(ct.full_again_day, Some(180));
    assert_eq!(
        ct.checkpoints
            .iter()
            .map(|c| (c.day, c.output))
            .collect::<Vec<_>>(),
        vec![(0, 1.0), (30, 1.0), (90, 1.0), (180, 1.0), (364, 1.0)]
    );
    // Δcost: ct buys the tube at cost share 0.4; the tube is 60 % US at 125 %, 40 %
    // domestic with no inputs: rate(tube) = 0.6 × 1.25 = 0.75; Δcost = 0.4 × 0.75 = 0.3.
    assert_close(ct.delta_cost, 0.3, "Δcost");
    assert_eq!(ct.short_items.len(), 1);
    assert_eq!(ct.short_items[0].id, "tube");
    assert_eq!(ct.short_items[0].first_short_day, 100);
    assert_eq!(ct.short_items[0].path_ids, vec!["ct", "tube"]);
    assert_eq!(
        ct.explanation,
        "CT falls to 40 % on day 100: the X-ray tube loses 60 % (US) and its 60 days of stock last \
         100 days; supply recovers on day 180; tariffs add 30 % to its cost."
    );
    assert_eq!(
        ct.explanation_zh,
        "CT机于第100天产出降至40 %：球管损失60 %供应（美国），其60天库存可维持100天；供应于第180天恢复；关税使成本增加30 %。"
    );
    // The tube runs short on day 100 < recovery 180: its US source is exposed.
    assert_eq!(out.exposed_sources.len(), 1);
    let e = &out.exposed_sources[0];
    assert_eq!(
        (
            e.item.as_str(),
            e.supplier.as_deref().unwrap_or(""),
            e.country.as_str(),
            e.tts
        ),
        ("tube", "us-co", "US", 100)
    );
    assert_close(e.share, 0.6, "exposed share");
    assert_eq!(out.first_short_day(ix(&g, "tube")), Some(100));
}

#[test]
fn baseline_fails_nothing_and_loses_nothing() {
    let l = load(&fixture("scenario/worked"));
    let g = SupplyGraph::new(&l.model);
    let out = scenario::simulate(&g, &ScenarioSpec::baseline(365), Case::Mid);
    let ct = &out.systems[0];
    assert_eq!(ct.tts, None);
    assert!(ct.output.iter().all(|o| *o == 1.0));
    assert_eq!(
        (ct.lost_production, ct.impact, ct.delta_cost),
        (0.0, Some(0.0), 0.0)
    );
    assert!(out.short_items.is_empty() && out.exposed_sources.is_empty());
    assert_eq!(
        ct.explanation,
        "CT survives the 365 days: nothing it needs runs short."
    );
}

// ------------------------------------------------------------ hand-computed cases

#[test]
fn input_shortage_and_parents_own_stock_interact() {
    // sys: own supply US 0.2 / CN 0.8 (a = 0.8, no recovery), 10 days of stock,
    // requires p. p: US 0.5 / CN 0.5 (a = 0.5, no recovery), 20 days of stock.
    let l = loaded(&format!(
        "{HEAD}suppliers:
  - {{ id: us-co, name: U, country: US }}
  - {{ id: cn-co, name: C, country: CN }}
items:
  - id: sys
    kind: system
    name: Sys
    market_value: 365
    stock_days: 10
    supply: [{{ supplier: us-co, share: 0.2 }}, {{ supplier: cn-co, share: 0.8 }}]
    requires: [{{ item: p }}]
  - id: p
    kind: part
    name: P
    stock_days: 20
    supply: [{{ supplier: us-co, share: 0.5 }}, {{ supplier: cn-co, share: 0.5 }}]
"
    ));
    // Version 2 (default `--scope home`): the US source of sys is foreign and
    // needs nothing; the CN source needs p: P = min(0.8, 0.8 · E_p).
    let home = SupplyGraph::new(&l.model);
    let v2 = scenario::simulate(&home, &spec(&home, &["US"], &[], &[], 100), Case::Mid);
    // Days 0..39: f = 0.2 (8 of 10 days of stock used). From day 40 E_p = 0.5,
    // P = 0.4, f = 0.6: the 2 days left cover days 40–42 (2 → 1.4 → 0.8 → 0.2);
    // day 43: E = 1 − (0.6 − 0.2) = 0.6; from day 44 O = 0.4.
    assert_eq!(v2.systems[0].tts, Some(43));
    assert_close(v2.systems[0].output[43], 0.6, "day 43");
    assert_series(&v2.systems[0].output, 44, 100, 0.4, "v2 short");
    // LP = 0.4 + 56 × 0.6 = 34.0.
    assert_close(v2.systems[0].lost_production, 34.0, "v2 LP");
    // `--scope world`: every source needs p, version 1's numbers below.
    let g = SupplyGraph::with_assumptions(&l.model, world());
    let out = scenario::simulate(&g, &spec(&g, &["US"], &[], &[], 100), Case::Mid);
    let sys = &out.systems[0];
    // p: shortfall 0.5/day; 20 days of stock last 40 days (t = 0..39); E_p = 0.5 from day 40.
    assert_eq!(out.first_short_day(ix(&g, "p")), Some(40));
    // sys: f = 1 − min(0.8, E_p) = 0.2 on days 0..39 (uses 8 of its 10 days of stock),
    // then 0.5: the 2 remaining days of stock cover days 40..43; from day 44 O = 0.5.
    assert_eq!(sys.tts, Some(44));
    assert_series(&sys.output, 0, 44, 1.0, "sys covered");
    assert_series(&sys.output, 44, 100, 0.5, "sys short");
    // LP = (100 − 44) × 0.5 = 28.
    assert_close(sys.lost_production, 28.0, "LP");
    // us-co is the only US source: failing the supplier is the same scenario.
    let alone = scenario::simulate(&g, &spec(&g, &[], &["us-co"], &[], 100), Case::Mid);
    assert_eq!(alone.systems[0].output, sys.output);
    let cause = sys.cause.as_ref().expect("a cause");
    assert_eq!(cause.chain_ids, vec!["sys", "p"]);
    assert_eq!(
        sys.explanation,
        "Sys falls to 50 % on day 44: the P loses 50 % (US) and its 20 days of stock last 40 days; \
         stock further up the BOM holds until day 44; no recovery within the 100 days (no recovery_days)."
    );
}

#[test]
fn parent_stock_alone_delays_an_input_shortage() {
    // sys (no supply, 10 days of stock) requires p (US 0.5 / CN 0.5, 20 days of stock).
    let l = loaded(&format!(
        "{HEAD}suppliers:
  - {{ id: us-co, name: U, country: US }}
  - {{ id: cn-co, name: C, country: CN }}
items:
  - {{ id: sys, kind: system, name: Sys, stock_days: 10, requires: [{{ item: p }}] }}
  - id: p
    kind: part
    name: P
    stock_days: 20
    supply: [{{ supplier: us-co, share: 0.5 }}, {{ supplier: cn-co, share: 0.5 }}]
"
    ));
    let g = SupplyGraph::new(&l.model);
    let out = scenario::simulate(&g, &spec(&g, &["US"], &[], &[], 100), Case::Mid);
    let sys = &out.systems[0];
    // p short from day 40 (20 / 0.5); sys's 10 days cover 0.5/day for days 40..59.
    assert_eq!(sys.tts, Some(60));
    // LP = 40 days × 0.5 = 20; no market value → no impact.
    assert_close(sys.lost_production, 20.0, "LP");
    assert_eq!(sys.impact, None);
}

#[test]
fn any_of_alternatives_cover_a_failed_member() {
    // sys requires any_of [a, b]; a: US only; b: JP 0.5 / CN 0.5. No stock anywhere.
    let l = loaded(&format!(
        "{HEAD}suppliers:
  - {{ id: us-co, name: U, country: US }}
  - {{ id: jp-co, name: J, country: JP }}
  - {{ id: cn-co, name: C, country: CN }}
items:
  - {{ id: sys, kind: system, name: Sys, requires: [{{ any_of: [a, b] }}] }}
  - {{ id: a, kind: part, name: A, supply: [{{ supplier: us-co, share: 1.0 }}] }}
  - id: b
    kind: part
    name: B
    supply: [{{ supplier: jp-co, share: 0.5 }}, {{ supplier: cn-co, share: 0.5 }}]
"
    ));
    let g = SupplyGraph::new(&l.model);
    // US fails: a = 0, b = 1 → max = 1: the system never notices.
    let us = scenario::simulate(&g, &spec(&g, &["US"], &[], &[], 30), Case::Mid);
    assert_eq!(us.systems[0].tts, None);
    assert_eq!(us.systems[0].lost_production, 0.0);
    assert_eq!(us.first_short_day(ix(&g, "a")), Some(0));
    assert_eq!(
        us.systems[0].explanation,
        "Sys survives the 30 days: the A runs short on day 0, but an alternative or stock further up covers the gap."
    );
    // US and JP fail: max(0, 0.5) = 0.5 every day; LP = 30 × 0.5 = 15.
    let both = scenario::simulate(&g, &spec(&g, &["US", "JP"], &[], &[], 30), Case::Mid);
    assert_eq!(both.systems[0].tts, Some(0));
    assert_series(&both.systems[0].output, 0, 30, 0.5, "best alternative");
    assert_close(both.systems[0].lost_production, 15.0, "LP");
    // The binding chain follows the best member, b.
    assert_eq!(
        both.systems[0].cause.as_ref().unwrap().chain_ids,
        vec!["sys", "b"]
    );
    // Every member gone: not buildable.
    let all = scenario::simulate(&g, &spec(&g, &["US"], &[], &["b"], 30), Case::Mid);
    assert!(!all.systems[0].buildable_day0);
    assert_series(&all.systems[0].output, 0, 30, 0.0, "no alternative left");
}

#[test]
fn a_failed_item_uses_its_stock_then_recovers() {
    // x: domestic, 5 days of stock, recovery 10. Failing the item sets a = 0.
    let l = loaded(&format!(
        "{HEAD}suppliers:
  - {{ id: cn-co, name: C, country: CN }}
items:
  - {{ id: sys, kind: system, name: Sys, requires: [{{ item: x }}] }}
  - id: x
    kind: part
    name: X
    stock_days: 5
    recovery_days: 10
    supply: [{{ supplier: cn-co, share: 1.0 }}]
"
    ));
    let g = SupplyGraph::new(&l.model);
    let out = scenario::simulate(&g, &spec(&g, &[], &[], &["x"], 30), Case::Mid);
    let sys = &out.systems[0];
    // f = 1: stock covers days 0..4; output 0 on days 5..9; S = 1 from day 10.
    assert_eq!(sys.tts, Some(5));
    assert_series(&sys.output, 0, 5, 1.0, "stock");
    assert_series(&sys.output, 5, 10, 0.0, "failed");
    assert_series(&sys.output, 10, 30, 1.0, "recovered");
    assert_close(sys.lost_production, 5.0, "LP");
    assert!(out.item_failed(ix(&g, "x")));
    // A failed item is not a failed source: nothing is listed as an exposed source.
    assert!(out.exposed_sources.is_empty());
    assert_eq!(
        sys.explanation,
        "Sys stops on day 5: the X is cut off entirely (the item fails) and its 5 days of stock last 5 days; \
         supply recovers on day 10."
    );
}

#[test]
fn an_item_without_recovery_days_never_recovers_and_fractions_are_real() {
    let yaml = |extra: &str| {
        format!(
            "{HEAD}suppliers:
  - {{ id: us-co, name: U, country: US }}
  - {{ id: cn-co, name: C, country: CN }}
items:
  - {{ id: sys, kind: system, name: Sys, requires: [{{ item: t }}] }}
  - id: t
    kind: part
    name: Tube
    supply: [{{ supplier: us-co, share: 0.6 }}, {{ supplier: cn-co, share: 0.4 }}]
{extra}"
        )
    };
    // No recovery_days, no stock: 0.4 on every one of 50 days; LP = 50 × 0.6 = 30.
    let l = loaded(&yaml(""));
    let g = SupplyGraph::new(&l.model);
    let out = scenario::simulate(&g, &spec(&g, &["US"], &[], &[], 50), Case::Mid);
    let sys = &out.systems[0];
    assert_eq!(sys.tts, Some(0));
    assert!(sys.buildable_day0, "0.4 of full output is still output");
    assert_series(&sys.output, 0, 50, 0.4, "never recovers");
    assert_close(sys.lost_production, 30.0, "LP");
    assert_eq!(sys.full_again_day, None);
    assert_eq!(
        sys.explanation,
        "Sys falls to 40 % on day 0: the Tube loses 60 % (US) and there is no stock; \
         no recovery within the 50 days (no recovery_days)."
    );
    // recovery_days 19.5: S = a while t < 19.5, i.e. days 0..19 → LP = 20 × 0.6 = 12.
    let l = loaded(&yaml("    recovery_days: 19.5\n"));
    let g = SupplyGraph::new(&l.model);
    let out = scenario::simulate(&g, &spec(&g, &["US"], &[], &[], 50), Case::Mid);
    assert_close(
        out.systems[0].lost_production,
        12.0,
        "LP with recovery 19.5",
    );
    assert_eq!(out.systems[0].full_again_day, Some(20));
    // stock_days 1.5: day 0 leaves 0.9, day 1 leaves 0.3, day 2 gets 1 − (0.6 − 0.3) = 0.7.
    let l = loaded(&yaml("    stock_days: 1.5\n"));
    let g = SupplyGraph::new(&l.model);
    let out = scenario::simulate(&g, &spec(&g, &["US"], &[], &[], 5), Case::Mid);
    let o = &out.systems[0].output;
    assert_close(o[0], 1.0, "day 0");
    assert_close(o[1], 1.0, "day 1");
    assert_close(o[2], 0.7, "day 2 (stock partly covers)");
    assert_close(o[3], 0.4, "day 3");
    assert_eq!(out.systems[0].tts, Some(2));
}

#[test]
fn cases_take_the_low_and_high_estimates() {
    // stock 40–80 days at 0.6/day: whole days covered = ⌊stock / 0.6⌋ = 66 (low), 100 (mid), 133 (high).
    let l = loaded(&format!(
        "{HEAD}suppliers:
  - {{ id: us-co, name: U, country: US }}
  - {{ id: cn-co, name: C, country: CN }}
items:
  - {{ id: sys, kind: system, name: Sys, requires: [{{ item: t }}] }}
  - id: t
    kind: part
    name: Tube
    stock_days: {{ low: 40, high: 80 }}
    supply: [{{ supplier: us-co, share: 0.6 }}, {{ supplier: cn-co, share: 0.4 }}]
"
    ));
    let g = SupplyGraph::new(&l.model);
    let s = spec(&g, &["US"], &[], &[], 200);
    assert_eq!(
        scenario::simulate(&g, &s, Case::Low).systems[0].tts,
        Some(66)
    );
    assert_eq!(
        scenario::simulate(&g, &s, Case::Mid).systems[0].tts,
        Some(100)
    );
    assert_eq!(
        scenario::simulate(&g, &s, Case::High).systems[0].tts,
        Some(133)
    );
}

// --------------------------------------------------------------------- §3.7 tariffs

const TARIFF_GRAPH: &str = "suppliers:
  - { id: cn-co, name: Domestic maker, country: CN }
  - { id: us-co, name: US maker, country: US }
  - { id: us-cn-plant, name: US firm's plant in China, country: US }
  - { id: jp-co, name: JP maker, country: JP }
items:
  - id: sys
    kind: system
    name: Sys
    requires:
      - { item: p, cost_share: 0.5 }
      - { item: q, cost_share: 0.2 }
      - { item: r }
  - id: p
    kind: subsystem
    name: P
    supply:
      - { supplier: cn-co, share: 0.5 }
      - { supplier: us-cn-plant, share: 0.25, country: CN }
      - { supplier: us-co, share: 0.25 }
    requires: [{ item: m, cost_share: 0.4 }]
  - { id: m, kind: material, name: M, supply: [{ supplier: us-co, share: 1.0 }] }
  - { id: q, kind: part, name: Q, supply: [{ supplier: jp-co, share: 1.0 }] }
  - { id: r, kind: part, name: R, supply: [{ supplier: us-co, share: 1.0 }] }
";

#[test]
fn tariffs_reach_the_system_through_a_domestic_supplier_with_imported_inputs() {
    let l = loaded(&format!("{HEAD}{TARIFF_GRAPH}"));
    let g = SupplyGraph::new(&l.model);
    let mut s = spec(&g, &[], &[], &[], 30);
    s.tariffs = vec![
        (g.country_ix("US").unwrap(), 1.25),
        (g.country_ix("JP").unwrap(), 0.10),
    ];
    let rates = scenario::tariff_rates(&g, &s.tariffs, Case::Mid);
    // rate(m) = 1.0 × 1.25 = 1.25; rateIn(p) = 0.4 × 1.25 = 0.5;
    // p: 0.5 domestic + 0.25 made in CN by a US firm (both take rateIn = 0.5) + 0.25 US at 1.25:
    // rate(p) = 0.75 × 0.5 + 0.25 × 1.25 = 0.6875; rate(q) = 0.10;
    // r has no cost share: not counted. Δcost(sys) = 0.5 × 0.6875 + 0.2 × 0.10 = 0.36375.
    assert_close(rates[ix(&g, "m").index()], 1.25, "rate(m)");
    assert_close(rates[ix(&g, "p").index()], 0.6875, "rate(p)");
    assert_close(rates[ix(&g, "q").index()], 0.10, "rate(q)");
    let out = scenario::simulate(&g, &s, Case::Mid);
    assert_close(out.systems[0].delta_cost, 0.36375, "Δcost alone");
    assert_eq!(out.systems[0].tts, None, "a tariff alone stops nothing");
    // Together with a failure: the cost impact is unchanged, and output falls.
    s.failed_countries = vec![g.country_ix("US").unwrap()];
    let both = scenario::simulate(&g, &s, Case::Mid);
    assert_close(both.systems[0].delta_cost, 0.36375, "Δcost with failures");
    assert_eq!(
        both.systems[0].tts,
        Some(0),
        "r is US-only and holds no stock"
    );
}

// ------------------------------------------------------------------ §3.9 sweeps

#[test]
fn country_sweep_ranks_by_impact_with_rei() {
    let l = load(&fixture("scenario/sweep"));
    let g = SupplyGraph::new(&l.model);
    let rows = scenario::sweep(&g, SweepKind::Country, 10, Case::Mid);
    // Home (CN) is not swept. Over 10 days without stock:
    // JP: b = 0.3 → s2 LP = 10 × 0.7 = 7, PI = 7 × 1095 / 365 = 21;
    // US: a = 0 → s1 LP = 10, PI = 10 × 365 / 365 = 10;
    // DE: b = 0.7 → s2 LP = 3, PI = 9.
    let got: Vec<(&str, usize)> = rows.iter().map(|r| (r.id.as_str(), r.rank)).collect();
    assert_eq!(got, vec![("JP", 1), ("US", 2), ("DE", 3)]);
    assert_close(rows[0].impact, 21.0, "PI JP");
    assert_close(rows[1].impact, 10.0, "PI US");
    assert_close(rows[2].impact, 9.0, "PI DE");
    assert_close(rows[0].rei, 1.0, "REI JP");
    assert_close(rows[1].rei, 10.0 / 21.0, "REI US");
    assert_close(rows[2].rei, 9.0 / 21.0, "REI DE");
    assert_eq!(rows[1].earliest_system.as_deref(), Some("s1"));
    assert_eq!((rows[1].systems_hit, rows[1].earliest_tts), (1, Some(0)));
}

#[test]
fn supplier_sweep_includes_domestic_suppliers_and_breaks_ties_in_order() {
    let l = load(&fixture("scenario/sweep"));
    let g = SupplyGraph::new(&l.model);
    let rows = scenario::sweep(&g, SweepKind::Supplier, 10, Case::Mid);
    // jp-co 21; us-co and cn-co both stop s1 (PI 10, LP 10): declaration order; de-co 9.
    let got: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(got, vec!["jp-co", "us-co", "cn-co", "de-co"]);
    assert_close(rows[2].rei, 10.0 / 21.0, "REI cn-co");
    // Restricted to s2, only JP and DE matter; the others have REI 0.
    let s2 = [ix(&g, "s2")];
    let only = scenario::sweep_systems(&g, SweepKind::Supplier, 10, Case::Mid, &s2);
    let got: Vec<(&str, f64)> = only.iter().map(|r| (r.id.as_str(), r.rei)).collect();
    assert_eq!(got[0], ("jp-co", 1.0));
    assert_eq!(got[1].0, "de-co");
    assert_close(got[1].1, 9.0 / 21.0, "REI de-co on s2");
    assert_eq!(&got[2..], &[("us-co", 0.0), ("cn-co", 0.0)]);
}

#[test]
fn a_system_filter_lists_only_the_items_below_those_systems() {
    let l = load(&fixture("scenario/sweep"));
    let g = SupplyGraph::new(&l.model);
    let s = spec(&g, &["US", "JP"], &[], &[], 10);
    let ids = |o: &scenario::ScenarioOutcome| -> Vec<String> {
        o.short_items.iter().map(|x| x.id.clone()).collect()
    };
    let exposed = |o: &scenario::ScenarioOutcome| -> Vec<String> {
        o.exposed_sources
            .iter()
            .map(|x| format!("{}/{}", x.item, x.supplier.as_deref().unwrap_or("")))
            .collect()
    };
    // Everything is short on day 0 (no stock): declaration order.
    let all = scenario::simulate(&g, &s, Case::Mid);
    assert_eq!(ids(&all), ["s1", "s2", "a", "b"]);
    assert_eq!(exposed(&all), ["a/us-co", "b/jp-co"]);
    let only = scenario::simulate_systems(&g, &s, Case::Mid, &[ix(&g, "s2")]);
    assert_eq!(only.systems.len(), 1);
    assert_eq!(ids(&only), ["s2", "b"]);
    assert_eq!(exposed(&only), ["b/jp-co"]);
    // The first short day of every item is still known (for diagrams).
    assert_eq!(only.first_short_day(ix(&g, "a")), Some(0));
}

#[test]
fn scenarios_never_mutate_the_model() {
    let l = load(&fixture("scenario/worked"));
    let before = format!("{:?}", l.model.items);
    let g = SupplyGraph::new(&l.model);
    let s = ScenarioSpec::from_declared(&g, &l.model.scenarios["us-embargo"]);
    let first = scenario::simulate(&g, &s, Case::Mid);
    let again = scenario::simulate(&g, &s, Case::Mid);
    assert_eq!(first, again, "simulation is a pure function");
    assert_eq!(format!("{:?}", l.model.items), before);
}

// ------------------------------------------------------------ random graphs

/// One generated item: supply edges (supplier index, share in percent),
/// requirements (any_of?, raw targets), stock and recovery in half days.
#[derive(Clone, Debug)]
struct GenItem {
    supply: Vec<(usize, u32)>,
    reqs: Vec<(bool, Vec<usize>)>,
    stock: Option<u32>,
    recovery: Option<u32>,
}

const GEN_SUPPLIERS: [(&str, &str); 4] = [("s0", "CN"), ("s1", "US"), ("s2", "JP"), ("s3", "DE")];
const GEN_COUNTRIES: [&str; 4] = ["CN", "US", "JP", "DE"];

fn gen_item() -> impl Strategy<Value = GenItem> {
    (
        proptest::collection::vec((0..4usize, 1..=33u32), 0..3),
        proptest::collection::vec(
            (any::<bool>(), proptest::collection::vec(0..100usize, 1..3)),
            0..3,
        ),
        proptest::option::of(0..40u32),
        proptest::option::of(0..60u32),
    )
        .prop_map(|(supply, reqs, stock, recovery)| GenItem {
            supply,
            reqs,
            stock,
            recovery,
        })
}

/// YAML for generated items: item 0 is a system; requirements point to later items
/// only (so the graph is acyclic); `extra_stock` adds days of stock to one item.
fn gen_yaml(items: &[GenItem], extra_stock: Option<(usize, u32)>) -> String {
    let n = items.len();
    let mut y = String::from(HEAD);
    y.push_str("suppliers:\n");
    for (id, c) in GEN_SUPPLIERS {
        y.push_str(&format!("  - {{ id: {id}, name: {id}, country: {c} }}\n"));
    }
    y.push_str("items:\n");
    for (k, it) in items.iter().enumerate() {
        let kind = if k == 0 { "system" } else { "part" };
        y.push_str(&format!(
            "  - id: i{k}\n    kind: {kind}\n    name: Item {k}\n    market_value: 365\n"
        ));
        let mut seen_sup = Vec::new();
        let supply: Vec<String> = it
            .supply
            .iter()
            .filter(|(s, _)| {
                let fresh = !seen_sup.contains(s);
                seen_sup.push(*s);
                fresh
            })
            .map(|(s, p)| format!("{{ supplier: s{s}, share: {} }}", *p as f64 / 100.0))
            .collect();
        if !supply.is_empty() {
            y.push_str(&format!("    supply: [{}]\n", supply.join(", ")));
        }
        let mut reqs: Vec<String> = Vec::new();
        let mut used: Vec<usize> = Vec::new();
        if k + 1 < n {
            for (any_of, raw) in &it.reqs {
                let mut members: Vec<usize> = raw.iter().map(|r| k + 1 + r % (n - k - 1)).collect();
                members.sort_unstable();
                members.dedup();
                members.retain(|m| !used.contains(m));
                if members.is_empty() {
                    continue;
                }
                used.extend(&members);
                if *any_of && members.len() > 1 {
                    let ids: Vec<String> = members.iter().map(|m| format!("i{m}")).collect();
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
        let extra = match extra_stock {
            Some((j, d)) if j % n == k => d,
            _ => 0,
        };
        match (it.stock, extra) {
            (None, 0) => {}
            (s, e) => y.push_str(&format!(
                "    stock_days: {}\n",
                (s.unwrap_or(0) + e) as f64 / 2.0
            )),
        }
        if let Some(r) = it.recovery {
            y.push_str(&format!("    recovery_days: {}\n", r as f64 / 2.0));
        }
    }
    y
}

/// Bit masks → a spec over the generated graph.
fn gen_spec(g: &SupplyGraph, countries: u8, suppliers: u8, items: u8, days: u32) -> ScenarioSpec {
    let mut s = ScenarioSpec::baseline(days);
    s.failed_countries = (0..4)
        .filter(|b| countries >> b & 1 == 1)
        .map(|b| g.country_ix(GEN_COUNTRIES[b]).unwrap())
        .collect();
    s.failed_suppliers = (0..4)
        .filter(|b| suppliers >> b & 1 == 1)
        .map(|b| g.supplier_ix(GEN_SUPPLIERS[b].0).unwrap())
        .collect();
    s.failed_items = g
        .items()
        .filter(|i| i.index() < 8 && items >> i.index() & 1 == 1)
        .collect();
    s
}

/// `--scope world`: version 1's reading of a graph.
fn world() -> chokepoint::graph::Assumptions {
    chokepoint::graph::Assumptions {
        scope: chokepoint::graph::Scope::World,
        ..Default::default()
    }
}

/// Version 1's §3.6 written out literally: every item, every day, the full
/// items × days table.
fn reference_outputs(g: &SupplyGraph, spec: &ScenarioSpec, case: Case) -> Vec<Vec<f64>> {
    let n = g.item_count();
    let fails_edge = |s: &chokepoint::graph::Source| {
        s.supplier
            .is_some_and(|x| spec.failed_suppliers.contains(&x))
            || spec.failed_countries.contains(&s.country)
    };
    let a: Vec<f64> = g
        .items()
        .map(|i| {
            if spec.failed_items.contains(&i) {
                return 0.0;
            }
            let src = g.sources(i);
            if src.is_empty() {
                return 1.0;
            }
            let total: f64 = src.iter().map(|s| s.share.get(case)).sum();
            src.iter()
                .filter(|s| !fails_edge(s))
                .map(|s| s.share.get(case) / total)
                .sum()
        })
        .collect();
    let mut stock: Vec<f64> = g
        .items()
        .map(|i| g.item(i).stock_days.as_ref().map_or(0.0, |e| e.get(case)))
        .collect();
    let mut e_table = Vec::with_capacity(spec.days as usize);
    for t in 0..spec.days {
        let mut e = vec![1.0; n];
        for &i in g.bottom_up() {
            let input = g
                .requirements(i)
                .iter()
                .map(|r| {
                    let vals = r.members.iter().map(|m| e[m.index()]);
                    if r.any_of {
                        vals.fold(f64::MIN, f64::max)
                    } else {
                        vals.fold(f64::MAX, f64::min)
                    }
                })
                .fold(1.0, f64::min);
            let recovered = g
                .item(i)
                .recovery_days
                .as_ref()
                .is_some_and(|r| t as f64 >= r.get(case));
            let own = if recovered { 1.0 } else { a[i.index()] };
            let f = 1.0 - own.min(input);
            let s = &mut stock[i.index()];
            e[i.index()] = if *s >= f - 1e-9 {
                *s = (*s - f).max(0.0);
                1.0
            } else {
                let short = 1.0 - (f - *s);
                *s = 0.0;
                short
            };
        }
        e_table.push(e);
    }
    e_table
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn exposure_properties_hold_on_random_graphs(
        items in proptest::collection::vec(gen_item(), 2..7),
        fc in 0u8..16, fs in 0u8..16, fi in 0u8..64,
        more_c in 0u8..16, more_s in 0u8..16, more_i in 0u8..64,
        extra in (0usize..8, 1u32..40),
    ) {
        const DAYS: u32 = 40;
        let l = loaded(&gen_yaml(&items, None));
        // The reference is version 1's §3.6 (every source needs the bill of
        // materials): `--scope world` must reproduce it (spec §7.1, §7.5).
        let g = SupplyGraph::with_assumptions(&l.model, world());
        let sys = ix(&g, "i0");
        let spec = gen_spec(&g, fc, fs, fi, DAYS);
        let out = scenario::simulate(&g, &spec, Case::Mid);
        let o = &out.systems[0].output;
        prop_assert_eq!(o.len(), DAYS as usize);
        // Output stays in [0, 1].
        for v in o {
            prop_assert!((0.0..=1.0).contains(v), "output {} out of range", v);
        }
        // The engine agrees with §3.6 written out literally, day by day.
        let reference = reference_outputs(&g, &spec, Case::Mid);
        for (t, v) in o.iter().enumerate() {
            prop_assert!((v - reference[t][sys.index()]).abs() < 1e-9, "day {}: {} vs reference {}", t, v, reference[t][sys.index()]);
        }
        // TTS and LP follow from the series.
        prop_assert_eq!(out.systems[0].tts, o.iter().position(|v| *v < 1.0).map(|t| t as u32));
        let lp: f64 = o.iter().map(|v| 1.0 - v).sum();
        prop_assert!((out.systems[0].lost_production - lp).abs() < 1e-9);
        // Nothing failed: output 1 every day.
        let base = scenario::simulate(&g, &ScenarioSpec::baseline(DAYS), Case::Mid);
        prop_assert!(base.systems[0].output.iter().all(|v| *v == 1.0));
        // Failing more never raises output.
        let more = gen_spec(&g, fc | more_c, fs | more_s, fi | more_i, DAYS);
        let worse = scenario::simulate(&g, &more, Case::Mid);
        for (t, (w, b)) in worse.systems[0].output.iter().zip(o).enumerate() {
            prop_assert!(*w <= b + 1e-9, "day {}: failing more raised output {} → {}", t, b, w);
        }
        // More stock never lowers output.
        let l2 = loaded(&gen_yaml(&items, Some(extra)));
        let g2 = SupplyGraph::with_assumptions(&l2.model, world());
        let stocked = scenario::simulate(&g2, &gen_spec(&g2, fc, fs, fi, DAYS), Case::Mid);
        for (t, (s, b)) in stocked.systems[0].output.iter().zip(o).enumerate() {
            prop_assert!(*s >= b - 1e-9, "day {}: more stock lowered output {} → {}", t, b, s);
        }
    }
}

// ------------------------------------------------------------------------- CLI

fn json(args: &[&str]) -> serde_json::Value {
    json_ok(bin().args(args).output().expect("runs"))
}

fn worked_dir() -> String {
    fixture("scenario/worked").display().to_string()
}

#[test]
fn cli_declared_scenario_as_json() {
    let v = json(&[
        "scenario",
        &worked_dir(),
        "--name",
        "us-embargo",
        "--format",
        "json",
    ]);
    assert_eq!(v["schema"], "chokepoint/scenario/1");
    assert_eq!(v["case"], "mid");
    assert_eq!(v["currency"], "CNY");
    assert_eq!(v["baseline"]["systems"][0]["tts"], serde_json::Value::Null);
    let s = &v["scenarios"][0];
    assert_eq!(s["id"], "us-embargo");
    assert_eq!(s["failed"]["countries"], serde_json::json!(["US"]));
    assert_eq!(s["tariffs"], serde_json::json!({"US": 1.25}));
    let ct = &s["systems"][0];
    assert_eq!(ct["id"], "ct");
    assert_eq!(ct["buildable_day0"], true);
    assert_eq!(ct["tts"], 100);
    assert_eq!(ct["lost_production"], 48.0);
    assert_eq!(ct["impact"], 48.0e6);
    assert_eq!(ct["delta_cost"], 0.3);
    assert_eq!(ct["full_again_day"], 180);
    assert_eq!(
        ct["checkpoints"],
        serde_json::json!([
            {"day": 0, "output": 1.0}, {"day": 30, "output": 1.0}, {"day": 90, "output": 1.0},
            {"day": 180, "output": 1.0}, {"day": 364, "output": 1.0}
        ])
    );
    assert_eq!(
        ct["short_items"][0]["path_ids"],
        serde_json::json!(["ct", "tube"])
    );
    assert_eq!(ct["cause"]["cut_by"], serde_json::json!(["US"]));
    assert_eq!(s["vs_baseline"][0]["lost_production"], 48.0);
    assert_eq!(s["exposed_sources"][0]["supplier"], "us-co");
}

#[test]
fn cli_ad_hoc_flags_combine() {
    let v = json(&[
        "scenario",
        &worked_dir(),
        "--fail-country",
        "us",
        "--tariff",
        "US=125%",
        "--days",
        "120",
        "--format",
        "json",
    ]);
    let s = &v["scenarios"][0];
    assert_eq!(s["id"], "ad-hoc");
    assert_eq!(s["days"], 120);
    let ct = &s["systems"][0];
    // 120 days: short on days 100..119 at 0.4 → LP = 20 × 0.6 = 12; last checkpoint day 119.
    assert_eq!(ct["tts"], 100);
    assert_eq!(ct["lost_production"], 12.0);
    assert_eq!(ct["delta_cost"], 0.3);
    assert_eq!(
        ct["checkpoints"][3],
        serde_json::json!({"day": 119, "output": 0.4})
    );
    // Failing the domestic maker too: a = 0 → stock (60 days at 1/day) lasts 60 days.
    let v = json(&[
        "scenario",
        &worked_dir(),
        "--fail-country",
        "US",
        "--fail-supplier",
        "cn-co",
        "--days",
        "90",
        "--format",
        "json",
    ]);
    assert_eq!(v["scenarios"][0]["systems"][0]["tts"], 60);
    let v = json(&[
        "scenario",
        &worked_dir(),
        "--fail-item",
        "tube",
        "--days",
        "90",
        "--format",
        "json",
    ]);
    assert_eq!(v["scenarios"][0]["systems"][0]["tts"], 60);
}

#[test]
fn cli_unknown_ids_are_usage_errors_with_hints() {
    for (args, expected) in [
        (
            vec!["--fail-supplier", "us-c0"],
            "error[U001]: --fail-supplier us-c0: no such supplier\n  help: did you mean `us-co`?\n",
        ),
        (
            vec!["--fail-item", "tubes"],
            "error[U001]: --fail-item tubes: no such item\n  help: did you mean `tube`?\n",
        ),
        (
            vec!["--name", "us-embrago"],
            "error[U001]: --name us-embrago: no such scenario\n  help: did you mean `us-embargo`?\n",
        ),
        (
            vec!["--system", "tube"],
            "--system tube: `tube` is a part, not a system (systems: ct)",
        ),
        (
            vec!["--fail-country", "FR"],
            "FR does not occur in the graph",
        ),
        (
            vec!["--fail-country", "XX"],
            "not an ISO 3166-1 alpha-2 code in the graph",
        ),
        (vec!["--tariff", "US"], "--tariff US: expected CC=RATE"),
        (
            vec!["--days", "0"],
            "--days 0: must be a whole number from 1 to 36500",
        ),
    ] {
        let mut cmd = bin();
        cmd.args(["scenario", &worked_dir()]).args(&args);
        cmd.assert()
            .code(2)
            .stderr(predicates::str::contains(expected))
            .stdout("");
    }
}

#[test]
fn cli_sweep_csv_is_ranked_with_rei() {
    let out = bin()
        .args([
            "scenario",
            &fixture("scenario/sweep").display().to_string(),
            "--sweep",
            "country",
            "--days",
            "10",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert_eq!(
        stdout_ok(out),
        "rank,country,name,impact,currency,rei,lost_production,systems_hit,earliest_tts,earliest_system\n\
         1,JP,JP,21,CNY,1,7,1,0,s2\n\
         2,US,US,10,CNY,0.476190476,10,1,0,s1\n\
         3,DE,DE,9,CNY,0.428571429,3,1,0,s2\n"
    );
    let sweep_dir = fixture("scenario/sweep").display().to_string();
    let v = json(&[
        "scenario", &sweep_dir, "--sweep", "supplier", "--days", "10", "--top", "2", "--system",
        "s1", "--format", "json",
    ]);
    assert_eq!(v["schema"], "chokepoint/scenario-sweep/1");
    assert_eq!(
        (v["sweep"].as_str(), v["days"].as_u64()),
        (Some("supplier"), Some(10))
    );
    assert_eq!(v["systems"], serde_json::json!(["s1"]));
    // Only s1 counts: us-co and cn-co each stop it (PI 10, REI 1); --top 2 keeps them.
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (rows[0]["id"].as_str(), rows[0]["rei"].as_f64()),
        (Some("us-co"), Some(1.0))
    );
    assert_eq!(
        (rows[1]["id"].as_str(), rows[1]["rei"].as_f64()),
        (Some("cn-co"), Some(1.0))
    );
    assert_eq!(rows[1]["rank"], 2);
    // --sweep excludes ad-hoc failures.
    bin()
        .args([
            "scenario",
            &worked_dir(),
            "--sweep",
            "country",
            "--fail-country",
            "US",
        ])
        .assert()
        .code(2);
}

#[test]
fn cli_timeline_has_a_column_per_system() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/timeline.csv");
    bin()
        .args([
            "scenario",
            &worked_dir(),
            "--name",
            "us-embargo",
            "--format",
            "csv",
            "--timeline",
        ])
        .arg(&path)
        .assert()
        .success();
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 366, "a header and 365 days");
    assert_eq!(lines[0], "day,ct");
    assert_eq!(lines[100], "99,1");
    assert_eq!(lines[101], "100,0.4");
    assert_eq!(lines[181], "180,1");
    // Several scenarios: scenario:system columns.
    bin()
        .args([
            "scenario",
            &worked_dir(),
            "--name",
            "us-embargo",
            "--name",
            "cn-loss",
            "--timeline",
        ])
        .arg(&path)
        .assert()
        .success();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.lines().next(), Some("day,us-embargo:ct,cn-loss:ct"));
    // cn-loss: a = 0.6, 60 days of stock at 0.4/day last 150 days.
    assert_eq!(text.lines().nth(151), Some("150,0.4,0.6"));
}

#[test]
fn cli_formats_table_md_csv_and_lang() {
    let dir = worked_dir();
    let table = bin()
        .args(["scenario", &dir, "--name", "us-embargo"])
        .output()
        .unwrap();
    let table = String::from_utf8(table.stdout).unwrap();
    // Titles and narrative are wrapped to the width (80 when piped): read them whole.
    let flat = table.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.starts_with("Scenario us-embargo — US stops exports (365 days, case mid; fails countries US; tariffs US 125.0 %) ┌"), "{table}");
    assert!(
        flat.contains("• CT falls to 40 % on day 100: the X-ray tube loses 60 % (US)"),
        "{table}"
    );
    // Paths read by name; --ids shows the ids instead.
    assert!(
        flat.contains("runs short first: X-ray tube — day 100 (CT › X-ray tube)"),
        "{table}"
    );
    let ids = bin()
        .args(["scenario", &dir, "--name", "us-embargo", "--ids"])
        .output()
        .unwrap();
    let ids = String::from_utf8(ids.stdout).unwrap();
    let flat_ids = ids.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat_ids.contains("runs short first: tube — day 100 (ct › tube)"),
        "{ids}"
    );
    assert!(flat_ids.contains("│ ct "), "{ids}");
    let md = bin()
        .args([
            "scenario",
            &dir,
            "--name",
            "us-embargo",
            "--name",
            "cn-loss",
            "--format",
            "md",
        ])
        .output()
        .unwrap();
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(
        md.contains("| CT | 100 | 100 · 100 · 100 · 100 · 100 | 48.0 | 48.0 m | 30.0 % |"),
        "{md}"
    );
    assert!(
        md.contains("### Against the baseline (nothing failed, no tariffs)"),
        "{md}"
    );
    assert!(
        md.contains("| cn-loss | CT | 150 | +12.0 | +12.0 m | +0.0 % |"),
        "{md}"
    );
    let csv = bin()
        .args([
            "scenario",
            &dir,
            "--name",
            "us-embargo",
            "--format",
            "csv",
            "--lang",
            "zh",
        ])
        .output()
        .unwrap();
    let csv = String::from_utf8(csv.stdout).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("scenario,days,system,buildable_day0,tts,output_day0,output_day30,output_day90,output_day180,output_day364,lost_production,impact,currency,delta_cost,lost_production_vs_baseline,short_first,short_first_day,explanation")
    );
    assert_eq!(
        lines.next(),
        Some("us-embargo,365,ct,true,100,1,1,1,1,1,48,48000000,CNY,0.3,48,tube,100,CT机于第100天产出降至40 %：球管损失60 %供应（美国），其60天库存可维持100天；供应于第180天恢复；关税使成本增加30 %。")
    );
}

#[test]
fn cli_without_flags_runs_every_declared_scenario() {
    let v = json(&["scenario", &worked_dir(), "--format", "json"]);
    let ids: Vec<&str> = v["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["us-embargo", "cn-loss"]);
}

/// A design tool that stops (spec §3.6: design requirements never stop
/// production) is not named among the items that made a system short: the
/// part that did is.
#[test]
fn items_short_only_below_a_design_requirement_are_not_named_as_causes() {
    let l = loaded(&format!(
        "{HEAD}items:
  - {{ id: sys, kind: system, requires: [{{ item: gantry }}] }}
  - {{ id: gantry, kind: subsystem, requires: [{{ item: bearing }}, {{ item: cad, role: design }}] }}
  - {{ id: bearing, kind: part, stock_days: 10, supply: [{{ country: US, share: 1.0 }}] }}
  - {{ id: cad, kind: software, supply: [{{ country: US, share: 1.0 }}] }}
"
    ));
    let g = SupplyGraph::new(&l.model);
    let out = scenario::simulate(&g, &spec(&g, &["US"], &[], &[], 30), Case::Mid);
    let sys = &out.systems[0];
    assert_eq!(sys.tts, Some(10));
    let named: Vec<(&str, u32)> = sys
        .short_items
        .iter()
        .map(|s| (s.id.as_str(), s.first_short_day))
        .collect();
    // The CAD tool is short from day 0 but never named; the bearing's stock
    // lasts 10 days.
    assert_eq!(named, vec![("gantry", 10), ("bearing", 10)]);
}
