//! CycloneDX 1.5/1.6 JSON → model (docs/interop.md, "CycloneDX").
//!
//! Two paths, one mapping: the text mapped part by part ([`import_text`]), and
//! the whole document parsed into one `Value` ([`import_parsed`]) for what the
//! first cannot settle and for every error message.

use super::text::{each_span, object_members, Fallback, Members, FAST_MAX_DEPTH};
use super::{IMPORT_VERSIONS, NS};
use crate::interop::csv_import::MetaOverrides;
use crate::interop::Unmapped;
use crate::model::*;
use indexmap::map::Entry;
use indexmap::IndexMap;
use serde::de::IgnoredAny;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::convert::Infallible;

/// An imported CycloneDX document: the model and everything left unmapped.
#[derive(Debug)]
pub struct CdxImported {
    pub model: Model,
    pub unmapped: Vec<Unmapped>,
}

/// Why a document could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum CdxError {
    #[error("not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("not a CycloneDX BOM: {0}")]
    NotCycloneDx(String),
    #[error("CycloneDX {0} is not supported (this importer reads 1.5 and 1.6)")]
    Version(String),
    /// A document of the wrong shape: every problem, one per line.
    #[error("{}", .0.join("\n"))]
    Invalid(Vec<String>),
}

/// A top-level list that is neither an array nor null is an error: mapping
/// nothing from it would write an empty graph.
fn check_shapes(top: &Map<String, Value>) -> Result<(), CdxError> {
    let bad: Vec<String> = ["components", "dependencies"]
        .into_iter()
        .filter(|k| top.get(*k).is_some_and(|v| !v.is_array() && !v.is_null()))
        .map(|k| format!("#/{k}: `{k}` must be an array"))
        .collect();
    if bad.is_empty() {
        Ok(())
    } else {
        Err(CdxError::Invalid(bad))
    }
}

/// Software component types (mapped to kind `software`).
const SOFTWARE_TYPES: [&str; 6] = [
    "application",
    "firmware",
    "operating-system",
    "device-driver",
    "library",
    "framework",
];

/// Reads a CycloneDX JSON document (a UTF-8 byte-order mark is dropped).
pub fn import(bytes: &[u8], overrides: &MetaOverrides) -> Result<CdxImported, CdxError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match import_text(bytes, overrides) {
        Ok(imported) => Ok(imported),
        Err(Fallback) => import_parsed(bytes, overrides),
    }
}

/// [`import`] without the fast path: the reference a differential fuzz target
/// compares it with (fuzz/fuzz_targets/import_cyclonedx.rs). Not for other use.
#[doc(hidden)]
pub fn import_by_full_parse(
    bytes: &[u8],
    overrides: &MetaOverrides,
) -> Result<CdxImported, CdxError> {
    import_parsed(
        bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes),
        overrides,
    )
}

/// The document parsed whole into one `Value`, then mapped: the reference the fast
/// path must equal, and the only path that reports a document it cannot read
/// (serde_json names the first problem in the text, which the fast path, reading
/// the parts in another order, may not meet first).
fn import_parsed(bytes: &[u8], overrides: &MetaOverrides) -> Result<CdxImported, CdxError> {
    let doc: Value = serde_json::from_slice(bytes)?;
    let Some(top) = doc.as_object() else {
        return Err(CdxError::NotCycloneDx(
            "the document is not a JSON object".into(),
        ));
    };
    check_header(top)?;
    check_shapes(top)?;
    let list = |key: &str| match top.get(key) {
        Some(Value::Array(a)) => List::Array(a.as_slice()),
        Some(_) => List::NotArray,
        None => List::Absent,
    };
    let mut im = Importer::default();
    match im.document(top, list("components"), list("dependencies")) {
        Ok(()) => im.finish(overrides),
        Err(never) => match never {},
    }
}

/// The fast path: the same mapping as [`import_parsed`] without the document's
/// `Value` tree (about ten times the size of the text: 600 MB and more for a
/// million components). serde_json checks the syntax of the whole text first without
/// building anything; then each top-level member, and each element of
/// `components`, `dependencies` and a dependency's `dependsOn`, is parsed into a
/// `Value` only when it is mapped, and dropped after.
///
/// What the full parse checks beyond syntax — numbers in range, escapes that are
/// characters — is checked on every part, skipped and repeated ones included, and
/// nesting is measured on the text. Anything unexpected, or a header this importer
/// does not read, gives up with [`Fallback`]: the full parse then reports it as it
/// always has.
fn import_text(bytes: &[u8], overrides: &MetaOverrides) -> Result<CdxImported, Fallback> {
    let text = std::str::from_utf8(bytes).map_err(|_| Fallback)?;
    serde_json::from_str::<IgnoredAny>(text)?;
    let (members, depth) = object_members(text.trim_matches([' ', '\t', '\n', '\r']))?;
    if depth > FAST_MAX_DEPTH {
        return Err(Fallback);
    }
    let mut top = Map::new();
    let (mut components, mut dependencies) = (List::Absent, List::Absent);
    for (key, span) in last_values(members)? {
        let list = match key.as_str() {
            "components" => Some(&mut components),
            "dependencies" => Some(&mut dependencies),
            _ => None,
        };
        // The lists stay text (mapped from `components` and `dependencies`, not
        // from `top`, whose entries keep the keys' order).
        let value = match list {
            Some(list) if span.starts_with('[') => {
                *list = List::Array(ArrayText(span));
                Value::Null
            }
            Some(list) => {
                *list = List::NotArray;
                parse(span)?
            }
            None => parse(span)?,
        };
        top.insert(key, value);
    }
    check_header(&top).map_err(|_| Fallback)?;
    check_shapes(&top).map_err(|_| Fallback)?;
    let mut im = Importer::default();
    im.document(&top, components.as_ref(), dependencies.as_ref())?;
    // Errors are reported by the full parse, with the same words.
    im.finish(overrides).map_err(|_| Fallback)
}

/// What makes a JSON object a document this importer reads.
fn check_header(top: &Map<String, Value>) -> Result<(), CdxError> {
    if top.get("bomFormat").and_then(Value::as_str) != Some("CycloneDX") {
        return Err(CdxError::NotCycloneDx(
            "`bomFormat` is not \"CycloneDX\"".into(),
        ));
    }
    let version = top.get("specVersion").and_then(Value::as_str).unwrap_or("");
    if !IMPORT_VERSIONS.contains(&version) {
        return Err(CdxError::Version(version.to_string()));
    }
    Ok(())
}

/// A top-level member that must be an array (`components`, `dependencies`).
enum List<T> {
    Absent,
    NotArray,
    Array(T),
}

impl<T> List<T> {
    fn as_ref(&self) -> List<&T> {
        match self {
            List::Absent => List::Absent,
            List::NotArray => List::NotArray,
            List::Array(a) => List::Array(a),
        }
    }
}

/// A JSON array whose elements are mapped one at a time: parsed already (the full
/// parse), or text parsed element by element (the fast path).
trait Elements {
    /// Why an element cannot be read: never for parsed values; for text, whatever
    /// hands the document to the full parse.
    type Error;
    fn each(&self, f: impl FnMut(usize, &Value)) -> Result<(), Self::Error>;
    /// `each` for `dependencies`: every dependency with its `dependsOn`, when that
    /// is an array.
    fn each_dependency(
        &self,
        f: impl FnMut(usize, &Value, Option<&Self>) -> Result<(), Self::Error>,
    ) -> Result<(), Self::Error>;
}

