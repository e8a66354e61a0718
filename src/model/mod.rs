//! The validated supply-graph model: plain data, exactly the entities of spec §2.
//!
//! Owns: the entity types, id newtypes, the Estimate type and source locations.
//! Never: reads files (that is `load`), builds graph structure (that is `graph`)
//! or computes metrics (that is `analysis`). A `Model` obtained from `load` has
//! passed every validation rule, so later stages may rely on its invariants.

mod estimate;
mod ids;
pub mod iso;
mod names;

pub use estimate::{Case, Confidence, Estimate, Interval};
pub use ids::{CountryCode, ItemId, ReferenceId, ScenarioId, SupplierId};
pub use names::Names;

use indexmap::IndexMap;
use serde::Serialize;
use std::path::PathBuf;

/// Makes room for one more entry in `map` by doubling it exactly, never past
/// `limit` entries in all.
///
/// IndexMap's own growth reserves entry space up to its hash table's
/// capacity, up to 1.75× what is inserted: at a million items about 200 MB
/// never touched but counted against an address-space limit
/// (docs/robustness.md, "Scale"). Loader and importers build the model's maps
/// through this.
pub fn grow_by_doubling<K: std::hash::Hash + Eq, V>(map: &mut IndexMap<K, V>, limit: usize) {
    if map.len() == map.capacity() {
        let room = limit.saturating_sub(map.len()).max(1);
        map.reserve_exact(map.len().max(16).min(room));
    }
}

/// Where an entity was written: a file of the graph and a 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, PartialOrd, Ord, Hash)]
pub struct Location {
    /// Index into [`Model::files`].
    pub file: u32,
    pub line: u32,
    pub column: u32,
    /// Byte offset in the file, for source snippets.
    #[serde(skip)]
    pub offset: u32,
}

/// A loaded source file.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Path as given (relative to the working directory when the user gave a relative one).
    pub path: PathBuf,
    pub text: String,
    /// The sheet, for a table read from a workbook: `text` then holds the
    /// sheet's rows, one a line (row N on line N, cells separated by tabs), and
    /// places are shown as cells (`book.xlsx:BOM!C7`).
    pub sheet: Option<String>,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        SourceFile {
            path: path.into(),
            text: text.into(),
            sheet: None,
        }
    }

    /// "path:line:column", or the cell in Excel's notation for a sheet
    /// (`book.xlsx:BOM!C7`; a sheet name with anything but letters, digits
    /// and `_` quoted, `'` doubled). Column 0 is the whole row (`path:line`,
    /// `book.xlsx:BOM!7:7`).
    pub fn place(&self, line: u32, column: u32) -> String {
        let path = self.path.display();
        match &self.sheet {
            None if column == 0 => format!("{path}:{line}"),
            None => format!("{path}:{line}:{column}"),
            Some(_) if column == 0 => format!("{}!{line}:{line}", self.sheet_place()),
            Some(_) => format!(
                "{}!{}{line}",
                self.sheet_place(),
                column_letters(column as usize)
            ),
        }
    }

    /// "path" or, for a sheet, "path:Sheet" (quoted as Excel quotes it).
    pub fn sheet_place(&self) -> String {
        let path = self.path.display();
        match &self.sheet {
            None => path.to_string(),
            Some(sheet) if sheet.chars().all(|c| c.is_alphanumeric() || c == '_') => {
                format!("{path}:{sheet}")
            }
            Some(sheet) => format!("{path}:'{}'", sheet.replace('\'', "''")),
        }
    }
}

/// The spreadsheet name of a 1-based column: 1 → `A`, 27 → `AA`.
pub fn column_letters(mut n: usize) -> String {
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII")
}

/// Graph-wide settings (`meta`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Meta {
    pub title: String,
    /// The title in Chinese (`title_zh`), used under `--lang zh`.
    pub title_zh: Option<String>,
    /// Perspective country: a supply edge is an import when its country differs.
    pub home: CountryCode,
    pub currency: String,
    pub as_of: Option<String>,
    /// Export-control regimes and the country that issues each (`regimes`,
    /// spec §3.11): `US-EAR → US`. Read only under `--reach`.
    pub regimes: IndexMap<String, CountryCode>,
}

