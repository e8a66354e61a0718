//! Uncertainty by sampling (issue 23, docs/metrics.md "Uncertainty"): the
//! worked example against the triangular's analytic quantiles, a graph of bare
//! numbers sampling to its deterministic result, determinism across seeds and
//! thread counts, the joint renormalisation of shares, and the `--samples`
//! flags end to end.

use crate::support::{bin, json_ok, load, load_str, shipped, stdout_ok};
use chokepoint::analysis::{self, AnalyzeOptions, EventKind};
use chokepoint::graph::{Assumptions, SupplyGraph, Unattributed};
use chokepoint::model::{Case, Estimate, Model};
use chokepoint::scenario::{self, SweepKind};
use chokepoint::uncertainty::{self, SampleOptions, Uncertainty};

/// The worked example of docs/metrics.md: one system, one triangular share.
const WORKED: &str = "meta: { title: t, home: CN, currency: CNY }
items:
  - id: tube
    kind: system
    name: Tube
    market_value: 365
    supply:
      - { country: US, share: { low: 0.2, value: 0.3, high: 0.7 } }
scenarios:
  - id: us
    name: US stops
    fail: { countries: [US] }
    duration_days: 365
";

fn loaded(yaml: &str) -> chokepoint::load::Loaded {
    load_str(&[("g.yaml", yaml)]).unwrap_or_else(|e| panic!("{}", e.render(false)))
}

fn sample_all(m: &Model, opts: &SampleOptions) -> Uncertainty {
    let g = SupplyGraph::with_assumptions(m, opts.assumptions);
    let specs = uncertainty::declared_specs(&g);
    let systems = g.systems().to_vec();
    drop(g);
    uncertainty::sample(m, &specs, &systems, opts)
}

fn within_1_percent(actual: Option<f64>, expected: f64, what: &str) {
    let a = actual.unwrap_or_else(|| panic!("{what}: no value"));
    assert!(
        ((a - expected) / expected).abs() < 0.01,
        "{what}: sampled {a}, analytic {expected}"
    );
}

#[test]
fn worked_example_quantiles_match_the_triangular_within_1_percent() {
    let l = loaded(WORKED);
    let mut opts = SampleOptions::new(100_000, 7);
    opts.assumptions = Assumptions {
        unattributed: Unattributed::Survives,
        ..Assumptions::default()
    };
    opts.ranks = false;
    let u = sample_all(&l.model, &opts);
    assert_eq!(u.estimates_sampled, 1);
    let lp = &u.scenarios[0].systems[0].lost_production;
    // LP = 365 · w, w ~ Triangular(0.2, 0.3, 0.7) (docs/metrics.md, worked example).
    within_1_percent(lp.p5, 365.0 * 0.25, "P5");
    within_1_percent(lp.p50, 365.0 * (0.7 - 0.1f64.sqrt()), "P50");
    within_1_percent(lp.p95, 365.0 * 0.6, "P95");
    assert_eq!(lp.deterministic, Some(109.5));
    // PI = LP · 365 / 365 and TTS = 0 in every sample.
    let pi = u.scenarios[0].systems[0].impact.expect("market value");
    within_1_percent(pi.p50, 365.0 * (0.7 - 0.1f64.sqrt()), "PI P50");
    assert_eq!(u.scenarios[0].systems[0].tts.p95, Some(0.0));
}

/// Every estimate of the model made a bare number (its mid value).
fn bare(m: &Model) -> Model {
    let mut m = m.clone();
    let fix = |e: &mut Estimate| {
        let v = e.mid();
        e.value = Some(v);
        e.low = None;
        e.high = None;
    };
    for item in m.items.values_mut() {
        item.supply.iter_mut().for_each(|e| fix(&mut e.share));
        for r in &mut item.requires {
            r.cost_share.as_deref_mut().map(fix);
        }
        for e in [
            &mut item.import_share,
            &mut item.market_value,
            &mut item.stock_days,
            &mut item.recovery_days,
        ]
        .into_iter()
        .flatten()
        {
            fix(e);
        }
    }
    m
}

