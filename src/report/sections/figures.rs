//! The headline figures of `figures:` with their citations.

use super::shared::*;
use super::Ctx;
use crate::model::Lang;
use crate::report::doc::{Block, Cell, DocTable};

/// Headline figures.
pub fn push(b: &mut Vec<Block>, cx: &Ctx) {
    let Ctx { model, lang, l, .. } = *cx;
    // Headline figures.
    if !model.figures.is_empty() {
        b.push(Block::Heading {
            level: 3,
            anchor: "figures-h".into(),
            text: l.figures.into(),
        });
        let mut t = DocTable::new(
            "figures",
            "",
            "figures".into(),
            l.figures.into(),
            &[
                (l.col_id, false),
                (l.col_figure, false),
                (l.col_value, true),
                (l.col_sources, false),
            ],
        );
        for f in &model.figures {
            let name = match (lang, &f.name_zh) {
                (Lang::Zh, Some(zh)) => zh.clone(),
                _ => f.name.clone(),
            };
            let mut cites: Vec<String> = f.cite.iter().map(|c| c.to_string()).collect();
            for c in &f.value.cite {
                if !cites.contains(&c.to_string()) {
                    cites.push(c.to_string());
                }
            }
            let mut cell = Cell::text(cites.join(", "));
            if let Some(first) = cites.first() {
                cell = cell.link(format!("#{}", reference_anchor(first)));
            }
            t.rows.push(vec![
                Cell::text(&f.id),
                Cell::text(name),
                Cell::num(
                    figure_value(&f.value, f.unit.as_deref(), lang),
                    f.value.mid(),
                ),
                cell,
            ]);
        }
        b.push(Block::Table(t));
    }
}
