//! Model equality for round trips: what an interchange format must carry.
//!
//! Owns: [`differences`], the definition of "import(export(g)) equals g" used by
//! the round-trip tests and documented in docs/interop.md. Compared: `meta`;
//! country names; suppliers (id, name, name_zh, country, note); items (id, kind,
//! names, note, export controls, every estimate's value/low/high, requirements in
//! order with target, qty, cost share and role, supply edges in order with supplier
//! (or none: unnamed producers), share, country and the source's own inputs). Not compared — the documented exceptions that CSV and
//! CycloneDX do not carry: citations (`cite`, `references`), an estimate's
//! `confidence` and `note`, notes on requirements and supply edges, scenarios,
//! figures, source locations. A country declared without any name equals an
//! undeclared one. Never: mutates or prints.

use crate::model::{Estimate, Item, Model, RequirementTarget, SourceInputs};

/// A requirement's target as `item ID` or `any_of [..]`.
fn target(t: &RequirementTarget) -> String {
    match t {
        RequirementTarget::Item(id) => format!("item {id}"),
        RequirementTarget::AnyOf(ids) => format!("any_of {ids:?}"),
    }
}

/// Every difference between `a` (before) and `b` (after), one line each, in a
/// stable order; empty when the models are equal in the carried data.
pub fn differences(a: &Model, b: &Model) -> Vec<String> {
    let mut out = Vec::new();
    let ma = (&a.meta.title, &a.meta.home, &a.meta.currency, &a.meta.as_of);
    let mb = (&b.meta.title, &b.meta.home, &b.meta.currency, &b.meta.as_of);
    if ma != mb {
        out.push(format!("meta: {ma:?} != {mb:?}"));
    }

    let mut codes: Vec<&str> = a
        .countries
        .keys()
        .chain(b.countries.keys())
        .map(|c| c.as_str())
        .collect();
    codes.sort_unstable();
    codes.dedup();
    for code in codes {
        let names = |m: &Model| {
            m.countries
                .get(code)
                .map(|c| (c.name.clone(), c.name_zh.clone()))
                .unwrap_or((None, None))
        };
        if names(a) != names(b) {
            out.push(format!("country {code}: {:?} != {:?}", names(a), names(b)));
        }
    }

    let mut ids: Vec<&str> = a
        .suppliers
        .keys()
        .chain(b.suppliers.keys())
        .map(|s| s.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        let key = |m: &Model| {
            m.suppliers.get(id).map(|s| {
                (
                    s.name.clone(),
                    s.name_zh.clone(),
                    s.country.to_string(),
                    s.note.clone(),
                )
            })
        };
        if key(a) != key(b) {
            out.push(format!("supplier {id}: {:?} != {:?}", key(a), key(b)));
        }
    }

    let mut ids: Vec<&str> = a
        .items
        .keys()
        .chain(b.items.keys())
        .map(|s| s.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        match (a.items.get(id), b.items.get(id)) {
            (Some(x), Some(y)) => item_differences(x, y, &mut out),
            (Some(_), None) => out.push(format!("item {id}: missing after the round trip")),
            (None, Some(_)) => out.push(format!("item {id}: appeared in the round trip")),
            (None, None) => {}
        }
    }
    out
}

/// The numbers of an estimate that formats carry.
fn numbers(e: Option<&Estimate>) -> Option<(Option<f64>, Option<f64>, Option<f64>)> {
    e.map(|e| (e.value, e.low, e.high))
}

fn item_differences(x: &Item, y: &Item, out: &mut Vec<String>) {
    let id = &x.id;
    let mut field = |what: &str, l: String, r: String| {
        if l != r {
            out.push(format!("item {id}: {what}: {l} != {r}"));
        }
    };
    field("kind", x.kind.as_str().into(), y.kind.as_str().into());
    field("name", format!("{:?}", x.name), format!("{:?}", y.name));
    field(
        "name_zh",
        format!("{:?}", x.name_zh),
        format!("{:?}", y.name_zh),
    );
    field("note", format!("{:?}", x.note), format!("{:?}", y.note));
    field(
        "export_controls",
        format!("{:?}", x.export_controls),
        format!("{:?}", y.export_controls),
    );
    for (what, l, r) in [
        ("market_value", &x.market_value, &y.market_value),
        ("import_share", &x.import_share, &y.import_share),
        ("stock_days", &x.stock_days, &y.stock_days),
        ("recovery_days", &x.recovery_days, &y.recovery_days),
    ] {
        field(
            what,
            format!("{:?}", numbers(l.as_deref())),
            format!("{:?}", numbers(r.as_deref())),
        );
    }
    let reqs = |i: &Item| -> Vec<String> {
        i.requires
            .iter()
            .map(|r| {
                format!(
                    "{} qty {} cost_share {:?} role {}",
                    target(&r.target),
                    r.qty,
                    numbers(r.cost_share.as_deref()),
                    r.role.as_str()
                )
            })
            .collect()
    };
    field(
        "requires",
        format!("{:?}", reqs(x)),
        format!("{:?}", reqs(y)),
    );
    let supply = |i: &Item| -> Vec<String> {
        i.supply
            .iter()
            .map(|e| {
                format!(
                    "{} share {:?} site {:?} requires {}",
                    e.supplier_id().unwrap_or("(unnamed)"),
                    (e.share.value, e.share.low, e.share.high),
                    e.country.as_ref().map(|c| c.as_str()),
                    match e.requires.as_deref() {
                        None => "default".to_string(),
                        Some(SourceInputs::Bom) => "bom".to_string(),
                        Some(SourceInputs::List(list)) => format!(
                            "[{}]",
                            list.iter()
                                .map(|r| target(&r.target))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    }
                )
            })
            .collect()
    };
    field(
        "supply",
        format!("{:?}", supply(x)),
        format!("{:?}", supply(y)),
    );
}
