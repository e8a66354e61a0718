//! Mitigation actions: the YAML actions file, the generated default candidates,
//! validation against a model, and applying a set of actions to a *copy* of it.
//!
//! Owns: the action schema (docs/mitigate.md), its located error messages, and
//! the rules that turn an action into a model edit (source rebalancing, stock
//! raise, any_of qualification). Never: mutates the model it was given — every
//! application starts from a clone.

use crate::analysis::{foreign_dependent, Screen};
use crate::graph::SupplyGraph;
use crate::load::yaml::{parse_documents, Node, Value};
use crate::model::{
    iso, Case, CountryCode, Estimate, ItemId, Model, RequirementTarget, Supplier, SupplierId,
    SupplyEdge,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// Share of a generated domestic source (spec-open; docs/mitigate.md).
pub const DEFAULT_SOURCE_SHARE: f64 = 0.5;
/// Stock level of a generated stock raise, in days of full demand.
pub const DEFAULT_STOCK_DAYS: f64 = 180.0;

/// What an action changes.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ActionKind {
    /// A new supply edge for `item` with normalised share `share`; the item's
    /// existing shares are scaled by (1 − share), so their sum stays ≤ 1.
    AddSource {
        item: String,
        /// The producing country of the new edge.
        country: String,
        /// An existing supplier, or `None` for a new firm (id `new:<item>:<country>`).
        supplier: Option<String>,
        share: f64,
    },
    /// Raise `item`'s stock to at least `days` days of full demand.
    RaiseStock { item: String, days: f64 },
    /// Qualify `alternative` wherever `parent` (or every parent, when `None`)
    /// requires `item`: a single requirement becomes `any_of: [item, alternative]`,
    /// an any_of group gains `alternative` as a member.
    QualifyAlternative {
        item: String,
        alternative: String,
        parent: Option<String>,
    },
    /// Qualify `item`'s standby source number `standby` (0-based, spec §3.12)
    /// ahead of a shock: it takes `lead_days` (its qualify_days), after which
    /// the source delivers from day 0 of any scenario.
    QualifyStandby {
        item: String,
        standby: usize,
        /// Who the standby source is (supplier id, or the country of unnamed producers).
        source: String,
        lead_days: f64,
    },
}

/// One candidate action.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Action {
    /// Unique among the candidates (given in the file, or generated).
    pub id: String,
    /// A plain-English sentence for tables and reports.
    pub description: String,
    /// The same sentence in Chinese (`--lang zh`); not in the JSON, whose
    /// `description` stays the one of the graph's data language.
    #[serde(skip)]
    pub description_zh: String,
    #[serde(flatten)]
    pub kind: ActionKind,
}

impl Action {
    /// The item the action acts on.
    pub fn item(&self) -> &str {
        match &self.kind {
            ActionKind::AddSource { item, .. }
            | ActionKind::RaiseStock { item, .. }
            | ActionKind::QualifyAlternative { item, .. }
            | ActionKind::QualifyStandby { item, .. } => item,
        }
    }
}

/// A problem in an actions file: the one diagnostic type of the tool, placed
/// at "file:line:column" (or the file alone when no position applies), code
/// A001 (the file's shape) or A002 (an action that does not fit the graph).
pub type ActionError = crate::load::Diagnostic;

fn action_error(code: crate::load::Code, at: String, message: String) -> ActionError {
    crate::load::Diagnostic::unlocated(code, at, message)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionsFile {
    actions: Vec<RawEntry>,
}

/// One list entry: a mapping with exactly one of the three keys (checked after
/// parsing, so the message can name the entry).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    add_source: Option<AddSourceSpec>,
    raise_stock: Option<RaiseStockSpec>,
    qualify_alternative: Option<QualifySpec>,
    qualify_standby: Option<QualifyStandbySpec>,
}

enum ActionEntry {
    AddSource(AddSourceSpec),
    RaiseStock(RaiseStockSpec),
    QualifyAlternative(QualifySpec),
    QualifyStandby(QualifyStandbySpec),
}

