//! The cut-set engine against SCRAM on fault trees exported as Open-PSA MEF.

use crate::support::{bin, load, load_str, shipped, stdout_ok, tool_available};
use chokepoint::analysis::mcs::{openpsa, zbdd, FaultTree, Limits, Node, NodeIx};
use std::collections::BTreeMap;

/// A small deterministic generator (xorshift), so the trees need no dependency.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// A random DAG over `events` events: gates of 2–5 children drawn from all
/// earlier nodes (shared subtrees), a `Never` and an empty OR among the leaves.
fn random_tree(rng: &mut Rng, events: u32, gates: usize) -> (FaultTree, NodeIx) {
    let mut t = FaultTree {
        nodes: Vec::new(),
        event_count: events,
    };
    for e in 0..events {
        t.push(Node::Event(e));
    }
    t.push(Node::Never);
    t.push(Node::Or(vec![]));
    for g in 0..gates {
        let n = t.nodes.len();
        let width = 2 + rng.below(4);
        // Prefer recent nodes, so the tree is deep rather than flat.
        let children: Vec<NodeIx> = (0..width)
            .map(|_| {
                if rng.below(2) == 0 {
                    (n - 1 - rng.below(n.min(8))) as NodeIx
                } else {
                    rng.below(n) as NodeIx
                }
            })
            .collect();
        // One gate in three an AND: deep ANDs alone leave nothing up to order 4.
        t.push(if (g + rng.below(3)).is_multiple_of(3) {
            Node::And(children)
        } else {
            Node::Or(children)
        });
    }
    let top = (t.nodes.len() - 1) as NodeIx;
    (t, top)
}

/// Runs `scram` on `xml` up to `order` and returns each top gate's products as
/// sorted lists of basic-event names.
fn scram_products(xml: &str, order: usize) -> BTreeMap<String, Vec<Vec<String>>> {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("tree.xml");
    let report = dir.path().join("report.xml");
    std::fs::write(&input, xml).unwrap();
    let out = std::process::Command::new("scram")
        .arg(&input)
        .args(["--limit-order", &order.to_string(), "-o"])
        .arg(&report)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "scram failed: {}\n{xml}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&report).unwrap();
    let mut result = BTreeMap::new();
    for section in text.split("<sum-of-products name=\"").skip(1) {
        let name = section[..section.find('"').unwrap()].to_string();
        let body = &section[..section.find("</sum-of-products>").unwrap_or(section.len())];
        let mut sets: Vec<Vec<String>> = body
            .split("<product")
            .skip(1)
            .map(|p| {
                let mut s: Vec<String> = p
                    .split("<basic-event name=\"")
                    .skip(1)
                    .map(|b| b[..b.find('"').unwrap()].to_string())
                    .collect();
                s.sort();
                s
            })
            .collect();
        sets.sort();
        result.insert(name, sets);
    }
    result
}

fn event_name(e: u32) -> String {
    // Names that need escaping: dots, spaces, a leading digit, an ampersand.
    format!("{e}. Supplier & Co")
}

#[test]
fn zbdd_finds_exactly_the_cut_sets_scram_finds() {
    if !tool_available("scram") {
        return;
    }
    let mut rng = Rng(0x005e_ed18);
    let mut total = 0;
    for case in 0..50 {
        let events = 8 + rng.below(30) as u32;
        let gates = 10 + rng.below(40);
        let (tree, top) = random_tree(&mut rng, events, gates);
        let root = format!("system {case}");
        let xml = openpsa::write_open_psa(&tree, &[(root.clone(), top)], &event_name);
        let ids: Vec<String> = (0..events)
            .map(|e| openpsa::mef_id(&event_name(e)))
            .collect();
        for order in 1..=4 {
            let ours = &zbdd::cut_sets(&tree, &[top], order, &Limits::default()).unwrap()[0];
            let mut ours: Vec<Vec<String>> = ours
                .iter()
                .map(|s| {
                    let mut v: Vec<String> = s.iter().map(|&e| ids[e as usize].clone()).collect();
                    v.sort();
                    v
                })
                .collect();
            ours.sort();
            let scram = scram_products(&xml, order);
            let theirs = scram
                .get(&openpsa::mef_id(&root))
                .cloned()
                .unwrap_or_default();
            assert_eq!(ours, theirs, "case {case}, order {order}:\n{xml}");
            total += ours.len();
        }
    }
    // The comparison is not vacuous.
    eprintln!("{total} cut sets compared with scram");
    assert!(total > 500, "{total} cut sets compared");
}

