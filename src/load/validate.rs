//! Cross-entity validation of spec §2: unique ids, resolvable references, no
//! `requires` cycle, share sums, one `meta`, non-empty systems; and the warnings.
//! Turns a [`Draft`] into a [`Model`] only when no error remains.

use super::convert::{closest, Draft, RefKind};
use super::diagnostic::{exact_format, Code, Diagnostic};
use crate::model::*;
use indexmap::IndexMap;

/// Tolerance for share sums (spec §2).
pub const SUM_TOLERANCE: f64 = 1e-9;

/// Entries moved per step by [`drain_releasing`].
const DRAIN_CHUNK: usize = 1 << 14;

/// Yields `entries` in order while giving their memory back as it goes.
///
/// Moving a million draft items into the model's map one by one would hold
/// both the whole draft vector and the whole map at the peak (a vector's
/// buffer lives until the last element left). The vector is reversed in
/// place and popped, and shrunk every [`DRAIN_CHUNK`] entries: its buffer
/// shrinks as the map grows, and nothing new is allocated to do it (splitting
/// into chunk vectors allocated them all up front, on the heap once the
/// allocator's mmap threshold had risen, which the heap then kept).
fn drain_releasing<V>(mut entries: Vec<V>) -> impl Iterator<Item = V> {
    entries.reverse();
    let mut taken = 0usize;
    std::iter::from_fn(move || {
        let entry = entries.pop()?;
        taken += 1;
        if taken.is_multiple_of(DRAIN_CHUNK) {
            entries.shrink_to_fit();
        }
        Some(entry)
    })
}

