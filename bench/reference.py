#!/usr/bin/env python3
"""Plain Python + NetworkX reference for scripts/bench (issue 10).

Reads the GraphML that `chokepoint export --format graphml` writes and computes,
written plainly after spec §3, the same work each timed `chokepoint` command does:

  check     load + validation (cycles, share sums, cost-share sums, empty systems,
            unmapped items, unused suppliers) and a summary by kind
  analyze   DI, EID with coverage, HHI by supplier and by country, the
            foreign-dependence screen, the risk score, where-used / fan-in, and the
            minimal cut sets of every system up to --order by --by (bottom-up
            families: OR = union, AND = pairwise product truncated at k, both
            minimised), each with one explaining "via" path; the national list
  sweep     the §3.6 day-by-day recurrence with every single supplying country
            (except home) failed in turn; LP, TTS, PI per system; REI
  dot       the choke-point map (cut sets at order 2 by supplier + risk) as DOT

Each task loads the GraphML itself, as each `chokepoint` command loads the YAML.
It is meant to be a faithful, straightforward implementation, not a slow one:
dictionaries keyed by id, sets of frozensets, the same pruning the Rust engine
does (only items that can fall short run the day loop). Differences that favour
Python: one case (mid) instead of low/mid/high for EID and risk, one via path per
cut set instead of up to four. Betweenness is not computed (the Rust default
`analyze` does not compute it either).

Usage: reference.py TASK GRAPHML [--home CN] [--by supplier|country] [--order K]
                     [--days D] [--out FILE]
"""

import argparse
import json
import os
import sys
import time
from itertools import product as cartesian

import networkx as nx

DEFAULT_WEIGHTS = {
    "import": 0.30,
    "country": 0.20,
    "supplier": 0.15,
    "recovery": 0.15,
    "buffer": 0.10,
    "controls": 0.10,
}
TOL = 1e-9


class Graph:
    """The supply graph read back from GraphML, keyed by item id."""

    def __init__(self, path, home):
        g = nx.read_graphml(path, force_multigraph=True)
        self.nx = g
        self.home = home
        self.items = {}  # id -> node attributes
        self.supplier_country = {}
        for n, d in g.nodes(data=True):
            t = d.get("type")
            if t == "item":
                self.items[n[len("item:"):]] = d
            elif t == "supplier":
                self.supplier_country[n[len("supplier:"):]] = d.get("country")
        # Requirements per parent in declaration order (edge ids e1, e2, ... are in
        # file order); an any_of group is one requirement with several members.
        self.requires = {i: [] for i in self.items}
        self.supply = {i: [] for i in self.items}
        req_edges = []
        sup_edges = []
        # The GraphML edge id ("e17") is the multigraph key.
        for u, v, key, d in g.edges(keys=True, data=True):
            rel = d.get("relation")
            if rel == "requires":
                req_edges.append((int(str(key)[1:]), u[5:], v[5:], d))
            elif rel == "supplies":
                sup_edges.append((int(str(key)[1:]), u[9:], v[5:], d))
        req_edges.sort(key=lambda e: e[0])
        sup_edges.sort(key=lambda e: e[0])
        group_of = {}
        for _, parent, child, d in req_edges:
            grp = d.get("alternate_group")
            if grp is not None and grp in group_of:
                group_of[grp]["members"].append(child)
                continue
            r = {"members": [child], "any_of": grp is not None, "cost_share": d.get("cost_share")}
            if grp is not None:
                group_of[grp] = r
            self.requires[parent].append(r)
        for _, supplier, item, d in sup_edges:
            self.supply[item].append(
                {"supplier": supplier, "country": d.get("country"), "share": d.get("share", 0.0)}
            )
        self.req_graph = nx.DiGraph()
        self.req_graph.add_nodes_from(self.items)
        for parent, reqs in self.requires.items():
            for r in reqs:
                for m in r["members"]:
                    self.req_graph.add_edge(parent, m)
        self.systems = [i for i, d in self.items.items() if d.get("kind") == "system"]

    def bottom_up(self):
        """Children before parents."""
        return list(reversed(list(nx.topological_sort(self.req_graph))))

    def weights(self, i):
        """ŵ_e: shares normalised by their sum."""
        edges = self.supply[i]
        total = sum(e["share"] for e in edges)
        if total <= 0:
            return [0.0 for _ in edges]
        return [e["share"] / total for e in edges]


