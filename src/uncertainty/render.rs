//! The table, Markdown, CSV and JSON renderings of an [`Uncertainty`], in
//! English and Chinese. Results keep ids; names come from the model here.
//! Never computes a number: intervals are printed as sampled.

use super::{Band, PlanUncertainty, RankStability, Uncertainty};
use crate::model::{Lang, Model};
use crate::output::text::Reading;
use crate::output::{csv_document, pct, Format, Table};

/// Sensitivity rows shown in tables (the JSON and CSV carry all).
pub const SENSITIVITY_ROWS: usize = 15;
/// Single-loss rows shown in tables.
pub const SINGLE_ROWS: usize = 10;

/// How a number of one kind reads.
#[derive(Clone, Copy)]
enum Kind {
    Share,
    /// A day number (TTS): whole days print without a decimal; a percentile
    /// between two samples' days keeps its half.
    Day,
    /// A quantity of days (LP).
    Days,
    Money,
}

fn number(x: Option<f64>, kind: Kind, r: Reading) -> String {
    match (x, kind) {
        (None, Kind::Days | Kind::Day) => r.pick("survives", "不中断").to_string(),
        (Some(v), Kind::Day) if v.fract() == 0.0 => format!("{v:.0}"),
        (Some(v), Kind::Day) => format!("{v:.1}"),
        (None, _) => "—".into(),
        (Some(v), Kind::Share) => pct(v),
        (Some(v), Kind::Days) => format!("{v:.1}"),
        (Some(v), Kind::Money) => r.amount(v),
    }
}

/// "P50 (P5–P95)", or the one number when all three are equal.
pub fn interval(b: &Band, kind: Kind2, r: Reading) -> String {
    let k = kind.0;
    // A band without spread is one number.
    if b.p5 == b.p50 && b.p50 == b.p95 {
        return number(b.p50, k, r);
    }
    format!(
        "{} ({}–{})",
        number(b.p50, k, r),
        number(b.p5, k, r),
        number(b.p95, k, r)
    )
}

/// The kind of number a band holds, for [`interval`] callers outside this module.
#[derive(Clone, Copy)]
pub struct Kind2(Kind);
pub const SHARE: Kind2 = Kind2(Kind::Share);
pub const DAYS: Kind2 = Kind2(Kind::Days);
pub const DAY: Kind2 = Kind2(Kind::Day);
pub const MONEY: Kind2 = Kind2(Kind::Money);

fn item_name(m: &Model, id: &str, r: Reading) -> String {
    match m.items.get(id) {
        Some(i) => r.name(id, i.display_name(r.lang)),
        None => id.to_string(),
    }
}

/// An event id as people read it (a supplier's or country's name).
pub fn event_name(m: &Model, id: &str, r: Reading) -> String {
    if let Some(key) = m.suppliers.keys().find(|k| k.as_str() == id) {
        return r.name(id, &m.supplier_name(key, r.lang));
    }
    if let Some(code) = m.countries.keys().find(|k| k.as_str() == id) {
        return r.name(id, &m.country_name(code, r.lang));
    }
    id.to_string()
}

fn events_name(m: &Model, events: &[String], r: Reading) -> String {
    events
        .iter()
        .map(|e| event_name(m, e, r))
        .collect::<Vec<_>>()
        .join(" + ")
}

impl Uncertainty {
    /// The title line: samples, seed, distribution.
    pub fn heading(&self, lang: Lang) -> String {
        match lang {
            Lang::En => format!(
                "Uncertainty: {} samples (seed {}), {} estimates drawn from triangular distributions; P50 (P5–P95)",
                self.samples, self.seed, self.estimates_sampled
            ),
            Lang::Zh => format!(
                "不确定性：{} 次抽样（种子 {}），{} 个估计值按三角分布抽取；P50（P5–P95）",
                self.samples, self.seed, self.estimates_sampled
            ),
        }
    }

