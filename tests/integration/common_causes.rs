//! Common causes and qualification time (spec §3.10–3.12): the worked
//! examples of docs/metrics.md, on the library and through the binary.

use crate::support::*;
use chokepoint::analysis::{minimal_cut_sets, EventKind};
use chokepoint::graph::{Assumptions, SupplyGraph};
use chokepoint::model::Case;
use chokepoint::scenario::{simulate, ScenarioSpec};

fn graph_of(yaml: &str) -> chokepoint::load::Loaded {
    load_str(&[("g.yaml", yaml)]).unwrap_or_else(|e| panic!("{}", e.render(false)))
}

fn ids(g: &SupplyGraph, system: &str, by: EventKind, k: usize) -> Vec<Vec<String>> {
    minimal_cut_sets(g, g.item_ix(system).unwrap(), by, k, Case::Mid)
        .unwrap()
        .iter()
        .map(|c| c.events.iter().map(|e| e.id(g)).collect())
        .collect()
}

/// docs/metrics.md "Parent companies": one group with plants in Germany and
/// the United States (the DE plant through a national holding), a domestic
/// maker beside them; home CN.
pub const PARENTS: &str = "
meta: { home: CN }
suppliers:
  - { id: group, name: Group AG, country: DE }
  - { id: group-us, name: Group US Inc., country: US, parent: group }
  - { id: plant-de, name: Plant Erlangen, country: DE, parent: group-de }
  - { id: group-de, name: Group Deutschland, country: DE, parent: group }
  - { id: plant-us, name: Plant Waukesha, country: US, parent: group-us }
  - { id: local, name: Local maker, country: CN }
items:
  - id: scanner
    kind: system
    requires: [{ item: detector }, { item: tube }]
  - id: detector
    kind: part
    supply: [{ supplier: local, share: 1.0 }]
  - id: tube
    kind: part
    supply:
      - { supplier: plant-de, share: 0.6 }
      - { supplier: plant-us, share: 0.4 }
scenarios:
  - { id: parent-stops, name: The group stops, fail: { suppliers: [group] }, duration_days: 10 }
  - { id: us-arm-stops, name: The US arm stops, fail: { suppliers: [group-us] }, duration_days: 10 }
";

/// A parent with plants in two countries fails both: by supplier the tube
/// needs both plants to fail (order 2); by parent the group alone stops it.
#[test]
fn a_parent_with_plants_in_two_countries_fails_both() {
    let loaded = graph_of(PARENTS);
    let g = SupplyGraph::new(&loaded.model);
    assert_eq!(
        ids(&g, "scanner", EventKind::Supplier, 2),
        vec![vec!["local"], vec!["plant-de", "plant-us"]]
    );
    assert_eq!(
        ids(&g, "scanner", EventKind::Country, 2),
        vec![vec!["CN"], vec!["DE", "US"]]
    );
    assert_eq!(
        ids(&g, "scanner", EventKind::Parent, 2),
        vec![vec!["group"], vec!["local"]]
    );
    // The chain plant-de → group-de → group ends at the same top.
    let plant_de = g.supplier_ix("plant-de").unwrap();
    assert_eq!(g.supplier(g.top_parent(plant_de)).id.as_str(), "group");

    // Scenario: failing the group fails every plant below it, 10 days, no
    // stock: output 0 every day, LP = 10.
    let sc = &loaded.model.scenarios["parent-stops"];
    let out = simulate(&g, &ScenarioSpec::from_declared(&g, sc), Case::Mid);
    assert_close(out.systems[0].lost_production, 10.0, "LP, group stops");
    // Failing the US arm fails only plant-us: 0.6 survives, LP = 10 × 0.4 = 4.
    let sc = &loaded.model.scenarios["us-arm-stops"];
    let out = simulate(&g, &ScenarioSpec::from_declared(&g, sc), Case::Mid);
    assert_close(out.systems[0].lost_production, 4.0, "LP, US arm stops");
}

#[test]
fn analyze_by_parent_lists_the_group_as_a_single_point_of_failure() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("g.yaml"), PARENTS).unwrap();
    let v = json_ok(
        bin()
            .args(["analyze", "--by", "parent", "--format", "json"])
            .arg(dir.path())
            .output()
            .unwrap(),
    );
    // Order 1 is listed as the single points of failure.
    let sets: Vec<Vec<String>> = v["systems"][0]["single_points_of_failure"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            c["events"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e.as_str().unwrap().to_string())
                .collect()
        })
        .collect();
    assert_eq!(sets, vec![vec!["group"], vec!["local"]]);
    assert_eq!(v["by"], "parent");
}

/// docs/metrics.md "Export-control reach": a Japanese tube under US-EAR (0.6)
/// beside a domestic maker (0.4); the US fails for 10 days; no stock.
pub const REACH: &str = "
meta: { home: CN, regimes: { US-EAR: US } }
suppliers:
  - { id: canon, name: Canon, country: JP }
  - { id: kunshan, name: Kunshan, country: CN }
