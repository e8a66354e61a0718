//! `analyze --importance` (docs/metrics.md §10): the worked example by hand, the
//! output without `--importance` unchanged, the Open-PSA export's
//! probabilities, and agreement with SCRAM on a generated graph.

use crate::support::{bin, fixture, json_ok, stdout_ok, tool_available};
use serde_json::Value;
use std::collections::BTreeMap;

fn close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= 1e-12 * expected.abs().max(1.0),
        "{what}: expected {expected}, got {actual}"
    );
}

fn importance_json(args: &[&str]) -> Value {
    let mut all = vec!["analyze"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--importance", "--format", "json"]);
    json_ok(bin().args(&all).output().unwrap())
}

/// An event's (p, Birnbaum, FV, RAW, RRW); `None` for no probability or an
/// infinite RRW.
type Row = (Option<f64>, f64, f64, f64, Option<f64>);

#[test]
fn importance_reproduces_the_worked_example() {
    let dir = fixture("importance").display().to_string();
    let v = importance_json(&[&dir]);
    let imp = &v["importance"];
    assert_eq!(imp["horizon_days"], 365.0);
    assert_eq!(imp["by"], "supplier");
    assert_eq!(imp["events_without_probability"], 1);
    let sys = &imp["systems"][0];
    assert_eq!(sys["id"], "sys");
    close(sys["probability"].as_f64().unwrap(), 0.044, "P");
    close(sys["rare_event"].as_f64().unwrap(), 0.05, "rare-event");
    close(sys["mcub"].as_f64().unwrap(), 0.0494, "MCUB");
    let events: Vec<&Value> = sys["events"].as_array().unwrap().iter().collect();
    let ids: Vec<&str> = events.iter().map(|e| e["id"].as_str().unwrap()).collect();
    // By Fussell–Vesely, descending.
    assert_eq!(ids, ["s-a", "s-c", "s-b", "s-dom"]);
    // (p, B, FV, RAW, RRW); RRW of s-a is infinite ("inf").
    let want: [Row; 4] = [
        (Some(0.1), 0.44, 1.0, 10.0, None),
        (Some(0.3), 0.08, 6.0 / 11.0, 25.0 / 11.0, Some(2.2)),
        (Some(0.2), 0.07, 7.0 / 22.0, 25.0 / 11.0, Some(22.0 / 15.0)),
        (None, 0.056, 0.0, 25.0 / 11.0, Some(1.0)),
    ];
    for (e, (p, b, fv, raw, rrw)) in events.iter().zip(want) {
        let id = e["id"].as_str().unwrap();
        assert_eq!(e["probability"].as_f64(), p, "{id} p");
        close(e["birnbaum"].as_f64().unwrap(), b, &format!("{id} B"));
        close(
            e["fussell_vesely"].as_f64().unwrap(),
            fv,
            &format!("{id} FV"),
        );
        close(e["raw"].as_f64().unwrap(), raw, &format!("{id} RAW"));
        match rrw {
            Some(x) => close(e["rrw"].as_f64().unwrap(), x, &format!("{id} RRW")),
            None => assert_eq!(e["rrw"], "inf", "{id} RRW"),
        }
    }
    // The rest of the document is the analysis as without --importance.
    let plain = json_ok(
        bin()
            .args(["analyze", &dir, "--format", "json"])
            .output()
            .unwrap(),
    );
    let mut rest = v.clone();
    rest.as_object_mut().unwrap().remove("importance");
    assert_eq!(rest, plain);

    // A fifth of a year: p_a = 1 − 0.9^0.2, and so on.
    let v = importance_json(&[&dir, "--horizon", "73"]);
    let sys = &v["importance"]["systems"][0];
    let pt = |p: f64| 1.0 - (1.0 - p).powf(0.2);
    close(
        sys["probability"].as_f64().unwrap(),
        pt(0.1) * (1.0 - (1.0 - pt(0.2)) * (1.0 - pt(0.3))),
        "P over 73 days",
    );
    close(
        sys["events"][0]["probability"].as_f64().unwrap(),
        pt(0.1), // 1 − 0.9^0.2 = 0.0208516…
        "p_a over 73 days",
    )
}

#[test]
fn importance_table_and_csv_name_events_and_write_inf() {
    let dir = fixture("importance").display().to_string();
    let text = stdout_ok(
        bin()
            .args(["analyze", &dir, "--importance"])
            .output()
            .unwrap(),
    );
    assert!(
        text.contains("System: P(stop) = 0.0440 (rare-event 0.0500, MCUB 0.0494, over cut sets"),
        "{text}"
    );
    assert!(
        text.contains("1 event(s) have no disruption_probability"),
        "{text}"
    );
    let row = text
        .lines()
        .find(|l| l.contains("A Abroad") && l.contains("inf"));
    assert!(
        row.is_some_and(|l| l.contains("0.4400") && l.contains("10.0000")),
        "{text}"
    );
    let csv = stdout_ok(
        bin()
            .args(["analyze", &dir, "--importance", "--format", "csv"])
            .output()
            .unwrap(),
    );
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "system,p_system,rare_event,mcub,event,p_event,p_failed,p_never,birnbaum,fussell_vesely,raw,rrw"
    );
    assert_eq!(lines.len(), 5, "{csv}");
    assert!(
        lines[1].starts_with("sys,0.044000000000000004,0.05,0.0494,s-a,0.1,0.44,0,0.44,1,"),
        "{csv}"
    );
    assert!(lines[1].ends_with(",inf"), "{csv}");
    // No probability: an empty cell, not 0.
    assert!(
        lines[4].starts_with("sys,0.044000000000000004,0.05,0.0494,s-dom,,"),
        "{csv}"
    );
}