impl Elements for [Value] {
    type Error = Infallible;
    fn each(&self, mut f: impl FnMut(usize, &Value)) -> Result<(), Infallible> {
        for (i, v) in self.iter().enumerate() {
            f(i, v);
        }
        Ok(())
    }
    fn each_dependency(
        &self,
        mut f: impl FnMut(usize, &Value, Option<&Self>) -> Result<(), Infallible>,
    ) -> Result<(), Infallible> {
        for (i, d) in self.iter().enumerate() {
            let on = d.get("dependsOn").and_then(Value::as_array);
            f(i, d, on.map(Vec::as_slice))?;
        }
        Ok(())
    }
}

/// The text of a JSON array, from a document serde_json accepted as syntax.
#[derive(Clone, Copy)]
struct ArrayText<'a>(&'a str);

impl Elements for ArrayText<'_> {
    type Error = Fallback;
    fn each(&self, mut f: impl FnMut(usize, &Value)) -> Result<(), Fallback> {
        each_span(self.0, |i, span| {
            f(i, &parse(span)?);
            Ok(())
        })
    }
    fn each_dependency(
        &self,
        mut f: impl FnMut(usize, &Value, Option<&Self>) -> Result<(), Fallback>,
    ) -> Result<(), Fallback> {
        each_span(self.0, |i, span| {
            if !span.starts_with('{') {
                return f(i, &parse(span)?, None);
            }
            // One component's `dependsOn` may list a million ids: it stays text,
            // read one id at a time.
            let mut d = Map::new();
            let mut on = None;
            for (key, span) in last_values(object_members(span)?.0)? {
                let value = if key == "dependsOn" && span.starts_with('[') {
                    on = Some(ArrayText(span));
                    Value::Null
                } else {
                    parse(span)?
                };
                d.insert(key, value);
            }
            f(i, &Value::Object(d), on.as_ref())
        })
    }
}

fn parse(span: &str) -> Result<Value, Fallback> {
    Ok(serde_json::from_str(span)?)
}

/// Checks a value the mapping never reads, as the full parse would.
fn check(span: &str) -> Result<(), Fallback> {
    if span.starts_with('[') {
        ArrayText(span).each(|_, _| {})
    } else {
        parse(span).map(drop)
    }
}

/// Object members as serde_json's `Map` keeps them: each key once, at its first
/// place, with its last value. A value a repeated key replaces is still checked.
fn last_values(members: Members<'_>) -> Result<IndexMap<String, &str>, Fallback> {
    let mut map = IndexMap::with_capacity(members.len());
    for (key, span) in members {
        if let Some(replaced) = map.insert(serde_json::from_str::<String>(key)?, span) {
            check(replaced)?;
        }
    }
    Ok(map)
}

#[derive(Default)]
struct Importer {
    unmapped: Vec<Unmapped>,
    meta: Meta,
    countries: BTreeMap<u64, (String, CountryDraft)>,
    /// Registry from metadata: index → (pointer, draft).
    registry: BTreeMap<u64, (String, SupplierDraft)>,
    /// Suppliers met in `supplier`/`manufacturer` fields, by id.
    seen_suppliers: IndexMap<String, Supplier>,
    /// The items as they are returned, in document order; built in place, as a
    /// second map of a million items would double the peak. Kinds are decided in
    /// `finish`.
    items: IndexMap<ItemId, Item>,
    /// By item index (items are only ever appended): what decides the kinds, and
    /// each item's first parent.
    drafts: Vec<Draft>,
    /// (parent, child) item indices of the links not in a child's
    /// `Draft::first_parent`; see [`Importer::link`].
    more_links: HashSet<(u32, u32)>,
    /// Problems that stop the import (a bom-ref used twice for different content).
    errors: Vec<String>,
    /// Members of `chokepoint:requires` properties not imported yet, by id, with the
    /// indices of the items naming them: linked when they are.
    forward_links: HashMap<String, Vec<usize>>,
}

#[derive(Default)]
struct CountryDraft {
    id: Option<String>,
    name: Option<String>,
    name_zh: Option<String>,
}

#[derive(Default)]
struct SupplierDraft {
    id: Option<String>,
    name: Option<String>,
    name_zh: Option<String>,
    country: Option<String>,
    note: Option<String>,
}

/// The item of a component met for the first time.
fn new_item(id: &str, c: &Map<String, Value>) -> Item {
    Item {
        id: ItemId::new(id),
        // Decided in `finish`, from the draft and the requirements.
        kind: ItemKind::Part,
        name: c
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or(id)
            .to_string(),
        name_zh: None,
        market_value: None,
        requires: Vec::new(),
        supply: Vec::new(),
        standby: Vec::new(),
        import_share: None,
        stock_days: None,
        recovery_days: None,
        export_controls: Vec::new(),
        cite: Vec::new(),
        note: None,
        loc: Location::default(),
    }
}

/// What decides an item's kind beside its requirements.
struct Draft {
    /// From `chokepoint:kind`.
    kind: Option<ItemKind>,
    software: bool,
    /// The index of the first item that requires this one, by any link: nested,
    /// dependency or property (an item a property names before it comes is linked
    /// when it does). Without one, an item is a system.
    first_parent: Option<u32>,
    /// A hash of the component's content without its nested components and
    /// its link to a parent: a second component with the same bom-ref must
    /// carry the same.
    fingerprint: u64,
}

/// Hashes a component's content: every field but nested `components`, and
/// every property but those of the link to an enclosing component (`qty`,
/// `cost_share*`, `alternate`), which may differ between occurrences.
fn fingerprint(c: &Map<String, Value>) -> u64 {
    use std::hash::{Hash, Hasher};
    fn value(v: &Value, h: &mut std::collections::hash_map::DefaultHasher) {
        match v {
            Value::Null => 0u8.hash(h),
            Value::Bool(b) => (1u8, b).hash(h),
            Value::Number(n) => (2u8, n.to_string()).hash(h),
            Value::String(s) => (3u8, s).hash(h),
            Value::Array(a) => {
                (4u8, a.len()).hash(h);
                a.iter().for_each(|x| value(x, h));
            }
            Value::Object(o) => {
                (5u8, o.len()).hash(h);
                for (k, x) in o {
                    k.hash(h);
                    value(x, h);
                }
            }
        }
    }
    let link = |p: &Value| {
        p.get("name").and_then(Value::as_str).is_some_and(|n| {
            n.strip_prefix(NS).is_some_and(|f| {
                f == "qty" || f == "alternate" || split_suffix(f).0 == "cost_share"
            })
        })
    };
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for (k, v) in c {
        match (k.as_str(), v) {
            ("components", _) => {}
            ("properties", Value::Array(props)) => {
                k.hash(&mut h);
                props
                    .iter()
                    .filter(|p| !link(p))
                    .for_each(|p| value(p, &mut h));
            }
            _ => {
                k.hash(&mut h);
                value(v, &mut h);
            }
        }
    }
    h.finish()
}

/// Requirement fields read from `chokepoint:requires:N:*`.
#[derive(Default)]
struct ReqProps {
    item: Option<String>,
    any_of: Vec<String>,
    qty: Option<String>,
    est: EstimateText,
    /// `chokepoint:requires:N:role` with its pointer.
    role: Option<(String, String)>,
}

#[derive(Default)]
struct SupplyProps {
    supplier: Option<String>,
    est: EstimateText,
    site_country: Option<String>,
    /// `chokepoint:supply:N:requires` (`bom`, `none`) with its pointer.
    requires_word: Option<(String, String)>,
    /// `chokepoint:supply:N:requires:K:item|any_of`.
    requires: BTreeMap<u64, ReqProps>,
}

/// The value/low/high strings of an estimate, with the pointer of each.
#[derive(Default)]
struct EstimateText {
    value: Option<(String, String)>,
    low: Option<(String, String)>,
    high: Option<(String, String)>,
}

