//! National choke points: the ranked table, the systems × choke-items heat
//! map and the Graphviz choke-point map.

use super::shared::*;
use super::Ctx;
use crate::report::charts::{self, HeatCell};
use crate::report::doc::{para, Block, Cell, DocTable, Figure};
use std::collections::{BTreeMap, BTreeSet};

/// National choke points, heat map and choke-point map.
pub fn push(b: &mut Vec<Block>, cx: &Ctx) {
    let Ctx {
        model,
        a,
        lang,
        l,
        diagrams,
        metrics_by_id,
        ..
    } = *cx;
    // National choke points.
    b.push(Block::Heading {
        level: 3,
        anchor: "national-h".into(),
        text: l.national.into(),
    });
    b.push(para(l.national_intro.replace("{order}", "2")));
    let mut t = DocTable::new(
        "national",
        "",
        "national".into(),
        l.national.into(),
        &[
            ("#", true),
            (l.col_events, false),
            (l.col_event_ids, false),
            (l.col_systems, false),
            (l.col_system_count, true),
            (&l.col_market_value_bn.replace("{cur}", &a.currency), true),
            (l.col_evidence, false),
        ],
    );
    t.empty = l.none.into();
    for n in &a.national {
        let events = n
            .events
            .iter()
            .map(|id| a.events.get(id).map_or(id.as_str(), |e| e.name.as_str()))
            .collect::<Vec<_>>()
            .join(" + ");
        t.rows.push(vec![
            Cell::num(n.rank.to_string(), n.rank as f64),
            Cell::text(events),
            Cell::text(
                n.events
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(" + "),
            ),
            Cell::text(n.systems.join(", ")),
            Cell::num(n.system_count.to_string(), n.system_count as f64),
            match n.market_value {
                Some(v) => Cell::num(bn(v), v),
                None => Cell::text("—"),
            },
            Cell::text(evidence_text(n)),
        ]);
    }
    b.push(Block::Table(t));

    // Heat map: systems × items where a cut set with a foreign event acts.
    let mut choke_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for s in &a.systems {
        for c in s.single_points_of_failure.iter().chain(&s.cut_sets) {
            if c.events
                .iter()
                .all(|id| a.events.get(id).is_some_and(|e| e.domestic))
            {
                continue;
            }
            for p in &c.via {
                if let Some(last) = p.last() {
                    choke_of
                        .entry(last.as_str())
                        .or_default()
                        .insert(s.id.as_str());
                }
            }
        }
    }
    let mut cols: Vec<&str> = choke_of.keys().copied().collect();
    cols.sort_by(|x, y| {
        let (cx, cy) = (choke_of[x].len(), choke_of[y].len());
        let sx = metrics_by_id.get(x).map_or(0.0, |m| m.risk.score);
        let sy = metrics_by_id.get(y).map_or(0.0, |m| m.risk.score);
        cy.cmp(&cx).then(sy.total_cmp(&sx)).then(x.cmp(y))
    });
    if !cols.is_empty() {
        let rows: Vec<String> = a
            .systems
            .iter()
            .map(|s| item_label(model, &s.id, lang))
            .collect();
        let col_names: Vec<String> = cols.iter().map(|c| item_label(model, c, lang)).collect();
        let cells: Vec<Vec<HeatCell>> = a
            .systems
            .iter()
            .map(|s| {
                cols.iter()
                    .map(|c| match metrics_by_id.get(c) {
                        Some(m) if m.used_by.iter().any(|u| u == &s.id) => HeatCell::Used {
                            score: m.risk.score,
                            choke: choke_of[c].contains(s.id.as_str()),
                        },
                        _ => HeatCell::Unused,
                    })
                    .collect()
            })
            .collect();
        b.push(Block::Figure(Figure {
            file: "heatmap.svg".into(),
            svg: charts::heatmap(
                l.heatmap_title,
                l.heatmap_desc,
                &rows,
                &col_names,
                &cells,
                l.heatmap_legend,
            ),
            alt: l.heatmap_desc.into(),
            caption: l.heatmap_caption.into(),
            wide: true,
        }));
    }

    // Choke-point map.
    if let Some(map) = diagrams.iter().find(|d| d.system.is_none()) {
        b.push(Block::Figure(Figure {
            file: "chokepoints.svg".into(),
            svg: map.svg.clone(),
            alt: l.chokemap_alt.into(),
            caption: l.chokemap_caption.into(),
            wide: true,
        }));
    }
}
