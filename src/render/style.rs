//! The visual vocabulary of every diagram: palette, line styles, fonts and the
//! few fixed words (legend, markers) in English and Chinese.
//!
//! Every encoding is redundant so that a diagram survives black-and-white
//! printing and colour-blind readers: risk bands are a light-to-dark sequence
//! (ColorBrewer "Blues", colour-blind safe and ordered in luminance) and the
//! score is also written in the label; choke points have a thick outline;
//! imports are dashed (edges and source nodes), domestic sources solid; failed
//! nodes carry diagonal corner marks and the word FAILED; short items a double
//! border (`peripheries=2`).

use crate::model::Lang;

/// Risk band of spec §3.8 as the renderer sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RiskBand {
    Low,
    Medium,
    High,
}

impl RiskBand {
    /// Fill colour: ColorBrewer Blues, light to dark (black text stays legible).
    pub fn fill(self) -> &'static str {
        match self {
            RiskBand::Low => "#deebf7",
            RiskBand::Medium => "#9ecae1",
            RiskBand::High => "#4f9bd1",
        }
    }
    pub fn word(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (RiskBand::Low, Lang::En) => "low",
            (RiskBand::Medium, Lang::En) => "medium",
            (RiskBand::High, Lang::En) => "high",
            (RiskBand::Low, Lang::Zh) => "低",
            (RiskBand::Medium, Lang::Zh) => "中",
            (RiskBand::High, Lang::Zh) => "高",
        }
    }
}

/// Fill of an item without a risk score.
pub const NO_SCORE_FILL: &str = "#ffffff";
/// Fill of supplier and country nodes.
pub const SOURCE_FILL: &str = "#f2f2f2";
/// Fill of failed nodes in a scenario view.
pub const FAILED_FILL: &str = "#bdbdbd";
/// Outline of choke points (with [`CHOKE_PENWIDTH`]).
pub const CHOKE_COLOR: &str = "#cc0000";
pub const CHOKE_PENWIDTH: &str = "3";
/// Font families tried in order; the first has CJK glyphs (fonts-noto-cjk).
/// Graphviz's cairo/pango renderer accepts the comma-separated list and falls
/// back per glyph through fontconfig.
pub const FONTNAME: &str =
    "Noto Sans CJK SC,Noto Sans SC,Source Han Sans SC,Microsoft YaHei,PingFang SC,sans-serif";

/// The fixed words of diagrams.
#[derive(Clone, Copy, Debug)]
pub enum Word {
    Legend,
    RiskLow,
    RiskMedium,
    RiskHigh,
    NoScore,
    Incomplete,
    ChokePoint,
    Domestic,
    Imported,
    Failed,
    Short,
    Survives,
    Risk,
    Cost,
    AnyOf,
    /// An any_of member's qualify_days (spec §3.12), before "N d".
    Qualify,
    /// The unit after a number of days.
    Days,
    AllOf,
    Bom,
    Supply,
    Chokepoints,
    Scenario,
    Site,
    Unnamed,
    Conditional,
}

impl Word {
    pub fn text(self, lang: Lang) -> &'static str {
        use Word::*;
        match lang {
            Lang::En => match self {
                Legend => "Legend",
                RiskLow => "risk low (< 3.3)",
                RiskMedium => "risk medium (3.3–6.7)",
                RiskHigh => "risk high (≥ 6.7)",
                NoScore => "no risk score (no sourcing data)",
                Incomplete => "risk 4.5* = some factors missing (counted 0)",
                ChokePoint => "choke point (single point of failure)",
                Domestic => "domestic source: solid",
                Imported => "imported source (not from {home}): dashed",
                Failed => "FAILED",
                Short => "short",
                Survives => "survives",
                Risk => "risk",
                Cost => "cost",
                AnyOf => "any of",
                Qualify => "qualify",
                Days => "d",
                AllOf => "all of",
                Bom => "bill of materials",
                Supply => "supply",
                Chokepoints => "choke points",
                Scenario => "scenario",
                Site => "site",
                Unnamed => "unnamed producers",
                Conditional => "conditional",
            },
            Lang::Zh => match self {
                Legend => "图例",
                RiskLow => "低风险 (< 3.3)",
                RiskMedium => "中风险 (3.3–6.7)",
                RiskHigh => "高风险 (≥ 6.7)",
                NoScore => "无风险评分（无来源数据）",
                Incomplete => "风险 4.5* = 部分因子缺失（按0计）",
                ChokePoint => "卡脖子点（单点失效）",
                Domestic => "国产来源：实线",
                Imported => "进口来源（非{home}）：虚线",
                Failed => "断供",
                Short => "短缺",
                Survives => "可维持",
                Risk => "风险",
                Cost => "成本",
                AnyOf => "任选其一",
                Qualify => "认证",
                Days => "天",
                AllOf => "同时失效",
                Bom => "物料清单",
                Supply => "供应",
                Chokepoints => "卡脖子点",
                Scenario => "情景",
                Site => "产地",
                Unnamed => "未具名生产商",
                Conditional => "有条件",
            },
        }
    }
}

/// A fraction as a compact percentage: 0.35 → "35 %", 0.125 → "12.5 %".
pub fn percent(x: f64) -> String {
    let p = x * 100.0;
    let rounded = (p * 10.0).round() / 10.0;
    if (rounded - rounded.round()).abs() < 1e-9 {
        format!("{} %", rounded.round() as i64)
    } else {
        format!("{rounded:.1} %")
    }
}

/// An estimate as written: "35 %" for a point, "15 % (10–20)" for a range.
pub fn estimate_percent(e: &crate::model::Estimate) -> String {
    let mid = percent(e.mid());
    if e.is_range() {
        let bare = |x: f64| percent(x).trim_end_matches(" %").to_string();
        format!("{mid} ({}–{})", bare(e.low()), bare(e.high()))
    } else {
        mid
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Estimate;

    #[test]
    fn percentages_are_compact() {
        assert_eq!(percent(0.35), "35 %");
        assert_eq!(percent(0.125), "12.5 %");
        assert_eq!(percent(1.0), "100 %");
        assert_eq!(estimate_percent(&Estimate::exact(0.08)), "8 %");
        // mid of 0.20–0.30 is 0.25
        assert_eq!(estimate_percent(&Estimate::range(0.2, 0.3)), "25 % (20–30)");
    }
}
