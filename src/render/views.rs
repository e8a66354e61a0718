//! The three views of spec §5 (BOM, supply, choke-point map), each with an
//! optional scenario overlay, built as a [`Diagram`].
//!
//! Node ids are synthetic and stable — `i_<item index>`, `s_<supplier index>`,
//! `c_<country code>`, `g_<parent>_<requirement>` (any-of groups), `k_<n>` (cut
//! sets), `l_<n>` (legend) — so user text appears only in escaped labels.
//! Everything is visited in index or breadth-first order: no hash order leaks.

use super::dot::{Attrs, Diagram};
use super::marks::{flag, EventBy, EventNode, Marks};
use super::style::{self, estimate_percent, percent, RiskBand, Word};
use super::{ClusterBy, RenderError, RenderOptions, View};
use crate::graph::{CountryIx, ItemIx, Req, SupplierIx, SupplyGraph};
use crate::model::{ItemKind, Lang};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

pub(crate) fn build(
    g: &SupplyGraph,
    opts: &RenderOptions,
    marks: &Marks,
) -> Result<Diagram, RenderError> {
    let mut d = Diagram {
        rankdir: opts.rankdir.as_str(),
        legend_title: Word::Legend.text(opts.lang).to_string(),
        ..Diagram::default()
    };
    let view = ViewCtx {
        g,
        opts,
        marks,
        lang: opts.lang,
    };
    match opts.view {
        View::Bom => {
            let system = opts.system.ok_or(RenderError::NeedSystem)?;
            view.bom(&mut d, system);
        }
        View::Supply => view.supply(&mut d),
        View::Chokepoints => view.chokepoints(&mut d),
    }
    d.title = view.title();
    if opts.legend {
        d.legend = view.legend(&d);
    }
    Ok(d)
}

struct ViewCtx<'a, 'm> {
    g: &'a SupplyGraph<'m>,
    opts: &'a RenderOptions,
    marks: &'a Marks,
    lang: Lang,
}

pub(crate) fn item_id(i: ItemIx) -> String {
    format!("i_{}", i.0)
}
pub(crate) fn supplier_id(s: SupplierIx) -> String {
    format!("s_{}", s.0)
}
pub(crate) fn country_id(g: &SupplyGraph, c: CountryIx) -> String {
    format!("c_{}", g.country(c))
}

/// The node of the unnamed producers of one item in one country.
pub(crate) fn unnamed_id(g: &SupplyGraph, u: crate::graph::UnnamedIx) -> String {
    format!("u_{}_{}", u.0, g.country(g.unnamed_sources()[u.index()].1))
}

fn g_unnamed_country(g: &SupplyGraph, u: crate::graph::UnnamedIx) -> CountryIx {
    g.unnamed_sources()[u.index()].1
}

