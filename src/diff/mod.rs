//! Change tracking (`chokepoint diff`): what changed between two versions of a
//! graph — the data (items, requirement and supply edges, shares, citations…)
//! and every metric per system (embodied import share, minimal cut sets, risk
//! bands, scenario TTS and PI).
//!
//! Owns: the matching keys of entities and edges, the [`GraphDiff`] result and its
//! renderings. Never: reads files or runs git (the CLI does), mutates either
//! model, or lets hash order reach the output: every list is sorted.
//! Decisions the spec leaves open are in docs/mitigate.md ("diff").

mod render;

use crate::analysis::{
    embodied_import_shares, minimal_cut_sets, risk_scores, Band, EventKind, Weights,
};
use crate::graph::SupplyGraph;
use crate::model::{Case, Estimate, Item, Model, Requirement, RequirementTarget, SupplyEdge};
use crate::output::round9;
use crate::scenario::{self, ScenarioSpec};
use serde::Serialize;
use std::collections::BTreeMap;

/// Version tag of the JSON shape (docs/json.md).
pub const SCHEMA: &str = "chokepoint/diff/1";

/// How the metrics of both graphs are computed.
#[derive(Clone, Debug, PartialEq)]
pub struct DiffOptions {
    pub case: Case,
    pub by: EventKind,
    /// Highest cut-set order compared.
    pub order: usize,
    pub weights: Weights,
    pub assumptions: crate::graph::Assumptions,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions {
            case: Case::Mid,
            by: EventKind::Country,
            order: 2,
            weights: Weights::default(),
            assumptions: Default::default(),
        }
    }
}

/// What kind of entity a [`Change`] is about, in report order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    Meta,
    Country,
    Reference,
    Supplier,
    Item,
    Requirement,
    Supply,
    Scenario,
    Figure,
}

impl Entity {
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Meta => "meta",
            Entity::Country => "country",
            Entity::Reference => "reference",
            Entity::Supplier => "supplier",
            Entity::Item => "item",
            Entity::Requirement => "requirement",
            Entity::Supply => "supply",
            Entity::Scenario => "scenario",
            Entity::Figure => "figure",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Removed,
    Added,
    Changed,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Removed => "removed",
            ChangeKind::Added => "added",
            ChangeKind::Changed => "changed",
        }
    }
}

/// One data change. Keys: an id; `parent → child` (or `parent → any_of[a, b]`)
/// for a requirement; `item ← supplier (country)` for a supply edge; `#2`, `#3`…
/// is appended to repeated keys. `old`/`new` hold the changed field's values, or
/// a short summary of an added/removed entity.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    pub entity: Entity,
    pub key: String,
    pub change: ChangeKind,
    pub field: Option<String>,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// A cut set as event ids (sorted).
pub type CutSetIds = Vec<String>;

/// One system present in both graphs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SystemDelta {
    pub id: String,
    pub embodied_import_share_old: Option<f64>,
    pub embodied_import_share_new: Option<f64>,
    pub coverage_old: Option<f64>,
    pub coverage_new: Option<f64>,
    /// Minimal cut sets (up to `order`) only in the new graph.
    pub cut_sets_added: Vec<CutSetIds>,
    /// Minimal cut sets only in the old graph.
    pub cut_sets_removed: Vec<CutSetIds>,
}

impl SystemDelta {
    pub fn changed(&self) -> bool {
        self.embodied_import_share_old != self.embodied_import_share_new
            || self.coverage_old != self.coverage_new
            || !self.cut_sets_added.is_empty()
            || !self.cut_sets_removed.is_empty()
    }
}

/// An item present in both graphs whose risk band changed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RiskChange {
    pub id: String,
    pub band_old: Band,
    pub band_new: Band,
    pub score_old: f64,
    pub score_new: f64,
}

/// One system under one scenario present in both graphs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioDelta {
    pub scenario: String,
    pub system: String,
    /// None = survives the horizon.
    pub tts_old: Option<u32>,
    pub tts_new: Option<u32>,
    /// None = no market value.
    #[serde(serialize_with = "crate::scenario::round_opt")]
    pub impact_old: Option<f64>,
    #[serde(serialize_with = "crate::scenario::round_opt")]
    pub impact_new: Option<f64>,
}

