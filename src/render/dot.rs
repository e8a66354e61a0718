//! The diagram model every view produces, and its one translation into a
//! graphviz-rust AST and DOT text.
//!
//! Every id and every attribute value goes through [`escape::quoted`];
//! attribute *names* are `&'static str` constants of this crate, never input.
//! Statements are emitted in the order the view built them, so the same graph
//! and options always print byte-identical DOT.

use super::escape::quoted;
use super::style;
use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

pub(crate) type Attrs = Vec<(&'static str, String)>;

/// A node: a synthetic id (never user text), its label and style.
#[derive(Clone, Debug)]
pub(crate) struct DNode {
    pub id: String,
    pub label: String,
    pub attrs: Attrs,
    /// Index into [`Diagram::clusters`].
    pub cluster: Option<usize>,
}

#[derive(Clone, Debug)]
pub(crate) struct DEdge {
    pub from: String,
    pub to: String,
    pub label: Option<String>,
    pub attrs: Attrs,
}

#[derive(Clone, Debug)]
pub(crate) struct DCluster {
    /// Must start with `cluster` for Graphviz to draw a box.
    pub id: String,
    pub label: String,
}

/// A whole diagram before it becomes DOT.
#[derive(Clone, Debug, Default)]
pub(crate) struct Diagram {
    pub title: String,
    pub rankdir: &'static str,
    pub nodes: Vec<DNode>,
    pub edges: Vec<DEdge>,
    pub clusters: Vec<DCluster>,
    /// Drawn in a cluster of its own, after everything else.
    pub legend: Vec<DNode>,
    pub legend_title: String,
}

impl Diagram {
    pub fn add_node(&mut self, id: String, label: String, attrs: Attrs, cluster: Option<usize>) {
        self.nodes.push(DNode {
            id,
            label,
            attrs,
            cluster,
        });
    }
    pub fn add_edge(&mut self, from: &str, to: &str, label: Option<String>, attrs: Attrs) {
        self.edges.push(DEdge {
            from: from.to_string(),
            to: to.to_string(),
            label,
            attrs,
        });
    }
    pub fn add_cluster(&mut self, id: String, label: String) -> usize {
        self.clusters.push(DCluster { id, label });
        self.clusters.len() - 1
    }

    /// The graphviz-rust AST of this diagram.
    pub fn to_ast(&self) -> Graph {
        let mut stmts: Vec<Stmt> = Vec::new();
        let graph_attrs = vec![
            attr("charset", "UTF-8"),
            attr("rankdir", self.rankdir),
            attr("fontname", style::FONTNAME),
            attr("fontsize", "16"),
            attr("label", &self.title),
            attr("labelloc", "t"),
            attr("nodesep", "0.25"),
            attr("ranksep", "0.5"),
        ];
        stmts.push(Stmt::GAttribute(GraphAttributes::Graph(graph_attrs)));
        stmts.push(Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("fontname", style::FONTNAME),
            attr("fontsize", "11"),
            attr("shape", "box"),
            attr("style", "rounded,filled"),
            attr("fillcolor", style::NO_SCORE_FILL),
        ])));
        stmts.push(Stmt::GAttribute(GraphAttributes::Edge(vec![
            attr("fontname", style::FONTNAME),
            attr("fontsize", "9"),
            attr("color", "#555555"),
        ])));
        for (ci, c) in self.clusters.iter().enumerate() {
            let mut body = vec![
                Stmt::Attribute(attr("label", &c.label)),
                Stmt::Attribute(attr("style", "rounded")),
                Stmt::Attribute(attr("color", "#999999")),
            ];
            body.extend(
                self.nodes
                    .iter()
                    .filter(|n| n.cluster == Some(ci))
                    .map(node_stmt),
            );
            stmts.push(Stmt::Subgraph(Subgraph {
                id: quoted(&c.id),
                stmts: body,
            }));
        }
        stmts.extend(
            self.nodes
                .iter()
                .filter(|n| n.cluster.is_none())
                .map(node_stmt),
        );
        for e in &self.edges {
            let mut attrs: Vec<Attribute> = Vec::new();
            if let Some(l) = &e.label {
                attrs.push(attr("label", l));
            }
            attrs.extend(e.attrs.iter().map(|(k, v)| attr(k, v)));
            stmts.push(Stmt::Edge(Edge {
                ty: EdgeTy::Pair(node_ref(&e.from), node_ref(&e.to)),
                attributes: attrs,
            }));
        }
        if !self.legend.is_empty() {
            let mut body = vec![
                Stmt::Attribute(attr("label", &self.legend_title)),
                Stmt::Attribute(attr("style", "rounded")),
                Stmt::Attribute(attr("color", "#999999")),
            ];
            body.extend(self.legend.iter().map(node_stmt));
            stmts.push(Stmt::Subgraph(Subgraph {
                id: quoted("cluster_legend"),
                stmts: body,
            }));
        }
        Graph::DiGraph {
            id: quoted("chokepoint"),
            strict: false,
            stmts,
        }
    }

    /// DOT text, newline-terminated.
    pub fn to_dot(&self) -> String {
        // A fresh context each time: the printer keeps indentation state.
        let mut ctx = PrinterContext::default();
        let mut text = self.to_ast().print(&mut ctx);
        text.push('\n');
        text
    }
}

fn attr(key: &'static str, value: &str) -> Attribute {
    Attribute(Id::Plain(key.to_string()), quoted(value))
}

fn node_ref(id: &str) -> Vertex {
    Vertex::N(NodeId(quoted(id), None))
}

fn node_stmt(n: &DNode) -> Stmt {
    let mut attrs = vec![attr("label", &n.label)];
    attrs.extend(n.attrs.iter().map(|(k, v)| attr(k, v)));
    Stmt::Node(Node::new(NodeId(quoted(&n.id), None), attrs))
}
