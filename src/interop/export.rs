//! Exports of a loaded model: JSON, CSV tables, GraphML and Neo4j admin-import CSV
//! (CycloneDX lives in [`super::cyclonedx`]).
//!
//! Owns: the shape of each export (docs/interop.md). Every function returns the
//! file contents (one string, or named files for directory formats) so that the
//! CLI writes them with `output::write_atomic` and tests read them in memory.
//! Never: writes files, reorders data (declaration order throughout), or emits a
//! HashMap iteration order.

use super::overlay::{nmtoken, number, EventFigures, ExportAnalysis};
use crate::analysis::Analysis;
use crate::graph::SupplyGraph;
use crate::model::*;
use serde::Serialize;

/// A file of a directory export: name within the directory, contents.
pub type NamedFile = (&'static str, String);

/// Version tag of the JSON export shape.
pub const JSON_SCHEMA: &str = "chokepoint/model/1";

#[derive(Serialize)]
struct JsonExport<'m> {
    schema: &'static str,
    meta: &'m Meta,
    countries: Vec<&'m Country>,
    suppliers: Vec<&'m Supplier>,
    items: Vec<&'m Item>,
    references: Vec<&'m Reference>,
    scenarios: Vec<&'m Scenario>,
    figures: &'m [Figure],
    #[serde(skip_serializing_if = "Option::is_none")]
    analysis: Option<&'m Analysis>,
}

/// The whole model (every entity with every field but source locations) and,
/// when given, the analysis.
pub fn json(model: &Model, analysis: Option<&Analysis>) -> String {
    let doc = JsonExport {
        schema: JSON_SCHEMA,
        meta: &model.meta,
        countries: model.countries.values().collect(),
        suppliers: model.suppliers.values().collect(),
        items: model.items.values().collect(),
        references: model.references.values().collect(),
        scenarios: model.scenarios.values().collect(),
        figures: &model.figures,
        analysis,
    };
    serde_json::to_string_pretty(&doc).expect("model serializes") + "\n"
}

