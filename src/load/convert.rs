//! Converts located YAML trees into model entities, checking the schema of spec §2:
//! keys, types, enumerations and the range of every number. Cross-entity rules
//! (ids, references, sums, cycles) belong to `validate`.

use super::diagnostic::{Code, Diagnostic};
use super::yaml::{Node, Value};
use crate::model::*;
use indexmap::IndexMap;

/// What kind of entity an id usage points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RefKind {
    Item,
    Supplier,
    Country,
    Reference,
}

/// One use of an id, to be resolved by validation.
#[derive(Clone, Debug)]
pub struct Usage {
    pub kind: RefKind,
    /// Shared with the previous usage of the same kind when equal: a graph
    /// cites the same few references on every number (millions of usages).
    pub id: std::sync::Arc<str>,
    pub loc: Location,
}

/// Everything the files declared, in file order, before cross-checks.
#[derive(Default)]
pub struct Draft {
    pub metas: Vec<(Meta, Location)>,
    pub countries: Vec<Country>,
    pub suppliers: Vec<Supplier>,
    pub items: Vec<Item>,
    pub references: Vec<Reference>,
    pub scenarios: Vec<Scenario>,
    pub figures: Vec<Figure>,
    pub usages: Vec<Usage>,
    /// The id of the last usage of each kind, for sharing (see [`Usage::id`]).
    last_usage: [Option<std::sync::Arc<str>>; 4],
    pub diagnostics: Vec<Diagnostic>,
    /// Entities that had errors of their own. References to them are not reported
    /// as unknown, and rules that their errors would trigger again (an empty
    /// system, an unmapped item) are skipped: one mistake, one diagnostic.
    pub damaged: std::collections::HashSet<(RefKind, String)>,
    /// Requirements and supply entries of the item being parsed, converted as
    /// they were read ([`NESTED_LIST_KEYS`]).
    pending: PendingLists,
}

#[derive(Default)]
struct PendingLists {
    requires: Vec<Requirement>,
    supply: Vec<SupplyEdge>,
    standby: Vec<StandbySource>,
    /// The error count before the first of them.
    errors_before: Option<usize>,
}

/// Appends `from` to `into`; moves the vector when `into` is empty, so that a
/// graph in one big file is not copied (and held twice) while merging.
fn absorb<T>(into: &mut Vec<T>, mut from: Vec<T>) {
    if into.is_empty() {
        *into = from;
    } else {
        into.append(&mut from);
    }
}

/// The allowed range of a number.
#[derive(Clone, Copy)]
enum Range {
    /// A fraction in [0, 1] (shares).
    Fraction,
    /// Any finite number ≥ 0 (values, days, rates).
    NonNegative,
    /// Any finite number > 0 (quantities).
    Positive,
    /// A money amount per year: 0 to 1e18 (beyond that, impacts overflow).
    Amount,
    /// A probability per year in [0, 1] (`disruption_probability`; its own code, E022).
    Probability,
}

/// The largest market value accepted: a billion billion a year, far beyond any
/// market, and small enough that lost production × value stays finite.
const MAX_AMOUNT: f64 = 1e18;

/// Hint for `.nan`, `.inf` and numbers too large for a double.
const NOT_FINITE_HINT: &str =
    "write a finite number, e.g. 0.35; give an unknown estimate as a `low`/`high` range instead";

/// The hint for an E003: how to write what was expected, from what was found.
fn wrong_type_hint(found: &Value, expected: &str) -> &'static str {
    let quoted = matches!(found, Value::Scalar { plain: false, .. });
    match (expected, found.kind_name()) {
        ("a number", "a string") if quoted => "remove the quotes: write 60, not \"60\"",
        ("a number", "a boolean") => "write a number, e.g. 60; `true`/`false` are booleans",
        ("a number", "a mapping") => {
            "an estimate with a range is written where the format allows it, \
             e.g. `import_share: { value: 0.6, low: 0.5, high: 0.7 }`; this key takes a plain number"
        }
        ("a number", _) => "write a plain number such as 60 or 0.35 (a dot for decimals)",
        ("a string", "a number" | "a boolean") => {
            "quote the value to make it text, e.g. \"60\" or \"true\""
        }
        ("a string", _) => "write plain text on one line, quoted if it contains `:` or `#`",
        ("a mapping", _) => "write `key: value` pairs indented under the key (see docs/format.md)",
        ("a list", _) | ("a list of ids", _) => {
            "write a list, one `- entry` per line or `[a, b]` on one line"
        }
        _ => "see docs/format.md for this key's shape",
    }
}

/// `meta`, then the lists ([`LIST_KEYS`] is this without its first key).
const TOP_KEYS: &[&str] = &[
    "meta",
    "countries",
    "suppliers",
    "items",
    "references",
    "scenarios",
    "figures",
];

/// A mapping's entries by key, after unknown and duplicate keys were reported.
struct Fields<'a> {
    map: KeyMap<'a>,
    loc: Location,
    what: &'static str,
}

/// The few entries of one mapping, looked up by scanning: schema mappings have
/// at most a dozen keys, and a hash map per mapping (millions in a large
/// graph) cost more in hashing and allocation than it saved.
#[derive(Default)]
struct KeyMap<'a>(Vec<(&'a str, &'a Node)>);

impl<'a> KeyMap<'a> {
    fn get(&self, key: &str) -> Option<&'a Node> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, n)| *n)
    }
    fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
    fn insert(&mut self, key: &'a str, node: &'a Node) {
        self.0.push((key, node));
    }
}

