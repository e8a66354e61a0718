//! Fuzz target: the DOT writer (`render::to_dot`) on graphs with arbitrary names.
//!
//! The input bytes are decoded into a small acyclic model (1–7 items, 0–3
//! suppliers) whose ids, names, Chinese names and title are arbitrary text.
//! Oracle, with graphviz-rust's own DOT parser (`graphviz_rust::parse`):
//! - every view (BOM with clusters, supply, collapsed supply, choke-point map,
//!   with and without legend) parses;
//! - the BOM view has exactly the intended nodes and edges, computed here from
//!   the model (items reachable from the system, one node per any-of group,
//!   parent→child, parent→group and group→member edges), no node twice;
//! - every item label starts with the item's name as the escaping rules say it
//!   must be drawn, every supplier label with the supplier's name;
//! - the supply view of the hostile model has the very same node ids and edges
//!   as its benign twin (same structure, every text replaced by "n").
#![no_main]

use chokepoint::graph::SupplyGraph;
use chokepoint::model::*;
use chokepoint::render::escape::id_text;
use chokepoint::render::{self, AnnotateOptions, ClusterBy, RenderOptions, View};
use graphviz_rust::dot_structures::{EdgeTy, Graph, Stmt, Vertex};
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;

struct Input<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Input<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }
    fn text(&mut self) -> String {
        let n = (self.byte() % 32) as usize;
        let start = self.pos.min(self.data.len());
        let end = (start + n).min(self.data.len());
        self.pos = start + n;
        String::from_utf8_lossy(&self.data[start..end]).into_owned()
    }
}

const COUNTRIES: [&str; 4] = ["CN", "US", "JP", "DE"];

fn decode(data: &[u8]) -> Model {
    let mut inp = Input { data, pos: 0 };
    let mut model = Model::default();
    model.meta.title = inp.text();
    let n_items = 1 + (inp.byte() % 7) as usize;
    let n_suppliers = (inp.byte() % 4) as usize;
    for k in 0..n_suppliers {
        let id = SupplierId::new(format!("{}#s{k}", inp.text()));
        let name = inp.text();
        let country = CountryCode::new(COUNTRIES[(inp.byte() % 4) as usize]);
        model.suppliers.insert(
            id.clone(),
            Supplier {
                id,
                name,
                name_zh: None,
                country,
                parent: None,
                cite: vec![],
                note: None,
                disruption_probability: None,
                loc: Location::default(),
            },
        );
    }
    let ids: Vec<ItemId> = (0..n_items)
        .map(|k| ItemId::new(format!("{}#i{k}", inp.text())))
        .collect();
    for k in 0..n_items {
        let kind = match (k, inp.byte() % 2) {
            (0, _) => ItemKind::System,
            (_, 0) => ItemKind::Subsystem,
            _ => ItemKind::Part,
        };
        let name = inp.text();
        let name_zh = (inp.byte() % 2 == 1).then(|| inp.text());
        let mut requires = Vec::new();
        let mut used = vec![false; n_items];
        for j in k + 1..n_items {
            let b = inp.byte();
            let target = match b % 3 {
                0 if !used[j] => RequirementTarget::Item(ids[j].clone()),
                1 if j + 1 < n_items && !used[j] && !used[j + 1] => {
                    used[j + 1] = true;
                    RequirementTarget::AnyOf(vec![ids[j].clone(), ids[j + 1].clone()])
                }
                _ => continue,
            };
            used[j] = true;
            requires.push(Requirement {
                target,
                qty: 1.0 + f64::from(b / 3 % 3),
                cost_share: (b & 0x80 != 0).then(|| Box::new(Estimate::exact(0.1))),
                role: Role::Production,
                cite: vec![],
                note: None,
                member_qualify: None,
                loc: Location::default(),
            });
        }
        let mut supply = Vec::new();
        let bits = inp.byte();
        let chosen: Vec<usize> = (0..n_suppliers).filter(|s| bits & (1 << s) != 0).collect();
        for &s in &chosen {
            let site = inp.byte();
            supply.push(SupplyEdge {
                supplier: Some(model.suppliers.get_index(s).unwrap().0.clone()),
                share: Estimate::exact(1.0 / chosen.len() as f64),
                country: (site & 4 != 0).then(|| CountryCode::new(COUNTRIES[(site % 4) as usize])),
                requires: None,
                cite: vec![],
                note: None,
                loc: Location::default(),
            });
        }
        model.items.insert(
            ids[k].clone(),
            Item {
                id: ids[k].clone(),
                kind,
                name,
                name_zh,
                market_value: None,
                requires,
                supply,
                standby: Vec::new(),
                import_share: None,
                stock_days: Some(Box::new(Estimate::exact(10.0))),
                recovery_days: Some(Box::new(Estimate::exact(90.0))),
                export_controls: vec![],
                cite: vec![],
                note: None,
                loc: Location::default(),
            },
        );
    }
    model
}

/// The same structure with every text replaced by "n".
fn benign_twin(model: &Model) -> Model {
    let mut twin = model.clone();
    twin.meta.title = "n".into();
    for s in twin.suppliers.values_mut() {
        s.name = "n".into();
    }
    for i in twin.items.values_mut() {
        i.name = "n".into();
        i.name_zh = i.name_zh.as_ref().map(|_| "n".into());
    }
    twin
}

