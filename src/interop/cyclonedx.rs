//! CycloneDX: 1.6 JSON export and 1.5/1.6 JSON import of hardware BOMs.
//!
//! Owns: the mapping between the model and CycloneDX documented in docs/interop.md
//! — items are components (`device`, or `application` for software) keyed by
//! `bom-ref` = item id, requirements are `dependencies` plus `chokepoint:`
//! properties for what CycloneDX has no field for (kinds, shares, quantities, cost
//! shares, alternates, site countries, the supplier and country registries).
//! Import also reads plain CycloneDX: nested `components` and `dependencies` become
//! requirements, `supplier` (else `manufacturer`) becomes a supply edge.
//! Never: drops input silently — every element without a place in the model is
//! returned as [`Unmapped`] with its JSON Pointer; never fails on a well-formed
//! CycloneDX document (only on invalid JSON, a non-CycloneDX document or an
//! unsupported version).

use super::csv_import::MetaOverrides;
use super::Unmapped;
use crate::model::*;
use indexmap::IndexMap;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The property namespace of this project.
pub const NS: &str = "chokepoint:";
/// Spec versions the importer reads.
pub const IMPORT_VERSIONS: [&str; 2] = ["1.5", "1.6"];

// ---------------------------------------------------------------- export

/// The model as a CycloneDX 1.6 JSON document (pretty, deterministic: no
/// timestamp and no random serial number).
pub fn export(model: &Model) -> String {
    let mut meta_props = Vec::new();
    prop(&mut meta_props, "title", &model.meta.title);
    prop(&mut meta_props, "home", model.meta.home.as_str());
    prop(&mut meta_props, "currency", &model.meta.currency);
    if let Some(a) = &model.meta.as_of {
        prop(&mut meta_props, "as_of", a);
    }
    for (n, c) in model.countries.values().enumerate() {
        let n = n + 1;
        prop(&mut meta_props, &format!("country:{n}:id"), c.id.as_str());
        opt_prop(
            &mut meta_props,
            &format!("country:{n}:name"),
            c.name.as_deref(),
        );
        opt_prop(
            &mut meta_props,
            &format!("country:{n}:name_zh"),
            c.name_zh.as_deref(),
        );
    }
    for (n, s) in model.suppliers.values().enumerate() {
        let n = n + 1;
        prop(&mut meta_props, &format!("supplier:{n}:id"), s.id.as_str());
        prop(&mut meta_props, &format!("supplier:{n}:name"), &s.name);
        opt_prop(
            &mut meta_props,
            &format!("supplier:{n}:name_zh"),
            s.name_zh.as_deref(),
        );
        prop(
            &mut meta_props,
            &format!("supplier:{n}:country"),
            s.country.as_str(),
        );
        opt_prop(
            &mut meta_props,
            &format!("supplier:{n}:note"),
            s.note.as_deref(),
        );
    }
    let components: Vec<Value> = model.items.values().map(|i| component(model, i)).collect();
    let dependencies: Vec<Value> = model
        .items
        .values()
        .map(|i| {
            let mut on: Vec<&str> = Vec::new();
            for r in &i.requires {
                for m in r.target.members() {
                    if !on.contains(&m.as_str()) {
                        on.push(m.as_str());
                    }
                }
            }
            json!({ "ref": i.id.as_str(), "dependsOn": on })
        })
        .collect();
    let doc = json!({
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {
            "tools": { "components": [ {
                "type": "application",
                "name": "chokepoint",
                "version": env!("CARGO_PKG_VERSION"),
            } ] },
            "properties": meta_props,
        },
        "components": components,
        "dependencies": dependencies,
    });
    serde_json::to_string_pretty(&doc).expect("JSON values serialize") + "\n"
}

fn prop(out: &mut Vec<Value>, name: &str, value: &str) {
    out.push(json!({ "name": format!("{NS}{name}"), "value": value }));
}

fn opt_prop(out: &mut Vec<Value>, name: &str, value: Option<&str>) {
    if let Some(v) = value {
        prop(out, name, v);
    }
}

fn estimate_props(out: &mut Vec<Value>, name: &str, e: Option<&Estimate>) {
    let Some(e) = e else { return };
    for (suffix, x) in [("", e.value), ("_low", e.low), ("_high", e.high)] {
        if let Some(x) = x {
            prop(out, &format!("{name}{suffix}"), &x.to_string());
        }
    }
}

