//! Import dependence (spec §3.1–3.2): direct import share DI and embodied import
//! share EID with its coverage.
//!
//! Owns: the normalised supply weights ŵ_e and the two import shares. Never: reads
//! files, formats output, or looks at any case but the one it is given.

use crate::graph::{ItemIx, Source, SupplyGraph};
use crate::model::Case;

/// The supply edges of `ix` with their normalised weights ŵ_e = w_e / W under
/// `case` (see [`super::weights::source_weights`], the one place weights are made).
pub fn normalized_sources<'a, 'm>(
    g: &'a SupplyGraph<'m>,
    ix: ItemIx,
    case: Case,
) -> impl Iterator<Item = (&'a Source<'m>, f64)> + 'a {
    g.sources(ix)
        .iter()
        .zip(super::weights::normalized_weights(g, ix, case))
}

/// DI(i) (spec §3.1): the foreign share of the item's supply edges; else its
/// `import_share` figure; else `None` (unmapped).
pub fn direct_import_share(g: &SupplyGraph, ix: ItemIx, case: Case) -> Option<f64> {
    if g.sources(ix).is_empty() {
        return g.item(ix).import_share.as_ref().map(|e| e.get(case));
    }
    let home = g.home();
    Some(
        normalized_sources(g, ix, case)
            .filter(|(s, _)| s.country != home)
            .map(|(_, w)| w)
            .sum(),
    )
}

/// Whether EID(i) rests on nothing known: the item has no sources and
/// requirements none of which has a cost share (coverage 0). Its EID then reads
/// unknown (JSON `null`), never 0: the 0 would claim that nothing is imported.
/// An item with sources keeps its EID (the foreign sources' weight is known;
/// home production counts as home value, docs/metrics.md §2).
pub fn eid_unknown(g: &SupplyGraph, ix: ItemIx, coverage: f64) -> bool {
    coverage <= 0.0 && !g.requirements(ix).is_empty() && g.sources(ix).is_empty()
}

/// EID(i) and its coverage for every item (spec §3.2), indexed by [`ItemIx`].
///
/// Coverage is the sum of the known cost shares of the item's requirements
/// (spec §3 notation); an item without requirements is described wholly by its
/// supply edges or its import share, so its coverage is 1. `None` = undefined.
pub fn embodied_import_shares(g: &SupplyGraph, case: Case) -> Vec<Option<(f64, f64)>> {
    let mut out: Vec<Option<(f64, f64)>> = vec![None; g.item_count()];
    let home = g.home();
    for &ix in g.bottom_up() {
        let reqs = g.requirements(ix);
        let mut inner = 0.0;
        let mut coverage = 0.0;
        for r in reqs {
            let Some(cs) = r.cost_share else { continue };
            let cs = cs.get(case);
            coverage += cs;
            // An any_of group takes the mean over its members whose EID is defined.
            let (sum, count) = r
                .members
                .iter()
                .filter_map(|m| out[m.index()].map(|(e, _)| e))
                .fold((0.0, 0usize), |(s, n), e| (s + e, n + 1));
            if count > 0 {
                inner += cs * sum / count as f64;
            }
        }
        out[ix.index()] = if !g.sources(ix).is_empty() {
            let eid = normalized_sources(g, ix, case)
                .map(|(s, w)| w * if s.country != home { 1.0 } else { inner })
                .sum();
            Some((eid, if reqs.is_empty() { 1.0 } else { coverage }))
        } else if !reqs.is_empty() {
            Some((inner, coverage))
        } else {
            direct_import_share(g, ix, case).map(|d| (d, 1.0))
        };
    }
    out
}
