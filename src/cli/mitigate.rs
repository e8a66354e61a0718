//! `chokepoint mitigate`: choose up to K actions that most reduce the total
//! impact PI over the chosen scenarios, then the number of order-1 choke points.
//!
//! Thin: reads the actions file (or generates candidates), calls
//! [`chokepoint::mitigate::plan`], renders. Never computes a metric itself and never
//! mutates the loaded graph.

use super::{emit_as, load_graph, AssumptionArgs, CaseLang, CliError, GraphOpts};
use chokepoint::analysis::{EventKind, Screen};
use chokepoint::mitigate::{self, PlanOptions, ScenarioChoice, DEFAULT_EXACT_LIMIT};
use chokepoint::model::Case;
use chokepoint::output::Format;
use chokepoint::scenario::SweepKind;
use std::path::PathBuf;

/// Horizon of sweeps without `--days`.
const DEFAULT_DAYS: u32 = 365;
/// Longest horizon accepted (as for `scenario`).
const MAX_DAYS: u32 = 36_500;

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  \
chokepoint mitigate graphs/ --budget 3\n  \
chokepoint mitigate graphs/ --budget 2 --actions actions.yaml --scenario us-embargo\n  \
chokepoint mitigate graphs/ --budget 3 --sweep country --format md\n\n\
Without --actions, candidates are generated for every foreign-dependent item: a domestic \
source with share 0.5 and a stock raise to 180 days. Without --scenario or --sweep, PI is \
summed over every scenario declared in the graph. See docs/mitigate.md for the actions file.")]
pub struct MitigateArgs {
    #[command(flatten)]
    pub graph: GraphOpts,
    #[command(flatten)]
    pub case_lang: CaseLang,
    #[command(flatten)]
    pub assumptions: AssumptionArgs,
    #[command(flatten)]
    pub sampling: super::SampleArgs,
    /// Most actions to choose (K ≥ 1).
    #[arg(long, value_name = "K")]
    pub budget: usize,
    /// YAML file of candidate actions (add_source, raise_stock, qualify_alternative, qualify_standby).
    #[arg(long, value_name = "FILE")]
    pub actions: Option<PathBuf>,
    /// Sum PI over this declared scenario (repeatable); default: every declared scenario.
    #[arg(long = "scenario", value_name = "ID", conflicts_with = "sweep")]
    pub scenarios: Vec<String>,
    /// Sum PI over every single-country (except home) or single-supplier loss instead.
    #[arg(long, value_enum, value_name = "KIND")]
    pub sweep: Option<SweepArg>,
    /// Horizon of each sweep loss in days (1–36500; default 365).
    #[arg(long, value_name = "D", requires = "sweep")]
    pub days: Option<u32>,
    /// Basic events of the order-1 choke-point count.
    #[arg(long, value_enum, default_value_t = ByArg::Country)]
    pub by: ByArg,
    /// Run exact search when the subsets of size ≤ K number at most this.
    #[arg(long, default_value_t = DEFAULT_EXACT_LIMIT, value_name = "N")]
    pub exact_limit: u64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the output to this file instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum SweepArg {
    Country,
    Supplier,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ByArg {
    Supplier,
    Country,
    /// Top parent companies (spec §3.10).
    Parent,
}

pub fn run(args: MitigateArgs) -> Result<(), CliError> {
    if args.budget == 0 {
        return Err(super::usage_hint(
            "--budget 0: no action to choose",
            "give --budget 1 or more (the number of actions to choose)",
        ));
    }
    if let Some(d) = args.days {
        if d == 0 || d > MAX_DAYS {
            return Err(super::usage(format!(
                "--days {d}: must be a whole number from 1 to {MAX_DAYS}"
            )));
        }
    }
    let loaded = load_graph(&args.graph)?;
    let model = &loaded.model;
    let case = Case::from(args.case_lang.case);
    let actions = match &args.actions {
        Some(path) => {
            let text = super::read_text_file(path, "actions file")?;
            mitigate::parse_actions(&text, &path.display().to_string(), model)
                .map_err(|errs| super::input_problems("actions file", &errs))?
        }
        None => mitigate::generate_actions(model, case, &Screen::default()),
    };
    if actions.is_empty() && !args.graph.warnings.quiet {
        eprintln!(
            "note: no candidate actions (no foreign-dependent item, or an empty actions file)"
        );
    }
    let opts = PlanOptions {
        budget: args.budget,
        case,
        assumptions: args.assumptions.into(),
        by: match args.by {
            ByArg::Supplier => EventKind::Supplier,
            ByArg::Country => EventKind::Country,
            ByArg::Parent => EventKind::Parent,
        },
        scenarios: match args.sweep {
            Some(kind) => ScenarioChoice::Sweep {
                kind: match kind {
                    SweepArg::Country => SweepKind::Country,
                    SweepArg::Supplier => SweepKind::Supplier,
                },
                days: args.days.unwrap_or(DEFAULT_DAYS),
            },
            None => ScenarioChoice::Declared(args.scenarios.clone()),
        },
        exact_limit: args.exact_limit,
    };
    let plan = super::with_progress("evaluating graphs", args.graph.warnings.quiet, |progress| {
        mitigate::plan_with_progress(model, &actions, &opts, progress)
    })
    .map_err(|e| super::usage(e.to_string()))?;
    let lang = chokepoint::model::Lang::from(args.case_lang.lang);
    if args.sampling.samples.is_some() && args.sweep.is_some() {
        return Err(super::usage_hint(
            "--samples with --sweep: sampling reruns the plan's declared scenarios",
            "use --scenario ID (or none for every declared scenario)",
        ));
    }
    let sampling = super::SampleArgs {
        case: Some(opts.case),
        ..args.sampling
    };
    if let Some(mut so) = sampling.options(opts.assumptions, opts.by)? {
        // The plan's scenarios, sampled before and after its actions.
        so.ranks = false;
        let chosen: Vec<&chokepoint::mitigate::Action> = plan
            .chosen()
            .actions
            .iter()
            .filter_map(|id| actions.iter().find(|a| &a.id == id))
            .collect();
        let after = chokepoint::mitigate::apply(model, &chosen).unwrap_or_else(|| model.clone());
        let scenarios = match &opts.scenarios {
            ScenarioChoice::Declared(ids) => ids.clone(),
            ScenarioChoice::Sweep { .. } => Vec::new(),
        };
        let pu = chokepoint::uncertainty::PlanUncertainty::new(
            model,
            &after,
            &scenarios,
            plan.chosen().actions.clone(),
            &so,
        );
        let reading = chokepoint::output::text::Reading::new(lang, false);
        return emit_as(
            args.out.as_deref(),
            &pu.render(model, reading, args.format),
            args.format,
        );
    }
    emit_as(
        args.out.as_deref(),
        &plan.render_in(args.format, lang),
        args.format,
    )
}
