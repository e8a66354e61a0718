//! The report's content as [`Block`]s: summary, systems, scenarios, items,
//! sources and method, in the report's language. Numbers are formatted here,
//! once, for both writers; each section is its own module under `sections/`.

use super::data::ReportData;
use super::diagrams::Diagram;
use super::doc::Block;
use super::labels::Labels;
use super::sections::{self, Ctx};
use super::ReportOptions;
use crate::analysis::ItemMetrics;
use std::collections::BTreeMap;

/// Everything the writers need besides the blocks.
pub struct Built {
    pub blocks: Vec<Block>,
    pub title: String,
    pub subtitle: String,
}

/// Builds the report's blocks.
pub fn build(data: &ReportData, diagrams: &[Diagram], opts: &ReportOptions, l: &Labels) -> Built {
    let g = data.g;
    let model = g.model();
    let a = &data.analysis;
    let lang = opts.lang;
    // Under zh the Chinese title when the graph gives one (`meta.title_zh`).
    let graph_title = match (lang, &model.meta.title_zh) {
        (crate::model::Lang::Zh, Some(zh)) => zh.as_str(),
        _ => model.meta.title.as_str(),
    };
    let title = if graph_title.is_empty() {
        l.report.to_string()
    } else {
        format!("{graph_title} — {}", l.report)
    };
    let subtitle = format!(
        "{}: {} · {}: {} · {}: {} · {}: {} · {}: {}",
        l.home,
        model.country_name(&model.meta.home, lang),
        l.as_of,
        model.meta.as_of.as_deref().unwrap_or("—"),
        l.case,
        sections::shared::case_name(a.case, lang),
        l.events_by,
        match a.by {
            crate::analysis::EventKind::Supplier => l.by_supplier,
            crate::analysis::EventKind::Country => l.by_country,
            crate::analysis::EventKind::Parent => l.by_parent,
        },
        l.currency,
        a.currency
    );
    let metrics_by_id: BTreeMap<&str, &ItemMetrics> =
        a.items.iter().map(|i| (i.id.as_str(), i)).collect();

    let cx = Ctx {
        g,
        model,
        a,
        lang,
        l,
        data,
        diagrams,
        metrics_by_id: &metrics_by_id,
    };
    let mut b: Vec<Block> = Vec::new();
    sections::overview::push(&mut b, &cx);
    sections::systems::push(&mut b, &cx);
    sections::scenarios::push(&mut b, &cx);
    if let Some(u) = &opts.uncertainty {
        sections::uncertainty::push(&mut b, &cx, u);
    }
    sections::items::push(&mut b, &cx);
    sections::sources::push(&mut b, &cx);
    sections::glossary::push(&mut b, &cx);
    sections::method::push(&mut b, &cx);
    for appendix in &opts.appendices {
        sections::appendix::push(&mut b, appendix);
    }

    Built {
        blocks: b,
        title,
        subtitle,
    }
}
