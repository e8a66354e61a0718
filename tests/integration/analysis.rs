//! `analysis` and `chokepoint analyze` (spec §3.1–3.5, §3.8).
//!
//! Hand-computed values come from tests/fixtures/analysis/worked, the worked
//! example of docs/metrics.md; the arithmetic is written next to each assertion.
//! A property test checks the minimal cut sets against brute-force enumeration.

use crate::support::*;
use chokepoint::analysis::{
    self, analyze, direct_import_share, embodied_import_shares, foreign_dependent, hhi_country,
    hhi_supplier, minimal_cut_sets, risk_scores, AnalyzeOptions, Band, BasicEvent, EventKind,
    FailureLogic, Screen, ViaPaths, Weights,
};
use chokepoint::graph::{Assumptions, ItemIx, Scope, SupplyGraph};
use chokepoint::model::{Case, Lang};
use proptest::prelude::*;

fn worked() -> chokepoint::load::Loaded {
    load(&fixture("analysis/worked"))
}

fn ix(g: &SupplyGraph, id: &str) -> ItemIx {
    g.item_ix(id).unwrap_or_else(|| panic!("no item {id}"))
}

/// Cut sets as lists of event ids, e.g. [["CN"], ["DE", "US"]].
fn cut_ids(g: &SupplyGraph, system: &str, by: EventKind, k: usize) -> Vec<Vec<String>> {
    minimal_cut_sets(g, ix(g, system), by, k, Case::Mid)
        .unwrap()
        .iter()
        .map(|c| c.events.iter().map(|e| e.id(g)).collect())
        .collect()
}