/// Splits `name` (which may carry `:N:field` after the stem) into name + suffix so
/// range properties read `chokepoint:requires:1:cost_share_low`.
fn component(model: &Model, item: &Item) -> Value {
    let mut props = Vec::new();
    prop(&mut props, "kind", item.kind.as_str());
    opt_prop(&mut props, "name_zh", item.name_zh.as_deref());
    estimate_props(&mut props, "market_value", item.market_value.as_deref());
    estimate_props(&mut props, "import_share", item.import_share.as_deref());
    estimate_props(&mut props, "stock_days", item.stock_days.as_deref());
    estimate_props(&mut props, "recovery_days", item.recovery_days.as_deref());
    for c in &item.export_controls {
        prop(&mut props, "export_control", c);
    }
    for (n, r) in item.requires.iter().enumerate() {
        let n = n + 1;
        match &r.target {
            RequirementTarget::Item(id) => {
                prop(&mut props, &format!("requires:{n}:item"), id.as_str())
            }
            RequirementTarget::AnyOf(ids) => {
                for id in ids {
                    prop(&mut props, &format!("requires:{n}:any_of"), id.as_str());
                }
            }
        }
        prop(&mut props, &format!("requires:{n}:qty"), &r.qty.to_string());
        estimate_props(
            &mut props,
            &format!("requires:{n}:cost_share"),
            r.cost_share.as_deref(),
        );
    }
    for (n, e) in item.supply.iter().enumerate() {
        let n = n + 1;
        prop(
            &mut props,
            &format!("supply:{n}:supplier"),
            e.supplier.as_str(),
        );
        estimate_props(&mut props, &format!("supply:{n}:share"), Some(&e.share));
        opt_prop(
            &mut props,
            &format!("supply:{n}:site_country"),
            e.country.as_ref().map(|c| c.as_str()),
        );
    }
    let mut c = Map::new();
    c.insert(
        "type".into(),
        json!(if item.kind == ItemKind::Software {
            "application"
        } else {
            "device"
        }),
    );
    c.insert("bom-ref".into(), json!(item.id.as_str()));
    c.insert("name".into(), json!(item.name));
    if let Some(note) = &item.note {
        c.insert("description".into(), json!(note));
    }
    // A single source is also written as the standard `supplier`, for other tools.
    if let [edge] = item.supply.as_slice() {
        if let Some(s) = model.suppliers.get(&edge.supplier) {
            c.insert(
                "supplier".into(),
                json!({ "name": s.name, "address": { "country": s.country.as_str() } }),
            );
        }
    }
    c.insert("properties".into(), Value::Array(props));
    Value::Object(c)
}

// ---------------------------------------------------------------- import

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

pub fn import(bytes: &[u8], overrides: &MetaOverrides) -> Result<CdxImported, CdxError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let doc: Value = serde_json::from_slice(bytes)?;
    let Some(top) = doc.as_object() else {
        return Err(CdxError::NotCycloneDx(
            "the document is not a JSON object".into(),
        ));
    };
    if top.get("bomFormat").and_then(Value::as_str) != Some("CycloneDX") {
        return Err(CdxError::NotCycloneDx(
            "`bomFormat` is not \"CycloneDX\"".into(),
        ));
    }
    let version = top.get("specVersion").and_then(Value::as_str).unwrap_or("");
    if !IMPORT_VERSIONS.contains(&version) {
        return Err(CdxError::Version(version.to_string()));
    }
    let mut im = Importer::default();
    for (key, value) in top {
        match key.as_str() {
            "$schema" | "bomFormat" | "specVersion" | "serialNumber" | "version" => {}
            "metadata" => im.metadata(value),
            "components" | "dependencies" => {}
            other => im.unmapped(
                format!("/{other}"),
                format!("`{other}` has no place in a supply graph"),
            ),
        }
    }
    if let Some(Value::Object(meta)) = top.get("metadata") {
        if let Some(c) = meta.get("component") {
            im.component(c, "/metadata/component".into(), None);
        }
    }
    match top.get("components") {
        Some(Value::Array(cs)) => {
            for (i, c) in cs.iter().enumerate() {
                im.component(c, format!("/components/{i}"), None);
            }
        }
        Some(_) => im.unmapped("/components".into(), "`components` is not an array".into()),
        None => {}
    }
    match top.get("dependencies") {
        Some(Value::Array(ds)) => {
            for (i, d) in ds.iter().enumerate() {
                im.dependency(d, format!("/dependencies/{i}"));
            }
        }
        Some(_) => im.unmapped(
            "/dependencies".into(),
            "`dependencies` is not an array".into(),
        ),
        None => {}
    }
    Ok(im.finish(overrides))
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
    items: IndexMap<String, ItemDraft>,
    /// (parent, child) of every requirement member so far: "the same link found
    /// twice counts once" without scanning the parent's list (quadratic in a
    /// component with a million dependencies).
    links: std::collections::HashSet<(String, String)>,
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

