//! Every reference with where it is cited.

use super::shared::*;
use super::Ctx;
use crate::report::doc::{para, Block, Cell, DocTable};

/// The sources section.
pub fn push(b: &mut Vec<Block>, cx: &Ctx) {
    let Ctx {
        model,
        l,
        data,
        lang,
        ..
    } = *cx;
    // ---------------------------------------------------------------- sources
    b.push(Block::Open("sources".into()));
    b.push(Block::Heading {
        level: 2,
        anchor: "sources-h".into(),
        text: l.sources.into(),
    });
    b.push(para(l.sources_intro));
    let mut t = DocTable::new(
        "sources",
        "",
        "sources-table".into(),
        l.sources.into(),
        &[
            (l.col_id, false),
            (l.col_title, false),
            (l.col_year, true),
            (l.col_where, false),
            (l.col_cited_by, false),
            (l.col_cite_count, true),
        ],
    );
    t.filterable = true;
    for (id, r) in &model.references {
        let cited = data.citations.get(id).map(Vec::as_slice).unwrap_or(&[]);
        let location = match (&r.url, &r.file) {
            (Some(u), _) => u.clone(),
            (None, Some(f)) => f.clone(),
            (None, None) => String::new(),
        };
        t.anchors.push(Some(reference_anchor(id.as_str())));
        let mut loc_cell = Cell::text(&location).class("orig");
        if r.url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://") || u.starts_with("http://"))
        {
            loc_cell = loc_cell.link(location.clone());
        }
        t.rows.push(vec![
            Cell::text(id.as_str()).class("id"),
            // Bibliographic text stays in its own language (translate="no").
            Cell::text(&r.title).class("orig"),
            Cell::num(
                r.year.map_or(String::new(), |y| y.to_string()),
                r.year.map_or(f64::NAN, |y| y as f64),
            ),
            loc_cell,
            Cell::text(
                cited
                    .iter()
                    .map(|c| c.text_in(lang))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            Cell::num(cited.len().to_string(), cited.len() as f64),
        ]);
    }
    b.push(Block::Table(t));
    b.push(Block::Close);
}