impl<'m, 'a> IntoIterator for &'m KeyMap<'a> {
    type Item = &'m (&'a str, &'a Node);
    type IntoIter = std::slice::Iter<'m, (&'a str, &'a Node)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl Draft {
    /// Appends a later file's draft (drafts are merged in path order).
    pub fn merge(&mut self, other: Draft) {
        absorb(&mut self.metas, other.metas);
        absorb(&mut self.countries, other.countries);
        absorb(&mut self.suppliers, other.suppliers);
        absorb(&mut self.items, other.items);
        absorb(&mut self.references, other.references);
        absorb(&mut self.scenarios, other.scenarios);
        absorb(&mut self.figures, other.figures);
        absorb(&mut self.usages, other.usages);
        absorb(&mut self.diagnostics, other.diagnostics);
        self.damaged.extend(other.damaged);
    }

    /// Records a use of item `id` at `loc` by an importer's entity, to be
    /// resolved by validation (an unknown item is E006 there).
    pub fn use_item(&mut self, id: &str, loc: Location) {
        self.use_id(RefKind::Item, id, loc);
    }

    /// [`Draft::use_item`] for a supplier.
    pub fn use_supplier(&mut self, id: &str, loc: Location) {
        self.use_id(RefKind::Supplier, id, loc);
    }

    /// [`Draft::use_item`] for a country code (not an assigned code is E013).
    pub fn use_country(&mut self, code: &str, loc: Location) {
        self.use_id(RefKind::Country, code, loc);
    }

    /// Records a use of `id` at `loc`, to be resolved by validation.
    fn use_id(&mut self, kind: RefKind, id: &str, loc: Location) {
        let last = &mut self.last_usage[kind as usize];
        let shared = match last {
            Some(prev) if **prev == *id => prev.clone(),
            _ => {
                let fresh: std::sync::Arc<str> = id.into();
                *last = Some(fresh.clone());
                fresh
            }
        };
        self.usages.push(Usage {
            kind,
            id: shared,
            loc,
        });
    }

    fn error_count(&self) -> usize {
        self.diagnostics.len()
    }

    /// Marks `id` damaged when diagnostics were added since `before`.
    fn mark_if_damaged(&mut self, before: usize, kind: RefKind, id: Option<&(String, Location)>) {
        if self.error_count() > before {
            if let Some((id, _)) = id {
                self.damaged.insert((kind, id.clone()));
            }
        }
    }

    fn error(&mut self, code: Code, loc: Location, msg: impl Into<String>) -> &mut Diagnostic {
        self.diagnostics.push(Diagnostic::new(code, loc, msg));
        self.diagnostics.last_mut().expect("just pushed")
    }

    fn wrong_type(&mut self, node: &Node, expected: &str, context: &str) {
        let found = node.value.kind_name();
        self.error(
            Code::WrongType,
            node.loc,
            format!("{context} must be {expected}, found {found}"),
        )
        .hint = Some(wrong_type_hint(&node.value, expected).into());
    }

