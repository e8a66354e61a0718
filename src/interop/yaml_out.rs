//! Model → graph YAML (the input contract of spec §2), for importers.
//!
//! Owns: plain serde structs that mirror the graph file schema key for key, and
//! [`to_yaml`]. The text it produces loads with `load::load_dir` into a model equal
//! to the one written (every field, including citations), which the tests check.
//! Never: validates (the loader does) or writes files (callers use
//! `output::write_atomic`).

use crate::model::{Estimate, Model, RequirementTarget};
use serde::Serialize;

/// Renders a whole model as one graph YAML document.
///
/// Items and their requirements are serialized as they are written (no
/// document tree of a million items beside the model), straight after the
/// header line (no second copy of the text).
pub fn to_yaml(model: &Model) -> String {
    let doc = GraphDoc::from_model(model);
    let mut text =
        b"# Written by `chokepoint import`; edit freely, then run `chokepoint check`.\n".to_vec();
    serde_yaml::to_writer(&mut text, &doc).expect("plain data always serializes");
    text.shrink_to_fit();
    String::from_utf8(text).expect("the YAML emitter writes UTF-8")
}

/// A sequence serialized from an iterator while it is written.
struct Lazy<I>(I);

impl<I> Serialize for Lazy<I>
where
    I: Iterator + Clone,
    I::Item: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.clone())
    }
}

impl<I: Iterator + Clone> Lazy<I> {
    fn is_empty(&self) -> bool {
        self.0.clone().next().is_none()
    }
}

/// The documents of a list of model entities, made one at a time.
type LazyDocs<'m, T, D> = Lazy<std::iter::Map<std::slice::Iter<'m, T>, fn(&'m T) -> D>>;
type LazyItems<'m> = Lazy<
    std::iter::Map<
        indexmap::map::Values<'m, crate::model::ItemId, crate::model::Item>,
        fn(&'m crate::model::Item) -> ItemDoc<'m>,
    >,
>;

#[derive(Serialize)]
struct GraphDoc<'m> {
    meta: MetaDoc<'m>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    countries: Vec<CountryDoc<'m>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    references: Vec<ReferenceDoc<'m>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppliers: Vec<SupplierDoc<'m>>,
    #[serde(skip_serializing_if = "Lazy::is_empty")]
    items: LazyItems<'m>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    scenarios: Vec<ScenarioDoc<'m>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    figures: Vec<FigureDoc<'m>>,
}

#[derive(Serialize)]
struct MetaDoc<'m> {
    title: &'m str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title_zh: Option<&'m str>,
    home: &'m str,
    currency: &'m str,
    #[serde(skip_serializing_if = "Option::is_none")]
    as_of: Option<&'m str>,
    #[serde(skip_serializing_if = "indexmap::IndexMap::is_empty")]
    regimes: indexmap::IndexMap<&'m str, &'m str>,
}

#[derive(Serialize)]
struct CountryDoc<'m> {
    id: &'m str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'m str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name_zh: Option<&'m str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    disruption_probability: Option<EstimateDoc<'m>>,
}

#[derive(Serialize)]
struct ReferenceDoc<'m> {
    id: &'m str,
    title: &'m str,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'m str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'m str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    year: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'m str>,
}

#[derive(Serialize)]
struct SupplierDoc<'m> {
    id: &'m str,
    name: &'m str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name_zh: Option<&'m str>,
    country: &'m str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<&'m str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cite: Vec<&'m str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'m str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    disruption_probability: Option<EstimateDoc<'m>>,
}

#[derive(Serialize)]
struct ItemDoc<'m> {
    id: &'m str,
    kind: &'static str,
    name: &'m str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name_zh: Option<&'m str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    market_value: Option<EstimateDoc<'m>>,
    #[serde(skip_serializing_if = "Lazy::is_empty")]
    requires: LazyDocs<'m, crate::model::Requirement, RequirementDoc<'m>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    supply: Vec<SupplyDoc<'m>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    import_share: Option<EstimateDoc<'m>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stock_days: Option<EstimateDoc<'m>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recovery_days: Option<EstimateDoc<'m>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    export_controls: Vec<&'m str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cite: Vec<&'m str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'m str>,
}

#[derive(Serialize)]
struct RequirementDoc<'m> {
    #[serde(skip_serializing_if = "Option::is_none")]
    item: Option<&'m str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    any_of: Option<Vec<MemberDoc<'m>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    qty: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cost_share: Option<EstimateDoc<'m>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cite: Vec<&'m str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'m str>,
}

#[derive(Serialize)]
struct SupplyDoc<'m> {
    #[serde(skip_serializing_if = "Option::is_none")]
    supplier: Option<&'m str>,
    share: EstimateDoc<'m>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<&'m str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    requires: Option<SourceInputsDoc<'m>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    standby: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    qualify_days: Option<EstimateDoc<'m>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cite: Vec<&'m str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'m str>,
}

