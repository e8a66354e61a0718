//! Synthetic supply graphs for benchmarks and scale tests (`chokepoint generate`).
//!
//! Owns: a deterministic generator (same parameters and seed → byte-identical
//! YAML) of graphs shaped like real BOMs: tiers of systems, subsystems, parts,
//! components and materials; items shared between parents; `any_of` groups;
//! multi-country suppliers with production sites abroad; ranges; stock, recovery
//! and scenarios. Every number cites the `synthetic` reference so the graph passes
//! the same checks as the shipped data. Never reads or writes files itself.

use std::fmt::Write as _;

/// Parameters of a synthetic graph.
#[derive(Clone, Debug, PartialEq)]
pub struct SynthParams {
    pub items: usize,
    pub suppliers: usize,
    pub countries: usize,
    /// Number of tiers including systems (at least 2).
    pub depth: usize,
    pub seed: u64,
    /// Most items per output file.
    pub items_per_file: usize,
}

impl Default for SynthParams {
    fn default() -> Self {
        SynthParams {
            items: 1_000,
            suppliers: 100,
            countries: 12,
            depth: 5,
            seed: 1,
            items_per_file: 5_000,
        }
    }
}

/// Country codes in the order the generator uses them; the first is `home`.
const COUNTRIES: &[&str] = &[
    "CN", "US", "JP", "DE", "NL", "KR", "TW", "FR", "GB", "IN", "IT", "CH", "SE", "CA", "IL", "SG",
    "MY", "VN", "TH", "MX", "BR", "AU", "QA", "RU", "ZA", "CL", "FI", "AT", "BE", "ES",
];

/// splitmix64: tiny, fast, and good enough for shaping test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

/// Items per tier: one system per 1,000 items (1–50), the rest growing by tier.
fn tier_sizes(items: usize, depth: usize) -> Vec<usize> {
    let depth = depth.max(2);
    let systems = (items / 1000).clamp(1, 50).min(items.max(1));
    let rest = items.saturating_sub(systems);
    let weights: Vec<f64> = (1..depth).map(|t| 2f64.powi(t as i32)).collect();
    let total: f64 = weights.iter().sum();
    let mut sizes = vec![systems];
    let mut assigned = 0;
    for (i, w) in weights.iter().enumerate() {
        let n = if i + 1 == weights.len() {
            rest - assigned
        } else {
            ((rest as f64) * w / total).floor() as usize
        };
        sizes.push(n.max(1));
        assigned += n;
    }
    sizes
}

fn kind_of(tier: usize, depth: usize) -> &'static str {
    match tier {
        0 => "system",
        t if t + 1 == depth => "material",
        1 => "subsystem",
        2 => "part",
        _ => "component",
    }
}

fn share(out: &mut String, x: f64, rng: &mut Rng) {
    // One estimate in five is a range, as qualitative sources give them.
    if rng.chance(0.2) {
        let lo = (x * 0.8 * 1000.0).round() / 1000.0;
        let hi = (x * 1.2 * 1000.0).round() / 1000.0;
        let hi = hi.min(1.0);
        let _ = write!(out, "{{ low: {lo}, high: {hi}, cite: [synthetic] }}");
    } else {
        let v = (x * 1000.0).round() / 1000.0;
        let _ = write!(out, "{{ value: {v}, cite: [synthetic] }}");
    }
}