impl EstimateText {
    fn set(&mut self, suffix: &str, value: String, pointer: String) -> bool {
        let slot = match suffix {
            "" => &mut self.value,
            "_low" => &mut self.low,
            "_high" => &mut self.high,
            _ => return false,
        };
        *slot = Some((value, pointer));
        true
    }
    fn is_empty(&self) -> bool {
        self.value.is_none() && self.low.is_none() && self.high.is_none()
    }
}

/// Splits `share_low` into (`share`, `_low`).
fn split_suffix(field: &str) -> (&str, &str) {
    for suffix in ["_low", "_high"] {
        if let Some(stem) = field.strip_suffix(suffix) {
            return (stem, suffix);
        }
    }
    (field, "")
}

impl Importer {
    fn unmapped(&mut self, pointer: String, reason: String) {
        self.unmapped.push(Unmapped { pointer, reason });
    }

    /// A number from a property value; unparsable or out of range → unmapped.
    fn number(&mut self, text: &str, pointer: &str, fraction: bool) -> Option<f64> {
        match text.trim().parse::<f64>() {
            Ok(x) if x.is_finite() && x >= 0.0 && (!fraction || x <= 1.0) => Some(x),
            Ok(_) => {
                let rule = if fraction {
                    "between 0 and 1"
                } else {
                    "a finite number, 0 or more"
                };
                self.unmapped(
                    pointer.to_string(),
                    format!("`{text}` must be {rule}; the value was not imported"),
                );
                None
            }
            Err(_) => {
                self.unmapped(
                    pointer.to_string(),
                    format!("`{text}` is not a number; the value was not imported"),
                );
                None
            }
        }
    }

    fn estimate(&mut self, e: &EstimateText, fraction: bool) -> Option<Estimate> {
        let mut get = |slot: &Option<(String, String)>| {
            slot.as_ref().map(|(t, p)| self.number(t, p, fraction))
        };
        let (value, low, high) = (get(&e.value), get(&e.low), get(&e.high));
        if [value, low, high].iter().any(|x| matches!(x, Some(None))) {
            return None;
        }
        let (value, low, high) = (value.flatten(), low.flatten(), high.flatten());
        match (low, high) {
            (Some(l), Some(h)) if l > h => {
                let p = e.high.as_ref().map(|(_, p)| p.clone()).unwrap_or_default();
                self.unmapped(
                    p,
                    format!("low {l} is above high {h}; the estimate was not imported"),
                );
                return None;
            }
            (Some(_), None) | (None, Some(_)) => {
                let p = e
                    .low
                    .as_ref()
                    .or(e.high.as_ref())
                    .map(|(_, p)| p.clone())
                    .unwrap_or_default();
                self.unmapped(
                    p,
                    "a range needs both _low and _high; the estimate was not imported".into(),
                );
                return None;
            }
            _ => {}
        }
        Estimate::from_numbers(value, low, high)
    }

    /// Maps a document whose header was checked, always in this order (whatever
    /// the order of the text): the top-level keys, `metadata.component`,
    /// `components`, then `dependencies`, which name the components' items.
    fn document<A: Elements + ?Sized>(
        &mut self,
        top: &Map<String, Value>,
        components: List<&A>,
        dependencies: List<&A>,
    ) -> Result<(), A::Error> {
        for (key, value) in top {
            match key.as_str() {
                "$schema" | "bomFormat" | "specVersion" | "serialNumber" | "version" => {}
                "metadata" => self.metadata(value),
                "components" | "dependencies" => {}
                other => self.unmapped(
                    format!("/{other}"),
                    format!("`{other}` has no place in a supply graph"),
                ),
            }
        }
        if let Some(Value::Object(meta)) = top.get("metadata") {
            if let Some(c) = meta.get("component") {
                self.component(c, "/metadata/component".into(), None);
            }
        }
        match components {
            List::Array(cs) => {
                cs.each(|i, c| self.component(c, format!("/components/{i}"), None))?
            }
            List::NotArray => {
                self.unmapped("/components".into(), "`components` is not an array".into())
            }
            List::Absent => {}
        }
        match dependencies {
            List::Array(ds) => {
                ds.each_dependency(|i, d, on| self.dependency(d, on, format!("/dependencies/{i}")))?
            }
            List::NotArray => self.unmapped(
                "/dependencies".into(),
                "`dependencies` is not an array".into(),
            ),
            List::Absent => {}
        }
        Ok(())
    }

    fn metadata(&mut self, value: &Value) {
        let Some(meta) = value.as_object() else {
            self.unmapped("/metadata".into(), "`metadata` is not an object".into());
            return;
        };
        for (key, v) in meta {
            let pointer = format!("/metadata/{key}");
            match key.as_str() {
                // Provenance of the document itself, not of the supply chain.
                "timestamp" | "tools" => {}
                "component" => {} // imported as an item by the caller
                "properties" => {
                    let Some(props) = v.as_array() else {
                        self.unmapped(pointer, "`properties` is not an array".into());
                        continue;
                    };
                    for (i, p) in props.iter().enumerate() {
                        let pointer = format!("{pointer}/{i}");
                        let (Some(name), value) = (
                            p.get("name").and_then(Value::as_str),
                            p.get("value").and_then(Value::as_str).unwrap_or(""),
                        ) else {
                            self.unmapped(pointer, "a property without a name".into());
                            continue;
                        };
                        self.meta_property(name, value.to_string(), pointer);
                    }
                }
                other => self.unmapped(
                    pointer,
                    format!("metadata `{other}` has no place in a supply graph"),
                ),
            }
        }
    }

    fn meta_property(&mut self, name: &str, value: String, pointer: String) {
        let Some(rest) = name.strip_prefix(NS) else {
            self.unmapped(
                pointer,
                format!("property `{name}` is not in the `{NS}` namespace"),
            );
            return;
        };
        let parts: Vec<&str> = rest.split(':').collect();
        match parts.as_slice() {
            ["title"] => self.meta.title = value,
            ["currency"] => self.meta.currency = value,
            ["as_of"] => self.meta.as_of = Some(value),
            ["home"] if iso::is_assigned(&value) => self.meta.home = CountryCode::new(value),
            ["country", n, field] | ["supplier", n, field] => {
                let Ok(n) = n.parse::<u64>() else {
                    self.unmapped(pointer, format!("`{name}`: `{n}` is not an index"));
                    return;
                };
                let ok = if parts[0] == "country" {
                    let (_, c) = self
                        .countries
                        .entry(n)
                        .or_insert_with(|| (pointer.clone(), CountryDraft::default()));
                    match *field {
                        "id" => c.id = Some(value),
                        "name" => c.name = Some(value),
                        "name_zh" => c.name_zh = Some(value),
                        _ => return self.unmapped(pointer, format!("unknown property `{name}`")),
                    }
                    true
                } else {
                    let (_, s) = self
                        .registry
                        .entry(n)
                        .or_insert_with(|| (pointer.clone(), SupplierDraft::default()));
                    match *field {
                        "id" => s.id = Some(value),
                        "name" => s.name = Some(value),
                        "name_zh" => s.name_zh = Some(value),
                        "country" => s.country = Some(value),
                        "note" => s.note = Some(value),
                        _ => return self.unmapped(pointer, format!("unknown property `{name}`")),
                    }
                    true
                };
                debug_assert!(ok);
            }
            ["home"] => self.unmapped(
                pointer,
                format!("home `{value}` is not an ISO 3166-1 alpha-2 code"),
            ),
            _ => self.unmapped(pointer, format!("unknown property `{name}`")),
        }
    }