fn ids(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

// ---------------------------------------------------------------- §3.1 DI

#[test]
fn direct_import_share_normalises_known_sources_and_falls_back_to_import_share() {
    let l = worked();
    let g = SupplyGraph::new(&l.model);
    let di = |id: &str, case| direct_import_share(&g, ix(&g, id), case);
    // crystal: s-jp 0.6 (JP) + s-us1 0.2 made in JP; 0.2 unattributed. Both edges
    // are foreign: DI = (0.6 + 0.2) / 0.8 = 1.
    assert_close(di("crystal", Case::Mid).unwrap(), 1.0, "DI crystal");
    // det: s-cn 1.0 → DI = 0.
    assert_close(di("det", Case::Mid).unwrap(), 0.0, "DI det");
    // scint-y: s-us2 {0.4..0.8} (US), s-cn 0.4. mid: 0.6/(0.6+0.4) = 0.6;
    // low: 0.4/0.8 = 0.5; high: 0.8/1.2 = 2/3.
    assert_close(di("scint-y", Case::Mid).unwrap(), 0.6, "DI scint-y mid");
    assert_close(di("scint-y", Case::Low).unwrap(), 0.5, "DI scint-y low");
    assert_close(
        di("scint-y", Case::High).unwrap(),
        2.0 / 3.0,
        "DI scint-y high",
    );
    // sw: no supply, import_share {0.4..0.6} → mid 0.5, low 0.4, high 0.6.
    assert_close(di("sw", Case::Mid).unwrap(), 0.5, "DI sw");
    assert_close(di("sw", Case::Low).unwrap(), 0.4, "DI sw low");
    // glue: nothing → undefined; sys-a: requirements only → undefined.
    assert_eq!(di("glue", Case::Mid), None);
    assert_eq!(di("sys-a", Case::Mid), None);
}

#[test]
fn site_country_override_decides_the_edge_country() {
    // Same crystal with `--home JP`: both edges are JP (s-us1's site), so DI = 0
    // even though s-us1 is a US firm.
    let mut l = worked();
    l.model.meta.home = chokepoint::model::CountryCode::new("JP");
    let g = SupplyGraph::new(&l.model);
    assert_close(
        direct_import_share(&g, ix(&g, "crystal"), Case::Mid).unwrap(),
        0.0,
        "DI crystal, home JP",
    );
}

// ---------------------------------------------------------------- §3.2 EID

#[test]
fn embodied_import_share_by_hand_in_every_case() {
    let l = worked();
    let g = SupplyGraph::new(&l.model);
    let eid = |case, id: &str| embodied_import_shares(&g, case)[ix(&g, id).index()];
    // det: domestic supply (s-cn), so EID = EIDin(det) = 0.6 · EID(crystal) = 0.6 · 1.
    let (e, cov) = eid(Case::Mid, "det").unwrap();
    assert_close(e, 0.6, "EID det");
    assert_close(cov, 0.6, "coverage det");
    // board: foreign supply (KR) contributes 1 whatever its inputs: EID = 1; coverage 0.5.
    let (e, cov) = eid(Case::Mid, "board").unwrap();
    assert_close(e, 1.0, "EID board");
    assert_close(cov, 0.5, "coverage board");
    // sys-a mid: det 0.4·0.6 + any_of 0.2·mean(1, 0.6) + tube 0.2·1 + glue (undefined,
    // skipped) = 0.24 + 0.16 + 0.2 = 0.6; coverage 0.4+0.2+0.2+0.1 = 0.9 (sw has no
    // cost share; glue's share counts although its EID is undefined).
    let (e, cov) = eid(Case::Mid, "sys-a").unwrap();
    assert_close(e, 0.6, "EID sys-a mid");
    assert_close(cov, 0.9, "coverage sys-a mid");
    // low: tube cs 0.1, scint-y 0.5 → 0.24 + 0.2·0.75 + 0.1 = 0.49; coverage 0.8.
    let (e, cov) = eid(Case::Low, "sys-a").unwrap();
    assert_close(e, 0.49, "EID sys-a low");
    assert_close(cov, 0.8, "coverage sys-a low");
    // high: tube cs 0.3, scint-y 2/3 → 0.24 + 0.2·(5/6) + 0.3 = 0.706666…; coverage 1.0.
    let (e, cov) = eid(Case::High, "sys-a").unwrap();
    assert_close(e, 0.24 + 0.2 * 5.0 / 6.0 + 0.3, "EID sys-a high");
    assert_close(cov, 1.0, "coverage sys-a high");
    // sys-b: 0.5·0.6 + 0.3·1 = 0.6; coverage 0.8.
    let (e, cov) = eid(Case::Mid, "sys-b").unwrap();
    assert_close(e, 0.6, "EID sys-b");
    assert_close(cov, 0.8, "coverage sys-b");
    assert_eq!(eid(Case::Mid, "glue"), None, "unmapped item has no EID");
    let (e, cov) = eid(Case::Mid, "sw").unwrap();
    assert_close(e, 0.5, "EID of an import_share-only item is its DI");
    assert_close(cov, 1.0, "coverage of an item without requirements");
}

#[test]
fn analysis_reports_eid_interval_from_low_and_high_cases() {
    let l = worked();
    let g = SupplyGraph::new(&l.model);
    let a = analyze(&g, &AnalyzeOptions::default()).unwrap();
    let sys_a = &a.systems[0];
    let iv = sys_a.embodied_import_share.unwrap();
    assert_close(iv.value, 0.6, "value");
    assert_close(iv.low, 0.49, "low");
    assert_close(iv.high, 0.706666667, "high (rounded to 9 decimals)");
    assert_close(sys_a.coverage.unwrap(), 0.9, "coverage");
}

// ---------------------------------------------------------------- §3.3 HHI

#[test]
fn concentration_and_screen_by_hand() {
    let l = worked();
    let g = SupplyGraph::new(&l.model);
    let c = ix(&g, "crystal");
    // crystal: ŵ = 0.75 (s-jp), 0.25 (s-us1); one country (JP).
    assert_close(
        hhi_supplier(&g, c, Case::Mid).unwrap(),
        0.75 * 0.75 + 0.25 * 0.25,
        "HHI_s crystal",
    );
    assert_close(hhi_country(&g, c, Case::Mid).unwrap(), 1.0, "HHI_c crystal");
    // scint-y mid: 0.6 US / 0.4 CN → 0.36 + 0.16 = 0.52 for both.
    let y = ix(&g, "scint-y");
    assert_close(
        hhi_country(&g, y, Case::Mid).unwrap(),
        0.52,
        "HHI_c scint-y",
    );
    assert_close(
        hhi_supplier(&g, y, Case::Mid).unwrap(),
        0.52,
        "HHI_s scint-y",
    );
    assert_eq!(
        hhi_country(&g, ix(&g, "sw"), Case::Mid),
        None,
        "no supply edges"
    );
    let s = Screen::default();
    // 0.52 > 0.4 and 0.6 > 0.5 → dependent; low case: HHI 0.5, DI 0.5 → not (strict).
    assert!(foreign_dependent(&g, y, Case::Mid, &s));
    assert!(!foreign_dependent(&g, y, Case::Low, &s));
    // tube: HHI_c 0.5 (US, DE), DI 1 → dependent; det: DI 0 → not.
    assert!(foreign_dependent(&g, ix(&g, "tube"), Case::Mid, &s));
    assert!(!foreign_dependent(&g, ix(&g, "det"), Case::Mid, &s));
    // Thresholds are configurable: DI must now exceed 0.6.
    let strict = Screen {
        hhi_country: 0.4,
        import_share: 0.6,
    };
    assert!(!foreign_dependent(&g, y, Case::Mid, &strict));
    // sw (import_share only) has no HHI → never dependent.
    assert!(!foreign_dependent(&g, ix(&g, "sw"), Case::Mid, &s));
}

// ---------------------------------------------------------------- §3.4 cut sets

#[test]
fn cut_sets_by_country_by_hand() {
    let l = worked();
    let g = SupplyGraph::new(&l.model);
    // F(sys-a) = F(det) ∨ (F(scint-x) ∧ F(scint-y)) ∨ F(tube) ∨ F(sw) ∨ F(glue)
    //          = (CN ∨ JP) ∨ (JP ∧ US ∧ CN) ∨ (US ∧ DE) ∨ false ∨ false
    // minimal: {CN}, {JP}, {DE, US}; {CN, JP, US} is subsumed.
    let want = vec![ids(&["CN"]), ids(&["JP"]), ids(&["DE", "US"])];
    assert_eq!(cut_ids(&g, "sys-a", EventKind::Country, 3), want);
    assert_eq!(
        cut_ids(&g, "sys-a", EventKind::Country, 1),
        vec![ids(&["CN"]), ids(&["JP"])]
    );
    // sys-b = F(det) ∨ F(board) = (CN ∨ JP) ∨ (KR ∨ JP).
    assert_eq!(
        cut_ids(&g, "sys-b", EventKind::Country, 2),
        vec![ids(&["CN"]), ids(&["JP"]), ids(&["KR"])]
    );
}

#[test]
fn cut_sets_by_supplier_by_hand() {
    let l = worked();
    let g = SupplyGraph::new(&l.model);
    // F(det) = s-cn ∨ (s-jp ∧ s-us1); any_of = s-jp ∧ (s-us2 ∧ s-cn); tube = s-us1 ∧ s-de.
    // minimal: {s-cn}, {s-de, s-us1}, {s-jp, s-us1}; the any_of set contains s-cn.
    let want = vec![
        ids(&["s-cn"]),
        ids(&["s-de", "s-us1"]),
        ids(&["s-jp", "s-us1"]),
    ];
    assert_eq!(cut_ids(&g, "sys-a", EventKind::Supplier, 3), want);
    // Order 1 truncates the pairs away.
    assert_eq!(
        cut_ids(&g, "sys-a", EventKind::Supplier, 1),
        vec![ids(&["s-cn"])]
    );
}

#[test]
fn any_of_group_needs_every_member_to_fail() {
    // Without det and tube, sys-a fails only through the any_of group:
    // scint-x (JP) ∧ scint-y (US ∧ CN) → {CN, JP, US} at order 3, nothing at order 2.
    let yaml = r#"
meta: { home: CN }
suppliers:
  - { id: jp, name: J, country: JP }
  - { id: us, name: U, country: US }
  - { id: cn, name: C, country: CN }
items:
  - { id: s, kind: system, name: S, requires: [{ any_of: [x, y] }] }
  - { id: x, kind: part, name: X, supply: [{ supplier: jp, share: 1 }] }
  - { id: y, kind: part, name: Y, supply: [{ supplier: us, share: 0.5 }, { supplier: cn, share: 0.5 }] }
"#;
    let l = load_str(&[("g.yaml", yaml)]).unwrap();
    let g = SupplyGraph::new(&l.model);
    assert!(cut_ids(&g, "s", EventKind::Country, 2).is_empty());
    let cuts = minimal_cut_sets(&g, ix(&g, "s"), EventKind::Country, 3, Case::Mid).unwrap();
    assert_eq!(cuts.len(), 1);
    assert_eq!(
        cuts[0].events.iter().map(|e| e.id(&g)).collect::<Vec<_>>(),
        ids(&["CN", "JP", "US"])
    );
    // One shortest path by default; with every path, both members are on the
    // explanation: the events act in x and in y.
    let names = |c: &analysis::CutSet| -> Vec<Vec<String>> {
        c.via
            .iter()
            .map(|p| p.iter().map(|i| g.item(*i).id.to_string()).collect())
            .collect()
    };
    assert_eq!(names(&cuts[0]), vec![ids(&["s", "x"])]);
    let all = FailureLogic::for_roots(&g, EventKind::Country, 3, Case::Mid, &[ix(&g, "s")])
        .unwrap()
        .with_via(ViaPaths::All);
    assert_eq!(
        names(&all.cut_sets(ix(&g, "s"))[0]),
        vec![ids(&["s", "x"]), ids(&["s", "y"])]
    );
}

/// JP's crystal reaches sys-b through the domestic detector; the board comes
/// finished from Korea, so its crystal is the Korean maker's affair (spec v2).
/// Under `--scope world` the board's maker needs crystal too: both paths.
#[test]
fn via_lists_both_paths_to_a_shared_item() {
    let l = worked();
    let via_of = |g: &SupplyGraph| -> Vec<Vec<String>> {
        let cuts = FailureLogic::for_roots(g, EventKind::Country, 2, Case::Mid, &[ix(g, "sys-b")])
            .unwrap()
            .with_via(ViaPaths::All)
            .cut_sets(ix(g, "sys-b"));
        let jp = cuts
            .iter()
            .find(|c| c.events.len() == 1 && c.events[0].id(g) == "JP")
            .unwrap();
        jp.via
            .iter()
            .map(|p| p.iter().map(|i| g.item(*i).id.to_string()).collect())
            .collect()
    };
    let home = SupplyGraph::new(&l.model);
    assert_eq!(via_of(&home), vec![vec!["sys-b", "det", "crystal"]]);
    let world = SupplyGraph::with_assumptions(
        &l.model,
        Assumptions {
            scope: Scope::World,
            ..Default::default()
        },
    );
    assert_eq!(
        via_of(&world),
        vec![
            vec!["sys-b", "det", "crystal"],
            vec!["sys-b", "board", "crystal"]
        ]
    );
}

#[test]
fn unmapped_and_import_share_only_items_never_fail_and_are_listed() {
    let l = worked();
    let g = SupplyGraph::new(&l.model);
    let logic = FailureLogic::new(&g, EventKind::Country, 2, Case::Mid).unwrap();
    let nf: Vec<&str> = logic
        .never_failing(ix(&g, "sys-a"))
        .iter()
        .map(|i| g.item(*i).id.as_str())
        .collect();
    assert_eq!(nf, vec!["sw", "glue"]);
    assert!(logic.cut_sets(ix(&g, "glue")).is_empty());
    assert!(logic.cut_sets(ix(&g, "sw")).is_empty());
}

#[test]
fn event_labels_follow_the_language() {
    let l = worked();
    let g = SupplyGraph::new(&l.model);
    let jp = BasicEvent::Country(g.country_ix("JP").unwrap());
    assert_eq!(jp.label(&g, Lang::En), "Japan");
    assert_eq!(jp.label(&g, Lang::Zh), "日本");
    let cn = BasicEvent::Supplier(g.supplier_ix("s-cn").unwrap());
    assert_eq!(cn.label(&g, Lang::Zh), "国产厂");
    assert!(cn.is_domestic(&g));
    assert!(!jp.is_domestic(&g));
}

// ---------------------------------------------------------------- §3.5 fan-in

#[test]
fn fan_in_counts_systems_and_their_market_value() {
    let l = worked();
    let g = SupplyGraph::new(&l.model);
    let fan = analysis::fan_in(&g, Case::Mid);
    let users = |id: &str| {
        let f = &fan[ix(&g, id).index()];
        (
            f.systems
                .iter()
                .map(|s| g.item(*s).id.to_string())
                .collect::<Vec<_>>(),
            f.market_value,
        )
    };
    // crystal is under both systems (via det, and via board for sys-b): 100 + 50.
    assert_eq!(users("crystal"), (ids(&["sys-a", "sys-b"]), 150.0));
    assert_eq!(users("board"), (ids(&["sys-b"]), 50.0));
    assert_eq!(users("tube"), (ids(&["sys-a"]), 100.0));
    assert_eq!(
        users("sys-a"),
        (vec![], 0.0),
        "a system is not its own user"
    );
    for i in g.items() {
        let mut slow = g.where_used(i);
        slow.sort();
        assert_eq!(
            fan[i.index()].systems,
            slow,
            "bitset fan-in = graph where_used for {}",
            g.item(i).id
        );
    }
}

#[test]
fn centrality_is_optional_and_deterministic() {
    let l = worked();
    let g = SupplyGraph::new(&l.model);
    let a = analyze(&g, &AnalyzeOptions::default()).unwrap();
    assert!(a.items.iter().all(|i| i.betweenness.is_none()));
    let opts = AnalyzeOptions {
        centrality: true,
        ..AnalyzeOptions::default()
    };
    let b1 = analyze(&g, &opts).unwrap();
    let b2 = analyze(&g, &opts).unwrap();
    assert_eq!(b1, b2);
    // Only paths to crystal pass through an intermediate item: sys-a→det→crystal
    // (det: 1), and sys-b→crystal with two shortest paths, via det and via board
    // (½ each). det = 1.5, board = 0.5.
    // Normalised for a directed graph by 1/((n−1)(n−2)) = 1/(9·8) = 1/72.
    let bt = |id: &str| {
        b1.items
            .iter()
            .find(|i| i.id == id)
            .unwrap()
            .betweenness
            .unwrap()
    };
    assert_close(bt("det"), (1.5f64 / 72.0 * 1e9).round() / 1e9, "det");
    assert_close(bt("board"), (0.5f64 / 72.0 * 1e9).round() / 1e9, "board");
    assert_close(bt("crystal"), 0.0, "a leaf is on no path");
}

// ---------------------------------------------------------------- §3.8 risk

#[test]
fn risk_scores_by_hand() {
    let l = worked();
    let g = SupplyGraph::new(&l.model);
    let w = Weights::default();
    let r = risk_scores(&g, Case::Mid, &w);
    let tube = r[ix(&g, "tube").index()];
    // tube: import 1, country 0.5, supplier 0.5, recovery 180/365, buffer 1 − 30/180,
    // controls 1 → 10·(0.3 + 0.1 + 0.075 + 0.15·180/365 + 0.1·5/6 + 0.1) = 7.32305936…
    let expected = 10.0 * (0.3 + 0.1 + 0.075 + 0.15 * 180.0 / 365.0 + 0.1 * 5.0 / 6.0 + 0.1);
    assert_close(tube.score, expected, "tube");
    assert_close(expected, 7.323059360730593, "hand value");
    assert_eq!(tube.band, Band::High);
    assert!(!tube.incomplete);
    // crystal: import 1, country 1, supplier 0.625, recovery missing, buffer 0 (no
    // recovery_days), controls 0 → 10·(0.3 + 0.2 + 0.09375) = 5.9375, incomplete.
    let crystal = r[ix(&g, "crystal").index()];
    assert_close(crystal.score, 5.9375, "crystal");
    assert_eq!((crystal.band, crystal.incomplete), (Band::Medium, true));
    assert_eq!(crystal.factors.buffer, Some(0.0));
    assert_eq!(crystal.factors.recovery, None);
    // sw: import 0.5 only → 1.5, low, incomplete. glue: 0, low, incomplete.
    assert_close(r[ix(&g, "sw").index()].score, 1.5, "sw");
    assert_eq!(r[ix(&g, "sw").index()].band, Band::Low);
    assert_close(r[ix(&g, "glue").index()].score, 0.0, "glue");
    assert!(r[ix(&g, "glue").index()].incomplete);
    // scint-y: 10·(0.3·0.6 + 0.2·0.52 + 0.15·0.52) = 3.62, medium.
    assert_close(r[ix(&g, "scint-y").index()].score, 3.62, "scint-y");
}

#[test]
fn buffer_is_missing_without_stock_and_zero_without_recovery() {
    let yaml = r#"
meta: { home: CN }
suppliers: [{ id: us, name: U, country: US }]
items:
  - { id: s, kind: system, name: S, requires: [{ item: a }, { item: b }, { item: c }] }
  - { id: a, kind: part, name: A, supply: [{ supplier: us, share: 1 }], recovery_days: 730 }
  - { id: b, kind: part, name: B, supply: [{ supplier: us, share: 1 }], recovery_days: 0, stock_days: 10 }
  - { id: c, kind: part, name: C, supply: [{ supplier: us, share: 1 }], recovery_days: 100, stock_days: 25 }
"#;
    let l = load_str(&[("g.yaml", yaml)]).unwrap();
    let g = SupplyGraph::new(&l.model);
    let r = risk_scores(&g, Case::Mid, &Weights::default());
    let a = r[ix(&g, "a").index()];
    // a: recovery min(1, 730/365) = 1; no stock → buffer missing → incomplete.
    assert_eq!(
        (a.factors.recovery, a.factors.buffer, a.incomplete),
        (Some(1.0), None, true)
    );
    // 10·(0.3 + 0.2 + 0.15 + 0.15) = 8.0
    assert_close(a.score, 8.0, "a");
    let b = r[ix(&g, "b").index()];
    assert_eq!(
        (b.factors.recovery, b.factors.buffer, b.incomplete),
        (Some(0.0), Some(0.0), false)
    );
    // c: buffer 1 − 25/100 = 0.75; recovery 100/365.
    let c = r[ix(&g, "c").index()];
    assert_close(c.factors.buffer.unwrap(), 0.75, "buffer c");
    assert_close(c.score, 10.0 * (0.65 + 0.15 * 100.0 / 365.0 + 0.075), "c");
}

#[test]
fn bands_have_exact_boundaries() {
    assert_eq!(Band::of(0.0), Band::Low);
    assert_eq!(Band::of(3.29), Band::Low);
    assert_eq!(Band::of(3.3), Band::Medium);
    // Float noise just below a boundary does not move the band.
    // 10 · (0.3 · 1.1) = 3.3000000000000003 and 3.3 − 1e-12 band as 3.3 exactly.
    assert_eq!(Band::of(10.0 * (0.3 * 1.1)), Band::Medium);
    assert_eq!(Band::of(3.3 - 1e-12), Band::Medium);
    assert_eq!(Band::of(3.3 - 1e-6), Band::Low);
    assert_eq!(Band::of(6.7 - 1e-12), Band::High);
    assert_eq!(Band::of(6.69), Band::Medium);
    assert_eq!(Band::of(6.7), Band::High);
    assert_eq!(Band::of(10.0), Band::High);
    assert!(Band::Low < Band::Medium && Band::Medium < Band::High);
}

#[test]
fn weights_file_parses_and_rejects_mistakes_with_locations() {
    let w = Weights::from_yaml("import: 0.5\ncountry: 0.5\n", "w.yaml").unwrap();
    assert_eq!(
        (w.import, w.country, w.supplier, w.controls),
        (0.5, 0.5, 0.0, 0.0)
    );
    // One diagnostic each (R001 the shape, R002 the values), placed by text.
    let e = Weights::from_yaml("import: 0.5\nimports: 0.5\n", "w.yaml").unwrap_err();
    assert_eq!(e.code.as_str(), "R001");
    assert!(
        e.to_string()
            .starts_with("w.yaml:2:1: unknown field `imports`"),
        "{e}"
    );
    let e = Weights::from_yaml("import: 0.5\n", "w.yaml").unwrap_err();
    assert_eq!(e.code.as_str(), "R002");
    assert!(
        e.to_string()
            .starts_with("w.yaml: the weights sum to 0.5, not 1"),
        "{e}"
    );
    let e = Weights::from_yaml("import: 1.5\ncountry: -0.5\n", "w.yaml").unwrap_err();
    assert!(e.to_string().contains("weight `country` is -0.5"), "{e}");
    let e = Weights::from_yaml("import: [1]\n", "w.yaml").unwrap_err();
    assert!(e.to_string().starts_with("w.yaml:1:9: "), "{e}");
    assert!(Weights::from_yaml("", "w.yaml").is_err());
    Weights::default().validate().unwrap();
}

#[test]
fn custom_weights_change_the_score() {
    let l = worked();
    let g = SupplyGraph::new(&l.model);
    let w = Weights::from_yaml("import: 1.0\n", "w.yaml").unwrap();
    let r = risk_scores(&g, Case::Mid, &w);
    // Only DI counts: scint-y → 10·0.6 = 6.0.
    assert_close(
        r[ix(&g, "scint-y").index()].score,
        6.0,
        "scint-y import-only",
    );
}

// ---------------------------------------------------------------- analyze

#[test]
fn national_list_ranks_foreign_cut_sets_by_systems_then_value() {
    let l = worked();
    let g = SupplyGraph::new(&l.model);
    let a = analyze(
        &g,
        &AnalyzeOptions {
            by: EventKind::Country,
            ..AnalyzeOptions::default()
        },
    )
    .unwrap();
    let rows: Vec<(usize, Vec<String>, usize, Option<f64>)> = a
        .national
        .iter()
        .map(|n| (n.rank, n.events.clone(), n.system_count, n.market_value))
        .collect();
    // {JP} stops both systems (100 + 50); {DE, US} stops sys-a (100); {KR} sys-b (50).
    // {CN} (the home country) is a single point of failure of both but is not a
    // *foreign* choke point, so it is not on the national list.
    assert_eq!(
        rows,
        vec![
            (1, ids(&["JP"]), 2, Some(150.0)),
            (2, ids(&["DE", "US"]), 1, Some(100.0)),
            (3, ids(&["KR"]), 1, Some(50.0)),
        ]
    );
    let sys_a = &a.systems[0];
    assert_eq!(sys_a.single_points_of_failure.len(), 2);
    assert!(a.events[&sys_a.single_points_of_failure[0].events[0]].domestic);
    assert_eq!(sys_a.never_fail, ids(&["sw", "glue"]));
    let top: Vec<&str> = sys_a.top_risk.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        top,
        vec!["tube", "scint-x", "crystal", "scint-y", "det", "sw", "glue"]
    );
}

