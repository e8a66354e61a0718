//! Tariff cost impact (spec §3.7): the ad valorem tariff rate embodied in each
//! item's cost, as a fraction of that cost.
//!
//! Owns: the bottom-up recurrence rate(i). Never: looks at failures — a tariff
//! prices the sourcing mix as declared, whether or not a scenario also cuts sources.

use crate::analysis::weights::normalized_weights;
use crate::graph::{CountryIx, ItemIx, SupplyGraph};
use crate::model::Case;

/// rate(i) for every item, indexed by item:
/// rateIn(i) = Σ_r cs_r · rate(r) over requirements with a known cost share (an
/// any_of group takes the mean of its members, as §3.2 does for EID);
/// rate(i) = Σ_e ŵ_e · (c_e ≠ home ? tariff(c_e) : rateIn(i)) with supply edges,
/// else rateIn(i). A country without a tariff has rate 0.
pub fn tariff_rates(g: &SupplyGraph, tariffs: &[(CountryIx, f64)], case: Case) -> Vec<f64> {
    let mut by_country = vec![0.0; g.country_count()];
    for &(c, r) in tariffs {
        if let Some(slot) = by_country.get_mut(c.index()) {
            // Bad input never panics; a non-finite or negative rate counts as none.
            *slot = if r.is_finite() && r > 0.0 { r } else { 0.0 };
        }
    }
    let mut rate = vec![0.0; g.item_count()];
    if by_country.iter().all(|r| *r == 0.0) {
        return rate;
    }
    let home = g.home();
    for &i in g.bottom_up() {
        let rate_in = rate_of_inputs(g, i, &rate, case);
        let sources = g.sources(i);
        rate[i.index()] = if sources.is_empty() {
            rate_in
        } else {
            normalized_weights(g, i, case)
                .iter()
                .zip(sources)
                .map(|(w, s)| {
                    w * if s.country != home {
                        by_country[s.country.index()]
                    } else {
                        rate_in
                    }
                })
                .fold(0.0, |acc, x| acc + x)
        };
    }
    rate
}

fn rate_of_inputs(g: &SupplyGraph, i: ItemIx, rate: &[f64], case: Case) -> f64 {
    g.requirements(i)
        .iter()
        .filter_map(|r| {
            let cs = r.cost_share?.get(case);
            if !cs.is_finite() || r.members.is_empty() {
                return None;
            }
            let member_rate = r
                .members
                .iter()
                .map(|m| rate[m.index()])
                .fold(0.0, |a, b| a + b)
                / r.members.len() as f64;
            Some(cs * member_rate)
        })
        .fold(0.0, |acc, x| acc + x)
}
