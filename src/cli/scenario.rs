//! `chokepoint scenario`: what-if runs (spec §3.6, §3.7, §3.9) — declared
//! scenarios by `--name`, ad-hoc failures and tariffs from flags, and
//! single-country or single-supplier sweeps ranked by REI.
//!
//! Thin: resolves flags to a [`ScenarioSpec`], calls [`crate::scenario`], renders.
//! Never computes a metric itself and never mutates the loaded graph.

use super::{emit_as, load_graph, AssumptionArgs, CaseLang, CliError, GraphOpts};
use crate::graph::{CountryIx, ItemIx, SupplyGraph};
use crate::model::{iso, Case, ItemKind, Lang};
use crate::output::text::{wrap_hanging, UNKNOWN};
use crate::output::{pct, Format, Table};
use crate::scenario::{self, ScenarioOutcome, ScenarioSpec, SweepKind, SweepRow, SystemOutcome};
use serde::Serialize;
use std::path::PathBuf;

/// Longest horizon accepted (the loader's limit for `duration_days`).
const MAX_DAYS: u32 = 36_500;
/// Horizon of ad-hoc scenarios and sweeps without `--days`.
const DEFAULT_DAYS: u32 = 365;
/// Short items shown per system in tables (JSON lists up to `scenario::MAX_SHORT_ITEMS`).
const SHORT_ITEMS_SHOWN: usize = 3;

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  \
chokepoint scenario graphs/ --name us-embargo\n  \
chokepoint scenario graphs/ --fail-country US --tariff US=1.25 --days 365\n  \
chokepoint scenario graphs/ --sweep country --format md\n  \
chokepoint scenario graphs/ --name us-embargo --timeline out/us-embargo.csv\n\n\
Without --name, ad-hoc flags or --sweep, every scenario declared in the graph runs.")]
pub struct ScenarioArgs {
    #[command(flatten)]
    pub graph: GraphOpts,
    #[command(flatten)]
    pub case_lang: CaseLang,
    #[command(flatten)]
    pub assumptions: AssumptionArgs,
    /// Run a scenario declared in the graph (repeatable: several run side by side).
    #[arg(long = "name", value_name = "ID")]
    pub names: Vec<String>,
    /// Ad hoc: fail every supply edge produced in this country (repeatable).
    #[arg(long = "fail-country", value_name = "CC")]
    pub fail_countries: Vec<String>,
    /// Ad hoc: fail this supplier (repeatable).
    #[arg(long = "fail-supplier", value_name = "ID")]
    pub fail_suppliers: Vec<String>,
    /// Ad hoc: fail this item outright (repeatable).
    #[arg(long = "fail-item", value_name = "ID")]
    pub fail_items: Vec<String>,
    /// Ad hoc: ad valorem tariff on imports from a country, e.g. US=1.25 (125 %) or
    /// US=125% (repeatable).
    #[arg(long = "tariff", value_name = "CC=RATE")]
    pub tariffs: Vec<String>,
    /// Horizon in days (1–36500). Default 365 for ad-hoc runs and sweeps; declared
    /// scenarios use their duration_days unless this is given.
    #[arg(long, value_name = "D")]
    pub days: Option<u32>,
    /// Fail every single supplying country (except home) or every single supplier in
    /// turn and rank the losses by impact, with REI = PI / max PI.
    #[arg(long, value_enum, value_name = "KIND",
          conflicts_with_all = ["names", "fail_countries", "fail_suppliers", "fail_items", "tariffs", "timeline"])]
    pub sweep: Option<SweepArg>,
    /// Report only this system (repeatable).
    #[arg(long = "system", value_name = "ID")]
    pub systems: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Also write the daily output of every reported system to this CSV file
    /// (columns: day, then one per system; `scenario:system` with several scenarios).
    #[arg(long, value_name = "FILE.csv")]
    pub timeline: Option<PathBuf>,
    /// Sweep rows shown (0 = all).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub top: usize,
    /// Write the output to this file instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum SweepArg {
    Country,
    Supplier,
}