#[test]
fn system_option_restricts_systems_and_items() {
    let l = worked();
    let g = SupplyGraph::new(&l.model);
    let a = analyze(
        &g,
        &AnalyzeOptions {
            system: g.item_ix("sys-b"),
            top: 2,
            ..AnalyzeOptions::default()
        },
    )
    .unwrap();
    assert_eq!(a.systems.len(), 1);
    let items: Vec<&str> = a.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(items, vec!["sys-b", "det", "crystal", "board"]);
    assert_eq!(a.systems[0].top_risk.len(), 2, "--top limits the list");
}

#[test]
fn analyze_json_is_stable_and_documented() {
    let out = bin()
        .args([
            "analyze",
            "tests/fixtures/analysis/worked",
            "-q",
            "--format",
            "json",
            "--by",
            "country",
        ])
        .output()
        .unwrap();
    assert!(
        out.stderr.is_empty(),
        "-q keeps stderr quiet: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json_ok(out);
    assert_eq!(v["schema"], "chokepoint/analyze/3");
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        vec![
            "schema",
            "title",
            "home",
            "currency",
            "case",
            "scope",
            "unattributed",
            "by",
            "order",
            "screen",
            "weights",
            "via",
            "list_max",
            "events",
            "systems",
            "national",
            "items"
        ]
    );
    assert_eq!(
        v["systems"][0]["single_points_of_failure"][1]["via"][0],
        serde_json::json!(["sys-a", "det", "crystal"])
    );
    assert_eq!(v["items"][3]["id"], "crystal");
    assert_eq!(v["items"][3]["used_by_value"], 150.0);
    assert_eq!(v["items"][3]["risk"]["band"], "medium");
    // Every top-level key and every system/item key is described in docs/json.md.
    let doc = std::fs::read_to_string(root().join("docs/json.md")).unwrap();
    let after = doc
        .split("\n## analyze")
        .nth(1)
        .expect("an `## analyze` section");
    let section = after.split("\n## ").next().unwrap();
    let mut missing = Vec::new();
    for k in keys
        .iter()
        .copied()
        .chain(
            v["systems"][0]
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str),
        )
        .chain(
            v["items"][0]
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str),
        )
        .chain(
            v["national"][0]
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str),
        )
    {
        if !section.contains(&format!("`{k}`")) {
            missing.push(k.to_string());
        }
    }
    assert!(missing.is_empty(), "undocumented keys: {missing:?}");
}

