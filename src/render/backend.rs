//! Turning DOT into SVG or PNG: the system Graphviz `dot` when installed, else
//! (SVG only) the pure-Rust layout of layout-rs.
//!
//! `dot` is run without a shell, DOT on stdin, under a time limit; its stderr
//! is captured and returned (as warnings on success, in the error on failure).
//! The `CHOKEPOINT_DOT` environment variable names another `dot` executable
//! (an empty value or a missing file means "not installed").

use super::escape::id_text;
use super::RenderError;
use graphviz_rust::dot_structures::{Attribute, EdgeTy, Graph, GraphAttributes, Stmt, Vertex};
use indexmap::IndexMap;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;
use wait_timeout::ChildExt;

/// Default time limit for one `dot` run.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The note printed once when the built-in layout stands in for Graphviz.
pub const FALLBACK_NOTE: &str = "note: Graphviz `dot` not found; used the built-in layout. \
Install Graphviz (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz) for better diagrams.";

/// What `dot` produced.
#[derive(Debug, Clone)]
pub struct DotOutput {
    pub bytes: Vec<u8>,
    /// Whatever `dot` wrote to stderr (warnings), trimmed.
    pub stderr: String,
}

/// The program to run for Graphviz.
fn dot_program() -> String {
    std::env::var("CHOKEPOINT_DOT").unwrap_or_else(|_| "dot".to_string())
}

/// Runs `dot -T<format>` on `dot_text`. `Err(RenderError::DotMissing)` when no
/// `dot` can be started.
pub fn run_dot(dot_text: &str, format: &str, timeout: Duration) -> Result<DotOutput, RenderError> {
    let program = dot_program();
    if program.is_empty() {
        return Err(RenderError::DotMissing);
    }
    let mut child = match Command::new(&program)
        .arg(format!("-T{format}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(RenderError::DotMissing),
        Err(e) => return Err(RenderError::Dot(format!("cannot start `{program}`: {e}"))),
    };
    // Feed stdin and drain stdout/stderr on threads so a large graph cannot
    // deadlock on full pipes.
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = dot_text.as_bytes().to_vec();
    let writer = std::thread::spawn(move || {
        // A write error means dot exited early; its status and stderr say why.
        let _ = stdin.write_all(&input);
    });
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.read_to_end(&mut buf);
        buf
    });
    let status = match child.wait_timeout(timeout) {
        Ok(Some(status)) => status,
        Ok(None) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(RenderError::Dot(format!(
                "`{program}` did not finish within {} s (the graph may be too large; try --depth or a narrower view)",
                timeout.as_secs()
            )));
        }
        Err(e) => return Err(RenderError::Dot(format!("waiting for `{program}`: {e}"))),
    };
    let _ = writer.join();
    let bytes = out_reader.join().unwrap_or_default();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap_or_default())
        .trim()
        .to_string();
    if !status.success() {
        let detail = if stderr.is_empty() {
            "no message".to_string()
        } else {
            stderr
        };
        return Err(RenderError::Dot(format!(
            "`{program} -T{format}` failed ({status}): {detail}"
        )));
    }
    Ok(DotOutput { bytes, stderr })
}