    /// Imports a component (and its nested components) as an item. `parent` is the
    /// item index of the enclosing component, for nested components.
    fn component(&mut self, value: &Value, pointer: String, parent: Option<usize>) {
        let Some(c) = value.as_object() else {
            self.unmapped(pointer, "a component that is not an object".into());
            return;
        };
        let ctype = c.get("type").and_then(Value::as_str).unwrap_or("");
        let software = SOFTWARE_TYPES.contains(&ctype);
        if ctype != "device" && !software {
            self.unmapped(pointer, format!("component type `{ctype}` has no place in a supply graph (device and software types are imported)"));
            return;
        }
        let id = c
            .get("bom-ref")
            .and_then(Value::as_str)
            .or_else(|| c.get("name").and_then(Value::as_str))
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let Some(id) = id else {
            self.unmapped(
                pointer,
                "a component with neither `bom-ref` nor `name`".into(),
            );
            return;
        };
        // Edge properties of a nested component (its relation to `parent`).
        let mut edge_qty: Option<(String, String)> = None;
        let mut edge_cost = EstimateText::default();
        let mut edge_group: Option<String> = None;
        grow_by_doubling(&mut self.items, usize::MAX);
        let print = fingerprint(c);
        let (ix, first_time) = match self.items.entry(ItemId::new(id)) {
            Entry::Occupied(e) => {
                let ix = e.index();
                if self.drafts[ix].fingerprint != print {
                    self.errors.push(format!(
                        "#{pointer}: a second component with bom-ref `{id}` differs from the first; give it its own bom-ref, or make the two the same"
                    ));
                    return;
                }
                (ix, false)
            }
            Entry::Vacant(e) => {
                let ix = e.index();
                e.insert(new_item(id, c));
                self.drafts.push(Draft {
                    kind: None,
                    software,
                    first_parent: None,
                    fingerprint: print,
                });
                if !self.forward_links.is_empty() {
                    for parent in self.forward_links.remove(id).unwrap_or_default() {
                        self.link(parent, ix);
                    }
                }
                (ix, true)
            }
        };
        let mut reqs: BTreeMap<u64, ReqProps> = BTreeMap::new();
        let mut supply: BTreeMap<u64, SupplyProps> = BTreeMap::new();
        let mut simple_share = EstimateText::default();
        let mut simple_site: Option<(String, String)> = None;
        let mut estimates: Vec<(&'static str, EstimateText)> = Vec::new();
        for (key, v) in c {
            // Built only where used: a pointer for every field of a million
            // components is millions of strings for nothing.
            let kp = || format!("{pointer}/{key}");
            match key.as_str() {
                "type" | "bom-ref" | "name" | "components" | "supplier" | "manufacturer" => {}
                "description" if first_time => {
                    if let Some(d) = v.as_str() {
                        self.items[ix].note = Some(d.to_string());
                    }
                }
                "properties" if first_time || parent.is_some() => {
                    let kp = kp();
                    let Some(props) = v.as_array() else {
                        self.unmapped(kp, "`properties` is not an array".into());
                        continue;
                    };
                    for (i, p) in props.iter().enumerate() {
                        let pp = format!("{kp}/{i}");
                        let Some(pname) = p.get("name").and_then(Value::as_str) else {
                            self.unmapped(pp, "a property without a name".into());
                            continue;
                        };
                        let value = p
                            .get("value")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string();
                        let Some(rest) = pname.strip_prefix(NS) else {
                            self.unmapped(
                                pp,
                                format!("property `{pname}` is not in the `{NS}` namespace"),
                            );
                            continue;
                        };
                        let parts: Vec<&str> = rest.split(':').collect();
                        // Edge properties apply to the relation with the parent, every occurrence.
                        match parts.as_slice() {
                            ["qty"] => {
                                edge_qty = Some((value, pp));
                                continue;
                            }
                            ["alternate"] => {
                                edge_group = Some(value);
                                continue;
                            }
                            [f] if split_suffix(f).0 == "cost_share" => {
                                edge_cost.set(split_suffix(f).1, value, pp);
                                continue;
                            }
                            _ => {}
                        }
                        if !first_time {
                            self.unmapped(pp, format!("`{id}` appeared before; item properties are read from its first occurrence"));
                            continue;
                        }
                        match parts.as_slice() {
                            ["kind"] => match ItemKind::parse(&value) {
                                Some(k) => self.drafts[ix].kind = Some(k),
                                None => self.unmapped(pp, format!("unknown kind `{value}`")),
                            },
                            ["name_zh"] => self.items[ix].name_zh = Some(value),
                            ["export_control"] => self.items[ix].export_controls.push(value),
                            ["site_country"] => simple_site = Some((value, pp)),
                            [f] => {
                                let (stem, suffix) = split_suffix(f);
                                let stem: &'static str = match stem {
                                    "market_value" => "market_value",
                                    "import_share" => "import_share",
                                    "stock_days" => "stock_days",
                                    "recovery_days" => "recovery_days",
                                    "share" => {
                                        simple_share.set(suffix, value, pp);
                                        continue;
                                    }
                                    _ => {
                                        self.unmapped(pp, format!("unknown property `{pname}`"));
                                        continue;
                                    }
                                };
                                match estimates.iter_mut().find(|(s, _)| *s == stem) {
                                    Some((_, e)) => {
                                        e.set(suffix, value, pp);
                                    }
                                    None => {
                                        let mut e = EstimateText::default();
                                        e.set(suffix, value, pp);
                                        estimates.push((stem, e));
                                    }
                                }
                            }
                            ["supply", n, "requires", k, field @ ("item" | "any_of")] => {
                                let (Ok(n), Ok(k)) = (n.parse::<u64>(), k.parse::<u64>()) else {
                                    self.unmapped(pp, format!("`{pname}`: not an index"));
                                    continue;
                                };
                                let r = supply.entry(n).or_default().requires.entry(k).or_default();
                                if *field == "item" {
                                    r.item = Some(value);
                                } else {
                                    r.any_of.push(value);
                                }
                            }
                            [group @ ("requires" | "supply"), n, field] => {
                                let Ok(n) = n.parse::<u64>() else {
                                    self.unmapped(pp, format!("`{pname}`: `{n}` is not an index"));
                                    continue;
                                };
                                let (stem, suffix) = split_suffix(field);
                                let known = if *group == "requires" {
                                    let r = reqs.entry(n).or_default();
                                    match stem {
                                        "item" => {
                                            r.item = Some(value);
                                            true
                                        }
                                        "any_of" => {
                                            r.any_of.push(value);
                                            true
                                        }
                                        "qty" => {
                                            r.qty = Some(value);
                                            true
                                        }
                                        "role" => {
                                            r.role = Some((value, pp.clone()));
                                            true
                                        }
                                        "cost_share" => r.est.set(suffix, value, pp.clone()),
                                        _ => false,
                                    }
                                } else {
                                    let s = supply.entry(n).or_default();
                                    match stem {
                                        "supplier" => {
                                            s.supplier = Some(value);
                                            true
                                        }
                                        "site_country" => {
                                            s.site_country = Some(value);
                                            true
                                        }
                                        "requires" => {
                                            s.requires_word = Some((value, pp.clone()));
                                            true
                                        }
                                        "share" => s.est.set(suffix, value, pp.clone()),
                                        _ => false,
                                    }
                                };
                                if !known {
                                    self.unmapped(pp, format!("unknown property `{pname}`"));
                                }
                            }
                            _ => self.unmapped(pp, format!("unknown property `{pname}`")),
                        }
                    }
                }
                other if first_time => self.unmapped(
                    kp(),
                    format!("component field `{other}` has no place in a supply graph"),
                ),
                other => self.unmapped(
                    kp(),
                    format!(
                        "`{id}` appeared before; `{other}` of this occurrence was not imported"
                    ),
                ),
            }
        }
        if first_time {
            for (stem, e) in estimates {
                let fraction = stem == "import_share";
                let est = self.estimate(&e, fraction).map(Box::new);
                let item = &mut self.items[ix];
                match stem {
                    "market_value" => item.market_value = est,
                    "import_share" => item.import_share = est,
                    "stock_days" => item.stock_days = est,
                    _ => item.recovery_days = est,
                }
            }
            self.requirements_from_props(ix, reqs, &pointer);
            if supply.is_empty() {
                self.supply_from_fields(ix, c, &pointer, simple_share, simple_site);
            } else {
                self.supply_from_props(ix, supply, &pointer);
                self.check_informational_supplier(ix, id, c, &pointer);
            }
        }
        if let Some(parent) = parent {
            let qty = match edge_qty {
                None => Some(1.0),
                Some((t, p)) => match t.trim().parse::<f64>() {
                    Ok(q) if q.is_finite() && q > 0.0 => Some(q),
                    _ => {
                        self.unmapped(
                            p,
                            format!("qty `{t}` is not a number above 0; qty 1 was used"),
                        );
                        Some(1.0)
                    }
                },
            };
            let cost = self.estimate(&edge_cost, true);
            self.add_requirement(parent, ix, qty.unwrap_or(1.0), cost, edge_group);
        }
        if let Some(Value::Array(children)) = c.get("components") {
            for (i, child) in children.iter().enumerate() {
                self.component(child, format!("{pointer}/components/{i}"), Some(ix));
            }
        } else if let Some(other) = c.get("components") {
            if !other.is_null() {
                self.unmapped(
                    format!("{pointer}/components"),
                    "`components` is not an array".into(),
                );
            }
        }
    }

