//! `chokepoint analyze`: import dependence, concentration, choke points (minimal
//! cut sets) and risk, per system and across systems (spec §3, §4).
//!
//! Thin: parses flags, calls [`chokepoint::analysis::analyze`], and hands the
//! result to [`chokepoint::analysis::render`].
//! Never computes a metric itself.

use super::{emit, load_graph, AssumptionArgs, CaseLang, CliError, GraphOpts};
use chokepoint::analysis::{
    self, AnalyzeOptions, Band, EventKind, Screen, ViaPaths, Weights, MAX_ORDER,
};
use chokepoint::graph::SupplyGraph;
use chokepoint::model::{Case, ItemKind, Lang};
use chokepoint::output::json::Document;
use chokepoint::output::text::Reading;
use chokepoint::output::Format;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct AnalyzeArgs {
    #[command(flatten)]
    pub graph: GraphOpts,
    #[command(flatten)]
    pub case_lang: CaseLang,
    #[command(flatten)]
    pub assumptions: AssumptionArgs,
    #[command(flatten)]
    pub sampling: super::SampleArgs,
    /// Analyse only this system (an item id of kind `system`).
    #[arg(long, value_name = "ID")]
    pub system: Option<String>,
    /// Basic events of the failure logic: suppliers or countries.
    #[arg(long, value_enum, default_value_t = ByArg::Supplier)]
    pub by: ByArg,
    /// Highest order of minimal cut sets to report (1–6).
    #[arg(long, default_value_t = 2, value_name = "K")]
    pub order: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Length of the top-risk and national lists (0 = all).
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub top: usize,
    /// Most cut sets listed per system, order 1 first (0 = all; default 20 in
    /// tables, all in JSON and CSV). The counts per order are always complete.
    #[arg(long, value_name = "N")]
    pub list_max: Option<usize>,
    /// Via paths per cut set: one shortest path, or every path (up to 4 beyond
    /// the first complete explanation).
    #[arg(long, value_enum, default_value_t = ViaArg::Shortest)]
    pub via: ViaArg,
    /// Exit with status 1 when an analysed item reaches this risk band.
    #[arg(long, value_enum, value_name = "BAND")]
    pub fail_on: Option<BandArg>,
    /// YAML file of risk-factor weights (keys import, country, supplier, recovery,
    /// buffer, controls; missing keys count 0; they must sum to 1).
    #[arg(long, value_name = "FILE")]
    pub weights: Option<PathBuf>,
    /// Also rank items by betweenness centrality (slow on very large graphs).
    #[arg(long)]
    pub centrality: bool,
    /// Foreign-dependence screen: HHI_country must exceed this.
    #[arg(long, default_value_t = 0.4, value_name = "X")]
    pub hhi_threshold: f64,
    /// Foreign-dependence screen: the direct import share must exceed this.
    #[arg(long, default_value_t = 0.5, value_name = "X")]
    pub import_threshold: f64,
    /// Also give each system's exact stop probability and each basic event's
    /// Birnbaum, Fussell–Vesely, RAW and RRW, from `disruption_probability`
    /// (docs/metrics.md §10). CSV then lists these instead of the items.
    /// Not with --samples (which replaces the single-case output).
    #[arg(long, conflicts_with = "samples")]
    pub importance: bool,
    /// Horizon of --importance in days (default 365): a yearly probability p
    /// becomes 1 − (1 − p)^(DAYS/365).
    #[arg(long, value_name = "DAYS", requires = "importance")]
    pub horizon: Option<f64>,
    /// Show items, events and via paths by id instead of by name in tables.
    #[arg(long)]
    pub ids: bool,
    /// Write the output to this file instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ByArg {
    Supplier,
    Country,
    /// Top parent companies (spec §3.10).
    Parent,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ViaArg {
    Shortest,
    All,
}

/// Cut sets listed per system in a table when `--list-max` is not given: a
/// screenful; JSON and CSV list them all.
pub const TABLE_LIST_MAX: usize = 20;

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum BandArg {
    Low,
    Medium,
    High,
}

impl From<BandArg> for Band {
    fn from(b: BandArg) -> Band {
        match b {
            BandArg::Low => Band::Low,
            BandArg::Medium => Band::Medium,
            BandArg::High => Band::High,
        }
    }
}

pub fn run(args: AnalyzeArgs) -> Result<(), CliError> {
    if args.order == 0 || args.order > MAX_ORDER {
        return Err(super::usage(format!(
            "--order {}: must be between 1 and {MAX_ORDER}",
            args.order
        )));
    }
    for (flag, v) in [
        ("--hhi-threshold", args.hhi_threshold),
        ("--import-threshold", args.import_threshold),
    ] {
        if !(0.0..=1.0).contains(&v) {
            return Err(super::usage(format!("{flag} {v}: must be between 0 and 1")));
        }
    }
    let horizon = args.horizon.unwrap_or(analysis::importance::YEAR_DAYS);
    if !(horizon.is_finite() && horizon > 0.0 && horizon <= 36_500.0) {
        return Err(super::usage(format!(
            "--horizon {horizon}: must be a number of days above 0 and at most 36500 (100 years)"
        )));
    }
    let weights = match &args.weights {
        None => Weights::default(),
        Some(path) => {
            let text = super::read_text_file(path, "weights file")?;
            Weights::from_yaml(&text, &path.display().to_string())
                .map_err(|d| super::input_problems("weights file", &[d]))?
        }
    };
    let loaded = load_graph(&args.graph)?;
    // Never freed, like the loaded model: the process exits instead (at a
    // million items, freeing the graph and the result takes a second).
    let g = std::mem::ManuallyDrop::new(super::build_graph(&loaded.model, args.assumptions.into()));
    let system = match &args.system {
        None => None,
        Some(id) => Some(resolve_system(&g, id)?),
    };
    let opts = AnalyzeOptions {
        case: Case::from(args.case_lang.case),
        // The result is language-neutral (its JSON is the same under every
        // --lang); the renderer picks the language.
        lang: Lang::En,
        by: match args.by {
            ByArg::Supplier => EventKind::Supplier,
            ByArg::Country => EventKind::Country,
            ByArg::Parent => EventKind::Parent,
        },
        order: args.order,
        system,
        top: args.top,
        weights,
        screen: Screen {
            hhi_country: args.hhi_threshold,
            import_share: args.import_threshold,
        },
        centrality: args.centrality,
        via: match args.via {
            ViaArg::Shortest => ViaPaths::Shortest,
            ViaArg::All => ViaPaths::All,
        },
        list_max: match (args.list_max, args.format) {
            (Some(0), _) | (None, Format::Json | Format::Csv) => None,
            (Some(n), _) => Some(n),
            (None, _) => Some(TABLE_LIST_MAX),
        },
    };
    let reading = Reading::new(Lang::from(args.case_lang.lang), args.ids);
    let sampling = super::SampleArgs {
        case: Some(opts.case),
        ..args.sampling
    };
    if let Some(so) = sampling.options(args.assumptions.into(), opts.by)? {
        let systems = system.map_or_else(|| g.systems().to_vec(), |s| vec![s]);
        let specs = chokepoint::uncertainty::declared_specs(&g);
        let u = chokepoint::uncertainty::sample(&loaded.model, &specs, &systems, &so);
        return super::emit_as(
            args.out.as_deref(),
            &u.render(&loaded.model, reading, args.format),
            args.format,
        );
    }
    let a = std::mem::ManuallyDrop::new(super::with_progress(
        "analysing systems",
        args.graph.warnings.quiet,
        |progress| analysis::analyze_with_progress(&g, &opts, progress),
    )?);
    let systems = match system {
        Some(s) => vec![s],
        None => g.systems().to_vec(),
    };
    let importance = args
        .importance
        .then(|| analysis::importance(&g, opts.by, opts.order, opts.case, &systems, horizon))
        .transpose()?;
    match (args.format, &importance) {
        // Streamed: at 1M items the document would double the peak memory.
        // The items, nearly all of the text, are serialized in parallel.
        (Format::Json, None) => super::emit_json(
            args.out.as_deref(),
            &Document::with_list(&*a, "items", &a.items),
        )?,
        (Format::Json, Some(imp)) => super::emit_json(
            args.out.as_deref(),
            &Document::with_list(
                &analysis::importance::WithImportance {
                    analysis: &a,
                    importance: imp,
                },
                "items",
                &a.items,
            ),
        )?,
        (Format::Csv, None) => emit(args.out.as_deref(), &a.items_table().to_csv())?,
        (Format::Csv, Some(imp)) => emit(
            args.out.as_deref(),
            &analysis::importance::render::table(imp).to_csv(),
        )?,
        (f, imp) => {
            let mut text = analysis::render::text(&g, &a, reading, f);
            if let Some(imp) = imp {
                let limit = (args.top > 0).then_some(args.top);
                text.push_str(&analysis::importance::render::text(
                    &g, imp, reading, f, limit,
                ));
            }
            super::emit_text(args.out.as_deref(), &text)?
        }
    }
    if let Some(band) = args.fail_on.map(Band::from) {
        let hits: Vec<String> = a
            .items
            .iter()
            .filter(|i| i.risk.band >= band)
            .map(|i| format!("{} ({:.1})", i.id, i.risk.score))
            .collect();
        if !hits.is_empty() {
            let shown: Vec<&str> = hits.iter().take(5).map(String::as_str).collect();
            let more = if hits.len() > 5 {
                format!(", … {} more", hits.len() - 5)
            } else {
                String::new()
            };
            return Err(CliError::Gate(format!(
                "fail-on {}: {} item(s) reach the {} band or above: {}{more}",
                band.as_str(),
                hits.len(),
                band.as_str(),
                shown.join(", ")
            )));
        }
    }
    Ok(())
}

/// Resolves `--system`, explaining what went wrong (unknown id, or not a system).
pub(crate) fn resolve_system(
    g: &SupplyGraph,
    id: &str,
) -> Result<chokepoint::graph::ItemIx, CliError> {
    let systems: Vec<&str> = g.systems().iter().map(|s| g.item(*s).id.as_str()).collect();
    let list = if systems.is_empty() {
        "none".to_string()
    } else {
        systems.join(", ")
    };
    match g.item_ix(id) {
        Some(ix) if g.item(ix).kind == ItemKind::System => Ok(ix),
        Some(ix) => Err(super::usage(format!(
            "--system {id}: `{id}` is a {}, not a system (systems: {list})",
            g.item(ix).kind.as_str()
        ))),
        None => {
            let close: Vec<&str> = systems
                .iter()
                .copied()
                .filter(|s| s.contains(id) || id.contains(s))
                .collect();
            let hint = if close.is_empty() {
                format!("systems: {list}")
            } else {
                format!("did you mean {}?", close.join(", "))
            };
            Err(super::usage_hint(
                format!("--system {id}: no such item"),
                hint,
            ))
        }
    }
}