def check(g):
    errors, warnings = [], []
    if not nx.is_directed_acyclic_graph(g.req_graph):
        errors.append("requires cycle: " + repr(nx.find_cycle(g.req_graph)))
    used = set()
    for i, d in g.items.items():
        edges = g.supply[i]
        for e in edges:
            used.add(e["supplier"])
            if not (0.0 <= e["share"] <= 1.0):
                errors.append(f"share of {i} outside [0,1]")
        if edges:
            s = sum(e["share"] for e in edges)
            if s > 1 + TOL:
                errors.append(f"supply shares of {i} sum above 1")
            elif s < 1 - TOL:
                warnings.append(("W001", i))
        cost = sum(r["cost_share"] for r in g.requires[i] if r["cost_share"] is not None)
        if cost > 1 + TOL:
            errors.append(f"cost shares of {i} sum above 1")
        if d.get("kind") == "system" and not g.requires[i]:
            errors.append(f"system {i} requires nothing")
        if not edges and not g.requires[i] and d.get("import_share") is None and d.get("kind") != "system":
            warnings.append(("W002", i))
    for s in g.supplier_country:
        if s not in used:
            warnings.append(("W003", s))
    by_kind = {}
    for d in g.items.values():
        by_kind[d.get("kind")] = by_kind.get(d.get("kind"), 0) + 1
    return {
        "items": len(g.items),
        "items_by_kind": by_kind,
        "suppliers": len(g.supplier_country),
        "errors": errors,
        "warnings": len(warnings),
    }


# --- §3.1–3.3, 3.5, 3.8 -------------------------------------------------------

def direct_import(g, i):
    edges = g.supply[i]
    if edges:
        w = g.weights(i)
        return sum(wk for wk, e in zip(w, edges) if e["country"] != g.home)
    return g.items[i].get("import_share")


def embodied(g, order):
    eid, coverage = {}, {}
    for i in order:
        reqs = g.requires[i]
        ein, cov = 0.0, 0.0
        for r in reqs:
            cs = r["cost_share"]
            if cs is None:
                continue
            cov += cs
            vals = [eid[m] for m in r["members"] if eid.get(m) is not None]
            if vals:
                ein += cs * (sum(vals) / len(vals))
        edges = g.supply[i]
        if edges:
            w = g.weights(i)
            eid[i] = sum(wk * (1.0 if e["country"] != g.home else ein) for wk, e in zip(w, edges))
        elif reqs:
            eid[i] = ein
        else:
            eid[i] = direct_import(g, i)
        coverage[i] = cov if reqs else None
    return eid, coverage


def hhi(g, i, key):
    edges = g.supply[i]
    if not edges:
        return None
    acc = {}
    for wk, e in zip(g.weights(i), edges):
        acc[e[key]] = acc.get(e[key], 0.0) + wk
    return sum(v * v for v in acc.values())


def risk(g, i, di, hc, hs):
    d = g.items[i]
    rec, stock = d.get("recovery_days"), d.get("stock_days")
    f = {
        "import": di,
        "country": hc,
        "supplier": hs,
        "recovery": None if rec is None else min(1.0, rec / 365.0),
        "buffer": None if rec is None else (0.0 if rec == 0 else 1.0 - min(1.0, (stock or 0.0) / rec)),
        "controls": 1.0 if d.get("export_controls") else 0.0,
    }
    score = 10.0 * sum(DEFAULT_WEIGHTS[k] * (v or 0.0) for k, v in f.items())
    band = "low" if score < 3.3 else ("medium" if score < 6.7 else "high")
    return {"score": score, "band": band, "incomplete": any(v is None for v in f.values())}


# --- §3.4 minimal cut sets ------------------------------------------------------

def minimise(cuts):
    """Removes duplicates and every set that contains another set of the family."""
    kept = set()
    out = []
    for c in sorted(set(cuts), key=lambda s: (len(s), sorted(s))):
        if len(c) > 1 and any(frozenset(sub) in kept for n in range(1, len(c)) for sub in _subsets(c, n)):
            continue
        kept.add(c)
        out.append(c)
    return out


def _subsets(c, n):
    from itertools import combinations

    return combinations(sorted(c), n)