/// Validates and assembles the model. Diagnostics (errors and warnings) are
/// appended to `draft.diagnostics`; the model is returned only without errors,
/// else the files come back (for rendering), so they are never copied.
pub fn validate(
    mut draft: Draft,
    files: Vec<SourceFile>,
) -> (Result<Model, Vec<SourceFile>>, Vec<Diagnostic>) {
    let describe = |loc: Location| -> String {
        files
            .get(loc.file as usize)
            .map(|f| f.place(loc.line, loc.column))
            .unwrap_or_default()
    };
    let mut diags = std::mem::take(&mut draft.diagnostics);

    // One meta at most.
    for (_, loc) in draft.metas.iter().skip(1) {
        let first = describe(draft.metas[0].1);
        diags.push(
            Diagnostic::new(
                Code::MultipleMeta,
                *loc,
                format!("a second `meta` (the first is at {first})"),
            )
            .hint("keep one `meta` for the whole graph"),
        );
    }
    let meta = draft
        .metas
        .first()
        .map(|(m, _)| m.clone())
        .unwrap_or_default();

    // Unique ids per namespace, first declaration wins.
    fn unique<K: Clone + Eq + std::hash::Hash + std::fmt::Display, V>(
        entries: Vec<V>,
        key: impl Fn(&V) -> K,
        loc: impl Fn(&V) -> Location,
        what: &str,
        diags: &mut Vec<Diagnostic>,
        describe: &dyn Fn(Location) -> String,
    ) -> IndexMap<K, V> {
        // Not `with_capacity`: the map grows while the drain gives memory back,
        // so the address space never holds both at full size; capped at the
        // total, its final size is exact.
        let total = entries.len();
        let mut map: IndexMap<K, V> = IndexMap::new();
        for e in drain_releasing(entries) {
            grow_by_doubling(&mut map, total);
            let k = key(&e);
            if let Some(first) = map.get(&k) {
                diags.push(
                    Diagnostic::new(
                        Code::DuplicateId,
                        loc(&e),
                        format!(
                            "duplicate {what} id `{k}` (first declared at {})",
                            describe(loc(first))
                        ),
                    )
                    .hint("ids are global across all files of a graph; rename or remove one"),
                );
            } else {
                map.insert(k, e);
            }
        }
        map
    }
    let countries = unique(
        draft.countries,
        |c| c.id.clone(),
        |c| c.loc,
        "country",
        &mut diags,
        &describe,
    );
    let suppliers = unique(
        draft.suppliers,
        |s| s.id.clone(),
        |s| s.loc,
        "supplier",
        &mut diags,
        &describe,
    );
    let items = unique(
        draft.items,
        |i| i.id.clone(),
        |i| i.loc,
        "item",
        &mut diags,
        &describe,
    );
    let references = unique(
        draft.references,
        |r| r.id.clone(),
        |r| r.loc,
        "reference",
        &mut diags,
        &describe,
    );
    let scenarios = unique(
        draft.scenarios,
        |s| s.id.clone(),
        |s| s.loc,
        "scenario",
        &mut diags,
        &describe,
    );
    let figures = unique(
        draft.figures,
        |f| f.id.clone(),
        |f| f.loc,
        "figure",
        &mut diags,
        &describe,
    )
    .into_values()
    .collect();

    // Every usage resolves. Real and generated graphs cite the same few
    // references on every number: the last id found per kind skips the lookup.
    let mut last_known: [Option<&str>; 4] = [None; 4];
    for usage in &draft.usages {
        let slot = usage.kind as usize;
        if last_known[slot] == Some(&*usage.id) {
            continue;
        }
        let (known, what) = match usage.kind {
            RefKind::Item => (items.contains_key(&*usage.id), "item"),
            RefKind::Supplier => (suppliers.contains_key(&*usage.id), "supplier"),
            RefKind::Reference => (references.contains_key(&*usage.id), "reference"),
            RefKind::Country => {
                if !iso::is_assigned(&usage.id) {
                    diags.push(
                        Diagnostic::new(
                            Code::InvalidCountryCode,
                            usage.loc,
                            format!("`{}` is not an ISO 3166-1 alpha-2 country code", usage.id),
                        )
                        .hint(iso::code_hint(&usage.id)),
                    );
                }
                continue;
            }
        };
        if known {
            last_known[slot] = Some(&*usage.id);
            continue;
        }
        if draft.damaged.contains(&(usage.kind, usage.id.to_string())) {
            continue;
        }
        // Only an unknown id pays for the scan over candidates.
        let candidates: Vec<&str> = match usage.kind {
            RefKind::Item => items.keys().map(|k| k.as_str()).collect(),
            RefKind::Supplier => suppliers.keys().map(|k| k.as_str()).collect(),
            _ => references.keys().map(|k| k.as_str()).collect(),
        };
        let hint = match closest(&usage.id, &candidates) {
            Some(c) => format!("did you mean `{c}`?"),
            None => {
                let article = if what.starts_with(['a', 'e', 'i', 'o', 'u']) {
                    "an"
                } else {
                    "a"
                };
                format!(
                    "declare {article} {what} with `id: {}`, or fix the spelling",
                    usage.id
                )
            }
        };
        diags.push(
            Diagnostic::new(
                Code::UnknownReference,
                usage.loc,
                format!("unknown {what} `{}`", usage.id),
            )
            .hint(hint),
        );
    }

    let damaged = |id: &ItemId| draft.damaged.contains(&(RefKind::Item, id.0.clone()));
    for item in items.values() {
        // An entry that failed to convert makes its item's sums meaningless.
        if !damaged(&item.id) {
            check_sums(item, &mut diags);
        }
        if !item.standby.is_empty() && item.supply.is_empty() && !damaged(&item.id) {
            diags.push(
                Diagnostic::new(
                    Code::StandbyOnly,
                    item.standby[0].edge.loc,
                    format!("item `{}` has standby sources but no regular source", item.id),
                )
                .hint("a standby source backs up a source buying today; list that source under `supply:`, or drop `standby: true`"),
            );
        }
        // A system with only standby sources got E024 above: one mistake, one error.
        if item.kind == ItemKind::System
            && item.requires.is_empty()
            && item.supply.is_empty()
            && item.standby.is_empty()
            && !damaged(&item.id)
        {
            diags.push(
                Diagnostic::new(
                    Code::EmptySystem,
                    item.loc,
                    format!("system `{}` requires nothing and has no supply", item.id),
                )
                .hint("list its subsystems under `requires:`, its sources under `supply:` (a machine bought finished), or change its kind"),
            );
        }
    }
    find_cycles(&items, &mut diags);
    find_parent_cycles(&suppliers, &mut diags);

    // Warnings.
    // Usages, not converted edges: a supply entry with an error still uses its supplier.
    let used: std::collections::HashSet<&str> = draft
        .usages
        .iter()
        .filter(|u| u.kind == RefKind::Supplier)
        .map(|u| &*u.id)
        .collect();
    for item in items.values() {
        // A system without inputs already got E014; saying "unmapped" again adds nothing.
        if item.is_unmapped() && !damaged(&item.id) && item.kind != ItemKind::System {
            diags.push(
                Diagnostic::new(
                    Code::Unmapped,
                    item.loc,
                    exact_format(format_args!(
                        "item `{}` is unmapped: it has neither supply, requires nor import_share",
                        item.id
                    )),
                )
                .hint("add its suppliers, its inputs, or an `import_share` estimate"),
            );
        }
    }
    for item in items.values() {
        if damaged(&item.id) {
            continue;
        }
        if item.supply.is_empty() && item.requires.is_empty() && item.import_share.is_some() {
            diags.push(
                Diagnostic::new(
                    Code::OnlyImportShare,
                    item.loc,
                    exact_format(format_args!(
                        "item `{}` is known only by its `import_share`: it can never fail",
                        item.id
                    )),
                )
                .hint("give it supply entries by country, e.g. `supply: [{ country: US, share: 0.6 }, { country: CN, share: 0.4 }]`"),
            );
        }
        if item.production_requirements().next().is_none() {
            for e in &item.supply {
                if matches!(e.requires.as_deref(), Some(SourceInputs::Bom)) {
                    diags.push(
                        Diagnostic::new(
                            Code::EmptyBom,
                            e.loc,
                            exact_format(format_args!(
                                "`requires: bom` on a source of `{}`, which has no production requirements: the source needs nothing",
                                item.id
                            )),
                        )
                        .hint("list the item's bill of materials under its own `requires:`, or give the source its own list"),
                    );
                }
            }
        }
    }
    for s in suppliers.values() {
        if !used.contains(s.id.as_str()) {
            diags.push(
                Diagnostic::new(
                    Code::UnusedSupplier,
                    s.loc,
                    exact_format(format_args!("supplier `{}` supplies no item", s.id)),
                )
                .hint("add it to an item's `supply`, or remove it"),
            );
        }
    }

    let order = |d: &Diagnostic| {
        (
            d.severity,
            d.loc.map(|l| (l.file, l.line, l.column)),
            d.code,
        )
    };
    // A warning per item arrives in file order already; a stable sort would
    // still take scratch space of half the list.
    if !diags.windows(2).all(|w| order(&w[0]) <= order(&w[1])) {
        diags.sort_by_key(|a| order(a));
    }
    diags.dedup();
    if diags
        .iter()
        .any(|d| d.code.severity() == super::Severity::Error)
    {
        return (Err(files), diags);
    }
    let model = Model {
        meta,
        countries,
        suppliers,
        items,
        references,
        scenarios,
        figures,
        files,
    };
    (Ok(model), diags)
}

