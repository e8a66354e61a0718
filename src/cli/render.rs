//! `chokepoint render`: draw a view of the graph as DOT, SVG or PNG (spec §5).

use super::{load_graph, AssumptionArgs, CaseLang, CliError, GraphOpts};
use chokepoint::load::{Code, Diagnostic};
use chokepoint::render::{
    self, AnnotateOptions, Backend, ClusterBy, EventBy, ImageFormat, RankDir, RenderError,
    RenderOptions, View,
};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub struct RenderArgs {
    #[command(flatten)]
    pub graph: GraphOpts,
    #[command(flatten)]
    pub case_lang: CaseLang,
    #[command(flatten)]
    pub assumptions: AssumptionArgs,
    /// Which diagram: the BOM of one system, the supply view, or the choke-point map.
    #[arg(long, value_enum, default_value_t = View::Bom)]
    pub view: View,
    /// System (or any item) whose BOM to draw; restricts the supply and choke-point views.
    /// May be omitted for the BOM view when the graph has exactly one system.
    #[arg(long, value_name = "ID")]
    pub system: Option<String>,
    /// Requirement levels below the system to draw (BOM and supply views); default: all.
    #[arg(long, value_name = "N")]
    pub depth: Option<usize>,
    /// Supply view: fold suppliers into their countries.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub collapse: Option<Collapse>,
    /// Largest minimal-cut-set order to compute (choke-point marks and map).
    #[arg(long, default_value_t = 2, value_name = "K")]
    pub order: usize,
    /// Basic events of the cut sets.
    #[arg(long, value_enum, default_value_t = EventBy::Supplier)]
    pub by: EventBy,
    /// Overlay a scenario: failed events and short items marked, TTS on the system.
    #[arg(long, value_name = "ID")]
    pub scenario: Option<String>,
    /// Group nodes into boxes.
    #[arg(long, value_enum, default_value_t = ClusterBy::Auto)]
    pub cluster: ClusterBy,
    /// Direction of ranks.
    #[arg(long, value_enum, default_value_t = RankDir::Lr)]
    pub rankdir: RankDir,
    /// Leave out the legend.
    #[arg(long)]
    pub no_legend: bool,
    /// Output format; default: from the --out extension (.svg, .png), else dot.
    #[arg(long, value_enum)]
    pub format: Option<DiagramFormat>,
    /// Write to this file (atomically) instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Time limit for Graphviz, in seconds.
    #[arg(long, default_value_t = 60, value_name = "SECS")]
    pub timeout: u64,
    /// Largest diagram, in nodes, laid out as SVG or PNG (DOT is never limited).
    #[arg(long, default_value_t = render::DEFAULT_MAX_NODES, value_name = "N")]
    pub max_nodes: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Collapse {
    /// Draw items → countries, summing the shares of each country's suppliers.
    Suppliers,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DiagramFormat {
    Dot,
    Svg,
    Png,
}

impl DiagramFormat {
    fn from_path(path: &std::path::Path) -> Option<DiagramFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "svg" => Some(DiagramFormat::Svg),
            "png" => Some(DiagramFormat::Png),
            "dot" | "gv" => Some(DiagramFormat::Dot),
            _ => None,
        }
    }
}

fn render_error(e: RenderError) -> CliError {
    let code = match e {
        RenderError::Dot(_) | RenderError::Layout(_) => Code::Output,
        _ => Code::Usage,
    };
    let d = Diagnostic::plain(code, e.to_string());
    CliError::Problem(Box::new(match e.hint() {
        Some(hint) => d.hint(hint),
        None => d,
    }))
}

pub fn run(args: RenderArgs) -> Result<(), CliError> {
    let loaded = load_graph(&args.graph)?;
    let g = super::build_graph(&loaded.model, args.assumptions.into());
    let system = match &args.system {
        Some(id) => Some(
            g.item_ix(id)
                .ok_or_else(|| super::usage(format!("--system {id}: no such item")))?,
        ),
        None if args.view == View::Bom => match g.systems() {
            [only] => Some(*only),
            systems => {
                let ids: Vec<&str> = systems.iter().map(|&s| g.item(s).id.as_str()).collect();
                return Err(super::usage_hint(
                    "the BOM view needs --system ID",
                    format!(
                        "systems: {}",
                        if ids.is_empty() {
                            "none".into()
                        } else {
                            ids.join(", ")
                        }
                    ),
                ));
            }
        },
        None => None,
    };
    if !(1..=chokepoint::analysis::MAX_ORDER).contains(&args.order) {
        return Err(super::usage(format!(
            "--order must be 1–{}",
            chokepoint::analysis::MAX_ORDER
        )));
    }
    let marks = render::annotate(
        &g,
        &AnnotateOptions {
            case: args.case_lang.case.into(),
            by: args.by,
            order: args.order,
            root: system,
            scenario: args.scenario.clone(),
        },
    )
    .map_err(render_error)?;
    let opts = RenderOptions {
        view: args.view,
        system,
        depth: args.depth,
        collapse_suppliers: args.collapse == Some(Collapse::Suppliers),
        cluster: args.cluster,
        lang: args.case_lang.lang.into(),
        rankdir: args.rankdir,
        legend: !args.no_legend,
        order: args.order,
        by: args.by,
    };
    let (dot, nodes) = render::to_dot_counted(&g, &opts, &marks).map_err(render_error)?;
    let format = args
        .format
        .or_else(|| args.out.as_deref().and_then(DiagramFormat::from_path))
        .unwrap_or(DiagramFormat::Dot);
    let bytes = match format {
        DiagramFormat::Dot => dot.into_bytes(),
        DiagramFormat::Svg | DiagramFormat::Png => {
            if nodes > args.max_nodes {
                return Err(render_error(RenderError::TooLarge {
                    nodes,
                    limit: args.max_nodes,
                }));
            }
            if format == DiagramFormat::Png && args.out.is_none() && std::io::stdout().is_terminal()
            {
                return Err(super::usage_hint(
                    "PNG is binary: it is not written to standard output",
                    "write it to a file with --out FILE",
                ));
            }
            let image = if format == DiagramFormat::Png {
                ImageFormat::Png
            } else {
                ImageFormat::Svg
            };
            let r = render::render(&dot, image, Duration::from_secs(args.timeout.max(1)))
                .map_err(render_error)?;
            if r.backend == Backend::Builtin {
                eprintln!("{}", render::FALLBACK_NOTE);
            }
            if !r.warnings.is_empty() && !args.graph.warnings.quiet {
                for line in r.warnings.lines() {
                    eprintln!("dot: {}", chokepoint::output::printable(line));
                }
            }
            r.bytes
        }
    };
    match super::out_path(args.out.as_deref()) {
        Some(path) => chokepoint::output::write_atomic(path, &bytes)
            .map_err(|e| super::output_error(format!("cannot write {}: {e}", path.display()))),
        // DOT and SVG are text: on a terminal they pass through the sanitiser
        // like every other text (PNG never reaches a terminal, see above).
        None if std::io::stdout().is_terminal() => super::write_stdout(
            chokepoint::output::printable(&String::from_utf8_lossy(&bytes)).as_bytes(),
        ),
        None => super::write_stdout(&bytes),
    }
}