def and_product(a, b, k):
    return minimise([x | y for x, y in cartesian(a, b) if len(x | y) <= k])


def families(g, order, by, k):
    key = "supplier" if by == "supplier" else "country"
    fam = {}
    for i in order:
        acc = []
        edges = g.supply[i]
        if edges:
            events = frozenset(e[key] for e in edges)
            if len(events) <= k:
                acc.append(events)
        for r in g.requires[i]:
            p = fam[r["members"][0]]
            for m in r["members"][1:]:
                if not p:
                    break
                p = and_product(p, fam[m], k)
            acc.extend(p)
        fam[i] = minimise(acc)
    return fam


def kills(fam, i, cut):
    return any(c <= cut for c in fam[i])


def via(g, fam, by, root, cut):
    """One explanation: from the root, the own supply if it fails, else the first
    failing requirement (every member of an any_of group)."""
    key = "supplier" if by == "supplier" else "country"
    paths, stack = [], [[root]]
    while stack:
        path = stack.pop()
        i = path[-1]
        edges = g.supply[i]
        if edges and all(e[key] in cut for e in edges):
            paths.append(path)
            continue
        for r in g.requires[i]:
            if all(kills(fam, m, cut) for m in r["members"]):
                for m in reversed(r["members"]):
                    stack.append(path + [m])
                break
    return paths


def analyze(g, by, k):
    order = g.bottom_up()
    eid, cov = embodied(g, order)
    items = {}
    for i in g.items:
        di = direct_import(g, i)
        hc, hs = hhi(g, i, "country"), hhi(g, i, "supplier")
        items[i] = {
            "direct_import_share": di,
            "embodied_import_share": eid.get(i),
            "coverage": cov.get(i),
            "hhi_supplier": hs,
            "hhi_country": hc,
            "foreign_dependent": hc is not None and di is not None and hc > 0.4 and di > 0.5,
            "risk": risk(g, i, di, hc, hs),
            "used_by": [],
        }
    for s in g.systems:
        for d in nx.descendants(g.req_graph, s):
            items[d]["used_by"].append(s)
    mv = {s: g.items[s].get("market_value") or 0.0 for s in g.systems}
    for d in items.values():
        d["used_by_value"] = sum(mv[s] for s in d["used_by"])
    # Families of everything the systems require (the whole graph here).
    fam = families(g, order, by, k)
    systems, national = [], {}
    domestic = (lambda e: g.supplier_country.get(e) == g.home) if by == "supplier" else (lambda e: e == g.home)
    for s in g.systems:
        cuts = sorted(fam[s], key=lambda c: (len(c), sorted(c)))
        reports = [{"events": sorted(c), "via": via(g, fam, by, s, c)} for c in cuts]
        for c in cuts:
            if len(c) <= 2 and not all(domestic(e) for e in c):
                national.setdefault(tuple(sorted(c)), []).append(s)
        under = sorted(nx.descendants(g.req_graph, s), key=lambda i: (-items[i]["risk"]["score"], i))
        systems.append(
            {
                "id": s,
                "embodied_import_share": eid.get(s),
                "coverage": cov.get(s),
                "single_points_of_failure": [r for r in reports if len(r["events"]) == 1],
                "cut_sets": [r for r in reports if len(r["events"]) > 1],
                "top_risk": under[:10],
            }
        )
    ranked = sorted(
        national.items(),
        key=lambda kv: (-len(kv[1]), -sum(mv[s] for s in kv[1]), len(kv[0]), kv[0]),
    )
    return {
        "systems": systems,
        "national": [{"events": list(e), "systems": ss} for e, ss in ranked[:10]],
        "items": items,
    }


# --- §3.6 and §3.9: single-country sweep ----------------------------------------