fn check_sums(item: &Item, diags: &mut Vec<Diagnostic>) {
    if !item.supply.is_empty() {
        let sum: f64 = item.supply.iter().map(|e| e.share.mid()).sum();
        if sum > 1.0 + SUM_TOLERANCE {
            diags.push(
                Diagnostic::new(
                    Code::SupplyShareSum,
                    item.supply[0].loc,
                    format!("supply shares of `{}` sum to {} (above 1)", item.id, excess_text(sum)),
                )
                .hint("shares are fractions of the item's whole supply; lower them so they sum to at most 1"),
            );
        } else if sum < 1.0 - SUM_TOLERANCE {
            diags.push(
                Diagnostic::new(
                    Code::SupplyUnattributed,
                    item.supply[0].loc,
                    exact_format(format_args!(
                        "supply shares of `{}` sum to {}; the remaining {} is unattributed",
                        item.id,
                        round6(sum),
                        round6(1.0 - sum)
                    )),
                )
                .hint("the known sources stand for the whole supply in the metrics"),
            );
        }
    }
    let cost: f64 = item
        .requires
        .iter()
        .filter_map(|r| r.cost_share.as_ref())
        .map(|c| c.mid())
        .sum();
    if cost > 1.0 + SUM_TOLERANCE {
        let loc = item
            .requires
            .iter()
            .find(|r| r.cost_share.is_some())
            .map(|r| r.loc)
            .unwrap_or(item.loc);
        diags.push(
            Diagnostic::new(
                Code::CostShareSum,
                loc,
                format!(
                    "cost shares of the requirements of `{}` sum to {} (above 1)",
                    item.id,
                    excess_text(cost)
                ),
            )
            .hint("cost shares are fractions of the parent's cost; they may sum to at most 1"),
        );
    }
}

