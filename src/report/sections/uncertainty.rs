//! The "uncertainty" view (issue 23): intervals on every headline number, a
//! tornado chart of the estimates that move results most, and the rank
//! stability of the national choke-point list — from the [`Uncertainty`] the
//! caller sampled (`report --samples N`). Lays out only; every number is the
//! sampler's, worded by `uncertainty::render`.

use super::Ctx;
use crate::output::text::Reading;
use crate::output::Table;
use crate::report::charts::{self, TornadoBar};
use crate::report::doc::{para, Block, Cell, DocTable, Figure};
use crate::uncertainty::Uncertainty;

/// Bars in the tornado chart.
pub const TORNADO_BARS: usize = 12;

/// A rendered table as a report table; the cells of `keep` columns are data in
/// their own language (estimate ids, names as the graph writes them).
fn doc_table(key: &str, id: String, t: &Table, keep: &[(usize, &str)]) -> DocTable {
    let headers: Vec<(&str, bool)> = t.headers.iter().map(|h| (h.as_str(), false)).collect();
    let mut d = DocTable::new("uncertainty", key, id, t.title.clone(), &headers);
    d.rows = t
        .rows
        .iter()
        .map(|r| {
            r.iter()
                .enumerate()
                .map(|(k, c)| match keep.iter().find(|(col, _)| *col == k) {
                    Some((_, class)) => Cell::text(c.clone()).class(*class),
                    None => Cell::text(c.clone()),
                })
                .collect()
        })
        .collect();
    d.empty = "—".into();
    d
}

pub fn push(b: &mut Vec<Block>, cx: &Ctx, u: &Uncertainty) {
    let lang = cx.lang;
    let r = Reading::new(lang, false);
    b.push(Block::Open("uncertainty".into()));
    b.push(Block::Heading {
        level: 2,
        anchor: "uncertainty-h".into(),
        text: lang.pick("Uncertainty", "不确定性").into(),
    });
    b.push(para(u.heading(lang)));
    b.push(para(lang.pick(
        "Every estimate given as a range is drawn from a triangular distribution on its low–high range with its stated value as the mode; bare numbers stay fixed; the shares of a fully attributed item are renormalised to keep their sum. P5 and P95 bound the middle 90 % of the samples; the single-case figures elsewhere in this report are the mid case. Definitions: docs/metrics.md, \"Uncertainty\".",
        "凡以区间给出的估计值，均在其低–高区间上按三角分布抽样，以给定值为众数；单一数值保持不变；来源已全部归属的物项，其份额重新归一以保持总和。P5 与 P95 框出中间 90 % 的样本；本报告其他部分的单一情形数字为中值情形。定义见 docs/metrics.md。",
    )));
    let tables = u.interval_tables(cx.model, r);
    for (k, t) in tables.iter().enumerate() {
        let key = match k {
            0 => "eid".to_string(),
            _ => u.scenarios[k - 1].id.clone(),
        };
        b.push(Block::Table(doc_table(
            &key,
            format!("uncertainty-t{k}"),
            t,
            &[],
        )));
    }
    let bars: Vec<TornadoBar> = u
        .sensitivity
        .iter()
        .filter(|s| s.explained > 0.0)
        .take(TORNADO_BARS)
        .map(|s| TornadoBar {
            label: s.estimate.clone(),
            rho: s.rho,
            note: format!("{}, ρ² = {:.2}", s.result, s.explained),
        })
        .collect();
    if !bars.is_empty() {
        let title = lang.pick("Estimates that move results most", "对结果影响最大的估计值");
        let desc = lang.pick(
            "Tornado chart: Spearman's rank correlation of each estimate with the headline result it moves most (right: the result rises with the estimate)",
            "龙卷风图：各估计值与其影响最大的主要结果之间的斯皮尔曼秩相关（向右：结果随估计值上升）",
        );
        b.push(Block::Figure(Figure {
            file: "uncertainty-tornado.svg".into(),
            svg: charts::tornado(
                title,
                desc,
                &bars,
                lang.pick("rank correlation ρ", "秩相关 ρ"),
            ),
            alt: desc.into(),
            caption: desc.into(),
            wide: false,
        }));
    }
    for (k, t) in u.rank_tables(cx.model, r).iter().enumerate() {
        b.push(Block::Table(doc_table(
            "rank",
            format!("uncertainty-rank{k}"),
            t,
            &[(1, "orig")],
        )));
    }
    b.push(Block::Table(doc_table(
        "sensitivity",
        "uncertainty-sensitivity".into(),
        &u.sensitivity_table(r),
        &[(0, "id"), (3, "id")],
    )));
    b.push(Block::Close);
}