/// Lays `dot_text` out with layout-rs and returns the SVG. Understands the
/// subset of DOT this crate writes (node/edge defaults, labels, fill and line
/// colours, dashed lines, rankdir); clusters are flattened.
pub fn builtin_svg(dot_text: &str) -> Result<String, RenderError> {
    use layout::backends::svg::SVGWriter;
    use layout::core::base::Orientation;
    use layout::core::color::Color;
    use layout::core::style::{LineStyleKind, StyleAttr};
    use layout::std_shapes::render::get_shape_size;
    use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, ShapeKind};
    use layout::topo::layout::VisualGraph;

    let graph = graphviz_rust::parse(dot_text)
        .map_err(|e| RenderError::Layout(format!("cannot parse DOT: {e}")))?;
    let flat = Flat::of(&graph);
    if flat.nodes.is_empty() {
        return Ok(EMPTY_SVG.to_string());
    }
    let orientation = match flat.graph.get("rankdir").map(String::as_str) {
        Some("LR") | Some("RL") => Orientation::LeftToRight,
        _ => Orientation::TopToBottom,
    };
    const FONT: usize = 12;
    let color = |s: Option<&String>, default: &str| {
        let s = s.map(String::as_str).unwrap_or(default);
        Color::fast(s.split(':').next().unwrap_or(default))
    };
    let mut vg = VisualGraph::new(orientation);
    let mut handles = HashMap::new();
    for (name, attrs) in &flat.nodes {
        let label = attrs.get("label").cloned().unwrap_or_else(|| name.clone());
        let shape = ShapeKind::Box(label);
        let width: usize = attrs
            .get("penwidth")
            .and_then(|p| p.parse::<f64>().ok())
            .map_or(1, |w| w.round().max(1.0) as usize);
        let filled = attrs
            .get("style")
            .is_some_and(|s| s.split(',').any(|w| w.trim() == "filled"));
        let fill = filled.then(|| color(attrs.get("fillcolor"), "lightgray"));
        let look = StyleAttr::new(
            color(attrs.get("color"), "black"),
            width,
            fill.or(Some(Color::fast("white"))),
            0,
            FONT,
        );
        let size = get_shape_size(orientation.flip(), &shape, FONT, false);
        handles.insert(
            name.clone(),
            vg.add_node(Element::create(shape, look, orientation.flip(), size)),
        );
    }
    for (from, to, attrs) in &flat.edges {
        let (Some(&a), Some(&b)) = (handles.get(from), handles.get(to)) else {
            continue;
        };
        if a == b {
            continue; // layout-rs cannot draw self loops; this crate never writes them
        }
        let dashed = attrs.get("style").is_some_and(|s| s.contains("dashed"));
        let look = StyleAttr::new(color(attrs.get("color"), "black"), 1, None, 0, FONT - 2);
        let label = attrs.get("label").cloned().unwrap_or_default();
        let arrow = Arrow::new(
            LineEndKind::None,
            LineEndKind::Arrow,
            if dashed {
                LineStyleKind::Dashed
            } else {
                LineStyleKind::Normal
            },
            &label,
            &look,
            &None,
            &None,
        );
        vg.add_edge(arrow, a, b);
    }
    let mut svg = SVGWriter::new();
    // layout-rs asserts on inputs it cannot place; keep that from taking the
    // process down.
    let laid_out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        vg.do_it(false, false, false, &mut svg);
        svg.finalize()
    }))
    .map_err(|_| {
        RenderError::Layout("the built-in layout failed on this graph; install Graphviz".into())
    })?;
    let mut text = sorted_style_rules(&laid_out).replace(
        "font-family: Times, serif;",
        &format!("font-family: {};", super::style::FONTNAME),
    );
    if let Some(title) = flat.graph.get("label").filter(|t| !t.is_empty()) {
        // layout-rs has no graph label; keep the title as an SVG <title>.
        if let Some(start) = text.find("<svg") {
            if let Some(end) = text[start..].find('>') {
                text.insert_str(
                    start + end + 1,
                    &format!("\n<title>{}</title>", xml_escape(title)),
                );
            }
        }
    }
    Ok(text)
}

/// `svg` with the rules of its first `<style>` block in sorted order.
/// layout-rs writes one rule per font size from a hash map, in an order that
/// changes from run to run; sorted, the same graph gives the same bytes.
fn sorted_style_rules(svg: &str) -> String {
    const OPEN: &str = "<style>\n";
    let Some(start) = svg.find(OPEN).map(|k| k + OPEN.len()) else {
        return svg.to_string();
    };
    let Some(len) = svg[start..].find("</style>") else {
        return svg.to_string();
    };
    let mut rules: Vec<&str> = svg[start..start + len].lines().collect();
    rules.sort_unstable();
    let mut out = String::with_capacity(svg.len());
    out.push_str(&svg[..start]);
    for rule in rules {
        out.push_str(rule);
        out.push('\n');
    }
    out.push_str(&svg[start + len..]);
    out
}