pub fn run(args: ScenarioArgs) -> Result<(), CliError> {
    if let Some(d) = args.days {
        if d == 0 || d > MAX_DAYS {
            return Err(CliError::Usage(format!(
                "--days {d}: must be a whole number from 1 to {MAX_DAYS}"
            )));
        }
    }
    let tariff_args = args
        .tariffs
        .iter()
        .map(|t| parse_tariff(t))
        .collect::<Result<Vec<_>, _>>()?;
    let loaded = load_graph(&args.graph)?;
    let g = SupplyGraph::with_assumptions(&loaded.model, args.assumptions.into());
    let case = Case::from(args.case_lang.case);
    let lang = Lang::from(args.case_lang.lang);
    let systems: Vec<ItemIx> = if args.systems.is_empty() {
        g.systems().to_vec()
    } else {
        let mut v = Vec::new();
        for id in &args.systems {
            let ix = resolve_system(&g, id)?;
            if !v.contains(&ix) {
                v.push(ix);
            }
        }
        v
    };
    if systems.is_empty() {
        return Err(CliError::Usage(
            "the graph declares no system (kind: system) to run a scenario on".into(),
        ));
    }

    if let Some(kind) = args.sweep {
        let kind = match kind {
            SweepArg::Country => SweepKind::Country,
            SweepArg::Supplier => SweepKind::Supplier,
        };
        let days = args.days.unwrap_or(DEFAULT_DAYS);
        let mut rows = scenario::sweep_systems(&g, kind, days, case, &systems);
        if args.top > 0 {
            rows.truncate(args.top);
        }
        let text = render_sweep(&g, kind, days, case, lang, &systems, &rows, args.format);
        return emit_as(args.out.as_deref(), &text, args.format);
    }

    let mut specs: Vec<ScenarioSpec> = Vec::new();
    for name in &args.names {
        let declared = loaded.model.scenarios.get(name.as_str()).ok_or_else(|| {
            let ids: Vec<&str> = loaded.model.scenarios.keys().map(|k| k.as_str()).collect();
            CliError::Usage(format!(
                "--name {name}: no such scenario; {}",
                hint(name, &ids, "declared scenarios")
            ))
        })?;
        let mut spec = ScenarioSpec::from_declared(&g, declared);
        if let Some(d) = args.days {
            spec.days = d;
        }
        if !specs.iter().any(|s| s.id == spec.id) {
            specs.push(spec);
        }
    }
    let ad_hoc = !(args.fail_countries.is_empty()
        && args.fail_suppliers.is_empty()
        && args.fail_items.is_empty()
        && tariff_args.is_empty());
    if ad_hoc {
        specs.push(ad_hoc_spec(&g, &args, &tariff_args)?);
    }
    if specs.is_empty() {
        if loaded.model.scenarios.is_empty() {
            return Err(CliError::Usage(
                "the graph declares no scenarios; use --fail-country/--fail-supplier/--fail-item/--tariff, \
                 --name ID, or --sweep country|supplier"
                    .into(),
            ));
        }
        for s in loaded.model.scenarios.values() {
            let mut spec = ScenarioSpec::from_declared(&g, s);
            if let Some(d) = args.days {
                spec.days = d;
            }
            specs.push(spec);
        }
    }

    let outcomes: Vec<ScenarioOutcome> = specs
        .iter()
        .map(|s| scenario::simulate_systems(&g, s, case, &systems))
        .collect();
    let max_days = outcomes
        .iter()
        .map(|o| o.days)
        .max()
        .unwrap_or(DEFAULT_DAYS);
    let baseline =
        scenario::simulate_systems(&g, &ScenarioSpec::baseline(max_days), case, &systems);
    let reports: Vec<ScenarioReport> = outcomes
        .iter()
        .map(|o| ScenarioReport::new(o, &baseline))
        .collect();

    if let Some(path) = &args.timeline {
        let csv = timeline_csv(&outcomes);
        super::emit(Some(path), &csv)?;
    }
    let text = match args.format {
        Format::Json => scenario::ScenariosDocument::new(
            case,
            &g.model().meta.currency,
            &baseline,
            reports.iter().map(|r| r.outcome),
            reports.iter().map(|r| r.vs_baseline.as_slice()),
        )
        .to_json(),
        Format::Csv => csv_table(&reports, lang).to_csv(),
        f => render_text(&g, &reports, lang, f),
    };
    emit_as(args.out.as_deref(), &text, args.format)
}

