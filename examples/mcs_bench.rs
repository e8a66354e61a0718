//! Runs a cut-set engine on an Open-PSA MEF model: the chokepoint side of
//! `scripts/bench-mcs` (SCRAM is the other side).
//!
//!     cargo run --release --example mcs_bench -- [--engine zbdd|families]
//!         [--order K] [--max-sets N] [--max-work N] FILE.xml [MORE.xml ...]
//!
//! Reads the fault-tree layer of the files (define-gate with and, or, atleast,
//! nested formulas, gate/basic-event/house-event/event references, constants;
//! basic events need no definition), converts it to a [`FaultTree`] (atleast
//! k-of-n becomes a shared OR of ANDs), takes every gate that no gate references
//! as a top event (as SCRAM does), computes the minimal cut sets up to K, and
//! prints one JSON line: top events, events, gates, sets per order, total, and
//! the seconds spent reading and computing. A model with a non-coherent gate
//! (not, xor, nand, nor, iff) prints `{"skipped": reason}` and exits 3.
//!
//!     cargo run --release --example mcs_bench -- --generate KIND SEED SIZE OUT.xml
//!
//! writes a generated model with the library's Open-PSA export instead: KIND
//! `dag` is a random coherent DAG of SIZE gates over SIZE/2 events (gates of 2–5
//! children, one in three an AND, children drawn mostly from the last 40 nodes so
//! subtrees are shared and the tree is deep); KIND `and-of-ors` is issue 18's
//! system that needs one of 6 subsystems of SIZE single-sourced parts each.
//!
//! Only a measuring tool: the library does not read MEF.

use chokepoint::analysis::mcs::{families, openpsa, zbdd, FaultTree, Limits, Node, NodeIx};
use std::collections::HashMap;
use std::time::Instant;

/// A formula before conversion: an owned tree of the XML elements.
enum Formula {
    Gate(String),
    Event(String),
    House(String),
    Const(bool),
    And(Vec<Formula>),
    Or(Vec<Formula>),
    AtLeast(usize, Vec<Formula>),
}

struct Model {
    /// Gate name → formula, in document order.
    gates: Vec<(String, Formula)>,
    house: HashMap<String, bool>,
}

fn parse_formula(
    node: roxmltree::Node,
    gate_names: &HashMap<String, usize>,
) -> Result<Formula, String> {
    let name = || node.attribute("name").unwrap_or_default().to_string();
    let args = || -> Result<Vec<Formula>, String> {
        node.children()
            .filter(|c| c.is_element())
            .map(|c| parse_formula(c, gate_names))
            .collect()
    };
    Ok(match node.tag_name().name() {
        "gate" => Formula::Gate(name()),
        "basic-event" => Formula::Event(name()),
        "house-event" => Formula::House(name()),
        "event" => match node.attribute("type") {
            Some("gate") => Formula::Gate(name()),
            Some("house-event") => Formula::House(name()),
            Some(_) => Formula::Event(name()),
            None if gate_names.contains_key(&name()) => Formula::Gate(name()),
            None => Formula::Event(name()),
        },
        "constant" => Formula::Const(node.attribute("value") == Some("true")),
        "and" => Formula::And(args()?),
        "or" => Formula::Or(args()?),
        "atleast" => {
            let min = node
                .attribute("min")
                .and_then(|m| m.parse().ok())
                .ok_or("atleast without min")?;
            Formula::AtLeast(min, args()?)
        }
        other => return Err(format!("non-coherent or unsupported gate <{other}>")),
    })
}

fn read_model(files: &[String]) -> Result<Model, String> {
    let texts: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).map_err(|e| format!("{f}: {e}")))
        .collect::<Result<_, _>>()?;
    let docs: Vec<roxmltree::Document> = texts
        .iter()
        .map(|t| roxmltree::Document::parse(t).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    let mut gate_names = HashMap::new();
    let mut house = HashMap::new();
    for doc in &docs {
        for n in doc.descendants() {
            match n.tag_name().name() {
                "define-gate" => {
                    let len = gate_names.len();
                    gate_names.insert(n.attribute("name").unwrap_or_default().to_string(), len);
                }
                "define-house-event" => {
                    let value = n
                        .children()
                        .find(|c| c.has_tag_name("constant"))
                        .is_some_and(|c| c.attribute("value") == Some("true"));
                    house.insert(n.attribute("name").unwrap_or_default().to_string(), value);
                }
                "event-tree" | "define-event-tree" => return Err("event trees".into()),
                _ => {}
            }
        }
    }
    let mut gates = Vec::new();
    for doc in &docs {
        for n in doc.descendants().filter(|n| n.has_tag_name("define-gate")) {
            let body = n
                .children()
                .find(|c| c.is_element() && !matches!(c.tag_name().name(), "label" | "attributes"))
                .ok_or("gate without formula")?;
            gates.push((
                n.attribute("name").unwrap_or_default().to_string(),
                parse_formula(body, &gate_names)?,
            ));
        }
    }
    Ok(Model { gates, house })
}

