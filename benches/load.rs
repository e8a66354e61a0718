//! Load + validate throughput on a generated 200,000-item graph, and on the
//! shipped graphs/. Run: `cargo bench --bench load`.

use chokepoint::synth::{generate, SynthParams};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::PathBuf;

fn bench_load(c: &mut Criterion) {
    let params = SynthParams {
        items: 200_000,
        suppliers: 2_000,
        countries: 20,
        ..SynthParams::default()
    };
    let files: Vec<(PathBuf, String)> = generate(&params)
        .into_iter()
        .map(|(n, t)| (PathBuf::from(n), t))
        .collect();
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("generated_200k_items", |b| {
        b.iter(|| {
            let loaded = chokepoint::load::load_sources(files.clone()).expect("valid");
            assert_eq!(loaded.model.items.len(), 200_000);
        })
    });
    let shipped = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("graphs");
    group.throughput(Throughput::Elements(1));
    group.bench_function("shipped_graphs", |b| {
        b.iter(|| chokepoint::load::load_dir(&shipped).expect("shipped graphs load"))
    });
    group.finish();
}

criterion_group!(benches, bench_load);
criterion_main!(benches);
