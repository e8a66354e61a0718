//! Renderings of a [`GraphDiff`]: tables for a terminal, Markdown for a report
//! appendix (also the source of the HTML report), one long CSV. JSON is the
//! `Serialize` form. Tables list what changed; JSON also keeps unchanged rows.

use super::{ChangeKind, Entity, GraphDiff, ScenarioDelta, SystemDelta};
use crate::analysis::Band;
use crate::model::Lang;
use crate::output::text::Reading;
use crate::output::{pct, Format, Table};

fn entity(e: Entity, lang: Lang) -> &'static str {
    if lang == Lang::En {
        return e.as_str();
    }
    match e {
        Entity::Meta => "元数据",
        Entity::Country => "国家",
        Entity::Reference => "文献",
        Entity::Supplier => "供应商",
        Entity::Item => "物料",
        Entity::Requirement => "需求",
        Entity::Supply => "供应",
        Entity::Scenario => "情景",
        Entity::Figure => "数据",
    }
}

fn change(c: ChangeKind, lang: Lang) -> &'static str {
    match (c, lang) {
        (c, Lang::En) => c.as_str(),
        (ChangeKind::Removed, Lang::Zh) => "删除",
        (ChangeKind::Added, Lang::Zh) => "新增",
        (ChangeKind::Changed, Lang::Zh) => "修改",
    }
}

fn band(b: Band, lang: Lang) -> &'static str {
    match (b, lang) {
        (b, Lang::En) => b.as_str(),
        (Band::Low, Lang::Zh) => "低",
        (Band::Medium, Lang::Zh) => "中",
        (Band::High, Lang::Zh) => "高",
    }
}

fn by_name(by: crate::analysis::EventKind, lang: Lang) -> &'static str {
    match (by, lang) {
        (b, Lang::En) => b.as_str(),
        (crate::analysis::EventKind::Country, Lang::Zh) => "国家",
        (crate::analysis::EventKind::Supplier, Lang::Zh) => "供应商",
        (crate::analysis::EventKind::Parent, Lang::Zh) => "母公司",
    }
}

fn opt_pct(x: Option<f64>) -> String {
    x.map_or("—".into(), pct)
}

fn opt_tts(x: Option<u32>, lang: Lang) -> String {
    x.map_or(lang.pick("survives", "全程维持").into(), |t| {
        t.to_string()
    })
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
            // pp: percentage points, a unit in both languages.
        }
        _ => "—".into(),
    }
}

impl GraphDiff {
    /// One line: what was compared and how much changed.
    pub fn summary(&self) -> String {
        self.summary_in(Lang::En)
    }

    /// [`GraphDiff::summary`] in `lang`.
    pub fn summary_in(&self, lang: Lang) -> String {
        let changed_systems = self.systems.iter().filter(|s| s.changed()).count();
        let changed_runs = self.scenarios.iter().filter(|s| s.changed()).count();
        match lang {
            Lang::En => format!(
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
            ),
            Lang::Zh => format!(
                "对比 {} → {}（取值 {}，割集按{}、阶数 ≤ {}）：数据变化 {} 处；\
                 {} 类整机中 {} 类指标有变化；风险等级变化 {} 处；\
                 {} 个情景结果中 {} 个有变化。\n",
                self.old,
                self.new,
                Reading::new(lang, false).case(self.case),
                by_name(self.by, lang),
                self.order,
                self.changes.len(),
                self.systems.len(),
                changed_systems,
                self.risk.len(),
                self.scenarios.len(),
                changed_runs,
            ),
        }
    }

    /// Every data change.
    pub fn changes_table(&self, lang: Lang) -> Table {
        let mut t = match lang {
            Lang::En => Table::new(
                "Data changes",
                &["entity", "what", "change", "field", "old", "new"],
            ),
            Lang::Zh => Table::new(
                "数据变化",
                &["类别", "对象", "变化", "字段", "原值", "新值"],
            ),
        };
        for c in &self.changes {
            t.row(vec![
                entity(c.entity, lang).into(),
                self.names.name_each(&c.key, lang),
                change(c.change, lang).into(),
                c.field.clone().unwrap_or_default(),
                c.old.clone().unwrap_or_default(),
                c.new.clone().unwrap_or_default(),
            ]);
        }
        t
    }