impl Default for Meta {
    fn default() -> Self {
        Meta {
            title: String::new(),
            title_zh: None,
            home: CountryCode::new("CN"),
            currency: "CNY".into(),
            as_of: None,
            regimes: IndexMap::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Country {
    pub id: CountryCode,
    pub name: Option<String>,
    pub name_zh: Option<String>,
    /// Probability per year that supply from this country stops (docs/metrics.md §10).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disruption_probability: Option<Estimate>,
    #[serde(skip)]
    pub loc: Location,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Supplier {
    pub id: SupplierId,
    pub name: String,
    pub name_zh: Option<String>,
    /// Home country of the firm.
    pub country: CountryCode,
    /// The supplier that owns this one (`parent`, spec §3.10); chains end at
    /// a top parent, and load rejects a cycle.
    pub parent: Option<SupplierId>,
    pub cite: Vec<ReferenceId>,
    pub note: Option<String>,
    /// Probability per year that this firm's supply stops (docs/metrics.md §10).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disruption_probability: Option<Estimate>,
    #[serde(skip)]
    pub loc: Location,
}

/// The six item kinds of spec §2.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    System,
    Subsystem,
    Part,
    Component,
    Material,
    Software,
}

impl ItemKind {
    pub const ALL: [ItemKind; 6] = [
        ItemKind::System,
        ItemKind::Subsystem,
        ItemKind::Part,
        ItemKind::Component,
        ItemKind::Material,
        ItemKind::Software,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::System => "system",
            ItemKind::Subsystem => "subsystem",
            ItemKind::Part => "part",
            ItemKind::Component => "component",
            ItemKind::Material => "material",
            ItemKind::Software => "software",
        }
    }
    pub fn parse(s: &str) -> Option<ItemKind> {
        ItemKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What a requirement points at.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RequirementTarget {
    Item(ItemId),
    /// Alternatives: any one member suffices.
    AnyOf(Vec<ItemId>),
}

impl RequirementTarget {
    pub fn members(&self) -> &[ItemId] {
        match self {
            RequirementTarget::Item(id) => std::slice::from_ref(id),
            RequirementTarget::AnyOf(ids) => ids,
        }
    }
}

/// Why a requirement is needed (spec §2): to make the product, or only to
/// develop or change it (EDA and simulation software, design toolchains).
/// Design requirements count in cost but never stop production.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    #[default]
    Production,
    Design,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Production => "production",
            Role::Design => "design",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        [Role::Production, Role::Design]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Requirement {
    pub target: RequirementTarget,
    pub qty: f64,
    /// Fraction of the parent's cost; `None` = not known (not counted, lowers coverage).
    /// Boxed: a bill of materials of a million lines mostly has none (208 → 112 bytes).
    pub cost_share: Option<Box<Estimate>>,
    /// `production` (default) or `design`.
    pub role: Role,
    pub cite: Vec<ReferenceId>,
    pub note: Option<String>,
    /// `qualify_days` of each `any_of` member, in member order (spec §3.12,
    /// `{ item, qualify_days }`); `None` when no member has one. Boxed: almost
    /// every requirement has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member_qualify: Option<Box<Vec<Option<Estimate>>>>,
    #[serde(skip)]
    pub loc: Location,
}

impl Requirement {
    /// One input of a source (a source's own `requires`): quantity 1, no cost
    /// share, production, no citation; how importers write one.
    pub fn source_input(target: RequirementTarget, loc: Location) -> Self {
        Requirement {
            target,
            qty: 1.0,
            cost_share: None,
            role: Role::Production,
            cite: Vec::new(),
            note: None,
            member_qualify: None,
            loc,
        }
    }

    /// `qualify_days` of the `k`-th member (`None`: 0, usable from day 0).
    pub fn qualify_days(&self, k: usize) -> Option<&Estimate> {
        self.member_qualify.as_ref()?.get(k)?.as_ref()
    }
}

/// Whether a member's `qualify_days` is 0 in every case (absent counts as 0):
/// an `any_of` group needs one such member (E025).
pub fn qualifies_at_once(q: Option<&Estimate>) -> bool {
    q.is_none_or(|e| e.numbers().all(|x| x == 0.0))
}

/// What a source needs to produce (spec §2, "Sources and their inputs"), when
/// its entry says so. Without it a domestic source needs the item's production
/// requirements and a foreign one needs nothing.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceInputs {
    /// `requires: bom`: the item's own production requirements.
    Bom,
    /// Its own list (qty 1, no cost share, role production).
    List(Vec<Requirement>),
}

/// One source of an item on the home market: a named supplier, the unnamed
/// producers of a country, or a supplier at a site in another country.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SupplyEdge {
    /// `None`: the unnamed producers of the item in `country`.
    pub supplier: Option<SupplierId>,
    pub share: Estimate,
    /// Producing site's country when it differs from the supplier's; always
    /// present when there is no supplier.
    pub country: Option<CountryCode>,
    /// The source's own inputs (`requires:` on the entry); boxed: most have none.
    pub requires: Option<Box<SourceInputs>>,
    pub cite: Vec<ReferenceId>,
    pub note: Option<String>,
    #[serde(skip)]
    pub loc: Location,
}

impl SupplyEdge {
    /// The supplier id, or `None` for unnamed producers.
    pub fn supplier_id(&self) -> Option<&str> {
        self.supplier.as_ref().map(|s| s.as_str())
    }
}

/// A standby source (spec §3.12): qualified in principle, not buying today.
/// Its `share` is the fraction of demand it can take; it counts in no share
/// sum and no metric of §3.1–3.3, §3.7, §3.8, only in cut sets and exposure.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StandbySource {
    pub edge: SupplyEdge,
    /// Days until it can deliver (absent → 0).
    pub qualify_days: Option<Box<Estimate>>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Item {
    pub id: ItemId,
    pub kind: ItemKind,
    pub name: String,
    pub name_zh: Option<String>,
    /// Per year, in `meta.currency`.
    pub market_value: Option<Box<Estimate>>,
    pub requires: Vec<Requirement>,
    pub supply: Vec<SupplyEdge>,
    /// Standby sources (`standby: true` entries of `supply`), kept apart so
    /// that no share-based metric reads them.
    pub standby: Vec<StandbySource>,
    pub import_share: Option<Box<Estimate>>,
    pub stock_days: Option<Box<Estimate>>,
    pub recovery_days: Option<Box<Estimate>>,
    pub export_controls: Vec<String>,
    pub cite: Vec<ReferenceId>,
    pub note: Option<String>,
    #[serde(skip)]
    pub loc: Location,
}

impl Item {
    /// The display name in `lang` (Chinese falls back to English).
    pub fn display_name(&self, lang: Lang) -> &str {
        match (lang, &self.name_zh) {
            (Lang::Zh, Some(zh)) => zh,
            _ => &self.name,
        }
    }
    /// The requirements that production needs (role `production`): R(i) of spec §3.
    pub fn production_requirements(&self) -> impl Iterator<Item = &Requirement> {
        self.requires.iter().filter(|r| r.role == Role::Production)
    }
    /// True when the item has neither supply, requirements nor an import share.
    pub fn is_unmapped(&self) -> bool {
        self.supply.is_empty() && self.requires.is_empty() && self.import_share.is_none()
    }
}

/// "unnamed producers in {country}" in `lang`.
pub fn unnamed_label(country: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("unnamed producers in {country}"),
        Lang::Zh => format!("{country}未具名生产商"),
    }
}

/// Language of names in tables, diagrams and reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// The text of this language among two: renderers keep both versions of a
    /// fixed phrase side by side, so results stay language-neutral data.
    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reference {
    pub id: ReferenceId,
    pub title: String,
    pub file: Option<String>,
    pub url: Option<String>,
    pub year: Option<i64>,
    pub note: Option<String>,
    #[serde(skip)]
    pub loc: Location,
}

/// What a scenario fails.
#[derive(Clone, Debug, PartialEq, Default, Serialize)]
pub struct FailSet {
    pub countries: Vec<CountryCode>,
    pub suppliers: Vec<SupplierId>,
    pub items: Vec<ItemId>,
}

impl FailSet {
    pub fn is_empty(&self) -> bool {
        self.countries.is_empty() && self.suppliers.is_empty() && self.items.is_empty()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scenario {
    pub id: ScenarioId,
    pub name: String,
    pub name_zh: Option<String>,
    pub fail: FailSet,
    /// Ad valorem tariff by origin country: 1.25 = 125 %.
    pub tariffs: IndexMap<CountryCode, f64>,
    pub duration_days: u32,
    pub cite: Vec<ReferenceId>,
    pub note: Option<String>,
    /// The note in Chinese (`note_zh`), shown under `--lang zh`.
    pub note_zh: Option<String>,
    #[serde(skip)]
    pub loc: Location,
}

/// A documented headline figure that belongs to no single item (an optional key).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Figure {
    pub id: String,
    pub name: String,
    pub name_zh: Option<String>,
    pub value: Estimate,
    pub unit: Option<String>,
    pub cite: Vec<ReferenceId>,
    pub note: Option<String>,
    #[serde(skip)]
    pub loc: Location,
}

/// A whole validated graph: every file of a graph directory, merged.
#[derive(Clone, Debug, Default)]
pub struct Model {
    pub meta: Meta,
    pub countries: IndexMap<CountryCode, Country>,
    pub suppliers: IndexMap<SupplierId, Supplier>,
    pub items: IndexMap<ItemId, Item>,
    pub references: IndexMap<ReferenceId, Reference>,
    pub scenarios: IndexMap<ScenarioId, Scenario>,
    pub figures: Vec<Figure>,
    /// The files the model came from, indexed by [`Location::file`].
    pub files: Vec<SourceFile>,
}

impl Model {
    /// The country a supply edge produces in: the edge's site country, else its supplier's.
    pub fn edge_country<'a>(&'a self, edge: &'a SupplyEdge) -> &'a CountryCode {
        match (&edge.country, &edge.supplier) {
            (Some(c), _) => c,
            (None, Some(s)) => &self.suppliers[s].country,
            (None, None) => unreachable!("validated: a supply entry names a supplier or a country"),
        }
    }

