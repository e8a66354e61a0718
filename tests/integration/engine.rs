//! Issue 22 (engine speed): the shortcuts equal the plain computations they
//! replace, bit for bit — the three cases of `analyze` in one pass, and sweeps
//! that evaluate only what a loss reaches, in parallel.

use crate::support::{load, shipped};
use chokepoint::analysis::{
    embodied_import_shares, embodied_import_shares_all_cases, risk_scores, risk_scores_all_cases,
    Weights,
};
use chokepoint::graph::{Assumptions, Scope, SupplyGraph, Unattributed};
use chokepoint::model::Case;
use chokepoint::scenario::{self, ScenarioSpec, SweepKind};

fn assumptions() -> [Assumptions; 2] {
    [
        Assumptions::default(),
        Assumptions {
            scope: Scope::World,
            unattributed: Unattributed::Survives,
            reach: false,
        },
    ]
}

#[test]
fn analyze_computes_the_three_cases_in_one_pass_identically_to_three() {
    let l = load(&shipped());
    for a in assumptions() {
        let g = SupplyGraph::with_assumptions(&l.model, a);
        let eid = embodied_import_shares_all_cases(&g);
        let risk = risk_scores_all_cases(&g, &Weights::default());
        let mut ranged = 0;
        for (k, case) in Case::ALL.iter().enumerate() {
            let one = embodied_import_shares(&g, *case);
            let bits = |v: &[Option<(f64, f64)>]| -> Vec<Option<(u64, u64)>> {
                v.iter()
                    .map(|x| x.map(|(a, b)| (a.to_bits(), b.to_bits())))
                    .collect()
            };
            assert_eq!(bits(&eid[k]), bits(&one), "EID under {case:?}");
            let scores = risk_scores(&g, *case, &Weights::default());
            assert_eq!(risk[k], scores, "risk under {case:?}");
            ranged += scores
                .iter()
                .zip(&risk[1])
                .filter(|(s, m)| s.score != m.score)
                .count();
        }
        // The shipped graphs have ranges: the cases really differ somewhere.
        assert!(ranged > 0, "no item's risk differs between the cases");
    }
}

#[test]
fn a_sweep_equals_one_full_scenario_per_single_loss() {
    let l = load(&shipped());
    for a in assumptions() {
        let g = SupplyGraph::with_assumptions(&l.model, a);
        for kind in [SweepKind::Country, SweepKind::Supplier] {
            let rows = scenario::sweep(&g, kind, 365, Case::Mid);
            assert!(rows.iter().any(|r| r.lost_production > 0.0));
            for r in &rows {
                let mut spec = ScenarioSpec::baseline(365);
                spec.failed_countries.extend(r.country);
                spec.failed_suppliers.extend(r.supplier);
                let full = scenario::simulate(&g, &spec, Case::Mid);
                let lp = full
                    .systems
                    .iter()
                    .map(|s| s.lost_production)
                    .fold(0.0, |acc, x| acc + x);
                assert_eq!(lp.to_bits(), r.lost_production.to_bits(), "LP of {}", r.id);
                let hit = full.systems.iter().filter(|s| s.tts.is_some()).count();
                assert_eq!(hit, r.systems_hit, "systems hit by {}", r.id);
                let earliest = full.systems.iter().filter_map(|s| s.tts).min();
                assert_eq!(earliest, r.earliest_tts, "earliest TTS of {}", r.id);
            }
        }
    }
}

#[test]
fn a_sweep_gives_the_same_rows_on_one_thread_and_on_several() {
    let l = load(&shipped());
    let g = SupplyGraph::new(&l.model);
    let many = scenario::sweep(&g, SweepKind::Supplier, 400, Case::High);
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a thread pool")
        .install(|| scenario::sweep(&g, SweepKind::Supplier, 400, Case::High));
    assert_eq!(many, one);
    assert!(many.len() > 10);
}
