//! Source weights (spec §3 notation): the one place that turns an item's
//! supply shares into the weights every metric uses.
//!
//! Owns: ŵ_e = w_e / W, the group weights ŵ_g, the unattributed remainder 1 − W,
//! and the `--unattributed survives` variant (unnormalised w_e plus a remainder
//! group that never fails). Never: looks at failures, formats, or reads files.

use crate::graph::{ItemIx, SupplyGraph, Unattributed};
use crate::model::Case;

/// Supply shares within this distance of 1 leave no remainder (spec §2 tolerance).
pub const SHARE_TOLERANCE: f64 = 1e-9;

/// The weights of one item's sources under one case and one policy.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceWeights {
    /// Per source, aligned with [`SupplyGraph::sources`]: ŵ_e (proportional) or
    /// w_e (survives).
    pub sources: Vec<f64>,
    /// Per group, aligned with [`SupplyGraph::groups`]: the sum over its sources.
    pub groups: Vec<f64>,
    /// Weight of the never-failing remainder group: 1 − W under `survives`
    /// when W < 1, else 0.
    pub remainder: f64,
    /// W: the sum of the usable shares as written (before normalisation).
    pub attributed: f64,
}

impl SourceWeights {
    /// True when the written shares leave an unattributed remainder.
    pub fn has_remainder(&self) -> bool {
        !self.sources.is_empty() && leaves_remainder(self.attributed)
    }
}

/// Whether shares written to a total of W leave an unattributed remainder.
fn leaves_remainder(attributed: f64) -> bool {
    attributed < 1.0 - SHARE_TOLERANCE
}

/// W: the total of the usable shares as written, summed in source order.
fn total(shares: impl Iterator<Item = f64>) -> f64 {
    shares.fold(0.0, |acc, x| acc + x)
}

/// 1 − W of `i`'s sources in `case` when their written shares leave an
/// unattributed remainder (what [`SourceWeights::has_remainder`] tells),
/// else None; without computing the weights themselves.
pub fn unattributed_share(g: &SupplyGraph, i: ItemIx, case: Case) -> Option<f64> {
    let sources = g.sources(i);
    let attributed = total(sources.iter().map(|s| usable(s.share.get(case))));
    (!sources.is_empty() && leaves_remainder(attributed)).then_some(1.0 - attributed)
}

/// A share as the metrics use it: a finite positive number, else 0 (the loader
/// rejects negative and non-finite shares; a hand-built model must not panic).
fn usable(x: f64) -> f64 {
    if x.is_finite() && x > 0.0 {
        x
    } else {
        0.0
    }
}

/// The weights of `i`'s sources in `case` under `policy`.
///
/// Proportional: ŵ_e = w_e / W; when W = 0 (every share 0 in this case) the
/// sources count equally — they are known, their split is not. Survives: w_e
/// as written and a remainder of 1 − W that needs nothing and never fails.
pub fn source_weights(
    g: &SupplyGraph,
    i: ItemIx,
    case: Case,
    policy: Unattributed,
) -> SourceWeights {
    let mut weights = Vec::with_capacity(g.sources(i).len() + g.groups(i).len());
    let (remainder, attributed) = append_source_weights(g, i, case, policy, &mut weights);
    let groups = weights.split_off(g.sources(i).len());
    SourceWeights {
        sources: weights,
        groups,
        remainder,
        attributed,
    }
}

/// [`source_weights`] appended to `out`: the sources' weights, then the
/// groups' (aligned as in [`SourceWeights`]); returns (remainder, attributed).
/// A scenario's table of every item's weights is then one vector, not two
/// small ones per item (at a million items their allocation alone took
/// hundreds of milliseconds).
pub fn append_source_weights(
    g: &SupplyGraph,
    i: ItemIx,
    case: Case,
    policy: Unattributed,
    out: &mut Vec<f64>,
) -> (f64, f64) {
    let start = out.len();
    out.extend(g.sources(i).iter().map(|s| usable(s.share.get(case))));
    let weights = &mut out[start..];
    let attributed = total(weights.iter().copied());
    let remainder = if weights.is_empty() {
        0.0
    } else {
        match policy {
            Unattributed::Proportional if attributed > 0.0 => {
                weights.iter_mut().for_each(|w| *w /= attributed);
                0.0
            }
            Unattributed::Proportional => {
                weights.fill(1.0 / weights.len() as f64);
                0.0
            }
            Unattributed::Survives if leaves_remainder(attributed) => 1.0 - attributed,
            Unattributed::Survives => 0.0,
        }
    };
    let groups_at = out.len();
    out.resize(groups_at + g.groups(i).len(), 0.0);
    for (k, s) in g.sources(i).iter().enumerate() {
        out[groups_at + s.group as usize] += out[start + k];
    }
    (remainder, attributed)
}

/// ŵ_e of `i`'s sources (the proportional weights that DI, EID, HHI and
/// tariffs use whatever `--unattributed` says).
pub fn normalized_weights(g: &SupplyGraph, i: ItemIx, case: Case) -> Vec<f64> {
    // The sources' part of `source_weights(.., Proportional)`: every metric
    // asks for these for every item, so one allocation, not two.
    let sources = g.sources(i).len();
    let mut w = Vec::with_capacity(sources + g.groups(i).len());
    append_source_weights(g, i, case, Unattributed::Proportional, &mut w);
    w.truncate(sources);
    w
}
