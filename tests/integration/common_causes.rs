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

/// docs/metrics.md "Time to qualify an alternative", second worked check: the
/// system needs `a` or `b`; `a` is in use (US 0.6, CN 0.4), `b` (CN 0.7,
/// US 0.3) needs 90 days of qualification. No stock, no recovery; the US fails
/// for 365 days.
pub const ANY_OF_QUALIFY: &str = "
meta: { home: CN }
items:
  - id: sys
    kind: system
    requires:
      - any_of: [a, { item: b, qualify_days: { value: 90, low: 60, high: 120, note: assumption } }]
  - id: a
    kind: part
    supply: [{ country: US, share: 0.6 }, { country: CN, share: 0.4 }]
  - id: b
    kind: part
    supply: [{ country: CN, share: 0.7 }, { country: US, share: 0.3 }]
scenarios:
  - { id: us, name: US stops, fail: { countries: [US] }, duration_days: 365 }
";

/// Days 0–89 only `a` counts: output 0.4. From day 90 the group takes the
/// better of a (0.4) and b (0.7): 0.7. LP = 90 × 0.6 + 275 × 0.3 = 136.5.
/// The low case (qualify 60): 60 × 0.6 + 305 × 0.3 = 127.5. Cut sets ignore
/// the delay: {CN, US}.
#[test]
fn an_any_of_member_with_qualify_days_90_counts_from_day_90() {
    let loaded = graph_of(ANY_OF_QUALIFY);
    let g = SupplyGraph::new(&loaded.model);
    let sc = &loaded.model.scenarios["us"];
    let spec = ScenarioSpec::from_declared(&g, sc);
    let out = simulate(&g, &spec, Case::Mid);
    let s = &out.systems[0];
    assert!(
        s.output[..90].iter().all(|o| (o - 0.4).abs() < 1e-12),
        "days 0–89"
    );
    assert_close(s.output[89], 0.4, "day 89");
    assert_close(s.output[90], 0.7, "day 90");
    assert!(
        s.output[90..].iter().all(|o| (o - 0.7).abs() < 1e-12),
        "from day 90"
    );
    assert_close(s.lost_production, 136.5, "LP = 90 × 0.6 + 275 × 0.3");
    let low = simulate(&g, &spec, Case::Low);
    assert_close(
        low.systems[0].lost_production,
        127.5,
        "LP = 60 × 0.6 + 305 × 0.3",
    );
    assert_eq!(
        ids(&g, "sys", EventKind::Country, 2),
        vec![vec!["CN", "US"]]
    );
}

/// A source's own `requires` takes the same members; an `any_of` whose every
/// member needs qualification is E025, located at the list.
#[test]
fn an_any_of_needs_one_member_usable_today() {
    let ok = "
meta: { home: CN }
items:
  - id: sys
    kind: system
    supply:
      - { country: CN, share: 1.0, requires: [{ any_of: [a, { item: b, qualify_days: 30 }] }] }
  - { id: a, kind: part, supply: [{ country: US, share: 1.0 }] }
  - { id: b, kind: part, supply: [{ country: CN, share: 1.0 }] }
scenarios:
  - { id: us, name: US stops, fail: { countries: [US] }, duration_days: 40 }
";
    let loaded = graph_of(ok);
    let g = SupplyGraph::new(&loaded.model);
    let out = simulate(
        &g,
        &ScenarioSpec::from_declared(&g, &loaded.model.scenarios["us"]),
        Case::Mid,
    );
    assert_close(out.systems[0].lost_production, 30.0, "days 0–29 stopped");
    let bad = "
meta: { home: CN }
items:
  - id: sys
    kind: system
    requires: [{ any_of: [{ item: a, qualify_days: 10 }, { item: b, qualify_days: { low: 0, high: 5 } }] }]
  - { id: a, kind: part, supply: [{ country: US, share: 1.0 }] }
  - { id: b, kind: part, supply: [{ country: CN, share: 1.0 }] }
";
    let err = load_str(&[("g.yaml", bad)]).unwrap_err().render(false);
    assert!(
        err.contains(
            "g.yaml:6:26: error[E025]: every member of this `any_of` has `qualify_days` above 0"
        ),
        "{err}"
    );
}

