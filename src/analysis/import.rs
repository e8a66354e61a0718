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
    direct_import_share_with(
        g,
        ix,
        case,
        &super::weights::normalized_weights(g, ix, case),
    )
}

/// [`direct_import_share`] from the item's normalised weights already made
/// (`weights[k]` of source k), for callers that need them for several metrics.
pub(crate) fn direct_import_share_with(
    g: &SupplyGraph,
    ix: ItemIx,
    case: Case,
    weights: &[f64],
) -> Option<f64> {
    if g.sources(ix).is_empty() {
        return g.item(ix).import_share.as_ref().map(|e| e.get(case));
    }
    let home = g.home();
    Some(
        g.sources(ix)
            .iter()
            .zip(weights)
            .filter(|(s, _)| s.country != home)
            .map(|(_, w)| *w)
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
    for &ix in g.bottom_up() {
        out[ix.index()] = eid_of(g, ix, case, &out);
    }
    out
}

/// EID and coverage under each of [`Case::ALL`], in one bottom-up pass: an item
/// whose own numbers (cost shares, supply shares, import share) and whose
/// inputs' EIDs are the same in every case is computed once and shared, with
/// the same arithmetic as [`embodied_import_shares`], so the figures are
/// identical bit for bit.
pub fn embodied_import_shares_all_cases(g: &SupplyGraph) -> [Vec<Option<(f64, f64)>>; 3] {
    let n = g.item_count();
    let mut out: [Vec<Option<(f64, f64)>>; 3] = [vec![None; n], vec![None; n], vec![None; n]];
    // Per item: its EID is the same in all three cases.
    let mut same = vec![false; n];
    for &ix in g.bottom_up() {
        let i = ix.index();
        let own = g
            .requirements(ix)
            .iter()
            .filter_map(|r| r.cost_share)
            .chain(g.sources(ix).iter().map(|s| s.share))
            .chain(g.item(ix).import_share.as_deref())
            .all(case_free);
        let inputs = g
            .requirements(ix)
            .iter()
            .filter(|r| r.cost_share.is_some())
            .flat_map(|r| r.members.iter())
            .all(|m| same[m.index()]);
        if own && inputs {
            same[i] = true;
            let v = eid_of(g, ix, Case::Mid, &out[1]);
            for o in out.iter_mut() {
                o[i] = v;
            }
        } else {
            for (k, case) in Case::ALL.iter().enumerate() {
                out[k][i] = eid_of(g, ix, *case, &out[k]);
            }
        }
    }
    out
}

/// An estimate that takes the same value (bit for bit) in every case.
pub(crate) fn case_free(e: &crate::model::Estimate) -> bool {
    let m = e.mid().to_bits();
    e.low().to_bits() == m && e.high().to_bits() == m
}

/// EID(ix) and its coverage from the EIDs of its inputs in `out`.
fn eid_of(
    g: &SupplyGraph,
    ix: ItemIx,
    case: Case,
    out: &[Option<(f64, f64)>],
) -> Option<(f64, f64)> {
    let home = g.home();
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
    if !g.sources(ix).is_empty() {
        let eid = normalized_sources(g, ix, case)
            .map(|(s, w)| w * if s.country != home { 1.0 } else { inner })
            .sum();
        Some((eid, if reqs.is_empty() { 1.0 } else { coverage }))
    } else if !reqs.is_empty() {
        Some((inner, coverage))
    } else {
        direct_import_share(g, ix, case).map(|d| (d, 1.0))
    }
}
