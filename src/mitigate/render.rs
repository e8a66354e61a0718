//! Renderings of a [`Plan`]: tables for a terminal, Markdown for reports (also
//! the source of the HTML report), CSV for spreadsheets. JSON is the `Serialize`
//! form. Never computes anything.

use super::{ChokePoint, Evaluation, Method, Plan, Selection};
use crate::model::Lang;
use crate::model::Names;
use crate::output::text::Reading;
use crate::output::{Format, Table};

/// A money amount with thousands separators and no decimals: 1234567.8 → "1,234,568".
pub(crate) fn money(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let neg = x < 0.0 && x.round() != 0.0;
    let digits = format!("{:.0}", x.abs().round());
    let mut out = String::new();
    for (k, ch) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if neg {
        format!("-{out}")
    } else {
        out
    }
}

/// Breaks a line at spaces (and between Chinese characters) so that no
/// output line is wider than `width` columns; continuation lines are indented
/// by two spaces. The one wrapping function is [`crate::output::text::wrap_hanging`].
pub(crate) fn wrap(line: &str, width: usize) -> String {
    crate::output::text::wrap_hanging(line, width, "", "  ")
}

/// A table made narrower for a terminal: money columns (headed "…PI…") as
/// short amounts ("62.0 bn") and "step" as "#" — eight columns of 15-digit
/// numbers do not fit 80 columns. Markdown and CSV keep the full numbers.
fn short_money(t: &mut Table, lang: Lang) {
    for h in &mut t.headers {
        if h == "step" || h == "步骤" {
            *h = "#".into();
        }
    }
    let money_cols: Vec<usize> = t
        .headers
        .iter()
        .enumerate()
        .filter(|(_, h)| h.contains("PI"))
        .map(|(i, _)| i)
        .collect();
    for row in &mut t.rows {
        for &i in &money_cols {
            if let Some(cell) = row.get_mut(i) {
                if let Ok(v) = cell.replace(',', "").parse::<f64>() {
                    *cell = crate::output::text::amount_in(v, lang);
                }
            }
        }
    }
}

fn signed(x: i64) -> String {
    if x > 0 {
        format!("+{x}")
    } else {
        x.to_string()
    }
}

