//! Diagrams (spec §5): the BOM, supply and choke-point views, with risk,
//! choke-point and scenario marks, as Graphviz DOT and SVG/PNG.
//!
//! Owns: building DOT through graphviz-rust's AST ([`to_dot`]), the one escaping
//! function ([`escape::quoted`]), the visual vocabulary ([`style`]), running the
//! system `dot` and the pure-Rust fallback layout ([`to_svg`], [`render`]).
//! Never: computes a metric of spec §3 itself — risk bands, cut sets and
//! scenario results come in as [`Marks`], filled by [`annotate`] from
//! `analysis` and `scenario`; never writes files (the CLI does); never puts user
//! text anywhere but an escaped label, and never runs a shell.
//!
//! Determinism: the same graph, options and marks always give byte-identical
//! DOT (everything is visited in index or breadth-first order).

mod backend;
mod dot;
pub mod escape;
pub mod marks;
pub mod style;
mod views;

pub use backend::{builtin_svg, run_dot, DotOutput, DEFAULT_TIMEOUT, FALLBACK_NOTE};
pub use marks::{CutSetMark, EventBy, EventNode, ItemRisk, Marks, ScenarioMarks};
pub use style::RiskBand;

use crate::graph::{ItemIx, SupplyGraph};
use crate::model::{Case, Lang};
use crate::{analysis, scenario};
use std::time::Duration;

/// Which diagram to draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum View {
    /// The bill of materials of one system, to a depth.
    #[default]
    Bom,
    /// Items → suppliers → countries.
    Supply,
    /// All systems, and only the items and events on their minimal cut sets.
    Chokepoints,
}

/// How nodes are grouped into boxes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ClusterBy {
    /// By subsystem in the BOM view, none elsewhere.
    #[default]
    Auto,
    None,
    /// Each subsystem and the items it reaches first (BOM view).
    Subsystem,
    /// Suppliers grouped with their home country (supply view).
    Country,
    /// Suppliers grouped by their top parent company (supply view, spec §3.10).
    Parent,
}

/// Direction of ranks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum RankDir {
    /// Left to right.
    #[default]
    #[value(name = "LR")]
    Lr,
    /// Top to bottom.
    #[value(name = "TB")]
    Tb,
}

impl RankDir {
    pub fn as_str(self) -> &'static str {
        match self {
            RankDir::Lr => "LR",
            RankDir::Tb => "TB",
        }
    }
}

/// What to draw and how.
#[derive(Clone, Debug, PartialEq)]
pub struct RenderOptions {
    pub view: View,
    /// The system of the BOM view (required there); restricts the other views.
    pub system: Option<ItemIx>,
    /// Requirement levels below the system (BOM and supply views); `None` = all.
    pub depth: Option<usize>,
    /// Supply view: fold suppliers into their countries.
    pub collapse_suppliers: bool,
    pub cluster: ClusterBy,
    pub lang: Lang,
    pub rankdir: RankDir,
    pub legend: bool,
    /// Shown in the choke-point map's title (the cut sets come in [`Marks`]).
    pub order: usize,
    pub by: EventBy,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            view: View::Bom,
            system: None,
            depth: None,
            collapse_suppliers: false,
            cluster: ClusterBy::Auto,
            lang: Lang::En,
            rankdir: RankDir::Lr,
            legend: true,
            order: 2,
            by: EventBy::Country,
        }
    }
}

/// Which engine laid the diagram out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The system Graphviz `dot`.
    Graphviz,
    /// The built-in pure-Rust layout (layout-rs); SVG only.
    Builtin,
}

/// Image formats beyond DOT.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageFormat {
    Svg,
    Png,
}

