//! `render` (spec §5): golden DOT of every view, determinism, hostile names
//! (graphviz-rust's parser and the real `dot -Tjson`), the shipped graphs
//! through the real `dot`, the built-in fallback and `dot` failures.

use crate::support::{bin, fixture, load, shipped, tool_available};
use chokepoint::graph::SupplyGraph;
use chokepoint::model::{Case, Lang};
use chokepoint::render::{self, escape, AnnotateOptions, ClusterBy, EventBy, RenderOptions, View};
use graphviz_rust::dot_structures::{EdgeTy, Graph, Stmt, Vertex};
use proptest::prelude::*;
use std::collections::BTreeMap;

/// DOT of `view` on a loaded graph, with marks computed for the same root.
fn dot_of(
    dir: &std::path::Path,
    opts: RenderOptions,
    by: EventBy,
    scenario: Option<&str>,
) -> String {
    let loaded = load(dir);
    let g = SupplyGraph::new(&loaded.model);
    let marks = render::annotate(
        &g,
        &AnnotateOptions {
            case: Case::Mid,
            by,
            order: opts.order,
            root: opts.system,
            scenario: scenario.map(str::to_string),
        },
    )
    .expect("annotate");
    render::to_dot(&g, &opts, &marks).expect("to_dot")
}

fn small() -> std::path::PathBuf {
    fixture("render/small")
}

/// Options for the small fixture; `system` by id.
fn opts(dir: &std::path::Path, view: View, system: Option<&str>) -> RenderOptions {
    let loaded = load(dir);
    let g = SupplyGraph::new(&loaded.model);
    RenderOptions {
        view,
        system: system.map(|s| g.item_ix(s).expect("system")),
        ..RenderOptions::default()
    }
}

#[test]
fn golden_bom_view() {
    let dot = dot_of(
        &small(),
        opts(&small(), View::Bom, Some("ct")),
        EventBy::Supplier,
        None,
    );
    insta::assert_snapshot!("render_bom_ct", dot);
}

#[test]
fn golden_bom_view_depth_1_chinese() {
    let o = RenderOptions {
        depth: Some(1),
        lang: Lang::Zh,
        ..opts(&small(), View::Bom, Some("ct"))
    };
    insta::assert_snapshot!(
        "render_bom_ct_depth1_zh",
        dot_of(&small(), o, EventBy::Supplier, None)
    );
}

#[test]
fn golden_supply_view() {
    let dot = dot_of(
        &small(),
        opts(&small(), View::Supply, None),
        EventBy::Supplier,
        None,
    );
    insta::assert_snapshot!("render_supply", dot);
}

#[test]
fn golden_supply_view_clustered_by_country() {
    let o = RenderOptions {
        cluster: ClusterBy::Country,
        ..opts(&small(), View::Supply, None)
    };
    insta::assert_snapshot!(
        "render_supply_cluster_country",
        dot_of(&small(), o, EventBy::Country, None)
    );
}

#[test]
fn golden_supply_view_collapsed() {
    let o = RenderOptions {
        collapse_suppliers: true,
        ..opts(&small(), View::Supply, Some("ct"))
    };
    insta::assert_snapshot!(
        "render_supply_collapsed_ct",
        dot_of(&small(), o, EventBy::Country, None)
    );
}

#[test]
fn golden_chokepoint_map() {
    for by in [EventBy::Supplier, EventBy::Country] {
        let o = RenderOptions {
            by,
            ..opts(&small(), View::Chokepoints, None)
        };
        let name = format!("render_chokepoints_by_{by:?}").to_lowercase();
        insta::assert_snapshot!(name, dot_of(&small(), o, by, None));
    }
}

#[test]
fn golden_scenario_overlays() {
    let o = opts(&small(), View::Bom, Some("ct"));
    insta::assert_snapshot!(
        "render_bom_ct_us_stop",
        dot_of(&small(), o, EventBy::Country, Some("us-stop"))
    );
    let o = RenderOptions {
        by: EventBy::Country,
        ..opts(&small(), View::Chokepoints, None)
    };
    insta::assert_snapshot!(
        "render_chokepoints_us_stop",
        dot_of(&small(), o, EventBy::Country, Some("us-stop"))
    );
    let o = RenderOptions {
        lang: Lang::Zh,
        ..opts(&small(), View::Supply, Some("ct"))
    };
    insta::assert_snapshot!(
        "render_supply_ct_us_stop_zh",
        dot_of(&small(), o, EventBy::Country, Some("us-stop"))
    );
}

