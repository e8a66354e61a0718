//! Renderings of a [`Plan`]: tables for a terminal, Markdown for reports (also
//! the source of the HTML report), CSV for spreadsheets. JSON is the `Serialize`
//! form. Never computes anything.

use super::{ChokePoint, Evaluation, Method, Plan, Selection};
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

/// Breaks a line at spaces so that no output line is wider than `width`
/// characters; continuation lines are indented by two spaces.
pub(crate) fn wrap(line: &str, width: usize) -> String {
    let mut out = String::new();
    let mut current = String::new();
    for word in line.split(' ') {
        let len = current.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            out.push_str(&current);
            out.push('\n');
            current = format!("  {word}");
        } else {
            if len > 0 {
                current.push(' ');
            }
            current.push_str(word);
        }
    }
    out.push_str(&current);
    out.push('\n');
    out
}

/// A table made narrower for a terminal: money columns (headed "…PI…") as
/// short amounts ("62.0 bn") and "step" as "#" — eight columns of 15-digit
/// numbers do not fit 80 columns. Markdown and CSV keep the full numbers.
fn short_money(t: &mut Table) {
    for h in &mut t.headers {
        if h == "step" {
            *h = "#".into();
        }
    }
    let money_cols: Vec<usize> = t
        .headers
        .iter()
        .enumerate()
        .filter(|(_, h)| h.split_whitespace().any(|w| w.ends_with("PI")))
        .map(|(i, _)| i)
        .collect();
    for row in &mut t.rows {
        for &i in &money_cols {
            if let Some(cell) = row.get_mut(i) {
                if let Ok(v) = cell.replace(',', "").parse::<f64>() {
                    *cell = crate::output::amount(v);
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

fn points(list: &[ChokePoint]) -> String {
    list.iter()
        .map(|c| {
            let mark = if c.conditional { "(conditional)" } else { "" };
            format!("{}:{}{mark}", c.system, c.event)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl Plan {
    /// One paragraph: objective, search method and baseline.
    pub fn summary(&self) -> String {
        let method = match self.method {
            Method::Exact => format!(
                "exact search over all {} subsets of size ≤ {} (and lazy greedy, {})",
                self.subsets,
                self.budget,
                match self.greedy_is_optimal {
                    Some(true) => "which found the optimum",
                    _ => "which did not find the optimum",
                }
            ),
            Method::Greedy => format!(
                "lazy greedy (CELF); exact search skipped: {} subsets of size ≤ {}",
                if self.subsets == u64::MAX {
                    "too many".to_string()
                } else {
                    self.subsets.to_string()
                },
                self.budget
            ),
        };
        let scen = if self.objective == "declared" {
            format!("scenarios {}", self.scenarios.join(", "))
        } else {
            format!(
                "a single-{} sweep ({} losses)",
                self.objective.trim_start_matches("sweep-"),
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
            money(self.baseline.total_impact),
            self.currency,
            self.baseline.choke_point_count,
            money(self.chosen().total_impact),
            self.currency,
            self.chosen().choke_point_count,
        )
    }

    /// The steps of a selection: marginal gains and the choke points they remove or add.
    pub fn steps_table(&self, sel: &Selection, title: &str) -> Table {
        let mut t = Table::new(
            title,
            &[
                "step",
                "action",
                &format!("ΔPI ({})", self.currency),
                "Δ choke points",
                &format!("PI after ({})", self.currency),
                "choke points after",
                "removed",
                "added",
            ],
        );
        for s in &sel.steps {
            t.row(vec![
                s.step.to_string(),
                s.action.clone(),
                money(s.delta_impact),
                signed(s.delta_choke_points),
                money(s.after.total_impact),
                s.after.choke_point_count.to_string(),
                points(&s.choke_points_removed),
                points(&s.choke_points_added),
            ]);
        }
        t
    }

    /// Order-1 choke points per system: at baseline and after each step of the chosen plan.
    pub fn choke_point_table(&self) -> Table {
        let sel = self.chosen();
        let mut headers: Vec<String> = vec!["system".into(), "baseline".into()];
        headers.extend(sel.steps.iter().map(|s| format!("after step {}", s.step)));
        let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
        let mut t = Table::new(
            format!("Order-1 choke points (by {})", self.by.as_str()),
            &header_refs,
        );
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
                .map(|c| c.event.as_str())
                .collect();
            if v.is_empty() {
                "—".to_string()
            } else {
                v.join(", ")
            }
        };
        for s in systems {
            let mut row = vec![s.to_string(), cell(&self.baseline, s)];
            row.extend(sel.steps.iter().map(|st| cell(&st.after, s)));
            t.row(row);
        }
        t
    }

    /// Every candidate with its effect alone.
    pub fn candidates_table(&self) -> Table {
        let mut t = Table::new(
            "Candidate actions (effect of each alone)",
            &[
                "#",
                "id",
                "action",
                &format!("ΔPI ({})", self.currency),
                "Δ choke points",
            ],
        );
        for (k, c) in self.candidates.iter().enumerate() {
            t.row(vec![
                (k + 1).to_string(),
                c.action.id.clone(),
                c.action.description.clone(),
                c.alone_delta_impact.map_or("infeasible".into(), money),
                c.alone_delta_choke_points.map_or("—".into(), signed),
            ]);
        }
        t
    }

    /// The tables of a text or Markdown rendering, in order.
    pub fn tables(&self) -> Vec<Table> {
        let mut out = vec![self.steps_table(
            self.chosen(),
            match self.method {
                Method::Exact => "Plan (exact optimum)",
                Method::Greedy => "Plan (lazy greedy)",
            },
        )];
        if self.method == Method::Exact && self.greedy_is_optimal != Some(true) {
            out.push(self.steps_table(&self.greedy, "Lazy greedy plan (not optimal)"));
        }
        out.push(self.choke_point_table());
        out.push(self.candidates_table());
        out
    }

    /// Markdown for a report appendix: the summary, then every table.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        for line in self.summary().lines() {
            out.push_str(line);
            out.push_str("  \n");
        }
        for t in self.tables() {
            out.push('\n');
            out.push_str(&t.to_markdown());
        }
        out
    }

    /// Aligned text for a terminal of `width` columns.
    pub fn to_text(&self, width: u16) -> String {
        let mut out = String::new();
        for line in self.summary().lines() {
            out.push_str(&wrap(line, width as usize));
        }
        for mut t in self.tables() {
            short_money(&mut t);
            out.push('\n');
            out.push_str(&t.to_terminal(width));
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
                points(&self.baseline.choke_points),
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
                    points(&s.after.choke_points),
                    points(&s.choke_points_removed),
                    points(&s.choke_points_added),
                ]);
            }
        }
        t.to_csv()
    }

    /// Renders in any format (JSON pretty-printed, with a trailing newline).
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Json => serde_json::to_string_pretty(self).expect("a plan serializes") + "\n",
            Format::Csv => self.to_csv(),
            Format::Md => self.to_markdown(),
            Format::Table => self.to_text(crate::output::terminal_width()),
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
