//! `chokepoint check`: validate a graph and summarise it.

use super::{emit_as, load_graph_with, CliError, GraphOpts, WarningDetail};
use chokepoint::model::{ItemKind, Model};
use chokepoint::output::{Format, Table};
use indexmap::IndexMap;
use serde::Serialize;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub graph: GraphOpts,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the summary to this file instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// What `check` reports about a valid graph.
#[derive(Serialize, Debug, PartialEq)]
pub struct Summary {
    pub title: String,
    pub home: String,
    pub files: usize,
    pub items: usize,
    pub items_by_kind: IndexMap<&'static str, usize>,
    pub suppliers: usize,
    /// Countries declared or used by a supplier, a supply site, a scenario or `home`.
    pub countries: usize,
    pub references: usize,
    pub scenarios: usize,
    pub figures: usize,
    pub warnings: usize,
    pub warnings_by_code: IndexMap<String, usize>,
}

pub fn summarize(model: &Model, warnings: &[chokepoint::load::Diagnostic]) -> Summary {
    let mut items_by_kind = IndexMap::new();
    for k in ItemKind::ALL {
        items_by_kind.insert(
            k.as_str(),
            model.items.values().filter(|i| i.kind == k).count(),
        );
    }
    let warnings_by_code: IndexMap<String, usize> = chokepoint::load::count_by_code(warnings)
        .into_iter()
        .map(|(code, n)| (code.to_string(), n))
        .collect();
    Summary {
        title: model.meta.title.clone(),
        home: model.meta.home.to_string(),
        files: model.files.len(),
        items: model.items.len(),
        items_by_kind,
        suppliers: model.suppliers.len(),
        countries: model.countries_in_use().len(),
        references: model.references.len(),
        scenarios: model.scenarios.len(),
        figures: model.figures.len(),
        warnings: warnings.len(),
        warnings_by_code,
    }
}

pub fn run(args: CheckArgs) -> Result<(), CliError> {
    let loaded = load_graph_with(&args.graph, WarningDetail::Located)?;
    let s = summarize(&loaded.model, &loaded.warnings);
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&s).expect("summary serializes") + "\n",
        f => {
            let mut t = Table::new(
                format!(
                    "{} — valid (home {})",
                    if s.title.is_empty() {
                        "graph"
                    } else {
                        &s.title
                    },
                    s.home
                ),
                &["what", "count"],
            );
            t.row(vec!["files".into(), s.files.to_string()]);
            t.row(vec!["items".into(), s.items.to_string()]);
            for (k, n) in &s.items_by_kind {
                t.row(vec![format!("  {k}"), n.to_string()]);
            }
            for (what, n) in [
                ("suppliers", s.suppliers),
                ("countries", s.countries),
                ("references", s.references),
                ("scenarios", s.scenarios),
                ("figures", s.figures),
                ("warnings", s.warnings),
            ] {
                t.row(vec![what.into(), n.to_string()]);
            }
            for (code, n) in &s.warnings_by_code {
                t.row(vec![format!("  {code}"), n.to_string()]);
            }
            t.render(f)
        }
    };
    emit_as(args.out.as_deref(), &text, args.format)
}