/// A member of `any_of`: its id, or `{ item, qualify_days }` (spec §3.12).
#[derive(Serialize)]
#[serde(untagged)]
enum MemberDoc<'m> {
    Id(&'m str),
    Qualified {
        item: &'m str,
        qualify_days: EstimateDoc<'m>,
    },
}

/// A source's own inputs: the word `bom`, or a list without qty, cost share or role.
#[derive(Serialize)]
#[serde(untagged)]
enum SourceInputsDoc<'m> {
    Bom(&'static str),
    List(Vec<RequirementDoc<'m>>),
}

#[derive(Serialize)]
struct FailDoc<'m> {
    countries: Vec<&'m str>,
    suppliers: Vec<&'m str>,
    items: Vec<&'m str>,
}

#[derive(Serialize)]
struct ScenarioDoc<'m> {
    id: &'m str,
    name: &'m str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name_zh: Option<&'m str>,
    fail: FailDoc<'m>,
    #[serde(skip_serializing_if = "indexmap::IndexMap::is_empty")]
    tariffs: indexmap::IndexMap<&'m str, f64>,
    duration_days: u32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cite: Vec<&'m str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'m str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note_zh: Option<&'m str>,
}

#[derive(Serialize)]
struct FigureDoc<'m> {
    id: &'m str,
    name: &'m str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name_zh: Option<&'m str>,
    value: EstimateDoc<'m>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<&'m str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cite: Vec<&'m str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'m str>,
}

/// An estimate: a bare number when it is only a value, else the full mapping.
#[derive(Serialize)]
#[serde(untagged)]
enum EstimateDoc<'m> {
    Bare(f64),
    Full {
        #[serde(skip_serializing_if = "Option::is_none")]
        value: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        low: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        high: Option<f64>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        cite: Vec<&'m str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        confidence: Option<&'static str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<&'m str>,
    },
}

impl<'m> EstimateDoc<'m> {
    fn new(e: &'m Estimate) -> Self {
        let bare = e.low.is_none()
            && e.high.is_none()
            && e.cite.is_empty()
            && e.confidence.is_none()
            && e.note.is_none();
        match (bare, e.value) {
            (true, Some(v)) => EstimateDoc::Bare(v),
            _ => EstimateDoc::Full {
                value: e.value,
                low: e.low,
                high: e.high,
                cite: strs(&e.cite),
                confidence: e.confidence.map(|c| c.as_str()),
                note: e.note.as_deref(),
            },
        }
    }
}

fn strs<T: IdStr>(v: &[T]) -> Vec<&str> {
    v.iter().map(|s| s.id_str()).collect()
}

/// The string of an id newtype (a local trait, so no impl leaks onto model types).
trait IdStr {
    fn id_str(&self) -> &str;
}

macro_rules! id_str {
    ($($t:ty),*) => {$(impl IdStr for $t { fn id_str(&self) -> &str { self.as_str() } })*};
}
id_str!(
    crate::model::ItemId,
    crate::model::SupplierId,
    crate::model::CountryCode,
    crate::model::ReferenceId
);

