//! Every item with every metric, filterable and sortable.

use super::shared::*;
use super::Ctx;
use crate::report::doc::{para, Block, Cell, DocTable};

/// The all-items section.
pub fn push(b: &mut Vec<Block>, cx: &Ctx) {
    let Ctx { lang, a, l, .. } = *cx;
    // ------------------------------------------------------------------ items
    b.push(Block::Open("items".into()));
    b.push(Block::Heading {
        level: 2,
        anchor: "items-h".into(),
        text: l.items.into(),
    });
    b.push(para(l.items_intro));
    let mut t = DocTable::new(
        "items",
        "",
        "items-table".into(),
        l.items.into(),
        &[
            (l.col_id, false),
            (l.col_kind, false),
            (l.col_item, false),
            (l.col_di, true),
            (l.col_eid, true),
            (l.coverage, true),
            (l.col_hhi_supplier, true),
            (l.col_hhi_country, true),
            (l.col_foreign, false),
            (l.col_score, true),
            (l.col_band, true),
            (l.col_used_by, false),
        ],
    );
    t.filterable = true;
    for i in &a.items {
        t.anchors.push(Some(item_anchor(&i.id)));
        t.rows.push(vec![
            Cell::text(&i.id).class("id"),
            Cell::text(kind_name(i.kind.as_str(), lang)),
            Cell::text(&i.name),
            Cell::num(
                opt_pct(i.direct_import_share),
                i.direct_import_share.unwrap_or(f64::NAN),
            ),
            Cell::num(
                opt_pct(i.embodied_import_share),
                i.embodied_import_share.unwrap_or(f64::NAN),
            ),
            Cell::num(opt_pct(i.coverage), i.coverage.unwrap_or(f64::NAN)),
            Cell::num(opt_pct(i.hhi_supplier), i.hhi_supplier.unwrap_or(f64::NAN)),
            Cell::num(opt_pct(i.hhi_country), i.hhi_country.unwrap_or(f64::NAN)),
            Cell::text(if i.foreign_dependent { l.yes } else { "" }),
            Cell::num(score(i.risk.score), i.risk.score),
            band_cell(i.risk.band, l),
            Cell::text(i.used_by.join(", ")),
        ]);
    }
    b.push(Block::Table(t));
    b.push(Block::Close);
}