    fn fields<'a>(
        &mut self,
        node: &'a Node,
        what: &'static str,
        allowed: &[&str],
    ) -> Option<Fields<'a>> {
        let Value::Map(entries) = &node.value else {
            self.wrong_type(node, "a mapping", what);
            return None;
        };
        let mut map = KeyMap(Vec::with_capacity(entries.len()));
        for (k, v) in entries {
            let Value::Scalar { text: key, .. } = &k.value else {
                self.wrong_type(k, "a string", &format!("a key of {what}"));
                continue;
            };
            if key == "<<" {
                self.error(
                    Code::UnknownKey,
                    k.loc,
                    format!("YAML merge keys (`<<`) are not supported in {what}"),
                )
                .hint = Some(
                    "write the keys out in full (anchors `&a` and aliases `*a` of whole values work)"
                        .into(),
                );
                continue;
            }
            if !allowed.contains(&key.as_str()) {
                let hint = match closest(key, allowed) {
                    Some(c) => format!("did you mean `{c}`? allowed keys: {}", allowed.join(", ")),
                    None => format!("allowed keys: {}", allowed.join(", ")),
                };
                self.error(
                    Code::UnknownKey,
                    k.loc,
                    format!("unknown key `{key}` in {what}"),
                )
                .hint = Some(hint.into());
                continue;
            }
            if let Some(first) = map.get(key.as_str()) {
                let first: &Node = first;
                let msg = format!(
                    "key `{key}` appears twice in {what} (first at line {})",
                    first.loc.line
                );
                self.error(Code::DuplicateKey, k.loc, msg).hint =
                    Some("remove one of the two entries; YAML would silently keep the last".into());
                continue;
            }
            map.insert(key.as_str(), v);
        }
        Some(Fields {
            map,
            loc: node.loc,
            what,
        })
    }

    fn required<'a>(&mut self, f: &Fields<'a>, key: &str) -> Option<&'a Node> {
        match f.map.get(key) {
            Some(n) if !matches!(n.value, Value::Null) => Some(n),
            _ => {
                self.error(
                    Code::MissingKey,
                    f.loc,
                    format!("{} is missing required key `{key}`", f.what),
                )
                .hint = Some(format!("add `{key}:` to this entry").into());
                None
            }
        }
    }

    fn string(&mut self, node: &Node, context: &str) -> Option<String> {
        match &node.value {
            Value::Scalar { text, .. } => Some(text.clone()),
            _ => {
                self.wrong_type(node, "a string", context);
                None
            }
        }
    }

    fn req_string(&mut self, f: &Fields, key: &str) -> Option<String> {
        let node = self.required(f, key)?;
        self.string(node, &format!("`{key}`"))
    }

    fn opt_string(&mut self, f: &Fields, key: &str) -> Option<String> {
        match f.map.get(key) {
            Some(n) if !matches!(n.value, Value::Null) => self.string(n, &format!("`{key}`")),
            _ => None,
        }
    }

    fn id_of(&mut self, f: &Fields) -> Option<(String, Location)> {
        let node = self.required(f, "id")?;
        let id = self.string(node, "`id`")?;
        if id.trim().is_empty() || id != id.trim() {
            self.error(
                Code::InvalidValue,
                node.loc,
                format!("id `{id}` is empty or has surrounding spaces"),
            )
            .hint = Some("ids are case-sensitive words such as `ct-tube`".into());
            return None;
        }
        Some((id, node.loc))
    }

    fn number(&mut self, node: &Node, range: Range, context: &str) -> Option<f64> {
        let Value::Scalar { text, plain: true } = &node.value else {
            self.wrong_type(node, "a number", context);
            return None;
        };
        let Ok(x) = text.trim().parse::<f64>() else {
            // YAML 1.2 spells infinity and NaN with a leading dot.
            let special = matches!(
                text.as_str(),
                ".inf" | ".Inf" | ".INF" | "+.inf" | "-.inf" | "-.Inf" | ".nan" | ".NaN" | ".NAN"
            );
            if special {
                self.error(
                    Code::OutOfRange,
                    node.loc,
                    format!("{context} is `{text}`; it must be a finite number"),
                )
                .hint = Some(NOT_FINITE_HINT.into());
            } else {
                self.wrong_type(node, "a number", context);
            }
            return None;
        };
        if !x.is_finite() {
            self.error(
                Code::OutOfRange,
                node.loc,
                format!("{context} is `{text}`; it must be a finite number"),
            )
            .hint = Some(NOT_FINITE_HINT.into());
            return None;
        }
        let (ok, want) = match range {
            Range::Fraction => ((0.0..=1.0).contains(&x), "between 0 and 1"),
            Range::NonNegative => (x >= 0.0, "at least 0"),
            Range::Amount => (
                (0.0..=MAX_AMOUNT).contains(&x),
                "between 0 and 1e18 (per year)",
            ),
            Range::Positive => (x > 0.0, "above 0"),
            Range::Probability => ((0.0..=1.0).contains(&x), "a probability between 0 and 1"),
        };
        if !ok {
            let code = match range {
                Range::Probability => Code::ProbabilityOutOfRange,
                _ => Code::OutOfRange,
            };
            self.error(
                code,
                node.loc,
                // As written: `1.7e308`, not its 309 digits.
                format!("{context} is {}; it must be {want}", text.trim()),
            )
            .hint = Some(match range {
                Range::Fraction => "shares are fractions: write 0.35 for 35 %".into(),
                Range::NonNegative => "use a non-negative number".into(),
                Range::Amount => {
                    "market values are per year in `meta.currency`; check the exponent".into()
                }
                Range::Positive => {
                    "use a number above 0; remove the requirement if the item is not needed".into()
                }
                Range::Probability => {
                    "a disruption probability is a chance per year: write 0.05 for 5 % (about once in 20 years)".into()
                }
            });
            return None;
        }
        Some(x)
    }

    fn cite_list(&mut self, f: &Fields) -> Vec<ReferenceId> {
        self.id_list(f, "cite", RefKind::Reference)
            .into_iter()
            .map(ReferenceId)
            .collect()
    }

    /// A list of ids, each recorded as a usage of `kind`. A single string is accepted too.
    fn id_list(&mut self, f: &Fields, key: &str, kind: RefKind) -> Vec<String> {
        let Some(node) = f.map.get(key) else {
            return Vec::new();
        };
        let nodes: Vec<&Node> = match &node.value {
            Value::Null => Vec::new(),
            Value::Seq(items) => items.iter().collect(),
            Value::Scalar { .. } => vec![node],
            Value::Map(_) => {
                self.wrong_type(node, "a list of ids", &format!("`{key}`"));
                Vec::new()
            }
        };
        let mut out = Vec::new();
        for n in nodes {
            if let Some(id) = self.string(n, &format!("an entry of `{key}`")) {
                self.use_id(kind, &id, n.loc);
                out.push(id);
            }
        }
        out
    }

    /// The members of an `any_of`: item ids, or `{ item: ID, qualify_days: N }`
    /// (spec §3.12), each id recorded as a usage; a single id is accepted too.
    /// `None` when a member is broken (reported).
    fn any_of_members(&mut self, node: &Node) -> Option<(Vec<String>, Vec<Option<Estimate>>)> {
        let nodes: Vec<&Node> = match &node.value {
            Value::Null => Vec::new(),
            Value::Seq(items) => items.iter().collect(),
            Value::Scalar { .. } => vec![node],
            Value::Map(_) => {
                self.wrong_type(node, "a list of ids", "`any_of`");
                return None;
            }
        };
        let mut ids = Vec::with_capacity(nodes.len());
        let mut qualify = Vec::with_capacity(nodes.len());
        let mut broken = false;
        for n in nodes {
            if let Value::Map(_) = n.value {
                let Some(f) = self.fields(n, "an `any_of` member", &["item", "qualify_days"])
                else {
                    broken = true;
                    continue;
                };
                let Some(item) = self.required(&f, "item") else {
                    broken = true;
                    continue;
                };
                let Some(id) = self.string(item, "`item`") else {
                    broken = true;
                    continue;
                };
                self.use_id(RefKind::Item, &id, item.loc);
                let before = self.error_count();
                let q = self.opt_estimate(&f, "qualify_days", Range::NonNegative);
                broken |= self.error_count() > before;
                ids.push(id);
                qualify.push(q);
            } else if let Some(id) = self.string(n, "an entry of `any_of`") {
                self.use_id(RefKind::Item, &id, n.loc);
                ids.push(id);
                qualify.push(None);
            } else {
                broken = true;
            }
        }
        (!broken).then_some((ids, qualify))
    }

    fn estimate(&mut self, node: &Node, range: Range, context: &str) -> Option<Estimate> {
        if !matches!(node.value, Value::Map(_)) {
            return self.number(node, range, context).map(Estimate::exact);
        }
        let f = self.fields(
            node,
            "an estimate",
            &["value", "low", "high", "cite", "confidence", "note"],
        )?;
        let num = |d: &mut Draft, key: &str| {
            f.map
                .get(key)
                .and_then(|n| d.number(n, range, &format!("{context} `{key}`")))
        };
        let value = num(self, "value");
        let low = num(self, "low");
        let high = num(self, "high");
        let cite = self.cite_list(&f);
        let confidence = match f.map.get("confidence") {
            None => None,
            Some(n) => match self.string(n, "`confidence`").as_deref() {
                Some("high") => Some(Confidence::High),
                Some("medium") => Some(Confidence::Medium),
                Some("low") => Some(Confidence::Low),
                Some(other) => {
                    self.error(
                        Code::InvalidValue,
                        n.loc,
                        format!("confidence `{other}` is not high, medium or low"),
                    );
                    None
                }
                None => None,
            },
        };
        let note = self.opt_string(&f, "note");
        let bad_number = ["value", "low", "high"]
            .iter()
            .any(|k| f.map.contains_key(k))
            && (f.map.contains_key("value") && value.is_none()
                || f.map.contains_key("low") && low.is_none()
                || f.map.contains_key("high") && high.is_none());
        if bad_number {
            return None;
        }
        if let (Some(l), Some(h)) = (low, high) {
            if l > h {
                let loc = f.map.get("low").map(|n| n.loc).unwrap_or(f.loc);
                self.error(
                    Code::LowAboveHigh,
                    loc,
                    format!("{context}: low {l} is above high {h}"),
                )
                .hint = Some("swap `low` and `high`".into());
                return None;
            }
        }
        if let (Some(v), Some(l), Some(h)) = (value, low, high) {
            if v < l || v > h {
                let loc = f.map.get("value").map(|n| n.loc).unwrap_or(f.loc);
                self.error(
                    Code::ValueOutsideRange,
                    loc,
                    format!("{context}: value {v} lies outside its own range {l}–{h}"),
                )
                .hint = Some(
                    "the stated value must lie between `low` and `high`; widen the range or correct the value".into(),
                );
                return None;
            }
        }
        if value.is_none() && (low.is_none() || high.is_none()) {
            self.error(
                Code::MissingKey,
                f.loc,
                format!("{context} needs `value`, or both `low` and `high`"),
            )
            .hint = Some("write e.g. `{ value: 0.3 }` or `{ low: 0.2, high: 0.4 }`".into());
            return None;
        }
        Some(Estimate {
            value,
            low,
            high,
            cite,
            confidence,
            note,
        })
    }

    fn opt_estimate(&mut self, f: &Fields, key: &str, range: Range) -> Option<Estimate> {
        match f.map.get(key) {
            Some(n) if !matches!(n.value, Value::Null) => {
                self.estimate(n, range, &format!("`{key}`"))
            }
            _ => None,
        }
    }

    fn country_code(&mut self, node: &Node, context: &str) -> Option<CountryCode> {
        let code = self.string(node, context)?;
        if !iso::is_assigned(&code) {
            let hint = iso::code_hint(&code);
            self.error(
                Code::InvalidCountryCode,
                node.loc,
                format!("`{code}` is not an ISO 3166-1 alpha-2 country code"),
            )
            .hint = Some(hint.into());
            return None;
        }
        Some(CountryCode(code))
    }

    fn list<'a>(&mut self, node: &'a Node, what: &str) -> &'a [Node] {
        match &node.value {
            Value::Seq(items) => items,
            Value::Null => &[],
            _ => {
                self.wrong_type(node, "a list", what);
                &[]
            }
        }
    }
}

