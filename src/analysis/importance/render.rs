//! The table, Markdown and CSV renderings of an [`ImportanceReport`]; JSON is
//! its `Serialize` form.
//!
//! Owns: the fixed words of these renderings in English and Chinese, how a
//! probability and an infinite or undefined measure are written for people
//! (`inf`, `—`) and for machines (CSV: full numbers, `inf`, empty).
//! Never: computes a measure, prints or writes a file.

use super::{ImportanceReport, Measure};
use crate::graph::SupplyGraph;
use crate::model::Lang;
use crate::output::text::{wrap, Reading};
use crate::output::{Format, Table};

/// A probability for people: four decimals, or three significant digits below
/// 0.001 (so that 2e-6 does not read as 0).
fn prob(x: f64) -> String {
    if x == 0.0 {
        "0".into()
    } else if x >= 0.001 {
        format!("{x:.4}")
    } else {
        format!("{x:.2e}")
    }
}

/// A measure for people: a number to four significant places, `inf` or `—`.
fn measure(m: Measure) -> String {
    match m {
        Measure::Value(x) if x != 0.0 && x.abs() < 0.001 => format!("{x:.2e}"),
        Measure::Value(x) => format!("{x:.4}"),
        Measure::Infinite => "inf".into(),
        Measure::Undefined => "—".into(),
    }
}

fn system_name(g: &SupplyGraph, id: &str, r: Reading) -> String {
    match g.item_ix(id) {
        Some(ix) => r.name(id, g.item(ix).display_name(r.lang)),
        None => id.to_string(),
    }
}

/// The table or Markdown rendering: a heading with the horizon and what events
/// without a probability mean, then per system its stop probability and a table
/// of its events, the first `limit` of them (`None`: all).
pub fn text(
    g: &SupplyGraph,
    rep: &ImportanceReport,
    r: Reading,
    format: Format,
    limit: Option<usize>,
) -> String {
    let md = format == Format::Md;
    let width = crate::output::term::prose_width();
    let mut out = String::new();
    let para = |s: &str| {
        if md {
            format!("{s}\n\n")
        } else {
            wrap(s, width, "") + "\n"
        }
    };
    let days = rep.horizon_days.to_string();
    let heading = match r.lang {
        Lang::En => format!(
            "Stop probability and importance over {days} days (case {}; basic events independent; exact from the failure logic's decision diagram)",
            r.case(rep.case)
        ),
        Lang::Zh => format!(
            "{days} 天内停产概率与重要度（{} 情形；基本事件相互独立；由故障逻辑的决策图精确计算）",
            r.case(rep.case)
        ),
    };
    // In a terminal a blank line parts it from the analysis above.
    out.push_str(&if md {
        format!("## {heading}\n\n")
    } else {
        format!("\n{}\n", wrap(&heading, width, ""))
    });
    if rep.events_without_probability > 0 {
        out.push_str(&para(&match r.lang {
            Lang::En => format!(
                "{} event(s) have no disruption_probability and are held at 0 (p shown as —); their Birnbaum and RAW say where a figure would matter.",
                rep.events_without_probability
            ),
            Lang::Zh => format!(
                "{} 个事件没有 disruption_probability，按 0 计（p 显示为 —）；其 Birnbaum 与 RAW 表明补充数据最有价值之处。",
                rep.events_without_probability
            ),
        }));
    }
    for s in &rep.systems {
        let name = system_name(g, &s.id, r);
        let title = match r.lang {
            Lang::En => format!(
                "{name}: P(stop) = {} (rare-event {}, MCUB {}, over cut sets of order ≤ {})",
                prob(s.probability),
                prob(s.rare_event),
                prob(s.mcub),
                rep.order
            ),
            Lang::Zh => format!(
                "{name}：停产概率 = {}（稀有事件近似 {}，MCUB {}，基于阶数 ≤ {} 的割集）",
                prob(s.probability),
                prob(s.rare_event),
                prob(s.mcub),
                rep.order
            ),
        };
        let headers = [r.pick("event", "事件"), "p", "Birnbaum", "FV", "RAW", "RRW"];
        let mut t = Table::new(title, &headers);
        let shown = limit.unwrap_or(usize::MAX);
        for e in s.events.iter().take(shown) {
            let label = if r.ids {
                e.id.clone()
            } else {
                e.event.label(g, r.lang)
            };
            t.row(vec![
                label,
                e.probability.map_or_else(|| "—".into(), prob),
                measure(Measure::Value(e.birnbaum)),
                measure(e.fussell_vesely),
                measure(e.raw),
                measure(e.rrw),
            ]);
        }
        if s.events.is_empty() {
            t.row(vec![
                r.pick("none: the system cannot stop", "无：该整机不会停产")
                    .into(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
        out.push_str(&t.render_in(format, r.lang));
        if md {
            out.push('\n');
        }
        if s.events.len() > shown {
            out.push_str(&para(&match r.lang {
                Lang::En => format!(
                    "… {} more event(s) not listed (--top 0 lists all; JSON and CSV list all)",
                    s.events.len() - shown
                ),
                Lang::Zh => format!(
                    "… 另有 {} 个事件未列出（--top 0 列出全部；JSON 与 CSV 列出全部）",
                    s.events.len() - shown
                ),
            }));
        }
    }
    out
}

/// One row per system and event, ids and full numbers (`--format csv`).
pub fn table(rep: &ImportanceReport) -> Table {
    let mut t = Table::new(
        "importance",
        &[
            "system",
            "p_system",
            "rare_event",
            "mcub",
            "event",
            "p_event",
            "p_failed",
            "p_never",
            "birnbaum",
            "fussell_vesely",
            "raw",
            "rrw",
        ],
    );
    for s in &rep.systems {
        for e in &s.events {
            t.row(vec![
                s.id.clone(),
                s.probability.to_string(),
                s.rare_event.to_string(),
                s.mcub.to_string(),
                e.id.clone(),
                e.probability.map_or_else(String::new, |p| p.to_string()),
                e.p_failed.to_string(),
                e.p_never.to_string(),
                e.birnbaum.to_string(),
                e.fussell_vesely.csv(),
                e.raw.csv(),
                e.rrw.csv(),
            ]);
        }
    }
    t
}
