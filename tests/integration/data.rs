//! Tests of the shipped data set in graphs/: that it loads cleanly, that it
//! reproduces the figures of the source documents with their citations, that the
//! parts the sources call US-dependent have US supply and run short when the US
//! stops exporting, and that every number in it is cited.
//!
//! These tests read graphs/ only; they never write to it. Expected numbers are the
//! figures of the seed documents (shared/seed-facts.md) or hand computations from
//! them (arithmetic in the comments).

use crate::support::{assert_close, bin, load, load_str, shipped};
use chokepoint::analysis::{direct_import_share, embodied_import_shares};
use chokepoint::graph::SupplyGraph;
use chokepoint::load::Code;
use chokepoint::model::{Case, Estimate, Item, ItemId, Location, Model, ReferenceId};
use chokepoint::scenario::{simulate, ScenarioSpec};
use std::collections::{BTreeSet, HashSet};

// ------------------------------------------------------------------ helpers

fn shipped_model() -> Model {
    load(&shipped()).model
}

#[track_caller]
fn item<'m>(m: &'m Model, id: &str) -> &'m Item {
    m.items
        .get(&ItemId::new(id))
        .unwrap_or_else(|| panic!("graphs/ has no item `{id}`"))
}

#[track_caller]
fn figure_value<'m>(m: &'m Model, id: &str) -> &'m Estimate {
    let f = m
        .figures
        .iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("graphs/ has no figure `{id}`"));
    assert!(
        !f.cite.is_empty() || !f.value.cite.is_empty(),
        "figure `{id}` is not cited"
    );
    &f.value
}

/// The citations of a figure: on the figure and on its value.
fn figure_cites(m: &Model, id: &str) -> Vec<String> {
    let f = m.figures.iter().find(|f| f.id == id).expect("figure");
    f.cite
        .iter()
        .chain(&f.value.cite)
        .map(|r| r.to_string())
        .collect()
}

fn ids(cites: &[ReferenceId]) -> Vec<String> {
    cites.iter().map(|r| r.to_string()).collect()
}

#[track_caller]
fn assert_cites(cites: &[ReferenceId], reference: &str, what: &str) {
    assert!(
        cites.iter().any(|r| r.as_str() == reference),
        "{what} should cite `{reference}`, cites {:?}",
        ids(cites)
    );
}

/// The cost share of `parent` → `child` (a plain requirement).
#[track_caller]
fn cost_share<'m>(m: &'m Model, parent: &str, child: &str) -> &'m Estimate {
    item(m, parent)
        .requires
        .iter()
        .find(|r| r.target.members().iter().any(|x| x.as_str() == child))
        .unwrap_or_else(|| panic!("`{parent}` does not require `{child}`"))
        .cost_share
        .as_ref()
        .unwrap_or_else(|| panic!("`{parent}` → `{child}` has no cost share"))
}

/// Every item some system requires, directly or transitively (systems included).
fn reachable_from_systems(m: &Model) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&Item> = m.systems().collect();
    while let Some(i) = stack.pop() {
        if !seen.insert(i.id.to_string()) {
            continue;
        }
        for r in &i.requires {
            for c in r.target.members() {
                stack.push(&m.items[c]);
            }
        }
    }
    seen
}

// ------------------------------------------------------------------ (a) check

#[test]
fn check_passes_on_the_shipped_graphs_without_unmapped_items() {
    let out = bin().args(["check", "graphs"]).assert().success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        !stderr.contains("W002"),
        "`chokepoint check graphs` reports unmapped items:\n{stderr}"
    );
    assert!(!stderr.contains("error"), "unexpected errors:\n{stderr}");

    let loaded = load(&shipped());
    let unmapped: Vec<String> = loaded
        .warnings
        .iter()
        .filter(|d| d.code == Code::Unmapped)
        .map(|d| d.message.clone())
        .collect();
    assert!(unmapped.is_empty(), "W002 warnings: {unmapped:#?}");
    // The same rule, item by item, for everything a system requires.
    let m = &loaded.model;
    let reachable = reachable_from_systems(m);
    let bad: Vec<&String> = reachable
        .iter()
        .filter(|id| m.items[&ItemId::new(id.as_str())].is_unmapped())
        .collect();
    assert!(bad.is_empty(), "unmapped items under a system: {bad:?}");
    // Only W001 (unattributed supply remainder) is tolerated.
    let other: Vec<String> = loaded
        .warnings
        .iter()
        .filter(|d| d.code != Code::SupplyUnattributed)
        .map(|d| format!("{:?}: {}", d.code, d.message))
        .collect();
    assert!(other.is_empty(), "warnings other than W001: {other:#?}");
}

