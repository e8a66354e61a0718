//! The table and Markdown renderings of an [`Analysis`]: per system its import
//! content, cut-set counts, single points of failure, higher-order cut sets
//! with via paths, top-risk items, design dependencies and never-failing
//! items; then the national choke-point list. JSON is the `Serialize` form;
//! CSV is [`Analysis::items_table`].
//!
//! Owns: every fixed word of these renderings in English and Chinese, and
//! reading ids as names: the analysis holds ids (and English names for the
//! JSON); names in the reading's language are looked up in the graph here, or
//! ids shown with `--ids`.
//! Never: computes a metric, prints or writes a file.

use super::{Analysis, CutSetReport, EventKind};
use crate::graph::SupplyGraph;
use crate::model::Lang;
use crate::output::text::{wrap, Reading};
use crate::output::{pct, Format, Table};

/// An item id as people read it: its name in the reading's language (the id
/// when it has none, or with `--ids`).
fn item(g: &SupplyGraph, id: &str, r: Reading) -> String {
    match g.item_ix(id) {
        Some(ix) => r.name(id, g.item(ix).display_name(r.lang)),
        None => id.to_string(),
    }
}

/// "name (id)", or the id alone with `--ids` or when the name is the id.
fn item_with_id(g: &SupplyGraph, id: &str, r: Reading) -> String {
    let name = item(g, id, r);
    if name == id {
        name
    } else {
        format!("{name} ({id})")
    }
}

/// A basic event id as people read it.
fn event(g: &SupplyGraph, a: &Analysis, id: &str, r: Reading) -> String {
    if r.ids {
        return id.to_string();
    }
    let model = g.model();
    if let Some(rest) = id.strip_prefix("unnamed:") {
        if let Some((it, cc)) = rest.rsplit_once(':') {
            let country = match g.country_ix(cc) {
                Some(c) => model.country_name(g.country(c), r.lang),
                None => cc.to_string(),
            };
            let name = item(g, it, r);
            return match r.lang {
                Lang::En => format!("unnamed producers of {name} in {country}"),
                Lang::Zh => format!("{country}未具名{name}生产商"),
            };
        }
    }
    match a.events.get(id).map(|e| e.kind) {
        Some(EventKind::Supplier | EventKind::Parent) => match g.supplier_ix(id) {
            Some(s) => model.supplier_name(&g.supplier(s).id, r.lang),
            None => id.to_string(),
        },
        Some(EventKind::Country) => match g.country_ix(id) {
            Some(c) => model.country_name(g.country(c), r.lang),
            None => id.to_string(),
        },
        None => id.to_string(),
    }
}

fn events_text(g: &SupplyGraph, a: &Analysis, c: &CutSetReport, r: Reading) -> String {
    let events = c
        .events
        .iter()
        .map(|id| match a.events.get(id) {
            Some(e) if e.domestic => {
                format!("{}{}", event(g, a, id, r), r.pick(" (home)", "（本国）"))
            }
            _ => event(g, a, id, r),
        })
        .collect::<Vec<_>>()
        .join(" + ");
    // Spec §3.11: say which items the set stops only through export controls.
    let events = if c.reached.is_empty() {
        events
    } else {
        let items = c
            .reached
            .iter()
            .map(|x| item(g, x, r))
            .collect::<Vec<_>>()
            .join(r.pick(", ", "、"));
        match r.lang {
            Lang::En => format!("{events} (through export controls at {items})"),
            Lang::Zh => format!("{events}（经出口管制波及：{items}）"),
        }
    };
    if c.conditional {
        let assumed = c
            .assumes
            .iter()
            .map(|x| match r.lang {
                Lang::En => format!(
                    "the unattributed {} of {}",
                    pct(x.unattributed),
                    item(g, &x.item, r)
                ),
                Lang::Zh => format!("{}中未归属的 {}", item(g, &x.item, r), pct(x.unattributed)),
            })
            .collect::<Vec<_>>()
            .join(r.pick(", ", "、"));
        match r.lang {
            Lang::En => format!("{events} (conditional: assumes {assumed} fails)"),
            Lang::Zh => format!("{events}（有条件：假定{assumed}也断供）"),
        }
    } else {
        events
    }
}