items:
  - id: tube
    kind: system
    supply:
      - { supplier: canon, share: 0.6 }
      - { supplier: kunshan, share: 0.4 }
    export_controls: [US-EAR]
scenarios:
  - { id: us, name: US stops, fail: { countries: [US] }, duration_days: 10 }
";

/// A Japanese source of an item under US-EAR fails in the US scenario only
/// with reach on; the domestic source is never reached. LP = 10 × 0.6 = 6.
#[test]
fn a_japanese_source_under_us_ear_fails_in_the_us_scenario_only_with_reach() {
    let loaded = graph_of(REACH);
    let sc = &loaded.model.scenarios["us"];
    let off = SupplyGraph::new(&loaded.model);
    let out = simulate(&off, &ScenarioSpec::from_declared(&off, sc), Case::Mid);
    assert_close(out.systems[0].lost_production, 0.0, "LP without reach");
    assert!(out.reached_sources.is_empty());

    let on = SupplyGraph::with_assumptions(
        &loaded.model,
        Assumptions {
            reach: true,
            ..Assumptions::default()
        },
    );
    let out = simulate(&on, &ScenarioSpec::from_declared(&on, sc), Case::Mid);
    assert_close(out.systems[0].lost_production, 6.0, "LP with reach");
    assert_eq!(out.systems[0].tts, Some(0));
    assert_eq!(out.reached_sources.len(), 1);
    let r = &out.reached_sources[0];
    assert_eq!(
        (r.item.as_str(), r.supplier.as_deref(), r.country.as_str()),
        ("tube", Some("canon"), "JP")
    );
    assert_eq!(r.regimes, vec![("US-EAR".to_string(), "US".to_string())]);

    // Cut sets by country: without reach {CN, JP}; with reach also {CN, US},
    // marked as coming through reach at the tube.
    assert_eq!(
        ids(&off, "tube", EventKind::Country, 2),
        vec![vec!["CN", "JP"]]
    );
    assert_eq!(
        ids(&on, "tube", EventKind::Country, 2),
        vec![vec!["CN", "JP"], vec!["CN", "US"]]
    );
    let sets = minimal_cut_sets(
        &on,
        on.item_ix("tube").unwrap(),
        EventKind::Country,
        2,
        Case::Mid,
    )
    .unwrap();
    assert!(sets[0].reached.is_empty());
    assert_eq!(sets[1].reached, vec![on.item_ix("tube").unwrap()]);
    // Reach never applies by supplier: no supplier is a country.
    assert_eq!(
        ids(&on, "tube", EventKind::Supplier, 2),
        vec![vec!["canon", "kunshan"]]
    );
}

#[test]
fn scenario_reach_is_off_by_default_and_marked_when_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("g.yaml"), REACH).unwrap();
    let run = |extra: &[&str]| {
        json_ok(
            bin()
                .args(["scenario", "--name", "us", "--format", "json"])
                .args(extra)
                .arg(dir.path())
                .output()
                .unwrap(),
        )
    };
    let off = &run(&[])["scenarios"][0];
    assert_eq!(off["systems"][0]["lost_production"], 0.0);
    assert!(off.get("reached_sources").is_none());
    let on = &run(&["--reach"])["scenarios"][0];
    assert_eq!(on["systems"][0]["lost_production"], 6.0);
    assert_eq!(on["reached_sources"][0]["supplier"], "canon");
    assert_eq!(on["reached_sources"][0]["regimes"][0][0], "US-EAR");
    // The table says which failures came through reach.
    let table = stdout_ok(
        bin()
            .args(["analyze", "--by", "country", "--reach", "--format", "md"])
            .arg(dir.path())
            .output()
            .unwrap(),
    );
    assert!(
        table.contains("CN (home) + US (through export controls at tube)"),
        "{table}"
    );
}

/// Spec §3.12's worked check: one source US 1.0 and a standby CN source
/// (share 0.6, qualify 90, no inputs), no stock; the US fails for 365 days,
/// no recovery.
pub const STANDBY: &str = "
meta: { home: CN }
items:
  - id: tube
    kind: system
    supply:
      - { country: US, share: 1.0 }
      - { country: CN, share: 0.6, standby: true, qualify_days: 90 }
scenarios:
  - { id: us, name: US stops, fail: { countries: [US] }, duration_days: 365 }
";

/// Output 0 on days 0–89 and 0.6 from day 90: LP = 90 + 275 × 0.4 = 200.
/// Cut sets ignore the delay (the standby source is a source: {CN, US});
/// import share counts regular sources only (DI = 1).
#[test]
fn a_standby_source_with_qualify_days_90_covers_the_shortfall_from_day_90() {
    let loaded = graph_of(STANDBY);
    let g = SupplyGraph::new(&loaded.model);
    let sc = &loaded.model.scenarios["us"];
    let out = simulate(&g, &ScenarioSpec::from_declared(&g, sc), Case::Mid);
    let s = &out.systems[0];
    assert!(s.output[..90].iter().all(|o| *o == 0.0), "days 0–89");
    assert!(
        s.output[90..].iter().all(|o| (o - 0.6).abs() < 1e-12),
        "from day 90"
    );
    assert_close(s.lost_production, 200.0, "LP = 90 + 275 × 0.4");
    assert_eq!(
        ids(&g, "tube", EventKind::Country, 2),
        vec![vec!["CN", "US"]]
    );
    let a = chokepoint::analysis::analyze(&g, &Default::default()).unwrap();
    let tube = a.items.iter().find(|i| i.id == "tube").unwrap();
    assert_eq!(tube.direct_import_share, Some(1.0));
}

