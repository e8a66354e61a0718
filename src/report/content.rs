//! The report's content as [`Block`]s: summary, systems, scenarios, items,
//! sources and method, in the report's language. Numbers are formatted here,
//! once, for both writers.

use super::charts::{self, HeatCell, ParetoBar, Series};
use super::data::ReportData;
use super::diagrams::Diagram;
use super::doc::{para, Block, Cell, DocTable, Figure, Inline};
use super::escape::slug;
use super::labels::Labels;
use super::ReportOptions;
use crate::analysis::{Analysis, Band, CutSetReport, ItemMetrics};
use crate::model::{Lang, Model};
use crate::output::pct;
use crate::scenario::{ScenarioOutcome, SystemOutcome};
use std::collections::{BTreeMap, BTreeSet};

/// Items in the summary's highest-risk table and the Pareto chart.
pub const TOP_RISK: usize = 15;
/// Bars of the Pareto chart.
pub const PARETO_BARS: usize = 30;
/// Rows of each system's risk table.
pub const SYSTEM_RISK_ROWS: usize = 10;

/// Anchor of a system's section.
pub fn system_anchor(id: &str) -> String {
    format!("system-{}", slug(id))
}
pub fn scenario_anchor(id: &str) -> String {
    format!("scenario-{}", slug(id))
}
pub fn reference_anchor(id: &str) -> String {
    format!("ref-{}", slug(id))
}
pub fn item_anchor(id: &str) -> String {
    format!("item-{}", slug(id))
}

/// A fraction as a percentage with one decimal ("80.3 %"), "—" when absent.
pub fn opt_pct(x: Option<f64>) -> String {
    x.map_or_else(|| "—".into(), pct)
}
/// A score with two decimals.
pub fn score(x: f64) -> String {
    format!("{x:.2}")
}
/// An amount in billions with two decimals ("135.63").
pub fn bn(x: f64) -> String {
    format!("{:.2}", x / 1e9)
}
/// Days with one decimal.
pub fn days(x: f64) -> String {
    format!("{x:.1}")
}

fn band_index(b: Band) -> usize {
    match b {
        Band::Low => 0,
        Band::Medium => 1,
        Band::High => 2,
    }
}

fn band_word(b: Band, l: &Labels) -> &'static str {
    match b {
        Band::Low => l.band_low,
        Band::Medium => l.band_medium,
        Band::High => l.band_high,
    }
}

fn band_cell(b: Band, l: &Labels) -> Cell {
    Cell::num(band_word(b, l), band_index(b) as f64).class(format!("band band-{}", b.as_str()))
}

fn tts_text(s: &SystemOutcome, l: &Labels) -> String {
    match (s.tts, s.buildable_day0) {
        (Some(0), false) => format!("0 ({})", l.not_buildable),
        (Some(t), _) => t.to_string(),
        (None, _) => l.survives.to_string(),
    }
}

fn tts_cell(s: &SystemOutcome, l: &Labels) -> Cell {
    Cell::num(tts_text(s, l), s.tts.map_or(f64::INFINITY, |t| t as f64))
}

/// `Name (id)` for an item by id.
fn item_label(model: &Model, id: &str, lang: Lang) -> String {
    model
        .items
        .get(id)
        .map(|i| i.display_name(lang).to_string())
        .unwrap_or_else(|| id.to_string())
}

fn scenario_name(model: &Model, o: &ScenarioOutcome, lang: Lang) -> String {
    match model.scenarios.get(o.id.as_str()) {
        Some(s) => match (lang, &s.name_zh) {
            (Lang::Zh, Some(zh)) => zh.clone(),
            _ => s.name.clone(),
        },
        None => o.name.clone(),
    }
}