/// The top-level keys whose entries the loader converts one by one as they
/// are parsed ([`convert_entry`]), instead of from a whole-file tree.
pub const LIST_KEYS: &[&str] = TOP_KEYS.split_at(1).1;

/// Lists inside entries of a top-level list that the loader also converts one
/// by one (see `yaml::StreamRules`): a system with a million requirements.
pub const NESTED_LIST_KEYS: &[(&str, &[&str])] = &[("items", &["requires", "supply"])];

/// Converts one entry of the top-level list `key` (one of [`LIST_KEYS`]), or
/// one entry of a nested list ([`NESTED_LIST_KEYS`]) of the item being read.
pub fn convert_entry(draft: &mut Draft, key: &str, node: &Node) {
    match key {
        "requires" | "supply" => {
            // Errors here count against the item that follows (one mistake,
            // one diagnostic), so remember where its errors start.
            let errors = draft.error_count();
            draft.pending.errors_before.get_or_insert(errors);
            if key == "requires" {
                if let Some(r) = convert_requirement(draft, node) {
                    draft.pending.requires.push(r);
                }
            } else {
                match convert_supply(draft, node) {
                    Some(Supply::Regular(e)) => draft.pending.supply.push(e),
                    Some(Supply::Standby(e)) => draft.pending.standby.push(e),
                    None => {}
                }
            }
        }
        "countries" => convert_country(draft, node),
        "suppliers" => convert_supplier(draft, node),
        "items" => convert_item(draft, node),
        "references" => convert_reference(draft, node),
        "scenarios" => convert_scenario(draft, node),
        "figures" => convert_figure(draft, node),
        _ => unreachable!("convert_entry is called with LIST_KEYS only"),
    }
}