    /// Records that `parent` requires `child` (item indices); false when it already
    /// did. "The same link found twice counts once" without scanning the parent's
    /// list (quadratic in a component with a million dependencies), and without a
    /// set entry for the first parent of each item: in most BOMs the only one.
    /// Links `ix` to every member of `target` now, or when the member arrives.
    fn link_members(&mut self, ix: usize, target: &RequirementTarget) {
        for m in target.members() {
            match self.items.get_index_of(m.as_str()) {
                Some(child) => {
                    self.link(ix, child);
                }
                None => self
                    .forward_links
                    .entry(m.to_string())
                    .or_default()
                    .push(ix),
            }
        }
    }

    fn link(&mut self, parent: usize, child: usize) -> bool {
        // A u32 holds any item index: four billion items would not fit in memory.
        let parent = parent as u32;
        match self.drafts[child].first_parent {
            None => {
                self.drafts[child].first_parent = Some(parent);
                true
            }
            Some(first) if first == parent => false,
            Some(_) => self.more_links.insert((parent, child as u32)),
        }
    }

    /// A nested component or a dependency: `parent` requires `child`, unless it
    /// already does. A group name joins an `any_of` of the same parent.
    fn add_requirement(
        &mut self,
        parent: usize,
        child: usize,
        qty: f64,
        cost: Option<Estimate>,
        group: Option<String>,
    ) {
        if !self.link(parent, child) {
            return;
        }
        let child = self.items[child].id.clone();
        let p = &mut self.items[parent];
        if let Some(g) = &group {
            let tag = format!("{NS}alternate={g}");
            if let Some(r) = p
                .requires
                .iter_mut()
                .find(|r| r.note.as_deref() == Some(tag.as_str()))
            {
                if let RequirementTarget::AnyOf(ids) = &mut r.target {
                    ids.push(child);
                }
                return;
            }
        }
        p.requires.push(Requirement {
            target: match &group {
                None => RequirementTarget::Item(child),
                Some(_) => RequirementTarget::AnyOf(vec![child]),
            },
            qty,
            cost_share: cost.map(Box::new),
            role: Role::Production,
            cite: Vec::new(),
            // Marks the group while importing; cleared in `finish`.
            note: group.map(|g| format!("{NS}alternate={g}")),
            loc: Location::default(),
        });
    }

    fn requirements_from_props(&mut self, ix: usize, reqs: BTreeMap<u64, ReqProps>, pointer: &str) {
        for (n, r) in reqs {
            let at = format!("{pointer}/properties ({NS}requires:{n}:*)");
            let target = match (r.item, r.any_of.is_empty()) {
                (Some(item), true) => RequirementTarget::Item(ItemId::new(item)),
                (None, false) => {
                    RequirementTarget::AnyOf(r.any_of.into_iter().map(ItemId::new).collect())
                }
                _ => {
                    self.unmapped(at, "a requirement needs exactly one of `item` or `any_of`; it was not imported".into());
                    continue;
                }
            };
            let qty = match r.qty {
                None => 1.0,
                Some(t) => match t.trim().parse::<f64>() {
                    Ok(q) if q.is_finite() && q > 0.0 => q,
                    _ => {
                        self.unmapped(at, format!("qty `{t}` is not a number above 0; the requirement was not imported"));
                        continue;
                    }
                },
            };
            let role = match &r.role {
                None => Role::Production,
                Some((word, p)) => match Role::parse(word) {
                    Some(role) => role,
                    None => {
                        self.unmapped(p.clone(), format!("role `{word}` is neither `production` nor `design`; the requirement was not imported"));
                        continue;
                    }
                },
            };
            let cost = if r.est.is_empty() {
                None
            } else {
                self.estimate(&r.est, true)
            };
            self.link_members(ix, &target);
            self.items[ix].requires.push(Requirement {
                target,
                qty,
                cost_share: cost.map(Box::new),
                role,
                cite: Vec::new(),
                note: None,
                loc: Location::default(),
            });
        }
    }

    fn supply_from_props(&mut self, ix: usize, supply: BTreeMap<u64, SupplyProps>, pointer: &str) {
        for (n, s) in supply {
            let at = format!("{pointer}/properties ({NS}supply:{n}:*)");
            if s.supplier.is_none() && s.site_country.is_none() {
                self.unmapped(
                    at,
                    "a supply edge with neither `supplier` nor `site_country`; it was not imported"
                        .into(),
                );
                continue;
            }
            let who = match &s.supplier {
                Some(id) => format!("`{id}`"),
                None => "unnamed producers".into(),
            };
            let Some(share) = (if s.est.is_empty() {
                None
            } else {
                self.estimate(&s.est, true)
            }) else {
                self.unmapped(
                    at,
                    format!("the supply edge from {who} has no valid share; it was not imported"),
                );
                continue;
            };
            let site = match s.site_country {
                None => None,
                Some(c) if iso::is_assigned(&c) => Some(CountryCode::new(c)),
                Some(c) => {
                    self.unmapped(at, format!("site country `{c}` is not an ISO 3166-1 alpha-2 code; the edge was not imported"));
                    continue;
                }
            };
            let Ok(requires) = self.source_inputs(ix, s.requires_word, s.requires, &at) else {
                continue;
            };
            self.items[ix].supply.push(SupplyEdge {
                supplier: s.supplier.map(SupplierId::new),
                share,
                country: site,
                requires: requires.map(Box::new),
                cite: Vec::new(),
                note: None,
                loc: Location::default(),
            });
        }
    }