    /// Every country the graph names, each once: declared countries, `home`,
    /// suppliers' countries, supply sites (in item order), then scenarios'
    /// failed and tariffed countries. This order is the graph's country index.
    pub fn countries_in_use(&self) -> indexmap::IndexSet<&CountryCode> {
        let mut codes: indexmap::IndexSet<&CountryCode> = self.countries.keys().collect();
        codes.insert(&self.meta.home);
        codes.extend(self.suppliers.values().map(|s| &s.country));
        for item in self.items.values() {
            codes.extend(item.supply.iter().filter_map(|e| e.country.as_ref()));
        }
        for sc in self.scenarios.values() {
            codes.extend(sc.fail.countries.iter().chain(sc.tariffs.keys()));
        }
        codes.extend(self.meta.regimes.values());
        codes
    }

    /// Systems in declaration order.
    pub fn systems(&self) -> impl Iterator<Item = &Item> {
        self.items.values().filter(|i| i.kind == ItemKind::System)
    }

    /// "path:line:column" for a location.
    pub fn describe(&self, loc: Location) -> String {
        let path = self
            .files
            .get(loc.file as usize)
            .map(|f| f.path.display().to_string())
            .unwrap_or_else(|| "<input>".into());
        format!("{path}:{}:{}", loc.line, loc.column)
    }