#[test]
fn every_item_is_used_by_a_system_and_the_ten_systems_are_present() {
    let m = shipped_model();
    let systems: Vec<String> = m.systems().map(|s| s.id.to_string()).collect();
    assert_eq!(
        systems,
        [
            "ct-64",
            "ct-256",
            "ct-pcct",
            "dr",
            "dsa",
            "mri-1t5",
            "mri-3t",
            "pet-ct",
            "pet-mr",
            "ultrasound"
        ]
    );
    let reachable = reachable_from_systems(&m);
    let orphans: Vec<String> = m
        .items
        .keys()
        .map(|k| k.to_string())
        .filter(|k| !reachable.contains(k))
        .collect();
    assert!(orphans.is_empty(), "items no system requires: {orphans:?}");
}

#[test]
fn shares_and_cost_shares_sum_to_at_most_one_in_every_case() {
    // The loader checks the mid case; docs/data.md promises all three cases.
    let m = shipped_model();
    let mut bad = Vec::new();
    for i in m.items.values() {
        for case in Case::ALL {
            let supply: f64 = i.supply.iter().map(|e| e.share.get(case)).sum();
            if supply > 1.0 + 1e-9 {
                bad.push(format!(
                    "{} supply of `{}` sums to {supply} ({})",
                    case.as_str(),
                    i.id,
                    m.describe(i.loc)
                ));
            }
            let cost: f64 = i
                .requires
                .iter()
                .filter_map(|r| r.cost_share.as_ref())
                .map(|c| c.get(case))
                .sum();
            if cost > 1.0 + 1e-9 {
                bad.push(format!(
                    "{} cost shares under `{}` sum to {cost} ({})",
                    case.as_str(),
                    i.id,
                    m.describe(i.loc)
                ));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

// ------------------------------------------------------------------ (b) seed figures

#[test]
fn seed_references_name_the_right_seed_files() {
    let m = shipped_model();
    for (id, file) in [
        ("seed-000", "000_e6ff213bfdaedd7a.txt"),
        ("seed-001", "001_d242578d0952971f.txt"),
        ("seed-002", "002_3b4ba08c84ecf1b1.txt"),
        ("seed-003", "003_f15242d6d4cc9eef.txt"),
        ("seed-004", "004_7444ff668d1e0f69.txt"),
    ] {
        let r = &m.references[&ReferenceId::new(id)];
        assert_eq!(r.file.as_deref(), Some(file), "file of reference {id}");
    }
}

#[test]
fn tier3_hospital_import_shares_are_on_the_systems_citing_seed_001() {
    let m = shipped_model();
    assert_eq!(
        m.references[&ReferenceId::new("seed-001")].file.as_deref(),
        Some("001_d242578d0952971f.txt")
    );
    for (system, share, figure) in [
        ("ct-64", 0.8027, "tier3-ct-import"),
        ("ct-256", 0.8027, "tier3-ct-import"),
        ("mri-1t5", 0.9093, "tier3-mri-import"),
        ("mri-3t", 0.9093, "tier3-mri-import"),
        ("dsa", 0.9597, "tier3-dsa-import"),
    ] {
        let est = item(&m, system)
            .import_share
            .as_ref()
            .unwrap_or_else(|| panic!("{system} has no import_share"));
        assert_eq!(est.value, Some(share), "{system} import_share value");
        assert_cites(&est.cite, "seed-001", &format!("{system} import_share"));
        assert_eq!(figure_value(&m, figure).value, Some(share), "{figure}");
        assert!(figure_cites(&m, figure).contains(&"seed-001".to_string()));
    }
}

#[test]
fn dr_and_ultrasound_localisation_become_import_shares() {
    let m = shipped_model();
    // Localisation DR ≈ 80 % → import 1 − 0.80 = 0.20; ultrasound ≈ 57 % → 0.43.
    for (system, localisation, figure) in [
        ("dr", 0.80, "dr-localisation"),
        ("ultrasound", 0.57, "ultrasound-localisation"),
    ] {
        let est = item(&m, system).import_share.as_ref().unwrap();
        assert_close(est.mid(), 1.0 - localisation, &format!("{system} import"));
        assert_cites(&est.cite, "seed-001", system);
        assert_eq!(figure_value(&m, figure).value, Some(localisation));
        assert!(figure_cites(&m, figure).contains(&"seed-001".to_string()));
    }
}

#[test]
fn ct_tube_is_20_to_30_percent_of_ct_cost_citing_seed_004() {
    let m = shipped_model();
    let cs = cost_share(&m, "ct-64", "ct-tube");
    assert_eq!((cs.low, cs.high), (Some(0.20), Some(0.30)));
    assert_cites(&cs.cite, "seed-004", "ct-64 → ct-tube cost_share");
    let f = figure_value(&m, "ct-tube-cost-share");
    assert_eq!((f.low, f.high), (Some(0.20), Some(0.30)));
    assert_eq!(
        m.references[&ReferenceId::new("seed-004")].file.as_deref(),
        Some("004_7444ff668d1e0f69.txt")
    );
}

#[test]
fn tube_generator_and_detector_make_60_to_65_percent_of_high_end_ct() {
    let m = shipped_model();
    for (system, tube, detector) in [
        ("ct-256", "ct-tube-highend", "ct-detector-wide"),
        ("ct-pcct", "ct-tube-highend", "pcd-detector"),
    ] {
        let parts = [
            cost_share(&m, system, tube),
            cost_share(&m, system, "hv-generator"),
            cost_share(&m, system, detector),
        ];
        // ct-256: low 0.20 + 0.12 + 0.28 = 0.60; high 0.22 + 0.12 + 0.31 = 0.65.
        let low: f64 = parts.iter().map(|e| e.low()).sum();
        let high: f64 = parts.iter().map(|e| e.high()).sum();
        assert_close(low, 0.60, &format!("{system} core cost share, low"));
        assert_close(high, 0.65, &format!("{system} core cost share, high"));
        for p in parts {
            assert_cites(&p.cite, "seed-004", &format!("{system} core part"));
        }
    }
    let f = figure_value(&m, "highend-ct-core-cost");
    assert_eq!((f.low, f.high), (Some(0.60), Some(0.65)));
    let cites = figure_cites(&m, "highend-ct-core-cost");
    assert!(cites.contains(&"seed-004".to_string()));
    assert!(cites.contains(&"fxbaogao-iray".to_string()));
}

#[test]
fn conflicting_ct_tube_localisation_is_a_range() {
    let m = shipped_model();
    let tube = item(&m, "ct-tube");
    let est = tube.import_share.as_ref().unwrap();
    // Localisation "under 20 %" vs "over 60 %" → import 0.40–0.80.
    assert_eq!((est.low, est.high), (Some(0.40), Some(0.80)));
    assert_cites(&est.cite, "seed-002", "ct-tube import_share");
    let f = figure_value(&m, "ct-tube-localisation");
    assert_eq!((f.low, f.high), (Some(0.20), Some(0.60)));
    // The supply edges reproduce the range after normalisation (spec §3.1):
    // foreign points 0.12+0.06+0.04+0.02+0.07+0.05+0.03+0.01 = 0.40;
    // domestic low 0.03+0.02+0.03+0.01+0.01 = 0.10 → DI = 0.40/0.50 = 0.80;
    // domestic high 0.18+0.10+0.18+0.08+0.06 = 0.60 → DI = 0.40/1.00 = 0.40.
    let g = SupplyGraph::new(&m);
    let ix = g.item_ix("ct-tube").unwrap();
    assert_close(
        direct_import_share(&g, ix, Case::Low).unwrap(),
        0.80,
        "DI low",
    );
    assert_close(
        direct_import_share(&g, ix, Case::High).unwrap(),
        0.40,
        "DI high",
    );
}

#[test]
fn the_125_percent_tariff_is_on_the_us_scenarios_citing_seed_000() {
    let m = shipped_model();
    for id in ["us-embargo", "us-tariff-125"] {
        let s = &m.scenarios[&chokepoint::model::ScenarioId::new(id)];
        assert_eq!(
            s.tariffs.get(&chokepoint::model::CountryCode::new("US")),
            Some(&1.25)
        );
        assert_cites(&s.cite, "seed-000", id);
    }
    let embargo = &m.scenarios[&chokepoint::model::ScenarioId::new("us-embargo")];
    let failed: Vec<&str> = embargo.fail.countries.iter().map(|c| c.as_str()).collect();
    assert_eq!(failed, ["US"]);
    assert_eq!(figure_value(&m, "cn-tariff-us-2025").value, Some(1.25));
}

#[test]
fn six_month_safety_stock_is_180_days_citing_seed_002() {
    let m = shipped_model();
    let stock = item(&m, "ct-tube").stock_days.as_ref().unwrap();
    assert_eq!(stock.value, Some(180.0));
    assert_cites(&stock.cite, "seed-002", "ct-tube stock_days");
    assert_eq!(figure_value(&m, "neusoft-safety-stock").value, Some(180.0));
    // Every 180-day stock in the graph is that figure, so it cites its source.
    let mut n = 0;
    for i in m.items.values() {
        if let Some(s) = &i.stock_days {
            if s.mid() == 180.0 {
                n += 1;
                assert_cites(&s.cite, "seed-002", &format!("{} stock_days", i.id));
            }
        }
    }
    assert!(n >= 10, "only {n} items carry the six-month stock");
}

/// Data v2 (docs/data.md): seed-002's 48/38/29 bn CT/MRI/ultrasound passage is
/// not used (480亿 is also its whole-industry revenue, and 115 bn exceeds the
/// whole imaging market), so every system carries its own cited value, and
/// together they stay inside the market seed-001 measures: 82.58 bn of tenders
/// in 2023 growing 11.75 % a year, 82.58 × 1.1175² = 103.1 bn in 2025.
#[test]
fn market_values_are_cited_and_stay_inside_the_market() {
    let m = shipped_model();
    let mut total = 0.0;
    for s in m.systems() {
        let mv = s
            .market_value
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no market value", s.id));
        assert!(!mv.cite.is_empty(), "{} market_value cites nothing", s.id);
        total += mv.mid();
    }
    assert!(total <= 82.58e9 * 1.1175 * 1.1175, "systems sum to {total}");
    // CT is split without overlap: mainstream, high-end, photon-counting.
    let ct: f64 = ["ct-64", "ct-256", "ct-pcct"]
        .iter()
        .map(|id| item(&m, id).market_value.as_ref().unwrap().mid())
        .sum();
    assert!(ct < 28.6e9, "CT sums to {ct}, above seed-002's 28.5 bn");
}

#[test]
fn national_catalogue_counts_are_figures_citing_seed_001() {
    let m = shipped_model();
    for (id, n) in [
        ("national-items", 4600.0),
        ("national-high-risk", 1156.0),
        ("national-materials", 30.0),
        ("national-components", 820.0),
        ("national-core-parts", 170.0),
        ("national-software", 70.0),
    ] {
        assert_eq!(figure_value(&m, id).value, Some(n), "{id}");
        assert!(
            figure_cites(&m, id).contains(&"seed-001".to_string()),
            "{id}"
        );
    }
}

#[test]
fn helium_dependence_range_is_reproduced_by_the_supply_edges() {
    // Import dependence 88 % vs 95 % (conflicting) → import_share 0.88–0.95, and the
    // edges give the same span: foreign Qatar 0.82 + US 0.06 = 0.88; domestic
    // 0.05 → 0.88/0.93 = 0.946237; domestic 0.12 → 0.88/1.00 = 0.88.
    let m = shipped_model();
    let g = SupplyGraph::new(&m);
    let he = g.item_ix("helium").unwrap();
    assert_close(
        direct_import_share(&g, he, Case::Low).unwrap(),
        0.88 / 0.93,
        "low",
    );
    assert_close(
        direct_import_share(&g, he, Case::High).unwrap(),
        0.88,
        "high",
    );
    let est = item(&m, "helium").import_share.as_ref().unwrap();
    assert_eq!((est.low, est.high), (Some(0.88), Some(0.95)));
}

// ------------------------------------------------------------------ (c) US dependence

/// The parts seed-000 calls US-dependent (tubes, HV generators, slip rings and data
/// transmission, RF systems), as items of the graph.
const US_DEPENDENT: [&str; 7] = [
    "ct-tube",
    "ct-tube-highend",
    "hv-generator",
    "ct-slip-ring",
    "ct-data-link",
    "rf-amplifier",
    "rf-coil",
];

#[test]
fn parts_the_sources_call_us_dependent_have_us_supply() {
    let m = shipped_model();
    for id in US_DEPENDENT {
        let i = item(&m, id);
        let us: Vec<&str> = i
            .supply
            .iter()
            .filter(|e| m.edge_country(e).as_str() == "US")
            .map(|e| e.supplier_id().unwrap_or(""))
            .collect();
        assert!(!us.is_empty(), "`{id}` has no US supply edge");
        assert!(
            i.cite.iter().any(|r| r.as_str() == "seed-000")
                || i.supply
                    .iter()
                    .any(|e| e.share.cite.iter().any(|r| r.as_str() == "seed-000")),
            "`{id}`: the US dependence should cite seed-000"
        );
    }
}

#[test]
fn us_dependent_parts_run_short_when_the_us_stops_exporting() {
    let m = shipped_model();
    let g = SupplyGraph::new(&m);
    let declared = &m.scenarios[&chokepoint::model::ScenarioId::new("us-embargo")];
    let spec = ScenarioSpec::from_declared(&g, declared);
    let out = simulate(&g, &spec, Case::Mid);
    let mut not_short = Vec::new();
    for id in US_DEPENDENT {
        let ix = g.item_ix(id).unwrap();
        let surviving = out.item_surviving[ix.index()];
        assert!(surviving < 1.0, "`{id}` keeps all its supply: {surviving}");
        if out.first_short_day(ix).is_none() {
            not_short.push(id);
        }
        // (ct-tube is the exception, below.)
    }
    // The mainstream CT tube loses only its US share, which its six-month stock
    // covers past its recovery; its thermal-simulation software is a design
    // requirement (spec v2), so the licence runway no longer stops production.
    assert_eq!(
        not_short,
        vec!["ct-tube"],
        "under us-embargo only ct-tube never runs short"
    );
    // rf-coil holds no stock: GE (US) supplies 0.15 of 0.20+0.15+0.12+0.25 = 0.72
    // attributed (mid), so a = 1 − 0.15/0.72 = 0.791666… and it is short on day 0.
    let coil = g.item_ix("rf-coil").unwrap();
    assert_eq!(out.first_short_day(coil), Some(0));
    assert_close(
        out.item_surviving[coil.index()],
        1.0 - 0.15 / 0.72,
        "rf-coil a",
    );
    // ct-tube-highend (mid): US = GE 0.326 + Varex 0.15 of 0.326 + 0.2554 + 0.1836 +
    // 0.0377 + 0.15 = 0.9527 attributed → ŵ_US = 0.476/0.9527 = 0.49963; 180 days of
    // stock cover that for 180/0.49963 = 360.3 days, so day 360 is the first short one
    // (before its recovery, day 547.5, and before the 730-day horizon ends).
    let tube = g.item_ix("ct-tube-highend").unwrap();
    assert_eq!(out.first_short_day(tube), Some(360));
    // Every system built at home needs some US-dependent part, so it falls short;
    // photon-counting CT is bought finished from Siemens in Germany and survives.
    for s in &out.systems {
        assert_eq!(
            s.tts.is_none(),
            s.id == "ct-pcct",
            "{}: TTS {:?} under a US export stop",
            s.id,
            s.tts
        );
    }
}

// ------------------------------------------------------------------ (d) citations

/// Every number of a model without a citation on itself, its edge or its item,
/// as "location: what".
fn uncited_numbers(m: &Model) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |est: &Estimate, outer: &[&[ReferenceId]], loc: Location, what: String| {
        if est.cite.is_empty() && outer.iter().all(|c| c.is_empty()) {
            out.push(format!("{}: {what}", m.describe(loc)));
        }
    };
    for i in m.items.values() {
        let own: &[ReferenceId] = &i.cite;
        for (key, est) in [
            ("market_value", &i.market_value),
            ("import_share", &i.import_share),
            ("stock_days", &i.stock_days),
            ("recovery_days", &i.recovery_days),
        ] {
            if let Some(e) = est {
                check(e, &[own], i.loc, format!("{key} of `{}`", i.id));
            }
        }
        for r in &i.requires {
            if let Some(e) = &r.cost_share {
                let target = r
                    .target
                    .members()
                    .iter()
                    .map(|x| x.as_str())
                    .collect::<Vec<_>>()
                    .join("|");
                check(
                    e,
                    &[&r.cite, own],
                    r.loc,
                    format!("cost_share of `{}` → `{target}`", i.id),
                );
            }
        }
        for e in &i.supply {
            check(
                &e.share,
                &[&e.cite, own],
                e.loc,
                format!(
                    "share of `{}` from `{}`",
                    i.id,
                    e.supplier_id().unwrap_or("unnamed")
                ),
            );
        }
    }
    for f in &m.figures {
        check(&f.value, &[&f.cite], f.loc, format!("figure `{}`", f.id));
    }
    for s in m.scenarios.values() {
        if !s.tariffs.is_empty() && s.cite.is_empty() {
            out.push(format!(
                "{}: tariffs of scenario `{}`",
                m.describe(s.loc),
                s.id
            ));
        }
    }
    out
}

#[test]
fn every_number_in_the_shipped_graphs_is_cited() {
    let m = shipped_model();
    let bad = uncited_numbers(&m);
    assert!(
        bad.is_empty(),
        "{} number(s) without a citation:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn the_citation_walk_finds_every_kind_of_uncited_number() {
    // The walk above must be able to fail: one uncited number of each kind.
    let yaml = r#"
meta: { home: CN }
suppliers:
  - { id: s1, name: S1, country: US }
items:
  - id: sys
    kind: system
    name: Sys
    market_value: 1.0e9
    requires:
      - { item: part, cost_share: 0.5 }
  - id: part
    kind: part
    name: Part
    supply:
      - { supplier: s1, share: 0.7 }
    stock_days: 30
    recovery_days: { low: 10, high: 20 }
  - id: cited
    kind: part
    name: Cited on the item
    import_share: 0.5
    cite: [r1]
references:
  - { id: r1, title: A source }
scenarios:
  - { id: tariff, name: T, fail: { countries: [] }, tariffs: { US: 0.25 }, duration_days: 1 }
figures:
  - { id: f, name: F, value: 3 }
"#;
    let l = load_str(&[("g.yaml", yaml)]).expect("the fixture loads");
    let bad = uncited_numbers(&l.model);
    let whats: Vec<&str> = bad
        .iter()
        .map(|b| b.split_once(": ").map(|(_, w)| w).unwrap_or(""))
        .collect();
    assert_eq!(
        whats,
        [
            "market_value of `sys`",
            "cost_share of `sys` → `part`",
            "stock_days of `part`",
            "recovery_days of `part`",
            "share of `part` from `s1`",
            "figure `f`",
            "tariffs of scenario `tariff`",
        ]
    );
    assert!(bad[0].starts_with("g.yaml:"), "located: {}", bad[0]);
}

#[test]
fn every_low_confidence_estimate_explains_itself() {
    // Estimates marked `confidence: low` carry a note (on themselves, their edge or
    // their item) saying how they were derived.
    let m = shipped_model();
    let mut bad = Vec::new();
    let mut check = |e: &Estimate, outer: &[&Option<String>], loc: Location, what: String| {
        let low = e.confidence == Some(chokepoint::model::Confidence::Low);
        if low && e.note.is_none() && outer.iter().all(|n| n.is_none()) {
            bad.push(format!("{}: {what}", m.describe(loc)));
        }
    };
    for i in m.items.values() {
        for (key, est) in [
            ("market_value", &i.market_value),
            ("import_share", &i.import_share),
            ("stock_days", &i.stock_days),
            ("recovery_days", &i.recovery_days),
        ] {
            if let Some(e) = est {
                check(e, &[&i.note], i.loc, format!("{key} of `{}`", i.id));
            }
        }
        for r in &i.requires {
            if let Some(e) = &r.cost_share {
                check(e, &[&r.note], r.loc, format!("cost share under `{}`", i.id));
            }
        }
        for e in &i.supply {
            check(
                &e.share,
                &[&e.note, &i.note],
                e.loc,
                format!("share of `{}`", i.id),
            );
        }
    }
    assert!(
        bad.is_empty(),
        "low-confidence estimates without a note:\n{}",
        bad.join("\n")
    );
}

// ------------------------------------------------------------------ (e) references

/// Every reference id cited anywhere in a model.
fn cited_references(m: &Model) -> HashSet<String> {
    let mut set = HashSet::new();
    let mut add = |c: &[ReferenceId]| set.extend(c.iter().map(|r| r.to_string()));
    for s in m.suppliers.values() {
        add(&s.cite);
    }
    for i in m.items.values() {
        add(&i.cite);
        for e in [
            &i.market_value,
            &i.import_share,
            &i.stock_days,
            &i.recovery_days,
        ]
        .into_iter()
        .flatten()
        {
            add(&e.cite);
        }
        for r in &i.requires {
            add(&r.cite);
            if let Some(c) = &r.cost_share {
                add(&c.cite);
            }
        }
        for e in &i.supply {
            add(&e.cite);
            add(&e.share.cite);
        }
    }
    for s in m.scenarios.values() {
        add(&s.cite);
    }
    for f in &m.figures {
        add(&f.cite);
        add(&f.value.cite);
    }
    set
}

/// `NNN_<hex>.txt`, the name pattern of the seed documents.
fn is_seed_file_name(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".txt") else {
        return false;
    };
    let Some((num, hex)) = stem.split_once('_') else {
        return false;
    };
    num.len() == 3
        && num.bytes().all(|b| b.is_ascii_digit())
        && !hex.is_empty()
        && hex
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

#[test]
fn every_reference_is_cited_and_seed_files_are_well_named() {
    let m = shipped_model();
    let cited = cited_references(&m);
    let unused: Vec<String> = m
        .references
        .keys()
        .map(|r| r.to_string())
        .filter(|r| !cited.contains(r))
        .collect();
    assert!(unused.is_empty(), "references nobody cites: {unused:?}");
    let mut seeds = 0;
    for r in m.references.values() {
        if let Some(file) = &r.file {
            seeds += 1;
            assert!(
                is_seed_file_name(file),
                "{}: reference `{}` names file `{file}`, not NNN_<hex>.txt",
                m.describe(r.loc),
                r.id
            );
        }
        assert!(
            !r.title.trim().is_empty(),
            "reference `{}` has no title",
            r.id
        );
    }
    assert_eq!(seeds, 5, "the five seed documents");
}

#[test]
fn the_seed_file_pattern_rejects_other_names() {
    assert!(is_seed_file_name("001_d242578d0952971f.txt"));
    for bad in [
        "1_d242.txt",
        "001-d242.txt",
        "001_.txt",
        "001_XYZ.txt",
        "001_D242.txt",
        "001_d242.md",
        "seeds/001_d242.txt",
    ] {
        assert!(!is_seed_file_name(bad), "{bad}");
    }
}

// ------------------------------------------------------------------ embodied import

#[test]
fn detectors_pass_their_import_content_up_to_the_systems() {
    // Spec §3.2 counts an item with requirements but no cost shares as EID 0. The
    // detector assemblies carry cost shares, so their import content reaches CT,
    // PET/CT and PET/MR; DR and DSA get theirs through the flat panel.
    let m = shipped_model();
    let g = SupplyGraph::new(&m);
    let eid = embodied_import_shares(&g, Case::Mid);
    let get = |id: &str| eid[g.item_ix(id).unwrap().index()].unwrap_or((0.0, 0.0));
    for id in [
        "ct-detector",
        "ct-detector-wide",
        "pcd-detector",
        "pet-detector-ring",
    ] {
        let (share, coverage) = get(id);
        assert!(coverage >= 0.5, "{id}: coverage {coverage}");
        assert!(share > 0.1, "{id}: EID {share}");
    }
    for id in ["pet-ct", "pet-mr", "dsa", "dr"] {
        let (share, coverage) = get(id);
        assert!(
            coverage > 0.0 && share > 0.0,
            "{id}: EID {share}, coverage {coverage}"
        );
    }
}

// ------------------------------------------------------------------ seed-claim table

/// The rows of docs/data.md's seed-claim table ("### 3. Seed claims against the
/// tool's output"): (id, cells). Cells are separated by " | " (a `low|high` inside
/// a cell has no spaces around its bar).
fn seed_claim_rows() -> Vec<(String, Vec<String>)> {
    let doc =
        std::fs::read_to_string(crate::support::root().join("docs/data.md")).expect("docs/data.md");
    let start = doc
        .find("### 3. Seed claims against the tool's output")
        .expect("docs/data.md has the seed-claim table section");
    let section = &doc[start..];
    let end = section[4..].find("\n### ").map_or(section.len(), |e| e + 4);
    section[..end]
        .lines()
        .filter(|l| l.starts_with("| S"))
        .map(|l| {
            let inner = l
                .strip_prefix("| ")
                .and_then(|l| l.strip_suffix(" |"))
                .unwrap_or_else(|| panic!("malformed row: {l}"));
            let cells: Vec<String> = inner.split(" | ").map(str::to_owned).collect();
            assert_eq!(cells.len(), 7, "seed-claim row needs 7 cells: {l}");
            (cells[0].clone(), cells)
        })
        .collect()
}

fn json_of(args: &[&str]) -> serde_json::Value {
    let out = bin().args(args).assert().success();
    serde_json::from_slice(&out.get_output().stdout).expect("JSON output")
}

fn analyze_json(case: &str) -> serde_json::Value {
    json_of(&[
        "analyze", "graphs", "--by", "country", "--format", "json", "--top", "0", "--case", case,
        "-q",
    ])
}

#[track_caller]
fn by_id<'v>(list: &'v serde_json::Value, id: &str) -> &'v serde_json::Value {
    list.as_array()
        .expect("array")
        .iter()
        .find(|x| x["id"] == id)
        .unwrap_or_else(|| panic!("no `{id}` in the output"))
}

fn di(analysis: &serde_json::Value, id: &str) -> f64 {
    by_id(&analysis["items"], id)["direct_import_share"]
        .as_f64()
        .unwrap_or_else(|| panic!("`{id}` has no direct import share"))
}

/// "yes" when all hold, "no" when none does, "partly" otherwise.
fn verdict(hits: usize, of: usize) -> &'static str {
    match hits {
        0 => "no",
        h if h == of => "yes",
        _ => "partly",
    }
}

/// Rows whose claim is an input the tool reports but does not compute from.
const SEED_CLAIMS_NOT_CHECKED: [&str; 3] = ["S12", "S13", "S14"];

#[test]
fn seed_claim_table_matches_the_tool() {
    let m = shipped_model();
    let [low, mid, high] = ["low", "mid", "high"].map(analyze_json);
    let embargo = json_of(&[
        "scenario",
        "graphs",
        "--name",
        "us-embargo",
        "--format",
        "json",
        "-q",
    ]);
    let tariff = json_of(&[
        "scenario",
        "graphs",
        "--name",
        "us-tariff-125",
        "--format",
        "json",
        "-q",
    ]);
    let embargo = &embargo["scenarios"][0];
    let tariff = &tariff["scenarios"][0];
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9;

    let computed = |id: &str| -> &'static str {
        match id {
            // seed-000's US-dependent families run short within the scenario.
            "S1" => {
                let short = US_DEPENDENT
                    .iter()
                    .filter(|i| {
                        embargo["short_items"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .any(|x| x["id"] == **i)
                    })
                    .count();
                verdict(short, US_DEPENDENT.len())
            }
            // Tubes and magnets: the US is the largest foreign country (mid shares).
            "S2" => {
                let items = [
                    "ct-tube",
                    "ct-tube-highend",
                    "sc-magnet-1t5",
                    "sc-magnet-3t",
                ];
                let us_first = items
                    .iter()
                    .filter(|id| {
                        let mut by_country = std::collections::BTreeMap::<String, f64>::new();
                        for e in &item(&m, id).supply {
                            *by_country
                                .entry(m.edge_country(e).as_str().to_owned())
                                .or_default() += e.share.get(Case::Mid);
                        }
                        by_country
                            .iter()
                            .filter(|(c, _)| c.as_str() != "CN")
                            .max_by(|a, b| a.1.total_cmp(b.1))
                            .is_some_and(|(c, _)| c == "US")
                    })
                    .count();
                verdict(us_first, items.len())
            }
            // The tariff raises the cost of every system with a US input.
            "S3" => {
                let systems = tariff["systems"].as_array().unwrap();
                let dearer = systems
                    .iter()
                    .filter(|s| s["delta_cost"].as_f64().unwrap() > 0.0)
                    .count();
                // ct-pcct is bought finished from Germany: nothing of it is US-made.
                verdict(dearer, systems.len() - 1)
            }
            // The brand share is the import content only if foreign brands import.
            "S4" => {
                let eid = by_id(&mid["systems"], "ct-64")["embodied_import_share"]["value"]
                    .as_f64()
                    .unwrap();
                if close(eid, 0.8027) {
                    "yes"
                } else if eid > 0.0 {
                    "partly"
                } else {
                    "no"
                }
            }
            "S5" => verdict(
                ["ultrasound-probe", "ct-detector"]
                    .iter()
                    .filter(|id| di(&mid, id) > 0.5)
                    .count(),
                2,
            ),
            "S6" => {
                let cs = cost_share(&m, "ct-64", "ct-tube");
                if close(cs.get(Case::Low), 0.20) && close(cs.get(Case::High), 0.30) {
                    "yes"
                } else {
                    "no"
                }
            }
            "S7" => {
                let cov = |a: &serde_json::Value| {
                    by_id(&a["systems"], "ct-256")["coverage"].as_f64().unwrap()
                };
                if close(cov(&low), 0.60) && close(cov(&high), 0.65) {
                    "yes"
                } else {
                    "no"
                }
            }
            "S8" => {
                if di(&low, "ct-tube") >= 0.80 - 1e-9 && di(&high, "ct-tube") <= 0.40 + 1e-9 {
                    "yes"
                } else {
                    "no"
                }
            }
            "S9" => verdict(usize::from(di(&mid, "sc-magnet-3t") > 0.5), 1),
            "S10" => verdict(usize::from(close(di(&mid, "cmos-xray-sensor"), 0.59)), 1),
            // National choke points: systems that a set of countries including the
            // US stops at order ≤ 2, not conditional on an unattributed remainder.
            "S11" => {
                let stopped: BTreeSet<String> = mid["national"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|n| {
                        n["conditional"] == false
                            && n["events"]
                                .as_array()
                                .unwrap()
                                .iter()
                                .any(|e| e["id"] == "US")
                    })
                    .flat_map(|n| n["systems"].as_array().unwrap().iter())
                    .map(|s| s.as_str().unwrap().to_owned())
                    .collect();
                // The nine systems built at home (ct-pcct is imported only).
                verdict(stopped.len(), 9)
            }
            other => {
                panic!("seed-claim row {other} has no rule: add one or list it as not checked")
            }
        }
    };

    let rows = seed_claim_rows();
    assert_eq!(rows.len(), 14, "the table has 14 seed claims");
    for (id, cells) in &rows {
        let stated = cells[6].as_str();
        if SEED_CLAIMS_NOT_CHECKED.contains(&id.as_str()) {
            assert_eq!(stated, "(not checked)", "{id}: an unchecked row says so");
            continue;
        }
        let word = stated.split([':', ' ']).next().unwrap_or("");
        let tool = computed(id.as_str());
        assert_eq!(
            word, tool,
            "{id} ({}): docs/data.md says `{stated}`, the tool's output gives `{tool}`",
            cells[1]
        );
    }
}