/// Generates the graph as files `(relative path, YAML text)`. Needs
/// `items >= depth` (one item per tier at least).
pub fn generate(p: &SynthParams) -> Vec<(String, String)> {
    let mut rng = Rng(p.seed ^ 0xC0FF_EE00_D15E_A5E5);
    let countries = &COUNTRIES[..p.countries.clamp(2, COUNTRIES.len())];
    let suppliers = p.suppliers.max(1);
    let depth = p.depth.max(2);
    let sizes = tier_sizes(p.items.max(1), depth);
    let mut start = Vec::with_capacity(sizes.len());
    let mut acc = 0;
    for s in &sizes {
        start.push(acc);
        acc += s;
    }
    let total = acc;

    let mut files = Vec::new();
    let mut meta = String::new();
    let _ = writeln!(
        meta,
        "meta:\n  title: Synthetic graph ({total} items, seed {})\n  home: CN\n  currency: CNY\n  as_of: 2025-06-30",
        p.seed
    );
    meta.push_str("references:\n  - { id: synthetic, title: \"chokepoint generate (synthetic data)\", note: \"generated, not real\" }\n");
    meta.push_str("suppliers:\n");
    let mut supplier_country = Vec::with_capacity(suppliers);
    for s in 0..suppliers {
        // About a third domestic, the rest spread over the other countries.
        let c = if rng.chance(0.35) {
            0
        } else {
            1 + rng.below(countries.len() - 1)
        };
        supplier_country.push(c);
        let _ = writeln!(
            meta,
            "  - {{ id: s{s}, name: Supplier {s}, country: {}, cite: [synthetic] }}",
            countries[c]
        );
    }
    meta.push_str("scenarios:\n");
    for (i, c) in countries.iter().enumerate().skip(1).take(3) {
        let _ = writeln!(
            meta,
            "  - {{ id: stop-{c}, name: {c} stops exports, fail: {{ countries: [{c}] }}, tariffs: {{ {c}: 0.{i}5 }}, duration_days: 365, cite: [synthetic] }}"
        );
    }
    let _ = writeln!(
        meta,
        "  - {{ id: lose-s0, name: Supplier 0 fails, fail: {{ suppliers: [s0] }}, duration_days: 180, cite: [synthetic] }}"
    );
    files.push(("meta.yaml".to_string(), meta));

    let mut body = String::from("items:\n");
    let mut in_file = 0;
    let mut used_suppliers = vec![false; suppliers];
    for (tier, &size) in sizes.iter().enumerate() {
        for k in 0..size {
            let id = start[tier] + k;
            let kind = kind_of(tier, depth);
            let _ = write!(
                body,
                "  - id: i{id}\n    kind: {kind}\n    name: {kind} {id}\n"
            );
            if tier == 0 {
                let mv = 1.0e9 * (1.0 + rng.below(50) as f64);
                let _ = writeln!(
                    body,
                    "    market_value: {{ value: {mv:e}, cite: [synthetic] }}"
                );
            }
            let leaf = tier + 1 == depth;
            if !leaf {
                let next = tier + 1;
                let children = if tier == 0 { 5 } else { 3 };
                let mut cost_left = 0.9;
                body.push_str("    requires:\n");
                let mut chosen = Vec::new();
                for _ in 0..children {
                    let c = start[next] + rng.below(sizes[next]);
                    if chosen.contains(&c) {
                        continue;
                    }
                    chosen.push(c);
                    let cs = (cost_left * (0.2 + 0.3 * rng.unit()) * 1000.0).floor() / 1000.0;
                    cost_left -= cs;
                    if rng.chance(0.1) && sizes[next] > 1 {
                        let mut alt = start[next] + rng.below(sizes[next]);
                        if alt == c {
                            alt = start[next] + (c - start[next] + 1) % sizes[next];
                        }
                        let _ = write!(body, "      - {{ any_of: [i{c}, i{alt}], cost_share: ");
                        share(&mut body, cs, &mut rng);
                        body.push_str(" }\n");
                    } else {
                        let qty = 1 + rng.below(3);
                        let _ = write!(body, "      - {{ item: i{c}, qty: {qty}, cost_share: ");
                        share(&mut body, cs, &mut rng);
                        body.push_str(" }\n");
                    }
                }
            }
            // Materials always have sources; assemblies sometimes are bought whole.
            if leaf || (tier > 0 && rng.chance(0.3)) {
                let n = 1 + rng.below(3);
                // A few items keep an unattributed remainder (warning W001), as real data does.
                let mut left: u32 = if rng.chance(0.02) { 900 } else { 1000 };
                body.push_str("    supply:\n");
                let mut seen = Vec::new();
                for e in 0..n {
                    let s = rng.below(suppliers);
                    if seen.contains(&s) {
                        continue;
                    }
                    seen.push(s);
                    used_suppliers[s] = true;
                    // Whole thousandths, so the shares of an item sum exactly.
                    let w = if e + 1 == n {
                        left
                    } else {
                        (f64::from(left) * (0.3 + 0.5 * rng.unit())) as u32
                    };
                    left -= w;
                    let w = f64::from(w) / 1000.0;
                    let _ = write!(body, "      - {{ supplier: s{s}, share: ");
                    share(&mut body, w, &mut rng);
                    if rng.chance(0.1) {
                        let site = rng.below(countries.len());
                        if site != supplier_country[s] {
                            let _ = write!(body, ", country: {}", countries[site]);
                        }
                    }
                    body.push_str(" }\n");
                }
                let stock = 30 * rng.below(7);
                let recovery = 30 + 30 * rng.below(18);
                let _ = writeln!(
                    body,
                    "    stock_days: {{ value: {stock}, cite: [synthetic] }}"
                );
                let _ = writeln!(
                    body,
                    "    recovery_days: {{ value: {recovery}, cite: [synthetic] }}"
                );
            } else if leaf {
                let _ = writeln!(
                    body,
                    "    import_share: {{ value: 0.5, cite: [synthetic] }}"
                );
            }
            in_file += 1;
            if in_file == p.items_per_file.max(1) {
                files.push((
                    format!("items-{:04}.yaml", files.len()),
                    std::mem::take(&mut body),
                ));
                body.push_str("items:\n");
                in_file = 0;
            }
        }
    }
    if in_file > 0 {
        files.push((format!("items-{:04}.yaml", files.len()), body));
    }
    // Suppliers never drawn still get an item so that the graph has no warnings.
    let unused: Vec<usize> = (0..suppliers).filter(|s| !used_suppliers[*s]).collect();
    if !unused.is_empty() {
        let mut extra = String::from(
            "items:\n  - id: spares\n    kind: material\n    name: spare parts\n    supply:\n",
        );
        let w = ((1.0 / unused.len() as f64) * 1e6).floor() / 1e6;
        for s in unused {
            let _ = writeln!(
                extra,
                "      - {{ supplier: s{s}, share: {{ value: {w}, cite: [synthetic] }} }}"
            );
        }
        files.push(("spares.yaml".to_string(), extra));
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(p: &SynthParams) -> crate::load::Loaded {
        let files = generate(p)
            .into_iter()
            .map(|(n, t)| (std::path::PathBuf::from(n), t))
            .collect();
        match crate::load::load_sources(files) {
            Ok(l) => l,
            Err(e) => panic!("{}", e.render(false)),
        }
    }

    #[test]
    fn generated_graphs_are_valid_and_deterministic() {
        for (items, depth) in [(2, 2), (50, 3), (2_000, 5), (5_000, 6)] {
            let p = SynthParams {
                items,
                depth,
                items_per_file: 700,
                ..SynthParams::default()
            };
            let loaded = load(&p);
            let spares = usize::from(loaded.model.items.contains_key("spares"));
            assert_eq!(loaded.model.items.len(), items.max(1) + spares);
            assert!(
                loaded
                    .warnings
                    .iter()
                    .all(|w| w.code == crate::load::Code::SupplyUnattributed),
                "only unattributed-share warnings expected"
            );
            assert_eq!(generate(&p), generate(&p));
        }
        let a = generate(&SynthParams {
            seed: 1,
            ..SynthParams::default()
        });
        let b = generate(&SynthParams {
            seed: 2,
            ..SynthParams::default()
        });
        assert_ne!(a, b);
    }
}
