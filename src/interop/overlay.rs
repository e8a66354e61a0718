//! The analysis that travels with the graph exports (GraphML, Neo4j CSV): per
//! item the figures a user colours and filters by, per supplier and country the
//! systems whose minimal cut sets hold it.
//!
//! Owns: [`ExportAnalysis`] (computed once from a [`SupplyGraph`] with the
//! library's own metric functions, so every figure equals what `analyze`
//! reports under the same case and assumptions), the one number printer of the
//! graph exports ([`number`]) and the GraphML id escaping ([`nmtoken`]).
//!
//! Never: computes a metric of its own, writes files.

use crate::analysis::{
    direct_import_share, eid_unknown, embodied_import_shares, foreign_dependent, hhi_country,
    hhi_supplier, risk_scores, Band, BasicEvent, CutSetLimit, EventKind, FailureLogic, Weights,
};
use crate::graph::{ItemIx, SupplyGraph};
use crate::model::{Case, Interval, Lang};

/// What the exports carry per item.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemFigures {
    /// Name in the chosen language (the id when the item has no name).
    pub label: String,
    /// Risk score 0–10 under the case, with the low/high interval.
    pub risk: Interval,
    pub band: Band,
    /// Direct import share DI (spec §3.1); `None` when undefined.
    pub direct_import_share: Option<f64>,
    /// Embodied import share EID (spec §3.2) with its interval; `None` when undefined.
    pub embodied_import_share: Option<Interval>,
    pub hhi_supplier: Option<f64>,
    pub hhi_country: Option<f64>,
    pub foreign_dependent: bool,
    /// The item lies on the via path of an order-1 minimal cut set (by
    /// supplier or by country) of some system: losing its supply stops a machine.
    pub on_single_point_path: bool,
}

/// What the exports carry per supplier or country: the systems whose minimal
/// cut sets (at the export's granularity and order) hold it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventFigures {
    pub label: String,
    /// Systems that its loss alone stops (order-1 cut sets), ids in system order.
    pub single_point_of: Vec<String>,
    /// Those of [`Self::single_point_of`] where the set is conditional (it
    /// stops the system only if unattributed remainders fail too).
    pub conditional_in: Vec<String>,
    /// Systems with a minimal cut set of order 2 or more that holds it.
    pub cut_set_of: Vec<String>,
}

/// The figures of every item, supplier and country, in graph order.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportAnalysis {
    pub case: Case,
    pub order: usize,
    pub items: Vec<ItemFigures>,
    pub suppliers: Vec<EventFigures>,
    pub countries: Vec<EventFigures>,
}

impl ExportAnalysis {
    /// Computes the figures under `case`, cut sets up to `order` by supplier
    /// (for supplier nodes) and by country (for country nodes).
    pub fn compute(
        g: &SupplyGraph,
        case: Case,
        order: usize,
        lang: Lang,
    ) -> Result<Self, CutSetLimit> {
        let weights = Weights::default();
        let risk_by_case: Vec<_> = Case::ALL
            .iter()
            .map(|c| risk_scores(g, *c, &weights))
            .collect();
        let eid_by_case: Vec<_> = Case::ALL
            .iter()
            .map(|c| embodied_import_shares(g, *c))
            .collect();
        let slot = |c: Case| Case::ALL.iter().position(|x| *x == c).expect("case in ALL");
        let mut on_path = vec![false; g.item_count()];
        let mut per_kind =
            |kind: EventKind, count: usize| -> Result<Vec<EventFigures>, CutSetLimit> {
                let mut out = vec![EventFigures::default(); count];
                let logic = FailureLogic::for_roots(g, kind, order, case, g.systems())?;
                for &s in g.systems() {
                    let system = g.item(s).id.to_string();
                    for cut in logic.cut_sets(s) {
                        for e in &cut.events {
                            let Some(k) = event_index(e) else { continue };
                            let f = &mut out[k];
                            let list = if cut.order() == 1 {
                                &mut f.single_point_of
                            } else {
                                &mut f.cut_set_of
                            };
                            if list.last() != Some(&system) {
                                list.push(system.clone());
                            }
                            if cut.order() == 1 && cut.is_conditional() {
                                f.conditional_in.push(system.clone());
                            }
                        }
                        if cut.order() == 1 {
                            for ix in cut.via.iter().flatten() {
                                on_path[ix.index()] = true;
                            }
                        }
                    }
                }
                Ok(out)
            };
        let mut suppliers = per_kind(EventKind::Supplier, g.supplier_count())?;
        let mut countries = per_kind(EventKind::Country, g.country_count())?;
        for (k, f) in suppliers.iter_mut().enumerate() {
            let id = &g.supplier(crate::graph::SupplierIx(k as u32)).id;
            f.label = g.model().supplier_name(id, lang);
        }
        for (k, f) in countries.iter_mut().enumerate() {
            f.label = g
                .model()
                .country_name(g.country(crate::graph::CountryIx(k as u32)), lang);
        }
        let items = g
            .items()
            .map(|ix: ItemIx| {
                let i = ix.index();
                let r = &risk_by_case[slot(case)][i];
                let item = g.item(ix);
                let label = item.display_name(lang);
                ItemFigures {
                    label: if label.is_empty() {
                        item.id.to_string()
                    } else {
                        label.to_string()
                    },
                    risk: Interval::from_cases(case, |c| risk_by_case[slot(c)][i].score),
                    band: r.band,
                    direct_import_share: direct_import_share(g, ix, case),
                    embodied_import_share: eid_by_case[slot(case)][i]
                        .filter(|&(_, coverage)| !eid_unknown(g, ix, coverage))
                        .map(|_| {
                            Interval::from_cases(case, |c| {
                                eid_by_case[slot(c)][i].map_or(f64::NAN, |(e, _)| e)
                            })
                        }),
                    hhi_supplier: hhi_supplier(g, ix, case),
                    hhi_country: hhi_country(g, ix, case),
                    foreign_dependent: foreign_dependent(g, ix, case, &Default::default()),
                    on_single_point_path: on_path[i],
                }
            })
            .collect();
        Ok(ExportAnalysis {
            case,
            order,
            items,
            suppliers,
            countries,
        })
    }
}

