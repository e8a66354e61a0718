//! `load` and `check`: the input contract of spec §2.

use crate::support::*;
use chokepoint::load::Code;
use chokepoint::model::{Case, ItemKind, RequirementTarget};

/// Every directory under tests/fixtures/invalid holds a broken graph and an
/// `expected.txt` with the exact diagnostic lines (`path:line:col: severity[code]:
/// message`, paths relative to the fixture). `check` must print exactly those,
/// exit 2, and write nothing to stdout.
#[test]
fn every_invalid_fixture_gives_exactly_its_diagnostics() {
    let dir = fixture("invalid");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 25, "only {} invalid fixtures", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let rel = case.strip_prefix(root()).unwrap().display().to_string() + "/";
        let out = bin().args(["check", &rel]).output().unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        let got: Vec<String> = stderr
            .lines()
            .filter(|l| l.starts_with(&rel) && (l.contains(": error[") || l.contains(": warning[")))
            .map(|l| l.replace(&rel, ""))
            .collect();
        let expected: Vec<String> = std::fs::read_to_string(case.join("expected.txt"))
            .unwrap()
            .lines()
            .map(String::from)
            .collect();
        if got != expected || out.status.code() != Some(2) || !out.stdout.is_empty() {
            failures.push(format!(
                "{rel}: status {:?}\n  expected {expected:#?}\n  got {got:#?}",
                out.status.code()
            ));
        }
        assert!(
            stderr.contains("nothing was written"),
            "{rel}: no closing line"
        );
        // Every error says how to fix it: a `help:` line before the next diagnostic.
        let mut open_error: Option<&str> = None;
        for line in stderr.lines().chain(["error: end"]) {
            let header = line.starts_with(&rel) || line.starts_with("error");
            if header || line.contains(": warning[") {
                if let Some(e) = open_error.take() {
                    failures.push(format!("{rel}: an error without help: {e}"));
                }
                open_error = (line.contains(": error[")).then_some(line);
            } else if line.starts_with("  help: ") {
                open_error = None;
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn diagnostics_carry_snippet_and_hint() {
    let out = bin()
        .args(["check", "tests/fixtures/invalid/unknown-item"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("[tests/fixtures/invalid/unknown-item/graph.yaml:2:49]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("  - { id: sys, kind: system, requires: [{ item: tube }] }"),
        "{stderr}"
    );
    assert!(stderr.contains("help: did you mean `tubes`?"), "{stderr}");
}

#[test]
fn library_reports_all_problems_with_codes() {
    let err = chokepoint::load::load_dir(&fixture("invalid/many-errors")).unwrap_err();
    let codes: Vec<&str> = err.errors().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["E006", "E008", "E002", "E013", "E006", "E008"]);
    let first = err.errors().next().unwrap();
    assert_eq!(first.message, "unknown item `ghost`");
    assert_eq!(
        (first.loc.unwrap().line, first.loc.unwrap().column),
        (2, 49)
    );
}

#[test]
fn cycle_through_three_files_is_printed() {
    let err = chokepoint::load::load_dir(&fixture("invalid/cycle-three-files")).unwrap_err();
    let cycle: Vec<_> = err
        .errors()
        .filter(|d| d.code == Code::RequiresCycle)
        .collect();
    assert_eq!(cycle.len(), 1);
    assert_eq!(cycle[0].message, "`requires` cycle: x → y → z → x");
}

#[test]
fn full_fixture_loads_every_optional_key() {
    let loaded = load(&fixture("valid/full"));
    let m = &loaded.model;
    assert_eq!(m.meta.title, "Full fixture");
    assert_eq!(m.meta.home.as_str(), "CN");
    assert_eq!(m.meta.currency, "CNY");
    assert_eq!(m.meta.as_of.as_deref(), Some("2025-06-30"));
    assert_eq!(m.countries["US"].name_zh.as_deref(), Some("美国"));
    assert_eq!(m.references["mofcom-2025-20"].year, Some(2025));
    assert_eq!(
        m.references["seed-004"].file.as_deref(),
        Some("004_7444ff668d1e0f69.txt")
    );
    assert_eq!(m.suppliers["varex"].name_zh.as_deref(), Some("万睿视"));
    assert_eq!(m.suppliers["varex"].cite[0].as_str(), "mofcom-2025-20");

    let ct = &m.items["ct-64"];
    assert_eq!(ct.kind, ItemKind::System);
    assert_eq!(ct.name_zh.as_deref(), Some("64排CT"));
    assert_eq!(ct.market_value.as_ref().unwrap().mid(), 48.0e9);
    assert_eq!(ct.requires.len(), 2);
    let tube_req = &ct.requires[0];
    assert_eq!(
        tube_req.target,
        RequirementTarget::Item("ct-tube".into_id())
    );
    assert_eq!(tube_req.qty, 1.0);
    let cs = tube_req.cost_share.as_ref().unwrap();
    // A range without value: mid = (0.20 + 0.30) / 2.
    assert_eq!(
        (cs.get(Case::Low), cs.get(Case::Mid), cs.get(Case::High)),
        (0.20, 0.25, 0.30)
    );
    assert_eq!(cs.cite[0].as_str(), "seed-004");
    let alt = &ct.requires[1];
    assert!(matches!(&alt.target, RequirementTarget::AnyOf(ids) if ids.len() == 2));
    assert_eq!(alt.qty, 2.0);
    assert_eq!(alt.cost_share.as_ref().unwrap().get(Case::High), 0.08);
    assert_eq!(alt.note.as_deref(), Some("either scintillator works"));

    let tube = &m.items["ct-tube"];
    assert_eq!(tube.supply[0].country.as_ref().unwrap().as_str(), "IN");
    assert_eq!(m.edge_country(&tube.supply[0]).as_str(), "IN");
    assert_eq!(m.edge_country(&tube.supply[1]).as_str(), "CN");
    let s = &tube.supply[1].share;
    // value given: mid = value, low/high as written.
    assert_eq!(
        (s.get(Case::Low), s.get(Case::Mid), s.get(Case::High)),
        (0.1, 0.15, 0.2)
    );
    assert_eq!(s.confidence, Some(chokepoint::model::Confidence::Low));
    assert_eq!(s.note.as_deref(), Some("guess"));
    let imp = tube.import_share.as_ref().unwrap();
    assert_eq!(
        (imp.low(), imp.mid(), imp.high()),
        (0.4, 0.6000000000000001, 0.8)
    );
    assert_eq!(tube.stock_days.as_ref().unwrap().mid(), 60.0);
    assert_eq!(tube.recovery_days.as_ref().unwrap().mid(), 540.0);
    assert_eq!(tube.export_controls, ["US-EAR"]);
    assert_eq!(tube.note.as_deref(), Some("the tube"));

    let sc = &m.scenarios["us-embargo"];
    assert_eq!(sc.name_zh.as_deref(), Some("美国断供"));
    assert_eq!(sc.fail.countries[0].as_str(), "US");
    assert_eq!(sc.tariffs["US"], 1.25);
    assert_eq!(sc.duration_days, 365);
    assert_eq!(m.figures[0].value.mid(), 4600.0);
    assert_eq!(m.files.len(), 2, "a-meta.yaml and b-items.yml");

    // The warnings: ct-tube's shares sum to 0.5; two items known only by a figure.
    let w: Vec<_> = loaded
        .warnings
        .iter()
        .map(|d| (d.code.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(
        w,
        [
            (
                "W001",
                "supply shares of `ct-tube` sum to 0.5; the remaining 0.5 is unattributed"
            ),
            (
                "W005",
                "item `garnet-ceramic` is known only by its `import_share`: it can never fail"
            ),
            (
                "W005",
                "item `recon-sw` is known only by its `import_share`: it can never fail"
            )
        ]
    );
}

trait IntoId {
    fn into_id(self) -> chokepoint::model::ItemId;
}
impl IntoId for &str {
    fn into_id(self) -> chokepoint::model::ItemId {
        chokepoint::model::ItemId::new(self)
    }
}

#[test]
fn warnings_exit_zero() {
    let files = [(
        "w.yaml",
        concat!(
            "suppliers:\n",
            "  - { id: a, name: A, country: US }\n",
            "  - { id: idle, name: Idle, country: JP }\n",
            "items:\n",
            "  - { id: s, kind: system, requires: [{ item: p }, { item: q }] }\n",
            "  - { id: p, kind: part, supply: [{ supplier: a, share: 0.25 }] }\n",
            "  - { id: q, kind: part }\n",
        ),
    )];
    let loaded = load_str(&files).unwrap();
    let got: Vec<String> = loaded
        .warnings
        .iter()
        .map(|d| {
            format!(
                "{} {}:{} {}",
                d.code,
                d.loc.unwrap().line,
                d.loc.unwrap().column,
                d.message
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "W003 3:11 supplier `idle` supplies no item",
            "W001 6:37 supply shares of `p` sum to 0.25; the remaining 0.75 is unattributed",
            "W002 7:11 item `q` is unmapped: it has neither supply, requires nor import_share",
        ]
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("w.yaml"), files[0].1).unwrap();
    let out = bin().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning[W002]"));
}

/// Requirements and supply entries are converted while the item is still being
/// read (the loader streams them); their errors still count against the item:
/// a system whose only requirement is broken is not also called empty, a part
/// whose only source is broken is not also called unmapped — in block and in
/// flow style, and when an anchor keeps the item from being streamed.
#[test]
fn streamed_lists_keep_one_mistake_one_diagnostic() {
    let block = concat!(
        "suppliers:\n",
        "  - { id: a, name: A, country: US }\n",
        "items:\n",
        "  - id: s\n",
        "    kind: system\n",
        "    requires:\n",
        "      - item: p\n",
        "        qty: 0\n",
        "  - id: p\n",
        "    kind: part\n",
        "    supply:\n",
        "      - { supplier: a, share: 2 }\n",
    );
    let flow = concat!(
        "suppliers: [{ id: a, name: A, country: US }]\n",
        "items:\n",
        "  - { id: s, kind: system, requires: [{ item: p, qty: 0 }] }\n",
        "  - { id: p, kind: part, supply: [{ supplier: a, share: 2 }] }\n",
    );
    let anchored = concat!(
        "suppliers: [{ id: a, name: A, country: US }]\n",
        "items:\n",
        "  - &sys { id: s, kind: system, requires: [{ item: p, qty: 0 }] }\n",
        "  - &part { id: p, kind: part, supply: [{ supplier: a, share: 2 }] }\n",
    );
    for (name, text) in [("block", block), ("flow", flow), ("anchored", anchored)] {
        let err = match load_str(&[("g.yaml", text)]) {
            Ok(_) => panic!("{name}: loaded"),
            Err(e) => e,
        };
        let codes: Vec<String> = err
            .diagnostics
            .iter()
            .map(|d| format!("{} {}", d.code, d.loc.unwrap().line))
            .collect();
        let (qty_line, share_line) = if name == "block" { (8, 12) } else { (3, 4) };
        assert_eq!(
            codes,
            [format!("E008 {qty_line}"), format!("E008 {share_line}")],
            "{name}"
        );
    }
}

/// Past 100 warnings the rest are counted by code, unless `--all-warnings`.
#[test]
fn many_warnings_are_summarised() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("suppliers:\n  - { id: a, name: A, country: US }\nitems:\n");
    text.push_str("  - { id: s, kind: system, requires: [{ item: p0 }] }\n");
    // 130 unmapped parts (W002) and 20 with shares short of 1 (W001).
    for i in 0..130 {
        text.push_str(&format!("  - {{ id: p{i}, kind: part }}\n"));
    }
    for i in 0..20 {
        text.push_str(&format!(
            "  - {{ id: h{i}, kind: part, supply: [{{ supplier: a, share: 0.5 }}] }}\n"
        ));
    }
    std::fs::write(dir.path().join("g.yaml"), text).unwrap();
    let stderr = |extra: &[&str]| {
        let out = bin()
            .arg("check")
            .arg(dir.path())
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8(out.stderr).unwrap()
    };
    let count = |s: &str| s.lines().filter(|l| l.contains(": warning[W00")).count();
    let capped = stderr(&[]);
    assert_eq!(count(&capped), 100);
    // The first 100 in location order: p0..p99 (W002); the rest counted.
    assert!(capped.contains("item `p99` is unmapped"), "{capped}");
    assert!(!capped.contains("item `p100` is unmapped"));
    assert_eq!(
        capped.lines().last().unwrap(),
        "warning: 50 more warning(s) not shown (W001 ×20, W002 ×30); \
pass --all-warnings to print every one"
    );
    let all = stderr(&["--all-warnings"]);
    assert_eq!(count(&all), 150);
    assert!(!all.contains("not shown"));
    assert_eq!(stderr(&["-q"]), "");
}

#[test]
fn check_json_summary() {
    let out = bin()
        .args([
            "check",
            "tests/fixtures/valid/full",
            "--format",
            "json",
            "-q",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty(), "-q silences warnings");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["items"], 6);
    assert_eq!(v["items_by_kind"]["system"], 1);
    assert_eq!(v["items_by_kind"]["software"], 1);
    assert_eq!(v["suppliers"], 3);
    // US, JP declared; CN home and supplier; IN a site.
    assert_eq!(v["countries"], 4);
    assert_eq!(v["references"], 3);
    assert_eq!(v["scenarios"], 1);
    assert_eq!(v["warnings_by_code"]["W001"], 1);
}

#[test]
fn missing_and_empty_directories_are_located_errors() {
    let out = bin().args(["check", "no/such/dir"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("no/such/dir: error[E015]: cannot read no/such/dir:"),
        "{stderr}"
    );

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not yaml").unwrap();
    let out = bin().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("error[E015]: no *.yaml or *.yml files under"));
}

#[test]
fn files_load_in_path_order_and_ids_are_global() {
    let loaded = load_str(&[
        (
            "b.yaml",
            "items:\n  - { id: s, kind: system, requires: [{ item: p }] }\n",
        ),
        (
            "a.yaml",
            "items:\n  - { id: p, kind: part, supply: [{ country: US, share: 1 }] }\n",
        ),
    ])
    .unwrap();
    assert_eq!(loaded.model.items.len(), 2);
    assert!(loaded.warnings.is_empty());
}

/// A 100,000-deep `requires` chain: loading, validation (cycle search) and the
/// graph's orders are iterative, so this must not overflow the stack.
#[test]
fn deep_requires_chain_loads() {
    const DEPTH: usize = 100_000;
    let mut text = String::with_capacity(DEPTH * 60);
    text.push_str("items:\n  - { id: i0, kind: system, requires: [{ item: i1 }] }\n");
    for i in 1..DEPTH {
        text.push_str(&format!(
            "  - {{ id: i{i}, kind: part, requires: [{{ item: i{} }}] }}\n",
            i + 1
        ));
    }
    text.push_str(&format!(
        "  - {{ id: i{DEPTH}, kind: material, import_share: 1 }}\n"
    ));
    let loaded = load_str(&[("deep.yaml", &text)]).unwrap();
    let g = chokepoint::graph::SupplyGraph::new(&loaded.model);
    assert_eq!(g.item_count(), DEPTH + 1);
    assert_eq!(g.bottom_up()[0].index(), DEPTH, "the leaf comes first");
    assert_eq!(
        g.where_used(g.item_ix(&format!("i{DEPTH}")).unwrap()).len(),
        1
    );
}

#[test]
fn byte_order_mark_is_accepted_and_non_utf8_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(b"items:\n  - { id: s, kind: system, requires: [{ item: p }] }\n  - { id: p, kind: part, import_share: 1 }\n");
    std::fs::write(dir.path().join("bom.yaml"), &bytes).unwrap();
    assert_eq!(load(dir.path()).model.items.len(), 2);

    std::fs::write(dir.path().join("bad.yaml"), b"items:\n  - { id: \xff }\n").unwrap();
    let err = chokepoint::load::load_dir(dir.path()).unwrap_err();
    let d = err.errors().next().unwrap();
    assert_eq!(d.code, Code::YamlSyntax);
    assert!(
        d.message
            .ends_with("bad.yaml:2:11: the file is not valid UTF-8 (byte offset 17)"),
        "{}",
        d.message
    );
}

/// The warnings of spec v2 (§2): an item known only by `import_share` (W005)
/// and `requires: bom` where there is no bill of materials (W006), located.
#[test]
fn v2_warnings_are_located_and_explained() {
    let out = bin()
        .args(["check", "tests/fixtures/valid/v2-warnings"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains(": warning["))
        .collect();
    assert_eq!(
        lines,
        vec![
            "tests/fixtures/valid/v2-warnings/graph.yaml:8:16: warning[W006]: `requires: bom` on a source of `chip`, which has no production requirements: the source needs nothing",
            "tests/fixtures/valid/v2-warnings/graph.yaml:9:9: warning[W005]: item `igbt` is known only by its `import_share`: it can never fail",
        ]
    );
    assert!(stderr.contains("help: give it supply entries by country"));
}

/// A country that is not a code says which code it means (issue 21): `UK` is
/// `GB`, a name gives its code, lower case gives upper case, the EU is not a
/// country. A supply entry with a bad country leaves its item's sums alone.
#[test]
fn country_mistakes_get_the_code_they_mean() {
    let out = bin()
        .env("COLUMNS", "200")
        .args(["check", "tests/fixtures/invalid/country-hints"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let helps: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("  help:"))
        .collect();
    assert_eq!(
        helps,
        vec![
            "  help: the United Kingdom's ISO code is `GB`",
            "  help: write the ISO code: `DE`",
            "  help: country codes are upper case: `US`",
            "  help: the EU is not a country: list the member states that produce it (e.g. DE, FR, NL)",
        ]
    );
}

/// A sum barely above 1 prints the digits that show it (issue 21).
#[test]
fn a_share_sum_barely_above_one_shows_its_excess() {
    let err = chokepoint::load::load_dir(&fixture("invalid/share-sum-barely")).unwrap_err();
    assert_eq!(
        err.diagnostics[0].message,
        "supply shares of `sys` sum to 1.00000001 (above 1)"
    );
}

/// Issue 21's messages: a YAML boolean where a number belongs is called a
/// boolean, and a merge key says merge keys are not supported (not "did you
/// mean `id`?").
#[test]
fn booleans_and_merge_keys_are_named_as_such() {
    let err = load_str(&[(
        "g.yaml",
        "items:\n  - { id: a, kind: part, stock_days: true, supply: [{ country: US, share: 1 }] }\n",
    )])
    .unwrap_err();
    assert_eq!(
        err.diagnostics[0].message,
        "`stock_days` must be a number, found a boolean"
    );
    let err = load_str(&[(
        "g.yaml",
        "items:\n  - &a { id: a, kind: part, supply: [{ country: US, share: 1 }] }\n  - { <<: *a, id: b, kind: part }\n",
    )])
    .unwrap_err();
    assert_eq!(
        err.diagnostics[0].message,
        "YAML merge keys (`<<`) are not supported in an item"
    );
    assert_eq!(
        err.diagnostics[0].hint.as_deref(),
        Some("write the keys out in full (anchors `&a` and aliases `*a` of whole values work)")
    );
}

/// `market_value: 1.7e308` would overflow every impact to infinity: refused,
/// located, with a hint (issue 21).
#[test]
fn a_market_value_beyond_any_market_is_refused() {
    let err = load_str(&[(
        "g.yaml",
        "items:\n  - { id: s, kind: system, market_value: 1.7e308, supply: [{ country: US, share: 1 }] }\n",
    )])
    .unwrap_err();
    let d = &err.diagnostics[0];
    assert_eq!(
        d.message,
        "`market_value` is 1.7e308; it must be between 0 and 1e18 (per year)"
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("market values are per year in `meta.currency`; check the exponent")
    );
}

/// YAML's core-schema tags decide the type whatever the quoting (issue 21):
/// `!!str 60` is a string where a number belongs, `!!float "1"` a number.
#[test]
fn core_schema_tags_decide_the_type() {
    let err = load_str(&[(
        "g.yaml",
        "items:\n  - { id: a, kind: part, stock_days: !!str 60, supply: [{ country: US, share: !!float \"1\" }] }\n",
    )])
    .unwrap_err();
    let messages: Vec<&str> = err.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        vec!["`stock_days` must be a number, found a string"]
    );
}