/// The YAML writer keeps every key of §3.10–3.12: parents, regimes, standby
/// sources with their qualify_days; the written graph loads to the same model.
#[test]
fn the_yaml_writer_keeps_parents_regimes_and_standby_sources() {
    for yaml in [PARENTS, REACH, STANDBY, ANY_OF_QUALIFY] {
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
            for (x, y) in a.requires.iter().zip(&b.requires) {
                assert_eq!(x.member_qualify, y.member_qualify, "{written}");
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

/// `diff` compares every key of §3.10–3.12: a supplier's parent, the regimes
/// of meta, a source turning standby, a standby source's qualify_days, and an
/// `any_of` member's qualify_days.
#[test]
fn diff_reports_parents_regimes_standby_sources_and_member_qualify_days() {
    use chokepoint::diff::data_changes;
    let old = graph_of(&format!(
        "{ANY_OF_QUALIFY}{}",
        "
suppliers:
  - { id: group, name: Group, country: DE }
  - { id: plant, name: Plant, country: US, parent: group }
"
    ))
    .model;
    let edited = ANY_OF_QUALIFY
        .replace("meta: { home: CN }", "meta: { home: CN, regimes: { US-EAR: US } }")
        .replace(
            "{ item: b, qualify_days: { value: 90, low: 60, high: 120, note: assumption } }",
            "{ item: b, qualify_days: 30 }",
        )
        .replace(
            "{ country: CN, share: 0.4 }",
            "{ country: CN, share: 0.4, standby: true, qualify_days: 45 }, { country: JP, share: 0.1 }",
        );
    let new = graph_of(&format!(
        "{edited}{}",
        "
suppliers:
  - { id: group, name: Group, country: DE }
  - { id: plant, name: Plant, country: US }
"
    ))
    .model;
    let got: Vec<String> = data_changes(&old, &new)
        .iter()
        .map(|c| {
            format!(
                "{} {} {} {}: {} → {}",
                c.entity.as_str(),
                c.key,
                c.change.as_str(),
                c.field.as_deref().unwrap_or("-"),
                c.old.as_deref().unwrap_or("-"),
                c.new.as_deref().unwrap_or("-")
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            "meta meta changed regimes: - → US-EAR=US",
            "supplier plant changed parent: group → -",
            "requirement sys → any_of[a, b] changed qualify_days[b]: 90 (60–120) → 30",
            "requirement sys → any_of[a, b] changed qualify_days[b].note: assumption → -",
            "supply a ← unnamed producers in CN changed qualify_days: - → 45",
            "supply a ← unnamed producers in CN changed standby: false → true",
            "supply a ← unnamed producers in JP added -: - → share 0.1",
        ],
        "{got:#?}"
    );
}

/// CycloneDX export and import keep `{ item, qualify_days }` members, standby
/// sources, parents and regimes: the diff of the round trip is empty.
#[test]
fn cyclonedx_round_trip_keeps_member_qualify_days_and_standby_sources() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("g");
    std::fs::create_dir(&src).unwrap();
    std::fs::write(
        src.join("a.yaml"),
        ANY_OF_QUALIFY.replace(
            "meta: { home: CN }",
            "meta: { home: CN, regimes: { US-EAR: US } }",
        ),
    )
    .unwrap();
    std::fs::write(
        src.join("b.yaml"),
        STANDBY
            .replace("meta: { home: CN }\n", "")
            .replace("id: us,", "id: us2,"),
    )
    .unwrap();
    std::fs::write(
        src.join("c.yaml"),
        "suppliers:\n  - { id: group, name: Group, country: DE }\n  - { id: plant, name: Plant, country: US, parent: group }\n",
    )
    .unwrap();
    let bom = tmp.path().join("bom.json");
    let back = tmp.path().join("back");
    bin()
        .args(["export", "--format", "cyclonedx", "--out"])
        .arg(&bom)
        .arg(&src)
        .assert()
        .success();
    bin()
        .args(["import", "--from", "cyclonedx", "-q"])
        .arg(&bom)
        .arg("--out")
        .arg(&back)
        .assert()
        .success();
    let out = bin()
        .args(["diff", "--format", "json", "-q"])
        .arg(&src)
        .arg(&back)
        .assert()
        .success();
    let diff: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(diff["changes"], serde_json::json!([]), "{diff}");
    let again = load(&back).model;
    let sys = &again.items["sys"];
    assert_eq!(sys.requires[0].qualify_days(1).map(|e| e.mid()), Some(90.0));
    assert_eq!(again.items["tube"].standby.len(), 1);
    assert_eq!(again.meta.regimes.len(), 1);
}

/// An actions file names the planner's "qualify standby source" action with
/// `qualify_standby: { item, source }`: the same action (id, description) as
/// the generated one, and the same LP after it (146). A source that is not a
/// standby source of the item is refused at its value.
#[test]
fn an_actions_file_can_qualify_a_standby_source() {
    use chokepoint::mitigate::{apply, generate_actions, parse_actions};
    let loaded = graph_of(STANDBY);
    let file = "actions:\n  - qualify_standby: { item: tube, source: CN }\n";
    let parsed = parse_actions(file, "a.yaml", &loaded.model).unwrap();
    let generated = generate_actions(&loaded.model, Case::Mid, &Default::default());
    let q = generated
        .iter()
        .find(|a| a.id == "qualify:tube:CN")
        .unwrap();
    assert_eq!(parsed.len(), 1);
    assert_eq!(&parsed[0], q);
    let after = apply(&loaded.model, &[&parsed[0]]).unwrap();
    let g = SupplyGraph::new(&after);
    let out = simulate(
        &g,
        &ScenarioSpec::from_declared(&g, &after.scenarios["us"]),
        Case::Mid,
    );
    assert_close(out.systems[0].lost_production, 146.0, "LP after qualifying");
    let bad = "actions:\n  - qualify_standby: { item: tube, source: US }\n  - qualify_standby: { item: nope, source: CN }\n";
    let errs: Vec<String> = parse_actions(bad, "a.yaml", &loaded.model)
        .unwrap_err()
        .iter()
        .map(|e| e.to_string())
        .collect();
    assert_eq!(
        errs,
        vec![
            "a.yaml:2:44: item `tube` has no standby source `US` (its standby sources: CN)",
            "a.yaml:3:30: unknown item `nope`",
        ],
        "{errs:#?}"
    );
}

/// `--samples` draws qualify_days like any other range: the member's 60–120
/// (mode 90) is a sampled estimate, and every sample's LP lies between the
/// low case (127.5) and the high case (120 × 0.6 + 245 × 0.3 = 145.5), with
/// the deterministic value 136.5.
#[test]
fn sampling_draws_member_qualify_days() {
    use chokepoint::uncertainty::{declared_specs, sample, sampled_estimates, SampleOptions};
    let loaded = graph_of(ANY_OF_QUALIFY);
    let est = sampled_estimates(&loaded.model);
    let q: Vec<(&str, f64, f64, f64)> = est
        .iter()
        .map(|e| (e.id.as_str(), e.low, e.mode, e.high))
        .collect();
    assert_eq!(
        q,
        vec![("sys.requires[a|b].qualify_days[b]", 60.0, 90.0, 120.0)]
    );
    let g = SupplyGraph::new(&loaded.model);
    let u = sample(
        &loaded.model,
        &declared_specs(&g),
        &[g.item_ix("sys").unwrap()],
        &SampleOptions::new(200, 7),
    );
    let lp = &u.scenarios[0].systems[0].lost_production;
    assert_close(lp.deterministic.unwrap(), 136.5, "deterministic LP");
    let (p5, p95) = (lp.p5.unwrap(), lp.p95.unwrap());
    assert!(127.5 <= p5 && p5 < p95 && p95 <= 145.5, "{p5} {p95}");
}

/// The BOM diagram labels an `any_of` member that needs qualification with
/// its qualify_days, in English and Chinese.
#[test]
fn the_bom_view_labels_members_with_their_qualify_days() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("g.yaml"), ANY_OF_QUALIFY).unwrap();
    for (lang, label) in [("en", "qualify 60–120 d"), ("zh", "认证 60–120 天")] {
        let dot = stdout_ok(
            bin()
                .args([
                    "render", "-q", "--view", "bom", "--format", "dot", "--lang", lang,
                ])
                .arg(tmp.path())
                .output()
                .unwrap(),
        );
        assert!(dot.contains(&format!("[label=\"{label}\"]")), "{dot}");
        assert_eq!(
            dot.matches("qualify").count() + dot.matches("认证").count(),
            1,
            "{dot}"
        );
    }
}