/// A laid-out image.
#[derive(Clone, Debug)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub backend: Backend,
    /// What `dot` wrote to stderr although it succeeded (empty when clean).
    pub warnings: String,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum RenderError {
    #[error("the BOM view needs a system (--system ID)")]
    NeedSystem,
    #[error(
        "Graphviz `dot` is not installed, and PNG needs it (the built-in layout writes SVG only). \
Install Graphviz (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz), or use --format svg"
    )]
    DotMissing,
    #[error("Graphviz failed: {0}")]
    Dot(String),
    #[error("layout failed: {0}")]
    Layout(String),
    #[error("{0}")]
    Annotate(String),
    #[error(
        "the diagram has {nodes} nodes, above the layout limit of {limit}: Graphviz takes \
minutes on such diagrams, and the picture is unreadable"
    )]
    TooLarge { nodes: usize, limit: usize },
}

impl RenderError {
    /// How to get past this error, where there is more to say than the message.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            RenderError::NeedSystem => {
                Some("name one with --system ID (`chokepoint check` lists the systems)")
            }
            RenderError::TooLarge { .. } => Some(
                "draw less (--depth N, --system ID, --collapse suppliers), raise the limit with \
--max-nodes N, or write --format dot and lay it out with another tool",
            ),
            RenderError::Dot(_) | RenderError::Layout(_) => Some(
                "write --format dot to keep the diagram without a layout, or draw less \
(--depth N, --system ID)",
            ),
            _ => None,
        }
    }
}

/// Default largest number of nodes handed to a layout (SVG, PNG): a
/// 5,000-item chain takes Graphviz about a second, a 20,000-item one over 20 s.
pub const DEFAULT_MAX_NODES: usize = 5_000;

/// The DOT text of a view (byte-identical for identical inputs).
pub fn to_dot(g: &SupplyGraph, opts: &RenderOptions, marks: &Marks) -> Result<String, RenderError> {
    Ok(views::build(g, opts, marks)?.to_dot())
}

/// The DOT text of a view and its number of nodes (legend included), for a
/// caller that limits what it lays out ([`DEFAULT_MAX_NODES`]).
pub fn to_dot_counted(
    g: &SupplyGraph,
    opts: &RenderOptions,
    marks: &Marks,
) -> Result<(String, usize), RenderError> {
    let diagram = views::build(g, opts, marks)?;
    let nodes = diagram.nodes.len() + diagram.legend.len();
    Ok((diagram.to_dot(), nodes))
}

/// Lays DOT out as SVG: with the system `dot` (60 s limit) when installed,
/// otherwise with the built-in layout. `dot`'s warnings are dropped; use
/// [`render`] to see them. Stable API (the report reuses it).
pub fn to_svg(dot: &str) -> Result<(String, Backend), RenderError> {
    let r = render(dot, ImageFormat::Svg, DEFAULT_TIMEOUT)?;
    Ok((String::from_utf8_lossy(&r.bytes).into_owned(), r.backend))
}

/// Lays DOT out as SVG or PNG. PNG requires Graphviz ([`RenderError::DotMissing`]).
pub fn render(dot: &str, format: ImageFormat, timeout: Duration) -> Result<Rendered, RenderError> {
    let t = match format {
        ImageFormat::Svg => "svg",
        ImageFormat::Png => "png",
    };
    match run_dot(dot, t, timeout) {
        Ok(out) => Ok(Rendered {
            bytes: out.bytes,
            backend: Backend::Graphviz,
            warnings: out.stderr,
        }),
        Err(RenderError::DotMissing) if format == ImageFormat::Svg => Ok(Rendered {
            bytes: builtin_svg(dot)?.into_bytes(),
            backend: Backend::Builtin,
            warnings: String::new(),
        }),
        Err(e) => Err(e),
    }
}

/// What [`annotate`] computes.
#[derive(Clone, Debug, PartialEq)]
pub struct AnnotateOptions {
    pub case: Case,
    pub by: EventBy,
    /// Largest cut-set order (1..=[`analysis::MAX_ORDER`]).
    pub order: usize,
    /// Cut sets and the scenario are computed for this item only (`--system`);
    /// `None` = every system.
    pub root: Option<ItemIx>,
    /// Scenario id to overlay.
    pub scenario: Option<String>,
}

