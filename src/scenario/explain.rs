//! One plain-language sentence per system and scenario, in English or Chinese.
//!
//! Owns: the wording. Never: computes a metric; it reads a finished
//! [`SystemOutcome`] (and the first short days of the run).

use super::engine::STOCK_TOLERANCE;
use super::{Cause, CutBy, SystemOutcome};
use crate::graph::SupplyGraph;
use crate::model::Lang;

/// E.g. "64-slice CT scanner falls to 40 % on day 100: the CT X-ray tube loses
/// 60 % (US) and its 60 days of stock last 100 days; supply recovers on day 180."
pub(crate) fn sentence(g: &SupplyGraph, so: &SystemOutcome, days: u32, lang: Lang) -> String {
    let sys = g.item(so.system).display_name(lang);
    let zh = lang == Lang::Zh;
    let mut parts: Vec<String> = Vec::new();
    let head = match so.tts {
        None => {
            let first_short = so.short_items.first();
            match (first_short, zh) {
                (Some(s), false) => format!(
                    "{sys} survives the {days} days: the {} runs short on day {}, but an alternative or stock further up covers the gap",
                    g.item(s.item).display_name(lang),
                    s.first_short_day
                ),
                (Some(s), true) => format!(
                    "{sys}可维持{days}天生产：{}于第{}天短缺，但替代品或上层库存弥补了缺口",
                    g.item(s.item).display_name(lang),
                    s.first_short_day
                ),
                (None, false) => format!("{sys} survives the {days} days: nothing it needs runs short"),
                (None, true) => format!("{sys}可维持{days}天生产：所需物料均未短缺"),
            }
        }
        Some(t) => {
            let (low_day, low) = super::spell_low_point(&so.output, t);
            let stops = low <= STOCK_TOLERANCE;
            let level = percent(low);
            let mut head = match (low_day == t, stops, zh) {
                (true, true, false) => format!("{sys} stops on day {t}"),
                (true, false, false) => format!("{sys} falls to {level} on day {t}"),
                (false, true, false) => {
                    format!("{sys} falls short on day {t} and stops on day {low_day}")
                }
                (false, false, false) => {
                    format!("{sys} falls short on day {t} and to {level} by day {low_day}")
                }
                (true, true, true) => format!("{sys}于第{t}天停产"),
                (true, false, true) => format!("{sys}于第{t}天产出降至{level}"),
                (false, true, true) => format!("{sys}于第{t}天开始短缺，第{low_day}天停产"),
                (false, false, true) => {
                    format!("{sys}于第{t}天开始短缺，第{low_day}天产出降至{level}")
                }
            };
            if let (Some(first), Some(deep)) = (&so.cause, &so.deepest_cause) {
                // Two stories: what starts the shortage, then what deepens it.
                head = match (stops, zh) {
                    (true, false) => format!(
                        "{sys} falls short on day {t} ({}) and stops on day {low_day}",
                        cause_clause(g, so, first, lang)
                    ),
                    (false, false) => format!(
                        "{sys} falls short on day {t} ({}) and drops to {level} on day {low_day}",
                        cause_clause(g, so, first, lang)
                    ),
                    (true, true) => format!(
                        "{sys}于第{t}天开始短缺（{}），第{low_day}天停产",
                        cause_clause(g, so, first, lang)
                    ),
                    (false, true) => format!(
                        "{sys}于第{t}天开始短缺（{}），第{low_day}天产出降至{level}",
                        cause_clause(g, so, first, lang)
                    ),
                };
                head.push_str(if zh { "：" } else { ": " });
                head.push_str(&cause_clause(g, so, deep, lang));
                if deep.first_short_day < low_day {
                    parts.push(if zh {
                        format!("上层库存支撑至第{low_day}天")
                    } else {
                        format!("stock further up the BOM holds until day {low_day}")
                    });
                }
                parts.push(recovery_clause(so, deep, days, lang));
            } else if let Some(c) = &so.cause {
                head.push_str(if zh { "：" } else { ": " });
                head.push_str(&cause_clause(g, so, c, lang));
                if c.first_short_day < t {
                    parts.push(if zh {
                        format!("上层库存支撑至第{t}天")
                    } else {
                        format!("stock further up the BOM holds until day {t}")
                    });
                }
                parts.push(recovery_clause(so, c, days, lang));
            }
            head
        }
    };
    if so.delta_cost > 0.0 {
        parts.push(if zh {
            format!("关税使成本增加{}", percent(so.delta_cost))
        } else {
            format!("tariffs add {} to its cost", percent(so.delta_cost))
        });
    }
    let mut out = head;
    for p in parts {
        out.push_str(if zh { "；" } else { "; " });
        out.push_str(&p);
    }
    out.push_str(if zh { "。" } else { "." });
    out
}