#[test]
fn analyze_table_golden_and_80_columns() {
    let out = bin()
        .args([
            "analyze",
            "tests/fixtures/analysis/worked",
            "-q",
            "--by",
            "country",
            "--order",
            "3",
            "--top",
            "3",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "wider than 80 columns: {line}");
    }
    insta::assert_snapshot!("analyze_worked_country_table", text);
}

#[test]
fn analyze_tables_fit_80_columns_in_chinese_too() {
    let out = bin()
        .args([
            "analyze",
            "tests/fixtures/analysis/worked",
            "-q",
            "--lang",
            "zh",
            "--order",
            "3",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("国产厂"), "{text}");
    for line in text.lines() {
        // CJK characters take two columns.
        let width: usize = line
            .chars()
            .map(|c| {
                if (c as u32) >= 0x2E80 && c != '…' {
                    2
                } else {
                    1
                }
            })
            .sum();
        assert!(width <= 80, "wider than 80 columns: {line}");
    }
}

#[test]
fn analyze_csv_has_one_row_per_item() {
    let out = bin()
        .args([
            "analyze",
            "tests/fixtures/analysis/worked",
            "-q",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 11, "header + 10 items");
    assert!(lines[0].starts_with("id,kind,name,direct_import_share,embodied_import_share,coverage"));
    assert!(
        lines.contains(
            &"crystal,material,Crystal,1,1,1,0.625,1,true,5.9375,medium,true,sys-a sys-b,150"
        ),
        "{text}"
    );
}

#[test]
fn fail_on_gates_on_the_band_of_analysed_items() {
    let run = |extra: &[&str]| {
        let mut args = vec!["analyze", "tests/fixtures/analysis/worked", "-q"];
        args.extend_from_slice(extra);
        bin().args(&args).output().unwrap()
    };
    // tube scores 7.32 (high) under sys-a.
    let out = run(&["--fail-on", "high"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("fail-on high: 1 item(s) reach the high band or above: tube (7.3)"),
        "{err}"
    );
    assert!(
        !out.stdout.is_empty(),
        "results are printed before the gate trips"
    );
    // sys-b's BOM tops out at medium (board 6.5).
    assert_eq!(
        run(&["--system", "sys-b", "--fail-on", "high"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run(&["--system", "sys-b", "--fail-on", "medium"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn usage_errors_exit_2_with_hints() {
    let run = |extra: &[&str]| {
        let mut args = vec!["analyze", "tests/fixtures/analysis/worked", "-q"];
        args.extend_from_slice(extra);
        let out = bin().args(&args).output().unwrap();
        (out.status.code(), String::from_utf8(out.stderr).unwrap())
    };
    let (code, err) = run(&["--system", "sys-c"]);
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        "error[U001]: --system sys-c: no such item\n  help: systems: sys-a, sys-b\n"
    );
    let (code, err) = run(&["--system", "tube"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("`tube` is a part, not a system"), "{err}");
    let (code, err) = run(&["--order", "7"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--order 7: must be between 1 and 6"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let w = dir.path().join("w.yaml");
    std::fs::write(&w, "import: 0.5\nimprt: 0.5\n").unwrap();
    let (code, err) = run(&["--weights", w.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("w.yaml:2:1: error[R001]: unknown field `imprt`"),
        "{err}"
    );
    assert!(
        err.contains("  help: write a mapping of the weights"),
        "{err}"
    );
}

#[test]
fn weights_flag_changes_scores() {
    let dir = tempfile::tempdir().unwrap();
    let w = dir.path().join("w.yaml");
    std::fs::write(&w, "import: 1.0\n").unwrap();
    let out = bin()
        .args([
            "analyze",
            "tests/fixtures/analysis/worked",
            "-q",
            "--format",
            "json",
            "--weights",
            w.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let y = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "scint-y")
        .unwrap();
    assert_eq!(y["risk"]["score"], 6.0);
    // low/high cases: DI 0.5 and 2/3 → 5.0 and 6.666666667.
    assert_eq!(y["risk"]["low"], 5.0);
    assert_eq!(y["risk"]["high"], 6.666666667);
}

#[test]
fn analyze_runs_on_the_shipped_graphs_when_present() {
    let dir = shipped();
    if !dir.exists() {
        eprintln!("skipping: graphs/ not present");
        return;
    }
    let Ok(l) = chokepoint::load::load_dir(&dir) else {
        eprintln!("skipping: graphs/ does not load yet");
        return;
    };
    let g = SupplyGraph::new(&l.model);
    for by in [EventKind::Supplier, EventKind::Country] {
        let a = analyze(
            &g,
            &AnalyzeOptions {
                by,
                order: 3,
                top: 0,
                ..AnalyzeOptions::default()
            },
        )
        .unwrap();
        assert_eq!(a.systems.len(), g.systems().len());
        for s in &a.systems {
            for c in s.single_points_of_failure.iter().chain(&s.cut_sets) {
                assert!(!c.via.is_empty(), "{}: a cut set without a path", s.id);
                assert!(c.via.iter().all(|p| p[0] == s.id));
            }
        }
    }
}

// ---------------------------------------------------------------- property test

/// A small random graph as YAML: items 0..n (item 0 a system), requirements only
/// from lower to higher indices (acyclic), with any_of groups and shared items.
fn random_graph(n_items: usize, n_suppliers: usize, seed: u64) -> String {
    let mut state = seed;
    let mut next = move |bound: usize| -> usize {
        // splitmix64
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) % bound as u64) as usize
    };
    const COUNTRIES: [&str; 5] = ["CN", "US", "JP", "DE", "KR"];
    let mut y = String::from("meta: { home: CN }\nsuppliers:\n");
    for s in 0..n_suppliers {
        y += &format!(
            "  - {{ id: s{s}, name: S{s}, country: {} }}\n",
            COUNTRIES[next(5)]
        );
    }
    y += "items:\n";
    for i in 0..n_items {
        let kind = if i == 0 { "system" } else { "part" };
        y += &format!("  - id: i{i}\n    kind: {kind}\n    name: I{i}\n");
        let mut supply = Vec::new();
        if i > 0 && next(4) != 0 {
            for _ in 0..=next(3) {
                let s = next(n_suppliers);
                if supply.iter().any(|(x, _)| *x == s) {
                    continue;
                }
                let site = if next(4) == 0 {
                    Some(COUNTRIES[next(5)])
                } else {
                    None
                };
                supply.push((s, site));
            }
        }
        if !supply.is_empty() {
            y += "    supply:\n";
            for (s, site) in &supply {
                match site {
                    Some(c) => {
                        y += &format!("      - {{ supplier: s{s}, share: 0.2, country: {c} }}\n")
                    }
                    None => y += &format!("      - {{ supplier: s{s}, share: 0.2 }}\n"),
                }
            }
        }
        let later: Vec<usize> = (i + 1..n_items).collect();
        if later.is_empty() {
            continue;
        }
        // One system in three requires (nearly) everything: more than four branches,
        // which switches the explanation to its branch index.
        let n_req = match i {
            0 if next(3) == 0 => later.len(),
            0 => 1 + next(3),
            _ => next(3),
        };
        let mut used = Vec::new();
        let mut reqs = Vec::new();
        for _ in 0..n_req {
            let pick = |next: &mut dyn FnMut(usize) -> usize, used: &mut Vec<usize>| {
                let free: Vec<usize> = later
                    .iter()
                    .copied()
                    .filter(|x| !used.contains(x))
                    .collect();
                (!free.is_empty()).then(|| {
                    let t = free[next(free.len())];
                    used.push(t);
                    t
                })
            };
            if next(3) == 0 {
                let a = pick(&mut next, &mut used);
                let b = pick(&mut next, &mut used);
                let c = if next(2) == 0 {
                    pick(&mut next, &mut used)
                } else {
                    None
                };
                let members: Vec<String> = [a, b, c]
                    .into_iter()
                    .flatten()
                    .map(|m| format!("i{m}"))
                    .collect();
                if members.len() >= 2 {
                    reqs.push(format!("{{ any_of: [{}] }}", members.join(", ")));
                } else if let Some(m) = members.first() {
                    reqs.push(format!("{{ item: {m} }}"));
                }
            } else if let Some(t) = pick(&mut next, &mut used) {
                reqs.push(format!("{{ item: i{t} }}"));
            }
        }
        if !reqs.is_empty() {
            y += &format!("    requires: [{}]\n", reqs.join(", "));
        }
    }
    y
}

/// Raw index of an event at one granularity.
fn raw(e: &BasicEvent) -> usize {
    match e {
        BasicEvent::Supplier(s) => s.index(),
        BasicEvent::Country(c) => c.index(),
        BasicEvent::Unnamed(_) => unreachable!("version 1 graphs name every supplier"),
    }
}

/// F(item) for every item given the failed events (bit mask), straight from
/// version 1 of §3.4 (every source needs every requirement).
fn fails(g: &SupplyGraph, by: EventKind, failed: u32) -> Vec<bool> {
    let mut f = vec![false; g.item_count()];
    for &i in g.bottom_up() {
        let srcs = g.sources(i);
        let supply_fails = !srcs.is_empty()
            && srcs.iter().all(|s| {
                let e = match by {
                    EventKind::Supplier => s.supplier.expect("v1 graphs name suppliers").index(),
                    EventKind::Country => s.country.index(),
                    EventKind::Parent => unreachable!("v1 graphs have no parents"),
                };
                failed & (1 << e) != 0
            });
        let req_fails = g
            .requirements(i)
            .iter()
            .any(|r| r.members.iter().all(|m| f[m.index()]));
        f[i.index()] = supply_fails || req_fails;
    }
    f
}

/// What a random graph exercised, to show the generator covers the hard cases.
#[derive(Default, Debug)]
struct Coverage {
    graphs: usize,
    with_any_of: usize,
    with_shared_item: usize,
    with_never_failing_item: usize,
    with_order_2: usize,
    with_order_3: usize,
    /// An item with more than 4 requirements (the cut-set explainer's branch index).
    with_many_branches: usize,
}

/// Compares minimal_cut_sets with brute-force enumeration over every subset of
/// basic events, both granularities, orders 1–3; checks order and via paths.
fn check_against_brute_force(yaml: &str, cov: &mut Coverage) -> Result<(), String> {
    let l = load_str(&[("g.yaml", yaml)]).map_err(|e| format!("{}\n{yaml}", e.render(false)))?;
    // Version 1's graphs under `--scope world` give version 1's answers: every
    // source needs the bill of materials (spec §7.1).
    let g = SupplyGraph::with_assumptions(
        &l.model,
        Assumptions {
            scope: Scope::World,
            ..Default::default()
        },
    );
    let sys = g.item_ix("i0").unwrap();
    let ensure = |ok: bool, what: String| {
        if ok {
            Ok(())
        } else {
            Err(format!("{what}\n{yaml}"))
        }
    };
    cov.graphs += 1;
    let under = g.descendants(sys);
    cov.with_many_branches += usize::from(g.items().any(|i| g.requirements(i).len() > 4));
    cov.with_any_of += usize::from(
        g.items()
            .any(|i| g.requirements(i).iter().any(|r| r.any_of)),
    );
    cov.with_shared_item += usize::from(under.iter().any(|i| g.parents(*i).len() > 1));
    cov.with_never_failing_item += usize::from(
        under
            .iter()
            .any(|i| g.sources(*i).is_empty() && g.requirements(*i).is_empty()),
    );
    let mut max_order = 0;
    for by in [EventKind::Supplier, EventKind::Country] {
        let n_events = match by {
            EventKind::Supplier => g.supplier_count(),
            EventKind::Country => g.country_count(),
            EventKind::Parent => unreachable!("not asked"),
        };
        ensure(n_events <= 10, format!("{n_events} events"))?;
        // All failing event sets, by brute force over every subset.
        let failing: Vec<bool> = (0..1u32 << n_events)
            .map(|m| fails(&g, by, m)[sys.index()])
            .collect();
        let whole = FailureLogic::new(&g, by, 3, Case::Mid).unwrap();
        for k in 1..=3usize {
            let mut expected: Vec<u32> = (0..1u32 << n_events)
                .filter(|&m| m.count_ones() as usize <= k && failing[m as usize])
                .filter(|&m| {
                    (0..n_events).all(|e| m & (1 << e) == 0 || !failing[(m & !(1 << e)) as usize])
                })
                .collect();
            expected.sort();
            let got_sets = minimal_cut_sets(&g, sys, by, k, Case::Mid).unwrap();
            let mut got: Vec<u32> = got_sets
                .iter()
                .map(|c| c.events.iter().map(|e| 1u32 << raw(e)).sum())
                .collect();
            got.sort();
            ensure(
                got == expected,
                format!("by {by:?}, k {k}: got {got:?}, brute force {expected:?}"),
            )?;
            max_order = max_order.max(got_sets.iter().map(|c| c.order()).max().unwrap_or(0));
            // Output order: by order, then event ids.
            let keys: Vec<(usize, Vec<String>)> = got_sets
                .iter()
                .map(|c| (c.order(), c.events.iter().map(|e| e.id(&g)).collect()))
                .collect();
            let mut sorted = keys.clone();
            sorted.sort();
            ensure(keys == sorted, format!("order of {keys:?}"))?;
            for c in &got_sets {
                let mask: u32 = c.events.iter().map(|e| 1u32 << raw(e)).sum();
                ensure(!c.via.is_empty(), "a cut set without via".into())?;
                for p in &c.via {
                    // A path runs from the system along requirements to an item
                    // whose own supply the cut set fails entirely.
                    ensure(
                        p[0] == sys,
                        format!("path {p:?} does not start at the system"),
                    )?;
                    for w in p.windows(2) {
                        ensure(
                            g.requirements(w[0])
                                .iter()
                                .any(|r| r.members.contains(&w[1])),
                            format!("path {p:?} leaves the requirement graph"),
                        )?;
                    }
                    let last = *p.last().unwrap();
                    let acts = !g.sources(last).is_empty()
                        && g.sources(last).iter().all(|s| {
                            let e = match by {
                                EventKind::Supplier => {
                                    s.supplier.expect("v1 graphs name suppliers").index()
                                }
                                EventKind::Country => s.country.index(),
                                EventKind::Parent => unreachable!("not asked"),
                            };
                            mask & (1 << e) != 0
                        });
                    ensure(acts, format!("the events do not act at the end of {p:?}"))?;
                }
            }
            if k == 3 {
                ensure(
                    whole.cut_sets(sys) == got_sets,
                    "whole-graph and per-root logic disagree".into(),
                )?;
            }
        }
    }
    cov.with_order_2 += usize::from(max_order >= 2);
    cov.with_order_3 += usize::from(max_order >= 3);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn minimal_cut_sets_equal_brute_force(n_items in 2usize..=10, n_suppliers in 1usize..=9, seed in any::<u64>()) {
        let yaml = random_graph(n_items, n_suppliers, seed);
        check_against_brute_force(&yaml, &mut Coverage::default()).map_err(TestCaseError::fail)?;
    }
}

/// The same check on 500 fixed graphs, asserting that the generator really
/// produces the cases that make cut sets hard.
#[test]
fn random_graphs_cover_any_of_shared_items_and_higher_orders() {
    let mut cov = Coverage::default();
    for seed in 0..500u64 {
        let yaml = random_graph(2 + (seed % 9) as usize, 1 + (seed % 9) as usize, seed);
        if let Err(e) = check_against_brute_force(&yaml, &mut cov) {
            panic!("seed {seed}: {e}");
        }
    }
    assert_eq!(cov.graphs, 500);
    for (what, n) in [
        ("any_of", cov.with_any_of),
        ("shared item", cov.with_shared_item),
        ("never-failing item", cov.with_never_failing_item),
        ("order-2 cut set", cov.with_order_2),
        ("order-3 cut set", cov.with_order_3),
        ("many-branch item", cov.with_many_branches),
    ] {
        assert!(n >= 50, "only {n} of 500 graphs have a {what}: {cov:?}");
    }
}

#[test]
fn analyze_markdown_is_well_formed() {
    let out = bin()
        .args([
            "analyze",
            "tests/fixtures/analysis/worked",
            "-q",
            "--format",
            "md",
            "--by",
            "country",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("# Worked example — analysis (home CN, case mid, by country, order ≤ 2, scope home, unattributed proportional)\n\n## sys-a — System A\n\n"), "{text}");
    assert!(text.contains("### Single points of failure\n\n| events | via |\n|---|---|\n| CN (home) | System A → Detector |\n| Japan (conditional: assumes the unattributed 20.0 % of Crystal fails) | System A → Detector → Crystal |\n\n"), "{text}");
    // With `--via all`, two via paths of one cut set share a cell (`--scope
    // world`: the Korean board's maker needs the crystal too).
    let world = bin()
        .args([
            "analyze",
            "tests/fixtures/analysis/worked",
            "-q",
            "--format",
            "md",
            "--by",
            "country",
            "--scope",
            "world",
            "--via",
            "all",
        ])
        .output()
        .unwrap();
    let world = String::from_utf8(world.stdout).unwrap();
    assert!(
        world.contains("| Japan (conditional: assumes the unattributed 20.0 % of Crystal fails) | System B → Detector → Crystal<br>System B → Board → Crystal |"),
        "{world}"
    );
    assert!(text.contains("\\* incomplete"), "{text}");
}

#[test]
fn home_flag_changes_the_perspective() {
    let out = bin()
        .args([
            "analyze",
            "tests/fixtures/analysis/worked",
            "-q",
            "--format",
            "json",
            "--home",
            "JP",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["home"], "JP");
    let crystal = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "crystal")
        .unwrap();
    // Both crystal edges are made in Japan: from Japan's perspective nothing is imported.
    assert_eq!(crystal["direct_import_share"], 0.0);
    // det (made in CN) is now wholly imported.
    let det = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "det")
        .unwrap();
    assert_eq!(det["direct_import_share"], 1.0);
    assert_eq!(det["embodied_import_share"], 1.0);
}

/// JP stops `sys` through the frame's mount (3 items) and the magnet (2):
/// one shortest path by default, every path with `ViaPaths::All` (the complete
/// explanation first: at `sys` the first failing requirement, the frame).
#[test]
fn via_default_is_one_shortest_path_and_all_lists_every_path() {
    let l = load(&fixture("analysis/via"));
    let g = SupplyGraph::new(&l.model);
    let sys = ix(&g, "sys");
    let via = |v: ViaPaths| -> Vec<Vec<String>> {
        let logic = FailureLogic::for_roots(&g, EventKind::Country, 2, Case::Mid, &[sys])
            .unwrap()
            .with_via(v);
        let cuts = logic.cut_sets(sys);
        assert_eq!(cuts.len(), 1, "{cuts:?}");
        assert_eq!(cuts[0].events[0].id(&g), "JP");
        cuts[0]
            .via
            .iter()
            .map(|p| p.iter().map(|i| g.item(*i).id.to_string()).collect())
            .collect()
    };
    assert_eq!(via(ViaPaths::Shortest), vec![ids(&["sys", "magnet"])]);
    assert_eq!(
        via(ViaPaths::All),
        vec![ids(&["sys", "frame", "mount"]), ids(&["sys", "magnet"])]
    );
    // The library's default is the shortest path.
    let cuts = minimal_cut_sets(&g, sys, EventKind::Country, 1, Case::Mid).unwrap();
    assert_eq!(cuts[0].via, vec![vec![sys, ix(&g, "magnet")]]);
}

#[test]
fn analyze_via_flag_prints_one_shortest_path_or_all() {
    let run = |extra: &[&str]| {
        let mut args = vec![
            "analyze",
            "tests/fixtures/analysis/via",
            "-q",
            "--by",
            "country",
        ];
        args.extend_from_slice(extra);
        bin().args(&args).output().unwrap()
    };
    let v = json_ok(run(&["--format", "json"]));
    assert_eq!(v["via"], "shortest");
    assert_eq!(
        v["systems"][0]["single_points_of_failure"],
        serde_json::json!([{ "order": 1, "events": ["JP"], "via": [["sys", "magnet"]],
                             "conditional": false, "assumes": [] }])
    );
    let v = json_ok(run(&["--format", "json", "--via", "all"]));
    assert_eq!(v["via"], "all");
    assert_eq!(
        v["systems"][0]["single_points_of_failure"][0]["via"],
        serde_json::json!([["sys", "frame", "mount"], ["sys", "magnet"]])
    );
    let md = stdout_ok(run(&["--format", "md"]));
    assert!(
        md.contains("| events | via |\n|---|---|\n| Japan | System → Magnet |\n\n"),
        "{md}"
    );
    let md = stdout_ok(run(&["--format", "md", "--via", "all"]));
    assert!(
        md.contains("| Japan | System → Frame → Mount<br>System → Magnet |"),
        "{md}"
    );
}

/// sys-a by country (docs/metrics.md's worked example): F = CN ∨ JP ∨
/// (JP ∧ US ∧ CN) ∨ (US ∧ DE), so {CN}, {JP} and {DE, US}: counts [2, 1]. With
/// `--list-max 1` only {CN} is listed, and `--top 1` keeps only {JP} in the
/// national list: the event table names exactly those two.
#[test]
fn analyze_json_names_events_once_and_counts_every_order() {
    let v = json_ok(
        bin()
            .args([
                "analyze",
                "tests/fixtures/analysis/worked",
                "-q",
                "--by",
                "country",
                "--format",
                "json",
                "--system",
                "sys-a",
                "--top",
                "1",
                "--list-max",
                "1",
            ])
            .output()
            .unwrap(),
    );
    assert_eq!(v["list_max"], 1);
    assert_eq!(
        v["events"],
        serde_json::json!({
            "CN": { "kind": "country", "name": "CN", "domestic": true },
            "JP": { "kind": "country", "name": "Japan", "domestic": false },
        })
    );
    let s = &v["systems"][0];
    assert_eq!(s["cut_set_counts"], serde_json::json!([2, 1]));
    assert_eq!(s["unlisted"], 2);
    assert_eq!(
        s["single_points_of_failure"],
        serde_json::json!([{ "order": 1, "events": ["CN"], "via": [["sys-a", "det"]],
                             "conditional": false, "assumes": [] }])
    );
    assert_eq!(s["cut_sets"], serde_json::json!([]));
    assert_eq!(v["national"][0]["events"], serde_json::json!(["JP"]));
    // JSON lists every set unless asked otherwise.
    let all = json_ok(
        bin()
            .args([
                "analyze",
                "tests/fixtures/analysis/worked",
                "-q",
                "--by",
                "country",
                "--format",
                "json",
                "--system",
                "sys-a",
            ])
            .output()
            .unwrap(),
    );
    assert_eq!(all["list_max"], serde_json::Value::Null);
    assert_eq!(all["systems"][0]["unlisted"], 0);
    assert_eq!(
        all["systems"][0]["cut_sets"][0]["events"],
        serde_json::json!(["DE", "US"])
    );
}

#[test]
fn analyze_table_counts_every_order_and_says_how_many_are_not_listed() {
    let md = stdout_ok(
        bin()
            .args([
                "analyze",
                "tests/fixtures/analysis/worked",
                "-q",
                "--ids",
                "--by",
                "country",
                "--format",
                "md",
                "--system",
                "sys-a",
                "--list-max",
                "1",
            ])
            .output()
            .unwrap(),
    );
    assert!(
        md.contains(
            "minimal cut sets: 2 of order 1, 1 of order 2 (3 in all)\n\n\
             ### Single points of failure\n\n| events | via |\n|---|---|\n\
             | CN (home) | sys-a → det |\n\
             | … 1 more not listed (--list-max 0 lists all) |  |\n\n\
             ### Cut sets of order 2\n\n| k | events | via |\n|---|---|---|\n\
             |  | … 1 more not listed (--list-max 0 lists all) |  |\n\n"
        ),
        "{md}"
    );
}

/// Listing a prefix explains only that prefix, and equals the full list's
/// start; the counts are of every set ({CN}, {JP} and {DE, US} for sys-a).
#[test]
fn first_cut_sets_is_a_prefix_and_counts_are_complete() {
    let l = worked();
    let g = SupplyGraph::new(&l.model);
    let a = ix(&g, "sys-a");
    let logic = FailureLogic::for_roots(&g, EventKind::Country, 3, Case::Mid, &[a]).unwrap();
    assert_eq!(logic.counts_by_order(a), vec![2, 1, 0]);
    let all = logic.cut_sets(a);
    assert_eq!(all.len(), 3);
    for n in 0..=4 {
        assert_eq!(
            logic.first_cut_sets(a, n),
            all[..n.min(3)].to_vec(),
            "n = {n}"
        );
    }
    // An item that was not a root has no sets and zero counts.
    assert_eq!(logic.counts_by_order(ix(&g, "sys-b")), vec![0, 0, 0]);
}
