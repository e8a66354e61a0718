//! Reports: one self-contained HTML page and a Markdown report with its
//! diagrams, plus the underlying data as JSON and CSV (`chokepoint report`).
//!
//! Owns: assembling the report from `analysis`, `scenario` and `render`
//! ([`build`]), its charts (hand-written SVG), the one HTML/XML escaping
//! function of the report ([`escape::esc`]), and writing the finished files
//! ([`Report::write_to`]).
//! Never: computes a metric of spec §3 itself (every number comes from
//! `analysis::analyze` or `scenario::simulate`), makes a network request or
//! references an external resource from index.html, or writes anything before
//! the whole report has been built (a failure leaves the output directory as it
//! was).
//!
//! Decisions the spec leaves open are written down in docs/report.md.

mod charts;
mod content;
mod data;
mod diagrams;
mod doc;
pub mod escape;
mod html;
mod labels;
mod markdown;
mod sections;

pub use data::{citations, Citation};

use crate::analysis::{EventKind, MAX_ORDER};
use crate::graph::SupplyGraph;
use crate::model::{Case, Lang};
use crate::render::{Backend, RenderError};
use crate::scenario::ScenarioSpec;
use std::path::{Path, PathBuf};

/// What to put in a report.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportOptions {
    pub case: Case,
    pub lang: Lang,
    /// Basic events of the cut sets.
    pub by: EventKind,
    /// Highest cut-set order, 1..=[`MAX_ORDER`].
    pub order: usize,
    /// Declared scenario ids to run; `None` = every scenario declared in the graph.
    pub scenarios: Option<Vec<String>>,
    /// Extra sections at the end (a mitigation plan, a diff against an older
    /// graph), computed by the caller.
    pub appendices: Vec<Appendix>,
    /// The uncertainty view (`report --samples N`), sampled by the caller.
    pub uncertainty: Option<crate::uncertainty::Uncertainty>,
}

/// An extra section of the report: a heading, paragraphs and tables. The
/// mitigation planner and the diff build these (`report --mitigate K`,
/// `report --diff OLD`); the report only lays them out.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Appendix {
    /// HTML anchor of the section.
    pub anchor: String,
    pub title: String,
    pub paragraphs: Vec<String>,
    pub tables: Vec<crate::output::Table>,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            case: Case::Mid,
            lang: Lang::En,
            by: EventKind::Supplier,
            order: 2,
            scenarios: None,
            appendices: Vec::new(),
            uncertainty: None,
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ReportError {
    #[error("unknown scenario `{id}` (declared: {known})")]
    UnknownScenario { id: String, known: String },
    #[error("--order {0}: must be between 1 and {MAX_ORDER}")]
    Order(usize),
    #[error("the graph declares no system (kind: system) to report on")]
    NoSystems,
    #[error("diagram: {0}")]
    Render(#[from] RenderError),
    #[error("{0}")]
    CutSets(#[from] crate::analysis::CutSetLimit),
}

/// A finished report: every file, relative to the output directory.
#[derive(Clone, Debug)]
pub struct Report {
    pub files: Vec<(PathBuf, Vec<u8>)>,
    /// The layout engine of the diagrams (Builtin when Graphviz is missing).
    pub backend: Backend,
    pub systems: usize,
    pub scenarios: usize,
    pub items: usize,
    pub references: usize,
}

impl Report {
    /// Writes every file under `dir` (created if needed) as a set
    /// ([`crate::output::write_files`]): every target is checked first, and an
    /// error leaves the old files as they were.
    pub fn write_to(&self, dir: &Path) -> Result<(), crate::output::WriteError> {
        crate::output::write_files(dir, &self.files)
    }

    /// Number of files whose path starts with `prefix` and ends with `suffix`.
    pub fn count(&self, prefix: &str, suffix: &str) -> usize {
        self.files
            .iter()
            .filter(|(p, _)| {
                let s = p.to_string_lossy();
                s.starts_with(prefix) && s.ends_with(suffix)
            })
            .count()
    }

    /// The content of one file, by relative path.
    pub fn file(&self, rel: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(p, _)| p == Path::new(rel))
            .map(|(_, b)| b.as_slice())
    }
}

/// Resolves the scenarios to run: the named ones (in the order given, without
/// repeats) or every declared scenario.
pub fn scenario_specs(
    g: &SupplyGraph,
    wanted: Option<&[String]>,
) -> Result<Vec<ScenarioSpec>, ReportError> {
    let model = g.model();
    match wanted {
        None => Ok(model
            .scenarios
            .values()
            .map(|s| ScenarioSpec::from_declared(g, s))
            .collect()),
        Some(ids) => {
            let mut out: Vec<ScenarioSpec> = Vec::new();
            for id in ids {
                let s = model.scenarios.get(id.as_str()).ok_or_else(|| {
                    let known: Vec<&str> = model.scenarios.keys().map(|k| k.as_str()).collect();
                    ReportError::UnknownScenario {
                        id: id.clone(),
                        known: if known.is_empty() {
                            "none".into()
                        } else {
                            known.join(", ")
                        },
                    }
                })?;
                if !out.iter().any(|o| o.id == s.id.as_str()) {
                    out.push(ScenarioSpec::from_declared(g, s));
                }
            }
            Ok(out)
        }
    }
}

/// Builds the whole report in memory: analysis, scenarios, diagrams, charts,
/// index.html, report.md, JSON and CSV.
pub fn build(g: &SupplyGraph, opts: &ReportOptions) -> Result<Report, ReportError> {
    if !(1..=MAX_ORDER).contains(&opts.order) {
        return Err(ReportError::Order(opts.order));
    }
    if g.systems().is_empty() {
        return Err(ReportError::NoSystems);
    }
    let specs = scenario_specs(g, opts.scenarios.as_deref())?;
    let data = data::ReportData::compute(g, opts, &specs)?;
    let diagrams = diagrams::render_all(g, opts)?;
    let backend = if diagrams.iter().any(|d| d.backend == Backend::Builtin) {
        Backend::Builtin
    } else {
        Backend::Graphviz
    };
    let l = labels::of(opts.lang);
    let built = content::build(&data, &diagrams, opts, l);

    let csv = data.csv_files();
    let mut data_files = vec!["analysis.json".to_string(), "scenarios.json".to_string()];
    data_files.extend(csv.iter().map(|(name, _)| name.clone()));
    if opts.uncertainty.is_some() {
        data_files.push("uncertainty.json".into());
        data_files.push("uncertainty.csv".into());
    }

    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    files.push((
        "index.html".into(),
        html::write(&built, opts.lang, l, &data_files).into_bytes(),
    ));
    files.push((
        "report.md".into(),
        markdown::write(&built, l, &data_files).into_bytes(),
    ));
    for b in &built.blocks {
        if let doc::Block::Figure(f) = b {
            files.push((
                Path::new("diagrams").join(&f.file),
                f.svg.clone().into_bytes(),
            ));
        }
    }
    files.push(("analysis.json".into(), data.analysis_json().into_bytes()));
    files.push(("scenarios.json".into(), data.scenarios_json().into_bytes()));
    for (name, text) in csv {
        files.push((name.into(), text.into_bytes()));
    }
    if let Some(u) = &opts.uncertainty {
        files.push(("uncertainty.json".into(), u.to_json().into_bytes()));
        files.push(("uncertainty.csv".into(), u.to_csv().into_bytes()));
    }
    Ok(Report {
        files,
        backend,
        systems: data.analysis.systems.len(),
        scenarios: data.outcomes.len(),
        items: data.analysis.items.len(),
        references: g.model().references.len(),
    })
}
