//! Everything the report shows, computed once: the analysis, the scenario runs
//! against their baseline, where each reference is cited, and the machine-readable
//! files (JSON and CSV) written beside the report.
//!
//! The JSON files have exactly the shape of `analyze --format json --top 0` and
//! `scenario --format json` (docs/json.md); the report test compares them.

use super::ReportOptions;
use crate::analysis::{self, Analysis, AnalyzeOptions};
use crate::graph::SupplyGraph;
use crate::model::{Estimate, Model, ReferenceId};
use crate::output::json::Document;
use crate::output::Table;
use crate::scenario::{self, ScenarioOutcome, ScenarioSpec};
use indexmap::IndexMap;
use serde::Serialize;

/// Horizon of the baseline when no scenario runs.
const DEFAULT_DAYS: u32 = 365;

/// The computed content of a report.
pub struct ReportData<'g> {
    pub g: &'g SupplyGraph<'g>,
    pub analysis: Analysis,
    pub outcomes: Vec<ScenarioOutcome>,
    /// Nothing failed, run for the longest scenario horizon.
    pub baseline: ScenarioOutcome,
    /// Per scenario (same order as `outcomes`), per system: scenario minus baseline.
    pub deltas: Vec<Vec<scenario::SystemDelta>>,
    /// Per reference (model order): where it is cited.
    pub citations: IndexMap<ReferenceId, Vec<Citation>>,
}

/// Where a reference is cited: an entity and, for an estimate, its field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Citation {
    /// `item`, `supplier`, `scenario` or `figure`.
    pub kind: &'static str,
    pub id: String,
    /// The estimate or edge that cites it (`market_value`, `requires ct-tube: cost_share`,
    /// `supply varex: share`…); `None` = the entity itself.
    pub field: Option<String>,
}

impl Citation {
    /// [`Self::text`] with the entity's kind in `lang` ("物料 ct-64: market_value");
    /// ids and the graph's keys (`market_value`, `requires`) stay as written.
    pub fn text_in(&self, lang: crate::model::Lang) -> String {
        let kind = match (lang, self.kind) {
            (crate::model::Lang::Zh, "item") => "物料",
            (crate::model::Lang::Zh, "supplier") => "供应商",
            (crate::model::Lang::Zh, "scenario") => "情景",
            (crate::model::Lang::Zh, "figure") => "数据",
            (_, k) => k,
        };
        match &self.field {
            Some(f) => format!("{kind} {}: {f}", self.id),
            None => format!("{kind} {}", self.id),
        }
    }

    pub fn text(&self) -> String {
        match &self.field {
            Some(f) => format!("{} {}: {f}", self.kind, self.id),
            None => format!("{} {}", self.kind, self.id),
        }
    }
}

impl<'g> ReportData<'g> {
    pub fn compute(
        g: &'g SupplyGraph<'g>,
        opts: &ReportOptions,
        specs: &[ScenarioSpec],
    ) -> Result<Self, analysis::CutSetLimit> {
        let analysis = analysis::analyze(g, &analyze_options(opts))?;
        let outcomes: Vec<ScenarioOutcome> = specs
            .iter()
            .map(|s| scenario::simulate(g, s, opts.case))
            .collect();
        let days = outcomes
            .iter()
            .map(|o| o.days)
            .max()
            .unwrap_or(DEFAULT_DAYS);
        let baseline = scenario::simulate(g, &ScenarioSpec::baseline(days), opts.case);
        let deltas = outcomes
            .iter()
            .map(|o| scenario::vs_baseline(o, &baseline))
            .collect();
        Ok(ReportData {
            g,
            analysis,
            outcomes,
            baseline,
            deltas,
            citations: citations(g.model()),
        })
    }

    /// analysis.json: `analyze --format json --top 0` with the report's options.
    pub fn analysis_json(&self) -> String {
        let doc = Document::with_list(&self.analysis, "items", &self.analysis.items);
        doc.to_string().expect("analysis serializes") + "\n"
    }

    /// scenarios.json: `scenario --format json` for the report's scenarios.
    pub fn scenarios_json(&self) -> String {
        scenario::ScenariosDocument::new(
            self.baseline.case,
            &self.g.model().meta.currency,
            &self.baseline,
            &self.outcomes,
            self.deltas.iter().map(Vec::as_slice),
        )
        .to_json()
    }