/// "minimal cut sets: 2 of order 1, 0 of order 2 (2 in all)".
fn counts_text(counts: &[usize], r: Reading) -> String {
    let total = counts.iter().sum::<usize>();
    match r.lang {
        Lang::En => {
            let per: Vec<String> = counts
                .iter()
                .enumerate()
                .map(|(k, n)| format!("{n} of order {}", k + 1))
                .collect();
            format!("minimal cut sets: {} ({total} in all)", per.join(", "))
        }
        Lang::Zh => {
            let per: Vec<String> = counts
                .iter()
                .enumerate()
                .map(|(k, n)| format!("{} 阶 {n} 个", k + 1))
                .collect();
            format!("最小割集：{}（共 {total} 个）", per.join("，"))
        }
    }
}

fn more_text(n: usize, r: Reading) -> String {
    match r.lang {
        Lang::En => format!("… {n} more not listed (--list-max 0 lists all)"),
        Lang::Zh => format!("… 另有 {n} 个未列出（--list-max 0 全部列出）"),
    }
}

/// Via paths by name, one per line.
fn via_text(g: &SupplyGraph, c: &CutSetReport, r: Reading) -> String {
    c.via
        .iter()
        .map(|p| {
            p.iter()
                .map(|id| item(g, id, r))
                .collect::<Vec<_>>()
                .join(" → ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn band(b: super::Band, r: Reading) -> &'static str {
    match (r.lang, b) {
        (Lang::En, b) => b.as_str(),
        (Lang::Zh, super::Band::Low) => "低",
        (Lang::Zh, super::Band::Medium) => "中",
        (Lang::Zh, super::Band::High) => "高",
    }
}

/// A rendered table; Markdown tables need a blank line after them.
fn table_text(t: &Table, format: Format, r: Reading) -> String {
    let mut s = t.render_in(format, r.lang);
    if format == Format::Md {
        s.push('\n');
    }
    s
}

/// A money amount with its currency, e.g. 4.80e10 → "48.0 bn CNY".
fn money(v: Option<f64>, currency: &str, r: Reading) -> String {
    match v {
        Some(v) if v.is_finite() => format!("{} {currency}", r.amount(v)),
        _ => r.unknown().to_string(),
    }
}

fn opt_pct(x: Option<f64>) -> String {
    x.map_or_else(|| "—".into(), pct)
}

/// The table (`Format::Table`) or Markdown rendering: per system, then the
/// national list, in the reading's language.
pub fn text(g: &SupplyGraph, a: &Analysis, r: Reading, format: Format) -> String {
    let md = format == Format::Md;
    let width = crate::output::term::prose_width();
    let mut out = String::new();
    // The graph's title is data (meta.title, or meta.title_zh under zh when
    // the graph gives one), shown as written.
    let title_zh = g
        .model()
        .meta
        .title_zh
        .as_deref()
        .filter(|_| r.lang == Lang::Zh);
    let title = match title_zh {
        Some(zh) => zh,
        None if a.title.is_empty() => r.pick("graph", "图"),
        None => &a.title,
    };
    let heading = |level: &str, s: &str| {
        if md {
            format!("{level} {s}\n\n")
        } else {
            wrap(s, width, "")
        }
    };
    let scope = match a.scope {
        crate::graph::Scope::Home => r.pick("home", "本国"),
        crate::graph::Scope::World => r.pick("world", "全球"),
    };
    let unattributed = match a.unattributed {
        crate::graph::Unattributed::Proportional => r.pick("proportional", "按比例"),
        crate::graph::Unattributed::Survives => r.pick("survives", "不断供"),
    };
    let by = match a.by {
        EventKind::Supplier => r.pick("supplier", "供应商"),
        EventKind::Country => r.pick("country", "国家"),
        EventKind::Parent => r.pick("parent company", "母公司"),
    };
    out.push_str(&heading(
        "#",
        &match r.lang {
            Lang::En => format!(
                "{title} — analysis (home {}, case {}, by {by}, order ≤ {}, scope {scope}, unattributed {unattributed})",
                a.home,
                r.case(a.case),
                a.order,
            ),
            Lang::Zh => format!(
                "{title} — 分析（视角 {}，取值 {}，按{by}，阶数 ≤ {}，范围 {scope}，未归属部分 {unattributed}）",
                a.home,
                r.case(a.case),
                a.order,
            ),
        },
    ));
    if !md {
        out.push('\n');
    }
    for s in &a.systems {
        // The heading names the system by id and name, --ids or not.
        let name = item(g, &s.id, Reading { ids: false, ..r });
        out.push_str(&heading(
            "##",
            &if name == s.id {
                name
            } else {
                format!("{} — {name}", s.id)
            },
        ));
        let eid = r.pick("embodied import share (EID)", "隐含进口占比（EID）");
        let unknown = r.unknown();
        let mut facts = Vec::new();
        match (s.embodied_import_share, s.coverage) {
            // No declared cost share: the 0 % would claim what is not known.
            (_, Some(c)) if c <= 0.0 => facts.push(match r.lang {
                Lang::En => format!("{eid} {unknown} (coverage 0 %)"),
                Lang::Zh => format!("{eid} {unknown}（覆盖率 0 %）"),
            }),
            (Some(e), _) => facts.push(match r.lang {
                Lang::En => format!(
                    "{eid} {} (low–high {}–{}), coverage {}",
                    pct(e.value),
                    pct(e.low),
                    pct(e.high),
                    opt_pct(s.coverage)
                ),
                Lang::Zh => format!(
                    "{eid} {}（低–高 {}–{}），覆盖率 {}",
                    pct(e.value),
                    pct(e.low),
                    pct(e.high),
                    opt_pct(s.coverage)
                ),
            }),
            (None, _) => facts.push(format!("{eid} {unknown}")),
        }
        facts.push(match (s.market_value, r.lang) {
            (Some(v), Lang::En) => {
                format!("market value {} per year", money(Some(v), &a.currency, r))
            }
            (Some(v), Lang::Zh) => format!("年市场规模 {}", money(Some(v), &a.currency, r)),
            (None, _) => format!("{} {unknown}", r.pick("market value", "市场规模")),
        });
        for f in facts {
            out.push_str(&if md {
                format!("- {f}\n")
            } else {
                wrap(&f, width, "  ")
            });
        }
        if md {
            out.push('\n');
        }
        let counts = counts_text(&s.cut_set_counts, r);
        out.push_str(&if md {
            format!("{counts}\n\n")
        } else {
            wrap(&counts, width, "  ")
        });
        let none = r.pick("none", "无");
        let mut spof = match r.lang {
            Lang::En => Table::new("Single points of failure", &["events", "via"]),
            Lang::Zh => Table::new("单点故障", &["事件", "经由"]),
        };
        for c in &s.single_points_of_failure {
            spof.row(vec![events_text(g, a, c, r), via_text(g, c, r)]);
        }
        let unlisted_spof = s.cut_set_counts[0] - s.single_points_of_failure.len();
        if unlisted_spof > 0 {
            spof.row(vec![more_text(unlisted_spof, r), String::new()]);
        }
        if spof.rows.is_empty() {
            spof.row(vec![none.into(), String::new()]);
        }
        out.push_str(&table_text(&spof, format, r));
        if a.order >= 2 {
            let orders = if a.order == 2 {
                "2".to_string()
            } else {
                format!("2–{}", a.order)
            };
            let mut higher = match r.lang {
                Lang::En => Table::new(
                    format!("Cut sets of order {orders}"),
                    &["k", "events", "via"],
                ),
                Lang::Zh => Table::new(format!("{orders} 阶割集"), &["阶", "事件", "经由"]),
            };
            for c in &s.cut_sets {
                higher.row(vec![
                    c.order.to_string(),
                    events_text(g, a, c, r),
                    via_text(g, c, r),
                ]);
            }
            let unlisted = s.unlisted - unlisted_spof;
            if unlisted > 0 {
                higher.row(vec![String::new(), more_text(unlisted, r), String::new()]);
            }
            if higher.rows.is_empty() {
                higher.row(vec![String::new(), none.into(), String::new()]);
            }
            out.push_str(&table_text(&higher, format, r));
        }
        let mut risk = match r.lang {
            Lang::En => Table::new("Top-risk items", &["item", "score", "band"]),
            Lang::Zh => Table::new("风险最高的物料", &["物料", "分数", "等级"]),
        };
        for x in &s.top_risk {
            let mark = if x.incomplete { " *" } else { "" };
            risk.row(vec![
                item_with_id(g, &x.id, r),
                format!("{:.1}{mark}", x.score),
                band(x.band, r).into(),
            ]);
        }
        out.push_str(&table_text(&risk, format, r));
        if s.top_risk.iter().any(|x| x.incomplete) {
            let note = r.pick(
                "* incomplete: some factor is missing and counted 0",
                "* 不完整：缺少某项因子，按 0 计",
            );
            out.push_str(&if md {
                format!("\\{note}\n\n")
            } else {
                format!("  {note}\n")
            });
        }
        if !s.design_dependencies.is_empty() {
            let mut design = match r.lang {
                Lang::En => Table::new(
                    "Design dependencies (needed to develop, never to make: not in the cut sets)",
                    &["item", "import share", "risk"],
                ),
                Lang::Zh => Table::new(
                    "设计依赖（研发所需、生产不需：不计入割集）",
                    &["物料", "进口占比", "风险"],
                ),
            };
            for d in &s.design_dependencies {
                design.row(vec![
                    item_with_id(g, &d.id, r),
                    opt_pct(d.direct_import_share),
                    format!("{:.1} {}", d.risk, band(d.band, r)),
                ]);
            }
            out.push_str(&table_text(&design, format, r));
        }
        if !s.never_fail.is_empty() {
            let names: Vec<String> = s.never_fail.iter().map(|id| item(g, id, r)).collect();
            let line = match r.lang {
                Lang::En => format!(
                    "never fail (no supply, no production requirements): {}",
                    names.join(", ")
                ),
                Lang::Zh => format!("视为永不断供（无供应、无生产需求）：{}", names.join("、")),
            };
            out.push_str(&if md {
                format!("{line}\n\n")
            } else {
                wrap(&line, width, "  ")
            });
        }
        if !md {
            out.push('\n');
        }
    }
    let mut nat = match r.lang {
        Lang::En => Table::new(
            "National choke points (foreign cut sets of order ≤ 2, by systems stopped)",
            &["#", "events", "systems", "market value"],
        ),
        Lang::Zh => Table::new(
            "全国卡脖子清单（阶数 ≤ 2 的境外割集，按停产整机数排序）",
            &["#", "事件", "整机", "市场规模"],
        ),
    };
    for n in &a.national {
        let events = n
            .events
            .iter()
            .map(|id| event(g, a, id, r))
            .collect::<Vec<_>>()
            .join(" + ");
        let events = if n.conditional {
            format!("{events}{}", r.pick(" (conditional)", "（有条件）"))
        } else {
            events
        };
        let systems: Vec<String> = n.systems.iter().map(|id| item(g, id, r)).collect();
        nat.row(vec![
            n.rank.to_string(),
            events,
            format!("{} ({})", n.system_count, systems.join(r.pick(", ", "、"))),
            money(n.market_value, &a.currency, r),
        ]);
    }
    if nat.rows.is_empty() {
        nat.row(vec![
            String::new(),
            r.pick("none", "无").into(),
            String::new(),
            String::new(),
        ]);
    }
    out.push_str(&table_text(&nat, format, r));
    out
}