fn cause_clause(g: &SupplyGraph, so: &SystemOutcome, c: &Cause, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let own = c.item == so.system;
    let name = g.item(c.item).display_name(lang);
    let subject = match (own, zh) {
        (true, false) => "its own supply".to_string(),
        (true, true) => "其自身供应".to_string(),
        (false, false) => format!("the {name}"),
        (false, true) => name.to_string(),
    };
    let labels: Vec<String> = c
        .cut_by_ix
        .iter()
        .map(|b| match (b, zh) {
            (CutBy::Country(x), false) => g.country(*x).to_string(),
            (CutBy::Country(x), true) => g.model().country_name(g.country(*x), lang),
            (CutBy::Supplier(s), _) => g.model().supplier_name(&g.supplier(*s).id, lang),
        })
        .collect();
    let mut out = match (c.item_failed, zh) {
        (true, false) => format!("{subject} is cut off entirely (the item fails)"),
        (true, true) => format!("{subject}完全断供"),
        (false, false) => format!(
            "{subject} loses {} ({})",
            percent(c.supply_lost),
            labels.join(", ")
        ),
        (false, true) => format!(
            "{subject}损失{}供应（{}）",
            percent(c.supply_lost),
            labels.join("、")
        ),
    };
    let stock = days_text(c.stock_days);
    out.push_str(&match (c.stock_days > 0.0, zh) {
        (true, false) => format!(
            " and its {stock} days of stock last {} days",
            c.first_short_day
        ),
        (true, true) => format!("，其{stock}天库存可维持{}天", c.first_short_day),
        (false, false) => " and there is no stock".to_string(),
        (false, true) => "，且没有库存".to_string(),
    });
    out
}

fn recovery_clause(so: &SystemOutcome, c: &Cause, days: u32, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    // S = a while t < recovery_days, so supply is whole from the first day t ≥ recovery_days.
    let recovers_on = c.recovery_days.map(|r| r.ceil() as u64);
    match (so.full_again_day, recovers_on) {
        (Some(x), Some(r)) if r == x as u64 => {
            if zh {
                format!("供应于第{x}天恢复")
            } else {
                format!("supply recovers on day {x}")
            }
        }
        (Some(x), _) => {
            if zh {
                format!("第{x}天恢复满产")
            } else {
                format!("full output returns on day {x}")
            }
        }
        (None, Some(r)) if r >= days as u64 => {
            if zh {
                format!("供应第{r}天才恢复，超出{days}天期限")
            } else {
                format!("supply recovers only on day {r}, after the {days}-day horizon")
            }
        }
        (None, Some(r)) => {
            if zh {
                format!("其供应于第{r}天恢复，但{days}天内产出未恢复满产")
            } else {
                format!("its supply recovers on day {r}, but output stays short to the end of the {days} days")
            }
        }
        (None, None) => {
            if zh {
                format!("{days}天内无法恢复（无恢复期数据）")
            } else {
                format!("no recovery within the {days} days (no recovery_days)")
            }
        }
    }
}

/// "60 %" for whole percentages, else one decimal: "12.5 %".
pub(crate) fn percent(x: f64) -> String {
    let v = x * 100.0;
    if (v - v.round()).abs() < 0.05 {
        format!("{:.0} %", v.round())
    } else {
        format!("{v:.1} %")
    }
}

/// "60" for whole days, else one decimal.
fn days_text(d: f64) -> String {
    if (d - d.round()).abs() < 1e-9 {
        format!("{:.0}", d.round())
    } else {
        format!("{d:.1}")
    }
}