/// Builds the fault tree: gates in dependency order (explicit stack), events
/// numbered by first use. Returns the tree, the top events' nodes, and the
/// number of gates.
fn convert(model: &Model) -> Result<(FaultTree, Vec<NodeIx>), String> {
    let index: HashMap<&str, usize> = model
        .gates
        .iter()
        .enumerate()
        .map(|(i, (n, _))| (n.as_str(), i))
        .collect();
    let mut tree = FaultTree::default();
    let mut events: HashMap<String, NodeIx> = HashMap::new();
    let mut node_of: Vec<Option<NodeIx>> = vec![None; model.gates.len()];
    let mut referenced = vec![false; model.gates.len()];
    let mut state = vec![0u8; model.gates.len()]; // 0 new, 1 open, 2 done
    for start in 0..model.gates.len() {
        let mut stack = vec![start];
        while let Some(&g) = stack.last() {
            if state[g] == 2 {
                stack.pop();
                continue;
            }
            let mut deps = Vec::new();
            gate_refs(&model.gates[g].1, &mut deps);
            let mut pending = false;
            for d in deps {
                let &i = index.get(d).ok_or_else(|| format!("undefined gate {d}"))?;
                referenced[i] = true;
                match state[i] {
                    2 => {}
                    1 => return Err(format!("cycle through gate {d}")),
                    _ => {
                        pending = true;
                        stack.push(i);
                    }
                }
            }
            if pending {
                state[g] = 1;
                continue;
            }
            let n = build(
                &model.gates[g].1,
                model,
                &index,
                &node_of,
                &mut events,
                &mut tree,
            );
            node_of[g] = Some(n);
            state[g] = 2;
            stack.pop();
        }
    }
    let tops = (0..model.gates.len())
        .filter(|&g| !referenced[g])
        .map(|g| node_of[g].expect("built"))
        .collect();
    Ok((tree, tops))
}

fn gate_refs<'a>(f: &'a Formula, out: &mut Vec<&'a str>) {
    match f {
        Formula::Gate(n) => out.push(n),
        Formula::And(a) | Formula::Or(a) | Formula::AtLeast(_, a) => {
            a.iter().for_each(|x| gate_refs(x, out))
        }
        _ => {}
    }
}

fn build(
    f: &Formula,
    model: &Model,
    index: &HashMap<&str, usize>,
    node_of: &[Option<NodeIx>],
    events: &mut HashMap<String, NodeIx>,
    tree: &mut FaultTree,
) -> NodeIx {
    let mut args = |a: &[Formula], tree: &mut FaultTree| -> Vec<NodeIx> {
        a.iter()
            .map(|x| build(x, model, index, node_of, events, tree))
            .collect()
    };
    match f {
        Formula::Gate(n) => node_of[index[n.as_str()]].expect("dependency built first"),
        Formula::Event(n) => {
            if let Some(&e) = events.get(n) {
                return e;
            }
            let raw = tree.event_count;
            tree.event_count += 1;
            let e = tree.push(Node::Event(raw));
            events.insert(n.clone(), e);
            e
        }
        Formula::House(n) => constant(tree, model.house.get(n).copied().unwrap_or(false)),
        Formula::Const(v) => constant(tree, *v),
        Formula::And(a) => {
            let c = args(a, tree);
            tree.push(Node::And(c))
        }
        Formula::Or(a) => {
            let c = args(a, tree);
            tree.push(Node::Or(c))
        }
        Formula::AtLeast(k, a) => {
            let xs = args(a, tree);
            at_least(tree, *k, &xs)
        }
    }
}

fn constant(tree: &mut FaultTree, value: bool) -> NodeIx {
    tree.push(if value {
        Node::And(vec![])
    } else {
        Node::Never
    })
}