def simulate(g, order, failed_country, days, systems):
    a = {}
    for i in g.items:
        edges = g.supply[i]
        if not edges:
            a[i] = 1.0
            continue
        w = g.weights(i)
        fails = [e["country"] == failed_country for e in edges]
        a[i] = 1.0 if not any(fails) else min(1.0, max(0.0, sum(wk for wk, f in zip(w, fails) if not f)))
    affected, run = set(), []
    for i in order:
        via_input = any(
            all(m in affected for m in r["members"]) if r["any_of"] else any(m in affected for m in r["members"])
            for r in g.requires[i]
        )
        if a[i] < 1.0 or via_input:
            affected.add(i)
            run.append(i)
    avail = {i: 1.0 for i in run}
    stock = {i: g.items[i].get("stock_days") or 0.0 for i in run}
    recovery = {i: g.items[i].get("recovery_days") for i in run}
    series = {s: [] for s in systems}
    for t in range(days):
        for i in run:
            inp = 1.0
            for r in g.requires[i]:
                vals = [avail.get(m, 1.0) for m in r["members"]]
                v = max(vals) if r["any_of"] else min(vals)
                inp = min(inp, v)
            rec = recovery[i]
            own = a[i] if rec is None or t < rec else 1.0
            f = 1.0 - min(own, inp)
            if f <= 0.0:
                e = 1.0
            elif stock[i] >= f - TOL:
                stock[i] = max(0.0, stock[i] - f)
                e = 1.0
            else:
                e = 1.0 - (f - stock[i])
                stock[i] = 0.0
            avail[i] = e
        for s in systems:
            series[s].append(avail.get(s, 1.0))
    return series


def sweep(g, days):
    order = g.bottom_up()
    countries = sorted({e["country"] for edges in g.supply.values() for e in edges} - {g.home})
    rows = []
    for c in countries:
        series = simulate(g, order, c, days, g.systems)
        impact = lp_total = 0.0
        hit, earliest = 0, None
        for s in g.systems:
            out = series[s]
            lp = sum(1.0 - o for o in out)
            lp_total += lp
            impact += lp * (g.items[s].get("market_value") or 0.0) / 365.0
            tts = next((t for t, o in enumerate(out) if o < 1.0), None)
            if tts is not None:
                hit += 1
                earliest = tts if earliest is None else min(earliest, tts)
        rows.append({"id": c, "impact": impact, "lost_production": lp_total, "systems_hit": hit, "earliest_tts": earliest})
    rows.sort(key=lambda r: (-r["impact"], -r["lost_production"]))
    top = rows[0]["impact"] if rows else 0.0
    for k, r in enumerate(rows):
        r["rank"] = k + 1
        r["rei"] = r["impact"] / top if top > 0 else 0.0
    return {"days": days, "rows": rows}


# --- the choke-point map as DOT ------------------------------------------------

def dot(g):
    result = analyze(g, "supplier", 2)
    items = result["items"]
    lines = ['digraph "chokepoint" {', '  graph[rankdir="LR" label="choke points (order ≤ 2, by supplier)"]']
    nodes, edges = set(), set()
    for s in result["systems"]:
        for r in s["single_points_of_failure"] + s["cut_sets"]:
            for path in r["via"]:
                nodes.update(path)
                edges.update(zip(path, path[1:]))
                for e in r["events"]:
                    edges.add((f"supplier:{e}", path[-1]))
    for n in sorted(nodes):
        score = items[n]["risk"]["score"]
        lines.append(f'  "i_{n}"[label="{g.items[n].get("name", n)}\\nrisk {score:.1f}"]')
    for u, v in sorted(edges):
        a = u.replace("supplier:", "s_") if u.startswith("supplier:") else f"i_{u}"
        lines.append(f'  "{a}" -> "i_{v}"')
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("task", choices=["check", "analyze", "sweep", "dot"])
    ap.add_argument("graphml")
    ap.add_argument("--home", default="CN")
    ap.add_argument("--by", choices=["supplier", "country"], default="supplier")
    ap.add_argument("--order", type=int, default=2)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--out")
    args = ap.parse_args()
    started = time.perf_counter()
    g = Graph(args.graphml, args.home)
    loaded = time.perf_counter() - started
    if args.task == "check":
        result = check(g)
        if result["errors"]:
            print("\n".join(result["errors"]), file=sys.stderr)
            sys.exit(2)
        text = json.dumps(result)
    elif args.task == "analyze":
        text = json.dumps(analyze(g, args.by, args.order))
    elif args.task == "sweep":
        text = json.dumps(sweep(g, args.days))
    else:
        text = dot(g)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    if os.environ.get("CHOKEPOINT_TIMINGS"):
        # The same split as the Rust binary prints (scripts/bench).
        print(f"timing: load {loaded:.4f} total {time.perf_counter() - started:.4f}", file=sys.stderr)


if __name__ == "__main__":
    main()