    /// Embodied import share of every system in both graphs.
    pub fn import_table(&self, lang: Lang) -> Table {
        let mut t = match lang {
            Lang::En => Table::new(
                "Embodied import share by system",
                &[
                    "system",
                    "old",
                    "new",
                    "change",
                    "coverage old",
                    "coverage new",
                ],
            ),
            Lang::Zh => Table::new(
                "各整机的隐含进口占比",
                &["整机", "原值", "新值", "变化", "原覆盖率", "新覆盖率"],
            ),
        };
        for s in &self.systems {
            t.row(vec![
                self.names.name(&s.id, lang).to_string(),
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
    pub fn cut_set_table(&self, lang: Lang) -> Table {
        let mut t = match lang {
            Lang::En => Table::new(
                format!(
                    "Minimal cut sets (by {}, order ≤ {})",
                    self.by.as_str(),
                    self.order
                ),
                &["system", "change", "order", "events"],
            ),
            Lang::Zh => Table::new(
                format!(
                    "最小割集（按{}，阶数 ≤ {}）",
                    by_name(self.by, lang),
                    self.order
                ),
                &["整机", "变化", "阶数", "事件"],
            ),
        };
        for s in &self.systems {
            let rows = |t: &mut Table, s: &SystemDelta, list: &[Vec<String>], what: &str| {
                for c in list {
                    let events: Vec<String> = c
                        .iter()
                        .map(|e| self.names.name(e, lang).to_string())
                        .collect();
                    t.row(vec![
                        self.names.name(&s.id, lang).to_string(),
                        what.into(),
                        c.len().to_string(),
                        cut(&events),
                    ]);
                }
            };
            rows(
                &mut t,
                s,
                &s.cut_sets_removed,
                change(ChangeKind::Removed, lang),
            );
            rows(
                &mut t,
                s,
                &s.cut_sets_added,
                change(ChangeKind::Added, lang),
            );
        }
        t
    }

    /// Items whose risk band changed.
    pub fn risk_table(&self, lang: Lang) -> Table {
        let mut t = match lang {
            Lang::En => Table::new(
                "Risk band changes",
                &["item", "old band", "new band", "old score", "new score"],
            ),
            Lang::Zh => Table::new(
                "风险等级变化",
                &["物料", "原等级", "新等级", "原分数", "新分数"],
            ),
        };
        for r in &self.risk {
            t.row(vec![
                self.names.name(&r.id, lang).to_string(),
                band(r.band_old, lang).into(),
                band(r.band_new, lang).into(),
                format!("{:.1}", r.score_old),
                format!("{:.1}", r.score_new),
            ]);
        }
        t
    }

    /// Scenario results (TTS, PI) that changed.
    pub fn scenario_table(&self, lang: Lang) -> Table {
        let cur = &self.currency;
        let mut t = match lang {
            Lang::En => Table::new(
                "Scenario results that changed",
                &[
                    "scenario",
                    "system",
                    "TTS old",
                    "TTS new",
                    &format!("PI old ({cur})"),
                    &format!("PI new ({cur})"),
                ],
            ),
            Lang::Zh => Table::new(
                "有变化的情景结果",
                &[
                    "情景",
                    "整机",
                    "原 TTS",
                    "新 TTS",
                    &format!("原 PI（{cur}）"),
                    &format!("新 PI（{cur}）"),
                ],
            ),
        };
        for s in self.scenarios.iter().filter(|s| s.changed()) {
            let mut row = scenario_row(s, lang);
            row[1] = self.names.name(&s.system, lang).to_string();
            t.row(row);
        }
        t
    }

    /// The tables of a text or Markdown rendering, in order.
    pub fn tables(&self) -> Vec<Table> {
        self.tables_in(Lang::En)
    }

    /// [`GraphDiff::tables`] in `lang`.
    pub fn tables_in(&self, lang: Lang) -> Vec<Table> {
        vec![
            self.changes_table(lang),
            self.import_table(lang),
            self.cut_set_table(lang),
            self.risk_table(lang),
            self.scenario_table(lang),
        ]
    }

    /// Markdown for a report appendix.
    pub fn to_markdown(&self) -> String {
        self.to_markdown_in(Lang::En)
    }

    /// [`GraphDiff::to_markdown`] in `lang`.
    pub fn to_markdown_in(&self, lang: Lang) -> String {
        let mut out = self.summary_in(lang);
        for t in self.tables_in(lang) {
            out.push('\n');
            if t.rows.is_empty() {
                out.push_str(&format!(
                    "### {}\n\n{}\n",
                    t.title,
                    lang.pick("None.", "无。")
                ));
            } else {
                out.push_str(&t.to_markdown_in(lang));
            }
        }
        out
    }

    /// Aligned text for a terminal of `width` columns.
    pub fn to_text(&self, width: u16) -> String {
        self.to_text_in(width, Lang::En)
    }

    /// [`GraphDiff::to_text`] in `lang`.
    pub fn to_text_in(&self, width: u16, lang: Lang) -> String {
        let mut out = crate::mitigate::wrap_line(self.summary_in(lang).trim_end(), width as usize);
        for t in self.tables_in(lang) {
            out.push('\n');
            if t.rows.is_empty() {
                out.push_str(&format!("{}{}\n", t.title, lang.pick(": none", "：无")));
            } else {
                out.push_str(&t.to_terminal_in(width, lang));
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
        self.render_in(format, Lang::En)
    }

    /// [`GraphDiff::render`] with the text for people in `lang` (JSON and CSV
    /// do not depend on it).
    pub fn render_in(&self, format: Format, lang: Lang) -> String {
        match format {
            Format::Json => serde_json::to_string_pretty(self).expect("a diff serializes") + "\n",
            Format::Csv => self.to_csv(),
            Format::Md => self.to_markdown_in(lang),
            Format::Table => self.to_text_in(crate::output::terminal_width(), lang),
        }
    }
}

fn scenario_row(s: &ScenarioDelta, lang: Lang) -> Vec<String> {
    vec![
        s.scenario.clone(),
        s.system.clone(),
        opt_tts(s.tts_old, lang),
        opt_tts(s.tts_new, lang),
        opt_money(s.impact_old),
        opt_money(s.impact_new),
    ]
}
