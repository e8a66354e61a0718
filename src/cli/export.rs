//! `chokepoint export`: the graph (and its analysis) in other formats.
//!
//! Single-file formats (json, graphml, cyclonedx) go to `--out FILE` or stdout;
//! directory formats (csv, neo4j-csv) need `--out DIR`. Every file is written with
//! `output::write_atomic`.

use super::{emit, load_graph, CaseArg, CliError, GraphOpts};
use chokepoint::interop::{cyclonedx, export};
use std::path::PathBuf;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// The whole model plus its analysis, as one JSON document.
    Json,
    /// CSV tables (requirements, supply, items, suppliers, countries, meta, references) into --out DIR.
    Csv,
    /// GraphML with typed attributes (networkx, Gephi, yEd).
    Graphml,
    /// CycloneDX 1.6 JSON with chokepoint: properties.
    Cyclonedx,
    /// Neo4j admin-import CSV (node and relationship files) into --out DIR.
    #[value(name = "neo4j-csv")]
    Neo4jCsv,
    /// The failure logic as Open-PSA MEF XML (fault trees for SCRAM and other tools).
    #[value(name = "open-psa")]
    OpenPsa,
}

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    #[command(flatten)]
    pub graph: GraphOpts,
    /// Output format.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Output file (json, graphml, cyclonedx; default stdout) or directory (csv, neo4j-csv).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Which value of every estimate the JSON analysis uses.
    #[arg(long, value_enum, default_value_t = CaseArg::Mid)]
    pub case: CaseArg,
    /// open-psa: basic events are suppliers or countries.
    #[arg(long, value_enum, default_value_t = super::mitigate::ByArg::Supplier)]
    pub by: super::mitigate::ByArg,
    /// open-psa: only this system (default: every system).
    #[arg(long)]
    pub system: Option<String>,
    /// open-psa: the horizon in days of the basic events' probabilities
    /// (`disruption_probability` per year p becomes 1 − (1 − p)^(DAYS/365)).
    #[arg(long, value_name = "DAYS", default_value_t = 365.0)]
    pub horizon: f64,
    #[command(flatten)]
    pub assumptions: super::AssumptionArgs,
    /// json, graphml, neo4j-csv: leave the analysis out (the model alone).
    #[arg(long)]
    pub no_analysis: bool,
    /// graphml, neo4j-csv: largest cut-set order behind `single_point_of` and
    /// `cut_set_of`.
    #[arg(long, default_value_t = 2, value_name = "K")]
    pub order: usize,
    /// graphml, neo4j-csv: language of the `label` property.
    #[arg(long, value_enum, default_value_t = super::LangArg::En)]
    pub lang: super::LangArg,
}

pub fn run(args: ExportArgs) -> Result<(), CliError> {
    let directory_format = matches!(args.format, ExportFormat::Csv | ExportFormat::Neo4jCsv);
    if directory_format && args.out.is_none() {
        return Err(super::usage_hint(
            "--format csv and neo4j-csv write several files",
            "give --out DIR",
        ));
    }
    let loaded = load_graph(&args.graph)?;
    let model = &loaded.model;
    match args.format {
        ExportFormat::Json => {
            let analysis = (!args.no_analysis).then(|| {
                let graph = chokepoint::graph::SupplyGraph::new(model);
                let opts = chokepoint::analysis::AnalyzeOptions {
                    case: args.case.into(),
                    top: 0,
                    ..Default::default()
                };
                chokepoint::analysis::analyze(&graph, &opts)
            });
            let analysis = analysis.transpose()?;
            emit(args.out.as_deref(), &export::json(model, analysis.as_ref()))
        }
        ExportFormat::OpenPsa => {
            let g =
                chokepoint::graph::SupplyGraph::with_assumptions(model, args.assumptions.into());
            let systems = match &args.system {
                Some(id) => vec![super::analyze::resolve_system(&g, id)?],
                None => g.systems().to_vec(),
            };
            let by = match args.by {
                super::mitigate::ByArg::Supplier => chokepoint::analysis::EventKind::Supplier,
                super::mitigate::ByArg::Country => chokepoint::analysis::EventKind::Country,
                super::mitigate::ByArg::Parent => chokepoint::analysis::EventKind::Parent,
            };
            if !(args.horizon.is_finite() && args.horizon > 0.0 && args.horizon <= 36_500.0) {
                return Err(super::usage(format!(
                    "--horizon {}: must be a number of days above 0 and at most 36500 (100 years)",
                    args.horizon
                )));
            }
            let xml = chokepoint::analysis::open_psa_over(
                &g,
                by,
                args.case.into(),
                &systems,
                args.horizon,
            );
            emit(args.out.as_deref(), &xml)
        }
        ExportFormat::Graphml => {
            let analysis = export_analysis(model, &args)?;
            emit(
                args.out.as_deref(),
                &export::graphml(model, analysis.as_ref(), args.lang.into()),
            )
        }
        ExportFormat::Cyclonedx => emit(args.out.as_deref(), &cyclonedx::export(model)),
        ExportFormat::Csv | ExportFormat::Neo4jCsv => {
            let dir = args.out.as_deref().expect("checked above");
            let files = if args.format == ExportFormat::Csv {
                export::csv_tables(model)
            } else {
                let analysis = export_analysis(model, &args)?;
                export::neo4j(model, analysis.as_ref(), args.lang.into())
            };
            let files: Vec<_> = files
                .iter()
                .map(|(name, text)| (PathBuf::from(name), text.as_bytes()))
                .collect();
            chokepoint::output::write_files(dir, &files)
                .map_err(|e| super::output_error(format!("{e}; nothing was written")))?;
            eprintln!("wrote {} files into {}", files.len(), dir.display());
            Ok(())
        }
    }
}

/// The figures the graph exports carry, unless `--no-analysis`.
fn export_analysis(
    model: &chokepoint::model::Model,
    args: &ExportArgs,
) -> Result<Option<chokepoint::interop::overlay::ExportAnalysis>, CliError> {
    if args.no_analysis {
        return Ok(None);
    }
    if !(1..=chokepoint::analysis::MAX_ORDER).contains(&args.order) {
        return Err(super::usage(format!(
            "--order {}: give 1 to {}",
            args.order,
            chokepoint::analysis::MAX_ORDER
        )));
    }
    let g = super::build_graph(model, args.assumptions.into());
    Ok(Some(chokepoint::interop::overlay::ExportAnalysis::compute(
        &g,
        args.case.into(),
        args.order,
        args.lang.into(),
    )?))
}