#[test]
fn scenario_marks_match_hand_computation() {
    // us-stop fails US for 365 days. CT needs the GPU (NVIDIA, US, share 1):
    // a_gpu = 0, stock 30 days of full demand covers days 0..29 (f = 1 per day),
    // so E_gpu(30) = 0 and CT's TTS = 30. The tube (IN 0.7 via Varex, CN 0.3)
    // keeps IN and CN sources: not failed. DR needs only the tube: survives.
    let dot = dot_of(
        &small(),
        opts(&small(), View::Chokepoints, None),
        EventBy::Country,
        Some("us-stop"),
    );
    assert!(
        dot.contains(r#""i_0"[label="CT scanner\nTTS 30 d""#),
        "{dot}"
    );
    assert!(
        dot.contains(r#""i_1"[label="DR system\nsurvives""#),
        "{dot}"
    );
    assert!(
        dot.contains(r#""i_7"[label="GPU\nrisk 7.5\nshort from day 30""#),
        "{dot}"
    );
    assert!(dot.contains(r#""c_US"[label="United States (US)\nFAILED" shape="ellipse" style="filled,dashed,diagonals""#), "{dot}");
}

#[test]
fn same_graph_gives_byte_identical_dot() {
    for view in [View::Bom, View::Supply, View::Chokepoints] {
        let a = dot_of(
            &small(),
            opts(&small(), view, Some("ct")),
            EventBy::Country,
            Some("us-stop"),
        );
        let b = dot_of(
            &small(),
            opts(&small(), view, Some("ct")),
            EventBy::Country,
            Some("us-stop"),
        );
        assert_eq!(a, b, "{view:?}");
    }
    // And through the binary.
    let run = || {
        bin()
            .args([
                "render",
                "tests/fixtures/render/small",
                "--view",
                "supply",
                "-q",
            ])
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(run(), run());
}

#[test]
fn cli_output_equals_library_output() {
    let out = bin()
        .args([
            "render",
            "tests/fixtures/render/small",
            "--system",
            "ct",
            "-q",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let lib = dot_of(
        &small(),
        opts(&small(), View::Bom, Some("ct")),
        EventBy::Supplier,
        None,
    );
    assert_eq!(String::from_utf8(out).unwrap(), lib);
}

// ---------------------------------------------------------------- hostile names

/// Nodes (id → label text) and edges (from, to) of parsed DOT, clusters walked.
fn parsed(dot: &str) -> (BTreeMap<String, String>, Vec<(String, String)>) {
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
                        .find(|a| escape::id_text(&a.0) == "label")
                        .map(|a| escape::id_text(&a.1))
                        .unwrap_or_default();
                    assert!(
                        nodes.insert(escape::id_text(&n.id.0), label).is_none(),
                        "node declared twice"
                    );
                }
                Stmt::Edge(e) => match &e.ty {
                    EdgeTy::Pair(Vertex::N(a), Vertex::N(b)) => {
                        edges.push((escape::id_text(&a.0), escape::id_text(&b.0)))
                    }
                    other => panic!("unexpected edge form {other:?}"),
                },
                Stmt::Subgraph(sg) => walk(&sg.stmts, nodes, edges),
                _ => {}
            }
        }
    }
    let graph = graphviz_rust::parse(dot)
        .unwrap_or_else(|e| panic!("graphviz-rust cannot parse:\n{e}\n{dot}"));
    let Graph::DiGraph { stmts, .. } = graph else {
        panic!("not a digraph")
    };
    let (mut nodes, mut edges) = (BTreeMap::new(), Vec::new());
    walk(&stmts, &mut nodes, &mut edges);
    (nodes, edges)
}

/// The hostile tail every name in tests/fixtures/render/hostile carries, as it
/// must be drawn (CR LF becomes one line break).
const HOSTILE_TAIL: &str =
    " \"q\" \\b\\ \\N\\l nl\nx ]; <b>bold</b> {x} -> digraph G { a -> b } &amp; //c /*d*/ \n#e\nend";

/// (view options, hand-counted nodes, hand-counted edges) on the small graph's
/// structure, legend off. BOM of ct: ct, tube, detector, any-of group, gos,
/// garnet, recon, gpu = 8 nodes; ct→tube, ct→detector, ct→recon, detector→group,
/// group→gos, group→garnet, recon→gpu = 7 edges. Supply: items tube, gos,
/// garnet, gpu + suppliers varex, kunshan, proterial, nvidia + countries IN, CN,
/// JP, US = 12; 5 item→supplier + 5 supplier→site edges = 10. Collapsed: 4
/// items and 4 countries, 5 edges. Choke points by country (order 2): cut sets
/// {US} via ct→recon→gpu and {CN, IN} via ct→tube and dr→tube ({JP, US} via the
/// any-of is subsumed by {US}): ct, dr, tube, recon, gpu, US, CN, IN, one
/// "all of" node = 9; ct→tube, ct→recon, recon→gpu, dr→tube, tube→all-of,
/// all-of→CN, all-of→IN, gpu→US = 8.
fn hostile_cases(
    dir: &std::path::Path,
) -> Vec<(&'static str, RenderOptions, EventBy, usize, usize)> {
    let no_legend = |o: RenderOptions| RenderOptions { legend: false, ..o };
    vec![
        (
            "bom",
            no_legend(opts(dir, View::Bom, Some("ct"))),
            EventBy::Supplier,
            8,
            7,
        ),
        (
            "supply",
            no_legend(opts(dir, View::Supply, None)),
            EventBy::Supplier,
            12,
            10,
        ),
        (
            "supply-country-clusters",
            RenderOptions {
                cluster: ClusterBy::Country,
                ..no_legend(opts(dir, View::Supply, None))
            },
            EventBy::Supplier,
            12,
            10,
        ),
        (
            "collapsed",
            RenderOptions {
                collapse_suppliers: true,
                ..no_legend(opts(dir, View::Supply, None))
            },
            EventBy::Supplier,
            8,
            5,
        ),
        (
            "chokepoints",
            RenderOptions {
                by: EventBy::Country,
                ..no_legend(opts(dir, View::Chokepoints, None))
            },
            EventBy::Country,
            9,
            8,
        ),
    ]
}

fn check_hostile_labels(nodes: &BTreeMap<String, String>, what: &str) {
    for (id, label) in nodes {
        if id.starts_with("i_") || id.starts_with("s_") {
            assert!(
                label.contains(HOSTILE_TAIL),
                "{what}: label of {id} lost text: {label:?}"
            );
        }
    }
}

#[test]
fn hostile_names_yield_exactly_the_intended_graph_graphviz_rust_parser() {
    let dir = fixture("render/hostile");
    for scenario in [None, Some("us-stop")] {
        for (what, o, by, n_nodes, n_edges) in hostile_cases(&dir) {
            let dot = dot_of(&dir, o.clone(), by, scenario);
            let (nodes, edges) = parsed(&dot);
            assert_eq!(
                nodes.len(),
                n_nodes,
                "{what}: nodes {:?}",
                nodes.keys().collect::<Vec<_>>()
            );
            assert_eq!(edges.len(), n_edges, "{what}: edges {edges:?}");
            check_hostile_labels(&nodes, what);
            // The benign twin has the very same ids and edges.
            let (twin_nodes, twin_edges) = parsed(&dot_of(&small(), o, by, scenario));
            assert_eq!(
                nodes.keys().collect::<Vec<_>>(),
                twin_nodes.keys().collect::<Vec<_>>(),
                "{what}"
            );
            assert_eq!(edges, twin_edges, "{what}");
        }
    }
    // The BOM label of the tube is exactly name + risk line.
    let dot = dot_of(
        &dir,
        opts(&dir, View::Bom, Some("ct")),
        EventBy::Supplier,
        None,
    );
    let (nodes, _) = parsed(&dot);
    assert!(
        nodes["i_3"].starts_with(&format!("X-ray tube{HOSTILE_TAIL}\nrisk ")),
        "{:?}",
        nodes["i_3"]
    );
}

/// Nodes (name → label) and edge count from `dot -Tjson`, clusters excluded.
fn graphviz_json(dot: &str) -> (BTreeMap<String, String>, usize) {
    let out = render::run_dot(dot, "json", render::DEFAULT_TIMEOUT).expect("dot -Tjson");
    assert_eq!(out.stderr, "", "dot warned");
    let v: serde_json::Value = serde_json::from_slice(&out.bytes).expect("dot json");
    let mut nodes = BTreeMap::new();
    for o in v["objects"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        let name = o["name"].as_str().unwrap_or_default().to_string();
        if name.starts_with("cluster") {
            continue;
        }
        // Graphviz keeps label escapes (\n, \\) and entities raw in -Tjson.
        let raw = o["label"].as_str().unwrap_or_default();
        nodes.insert(name, escape::unquote(&format!("\"{raw}\"")));
    }
    let edges = v["edges"].as_array().map_or(0, Vec::len);
    (nodes, edges)
}

#[test]
fn hostile_names_yield_exactly_the_intended_graph_real_dot() {
    if !tool_available("dot") {
        return;
    }
    let dir = fixture("render/hostile");
    for scenario in [None, Some("us-stop")] {
        for (what, o, by, n_nodes, n_edges) in hostile_cases(&dir) {
            let dot = dot_of(&dir, o, by, scenario);
            let (nodes, edges) = graphviz_json(&dot);
            assert_eq!(
                nodes.len(),
                n_nodes,
                "{what}: {:?}",
                nodes.keys().collect::<Vec<_>>()
            );
            assert_eq!(edges, n_edges, "{what}");
            check_hostile_labels(&nodes, what);
            assert_eq!(
                nodes,
                parsed(&dot).0,
                "{what}: Graphviz and graphviz-rust read the same labels"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    /// Any text as a label parses back to one node with exactly that text
    /// (line breaks normalised to \n, other control characters to spaces).
    #[test]
    fn any_label_round_trips_through_graphviz_rust(text in "\\PC*|[\"\\\\\\n\\r;\\]\\[{}<>&#/*-]{0,12}") {
        let dot = format!("digraph {{ {}[label={}] }}", escape::quote("n"), escape::quote(&text));
        let (nodes, edges) = parsed(&dot);
        prop_assert_eq!(nodes.len(), 1);
        prop_assert_eq!(edges.len(), 0);
        let expected: String = text
            .replace("\r\n", "\n")
            .replace('\r', "\n")
            .chars()
            .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
            .collect();
        prop_assert_eq!(&nodes["n"], &expected);
    }
}

// ---------------------------------------------------------------- shipped graphs

#[test]
fn every_view_of_the_shipped_graphs_renders_cleanly_with_dot() {
    if !tool_available("dot") {
        return;
    }
    let loaded = load(&shipped());
    let g = SupplyGraph::new(&loaded.model);
    let mut cases: Vec<(RenderOptions, Option<String>)> = Vec::new();
    for &s in g.systems() {
        for lang in [Lang::En, Lang::Zh] {
            cases.push((
                RenderOptions {
                    view: View::Bom,
                    system: Some(s),
                    lang,
                    ..RenderOptions::default()
                },
                None,
            ));
        }
        cases.push((
            RenderOptions {
                view: View::Supply,
                system: Some(s),
                ..RenderOptions::default()
            },
            None,
        ));
    }
    for collapse in [false, true] {
        for cluster in [ClusterBy::Auto, ClusterBy::Country] {
            let o = RenderOptions {
                view: View::Supply,
                collapse_suppliers: collapse,
                cluster,
                ..RenderOptions::default()
            };
            cases.push((o, None));
        }
    }
    for by in [EventBy::Supplier, EventBy::Country] {
        for order in [1, 2, 3] {
            cases.push((
                RenderOptions {
                    view: View::Chokepoints,
                    by,
                    order,
                    ..RenderOptions::default()
                },
                None,
            ));
        }
    }
    for sc in loaded.model.scenarios.keys() {
        let o = RenderOptions {
            view: View::Chokepoints,
            by: EventBy::Country,
            lang: Lang::Zh,
            ..RenderOptions::default()
        };
        cases.push((o, Some(sc.to_string())));
        let ct = g.systems()[0];
        cases.push((
            RenderOptions {
                view: View::Bom,
                system: Some(ct),
                ..RenderOptions::default()
            },
            Some(sc.to_string()),
        ));
    }
    for (o, scenario) in cases {
        let marks = render::annotate(
            &g,
            &AnnotateOptions {
                case: Case::Mid,
                by: o.by,
                order: o.order,
                root: o.system,
                scenario: scenario.clone(),
            },
        )
        .unwrap();
        let dot = render::to_dot(&g, &o, &marks).unwrap();
        let out = render::run_dot(&dot, "svg", render::DEFAULT_TIMEOUT)
            .unwrap_or_else(|e| panic!("{:?} {scenario:?}: {e}", o.view));
        assert_eq!(
            out.stderr, "",
            "{:?} {scenario:?}: dot wrote to stderr",
            o.view
        );
        assert!(String::from_utf8_lossy(&out.bytes).contains("</svg>"));
    }
}

#[test]
fn cli_png_of_a_shipped_system_is_clean() {
    if !tool_available("dot") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("ct.png");
    bin()
        .args([
            "render", "graphs", "-q", "--system", "ct-64", "--lang", "zh", "--out",
        ])
        .arg(&png)
        .assert()
        .success()
        .stdout("")
        .stderr("");
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
}

// ---------------------------------------------------------------- backends

#[test]
fn without_dot_svg_uses_the_builtin_layout_with_one_note() {
    let out = bin()
        .env("CHOKEPOINT_DOT", "")
        .args([
            "render",
            "tests/fixtures/render/small",
            "-q",
            "--system",
            "ct",
            "--format",
            "svg",
        ])
        .assert()
        .success()
        .get_output()
        .clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr, format!("{}\n", render::FALLBACK_NOTE));
    assert!(stderr.contains("apt-get install graphviz"));
    let svg = String::from_utf8(out.stdout).unwrap();
    assert!(svg.contains("<svg") && svg.contains("</svg>"), "{svg}");
    assert!(
        svg.contains("X-ray tube") && svg.contains("GPU"),
        "labels drawn"
    );
}

#[test]
fn builtin_layout_escapes_hostile_labels_into_valid_svg() {
    let dir = fixture("render/hostile");
    let dot = dot_of(
        &dir,
        opts(&dir, View::Supply, None),
        EventBy::Supplier,
        None,
    );
    let svg = render::builtin_svg(&dot).expect("layout");
    assert!(!svg.contains("<b>"), "HTML in names is escaped in SVG");
    assert!(svg.contains("&lt;b&gt;bold&lt;/b&gt;"));
    assert!(
        svg.contains("&amp;amp;"),
        "the literal text `&amp;` survives as text"
    );
}

#[test]
fn without_dot_png_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("x.png");
    bin()
        .env("CHOKEPOINT_DOT", "")
        .args([
            "render",
            "tests/fixtures/render/small",
            "-q",
            "--system",
            "ct",
            "--out",
        ])
        .arg(&png)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("PNG needs it"))
        .stderr(predicates::str::contains("apt-get install graphviz"));
    assert!(!png.exists(), "nothing written");
}

#[cfg(unix)]
fn script(dir: &std::path::Path, name: &str, body: &str) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let p = dir.join(name);
    std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p
}

#[cfg(unix)]
#[test]
fn a_failing_dot_is_reported_with_its_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let fake = script(
        dir.path(),
        "dot",
        "cat >/dev/null; echo 'Error: syntax error in line 1' >&2; exit 1",
    );
    bin()
        .env("CHOKEPOINT_DOT", &fake)
        .args([
            "render",
            "tests/fixtures/render/small",
            "-q",
            "--system",
            "ct",
            "--format",
            "svg",
        ])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains("Graphviz failed"))
        .stderr(predicates::str::contains("Error: syntax error in line 1"));
}

#[cfg(unix)]
#[test]
fn a_hanging_dot_is_stopped_at_the_time_limit() {
    let dir = tempfile::tempdir().unwrap();
    let fake = script(dir.path(), "dot", "exec sleep 30");
    let started = std::time::Instant::now();
    bin()
        .env("CHOKEPOINT_DOT", &fake)
        .args([
            "render",
            "tests/fixtures/render/small",
            "-q",
            "--system",
            "ct",
            "--format",
            "svg",
            "--timeout",
            "1",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("did not finish within 1 s"));
    // Not a timing assertion on performance: only that the limit was honoured
    // rather than waiting for the 30 s child.
    assert!(started.elapsed() < std::time::Duration::from_secs(25));
}

#[test]
fn format_follows_the_out_extension() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("a.svg");
    bin()
        .env("CHOKEPOINT_DOT", "")
        .args([
            "render",
            "tests/fixtures/render/small",
            "-q",
            "--system",
            "ct",
            "--out",
        ])
        .arg(&svg)
        .assert()
        .success();
    assert!(std::fs::read_to_string(&svg).unwrap().contains("<svg"));
    let dot = dir.path().join("a.dot");
    bin()
        .args([
            "render",
            "tests/fixtures/render/small",
            "-q",
            "--system",
            "ct",
            "--out",
        ])
        .arg(&dot)
        .assert()
        .success();
    assert!(std::fs::read_to_string(&dot)
        .unwrap()
        .starts_with("digraph \"chokepoint\" {"));
}

#[test]
fn usage_errors_exit_2() {
    let small = "tests/fixtures/render/small";
    // Two systems: the BOM view needs --system.
    bin()
        .args(["render", small, "-q"])
        .assert()
        .code(2)
        .stderr("error[U001]: the BOM view needs --system ID\n  help: systems: ct, dr\n");
    bin()
        .args(["render", small, "-q", "--system", "nope"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--system nope"));
    bin()
        .args([
            "render",
            small,
            "-q",
            "--system",
            "ct",
            "--scenario",
            "nope",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "unknown scenario `nope` (known: us-stop)",
        ));
    bin()
        .args([
            "render",
            small,
            "-q",
            "--view",
            "chokepoints",
            "--order",
            "0",
        ])
        .assert()
        .code(2);
}

#[test]
fn builtin_layout_handles_every_view_of_the_shipped_graphs() {
    let loaded = load(&shipped());
    let g = SupplyGraph::new(&loaded.model);
    let mut cases: Vec<RenderOptions> = g
        .systems()
        .iter()
        .map(|&s| RenderOptions {
            view: View::Bom,
            system: Some(s),
            lang: Lang::Zh,
            ..RenderOptions::default()
        })
        .collect();
    cases.push(RenderOptions {
        view: View::Supply,
        ..RenderOptions::default()
    });
    cases.push(RenderOptions {
        view: View::Supply,
        collapse_suppliers: true,
        ..RenderOptions::default()
    });
    cases.push(RenderOptions {
        view: View::Chokepoints,
        by: EventBy::Country,
        ..RenderOptions::default()
    });
    for o in cases {
        let marks = render::annotate(
            &g,
            &AnnotateOptions {
                root: o.system,
                by: o.by,
                ..AnnotateOptions::default()
            },
        )
        .unwrap();
        let dot = render::to_dot(&g, &o, &marks).unwrap();
        let svg = render::builtin_svg(&dot)
            .unwrap_or_else(|e| panic!("{:?} {:?}: {e}", o.view, o.system));
        // The same bytes every time (layout-rs keeps its styles in a hash map).
        assert!(
            render::builtin_svg(&dot).unwrap() == svg,
            "{:?} {:?}: the layout differs between runs",
            o.view,
            o.system
        );
        assert!(
            svg.contains("<svg") && svg.trim_end().ends_with("</svg>"),
            "{:?}",
            o.view
        );
        // Every item node's first label line is drawn.
        let first = g.item(g.systems()[0]).display_name(o.lang).to_string();
        if o.view == View::Chokepoints {
            assert!(svg.contains(&first), "system name drawn");
        }
    }
}
