//! The glossary: what TTS, LP, PI, REI, EID, DI and HHI stand for, in the
//! report's language, with the section of docs/metrics.md that defines each.
//! The English wording is the one of `output::text::GLOSSARY` (the CLI's
//! legends); the HTML writer also puts each meaning on an `<abbr title>`.

use super::Ctx;
use crate::model::Lang;
use crate::output::text::GLOSSARY;
use crate::report::doc::{para, Block, Cell, DocTable};

/// What `abbr` stands for in `lang`; `None` for a word that is no glossary term.
pub fn meaning(abbr: &str, lang: Lang) -> Option<&'static str> {
    let term = GLOSSARY.iter().find(|t| t.abbr == abbr)?;
    Some(match lang {
        Lang::En => term.meaning,
        Lang::Zh => match abbr {
            "DI" => "直接进口份额：物料供应中来自境外的份额",
            "EID" => "隐含进口份额：沿整个物料清单计算的物料价值中的进口部分",
            "HHI" => "赫芬达尔–赫希曼指数：供应集中度，0（分散）至 1（单一来源）",
            "TTS" => "生存时间：整机产出首次不足的日期",
            "LP" => "损失产量：情景期间损失的满产天数",
            "PI" => "绩效影响：LP × 整机市场规模 / 365，以货币计",
            "REI" => "风险暴露指数：PI / 扫描中的最大 PI",
            _ => term.meaning,
        },
    })
}

/// The glossary section.
pub fn push(b: &mut Vec<Block>, cx: &Ctx) {
    let Ctx { lang, l, .. } = *cx;
    b.push(Block::Open("glossary".into()));
    b.push(Block::Heading {
        level: 2,
        anchor: "glossary-h".into(),
        text: l.glossary.into(),
    });
    b.push(para(l.glossary_intro));
    let mut t = DocTable::new(
        "glossary",
        "",
        "glossary-table".into(),
        l.glossary.into(),
        &[
            (l.col_abbr, false),
            (l.col_meaning, false),
            (l.col_defined_in, false),
        ],
    );
    for term in GLOSSARY {
        t.rows.push(vec![
            Cell::text(term.abbr).class("id"),
            Cell::text(meaning(term.abbr, lang).unwrap_or(term.meaning)),
            Cell::text(term.section),
        ]);
    }
    b.push(Block::Table(t));
    b.push(Block::Close);
}