impl ScenarioDelta {
    pub fn changed(&self) -> bool {
        self.tts_old != self.tts_new
            || self.impact_old.map(scenario::stable_number)
                != self.impact_new.map(scenario::stable_number)
    }
}

/// The result of [`diff`]; its JSON form is documented in docs/json.md.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GraphDiff {
    pub schema: &'static str,
    /// What the old and new graphs are (a directory, or `rev:path`).
    pub old: String,
    pub new: String,
    pub case: Case,
    pub by: EventKind,
    pub order: usize,
    pub currency: String,
    /// Sorted by entity, key, kind of change, field.
    pub changes: Vec<Change>,
    /// Systems in both graphs, in the new graph's declaration order.
    pub systems: Vec<SystemDelta>,
    /// Items in both graphs whose band changed, by id.
    pub risk: Vec<RiskChange>,
    /// Scenarios in both graphs (new declaration order) × systems in both.
    pub scenarios: Vec<ScenarioDelta>,
    /// Display names of both graphs' items, suppliers and countries (the new
    /// graph's where both name an id), for the tables; the JSON keeps ids.
    #[serde(skip)]
    pub names: crate::model::Names,
}

fn fmt_num(x: f64) -> String {
    let r = round9(x);
    if r == r.trunc() && r.abs() < 1e15 {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}

/// "0.5", "0.1–0.3", or "0.2 (0.1–0.3)".
fn fmt_estimate(e: &Estimate) -> String {
    match (e.value, e.low, e.high) {
        (Some(v), Some(l), Some(h)) => format!("{} ({}–{})", fmt_num(v), fmt_num(l), fmt_num(h)),
        (Some(v), _, _) => fmt_num(v),
        (None, Some(l), Some(h)) => format!("{}–{}", fmt_num(l), fmt_num(h)),
        _ => fmt_num(e.mid()),
    }
}

fn join<T: std::fmt::Display>(v: &[T]) -> String {
    v.iter()
        .map(|x| x.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Collects field changes of one entity.
struct Fields<'c> {
    out: &'c mut Vec<Change>,
    entity: Entity,
    key: String,
}

impl Fields<'_> {
    fn text(&mut self, field: &str, old: Option<String>, new: Option<String>) {
        if old != new {
            self.out.push(Change {
                entity: self.entity,
                key: self.key.clone(),
                change: ChangeKind::Changed,
                field: Some(field.to_string()),
                old,
                new,
            });
        }
    }
    fn list<T: std::fmt::Display + PartialEq>(&mut self, field: &str, old: &[T], new: &[T]) {
        if old != new {
            let show = |v: &[T]| (!v.is_empty()).then(|| join(v));
            self.text(field, show(old), show(new));
        }
    }
    /// An estimate: its numbers, then its cite, confidence and note.
    fn estimate(&mut self, field: &str, old: Option<&Estimate>, new: Option<&Estimate>) {
        self.text(field, old.map(fmt_estimate), new.map(fmt_estimate));
        let (oc, nc) = (
            old.map(|e| e.cite.clone()).unwrap_or_default(),
            new.map(|e| e.cite.clone()).unwrap_or_default(),
        );
        self.list(&format!("{field}.cite"), &oc, &nc);
        self.text(
            &format!("{field}.confidence"),
            old.and_then(|e| e.confidence)
                .map(|c| c.as_str().to_string()),
            new.and_then(|e| e.confidence)
                .map(|c| c.as_str().to_string()),
        );
        self.text(
            &format!("{field}.note"),
            old.and_then(|e| e.note.clone()),
            new.and_then(|e| e.note.clone()),
        );
    }
}

/// Matches two keyed lists: removed (old only), added (new only), and both.
fn match_keyed<'a, T>(
    out: &mut Vec<Change>,
    entity: Entity,
    old: &BTreeMap<String, &'a T>,
    new: &BTreeMap<String, &'a T>,
    summary: impl Fn(&T) -> Option<String>,
    mut fields: impl FnMut(&mut Fields, &T, &T),
) {
    for (k, o) in old {
        match new.get(k) {
            None => out.push(Change {
                entity,
                key: k.clone(),
                change: ChangeKind::Removed,
                field: None,
                old: summary(o),
                new: None,
            }),
            Some(n) => {
                let mut f = Fields {
                    out,
                    entity,
                    key: k.clone(),
                };
                fields(&mut f, o, n);
            }
        }
    }
    for (k, n) in new {
        if !old.contains_key(k) {
            out.push(Change {
                entity,
                key: k.clone(),
                change: ChangeKind::Added,
                field: None,
                old: None,
                new: summary(n),
            });
        }
    }
}

