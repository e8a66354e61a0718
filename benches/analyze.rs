//! Benchmarks of `analysis`: the whole `analyze` on the shipped graphs, minimal
//! cut sets at order 4 on the largest shipped system, and `analyze` at order 2 on
//! a generated 100,000-item graph; and a flat 50,000-part BOM (one system with
//! 50,000 direct requirements), the worst case for explaining cut sets.
//!
//! Run: `cargo bench --bench analyze` (targets: shipped < 50 ms, 100k < 5 s).

use chokepoint::analysis::{analyze, minimal_cut_sets, AnalyzeOptions, EventKind};
use chokepoint::graph::{ItemIx, SupplyGraph};
use chokepoint::model::{
    CountryCode, Estimate, Item, ItemId, ItemKind, Location, Model, Requirement, RequirementTarget,
    Supplier, SupplierId, SupplyEdge,
};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

/// The shipped graphs, or the full fixture while graphs/ does not load.
fn shipped_model() -> (Model, &'static str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    match chokepoint::load::load_dir(&root.join("graphs")) {
        Ok(l) => (l.model, "graphs"),
        Err(_) => (
            chokepoint::load::load_dir(&root.join("tests/fixtures/valid/full"))
                .expect("fixture loads")
                .model,
            "fixture",
        ),
    }
}

/// splitmix64: a tiny deterministic generator, so every run benches the same graph.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

/// A realistic layered BOM of `n` items: 20 systems → 0.5 % subsystems → 5 % parts
/// → 25 % components → materials; fan-outs 15 / 10 / 6 / 3 with one child in five
/// shared at random, any_of pairs among materials, 2,000 suppliers in 30 countries.
fn synthetic_model(n: usize, seed: u64) -> Model {
    const COUNTRIES: [&str; 30] = [
        "CN", "US", "JP", "DE", "KR", "NL", "FR", "GB", "IT", "CH", "SE", "FI", "IL", "IN", "SG",
        "MY", "TW", "CA", "AU", "BR", "MX", "PL", "CZ", "AT", "BE", "DK", "NO", "ES", "TH", "VN",
    ];
    let mut rng = Rng(seed);
    let mut model = Model::default();
    for s in 0..2000 {
        // Home and the big exporters supply most; the tail is thin.
        let c = if rng.chance(0.6) {
            rng.below(6)
        } else {
            rng.below(COUNTRIES.len())
        };
        let id = SupplierId::new(format!("sup-{s}"));
        model.suppliers.insert(
            id.clone(),
            Supplier {
                id,
                name: format!("Supplier {s}"),
                name_zh: None,
                country: CountryCode::new(COUNTRIES[c]),
                parent: None,
                cite: vec![],
                note: None,
                disruption_probability: None,
                loc: Location::default(),
            },
        );
    }
    let systems = 20;
    let subsystems = n / 200;
    let parts = n / 20;
    let components = n / 4;
    let materials = n - systems - subsystems - parts - components;
    let layers = [
        (ItemKind::System, systems, 15usize),
        (ItemKind::Subsystem, subsystems, 10),
        (ItemKind::Part, parts, 6),
        (ItemKind::Component, components, 3),
        (ItemKind::Material, materials, 0),
    ];
    let mut first = 0;
    for (layer, &(kind, count, fanout)) in layers.iter().enumerate() {
        let next_first = first + count;
        let next_count = layers.get(layer + 1).map_or(0, |l| l.1);
        for k in 0..count {
            let mut requires = Vec::new();
            let mut used: Vec<usize> = Vec::new();
            for t in 0..fanout {
                let pick = |rng: &mut Rng| {
                    // Round-robin keeps every child used; one in five is shared at random.
                    let local = if rng.chance(0.2) {
                        rng.below(next_count)
                    } else {
                        (k * fanout + t) % next_count
                    };
                    next_first + local
                };
                let a = pick(&mut rng);
                if used.contains(&a) {
                    continue;
                }
                used.push(a);
                let target = if kind == ItemKind::Component && rng.chance(0.15) {
                    let b = pick(&mut rng);
                    if used.contains(&b) {
                        RequirementTarget::Item(ItemId::new(format!("it-{a}")))
                    } else {
                        used.push(b);
                        RequirementTarget::AnyOf(vec![
                            ItemId::new(format!("it-{a}")),
                            ItemId::new(format!("it-{b}")),
                        ])
                    }
                } else {
                    RequirementTarget::Item(ItemId::new(format!("it-{a}")))
                };
                requires.push(Requirement {
                    target,
                    qty: 1.0,
                    cost_share: rng.chance(0.8).then(|| {
                        Box::new(Estimate::range(0.5 / fanout as f64, 0.9 / fanout as f64))
                    }),
                    role: Default::default(),
                    cite: vec![],
                    note: None,
                    member_qualify: None,
                    loc: Location::default(),
                });
            }
            let supplied = match kind {
                ItemKind::Material => 1.0,
                ItemKind::Component => 0.7,
                ItemKind::Part => 0.5,
                ItemKind::Subsystem => 0.3,
                _ => 0.0,
            };
            let mut supply = Vec::new();
            if rng.chance(supplied) {
                let edges = 1 + rng.below(3);
                for _ in 0..edges {
                    let s = rng.below(2000);
                    if supply
                        .iter()
                        .any(|e: &SupplyEdge| e.supplier_id() == Some(format!("sup-{s}").as_str()))
                    {
                        continue;
                    }
                    supply.push(SupplyEdge {
                        supplier: Some(SupplierId::new(format!("sup-{s}"))),
                        requires: None,
                        share: Estimate::exact(0.9 / edges as f64),
                        country: rng
                            .chance(0.1)
                            .then(|| CountryCode::new(COUNTRIES[rng.below(COUNTRIES.len())])),
                        cite: vec![],
                        note: None,
                        loc: Location::default(),
                    });
                }
            }
            let id = ItemId::new(format!("it-{}", first + k));
            model.items.insert(
                id.clone(),
                Item {
                    id,
                    kind,
                    name: format!("{} {k}", kind.as_str()),
                    name_zh: None,
                    market_value: (kind == ItemKind::System)
                        .then(|| Box::new(Estimate::exact(1e9 * (1 + rng.below(50)) as f64))),
                    requires,
                    supply,
                    standby: Vec::new(),
                    import_share: None,
                    stock_days: rng
                        .chance(0.5)
                        .then(|| Box::new(Estimate::exact(rng.below(120) as f64))),
                    recovery_days: rng
                        .chance(0.6)
                        .then(|| Box::new(Estimate::range(90.0, 90.0 + rng.below(600) as f64))),
                    export_controls: if rng.chance(0.05) {
                        vec!["US-EAR".into()]
                    } else {
                        vec![]
                    },
                    cite: vec![],
                    note: None,
                    loc: Location::default(),
                },
            );
        }
        first = next_first;
    }
    model
}

