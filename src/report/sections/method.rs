//! One line per metric and the parameters of this report.

use super::Ctx;
use crate::report::doc::{Block, Cell, DocTable, Inline};

/// The method section.
pub fn push(b: &mut Vec<Block>, cx: &Ctx) {
    let Ctx { a, l, .. } = *cx;
    // ----------------------------------------------------------------- method
    b.push(Block::Open("method".into()));
    b.push(Block::Heading {
        level: 2,
        anchor: "method-h".into(),
        text: l.method.into(),
    });
    b.push(Block::List(
        l.method_points
            .split('\n')
            .map(|p| vec![Inline::Text(p.to_string())])
            .collect(),
    ));
    let mut t = DocTable::new(
        "parameters",
        "",
        "parameters".into(),
        l.parameters.into(),
        &[(l.col_parameter, false), (l.col_value, false)],
    );
    let w = &a.weights;
    for (k, v) in [
        ("case", a.case.as_str().to_string()),
        ("by", a.by.as_str().to_string()),
        ("order", a.order.to_string()),
        ("home", a.home.clone()),
        ("screen.hhi_country", a.screen.hhi_country.to_string()),
        ("screen.import_share", a.screen.import_share.to_string()),
        ("weights.import", w.import.to_string()),
        ("weights.country", w.country.to_string()),
        ("weights.supplier", w.supplier.to_string()),
        ("weights.recovery", w.recovery.to_string()),
        ("weights.buffer", w.buffer.to_string()),
        ("weights.controls", w.controls.to_string()),
    ] {
        // Parameter names and values are the command line's words (`--case mid`).
        t.rows
            .push(vec![Cell::text(k).class("id"), Cell::text(v).class("id")]);
    }
    b.push(Block::Heading {
        level: 3,
        anchor: "parameters-h".into(),
        text: l.parameters.into(),
    });
    b.push(Block::Table(t));
    b.push(Block::Close);
}
