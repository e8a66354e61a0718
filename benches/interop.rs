//! Benchmarks of `interop`: importing a 10,000-row BOM CSV (with a 9,800-row
//! supply table), alone and as `chokepoint import` does it (rows → model → YAML →
//! validated by the loader), and the CycloneDX and CSV exports of the imported graph.
//!
//! Run: `cargo bench --bench interop` (target: the whole CSV import < 1 s).

use chokepoint::interop::csv_import::{import, Columns, CsvFile, CsvInput, MetaOverrides};
use chokepoint::interop::{cyclonedx, export, yaml_out};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

const SYSTEMS: usize = 10;
const SUBSYSTEMS: usize = 20;
const PARTS: usize = 49;
const COUNTRIES: [&str; 6] = ["US", "DE", "JP", "CN", "NL", "KR"];

/// 10 systems × 20 subsystems × 49 parts: 200 + 9,800 = 10,000 BOM rows, and one
/// or two supply rows per part (9,800 rows in all).
fn tables() -> CsvInput {
    let mut bom = String::from("parent,child,qty,cost_share,group,kind,name,name_zh\n");
    let mut supply = String::from("item,supplier,supplier_country,share\n");
    let mut supply_rows = 0;
    for s in 0..SYSTEMS {
        for b in 0..SUBSYSTEMS {
            bom.push_str(&format!(
                "sys-{s},sub-{s}-{b},1,0.04,,,Subsystem {s}-{b},子系统{s}-{b}\n"
            ));
            for p in 0..PARTS {
                // Every seventh part has a domestic alternative in the same group.
                let group = if p % 7 == 0 { "alt" } else { "" };
                // Members of one group must agree on qty and cost share.
                let qty = if group.is_empty() { 1 + p % 3 } else { 1 };
                bom.push_str(&format!(
                    "sub-{s}-{b},part-{s}-{b}-{p},{qty},0.02,{group},part,Part {p},零件{p}\n"
                ));
                let supplier = (s * 31 + b * 7 + p) % 400;
                let country = COUNTRIES[supplier % COUNTRIES.len()];
                if supply_rows < 9_800 {
                    let share = if p % 2 == 0 { "1" } else { "0.5" };
                    supply.push_str(&format!(
                        "part-{s}-{b}-{p},sup-{supplier},{country},{share}\n"
                    ));
                    supply_rows += 1;
                }
            }
        }
    }
    CsvInput {
        bom: Some(CsvFile::new("bom.csv", bom)),
        supply: Some(CsvFile::new("supply.csv", supply)),
        ..CsvInput::default()
    }
}

fn bench(c: &mut Criterion) {
    let input = tables();
    let rows = input
        .bom
        .as_ref()
        .map(|f| f.bytes.iter().filter(|b| **b == b'\n').count() - 1);
    assert_eq!(rows, Some(10_000));
    let cols = Columns::default();
    let meta = MetaOverrides::default();
    let mut g = c.benchmark_group("interop");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("csv_import_10k_rows", |b| {
        b.iter(|| black_box(import(&input, &cols, &meta).expect("generated tables are valid")))
    });
    g.bench_function("csv_import_10k_rows_to_validated_yaml", |b| {
        b.iter(|| {
            let imported = import(&input, &cols, &meta).expect("generated tables are valid");
            let yaml = yaml_out::to_yaml(&imported.model);
            let loaded = chokepoint::load::load_sources(vec![(PathBuf::from("graph.yaml"), yaml)])
                .expect("loads");
            black_box(loaded.model.items.len())
        })
    });
    let model = import(&input, &cols, &meta).expect("valid").model;
    g.bench_function("cyclonedx_export_10k_items", |b| {
        b.iter(|| black_box(cyclonedx::export(&model).len()))
    });
    g.bench_function("csv_export_10k_items", |b| {
        b.iter(|| black_box(export::csv_tables(&model).len()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