    /// Per system: EID, and per scenario TTS / LP / PI / Δcost.
    pub fn interval_tables(&self, m: &Model, r: Reading) -> Vec<Table> {
        let mut out = Vec::new();
        let mut t = Table::new(
            r.pick(
                "Embodied import share (EID) per system",
                "各系统内含进口份额（EID）",
            ),
            &[
                r.pick("system", "系统"),
                r.pick("EID (mid case)", "EID（中值情形）"),
                r.pick("EID P50 (P5–P95)", "EID P50（P5–P95）"),
            ],
        );
        for s in &self.systems {
            let (mid, iv) = match &s.embodied_import_share {
                Some(b) => (
                    number(b.deterministic, Kind::Share, r),
                    interval(b, SHARE, r),
                ),
                None => (r.unknown().into(), r.unknown().into()),
            };
            t.row(vec![item_name(m, &s.id, r), mid, iv]);
        }
        out.push(t);
        for sc in &self.scenarios {
            let name = match m.scenarios.get(sc.id.as_str()) {
                Some(d) if r.lang == Lang::Zh => {
                    d.name_zh.clone().unwrap_or_else(|| d.name.clone())
                }
                _ => sc.name.clone(),
            };
            let mut t = Table::new(
                format!(
                    "{} ({} {}) — {}: {}",
                    name,
                    sc.days,
                    r.pick("days", "天"),
                    r.pick("total PI", "总 PI"),
                    interval(&sc.total_impact, MONEY, r)
                ),
                &[
                    r.pick("system", "系统"),
                    "TTS",
                    "LP",
                    "PI",
                    r.pick("Δcost", "成本增幅"),
                ],
            );
            for s in &sc.systems {
                t.row(vec![
                    item_name(m, &s.id, r),
                    interval(&s.tts, DAY, r),
                    interval(&s.lost_production, DAYS, r),
                    s.impact
                        .as_ref()
                        .map_or_else(|| r.unknown().into(), |b| interval(b, MONEY, r)),
                    interval(&s.delta_cost, SHARE, r),
                ]);
            }
            out.push(t);
        }
        out
    }

    fn rank_table(
        &self,
        m: &Model,
        rows: &[RankStability],
        title: &str,
        max: usize,
        r: Reading,
    ) -> Table {
        let mut t = Table::new(
            title,
            &[
                r.pick("rank (mid)", "排名（中值）"),
                r.pick("events", "事件"),
                r.pick("PI P50 (P5–P95)", "PI P50（P5–P95）"),
                r.pick("P(top 5)", "进入前 5 的概率"),
            ],
        );
        for row in rows.iter().take(max) {
            t.row(vec![
                row.rank.to_string(),
                events_name(m, &row.events, r),
                interval(&row.impact, MONEY, r),
                pct(row.top5),
            ]);
        }
        t
    }

    /// Rank stability of single losses and of the national list.
    pub fn rank_tables(&self, m: &Model, r: Reading) -> Vec<Table> {
        let mut out = Vec::new();
        if !self.single_losses.is_empty() {
            out.push(self.rank_table(
                m,
                &self.single_losses,
                &format!(
                    "{} ({})",
                    r.pick(
                        "Single losses ranked by impact over 365 days: how often each is in the top 5",
                        "单一损失按 365 天影响排名：进入前 5 的频率"
                    ),
                    match self.by {
                        crate::analysis::EventKind::Supplier
                        | crate::analysis::EventKind::Parent => r.pick("by supplier", "按供应商"),
                        crate::analysis::EventKind::Country => r.pick("by country", "按国家"),
                    }
                ),
                SINGLE_ROWS,
                r,
            ));
        }
        if !self.national.is_empty() {
            out.push(self.rank_table(
                m,
                &self.national,
                r.pick(
                    "National choke-point list: how often each entry is in the top 5 by impact",
                    "全国卡脖子清单：各条目按影响进入前 5 的频率",
                ),
                usize::MAX,
                r,
            ));
        }
        out
    }

    /// The estimates that move the headline results most.
    pub fn sensitivity_table(&self, r: Reading) -> Table {
        let mut t = Table::new(
            r.pick(
                "Sensitivity: share of a headline result's rank variance each estimate explains (ρ², Spearman)",
                "敏感性：各估计值解释的主要结果秩方差份额（ρ²，斯皮尔曼秩相关）",
            ),
            &[
                r.pick("estimate", "估计值"),
                r.pick("range", "范围"),
                r.pick("confidence", "可信度"),
                r.pick("result moved most", "影响最大的结果"),
                "ρ",
                "ρ²",
            ],
        );
        for s in self.sensitivity.iter().take(SENSITIVITY_ROWS) {
            t.row(vec![
                s.estimate.clone(),
                [s.low, s.mode, s.high]
                    .map(|v| {
                        if v.abs() >= 1e6 {
                            r.amount(v)
                        } else {
                            format!("{v}")
                        }
                    })
                    .join("–"),
                s.confidence
                    .map_or("—", |c| match c {
                        crate::model::Confidence::High => r.pick("high", "高"),
                        crate::model::Confidence::Medium => r.pick("medium", "中"),
                        crate::model::Confidence::Low => r.pick("low", "低"),
                    })
                    .to_string(),
                s.result.clone(),
                format!("{:+.2}", s.rho),
                format!("{:.2}", s.explained),
            ]);
        }
        t
    }

    /// Every table, in order.
    pub fn tables(&self, m: &Model, r: Reading) -> Vec<Table> {
        let mut out = self.interval_tables(m, r);
        out.extend(self.rank_tables(m, r));
        out.push(self.sensitivity_table(r));
        out
    }

