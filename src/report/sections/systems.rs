//! One section per system: key figures, BOM diagram, single points of
//! failure, cut sets, design dependencies, items that never fail, riskiest
//! items, scenario outcomes and the output-over-time chart.

use super::shared::*;
use super::Ctx;
use crate::output::pct;
use crate::report::charts::{self, Series};
use crate::report::doc::{para, Block, Cell, DocTable, Figure, Inline};
use crate::report::escape::slug;

/// The systems section.
pub fn push(b: &mut Vec<Block>, cx: &Ctx) {
    let Ctx {
        g,
        model,
        a,
        lang,
        l,
        data,
        diagrams,
        ..
    } = *cx;
    // ---------------------------------------------------------------- systems
    b.push(Block::Open("systems".into()));
    b.push(Block::Heading {
        level: 2,
        anchor: "systems-h".into(),
        text: l.systems.into(),
    });
    for s in &a.systems {
        let name = item_label(model, &s.id, lang);
        let ix = g.item_ix(&s.id);
        let anchor = system_anchor(&s.id);
        b.push(Block::Open(anchor.clone()));
        b.push(Block::Heading {
            level: 3,
            anchor: format!("{anchor}-h"),
            text: format!("{} ({})", name, s.id),
        });
        let mut facts = DocTable::new(
            "system-facts",
            &s.id,
            format!("facts-{}", slug(&s.id)),
            l.facts.into(),
            &[(l.col_metric, false), (l.col_value, true)],
        );
        let mv = s.market_value;
        facts.rows.push(vec![
            Cell::text(l.col_market_value_bn.replace("{cur}", &a.currency)),
            Cell::num(mv.map_or("—".into(), bn), mv.unwrap_or(f64::NAN)),
        ]);
        // No declared cost share: the share is unknown, not 0 %.
        let eid = s
            .embodied_import_share
            .filter(|_| s.coverage.is_none_or(|c| c > 0.0));
        facts.rows.push(vec![
            Cell::text(l.eid),
            Cell::num(
                opt_pct(eid.map(|e| e.value)),
                eid.map_or(f64::NAN, |e| e.value),
            ),
        ]);
        facts.rows.push(vec![
            Cell::text(l.eid_interval),
            Cell::text(eid.map_or("—".into(), |e| {
                format!("{} – {}", pct(e.low), pct(e.high))
            })),
        ]);
        facts.rows.push(vec![
            Cell::text(l.coverage),
            Cell::num(opt_pct(s.coverage), s.coverage.unwrap_or(f64::NAN)),
        ]);
        b.push(Block::Table(facts));
        if let Some(d) = diagrams
            .iter()
            .find(|d| d.system.is_some() && d.system == ix)
        {
            b.push(Block::Figure(Figure {
                file: format!("bom-{}.svg", slug(&s.id)),
                svg: d.svg.clone(),
                alt: l.bom_alt.replace("{name}", &name),
                caption: l.bom_caption.replace("{name}", &name),
                wide: true,
            }));
        }
        // Single points of failure and higher-order cut sets.
        let mut t = DocTable::new(
            "spof",
            &s.id,
            format!("spof-{}", slug(&s.id)),
            l.spof.into(),
            &[
                (l.col_events, false),
                (l.col_event_ids, false),
                (l.col_via, false),
            ],
        );
        t.empty = l.none.into();
        for c in &s.single_points_of_failure {
            t.rows.push(vec![
                Cell::text(events_text(a, c, l)),
                Cell::text(event_ids(c)),
                Cell::text(via_text(c, model, lang)),
            ]);
        }
        b.push(Block::Heading {
            level: 4,
            anchor: format!("{anchor}-spof"),
            text: l.spof.into(),
        });
        b.push(Block::Table(t));
        if a.order >= 2 {
            let cut_title = if a.order == 2 {
                l.cut_sets_2.to_string()
            } else {
                l.cut_sets.replace("{order}", &a.order.to_string())
            };
            let mut t = DocTable::new(
                "cut-sets",
                &s.id,
                format!("cuts-{}", slug(&s.id)),
                cut_title.clone(),
                &[
                    (l.col_order, true),
                    (l.col_events, false),
                    (l.col_event_ids, false),
                    (l.col_via, false),
                ],
            );
            t.empty = l.none.into();
            for c in &s.cut_sets {
                t.rows.push(vec![
                    Cell::num(c.order.to_string(), c.order as f64),
                    Cell::text(events_text(a, c, l)),
                    Cell::text(event_ids(c)),
                    Cell::text(via_text(c, model, lang)),
                ]);
            }
            b.push(Block::Heading {
                level: 4,
                anchor: format!("{anchor}-cuts"),
                text: cut_title,
            });
            b.push(Block::Table(t));
        }
        if !s.design_dependencies.is_empty() {
            let mut t = DocTable::new(
                "design",
                &s.id,
                format!("design-{}", slug(&s.id)),
                l.design_deps.into(),
                &[
                    (l.col_id, false),
                    (l.col_item, false),
                    (l.col_import_share, true),
                    (l.col_score, true),
                    (l.col_band, true),
                ],
            );
            for d in &s.design_dependencies {
                t.rows.push(vec![
                    Cell::text(&d.id).link(format!("#{}", item_anchor(&d.id))),
                    Cell::text(&d.name),
                    Cell::num(
                        opt_pct(d.direct_import_share),
                        d.direct_import_share.unwrap_or(f64::NAN),
                    ),
                    Cell::num(score(d.risk), d.risk),
                    band_cell(d.band, l),
                ]);
            }
            b.push(Block::Table(t));
        }
        if !s.never_fail.is_empty() {
            b.push(Block::Para(vec![
                Inline::Strong(l.never_fail.into()),
                Inline::Text(format!(
                    " {}",
                    s.never_fail
                        .iter()
                        .map(|id| item_label(model, id, lang))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            ]));
        }
        // Risk.
        let mut t = DocTable::new(
            "risk",
            &s.id,
            format!("risk-{}", slug(&s.id)),
            l.risk_table.replace("{n}", &SYSTEM_RISK_ROWS.to_string()),
            &[
                (l.col_id, false),
                (l.col_item, false),
                (l.col_score, true),
                (l.col_band, true),
                (l.col_incomplete, false),
            ],
        );
        t.filterable = true;
        for r in s.top_risk.iter().take(SYSTEM_RISK_ROWS) {
            t.rows.push(vec![
                Cell::text(&r.id).link(format!("#{}", item_anchor(&r.id))),
                Cell::text(&r.name),
                Cell::num(score(r.score), r.score),
                band_cell(r.band, l),
                Cell::text(if r.incomplete { l.yes } else { "" }),
            ]);
        }
        b.push(Block::Heading {
            level: 4,
            anchor: format!("{anchor}-risk"),
            text: l.risk_table.replace("{n}", &SYSTEM_RISK_ROWS.to_string()),
        });
        b.push(Block::Table(t));
        // Scenarios for this system.
        if !data.outcomes.is_empty() {
            b.push(Block::Heading {
                level: 4,
                anchor: format!("{anchor}-scenarios"),
                text: l.system_scenarios.into(),
            });
            let mut t = DocTable::new(
                "system-scenarios",
                &s.id,
                format!("scen-{}", slug(&s.id)),
                l.system_scenarios.into(),
                &[
                    (l.col_scenario, false),
                    (l.col_tts, true),
                    (l.col_min_output, true),
                    (l.col_lp, true),
                    (&l.col_pi_bn.replace("{cur}", &a.currency), true),
                    (l.col_delta_cost, true),
                ],
            );
            let mut series = vec![];
            let mut unaffected = vec![];
            for o in &data.outcomes {
                let Some(so) = o.systems.iter().find(|x| x.id == s.id) else {
                    continue;
                };
                t.rows.push(vec![
                    Cell::text(&o.id).link(format!("#{}", scenario_anchor(&o.id))),
                    tts_cell(so, l),
                    Cell::num(pct(so.min_output), so.min_output),
                    Cell::num(days(so.lost_production), so.lost_production),
                    Cell::num(
                        so.impact.map_or("—".into(), bn),
                        so.impact.unwrap_or(f64::NAN),
                    ),
                    Cell::num(pct(so.delta_cost), so.delta_cost),
                ]);
                if so.min_output < 1.0 {
                    series.push(Series {
                        label: format!("{} — {}", o.id, scenario_name(model, o, lang)),
                        values: so.output.clone(),
                        reference: false,
                    });
                } else {
                    unaffected.push(o.id.clone());
                }
            }
            b.push(Block::Table(t));
            if let Some(bs) = data.baseline.systems.iter().find(|x| x.id == s.id) {
                if !series.is_empty() {
                    series.insert(
                        0,
                        Series {
                            label: l.baseline.into(),
                            values: bs.output.clone(),
                            reference: true,
                        },
                    );
                    let mut caption = l.timeline_caption.replace("{name}", &name);
                    if !unaffected.is_empty() {
                        caption.push(' ');
                        caption.push_str(&l.unaffected.replace("{list}", &unaffected.join(", ")));
                    }
                    b.push(Block::Figure(Figure {
                        file: format!("output-{}.svg", slug(&s.id)),
                        svg: charts::timeline(
                            &l.timeline_title.replace("{name}", &name),
                            &l.timeline_desc.replace("{name}", &name),
                            &series,
                            l.day_axis,
                            l.output_axis,
                        ),
                        alt: l.timeline_desc.replace("{name}", &name),
                        caption,
                        wide: false,
                    }));
                } else {
                    b.push(para(l.no_scenario_hits.to_string()));
                }
            }
        }
        b.push(Block::Close);
    }
    b.push(Block::Close);
}