    /// A source's own inputs from `supply:N:requires` (`bom`, `none`) and
    /// `supply:N:requires:K:item|any_of`; their members are linked like
    /// requirements (the exporter lists them in `dependsOn` too).
    fn source_inputs(
        &mut self,
        ix: usize,
        word: Option<(String, String)>,
        list: BTreeMap<u64, ReqProps>,
        at: &str,
    ) -> Result<Option<SourceInputs>, ()> {
        match word {
            Some((w, _)) if w == "bom" && list.is_empty() => return Ok(Some(SourceInputs::Bom)),
            Some((w, _)) if w == "none" && list.is_empty() => {
                return Ok(Some(SourceInputs::List(Vec::new())))
            }
            Some((w, p)) => {
                self.unmapped(p, format!("`{w}` with a list: a source's `requires` is `bom`, `none` or a list; the supply edge was not imported"));
                return Err(());
            }
            None if list.is_empty() => return Ok(None),
            None => {}
        }
        let mut out = Vec::with_capacity(list.len());
        for (_, r) in list {
            let target = match (r.item, r.any_of.is_empty()) {
                (Some(item), true) => RequirementTarget::Item(ItemId::new(item)),
                (None, false) => {
                    RequirementTarget::AnyOf(r.any_of.into_iter().map(ItemId::new).collect())
                }
                _ => {
                    self.unmapped(at.to_string(), "an input of a source needs exactly one of `item` or `any_of`; the supply edge was not imported".into());
                    return Err(());
                }
            };
            self.link_members(ix, &target);
            out.push(Requirement {
                target,
                qty: 1.0,
                cost_share: None,
                role: Role::Production,
                cite: Vec::new(),
                note: None,
                loc: Location::default(),
            });
        }
        Ok(Some(SourceInputs::List(out)))
    }

    /// With indexed supply properties, `supplier`/`manufacturer` only repeat one of
    /// the registry's suppliers (as this exporter writes them); anything else is listed.
    fn check_informational_supplier(
        &mut self,
        ix: usize,
        id: &str,
        c: &Map<String, Value>,
        pointer: &str,
    ) {
        for field in ["supplier", "manufacturer"] {
            let Some(org) = c.get(field) else { continue };
            let name = org.get("name").and_then(Value::as_str).unwrap_or("");
            let known = self.items[ix].supply.iter().any(|e| {
                self.registry.values().any(|(_, s)| {
                    s.id.as_deref() == e.supplier.as_ref().map(|x| x.as_str())
                        && s.name.as_deref() == Some(name)
                })
            });
            if !known {
                self.unmapped(
                    format!("{pointer}/{field}"),
                    format!("`{name}` is not among the {NS}supply suppliers of `{id}`; it was not imported"),
                );
            }
        }
    }

    /// Plain CycloneDX: `supplier` (else `manufacturer`) is the one source.
    fn supply_from_fields(
        &mut self,
        ix: usize,
        c: &Map<String, Value>,
        pointer: &str,
        share: EstimateText,
        site: Option<(String, String)>,
    ) {
        let (field, org) = match (c.get("supplier"), c.get("manufacturer")) {
            (Some(s), m) => {
                if m.is_some() {
                    self.unmapped(
                        format!("{pointer}/manufacturer"),
                        "the `supplier` was used as the source; the manufacturer was not imported"
                            .into(),
                    );
                }
                ("supplier", s)
            }
            (None, Some(m)) => ("manufacturer", m),
            (None, None) => {
                if !share.is_empty() {
                    let p = share
                        .value
                        .as_ref()
                        .or(share.low.as_ref())
                        .map(|(_, p)| p.clone())
                        .unwrap_or_default();
                    self.unmapped(p, "a share without a supplier or manufacturer".into());
                }
                return;
            }
        };
        let at = format!("{pointer}/{field}");
        let name = org
            .get("name")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let sid = org
            .get("bom-ref")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .or(name);
        let Some(sid) = sid.map(str::to_string) else {
            self.unmapped(
                at,
                "an organization with neither `bom-ref` nor `name`".into(),
            );
            return;
        };
        let country = org
            .pointer("/address/country")
            .and_then(Value::as_str)
            .map(str::trim)
            .unwrap_or("");
        // Either the registry knows the supplier, or the address must give its country.
        let in_registry = self
            .registry
            .values()
            .any(|(_, s)| s.id.as_deref() == Some(sid.as_str()));
        if !in_registry && !self.seen_suppliers.contains_key(&sid) {
            if !iso::is_assigned(country) {
                let why = if country.is_empty() {
                    "has no address.country".to_string()
                } else {
                    format!("has address.country `{country}`, not an ISO 3166-1 alpha-2 code")
                };
                self.unmapped(
                    at,
                    format!("supplier `{sid}` {why}; the supply edge was not imported"),
                );
                return;
            }
            self.seen_suppliers.insert(
                sid.clone(),
                Supplier {
                    id: SupplierId::new(sid.clone()),
                    name: name.unwrap_or(&sid).to_string(),
                    name_zh: None,
                    country: CountryCode::new(country),
                    parent: None,
                    cite: Vec::new(),
                    note: None,
                    loc: Location::default(),
                },
            );
        }
        let share = if share.is_empty() {
            Some(Estimate::exact(1.0))
        } else {
            self.estimate(&share, true)
        };
        let Some(share) = share else { return };
        let site = match site {
            None => None,
            Some((c, _)) if iso::is_assigned(&c) => Some(CountryCode::new(c)),
            Some((c, p)) => {
                self.unmapped(
                    p,
                    format!("site country `{c}` is not an ISO 3166-1 alpha-2 code"),
                );
                None
            }
        };
        self.items[ix].supply.push(SupplyEdge {
            supplier: Some(SupplierId::new(sid)),
            share,
            country: site,
            requires: None,
            cite: Vec::new(),
            note: None,
            loc: Location::default(),
        });
    }

    /// A dependency: `ref` requires each of `on` (its `dependsOn`, when an array).
    fn dependency<A: Elements + ?Sized>(
        &mut self,
        d: &Value,
        on: Option<&A>,
        pointer: String,
    ) -> Result<(), A::Error> {
        // Ids that are not mapped are still read: reading text is what checks it.
        let skip = |on: Option<&A>| on.map_or(Ok(()), |on| on.each(|_, _| {}));
        let Some(from) = d.get("ref").and_then(Value::as_str) else {
            self.unmapped(pointer, "a dependency without `ref`".into());
            return skip(on);
        };
        let Some(parent) = self.items.get_index_of(from) else {
            self.unmapped(
                format!("{pointer}/ref"),
                format!("`{from}` is not an imported component"),
            );
            return skip(on);
        };
        if let Some(on) = on {
            on.each(|i, to| match to.as_str() {
                Some(to) if to == from => self.unmapped(
                    format!("{pointer}/dependsOn/{i}"),
                    format!("`{to}` depends on itself (a requirement cycle); not imported"),
                ),
                Some(to) => match self.items.get_index_of(to) {
                    Some(child) => self.add_requirement(parent, child, 1.0, None, None),
                    None => self.unmapped(
                        format!("{pointer}/dependsOn/{i}"),
                        format!("`{to}` is not an imported component"),
                    ),
                },
                None => self.unmapped(
                    format!("{pointer}/dependsOn/{i}"),
                    "not a bom-ref string".into(),
                ),
            })?;
        }
        if d.get("provides").is_some() {
            self.unmapped(
                format!("{pointer}/provides"),
                "`provides` has no place in a supply graph".into(),
            );
        }
        Ok(())
    }