fn attrs(pairs: &[(&'static str, &str)]) -> Attrs {
    pairs.iter().map(|(k, v)| (*k, v.to_string())).collect()
}

impl ViewCtx<'_, '_> {
    fn word(&self, w: Word) -> &'static str {
        w.text(self.lang)
    }

    fn cluster_by(&self) -> ClusterBy {
        match (self.opts.cluster, self.opts.view) {
            (ClusterBy::Auto, View::Bom) => ClusterBy::Subsystem,
            (ClusterBy::Auto, _) => ClusterBy::None,
            (c, _) => c,
        }
    }

    fn scenario_flag(
        &self,
        pick: impl Fn(&super::marks::ScenarioMarks) -> &Vec<bool>,
        i: usize,
    ) -> bool {
        self.marks
            .scenario
            .as_ref()
            .is_some_and(|s| flag(pick(s), i))
    }

    fn tts_text(&self, system: ItemIx) -> Option<String> {
        let s = self.marks.scenario.as_ref()?;
        match s.tts.get(system.index()).copied().flatten()? {
            Some(t) => Some(match self.lang {
                Lang::En => format!("TTS {t} d"),
                Lang::Zh => format!("可维持 {t} 天"),
            }),
            None => Some(self.word(Word::Survives).to_string()),
        }
    }

    /// The label and style of an item node.
    fn item_node(&self, d: &mut Diagram, i: ItemIx, cluster: Option<usize>) {
        let item = self.g.item(i);
        let mut lines = vec![item.display_name(self.lang).to_string()];
        let mut fill = style::NO_SCORE_FILL;
        if let Some(r) = self.marks.risk_of(i) {
            let star = if r.incomplete { "*" } else { "" };
            lines.push(format!("{} {:.1}{star}", self.word(Word::Risk), r.score));
            fill = r.band.fill();
        }
        let failed = self.scenario_flag(|s| &s.failed_items, i.index());
        let short_from = match &self.marks.scenario {
            Some(s) if !failed => s.first_short_day.get(i.index()).copied().flatten(),
            _ => None,
        };
        let short = short_from.is_some();
        let tts = self.tts_text(i);
        if failed {
            lines.push(self.word(Word::Failed).to_string());
        } else if let (Some(day), None) = (short_from, &tts) {
            lines.push(match self.lang {
                Lang::En => format!("short from day {day}"),
                Lang::Zh => format!("第{day}天起短缺"),
            });
        }
        if let Some(t) = tts {
            lines.push(t);
        }
        let mut a: Attrs = Vec::new();
        let mut style_words = vec![];
        if item.kind == ItemKind::System {
            a.push(("shape", "box3d".into()));
            style_words.push("filled");
        } else {
            style_words.extend(["rounded", "filled"]);
        }
        if failed {
            style_words.push("diagonals");
            fill = style::FAILED_FILL;
        }
        if item.kind == ItemKind::System || failed {
            a.push(("style", style_words.join(",")));
        }
        if fill != style::NO_SCORE_FILL {
            a.push(("fillcolor", fill.into()));
        }
        if short {
            a.push(("peripheries", "2".into()));
        }
        if self.marks.is_choke_item(i) {
            a.push(("color", style::CHOKE_COLOR.into()));
            a.push(("penwidth", style::CHOKE_PENWIDTH.into()));
        }
        d.add_node(item_id(i), lines.join("\n"), a, cluster);
    }

    fn event_failed(&self, e: EventNode) -> bool {
        match e {
            EventNode::Supplier(s) => self.scenario_flag(|m| &m.failed_suppliers, s.index()),
            EventNode::Country(c) => self.scenario_flag(|m| &m.failed_countries, c.index()),
            EventNode::Unnamed(u) => {
                let c = g_unnamed_country(self.g, u);
                self.scenario_flag(|m| &m.failed_countries, c.index())
            }
        }
    }

    /// A supplier or country node: boxes for suppliers, ellipses for countries;
    /// dashed border when outside the home country.
    fn event_node(&self, d: &mut Diagram, e: EventNode, cluster: Option<usize>) {
        let g = self.g;
        let model = g.model();
        let (id, mut lines, country, shape) = match e {
            EventNode::Supplier(s) => {
                let sup = g.supplier(s);
                let name = model.supplier_name(&sup.id, self.lang);
                (
                    supplier_id(s),
                    vec![format!("{name} ({})", sup.country)],
                    g.country_ix(sup.country.as_str()),
                    "box",
                )
            }
            EventNode::Country(c) => {
                let code = g.country(c);
                let name = model.country_name(code, self.lang);
                let label = if name == code.as_str() {
                    name
                } else {
                    format!("{name} ({code})")
                };
                (country_id(g, c), vec![label], Some(c), "ellipse")
            }
            EventNode::Unnamed(u) => {
                let (item, c) = g.unnamed_sources()[u.index()];
                let country = model.country_name(g.country(c), self.lang);
                (
                    unnamed_id(g, u),
                    vec![
                        g.item(item).display_name(self.lang).to_string(),
                        crate::model::unnamed_label(&country, self.lang),
                    ],
                    Some(c),
                    "box",
                )
            }
        };
        let imported = country != Some(g.home());
        let failed = self.event_failed(e);
        let mut style_words = vec!["filled"];
        if imported {
            style_words.push("dashed");
        }
        if failed {
            style_words.push("diagonals");
            lines.push(self.word(Word::Failed).to_string());
        }
        let mut a = attrs(&[
            ("shape", shape),
            ("style", &style_words.join(",")),
            (
                "fillcolor",
                if failed {
                    style::FAILED_FILL
                } else {
                    style::SOURCE_FILL
                },
            ),
        ]);
        if self.marks.is_choke_event(e) {
            a.push(("color", style::CHOKE_COLOR.into()));
            a.push(("penwidth", style::CHOKE_PENWIDTH.into()));
        }
        d.add_node(id, lines.join("\n"), a, cluster);
    }

    fn requirement_label(&self, r: &Req) -> Option<String> {
        let mut parts = Vec::new();
        if r.qty != 1.0 {
            parts.push(format!("×{}", r.qty));
        }
        if let Some(cs) = r.cost_share {
            parts.push(format!(
                "{} {}",
                self.word(Word::Cost),
                estimate_percent(cs)
            ));
        }
        (!parts.is_empty()).then(|| parts.join(" · "))
    }

    /// Breadth-first from the system down to `--depth`; clusters by subsystem
    /// claim the items they reach first.
    fn bom(&self, d: &mut Diagram, system: ItemIx) {
        let g = self.g;
        let by_subsystem = self.cluster_by() == ClusterBy::Subsystem;
        let max_depth = self.opts.depth.unwrap_or(usize::MAX);
        let mut seen = vec![false; g.item_count()];
        let mut cluster_of: Vec<Option<usize>> = vec![None; g.item_count()];
        let mut queue = VecDeque::from([(system, 0usize)]);
        seen[system.index()] = true;
        self.item_node(d, system, None);
        while let Some((i, depth)) = queue.pop_front() {
            if depth >= max_depth {
                continue;
            }
            let parent_cluster = cluster_of[i.index()];
            let mut discover =
                |d: &mut Diagram, m: ItemIx, queue: &mut VecDeque<(ItemIx, usize)>| {
                    if seen[m.index()] {
                        return;
                    }
                    seen[m.index()] = true;
                    let cluster = if by_subsystem && g.item(m).kind == ItemKind::Subsystem {
                        Some(d.add_cluster(
                            format!("cluster_{}", item_id(m)),
                            g.item(m).display_name(self.lang).into(),
                        ))
                    } else {
                        parent_cluster
                    };
                    cluster_of[m.index()] = cluster;
                    self.item_node(d, m, cluster);
                    queue.push_back((m, depth + 1));
                };
            for (k, r) in g.requirements(i).iter().enumerate() {
                let label = self.requirement_label(r);
                if r.any_of {
                    let gid = format!("g_{}_{}", i.0, k);
                    d.add_node(
                        gid.clone(),
                        self.word(Word::AnyOf).into(),
                        attrs(&[("shape", "diamond"), ("style", "filled"), ("fontsize", "9")]),
                        parent_cluster,
                    );
                    d.add_edge(&item_id(i), &gid, label, vec![]);
                    for (j, &m) in r.members.iter().enumerate() {
                        discover(d, m, &mut queue);
                        // A member usable only after qualification (spec §3.12).
                        let q = r.qualify.and_then(|q| q.get(j)).and_then(|e| e.as_ref());
                        let label = q.map(|e| {
                            let days = if e.is_range() {
                                format!("{}–{}", trim_days(e.low()), trim_days(e.high()))
                            } else {
                                trim_days(e.mid())
                            };
                            format!(
                                "{} {days} {}",
                                self.word(Word::Qualify),
                                self.word(Word::Days)
                            )
                        });
                        d.add_edge(&gid, &item_id(m), label, vec![]);
                    }
                } else {
                    for &m in &r.members {
                        discover(d, m, &mut queue);
                        d.add_edge(&item_id(i), &item_id(m), label.clone(), vec![]);
                    }
                }
            }
        }
    }

    /// The items of the supply view: those with supply edges, within the
    /// system's BOM (to `--depth`) when `--system` is given.
    fn supply_items(&self) -> Vec<ItemIx> {
        let g = self.g;
        let candidates: Vec<ItemIx> = match self.opts.system {
            None => g.items().collect(),
            Some(s) => {
                let mut within = vec![false; g.item_count()];
                within[s.index()] = true;
                let max_depth = self.opts.depth.unwrap_or(usize::MAX);
                let mut frontier = vec![s];
                let mut depth = 0;
                while !frontier.is_empty() && depth < max_depth {
                    let mut next = Vec::new();
                    for i in frontier {
                        for m in g
                            .requirements(i)
                            .iter()
                            .flat_map(|r| r.members.iter().copied())
                        {
                            if !within[m.index()] {
                                within[m.index()] = true;
                                next.push(m);
                            }
                        }
                    }
                    frontier = next;
                    depth += 1;
                }
                g.items().filter(|i| within[i.index()]).collect()
            }
        };
        candidates
            .into_iter()
            .filter(|&i| !g.sources(i).is_empty())
            .collect()
    }

    fn supply_edge_attrs(&self, s: Option<SupplierIx>, c: CountryIx) -> Attrs {
        let mut a = Attrs::new();
        if c != self.g.home() {
            a.push(("style", "dashed".into()));
        }
        let failed = self.event_failed(EventNode::Country(c))
            || s.is_some_and(|s| self.event_failed(EventNode::Supplier(s)));
        if failed {
            a.push(("arrowhead", "tee".into()));
            a.push(("color", "#999999".into()));
        }
        a
    }

    fn supply(&self, d: &mut Diagram) {
        let g = self.g;
        let items = self.supply_items();
        for &i in &items {
            self.item_node(d, i, None);
        }
        if self.opts.collapse_suppliers {
            let mut countries = BTreeSet::new();
            let mut edges = Vec::new();
            for &i in &items {
                // Shares per country, summed low / mid / high (in first-seen order).
                let mut per: Vec<(CountryIx, [f64; 3])> = Vec::new();
                for src in g.sources(i) {
                    let add = [src.share.low(), src.share.mid(), src.share.high()];
                    match per.iter_mut().find(|(c, _)| *c == src.country) {
                        Some((_, sum)) => (0..3).for_each(|k| sum[k] += add[k]),
                        None => per.push((src.country, add)),
                    }
                }
                for (c, [low, mid, high]) in per {
                    countries.insert(c);
                    let label = if (high - low).abs() > 1e-12 {
                        let bare = |x: f64| percent(x).trim_end_matches(" %").to_string();
                        format!("{} ({}–{})", percent(mid), bare(low), bare(high))
                    } else {
                        percent(mid)
                    };
                    edges.push((i, c, label));
                }
            }
            for &c in &countries {
                self.event_node(d, EventNode::Country(c), None);
            }
            for (i, c, label) in edges {
                d.add_edge(
                    &item_id(i),
                    &country_id(g, c),
                    Some(label),
                    self.supply_edge_attrs(None, c),
                );
            }
            return;
        }
        let mut suppliers = BTreeSet::new();
        let mut sites = BTreeSet::new();
        for &i in &items {
            for src in g.sources(i) {
                if let Some(s) = src.supplier {
                    suppliers.insert(s);
                    sites.insert((s, src.country));
                }
            }
        }
        // Unnamed producers hang directly off their country.
        let mut countries: BTreeSet<CountryIx> = sites.iter().map(|&(_, c)| c).collect();
        for &i in &items {
            countries.extend(
                g.sources(i)
                    .iter()
                    .filter(|s| s.supplier.is_none())
                    .map(|s| s.country),
            );
        }
        let hq = |s: SupplierIx| g.country_ix(g.supplier(s).country.as_str());
        let mut cluster_of_country: BTreeMap<CountryIx, usize> = BTreeMap::new();
        if self.cluster_by() == ClusterBy::Country {
            let mut all: BTreeSet<CountryIx> = countries.clone();
            all.extend(suppliers.iter().filter_map(|&s| hq(s)));
            for c in all {
                let name = self.g.model().country_name(g.country(c), self.lang);
                cluster_of_country.insert(
                    c,
                    d.add_cluster(format!("cluster_{}", country_id(g, c)), name),
                );
            }
        }
        // By parent: one box per top parent that owns a supplier of the view,
        // named after it, holding it (when drawn) and everything below it.
        let mut cluster_of_parent: BTreeMap<SupplierIx, usize> = BTreeMap::new();
        if self.cluster_by() == ClusterBy::Parent {
            for &s in &suppliers {
                let top = g.top_parent(s);
                if top != s && !cluster_of_parent.contains_key(&top) {
                    let name = self.g.model().supplier_name(&g.supplier(top).id, self.lang);
                    let id = format!("cluster_parent_{}", supplier_id(top));
                    cluster_of_parent.insert(top, d.add_cluster(id, name));
                }
            }
        }
        for &s in &suppliers {
            let cluster = if self.cluster_by() == ClusterBy::Parent {
                cluster_of_parent.get(&g.top_parent(s)).copied()
            } else {
                hq(s).and_then(|c| cluster_of_country.get(&c).copied())
            };
            self.event_node(d, EventNode::Supplier(s), cluster);
        }
        for &c in &countries {
            self.event_node(
                d,
                EventNode::Country(c),
                cluster_of_country.get(&c).copied(),
            );
        }
        for &i in &items {
            for src in g.sources(i) {
                let mut label = estimate_percent(src.share);
                let Some(supplier) = src.supplier else {
                    label.push_str(&format!("\n{}", self.word(Word::Unnamed)));
                    d.add_edge(
                        &item_id(i),
                        &country_id(g, src.country),
                        Some(label),
                        self.supply_edge_attrs(None, src.country),
                    );
                    continue;
                };
                if hq(supplier) != Some(src.country) {
                    label.push_str(&format!(
                        "\n{} {}",
                        self.word(Word::Site),
                        g.country(src.country)
                    ));
                }
                d.add_edge(
                    &item_id(i),
                    &supplier_id(supplier),
                    Some(label),
                    self.supply_edge_attrs(Some(supplier), src.country),
                );
            }
        }
        for &(s, c) in &sites {
            d.add_edge(
                &supplier_id(s),
                &country_id(g, c),
                None,
                self.supply_edge_attrs(Some(s), c),
            );
        }
    }

    /// Systems, the items their minimal cut sets act through, and the events.
    fn chokepoints(&self, d: &mut Diagram) {
        let g = self.g;
        let in_view = |s: ItemIx| self.opts.system.is_none_or(|x| x == s);
        let cut_sets: Vec<_> = self
            .marks
            .cut_sets
            .iter()
            .filter(|cs| in_view(cs.system))
            .collect();
        let mut items = BTreeSet::new();
        let mut events = BTreeSet::new();
        let mut path_edges = BTreeSet::new();
        for cs in &cut_sets {
            events.extend(cs.events.iter().copied());
            for path in &cs.via {
                items.extend(path.iter().copied());
                path_edges.extend(path.windows(2).map(|w| (w[0], w[1])));
            }
        }
        for &s in g.systems() {
            if in_view(s) {
                items.insert(s);
            }
        }
        for &i in &items {
            self.item_node(d, i, None);
        }
        for &e in &events {
            self.event_node(d, e, None);
        }
        for (a, b) in path_edges {
            d.add_edge(&item_id(a), &item_id(b), None, vec![]);
        }
        let event_id = |e: EventNode| match e {
            EventNode::Supplier(s) => supplier_id(s),
            EventNode::Country(c) => country_id(g, c),
            EventNode::Unnamed(u) => unnamed_id(g, u),
        };
        // Conditional sets (resting on unattributed remainders) draw dashed.
        let conditional_edge = |conditional: bool| {
            if conditional {
                vec![
                    ("style", "dashed".to_string()),
                    ("label", self.word(Word::Conditional).to_string()),
                    ("fontsize", "8".to_string()),
                ]
            } else {
                vec![]
            }
        };
        // One node per distinct set of events of order ≥ 2 (systems sharing a
        // cut set share its node), fed by every item it acts through.
        let mut single = BTreeSet::new();
        let mut joint: BTreeMap<&[EventNode], BTreeSet<(ItemIx, bool)>> = BTreeMap::new();
        for cs in &cut_sets {
            let ends = cs
                .via
                .iter()
                .filter_map(|p| p.last().copied())
                .map(|i| (i, cs.conditional));
            match cs.events.as_slice() {
                [e] => single.extend(ends.map(|(i, c)| (i, *e, c))),
                events => joint.entry(events).or_default().extend(ends),
            }
        }
        for (n, (events, ends)) in joint.iter().enumerate() {
            let kid = format!("k_{n}");
            d.add_node(
                kid.clone(),
                self.word(Word::AllOf).into(),
                attrs(&[("shape", "octagon"), ("style", "filled"), ("fontsize", "9")]),
                None,
            );
            for &(i, conditional) in ends {
                d.add_edge(&item_id(i), &kid, None, conditional_edge(conditional));
            }
            for &e in events.iter() {
                d.add_edge(&kid, &event_id(e), None, vec![]);
            }
        }
        for (i, e, conditional) in single {
            d.add_edge(
                &item_id(i),
                &event_id(e),
                None,
                conditional_edge(conditional),
            );
        }
    }

    fn title(&self) -> String {
        let g = self.g;
        let name = |i: ItemIx| g.item(i).display_name(self.lang).to_string();
        let mut t = match self.opts.view {
            View::Bom => format!(
                "{} — {}",
                self.opts.system.map(name).unwrap_or_default(),
                self.word(Word::Bom)
            ),
            View::Supply => match self.opts.system {
                Some(s) => format!("{} — {}", name(s), self.word(Word::Supply)),
                None => self.word(Word::Supply).to_string(),
            },
            View::Chokepoints => {
                let by = match (self.opts.by, self.lang) {
                    (EventBy::Country, Lang::En) => "by country",
                    (EventBy::Supplier, Lang::En) => "by supplier",
                    (EventBy::Country, Lang::Zh) => "按国家",
                    (EventBy::Supplier, Lang::Zh) => "按供应商",
                };
                let order = match self.lang {
                    Lang::En => format!("order ≤ {}", self.opts.order),
                    Lang::Zh => format!("阶数 ≤ {}", self.opts.order),
                };
                let head = match self.opts.system {
                    Some(s) => format!("{} — {}", name(s), self.word(Word::Chokepoints)),
                    None => self.word(Word::Chokepoints).to_string(),
                };
                format!("{head} ({order}, {by})")
            }
        };
        if let Some(sc) = &self.marks.scenario {
            let name = match (self.lang, &sc.name_zh) {
                (Lang::Zh, Some(zh)) => zh,
                _ => &sc.name,
            };
            t.push_str(&format!("\n{}: {name}", self.word(Word::Scenario)));
            if let Some(s) = self.opts.system {
                if let Some(tts) = self.tts_text(s) {
                    t.push_str(&format!(" — {tts}"));
                }
            }
        }
        t
    }

    fn legend(&self, d: &Diagram) -> Vec<super::dot::DNode> {
        let mut out = Vec::new();
        let mut add = |label: String, a: Attrs| {
            let id = format!("l_{}", out.len());
            out.push(super::dot::DNode {
                id,
                label,
                attrs: a,
                cluster: None,
            });
        };
        // Only what the drawn items use.
        let drawn: Vec<ItemIx> = d
            .nodes
            .iter()
            .filter_map(|n| n.id.strip_prefix("i_")?.parse().ok().map(ItemIx))
            .collect();
        let risks: Vec<_> = drawn.iter().map(|&i| self.marks.risk_of(i)).collect();
        if risks.iter().any(Option::is_some) {
            for (band, w) in [
                (RiskBand::Low, Word::RiskLow),
                (RiskBand::Medium, Word::RiskMedium),
                (RiskBand::High, Word::RiskHigh),
            ] {
                add(self.word(w).into(), attrs(&[("fillcolor", band.fill())]));
            }
            if risks.iter().any(Option::is_none) {
                add(self.word(Word::NoScore).into(), vec![]);
            }
            if risks.iter().flatten().any(|r| r.incomplete) {
                add(
                    self.word(Word::Incomplete).into(),
                    attrs(&[("shape", "plaintext"), ("style", "")]),
                );
            }
        }
        let has_choke = self.opts.view == View::Chokepoints
            || d.nodes.iter().any(|n| {
                n.attrs
                    .iter()
                    .any(|(k, v)| *k == "color" && v == style::CHOKE_COLOR)
            });
        if has_choke {
            add(
                self.word(Word::ChokePoint).into(),
                attrs(&[
                    ("color", style::CHOKE_COLOR),
                    ("penwidth", style::CHOKE_PENWIDTH),
                ]),
            );
        }
        if self.opts.view != View::Bom {
            let home = self.g.country(self.g.home()).to_string();
            add(
                self.word(Word::Domestic).into(),
                attrs(&[("style", "filled"), ("fillcolor", style::SOURCE_FILL)]),
            );
            add(
                self.word(Word::Imported).replace("{home}", &home),
                attrs(&[
                    ("style", "filled,dashed"),
                    ("fillcolor", style::SOURCE_FILL),
                ]),
            );
        }
        if self.marks.scenario.is_some() {
            add(
                self.word(Word::Failed).into(),
                attrs(&[
                    ("style", "rounded,filled,diagonals"),
                    ("fillcolor", style::FAILED_FILL),
                ]),
            );
            add(
                self.word(Word::Short).into(),
                attrs(&[("peripheries", "2")]),
            );
        }
        out
    }
}

/// Days as written: whole numbers without a decimal point.
fn trim_days(x: f64) -> String {
    let r = (x * 1e6).round() / 1e6;
    format!("{r}")
}