/// How a name must come out of a label: line breaks (CR LF, CR, LF) are one
/// line break, any other control character a space (render::escape's rules).
fn drawn(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\n' => out.push('\n'),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

type Parsed = (BTreeMap<String, String>, Vec<(String, String)>);

/// Nodes (id → label) and edges of DOT text, through graphviz-rust's parser.
fn parsed(dot: &str) -> Parsed {
    fn walk(
        stmts: &[Stmt],
        nodes: &mut BTreeMap<String, String>,
        edges: &mut Vec<(String, String)>,
    ) {
        for s in stmts {
            match s {
                Stmt::Node(n) => {
                    let label = n
                        .attributes
                        .iter()
                        .find(|a| id_text(&a.0) == "label")
                        .map(|a| id_text(&a.1))
                        .unwrap_or_default();
                    let id = id_text(&n.id.0);
                    assert!(nodes.insert(id.clone(), label).is_none(), "node {id} twice");
                }
                Stmt::Edge(e) => match &e.ty {
                    EdgeTy::Pair(Vertex::N(a), Vertex::N(b)) => {
                        edges.push((id_text(&a.0), id_text(&b.0)))
                    }
                    other => panic!("unexpected edge form {other:?}"),
                },
                Stmt::Subgraph(sg) => walk(&sg.stmts, nodes, edges),
                _ => {}
            }
        }
    }
    let graph = graphviz_rust::parse(dot)
        .unwrap_or_else(|e| panic!("graphviz-rust cannot parse our DOT: {e}\n{dot}"));
    let Graph::DiGraph { stmts, .. } = graph else {
        panic!("not a digraph:\n{dot}")
    };
    let (mut nodes, mut edges) = (BTreeMap::new(), Vec::new());
    walk(&stmts, &mut nodes, &mut edges);
    edges.sort();
    (nodes, edges)
}

/// The BOM view's nodes and edges as the model says they must be.
fn intended_bom(model: &Model) -> (Vec<String>, Vec<(String, String)>) {
    let ix = |id: &ItemId| model.items.get_index_of(id.as_str()).unwrap();
    let mut seen = vec![false; model.items.len()];
    seen[0] = true;
    let mut queue = std::collections::VecDeque::from([0usize]);
    let (mut nodes, mut edges) = (vec!["i_0".to_string()], Vec::new());
    while let Some(p) = queue.pop_front() {
        for (r, req) in model.items[p].requires.iter().enumerate() {
            let from = match &req.target {
                RequirementTarget::Item(_) => format!("i_{p}"),
                RequirementTarget::AnyOf(_) => {
                    let g = format!("g_{p}_{r}");
                    nodes.push(g.clone());
                    edges.push((format!("i_{p}"), g.clone()));
                    g
                }
            };
            for m in req.target.members() {
                let m = ix(m);
                edges.push((from.clone(), format!("i_{m}")));
                if !seen[m] {
                    seen[m] = true;
                    nodes.push(format!("i_{m}"));
                    queue.push_back(m);
                }
            }
        }
    }
    nodes.sort();
    edges.sort();
    (nodes, edges)
}

fn dot(g: &SupplyGraph, opts: &RenderOptions) -> String {
    let marks = render::annotate(
        g,
        &AnnotateOptions {
            root: opts.system,
            ..AnnotateOptions::default()
        },
    )
    .expect("annotate without a scenario cannot fail");
    render::to_dot(g, opts, &marks).expect("every view of a system renders")
}

fuzz_target!(|data: &[u8]| {
    let model = decode(data);
    let g = SupplyGraph::new(&model);
    let system = g.item_ix(model.items[0].id.as_str());
    let bom = RenderOptions {
        view: View::Bom,
        system,
        legend: false,
        ..RenderOptions::default()
    };
    let (nodes, edges) = parsed(&dot(&g, &bom));
    let (want_nodes, want_edges) = intended_bom(&model);
    assert_eq!(nodes.keys().cloned().collect::<Vec<_>>(), want_nodes);
    assert_eq!(edges, want_edges);
    for (k, item) in model.items.values().enumerate() {
        if let Some(label) = nodes.get(&format!("i_{k}")) {
            assert!(
                label.starts_with(&drawn(&item.name)),
                "label {label:?} of item {k} does not start with {:?}",
                drawn(&item.name)
            );
        }
    }
    // Every other view and option parses; the supply view matches its twin.
    let twin = benign_twin(&model);
    let twin_g = SupplyGraph::new(&twin);
    for (view, collapse, cluster, legend) in [
        (View::Bom, false, ClusterBy::None, true),
        (View::Supply, false, ClusterBy::None, false),
        (View::Supply, false, ClusterBy::Country, true),
        (View::Supply, true, ClusterBy::None, false),
        (View::Chokepoints, false, ClusterBy::None, true),
    ] {
        let opts = RenderOptions {
            view,
            system: if view == View::Bom { system } else { None },
            collapse_suppliers: collapse,
            cluster,
            legend,
            lang: if legend { Lang::Zh } else { Lang::En },
            ..RenderOptions::default()
        };
        let (nodes, edges) = parsed(&dot(&g, &opts));
        if view == View::Supply {
            let (twin_nodes, twin_edges) = parsed(&dot(&twin_g, &opts));
            assert_eq!(
                nodes.keys().collect::<Vec<_>>(),
                twin_nodes.keys().collect::<Vec<_>>()
            );
            assert_eq!(edges, twin_edges);
            for (k, s) in model.suppliers.values().enumerate() {
                if let Some(label) = nodes.get(&format!("s_{k}")) {
                    assert!(
                        label.starts_with(&drawn(&s.name)),
                        "label {label:?} of supplier {k}"
                    );
                }
            }
        }
    }
});
