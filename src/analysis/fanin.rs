//! Where-used / fan-in (spec §3.5) and betweenness centrality.
//!
//! Owns: which systems transitively require each item, the market value they add
//! up to, and the optional betweenness ranking. Never: defines a choke point
//! (that is a minimal cut set, see `cutsets`).

use crate::graph::{ItemIx, SupplyGraph};
use crate::model::Case;
use crate::output::round9;

/// The systems that transitively require an item, and their summed market value.
#[derive(Clone, Debug, PartialEq)]
pub struct FanIn {
    /// In index (declaration) order; a system is not its own user.
    pub systems: Vec<ItemIx>,
    /// Σ market_value(case) of `systems`; a system without a market value adds 0.
    pub market_value: f64,
    /// Some system in `systems` has no market value.
    pub value_incomplete: bool,
}

/// Fan-in of every item, indexed by `ItemIx`, in one top-down pass over bitsets of
/// systems (linear in the graph, unlike one reachability search per item).
pub fn fan_in(g: &SupplyGraph, case: Case) -> Vec<FanIn> {
    let systems = g.systems();
    let words = systems.len().div_ceil(64).max(1);
    let mut slot = vec![usize::MAX; g.item_count()];
    for (k, s) in systems.iter().enumerate() {
        slot[s.index()] = k;
    }
    let mut bits = vec![0u64; g.item_count() * words];
    // Reverse bottom-up order visits every parent before its children.
    for &ix in g.bottom_up().iter().rev() {
        for &p in g.parents(ix) {
            for w in 0..words {
                let v = bits[p.index() * words + w];
                bits[ix.index() * words + w] |= v;
            }
            if slot[p.index()] != usize::MAX {
                let k = slot[p.index()];
                bits[ix.index() * words + k / 64] |= 1 << (k % 64);
            }
        }
    }
    g.items()
        .map(|ix| {
            let row = &bits[ix.index() * words..(ix.index() + 1) * words];
            let users: Vec<ItemIx> = systems
                .iter()
                .enumerate()
                .filter(|(k, _)| row[k / 64] & (1 << (k % 64)) != 0)
                .map(|(_, s)| *s)
                .collect();
            let values: Vec<Option<f64>> =
                users.iter().map(|s| market_value(g, *s, case)).collect();
            FanIn {
                market_value: values.iter().flatten().sum(),
                value_incomplete: values.iter().any(Option::is_none),
                systems: users,
            }
        })
        .collect()
}

/// A system's market value under `case`.
pub fn market_value(g: &SupplyGraph, ix: ItemIx, case: Case) -> Option<f64> {
    g.item(ix).market_value.as_ref().map(|e| e.get(case))
}

/// Normalised betweenness centrality of every item on the requirement graph
/// (parent → child), via rustworkx-core. Run serially and rounded to 9 decimals so
/// the output is identical run to run. O(V·E): meant for shipped-size graphs.
pub fn betweenness(g: &SupplyGraph) -> Vec<f64> {
    g.with_petgraph(|pg| {
        rustworkx_core::centrality::betweenness_centrality(pg, false, true, usize::MAX)
            .into_iter()
            .map(|v| round9(v.unwrap_or(0.0)))
            .collect()
    })
}