/// The supplier's or country's index; unnamed producers have no node of their own.
fn event_index(e: &BasicEvent) -> Option<usize> {
    match *e {
        BasicEvent::Supplier(s) => Some(s.index()),
        BasicEvent::Country(c) => Some(c.index()),
        BasicEvent::Unnamed(_) => None,
    }
}

/// A number as the graph exports print it: rounded to 12 significant digits,
/// then the shortest text that reads back as that value — `0.775`, not the
/// `0.7749999999999999` that `1 - 0.225` leaves in binary.
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    crate::output::significant12(x).to_string()
}

/// Whether XML 1.0 (fifth edition) allows `c` in a name other than at its start
/// (`NameChar`): the characters an `NMTOKEN` is made of.
fn is_name_char(c: char) -> bool {
    matches!(c,
        'A'..='Z' | 'a'..='z' | '0'..='9' | ':' | '_' | '-' | '.'
        | '\u{B7}'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{37D}'
        | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}' | '\u{203F}'..='\u{2040}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

/// `text` as a GraphML id (an XML `NMTOKEN`), reversibly: name characters stay
/// as they are (Chinese included), `_` becomes `__`, and any other character
/// `_xHHHH_` with its code point in upper-case hex (a space is `_x0020_`).
/// Distinct texts give distinct ids.
pub fn nmtoken(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '_' => out.push_str("__"),
            c if is_name_char(c) => out.push(c),
            c => out.push_str(&format!("_x{:04X}_", c as u32)),
        }
    }
    if out.is_empty() {
        // An NMTOKEN has at least one character.
        out.push_str("_x_");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_lose_binary_noise_and_negative_zero() {
        assert_eq!(number(1.0 - 0.225), "0.775");
        assert_eq!(number(0.1 + 0.2), "0.3");
        assert_eq!(number(-0.0), "0");
        assert_eq!(number(48_000_000_000.0), "48000000000");
        assert_eq!(number(1.0 / 3.0), "0.333333333333");
        assert_eq!(number(f64::NAN), "");
    }

    #[test]
    fn nmtoken_escapes_reversibly() {
        assert_eq!(nmtoken("item:ct-tube"), "item:ct-tube");
        assert_eq!(nmtoken("GOS SC/01"), "GOS_x0020_SC_x002F_01");
        assert_eq!(nmtoken("a_b"), "a__b");
        assert_eq!(nmtoken("球管"), "球管");
        assert_ne!(nmtoken("a b"), nmtoken("a_x0020_b"));
        assert_eq!(nmtoken("a_x0020_b"), "a__x0020__b");
    }
}
