//! `chokepoint check`: validate a graph and summarise it.

use super::{emit_as, load_graph_with, CliError, GraphOpts, WarningDetail};
use chokepoint::model::{ItemKind, Lang, Model};
use chokepoint::output::{Format, Table};
use indexmap::IndexMap;
use serde::Serialize;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub graph: GraphOpts,
    /// Language of the summary table (JSON does not change).
    #[arg(long, value_enum, default_value_t = super::LangArg::En)]
    pub lang: super::LangArg,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the summary to this file instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// What `check` reports about a valid graph.
#[derive(Serialize, Debug, PartialEq)]
pub struct Summary {
    pub title: String,
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

pub fn summarize(model: &Model, warnings: &[chokepoint::load::Diagnostic]) -> Summary {
    let mut items_by_kind = IndexMap::new();
    for k in ItemKind::ALL {
        items_by_kind.insert(
            k.as_str(),
            model.items.values().filter(|i| i.kind == k).count(),
        );
    }
    let warnings_by_code: IndexMap<String, usize> = chokepoint::load::count_by_code(warnings)
        .into_iter()
        .map(|(code, n)| (code.to_string(), n))
        .collect();
    Summary {
        title: model.meta.title.clone(),
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

pub fn run(args: CheckArgs) -> Result<(), CliError> {
    let loaded = load_graph_with(&args.graph, WarningDetail::Located)?;
    let s = summarize(&loaded.model, &loaded.warnings);
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&s).expect("summary serializes") + "\n",
        f => summary_table(&s, Lang::from(args.lang)).render_in(f, Lang::from(args.lang)),
    };
    emit_as(args.out.as_deref(), &text, args.format)
}

/// The summary as a table in `lang`.
fn summary_table(s: &Summary, lang: Lang) -> Table {
    let zh = lang == Lang::Zh;
    let title = if s.title.is_empty() {
        lang.pick("graph", "图")
    } else {
        &s.title
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