/// Choke points as `system:event` ids (the CSV keeps ids).
fn points(list: &[ChokePoint], lang: Lang) -> String {
    list.iter()
        .map(|c| {
            let mark = if c.conditional {
                lang.pick("(conditional)", "（有条件）")
            } else {
                ""
            };
            format!("{}:{}{mark}", c.system, c.event)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Choke points for people: "system name: event name", one per entry, `; `-separated.
fn named_points(names: &Names, list: &[ChokePoint], lang: Lang) -> String {
    list.iter()
        .map(|c| {
            let mark = if c.conditional {
                lang.pick(" (conditional)", "（有条件）")
            } else {
                ""
            };
            format!(
                "{}: {}{mark}",
                names.name(&c.system, lang),
                names.name(&c.event, lang)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

impl Plan {
    /// One paragraph: objective, search method and baseline.
    pub fn summary(&self) -> String {
        self.summary_in(Lang::En)
    }

    /// [`Plan::summary`] in `lang`.
    pub fn summary_in(&self, lang: Lang) -> String {
        let r = Reading::new(lang, false);
        let subsets = if self.subsets == u64::MAX {
            r.pick("too many", "过多").to_string()
        } else {
            self.subsets.to_string()
        };
        let found = matches!(self.greedy_is_optimal, Some(true));
        let sweep_kind = self.objective.trim_start_matches("sweep-");
        let amount = |x: f64| match lang {
            Lang::En => money(x),
            Lang::Zh => r.amount(x),
        };
        match lang {
            Lang::En => {
                let method = match self.method {
                    Method::Exact => format!(
                        "exact search over all {} subsets of size ≤ {} (and lazy greedy, {})",
                        self.subsets,
                        self.budget,
                        if found {
                            "which found the optimum"
                        } else {
                            "which did not find the optimum"
                        }
                    ),
                    Method::Greedy => format!(
                        "lazy greedy (CELF); exact search skipped: {subsets} subsets of size ≤ {}",
                        self.budget
                    ),
                };
                let scen = if self.objective == "declared" {
                    format!("scenarios {}", self.scenarios.join(", "))
                } else {
                    format!(
                        "a single-{sweep_kind} sweep ({} losses)",
                        self.scenarios.len()
                    )
                };
                format!(
                    "Mitigation plan — budget {}, {} candidate action(s), case {}, choke points by {}.\n\
                     Objective: total impact PI over {scen}, then the number of order-1 choke points.\n\
                     Method: {method}; {} graph(s) evaluated.\n\
                     Baseline: PI {} {}, {} order-1 choke point(s). Plan: PI {} {}, {} choke point(s).\n",
                    self.budget,
                    self.candidates.len(),
                    self.case.as_str(),
                    self.by.as_str(),
                    self.evaluations,
                    amount(self.baseline.total_impact),
                    self.currency,
                    self.baseline.choke_point_count,
                    amount(self.chosen().total_impact),
                    self.currency,
                    self.chosen().choke_point_count,
                )
            }
            Lang::Zh => {
                let method = match self.method {
                    Method::Exact => format!(
                        "穷举全部 {} 个规模 ≤ {} 的组合（另以惰性贪心求解，{}）",
                        self.subsets,
                        self.budget,
                        if found {
                            "贪心找到了最优解"
                        } else {
                            "贪心未找到最优解"
                        }
                    ),
                    Method::Greedy => format!(
                        "惰性贪心（CELF）；未穷举：规模 ≤ {} 的组合有 {subsets} 个",
                        self.budget
                    ),
                };
                let scen = if self.objective == "declared" {
                    format!("情景 {}", self.scenarios.join("、"))
                } else {
                    format!(
                        "单一{}断供扫描（{} 种断供）",
                        if sweep_kind == "country" {
                            "国家"
                        } else {
                            "供应商"
                        },
                        self.scenarios.len()
                    )
                };
                format!(
                    "缓解方案 — 预算 {} 项，候选措施 {} 项，取值 {}，卡脖子点按{}计。\n\
                     目标：{scen}的总影响 PI 最小，其次一阶卡脖子点最少。\n\
                     方法：{method}；共评估 {} 个图。\n\
                     基线：PI {} {}，一阶卡脖子点 {} 个。方案：PI {} {}，卡脖子点 {} 个。\n",
                    self.budget,
                    self.candidates.len(),
                    r.case(self.case),
                    match self.by {
                        crate::analysis::EventKind::Country => "国家",
                        crate::analysis::EventKind::Supplier => "供应商",
                        crate::analysis::EventKind::Parent => "母公司",
                    },
                    self.evaluations,
                    amount(self.baseline.total_impact),
                    self.currency,
                    self.baseline.choke_point_count,
                    amount(self.chosen().total_impact),
                    self.currency,
                    self.chosen().choke_point_count,
                )
            }
        }
    }

    /// The steps of a selection: marginal gains and the choke points they remove or add.
    pub fn steps_table(&self, sel: &Selection, title: &str) -> Table {
        self.steps_table_in(sel, title, Lang::En)
    }

    /// [`Plan::steps_table`] in `lang`.
    pub fn steps_table_in(&self, sel: &Selection, title: &str, lang: Lang) -> Table {
        let cur = &self.currency;
        let mut t = match lang {
            Lang::En => Table::new(
                title,
                &[
                    "step",
                    "action",
                    &format!("ΔPI ({cur})"),
                    "Δ choke points",
                    &format!("PI after ({cur})"),
                    "choke points after",
                    "removed",
                    "added",
                ],
            ),
            Lang::Zh => Table::new(
                title,
                &[
                    "步骤",
                    "措施",
                    &format!("ΔPI（{cur}）"),
                    "Δ卡脖子点",
                    &format!("实施后 PI（{cur}）"),
                    "实施后卡脖子点",
                    "消除",
                    "新增",
                ],
            ),
        };
        for s in &sel.steps {
            t.row(vec![
                s.step.to_string(),
                s.action.clone(),
                money(s.delta_impact),
                signed(s.delta_choke_points),
                money(s.after.total_impact),
                s.after.choke_point_count.to_string(),
                named_points(&self.names, &s.choke_points_removed, lang),
                named_points(&self.names, &s.choke_points_added, lang),
            ]);
        }
        t
    }

    /// Order-1 choke points per system: at baseline and after each step of the chosen plan.
    pub fn choke_point_table(&self) -> Table {
        self.choke_point_table_in(Lang::En)
    }

    /// [`Plan::choke_point_table`] in `lang`.
    pub fn choke_point_table_in(&self, lang: Lang) -> Table {
        let sel = self.chosen();
        let mut headers: Vec<String> = vec![
            lang.pick("system", "整机").into(),
            lang.pick("baseline", "基线").into(),
        ];
        headers.extend(sel.steps.iter().map(|s| match lang {
            Lang::En => format!("after step {}", s.step),
            Lang::Zh => format!("第 {} 步后", s.step),
        }));
        let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
        let title = match (lang, self.by) {
            (Lang::En, by) => format!("Order-1 choke points (by {})", by.as_str()),
            (Lang::Zh, crate::analysis::EventKind::Country) => "一阶卡脖子点（按国家）".into(),
            (Lang::Zh, crate::analysis::EventKind::Supplier) => "一阶卡脖子点（按供应商）".into(),
            (Lang::Zh, crate::analysis::EventKind::Parent) => "一阶卡脖子点（按母公司）".into(),
        };
        let mut t = Table::new(title, &header_refs);
        let mut systems: Vec<&str> = Vec::new();
        for e in std::iter::once(&self.baseline).chain(sel.steps.iter().map(|s| &s.after)) {
            for c in &e.choke_points {
                if !systems.contains(&c.system.as_str()) {
                    systems.push(&c.system);
                }
            }
        }
        let cell = |e: &Evaluation, system: &str| {
            let v: Vec<&str> = e
                .choke_points
                .iter()
                .filter(|c| c.system == system)
                .map(|c| self.names.name(&c.event, lang))
                .collect();
            if v.is_empty() {
                "—".to_string()
            } else {
                v.join(", ")
            }
        };
        for s in systems {
            let mut row = vec![
                self.names.name(s, lang).to_string(),
                cell(&self.baseline, s),
            ];
            row.extend(sel.steps.iter().map(|st| cell(&st.after, s)));
            t.row(row);
        }
        t
    }

    /// Every candidate with its effect alone.
    pub fn candidates_table(&self) -> Table {
        self.candidates_table_in(Lang::En)
    }

    /// [`Plan::candidates_table`] in `lang`.
    pub fn candidates_table_in(&self, lang: Lang) -> Table {
        let cur = &self.currency;
        let mut t = match lang {
            Lang::En => Table::new(
                "Candidate actions (effect of each alone)",
                &[
                    "#",
                    "id",
                    "action",
                    &format!("ΔPI ({cur})"),
                    "Δ choke points",
                ],
            ),
            Lang::Zh => Table::new(
                "候选措施（各自单独实施的效果）",
                &["#", "编号", "措施", &format!("ΔPI（{cur}）"), "Δ卡脖子点"],
            ),
        };
        for (k, c) in self.candidates.iter().enumerate() {
            t.row(vec![
                (k + 1).to_string(),
                c.action.id.clone(),
                lang.pick(&c.action.description, &c.action.description_zh)
                    .to_string(),
                c.alone_delta_impact
                    .map_or(lang.pick("infeasible", "不可行").into(), money),
                c.alone_delta_choke_points.map_or("—".into(), signed),
            ]);
        }
        t
    }

    /// The tables of a text or Markdown rendering, in order.
    pub fn tables(&self) -> Vec<Table> {
        self.tables_in(Lang::En)
    }

    /// [`Plan::tables`] in `lang`.
    pub fn tables_in(&self, lang: Lang) -> Vec<Table> {
        let title = match (self.method, lang) {
            (Method::Exact, Lang::En) => "Plan (exact optimum)",
            (Method::Greedy, Lang::En) => "Plan (lazy greedy)",
            (Method::Exact, Lang::Zh) => "方案（穷举最优）",
            (Method::Greedy, Lang::Zh) => "方案（惰性贪心）",
        };
        let mut out = vec![self.steps_table_in(self.chosen(), title, lang)];
        if self.method == Method::Exact && self.greedy_is_optimal != Some(true) {
            out.push(self.steps_table_in(
                &self.greedy,
                lang.pick("Lazy greedy plan (not optimal)", "惰性贪心方案（非最优）"),
                lang,
            ));
        }
        out.push(self.choke_point_table_in(lang));
        out.push(self.candidates_table_in(lang));
        out
    }

    /// Markdown for a report appendix: the summary, then every table.
    pub fn to_markdown(&self) -> String {
        self.to_markdown_in(Lang::En)
    }

    /// [`Plan::to_markdown`] in `lang`.
    pub fn to_markdown_in(&self, lang: Lang) -> String {
        let mut out = String::new();
        for line in self.summary_in(lang).lines() {
            out.push_str(line);
            out.push_str("  \n");
        }
        for t in self.tables_in(lang) {
            out.push('\n');
            out.push_str(&t.to_markdown_in(lang));
        }
        out
    }

    /// Aligned text for a terminal of `width` columns.
    pub fn to_text(&self, width: u16) -> String {
        self.to_text_in(width, Lang::En)
    }

    /// [`Plan::to_text`] in `lang`.
    pub fn to_text_in(&self, width: u16, lang: Lang) -> String {
        let mut out = String::new();
        for line in self.summary_in(lang).lines() {
            out.push_str(&wrap(line, width as usize));
        }
        for mut t in self.tables_in(lang) {
            short_money(&mut t, lang);
            out.push('\n');
            out.push_str(&t.to_terminal_in(width, lang));
        }
        out
    }

    /// CSV: one row for the baseline and one per step of each plan, with the
    /// resulting choke-point list (`system:event` separated by spaces).
    pub fn to_csv(&self) -> String {
        let mut t = Table::new(
            "",
            &[
                "plan",
                "step",
                "action",
                "description",
                "delta_impact",
                "delta_choke_points",
                "total_impact",
                "choke_points",
                "choke_point_list",
                "removed",
                "added",
            ],
        );
        let num = |x: f64| crate::scenario::stable_number(x).to_string();
        let mut plans: Vec<(&str, &Selection)> = Vec::new();
        if let Some(x) = &self.exact {
            plans.push(("exact", x));
        }
        plans.push(("greedy", &self.greedy));
        for (name, sel) in plans {
            t.row(vec![
                name.into(),
                "0".into(),
                String::new(),
                "baseline".into(),
                String::new(),
                String::new(),
                num(self.baseline.total_impact),
                self.baseline.choke_point_count.to_string(),
                points(&self.baseline.choke_points, Lang::En),
                String::new(),
                String::new(),
            ]);
            for s in &sel.steps {
                t.row(vec![
                    name.into(),
                    s.step.to_string(),
                    s.action.clone(),
                    s.description.clone(),
                    num(s.delta_impact),
                    s.delta_choke_points.to_string(),
                    num(s.after.total_impact),
                    s.after.choke_point_count.to_string(),
                    points(&s.after.choke_points, Lang::En),
                    points(&s.choke_points_removed, Lang::En),
                    points(&s.choke_points_added, Lang::En),
                ]);
            }
        }
        t.to_csv()
    }

    /// Renders in any format (JSON pretty-printed, with a trailing newline).
    pub fn render(&self, format: Format) -> String {
        self.render_in(format, Lang::En)
    }

    /// [`Plan::render`] with the text for people in `lang` (JSON and CSV hold
    /// ids and data and do not depend on it).
    pub fn render_in(&self, format: Format, lang: Lang) -> String {
        match format {
            Format::Json => serde_json::to_string_pretty(self).expect("a plan serializes") + "\n",
            Format::Csv => self.to_csv(),
            Format::Md => self.to_markdown_in(lang),
            Format::Table => self.to_text_in(crate::output::terminal_width(), lang),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::money;

    #[test]
    fn wrap_breaks_at_spaces_within_the_width() {
        assert_eq!(super::wrap("aaa bbb ccc", 7), "aaa bbb\n  ccc\n");
        assert_eq!(super::wrap("short", 80), "short\n");
    }

    #[test]
    fn money_groups_thousands_and_rounds() {
        assert_eq!(money(1234567.8), "1,234,568");
        assert_eq!(money(999.4), "999");
        assert_eq!(money(-1500.0), "-1,500");
        assert_eq!(money(-0.2), "0");
        assert_eq!(money(f64::NAN), "—");
    }
}
