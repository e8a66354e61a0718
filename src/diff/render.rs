//! Renderings of a [`GraphDiff`]: tables for a terminal, Markdown for a report
//! appendix (also the source of the HTML report), one long CSV. JSON is the
//! `Serialize` form. Tables list what changed; JSON also keeps unchanged rows.

use super::{GraphDiff, ScenarioDelta, SystemDelta};
use crate::output::{pct, Format, Table};

fn opt_pct(x: Option<f64>) -> String {
    x.map_or("—".into(), pct)
}

fn opt_tts(x: Option<u32>) -> String {
    x.map_or("survives".into(), |t| t.to_string())
}

fn opt_money(x: Option<f64>) -> String {
    x.map_or("—".into(), crate::mitigate::render_money)
}

fn cut(c: &[String]) -> String {
    format!("{{{}}}", c.join(", "))
}

fn delta_pct(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) => {
            let d = (b - a) * 100.0;
            if d.abs() < 0.05 {
                "0.0 pp".into()
            } else {
                format!("{d:+.1} pp")
            }
        }
        _ => "—".into(),
    }
}

impl GraphDiff {
    /// One line: what was compared and how much changed.
    pub fn summary(&self) -> String {
        let changed_systems = self.systems.iter().filter(|s| s.changed()).count();
        let changed_runs = self.scenarios.iter().filter(|s| s.changed()).count();
        format!(
            "Diff {} → {} (case {}, cut sets by {} up to order {}): {} data change(s); \
             {} of {} system(s) with changed metrics; {} risk band change(s); \
             {} of {} scenario result(s) changed.\n",
            self.old,
            self.new,
            self.case.as_str(),
            self.by.as_str(),
            self.order,
            self.changes.len(),
            changed_systems,
            self.systems.len(),
            self.risk.len(),
            changed_runs,
            self.scenarios.len(),
        )
    }

    /// Every data change.
    pub fn changes_table(&self) -> Table {
        let mut t = Table::new(
            "Data changes",
            &["entity", "key", "change", "field", "old", "new"],
        );
        for c in &self.changes {
            t.row(vec![
                c.entity.as_str().into(),
                c.key.clone(),
                c.change.as_str().into(),
                c.field.clone().unwrap_or_default(),
                c.old.clone().unwrap_or_default(),
                c.new.clone().unwrap_or_default(),
            ]);
        }
        t
    }

    /// Embodied import share of every system in both graphs.
    pub fn import_table(&self) -> Table {
        let mut t = Table::new(
            "Embodied import share by system",
            &[
                "system",
                "old",
                "new",
                "change",
                "coverage old",
                "coverage new",
            ],
        );
        for s in &self.systems {
            t.row(vec![
                s.id.clone(),
                opt_pct(s.embodied_import_share_old),
                opt_pct(s.embodied_import_share_new),
                delta_pct(s.embodied_import_share_old, s.embodied_import_share_new),
                opt_pct(s.coverage_old),
                opt_pct(s.coverage_new),
            ]);
        }
        t
    }

    /// Minimal cut sets that appeared or disappeared.
    pub fn cut_set_table(&self) -> Table {
        let mut t = Table::new(
            format!(
                "Minimal cut sets (by {}, order ≤ {})",
                self.by.as_str(),
                self.order
            ),
            &["system", "change", "order", "events"],
        );
        for s in &self.systems {
            let rows = |t: &mut Table, s: &SystemDelta, list: &[Vec<String>], what: &str| {
                for c in list {
                    t.row(vec![s.id.clone(), what.into(), c.len().to_string(), cut(c)]);
                }
            };
            rows(&mut t, s, &s.cut_sets_removed, "removed");
            rows(&mut t, s, &s.cut_sets_added, "added");
        }
        t
    }

    /// Items whose risk band changed.
    pub fn risk_table(&self) -> Table {
        let mut t = Table::new(
            "Risk band changes",
            &["item", "old band", "new band", "old score", "new score"],
        );
        for r in &self.risk {
            t.row(vec![
                r.id.clone(),
                r.band_old.as_str().into(),
                r.band_new.as_str().into(),
                format!("{:.1}", r.score_old),
                format!("{:.1}", r.score_new),
            ]);
        }
        t
    }