/// A scenario's outcome with its per-system deltas against the baseline.
struct ScenarioReport<'a> {
    outcome: &'a ScenarioOutcome,
    vs_baseline: Vec<scenario::SystemDelta>,
}

impl<'a> ScenarioReport<'a> {
    fn new(outcome: &'a ScenarioOutcome, baseline: &ScenarioOutcome) -> Self {
        ScenarioReport {
            outcome,
            vs_baseline: scenario::vs_baseline(outcome, baseline),
        }
    }
}

/// Parses `CC=RATE` (`US=1.25` or `US=125%`).
fn parse_tariff(arg: &str) -> Result<(String, f64), CliError> {
    let bad = |why: &str| {
        CliError::Usage(format!(
            "--tariff {arg}: {why} (write e.g. US=1.25 for 125 %)"
        ))
    };
    let (cc, rate) = arg.split_once('=').ok_or_else(|| bad("expected CC=RATE"))?;
    let rate = rate.trim();
    let value = match rate.strip_suffix('%') {
        Some(p) => p.trim().parse::<f64>().map(|v| v / 100.0),
        None => rate.parse::<f64>(),
    }
    .map_err(|_| bad("the rate is not a number"))?;
    if !value.is_finite() || value < 0.0 {
        return Err(bad("the rate must be a finite number ≥ 0"));
    }
    Ok((cc.trim().to_ascii_uppercase(), value))
}

fn ad_hoc_spec(
    g: &SupplyGraph,
    args: &ScenarioArgs,
    tariffs: &[(String, f64)],
) -> Result<ScenarioSpec, CliError> {
    let mut spec = ScenarioSpec::baseline(args.days.unwrap_or(DEFAULT_DAYS));
    spec.id = "ad-hoc".into();
    for cc in &args.fail_countries {
        let c = resolve_country(g, "--fail-country", cc)?;
        if !spec.failed_countries.contains(&c) {
            spec.failed_countries.push(c);
        }
    }
    for id in &args.fail_suppliers {
        let s = g.supplier_ix(id).ok_or_else(|| {
            let ids: Vec<&str> = g.model().suppliers.keys().map(|k| k.as_str()).collect();
            CliError::Usage(format!(
                "--fail-supplier {id}: no such supplier; {}",
                hint(id, &ids, "suppliers")
            ))
        })?;
        if !spec.failed_suppliers.contains(&s) {
            spec.failed_suppliers.push(s);
        }
    }
    for id in &args.fail_items {
        let i = g.item_ix(id).ok_or_else(|| {
            let ids: Vec<&str> = g.model().items.keys().map(|k| k.as_str()).collect();
            CliError::Usage(format!(
                "--fail-item {id}: no such item; {}",
                hint(id, &ids, "items")
            ))
        })?;
        if !spec.failed_items.contains(&i) {
            spec.failed_items.push(i);
        }
    }
    for (cc, rate) in tariffs {
        let c = resolve_country(g, "--tariff", cc)?;
        // The last rate given for a country wins.
        spec.tariffs.retain(|(x, _)| *x != c);
        spec.tariffs.push((c, *rate));
    }
    // The title line lists what fails and the tariffs; the name only says where it came from.
    spec.name = "Ad hoc (from flags)".into();
    Ok(spec)
}