/// Converts one document (the top-level mapping of a file). Lists the parser
/// streamed through [`convert_entry`] arrive here as null: nothing left to do.
pub fn convert_document(draft: &mut Draft, doc: &Node) {
    if matches!(doc.value, Value::Null) {
        return;
    }
    let Some(top) = draft.fields(doc, "the top level", TOP_KEYS) else {
        return;
    };
    for (key, node) in &top.map {
        match *key {
            "meta" => convert_meta(draft, node),
            list => {
                let what = format!("`{list}`");
                for n in draft.list(node, &what) {
                    convert_entry(draft, list, n);
                }
            }
        }
    }
}

fn convert_meta(d: &mut Draft, node: &Node) {
    let Some(f) = d.fields(
        node,
        "`meta`",
        &["title", "title_zh", "home", "currency", "as_of", "regimes"],
    ) else {
        return;
    };
    let mut meta = Meta::default();
    if let Some(t) = d.opt_string(&f, "title") {
        meta.title = t;
    }
    meta.title_zh = d.opt_string(&f, "title_zh");
    if let Some(h) = f.map.get("home") {
        if let Some(code) = d.country_code(h, "`home`") {
            meta.home = code;
        }
    }
    if let Some(c) = d.opt_string(&f, "currency") {
        meta.currency = c;
    }
    meta.as_of = d.opt_string(&f, "as_of");
    if let (Some(date), Some(n)) = (&meta.as_of, f.map.get("as_of")) {
        if !is_calendar_date(date) {
            d.error(
                Code::InvalidDate,
                n.loc,
                format!("`as_of` `{date}` is not a calendar date"),
            )
            .hint = Some("write the date as YYYY-MM-DD, e.g. `as_of: 2025-06-30`".into());
        }
    }
    if let Some(n) = f.map.get("regimes") {
        meta.regimes = convert_regimes(d, n);
    }
    d.metas.push((meta, node.loc));
}

/// `meta.regimes` (spec §3.11): a mapping from a regime's name, as items'
/// `export_controls` write it, to the ISO code of the country that issues it.
fn convert_regimes(d: &mut Draft, node: &Node) -> IndexMap<String, CountryCode> {
    let mut out = IndexMap::new();
    let entries = match &node.value {
        Value::Map(entries) => entries,
        Value::Null => return out,
        _ => {
            d.wrong_type(node, "a mapping", "`regimes`");
            return out;
        }
    };
    for (k, v) in entries {
        let Some(name) = d.string(k, "a regime name") else {
            continue;
        };
        if out.contains_key(&name) {
            d.error(
                Code::DuplicateKey,
                k.loc,
                format!("regime `{name}` appears twice in `regimes`"),
            )
            .hint = Some("keep one issuing country per regime".into());
            continue;
        }
        if let Some(code) = d.country_code(v, &format!("the issuer of regime `{name}`")) {
            out.insert(name, code);
        }
    }
    out
}

/// Whether `s` is a proleptic Gregorian date written YYYY-MM-DD.
fn is_calendar_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        s.get(r.clone())
            .filter(|t| t.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|t| t.parse().ok())
    };
    let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

fn convert_country(d: &mut Draft, node: &Node) {
    let Some(f) = d.fields(
        node,
        "a country",
        &["id", "name", "name_zh", "disruption_probability"],
    ) else {
        return;
    };
    let Some(id_node) = d.required(&f, "id") else {
        return;
    };
    let Some(code) = d.string(id_node, "`id`") else {
        return;
    };
    if !iso::is_assigned(&code) {
        d.error(
            Code::InvalidCountryCode,
            id_node.loc,
            format!("`{code}` is not an ISO 3166-1 alpha-2 country code"),
        )
        .hint = Some("use an ISO 3166-1 alpha-2 code such as CN, US, DE, JP".into());
        return;
    }
    let entity = Country {
        id: CountryCode(code),
        name: d.opt_string(&f, "name"),
        name_zh: d.opt_string(&f, "name_zh"),
        disruption_probability: d.opt_estimate(&f, "disruption_probability", Range::Probability),
        loc: id_node.loc,
    };
    d.countries.push(entity);
}

fn convert_supplier(d: &mut Draft, node: &Node) {
    let before = d.error_count();
    let Some(f) = d.fields(
        node,
        "a supplier",
        &[
            "id",
            "name",
            "name_zh",
            "country",
            "parent",
            "cite",
            "note",
            "disruption_probability",
        ],
    ) else {
        return;
    };
    let id = d.id_of(&f);
    let parent = d.opt_string(&f, "parent");
    if let (Some(p), Some(n)) = (&parent, f.map.get("parent")) {
        d.use_id(RefKind::Supplier, p, n.loc);
    }
    let name = d.opt_string(&f, "name");
    let country = d
        .required(&f, "country")
        .and_then(|n| d.country_code(n, "`country`"));
    let cite = d.cite_list(&f);
    let disruption_probability = d.opt_estimate(&f, "disruption_probability", Range::Probability);
    d.mark_if_damaged(before, RefKind::Supplier, id.as_ref());
    let (Some((id, loc)), Some(country)) = (id, country) else {
        return;
    };
    let entity = Supplier {
        name: name.unwrap_or_else(|| id.clone()),
        id: SupplierId(id),
        name_zh: d.opt_string(&f, "name_zh"),
        country,
        parent: parent.map(SupplierId),
        cite,
        note: d.opt_string(&f, "note"),
        disruption_probability,
        loc,
    };
    d.suppliers.push(entity);
}

