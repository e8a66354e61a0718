//! Benchmarks of `scenario`: a sweep over every single supplying country (and
//! every single supplier) on the shipped graphs for 365 days, one declared
//! scenario with explanations, and a country sweep on a generated 10,000-item graph.
//!
//! Run: `cargo bench --bench scenario` (target: shipped country sweep < 1 s).

use chokepoint::graph::SupplyGraph;
use chokepoint::model::{Case, Model};
use chokepoint::scenario::{self, ScenarioSpec, SweepKind};
use chokepoint::synth::{generate, SynthParams};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The shipped graphs, or the worked-check fixture while graphs/ does not load.
fn shipped_model() -> (Model, &'static str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    match chokepoint::load::load_dir(&root.join("graphs")) {
        Ok(l) => (l.model, "graphs"),
        Err(_) => (
            chokepoint::load::load_dir(&root.join("tests/fixtures/scenario/worked"))
                .expect("fixture loads")
                .model,
            "fixture",
        ),
    }
}

fn shipped(c: &mut Criterion) {
    let (model, source) = shipped_model();
    let g = SupplyGraph::new(&model);
    let countries = g.supplying_countries().len();
    let mut group = c.benchmark_group(format!("scenario/{source}"));
    group.measurement_time(Duration::from_secs(5));
    group.bench_function(
        format!(
            "sweep country ×{countries}, {} items, 365 days",
            g.item_count()
        ),
        |b| b.iter(|| black_box(scenario::sweep(&g, SweepKind::Country, 365, Case::Mid))),
    );
    group.bench_function(
        format!("sweep supplier ×{}, 365 days", g.supplier_count()),
        |b| b.iter(|| black_box(scenario::sweep(&g, SweepKind::Supplier, 365, Case::Mid))),
    );
    if let Some(declared) = model.scenarios.values().next() {
        let spec = ScenarioSpec::from_declared(&g, declared);
        group.bench_function(format!("simulate {} with explanations", spec.id), |b| {
            b.iter(|| black_box(scenario::simulate(&g, &spec, Case::Mid)))
        });
    }
    group.finish();
}

fn generated(c: &mut Criterion) {
    let files: Vec<(PathBuf, String)> = generate(&SynthParams {
        items: 10_000,
        ..SynthParams::default()
    })
    .into_iter()
    .map(|(p, t)| (PathBuf::from(p), t))
    .collect();
    let model = chokepoint::load::load_sources(files)
        .expect("generated graph loads")
        .model;
    let g = SupplyGraph::new(&model);
    let mut group = c.benchmark_group("scenario/generated-10k");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function(
        format!("sweep country ×{}, 365 days", g.supplying_countries().len()),
        |b| b.iter(|| black_box(scenario::sweep(&g, SweepKind::Country, 365, Case::Mid))),
    );
    group.finish();
}

criterion_group!(benches, shipped, generated);
criterion_main!(benches);
