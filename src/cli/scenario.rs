//! `chokepoint scenario`: what-if runs (spec §3.6, §3.7, §3.9) — declared
//! scenarios by `--name`, ad-hoc failures and tariffs from flags, and
//! single-country or single-supplier sweeps ranked by REI.
//!
//! Thin: resolves flags to a [`ScenarioSpec`], calls [`chokepoint::scenario`], and
//! hands the results to [`chokepoint::scenario::render`].
//! Never computes a metric itself and never mutates the loaded graph.

use super::{emit_as, load_graph, AssumptionArgs, CaseLang, CliError, GraphOpts};
use chokepoint::graph::{CountryIx, ItemIx, SupplyGraph};
use chokepoint::model::{iso, Case, ItemKind, Lang};
use chokepoint::output::text::Reading;
use chokepoint::output::Format;
use chokepoint::scenario::render::Compared;
use chokepoint::scenario::{self, ScenarioOutcome, ScenarioSpec, SweepKind};
use std::path::PathBuf;

/// Longest horizon accepted (the loader's limit for `duration_days`).
const MAX_DAYS: u32 = 36_500;
/// Horizon of ad-hoc scenarios and sweeps without `--days`.
const DEFAULT_DAYS: u32 = 365;

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
    #[command(flatten)]
    pub sampling: super::SampleArgs,
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
          conflicts_with_all = ["names", "fail_countries", "fail_suppliers", "fail_items", "tariffs", "timeline", "samples"])]
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
    /// Show items, suppliers and paths by id instead of by name in tables.
    #[arg(long)]
    pub ids: bool,
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
            return Err(super::usage(format!(
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
    let g = super::build_graph(&loaded.model, args.assumptions.into());
    let case = Case::from(args.case_lang.case);
    let lang = Lang::from(args.case_lang.lang);
    let reading = Reading::new(lang, args.ids);
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
        return Err(super::usage(
            "the graph declares no system (kind: system) to run a scenario on".into(),
        ));
    }

    if let Some(kind) = args.sweep {
        let kind = match kind {
            SweepArg::Country => SweepKind::Country,
            SweepArg::Supplier => SweepKind::Supplier,
        };
        let days = args.days.unwrap_or(DEFAULT_DAYS);
        let mut rows = super::with_progress(
            &format!("sweeping single {} losses", kind.as_str()),
            args.graph.warnings.quiet,
            |progress| scenario::sweep_with_progress(&g, kind, days, case, &systems, progress),
        );
        if args.top > 0 {
            rows.truncate(args.top);
        }
        let text = scenario::render::Sweep {
            kind,
            days,
            case,
            systems: &systems,
            rows: &rows,
        }
        .render(&g, reading, args.format);
        return emit_as(args.out.as_deref(), &text, args.format);
    }

    let mut specs: Vec<ScenarioSpec> = Vec::new();
    for name in &args.names {
        let declared = loaded.model.scenarios.get(name.as_str()).ok_or_else(|| {
            let ids: Vec<&str> = loaded.model.scenarios.keys().map(|k| k.as_str()).collect();
            super::usage_hint(
                format!("--name {name}: no such scenario"),
                hint(name, &ids, "declared scenarios"),
            )
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
            return Err(super::usage_hint(
                "the graph declares no scenarios",
                "use --fail-country/--fail-supplier/--fail-item/--tariff, --name ID, or --sweep \
                 country|supplier",
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

    let sampling = super::SampleArgs {
        case: Some(case),
        ..args.sampling
    }
    .options(
        args.assumptions.into(),
        chokepoint::analysis::EventKind::Supplier,
    )?;
    if let Some(mut so) = sampling {
        if args.timeline.is_some() {
            return Err(super::usage_hint(
                "--timeline with --samples: the daily series is one case's",
                "run without --samples for it",
            ));
        }
        // A scenario run asks about its scenarios: no ranking sweep per sample.
        so.ranks = false;
        let u = chokepoint::uncertainty::sample(&loaded.model, &specs, &systems, &so);
        return emit_as(
            args.out.as_deref(),
            &u.render(&loaded.model, reading, args.format),
            args.format,
        );
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
    let reports: Vec<Compared> = outcomes
        .iter()
        .map(|o| Compared::new(o, &baseline))
        .collect();

    if let Some(path) = &args.timeline {
        let csv = scenario::render::timeline_csv(&outcomes);
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
        Format::Csv => scenario::render::csv(&reports, lang),
        f => scenario::render::text(&g, &reports, reading, f),
    };
    emit_as(args.out.as_deref(), &text, args.format)
}

/// Parses `CC=RATE` (`US=1.25` or `US=125%`).
fn parse_tariff(arg: &str) -> Result<(String, f64), CliError> {
    let bad = |why: &str| {
        super::usage_hint(
            format!("--tariff {arg}: {why}"),
            "write CC=RATE, e.g. US=1.25 for 125 %",
        )
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
    spec.id = scenario::render::AD_HOC_ID.into();
    for cc in &args.fail_countries {
        let c = resolve_country(g, "--fail-country", cc)?;
        if !spec.failed_countries.contains(&c) {
            spec.failed_countries.push(c);
        }
    }
    for id in &args.fail_suppliers {
        let s = g.supplier_ix(id).ok_or_else(|| {
            let ids: Vec<&str> = g.model().suppliers.keys().map(|k| k.as_str()).collect();
            super::usage_hint(
                format!("--fail-supplier {id}: no such supplier"),
                hint(id, &ids, "suppliers"),
            )
        })?;
        if !spec.failed_suppliers.contains(&s) {
            spec.failed_suppliers.push(s);
        }
    }
    for id in &args.fail_items {
        let i = g.item_ix(id).ok_or_else(|| {
            let ids: Vec<&str> = g.model().items.keys().map(|k| k.as_str()).collect();
            super::usage_hint(
                format!("--fail-item {id}: no such item"),
                hint(id, &ids, "items"),
            )
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
    spec.name = scenario::render::AD_HOC_NAME.into();
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
        Err(super::usage(format!(
            "{flag} {code}: {upper} does not occur in the graph (no supplier, site or scenario there), \
             so failing or taxing it changes nothing; countries in the graph: {}",
            known.join(", ")
        )))
    } else {
        Err(super::usage_hint(
            format!("{flag} {code}: not an ISO 3166-1 alpha-2 code in the graph"),
            hint(&upper, &known, "countries in the graph"),
        ))
    }
}

/// Resolves `--system`, explaining what went wrong (unknown id, or not a system).
fn resolve_system(g: &SupplyGraph, id: &str) -> Result<ItemIx, CliError> {
    let systems: Vec<&str> = g.systems().iter().map(|s| g.item(*s).id.as_str()).collect();
    match g.item_ix(id) {
        Some(ix) if g.item(ix).kind == ItemKind::System => Ok(ix),
        Some(ix) => Err(super::usage(format!(
            "--system {id}: `{id}` is a {}, not a system (systems: {})",
            g.item(ix).kind.as_str(),
            systems.join(", ")
        ))),
        None => Err(super::usage_hint(
            format!("--system {id}: no such item"),
            hint(id, &systems, "systems"),
        )),
    }
}

/// "did you mean `x`?" for a close id, else the list of what exists (at most 20 shown).
fn hint(word: &str, known: &[&str], what: &str) -> String {
    let lower = word.to_lowercase();
    let mut close: Vec<(usize, &str)> = known
        .iter()
        .map(|k| {
            (
                chokepoint::load::edit_distance(&lower, &k.to_lowercase()),
                *k,
            )
        })
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