/// Neo4j admin-import CSV: cells exactly as they are (neo4j-admin reads them;
/// a leading apostrophe would become part of the value). The CSV tables meant
/// for spreadsheets go through [`crate::output::csv_document`] instead.
fn neo4j_csv(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = w.write_record(header);
    for r in rows {
        let _ = w.write_record(&r);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// A number exactly as stored (shortest round-trip form): the CSV tables must
/// import back to the same graph.
fn num(x: Option<f64>) -> String {
    x.map(|x| x.to_string()).unwrap_or_default()
}

/// A computed figure for the graph exports, without binary noise ([`number`]).
fn figure(x: Option<f64>) -> String {
    x.filter(|x| x.is_finite()).map(number).unwrap_or_default()
}

/// value, low, high cells of an optional estimate.
fn est3(e: Option<&Estimate>) -> [String; 3] {
    match e {
        None => Default::default(),
        Some(e) => [num(e.value), num(e.low), num(e.high)],
    }
}

fn opt(s: Option<&str>) -> String {
    s.unwrap_or_default().to_string()
}

/// A source's own inputs in one CSV cell (docs/interop.md): empty, `bom`, or
/// ids separated by `;` with `|` between alternatives — or, when an id would
/// make that ambiguous, a JSON list (`["a;b", ["c", "d"]]`).
pub fn source_inputs_cell(inputs: Option<&SourceInputs>) -> String {
    let list = match inputs {
        None => return String::new(),
        Some(SourceInputs::Bom) => return "bom".into(),
        Some(SourceInputs::List(list)) => list,
    };
    let plain = list.iter().all(|r| {
        matches!(&r.target, RequirementTarget::AnyOf(m) if m.len() > 1)
            || matches!(r.target, RequirementTarget::Item(_))
    }) && list.iter().flat_map(|r| r.target.members()).all(|m| {
        let m = m.as_str();
        !m.is_empty()
            && m.trim() == m
            && !m.contains([';', '|'])
            && !m.starts_with('[')
            && !m.eq_ignore_ascii_case("bom")
    });
    if plain {
        return list
            .iter()
            .map(|r| {
                r.target
                    .members()
                    .iter()
                    .map(|m| m.as_str())
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect::<Vec<_>>()
            .join(";");
    }
    let json: Vec<serde_json::Value> = list
        .iter()
        .map(|r| match &r.target {
            RequirementTarget::Item(id) => serde_json::json!(id.as_str()),
            RequirementTarget::AnyOf(ids) => {
                serde_json::json!(ids.iter().map(|i| i.as_str()).collect::<Vec<_>>())
            }
        })
        .collect();
    serde_json::Value::Array(json).to_string()
}

/// CSV tables that `import --from csv DIR` reads back (docs/interop.md):
/// requirements, supply, items, suppliers, countries, meta, and references (for
/// reading; citations are not carried).
pub fn csv_tables(model: &Model) -> Vec<NamedFile> {
    use super::csv_import::table_names as n;
    let graph = SupplyGraph::new(model);
    let requirements = crate::output::csv_document(
        &[
            "parent",
            "child",
            "qty",
            "cost_share",
            "cost_share_low",
            "cost_share_high",
            "group",
            "role",
        ],
        model.items.values().flat_map(|i| {
            i.requires.iter().enumerate().flat_map(move |(k, r)| {
                let group = match r.target {
                    RequirementTarget::AnyOf(_) => format!("any_of-{}", k + 1),
                    RequirementTarget::Item(_) => String::new(),
                };
                let [v, l, h] = est3(r.cost_share.as_deref());
                r.target.members().iter().map(move |m| {
                    vec![
                        i.id.to_string(),
                        m.to_string(),
                        r.qty.to_string(),
                        v.clone(),
                        l.clone(),
                        h.clone(),
                        group.clone(),
                        r.role.as_str().to_string(),
                    ]
                })
            })
        }),
    );
    let supply = crate::output::csv_document(
        &[
            "item",
            "supplier",
            "supplier_country",
            "site_country",
            "share",
            "share_low",
            "share_high",
            "requires",
        ],
        model.items.values().flat_map(|i| {
            i.supply.iter().map(move |e| {
                let [v, l, h] = est3(Some(&e.share));
                vec![
                    i.id.to_string(),
                    opt(e.supplier_id()),
                    e.supplier
                        .as_ref()
                        .map_or_else(String::new, |s| model.suppliers[s].country.to_string()),
                    opt(e.country.as_ref().map(|c| c.as_str())),
                    v,
                    l,
                    h,
                    source_inputs_cell(e.requires.as_deref()),
                ]
            })
        }),
    );
    let items = crate::output::csv_document(
        &[
            "id",
            "kind",
            "name",
            "name_zh",
            "market_value",
            "market_value_low",
            "market_value_high",
            "import_share",
            "import_share_low",
            "import_share_high",
            "stock_days",
            "stock_days_low",
            "stock_days_high",
            "recovery_days",
            "recovery_days_low",
            "recovery_days_high",
            "export_controls",
            "note",
        ],
        model.items.values().map(|i| {
            let mut row = vec![
                i.id.to_string(),
                i.kind.as_str().into(),
                i.name.clone(),
                opt(i.name_zh.as_deref()),
            ];
            for e in [
                &i.market_value,
                &i.import_share,
                &i.stock_days,
                &i.recovery_days,
            ] {
                row.extend(est3(e.as_deref()));
            }
            row.push(i.export_controls.join(";"));
            row.push(opt(i.note.as_deref()));
            row
        }),
    );
    let suppliers = crate::output::csv_document(
        &["id", "name", "name_zh", "country", "note"],
        model.suppliers.values().map(|s| {
            vec![
                s.id.to_string(),
                s.name.clone(),
                opt(s.name_zh.as_deref()),
                s.country.to_string(),
                opt(s.note.as_deref()),
            ]
        }),
    );
    // Every country the graph uses (declared ones first), named where declared.
    let countries = crate::output::csv_document(
        &["id", "name", "name_zh"],
        (0..graph.country_count() as u32).map(|c| {
            let code = graph.country(crate::graph::CountryIx(c));
            let decl = model.countries.get(code);
            vec![
                code.to_string(),
                opt(decl.and_then(|d| d.name.as_deref())),
                opt(decl.and_then(|d| d.name_zh.as_deref())),
            ]
        }),
    );
    let mut meta_rows = vec![
        vec!["title".to_string(), model.meta.title.clone()],
        vec!["home".to_string(), model.meta.home.to_string()],
        vec!["currency".to_string(), model.meta.currency.clone()],
    ];
    if let Some(a) = &model.meta.as_of {
        meta_rows.push(vec!["as_of".into(), a.clone()]);
    }
    let meta = crate::output::csv_document(&["key", "value"], meta_rows);
    let references = crate::output::csv_document(
        &["id", "title", "file", "url", "year", "note"],
        model.references.values().map(|r| {
            vec![
                r.id.to_string(),
                r.title.clone(),
                opt(r.file.as_deref()),
                opt(r.url.as_deref()),
                r.year.map(|y| y.to_string()).unwrap_or_default(),
                opt(r.note.as_deref()),
            ]
        }),
    );
    vec![
        (n::REQUIREMENTS, requirements),
        (n::SUPPLY, supply),
        (n::ITEMS, items),
        (n::SUPPLIERS, suppliers),
        (n::COUNTRIES, countries),
        (n::META, meta),
        (n::REFERENCES, references),
    ]
}

/// Escapes text for XML content and attribute values.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 forbids most control characters even when escaped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// GraphML keys: (id, for, attr.name, attr.type). The analysis keys are
/// declared always and given values only when the export carries an analysis.
const GRAPHML_KEYS: [(&str, &str, &str, &str); 37] = [
    ("n_type", "node", "type", "string"),
    ("n_label", "node", "label", "string"),
    ("n_kind", "node", "kind", "string"),
    ("n_name", "node", "name", "string"),
    ("n_name_zh", "node", "name_zh", "string"),
    ("n_country", "node", "country", "string"),
    ("n_market_value", "node", "market_value", "double"),
    ("n_import_share", "node", "import_share", "double"),
    ("n_stock_days", "node", "stock_days", "double"),
    ("n_recovery_days", "node", "recovery_days", "double"),
    ("n_export_controls", "node", "export_controls", "string"),
    ("n_risk_score", "node", "risk_score", "double"),
    ("n_risk_low", "node", "risk_low", "double"),
    ("n_risk_high", "node", "risk_high", "double"),
    ("n_risk_band", "node", "risk_band", "string"),
    ("n_di", "node", "direct_import_share", "double"),
    ("n_eid", "node", "embodied_import_share", "double"),
    ("n_eid_low", "node", "embodied_import_share_low", "double"),
    ("n_eid_high", "node", "embodied_import_share_high", "double"),
    ("n_hhi_supplier", "node", "hhi_supplier", "double"),
    ("n_hhi_country", "node", "hhi_country", "double"),
    (
        "n_foreign_dependent",
        "node",
        "foreign_dependent",
        "boolean",
    ),
    ("n_on_spof_path", "node", "on_single_point_path", "boolean"),
    ("n_spof_of", "node", "single_point_of", "string"),
    ("n_spof_count", "node", "single_point_count", "int"),
    ("n_conditional_in", "node", "conditional_in", "string"),
    ("n_cut_set_of", "node", "cut_set_of", "string"),
    ("e_relation", "edge", "relation", "string"),
    ("e_qty", "edge", "qty", "double"),
    ("e_cost_share", "edge", "cost_share", "double"),
    ("e_alternate_group", "edge", "alternate_group", "string"),
    ("e_share", "edge", "share", "double"),
    ("e_share_low", "edge", "share_low", "double"),
    ("e_share_high", "edge", "share_high", "double"),
    ("e_role", "edge", "role", "string"),
    ("e_source", "edge", "source", "string"),
    ("e_inputs", "edge", "inputs", "string"),
];

/// The graph's `<desc>`: how to read the edges (docs/interop.md says the same).
const GRAPHML_DESC: &str = "Edge direction: `requires` and `source_requires` go from an \
item to its input (parent to child, as a bill of materials reads); `supplies` goes from the \
supplier (for unnamed producers, their country) to the item it supplies; `based_in` and \
`produces_in` go from a supplier to a country. To follow a disruption downstream, follow \
`supplies` forwards and `requires` backwards.";

/// What a source needs, in one word: `default` (the item's bill of materials
/// when domestic, nothing when foreign), `bom`, or `list` (its own list).
fn inputs_word(e: &SupplyEdge) -> &'static str {
    match e.requires.as_deref() {
        None => "default",
        Some(SourceInputs::Bom) => "bom",
        Some(SourceInputs::List(_)) => "list",
    }
}

/// A source's own list of inputs: (requirement, alternate group) per member.
fn source_list(e: &SupplyEdge) -> &[Requirement] {
    match e.requires.as_deref() {
        Some(SourceInputs::List(list)) => list,
        _ => &[],
    }
}

/// GraphML (directed): item, supplier and country nodes; `requires` (item → item,
/// one edge per member), `supplies` (supplier → item) and `based_in` (supplier →
/// country of the firm) edges, and `produces_in` (supplier → site country) where a
/// supply edge names a site. Estimates carry their mid value (plus the share's
/// low/high); `country` on a `supplies` edge is the edge's country c_e. Every
/// node has a `label` in `lang`; with `analysis`, nodes carry its figures
/// ([`super::overlay`]). Ids are escaped as `NMTOKEN`s ([`super::overlay::nmtoken`]),
/// numbers printed by [`super::overlay::number`].
pub fn graphml(model: &Model, analysis: Option<&ExportAnalysis>, lang: Lang) -> String {
    use std::fmt::Write;
    let graph = SupplyGraph::new(model);
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n");
    for (id, for_, name, ty) in GRAPHML_KEYS {
        let _ = writeln!(
            s,
            "  <key id=\"{id}\" for=\"{for_}\" attr.name=\"{name}\" attr.type=\"{ty}\"/>"
        );
    }
    s.push_str(
        "  <key id=\"e_country\" for=\"edge\" attr.name=\"country\" attr.type=\"string\"/>\n",
    );
    let _ = writeln!(
        s,
        "  <graph id=\"{}\" edgedefault=\"directed\">",
        nmtoken(if model.meta.title.is_empty() {
            "chokepoint"
        } else {
            &model.meta.title
        })
    );
    let _ = writeln!(s, "    <desc>{}</desc>", xml(GRAPHML_DESC));
    let data = |s: &mut String, key: &str, value: &str| {
        let _ = writeln!(s, "      <data key=\"{key}\">{}</data>", xml(value));
    };
    let mid = |e: &Option<Box<Estimate>>| e.as_deref().map(|e| number(e.mid()));
    let node_id = |kind: &str, id: &str| nmtoken(&format!("{kind}:{id}"));
    let events = |s: &mut String, f: &EventFigures| {
        data(s, "n_spof_of", &f.single_point_of.join(";"));
        data(s, "n_spof_count", &f.single_point_of.len().to_string());
        data(s, "n_conditional_in", &f.conditional_in.join(";"));
        data(s, "n_cut_set_of", &f.cut_set_of.join(";"));
    };
    for (k, i) in model.items.values().enumerate() {
        let _ = writeln!(s, "    <node id=\"{}\">", node_id("item", i.id.as_str()));
        data(&mut s, "n_type", "item");
        let label = i.display_name(lang);
        data(
            &mut s,
            "n_label",
            if label.is_empty() {
                i.id.as_str()
            } else {
                label
            },
        );
        data(&mut s, "n_kind", i.kind.as_str());
        data(&mut s, "n_name", &i.name);
        if let Some(zh) = &i.name_zh {
            data(&mut s, "n_name_zh", zh);
        }
        for (key, e) in [
            ("n_market_value", &i.market_value),
            ("n_import_share", &i.import_share),
            ("n_stock_days", &i.stock_days),
            ("n_recovery_days", &i.recovery_days),
        ] {
            if let Some(v) = mid(e) {
                data(&mut s, key, &v);
            }
        }
        if !i.export_controls.is_empty() {
            data(&mut s, "n_export_controls", &i.export_controls.join(";"));
        }
        if let Some(f) = analysis.map(|a| &a.items[k]) {
            data(&mut s, "n_risk_score", &number(f.risk.value));
            data(&mut s, "n_risk_low", &number(f.risk.low));
            data(&mut s, "n_risk_high", &number(f.risk.high));
            data(&mut s, "n_risk_band", f.band.as_str());
            let optional = [
                ("n_di", f.direct_import_share),
                ("n_eid", f.embodied_import_share.map(|e| e.value)),
                ("n_eid_low", f.embodied_import_share.map(|e| e.low)),
                ("n_eid_high", f.embodied_import_share.map(|e| e.high)),
                ("n_hhi_supplier", f.hhi_supplier),
                ("n_hhi_country", f.hhi_country),
            ];
            for (key, v) in optional {
                if let Some(v) = v.filter(|v| v.is_finite()) {
                    data(&mut s, key, &number(v));
                }
            }
            data(
                &mut s,
                "n_foreign_dependent",
                bool_text(f.foreign_dependent),
            );
            data(&mut s, "n_on_spof_path", bool_text(f.on_single_point_path));
        }
        s.push_str("    </node>\n");
    }
    for (k, sup) in model.suppliers.values().enumerate() {
        let _ = writeln!(
            s,
            "    <node id=\"{}\">",
            node_id("supplier", sup.id.as_str())
        );
        data(&mut s, "n_type", "supplier");
        data(&mut s, "n_label", &model.supplier_name(&sup.id, lang));
        data(&mut s, "n_name", &sup.name);
        if let Some(zh) = &sup.name_zh {
            data(&mut s, "n_name_zh", zh);
        }
        data(&mut s, "n_country", sup.country.as_str());
        if let Some(f) = analysis.map(|a| &a.suppliers[k]) {
            events(&mut s, f);
        }
        s.push_str("    </node>\n");
    }
    for c in 0..graph.country_count() as u32 {
        let code = graph.country(crate::graph::CountryIx(c));
        let _ = writeln!(s, "    <node id=\"{}\">", node_id("country", code.as_str()));
        data(&mut s, "n_type", "country");
        data(&mut s, "n_label", &model.country_name(code, lang));
        data(&mut s, "n_name", &model.country_name(code, Lang::En));
        if let Some(zh) = model.countries.get(code).and_then(|c| c.name_zh.as_deref()) {
            data(&mut s, "n_name_zh", zh);
        }
        if let Some(f) = analysis.map(|a| &a.countries[c as usize]) {
            events(&mut s, f);
        }
        s.push_str("    </node>\n");
    }
    let mut n = 0usize;
    let mut edge = |s: &mut String, from: String, to: String, attrs: &[(&str, String)]| {
        n += 1;
        let _ = writeln!(
            s,
            "    <edge id=\"e{n}\" source=\"{}\" target=\"{}\">",
            nmtoken(&from),
            nmtoken(&to)
        );
        for (k, v) in attrs {
            data(s, k, v);
        }
        s.push_str("    </edge>\n");
    };
    for i in model.items.values() {
        for (k, r) in i.requires.iter().enumerate() {
            for m in r.target.members() {
                let mut attrs = vec![
                    ("e_relation", "requires".to_string()),
                    ("e_qty", number(r.qty)),
                    ("e_role", r.role.as_str().to_string()),
                ];
                if let Some(cs) = &r.cost_share {
                    attrs.push(("e_cost_share", number(cs.mid())));
                }
                if matches!(r.target, RequirementTarget::AnyOf(_)) {
                    attrs.push(("e_alternate_group", format!("{}#{}", i.id, k + 1)));
                }
                edge(
                    &mut s,
                    format!("item:{}", i.id),
                    format!("item:{m}"),
                    &attrs,
                );
            }
        }
    }
    for i in model.items.values() {
        for (n, e) in i.supply.iter().enumerate() {
            let source = format!("{}#{}", i.id, n + 1);
            let attrs = vec![
                ("e_relation", "supplies".to_string()),
                ("e_share", number(e.share.mid())),
                ("e_share_low", number(e.share.low())),
                ("e_share_high", number(e.share.high())),
                ("e_country", model.edge_country(e).to_string()),
                ("e_source", source.clone()),
                ("e_inputs", inputs_word(e).to_string()),
            ];
            edge(
                &mut s,
                match &e.supplier {
                    Some(s) => format!("supplier:{s}"),
                    // Unnamed producers: the edge comes from their country.
                    None => format!("country:{}", model.edge_country(e)),
                },
                format!("item:{}", i.id),
                &attrs,
            );
            for (k, r) in source_list(e).iter().enumerate() {
                for m in r.target.members() {
                    let mut attrs = vec![
                        ("e_relation", "source_requires".to_string()),
                        ("e_source", source.clone()),
                    ];
                    if matches!(r.target, RequirementTarget::AnyOf(_)) {
                        attrs.push(("e_alternate_group", format!("{source}/{}", k + 1)));
                    }
                    edge(
                        &mut s,
                        format!("item:{}", i.id),
                        format!("item:{m}"),
                        &attrs,
                    );
                }
            }
        }
    }
    for sup in model.suppliers.values() {
        edge(
            &mut s,
            format!("supplier:{}", sup.id),
            format!("country:{}", sup.country),
            &[("e_relation", "based_in".to_string())],
        );
    }
    let mut sites: Vec<(&SupplierId, &CountryCode)> = Vec::new();
    // First-seen order for the output; the set keeps the membership test linear overall.
    let mut seen_sites = std::collections::HashSet::new();
    for i in model.items.values() {
        for e in &i.supply {
            if let (Some(s), Some(c)) = (&e.supplier, &e.country) {
                if seen_sites.insert((s, c)) {
                    sites.push((s, c));
                }
            }
        }
    }
    for (sup, c) in sites {
        edge(
            &mut s,
            format!("supplier:{sup}"),
            format!("country:{c}"),
            &[("e_relation", "produces_in".to_string())],
        );
    }
    s.push_str("  </graph>\n</graphml>\n");
    s
}

/// The cut-set cells of a supplier or country row (empty without an analysis).
fn event_cells(f: Option<&EventFigures>) -> [String; 4] {
    match f {
        None => Default::default(),
        Some(f) => [
            f.single_point_of.join(";"),
            f.single_point_of.len().to_string(),
            f.conditional_in.join(";"),
            f.cut_set_of.join(";"),
        ],
    }
}

fn bool_text(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// The label of an item kind in Neo4j: `System`, `Subsystem`, ...
fn kind_label(k: ItemKind) -> String {
    let s = k.as_str();
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

/// Neo4j admin-import CSV: node files (items, suppliers, countries) and
/// relationship files (requires, supplied_by, based_in) with typed headers, plus
/// `import.sh` holding the `neo4j-admin database import full` command.
pub fn neo4j(model: &Model, analysis: Option<&ExportAnalysis>, lang: Lang) -> Vec<NamedFile> {
    let graph = SupplyGraph::new(model);
    let items = neo4j_csv(
        &[
            "id:ID(Item)",
            ":LABEL",
            "kind",
            "name",
            "name_zh",
            "market_value:double",
            "market_value_low:double",
            "market_value_high:double",
            "import_share:double",
            "import_share_low:double",
            "import_share_high:double",
            "stock_days:double",
            "stock_days_low:double",
            "stock_days_high:double",
            "recovery_days:double",
            "recovery_days_low:double",
            "recovery_days_high:double",
            "export_controls:string[]",
            "note",
            "label",
            "risk_score:double",
            "risk_low:double",
            "risk_high:double",
            "risk_band",
            "direct_import_share:double",
            "embodied_import_share:double",
            "embodied_import_share_low:double",
            "embodied_import_share_high:double",
            "hhi_supplier:double",
            "hhi_country:double",
            "foreign_dependent:boolean",
            "on_single_point_path:boolean",
        ],
        model.items.values().enumerate().map(|(k, i)| {
            let mut row = vec![
                i.id.to_string(),
                format!("Item;{}", kind_label(i.kind)),
                i.kind.as_str().into(),
                i.name.clone(),
                opt(i.name_zh.as_deref()),
            ];
            for e in [
                &i.market_value,
                &i.import_share,
                &i.stock_days,
                &i.recovery_days,
            ] {
                // Neo4j wants one number: the mid value, then low and high.
                match e {
                    None => row.extend([String::new(), String::new(), String::new()]),
                    Some(e) => row.extend([number(e.mid()), number(e.low()), number(e.high())]),
                }
            }
            row.push(i.export_controls.join(";"));
            row.push(opt(i.note.as_deref()));
            let label = i.display_name(lang);
            row.push(if label.is_empty() {
                i.id.to_string()
            } else {
                label.to_string()
            });
            match analysis.map(|a| &a.items[k]) {
                None => row.extend((0..12).map(|_| String::new())),
                Some(f) => {
                    let eid = f.embodied_import_share;
                    row.extend([
                        number(f.risk.value),
                        number(f.risk.low),
                        number(f.risk.high),
                        f.band.as_str().to_string(),
                        figure(f.direct_import_share),
                        figure(eid.map(|e| e.value)),
                        figure(eid.map(|e| e.low)),
                        figure(eid.map(|e| e.high)),
                        figure(f.hhi_supplier),
                        figure(f.hhi_country),
                        bool_text(f.foreign_dependent).to_string(),
                        bool_text(f.on_single_point_path).to_string(),
                    ]);
                }
            }
            row
        }),
    );
    let suppliers = neo4j_csv(
        &[
            "id:ID(Supplier)",
            ":LABEL",
            "name",
            "name_zh",
            "country",
            "note",
            "label",
            "single_point_of:string[]",
            "single_point_count:int",
            "conditional_in:string[]",
            "cut_set_of:string[]",
        ],
        model.suppliers.values().enumerate().map(|(k, s)| {
            let mut row = vec![
                s.id.to_string(),
                "Supplier".into(),
                s.name.clone(),
                opt(s.name_zh.as_deref()),
                s.country.to_string(),
                opt(s.note.as_deref()),
                model.supplier_name(&s.id, lang),
            ];
            row.extend(event_cells(analysis.map(|a| &a.suppliers[k])));
            row
        }),
    );
    let countries = neo4j_csv(
        &[
            "id:ID(Country)",
            ":LABEL",
            "name",
            "name_zh",
            "label",
            "single_point_of:string[]",
            "single_point_count:int",
            "conditional_in:string[]",
            "cut_set_of:string[]",
        ],
        (0..graph.country_count() as u32).map(|c| {
            let code = graph.country(crate::graph::CountryIx(c));
            let mut row = vec![
                code.to_string(),
                "Country".into(),
                model.country_name(code, Lang::En),
                opt(model.countries.get(code).and_then(|c| c.name_zh.as_deref())),
                model.country_name(code, lang),
            ];
            row.extend(event_cells(analysis.map(|a| &a.countries[c as usize])));
            row
        }),
    );
    let requires = neo4j_csv(
        &[
            ":START_ID(Item)",
            ":END_ID(Item)",
            ":TYPE",
            "qty:double",
            "cost_share:double",
            "cost_share_low:double",
            "cost_share_high:double",
            "alternate_group",
            "role",
        ],
        model.items.values().flat_map(|i| {
            i.requires.iter().enumerate().flat_map(move |(k, r)| {
                let group = match r.target {
                    RequirementTarget::AnyOf(_) => format!("{}#{}", i.id, k + 1),
                    RequirementTarget::Item(_) => String::new(),
                };
                let cs = match &r.cost_share {
                    None => [String::new(), String::new(), String::new()],
                    Some(e) => [number(e.mid()), number(e.low()), number(e.high())],
                };
                r.target.members().iter().map(move |m| {
                    let mut row = vec![
                        i.id.to_string(),
                        m.to_string(),
                        "REQUIRES".into(),
                        number(r.qty),
                    ];
                    row.extend(cs.clone());
                    row.push(group.clone());
                    row.push(r.role.as_str().to_string());
                    row
                })
            })
        }),
    );
    // Named sources point at their supplier, unnamed ones at their country:
    // two files, as an end id belongs to one id space.
    let supply_header = |end: &'static str| {
        [
            ":START_ID(Item)",
            end,
            ":TYPE",
            "share:double",
            "share_low:double",
            "share_high:double",
            "site_country",
            "country",
            "source",
            "inputs",
        ]
    };
    let supply_rows = |named: bool| {
        model.items.values().flat_map(move |i| {
            i.supply
                .iter()
                .enumerate()
                .filter(move |(_, e)| e.supplier.is_some() == named)
                .map(move |(n, e)| {
                    vec![
                        i.id.to_string(),
                        e.supplier
                            .as_ref()
                            .map_or_else(|| model.edge_country(e).to_string(), |s| s.to_string()),
                        "SUPPLIED_BY".into(),
                        number(e.share.mid()),
                        number(e.share.low()),
                        number(e.share.high()),
                        opt(e.country.as_ref().map(|c| c.as_str())),
                        model.edge_country(e).to_string(),
                        format!("{}#{}", i.id, n + 1),
                        inputs_word(e).to_string(),
                    ]
                })
        })
    };
    let supplied_by = neo4j_csv(&supply_header(":END_ID(Supplier)"), supply_rows(true));
    let supplied_by_country = neo4j_csv(&supply_header(":END_ID(Country)"), supply_rows(false));
    let source_requires = neo4j_csv(
        &[
            ":START_ID(Item)",
            ":END_ID(Item)",
            ":TYPE",
            "source",
            "supplier",
            "country",
            "alternate_group",
        ],
        model.items.values().flat_map(|i| {
            i.supply.iter().enumerate().flat_map(move |(n, e)| {
                let source = format!("{}#{}", i.id, n + 1);
                source_list(e).iter().enumerate().flat_map(move |(k, r)| {
                    let source = source.clone();
                    let group = match r.target {
                        RequirementTarget::AnyOf(_) => format!("{source}/{}", k + 1),
                        RequirementTarget::Item(_) => String::new(),
                    };
                    r.target.members().iter().map(move |m| {
                        vec![
                            i.id.to_string(),
                            m.to_string(),
                            "SOURCE_REQUIRES".into(),
                            source.clone(),
                            opt(e.supplier_id()),
                            model.edge_country(e).to_string(),
                            group.clone(),
                        ]
                    })
                })
            })
        }),
    );
    let based_in = neo4j_csv(
        &[":START_ID(Supplier)", ":END_ID(Country)", ":TYPE"],
        model
            .suppliers
            .values()
            .map(|s| vec![s.id.to_string(), s.country.to_string(), "BASED_IN".into()]),
    );
    vec![
        ("items.csv", items),
        ("suppliers.csv", suppliers),
        ("countries.csv", countries),
        ("requires.csv", requires),
        ("supplied_by.csv", supplied_by),
        ("supplied_by_country.csv", supplied_by_country),
        ("source_requires.csv", source_requires),
        ("based_in.csv", based_in),
        ("import.sh", NEO4J_IMPORT.to_string()),
    ]
}

/// The import command written next to the Neo4j CSV files.
pub const NEO4J_IMPORT: &str = r#"#!/bin/sh
# Loads this directory into a new Neo4j 5 database (stop the database first).
# Usage: sh import.sh [DATABASE]   (default: neo4j)
set -e
cd "$(dirname "$0")"
neo4j-admin database import full "${1:-neo4j}" --overwrite-destination \
  --multiline-fields=true \
  --nodes=items.csv --nodes=suppliers.csv --nodes=countries.csv \
  --relationships=requires.csv --relationships=supplied_by.csv \
  --relationships=supplied_by_country.csv --relationships=source_requires.csv \
  --relationships=based_in.csv
"#;