const EMPTY_SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\" viewBox=\"0 0 10 10\"></svg>\n";

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The graph flattened: attributes resolved with node/edge defaults and scopes.
struct Flat {
    graph: HashMap<String, String>,
    /// In first-mention order (layout-rs is order-sensitive: keep it stable).
    nodes: IndexMap<String, HashMap<String, String>>,
    edges: Vec<(String, String, HashMap<String, String>)>,
}

impl Flat {
    fn of(graph: &Graph) -> Flat {
        let stmts = match graph {
            Graph::Graph { stmts, .. } | Graph::DiGraph { stmts, .. } => stmts,
        };
        let mut flat = Flat {
            graph: HashMap::new(),
            nodes: IndexMap::new(),
            edges: Vec::new(),
        };
        flat.visit(stmts, &HashMap::new(), &HashMap::new(), true);
        flat
    }

    fn node_mut(
        &mut self,
        name: &str,
        defaults: &HashMap<String, String>,
    ) -> &mut HashMap<String, String> {
        self.nodes
            .entry(name.to_string())
            .or_insert_with(|| defaults.clone())
    }

    fn visit(
        &mut self,
        stmts: &[Stmt],
        node_defaults: &HashMap<String, String>,
        edge_defaults: &HashMap<String, String>,
        top: bool,
    ) {
        let mut node_defaults = node_defaults.clone();
        let mut edge_defaults = edge_defaults.clone();
        let pairs = |attrs: &[Attribute]| -> Vec<(String, String)> {
            attrs
                .iter()
                .map(|Attribute(k, v)| (id_text(k), id_text(v)))
                .collect()
        };
        for stmt in stmts {
            match stmt {
                Stmt::GAttribute(GraphAttributes::Node(a)) => node_defaults.extend(pairs(a)),
                Stmt::GAttribute(GraphAttributes::Edge(a)) => edge_defaults.extend(pairs(a)),
                Stmt::GAttribute(GraphAttributes::Graph(a)) if top => self.graph.extend(pairs(a)),
                Stmt::Attribute(Attribute(k, v)) if top => {
                    self.graph.insert(id_text(k), id_text(v));
                }
                Stmt::GAttribute(_) | Stmt::Attribute(_) => {}
                Stmt::Node(n) => {
                    let name = id_text(&n.id.0);
                    let attrs = pairs(&n.attributes);
                    self.node_mut(&name, &node_defaults).extend(attrs);
                }
                Stmt::Subgraph(s) => self.visit(&s.stmts, &node_defaults, &edge_defaults, false),
                Stmt::Edge(e) => {
                    let vertices: Vec<&Vertex> = match &e.ty {
                        EdgeTy::Pair(a, b) => vec![a, b],
                        EdgeTy::Chain(v) => v.iter().collect(),
                    };
                    let names: Vec<String> = vertices
                        .iter()
                        .filter_map(|v| match v {
                            Vertex::N(id) => Some(id_text(&id.0)),
                            Vertex::S(_) => None, // edges to subgraphs are not written by this crate
                        })
                        .collect();
                    for n in &names {
                        self.node_mut(n, &node_defaults);
                    }
                    let mut attrs = edge_defaults.clone();
                    attrs.extend(pairs(&e.attributes));
                    for w in names.windows(2) {
                        self.edges.push((w[0].clone(), w[1].clone(), attrs.clone()));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sorted_style_rules;

    #[test]
    fn style_rules_are_sorted_and_the_rest_is_kept() {
        let svg = "<svg>\n<style>\n.a12 { font-size: 12px; }\n.a10 { font-size: 10px; }\n</style>\n<g/>\n</svg>\n";
        assert_eq!(
            sorted_style_rules(svg),
            "<svg>\n<style>\n.a10 { font-size: 10px; }\n.a12 { font-size: 12px; }\n</style>\n<g/>\n</svg>\n"
        );
        for unchanged in ["<svg/>", "<svg><style>\n.b {}\n.a {}"] {
            assert_eq!(sorted_style_rules(unchanged), unchanged);
        }
    }
}
