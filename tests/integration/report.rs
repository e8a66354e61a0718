//! Tests for `chokepoint report`: the files it writes, that every table of
//! report.md agrees with `analyze --format json` and `scenario --format json`,
//! that the data files equal those commands' output, hostile names, the built-in
//! layout fallback, and a headless-Chromium test of index.html.

use crate::support::{bin, load, load_str, shipped, stdout_ok, tool_available};
use chokepoint::graph::SupplyGraph;
use chokepoint::model::Lang;
use chokepoint::report::{self, escape::slug, ReportOptions};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// Runs `chokepoint ARGS` and returns stdout, asserting success.
fn run_ok(args: &[&str]) -> String {
    stdout_ok(bin().args(args).output().expect("runs"))
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&run_ok(args)).expect("valid JSON")
}

/// Writes the report of the shipped graphs into a fresh directory.
fn shipped_report(extra: &[&str]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rep");
    let mut args = vec!["report", "graphs", "-q", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let stdout = run_ok(&args);
    (dir, stdout)
}

/// Equal texts, or a panic naming the first differing line (not the whole file).
#[track_caller]
fn assert_same_text(got: &str, want: &str, what: &str) {
    if got == want {
        return;
    }
    let (g, w): (Vec<&str>, Vec<&str>) = (got.lines().collect(), want.lines().collect());
    let k = g
        .iter()
        .zip(&w)
        .position(|(a, b)| a != b)
        .unwrap_or(g.len().min(w.len()));
    panic!(
        "{what} differs at line {}: got {:?}, want {:?}",
        k + 1,
        g.get(k),
        w.get(k)
    );
}

fn read(dir: &tempfile::TempDir, rel: &str) -> String {
    std::fs::read_to_string(dir.path().join("rep").join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn report_writes_every_file_and_says_so() {
    let (dir, stdout) = shipped_report(&[]);
    let d = dir.path().join("rep");
    let d = d.display();
    let backend = if tool_available("dot") {
        "Graphviz"
    } else {
        "the built-in layout"
    };
    let model = load(&shipped()).model;
    let systems = model.systems().count();
    // 2 summary charts + map, per system a BOM and an output chart (every shipped
    // system is hit by some scenario), one chart per scenario that stops something.
    let svgs = std::fs::read_dir(dir.path().join("rep/diagrams"))
        .unwrap()
        .count();
    assert_eq!(
        stdout,
        format!(
            "report: {systems} systems, {} scenarios, {} items, {} references (case mid, lang en, diagrams by {backend})\n\
wrote {d}/index.html (self-contained; open it in a browser)\n\
wrote {d}/report.md and {svgs} SVG files in {d}/diagrams/\n\
wrote {d}/analysis.json, {d}/scenarios.json and 6 CSV files\n",
            model.scenarios.len(),
            model.items.len(),
            model.references.len()
        )
    );
    for f in [
        "index.html",
        "report.md",
        "analysis.json",
        "scenarios.json",
        "items.csv",
        "national.csv",
        "cut_sets.csv",
        "scenarios.csv",
        "timeline.csv",
        "references.csv",
        "diagrams/pareto.svg",
        "diagrams/heatmap.svg",
        "diagrams/chokepoints.svg",
        "diagrams/bom-ct-64.svg",
        "diagrams/output-ct-64.svg",
    ] {
        assert!(dir.path().join("rep").join(f).is_file(), "{f} missing");
    }
    // report.md points only at diagrams that exist.
    let md = read(&dir, "report.md");
    for (k, _) in md.match_indices("](diagrams/") {
        let rest = &md[k + 2..];
        let file = &rest[..rest.find(')').unwrap()];
        assert!(
            dir.path().join("rep").join(file).is_file(),
            "{file} missing"
        );
    }
}

#[test]
fn index_html_is_self_contained() {
    let (dir, _) = shipped_report(&[]);
    let html = read(&dir, "index.html");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    // Nothing that makes a browser fetch: no external scripts, styles, fonts,
    // images or frames, no CSS imports or url()s pointing outside the page.
    let lower = html.to_lowercase();
    for needle in [
        "<script src",
        "<link",
        "<img",
        "<iframe",
        "@import",
        "url(http",
        "url(//",
        "@font-face",
        "src=\"",
        "xlink:href=\"http",
    ] {
        assert!(!lower.contains(needle), "index.html contains `{needle}`");
    }
    assert_eq!(lower.matches("<script").count(), 1, "one inline script");
    // The page's own: without Graphviz, each diagram of the built-in layout
    // brings a <style> of its font sizes inside its <svg>.
    let page: String = lower
        .split("<svg")
        .enumerate()
        .map(|(k, part)| match (k, part.find("</svg>")) {
            (0, _) | (_, None) => part,
            (_, Some(end)) => &part[end..],
        })
        .collect();
    assert_eq!(page.matches("<style").count(), 1, "one inline stylesheet");
    // Inline diagrams: the XML prolog and DOCTYPE of the SVG files are gone,
    // and ids are unique across the page.
    assert!(!html.contains("<?xml") && !html.contains("<!DOCTYPE svg"));
    let mut ids = std::collections::BTreeSet::new();
    for (k, _) in html.match_indices(" id=\"") {
        let rest = &html[k + 5..];
        let id = &rest[..rest.find('"').unwrap()];
        assert!(ids.insert(id.to_string()), "duplicate id {id}");
    }
    for id in [
        "summary",
        "national",
        "system-ct-64",
        "spof-ct-64",
        "items-table",
        "sources",
        "method",
    ] {
        assert!(ids.contains(id), "no element #{id}");
    }
    assert!(html.contains("@media print"));
    assert!(html.contains("role=\"img\" aria-label="));
}

#[test]
fn data_files_equal_the_analyze_and_scenario_json() {
    let (dir, _) = shipped_report(&[]);
    assert_same_text(
        &read(&dir, "analysis.json"),
        &run_ok(&["analyze", "graphs", "-q", "--format", "json", "--top", "0"]),
        "analysis.json",
    );
    assert_same_text(
        &read(&dir, "scenarios.json"),
        &run_ok(&["scenario", "graphs", "-q", "--format", "json"]),
        "scenarios.json",
    );
}

#[test]
fn chosen_scenarios_only_and_unknown_scenario_writes_nothing() {
    let (dir, _) = shipped_report(&["--scenario", "helium-qatar", "--scenario", "gpu-licensing"]);
    assert_same_text(
        &read(&dir, "scenarios.json"),
        &run_ok(&[
            "scenario",
            "graphs",
            "-q",
            "--format",
            "json",
            "--name",
            "helium-qatar",
            "--name",
            "gpu-licensing",
        ]),
        "scenarios.json",
    );
    let md = read(&dir, "report.md");
    assert!(md.contains("<!-- table: scenario helium-qatar -->"));
    assert!(!md.contains("<!-- table: scenario us-embargo -->"));

    let empty = tempfile::tempdir().unwrap();
    let out = empty.path().join("never");
    let res = bin()
        .args([
            "report",
            "graphs",
            "-q",
            "--scenario",
            "helium-qatr",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&res.stderr),
        format!(
            "error[U001]: unknown scenario `helium-qatr` (declared: {})\n  \
             help: run `chokepoint report --help` for the flags and an example\n",
            load(&shipped())
                .model
                .scenarios
                .keys()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    );
    assert!(!out.exists(), "nothing written on error");
}

#[test]
fn builtin_layout_when_graphviz_is_absent() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rep");
    let res = bin()
        .env("CHOKEPOINT_DOT", "")
        .args(["report", "graphs", "-q", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(res.status.success());
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert_eq!(stderr, format!("{}\n", chokepoint::render::FALLBACK_NOTE));
    let stdout = String::from_utf8_lossy(&res.stdout);
    assert!(stdout
        .lines()
        .next()
        .unwrap()
        .ends_with("diagrams by the built-in layout)"));
    let bom = std::fs::read_to_string(out.join("diagrams/bom-ct-64.svg")).unwrap();
    assert!(bom.contains("<svg") && !bom.contains("Generated by graphviz"));
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        html.contains("id=\"bom-ct-64-"),
        "prefixed ids of the inlined built-in SVG"
    );
}

// ------------------------------------------------------------- hostile names

const HOSTILE: &str = r#"
meta: { title: "T <script>alert('t')</script> & \"q\"", home: CN, currency: CNY }
references:
  - { id: r1, title: "</td><script>alert(1)</script>", url: "javascript:alert(1)\"><b>" }
suppliers:
  - { id: "s<1>", name: "Evil \" onmouseover=\"alert(1)", country: US, cite: [r1] }
  - { id: s2, name: "]]><!-- -->|*_`", country: CN }
items:
  - id: "sys<x>"
    kind: system
    name: "<img src=x onerror=alert(1)>"
    name_zh: "</svg><script>alert(2)</script>"
    market_value: 1.0e9
    requires:
      - { item: "p&1", cost_share: 0.5 }
  - id: "p&1"
    kind: part
    name: "Part '1' <b>|x|</b>\nnew line"
    supply:
      - { supplier: "s<1>", share: 0.7, cite: [r1] }
      - { supplier: s2, share: 0.3 }
    stock_days: 10
    recovery_days: 100
scenarios:
  - { id: "sc\"1", name: "<script>alert(3)</script>", fail: { countries: [US] }, duration_days: 30 }
"#;

#[test]
fn hostile_names_cannot_inject_markup() {
    let loaded = load_str(&[("g.yaml", HOSTILE)]).unwrap_or_else(|e| panic!("{}", e.render(false)));
    let g = SupplyGraph::new(&loaded.model);
    for lang in [Lang::En, Lang::Zh] {
        let r = report::build(
            &g,
            &ReportOptions {
                lang,
                ..ReportOptions::default()
            },
        )
        .expect("report builds");
        let html = String::from_utf8(r.file("index.html").unwrap().to_vec()).unwrap();
        let lower = html.to_lowercase();
        assert_eq!(
            lower.matches("<script").count(),
            1,
            "only the page's own script"
        );
        for bad in [
            "<img",
            "<b>",
            "onmouseover=\"",
            "</svg><script",
            "href=\"javascript",
        ] {
            assert!(!lower.contains(bad), "index.html contains {bad}");
        }
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;") || lang == Lang::Zh);
        let md = String::from_utf8(r.file("report.md").unwrap().to_vec()).unwrap();
        // Markup characters are backslash-escaped (GFM shows them as text):
        // no tag may start unescaped.
        let md_lower = md.to_lowercase();
        for bad in ["<script", "<img", "<b>", "<!-- -->"] {
            for (at, _) in md_lower.match_indices(bad) {
                assert!(
                    at > 0 && md_lower.as_bytes()[at - 1] == b'\\',
                    "report.md contains an unescaped {bad}"
                );
            }
        }
        assert!(
            !md.contains("&lt;") && !md.contains("&#"),
            "no HTML entities"
        );
        // Every table row of report.md keeps its column count (pipes are escaped).
        for t in md_tables(&md) {
            for row in &t.rows {
                assert_eq!(row.len(), t.headers.len(), "{}: {row:?}", t.kind);
            }
        }
        for (path, bytes) in &r.files {
            if path.extension().is_some_and(|e| e == "svg") {
                let svg = String::from_utf8_lossy(bytes).to_lowercase();
                assert!(
                    !svg.contains("<script") && !svg.contains("<img"),
                    "{}",
                    path.display()
                );
            }
        }
        // File names of diagrams are slugs, never paths.
        assert!(r.file("diagrams/bom-sys_3c_x_3e_.svg").is_some());
    }
}

// ------------------------------------------------- report.md against the JSON

/// A table of report.md with the kind and key from its marker comment.
struct MdTable {
    kind: String,
    key: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// Undoes the Markdown writer's escaping of a cell.
fn unescape(cell: &str) -> String {
    let mut out = String::new();
    let mut chars = cell.trim().chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out.replace("<br>", "\n")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Splits a table line on unescaped pipes.
fn split_row(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut esc = false;
    for c in inner.chars() {
        if esc {
            cur.push(c);
            esc = false;
        } else if c == '\\' {
            cur.push(c);
            esc = true;
        } else if c == '|' {
            cells.push(unescape(&cur));
            cur.clear();
        } else {
            cur.push(c);
        }
    }
    cells.push(unescape(&cur));
    cells
}

fn md_tables(md: &str) -> Vec<MdTable> {
    let lines: Vec<&str> = md.lines().collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < lines.len() {
        if let Some(rest) = lines[k]
            .strip_prefix("<!-- table: ")
            .and_then(|r| r.strip_suffix(" -->"))
        {
            let (kind, key) = rest.split_once(' ').expect("kind and key");
            k += 1;
            while !lines[k].starts_with('|') {
                k += 1;
            }
            let headers = split_row(lines[k]);
            k += 2; // header and alignment rows
            let mut rows = Vec::new();
            while k < lines.len() && lines[k].starts_with('|') {
                rows.push(split_row(lines[k]));
                k += 1;
            }
            out.push(MdTable {
                kind: kind.to_string(),
                key: key.to_string(),
                headers,
                rows,
            });
        }
        k += 1;
    }
    out
}

/// Parses the leading number of a cell ("80.3 %", "135.62", "7.26").
fn number(cell: &str) -> f64 {
    let s: String = cell
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '-')
        .collect();
    s.parse()
        .unwrap_or_else(|_| panic!("not a number: {cell:?}"))
}

/// Asserts that `cell`, printed with `decimals` decimals (of `scale` × value),
/// shows `expected` (null = "—").
#[track_caller]
fn shows(cell: &str, expected: &Value, scale: f64, decimals: i32, what: &str) {
    match expected.as_f64() {
        None => assert_eq!(cell, "—", "{what}"),
        Some(v) => {
            let tol = 0.5 * 10f64.powi(-decimals) + 1e-9;
            let got = number(cell);
            assert!(
                (got - v * scale).abs() <= tol,
                "{what}: cell {cell:?} does not show {v} × {scale}"
            );
        }
    }
}

/// The numbers of a formatted figure and the unit they are counted in:
/// "48.0 bn CNY (21.0–48.0 bn)" → ([48e9, 21e9, 48e9], 1e9); "4,600 items" →
/// ([4600], 1); thousands separators dropped.
fn figure_numbers(cell: &str) -> (Vec<f64>, f64) {
    let unit = if cell.contains(" bn") {
        1e9
    } else if cell.contains(" m ") || cell.contains(" m)") {
        1e6
    } else {
        1.0
    };
    let numbers = cell
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .map(|t| t.trim_matches(|c| c == '.' || c == ',').replace(',', ""))
        .filter(|t| !t.is_empty())
        .map(|t| t.parse::<f64>().unwrap_or_else(|_| panic!("{cell:?}: {t}")) * unit)
        .collect();
    (numbers, unit)
}

#[test]
fn figure_numbers_read_the_formatted_figures() {
    assert_eq!(
        figure_numbers("48.0 bn CNY (21.0–48.0 bn)"),
        (vec![48e9, 21e9, 48e9], 1e9)
    );
    assert_eq!(figure_numbers("4,600 items"), (vec![4600.0], 1.0));
    assert_eq!(figure_numbers("125 % ad valorem"), (vec![125.0], 1.0));
    assert_eq!(figure_numbers("0.0 %–10.0 %"), (vec![0.0, 10.0], 1.0));
}

fn ids(events: &Value) -> String {
    events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect::<Vec<_>>()
        .join(" + ")
}

/// [`via`] with each item id replaced by its name in `lang` (the id without one).
fn via_names(paths: &Value, model: &chokepoint::model::Model, lang: Lang) -> String {
    via(paths)
        .lines()
        .map(|p| {
            p.split(" → ")
                .map(|id| {
                    model
                        .items
                        .get(id)
                        .map_or(id.to_string(), |i| i.display_name(lang).to_string())
                })
                .collect::<Vec<_>>()
                .join(" → ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn via(paths: &Value) -> String {
    paths
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            p.as_array()
                .unwrap()
                .iter()
                .map(|i| i.as_str().unwrap())
                .collect::<Vec<_>>()
                .join(" → ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// TTS as the report prints it.
fn tts(v: &Value, survives: &str) -> String {
    match v.as_u64() {
        Some(t) => t.to_string(),
        None => survives.to_string(),
    }
}

/// Checks every table of report.md against the analysis and scenario JSON.
fn check_md_tables(md: &str, a: &Value, s: &Value, lang: Lang) {
    let model = load(&shipped()).model;
    let survives = if lang == Lang::En {
        "survives"
    } else {
        "不停产"
    };
    let band = |b: &str| match (lang, b) {
        (Lang::En, b) => b.to_string(),
        (Lang::Zh, "low") => "低".into(),
        (Lang::Zh, "medium") => "中".into(),
        (Lang::Zh, _) => "高".into(),
    };
    let items: BTreeMap<&str, &Value> = a["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["id"].as_str().unwrap(), i))
        .collect();
    let systems: BTreeMap<String, &Value> = a["systems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (slug(x["id"].as_str().unwrap()), x))
        .collect();
    let scenarios: BTreeMap<String, &Value> = s["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (slug(x["id"].as_str().unwrap()), x))
        .collect();
    let tables = md_tables(md);
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for t in &tables {
        *seen.entry(t.kind.clone()).or_default() += 1;
        let what = format!("table {} {}", t.kind, t.key);
        for row in &t.rows {
            assert_eq!(row.len(), t.headers.len(), "{what}: row width");
        }
        match t.kind.as_str() {
            "national" => {
                let nat = a["national"].as_array().unwrap();
                assert_eq!(t.rows.len(), nat.len().max(1), "{what}");
                for (row, n) in t.rows.iter().zip(nat) {
                    assert_eq!(row[0], n["rank"].to_string(), "{what}");
                    assert_eq!(row[2], ids(&n["events"]), "{what}");
                    let sys: Vec<&str> = n["systems"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|x| x.as_str().unwrap())
                        .collect();
                    assert_eq!(row[3], sys.join(", "), "{what}");
                    assert_eq!(row[4], n["system_count"].to_string(), "{what}");
                    shows(&row[5], &n["market_value"], 1e-9, 2, &what);
                    // What it rests on: one line per cut supply entry, from the JSON.
                    let ev = n["evidence"].as_array().unwrap();
                    assert!(!ev.is_empty(), "{what}: no evidence");
                    let mut want: Vec<String> = ev
                        .iter()
                        .map(|e| {
                            let cites: Vec<&str> = e["cite"]
                                .as_array()
                                .unwrap()
                                .iter()
                                .map(|c| c.as_str().unwrap())
                                .collect();
                            format!(
                                "{} ← {} {:.1} % [{}]{}",
                                e["item"].as_str().unwrap(),
                                e["source"].as_str().unwrap(),
                                e["share"].as_f64().unwrap() * 100.0,
                                cites.join(", "),
                                if e["assumed"] == Value::Bool(true) {
                                    " *"
                                } else {
                                    ""
                                }
                            )
                        })
                        .collect();
                    if n["conditional"] == Value::Bool(true) {
                        want.push("(conditional)".into());
                    }
                    assert_eq!(row[6], want.join("<br>"), "{what}");
                }
            }
            "top-risk" => {
                let mut want: Vec<&Value> = items
                    .values()
                    .copied()
                    .filter(|i| i["risk"]["score"].as_f64().unwrap() > 0.0)
                    .collect();
                want.sort_by(|x, y| {
                    y["risk"]["score"]
                        .as_f64()
                        .unwrap()
                        .total_cmp(&x["risk"]["score"].as_f64().unwrap())
                        .then(x["id"].as_str().cmp(&y["id"].as_str()))
                });
                want.truncate(15);
                assert_eq!(t.rows.len(), want.len(), "{what}");
                for (row, i) in t.rows.iter().zip(want) {
                    assert_eq!(row[0], i["id"].as_str().unwrap(), "{what}");
                    assert_eq!(row[1], i["name"].as_str().unwrap(), "{what}");
                    shows(&row[2], &i["risk"]["score"], 1.0, 2, &what);
                    let (lo, hi) = row[3].split_once(" – ").unwrap();
                    shows(lo, &i["risk"]["low"], 1.0, 2, &what);
                    shows(hi, &i["risk"]["high"], 1.0, 2, &what);
                    assert_eq!(row[4], band(i["risk"]["band"].as_str().unwrap()), "{what}");
                    shows(&row[5], &i["direct_import_share"], 100.0, 1, &what);
                    shows(&row[6], &i["hhi_country"], 100.0, 1, &what);
                    assert_eq!(
                        row[7],
                        i["used_by"].as_array().unwrap().len().to_string(),
                        "{what}"
                    );
                }
            }
            "foreign" => {
                let want: Vec<&str> = a["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|i| i["foreign_dependent"] == Value::Bool(true))
                    .map(|i| i["id"].as_str().unwrap())
                    .collect();
                assert!(
                    !want.is_empty(),
                    "the shipped graph has foreign-dependent items"
                );
                let got: Vec<&str> = t.rows.iter().map(|r| r[0].as_str()).collect();
                assert_eq!(got, want, "{what}");
                for row in &t.rows {
                    let i = items[row[0].as_str()];
                    shows(&row[2], &i["direct_import_share"], 100.0, 1, &what);
                    shows(&row[3], &i["hhi_country"], 100.0, 1, &what);
                    shows(&row[4], &i["risk"]["score"], 1.0, 2, &what);
                }
            }
            "figures" => {
                assert_eq!(t.rows.len(), model.figures.len(), "{what}");
                for (row, f) in t.rows.iter().zip(&model.figures) {
                    assert_eq!(row[0], f.id, "{what}");
                    // The value, then its interval when it has one, in the
                    // cell's one scale ("48.0 bn CNY (21.0–48.0 bn)").
                    let scale = match f.unit.as_deref() {
                        Some("share") | Some("ad-valorem") => 100.0,
                        _ => 1.0,
                    };
                    let mut want = Vec::new();
                    want.extend(f.value.value);
                    if f.value.low.is_some() || f.value.high.is_some() {
                        want.extend([f.value.low(), f.value.high()]);
                    }
                    let (got, unit) = figure_numbers(&row[2]);
                    assert_eq!(got.len(), want.len(), "{what}: {:?}", row[2]);
                    for (g, w) in got.iter().zip(&want) {
                        let tol = 0.05 * unit + 1e-9;
                        assert!(
                            (g - w * scale).abs() <= tol,
                            "{what}: {:?} does not show {w} × {scale}",
                            row[2]
                        );
                    }
                    let cites: Vec<String> = f
                        .cite
                        .iter()
                        .chain(&f.value.cite)
                        .map(|c| c.to_string())
                        .collect();
                    for c in row[3].split(", ") {
                        assert!(cites.contains(&c.to_string()), "{what}: {c}");
                    }
                }
            }
            "system-facts" => {
                let x = systems[&t.key];
                shows(&t.rows[0][1], &x["market_value"], 1e-9, 2, &what);
                let eid = &x["embodied_import_share"];
                if x["coverage"].as_f64() == Some(0.0) {
                    // No declared cost share: the share is unknown, not 0 % (issue 19).
                    assert_eq!(t.rows[1][1], "—", "{what}");
                    assert_eq!(t.rows[2][1], "—", "{what}");
                } else {
                    shows(&t.rows[1][1], &eid["value"], 100.0, 1, &what);
                    let (lo, hi) = t.rows[2][1].split_once(" – ").unwrap();
                    shows(lo, &eid["low"], 100.0, 1, &what);
                    shows(hi, &eid["high"], 100.0, 1, &what);
                }
                shows(&t.rows[3][1], &x["coverage"], 100.0, 1, &what);
            }
            "spof" | "cut-sets" => {
                let x = systems[&t.key];
                let list = x[if t.kind == "spof" {
                    "single_points_of_failure"
                } else {
                    "cut_sets"
                }]
                .as_array()
                .unwrap();
                let off = usize::from(t.kind == "cut-sets");
                if list.is_empty() {
                    assert_eq!(t.rows.len(), 1, "{what}: the 'none' row");
                }
                for (row, c) in t.rows.iter().zip(list) {
                    if off == 1 {
                        assert_eq!(row[0], c["order"].to_string(), "{what}");
                    }
                    assert_eq!(row[1 + off], ids(&c["events"]), "{what}");
                    // Via paths read as names (ids stay in the JSON).
                    assert_eq!(row[2 + off], via_names(&c["via"], &model, lang), "{what}");
                }
                if !list.is_empty() {
                    assert_eq!(t.rows.len(), list.len(), "{what}");
                }
            }
            "risk" => {
                let top = systems[&t.key]["top_risk"].as_array().unwrap();
                assert_eq!(t.rows.len(), top.len().min(10), "{what}");
                for (row, r) in t.rows.iter().zip(top) {
                    assert_eq!(row[0], r["id"].as_str().unwrap(), "{what}");
                    assert_eq!(row[1], r["name"].as_str().unwrap(), "{what}");
                    shows(&row[2], &r["score"], 1.0, 2, &what);
                    assert_eq!(row[3], band(r["band"].as_str().unwrap()), "{what}");
                    assert_eq!(
                        row[4].is_empty(),
                        r["incomplete"] == Value::Bool(false),
                        "{what}"
                    );
                }
            }
            "design" => {
                let deps = systems[&t.key]["design_dependencies"].as_array().unwrap();
                assert_eq!(t.rows.len(), deps.len(), "{what}");
                for (row, d) in t.rows.iter().zip(deps) {
                    assert_eq!(row[0], d["id"].as_str().unwrap(), "{what}");
                    assert_eq!(row[1], d["name"].as_str().unwrap(), "{what}");
                    shows(&row[2], &d["direct_import_share"], 100.0, 1, &what);
                    shows(&row[3], &d["risk"], 1.0, 2, &what);
                    assert_eq!(row[4], band(d["band"].as_str().unwrap()), "{what}");
                }
            }
            "system-scenarios" => {
                let sid = systems[&t.key]["id"].as_str().unwrap();
                let list = s["scenarios"].as_array().unwrap();
                assert_eq!(t.rows.len(), list.len(), "{what}");
                for (row, sc) in t.rows.iter().zip(list) {
                    assert_eq!(row[0], sc["id"].as_str().unwrap(), "{what}");
                    let so = sc["systems"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|x| x["id"] == sid)
                        .unwrap();
                    let t_text = tts(&so["tts"], survives);
                    if so["buildable_day0"] == Value::Bool(false) {
                        assert!(row[1].starts_with("0 ("), "{what}");
                    } else {
                        assert_eq!(row[1], t_text, "{what}");
                    }
                    shows(&row[2], &so["min_output"], 100.0, 1, &what);
                    shows(&row[3], &so["lost_production"], 1.0, 1, &what);
                    shows(&row[4], &so["impact"], 1e-9, 2, &what);
                    shows(&row[5], &so["delta_cost"], 100.0, 1, &what);
                }
            }
            "scenario" => {
                let sc = scenarios[&t.key];
                let list = sc["systems"].as_array().unwrap();
                let vs = sc["vs_baseline"].as_array().unwrap();
                assert_eq!(t.rows.len(), list.len(), "{what}");
                for ((row, so), d) in t.rows.iter().zip(list).zip(vs) {
                    assert_eq!(row[1], so["id"].as_str().unwrap(), "{what}");
                    assert_eq!(d["system"], so["id"], "{what}");
                    assert_eq!(row[2], survives, "{what}: the baseline never falls short");
                    if so["buildable_day0"] != Value::Bool(false) {
                        assert_eq!(row[3], tts(&so["tts"], survives), "{what}");
                    }
                    let outs: Vec<&str> = row[5].split(" · ").collect();
                    let cps = so["checkpoints"].as_array().unwrap();
                    assert_eq!(outs.len(), cps.len(), "{what}");
                    for (o, c) in outs.iter().zip(cps) {
                        shows(o, &c["output"], 100.0, 0, &what);
                    }
                    assert!(
                        row[4].split(" · ").all(|o| o == "100"),
                        "{what}: baseline output"
                    );
                    shows(&row[6], &serde_json::json!(0.0), 1.0, 1, &what);
                    shows(&row[7], &so["lost_production"], 1.0, 1, &what);
                    shows(&row[8], &d["lost_production"], 1.0, 1, &what);
                    shows(&row[9], &d["impact"], 1e-9, 2, &what);
                    shows(&row[10], &d["delta_cost"], 100.0, 1, &what);
                }
            }
            "exposed" => {
                let list = scenarios[&t.key]["exposed_sources"].as_array().unwrap();
                assert_eq!(t.rows.len(), list.len(), "{what}");
                for (row, e) in t.rows.iter().zip(list) {
                    assert_eq!(row[0], e["item"].as_str().unwrap(), "{what}");
                    // Unnamed producers have no supplier (null in JSON, "—" in tables).
                    assert_eq!(row[2], e["supplier"].as_str().unwrap_or("—"), "{what}");
                    assert_eq!(row[3], e["country"].as_str().unwrap(), "{what}");
                    shows(&row[4], &e["share"], 100.0, 1, &what);
                    assert_eq!(row[5], e["tts"].to_string(), "{what}");
                    match e["recovery_days"].as_f64() {
                        Some(r) => shows(&row[6], &serde_json::json!(r), 1.0, 0, &what),
                        None => assert_eq!(row[6], if lang == Lang::En { "none" } else { "无" }),
                    }
                }
            }
            "items" => {
                let all = a["items"].as_array().unwrap();
                assert_eq!(t.rows.len(), all.len(), "{what}");
                for (row, i) in t.rows.iter().zip(all) {
                    assert_eq!(row[0], i["id"].as_str().unwrap(), "{what}");
                    let kind = i["kind"].as_str().unwrap();
                    let kind_zh = match kind {
                        "system" => "整机",
                        "subsystem" => "子系统",
                        "part" => "部件",
                        "component" => "元器件",
                        "material" => "材料",
                        "software" => "软件",
                        k => panic!("unknown kind {k}"),
                    };
                    let want = if lang == Lang::En { kind } else { kind_zh };
                    assert_eq!(row[1], want, "{what}");
                    assert_eq!(row[2], i["name"].as_str().unwrap(), "{what}");
                    shows(&row[3], &i["direct_import_share"], 100.0, 1, &what);
                    shows(&row[4], &i["embodied_import_share"], 100.0, 1, &what);
                    shows(&row[5], &i["coverage"], 100.0, 1, &what);
                    shows(&row[6], &i["hhi_supplier"], 100.0, 1, &what);
                    shows(&row[7], &i["hhi_country"], 100.0, 1, &what);
                    assert_eq!(
                        row[8].is_empty(),
                        i["foreign_dependent"] == Value::Bool(false),
                        "{what}"
                    );
                    shows(&row[9], &i["risk"]["score"], 1.0, 2, &what);
                    assert_eq!(row[10], band(i["risk"]["band"].as_str().unwrap()), "{what}");
                    let used: Vec<&str> = i["used_by"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|x| x.as_str().unwrap())
                        .collect();
                    assert_eq!(row[11], used.join(", "), "{what}");
                }
            }
            "sources" => {
                assert_eq!(t.rows.len(), model.references.len(), "{what}");
                for (row, (id, r)) in t.rows.iter().zip(&model.references) {
                    assert_eq!(row[0], id.as_str(), "{what}");
                    assert_eq!(row[1], r.title, "{what}");
                    let cited: Vec<&str> = row[4].lines().collect();
                    assert_eq!(row[5], cited.len().to_string(), "{what}");
                    // Each "where used" entry names an entity whose data really cites the reference.
                    for c in cited {
                        let mut words = c.split(' ');
                        let kind = words.next().unwrap();
                        let ent = words.next().unwrap().trim_end_matches(':');
                        let v = match kind {
                            "item" | "物料" => serde_json::to_value(&model.items[ent]).unwrap(),
                            "supplier" | "供应商" => {
                                serde_json::to_value(&model.suppliers[ent]).unwrap()
                            }
                            "scenario" | "情景" => {
                                serde_json::to_value(&model.scenarios[ent]).unwrap()
                            }
                            "figure" | "数据" => serde_json::to_value(
                                model.figures.iter().find(|f| f.id == ent).unwrap(),
                            )
                            .unwrap(),
                            k => panic!("{what}: unknown citer kind {k}"),
                        };
                        assert!(
                            v.to_string().contains(&format!("\"{id}\"")),
                            "{what}: {c} does not cite {id}"
                        );
                    }
                }
                let used = t.rows.iter().filter(|r| r[5] != "0").count();
                assert!(
                    used > model.references.len() / 2,
                    "{what}: most references are cited"
                );
            }
            "parameters" => {
                let get = |k: &str| -> String {
                    let v = match k.split_once('.') {
                        Some((a1, b1)) => &a[a1][b1],
                        None => &a[k],
                    };
                    match v {
                        Value::String(s) => s.clone(),
                        v => v.to_string(),
                    }
                };
                for row in &t.rows {
                    let want = get(&row[0]);
                    let got = &row[1];
                    assert!(
                        got == &want || (got.parse::<f64>().ok() == want.parse::<f64>().ok()),
                        "{what}: {} = {got}, JSON {want}",
                        row[0]
                    );
                }
            }
            "glossary" => {
                let terms = chokepoint::output::text::GLOSSARY;
                assert_eq!(t.rows.len(), terms.len(), "{what}");
                for (row, term) in t.rows.iter().zip(terms) {
                    assert_eq!(row[0], term.abbr, "{what}");
                    assert_eq!(row[2], term.section, "{what}");
                    if lang == Lang::En {
                        assert_eq!(row[1], term.meaning, "{what}");
                    } else {
                        assert!(row[1].contains('：'), "{what}: {row:?}");
                    }
                }
            }
            k => panic!("report.md has a table of unknown kind `{k}`: the test must check it"),
        }
    }
    let n_sys = systems.len();
    let n_sc = scenarios.len();
    for (kind, n) in [
        ("national", 1),
        ("top-risk", 1),
        ("foreign", 1),
        ("figures", 1),
        ("system-facts", n_sys),
        ("spof", n_sys),
        ("cut-sets", n_sys),
        ("risk", n_sys),
        ("system-scenarios", n_sys),
        ("scenario", n_sc),
        ("items", 1),
        ("sources", 1),
        ("parameters", 1),
    ] {
        assert_eq!(
            seen.get(kind).copied().unwrap_or(0),
            n,
            "tables of kind {kind}"
        );
    }
    assert!(seen.get("exposed").copied().unwrap_or(0) >= 1);
}

#[test]
fn every_markdown_table_matches_the_json_output() {
    let (dir, _) = shipped_report(&[]);
    let a = json(&["analyze", "graphs", "-q", "--format", "json", "--top", "0"]);
    let s = json(&["scenario", "graphs", "-q", "--format", "json"]);
    check_md_tables(&read(&dir, "report.md"), &a, &s, Lang::En);
}

#[test]
fn chinese_report_matches_the_chinese_json_output() {
    let (dir, _) = shipped_report(&["--lang", "zh"]);
    // `analyze --format json` is language-neutral (issue 19): the analysis
    // with Chinese names comes from the library, as the report computes it.
    let loaded = load(&shipped());
    let g = SupplyGraph::new(&loaded.model);
    let opts = chokepoint::analysis::AnalyzeOptions {
        lang: Lang::Zh,
        top: 0,
        ..Default::default()
    };
    let a = serde_json::to_value(chokepoint::analysis::analyze(&g, &opts).unwrap()).unwrap();
    let s = json(&[
        "scenario", "graphs", "-q", "--format", "json", "--lang", "zh",
    ]);
    let md = read(&dir, "report.md");
    check_md_tables(&md, &a, &s, Lang::Zh);
    assert!(md.contains("## 摘要") && md.contains("## 整机") && md.contains("64排CT"));
    let html = read(&dir, "index.html");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    assert!(html.contains("全国卡脖子清单"));
}

#[test]
fn html_tables_hold_the_same_rows_as_the_markdown() {
    // The HTML and Markdown writers render the same document: the CT risk table
    // has the same ids in the same order in both.
    let (dir, _) = shipped_report(&[]);
    let html = read(&dir, "index.html");
    let md = read(&dir, "report.md");
    let t = md_tables(&md)
        .into_iter()
        .find(|t| t.kind == "risk" && t.key == "ct-64")
        .unwrap();
    let start = html.find("<table id=\"risk-ct-64\"").unwrap();
    let end = start + html[start..].find("</table>").unwrap();
    let section = &html[start..end];
    let mut pos = 0;
    for row in &t.rows {
        let needle = format!(">{}</a></td>", row[0]);
        let at = section[pos..]
            .find(&needle)
            .unwrap_or_else(|| panic!("{} not in order", row[0]));
        pos += at + needle.len();
    }
}

// ---------------------------------------------------------------- the browser

/// Runs headless Chromium with a fresh profile; returns stdout.
fn chromium(args: &[&str], profile: &Path) -> String {
    use std::process::{Command, Stdio};
    use wait_timeout::ChildExt;
    let mut child = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut s);
        s
    });
    match child
        .wait_timeout(std::time::Duration::from_secs(120))
        .unwrap()
    {
        Some(status) => assert!(status.success(), "chromium failed: {status}"),
        None => {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 120 s");
        }
    }
    reader.join().unwrap()
}

#[test]
fn browser_opens_the_report_without_script_errors() {
    if !tool_available("chromium") {
        return;
    }
    for lang in ["en", "zh"] {
        let (dir, _) = shipped_report(&["--lang", lang]);
        let index = dir.path().join("rep/index.html");
        let url = format!("file://{}", index.display());
        let profile = tempfile::tempdir().unwrap();
        let dom = chromium(&["--dump-dom", &url], profile.path());
        // The script ran to its end and caught no error.
        let body = &dom[dom.find("<body").expect("a body")..];
        let body_tag = &body[..body.find('>').unwrap()];
        assert!(
            body_tag.contains("data-ready=\"1\""),
            "script did not finish: {body_tag}"
        );
        assert!(
            !body_tag.contains("data-errors"),
            "script errors: {body_tag}"
        );
        // The CT section with its diagram and the choke-point tables.
        let ct = dom
            .find("<section id=\"system-ct-64\"")
            .expect("CT section");
        let ct_end = ct + dom[ct..].find("</section>").unwrap();
        let ct_html = &dom[ct..ct_end];
        assert!(ct_html.contains("<svg"), "CT diagram");
        assert!(ct_html.contains("aria-label="), "CT diagram is labelled");
        assert!(
            ct_html.contains("<table id=\"spof-ct-64\""),
            "CT single points of failure"
        );
        let national = dom
            .find("<table id=\"national\"")
            .expect("choke-point table");
        let national_html = &dom[national..national + dom[national..].find("</table>").unwrap()];
        assert!(
            national_html.matches("<tr>").count() >= 2,
            "national table has rows"
        );
        assert!(national_html.contains("siemens-healthineers"));
        // The search box was enabled by the script.
        let q = &dom[dom.find("<input id=\"q\"").unwrap()..];
        assert!(!q[..q.find('>').unwrap()].contains("disabled"));

        let shot = dir.path().join(format!("report-{lang}.png"));
        chromium(
            &[
                &format!("--screenshot={}", shot.display()),
                "--window-size=1280,1600",
                &url,
            ],
            profile.path(),
        );
        let png = std::fs::read(&shot).expect("screenshot written");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert!(png.len() > 50_000, "a real page, not a blank one");
        if let Ok(keep) = std::env::var("CHOKEPOINT_SCREENSHOTS") {
            std::fs::copy(&shot, Path::new(&keep).join(format!("report-{lang}.png"))).unwrap();
        }
    }
}

/// `report --mitigate K --diff OLD` adds the plan and the changes as sections of
/// both index.html and report.md, with the same numbers as the library computes.
#[test]
fn report_appends_mitigation_plan_and_diff() {
    let out = tempfile::tempdir().unwrap();
    let status = bin()
        .args([
            "report",
            "tests/fixtures/diff/new",
            "-q",
            "--mitigate",
            "1",
            "--diff",
            "tests/fixtures/diff/old",
            "--out",
        ])
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(
        status.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    // Markdown escapes `_`; compare the text as a reader sees it.
    let md = std::fs::read_to_string(out.path().join("report.md"))
        .unwrap()
        .replace("\\_", "_");
    let html = std::fs::read_to_string(out.path().join("index.html")).unwrap();

    let old = load(&crate::support::fixture("diff/old")).model;
    let new = load(&crate::support::fixture("diff/new")).model;
    let d = chokepoint::diff::diff(
        &old,
        &new,
        "tests/fixtures/diff/old",
        "tests/fixtures/diff/new",
        &chokepoint::diff::DiffOptions {
            by: chokepoint::analysis::EventKind::Supplier,
            ..Default::default()
        },
    )
    .unwrap();
    let summary = d.summary();
    assert!(
        md.contains("## Changes since tests/fixtures/diff/old"),
        "{md}"
    );
    assert!(
        md.contains(summary.lines().next().unwrap()),
        "diff summary in report.md"
    );
    // Every data change the library finds is a row of the report's first diff table.
    let changes = &d.tables()[0];
    assert!(!changes.rows.is_empty());
    for row in &changes.rows {
        let md_row = format!("| {} |", row.join(" | "));
        assert!(md.contains(&md_row), "missing diff row {md_row}");
    }
    assert!(html.contains("id=\"changes\"") || html.contains("id=\"changes-h\""));
    assert!(md.contains("## Mitigation plan (budget 1)"));
    assert!(html.contains("Mitigation plan (budget 1)"));
}

// ------------------------------------------------ the browser, through DevTools

/// Runs `node tests/browser/report.mjs DIR` (playwright-core driving headless
/// Chromium through the DevTools protocol) and returns its JSON result; `None`
/// (skip) when node, chromium or the npm package are missing, unless
/// CHOKEPOINT_REQUIRE_TOOLS=1 (scripts/test and .ci/run install them).
fn drive_report(dir: &Path) -> Option<Value> {
    let required = std::env::var("CHOKEPOINT_REQUIRE_TOOLS").as_deref() == Ok("1");
    let root = crate::support::root();
    let package = root.join("tests/browser/node_modules/playwright-core");
    let node = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok();
    if !node || !package.is_dir() || !tool_available("chromium") {
        assert!(
            !required,
            "node and tests/browser/node_modules are required (run `npm ci --prefix tests/browser`)"
        );
        eprintln!("skipping: node or tests/browser/node_modules is missing");
        return None;
    }
    let out = std::process::Command::new("node")
        .arg(root.join("tests/browser/report.mjs"))
        .arg(dir)
        .output()
        .expect("node runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let v: Value = serde_json::from_str(text.trim()).unwrap_or_else(|e| {
        panic!(
            "report.mjs printed no JSON ({e}): {text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(v["ok"], true, "report.mjs failed: {}", v["error"]);
    Some(v)
}

/// What the zh scan allows besides codes and units: every id of the graph
/// (items, suppliers, countries, references, scenarios, figures: ids are data,
/// written as declared in every language) and every run of Latin letters in the
/// graph's own Chinese text (`name_zh`, `note_zh`, `title_zh`: brand and
/// product names its translator kept, such as "GE HiLight").
fn graph_words() -> std::collections::BTreeSet<String> {
    let m = load(&shipped()).model;
    let mut ids = std::collections::BTreeSet::new();
    ids.extend(m.items.keys().map(|k| k.to_string()));
    ids.extend(m.suppliers.keys().map(|k| k.to_string()));
    ids.extend(m.countries.keys().map(|k| k.to_string()));
    ids.extend(m.references.keys().map(|k| k.to_string()));
    ids.extend(m.scenarios.keys().map(|k| k.to_string()));
    ids.extend(m.figures.iter().map(|f| f.id.to_string()));
    let mut zh: Vec<&str> = Vec::new();
    zh.extend(m.items.values().filter_map(|i| i.name_zh.as_deref()));
    zh.extend(m.suppliers.values().filter_map(|s| s.name_zh.as_deref()));
    zh.extend(m.scenarios.values().filter_map(|s| s.name_zh.as_deref()));
    zh.extend(m.scenarios.values().filter_map(|s| s.note_zh.as_deref()));
    zh.extend(m.figures.iter().filter_map(|f| f.name_zh.as_deref()));
    zh.extend(m.meta.title_zh.as_deref());
    for text in zh {
        for run in text.split(|c: char| !c.is_ascii_alphabetic()) {
            if !run.is_empty() {
                ids.insert(run.to_string());
            }
        }
    }
    ids
}

/// Units written in Latin letters in every language (docs/report.md, "Chinese").
const UNITS: &[&str] = &["bn", "kg", "px", "pts", "eV", "mm", "cm"];

/// Keys of the graph format that name where a source is cited ("物料 ct-64:
/// requires ct-tube: cost_share"), and the placeholder of an unnamed producer.
const FORMAT_KEYS: &[&str] = &[
    "requires",
    "supply",
    "share",
    "cost_share",
    "market_value",
    "import_share",
    "stock_days",
    "recovery_days",
    "value",
    "unnamed",
];

/// Names of programs, not words to translate.
const PROGRAMS: &[&str] = &["chokepoint", "Graphviz"];

/// The words of `words` that are English. A word is allowed when it is an id
/// or a word of the graph's Chinese text ([`graph_words`]), a file name or
/// path (`.json`, `.csv`, `.md`, `.svg`), a command-line flag (`--home`), a
/// format key or a program name; otherwise each of its runs of Latin letters
/// must be a code (no lower-case letter: CT, MRI, CNY, HHI, 3.0T), a chemical
/// symbol or single letter (Gd, W, T), or a unit of [`UNITS`].
fn english_words(words: &[Value], allowed: &std::collections::BTreeSet<String>) -> Vec<String> {
    let mut bad = Vec::new();
    for w in words {
        let w = w.as_str().unwrap().trim_matches('`');
        let trimmed = w.trim_matches(|c: char| !c.is_alphanumeric());
        if allowed.contains(trimmed)
            || allowed.contains(w)
            || w.starts_with("--")
            || FORMAT_KEYS.contains(&trimmed)
            || PROGRAMS.contains(&trimmed)
            || [".json", ".csv", ".md", ".svg"]
                .iter()
                .any(|e| trimmed.ends_with(e.trim_start_matches('.')) && w.contains(e))
        {
            continue;
        }
        let english = w
            .split(|c: char| !c.is_ascii_alphabetic())
            .filter(|run| !run.is_empty())
            .any(|run| {
                let chemical = run.len() == 2
                    && run.starts_with(|c: char| c.is_ascii_uppercase())
                    && run.ends_with(|c: char| c.is_ascii_lowercase());
                run.len() > 1
                    && run.chars().any(|c| c.is_ascii_lowercase())
                    && !chemical
                    && !UNITS.contains(&run)
                    && !allowed.contains(run)
            });
        if english {
            bad.push(w.to_string());
        }
    }
    bad
}

#[test]
fn english_word_scan_allows_ids_codes_and_units_only() {
    let ids: std::collections::BTreeSet<String> = ["ct-64", "helium-qatar"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let words: Vec<Value> = [
        "ct-64",
        "CT",
        "3.0T",
        "48.0",
        "bn",
        "CNY",
        "analysis.json",
        "CT于第0天开始短缺",
        "helium-qatar",
        "report",
        "Fit",
        "CT-tube",
        "uCT",
    ]
    .iter()
    .map(|s| Value::from(*s))
    .collect();
    assert_eq!(
        english_words(&words, &ids),
        ["report", "Fit", "CT-tube", "uCT"]
    );
}

/// The report in headless Chromium at 1400 px, in both languages: sorting,
/// filtering, the diagram's fit/actual toggle (its rendered width changes), no
/// console error and no network request, at most 30,000 px tall with the
/// folds closed; under zh no English word in the rendered text.
#[test]
fn browser_drives_the_report_through_devtools() {
    let ids = graph_words();
    for lang in ["en", "zh"] {
        let (dir, _) = shipped_report(&["--lang", lang]);
        let Some(v) = drive_report(&dir.path().join("rep")) else {
            return;
        };
        assert_eq!(v["console_errors"], serde_json::json!([]), "{lang}");
        assert_eq!(v["page_errors"], serde_json::json!([]), "{lang}");
        assert_eq!(v["requests"], serde_json::json!([]), "{lang}: network");
        assert_eq!(v["data_errors"], Value::Null, "{lang}");
        let height = v["height"].as_f64().unwrap();
        assert!(height <= 30_000.0, "{lang}: page is {height} px tall");
        // Sorting: 112 rows, ascending then descending on a column with 3 values.
        let sort = &v["sort"];
        assert_eq!(sort["rows"], 112, "{lang}: {sort}");
        assert_eq!(sort["ascending"], true, "{lang}: {sort}");
        assert_eq!(sort["descending"], true, "{lang}: {sort}");
        assert_eq!(sort["aria"], "descending", "{lang}: {sort}");
        assert!(sort["distinct"].as_u64().unwrap() >= 2, "{lang}: {sort}");
        // Filtering by an id keeps only matching rows, and clearing restores all.
        let filter = &v["filter"];
        let shown = filter["shown"].as_u64().unwrap();
        assert!((1..112).contains(&shown), "{lang}: {filter}");
        assert_eq!(filter["all_match"], true, "{lang}: {filter}");
        assert_eq!(filter["restored"], true, "{lang}: {filter}");
        // Fit/actual size changes the rendered width, and toggling back restores it.
        let zoom = &v["zoom"];
        let (before, after) = (
            zoom["before"].as_f64().unwrap(),
            zoom["after"].as_f64().unwrap(),
        );
        assert!((before - after).abs() > 20.0, "{lang}: {zoom}");
        assert_eq!(zoom["back"].as_f64().unwrap(), before, "{lang}: {zoom}");
        assert_eq!(zoom["pressed"], "true", "{lang}: {zoom}");
        // The heat map is never clipped: it fits or its box scrolls.
        let heat = &v["heatmap"];
        assert!(
            heat["scroll_width"].as_f64() <= heat["box_width"].as_f64()
                || heat["overflow_x"] == "auto",
            "{lang}: {heat}"
        );
        if lang == "zh" {
            let bad = english_words(v["latin_words"].as_array().unwrap(), &ids);
            assert!(bad.is_empty(), "English words under --lang zh: {bad:?}");
        }
    }
}

/// `report --samples 200` in headless Chromium, in both languages: the
/// uncertainty view is in the table of contents, its interval tables (EID, one
/// per scenario), rank and sensitivity tables are filled, the tornado chart
/// draws 12 bars; no console error; under zh no English word.
#[test]
fn browser_shows_the_uncertainty_view() {
    let ids = graph_words();
    for (lang, heading) in [("en", "Uncertainty"), ("zh", "不确定性")] {
        let (dir, _) = shipped_report(&["--lang", lang, "--samples", "200", "--seed", "2"]);
        let Some(v) = drive_report(&dir.path().join("rep")) else {
            return;
        };
        assert_eq!(v["console_errors"], serde_json::json!([]), "{lang}");
        assert_eq!(v["page_errors"], serde_json::json!([]), "{lang}");
        assert_eq!(v["requests"], serde_json::json!([]), "{lang}: network");
        let u = &v["uncertainty"];
        assert_eq!(u["heading"], heading, "{lang}: {u}");
        assert_eq!(u["toc"], true, "{lang}: {u}");
        assert_eq!(u["visible"], true, "{lang}: {u}");
        // EID, 8 scenarios, single losses, national list, sensitivity.
        assert_eq!(u["tables"], 12, "{lang}: {u}");
        let rows: Vec<u64> = u["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_u64().unwrap())
            .collect();
        assert_eq!(&rows[..9], &[10; 9], "{lang}: one row per system");
        assert_eq!(rows[9], 10, "{lang}: ten single losses");
        assert!(rows[10] >= 1, "{lang}: the national list");
        assert_eq!(rows[11], 15, "{lang}: fifteen sensitivity rows");
        assert_eq!(u["bars"], 12, "{lang}: {u}");
        assert_eq!(u["bars_drawn"], 12, "{lang}: {u}");
        assert!(u["svg_width"].as_f64().unwrap() <= 1400.0, "{lang}: {u}");
        if lang == "zh" {
            let bad = english_words(v["latin_words"].as_array().unwrap(), &ids);
            assert!(bad.is_empty(), "English words under --lang zh: {bad:?}");
        }
    }
}

/// `report --lang en` printed by Chromium is A4 (595 × 842 pt, per pdfinfo).
#[test]
fn report_prints_on_a4() {
    if !tool_available("chromium") || !tool_available("pdfinfo") {
        return;
    }
    let (dir, _) = shipped_report(&["--lang", "en"]);
    let url = format!("file://{}", dir.path().join("rep/index.html").display());
    let pdf = dir.path().join("report.pdf");
    let profile = tempfile::tempdir().unwrap();
    chromium(
        &[
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
            &url,
        ],
        profile.path(),
    );
    let out = std::process::Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&out.stdout);
    let size = info
        .lines()
        .find(|l| l.starts_with("Page size:"))
        .unwrap_or_else(|| panic!("no page size: {info}"));
    let dims: Vec<f64> = size
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    assert!(
        dims.len() == 2 && (dims[0] - 595.0).abs() < 1.0 && (dims[1] - 842.0).abs() < 1.0,
        "{size}"
    );
}
