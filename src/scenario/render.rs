//! Renderings of scenario results for people and spreadsheets: the per-scenario
//! tables and narrative, the comparison against the baseline, sweeps, and the
//! CSV forms (flat results, the daily timeline). JSON is the `Serialize` form
//! of the results ([`super::ScenariosDocument`], [`SweepDocument`]).
//!
//! Owns: every fixed word of these renderings in English and Chinese (the
//! results hold ids and numbers only; a [`Reading`] picks the language and
//! whether names or ids show).
//! Never: computes a metric, prints or writes a file.

use super::{ScenarioOutcome, SweepKind, SweepRow, SystemDelta, SystemOutcome};
use crate::graph::{ItemIx, SupplyGraph};
use crate::model::{Case, Lang};
use crate::output::text::{wrap_hanging, Reading};
use crate::output::{pct, Format, Table};
use serde::Serialize;

/// Short items shown per system in tables (JSON lists up to `super::MAX_SHORT_ITEMS`).
const SHORT_ITEMS_SHOWN: usize = 3;

/// A scenario's outcome with its per-system deltas against the baseline.
pub struct Compared<'a> {
    pub outcome: &'a ScenarioOutcome,
    pub vs_baseline: Vec<SystemDelta>,
}

impl<'a> Compared<'a> {
    pub fn new(outcome: &'a ScenarioOutcome, baseline: &ScenarioOutcome) -> Self {
        Compared {
            outcome,
            vs_baseline: super::vs_baseline(outcome, baseline),
        }
    }
}

fn item_name(g: &SupplyGraph, ix: ItemIx, r: Reading) -> String {
    let item = g.item(ix);
    r.name(item.id.as_str(), item.display_name(r.lang))
}

fn item_name_by_id(g: &SupplyGraph, id: &str, r: Reading) -> String {
    match g.item_ix(id) {
        Some(ix) => item_name(g, ix, r),
        None => id.to_string(),
    }
}

fn supplier_name(g: &SupplyGraph, id: &str, r: Reading) -> String {
    match g.supplier_ix(id) {
        Some(s) => r.name(id, &g.model().supplier_name(&g.supplier(s).id, r.lang)),
        None => id.to_string(),
    }
}

fn tts_text(tts: Option<u32>, r: Reading) -> String {
    tts.map(|t| t.to_string())
        .unwrap_or_else(|| r.pick("survives", "全程维持").into())
}

fn days_text(days: u32, r: Reading) -> String {
    match r.lang {
        Lang::En => format!("{days} days"),
        Lang::Zh => format!("{days} 天"),
    }
}

/// The scenario's name in the reading's language: the declared `name_zh`, and
/// a fixed phrase for the ad-hoc scenario built from flags.
fn scenario_name(g: &SupplyGraph, o: &ScenarioOutcome, r: Reading) -> String {
    if r.lang == Lang::En {
        return o.name.clone();
    }
    if o.id == AD_HOC_ID {
        return "临时情景（来自命令行参数）".into();
    }
    match g.model().scenarios.get(o.id.as_str()) {
        Some(s) => s.name_zh.clone().unwrap_or_else(|| o.name.clone()),
        None => o.name.clone(),
    }
}

/// The id of the scenario built from `--fail-*` and `--tariff` flags.
pub const AD_HOC_ID: &str = "ad-hoc";
/// Its English name (the JSON carries it).
pub const AD_HOC_NAME: &str = "Ad hoc (from flags)";

fn short_text(g: &SupplyGraph, s: &SystemOutcome, r: Reading) -> String {
    s.short_items
        .iter()
        .take(SHORT_ITEMS_SHOWN)
        .map(|x| {
            let path = x
                .path
                .iter()
                .map(|ix| item_name(g, *ix, r))
                .collect::<Vec<_>>()
                .join(" › ");
            match r.lang {
                Lang::En => format!(
                    "{} — day {} ({path})",
                    item_name(g, x.item, r),
                    x.first_short_day
                ),
                Lang::Zh => format!(
                    "{} — 第 {} 天（{path}）",
                    item_name(g, x.item, r),
                    x.first_short_day
                ),
            }
        })
        .collect::<Vec<_>>()
        .join(r.pick("; ", "；"))
}

fn explanation(s: &SystemOutcome, lang: Lang) -> &str {
    lang.pick(&s.explanation, &s.explanation_zh)
}