    fn finish(mut self, overrides: &MetaOverrides) -> Result<CdxImported, CdxError> {
        if !self.errors.is_empty() {
            return Err(CdxError::Invalid(std::mem::take(&mut self.errors)));
        }
        // Drop requirements whose targets were not imported. Only a property names
        // an item that never came, and those names are what is left of
        // `forward_links`: without any, there is nothing to look up.
        let mut dangling = Vec::new();
        if !self.forward_links.is_empty() {
            for (ix, item) in self.items.values().enumerate() {
                for (rx, r) in item.requires.iter().enumerate() {
                    let missing: Vec<String> = r
                        .target
                        .members()
                        .iter()
                        .filter(|m| !self.items.contains_key(m.as_str()))
                        .map(|m| m.to_string())
                        .collect();
                    if !missing.is_empty() {
                        dangling.push((ix, rx, missing));
                    }
                }
            }
        }
        let mut dropped = dangling.iter().map(|&(ix, rx, _)| (ix, rx)).peekable();
        for (ix, item) in self.items.values_mut().enumerate() {
            let mut rx = 0;
            item.requires.retain_mut(|r| {
                if r.note.as_deref().is_some_and(|n| n.starts_with(NS)) {
                    r.note = None;
                }
                rx += 1;
                dropped.next_if_eq(&(ix, rx - 1)).is_none()
            });
        }
        for (ix, _, missing) in dangling {
            let pointer = format!("/components (bom-ref `{}`)", self.items[ix].id);
            self.unmapped(pointer, format!("requires {missing:?}, which are not imported components; the requirement was not imported"));
        }
        let mut suppliers: IndexMap<SupplierId, Supplier> = IndexMap::new();
        let registry = std::mem::take(&mut self.registry);
        for (_, (pointer, s)) in registry {
            let (Some(id), Some(country)) = (s.id, s.country) else {
                self.unmapped(
                    pointer,
                    "a registry supplier needs `id` and `country`; it was not imported".into(),
                );
                continue;
            };
            if !iso::is_assigned(&country) {
                self.unmapped(pointer, format!("supplier `{id}`: country `{country}` is not an ISO 3166-1 alpha-2 code; it was not imported"));
                continue;
            }
            suppliers.insert(
                SupplierId::new(id.clone()),
                Supplier {
                    name: s.name.unwrap_or_else(|| id.clone()),
                    id: SupplierId::new(id),
                    name_zh: s.name_zh,
                    country: CountryCode::new(country),
                    parent: None,
                    cite: Vec::new(),
                    note: s.note,
                    loc: Location::default(),
                },
            );
        }
        for (id, s) in std::mem::take(&mut self.seen_suppliers) {
            suppliers.entry(SupplierId::new(id)).or_insert(s);
        }
        // A source's own inputs must be imported items, as requirements must.
        if !self.forward_links.is_empty() {
            let mut lost_inputs = Vec::new();
            for (id, item) in self.items.iter() {
                for e in &item.supply {
                    if let Some(SourceInputs::List(list)) = e.requires.as_deref() {
                        let missing: Vec<String> = list
                            .iter()
                            .flat_map(|r| r.target.members())
                            .filter(|m| !self.items.contains_key(m.as_str()))
                            .map(|m| m.to_string())
                            .collect();
                        if !missing.is_empty() {
                            lost_inputs.push((id.clone(), missing));
                        }
                    }
                }
            }
            let items = &self.items;
            let known = |e: &SupplyEdge| match e.requires.as_deref() {
                Some(SourceInputs::List(list)) => list
                    .iter()
                    .flat_map(|r| r.target.members())
                    .all(|m| items.contains_key(m.as_str())),
                _ => true,
            };
            let keep: Vec<Vec<bool>> = self
                .items
                .values()
                .map(|i| i.supply.iter().map(known).collect())
                .collect();
            for (item, keep) in self.items.values_mut().zip(keep) {
                let mut k = keep.into_iter();
                item.supply.retain(|_| k.next().unwrap_or(true));
            }
            for (id, missing) in lost_inputs {
                self.unmapped(format!("/components (bom-ref `{id}`)"), format!("a source needs {missing:?}, which are not imported components; the supply edge was not imported"));
            }
        }
        // Supply edges must name a known supplier.
        let mut lost = Vec::new();
        for (id, item) in self.items.iter_mut() {
            item.supply.retain(|e| {
                let Some(supplier) = &e.supplier else {
                    return true;
                };
                let ok = suppliers.contains_key(supplier);
                if !ok {
                    lost.push((id.clone(), supplier.to_string()));
                }
                ok
            });
        }
        for (id, s) in lost {
            self.unmapped(format!("/components (bom-ref `{id}`)"), format!("supplier `{s}` is not in the {NS}supplier registry; the supply edge was not imported"));
        }
        let mut countries = IndexMap::new();
        for (_, (pointer, c)) in std::mem::take(&mut self.countries) {
            match c.id {
                Some(id) if iso::is_assigned(&id) => {
                    countries.insert(
                        CountryCode::new(id.clone()),
                        Country {
                            id: CountryCode::new(id),
                            name: c.name,
                            name_zh: c.name_zh,
                            loc: Location::default(),
                        },
                    );
                }
                _ => self.unmapped(
                    pointer,
                    "a registry country needs an ISO 3166-1 alpha-2 `id`; it was not imported"
                        .into(),
                ),
            }
        }
        for (item, d) in self.items.values_mut().zip(&self.drafts) {
            item.kind = d.kind.unwrap_or(if d.software {
                ItemKind::Software
            } else if d.first_parent.is_none() {
                ItemKind::System
            } else if !item.requires.is_empty() {
                ItemKind::Subsystem
            } else {
                ItemKind::Part
            });
        }
        let mut meta = self.meta;
        if let Some(t) = &overrides.title {
            meta.title = t.clone();
        }
        if let Some(h) = overrides.home.as_ref().filter(|h| iso::is_assigned(h)) {
            meta.home = CountryCode::new(h.clone());
        }
        if let Some(c) = &overrides.currency {
            meta.currency = c.clone();
        }
        Ok(CdxImported {
            model: Model {
                meta,
                countries,
                suppliers,
                items: self.items,
                ..Model::default()
            },
            unmapped: self.unmapped,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::export;
    use super::*;

    fn no_overrides() -> MetaOverrides {
        MetaOverrides::default()
    }

    /// Imports `doc` through the fast path and through the full parse, asserts that
    /// both give the same model and unmapped list, and returns the import.
    fn both(doc: &str) -> CdxImported {
        let fast = import_text(doc.as_bytes(), &no_overrides())
            .unwrap_or_else(|Fallback| panic!("the fast path gave up on {doc}"));
        let full = import_parsed(doc.as_bytes(), &no_overrides()).unwrap();
        assert_eq!(format!("{fast:#?}"), format!("{full:#?}"));
        fast
    }

    /// `import`'s error for `doc`, asserted to be the one of the full parse.
    fn error(doc: &str) -> String {
        let e = import(doc.as_bytes(), &no_overrides())
            .unwrap_err()
            .to_string();
        let full = import_parsed(doc.as_bytes(), &no_overrides()).unwrap_err();
        assert_eq!(e, full.to_string());
        e
    }

    fn unmapped(im: &CdxImported) -> Vec<String> {
        im.unmapped.iter().map(|u| u.to_string()).collect()
    }

    /// Each item as `id kind: requirements`, a requirement as its members joined by `|`.
    fn items(im: &CdxImported) -> Vec<String> {
        im.model
            .items
            .values()
            .map(|i| {
                let reqs: Vec<String> = i
                    .requires
                    .iter()
                    .map(|r| {
                        let m: Vec<&str> = r.target.members().iter().map(|m| m.as_str()).collect();
                        m.join("|")
                    })
                    .collect();
                format!("{} {}: {}", i.id, i.kind.as_str(), reqs.join(", "))
            })
            .collect()
    }

    const HEAD: &str = r#""bomFormat":"CycloneDX","specVersion":"1.6""#;

    #[test]
    fn the_fast_path_and_the_full_parse_import_alike() {
        let full = crate::load::load_dir(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/valid/full"
        )))
        .unwrap();
        let exported = export(&full.model);
        let mut docs = vec![
            include_str!("../../../tests/fixtures/interop/generic-cdx.json").to_string(),
            include_str!(
                "../../../tests/fixtures/hostile/cyclonedx/ids-controls-quotes-valid.json"
            )
            .to_string(),
            include_str!("../../../tests/fixtures/hostile/cyclonedx/cycle-length-1.json")
                .to_string(),
            include_str!("../../../tests/fixtures/hostile/cyclonedx/share-1e400-property.json")
                .to_string(),
            exported.clone(),
            // Items named by properties before they come, and never; alternates;
            // a second parent; ids with brackets, quotes and a final backslash;
            // whitespace everywhere; metadata after the components.
            format!(
                " \r\n{{ {HEAD} ,\t{}}}\n ",
                r#""components" : [
                  {"type":"device","bom-ref":"s","properties":[
                    {"name":"chokepoint:requires:1:item","value":"p"},
                    {"name":"chokepoint:requires:2:any_of","value":"q]\\"},
                    {"name":"chokepoint:requires:2:any_of","value":"gone"}]},
                  {"type":"device","bom-ref":"p","name":"]}\",[{","components":[
                    {"type":"device","bom-ref":"q]\\","properties":[{"name":"chokepoint:alternate","value":"g"}]},
                    {"type":"device","bom-ref":"r","properties":[{"name":"chokepoint:alternate","value":"g"}]}]},
                  {"type":"library","bom-ref":"lib"}, {"type":"data","bom-ref":"d"}, 7 ],
                 "dependencies":[{"ref":"s","dependsOn":["p","p","q]\\","s","nope",1]},
                   {"dependsOn":["r"],"ref":"lib","provides":[]}, {"ref":"ghost","dependsOn":[1]},
                   {"ref":"r","dependsOn":"p"}, "odd", {"dependsOn":["s"]}],
                 "metadata":{"component":{"type":"device","bom-ref":"top"},"tools":[]},
                 "services":[{"name":"x"}] "#
            ),
            // serde_json's raw-value marker is an ordinary key here.
            format!(
                r#"{{{HEAD},"components":[{{"$serde_json::private::RawValue":"{{\"type\":\"device\"}}"}}]}}"#
            ),
            format!(r#"{{{HEAD},"components":null,"dependencies":null}}"#),
            format!(r#"{{{HEAD}}}"#),
        ];
        // The export with its components in reverse: every requirement property
        // names an item still to come.
        let mut doc: Value = serde_json::from_str(&exported).unwrap();
        doc["components"].as_array_mut().unwrap().reverse();
        docs.push(doc.to_string());
        for doc in docs {
            both(&doc);
        }
    }

    #[test]
    fn dependencies_before_components_still_name_the_components_items() {
        let im = both(&format!(
            r#"{{"dependencies":[{{"ref":"s","dependsOn":["p"]}}],{HEAD},"components":[{{"type":"device","bom-ref":"s"}},{{"type":"device","bom-ref":"p"}}]}}"#
        ));
        assert_eq!(items(&im), ["s system: p", "p part: "]);
        assert_eq!(unmapped(&im), Vec::<String>::new());
    }

    #[test]
    fn a_link_found_twice_counts_once_however_it_is_found() {
        // `s` names `p` and `q` by properties before they come (and `gone`, which
        // never does); `q` is linked from three parents; every link is met again.
        let im = both(&format!(
            r#"{{{HEAD},"components":[{{"type":"device","bom-ref":"s","properties":[{{"name":"chokepoint:requires:1:item","value":"p"}},{{"name":"chokepoint:requires:2:any_of","value":"q"}},{{"name":"chokepoint:requires:2:any_of","value":"gone"}}]}},{{"type":"device","bom-ref":"p","components":[{{"type":"device","bom-ref":"q"}}]}},{{"type":"device","bom-ref":"r"}}],"dependencies":[{{"ref":"s","dependsOn":["p","p","q","r"]}},{{"ref":"p","dependsOn":["q","r","r"]}},{{"ref":"r","dependsOn":["q"]}}]}}"#
        ));
        assert_eq!(
            items(&im),
            [
                "s system: p, r",
                "p subsystem: q, r",
                "q part: ",
                "r subsystem: q"
            ]
        );
        assert_eq!(
            unmapped(&im),
            ["/components (bom-ref `s`): requires [\"gone\"], which are not imported components; the requirement was not imported"]
        );
    }

    #[test]
    fn a_repeated_key_keeps_its_first_place_and_its_last_value() {
        let im = both(
            r#"{"bomFormat":"SPDX","x":1,"specVersion":"1.6","components":[{"type":"device","bom-ref":"a"}],"bomFormat":"CycloneDX","x":[2],"components":[{"type":"device","bom-ref":"s"},{"type":"device","bom-ref":"p"}],"dependencies":[{"dependsOn":["a"],"ref":"s","dependsOn":["p","a"],"ref":"s"}]}"#,
        );
        assert_eq!(items(&im), ["s system: p", "p part: "]);
        assert_eq!(
            unmapped(&im),
            [
                "/x: `x` has no place in a supply graph",
                "/dependencies/0/dependsOn/1: `a` is not an imported component"
            ]
        );
    }

    #[test]
    fn what_the_fast_path_skips_is_still_checked_as_the_full_parse_checks_it() {
        // Numbers out of range, in every place the fast path reads differently.
        let c = r#"{"type":"device","bom-ref":"s"}"#;
        assert_eq!(
            error(&format!(
                r#"{{{HEAD},"components":[{c},{{"type":"device","bom-ref":"p","weight":1e400}}]}}"#
            )),
            "not valid JSON: number out of range at line 1 column 136"
        );
        for doc in [
            format!(
                r#"{{{HEAD},"components":[{c}],"dependencies":[{{"ref":"s","dependsOn":[-1e400]}}]}}"#
            ),
            format!(r#"{{{HEAD},"components":[{c}],"dependencies":[{{"dependsOn":[1e400]}}]}}"#),
            format!(
                r#"{{{HEAD},"components":[{c}],"dependencies":[{{"ref":"x","dependsOn":[1e400]}}]}}"#
            ),
            format!(
                r#"{{{HEAD},"components":[{c}],"dependencies":[{{"ref":"s","dependsOn":[1e400],"dependsOn":[]}}]}}"#
            ),
            format!(r#"{{{HEAD},"components":[{{"x":1e400}}],"components":[{c}]}}"#),
            format!(r#"{{{HEAD},"services":{{"n":1e400}},"components":[{c}]}}"#),
            // A header this importer does not read: the number comes first.
            r#"{"bomFormat":"CycloneDX","specVersion":"1.2","components":[{"x":1e400}]}"#
                .to_string(),
        ] {
            assert!(
                import_text(doc.as_bytes(), &no_overrides()).is_err(),
                "{doc}"
            );
            assert!(
                error(&doc).starts_with("not valid JSON: number out of range at line 1 column "),
                "{doc}"
            );
        }
        // An escape that is no character.
        assert_eq!(
            error(&format!(
                r#"{{{HEAD},"serialNumber":"\ud800","components":[{c}]}}"#
            )),
            "not valid JSON: unexpected end of hex escape at line 1 column 68"
        );
        // serde_json's nesting limit (127) counts from the top of the document; the
        // fast path parses a component 2 levels down.
        let component = |n: usize| {
            format!(
                r#"{{"type":"device","bom-ref":"s","x":{}{}}}"#,
                "[".repeat(n),
                "]".repeat(n)
            )
        };
        let nested = |n: usize| format!(r#"{{{HEAD},"components":[{}]}}"#, component(n));
        assert!(serde_json::from_str::<Value>(&component(125)).is_ok());
        assert_eq!(
            error(&nested(125)),
            "not valid JSON: recursion limit exceeded at line 1 column 219"
        );
        let deep = nested(124);
        assert!(import_text(deep.as_bytes(), &no_overrides()).is_err());
        let im = import(deep.as_bytes(), &no_overrides()).unwrap();
        assert_eq!(items(&im), ["s system: "]);
        assert_eq!(
            unmapped(&im),
            ["/components/0/x: component field `x` has no place in a supply graph"]
        );
    }
}