/// A country code the graph knows (declared, used by a supplier or site, home, or a scenario).
fn resolve_country(g: &SupplyGraph, flag: &str, code: &str) -> Result<CountryIx, CliError> {
    let upper = code.trim().to_ascii_uppercase();
    if let Some(c) = g.country_ix(&upper) {
        return Ok(c);
    }
    let known: Vec<String> = (0..g.country_count() as u32)
        .map(|c| g.country(CountryIx(c)).to_string())
        .collect();
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    if iso::is_assigned(&upper) {
        Err(CliError::Usage(format!(
            "{flag} {code}: {upper} does not occur in the graph (no supplier, site or scenario there), \
             so failing or taxing it changes nothing; countries in the graph: {}",
            known.join(", ")
        )))
    } else {
        Err(CliError::Usage(format!(
            "{flag} {code}: not an ISO 3166-1 alpha-2 code in the graph; {}",
            hint(&upper, &known, "countries in the graph")
        )))
    }
}

/// Resolves `--system`, explaining what went wrong (unknown id, or not a system).
fn resolve_system(g: &SupplyGraph, id: &str) -> Result<ItemIx, CliError> {
    let systems: Vec<&str> = g.systems().iter().map(|s| g.item(*s).id.as_str()).collect();
    match g.item_ix(id) {
        Some(ix) if g.item(ix).kind == ItemKind::System => Ok(ix),
        Some(ix) => Err(CliError::Usage(format!(
            "--system {id}: `{id}` is a {}, not a system (systems: {})",
            g.item(ix).kind.as_str(),
            systems.join(", ")
        ))),
        None => Err(CliError::Usage(format!(
            "--system {id}: no such item; {}",
            hint(id, &systems, "systems")
        ))),
    }
}

/// "did you mean `x`?" for a close id, else the list of what exists (at most 20 shown).
fn hint(word: &str, known: &[&str], what: &str) -> String {
    let lower = word.to_lowercase();
    let mut close: Vec<(usize, &str)> = known
        .iter()
        .map(|k| (crate::load::edit_distance(&lower, &k.to_lowercase()), *k))
        .filter(|(d, k)| *d <= 2 || (lower.len() >= 3 && k.to_lowercase().contains(&lower)))
        .collect();
    close.sort();
    if let Some((_, best)) = close.first() {
        return format!("did you mean `{best}`?");
    }
    if known.is_empty() {
        return format!("there are no {what}");
    }
    let shown: Vec<&str> = known.iter().take(20).copied().collect();
    let more = if known.len() > 20 {
        format!(", … {} more", known.len() - 20)
    } else {
        String::new()
    };
    format!("{what}: {}{more}", shown.join(", "))
}

/// Amounts in tables are short ("52.1 bn"); CSV and JSON carry full numbers.
fn money(x: f64) -> String {
    crate::output::amount(x)
}

fn tts_text(tts: Option<u32>) -> String {
    tts.map(|t| t.to_string())
        .unwrap_or_else(|| "survives".into())
}

fn system_name(g: &SupplyGraph, s: &SystemOutcome, lang: Lang) -> String {
    g.item(s.system).display_name(lang).to_string()
}

