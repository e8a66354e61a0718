//! One section per scenario: what fails, the table side by side with the
//! baseline, explanations, chart and exposed sources.

use super::shared::*;
use super::Ctx;
use crate::model::Lang;
use crate::output::pct;
use crate::report::charts::{self, Series};
use crate::report::doc::{para, Block, Cell, DocTable, Figure, Inline};
use crate::report::escape::slug;

/// The scenarios section.
pub fn push(b: &mut Vec<Block>, cx: &Ctx) {
    let Ctx {
        model,
        a,
        lang,
        l,
        data,
        ..
    } = *cx;
    // -------------------------------------------------------------- scenarios
    if !data.outcomes.is_empty() {
        b.push(Block::Open("scenarios".into()));
        b.push(Block::Heading {
            level: 2,
            anchor: "scenarios-h".into(),
            text: l.scenarios.into(),
        });
        b.push(para(l.scenarios_intro));
        for (o, deltas) in data.outcomes.iter().zip(&data.deltas) {
            let anchor = scenario_anchor(&o.id);
            b.push(Block::Open(anchor.clone()));
            b.push(Block::Heading {
                level: 3,
                anchor: format!("{anchor}-h"),
                text: format!("{} ({})", scenario_name(model, o, lang), o.id),
            });
            let mut facts: Vec<Vec<Inline>> = Vec::new();
            let failed: Vec<String> = o
                .failed
                .countries
                .iter()
                .map(|c| {
                    format!(
                        "{} ({c})",
                        model.country_name(&crate::model::CountryCode::new(c.clone()), lang)
                    )
                })
                .chain(o.failed.suppliers.iter().map(|x| {
                    format!(
                        "{} ({x})",
                        model.supplier_name(&crate::model::SupplierId::new(x.clone()), lang)
                    )
                }))
                .chain(
                    o.failed
                        .items
                        .iter()
                        .map(|x| format!("{} ({x})", item_label(model, x, lang))),
                )
                .collect();
            facts.push(vec![
                Inline::Strong(format!("{}:", l.fails)),
                Inline::Text(format!(
                    " {}",
                    if failed.is_empty() {
                        l.nothing.to_string()
                    } else {
                        failed.join(", ")
                    }
                )),
            ]);
            let tariffs: Vec<String> = o
                .tariffs
                .iter()
                .map(|(c, r)| format!("{c} {}", pct(*r)))
                .collect();
            facts.push(vec![
                Inline::Strong(format!("{}:", l.tariffs)),
                Inline::Text(format!(
                    " {}",
                    if tariffs.is_empty() {
                        l.none.to_string()
                    } else {
                        tariffs.join(", ")
                    }
                )),
            ]);
            facts.push(vec![
                Inline::Strong(format!("{}:", l.duration)),
                Inline::Text(format!(" {} {}", o.days, l.days_unit)),
            ]);
            if let Some(sc) = model.scenarios.get(o.id.as_str()) {
                let note = match lang {
                    Lang::Zh => sc.note_zh.as_ref().or(sc.note.as_ref()),
                    Lang::En => sc.note.as_ref(),
                };
                if let Some(note) = note {
                    facts.push(vec![
                        Inline::Strong(format!("{}:", l.note)),
                        Inline::Text(format!(" {note}")),
                    ]);
                }
                if !sc.cite.is_empty() {
                    let mut line = vec![
                        Inline::Strong(format!("{}:", l.col_sources)),
                        Inline::Text(" ".into()),
                    ];
                    for (k, c) in sc.cite.iter().enumerate() {
                        if k > 0 {
                            line.push(Inline::Text(", ".into()));
                        }
                        line.push(Inline::Link {
                            href: format!("#{}", reference_anchor(c.as_str())),
                            text: c.to_string(),
                        });
                    }
                    facts.push(line);
                }
            }
            b.push(Block::List(facts));
            let day_list = o
                .checkpoint_days
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(" · ");
            let out_base = l.col_output_baseline.replace("{days}", &day_list);
            let out_scen = l.col_output_scenario.replace("{days}", &day_list);
            let pi = l.col_delta_pi_bn.replace("{cur}", &a.currency);
            let mut t = DocTable::new(
                "scenario",
                &o.id,
                format!("vs-{}", slug(&o.id)),
                l.vs_baseline.into(),
                &[
                    (l.col_system, false),
                    (l.col_id, false),
                    (l.col_tts_baseline, true),
                    (l.col_tts_scenario, true),
                    (&out_base, false),
                    (&out_scen, false),
                    (l.col_lp_baseline, true),
                    (l.col_lp_scenario, true),
                    (l.col_delta_lp, true),
                    (&pi, true),
                    (l.col_delta_cost, true),
                ],
            );
            let mut series = Vec::new();
            for (so, d) in o.systems.iter().zip(deltas) {
                let Some(bs) = data.baseline.system(so.system) else {
                    continue;
                };
                // The baseline over the scenario's own horizon.
                let horizon = (o.days as usize).min(bs.output.len());
                let b_series = &bs.output[..horizon];
                let b_lp: f64 = b_series.iter().map(|x| 1.0 - x).sum();
                let b_tts = b_series.iter().position(|x| *x < 1.0);
                let whole = |v: f64| format!("{:.0}", v * 100.0);
                let b_out = so
                    .checkpoints
                    .iter()
                    .map(|c| whole(bs.output.get(c.day as usize).copied().unwrap_or(1.0)))
                    .collect::<Vec<_>>()
                    .join(" · ");
                let s_out = so
                    .checkpoints
                    .iter()
                    .map(|c| whole(c.output))
                    .collect::<Vec<_>>()
                    .join(" · ");
                t.rows.push(vec![
                    Cell::text(item_label(model, &so.id, lang))
                        .link(format!("#{}", system_anchor(&so.id))),
                    Cell::text(&so.id).class("id"),
                    Cell::num(
                        b_tts.map_or(l.survives.to_string(), |t| t.to_string()),
                        b_tts.map_or(f64::INFINITY, |t| t as f64),
                    ),
                    tts_cell(so, l),
                    Cell::text(b_out),
                    Cell::text(s_out),
                    Cell::num(days(b_lp), b_lp),
                    Cell::num(days(so.lost_production), so.lost_production),
                    Cell::num(days(d.lost_production), d.lost_production),
                    Cell::num(
                        d.impact.map_or("—".into(), bn),
                        d.impact.unwrap_or(f64::NAN),
                    ),
                    Cell::num(pct(d.delta_cost), d.delta_cost),
                ]);
                if so.min_output < 1.0 {
                    series.push(Series {
                        label: item_label(model, &so.id, lang),
                        values: so.output.clone(),
                        reference: false,
                    });
                }
            }
            b.push(Block::Table(t));
            let explain: Vec<Vec<Inline>> = o
                .systems
                .iter()
                .filter(|s| s.tts.is_some() || s.delta_cost != 0.0)
                .map(|s| {
                    vec![Inline::Text(match lang {
                        Lang::Zh => s.explanation_zh.clone(),
                        Lang::En => s.explanation.clone(),
                    })]
                })
                .collect();
            if !explain.is_empty() {
                b.push(Block::List(explain));
            }
            if !series.is_empty() {
                series.insert(
                    0,
                    Series {
                        label: l.baseline.into(),
                        values: vec![1.0; o.days as usize],
                        reference: true,
                    },
                );
                let name = scenario_name(model, o, lang);
                b.push(Block::Figure(Figure {
                    file: format!("scenario-{}.svg", slug(&o.id)),
                    svg: charts::timeline(
                        &l.scenario_chart_title.replace("{name}", &name),
                        &l.scenario_chart_desc.replace("{name}", &name),
                        &series,
                        l.day_axis,
                        l.output_axis,
                    ),
                    alt: l.scenario_chart_desc.replace("{name}", &name),
                    caption: l.scenario_chart_desc.replace("{name}", &name),
                    wide: false,
                }));
            }
            if !o.exposed_sources.is_empty() {
                b.push(Block::Heading {
                    level: 4,
                    anchor: format!("{anchor}-exposed"),
                    text: l.exposed.into(),
                });
                let mut t = DocTable::new(
                    "exposed",
                    &o.id,
                    format!("exposed-{}", slug(&o.id)),
                    l.exposed.into(),
                    &[
                        (l.col_id, false),
                        (l.col_item, false),
                        (l.col_supplier, false),
                        (l.col_country, false),
                        (l.col_share, true),
                        (l.col_tts, true),
                        (l.col_recovery, true),
                    ],
                );
                t.filterable = true;
                for e in &o.exposed_sources {
                    t.rows.push(vec![
                        Cell::text(&e.item).link(format!("#{}", item_anchor(&e.item))),
                        Cell::text(item_label(model, &e.item, lang)),
                        Cell::text(e.supplier.as_deref().unwrap_or("—")),
                        Cell::text(&e.country),
                        Cell::num(pct(e.share), e.share),
                        Cell::num(e.tts.to_string(), e.tts as f64),
                        Cell::num(
                            e.recovery_days
                                .map_or(l.no_recovery.to_string(), |r| format!("{r}")),
                            e.recovery_days.unwrap_or(f64::INFINITY),
                        ),
                    ]);
                }
                b.push(Block::Table(t));
            }
            if !o.reached_sources.is_empty() {
                b.push(Block::Heading {
                    level: 4,
                    anchor: format!("{anchor}-reach"),
                    text: l.reached.into(),
                });
                let mut t = DocTable::new(
                    "reached",
                    &o.id,
                    format!("reached-{}", slug(&o.id)),
                    l.reached.into(),
                    &[
                        (l.col_id, false),
                        (l.col_item, false),
                        (l.col_supplier, false),
                        (l.col_country, false),
                        (l.col_share, true),
                        (l.col_regime, false),
                        (l.col_regime_cite, false),
                    ],
                );
                for e in &o.reached_sources {
                    let regimes = e
                        .regimes
                        .iter()
                        .map(|(regime, issuer)| format!("{regime} ({issuer})"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    t.rows.push(vec![
                        Cell::text(&e.item).link(format!("#{}", item_anchor(&e.item))),
                        Cell::text(item_label(model, &e.item, lang)),
                        Cell::text(e.supplier.as_deref().unwrap_or("—")),
                        Cell::text(&e.country),
                        Cell::num(pct(e.share), e.share),
                        Cell::text(regimes),
                        // The item's citations document its regimes (spec §3.11).
                        Cell::text(
                            model
                                .items
                                .get(e.item.as_str())
                                .map(|i| {
                                    i.cite
                                        .iter()
                                        .map(|c| c.as_str())
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                })
                                .unwrap_or_default(),
                        ),
                    ]);
                }
                b.push(Block::Table(t));
            }
            b.push(Block::Close);
        }
        b.push(Block::Close);
    }
}