impl Default for AnnotateOptions {
    fn default() -> Self {
        AnnotateOptions {
            case: Case::Mid,
            by: EventBy::Supplier,
            order: 2,
            root: None,
            scenario: None,
        }
    }
}

/// Fills [`Marks`] for `g` from `analysis` and `scenario`: risk scores with
/// default weights (§3.8), the minimal cut sets of the root(s) and the single
/// points of failure they imply (§3.4), and the scenario overlay (§3.6).
pub fn annotate(g: &SupplyGraph, opts: &AnnotateOptions) -> Result<Marks, RenderError> {
    let mut marks = Marks::empty(g);
    for (i, r) in analysis::risk_scores(g, opts.case, &analysis::Weights::default())
        .into_iter()
        .enumerate()
    {
        let f = &r.factors;
        if f.import.is_none()
            && f.country.is_none()
            && f.supplier.is_none()
            && f.recovery.is_none()
            && f.controls == 0.0
        {
            // No sourcing data of its own (an assembly): drawn unscored rather
            // than as a misleading "low".
            continue;
        }
        let band = match r.band {
            analysis::Band::Low => RiskBand::Low,
            analysis::Band::Medium => RiskBand::Medium,
            analysis::Band::High => RiskBand::High,
        };
        marks.risk[i] = Some(ItemRisk {
            score: r.score,
            band,
            incomplete: r.incomplete,
        });
    }
    let roots: Vec<ItemIx> = match opts.root {
        Some(r) => vec![r],
        None => g.systems().to_vec(),
    };
    let kind = match opts.by {
        EventBy::Supplier => analysis::EventKind::Supplier,
        EventBy::Country => analysis::EventKind::Country,
    };
    // A diagram draws every explanation (up to the cap), not one shortest path.
    let logic = analysis::FailureLogic::for_roots(g, kind, opts.order, opts.case, &roots)
        .map_err(|e| RenderError::Annotate(e.to_string()))?
        .with_via(analysis::ViaPaths::All);
    for &root in &roots {
        for cs in logic.cut_sets(root) {
            marks.cut_sets.push(CutSetMark {
                system: root,
                events: cs
                    .events
                    .iter()
                    .map(|e| match *e {
                        analysis::BasicEvent::Supplier(s) => EventNode::Supplier(s),
                        analysis::BasicEvent::Country(c) => EventNode::Country(c),
                        analysis::BasicEvent::Unnamed(u) => EventNode::Unnamed(u),
                    })
                    .collect(),
                conditional: cs.is_conditional(),
                via: cs.via,
            });
        }
    }
    marks.mark_single_points();
    if let Some(id) = &opts.scenario {
        let model = g.model();
        let sc = model.scenarios.get(id.as_str()).ok_or_else(|| {
            let known: Vec<&str> = model.scenarios.keys().map(|k| k.as_str()).collect();
            RenderError::Annotate(format!(
                "unknown scenario `{id}` (known: {})",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ))
        })?;
        let spec = scenario::ScenarioSpec::from_declared(g, sc);
        let outcome = scenario::simulate_systems(g, &spec, opts.case, &roots);
        let mut s = ScenarioMarks {
            name: sc.name.clone(),
            name_zh: sc.name_zh.clone(),
            failed_items: vec![false; g.item_count()],
            failed_suppliers: vec![false; g.supplier_count()],
            failed_countries: vec![false; g.country_count()],
            first_short_day: g.items().map(|i| outcome.first_short_day(i)).collect(),
            tts: vec![None; g.item_count()],
        };
        for &i in &spec.failed_items {
            s.failed_items[i.index()] = true;
        }
        for &x in &spec.failed_suppliers {
            s.failed_suppliers[x.index()] = true;
        }
        for &c in &spec.failed_countries {
            s.failed_countries[c.index()] = true;
        }
        for so in &outcome.systems {
            s.tts[so.system.index()] = Some(so.tts);
        }
        marks.scenario = Some(s);
    }
    Ok(marks)
}
