//! `chokepoint analyze`: import dependence, concentration, choke points (minimal
//! cut sets) and risk, per system and across systems (spec §3, §4).
//!
//! Thin: parses flags, calls [`chokepoint::analysis::analyze`], renders the result.
//! Never computes a metric itself.

use super::{emit, load_graph, AssumptionArgs, CaseLang, CliError, GraphOpts};
use chokepoint::analysis::{
    self, Analysis, AnalyzeOptions, Band, CutSetReport, EventKind, Screen, ViaPaths, Weights,
    MAX_ORDER,
};
use chokepoint::graph::SupplyGraph;
use chokepoint::model::{Case, ItemKind, Lang};
use chokepoint::output::text::{wrap, UNKNOWN};
use chokepoint::output::{pct, Format, Table};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct AnalyzeArgs {
    #[command(flatten)]
    pub graph: GraphOpts,
    #[command(flatten)]
    pub case_lang: CaseLang,
    #[command(flatten)]
    pub assumptions: AssumptionArgs,
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
    /// Write the output to this file instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ByArg {
    Supplier,
    Country,
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
        return Err(CliError::Usage(format!(
            "--order {}: must be between 1 and {MAX_ORDER}",
            args.order
        )));
    }
    for (flag, v) in [
        ("--hhi-threshold", args.hhi_threshold),
        ("--import-threshold", args.import_threshold),
    ] {
        if !(0.0..=1.0).contains(&v) {
            return Err(CliError::Usage(format!(
                "{flag} {v}: must be between 0 and 1"
            )));
        }
    }
    let weights = match &args.weights {
        None => Weights::default(),
        Some(path) => {
            let text = super::read_text_file(path, "weights file")?;
            Weights::from_yaml(&text, &path.display().to_string()).map_err(CliError::Usage)?
        }
    };
    let loaded = load_graph(&args.graph)?;
    let g = SupplyGraph::with_assumptions(&loaded.model, args.assumptions.into());
    let system = match &args.system {
        None => None,
        Some(id) => Some(resolve_system(&g, id)?),
    };
    let opts = AnalyzeOptions {
        case: Case::from(args.case_lang.case),
        lang: Lang::from(args.case_lang.lang),
        by: match args.by {
            ByArg::Supplier => EventKind::Supplier,
            ByArg::Country => EventKind::Country,
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
    let a = analysis::analyze(&g, &opts)?;
    match args.format {
        // Streamed: at 1M items the document would double the peak memory.
        Format::Json => super::emit_json(args.out.as_deref(), &a)?,
        Format::Csv => emit(args.out.as_deref(), &a.items_table().to_csv())?,
        f => super::emit_text(args.out.as_deref(), &render_text(&a, f))?,
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
pub(crate) fn resolve_system(g: &SupplyGraph, id: &str) -> Result<chokepoint::graph::ItemIx, CliError> {
    let systems: Vec<&str> = g.systems().iter().map(|s| g.item(*s).id.as_str()).collect();
    let list = if systems.is_empty() {
        "none".to_string()
    } else {
        systems.join(", ")
    };
    match g.item_ix(id) {
        Some(ix) if g.item(ix).kind == ItemKind::System => Ok(ix),
        Some(ix) => Err(CliError::Usage(format!(
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
            Err(CliError::Usage(format!(
                "--system {id}: no such item; {hint}"
            )))
        }
    }
}

fn events_text(a: &Analysis, c: &CutSetReport) -> String {
    let events = c
        .events
        .iter()
        .map(|id| match a.events.get(id) {
            Some(e) if e.domestic => format!("{} (home)", e.name),
            Some(e) => e.name.clone(),
            None => id.clone(),
        })
        .collect::<Vec<_>>()
        .join(" + ");
    if c.conditional {
        let assumed = c
            .assumes
            .iter()
            .map(|a| format!("the unattributed {} of {}", pct(a.unattributed), a.name))
            .collect::<Vec<_>>()
            .join(", ");
        format!("{events} (conditional: assumes {assumed} fails)")
    } else {
        events
    }
}

/// "minimal cut sets: 2 of order 1, 0 of order 2 (2 in all)".
fn counts_text(counts: &[usize]) -> String {
    let per: Vec<String> = counts
        .iter()
        .enumerate()
        .map(|(k, n)| format!("{n} of order {}", k + 1))
        .collect();
    format!(
        "minimal cut sets: {} ({} in all)",
        per.join(", "),
        counts.iter().sum::<usize>()
    )
}

fn more_text(n: usize) -> String {
    format!("… {n} more not listed (--list-max 0 lists all)")
}

fn via_text(c: &CutSetReport) -> String {
    c.via
        .iter()
        .map(|p| p.join(" → "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A rendered table; Markdown tables need a blank line after them.
fn table_text(t: &Table, format: Format) -> String {
    let mut s = t.render(format);
    if format == Format::Md {
        s.push('\n');
    }
    s
}

/// A money amount with its currency, e.g. 4.80e10 → "48.0 bn CNY".
fn money(v: Option<f64>, currency: &str) -> String {
    chokepoint::output::text::money(v, currency)
}

fn opt_pct(x: Option<f64>) -> String {
    x.map_or_else(|| "—".into(), pct)
}

/// The table / Markdown report: per system, then the national list.
fn render_text(a: &Analysis, format: Format) -> String {
    let md = format == Format::Md;
    let width = chokepoint::output::term::prose_width();
    let mut out = String::new();
    let title = if a.title.is_empty() {
        "graph"
    } else {
        &a.title
    };
    let heading = |level: &str, s: &str| {
        if md {
            format!("{level} {s}\n\n")
        } else {
            wrap(s, width, "")
        }
    };
    out.push_str(&heading(
        "#",
        &format!(
            "{title} — analysis (home {}, case {}, by {}, order ≤ {}, scope {}, unattributed {})",
            a.home,
            a.case.as_str(),
            a.by.as_str(),
            a.order,
            match a.scope {
                chokepoint::graph::Scope::Home => "home",
                chokepoint::graph::Scope::World => "world",
            },
            match a.unattributed {
                chokepoint::graph::Unattributed::Proportional => "proportional",
                chokepoint::graph::Unattributed::Survives => "survives",
            },
        ),
    ));
    if !md {
        out.push('\n');
    }
    for s in &a.systems {
        out.push_str(&heading("##", &format!("{} — {}", s.id, s.name)));
        let mut facts = Vec::new();
        match (s.embodied_import_share, s.coverage) {
            // No declared cost share: the 0 % would claim what is not known.
            (_, Some(c)) if c <= 0.0 => facts.push(format!(
                "embodied import share (EID) {UNKNOWN} (coverage 0 %)"
            )),
            (Some(e), _) => facts.push(format!(
                "embodied import share (EID) {} (low–high {}–{}), coverage {}",
                pct(e.value),
                pct(e.low),
                pct(e.high),
                opt_pct(s.coverage)
            )),
            (None, _) => facts.push(format!("embodied import share (EID) {UNKNOWN}")),
        }
        facts.push(match s.market_value {
            Some(v) => format!("market value {} per year", money(Some(v), &a.currency)),
            None => format!("market value {UNKNOWN}"),
        });
        for f in facts {
            out.push_str(&if md {
                format!("- {f}\n")
            } else {
                wrap(&f, width, "  ")
            });
        }
        if md {
            out.push('\n');
        }
        let counts = counts_text(&s.cut_set_counts);
        out.push_str(&if md {
            format!("{counts}\n\n")
        } else {
            wrap(&counts, width, "  ")
        });
        let mut spof = Table::new("Single points of failure", &["events", "via"]);
        for c in &s.single_points_of_failure {
            spof.row(vec![events_text(a, c), via_text(c)]);
        }
        let unlisted_spof = s.cut_set_counts[0] - s.single_points_of_failure.len();
        if unlisted_spof > 0 {
            spof.row(vec![more_text(unlisted_spof), String::new()]);
        }
        if spof.rows.is_empty() {
            spof.row(vec!["none".into(), String::new()]);
        }
        out.push_str(&table_text(&spof, format));
        if a.order >= 2 {
            let orders = if a.order == 2 {
                "2".to_string()
            } else {
                format!("2–{}", a.order)
            };
            let mut higher = Table::new(
                format!("Cut sets of order {orders}"),
                &["k", "events", "via"],
            );
            for c in &s.cut_sets {
                higher.row(vec![c.order.to_string(), events_text(a, c), via_text(c)]);
            }
            let unlisted = s.unlisted - unlisted_spof;
            if unlisted > 0 {
                higher.row(vec![String::new(), more_text(unlisted), String::new()]);
            }
            if higher.rows.is_empty() {
                higher.row(vec![String::new(), "none".into(), String::new()]);
            }
            out.push_str(&table_text(&higher, format));
        }
        let mut risk = Table::new("Top-risk items", &["item", "score", "band"]);
        for r in &s.top_risk {
            let mark = if r.incomplete { " *" } else { "" };
            risk.row(vec![
                format!("{} ({})", r.name, r.id),
                format!("{:.1}{mark}", r.score),
                r.band.as_str().into(),
            ]);
        }
        out.push_str(&table_text(&risk, format));
        if s.top_risk.iter().any(|r| r.incomplete) {
            out.push_str(if md {
                "\\* incomplete: some factor is missing and counted 0\n\n"
            } else {
                "  * incomplete: some factor is missing and counted 0\n"
            });
        }
        if !s.design_dependencies.is_empty() {
            let mut design = Table::new(
                "Design dependencies (needed to develop, never to make: not in the cut sets)",
                &["item", "import share", "risk"],
            );
            for d in &s.design_dependencies {
                design.row(vec![
                    format!("{} ({})", d.name, d.id),
                    opt_pct(d.direct_import_share),
                    format!("{:.1} {}", d.risk, d.band.as_str()),
                ]);
            }
            out.push_str(&table_text(&design, format));
        }
        if !s.never_fail.is_empty() {
            let line = format!(
                "never fail (no supply, no production requirements): {}",
                s.never_fail.join(", ")
            );
            out.push_str(&if md {
                format!("{line}\n\n")
            } else {
                wrap(&line, width, "  ")
            });
        }
        if !md {
            out.push('\n');
        }
    }
    let mut nat = Table::new(
        "National choke points (foreign cut sets of order ≤ 2, by systems stopped)",
        &["#", "events", "systems", "market value"],
    );
    for n in &a.national {
        let events = n
            .events
            .iter()
            .map(|id| a.events.get(id).map_or(id.as_str(), |e| e.name.as_str()))
            .collect::<Vec<_>>()
            .join(" + ");
        let events = if n.conditional {
            format!("{events} (conditional)")
        } else {
            events
        };
        nat.row(vec![
            n.rank.to_string(),
            events,
            format!("{} ({})", n.system_count, n.systems.join(", ")),
            money(n.market_value, &a.currency),
        ]);
    }
    if nat.rows.is_empty() {
        nat.row(vec![
            String::new(),
            "none".into(),
            String::new(),
            String::new(),
        ]);
    }
    out.push_str(&table_text(&nat, format));
    out
}