struct ItemDraft {
    kind: Option<ItemKind>,
    software: bool,
    name: String,
    name_zh: Option<String>,
    note: Option<String>,
    market_value: Option<Estimate>,
    import_share: Option<Estimate>,
    stock_days: Option<Estimate>,
    recovery_days: Option<Estimate>,
    export_controls: Vec<String>,
    requires: Vec<Requirement>,
    supply: Vec<SupplyEdge>,
    has_parent: bool,
}

/// Requirement fields read from `chokepoint:requires:N:*`.
#[derive(Default)]
struct ReqProps {
    item: Option<String>,
    any_of: Vec<String>,
    qty: Option<String>,
    est: EstimateText,
}

#[derive(Default)]
struct SupplyProps {
    supplier: Option<String>,
    est: EstimateText,
    site_country: Option<String>,
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
        if value.is_none() && low.is_none() {
            return None;
        }
        Some(Estimate {
            value,
            low,
            high,
            cite: Vec::new(),
            confidence: None,
            note: None,
        })
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
    /// item id of the enclosing component, for nested components.
    fn component(
        &mut self,
        value: &Value,
        pointer: String,
        parent: Option<&str>,
    ) -> Option<String> {
        let Some(c) = value.as_object() else {
            self.unmapped(pointer, "a component that is not an object".into());
            return None;
        };
        let ctype = c.get("type").and_then(Value::as_str).unwrap_or("");
        let software = SOFTWARE_TYPES.contains(&ctype);
        if ctype != "device" && !software {
            self.unmapped(pointer, format!("component type `{ctype}` has no place in a supply graph (device and software types are imported)"));
            return None;
        }
        let id = c
            .get("bom-ref")
            .and_then(Value::as_str)
            .or_else(|| c.get("name").and_then(Value::as_str))
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let Some(id) = id.map(str::to_string) else {
            self.unmapped(
                pointer,
                "a component with neither `bom-ref` nor `name`".into(),
            );
            return None;
        };
        let name = c
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or(&id)
            .to_string();
        // Edge properties of a nested component (its relation to `parent`).
        let mut edge_qty: Option<(String, String)> = None;
        let mut edge_cost = EstimateText::default();
        let mut edge_group: Option<String> = None;
        let first_time = !self.items.contains_key(&id);
        if first_time {
            self.items.insert(
                id.clone(),
                ItemDraft {
                    kind: None,
                    software,
                    name,
                    name_zh: None,
                    note: None,
                    market_value: None,
                    import_share: None,
                    stock_days: None,
                    recovery_days: None,
                    export_controls: Vec::new(),
                    requires: Vec::new(),
                    supply: Vec::new(),
                    has_parent: false,
                },
            );
        }
        let mut reqs: BTreeMap<u64, ReqProps> = BTreeMap::new();
        let mut supply: BTreeMap<u64, SupplyProps> = BTreeMap::new();
        let mut simple_share = EstimateText::default();
        let mut simple_site: Option<(String, String)> = None;
        let mut estimates: Vec<(&'static str, EstimateText)> = Vec::new();
        for (key, v) in c {
            let kp = format!("{pointer}/{key}");
            match key.as_str() {
                "type" | "bom-ref" | "name" | "components" | "supplier" | "manufacturer" => {}
                "description" if first_time => {
                    if let Some(d) = v.as_str() {
                        self.items[&id].note = Some(d.to_string());
                    }
                }
                "properties" if first_time || parent.is_some() => {
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
                                Some(k) => self.items[&id].kind = Some(k),
                                None => self.unmapped(pp, format!("unknown kind `{value}`")),
                            },
                            ["name_zh"] => self.items[&id].name_zh = Some(value),
                            ["export_control"] => self.items[&id].export_controls.push(value),
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
                    kp,
                    format!("component field `{other}` has no place in a supply graph"),
                ),
                other => self.unmapped(
                    kp,
                    format!(
                        "`{id}` appeared before; `{other}` of this occurrence was not imported"
                    ),
                ),
            }
        }
        if first_time {
            for (stem, e) in estimates {
                let fraction = stem == "import_share";
                let est = self.estimate(&e, fraction);
                let item = &mut self.items[&id];
                match stem {
                    "market_value" => item.market_value = est,
                    "import_share" => item.import_share = est,
                    "stock_days" => item.stock_days = est,
                    _ => item.recovery_days = est,
                }
            }
            self.requirements_from_props(&id, reqs, &pointer);
            if supply.is_empty() {
                self.supply_from_fields(&id, c, &pointer, simple_share, simple_site);
            } else {
                self.supply_from_props(&id, supply, &pointer);
                self.check_informational_supplier(&id, c, &pointer);
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
            self.add_requirement(parent, &id, qty.unwrap_or(1.0), cost, edge_group);
        }
        if let Some(Value::Array(children)) = c.get("components") {
            for (i, child) in children.iter().enumerate() {
                self.component(child, format!("{pointer}/components/{i}"), Some(&id));
            }
        } else if let Some(other) = c.get("components") {
            if !other.is_null() {
                self.unmapped(
                    format!("{pointer}/components"),
                    "`components` is not an array".into(),
                );
            }
        }
        Some(id)
    }

    /// A nested component or a dependency: `parent` requires `child`, unless it
    /// already does. A group name joins an `any_of` of the same parent.
    fn add_requirement(
        &mut self,
        parent: &str,
        child: &str,
        qty: f64,
        cost: Option<Estimate>,
        group: Option<String>,
    ) {
        if let Some(c) = self.items.get_mut(child) {
            c.has_parent = true;
        }
        let Some(p) = self.items.get_mut(parent) else {
            return;
        };
        if !self.links.insert((parent.to_string(), child.to_string())) {
            return;
        }
        if let Some(g) = &group {
            let tag = format!("{NS}alternate={g}");
            if let Some(r) = p
                .requires
                .iter_mut()
                .find(|r| r.note.as_deref() == Some(tag.as_str()))
            {
                if let RequirementTarget::AnyOf(ids) = &mut r.target {
                    ids.push(ItemId::new(child));
                }
                return;
            }
        }
        p.requires.push(Requirement {
            target: match &group {
                None => RequirementTarget::Item(ItemId::new(child)),
                Some(_) => RequirementTarget::AnyOf(vec![ItemId::new(child)]),
            },
            qty,
            cost_share: cost.map(Box::new),
            cite: Vec::new(),
            // Marks the group while importing; cleared in `finish`.
            note: group.map(|g| format!("{NS}alternate={g}")),
            loc: Location::default(),
        });
    }

    fn requirements_from_props(&mut self, id: &str, reqs: BTreeMap<u64, ReqProps>, pointer: &str) {
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
            let cost = if r.est.is_empty() {
                None
            } else {
                self.estimate(&r.est, true)
            };
            for m in target.members() {
                self.links.insert((id.to_string(), m.to_string()));
            }
            self.items[id].requires.push(Requirement {
                target,
                qty,
                cost_share: cost.map(Box::new),
                cite: Vec::new(),
                note: None,
                loc: Location::default(),
            });
        }
    }