#[test]
fn bare_numbers_sample_to_the_deterministic_result() {
    let m = bare(&load(&shipped()).model);
    let opts = SampleOptions::new(12, 3);
    let u = sample_all(&m, &opts);
    assert_eq!(u.estimates_sampled, 0);
    let g = SupplyGraph::new(&m);
    // EID: P5 = P50 = P95 = analyze's mid-case value.
    let a = analysis::analyze(&g, &AnalyzeOptions::default()).expect("analysis");
    assert_eq!(u.systems.len(), a.systems.len());
    for (s, sa) in u.systems.iter().zip(&a.systems) {
        let want = sa.embodied_import_share.map(|i| i.value);
        let band = s
            .embodied_import_share
            .expect("every shipped system has an EID");
        assert_eq!(band.p50, want, "{}", s.id);
        assert_eq!((band.p5, band.p95), (want, want), "{}", s.id);
    }
    // Scenarios: every band's P50 is simulate's number.
    for (sb, spec) in u.scenarios.iter().zip(uncertainty::declared_specs(&g)) {
        let o = scenario::simulate(&g, &spec, Case::Mid);
        let r9 = chokepoint::output::round9;
        for (b, so) in sb.systems.iter().zip(&o.systems) {
            assert_eq!(b.tts.p50, so.tts.map(f64::from), "{} {}", sb.id, b.id);
            assert_eq!(b.lost_production.p50, Some(r9(so.lost_production)));
            assert_eq!(b.impact.and_then(|i| i.p50), so.impact.map(r9));
            assert_eq!(b.delta_cost.p50, Some(r9(so.delta_cost)));
        }
        assert_eq!(sb.total_impact.p50, Some(r9(o.total_impact)));
    }
    // Single losses: the sweep's impacts, every P(top 5) 0 or 1, the first
    // five by deterministic rank certain.
    let sweep = scenario::sweep(&g, SweepKind::Supplier, 365, Case::Mid);
    for row in &u.single_losses {
        let s = sweep
            .iter()
            .find(|r| r.id == row.events[0])
            .expect("in the sweep");
        assert_eq!(row.impact.p50, Some(chokepoint::output::round9(s.impact)));
        assert_eq!(row.top5, if row.rank <= 5 { 1.0 } else { 0.0 });
    }
    assert!(!u.national.is_empty());
}

fn json_on_threads(m: &Model, threads: usize, seed: u64) -> String {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");
    pool.install(|| sample_all(m, &SampleOptions::new(24, seed)).to_json())
}

#[test]
fn same_seed_same_output_on_any_number_of_threads() {
    let m = load(&shipped()).model;
    let one = json_on_threads(&m, 1, 11);
    let two = json_on_threads(&m, 2, 11);
    assert_eq!(one, two, "1 thread and 2 threads differ");
    assert_eq!(
        one,
        json_on_threads(&m, 2, 11),
        "the same seed twice differs"
    );
    assert_ne!(
        one,
        json_on_threads(&m, 2, 12),
        "another seed gives the same draws"
    );
}

#[test]
fn fully_attributed_shares_are_renormalised_to_their_sum() {
    // docs/metrics.md: x_US = 0.7, x_CN = 0.5 → 0.7/1.2 and 0.5/1.2.
    let l = loaded(
        "meta: { title: t, home: CN, currency: CNY }
items:
  - id: part
    kind: system
    name: Part
    supply:
      - { country: US, share: { low: 0.4, value: 0.6, high: 0.8 } }
      - { country: CN, share: { low: 0.2, value: 0.4, high: 0.6 } }
    requires:
      - { item: a, cost_share: { low: 0.3, high: 0.7 } }
      - { item: b, cost_share: { low: 0.2, high: 0.6 } }
  - id: a
    kind: part
    name: A
    supply: [{ country: US, share: 1 }]
  - id: b
    kind: part
    name: B
    supply: [{ country: US, share: 1 }]
",
    );
    let est = uncertainty::sampled_estimates(&l.model);
    let ids: Vec<&str> = est.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "part.supply[0:US].share",
            "part.supply[1:CN].share",
            "part.requires[a].cost_share",
            "part.requires[b].cost_share"
        ]
    );
    let mut x = vec![0.7, 0.5, 0.7, 0.5];
    uncertainty::constrain(&l.model, &est, &mut x);
    assert!((x[0] - 0.7 / 1.2).abs() < 1e-12 && (x[1] - 0.5 / 1.2).abs() < 1e-12);
    // Cost shares 0.7 + 0.5 pass 1: scaled to sum 1.
    assert!((x[2] - 0.7 / 1.2).abs() < 1e-12 && (x[3] - 0.5 / 1.2).abs() < 1e-12);
    let mut y = vec![0.7, 0.5, 0.6, 0.35];
    uncertainty::constrain(&l.model, &est, &mut y);
    assert_eq!(&y[2..], &[0.6, 0.35], "cost shares below 1 stay as drawn");
    // Drawn samples keep the item's sum of 1.
    for k in 0..50 {
        let d = uncertainty::draw(&l.model, &est, 5, k);
        assert!((d[0] + d[1] - 1.0).abs() < 1e-12, "sample {k}: {d:?}");
    }
}