/// The YAML writer keeps every key of §3.10–3.12: parents, regimes, standby
/// sources with their qualify_days; the written graph loads to the same model.
#[test]
fn the_yaml_writer_keeps_parents_regimes_and_standby_sources() {
    for yaml in [PARENTS, REACH, STANDBY] {
        let first = graph_of(yaml).model;
        let written = chokepoint::interop::yaml_out::to_yaml(&first);
        let second = graph_of(&written).model;
        assert_eq!(first.meta, second.meta, "{written}");
        for (a, b) in first.suppliers.values().zip(second.suppliers.values()) {
            assert_eq!((&a.id, &a.parent), (&b.id, &b.parent), "{written}");
        }
        for (a, b) in first.items.values().zip(second.items.values()) {
            assert_eq!(a.standby.len(), b.standby.len(), "{written}");
            for (x, y) in a.standby.iter().zip(&b.standby) {
                assert_eq!(x.qualify_days, y.qualify_days);
                assert_eq!(x.edge.share, y.edge.share);
            }
        }
    }
    assert!(
        chokepoint::interop::yaml_out::to_yaml(&graph_of(STANDBY).model).contains("standby: true")
    );
}

/// Issue 24's "done when": under the shipped US scenario with `--reach`, the
/// report lists the foreign-made parts that stop through US export controls,
/// each with its regime, issuer and citation; without `--reach` it lists none.
#[test]
fn the_shipped_us_embargo_with_reach_lists_parts_stopped_by_us_export_controls() {
    let dir = tempfile::tempdir().unwrap();
    let with = dir.path().join("with");
    let without = dir.path().join("without");
    for (out, extra) in [(&with, vec!["--reach"]), (&without, vec![])] {
        bin()
            .args(["report", "-q", "--out"])
            .arg(out)
            .args(extra)
            .arg(shipped())
            .assert()
            .success();
    }
    let md = std::fs::read_to_string(with.join("report.md")).unwrap();
    assert!(
        md.contains(
            "| gpu | GPU for image reconstruction | nvidia | TW | 95.0 % | US-EAR-3A090 (US) | hitconsultant-2026, bis-2022-10-07 |"
        ),
        "{md}"
    );
    let plain = std::fs::read_to_string(without.join("report.md")).unwrap();
    assert!(!plain.contains("Stopped through export controls"));
}

/// The mitigation planner proposes qualifying a standby source ahead of a
/// shock, with its lead time; applied, the source delivers from day 0 of the
/// §3.12 worked check: LP = 365 × 0.4 = 146 instead of 200.
#[test]
fn the_planner_proposes_qualifying_a_standby_source_with_its_lead_time() {
    use chokepoint::mitigate::{apply, generate_actions};
    let loaded = graph_of(STANDBY);
    let actions = generate_actions(&loaded.model, Case::Mid, &Default::default());
    let q = actions
        .iter()
        .find(|a| a.id == "qualify:tube:CN")
        .expect("a qualify action");
    assert_eq!(
        q.description,
        "Qualify standby source CN of tube now (lead time 90 days), so that it delivers from day 0"
    );
    let after = apply(&loaded.model, &[q]).unwrap();
    let g = SupplyGraph::new(&after);
    let sc = &after.scenarios["us"];
    let out = simulate(&g, &ScenarioSpec::from_declared(&g, sc), Case::Mid);
    assert_close(out.systems[0].lost_production, 146.0, "LP after qualifying");
}

/// The supply view clusters suppliers by their top parent (`--cluster parent`):
/// both plants of the group in one box named after it, the local maker outside.
#[test]
fn the_supply_view_clusters_suppliers_by_parent() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("g.yaml"), PARENTS).unwrap();
    let dot = stdout_ok(
        bin()
            .args([
                "render",
                "--view",
                "supply",
                "--cluster",
                "parent",
                "--format",
                "dot",
                "-q",
            ])
            .arg(dir.path())
            .output()
            .unwrap(),
    );
    let start = dot.find("subgraph \"cluster_parent_s_0\" {").expect(&dot);
    let body = &dot[start..start + dot[start..].find("  }").unwrap()];
    assert!(body.contains("label=\"Group AG\""), "{body}");
    assert!(
        body.contains("Plant Erlangen (DE)") && body.contains("Plant Waukesha (US)"),
        "{body}"
    );
    assert!(!body.contains("Local maker"), "{body}");
}
