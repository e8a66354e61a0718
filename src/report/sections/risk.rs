//! The highest-risk items, their Pareto chart and the foreign-dependent items.

use super::shared::*;
use super::Ctx;
use crate::analysis::ItemMetrics;
use crate::report::charts::{self, ParetoBar};
use crate::report::doc::{para, Block, Cell, DocTable, Figure};

/// Highest-risk items, Pareto chart, foreign-dependent items.
pub fn push(b: &mut Vec<Block>, cx: &Ctx) {
    let Ctx { a, l, .. } = *cx;
    // Highest-risk items and the Pareto chart.
    let mut ranked: Vec<&ItemMetrics> = a.items.iter().filter(|i| i.risk.score > 0.0).collect();
    ranked.sort_by(|x, y| y.risk.score.total_cmp(&x.risk.score).then(x.id.cmp(&y.id)));
    b.push(Block::Heading {
        level: 3,
        anchor: "top-risk-h".into(),
        text: l.top_risk.into(),
    });
    let mut t = DocTable::new(
        "top-risk",
        "",
        "top-risk".into(),
        l.top_risk.into(),
        &[
            (l.col_id, false),
            (l.col_item, false),
            (l.col_score, true),
            (l.col_score_range, false),
            (l.col_band, true),
            (l.col_di, true),
            (l.col_hhi_country, true),
            (l.col_used_by, true),
        ],
    );
    t.filterable = true;
    for i in ranked.iter().take(TOP_RISK) {
        t.rows.push(item_risk_row(i, l));
    }
    b.push(Block::Table(t));
    let total: f64 = ranked.iter().map(|i| i.risk.score).sum();
    let bars: Vec<ParetoBar> = ranked
        .iter()
        .take(PARETO_BARS)
        .map(|i| ParetoBar {
            label: i.name.clone(),
            score: i.risk.score,
            band: band_index(i.risk.band),
        })
        .collect();
    b.push(Block::Figure(Figure {
        file: "pareto.svg".into(),
        svg: charts::pareto(
            l.pareto_title,
            l.pareto_desc,
            &bars,
            total,
            l.pareto_cumulative,
            l.pareto_axis,
            [l.band_low, l.band_medium, l.band_high],
        ),
        alt: l.pareto_desc.into(),
        caption: l.pareto_caption.replace("{n}", &bars.len().to_string()),
        wide: true,
    }));

    // Foreign-dependent items.
    b.push(Block::Heading {
        level: 3,
        anchor: "foreign-h".into(),
        text: l.foreign.into(),
    });
    b.push(para(
        l.foreign_intro
            .replace("{hhi}", &a.screen.hhi_country.to_string())
            .replace("{di}", &a.screen.import_share.to_string()),
    ));
    let mut t = DocTable::new(
        "foreign",
        "",
        "foreign".into(),
        l.foreign.into(),
        &[
            (l.col_id, false),
            (l.col_item, false),
            (l.col_di, true),
            (l.col_hhi_country, true),
            (l.col_score, true),
            (l.col_used_by, true),
        ],
    );
    t.filterable = true;
    t.empty = l.none.into();
    for i in a.items.iter().filter(|i| i.foreign_dependent) {
        t.rows.push(vec![
            Cell::text(&i.id).link(format!("#{}", item_anchor(&i.id))),
            Cell::text(&i.name),
            Cell::num(
                opt_pct(i.direct_import_share),
                i.direct_import_share.unwrap_or(f64::NAN),
            ),
            Cell::num(opt_pct(i.hhi_country), i.hhi_country.unwrap_or(f64::NAN)),
            Cell::num(score(i.risk.score), i.risk.score),
            Cell::num(i.used_by.len().to_string(), i.used_by.len() as f64),
        ]);
    }
    b.push(Block::Table(t));
}