    /// The CSV files: (file name, content).
    pub fn csv_files(&self) -> Vec<(String, String)> {
        let a = &self.analysis;
        let items = a.items_table();
        let mut national = Table::new(
            "",
            &[
                "rank",
                "order",
                "events",
                "systems",
                "system_count",
                "market_value",
                "conditional",
            ],
        );
        for n in &a.national {
            national.row(vec![
                n.rank.to_string(),
                n.order.to_string(),
                n.events
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(" "),
                n.systems.join(" "),
                n.system_count.to_string(),
                n.market_value.map(|v| v.to_string()).unwrap_or_default(),
                n.conditional.to_string(),
            ]);
        }
        let mut cuts = Table::new(
            "",
            &["system", "order", "events", "via", "conditional", "assumes"],
        );
        for s in &a.systems {
            for c in s.single_points_of_failure.iter().chain(&s.cut_sets) {
                cuts.row(vec![
                    s.id.clone(),
                    c.order.to_string(),
                    c.events
                        .iter()
                        .map(String::as_str)
                        .collect::<Vec<_>>()
                        .join(" "),
                    c.via
                        .iter()
                        .map(|p| p.join(">"))
                        .collect::<Vec<_>>()
                        .join(" "),
                    c.conditional.to_string(),
                    c.assumes
                        .iter()
                        .map(|a| format!("{}:{}", a.item, a.unattributed))
                        .collect::<Vec<_>>()
                        .join(" "),
                ]);
            }
        }
        let mut outcomes = Table::new(
            "",
            &[
                "scenario",
                "system",
                "days",
                "tts",
                "min_output",
                "lost_production",
                "impact",
                "delta_cost",
                "vs_baseline_lost_production",
            ],
        );
        let stable = |x: f64| scenario::stable_number(x).to_string();
        for (o, d) in self.outcomes.iter().zip(&self.deltas) {
            for (s, d) in o.systems.iter().zip(d) {
                outcomes.row(vec![
                    o.id.clone(),
                    s.id.clone(),
                    o.days.to_string(),
                    s.tts.map(|t| t.to_string()).unwrap_or_default(),
                    stable(s.min_output),
                    stable(s.lost_production),
                    s.impact.map(stable).unwrap_or_default(),
                    stable(s.delta_cost),
                    stable(d.lost_production),
                ]);
            }
        }
        let mut refs = Table::new("", &["id", "title", "year", "url", "file", "cited_by"]);
        let model = self.g.model();
        for (id, r) in &model.references {
            let cited = self.citations.get(id).map(Vec::as_slice).unwrap_or(&[]);
            refs.row(vec![
                id.to_string(),
                r.title.clone(),
                r.year.map(|y| y.to_string()).unwrap_or_default(),
                r.url.clone().unwrap_or_default(),
                r.file.clone().unwrap_or_default(),
                cited
                    .iter()
                    .map(Citation::text)
                    .collect::<Vec<_>>()
                    .join("; "),
            ]);
        }
        vec![
            ("items.csv".into(), items.to_csv()),
            ("national.csv".into(), national.to_csv()),
            ("cut_sets.csv".into(), cuts.to_csv()),
            ("scenarios.csv".into(), outcomes.to_csv()),
            ("timeline.csv".into(), self.timeline_csv()),
            ("references.csv".into(), refs.to_csv()),
        ]
    }

    /// Daily output of every system under every scenario: `day`, then one column
    /// per `scenario:system` (empty beyond a scenario's horizon).
    fn timeline_csv(&self) -> String {
        let mut headers = vec!["day".to_string()];
        let mut series: Vec<&[f64]> = Vec::new();
        for o in &self.outcomes {
            for s in &o.systems {
                headers.push(format!("{}:{}", o.id, s.id));
                series.push(&s.output);
            }
        }
        let days = series.iter().map(|s| s.len()).max().unwrap_or(0);
        let mut t = Table {
            title: String::new(),
            headers,
            rows: Vec::with_capacity(days),
        };
        for d in 0..days {
            let mut row = vec![d.to_string()];
            row.extend(series.iter().map(|s| {
                s.get(d)
                    .map(|v| scenario::stable_number(*v).to_string())
                    .unwrap_or_default()
            }));
            t.row(row);
        }
        t.to_csv()
    }
}

/// The analysis options of a report: every list complete (`--top 0`).
pub fn analyze_options(opts: &ReportOptions) -> AnalyzeOptions {
    AnalyzeOptions {
        case: opts.case,
        lang: opts.lang,
        by: opts.by,
        order: opts.order,
        top: 0,
        ..AnalyzeOptions::default()
    }
}

/// Every citation of every reference, in model order (items, suppliers,
/// scenarios, figures), without duplicates.
pub fn citations(model: &Model) -> IndexMap<ReferenceId, Vec<Citation>> {
    let mut map: IndexMap<ReferenceId, Vec<Citation>> = model
        .references
        .keys()
        .map(|k| (k.clone(), Vec::new()))
        .collect();
    let mut add = |refs: &[ReferenceId], kind: &'static str, id: &str, field: Option<String>| {
        for r in refs {
            let c = Citation {
                kind,
                id: id.to_string(),
                field: field.clone(),
            };
            let list = map.entry(r.clone()).or_default();
            if !list.contains(&c) {
                list.push(c);
            }
        }
    };
    let est = |e: Option<&Estimate>| e.map(|e| e.cite.clone()).unwrap_or_default();
    for item in model.items.values() {
        let id = item.id.as_str();
        add(&item.cite, "item", id, None);
        for (field, e) in [
            ("market_value", &item.market_value),
            ("import_share", &item.import_share),
            ("stock_days", &item.stock_days),
            ("recovery_days", &item.recovery_days),
        ] {
            add(&est(e.as_deref()), "item", id, Some(field.to_string()));
        }
        for r in &item.requires {
            let target = r
                .target
                .members()
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join("|");
            add(&r.cite, "item", id, Some(format!("requires {target}")));
            add(
                &est(r.cost_share.as_deref()),
                "item",
                id,
                Some(format!("requires {target}: cost_share")),
            );
        }
        for s in &item.supply {
            add(
                &s.cite,
                "item",
                id,
                Some(format!("supply {}", s.supplier_id().unwrap_or("unnamed"))),
            );
            add(
                &s.share.cite,
                "item",
                id,
                Some(format!(
                    "supply {}: share",
                    s.supplier_id().unwrap_or("unnamed")
                )),
            );
        }
    }
    for s in model.suppliers.values() {
        add(&s.cite, "supplier", s.id.as_str(), None);
    }
    for s in model.scenarios.values() {
        add(&s.cite, "scenario", s.id.as_str(), None);
    }
    for f in &model.figures {
        add(&f.cite, "figure", &f.id, None);
        add(&f.value.cite, "figure", &f.id, Some("value".into()));
    }
    map
}