/// Our minimal cut sets of every system, as sorted MEF ids of the events.
fn our_products(
    g: &chokepoint::graph::SupplyGraph,
    by: chokepoint::analysis::EventKind,
    order: usize,
) -> BTreeMap<String, Vec<Vec<String>>> {
    let mut out = BTreeMap::new();
    for &s in g.systems() {
        let mut sets: Vec<Vec<String>> =
            chokepoint::analysis::minimal_cut_sets(g, s, by, order, chokepoint::model::Case::Mid)
                .unwrap()
                .iter()
                .map(|c| {
                    let mut v: Vec<String> = c
                        .events
                        .iter()
                        .map(|e| chokepoint::analysis::mcs::openpsa::mef_id(&e.id(g)))
                        .collect();
                    v.sort();
                    v
                })
                .collect();
        sets.sort();
        out.insert(
            chokepoint::analysis::mcs::openpsa::mef_id(g.item(s).id.as_str()),
            sets,
        );
    }
    out
}

/// `export --format open-psa` on the shipped graphs (the real executable) and
/// on 50 random v2 supply graphs: SCRAM finds exactly our minimal cut sets up
/// to order 4, by country and by supplier.
#[test]
fn scram_agrees_on_exported_supply_graphs() {
    use chokepoint::analysis::EventKind;
    use chokepoint::graph::SupplyGraph;
    if !tool_available("scram") {
        return;
    }
    let shipped = load(&shipped()).model;
    let g = SupplyGraph::new(&shipped);
    for (by, flag) in [
        (EventKind::Country, "country"),
        (EventKind::Supplier, "supplier"),
    ] {
        let xml = stdout_ok(
            bin()
                .args(["export", "--format", "open-psa", "--by", flag, "-q"])
                .output()
                .unwrap(),
        );
        let theirs = scram_products(&xml, 4);
        let ours = our_products(&g, by, 4);
        for (system, sets) in &ours {
            let empty = Vec::new();
            assert_eq!(
                theirs.get(system).unwrap_or(&empty),
                sets,
                "shipped {system} by {flag}"
            );
        }
    }
    let mut compared = 0;
    for seed in 0..50u64 {
        let yaml = crate::semantics::random_v2_graph(3 + (seed % 5) as usize, seed);
        let Ok(l) = load_str(&[("g.yaml", &yaml)]) else {
            continue;
        };
        let g = SupplyGraph::new(&l.model);
        for by in [EventKind::Country, EventKind::Supplier] {
            let xml =
                chokepoint::analysis::open_psa(&g, by, chokepoint::model::Case::Mid, g.systems());
            let theirs = scram_products(&xml, 4);
            for (system, sets) in our_products(&g, by, 4) {
                let empty = Vec::new();
                assert_eq!(
                    theirs.get(&system).unwrap_or(&empty),
                    &sets,
                    "seed {seed}\n{yaml}"
                );
                compared += 1;
            }
        }
    }
    assert!(compared >= 50, "only {compared} graphs compared");
}

/// Issue 18's case: a system that needs one of six subsystems, each requiring
/// 30 single-sourced parts. At order 6 the answer has 30^6 = 729 million sets:
/// the run ends with exit 2, the limit it reached and how to narrow the
/// question, instead of aborting on memory.
#[test]
fn six_by_thirty_at_order_6_stops_at_a_limit_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let mut y = String::from("suppliers:\n");
    for p in 0..180 {
        y += &format!("  - {{ id: s{p}, name: S{p}, country: US }}\n");
    }
    y += "items:\n  - id: sys\n    kind: system\n    requires: [{ any_of: [";
    y += &(0..6)
        .map(|k| format!("sub{k}"))
        .collect::<Vec<_>>()
        .join(", ");
    y += "] }]\n";
    for k in 0..6 {
        let reqs: Vec<String> = (0..30)
            .map(|j| format!("{{ item: p{} }}", k * 30 + j))
            .collect();
        y += &format!(
            "  - {{ id: sub{k}, kind: subsystem, requires: [{}] }}\n",
            reqs.join(", ")
        );
    }
    for p in 0..180 {
        y += &format!(
            "  - {{ id: p{p}, kind: part, supply: [{{ supplier: s{p}, share: 1.0 }}] }}\n"
        );
    }
    std::fs::write(dir.path().join("g.yaml"), y).unwrap();
    let start = std::time::Instant::now();
    let out = bin()
        .args(["analyze", "-q", "--order", "6"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(start.elapsed().as_secs() < 60, "took {:?}", start.elapsed());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr,
        "error[U003]: more than 5000000 minimal cut sets (the result limit)\n  \
         help: narrow the question: a lower `--order` (asked 6), `--by country` (fewer events), \
         or one `--system`\n"
    );
    // Order 5 is answered: no set of five events stops all six subsystems.
    let out = bin()
        .args(["analyze", "-q", "--order", "5", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}
