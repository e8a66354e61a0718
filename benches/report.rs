//! Building the whole report (analysis, scenarios, diagrams laid out by the
//! system `dot` when installed, charts, HTML, Markdown, JSON, CSV) for the
//! shipped graphs/, in memory. Target: under 3 s with `dot` present.
//! Run: `cargo bench --bench report`.

use chokepoint::graph::SupplyGraph;
use chokepoint::model::Lang;
use chokepoint::render::Backend;
use chokepoint::report::{self, ReportOptions};
use criterion::{criterion_group, criterion_main, Criterion};
use std::path::PathBuf;

fn bench_report(c: &mut Criterion) {
    let shipped = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("graphs");
    let loaded = chokepoint::load::load_dir(&shipped).expect("shipped graphs load");
    let g = SupplyGraph::new(&loaded.model);
    let probe = report::build(&g, &ReportOptions::default()).expect("report builds");
    let layout = match probe.backend {
        Backend::Graphviz => "graphviz",
        Backend::Builtin => "builtin_layout",
    };
    let mut group = c.benchmark_group("report");
    group.sample_size(10);
    for lang in [Lang::En, Lang::Zh] {
        let opts = ReportOptions {
            lang,
            ..ReportOptions::default()
        };
        let name = format!(
            "shipped_graphs_{}_{layout}",
            if lang == Lang::En { "en" } else { "zh" }
        );
        group.bench_function(name, |b| {
            b.iter(|| report::build(&g, &opts).expect("report builds"))
        });
    }
    // Loading included: what `chokepoint report` does before writing files.
    group.bench_function(format!("load_and_build_{layout}"), |b| {
        b.iter(|| {
            let loaded = chokepoint::load::load_dir(&shipped).expect("load");
            let g = SupplyGraph::new(&loaded.model);
            report::build(&g, &ReportOptions::default()).expect("report builds")
        })
    });
    group.finish();
}

criterion_group!(benches, bench_report);
criterion_main!(benches);
