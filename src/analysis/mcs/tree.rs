//! The failure logic as a plain fault tree: a DAG of AND/OR gates over basic
//! events, independent of what an event means (supplier, country, unnamed source).
//!
//! Owns: the gate representation every cut-set engine reads. Never: knows the
//! supply graph (that is `analysis::cutsets`, which builds trees) or computes.

/// Index of a node in [`FaultTree::nodes`].
pub type NodeIx = u32;

/// One node. Children always have smaller indices than their parent, so
/// iterating `nodes` in order is a bottom-up order.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Node {
    /// Basic event with a raw index (dense, chosen by the builder).
    Event(u32),
    /// Fails when every child fails. An empty AND is `Always`.
    And(Vec<NodeIx>),
    /// Fails when any child fails. An empty OR is `Never`.
    Or(Vec<NodeIx>),
    /// Never fails (an item with no sources and no requirements, a group that
    /// cannot fail, an unattributed remainder under `--unattributed survives`).
    Never,
}

/// A monotone fault tree.
#[derive(Clone, Debug, Default)]
pub struct FaultTree {
    pub nodes: Vec<Node>,
    /// Number of distinct basic events (every `Event(e)` has `e < event_count`).
    pub event_count: u32,
}

impl FaultTree {
    /// Adds a node and returns its index. Children must already exist.
    pub fn push(&mut self, node: Node) -> NodeIx {
        debug_assert!(match &node {
            Node::And(c) | Node::Or(c) => c.iter().all(|&x| (x as usize) < self.nodes.len()),
            Node::Event(e) => *e < self.event_count,
            Node::Never => true,
        });
        self.nodes.push(node);
        (self.nodes.len() - 1) as NodeIx
    }

    /// Whether `root` fails when exactly the events with `failed[e]` fail.
    pub fn evaluate(&self, root: NodeIx, failed: &[bool]) -> bool {
        let mut value = vec![false; root as usize + 1];
        for (i, node) in self.nodes.iter().enumerate().take(root as usize + 1) {
            value[i] = match node {
                Node::Event(e) => failed[*e as usize],
                Node::And(c) => c.iter().all(|&x| value[x as usize]),
                Node::Or(c) => c.iter().any(|&x| value[x as usize]),
                Node::Never => false,
            };
        }
        value[root as usize]
    }
}