const ITEM_KEYS: &[&str] = &[
    "id",
    "kind",
    "name",
    "name_zh",
    "market_value",
    "requires",
    "supply",
    "import_share",
    "stock_days",
    "recovery_days",
    "export_controls",
    "cite",
    "note",
];

fn convert_item(d: &mut Draft, node: &Node) {
    let pending = std::mem::take(&mut d.pending);
    let before = pending.errors_before.unwrap_or_else(|| d.error_count());
    let Some(f) = d.fields(node, "an item", ITEM_KEYS) else {
        return;
    };
    let id = d.id_of(&f);
    let kind = d.required(&f, "kind").and_then(|n| {
        let s = d.string(n, "`kind`")?;
        let k = ItemKind::parse(&s);
        if k.is_none() {
            d.error(
                Code::InvalidValue,
                n.loc,
                format!("unknown item kind `{s}`"),
            )
            .hint = Some(
                "kind is one of: system, subsystem, part, component, material, software".into(),
            );
        }
        k
    });
    let name = d.opt_string(&f, "name");
    let mut requires = pending.requires;
    if let Some(n) = f.map.get("requires") {
        for r in d.list(n, "`requires`") {
            if let Some(req) = convert_requirement(d, r) {
                requires.push(req);
            }
        }
    }
    let mut supply = pending.supply;
    let mut standby = pending.standby;
    if let Some(n) = f.map.get("supply") {
        for s in d.list(n, "`supply`") {
            match convert_supply(d, s) {
                Some(Supply::Regular(e)) => supply.push(e),
                Some(Supply::Standby(e)) => standby.push(e),
                None => {}
            }
        }
    }
    // A Vec grows to 4 elements at its first push: for a million one-source
    // items that is three unused 224-byte edges each (docs/robustness.md, "Scale").
    requires.shrink_to_fit();
    supply.shrink_to_fit();
    let market_value = d.opt_estimate(&f, "market_value", Range::Amount);
    let import_share = d.opt_estimate(&f, "import_share", Range::Fraction);
    let stock_days = d.opt_estimate(&f, "stock_days", Range::NonNegative);
    let recovery_days = d.opt_estimate(&f, "recovery_days", Range::NonNegative);
    let export_controls = match f.map.get("export_controls") {
        None => Vec::new(),
        Some(n) => {
            let mut out = Vec::new();
            for e in d.list(n, "`export_controls`") {
                if let Some(s) = d.string(e, "an export control") {
                    out.push(s);
                }
            }
            out
        }
    };
    let cite = d.cite_list(&f);
    d.mark_if_damaged(before, RefKind::Item, id.as_ref());
    let (Some((id, loc)), Some(kind)) = (id, kind) else {
        return;
    };
    let entity = Item {
        name: name.unwrap_or_else(|| id.clone()),
        id: ItemId(id),
        kind,
        name_zh: d.opt_string(&f, "name_zh"),
        market_value: market_value.map(Box::new),
        requires,
        supply,
        standby,
        import_share: import_share.map(Box::new),
        stock_days: stock_days.map(Box::new),
        recovery_days: recovery_days.map(Box::new),
        export_controls,
        cite,
        note: d.opt_string(&f, "note"),
        loc,
    };
    d.items.push(entity);
}

/// Keys of a requirement that a source's own `requires` may not have (spec §2):
/// a source's inputs carry no quantity, cost share or role.
const ITEM_ONLY_REQUIREMENT_KEYS: &[&str] = &["qty", "cost_share", "role"];

fn convert_requirement(d: &mut Draft, node: &Node) -> Option<Requirement> {
    convert_requirement_in(d, node, false)
}