fn scenario_title(g: &SupplyGraph, o: &ScenarioOutcome, r: Reading) -> String {
    let mut parts = Vec::new();
    let countries = r.pick("countries", "国家");
    let suppliers = r.pick("suppliers", "供应商");
    let items = r.pick("items", "物料");
    if !o.failed.countries.is_empty() {
        parts.push(format!("{countries} {}", o.failed.countries.join(", ")));
    }
    if !o.failed.suppliers.is_empty() {
        let names: Vec<String> = o
            .failed
            .suppliers
            .iter()
            .map(|id| supplier_name(g, id, r))
            .collect();
        parts.push(format!("{suppliers} {}", names.join(", ")));
    }
    if !o.failed.items.is_empty() {
        let names: Vec<String> = o
            .failed
            .items
            .iter()
            .map(|id| item_name_by_id(g, id, r))
            .collect();
        parts.push(format!("{items} {}", names.join(", ")));
    }
    let fails = if parts.is_empty() {
        r.pick("nothing", "无").to_string()
    } else {
        parts.join(r.pick("; ", "；"))
    };
    let tariffs = if o.tariffs.is_empty() {
        r.pick("none", "无").to_string()
    } else {
        o.tariffs
            .iter()
            .map(|(c, rate)| format!("{c} {}", pct(*rate)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let name = scenario_name(g, o, r);
    match r.lang {
        Lang::En => format!(
            "Scenario {} — {name} ({} days, case {}; fails {fails}; tariffs {tariffs})",
            o.id,
            o.days,
            r.case(o.case)
        ),
        Lang::Zh => format!(
            "情景 {} — {name}（{} 天，取值 {}；断供：{fails}；关税：{tariffs}）",
            o.id,
            o.days,
            r.case(o.case)
        ),
    }
}

fn system_table(g: &SupplyGraph, o: &ScenarioOutcome, r: Reading) -> Table {
    let days: Vec<String> = o.checkpoint_days.iter().map(|d| d.to_string()).collect();
    let days = days.join(" · ");
    let mut t = Table {
        title: scenario_title(g, o, r),
        headers: match r.lang {
            Lang::En => vec![
                "system".into(),
                "TTS (day)".into(),
                format!("output % on day {days}"),
                "LP (days)".into(),
                format!("PI ({})", o.currency),
                "Δcost".into(),
            ],
            Lang::Zh => vec![
                "整机".into(),
                "TTS（天）".into(),
                format!("第 {days} 天产出 %"),
                "LP（天）".into(),
                format!("PI（{}）", o.currency),
                "Δ成本".into(),
            ],
        },
        rows: Vec::new(),
    };
    for s in &o.systems {
        let tts = match (s.tts, s.buildable_day0) {
            (Some(0), false) => r.pick("0 (not buildable)", "0（无法生产）").to_string(),
            (t, _) => tts_text(t, r),
        };
        t.row(vec![
            item_name(g, s.system, r),
            tts,
            s.checkpoints
                .iter()
                .map(|c| format!("{:.0}", c.output * 100.0))
                .collect::<Vec<_>>()
                .join(" · "),
            format!("{:.1}", s.lost_production),
            s.impact
                .map(|x| r.amount(x))
                .unwrap_or_else(|| match r.lang {
                    Lang::En => format!("{} (no market_value)", r.unknown()),
                    Lang::Zh => format!("{}（无市场规模）", r.unknown()),
                }),
            pct(s.delta_cost),
        ]);
    }
    t
}

fn exposed_table(g: &SupplyGraph, o: &ScenarioOutcome, r: Reading) -> Option<Table> {
    if o.exposed_sources.is_empty() {
        return None;
    }
    let mut t = match r.lang {
        Lang::En => Table::new(
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
        ),
        Lang::Zh => Table::new(
            format!("{} 中的暴露来源（可维持天数 < 恢复天数）", o.id),
            &["物料", "供应商", "国家", "份额", "TTS", "恢复天数"],
        ),
    };
    for e in &o.exposed_sources {
        t.row(vec![
            item_name(g, e.item_ix, r),
            source_supplier_name(g, e.supplier.as_deref(), r),
            e.country.clone(),
            pct(e.share),
            e.tts.to_string(),
            e.recovery_days
                .map(|d| format!("{d}"))
                .unwrap_or_else(|| r.pick("none", "无").into()),
        ]);
    }
    Some(t)
}

/// A source's supplier by name, or "(unnamed)" for unnamed producers.
fn source_supplier_name(g: &SupplyGraph, supplier: Option<&str>, r: Reading) -> String {
    supplier
        .map(|s| supplier_name(g, s, r))
        .unwrap_or_else(|| r.pick("(unnamed)", "（未具名）").into())
}

/// Sources stopped only through export-control reach (`--reach`, spec §3.11),
/// each with the regimes and issuers that stop it.
fn reached_table(g: &SupplyGraph, o: &ScenarioOutcome, r: Reading) -> Option<Table> {
    if o.reached_sources.is_empty() {
        return None;
    }
    let mut t = match r.lang {
        Lang::En => Table::new(
            format!("Stopped through export controls in {} (--reach)", o.id),
            &["item", "supplier", "made in", "share", "regime (issuer)"],
        ),
        Lang::Zh => Table::new(
            format!("{} 中经出口管制波及而断供的来源（--reach）", o.id),
            &["物料", "供应商", "生产国", "份额", "管制（发布国）"],
        ),
    };
    for e in &o.reached_sources {
        t.row(vec![
            item_name(g, e.item_ix, r),
            source_supplier_name(g, e.supplier.as_deref(), r),
            e.country.clone(),
            pct(e.share),
            e.regimes
                .iter()
                .map(|(regime, issuer)| format!("{regime} ({issuer})"))
                .collect::<Vec<_>>()
                .join(", "),
        ]);
    }
    Some(t)
}

fn comparison_table(g: &SupplyGraph, reports: &[Compared], r: Reading) -> Table {
    let currency = reports
        .first()
        .map(|c| c.outcome.currency.clone())
        .unwrap_or_default();
    let mut t = match r.lang {
        Lang::En => Table::new(
            "Against the baseline (nothing failed, no tariffs)",
            &[
                "scenario",
                "system",
                "TTS",
                "ΔLP (days)",
                &format!("ΔPI ({currency})"),
                "Δcost",
            ],
        ),
        Lang::Zh => Table::new(
            "与基线相比（无断供、无关税）",
            &[
                "情景",
                "整机",
                "TTS",
                "ΔLP（天）",
                &format!("ΔPI（{currency}）"),
                "Δ成本",
            ],
        ),
    };
    for c in reports {
        for (s, d) in c.outcome.systems.iter().zip(&c.vs_baseline) {
            t.row(vec![
                c.outcome.id.clone(),
                item_name(g, s.system, r),
                tts_text(s.tts, r),
                format!("{:+.1}", d.lost_production),
                d.impact
                    .map(|x| format!("+{}", r.amount(x)).replace("+-", "-"))
                    .unwrap_or_else(|| "—".into()),
                format!("+{}", pct(d.delta_cost)).replace("+-", "-"),
            ]);
        }
    }
    t
}

/// The table (`Format::Table`) or Markdown rendering of scenario runs: per
/// scenario its systems table, one explanation per system with what runs short
/// first, the exposed sources; then the comparison with the baseline when
/// several scenarios ran.
pub fn text(g: &SupplyGraph, reports: &[Compared], r: Reading, format: Format) -> String {
    let md = format == Format::Md;
    let mut out = String::new();
    for c in reports {
        let o = c.outcome;
        out.push_str(&system_table(g, o, r).render_in(format, r.lang));
        out.push('\n');
        let width = crate::output::term::prose_width();
        for s in &o.systems {
            if md {
                out.push_str(&format!("- {}\n", explanation(s, r.lang)));
            } else {
                out.push_str(&wrap_hanging(explanation(s, r.lang), width, "• ", "  "));
            }
            if !s.short_items.is_empty() {
                let short = short_text(g, s, r);
                let label = r.pick("runs short first: ", "最先短缺：");
                if md {
                    out.push_str(&format!("  - {label}{short}\n"));
                } else {
                    out.push_str(&wrap_hanging(
                        &format!("{label}{short}"),
                        width,
                        "  ",
                        "    ",
                    ));
                }
            }
        }
        out.push('\n');
        if let Some(t) = exposed_table(g, o, r) {
            out.push_str(&t.render_in(format, r.lang));
            out.push('\n');
        }
        if let Some(t) = reached_table(g, o, r) {
            out.push_str(&t.render_in(format, r.lang));
            out.push('\n');
        }
    }
    if reports.len() > 1 {
        out.push_str(&comparison_table(g, reports, r).render_in(format, r.lang));
    }
    out
}

/// One flat CSV table: a row per scenario and system, raw numbers and ids;
/// the explanation in `lang`.
pub fn csv(reports: &[Compared], lang: Lang) -> String {
    let mut days: Vec<u32> = reports
        .iter()
        .flat_map(|c| c.outcome.checkpoint_days.iter().copied())
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
    for c in reports {
        let o = c.outcome;
        for (s, d) in o.systems.iter().zip(&c.vs_baseline) {
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
    t.to_csv()
}

/// A number for machine output: stable rounding, shortest form ("1", "0.4").
fn num(x: f64) -> String {
    format!("{}", super::stable_number(x))
}

/// The daily output as CSV: day, then one column per system (or per
/// `scenario:system` with several scenarios).
pub fn timeline_csv(outcomes: &[ScenarioOutcome]) -> String {
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

/// The JSON form of a sweep (docs/json.md, `chokepoint/scenario-sweep/1`).
#[derive(Serialize)]
pub struct SweepDocument<'a> {
    pub schema: &'static str,
    pub sweep: SweepKind,
    pub days: u32,
    pub case: Case,
    pub currency: String,
    pub systems: Vec<String>,
    pub rows: &'a [SweepRow],
}

/// A sweep and the run it came from.
pub struct Sweep<'a> {
    pub kind: SweepKind,
    pub days: u32,
    pub case: Case,
    pub systems: &'a [ItemIx],
    pub rows: &'a [SweepRow],
}

impl Sweep<'_> {
    /// The sweep in `format`: JSON and CSV hold ids and raw numbers, the table
    /// and Markdown names in the reading's language.
    pub fn render(&self, g: &SupplyGraph, r: Reading, format: Format) -> String {
        let currency = g.model().meta.currency.clone();
        match format {
            Format::Json => {
                let doc = SweepDocument {
                    schema: "chokepoint/scenario-sweep/1",
                    sweep: self.kind,
                    days: self.days,
                    case: self.case,
                    currency,
                    systems: self
                        .systems
                        .iter()
                        .map(|s| g.item(*s).id.to_string())
                        .collect(),
                    rows: self.rows,
                };
                serde_json::to_string_pretty(&doc).expect("sweep serializes") + "\n"
            }
            // CSV is data: the graph's own names, whatever --lang says.
            Format::Csv => self.csv(g, Lang::En, &currency),
            _ => self.table(g, r, &currency).render_in(format, r.lang),
        }
    }

    fn name_of(&self, g: &SupplyGraph, row: &SweepRow, lang: Lang) -> String {
        match (row.country, row.supplier) {
            (Some(c), _) => g.model().country_name(g.country(c), lang),
            (_, Some(s)) => g.model().supplier_name(&g.supplier(s).id, lang),
            _ => row.name.clone(),
        }
    }

    fn csv(&self, g: &SupplyGraph, lang: Lang, currency: &str) -> String {
        let mut t = Table::new(
            "",
            &[
                "rank",
                self.kind.as_str(),
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
        for row in self.rows {
            t.row(vec![
                row.rank.to_string(),
                row.id.clone(),
                self.name_of(g, row, lang),
                num(row.impact),
                currency.to_string(),
                num(row.rei),
                num(row.lost_production),
                row.systems_hit.to_string(),
                row.earliest_tts.map(|t| t.to_string()).unwrap_or_default(),
                row.earliest_system.clone().unwrap_or_default(),
            ]);
        }
        t.to_csv()
    }

    fn table(&self, g: &SupplyGraph, r: Reading, currency: &str) -> Table {
        let what_zh = match self.kind {
            SweepKind::Country => "国家",
            SweepKind::Supplier => "供应商",
        };
        let mut t = match r.lang {
            Lang::En => Table::new(
                format!(
                    "Single-{} loss sweep — {}, case {}, {} system(s); ranked by impact, REI = PI / max PI",
                    self.kind.as_str(),
                    days_text(self.days, r),
                    r.case(self.case),
                    self.systems.len()
                ),
                // The name and the id share a column: eight columns of whole
                // words do not fit 80 columns (the CSV keeps them apart).
                &[
                    "#",
                    self.kind.as_str(),
                    &format!("PI ({currency})"),
                    "REI",
                    "LP (days)",
                    "systems hit",
                    "earliest TTS",
                ],
            ),
            Lang::Zh => Table::new(
                format!(
                    "单一{what_zh}断供扫描 — {}，取值 {}，{} 类整机；按影响排序，REI = PI / 最大 PI",
                    days_text(self.days, r),
                    r.case(self.case),
                    self.systems.len()
                ),
                &[
                    "#",
                    what_zh,
                    &format!("PI（{currency}）"),
                    "REI",
                    "LP（天）",
                    "受影响整机",
                    "最早 TTS",
                ],
            ),
        };
        for row in self.rows {
            let name = self.name_of(g, row, r.lang);
            let who = if r.ids || name == row.id {
                row.id.clone()
            } else {
                format!("{name} ({})", row.id)
            };
            t.row(vec![
                row.rank.to_string(),
                who,
                r.amount(row.impact),
                format!("{:.3}", row.rei),
                format!("{:.1}", row.lost_production),
                row.systems_hit.to_string(),
                match (&row.earliest_tts, &row.earliest_system) {
                    (Some(t), Some(s)) => format!("{t} ({})", item_name_by_id(g, s, r)),
                    _ => r.pick("survives", "全程维持").into(),
                },
            ]);
        }
        t
    }
}