/// Keys a list, appending `#2`, `#3`… to repeats (in list order).
fn keyed<'a, T>(items: impl Iterator<Item = (String, &'a T)>) -> BTreeMap<String, &'a T> {
    let mut out = BTreeMap::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (k, v) in items {
        let n = seen.entry(k.clone()).or_insert(0);
        *n += 1;
        let key = if *n == 1 { k } else { format!("{k} #{n}") };
        out.insert(key, v);
    }
    out
}

fn target_key(t: &RequirementTarget) -> String {
    match t {
        RequirementTarget::Item(id) => id.to_string(),
        RequirementTarget::AnyOf(ids) => format!("any_of[{}]", join(ids)),
    }
}

fn requirements(m: &Model) -> BTreeMap<String, &Requirement> {
    keyed(m.items.values().flat_map(|i| {
        i.requires
            .iter()
            .map(move |r| (format!("{} → {}", i.id, target_key(&r.target)), r))
    }))
}

/// A supply entry: the edge, and for a standby one (spec §3.12) its qualify_days.
struct Entry<'m> {
    edge: &'m SupplyEdge,
    standby: Option<Option<&'m Estimate>>,
}

/// Regular entries, then standby ones, keyed alike (a source that turns
/// standby or back is a change of its `standby` field); repeats are numbered
/// by [`keyed`].
fn supply_entries(m: &Model) -> Vec<(String, Entry<'_>)> {
    let mut out = Vec::new();
    for i in m.items.values() {
        let regular = i.supply.iter().map(|edge| Entry {
            edge,
            standby: None,
        });
        let standby = i.standby.iter().map(|s| Entry {
            edge: &s.edge,
            standby: Some(s.qualify_days.as_deref()),
        });
        for x in regular.chain(standby) {
            let e = x.edge;
            let k = match e.supplier_id() {
                Some(s) => format!("{} ← {} ({})", i.id, s, m.edge_country(e)),
                // Unnamed producers are their own entry, one per country.
                None => format!(
                    "{} ← {}",
                    i.id,
                    crate::model::unnamed_label(m.edge_country(e).as_str(), crate::model::Lang::En)
                ),
            };
            out.push((k, x));
        }
    }
    out
}