    /// The whole result in `format` (JSON: the typed document; CSV: one long table).
    pub fn render(&self, m: &Model, r: Reading, format: Format) -> String {
        match format {
            Format::Json => self.to_json(),
            Format::Csv => self.to_csv(),
            f => {
                let mut out = String::new();
                if f == Format::Md {
                    out.push_str(&format!("## {}\n\n", self.heading(r.lang)));
                } else {
                    let width = crate::output::term::prose_width();
                    out.push_str(&crate::output::text::wrap(&self.heading(r.lang), width, ""));
                    out.push('\n');
                }
                for t in self.tables(m, r) {
                    out.push_str(&t.render_in(f, r.lang));
                    out.push('\n');
                }
                out
            }
        }
    }

    /// The JSON document (schema `chokepoint/uncertainty/1`), with a final newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("plain data serializes");
        s.push('\n');
        s
    }

    /// One row per number: section, scenario, subject, metric, then the
    /// deterministic value, P5, P50, P95, the top-5 probability, ρ and ρ².
    pub fn to_csv(&self) -> String {
        let (headers, rows) = self.csv_rows();
        csv_document(&headers, &rows)
    }

    /// The header and rows of [`Uncertainty::to_csv`].
    pub fn csv_rows(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let headers: Vec<String> = [
            "section",
            "scenario",
            "subject",
            "metric",
            "deterministic",
            "p5",
            "p50",
            "p95",
            "top5",
            "rho",
            "explained",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let num = |x: Option<f64>| x.map_or(String::new(), |v| v.to_string());
        let band = |section: &str, scenario: &str, subject: &str, metric: &str, b: &Band| {
            vec![
                section.to_string(),
                scenario.to_string(),
                subject.to_string(),
                metric.to_string(),
                num(b.deterministic),
                num(b.p5),
                num(b.p50),
                num(b.p95),
                String::new(),
                String::new(),
                String::new(),
            ]
        };
        let mut rows = Vec::new();
        for s in &self.systems {
            if let Some(b) = &s.embodied_import_share {
                rows.push(band("system", "", &s.id, "eid", b));
            }
        }
        for sc in &self.scenarios {
            rows.push(band(
                "scenario",
                &sc.id,
                "",
                "total_impact",
                &sc.total_impact,
            ));
            for s in &sc.systems {
                rows.push(band("scenario", &sc.id, &s.id, "tts", &s.tts));
                rows.push(band(
                    "scenario",
                    &sc.id,
                    &s.id,
                    "lost_production",
                    &s.lost_production,
                ));
                if let Some(b) = &s.impact {
                    rows.push(band("scenario", &sc.id, &s.id, "impact", b));
                }
                rows.push(band("scenario", &sc.id, &s.id, "delta_cost", &s.delta_cost));
            }
        }
        for (section, list) in [
            ("single_loss", &self.single_losses),
            ("national", &self.national),
        ] {
            for r in list {
                let mut row = band(section, "", &r.events.join("+"), "impact", &r.impact);
                row[8] = r.top5.to_string();
                rows.push(row);
            }
        }
        for s in &self.sensitivity {
            rows.push(vec![
                "sensitivity".into(),
                String::new(),
                s.estimate.clone(),
                s.result.clone(),
                s.mode.to_string(),
                s.low.to_string(),
                String::new(),
                s.high.to_string(),
                String::new(),
                s.rho.to_string(),
                s.explained.to_string(),
            ]);
        }
        (headers, rows)
    }
}

impl PlanUncertainty {
    /// Before and after the plan, in `format`.
    pub fn render(&self, m: &Model, r: Reading, format: Format) -> String {
        match format {
            Format::Json => {
                let mut s = serde_json::to_string_pretty(self).expect("plain data serializes");
                s.push('\n');
                s
            }
            Format::Csv => {
                let mut headers = vec!["plan".to_string()];
                let mut rows = Vec::new();
                for (when, u) in [("before", &self.before), ("after", &self.after)] {
                    let (h, rs) = u.csv_rows();
                    if headers.len() == 1 {
                        headers.extend(h);
                    }
                    rows.extend(rs.into_iter().map(|mut row| {
                        row.insert(0, when.to_string());
                        row
                    }));
                }
                csv_document(&headers, &rows)
            }
            f => {
                let mut out = String::new();
                let actions = self.actions.join(", ");
                for (title, u) in [
                    (r.pick("Before the plan", "实施方案前"), &self.before),
                    (r.pick("After the plan", "实施方案后"), &self.after),
                ] {
                    let head = format!("{title} ({}: {actions})", r.pick("actions", "措施"));
                    if f == Format::Md {
                        out.push_str(&format!("## {head}\n\n{}\n\n", u.heading(r.lang)));
                    } else {
                        let width = crate::output::term::prose_width();
                        let text = format!("{head}\n{}", u.heading(r.lang));
                        out.push_str(&crate::output::text::wrap(&text, width, ""));
                        out.push('\n');
                    }
                    for t in u.interval_tables(m, r).into_iter().skip(1) {
                        out.push_str(&t.render_in(f, r.lang));
                        out.push('\n');
                    }
                }
                out
            }
        }
    }
}