#[test]
fn horizon_is_checked_and_needs_importance() {
    let dir = fixture("importance").display().to_string();
    let out = bin()
        .args(["analyze", &dir, "--importance", "--horizon", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("--horizon 0: must be a number of days above 0 and at most 36500"));
    let out = bin()
        .args(["analyze", &dir, "--horizon", "30"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--importance"));
}

#[test]
fn open_psa_export_carries_the_probabilities() {
    let dir = fixture("importance").display().to_string();
    let xml = stdout_ok(
        bin()
            .args(["export", &dir, "--format", "open-psa"])
            .output()
            .unwrap(),
    );
    assert!(
        xml.contains("    <define-basic-event name=\"s-a\">\n      <label>s-a</label>\n      <float value=\"0.1\"/>\n    </define-basic-event>"),
        "{xml}"
    );
    // No figure, no float.
    assert!(
        xml.contains("    <define-basic-event name=\"s-dom\">\n      <label>s-dom</label>\n    </define-basic-event>"),
        "{xml}"
    );
    let xml = stdout_ok(
        bin()
            .args(["export", &dir, "--format", "open-psa", "--horizon", "730"])
            .output()
            .unwrap(),
    );
    // 1 − 0.9² = 0.19.
    let line = xml
        .lines()
        .skip_while(|l| !l.contains("<define-basic-event name=\"s-a\""))
        .find(|l| l.contains("<float"))
        .unwrap();
    let value: f64 = line.split('"').nth(1).unwrap().parse().unwrap();
    close(value, 0.19, "p_a over two years");
}

/// Generates a graph and gives every country and supplier a probability.
fn generated_with_probabilities() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().display().to_string();
    stdout_ok(
        bin()
            .args([
                "generate",
                "--items",
                "200",
                "--suppliers",
                "30",
                "--countries",
                "8",
                "--seed",
                "7",
                "--out",
                &path,
            ])
            .output()
            .unwrap(),
    );
    let meta = dir.path().join("meta.yaml");
    let text = std::fs::read_to_string(&meta).unwrap();
    let mut n = 0;
    let mut out = String::new();
    for line in text.lines() {
        if line.starts_with("  - { id: s") && line.contains("name: Supplier") {
            n += 1;
            let stem = line.strip_suffix(" }").unwrap();
            out.push_str(&format!(
                "{stem}, disruption_probability: {} }}\n",
                0.005 + 0.011 * (n % 13) as f64
            ));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    assert_eq!(n, 30);
    std::fs::write(&meta, out).unwrap();
    // Every country the files name, declared with a probability.
    let mut codes = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for part in text.split("country: ").skip(1) {
            codes.insert(part[..2].to_string());
        }
    }
    let mut countries = String::from("countries:\n");
    for (i, c) in codes.iter().enumerate() {
        countries.push_str(&format!(
            "  - {{ id: {c}, disruption_probability: {} }}\n",
            0.01 + 0.037 * i as f64
        ));
    }
    std::fs::write(dir.path().join("countries.yaml"), countries).unwrap();
    dir
}

/// Label (the original id) of each named element of an Open-PSA document.
fn labels(xml: &str) -> BTreeMap<String, String> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("define-gate") || n.has_tag_name("define-basic-event"))
        .filter_map(|n| {
            let label = n.children().find(|c| c.has_tag_name("label"))?.text()?;
            Some((n.attribute("name")?.to_string(), label.to_string()))
        })
        .collect()
}

/// SCRAM's probability per top gate and its importance rows per gate and event.
type ScramImportance = BTreeMap<(String, String), BTreeMap<String, f64>>;

fn scram(xml: &str) -> (BTreeMap<String, f64>, ScramImportance) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("model.xml");
    let report = dir.path().join("report.xml");
    std::fs::write(&input, xml).unwrap();
    let out = std::process::Command::new("scram")
        .arg(&input)
        .args(["--probability", "true", "--importance", "true", "-o"])
        .arg(&report)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "scram failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&report).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let mut top = BTreeMap::new();
    let mut imp = BTreeMap::new();
    for n in doc.descendants() {
        if n.has_tag_name("sum-of-products") {
            if let Some(p) = n.attribute("probability") {
                top.insert(n.attribute("name").unwrap().to_string(), p.parse().unwrap());
            }
        }
        // (`importance` in the performance section has no name.)
        if let (true, Some(gate)) = (n.has_tag_name("importance"), n.attribute("name")) {
            let gate = gate.to_string();
            for e in n.children().filter(|c| c.has_tag_name("basic-event")) {
                let values = ["probability", "MIF", "CIF", "RAW", "RRW"]
                    .iter()
                    .filter_map(|k| Some((k.to_string(), e.attribute(*k)?.parse().ok()?)))
                    .collect();
                imp.insert(
                    (gate.clone(), e.attribute("name").unwrap().to_string()),
                    values,
                );
            }
        }
    }
    (top, imp)
}

