//! The summary `check` prints for a valid graph: counts of items by kind,
//! suppliers, countries, references, scenarios, figures and warnings by code,
//! and its table in English or Chinese.
//!
//! Owns: [`Summary`] and its rendering. Never: reads files or validates (the
//! model it counts is already valid).

use super::Diagnostic;
use crate::model::{ItemKind, Lang, Model};
use crate::output::Table;
use indexmap::IndexMap;
use serde::Serialize;

/// What `check` reports about a valid graph.
#[derive(Serialize, Debug, PartialEq)]
pub struct Summary {
    pub title: String,
    /// `meta.title_zh`, the title under `--lang zh` (not in the JSON).
    #[serde(skip)]
    pub title_zh: Option<String>,
    pub home: String,
    pub files: usize,
    pub items: usize,
    pub items_by_kind: IndexMap<&'static str, usize>,
    pub suppliers: usize,
    /// Countries declared or used by a supplier, a supply site, a scenario or `home`.
    pub countries: usize,
    pub references: usize,
    pub scenarios: usize,
    pub figures: usize,
    pub warnings: usize,
    pub warnings_by_code: IndexMap<String, usize>,
}

/// Counts what `model` holds; `warnings` are the loader's.
pub fn summarize(model: &Model, warnings: &[Diagnostic]) -> Summary {
    let mut items_by_kind = IndexMap::new();
    for k in ItemKind::ALL {
        items_by_kind.insert(
            k.as_str(),
            model.items.values().filter(|i| i.kind == k).count(),
        );
    }
    let warnings_by_code: IndexMap<String, usize> = super::count_by_code(warnings)
        .into_iter()
        .map(|(code, n)| (code.to_string(), n))
        .collect();
    Summary {
        title: model.meta.title.clone(),
        title_zh: model.meta.title_zh.clone(),
        home: model.meta.home.to_string(),
        files: model.files.len(),
        items: model.items.len(),
        items_by_kind,
        suppliers: model.suppliers.len(),
        countries: model.countries_in_use().len(),
        references: model.references.len(),
        scenarios: model.scenarios.len(),
        figures: model.figures.len(),
        warnings: warnings.len(),
        warnings_by_code,
    }
}

impl Summary {
    /// The summary as a table in `lang`.
    pub fn table(&self, lang: Lang) -> Table {
        let s = self;
        let zh = lang == Lang::Zh;
        let title = match (&s.title_zh, lang) {
            (Some(zh), Lang::Zh) => zh.as_str(),
            _ if s.title.is_empty() => lang.pick("graph", "图"),
            _ => &s.title,
        };
        let mut t = if zh {
            Table::new(
                format!("{title} — 校验通过（视角 {}）", s.home),
                &["项目", "数量"],
            )
        } else {
            Table::new(
                format!("{title} — valid (home {})", s.home),
                &["what", "count"],
            )
        };
        fn kind_zh(k: &str) -> &str {
            match k {
                "system" => "整机",
                "subsystem" => "子系统",
                "part" => "部件",
                "component" => "元器件",
                "material" => "材料",
                "software" => "软件",
                other => other,
            }
        }
        t.row(vec![lang.pick("files", "文件").into(), s.files.to_string()]);
        t.row(vec![lang.pick("items", "物料").into(), s.items.to_string()]);
        for (k, n) in &s.items_by_kind {
            let k = if zh { kind_zh(k) } else { k };
            t.row(vec![format!("  {k}"), n.to_string()]);
        }
        for (what, n) in [
            (lang.pick("suppliers", "供应商"), s.suppliers),
            (lang.pick("countries", "国家"), s.countries),
            (lang.pick("references", "文献"), s.references),
            (lang.pick("scenarios", "情景"), s.scenarios),
            (lang.pick("figures", "数据"), s.figures),
            (lang.pick("warnings", "警告"), s.warnings),
        ] {
            t.row(vec![what.into(), n.to_string()]);
        }
        for (code, n) in &s.warnings_by_code {
            t.row(vec![format!("  {code}"), n.to_string()]);
        }
        t
    }
}
