//! What a diagram shows beyond the graph itself: risk bands, choke points, cut
//! sets and scenario results, per index. The views only read these; they are
//! filled by [`annotate`](super::annotate) from `analysis` and `scenario`, or by hand in tests.

use crate::graph::{CountryIx, ItemIx, SupplierIx, SupplyGraph, UnnamedIx};
use crate::render::style::RiskBand;

/// A basic event of spec §3.4 as drawn: a supplier or a country.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventNode {
    Supplier(SupplierIx),
    Country(CountryIx),
    /// The unnamed producers of one item in one country (by supplier).
    Unnamed(UnnamedIx),
}

/// Which basic events cut sets are built from (`--by`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum EventBy {
    #[default]
    Supplier,
    Country,
}

/// The risk score of one item (spec §3.8).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ItemRisk {
    pub score: f64,
    pub band: RiskBand,
    /// Some factor was missing (counted 0).
    pub incomplete: bool,
}

/// One minimal cut set of one system, with the item paths it acts through.
#[derive(Clone, Debug, PartialEq)]
pub struct CutSetMark {
    pub system: ItemIx,
    pub events: Vec<EventNode>,
    /// Paths system → … → the item whose supply the events stop.
    pub via: Vec<Vec<ItemIx>>,
    /// The set stops the system only if unattributed remainders fail too.
    pub conditional: bool,
}

/// What a scenario did, for drawing.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ScenarioMarks {
    pub name: String,
    pub name_zh: Option<String>,
    pub failed_items: Vec<bool>,
    pub failed_suppliers: Vec<bool>,
    pub failed_countries: Vec<bool>,
    /// Per item: the first day its availability fell below 1, if it did.
    pub first_short_day: Vec<Option<u32>>,
    /// Per item (the simulated roots): `Some(Some(t))` = time to survive t days,
    /// `Some(None)` = survives the scenario, `None` = not simulated.
    pub tts: Vec<Option<Option<u32>>>,
}

/// Everything a view may mark; all vectors are indexed by the graph's indices.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Marks {
    pub risk: Vec<Option<ItemRisk>>,
    pub choke_items: Vec<bool>,
    pub choke_suppliers: Vec<bool>,
    pub choke_countries: Vec<bool>,
    /// Minimal cut sets of every system (the choke-point map draws these).
    pub cut_sets: Vec<CutSetMark>,
    pub scenario: Option<ScenarioMarks>,
}

impl Marks {
    /// No marks at all, sized for `g`.
    pub fn empty(g: &SupplyGraph) -> Marks {
        Marks {
            risk: vec![None; g.item_count()],
            choke_items: vec![false; g.item_count()],
            choke_suppliers: vec![false; g.supplier_count()],
            choke_countries: vec![false; g.country_count()],
            cut_sets: Vec::new(),
            scenario: None,
        }
    }

    /// Sets the choke-point flags from the order-1 cut sets in `cut_sets`:
    /// the event itself and the last item of each path it acts through.
    pub fn mark_single_points(&mut self) {
        for cs in &self.cut_sets {
            if let [event] = cs.events.as_slice() {
                match *event {
                    EventNode::Supplier(s) => set(&mut self.choke_suppliers, s.index()),
                    EventNode::Country(c) => set(&mut self.choke_countries, c.index()),
                    EventNode::Unnamed(_) => {}
                }
                for path in &cs.via {
                    if let Some(last) = path.last() {
                        set(&mut self.choke_items, last.index());
                    }
                }
            }
        }
    }

    pub(crate) fn risk_of(&self, i: ItemIx) -> Option<ItemRisk> {
        self.risk.get(i.index()).copied().flatten()
    }
    pub(crate) fn is_choke_item(&self, i: ItemIx) -> bool {
        flag(&self.choke_items, i.index())
    }
    pub(crate) fn is_choke_event(&self, e: EventNode) -> bool {
        match e {
            EventNode::Supplier(s) => flag(&self.choke_suppliers, s.index()),
            EventNode::Country(c) => flag(&self.choke_countries, c.index()),
            EventNode::Unnamed(_) => false,
        }
    }
}

fn set(v: &mut Vec<bool>, i: usize) {
    if v.len() <= i {
        v.resize(i + 1, false);
    }
    v[i] = true;
}

pub(crate) fn flag(v: &[bool], i: usize) -> bool {
    v.get(i).copied().unwrap_or(false)
}