    /// A country's display name in `lang`, falling back to the code.
    pub fn country_name(&self, code: &CountryCode, lang: Lang) -> String {
        match self.countries.get(code) {
            Some(c) => match (lang, &c.name_zh, &c.name) {
                (Lang::Zh, Some(zh), _) => zh.clone(),
                (_, _, Some(n)) => n.clone(),
                _ => code.to_string(),
            },
            None => code.to_string(),
        }
    }

    /// Who a supply edge is, for people: the supplier's name, or "unnamed
    /// producers in <country>" for a source known only by country.
    pub fn source_label(&self, edge: &SupplyEdge, lang: Lang) -> String {
        match &edge.supplier {
            Some(s) => self.supplier_name(s, lang),
            None => unnamed_label(&self.country_name(self.edge_country(edge), lang), lang),
        }
    }

    /// The chain of owners of supplier `id`, nearest first, ending at its top
    /// parent (spec §3.10); empty for a supplier without `parent`. Stops at a
    /// repeat, so even an unvalidated cycle ends.
    pub fn parent_chain(&self, id: &SupplierId) -> Vec<&SupplierId> {
        let mut chain: Vec<&SupplierId> = Vec::new();
        let mut at = self.suppliers.get(id).and_then(|s| s.parent.as_ref());
        while let Some(p) = at {
            if p == id || chain.contains(&p) {
                break;
            }
            chain.push(p);
            at = self.suppliers.get(p).and_then(|s| s.parent.as_ref());
        }
        chain
    }

    /// top(s) of spec §3.10: the end of the supplier's parent chain, or itself.
    pub fn top_parent<'a>(&'a self, id: &'a SupplierId) -> &'a SupplierId {
        self.parent_chain(id).last().copied().unwrap_or(id)
    }

    /// A supplier's display name in `lang`.
    pub fn supplier_name(&self, id: &SupplierId, lang: Lang) -> String {
        match self.suppliers.get(id) {
            Some(s) => match (lang, &s.name_zh) {
                (Lang::Zh, Some(zh)) => zh.clone(),
                _ => s.name.clone(),
            },
            None => id.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Capped at the total, the map ends at exactly that size; uncapped, it
    /// never holds more than twice its entries (IndexMap's own growth reserves
    /// up to its hash table's capacity: 1,835,008 entries for a million).
    #[test]
    fn grow_by_doubling_stays_exact() {
        let n = 1_000_000;
        let mut capped: IndexMap<u32, ()> = IndexMap::new();
        let mut open: IndexMap<u32, ()> = IndexMap::new();
        for i in 0..n as u32 {
            grow_by_doubling(&mut capped, n);
            capped.insert(i, ());
            grow_by_doubling(&mut open, usize::MAX);
            open.insert(i, ());
        }
        assert_eq!(capped.capacity(), n);
        assert_eq!(open.capacity(), 16 << 16);
        let mut native: IndexMap<u32, ()> = IndexMap::new();
        native.extend((0..n as u32).map(|i| (i, ())));
        assert!(native.capacity() > open.capacity());
    }
}