/// One input of a source: its target, with any member's qualify_days
/// (`any_of[a, b (qualify_days 30)]`).
fn input_text(r: &Requirement) -> String {
    match &r.target {
        RequirementTarget::AnyOf(ids) if r.member_qualify.is_some() => format!(
            "any_of[{}]",
            ids.iter()
                .enumerate()
                .map(|(k, id)| match r.qualify_days(k) {
                    Some(q) => format!("{id} (qualify_days {})", fmt_estimate(q)),
                    None => id.to_string(),
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
        t => target_key(t),
    }
}

/// A source's own inputs as text: `bom`, or its list (`[a, any_of[b, c]]`);
/// `None` when the entry says nothing (the default of its country).
fn source_inputs(e: &SupplyEdge) -> Option<String> {
    match e.requires.as_deref()? {
        crate::model::SourceInputs::Bom => Some("bom".into()),
        crate::model::SourceInputs::List(list) => Some(format!(
            "[{}]",
            list.iter().map(input_text).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// The data changes between two models, sorted.
pub fn data_changes(old: &Model, new: &Model) -> Vec<Change> {
    let mut out = Vec::new();
    {
        let mut f = Fields {
            out: &mut out,
            entity: Entity::Meta,
            key: "meta".into(),
        };
        f.text(
            "title",
            Some(old.meta.title.clone()),
            Some(new.meta.title.clone()),
        );
        f.text(
            "home",
            Some(old.meta.home.to_string()),
            Some(new.meta.home.to_string()),
        );
        f.text(
            "currency",
            Some(old.meta.currency.clone()),
            Some(new.meta.currency.clone()),
        );
        f.text("as_of", old.meta.as_of.clone(), new.meta.as_of.clone());
        let regimes = |m: &Model| -> Vec<String> {
            m.meta
                .regimes
                .iter()
                .map(|(r, c)| format!("{r}={c}"))
                .collect()
        };
        f.list("regimes", &regimes(old), &regimes(new));
    }
    match_keyed(
        &mut out,
        Entity::Country,
        &keyed(old.countries.values().map(|c| (c.id.to_string(), c))),
        &keyed(new.countries.values().map(|c| (c.id.to_string(), c))),
        |c| c.name.clone(),
        |f, o, n| {
            f.text("name", o.name.clone(), n.name.clone());
            f.text("name_zh", o.name_zh.clone(), n.name_zh.clone());
        },
    );
    match_keyed(
        &mut out,
        Entity::Reference,
        &keyed(old.references.values().map(|r| (r.id.to_string(), r))),
        &keyed(new.references.values().map(|r| (r.id.to_string(), r))),
        |r| Some(r.title.clone()),
        |f, o, n| {
            f.text("title", Some(o.title.clone()), Some(n.title.clone()));
            f.text("file", o.file.clone(), n.file.clone());
            f.text("url", o.url.clone(), n.url.clone());
            f.text(
                "year",
                o.year.map(|y| y.to_string()),
                n.year.map(|y| y.to_string()),
            );
            f.text("note", o.note.clone(), n.note.clone());
        },
    );
    match_keyed(
        &mut out,
        Entity::Supplier,
        &keyed(old.suppliers.values().map(|s| (s.id.to_string(), s))),
        &keyed(new.suppliers.values().map(|s| (s.id.to_string(), s))),
        |s| Some(format!("{} ({})", s.name, s.country)),
        |f, o, n| {
            f.text("name", Some(o.name.clone()), Some(n.name.clone()));
            f.text("name_zh", o.name_zh.clone(), n.name_zh.clone());
            f.text(
                "country",
                Some(o.country.to_string()),
                Some(n.country.to_string()),
            );
            f.text(
                "parent",
                o.parent.as_ref().map(|p| p.to_string()),
                n.parent.as_ref().map(|p| p.to_string()),
            );
            f.estimate(
                "disruption_probability",
                o.disruption_probability.as_ref(),
                n.disruption_probability.as_ref(),
            );
            f.list("cite", &o.cite, &n.cite);
            f.text("note", o.note.clone(), n.note.clone());
        },
    );
    match_keyed(
        &mut out,
        Entity::Item,
        &keyed(old.items.values().map(|i| (i.id.to_string(), i))),
        &keyed(new.items.values().map(|i| (i.id.to_string(), i))),
        |i: &Item| Some(format!("{} ({})", i.name, i.kind.as_str())),
        |f, o, n| {
            f.text(
                "kind",
                Some(o.kind.as_str().into()),
                Some(n.kind.as_str().into()),
            );
            f.text("name", Some(o.name.clone()), Some(n.name.clone()));
            f.text("name_zh", o.name_zh.clone(), n.name_zh.clone());
            f.estimate(
                "market_value",
                o.market_value.as_deref(),
                n.market_value.as_deref(),
            );
            f.estimate(
                "import_share",
                o.import_share.as_deref(),
                n.import_share.as_deref(),
            );
            f.estimate(
                "stock_days",
                o.stock_days.as_deref(),
                n.stock_days.as_deref(),
            );
            f.estimate(
                "recovery_days",
                o.recovery_days.as_deref(),
                n.recovery_days.as_deref(),
            );
            f.list("export_controls", &o.export_controls, &n.export_controls);
            f.list("cite", &o.cite, &n.cite);
            f.text("note", o.note.clone(), n.note.clone());
        },
    );
    match_keyed(
        &mut out,
        Entity::Requirement,
        &requirements(old),
        &requirements(new),
        |r| {
            let cost = r
                .cost_share
                .as_ref()
                .map(|c| format!("cost_share {}", fmt_estimate(c)));
            match (r.role, cost) {
                (crate::model::Role::Production, cost) => cost,
                (role, None) => Some(format!("role {}", role.as_str())),
                (role, Some(cost)) => Some(format!("{cost}, role {}", role.as_str())),
            }
        },
        |f, o, n| {
            f.text("qty", Some(fmt_num(o.qty)), Some(fmt_num(n.qty)));
            f.text(
                "role",
                Some(o.role.as_str().into()),
                Some(n.role.as_str().into()),
            );
            f.estimate(
                "cost_share",
                o.cost_share.as_deref(),
                n.cost_share.as_deref(),
            );
            // The key names the members, so both sides list the same ones.
            for (k, m) in o.target.members().iter().enumerate() {
                f.estimate(
                    &format!("qualify_days[{m}]"),
                    o.qualify_days(k),
                    n.qualify_days(k),
                );
            }
            f.list("cite", &o.cite, &n.cite);
            f.text("note", o.note.clone(), n.note.clone());
        },
    );
    let (old_supply, new_supply) = (supply_entries(old), supply_entries(new));
    match_keyed(
        &mut out,
        Entity::Supply,
        &keyed(old_supply.iter().map(|(k, x)| (k.clone(), x))),
        &keyed(new_supply.iter().map(|(k, x)| (k.clone(), x))),
        |x: &Entry| {
            let e = x.edge;
            let mut text = format!("share {}", fmt_estimate(&e.share));
            if let Some(inputs) = source_inputs(e) {
                text.push_str(&format!(", requires {inputs}"));
            }
            if let Some(q) = x.standby {
                text.push_str(", standby");
                if let Some(q) = q {
                    text.push_str(&format!(", qualify_days {}", fmt_estimate(q)));
                }
            }
            Some(text)
        },
        |f, ox, nx| {
            let (o, n) = (ox.edge, nx.edge);
            f.estimate("share", Some(&o.share), Some(&n.share));
            f.text("requires", source_inputs(o), source_inputs(n));
            f.text(
                "standby",
                Some(ox.standby.is_some().to_string()),
                Some(nx.standby.is_some().to_string()),
            );
            f.estimate("qualify_days", ox.standby.flatten(), nx.standby.flatten());
            f.list("cite", &o.cite, &n.cite);
            f.text("note", o.note.clone(), n.note.clone());
        },
    );
    match_keyed(
        &mut out,
        Entity::Scenario,
        &keyed(old.scenarios.values().map(|s| (s.id.to_string(), s))),
        &keyed(new.scenarios.values().map(|s| (s.id.to_string(), s))),
        |s| Some(s.name.clone()),
        |f, o, n| {
            f.text("name", Some(o.name.clone()), Some(n.name.clone()));
            f.text("name_zh", o.name_zh.clone(), n.name_zh.clone());
            f.list("fail.countries", &o.fail.countries, &n.fail.countries);
            f.list("fail.suppliers", &o.fail.suppliers, &n.fail.suppliers);
            f.list("fail.items", &o.fail.items, &n.fail.items);
            let tariffs = |s: &crate::model::Scenario| {
                let v: Vec<String> = s
                    .tariffs
                    .iter()
                    .map(|(c, r)| format!("{c}={}", fmt_num(*r)))
                    .collect();
                v
            };
            f.list("tariffs", &tariffs(o), &tariffs(n));
            f.text(
                "duration_days",
                Some(o.duration_days.to_string()),
                Some(n.duration_days.to_string()),
            );
            f.list("cite", &o.cite, &n.cite);
            f.text("note", o.note.clone(), n.note.clone());
        },
    );
    match_keyed(
        &mut out,
        Entity::Figure,
        &keyed(old.figures.iter().map(|x| (x.id.clone(), x))),
        &keyed(new.figures.iter().map(|x| (x.id.clone(), x))),
        |x| Some(x.name.clone()),
        |f, o, n| {
            f.text("name", Some(o.name.clone()), Some(n.name.clone()));
            f.estimate("value", Some(&o.value), Some(&n.value));
            f.text("unit", o.unit.clone(), n.unit.clone());
            f.list("cite", &o.cite, &n.cite);
            f.text("note", o.note.clone(), n.note.clone());
        },
    );
    out.sort();
    out
}

fn cut_set_ids(
    g: &SupplyGraph,
    system: crate::graph::ItemIx,
    opts: &DiffOptions,
) -> Result<Vec<CutSetIds>, crate::analysis::CutSetLimit> {
    let mut v: Vec<CutSetIds> = minimal_cut_sets(g, system, opts.by, opts.order, opts.case)?
        .iter()
        .map(|c| {
            let mut ids: Vec<String> = c.events.iter().map(|e| e.id(g)).collect();
            ids.sort();
            ids
        })
        .collect();
    v.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    Ok(v)
}

/// Compares two graphs: their data and every metric per system. `old_label` and
/// `new_label` name them in the output.
pub fn diff(
    old: &Model,
    new: &Model,
    old_label: &str,
    new_label: &str,
    opts: &DiffOptions,
) -> Result<GraphDiff, crate::analysis::CutSetLimit> {
    let changes = data_changes(old, new);
    let go = SupplyGraph::with_assumptions(old, opts.assumptions);
    let gn = SupplyGraph::with_assumptions(new, opts.assumptions);
    let order = opts.order.clamp(1, crate::analysis::MAX_ORDER);
    let opts = &DiffOptions {
        order,
        ..opts.clone()
    };
    let eid_o = embodied_import_shares(&go, opts.case);
    let eid_n = embodied_import_shares(&gn, opts.case);
    let both: Vec<(crate::graph::ItemIx, crate::graph::ItemIx)> = gn
        .systems()
        .iter()
        .filter_map(|&sn| go.item_ix(gn.item(sn).id.as_str()).map(|so| (so, sn)))
        .filter(|(so, _)| go.item(*so).kind == crate::model::ItemKind::System)
        .collect();
    let systems = both
        .iter()
        .map(|&(so, sn)| {
            let co = cut_set_ids(&go, so, opts)?;
            let cn = cut_set_ids(&gn, sn, opts)?;
            Ok(SystemDelta {
                id: gn.item(sn).id.to_string(),
                embodied_import_share_old: eid_o[so.index()].map(|(e, _)| round9(e)),
                embodied_import_share_new: eid_n[sn.index()].map(|(e, _)| round9(e)),
                coverage_old: eid_o[so.index()].map(|(_, c)| round9(c)),
                coverage_new: eid_n[sn.index()].map(|(_, c)| round9(c)),
                cut_sets_added: cn.iter().filter(|c| !co.contains(c)).cloned().collect(),
                cut_sets_removed: co.iter().filter(|c| !cn.contains(c)).cloned().collect(),
            })
        })
        .collect::<Result<Vec<_>, crate::analysis::CutSetLimit>>()?;

    let ro = risk_scores(&go, opts.case, &opts.weights);
    let rn = risk_scores(&gn, opts.case, &opts.weights);
    let mut risk: Vec<RiskChange> = gn
        .items()
        .filter_map(|n| {
            let o = go.item_ix(gn.item(n).id.as_str())?;
            let (a, b) = (&ro[o.index()], &rn[n.index()]);
            (a.band != b.band).then(|| RiskChange {
                id: gn.item(n).id.to_string(),
                band_old: a.band,
                band_new: b.band,
                score_old: round9(a.score),
                score_new: round9(b.score),
            })
        })
        .collect();
    risk.sort_by(|a, b| a.id.cmp(&b.id));

    let mut scenarios = Vec::new();
    let systems_o: Vec<_> = both.iter().map(|(o, _)| *o).collect();
    let systems_n: Vec<_> = both.iter().map(|(_, n)| *n).collect();
    for sc_new in new.scenarios.values() {
        let Some(sc_old) = old.scenarios.get(sc_new.id.as_str()) else {
            continue;
        };
        let oo = scenario::simulate_systems(
            &go,
            &ScenarioSpec::from_declared(&go, sc_old),
            opts.case,
            &systems_o,
        );
        let on = scenario::simulate_systems(
            &gn,
            &ScenarioSpec::from_declared(&gn, sc_new),
            opts.case,
            &systems_n,
        );
        for (a, b) in oo.systems.iter().zip(&on.systems) {
            scenarios.push(ScenarioDelta {
                scenario: sc_new.id.to_string(),
                system: b.id.clone(),
                tts_old: a.tts,
                tts_new: b.tts,
                impact_old: a.impact,
                impact_new: b.impact,
            });
        }
    }

    Ok(GraphDiff {
        schema: SCHEMA,
        old: old_label.to_string(),
        new: new_label.to_string(),
        case: opts.case,
        by: opts.by,
        order,
        currency: new.meta.currency.clone(),
        changes,
        systems,
        risk,
        scenarios,
        names: {
            let mut names = crate::model::Names::of(old);
            names.add(new);
            names
        },
    })
}