fn events_text(a: &Analysis, c: &CutSetReport, l: &Labels) -> String {
    let events = c
        .events
        .iter()
        .map(|id| match a.events.get(id) {
            Some(e) if e.domestic => format!("{} ({})", e.name, l.home_mark),
            Some(e) => e.name.clone(),
            None => id.clone(),
        })
        .collect::<Vec<_>>()
        .join(" + ");
    if c.conditional {
        let list = c
            .assumes
            .iter()
            .map(|a| {
                format!(
                    "{} % of {}",
                    (a.unattributed * 1000.0).round() / 10.0,
                    a.name
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        format!("{events} ({})", l.conditional.replace("{list}", &list))
    } else {
        events
    }
}

/// What a national choke point rests on, one line per cut supply entry:
/// "item ← source 35.0 % [ref, ref]" with `*` for an assumed share, and
/// "(conditional)" when the entry rests on unattributed remainders failing.
pub fn evidence_text(n: &crate::analysis::NationalChokePoint) -> String {
    let mut lines: Vec<String> = n
        .evidence
        .iter()
        .map(|e| {
            format!(
                "{} ← {} {} [{}]{}",
                e.item,
                e.source,
                pct(e.share),
                e.cite.join(", "),
                if e.assumed { " *" } else { "" }
            )
        })
        .collect();
    if n.conditional {
        lines.push("(conditional)".into());
    }
    lines.join("\n")
}

fn event_ids(c: &CutSetReport) -> String {
    c.events
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" + ")
}

fn via_text(c: &CutSetReport) -> String {
    c.via
        .iter()
        .map(|p| p.join(" → "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Everything the writers need besides the blocks.
pub struct Built {
    pub blocks: Vec<Block>,
    pub title: String,
    pub subtitle: String,
}

/// Lays out an [`crate::report::Appendix`]: a section with its heading, paragraphs
/// and tables (kind `appendix`, keyed by the section's anchor).
fn push_appendix(b: &mut Vec<Block>, appendix: &crate::report::Appendix) {
    b.push(Block::Open(appendix.anchor.clone()));
    b.push(Block::Heading {
        level: 2,
        anchor: format!("{}-h", appendix.anchor),
        text: appendix.title.clone(),
    });
    for p in &appendix.paragraphs {
        b.push(para(p.clone()));
    }
    for (n, table) in appendix.tables.iter().enumerate() {
        let headers: Vec<(&str, bool)> =
            table.headers.iter().map(|h| (h.as_str(), false)).collect();
        let mut t = DocTable::new(
            "appendix",
            &appendix.anchor,
            format!("{}-t{n}", appendix.anchor),
            table.title.clone(),
            &headers,
        );
        t.rows = table
            .rows
            .iter()
            .map(|r| r.iter().map(|c| Cell::text(c.clone())).collect())
            .collect();
        t.empty = "—".into();
        b.push(Block::Table(t));
    }
    b.push(Block::Close);
}

/// Builds the report's blocks.
pub fn build(data: &ReportData, diagrams: &[Diagram], opts: &ReportOptions, l: &Labels) -> Built {
    let g = data.g;
    let model = g.model();
    let a = &data.analysis;
    let lang = opts.lang;
    let mut b: Vec<Block> = Vec::new();
    let title = if model.meta.title.is_empty() {
        l.report.to_string()
    } else {
        format!("{} — {}", model.meta.title, l.report)
    };
    let subtitle = format!(
        "{}: {} · {}: {} · {}: {} · {}: {} · {}: {}",
        l.home,
        model.country_name(&model.meta.home, lang),
        l.as_of,
        model.meta.as_of.as_deref().unwrap_or("—"),
        l.case,
        a.case.as_str(),
        l.events_by,
        match a.by {
            crate::analysis::EventKind::Supplier => l.by_supplier,
            crate::analysis::EventKind::Country => l.by_country,
        },
        l.currency,
        a.currency
    );
    let metrics_by_id: BTreeMap<&str, &ItemMetrics> =
        a.items.iter().map(|i| (i.id.as_str(), i)).collect();

    // ---------------------------------------------------------------- summary
    b.push(Block::Open("summary".into()));
    b.push(Block::Heading {
        level: 2,
        anchor: "summary-h".into(),
        text: l.summary.into(),
    });
    b.push(para(
        l.summary_intro
            .replace("{systems}", &a.systems.len().to_string())
            .replace("{items}", &a.items.len().to_string())
            .replace("{suppliers}", &model.suppliers.len().to_string())
            .replace("{scenarios}", &data.outcomes.len().to_string())
            .replace("{references}", &model.references.len().to_string()),
    ));

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
        let rows: Vec<String> = a.systems.iter().map(|s| s.name.clone()).collect();
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
                Cell::num(figure_value(&f.value, f.unit.as_deref()), f.value.mid()),
                cell,
            ]);
        }
        b.push(Block::Table(t));
    }
    b.push(Block::Close);

    // ---------------------------------------------------------------- systems
    b.push(Block::Open("systems".into()));
    b.push(Block::Heading {
        level: 2,
        anchor: "systems-h".into(),
        text: l.systems.into(),
    });
    for s in &a.systems {
        let ix = g.item_ix(&s.id);
        let anchor = system_anchor(&s.id);
        b.push(Block::Open(anchor.clone()));
        b.push(Block::Heading {
            level: 3,
            anchor: format!("{anchor}-h"),
            text: format!("{} ({})", s.name, s.id),
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
            .filter(|_| s.coverage.map_or(true, |c| c > 0.0));
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
                alt: l.bom_alt.replace("{name}", &s.name),
                caption: l.bom_caption.replace("{name}", &s.name),
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
                Cell::text(via_text(c)),
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
                    Cell::text(via_text(c)),
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
                Inline::Text(format!(" {}", s.never_fail.join(", "))),
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
                    let mut caption = l.timeline_caption.replace("{name}", &s.name);
                    if !unaffected.is_empty() {
                        caption.push(' ');
                        caption.push_str(&l.unaffected.replace("{list}", &unaffected.join(", ")));
                    }
                    b.push(Block::Figure(Figure {
                        file: format!("output-{}.svg", slug(&s.id)),
                        svg: charts::timeline(
                            &l.timeline_title.replace("{name}", &s.name),
                            &l.timeline_desc.replace("{name}", &s.name),
                            &series,
                            l.day_axis,
                        ),
                        alt: l.timeline_desc.replace("{name}", &s.name),
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
                if let Some(note) = &sc.note {
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
                    Cell::text(&so.name).link(format!("#{}", system_anchor(&so.id))),
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
                        label: so.name.clone(),
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
            b.push(Block::Close);
        }
        b.push(Block::Close);
    }

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
            Cell::text(i.kind.as_str()),
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
        let mut loc_cell = Cell::text(&location);
        if r.url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://") || u.starts_with("http://"))
        {
            loc_cell = loc_cell.link(location.clone());
        }
        t.rows.push(vec![
            Cell::text(id.as_str()).class("id"),
            Cell::text(&r.title),
            Cell::num(
                r.year.map_or(String::new(), |y| y.to_string()),
                r.year.map_or(f64::NAN, |y| y as f64),
            ),
            loc_cell,
            Cell::text(
                cited
                    .iter()
                    .map(|c| c.text())
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            Cell::num(cited.len().to_string(), cited.len() as f64),
        ]);
    }
    b.push(Block::Table(t));
    b.push(Block::Close);

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
        t.rows.push(vec![Cell::text(k), Cell::text(v)]);
    }
    b.push(Block::Heading {
        level: 3,
        anchor: "parameters-h".into(),
        text: l.parameters.into(),
    });
    b.push(Block::Table(t));
    b.push(Block::Close);

    for appendix in &opts.appendices {
        push_appendix(&mut b, appendix);
    }

    Built {
        blocks: b,
        title,
        subtitle,
    }
}

fn item_risk_row(i: &ItemMetrics, l: &Labels) -> Vec<Cell> {
    vec![
        Cell::text(&i.id).link(format!("#{}", item_anchor(&i.id))),
        Cell::text(&i.name),
        Cell::num(score(i.risk.score), i.risk.score),
        Cell::text(format!("{} – {}", score(i.risk.low), score(i.risk.high))),
        band_cell(i.risk.band, l),
        Cell::num(
            opt_pct(i.direct_import_share),
            i.direct_import_share.unwrap_or(f64::NAN),
        ),
        Cell::num(opt_pct(i.hhi_country), i.hhi_country.unwrap_or(f64::NAN)),
        Cell::num(i.used_by.len().to_string(), i.used_by.len() as f64),
    ]
}

/// A figure's value: shares as percentages (with the range when there is one),
/// counts as whole numbers with the unit.
fn figure_value(e: &crate::model::Estimate, unit: Option<&str>) -> String {
    let one = |x: f64| match unit {
        Some("share") => pct(x),
        _ if x.fract() == 0.0 && x.abs() < 1e15 => format!("{x:.0}"),
        _ => format!("{x}"),
    };
    let unit_text = match unit {
        Some("share") | None => String::new(),
        Some(u) => format!(" {u}"),
    };
    match (e.value, e.low, e.high) {
        (Some(v), None, None) => format!("{}{unit_text}", one(v)),
        (Some(v), _, _) => format!(
            "{} ({} – {}){unit_text}",
            one(v),
            one(e.low()),
            one(e.high())
        ),
        _ => format!("{} – {}{unit_text}", one(e.low()), one(e.high())),
    }
}