/// SCRAM 0.16 writes 6 significant digits, so agreement is checked to that
/// precision: our value rounded to 6 significant digits is SCRAM's number.
fn agrees(ours: f64, theirs: f64, what: &str) {
    let rounded: f64 = format!("{ours:.5e}").parse().unwrap();
    assert!(
        (rounded - theirs).abs() <= 1e-15 + 1e-12 * theirs.abs()
            || (ours - theirs).abs() <= 5.000001e-6 * theirs.abs(),
        "{what}: ours {ours} (≈ {rounded}), SCRAM {theirs}"
    );
}

#[test]
fn importance_equals_scram_on_a_generated_graph() {
    if !tool_available("scram") {
        return;
    }
    let dir = generated_with_probabilities();
    let path = dir.path().display().to_string();
    let mut compared = 0;
    for by in ["country", "supplier"] {
        for horizon in ["365", "90", "3650"] {
            let xml = stdout_ok(
                bin()
                    .args([
                        "export",
                        &path,
                        "--format",
                        "open-psa",
                        "--by",
                        by,
                        "--horizon",
                        horizon,
                        "-q",
                    ])
                    .output()
                    .unwrap(),
            );
            let names = labels(&xml);
            let (top, imp) = scram(&xml);
            let ours =
                importance_json(&[&path, "--by", by, "--horizon", horizon, "--top", "0", "-q"]);
            let by_id: BTreeMap<&str, &Value> = ours["importance"]["systems"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| (s["id"].as_str().unwrap(), s))
                .collect();
            for (gate, p) in &top {
                let sys = by_id[names[gate].as_str()];
                agrees(
                    sys["probability"].as_f64().unwrap(),
                    *p,
                    &format!("P({gate})"),
                );
                compared += 1;
            }
            for ((gate, event), values) in &imp {
                let sys = by_id[names[gate].as_str()];
                let id = &names[event];
                let e = sys["events"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|e| e["id"] == id.as_str())
                    .unwrap_or_else(|| panic!("{id} of {gate} is not in our importance list"));
                let what = |m: &str| format!("{m} of {id} for {gate} (by {by}, {horizon} days)");
                agrees(
                    e["probability"].as_f64().unwrap(),
                    values["probability"],
                    &what("p"),
                );
                agrees(
                    e["birnbaum"].as_f64().unwrap(),
                    values["MIF"],
                    &what("Birnbaum/MIF"),
                );
                agrees(
                    e["fussell_vesely"].as_f64().unwrap(),
                    values["CIF"],
                    &what("FV/CIF"),
                );
                agrees(e["raw"].as_f64().unwrap(), values["RAW"], &what("RAW"));
                // SCRAM divides by P − p·MIF ≈ 0 where we write "inf" (its
                // issue #288); compared where both are finite.
                if let Some(rrw) = e["rrw"].as_f64() {
                    agrees(rrw, values["RRW"], &what("RRW"));
                }
                compared += 1;
            }
        }
    }
    eprintln!("{compared} probabilities and importance rows compared with scram");
    assert!(compared > 80, "{compared} compared");
}

#[test]
fn disruption_probabilities_survive_the_yaml_writer_and_the_json_export() {
    use chokepoint::interop::{export, yaml_out};
    let model = crate::support::load(&fixture("importance")).model;
    let json = export::json(&model, None);
    assert!(
        json.contains("\"disruption_probability\": {\n        \"value\": 0.2,\n        \"low\": 0.1,\n        \"high\": 0.3\n      }"),
        "{json}"
    );
    let yaml = yaml_out::to_yaml(&model);
    let back = chokepoint::load::load_sources(vec![("graph.yaml".into(), yaml.clone())])
        .unwrap_or_else(|e| panic!("{}\n{yaml}", e.render(false)))
        .model;
    assert_eq!(export::json(&back, None), json, "{yaml}");
    assert_eq!(
        back.countries["JP"]
            .disruption_probability
            .as_ref()
            .map(|e| e.mid()),
        Some(0.05)
    );
}