#[test]
fn analyze_samples_prints_the_uncertainty_document() {
    let v = json_ok(
        bin()
            .args(["analyze", "graphs", "-q", "--samples", "20", "--seed", "4"])
            .args(["--format", "json"])
            .output()
            .unwrap(),
    );
    assert_eq!(v["schema"], "chokepoint/uncertainty/1");
    assert_eq!(v["samples"], 20);
    assert_eq!(v["seed"], 4);
    assert_eq!(v["distribution"], "triangular");
    assert_eq!(v["systems"].as_array().unwrap().len(), 10);
    assert!(v["sensitivity"][0]["explained"].as_f64().unwrap() > 0.0);
    let ct = &v["systems"][0]["embodied_import_share"];
    assert!(ct["p5"].as_f64() <= ct["p50"].as_f64() && ct["p50"].as_f64() <= ct["p95"].as_f64());
    // The library gives the same document.
    let m = load(&shipped()).model;
    let mut opts = SampleOptions::new(20, 4);
    opts.by = EventKind::Supplier;
    let lib: serde_json::Value = serde_json::from_str(&sample_all(&m, &opts).to_json()).unwrap();
    assert_eq!(v, lib);
}

#[test]
fn samples_flags_are_checked() {
    let out = bin()
        .args(["analyze", "graphs", "-q", "--samples", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--samples 0: must be a whole number from 1 to 10000000"),
        "{err}"
    );
    let out = bin()
        .args(["analyze", "graphs", "-q", "--seed", "3"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--samples"));
    let out = bin()
        .args([
            "scenario",
            "graphs",
            "-q",
            "--sweep",
            "country",
            "--samples",
            "5",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = bin()
        .args(["analyze", "graphs", "-q", "--samples", "5", "--case", "low"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "--case low with --samples: sampling draws every estimate on its range instead of taking one case"
        ),
        "{err}"
    );
}

#[test]
fn scenario_and_mitigate_samples_in_csv_and_chinese_tables() {
    let csv = stdout_ok(
        bin()
            .args(["scenario", "graphs", "-q", "--name", "helium-qatar"])
            .args(["--samples", "10", "--format", "csv"])
            .output()
            .unwrap(),
    );
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("section,scenario,subject,metric,deterministic,p5,p50,p95,top5,rho,explained")
    );
    assert!(csv.contains("scenario,helium-qatar,mri-1t5,tts,"), "{csv}");
    assert!(!csv.contains("single_loss"), "scenario ranks nothing");
    let zh = stdout_ok(
        bin()
            .args(["scenario", "graphs", "-q", "--name", "helium-qatar"])
            .args(["--samples", "10", "--lang", "zh"])
            .output()
            .unwrap(),
    );
    assert!(zh.starts_with("不确定性：10 次抽样（种子 1）"), "{zh}");
    let v = json_ok(
        bin()
            .args([
                "mitigate",
                "graphs",
                "-q",
                "--budget",
                "1",
                "--scenario",
                "helium-qatar",
            ])
            .args(["--samples", "10", "--format", "json"])
            .output()
            .unwrap(),
    );
    assert_eq!(v["schema"], "chokepoint/mitigate-uncertainty/1");
    assert_eq!(v["actions"].as_array().unwrap().len(), 1);
    let total = |k: &str| {
        v[k]["scenarios"][0]["total_impact"]["deterministic"]
            .as_f64()
            .unwrap()
    };
    assert!(total("after") < total("before"), "the plan lowers PI");
}

#[test]
fn report_samples_adds_the_uncertainty_view_in_both_languages() {
    let l = load(&shipped());
    let g = SupplyGraph::new(&l.model);
    let u = sample_all(&l.model, &SampleOptions::new(10, 1));
    for (lang, heading) in [
        (chokepoint::model::Lang::En, "## Uncertainty"),
        (chokepoint::model::Lang::Zh, "## 不确定性"),
    ] {
        let r = chokepoint::report::build(
            &g,
            &chokepoint::report::ReportOptions {
                lang,
                uncertainty: Some(u.clone()),
                ..Default::default()
            },
        )
        .expect("report builds");
        let md = String::from_utf8(r.file("report.md").unwrap().to_vec()).unwrap();
        assert!(md.contains(heading), "{lang:?}");
        assert!(md.contains("<!-- table: uncertainty eid -->"));
        assert!(md.contains("<!-- table: uncertainty us-embargo -->"));
        let svg = String::from_utf8(r.file("diagrams/uncertainty-tornado.svg").unwrap().to_vec())
            .unwrap();
        assert_eq!(svg.matches("class=\"tornado-bar\"").count(), 12);
        let html = String::from_utf8(r.file("index.html").unwrap().to_vec()).unwrap();
        assert!(html.contains("id=\"uncertainty\""));
        assert_eq!(r.file("uncertainty.json").unwrap(), u.to_json().as_bytes());
    }
}