/// `qualify_standby: { item, source }`: the standby source of `item` whose
/// supplier is `source` (or, for unnamed producers, whose country is).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QualifyStandbySpec {
    id: Option<String>,
    item: String,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AddSourceSpec {
    id: Option<String>,
    item: String,
    share: f64,
    country: Option<String>,
    supplier: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RaiseStockSpec {
    id: Option<String>,
    item: String,
    days: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QualifySpec {
    id: Option<String>,
    item: String,
    alternative: String,
    parent: Option<String>,
}

/// Finds the node at a path of mapping keys / sequence indices.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

fn locate<'n>(root: &'n Node, path: &[Step]) -> Option<&'n Node> {
    let mut cur = root;
    for step in path {
        cur = match (step, &cur.value) {
            (Step::Key(k), Value::Map(entries)) => entries
                .iter()
                .find(|(key, _)| matches!(&key.value, Value::Scalar { text, .. } if text == k))
                .map(|(_, v)| v)?,
            (Step::Index(i), Value::Seq(items)) => items.get(*i)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// Parses and validates an actions file against `model`. `origin` names the file
/// in messages. Every problem is reported (not only the first), each at the
/// file:line:column of the offending value.
pub fn parse_actions(
    text: &str,
    origin: &str,
    model: &Model,
) -> Result<Vec<Action>, Vec<ActionError>> {
    let file: ActionsFile = serde_yaml::from_str(text).map_err(|e| {
        vec![crate::load::Diagnostic::from_serde_yaml(
            crate::load::Code::ActionsFile,
            origin,
            &e,
        )]
    })?;
    let tree = parse_documents(text, 0)
        .ok()
        .and_then(|d| d.into_iter().next());
    let at = |path: &[Step]| -> String {
        match tree.as_ref().and_then(|t| locate(t, path)) {
            Some(n) => format!("{origin}:{}:{}", n.loc.line, n.loc.column),
            None => origin.to_string(),
        }
    };
    let mut errors = Vec::new();
    let mut actions = Vec::new();
    let mut seen_ids: HashMap<String, usize> = HashMap::new();
    let g = SupplyGraph::new(model);
    for (i, raw) in file.actions.into_iter().enumerate() {
        let entry = match (
            raw.add_source,
            raw.raise_stock,
            raw.qualify_alternative,
            raw.qualify_standby,
        ) {
            (Some(a), None, None, None) => ActionEntry::AddSource(a),
            (None, Some(r), None, None) => ActionEntry::RaiseStock(r),
            (None, None, Some(q), None) => ActionEntry::QualifyAlternative(q),
            (None, None, None, Some(q)) => ActionEntry::QualifyStandby(q),
            _ => {
                errors.push(action_error(
                    crate::load::Code::ActionsFile,
                    at(&[Step::Key("actions"), Step::Index(i)]),
                    "each action needs exactly one of add_source, raise_stock, qualify_alternative, qualify_standby"
                        .into(),
                ));
                continue;
            }
        };
        let (variant, id) = match &entry {
            ActionEntry::AddSource(s) => ("add_source", s.id.clone()),
            ActionEntry::RaiseStock(s) => ("raise_stock", s.id.clone()),
            ActionEntry::QualifyAlternative(s) => ("qualify_alternative", s.id.clone()),
            ActionEntry::QualifyStandby(s) => ("qualify_standby", s.id.clone()),
        };
        let field_at = |field: &str| {
            at(&[
                Step::Key("actions"),
                Step::Index(i),
                Step::Key(variant),
                Step::Key(field),
            ])
        };
        let mut err = |field: &str, message: String| {
            errors.push(action_error(
                crate::load::Code::ActionInvalid,
                field_at(field),
                message,
            ))
        };
        let item_ok = |id: &str| model.items.contains_key(id);
        let built: Option<Action> = match entry {
            ActionEntry::QualifyStandby(s) => {
                if let Some(it) = model.items.get(s.item.as_str()) {
                    let found =
                        it.standby
                            .iter()
                            .enumerate()
                            .find(|(_, sb)| match &sb.edge.supplier {
                                Some(x) => x.as_str() == s.source,
                                None => model.edge_country(&sb.edge).as_str() == s.source,
                            });
                    match found {
                        Some((k, sb)) => {
                            let kind = ActionKind::QualifyStandby {
                                item: s.item.clone(),
                                standby: k,
                                source: s.source.clone(),
                                // The description's lead time: the mid case.
                                lead_days: sb.qualify_days.as_ref().map_or(0.0, |e| e.mid()),
                            };
                            Some(Action {
                                id: s
                                    .id
                                    .clone()
                                    .unwrap_or_else(|| format!("qualify:{}:{}", s.item, s.source)),
                                description: describe(model, &kind),
                                description_zh: describe_zh(model, &kind),
                                kind,
                            })
                        }
                        None => {
                            let have: Vec<String> = it
                                .standby
                                .iter()
                                .map(|sb| match &sb.edge.supplier {
                                    Some(x) => x.to_string(),
                                    None => model.edge_country(&sb.edge).to_string(),
                                })
                                .collect();
                            err(
                                "source",
                                if have.is_empty() {
                                    format!("item `{}` has no standby source", s.item)
                                } else {
                                    format!(
                                        "item `{}` has no standby source `{}` (its standby sources: {})",
                                        s.item,
                                        s.source,
                                        have.join(", ")
                                    )
                                },
                            );
                            None
                        }
                    }
                } else {
                    err("item", format!("unknown item `{}`", s.item));
                    None
                }
            }
            ActionEntry::AddSource(s) => {
                let mut ok = true;
                if !item_ok(&s.item) {
                    err("item", format!("unknown item `{}`", s.item));
                    ok = false;
                } else if model.items[s.item.as_str()].supply.is_empty() {
                    err(
                        "item",
                        format!(
                            "item `{}` has no supply edges: a new source needs existing shares to rebalance",
                            s.item
                        ),
                    );
                    ok = false;
                }
                if !(s.share > 0.0 && s.share <= 1.0) {
                    err("share", format!("share {}: must be in (0, 1]", s.share));
                    ok = false;
                }
                let supplier = match &s.supplier {
                    Some(sup) if !model.suppliers.contains_key(sup.as_str()) => {
                        err("supplier", format!("unknown supplier `{sup}`"));
                        ok = false;
                        None
                    }
                    other => other.clone(),
                };
                let country = match (&s.country, &supplier) {
                    (Some(c), _) => c.clone(),
                    (None, Some(sup)) => model.suppliers[sup.as_str()].country.to_string(),
                    (None, None) => model.meta.home.to_string(),
                };
                if !iso::is_assigned(&country) {
                    err(
                        "country",
                        format!("`{country}` is not an ISO 3166-1 alpha-2 country code"),
                    );
                    ok = false;
                }
                ok.then(|| {
                    let kind = ActionKind::AddSource {
                        item: s.item.clone(),
                        country: country.clone(),
                        supplier,
                        share: s.share,
                    };
                    Action {
                        id: id.unwrap_or_else(|| format!("add-source:{}:{country}", s.item)),
                        description: describe(model, &kind),
                        description_zh: describe_zh(model, &kind),
                        kind,
                    }
                })
            }
            ActionEntry::RaiseStock(s) => {
                let mut ok = true;
                if !item_ok(&s.item) {
                    err("item", format!("unknown item `{}`", s.item));
                    ok = false;
                }
                if !(s.days.is_finite() && s.days > 0.0) {
                    err(
                        "days",
                        format!("days {}: must be a positive number", s.days),
                    );
                    ok = false;
                }
                ok.then(|| {
                    let kind = ActionKind::RaiseStock {
                        item: s.item.clone(),
                        days: s.days,
                    };
                    Action {
                        id: id.unwrap_or_else(|| format!("raise-stock:{}:{}", s.item, s.days)),
                        description: describe(model, &kind),
                        description_zh: describe_zh(model, &kind),
                        kind,
                    }
                })
            }
            ActionEntry::QualifyAlternative(s) => {
                let mut ok = true;
                if !item_ok(&s.item) {
                    err("item", format!("unknown item `{}`", s.item));
                    ok = false;
                }
                if !item_ok(&s.alternative) {
                    err("alternative", format!("unknown item `{}`", s.alternative));
                    ok = false;
                } else if s.alternative == s.item {
                    err(
                        "alternative",
                        "an item cannot be its own alternative".into(),
                    );
                    ok = false;
                }
                if let Some(p) = &s.parent {
                    if !item_ok(p) {
                        err("parent", format!("unknown item `{p}`"));
                        ok = false;
                    }
                }
                if ok {
                    let parents = parents_requiring(model, &s.item, s.parent.as_deref());
                    let alt_ix = g.item_ix(&s.alternative).expect("checked above");
                    let below_alt: BTreeSet<String> = g
                        .descendants(alt_ix)
                        .into_iter()
                        .map(|d| g.item(d).id.to_string())
                        .collect();
                    if parents.is_empty() {
                        let m = match &s.parent {
                            Some(p) => format!("`{p}` does not require `{}`", s.item),
                            None => format!("no item requires `{}`", s.item),
                        };
                        err(if s.parent.is_some() { "parent" } else { "item" }, m);
                        ok = false;
                    } else if let Some(p) = parents
                        .iter()
                        .find(|p| **p == s.alternative || below_alt.contains(p.as_str()))
                    {
                        err(
                            "alternative",
                            format!(
                                "`{}` requires `{p}` (or is it): qualifying it under `{p}` would make a requires cycle",
                                s.alternative
                            ),
                        );
                        ok = false;
                    }
                }
                ok.then(|| {
                    let kind = ActionKind::QualifyAlternative {
                        item: s.item.clone(),
                        alternative: s.alternative.clone(),
                        parent: s.parent.clone(),
                    };
                    Action {
                        id: id.unwrap_or_else(|| format!("qualify:{}:{}", s.item, s.alternative)),
                        description: describe(model, &kind),
                        description_zh: describe_zh(model, &kind),
                        kind,
                    }
                })
            }
        };
        if let Some(a) = built {
            if let Some(first) = seen_ids.get(&a.id) {
                errors.push(action_error(
                    crate::load::Code::ActionInvalid,
                    at(&[Step::Key("actions"), Step::Index(i)]),
                    format!(
                        "duplicate action id `{}` (first used by action {})",
                        a.id,
                        first + 1
                    ),
                ));
            } else {
                seen_ids.insert(a.id.clone(), i);
                actions.push(a);
            }
        }
    }
    if errors.is_empty() {
        Ok(actions)
    } else {
        Err(errors)
    }
}

/// Items that require `item` (directly, or as an any_of member), in declaration
/// order; only `parent` when given and it does.
fn parents_requiring(model: &Model, item: &str, parent: Option<&str>) -> Vec<String> {
    model
        .items
        .values()
        .filter(|p| parent.is_none_or(|want| p.id.as_str() == want))
        .filter(|p| {
            p.requires
                .iter()
                .any(|r| r.target.members().iter().any(|m| m.as_str() == item))
        })
        .map(|p| p.id.to_string())
        .collect()
}

/// The default candidates when no actions file is given: for every item that
/// passes the foreign-dependence screen under `case` (declaration order), a
/// domestic source with share [`DEFAULT_SOURCE_SHARE`], and a stock raise to
/// [`DEFAULT_STOCK_DAYS`] when its stock is lower.
pub fn generate_actions(model: &Model, case: Case, screen: &Screen) -> Vec<Action> {
    let g = SupplyGraph::new(model);
    let home = model.meta.home.to_string();
    let mut out = Vec::new();
    for ix in g.items() {
        // Standby sources not yet qualified (spec §3.12): qualifying one ahead
        // of a shock is an action of its own, whatever the screen says.
        let item = g.item(ix);
        for (k, s) in item.standby.iter().enumerate() {
            let lead_days = s.qualify_days.as_ref().map_or(0.0, |e| e.get(case));
            if lead_days <= 0.0 {
                continue;
            }
            let source = match &s.edge.supplier {
                Some(id) => id.to_string(),
                None => model.edge_country(&s.edge).to_string(),
            };
            let kind = ActionKind::QualifyStandby {
                item: item.id.to_string(),
                standby: k,
                source: source.clone(),
                lead_days,
            };
            out.push(Action {
                id: format!("qualify:{}:{source}", item.id),
                description: describe(model, &kind),
                description_zh: describe_zh(model, &kind),
                kind,
            });
        }
        if !foreign_dependent(&g, ix, case, screen) {
            continue;
        }
        let item = g.item(ix);
        let id = item.id.to_string();
        let kind = ActionKind::AddSource {
            item: id.clone(),
            country: home.clone(),
            supplier: None,
            share: DEFAULT_SOURCE_SHARE,
        };
        out.push(Action {
            id: format!("domestic:{id}"),
            description: describe(model, &kind),
            description_zh: describe_zh(model, &kind),
            kind,
        });
        let stock = item.stock_days.as_ref().map_or(0.0, |e| e.get(case));
        if stock < DEFAULT_STOCK_DAYS {
            let kind = ActionKind::RaiseStock {
                item: id.clone(),
                days: DEFAULT_STOCK_DAYS,
            };
            out.push(Action {
                id: format!("stock:{id}"),
                description: describe(model, &kind),
                description_zh: describe_zh(model, &kind),
                kind,
            });
        }
    }
    out
}

fn describe(model: &Model, kind: &ActionKind) -> String {
    match kind {
        ActionKind::AddSource {
            item,
            country,
            supplier,
            share,
        } => {
            let origin = if *country == model.meta.home.as_str() {
                format!("a domestic ({country})")
            } else {
                format!("a {country}")
            };
            let by = supplier
                .as_ref()
                .map(|s| format!(" from {s}"))
                .unwrap_or_default();
            // Spec v2: a domestic source needs the item's bill of materials;
            // a foreign one delivers the finished item.
            let needs = if *country == model.meta.home.as_str() {
                match model.items.get(item.as_str()) {
                    Some(it) if it.production_requirements().next().is_some() => {
                        " (a domestic source needs the item's bill of materials: its inputs' choke points remain)"
                    }
                    _ => " (the item lists no bill of materials: a domestic source needs no inputs)",
                }
            } else {
                " (a foreign source delivers the finished item and needs none of its inputs)"
            };
            format!(
                "Add {origin} source{by} for {item} with share {}{needs}",
                trim_number(*share)
            )
        }
        ActionKind::RaiseStock { item, days } => {
            format!("Raise the stock of {item} to {} days", trim_number(*days))
        }
        ActionKind::QualifyAlternative {
            item,
            alternative,
            parent,
        } => match parent {
            Some(p) => format!("Qualify {alternative} as an alternative to {item} in {p}"),
            None => format!("Qualify {alternative} as an alternative to {item}"),
        },
        ActionKind::QualifyStandby {
            item,
            source,
            lead_days,
            ..
        } => format!(
            "Qualify standby source {source} of {item} now (lead time {} days), so that it delivers from day 0",
            trim_number(*lead_days)
        ),
    }
}

/// [`describe`] in Chinese, with the items named as the graph names them in Chinese.
fn describe_zh(model: &Model, kind: &ActionKind) -> String {
    let item_name = |id: &str| {
        model
            .items
            .get(id)
            .map(|i| i.display_name(crate::model::Lang::Zh).to_string())
            .unwrap_or_else(|| id.to_string())
    };
    match kind {
        ActionKind::AddSource {
            item,
            country,
            supplier,
            share,
        } => {
            let home = *country == model.meta.home.as_str();
            let origin = if home {
                format!("国内（{country}）")
            } else {
                format!("{country} ")
            };
            let by = supplier
                .as_ref()
                .map(|s| {
                    format!(
                        "（{}）",
                        model.supplier_name(
                            &crate::model::SupplierId::new(s.clone()),
                            crate::model::Lang::Zh
                        )
                    )
                })
                .unwrap_or_default();
            let needs = if home {
                match model.items.get(item.as_str()) {
                    Some(it) if it.production_requirements().next().is_some() => {
                        "（国内来源需要该物料的物料清单：其投入的卡脖子点仍在）"
                    }
                    _ => "（该物料未列物料清单：国内来源无需投入）",
                }
            } else {
                "（境外来源交付成品，不需要其投入）"
            };
            format!(
                "为{}增加{origin}来源{by}，份额 {}{needs}",
                item_name(item),
                trim_number(*share)
            )
        }
        ActionKind::RaiseStock { item, days } => {
            format!(
                "将{}的库存提高到 {} 天",
                item_name(item),
                trim_number(*days)
            )
        }
        ActionKind::QualifyAlternative {
            item,
            alternative,
            parent,
        } => match parent {
            Some(p) => format!(
                "在{}中认证{}替代{}",
                item_name(p),
                item_name(alternative),
                item_name(item)
            ),
            None => format!("认证{}替代{}", item_name(alternative), item_name(item)),
        },
        ActionKind::QualifyStandby {
            item,
            source,
            lead_days,
            ..
        } => format!(
            "现在认证{}的备用来源 {source}（需 {} 天），使其从第 0 天起供货",
            item_name(item),
            trim_number(*lead_days)
        ),
    }
}

fn trim_number(x: f64) -> String {
    let s = format!("{x:.6}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The id of the new firm an `add_source` without `supplier` creates.
pub fn new_supplier_id(item: &str, country: &str) -> String {
    format!("new:{item}:{country}")
}

fn scale(e: &mut Estimate, factor: f64) {
    for x in [&mut e.value, &mut e.low, &mut e.high]
        .into_iter()
        .flatten()
    {
        *x *= factor;
    }
}

fn raise(e: &mut Estimate, floor: f64) {
    for x in [&mut e.value, &mut e.low, &mut e.high]
        .into_iter()
        .flatten()
    {
        *x = x.max(floor);
    }
}

/// Applies `actions` (validated by [`parse_actions`] or made by
/// [`generate_actions`] for this model) to a copy of `model`, in the order given.
/// Returns `None` when the combination makes a requires cycle (two
/// qualifications that each alone are fine can close one together).
pub fn apply(model: &Model, actions: &[&Action]) -> Option<Model> {
    let mut m = model.clone();
    for a in actions {
        match &a.kind {
            ActionKind::AddSource {
                item,
                country,
                supplier,
                share,
            } => {
                let cc = CountryCode::new(country.clone());
                let supplier_id = match supplier {
                    Some(s) => SupplierId::new(s.clone()),
                    None => {
                        let id = SupplierId::new(new_supplier_id(item, country));
                        m.suppliers.entry(id.clone()).or_insert_with(|| Supplier {
                            id: id.clone(),
                            name: format!("New {country} source of {item}"),
                            name_zh: None,
                            country: cc.clone(),
                            parent: None,
                            cite: Vec::new(),
                            note: Some("added by `chokepoint mitigate`".into()),
                            disruption_probability: None,
                            loc: Default::default(),
                        });
                        id
                    }
                };
                let firm_country = m.suppliers.get(&supplier_id).map(|s| s.country.clone());
                let it = m.items.get_mut(item.as_str())?;
                for e in &mut it.supply {
                    scale(&mut e.share, 1.0 - share);
                }
                it.supply.push(SupplyEdge {
                    supplier: Some(supplier_id),
                    share: Estimate::exact(*share),
                    country: (firm_country.as_ref() != Some(&cc)).then_some(cc),
                    requires: None,
                    cite: Vec::new(),
                    note: Some("added by `chokepoint mitigate`".into()),
                    loc: Default::default(),
                });
            }
            ActionKind::QualifyStandby { item, standby, .. } => {
                let s = m.items.get_mut(item.as_str())?.standby.get_mut(*standby)?;
                s.qualify_days = None;
            }
            ActionKind::RaiseStock { item, days } => {
                let it = m.items.get_mut(item.as_str())?;
                match &mut it.stock_days {
                    Some(e) => raise(e, *days),
                    None => it.stock_days = Some(Box::new(Estimate::exact(*days))),
                }
            }
            ActionKind::QualifyAlternative {
                item,
                alternative,
                parent,
            } => {
                let alt = ItemId::new(alternative.clone());
                for p in m.items.values_mut() {
                    if parent.as_ref().is_some_and(|want| p.id.as_str() != want) {
                        continue;
                    }
                    for r in &mut p.requires {
                        let members = r.target.members();
                        if !members.iter().any(|x| x.as_str() == item) || members.contains(&alt) {
                            continue;
                        }
                        r.target = match &r.target {
                            RequirementTarget::Item(x) => {
                                RequirementTarget::AnyOf(vec![x.clone(), alt.clone()])
                            }
                            RequirementTarget::AnyOf(v) => {
                                let mut v = v.clone();
                                v.push(alt.clone());
                                RequirementTarget::AnyOf(v)
                            }
                        };
                        // The alternative counts from day 0 (qualified now).
                        if let Some(q) = &mut r.member_qualify {
                            q.push(None);
                        }
                    }
                }
            }
        }
    }
    is_acyclic(&m).then_some(m)
}

/// Kahn's algorithm on the requires relation.
fn is_acyclic(m: &Model) -> bool {
    let n = m.items.len();
    let mut pending = vec![0usize; n];
    let mut parents: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (p, item) in m.items.values().enumerate() {
        for r in &item.requires {
            for c in r.target.members() {
                let Some(ci) = m.items.get_index_of(c) else {
                    return false;
                };
                pending[p] += 1;
                parents[ci].push(p);
            }
        }
    }
    let mut queue: Vec<usize> = (0..n).filter(|&i| pending[i] == 0).collect();
    let mut done = 0;
    while let Some(i) = queue.pop() {
        done += 1;
        for &p in &parents[i] {
            pending[p] -= 1;
            if pending[p] == 0 {
                queue.push(p);
            }
        }
    }
    done == n
}