/// Converts one requirement of an item, or (`of_source`) of a source's own `requires`.
fn convert_requirement_in(d: &mut Draft, node: &Node, of_source: bool) -> Option<Requirement> {
    let f = d.fields(
        node,
        "a requirement",
        &[
            "item",
            "any_of",
            "qty",
            "cost_share",
            "role",
            "cite",
            "note",
        ],
    )?;
    if of_source {
        let mut misplaced = false;
        for key in ITEM_ONLY_REQUIREMENT_KEYS {
            if let Some(n) = f.map.get(key) {
                misplaced = true;
                d.error(
                    Code::SourceRequirementKey,
                    n.loc,
                    format!("`{key}` has no meaning in a source's `requires`"),
                )
                .hint = Some(format!(
                    "a source's inputs list only `item` or `any_of`; put `{key}` on the item's own `requires`"
                ).into());
            }
        }
        if misplaced {
            return None;
        }
    }
    let mut member_qualify = None;
    let target = match (f.map.get("item"), f.map.get("any_of")) {
        (Some(n), None) => {
            let id = d.string(n, "`item`")?;
            d.use_id(RefKind::Item, &id, n.loc);
            RequirementTarget::Item(ItemId(id))
        }
        (None, Some(n)) => {
            let (ids, qualify) = d.any_of_members(n)?;
            if ids.is_empty() {
                d.error(Code::InvalidValue, n.loc, "`any_of` lists no items")
                    .hint = Some("list at least one alternative item id".into());
                return None;
            }
            if qualify.iter().any(Option::is_some) {
                if !qualify.iter().any(|q| qualifies_at_once(q.as_ref())) {
                    d.error(
                        Code::AnyOfNotQualified,
                        n.loc,
                        "every member of this `any_of` has `qualify_days` above 0",
                    )
                    .hint = Some(
                        "one alternative must be usable today: drop `qualify_days` from the member in use (or make it 0)".into(),
                    );
                    return None;
                }
                member_qualify = Some(Box::new(qualify));
            }
            RequirementTarget::AnyOf(ids.into_iter().map(ItemId).collect())
        }
        (Some(_), Some(n)) => {
            d.error(
                Code::InvalidValue,
                n.loc,
                "a requirement has both `item` and `any_of`",
            )
            .hint = Some("split it into two requirements, or list the item inside `any_of`".into());
            return None;
        }
        (None, None) => {
            d.error(
                Code::MissingKey,
                f.loc,
                "a requirement needs `item` or `any_of`",
            )
            .hint = Some("write `- item: <id>` or `- any_of: [<id>, <id>]`".into());
            return None;
        }
    };
    let qty = match f.map.get("qty") {
        None => 1.0,
        Some(n) => d.number(n, Range::Positive, "`qty`")?,
    };
    let cost_share = d.opt_estimate(&f, "cost_share", Range::Fraction);
    let role = match f.map.get("role") {
        None => Role::Production,
        Some(n) => {
            let word = d.string(n, "`role`")?;
            match Role::parse(&word) {
                Some(r) => r,
                None => {
                    d.error(
                        Code::InvalidValue,
                        n.loc,
                        format!("unknown requirement role `{word}`"),
                    )
                    .hint = Some("role is `production` (the default) or `design`".into());
                    return None;
                }
            }
        }
    };
    let cite = d.cite_list(&f);
    Some(Requirement {
        target,
        qty,
        cost_share: cost_share.map(Box::new),
        role,
        cite,
        note: d.opt_string(&f, "note"),
        member_qualify,
        loc: node.loc,
    })
}

/// A converted supply entry: a source buying today, or a standby one (§3.12).
enum Supply {
    Regular(SupplyEdge),
    Standby(StandbySource),
}

fn convert_supply(d: &mut Draft, node: &Node) -> Option<Supply> {
    let f = d.fields(
        node,
        "a supply entry",
        &[
            "supplier",
            "share",
            "country",
            "requires",
            "standby",
            "qualify_days",
            "cite",
            "note",
        ],
    )?;
    let standby = match f.map.get("standby") {
        None => false,
        Some(n) => match &n.value {
            Value::Scalar { text, .. } if text == "true" => true,
            Value::Scalar { text, .. } if text == "false" => false,
            _ => {
                d.wrong_type(n, "a boolean", "`standby`");
                return None;
            }
        },
    };
    let qualify_days = d.opt_estimate(&f, "qualify_days", Range::NonNegative);
    if let (false, Some(n)) = (standby, f.map.get("qualify_days")) {
        d.error(
            Code::InvalidValue,
            n.loc,
            "`qualify_days` on a source that is not `standby: true`",
        )
        .hint = Some(
            "a source buying today needs no qualification: add `standby: true`, or remove `qualify_days`".into(),
        );
        return None;
    }
    let supplier = d.opt_string(&f, "supplier");
    if let (Some(id), Some(n)) = (&supplier, f.map.get("supplier")) {
        d.use_id(RefKind::Supplier, id, n.loc);
    }
    let share = d
        .required(&f, "share")
        .and_then(|n| d.estimate(n, Range::Fraction, "`share`"));
    let country = match f.map.get("country") {
        Some(n) if !matches!(n.value, Value::Null) => Some(d.country_code(n, "`country`")?),
        _ => None,
    };
    if supplier.is_none() && country.is_none() && !f.map.contains_key("supplier") {
        d.error(
            Code::MissingKey,
            f.loc,
            "a supply entry needs `supplier`, `country`, or both",
        )
        .hint = Some(
            "name the firm (`supplier: <id>`), or the producing country alone (`country: JP`) for unnamed producers".into(),
        );
        return None;
    }
    let requires = match f.map.get("requires") {
        None => None,
        Some(n) => match &n.value {
            Value::Scalar { text, .. } if text == "bom" => Some(Box::new(SourceInputs::Bom)),
            Value::Scalar { text: word, .. } => {
                d.error(
                    Code::InvalidValue,
                    n.loc,
                    format!("a source's `requires` is a list or the word `bom`, not `{word}`"),
                )
                .hint = Some(
                    "write `requires: bom` for the item's own bill of materials, or `requires: [{ item: <id> }]`".into(),
                );
                return None;
            }
            _ => {
                let mut list = Vec::new();
                let mut broken = false;
                for r in d.list(n, "a source's `requires`") {
                    match convert_requirement_in(d, r, true) {
                        Some(req) => list.push(req),
                        None => broken = true,
                    }
                }
                if broken {
                    return None;
                }
                Some(Box::new(SourceInputs::List(list)))
            }
        },
    };
    let cite = d.cite_list(&f);
    let edge = SupplyEdge {
        supplier: supplier.map(SupplierId),
        share: share?,
        country,
        requires,
        cite,
        note: d.opt_string(&f, "note"),
        loc: node.loc,
    };
    Some(if standby {
        Supply::Standby(StandbySource {
            edge,
            qualify_days: qualify_days.map(Box::new),
        })
    } else {
        Supply::Regular(edge)
    })
}