    /// Scenario results (TTS, PI) that changed.
    pub fn scenario_table(&self) -> Table {
        let cur = &self.currency;
        let mut t = Table::new(
            "Scenario results that changed",
            &[
                "scenario",
                "system",
                "TTS old",
                "TTS new",
                &format!("PI old ({cur})"),
                &format!("PI new ({cur})"),
            ],
        );
        for s in self.scenarios.iter().filter(|s| s.changed()) {
            t.row(scenario_row(s));
        }
        t
    }

    /// The tables of a text or Markdown rendering, in order.
    pub fn tables(&self) -> Vec<Table> {
        vec![
            self.changes_table(),
            self.import_table(),
            self.cut_set_table(),
            self.risk_table(),
            self.scenario_table(),
        ]
    }

    /// Markdown for a report appendix.
    pub fn to_markdown(&self) -> String {
        let mut out = self.summary();
        for t in self.tables() {
            out.push('\n');
            if t.rows.is_empty() {
                out.push_str(&format!("### {}\n\nNone.\n", t.title));
            } else {
                out.push_str(&t.to_markdown());
            }
        }
        out
    }

    /// Aligned text for a terminal of `width` columns.
    pub fn to_text(&self, width: u16) -> String {
        let mut out = crate::mitigate::wrap_line(self.summary().trim_end(), width as usize);
        for t in self.tables() {
            out.push('\n');
            if t.rows.is_empty() {
                out.push_str(&format!("{}: none\n", t.title));
            } else {
                out.push_str(&t.to_terminal(width));
            }
        }
        out
    }

    /// One long CSV: data changes, then metric changes, each row
    /// `section,key,field,change,old,new`.
    pub fn to_csv(&self) -> String {
        let mut t = Table::new("", &["section", "key", "field", "change", "old", "new"]);
        for c in &self.changes {
            t.row(vec![
                c.entity.as_str().into(),
                c.key.clone(),
                c.field.clone().unwrap_or_default(),
                c.change.as_str().into(),
                c.old.clone().unwrap_or_default(),
                c.new.clone().unwrap_or_default(),
            ]);
        }
        let num = |x: Option<f64>| {
            x.map(|v| crate::scenario::stable_number(v).to_string())
                .unwrap_or_default()
        };
        for s in &self.systems {
            if s.embodied_import_share_old != s.embodied_import_share_new {
                t.row(vec![
                    "embodied_import_share".into(),
                    s.id.clone(),
                    String::new(),
                    "changed".into(),
                    num(s.embodied_import_share_old),
                    num(s.embodied_import_share_new),
                ]);
            }
            for (list, what) in [
                (&s.cut_sets_removed, "removed"),
                (&s.cut_sets_added, "added"),
            ] {
                for c in list {
                    t.row(vec![
                        "cut_set".into(),
                        s.id.clone(),
                        c.join(" "),
                        what.into(),
                        String::new(),
                        String::new(),
                    ]);
                }
            }
        }
        for r in &self.risk {
            t.row(vec![
                "risk_band".into(),
                r.id.clone(),
                String::new(),
                "changed".into(),
                r.band_old.as_str().into(),
                r.band_new.as_str().into(),
            ]);
        }
        for s in self.scenarios.iter().filter(|s| s.changed()) {
            let key = format!("{}/{}", s.scenario, s.system);
            if s.tts_old != s.tts_new {
                t.row(vec![
                    "scenario".into(),
                    key.clone(),
                    "tts".into(),
                    "changed".into(),
                    s.tts_old.map(|x| x.to_string()).unwrap_or_default(),
                    s.tts_new.map(|x| x.to_string()).unwrap_or_default(),
                ]);
            }
            if s.impact_old.map(crate::scenario::stable_number)
                != s.impact_new.map(crate::scenario::stable_number)
            {
                t.row(vec![
                    "scenario".into(),
                    key,
                    "impact".into(),
                    "changed".into(),
                    num(s.impact_old),
                    num(s.impact_new),
                ]);
            }
        }
        t.to_csv()
    }

    /// Renders in any format (JSON pretty-printed, with a trailing newline).
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Json => serde_json::to_string_pretty(self).expect("a diff serializes") + "\n",
            Format::Csv => self.to_csv(),
            Format::Md => self.to_markdown(),
            Format::Table => self.to_text(crate::output::terminal_width()),
        }
    }
}

fn scenario_row(s: &ScenarioDelta) -> Vec<String> {
    vec![
        s.scenario.clone(),
        s.system.clone(),
        opt_tts(s.tts_old),
        opt_tts(s.tts_new),
        opt_money(s.impact_old),
        opt_money(s.impact_new),
    ]
}