/// A flat BOM: one system requiring `n` parts directly (as a BOM imported from a
/// spreadsheet might be), each from one or two of 2,000 suppliers in 5 countries.
fn flat_model(n: usize) -> Model {
    const COUNTRIES: [&str; 5] = ["US", "JP", "DE", "CN", "KR"];
    let mut model = Model::default();
    for s in 0..2000 {
        let id = SupplierId::new(format!("sup-{s}"));
        model.suppliers.insert(
            id.clone(),
            Supplier {
                id,
                name: format!("Supplier {s}"),
                name_zh: None,
                country: CountryCode::new(COUNTRIES[s % 5]),
                parent: None,
                cite: vec![],
                note: None,
                disruption_probability: None,
                loc: Location::default(),
            },
        );
    }
    let item = |id: String, kind, requires, supply| Item {
        id: ItemId::new(id),
        kind,
        name: "x".into(),
        name_zh: None,
        market_value: Some(Box::new(Estimate::exact(1e9))),
        requires,
        supply,
        standby: Vec::new(),
        import_share: None,
        stock_days: None,
        recovery_days: None,
        export_controls: vec![],
        cite: vec![],
        note: None,
        loc: Location::default(),
    };
    let requires = (0..n)
        .map(|i| Requirement {
            target: RequirementTarget::Item(ItemId::new(format!("p{i}"))),
            qty: 1.0,
            cost_share: None,
            role: Default::default(),
            cite: vec![],
            note: None,
            member_qualify: None,
            loc: Location::default(),
        })
        .collect();
    let sys = item("sys".into(), ItemKind::System, requires, vec![]);
    model.items.insert(sys.id.clone(), sys);
    for i in 0..n {
        let edge = |s: usize| SupplyEdge {
            supplier: Some(SupplierId::new(format!("sup-{s}"))),
            requires: None,
            share: Estimate::exact(0.45),
            country: None,
            cite: vec![],
            note: None,
            loc: Location::default(),
        };
        let mut supply = vec![edge((i * 7919) % 2000)];
        if i % 3 == 0 {
            supply.push(edge((i * 104_729 + 13) % 2000));
        }
        let part = item(format!("p{i}"), ItemKind::Part, vec![], supply);
        model.items.insert(part.id.clone(), part);
    }
    model
}

fn largest_system(g: &SupplyGraph) -> ItemIx {
    *g.systems()
        .iter()
        .max_by_key(|s| (g.descendants(**s).len(), std::cmp::Reverse(**s)))
        .expect("a system")
}

fn shipped(c: &mut Criterion) {
    let (model, what) = shipped_model();
    let g = SupplyGraph::new(&model);
    for by in [EventKind::Supplier, EventKind::Country] {
        let opts = AnalyzeOptions {
            by,
            order: 2,
            ..AnalyzeOptions::default()
        };
        c.bench_function(&format!("analyze/{what}/{}/order2", by.as_str()), |b| {
            b.iter(|| black_box(analyze(&g, &opts).unwrap()))
        });
    }
    let big = largest_system(&g);
    for by in [EventKind::Supplier, EventKind::Country] {
        c.bench_function(
            &format!("cut_sets/{what}/{}/{}/order4", g.item(big).id, by.as_str()),
            |b| {
                b.iter(|| {
                    black_box(
                        minimal_cut_sets(&g, big, by, 4, chokepoint::model::Case::Mid).unwrap(),
                    )
                })
            },
        );
    }
}

fn synthetic(c: &mut Criterion) {
    let model = synthetic_model(100_000, 42);
    let g = SupplyGraph::new(&model);
    let mut group = c.benchmark_group("analyze/synthetic-100k");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    for by in [EventKind::Supplier, EventKind::Country] {
        let opts = AnalyzeOptions {
            by,
            order: 2,
            ..AnalyzeOptions::default()
        };
        group.bench_function(format!("{}/order2", by.as_str()), |b| {
            b.iter(|| black_box(analyze(&g, &opts).unwrap()))
        });
    }
    group.finish();
    let model = flat_model(50_000);
    let g = SupplyGraph::new(&model);
    let mut group = c.benchmark_group("analyze/flat-50k");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    for by in [EventKind::Supplier, EventKind::Country] {
        let opts = AnalyzeOptions {
            by,
            order: 2,
            ..AnalyzeOptions::default()
        };
        group.bench_function(format!("{}/order2", by.as_str()), |b| {
            b.iter(|| black_box(analyze(&g, &opts).unwrap()))
        });
    }
    group.finish();
}

criterion_group!(benches, shipped, synthetic);
criterion_main!(benches);