fn convert_reference(d: &mut Draft, node: &Node) {
    let before = d.error_count();
    let Some(f) = d.fields(
        node,
        "a reference",
        &["id", "title", "file", "url", "year", "note"],
    ) else {
        return;
    };
    let id = d.id_of(&f);
    let title = d.req_string(&f, "title");
    let year = f.map.get("year").and_then(|n| {
        let y = d.number(n, Range::NonNegative, "`year`")?;
        if y.fract() != 0.0 {
            d.error(Code::WrongType, n.loc, "`year` must be a whole number")
                .hint = Some("write the year of publication, e.g. `year: 2024`".into());
            return None;
        }
        Some(y as i64)
    });
    d.mark_if_damaged(before, RefKind::Reference, id.as_ref());
    let (Some((id, loc)), Some(title)) = (id, title) else {
        return;
    };
    let entity = Reference {
        id: ReferenceId(id),
        title,
        file: d.opt_string(&f, "file"),
        url: d.opt_string(&f, "url"),
        year,
        note: d.opt_string(&f, "note"),
        loc,
    };
    d.references.push(entity);
}

fn convert_scenario(d: &mut Draft, node: &Node) {
    let Some(f) = d.fields(
        node,
        "a scenario",
        &[
            "id",
            "name",
            "name_zh",
            "fail",
            "tariffs",
            "duration_days",
            "cite",
            "note",
            "note_zh",
        ],
    ) else {
        return;
    };
    let id = d.id_of(&f);
    let name = d.opt_string(&f, "name");
    let mut fail = FailSet::default();
    if let Some(n) = f.map.get("fail") {
        if let Some(ff) = d.fields(n, "`fail`", &["countries", "suppliers", "items"]) {
            // id_list records each code as a usage; validation checks it is ISO.
            fail.countries = d
                .id_list(&ff, "countries", RefKind::Country)
                .into_iter()
                .map(CountryCode)
                .collect();
            fail.suppliers = d
                .id_list(&ff, "suppliers", RefKind::Supplier)
                .into_iter()
                .map(SupplierId)
                .collect();
            fail.items = d
                .id_list(&ff, "items", RefKind::Item)
                .into_iter()
                .map(ItemId)
                .collect();
        }
    }
    let mut tariffs = IndexMap::new();
    if let Some(n) = f.map.get("tariffs") {
        if let Value::Map(entries) = &n.value {
            for (k, v) in entries {
                let Some(code) = d.country_code(k, "a tariff's country") else {
                    continue;
                };
                if let Some(rate) =
                    d.number(v, Range::NonNegative, &format!("the tariff on {code}"))
                {
                    if tariffs.insert(code.clone(), rate).is_some() {
                        d.error(
                            Code::DuplicateKey,
                            k.loc,
                            format!("tariff on `{code}` given twice"),
                        );
                    }
                }
            }
        } else if !matches!(n.value, Value::Null) {
            d.wrong_type(n, "a mapping of country code to rate", "`tariffs`");
        }
    }
    let duration_days = match f.map.get("duration_days") {
        None => 365,
        Some(n) => {
            let Some(x) = d.number(n, Range::NonNegative, "`duration_days`") else {
                return;
            };
            if x.fract() != 0.0 || !(1.0..=36_500.0).contains(&x) {
                d.error(
                    Code::OutOfRange,
                    n.loc,
                    format!("`duration_days` is {x}; it must be a whole number from 1 to 36500"),
                )
                .hint = Some(
                    "give the disruption's length in whole days, e.g. `duration_days: 180`; \
                     leave it out for the default of 365"
                        .into(),
                );
                return;
            }
            x as u32
        }
    };
    let cite = d.cite_list(&f);
    let Some((id, loc)) = id else {
        return;
    };
    let entity = Scenario {
        name: name.unwrap_or_else(|| id.clone()),
        id: ScenarioId(id),
        name_zh: d.opt_string(&f, "name_zh"),
        fail,
        tariffs,
        duration_days,
        cite,
        note: d.opt_string(&f, "note"),
        note_zh: d.opt_string(&f, "note_zh"),
        loc,
    };
    d.scenarios.push(entity);
}

fn convert_figure(d: &mut Draft, node: &Node) {
    let Some(f) = d.fields(
        node,
        "a figure",
        &["id", "name", "name_zh", "value", "unit", "cite", "note"],
    ) else {
        return;
    };
    let id = d.id_of(&f);
    let value = d
        .required(&f, "value")
        .and_then(|n| d.estimate(n, Range::NonNegative, "`value`"));
    let cite = d.cite_list(&f);
    let (Some((id, loc)), Some(value)) = (id, value) else {
        return;
    };
    let entity = Figure {
        name: d.opt_string(&f, "name").unwrap_or_else(|| id.clone()),
        id,
        name_zh: d.opt_string(&f, "name_zh"),
        value,
        unit: d.opt_string(&f, "unit"),
        cite,
        note: d.opt_string(&f, "note"),
        loc,
    };
    d.figures.push(entity);
}

/// The allowed word closest to `word` (edit distance ≤ 2), for "did you mean" hints.
pub fn closest<'a>(word: &str, allowed: &[&'a str]) -> Option<&'a str> {
    // The distance is at least the difference in length: words that cannot be
    // within 2 skip the quadratic computation (a 50 MB key used to hang here).
    let len = word.chars().count();
    allowed
        .iter()
        .filter(|a| a.chars().count().abs_diff(len) <= 2)
        .map(|a| (edit_distance(word, a), *a))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a)
}

/// Levenshtein distance in characters, for "did you mean" hints.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}