impl<'m> GraphDoc<'m> {
    fn from_model(m: &'m Model) -> Self {
        GraphDoc {
            meta: MetaDoc {
                title: &m.meta.title,
                title_zh: m.meta.title_zh.as_deref(),
                home: m.meta.home.as_str(),
                currency: &m.meta.currency,
                as_of: m.meta.as_of.as_deref(),
                regimes: m
                    .meta
                    .regimes
                    .iter()
                    .map(|(r, c)| (r.as_str(), c.as_str()))
                    .collect(),
            },
            countries: m
                .countries
                .values()
                .map(|c| CountryDoc {
                    id: c.id.as_str(),
                    name: c.name.as_deref(),
                    name_zh: c.name_zh.as_deref(),
                    disruption_probability: c.disruption_probability.as_ref().map(EstimateDoc::new),
                })
                .collect(),
            references: m
                .references
                .values()
                .map(|r| ReferenceDoc {
                    id: r.id.as_str(),
                    title: &r.title,
                    file: r.file.as_deref(),
                    url: r.url.as_deref(),
                    year: r.year,
                    note: r.note.as_deref(),
                })
                .collect(),
            suppliers: m
                .suppliers
                .values()
                .map(|s| SupplierDoc {
                    id: s.id.as_str(),
                    name: &s.name,
                    name_zh: s.name_zh.as_deref(),
                    country: s.country.as_str(),
                    parent: s.parent.as_ref().map(|p| p.as_str()),
                    cite: strs(&s.cite),
                    note: s.note.as_deref(),
                    disruption_probability: s.disruption_probability.as_ref().map(EstimateDoc::new),
                })
                .collect(),
            items: Lazy(m.items.values().map(item_doc as fn(&'m _) -> _)),
            scenarios: m
                .scenarios
                .values()
                .map(|s| ScenarioDoc {
                    id: s.id.as_str(),
                    name: &s.name,
                    name_zh: s.name_zh.as_deref(),
                    fail: FailDoc {
                        countries: strs(&s.fail.countries),
                        suppliers: strs(&s.fail.suppliers),
                        items: strs(&s.fail.items),
                    },
                    tariffs: s.tariffs.iter().map(|(c, t)| (c.as_str(), *t)).collect(),
                    duration_days: s.duration_days,
                    cite: strs(&s.cite),
                    note: s.note.as_deref(),
                    note_zh: s.note_zh.as_deref(),
                })
                .collect(),
            figures: m
                .figures
                .iter()
                .map(|f| FigureDoc {
                    id: &f.id,
                    name: &f.name,
                    name_zh: f.name_zh.as_deref(),
                    value: EstimateDoc::new(&f.value),
                    unit: f.unit.as_deref(),
                    cite: strs(&f.cite),
                    note: f.note.as_deref(),
                })
                .collect(),
        }
    }
}

fn item_doc<'m>(i: &'m crate::model::Item) -> ItemDoc<'m> {
    ItemDoc {
        id: i.id.as_str(),
        kind: i.kind.as_str(),
        name: &i.name,
        name_zh: i.name_zh.as_deref(),
        market_value: i.market_value.as_deref().map(EstimateDoc::new),
        requires: Lazy(i.requires.iter().map(requirement_doc as fn(&'m _) -> _)),
        supply: i
            .supply
            .iter()
            .map(|e| (e, None))
            .chain(i.standby.iter().map(|s| (&s.edge, Some(s))))
            .map(|(e, standby)| SupplyDoc {
                standby: standby.is_some(),
                qualify_days: standby
                    .and_then(|s| s.qualify_days.as_deref())
                    .map(EstimateDoc::new),
                supplier: e.supplier_id(),
                share: EstimateDoc::new(&e.share),
                country: e.country.as_ref().map(|c| c.as_str()),
                requires: e.requires.as_deref().map(|inputs| match inputs {
                    crate::model::SourceInputs::Bom => SourceInputsDoc::Bom("bom"),
                    crate::model::SourceInputs::List(list) => SourceInputsDoc::List(
                        list.iter()
                            .map(|r| RequirementDoc {
                                qty: None,
                                role: None,
                                cost_share: None,
                                ..requirement_doc(r)
                            })
                            .collect(),
                    ),
                }),
                cite: strs(&e.cite),
                note: e.note.as_deref(),
            })
            .collect(),
        import_share: i.import_share.as_deref().map(EstimateDoc::new),
        stock_days: i.stock_days.as_deref().map(EstimateDoc::new),
        recovery_days: i.recovery_days.as_deref().map(EstimateDoc::new),
        export_controls: i.export_controls.iter().map(|s| s.as_str()).collect(),
        cite: strs(&i.cite),
        note: i.note.as_deref(),
    }
}

fn requirement_doc(r: &crate::model::Requirement) -> RequirementDoc<'_> {
    let (item, any_of) = match &r.target {
        RequirementTarget::Item(id) => (Some(id.as_str()), None),
        RequirementTarget::AnyOf(ids) => (
            None,
            Some(
                ids.iter()
                    .enumerate()
                    .map(|(k, id)| match r.qualify_days(k) {
                        None => MemberDoc::Id(id.as_str()),
                        Some(q) => MemberDoc::Qualified {
                            item: id.as_str(),
                            qualify_days: EstimateDoc::new(q),
                        },
                    })
                    .collect(),
            ),
        ),
    };
    RequirementDoc {
        item,
        any_of,
        qty: Some(r.qty),
        cost_share: r.cost_share.as_deref().map(EstimateDoc::new),
        role: (r.role == crate::model::Role::Design).then_some("design"),
        cite: strs(&r.cite),
        note: r.note.as_deref(),
    }
}

/// The entries of a model's graph file, each as one JSON text in the graph
/// format (JSON is YAML: `load` reads them as it reads a graph file). The
/// CycloneDX export carries them as `chokepoint:entry*` properties, which is
/// what makes its round trip exact.
pub struct EntryTexts {
    pub meta: String,
    pub countries: Vec<String>,
    pub suppliers: Vec<String>,
    pub references: Vec<String>,
    pub scenarios: Vec<String>,
    pub figures: Vec<String>,
}

fn json<T: Serialize>(doc: &T) -> String {
    serde_json::to_string(doc).expect("plain data always serializes")
}

/// Every entry of `model` but its items ([`item_entry`]).
pub fn entry_texts(model: &Model) -> EntryTexts {
    let doc = GraphDoc::from_model(model);
    EntryTexts {
        meta: json(&doc.meta),
        countries: doc.countries.iter().map(json).collect(),
        suppliers: doc.suppliers.iter().map(json).collect(),
        references: doc.references.iter().map(json).collect(),
        scenarios: doc.scenarios.iter().map(json).collect(),
        figures: doc.figures.iter().map(json).collect(),
    }
}

/// One item's entry, as JSON text in the graph format.
pub fn item_entry(item: &crate::model::Item) -> String {
    json(&item_doc(item))
}