/// k-of-n: at_least(j, i) = (x_i ∧ at_least(j-1, i+1)) ∨ at_least(j, i+1),
/// built from the back so every sub-result is one shared node.
fn at_least(tree: &mut FaultTree, k: usize, xs: &[NodeIx]) -> NodeIx {
    let n = xs.len();
    let always = tree.push(Node::And(vec![]));
    let never = tree.push(Node::Never);
    // row[j] = at_least(j, i+1) for the current i.
    let mut row: Vec<NodeIx> = (0..=k)
        .map(|j| if j == 0 { always } else { never })
        .collect();
    for i in (0..n).rev() {
        let mut next = row.clone();
        for j in 1..=k.min(n - i) {
            let take = tree.push(Node::And(vec![xs[i], row[j - 1]]));
            next[j] = tree.push(Node::Or(vec![take, row[j]]));
        }
        row = next;
    }
    row[k]
}

/// xorshift64: deterministic and dependency-free.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn generate(kind: &str, seed: u64, size: usize) -> (FaultTree, NodeIx) {
    let mut t = FaultTree::default();
    match kind {
        "and-of-ors" => {
            t.event_count = 6 * size as u32;
            let ors: Vec<NodeIx> = (0..6)
                .map(|s| {
                    let parts = (0..size)
                        .map(|p| t.push(Node::Event((s * size + p) as u32)))
                        .collect();
                    t.push(Node::Or(parts))
                })
                .collect();
            let top = t.push(Node::And(ors));
            (t, top)
        }
        "dag" => {
            let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
            t.event_count = (size / 2).max(2) as u32;
            for e in 0..t.event_count {
                t.push(Node::Event(e));
            }
            for g in 0..size {
                let n = t.nodes.len();
                let children: Vec<NodeIx> = (0..2 + rng.below(4))
                    .map(|_| {
                        if rng.below(4) != 0 {
                            (n - 1 - rng.below(n.min(40))) as NodeIx
                        } else {
                            rng.below(n) as NodeIx
                        }
                    })
                    .collect();
                t.push(if (g + rng.below(3)).is_multiple_of(3) {
                    Node::And(children)
                } else {
                    Node::Or(children)
                });
            }
            let top = (t.nodes.len() - 1) as NodeIx;
            (t, top)
        }
        other => panic!("unknown kind {other}"),
    }
}

fn main() {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    if argv.first().map(String::as_str) == Some("--generate") {
        let [_, kind, seed, size, out] = argv.as_slice() else {
            panic!("--generate KIND SEED SIZE OUT.xml");
        };
        let (tree, top) = generate(kind, seed.parse().unwrap(), size.parse().unwrap());
        let xml = openpsa::write_open_psa(&tree, &[("top".into(), top)], &|e| format!("e{e}"));
        std::fs::write(out, xml).expect("write the model");
        return;
    }
    let mut args = argv.into_iter();
    let mut engine = "zbdd".to_string();
    let mut order = 4usize;
    let mut limits = Limits::default();
    let mut files = Vec::new();
    while let Some(a) = args.next() {
        let mut value = || args.next().expect("flag value");
        match a.as_str() {
            "--engine" => engine = value(),
            "--order" => order = value().parse().expect("--order K"),
            "--max-sets" => limits.max_sets = value().parse().expect("--max-sets N"),
            "--max-work" => limits.max_work = value().parse().expect("--max-work N"),
            _ => files.push(a),
        }
    }
    let t0 = Instant::now();
    let converted = read_model(&files).and_then(|m| convert(&m));
    let (tree, tops) = match converted {
        Ok(x) => x,
        Err(reason) => {
            println!("{}", serde_json::json!({ "skipped": reason }));
            std::process::exit(3);
        }
    };
    let read = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    let result = match engine.as_str() {
        "zbdd" => zbdd::cut_sets(&tree, &tops, order, &limits),
        "families" => families::cut_sets(&tree, &tops, order, &limits),
        other => panic!("unknown engine {other}"),
    };
    let compute = t1.elapsed().as_secs_f64();
    let mut line = serde_json::json!({
        "engine": engine,
        "order": order,
        "tops": tops.len(),
        "events": tree.event_count,
        "nodes": tree.nodes.len(),
        "read_s": read,
        "compute_s": compute,
    });
    match result {
        Ok(sets) => {
            let mut per_order = vec![0usize; order + 1];
            for s in sets.iter().flatten() {
                per_order[s.len()] += 1;
            }
            line["sets"] = per_order.iter().sum::<usize>().into();
            line["per_order"] = per_order.into();
        }
        Err(e) => line["limit"] = format!("{e:?}").into(),
    }
    println!("{line}");
}
