//! Helpers shared by the report's sections: anchors, number formats, labels
//! of bands, time-to-shortage, cut-set events and via paths.

use crate::analysis::{Analysis, Band, CutSetReport, ItemMetrics};
use crate::model::{Lang, Model};
use crate::output::pct;
use crate::report::doc::Cell;
use crate::report::escape::slug;
use crate::report::labels::Labels;
use crate::scenario::{ScenarioOutcome, SystemOutcome};

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

pub fn band_index(b: Band) -> usize {
    match b {
        Band::Low => 0,
        Band::Medium => 1,
        Band::High => 2,
    }
}

pub fn band_word(b: Band, l: &Labels) -> &'static str {
    match b {
        Band::Low => l.band_low,
        Band::Medium => l.band_medium,
        Band::High => l.band_high,
    }
}

pub fn band_cell(b: Band, l: &Labels) -> Cell {
    Cell::num(band_word(b, l), band_index(b) as f64).class(format!("band band-{}", b.as_str()))
}

pub fn tts_text(s: &SystemOutcome, l: &Labels) -> String {
    match (s.tts, s.buildable_day0) {
        (Some(0), false) => format!("0 ({})", l.not_buildable),
        (Some(t), _) => t.to_string(),
        (None, _) => l.survives.to_string(),
    }
}

pub fn tts_cell(s: &SystemOutcome, l: &Labels) -> Cell {
    Cell::num(tts_text(s, l), s.tts.map_or(f64::INFINITY, |t| t as f64))
}

/// `Name (id)` for an item by id.
pub fn item_label(model: &Model, id: &str, lang: Lang) -> String {
    model
        .items
        .get(id)
        .map(|i| i.display_name(lang).to_string())
        .unwrap_or_else(|| id.to_string())
}

pub fn scenario_name(model: &Model, o: &ScenarioOutcome, lang: Lang) -> String {
    match model.scenarios.get(o.id.as_str()) {
        Some(s) => match (lang, &s.name_zh) {
            (Lang::Zh, Some(zh)) => zh.clone(),
            _ => s.name.clone(),
        },
        None => o.name.clone(),
    }
}

pub fn events_text(a: &Analysis, c: &CutSetReport, l: &Labels) -> String {
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

pub fn event_ids(c: &CutSetReport) -> String {
    c.events
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The via paths of a cut set, one per line, each item by its name in the
/// report's language (its id when it has no name): ids are for data files.
pub fn via_text(c: &CutSetReport, model: &Model, lang: Lang) -> String {
    c.via
        .iter()
        .map(|p| {
            p.iter()
                .map(|id| item_label(model, id, lang))
                .collect::<Vec<_>>()
                .join(" → ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn item_risk_row(i: &ItemMetrics, l: &Labels) -> Vec<Cell> {
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

/// An item's kind in the report's language (the graph's `kind` values under en).
pub fn kind_name(kind: &str, lang: Lang) -> &str {
    match (lang, kind) {
        (Lang::Zh, "system") => "整机",
        (Lang::Zh, "subsystem") => "子系统",
        (Lang::Zh, "part") => "部件",
        (Lang::Zh, "component") => "元器件",
        (Lang::Zh, "material") => "材料",
        (Lang::Zh, "software") => "软件",
        (_, k) => k,
    }
}

/// A case (low/mid/high) in the report's language.
pub fn case_name(case: crate::model::Case, lang: Lang) -> &'static str {
    match (lang, case.as_str()) {
        (Lang::Zh, "low") => "低",
        (Lang::Zh, "mid") => "中",
        (Lang::Zh, "high") => "高",
        (_, c) => c,
    }
}

/// A figure's value, formatted for people: money (a currency code as the
/// unit) as "48.0 bn CNY (21.0–48.0 bn)", shares as percentages, an
/// `ad-valorem` rate as "125 % ad valorem", counts with thousands separators
/// and their unit ("800,000 exposures"), in the report's language.
pub fn figure_value(e: &crate::model::Estimate, unit: Option<&str>, lang: Lang) -> String {
    use crate::output::text::{money_range, rate_pct, whole};
    // ISO 4217 codes of the currencies a graph may state money in (MHU is a
    // unit of heat, not money, though it is three capitals too).
    const CURRENCIES: &[&str] = &[
        "CNY", "USD", "EUR", "JPY", "GBP", "KRW", "CHF", "INR", "CAD", "AUD", "HKD", "TWD",
    ];
    let money = unit.filter(|u| CURRENCIES.contains(u));
    if let Some(cur) = money {
        return money_range(e.mid(), e.low(), e.high(), cur);
    }
    let one = |x: f64| match unit {
        Some("share") => pct(x),
        Some("ad-valorem") => rate_pct(x),
        _ if x.fract() == 0.0 && x.abs() < 1e15 => whole(x),
        _ => format!("{x}"),
    };
    let unit_text = match unit {
        Some("share") | None => String::new(),
        Some(u) => format!(" {}", unit_name(u, lang)),
    };
    match (e.value, e.low, e.high) {
        (Some(v), None, None) => format!("{}{unit_text}", one(v)),
        (Some(v), _, _) => format!("{} ({}–{}){unit_text}", one(v), one(e.low()), one(e.high())),
        _ => format!("{}–{}{unit_text}", one(e.low()), one(e.high())),
    }
}

/// A figure's unit as words of the report's language; codes (MHU) and units
/// the table does not know stay as written in the graph.
pub fn unit_name(unit: &str, lang: Lang) -> String {
    let (en, zh) = match unit {
        "ad-valorem" => ("ad valorem", "从价"),
        "items" => ("items", "项"),
        "days" => ("days", "天"),
        "tubes" => ("tubes", "支"),
        "exposures" => ("exposures", "次曝光"),
        "components" => ("components", "个零部件"),
        "units per million" => ("units per million", "台/百万人口"),
        other => (other, other),
    };
    match lang {
        Lang::En => en.to_string(),
        Lang::Zh => zh.to_string(),
    }
}
