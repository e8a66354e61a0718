//! `chokepoint report`: writes the self-contained HTML report, the Markdown
//! report with its SVG diagrams, and the data as JSON and CSV (spec §4, issue 7).
//!
//! Thin: parses flags, calls [`chokepoint::report::build`], writes the files only
//! after the whole report was built, and prints what it wrote.

use super::analyze::ByArg;
use super::{load_graph, AssumptionArgs, CaseLang, CliError, GraphOpts};
use chokepoint::analysis::EventKind;
use chokepoint::model::{Case, Lang};
use chokepoint::render::{Backend, RenderError, FALLBACK_NOTE};
use chokepoint::report::{self, ReportError, ReportOptions};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  \
chokepoint report\n  \
chokepoint report graphs/ --out report/ --lang zh\n  \
chokepoint report graphs/ --scenario us-embargo --scenario helium-qatar\n\n\
Writes OUT/index.html (one self-contained page: open it in a browser, works offline),\n\
OUT/report.md with its diagrams in OUT/diagrams/, and the data as OUT/*.json and OUT/*.csv.")]
pub struct ReportArgs {
    #[command(flatten)]
    pub graph: GraphOpts,
    #[command(flatten)]
    pub case_lang: CaseLang,
    #[command(flatten)]
    pub assumptions: AssumptionArgs,
    #[command(flatten)]
    pub sampling: super::SampleArgs,
    /// Output directory (created if needed; files of the same names are replaced).
    #[arg(long, default_value = "report", value_name = "DIR")]
    pub out: PathBuf,
    /// Run this declared scenario (repeatable); default: every scenario in the graph.
    #[arg(long = "scenario", value_name = "ID")]
    pub scenarios: Vec<String>,
    /// Basic events of the cut sets (choke points).
    #[arg(long, value_enum, default_value_t = ByArg::Supplier)]
    pub by: ByArg,
    /// Highest order of minimal cut sets to report (1–6).
    #[arg(long, default_value_t = 2, value_name = "K")]
    pub order: usize,
    /// Add a mitigation plan of up to K actions (generated for every
    /// foreign-dependent item; see `chokepoint mitigate`).
    #[arg(long, value_name = "K")]
    pub mitigate: Option<usize>,
    /// Add what changed since this older graph directory (see `chokepoint diff`).
    #[arg(long, value_name = "OLD")]
    pub diff: Option<PathBuf>,
}

/// The mitigation and diff sections asked for with `--mitigate` / `--diff`.
fn appendices(
    args: &ReportArgs,
    model: &chokepoint::model::Model,
    opts: &ReportOptions,
) -> Result<Vec<report::Appendix>, CliError> {
    let mut out = Vec::new();
    if let Some(budget) = args.mitigate {
        let actions = chokepoint::mitigate::generate_actions(
            model,
            opts.case,
            &chokepoint::analysis::Screen::default(),
        );
        let plan_opts = chokepoint::mitigate::PlanOptions {
            budget,
            case: opts.case,
            by: opts.by,
            scenarios: chokepoint::mitigate::ScenarioChoice::Declared(args.scenarios.clone()),
            assumptions: args.assumptions.into(),
            ..chokepoint::mitigate::PlanOptions::default()
        };
        let plan = chokepoint::mitigate::plan(model, &actions, &plan_opts)
            .map_err(|e| super::usage(e.to_string()))?;
        out.push(report::Appendix {
            anchor: "mitigation".into(),
            title: match opts.lang {
                Lang::En => format!("Mitigation plan (budget {budget})"),
                Lang::Zh => format!("缓解方案（预算 {budget} 项）"),
            },
            paragraphs: plan.summary().lines().map(String::from).collect(),
            tables: plan.tables(),
        });
    }
    if let Some(old_dir) = &args.diff {
        let old = chokepoint::load::load_dir(old_dir)?;
        let diff_opts = chokepoint::diff::DiffOptions {
            case: opts.case,
            by: opts.by,
            order: opts.order,
            assumptions: args.assumptions.into(),
            ..chokepoint::diff::DiffOptions::default()
        };
        let d = chokepoint::diff::diff(
            &old.model,
            model,
            &old_dir.display().to_string(),
            &args.graph.dir.display().to_string(),
            &diff_opts,
        )?;
        out.push(report::Appendix {
            anchor: "changes".into(),
            title: match opts.lang {
                Lang::En => format!("Changes since {}", old_dir.display()),
                Lang::Zh => format!("自 {} 以来的变化", old_dir.display()),
            },
            paragraphs: d.summary().lines().map(String::from).collect(),
            tables: d.tables(),
        });
    }
    Ok(out)
}

pub fn run(args: ReportArgs) -> Result<(), CliError> {
    if args.out.exists() && !args.out.is_dir() {
        return Err(super::usage(format!(
            "--out {}: exists and is not a directory",
            args.out.display()
        )));
    }
    let loaded = load_graph(&args.graph)?;
    let g = super::build_graph(&loaded.model, args.assumptions.into());
    let opts = ReportOptions {
        case: Case::from(args.case_lang.case),
        lang: Lang::from(args.case_lang.lang),
        by: match args.by {
            ByArg::Supplier => EventKind::Supplier,
            ByArg::Country => EventKind::Country,
            ByArg::Parent => EventKind::Parent,
        },
        order: args.order,
        scenarios: (!args.scenarios.is_empty()).then(|| args.scenarios.clone()),
        appendices: Vec::new(),
        uncertainty: None,
    };
    let mut opts = opts;
    if let Some(so) = args.sampling.options(args.assumptions.into(), opts.by)? {
        let specs = report::scenario_specs(&g, opts.scenarios.as_deref())
            .map_err(|e| super::usage(e.to_string()))?;
        opts.uncertainty = Some(chokepoint::uncertainty::sample(
            &loaded.model,
            &specs,
            g.systems(),
            &so,
        ));
    }
    opts.appendices = appendices(&args, &loaded.model, &opts)?;
    let built = report::build(&g, &opts).map_err(report_error)?;
    if built.backend == Backend::Builtin {
        eprintln!("{FALLBACK_NOTE}");
    }
    built
        .write_to(&args.out)
        .map_err(|e| super::output_error(format!("{e}; nothing was written")))?;
    let dir = args.out.display().to_string();
    let dir = dir.trim_end_matches('/');
    let summary = format!(
        "report: {} systems, {} scenarios, {} items, {} references (case {}, lang {}, diagrams by {})",
        built.systems,
        built.scenarios,
        built.items,
        built.references,
        opts.case.as_str(),
        match opts.lang {
            Lang::En => "en",
            Lang::Zh => "zh",
        },
        match built.backend {
            Backend::Graphviz => "Graphviz",
            Backend::Builtin => "the built-in layout",
        }
    );
    let summary = format!(
        "{summary}\nwrote {dir}/index.html (self-contained; open it in a browser)\n\
         wrote {dir}/report.md and {} SVG files in {dir}/diagrams/\n\
         wrote {dir}/analysis.json, {dir}/scenarios.json and {} CSV files\n",
        built.count("diagrams", ".svg"),
        built.count("", ".csv")
    );
    super::write_stdout(chokepoint::output::printable(&summary).as_bytes())?;
    Ok(())
}

/// A report that could not be built: a limit of the cut-set search (U003), a
/// diagram Graphviz could not lay out (U002, with the render's hint), or a
/// flag that does not fit the graph (U001).
fn report_error(e: ReportError) -> CliError {
    use chokepoint::load::{Code, Diagnostic};
    let (code, hint) = match &e {
        ReportError::CutSets(limit) => return limit.clone().into(),
        // The report has no DOT-only output: the fix is a working Graphviz.
        ReportError::Render(RenderError::Dot(_) | RenderError::Layout(_)) => (
            Code::Output,
            Some("check the Graphviz installation (`dot -V`), or name a working `dot` with CHOKEPOINT_DOT"),
        ),
        ReportError::Render(r) => (Code::Usage, r.hint()),
        _ => (Code::Usage, None),
    };
    let d = Diagnostic::plain(code, e.to_string());
    CliError::Problem(Box::new(match hint {
        Some(hint) => d.hint(hint),
        None => d,
    }))
}