fn short_text(g: &SupplyGraph, s: &SystemOutcome, lang: Lang) -> String {
    if s.short_items.is_empty() {
        return "—".into();
    }
    s.short_items
        .iter()
        .take(SHORT_ITEMS_SHOWN)
        .map(|x| {
            format!(
                "{} — day {} ({})",
                g.item(x.item).display_name(lang),
                x.first_short_day,
                x.path_ids.join(" › ")
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn explanation(s: &SystemOutcome, lang: Lang) -> &str {
    match lang {
        Lang::Zh => &s.explanation_zh,
        Lang::En => &s.explanation,
    }
}

fn scenario_title(o: &ScenarioOutcome) -> String {
    let mut parts = Vec::new();
    if !o.failed.countries.is_empty() {
        parts.push(format!("countries {}", o.failed.countries.join(", ")));
    }
    if !o.failed.suppliers.is_empty() {
        parts.push(format!("suppliers {}", o.failed.suppliers.join(", ")));
    }
    if !o.failed.items.is_empty() {
        parts.push(format!("items {}", o.failed.items.join(", ")));
    }
    let fails = if parts.is_empty() {
        "nothing".to_string()
    } else {
        parts.join("; ")
    };
    let tariffs = if o.tariffs.is_empty() {
        "none".to_string()
    } else {
        o.tariffs
            .iter()
            .map(|(c, r)| format!("{c} {}", pct(*r)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "Scenario {} — {} ({} days, case {}; fails {fails}; tariffs {tariffs})",
        o.id,
        o.name,
        o.days,
        o.case.as_str()
    )
}

fn system_table(g: &SupplyGraph, o: &ScenarioOutcome, lang: Lang) -> Table {
    let days: Vec<String> = o.checkpoint_days.iter().map(|d| d.to_string()).collect();
    let mut t = Table {
        title: scenario_title(o),
        headers: vec![
            "system".into(),
            "TTS (day)".into(),
            format!("output % on day {}", days.join(" · ")),
            "LP (days)".into(),
            format!("PI ({})", o.currency),
            "Δcost".into(),
        ],
        rows: Vec::new(),
    };
    for s in &o.systems {
        let tts = match (s.tts, s.buildable_day0) {
            (Some(0), false) => "0 (not buildable)".to_string(),
            (t, _) => tts_text(t),
        };
        t.row(vec![
            system_name(g, s, lang),
            tts,
            s.checkpoints
                .iter()
                .map(|c| format!("{:.0}", c.output * 100.0))
                .collect::<Vec<_>>()
                .join(" · "),
            format!("{:.1}", s.lost_production),
            s.impact
                .map(money)
                .unwrap_or_else(|| format!("{UNKNOWN} (no market_value)")),
            pct(s.delta_cost),
        ]);
    }
    t
}

fn exposed_table(o: &ScenarioOutcome, g: &SupplyGraph, lang: Lang) -> Option<Table> {
    if o.exposed_sources.is_empty() {
        return None;
    }
    let mut t = Table::new(
        format!(
            "Exposed sources in {} (time to survive < recovery days)",
            o.id
        ),
        &[
            "item",
            "supplier",
            "country",
            "share",
            "TTS",
            "recovery days",
        ],
    );
    for e in &o.exposed_sources {
        t.row(vec![
            g.item(e.item_ix).display_name(lang).to_string(),
            e.supplier.clone().unwrap_or_else(|| "(unnamed)".into()),
            e.country.clone(),
            pct(e.share),
            e.tts.to_string(),
            e.recovery_days
                .map(|r| format!("{r}"))
                .unwrap_or_else(|| "none".into()),
        ]);
    }
    Some(t)
}

fn comparison_table(g: &SupplyGraph, reports: &[ScenarioReport], lang: Lang) -> Table {
    let currency = reports
        .first()
        .map(|r| r.outcome.currency.clone())
        .unwrap_or_default();
    let mut t = Table::new(
        "Against the baseline (nothing failed, no tariffs)",
        &[
            "scenario",
            "system",
            "TTS",
            "ΔLP (days)",
            &format!("ΔPI ({currency})"),
            "Δcost",
        ],
    );
    for r in reports {
        for (s, d) in r.outcome.systems.iter().zip(&r.vs_baseline) {
            t.row(vec![
                r.outcome.id.clone(),
                system_name(g, s, lang),
                tts_text(s.tts),
                format!("{:+.1}", d.lost_production),
                d.impact
                    .map(|x| format!("+{}", money(x)).replace("+-", "-"))
                    .unwrap_or_else(|| "—".into()),
                format!("+{}", pct(d.delta_cost)).replace("+-", "-"),
            ]);
        }
    }
    t
}

fn render_text(g: &SupplyGraph, reports: &[ScenarioReport], lang: Lang, format: Format) -> String {
    let md = format == Format::Md;
    let mut out = String::new();
    for r in reports {
        let o = r.outcome;
        out.push_str(&system_table(g, o, lang).render(format));
        out.push('\n');
        let width = crate::output::term::prose_width();
        for s in &o.systems {
            if md {
                out.push_str(&format!("- {}\n", explanation(s, lang)));
            } else {
                out.push_str(&wrap_hanging(explanation(s, lang), width, "• ", "  "));
            }
            if !s.short_items.is_empty() {
                let short = short_text(g, s, lang);
                if md {
                    out.push_str(&format!("  - runs short first: {short}\n"));
                } else {
                    let line = format!("runs short first: {short}");
                    out.push_str(&wrap_hanging(&line, width, "  ", "    "));
                }
            }
        }
        out.push('\n');
        if let Some(t) = exposed_table(o, g, lang) {
            out.push_str(&t.render(format));
            out.push('\n');
        }
    }
    if reports.len() > 1 {
        out.push_str(&comparison_table(g, reports, lang).render(format));
    }
    out
}

/// One flat table: a row per scenario and system, raw numbers.
fn csv_table(reports: &[ScenarioReport], lang: Lang) -> Table {
    let mut days: Vec<u32> = reports
        .iter()
        .flat_map(|r| r.outcome.checkpoint_days.iter().copied())
        .collect();
    days.sort_unstable();
    days.dedup();
    let mut headers: Vec<String> = ["scenario", "days", "system", "buildable_day0", "tts"]
        .map(String::from)
        .to_vec();
    headers.extend(days.iter().map(|d| format!("output_day{d}")));
    headers.extend(
        [
            "lost_production",
            "impact",
            "currency",
            "delta_cost",
            "lost_production_vs_baseline",
            "short_first",
            "short_first_day",
            "explanation",
        ]
        .map(String::from),
    );
    let mut t = Table {
        title: String::new(),
        headers,
        rows: Vec::new(),
    };
    for r in reports {
        let o = r.outcome;
        for (s, d) in o.systems.iter().zip(&r.vs_baseline) {
            let mut row = vec![
                o.id.clone(),
                o.days.to_string(),
                s.id.clone(),
                s.buildable_day0.to_string(),
                s.tts.map(|t| t.to_string()).unwrap_or_default(),
            ];
            row.extend(days.iter().map(|day| {
                s.checkpoints
                    .iter()
                    .find(|c| c.day == *day)
                    .map(|c| num(c.output))
                    .unwrap_or_default()
            }));
            row.extend([
                num(s.lost_production),
                s.impact.map(num).unwrap_or_default(),
                o.currency.clone(),
                num(s.delta_cost),
                num(d.lost_production),
                s.short_items
                    .first()
                    .map(|x| x.id.clone())
                    .unwrap_or_default(),
                s.short_items
                    .first()
                    .map(|x| x.first_short_day.to_string())
                    .unwrap_or_default(),
                explanation(s, lang).to_string(),
            ]);
            t.row(row);
        }
    }
    t
}

/// A number for machine output: stable rounding, shortest form ("1", "0.4").
fn num(x: f64) -> String {
    format!("{}", scenario::stable_number(x))
}

/// day, then one column per system (or per scenario:system with several scenarios).
fn timeline_csv(outcomes: &[ScenarioOutcome]) -> String {
    let several = outcomes.len() > 1;
    let mut header = vec!["day".to_string()];
    for o in outcomes {
        for s in &o.systems {
            header.push(if several {
                format!("{}:{}", o.id, s.id)
            } else {
                s.id.clone()
            });
        }
    }
    let days = outcomes.iter().map(|o| o.days).max().unwrap_or(0);
    let rows = (0..days as usize).map(|t| {
        let mut row = vec![t.to_string()];
        for o in outcomes {
            for s in &o.systems {
                row.push(s.output.get(t).map(|v| num(*v)).unwrap_or_default());
            }
        }
        row
    });
    crate::output::csv_document(&header, rows)
}

#[derive(Serialize)]
struct SweepDoc<'a> {
    schema: &'static str,
    sweep: SweepKind,
    days: u32,
    case: Case,
    currency: String,
    systems: Vec<String>,
    rows: &'a [SweepRow],
}

#[allow(clippy::too_many_arguments)]
fn render_sweep(
    g: &SupplyGraph,
    kind: SweepKind,
    days: u32,
    case: Case,
    lang: Lang,
    systems: &[ItemIx],
    rows: &[SweepRow],
    format: Format,
) -> String {
    let currency = g.model().meta.currency.clone();
    if format == Format::Json {
        let doc = SweepDoc {
            schema: "chokepoint/scenario-sweep/1",
            sweep: kind,
            days,
            case,
            currency,
            systems: systems.iter().map(|s| g.item(*s).id.to_string()).collect(),
            rows,
        };
        return serde_json::to_string_pretty(&doc).expect("sweep serializes") + "\n";
    }
    let what = kind.as_str();
    let name_of = |r: &SweepRow| match (r.country, r.supplier) {
        (Some(c), _) => g.model().country_name(g.country(c), lang),
        (_, Some(s)) => g.model().supplier_name(&g.supplier(s).id, lang),
        _ => r.name.clone(),
    };
    if format == Format::Csv {
        let mut t = Table::new(
            "",
            &[
                "rank",
                what,
                "name",
                "impact",
                "currency",
                "rei",
                "lost_production",
                "systems_hit",
                "earliest_tts",
                "earliest_system",
            ],
        );
        for r in rows {
            t.row(vec![
                r.rank.to_string(),
                r.id.clone(),
                name_of(r),
                num(r.impact),
                currency.clone(),
                num(r.rei),
                num(r.lost_production),
                r.systems_hit.to_string(),
                r.earliest_tts.map(|t| t.to_string()).unwrap_or_default(),
                r.earliest_system.clone().unwrap_or_default(),
            ]);
        }
        return t.to_csv();
    }
    let mut t = Table::new(
        format!(
            "Single-{what} loss sweep — {days} days, case {}, {} system(s); ranked by impact, REI = PI / max PI",
            case.as_str(),
            systems.len()
        ),
        // The name and the id share a column: eight columns of whole words
        // do not fit 80 columns (the CSV keeps them apart).
        &[
            "#",
            what,
            &format!("PI ({currency})"),
            "REI",
            "LP (days)",
            "systems hit",
            "earliest TTS",
        ],
    );
    for r in rows {
        let name = name_of(r);
        t.row(vec![
            r.rank.to_string(),
            if name == r.id {
                name
            } else {
                format!("{name} ({})", r.id)
            },
            money(r.impact),
            format!("{:.3}", r.rei),
            format!("{:.1}", r.lost_production),
            r.systems_hit.to_string(),
            match (&r.earliest_tts, &r.earliest_system) {
                (Some(t), Some(s)) => format!("{t} ({s})"),
                _ => "survives".into(),
            },
        ]);
    }
    t.render(format)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tariff_flags_parse_fraction_or_percent() {
        assert_eq!(parse_tariff("us=1.25").unwrap(), ("US".to_string(), 1.25));
        assert_eq!(parse_tariff("JP=25%").unwrap(), ("JP".to_string(), 0.25));
        assert!(parse_tariff("US").is_err());
        assert!(parse_tariff("US=-1").is_err());
        assert!(parse_tariff("US=abc").is_err());
        assert!(parse_tariff("US=inf").is_err());
    }

    #[test]
    fn hints_suggest_close_ids() {
        assert_eq!(
            hint("varx", &["varex", "proterial"], "suppliers"),
            "did you mean `varex`?"
        );
        assert_eq!(hint("zzzzzz", &["varex"], "suppliers"), "suppliers: varex");
        assert_eq!(hint("x", &[], "scenarios"), "there are no scenarios");
    }
}