/// A sum above 1 written with enough digits to show that it is: 1.00000001,
/// not the "1" that six decimals would print.
fn excess_text(x: f64) -> String {
    let r = round6(x);
    if r > 1.0 {
        return r.to_string();
    }
    let mut text = format!("{x:.15}");
    while text.ends_with('0') {
        text.pop();
    }
    text
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Finds `requires` cycles with an iterative depth-first search (deep BOMs must not
/// overflow the stack) and reports each once, at the requirement that closes it.
/// Reports every `parent` cycle of suppliers once (spec §3.10), at the
/// supplier of the cycle declared first. Each supplier has at most one parent,
/// so following the chains with three marks finds every cycle in linear time.
fn find_parent_cycles(suppliers: &IndexMap<SupplierId, Supplier>, diags: &mut Vec<Diagnostic>) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    let mut mark = vec![Mark::New; suppliers.len()];
    let parent_of = |ix: usize| {
        suppliers[ix]
            .parent
            .as_ref()
            .and_then(|p| suppliers.get_index_of(p.as_str()))
    };
    for root in 0..suppliers.len() {
        let mut chain = Vec::new();
        let mut at = Some(root);
        while let Some(ix) = at {
            match mark[ix] {
                Mark::Done => break,
                Mark::Active => {
                    let start = chain.iter().position(|&c| c == ix).unwrap_or(0);
                    let cycle = &chain[start..];
                    let first = *cycle.iter().min().unwrap_or(&ix);
                    // The cycle written from its first-declared member round to it again.
                    let from = cycle.iter().position(|&c| c == first).unwrap_or(0);
                    let mut names: Vec<&str> = cycle[from..]
                        .iter()
                        .chain(&cycle[..from])
                        .map(|&c| suppliers[c].id.as_str())
                        .collect();
                    names.push(suppliers[first].id.as_str());
                    diags.push(
                        Diagnostic::new(
                            Code::ParentCycle,
                            suppliers[first].loc,
                            format!("`parent` cycle: {}", names.join(" → ")),
                        )
                        .hint("a supplier cannot own itself, directly or through other suppliers; remove the `parent` of the top company of the chain"),
                    );
                    break;
                }
                Mark::New => {
                    mark[ix] = Mark::Active;
                    chain.push(ix);
                    at = parent_of(ix);
                }
            }
        }
        for c in chain {
            mark[c] = Mark::Done;
        }
    }
}

fn find_cycles(items: &IndexMap<ItemId, Item>, diags: &mut Vec<Diagnostic>) {
    /// Every member of every requirement of `item`, with the requirement's location.
    /// Items' requirements, then sources' own lists: a cycle may run through either.
    fn members_of(item: &Item) -> impl Iterator<Item = (&ItemId, Location)> {
        let own = item
            .supply
            .iter()
            .chain(item.standby.iter().map(|s| &s.edge))
            .flat_map(|e| match e.requires.as_deref() {
                Some(SourceInputs::List(list)) => list.as_slice(),
                _ => &[],
            });
        item.requires
            .iter()
            .chain(own)
            .flat_map(|r| r.target.members().iter().map(move |m| (m, r.loc)))
    }
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    // Children of every item in one flat list (offsets per item), as indices:
    // a million-line BOM would otherwise hold a vector and a hash map of ids.
    let mut offsets: Vec<u32> = Vec::with_capacity(items.len() + 1);
    let mut targets: Vec<u32> = Vec::new();
    for item in items.values() {
        offsets.push(targets.len() as u32);
        targets.extend(
            members_of(item)
                .filter_map(|(m, _)| items.get_index_of(m.as_str()))
                .map(|c| c as u32),
        );
    }
    offsets.push(targets.len() as u32);
    let children = |node: usize| &targets[offsets[node] as usize..offsets[node + 1] as usize];
    let mut mark = vec![Mark::New; items.len()];
    for root in 0..items.len() {
        if mark[root] != Mark::New {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        mark[root] = Mark::Active;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&child) = children(node).get(*next) {
                let child = child as usize;
                *next += 1;
                let position = *next - 1;
                match mark[child] {
                    Mark::New => {
                        mark[child] = Mark::Active;
                        stack.push((child, 0));
                    }
                    Mark::Active => {
                        let start = stack.iter().position(|(n, _)| *n == child).unwrap_or(0);
                        let mut path: Vec<&str> = stack[start..]
                            .iter()
                            .map(|(n, _)| items[*n].id.as_str())
                            .collect();
                        path.push(items[child].id.as_str());
                        // The requirement that closes the cycle: the `next`-th
                        // resolvable member of `node`.
                        let loc = members_of(&items[node])
                            .filter(|(m, _)| items.contains_key(m.as_str()))
                            .nth(position)
                            .map_or(items[node].loc, |(_, loc)| loc);
                        diags.push(
                            Diagnostic::new(
                                Code::RequiresCycle,
                                loc,
                                format!("`requires` cycle: {}", path.join(" → ")),
                            )
                            .hint("an item cannot require itself, directly or through other items; remove one requirement of the cycle"),
                        );
                    }
                    Mark::Done => {}
                }
            } else {
                mark[node] = Mark::Done;
                stack.pop();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every entry, in order, across chunk boundaries (first declaration wins
    /// and the model keeps declaration order).
    #[test]
    fn drain_releasing_yields_all_in_order() {
        for n in [0, 1, DRAIN_CHUNK - 1, DRAIN_CHUNK, 3 * DRAIN_CHUNK + 5] {
            let entries: Vec<usize> = (0..n).collect();
            let got: Vec<usize> = drain_releasing(entries).collect();
            assert_eq!(got, (0..n).collect::<Vec<_>>(), "n = {n}");
        }
    }
}
