//! Model → CycloneDX 1.6 JSON (docs/interop.md, "CycloneDX").

use super::NS;
use crate::model::*;
use serde_json::{json, Map, Value};

/// The model as a CycloneDX 1.6 JSON document (pretty, deterministic: no
/// timestamp and no random serial number).
pub fn export(model: &Model) -> String {
    // The graph's entries, each in the graph format: what makes the round
    // trip exact (cites, notes, confidences, references, scenarios, figures).
    let entries = crate::interop::yaml_out::entry_texts(model);
    let mut meta_props = Vec::new();
    prop(&mut meta_props, "entry:meta", &entries.meta);
    for (kind, list) in [
        ("country", &entries.countries),
        ("supplier", &entries.suppliers),
        ("reference", &entries.references),
        ("scenario", &entries.scenarios),
        ("figure", &entries.figures),
    ] {
        for text in list {
            prop(&mut meta_props, &format!("entry:{kind}"), text);
        }
    }
    let components: Vec<Value> = model.items.values().map(|i| component(model, i)).collect();
    let dependencies: Vec<Value> = model
        .items
        .values()
        .map(|i| {
            let mut on: Vec<&str> = Vec::new();
            // Sources' own inputs are dependencies of the item too.
            let own = i.supply.iter().flat_map(|e| match e.requires.as_deref() {
                Some(SourceInputs::List(list)) => list.as_slice(),
                _ => &[],
            });
            for r in i.requires.iter().chain(own) {
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
        if r.role != Role::Production {
            prop(&mut props, &format!("requires:{n}:role"), r.role.as_str());
        }
        estimate_props(
            &mut props,
            &format!("requires:{n}:cost_share"),
            r.cost_share.as_deref(),
        );
    }
    for (n, e) in item.supply.iter().enumerate() {
        let n = n + 1;
        opt_prop(&mut props, &format!("supply:{n}:supplier"), e.supplier_id());
        estimate_props(&mut props, &format!("supply:{n}:share"), Some(&e.share));
        // Without a supplier, the country is the unnamed producers'.
        opt_prop(
            &mut props,
            &format!("supply:{n}:site_country"),
            e.country.as_ref().map(|c| c.as_str()),
        );
        match e.requires.as_deref() {
            None => {}
            Some(SourceInputs::Bom) => prop(&mut props, &format!("supply:{n}:requires"), "bom"),
            Some(SourceInputs::List(list)) => {
                if list.is_empty() {
                    prop(&mut props, &format!("supply:{n}:requires"), "none");
                }
                for (k, r) in list.iter().enumerate() {
                    let k = k + 1;
                    match &r.target {
                        RequirementTarget::Item(id) => prop(
                            &mut props,
                            &format!("supply:{n}:requires:{k}:item"),
                            id.as_str(),
                        ),
                        RequirementTarget::AnyOf(ids) => {
                            for id in ids {
                                prop(
                                    &mut props,
                                    &format!("supply:{n}:requires:{k}:any_of"),
                                    id.as_str(),
                                );
                            }
                        }
                    }
                }
            }
        }
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
    // The standard fields other tools read: `supplier`, the named source with
    // the largest share, and `manufacturer`, the country of production when
    // only unnamed producers are known (CycloneDX has one of each; every source
    // is in the properties and the entry).
    let share = |e: &SupplyEdge| e.share.value.or(e.share.high).unwrap_or(0.0);
    let named = item
        .supply
        .iter()
        .filter_map(|e| Some((e, model.suppliers.get(e.supplier.as_ref()?)?)))
        .fold(
            None::<(&SupplyEdge, &Supplier)>,
            |best, (e, s)| match best {
                Some((b, _)) if share(b) >= share(e) => best,
                _ => Some((e, s)),
            },
        );
    if let Some((_, s)) = named {
        c.insert(
            "supplier".into(),
            json!({ "name": s.name, "address": { "country": s.country.as_str() } }),
        );
    } else if let Some(country) = item.supply.iter().find_map(|e| e.country.as_ref()) {
        c.insert(
            "manufacturer".into(),
            json!({ "address": { "country": country.as_str() } }),
        );
    }
    prop(
        &mut props,
        "entry",
        &crate::interop::yaml_out::item_entry(item),
    );
    c.insert("properties".into(), Value::Array(props));
    Value::Object(c)
}