    fn supply_from_props(&mut self, id: &str, supply: BTreeMap<u64, SupplyProps>, pointer: &str) {
        for (n, s) in supply {
            let at = format!("{pointer}/properties ({NS}supply:{n}:*)");
            let Some(supplier) = s.supplier else {
                self.unmapped(
                    at,
                    "a supply edge without `supplier`; it was not imported".into(),
                );
                continue;
            };
            let Some(share) = (if s.est.is_empty() {
                None
            } else {
                self.estimate(&s.est, true)
            }) else {
                self.unmapped(
                    at,
                    format!(
                        "the supply edge from `{supplier}` has no valid share; it was not imported"
                    ),
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
            self.items[id].supply.push(SupplyEdge {
                supplier: SupplierId::new(supplier),
                share,
                country: site,
                cite: Vec::new(),
                note: None,
                loc: Location::default(),
            });
        }
    }

    /// With indexed supply properties, `supplier`/`manufacturer` only repeat one of
    /// the registry's suppliers (as this exporter writes them); anything else is listed.
    fn check_informational_supplier(&mut self, id: &str, c: &Map<String, Value>, pointer: &str) {
        for field in ["supplier", "manufacturer"] {
            let Some(org) = c.get(field) else { continue };
            let name = org.get("name").and_then(Value::as_str).unwrap_or("");
            let known = self.items[id].supply.iter().any(|e| {
                self.registry.values().any(|(_, s)| {
                    s.id.as_deref() == Some(e.supplier.as_str()) && s.name.as_deref() == Some(name)
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
        id: &str,
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
        self.items[id].supply.push(SupplyEdge {
            supplier: SupplierId::new(sid),
            share,
            country: site,
            cite: Vec::new(),
            note: None,
            loc: Location::default(),
        });
    }

    fn dependency(&mut self, d: &Value, pointer: String) {
        let Some(from) = d.get("ref").and_then(Value::as_str) else {
            self.unmapped(pointer, "a dependency without `ref`".into());
            return;
        };
        if !self.items.contains_key(from) {
            self.unmapped(
                format!("{pointer}/ref"),
                format!("`{from}` is not an imported component"),
            );
            return;
        }
        if let Some(Value::Array(on)) = d.get("dependsOn") {
            for (i, to) in on.iter().enumerate() {
                match to.as_str() {
                    Some(to) if to == from => self.unmapped(
                        format!("{pointer}/dependsOn/{i}"),
                        format!("`{to}` depends on itself (a requirement cycle); not imported"),
                    ),
                    Some(to) if self.items.contains_key(to) => {
                        self.add_requirement(from, to, 1.0, None, None);
                    }
                    Some(to) => self.unmapped(
                        format!("{pointer}/dependsOn/{i}"),
                        format!("`{to}` is not an imported component"),
                    ),
                    None => self.unmapped(
                        format!("{pointer}/dependsOn/{i}"),
                        "not a bom-ref string".into(),
                    ),
                }
            }
        }
        if d.get("provides").is_some() {
            self.unmapped(
                format!("{pointer}/provides"),
                "`provides` has no place in a supply graph".into(),
            );
        }
    }

    fn finish(mut self, overrides: &MetaOverrides) -> CdxImported {
        // Requirements named in properties make their targets children too.
        let targets: Vec<String> = self
            .items
            .values()
            .flat_map(|i| {
                i.requires
                    .iter()
                    .flat_map(|r| r.target.members().iter().map(|m| m.to_string()))
            })
            .collect();
        for t in targets {
            if let Some(i) = self.items.get_mut(&t) {
                i.has_parent = true;
            }
        }
        // Drop requirements whose targets were not imported.
        let known: std::collections::HashSet<String> = self.items.keys().cloned().collect();
        let mut dangling = Vec::new();
        for (id, item) in self.items.iter_mut() {
            item.requires.retain_mut(|r| {
                if r.note.as_deref().is_some_and(|n| n.starts_with(NS)) {
                    r.note = None;
                }
                let missing: Vec<String> = r
                    .target
                    .members()
                    .iter()
                    .filter(|m| !known.contains(m.as_str()))
                    .map(|m| m.to_string())
                    .collect();
                if missing.is_empty() {
                    true
                } else {
                    dangling.push((id.clone(), missing));
                    false
                }
            });
        }
        for (id, missing) in dangling {
            self.unmapped(format!("/components (bom-ref `{id}`)"), format!("requires {missing:?}, which are not imported components; the requirement was not imported"));
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
                    cite: Vec::new(),
                    note: s.note,
                    loc: Location::default(),
                },
            );
        }
        for (id, s) in std::mem::take(&mut self.seen_suppliers) {
            suppliers.entry(SupplierId::new(id)).or_insert(s);
        }
        // Supply edges must name a known supplier.
        let mut lost = Vec::new();
        for (id, item) in self.items.iter_mut() {
            item.supply.retain(|e| {
                let ok = suppliers.contains_key(&e.supplier);
                if !ok {
                    lost.push((id.clone(), e.supplier.to_string()));
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
        let items = self
            .items
            .into_iter()
            .map(|(id, d)| {
                let kind = d.kind.unwrap_or(if d.software {
                    ItemKind::Software
                } else if !d.has_parent {
                    ItemKind::System
                } else if !d.requires.is_empty() {
                    ItemKind::Subsystem
                } else {
                    ItemKind::Part
                });
                (
                    ItemId::new(id.clone()),
                    Item {
                        id: ItemId::new(id),
                        kind,
                        name: d.name,
                        name_zh: d.name_zh,
                        market_value: d.market_value.map(Box::new),
                        requires: d.requires,
                        supply: d.supply,
                        import_share: d.import_share.map(Box::new),
                        stock_days: d.stock_days.map(Box::new),
                        recovery_days: d.recovery_days.map(Box::new),
                        export_controls: d.export_controls,
                        cite: Vec::new(),
                        note: d.note,
                        loc: Location::default(),
                    },
                )
            })
            .collect();
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
        CdxImported {
            model: Model {
                meta,
                countries,
                suppliers,
                items,
                ..Model::default()
            },
            unmapped: self.unmapped,
        }
    }
}
