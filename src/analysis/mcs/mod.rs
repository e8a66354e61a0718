//! Minimal cut sets of a monotone fault tree (spec §3.4), independent of what
//! the basic events mean.
//!
//! Owns: the fault tree ([`tree`]) and the engines that compute its minimal cut
//! sets up to an order. Never: knows the supply graph, formats, or lets hash
//! order reach a result.
//!
//! Engines: [`zbdd::cut_sets`] is the one to call (shared structure, order
//! truncation, limits); [`families::cut_sets`] is the former per-gate family
//! engine, kept as its cross-check partner. [`openpsa::write_open_psa`] writes a
//! tree as Open-PSA MEF XML for SCRAM and other fault-tree tools.
//! [`bdd::Diagram`] gives the exact probability of a root and the conditioned
//! probabilities behind the importance measures (docs/metrics.md §10).

pub mod bdd;
#[cfg(test)]
mod brute;
pub mod families;
pub mod openpsa;
#[cfg(test)]
mod tests;
pub mod tree;
pub mod zbdd;

pub use tree::{FaultTree, Node, NodeIx};

/// Resource limits of one cut-set computation. Exceeding one ends the run with
/// [`LimitExceeded`], never an abort.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Most minimal cut sets returned over all roots.
    pub max_sets: usize,
    /// Most intermediate nodes/sets held at once (the memory bound).
    pub max_work: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_sets: 5_000_000,
            max_work: 50_000_000,
        }
    }
}

/// Which limit a run hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitExceeded {
    /// More minimal cut sets than `Limits::max_sets`.
    Sets { limit: usize },
    /// More intermediate work than `Limits::max_work`.
    Work { limit: usize },
}
