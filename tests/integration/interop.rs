//! Tests for `interop`: CSV and CycloneDX import, the five exports, round trips,
//! and the external readers (networkx for GraphML, the official CycloneDX 1.6
//! schema through Python jsonschema).

use crate::support::{bin, fixture, load, root, shipped};
use crate::support::{help_lines, located_lines};
use chokepoint::interop::csv_import::{
    self, table_names, Columns, CsvFile, CsvInput, MetaOverrides,
};
use chokepoint::interop::{compare, cyclonedx, export, yaml_out};
use chokepoint::model::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Whether `python3` can import `module`. Missing → the test skips, unless
/// CHOKEPOINT_REQUIRE_TOOLS=1, where it fails.
fn python_with(module: &str) -> bool {
    let ok = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok && std::env::var("CHOKEPOINT_REQUIRE_TOOLS").as_deref() == Ok("1") {
        panic!("python3 with module `{module}` is required (CHOKEPOINT_REQUIRE_TOOLS=1); pip install {module}");
    }
    if !ok {
        eprintln!("skipping: python3 module `{module}` is not installed");
    }
    ok
}

/// Runs a Python script with `args`, feeding `stdin`; returns (success, stdout, stderr).
fn python(script: &str, args: &[&str], stdin: &str) -> (bool, String, String) {
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("python3 runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The graphs every round trip runs on: the shipped graphs and the fixtures.
fn round_trip_graphs() -> Vec<PathBuf> {
    vec![
        shipped(),
        fixture("valid/full"),
        fixture("interop/roundtrip"),
        fixture("interop/v2"),
    ]
}

/// Writes a model as YAML and loads it back through the real loader.
fn reload(model: &Model, what: &str) -> Model {
    let yaml = yaml_out::to_yaml(model);
    match chokepoint::load::load_sources(vec![(PathBuf::from("graph.yaml"), yaml.clone())]) {
        Ok(l) => l.model,
        Err(e) => panic!(
            "{what}: the written YAML does not load:\n{}\n--- YAML ---\n{yaml}",
            e.render(false)
        ),
    }
}

fn csv_input_from(files: &[export::NamedFile]) -> CsvInput {
    let get = |name: &str| {
        files
            .iter()
            .find(|(f, _)| *f == name)
            .map(|(f, t)| CsvFile::new(*f, t.as_bytes()))
    };
    CsvInput {
        bom: get(table_names::REQUIREMENTS),
        supply: get(table_names::SUPPLY),
        items: get(table_names::ITEMS),
        suppliers: get(table_names::SUPPLIERS),
        countries: get(table_names::COUNTRIES),
        meta: get(table_names::META),
    }
}

#[test]
fn yaml_writer_round_trips_every_field_including_citations() {
    for dir in round_trip_graphs() {
        let model = load(&dir).model;
        let back = reload(&model, &dir.display().to_string());
        // The JSON export holds every field but source locations.
        assert_eq!(
            export::json(&model, None),
            export::json(&back, None),
            "{}: YAML writer lost or changed data",
            dir.display()
        );
    }
}

#[test]
fn csv_export_then_import_gives_the_same_model() {
    for dir in round_trip_graphs() {
        let model = load(&dir).model;
        let files = export::csv_tables(&model);
        let imported = csv_import::import(
            &csv_input_from(&files),
            &Columns::default(),
            &MetaOverrides::default(),
        )
        .unwrap_or_else(|p| panic!("{}: {}", dir.display(), p.render(false)));
        // The importer's own warnings; the graph's are the loader's, as for YAML.
        let own: Vec<_> = imported
            .warnings
            .iter()
            .filter(|w| w.code.as_str().starts_with('I'))
            .collect();
        assert_eq!(
            own,
            Vec::<&chokepoint::load::Diagnostic>::new(),
            "{}",
            dir.display()
        );
        let back = reload(&imported.model, &dir.display().to_string());
        assert_eq!(
            compare::differences(&model, &back),
            Vec::<String>::new(),
            "{}",
            dir.display()
        );
    }
}

#[test]
fn cyclonedx_export_then_import_gives_the_same_model() {
    for dir in round_trip_graphs() {
        let model = load(&dir).model;
        let json = cyclonedx::export(&model);
        let imported = cyclonedx::import(json.as_bytes(), &MetaOverrides::default())
            .expect("our own export imports");
        assert_eq!(
            imported.unmapped,
            vec![],
            "{}: our own export must map completely",
            dir.display()
        );
        let back = imported
            .load("bom.json")
            .unwrap_or_else(|e| panic!("{}: {}", dir.display(), e.render(false)))
            .model;
        assert_eq!(
            compare::differences(&model, &back),
            Vec::<String>::new(),
            "{}",
            dir.display()
        );
    }
}

#[test]
fn round_trip_comparison_notices_a_changed_share() {
    // Guards the round-trip tests: `differences` must see a one-edge change.
    let model = load(&fixture("valid/full")).model;
    let mut changed = model.clone();
    changed.items.get_mut("ct-tube").unwrap().supply[0].share = Estimate::exact(0.36);
    assert_eq!(
        compare::differences(&model, &changed),
        vec![
            "item ct-tube: supply: [\"varex share (Some(0.35), None, None) site Some(\\\"IN\\\") requires default\", \"kunshan-yiyuan share (Some(0.15), Some(0.1), Some(0.2)) site None requires default\"] != [\"varex share (Some(0.36), None, None) site Some(\\\"IN\\\") requires default\", \"kunshan-yiyuan share (Some(0.15), Some(0.1), Some(0.2)) site None requires default\"]"
                .to_string()
        ]
    );
}

#[test]
fn cli_round_trips_through_files() {
    let tmp = tempfile::tempdir().unwrap();
    for (n, (full, format, out, import_from)) in [
        (fixture("valid/full"), "csv", "csv", "csv"),
        (fixture("valid/full"), "cyclonedx", "bom.json", "cyclonedx"),
        (fixture("interop/v2"), "csv", "csv", "csv"),
        (fixture("interop/v2"), "cyclonedx", "bom.json", "cyclonedx"),
    ]
    .into_iter()
    .enumerate()
    {
        let model = load(&full).model;
        let format: &str = format;
        let out = format!("{n}-{out}");
        let exported = tmp.path().join(out);
        bin()
            .args([
                "export",
                full.to_str().unwrap(),
                "--format",
                format,
                "--out",
                exported.to_str().unwrap(),
                "-q",
            ])
            .assert()
            .success();
        let graph = tmp.path().join(format!("graph-{n}-{format}"));
        bin()
            .args([
                "import",
                "--from",
                import_from,
                exported.to_str().unwrap(),
                "--out",
                graph.to_str().unwrap(),
                "-q",
            ])
            .assert()
            .success();
        bin()
            .args(["check", graph.to_str().unwrap(), "-q"])
            .assert()
            .success();
        let back = load(&graph).model;
        assert_eq!(
            compare::differences(&model, &back),
            Vec::<String>::new(),
            "{format}"
        );
    }
}

#[test]
fn csv_import_reads_a_bom_with_byte_order_mark_chinese_and_percentages() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("mri");
    let good = fixture("interop/good");
    let assert = bin()
        .args(["import", "--from", "csv"])
        .arg(good.join("bom.csv"))
        .arg("--supply")
        .arg(good.join("supply.csv"))
        .args(["--home", "CN", "--title", "MRI from CSV", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("imported 7 items, 4 suppliers, 5 supply edges"),
        "{stderr}"
    );
    bin().arg("check").arg(&out).arg("-q").assert().success();
    let m = load(&out).model;
    assert_eq!(m.meta.title, "MRI from CSV");
    let kind = |id: &str| m.items[id].kind;
    // No parent → system; parent and children → subsystem; leaf → part; a kind cell wins.
    assert_eq!(kind("mri-3t"), ItemKind::System);
    assert_eq!(kind("magnet"), ItemKind::Subsystem);
    assert_eq!(kind("nbti-wire"), ItemKind::Material);
    assert_eq!(kind("gradient-amp"), ItemKind::Part);
    assert_eq!(kind("rf-coil"), ItemKind::Component);
    let mri = &m.items["mri-3t"];
    assert_eq!(mri.name, "3T MRI scanner");
    assert_eq!(mri.name_zh.as_deref(), Some("3T磁共振"));
    let reqs: Vec<(RequirementTarget, f64, Option<f64>)> = mri
        .requires
        .iter()
        .map(|r| {
            (
                r.target.clone(),
                r.qty,
                r.cost_share.as_ref().map(|c| c.mid()),
            )
        })
        .collect();
    assert_eq!(
        reqs,
        vec![
            (
                RequirementTarget::Item(ItemId::new("magnet")),
                1.0,
                Some(0.3)
            ),
            (
                RequirementTarget::AnyOf(vec![
                    ItemId::new("gradient-amp"),
                    ItemId::new("gradient-amp-cn")
                ]),
                1.0,
                Some(0.1)
            ),
            (RequirementTarget::Item(ItemId::new("rf-coil")), 8.0, None),
        ]
    );
    assert_eq!(m.items["gradient-amp"].name, "Gradient amplifier, 3-axis");
    // "5%" is 0.05; "70%" is 0.7.
    assert_eq!(
        m.items["magnet"].requires[1]
            .cost_share
            .as_ref()
            .unwrap()
            .value,
        Some(0.05)
    );
    let helium = &m.items["helium"].supply[0];
    assert_eq!(
        (
            helium.supplier_id().unwrap_or(""),
            helium.share.value,
            helium.country.as_ref().map(|c| c.as_str())
        ),
        ("air-products", Some(0.7), Some("QA"))
    );
    let wire = &m.items["nbti-wire"].supply[0];
    assert_eq!(
        (wire.share.value, wire.share.low, wire.share.high),
        (Some(0.6), Some(0.5), Some(0.7))
    );
    let wst = &m.suppliers["wst"];
    assert_eq!(
        (
            wst.name.as_str(),
            wst.name_zh.as_deref(),
            wst.country.as_str()
        ),
        ("Western Superconducting", Some("西部超导"), "CN")
    );
    // A supplier without a name column value is named by its id.
    assert_eq!(m.suppliers["air-products"].name, "Air Products");
}

#[test]
fn csv_import_column_names_are_configurable() {
    let tmp = tempfile::tempdir().unwrap();
    let bom = tmp.path().join("erp.csv");
    std::fs::write(
        &bom,
        "Assembly;Component;Menge;Anteil;Alt\n\
         dsa,c-arm,1,0.4,\n\
         dsa,flat-panel,1,0.3,fp\n\
         dsa,flat-panel-cn,1,0.3,fp\n"
            .replace(';', ","),
    )
    .unwrap();
    let out = tmp.path().join("g");
    bin()
        .args(["import", "--from", "csv"])
        .arg(&bom)
        .args([
            "--col-parent",
            "Assembly",
            "--col-child",
            "Component",
            "--col-qty",
            "Menge",
        ])
        .args([
            "--col-cost-share",
            "Anteil",
            "--col-group",
            "Alt",
            "-q",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let m = load(&out).model;
    let dsa = &m.items["dsa"];
    assert_eq!(dsa.kind, ItemKind::System);
    assert_eq!(dsa.requires.len(), 2);
    assert_eq!(
        dsa.requires[0].cost_share.as_ref().unwrap().value,
        Some(0.4)
    );
    assert_eq!(
        dsa.requires[1].target,
        RequirementTarget::AnyOf(vec![
            ItemId::new("flat-panel"),
            ItemId::new("flat-panel-cn")
        ])
    );
}

/// 24 kinds of bad rows across the six tables, each with its exact message.
#[test]
fn csv_import_reports_every_bad_row_with_row_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("never");
    let assert = bin()
        .args([
            "import",
            "--from",
            "csv",
            "tests/fixtures/interop/bad",
            "--out",
        ])
        .arg(&out)
        .assert()
        .code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    let d = "tests/fixtures/interop/bad";
    let expected = format!(
        "\
{d}/meta.csv:2:2: error[I012]: `home` is `XX`, neither an ISO 3166-1 alpha-2 country code (e.g. CN, US) nor a known country name; write the two-letter code (e.g. DE for Germany) or the country's English or Chinese name
{d}/meta.csv:3:1: error[I026]: unknown meta key `colour` (one of: title, home, currency, as_of)
{d}/countries.csv:1:3: error[I005]: column `name` appears twice (columns 2 and 3)
{d}/countries.csv:3:1: error[I025]: duplicate id `US` (first at row 2)
{d}/countries.csv:4:1: error[I012]: `id` is `ZZ`, neither an ISO 3166-1 alpha-2 country code (e.g. CN, US) nor a known country name; write the two-letter code (e.g. DE for Germany) or the country's English or Chinese name
{d}/items.csv:2:2: error[E014]: system `gadget` requires nothing and has no supply
{d}/items.csv:3:4: error[I008]: `stock_days` is -5; it must be 0 or more
{d}/items.csv:4:1: error[I025]: duplicate id `fan` (first at row 3)
{d}/requirements.csv:4:2: error[I006]: `child` is empty
{d}/requirements.csv:5:3: error[I007]: `qty` is `two`, not a number; write a number such as `2`, `0.5` or `50%`
{d}/requirements.csv:6:3: error[I008]: `qty` is 0; it must be above 0
{d}/requirements.csv:7:4: error[I009]: `cost_share` is `NaN`; it must be a finite number
{d}/requirements.csv:8:6: error[I010]: `cost_share_low` 0.5 is above `cost_share_high` 0.2
{d}/requirements.csv:9:5: error[I022]: `cost_share_low` is given without `cost_share_high`
{d}/requirements.csv:10:8: error[I011]: unknown kind `widget` (one of: system, subsystem, part, component, material, software)
{d}/requirements.csv:11:2: error[E007]: `requires` cycle: ct → ct
{d}/requirements.csv:12:2: error[I014]: `ct` already requires `tube` (row 3)
{d}/requirements.csv:13:9: error[I015]: `name` of item `tube` is `Tube` here but `X-ray tube` at {d}/requirements.csv:3
{d}/requirements.csv:15:3: error[I016]: alternate group `alt` of `ct`: `qty` is 2 here but 1 at row 14
{d}/requirements.csv:19:2: error[E007]: `requires` cycle: gantry → motor → gantry
{d}/requirements.csv:20:3: error[I024]: `qty` is set on a row without a parent
{d}/requirements.csv:21:4: error[I003]: the row has 3 fields; the header has 10
{d}/supply.csv:4:3: error[I017]: supplier `varex`: `supplier_country` is `JP` here but `US` at {d}/supply.csv:2
{d}/supply.csv:5:1: error[I020]: item `nosuch` is not in the BOM or the items table
{d}/supply.csv:6:3: error[I012]: `supplier_country` is `XX`, neither an ISO 3166-1 alpha-2 country code (e.g. CN, US) nor a known country name; write the two-letter code (e.g. DE for Germany) or the country's English or Chinese name
{d}/supply.csv:7:3: error[I006]: `supplier_country` is empty and supplier `newco` is not declared elsewhere
{d}/supply.csv:8:5: error[I006]: `share` is empty
{d}/supply.csv:9:5: error[I008]: `share` is 1.5; it must be between 0 and 1
{d}/supply.csv:11:2: error[I023]: `detector` already has a supply row for `varex` (row 10)
{d}/items.csv:1:6: warning[I028]: column `colour` is not used by the importer
error: 29 error(s) in the input; nothing was written
"
    );
    // Reading problems, then what load::validate finds in the draft (E…), in
    // table order; every diagnostic has its snippet and a hint.
    assert_eq!(located_lines(&stderr), expected);
    assert_eq!(help_lines(&stderr), 30);
    assert_eq!(stderr.matches("╭─[").count(), 30);
    let codes: std::collections::BTreeSet<&str> = expected
        .lines()
        .filter_map(|l| l.split("error[").nth(1))
        .map(|s| &s[..4])
        .collect();
    assert!(
        codes.len() >= 20,
        "only {} kinds of errors: {codes:?}",
        codes.len()
    );
    assert!(!out.exists(), "nothing may be written on bad input");
}

#[test]
fn csv_import_file_level_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("never");
    let run = |bom: &Path| {
        let a = bin()
            .args(["import", "--from", "csv"])
            .arg(bom)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2);
        located_lines(&String::from_utf8(a.get_output().stderr.clone()).unwrap())
    };
    // I001: a file that does not exist.
    let missing = tmp.path().join("missing.csv");
    assert_eq!(
        run(&missing),
        format!(
            "{}: error[I001]: cannot read the file: No such file or directory (os error 2)\nerror: 1 error(s) in the input; nothing was written\n",
            missing.display()
        )
    );
    // I002: byte 0xFF is not UTF-8 (read as UTF-8 when told so; undetected it
    // is Windows-1252, tests/integration/erp.rs). "parent,child\n" is 13 bytes,
    // "ct,tu" 5 more: offset 18, line 2, after one comma: column 2.
    let latin = tmp.path().join("latin1.csv");
    std::fs::write(&latin, b"parent,child\nct,tu\xffbe\n").unwrap();
    let a = bin()
        .args(["import", "--from", "csv", "--encoding", "utf-8"])
        .arg(&latin)
        .arg("--out")
        .arg(tmp.path().join("never"))
        .assert()
        .code(2);
    assert_eq!(
        located_lines(&String::from_utf8(a.get_output().stderr.clone()).unwrap()),
        format!(
            "{}:2:2: error[I002]: the file is not valid UTF-8 (byte offset 18); pass the file's own --encoding (utf-8, utf-16le, utf-16be, windows-1252, gbk)\nerror: 1 error(s) in the input; nothing was written\n",
            latin.display()
        )
    );
    // I004: a required column is missing; and an empty file has no header.
    let wrong = tmp.path().join("wrong.csv");
    std::fs::write(&wrong, "parent,kid\nct,tube\n").unwrap();
    assert_eq!(
        run(&wrong),
        format!(
            "{0}:1:1: error[I004]: missing column `child` (the header has: parent, kid); name it `child` or one of its synonyms (component, child part, child item, component part, component number, component item, component material, 子件, 子项, 子件编码, 子项编码, 子项物料编码, 子件物料编码, 子项物料, 组件), or map it with --columns\n\
             {0}:1:2: warning[I028]: column `kid` is not used by the importer\n\
             error: 1 error(s) in the input; nothing was written\n",
            wrong.display()
        )
    );
    let empty = tmp.path().join("empty.csv");
    std::fs::write(&empty, "").unwrap();
    assert_eq!(
        run(&empty),
        format!(
            "{}:1:1: error[I004]: the file is empty; a header row is required\nerror: 1 error(s) in the input; nothing was written\n",
            empty.display()
        )
    );
    assert!(!out.exists());
}

#[test]
fn cyclonedx_import_maps_plain_hardware_boms_and_lists_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("dr");
    let assert = bin()
        .args([
            "import",
            "--from",
            "cyclonedx",
            "tests/fixtures/interop/generic-cdx.json",
            "-q",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    let f = "tests/fixtures/interop/generic-cdx.json";
    let unmapped = [
        ("/metadata/manufacture", "metadata `manufacture` has no place in a supply graph"),
        ("/metadata/properties/1", "property `internal:batch` is not in the `chokepoint:` namespace"),
        ("/components/0/components/1/purl", "component field `purl` has no place in a supply graph"),
        ("/components/1/version", "component field `version` has no place in a supply graph"),
        ("/components/2/supplier", "supplier `In-house` has no address.country; the supply edge was not imported"),
        ("/components/3", "component type `data` has no place in a supply graph (device and software types are imported)"),
        ("/dependencies/0/dependsOn/3", "`calib` is not an imported component"),
        ("/dependencies/2/ref", "`ghost` is not an imported component"),
        // In the order of the text: `services` comes last.
        ("/services", "`services` has no place in a supply graph"),
    ];
    let expected: String = unmapped
        .iter()
        .map(|(p, r)| format!("{f}#{p}: {r}\n"))
        .collect::<String>()
        + &format!(
            "9 element(s) not mapped; listed in {}\n",
            out.join("unmapped.json").display()
        )
        + &format!(
            "imported 6 items, 3 suppliers, 3 supply edges into {}\n",
            out.join("graph.yaml").display()
        );
    assert_eq!(stderr, expected);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("unmapped.json")).unwrap()).unwrap();
    assert_eq!(report.as_array().unwrap().len(), 9);
    assert_eq!(report[7]["pointer"], "/dependencies/2/ref");

    bin().arg("check").arg(&out).arg("-q").assert().success();
    let m = load(&out).model;
    let ids: Vec<&str> = m.items.keys().map(|k| k.as_str()).collect();
    // metadata.component first, then the components in document order, depth first.
    assert_eq!(
        ids,
        [
            "dr-system",
            "flat-panel",
            "csi-scintillator",
            "tft-panel",
            "tube",
            "fw"
        ]
    );
    let kinds: Vec<ItemKind> = m.items.values().map(|i| i.kind).collect();
    use ItemKind::*;
    assert_eq!(kinds, [System, Subsystem, Part, Part, Part, Software]);
    let dr = &m.items["dr-system"];
    assert_eq!(dr.name_zh.as_deref(), Some("数字X线摄影系统"));
    let members: Vec<&str> = dr
        .requires
        .iter()
        .flat_map(|r| r.target.members())
        .map(|i| i.as_str())
        .collect();
    assert_eq!(members, ["flat-panel", "tube", "fw"]);
    // Nested components are requirements; chokepoint:qty and cost_share sit on the child.
    let fp = &m.items["flat-panel"];
    assert_eq!(
        fp.requires[0].target,
        RequirementTarget::Item(ItemId::new("csi-scintillator"))
    );
    assert_eq!(
        (
            fp.requires[0].qty,
            fp.requires[0].cost_share.as_ref().unwrap().value
        ),
        (2.0, Some(0.3))
    );
    assert_eq!(
        fp.requires[1].target,
        RequirementTarget::Item(ItemId::new("tft-panel"))
    );
    // supplier → supply edge with chokepoint:share and site country; manufacturer alone → share 1.
    let e = &fp.supply[0];
    assert_eq!(
        (
            e.supplier_id().unwrap_or(""),
            e.share.value,
            e.country.as_ref().map(|c| c.as_str())
        ),
        ("Varex Imaging", Some(0.7), Some("PH"))
    );
    assert_eq!(m.suppliers["Varex Imaging"].country.as_str(), "US");
    let csi = &m.items["csi-scintillator"].supply[0];
    assert_eq!(
        (csi.supplier_id().unwrap_or(""), csi.share.value),
        ("Hamamatsu", Some(1.0))
    );
    assert_eq!(m.suppliers["Hamamatsu"].country.as_str(), "JP");
    // A country's name in `address.country` (CycloneDX allows it) is its code.
    assert_eq!(m.suppliers["Canon Electron Tubes"].country.as_str(), "JP");
}

#[test]
fn cyclonedx_import_refuses_what_is_not_cyclonedx() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        (
            "not-json.json",
            "{",
            "1:1: error[E001]: not valid JSON: EOF while parsing an object at line 1 column 1",
        ),
        (
            "spdx.json",
            r#"{"spdxVersion": "SPDX-2.3"}"#,
            "1:1: error[E017]: not a CycloneDX BOM: `bomFormat` is not \"CycloneDX\"",
        ),
        (
            "old.json",
            r#"{"bomFormat": "CycloneDX", "specVersion": "1.2"}"#,
            "1:43: error[E017]: CycloneDX 1.2 is not supported (this importer reads 1.5 and 1.6)",
        ),
    ];
    for (name, text, message) in cases {
        let (path, stderr) = refused_cyclonedx_import(tmp.path(), name, text.as_bytes());
        assert_eq!(
            stderr.lines().next().unwrap(),
            format!("{}:{message}", path.display())
        );
        assert!(stderr.contains("help: "), "{stderr}");
    }
}

/// Imports `bytes` written to `dir/name` as CycloneDX, asserting exit 2 and
/// that nothing was written; returns the document's path and stderr.
fn refused_cyclonedx_import(dir: &Path, name: &str, bytes: &[u8]) -> (PathBuf, String) {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let out = dir.join(format!("{name}.out"));
    let a = bin()
        .env("NO_COLOR", "1")
        .args(["import", "--from", "cyclonedx"])
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    assert!(!out.exists(), "{} was written", out.display());
    let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    (path, stderr)
}

/// A document that is not UTF-8 is shown with each bad byte as `?`, so the
/// snippet is the document and the mark sits under the byte the JSON parser
/// stopped at (the fuzzer found the diagnostic pointing past an empty text).
#[test]
fn cyclonedx_import_shows_a_non_utf8_document_at_the_right_place() {
    let tmp = tempfile::tempdir().unwrap();
    let (path, stderr) = refused_cyclonedx_import(
        tmp.path(),
        "latin1.json",
        b"{\n  \"bomFormat\": \"CycloneDX\",\xff\xff\n  \"specVersion\": \"1.6\"\n}\n",
    );
    let shown = stderr.replace(&path.display().to_string(), "latin1.json");
    let expected =
        "latin1.json:2:28: error[E001]: not valid JSON: key must be a string at line 2 column 28
   ╭─[latin1.json:2:28]
 1 │ {
 2 │   \"bomFormat\": \"CycloneDX\",??
   ·                            ─┬
   ·                             ╰── here
 3 │   \"specVersion\": \"1.6\"
   ╰────
";
    assert!(shown.starts_with(expected), "{shown}");
}

const VALIDATE_CYCLONEDX: &str = r#"
import json, sys, jsonschema
from referencing import Registry, Resource
d = sys.argv[1]
names = ["bom-1.6.schema.json", "spdx.schema.json", "jsf-0.82.schema.json"]
schemas = {n: json.load(open(f"{d}/{n}", encoding="utf-8")) for n in names}
resources = []
for n, s in schemas.items():
    r = Resource.from_contents(s)
    resources += [(s["$id"], r), (n, r)]
validator = jsonschema.Draft7Validator(
    schemas["bom-1.6.schema.json"],
    registry=Registry().with_resources(resources),
    format_checker=jsonschema.FormatChecker(),
)
errors = sorted(validator.iter_errors(json.load(sys.stdin)), key=lambda e: list(e.absolute_path))
for e in errors:
    print(list(e.absolute_path), e.message)
sys.exit(1 if errors else 0)
"#;

#[test]
fn cyclonedx_export_is_valid_against_the_official_1_6_schema() {
    if !python_with("jsonschema") || !python_with("referencing") {
        return;
    }
    let schemas = root().join("tests/schemas");
    for dir in round_trip_graphs() {
        let doc = cyclonedx::export(&load(&dir).model);
        let (ok, out, err) = python(VALIDATE_CYCLONEDX, &[schemas.to_str().unwrap()], &doc);
        assert!(ok, "{}: schema violations:\n{out}{err}", dir.display());
    }
    // The validator is live: a component type outside the enumeration fails.
    let doc = cyclonedx::export(&load(&fixture("valid/full")).model).replacen(
        "\"device\"",
        "\"gizmo\"",
        1,
    );
    let (ok, out, _) = python(VALIDATE_CYCLONEDX, &[schemas.to_str().unwrap()], &doc);
    assert!(!ok);
    assert!(out.contains("'gizmo' is not one of"), "{out}");
}

#[test]
fn cyclonedx_export_carries_shares_quantities_alternates_and_sites_as_properties() {
    let doc: serde_json::Value =
        serde_json::from_str(&cyclonedx::export(&load(&fixture("valid/full")).model)).unwrap();
    assert_eq!(doc["specVersion"], "1.6");
    let ct = doc["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["bom-ref"] == "ct-64")
        .unwrap();
    let props: Vec<(String, String)> = ct["properties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // The item's whole entry comes last (checked by the round-trip tests).
    let (entry, props) = props.split_last().unwrap();
    assert_eq!(entry.0, "chokepoint:entry");
    let entry: serde_json::Value = serde_json::from_str(&entry.1).unwrap();
    assert_eq!(entry["id"], "ct-64");
    assert_eq!(entry["requires"][1]["note"], "either scintillator works");
    let expected: Vec<(String, String)> = [
        ("chokepoint:kind", "system"),
        ("chokepoint:name_zh", "64排CT"),
        ("chokepoint:market_value", "48000000000"),
        ("chokepoint:requires:1:item", "ct-tube"),
        ("chokepoint:requires:1:qty", "1"),
        ("chokepoint:requires:1:cost_share_low", "0.2"),
        ("chokepoint:requires:1:cost_share_high", "0.3"),
        ("chokepoint:requires:2:any_of", "gos-ceramic"),
        ("chokepoint:requires:2:any_of", "garnet-ceramic"),
        ("chokepoint:requires:2:qty", "2"),
        ("chokepoint:requires:2:cost_share", "0.08"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(props, expected);
    let tube = doc["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["bom-ref"] == "ct-tube")
        .unwrap();
    let tube_props = tube["properties"].to_string();
    for needle in [
        r#"{"name":"chokepoint:supply:1:supplier","value":"varex"}"#,
        r#"{"name":"chokepoint:supply:1:share","value":"0.35"}"#,
        r#"{"name":"chokepoint:supply:1:site_country","value":"IN"}"#,
        r#"{"name":"chokepoint:supply:2:share_low","value":"0.1"}"#,
    ] {
        assert!(
            tube_props.contains(needle),
            "{needle} missing from {tube_props}"
        );
    }
    let deps = doc["dependencies"].as_array().unwrap();
    assert_eq!(
        deps[0],
        serde_json::json!({"ref": "ct-64", "dependsOn": ["ct-tube", "gos-ceramic", "garnet-ceramic"]})
    );
    assert_eq!(
        deps.len(),
        6,
        "every component is in the dependency graph, leaves with an empty list"
    );
}

const READ_GRAPHML: &str = r#"
import json, sys
import networkx as nx
g = nx.read_graphml(sys.argv[1])
print(json.dumps({
    "directed": g.is_directed(),
    "nodes": g.number_of_nodes(),
    "edges": g.number_of_edges(),
    "node": {n: g.nodes[n] for n in sys.argv[2:] if n in g},
    "varex_tube": [d for u, v, d in g.edges(data=True) if u == "supplier:varex" and v == "item:ct-tube"],
    "types": sorted({type(v).__name__ + ":" + k for _, d in g.nodes(data=True) for k, v in d.items()}),
}, ensure_ascii=False, sort_keys=True))
"#;

#[test]
fn graphml_export_is_read_by_networkx_with_counts_and_typed_attributes() {
    if !python_with("networkx") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    for dir in round_trip_graphs() {
        let model = load(&dir).model;
        let path = tmp.path().join("g.graphml");
        std::fs::write(&path, export::graphml(&model, None, Lang::En)).unwrap();
        let (ok, out, err) = python(
            READ_GRAPHML,
            &[
                path.to_str().unwrap(),
                "item:ct-64",
                "supplier:varex",
                "country:US",
            ],
            "",
        );
        assert!(ok, "{}: networkx failed: {err}", dir.display());
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let graph = chokepoint::graph::SupplyGraph::new(&model);
        let nodes = model.items.len() + model.suppliers.len() + graph.country_count();
        let requires: usize = model
            .items
            .values()
            .flat_map(|i| &i.requires)
            .map(|r| r.target.members().len())
            .sum();
        let supplies: usize = model.items.values().map(|i| i.supply.len()).sum();
        let mut sites: Vec<(&str, &str)> = model
            .items
            .values()
            .flat_map(|i| &i.supply)
            .filter_map(|e| Some((e.supplier_id()?, e.country.as_ref()?.as_str())))
            .collect();
        sites.sort_unstable();
        sites.dedup();
        // A source's own inputs: one edge per member.
        let source_requires: usize = model
            .items
            .values()
            .flat_map(|i| &i.supply)
            .filter_map(|e| match e.requires.as_deref() {
                Some(SourceInputs::List(list)) => Some(list),
                _ => None,
            })
            .flatten()
            .map(|r| r.target.members().len())
            .sum();
        let edges = requires + supplies + model.suppliers.len() + sites.len() + source_requires;
        assert_eq!(v["directed"], true);
        assert_eq!(v["nodes"], nodes, "{}", dir.display());
        assert_eq!(v["edges"], edges, "{}", dir.display());
    }
    // Attributes and their types, on the fixture: doubles are floats in networkx.
    let path = tmp.path().join("full.graphml");
    std::fs::write(
        &path,
        export::graphml(&load(&fixture("valid/full")).model, None, Lang::En),
    )
    .unwrap();
    let (_, out, _) = python(
        READ_GRAPHML,
        &[
            path.to_str().unwrap(),
            "item:ct-64",
            "supplier:varex",
            "country:US",
        ],
        "",
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["node"]["item:ct-64"],
        serde_json::json!({"type": "item", "label": "64-slice CT scanner", "kind": "system", "name": "64-slice CT scanner", "name_zh": "64排CT", "market_value": 48.0e9})
    );
    assert_eq!(
        v["node"]["supplier:varex"],
        serde_json::json!({"type": "supplier", "label": "Varex Imaging", "name": "Varex Imaging", "name_zh": "万睿视", "country": "US"})
    );
    assert_eq!(
        v["node"]["country:US"],
        serde_json::json!({"type": "country", "label": "United States", "name": "United States", "name_zh": "美国"})
    );
    // The varex edge: share 0.35 (no range, so low = high = 0.35), made in India.
    assert_eq!(
        v["varex_tube"],
        serde_json::json!([{"id": "e5", "relation": "supplies", "share": 0.35, "share_low": 0.35, "share_high": 0.35, "country": "IN", "source": "ct-tube#1", "inputs": "default"}])
    );
    assert!(v["types"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("float:market_value")));
    assert!(v["types"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("float:import_share")));
}

#[test]
fn graphml_escapes_markup_in_names() {
    let model = load(&fixture("interop/roundtrip")).model;
    let xml = export::graphml(&model, None, Lang::En);
    assert!(
        xml.contains(r#"<data key="n_name">Scanner, model &quot;X&quot;</data>"#),
        "{xml}"
    );
    // Ids are NMTOKENs: the space and `#` are escaped as `_xHHHH_`.
    assert!(
        xml.contains(r#"<node id="item:scanner_x0020__x0023_1">"#),
        "{xml}"
    );
}

#[test]
fn neo4j_export_has_typed_headers_and_one_row_per_entity() {
    let model = load(&fixture("valid/full")).model;
    let files = export::neo4j(&model, None, Lang::En);
    let get = |n: &str| {
        files
            .iter()
            .find(|(f, _)| *f == n)
            .map(|(_, t)| t.clone())
            .unwrap()
    };
    let header = |n: &str| get(n).lines().next().unwrap().to_string();
    let rows = |n: &str| get(n).lines().count() - 1;
    assert_eq!(header("items.csv"), "id:ID(Item),:LABEL,kind,name,name_zh,market_value:double,market_value_low:double,market_value_high:double,import_share:double,import_share_low:double,import_share_high:double,stock_days:double,stock_days_low:double,stock_days_high:double,recovery_days:double,recovery_days_low:double,recovery_days_high:double,export_controls:string[],note,label,risk_score:double,risk_low:double,risk_high:double,risk_band,direct_import_share:double,embodied_import_share:double,embodied_import_share_low:double,embodied_import_share_high:double,hhi_supplier:double,hhi_country:double,foreign_dependent:boolean,on_single_point_path:boolean");
    assert_eq!(
        header("suppliers.csv"),
        "id:ID(Supplier),:LABEL,name,name_zh,country,note,label,single_point_of:string[],single_point_count:int,conditional_in:string[],cut_set_of:string[]"
    );
    assert_eq!(
        header("countries.csv"),
        "id:ID(Country),:LABEL,name,name_zh,label,single_point_of:string[],single_point_count:int,conditional_in:string[],cut_set_of:string[]"
    );
    assert_eq!(header("requires.csv"), ":START_ID(Item),:END_ID(Item),:TYPE,qty:double,cost_share:double,cost_share_low:double,cost_share_high:double,alternate_group,role");
    assert_eq!(header("supplied_by.csv"), ":START_ID(Item),:END_ID(Supplier),:TYPE,share:double,share_low:double,share_high:double,site_country,country,source,inputs");
    assert_eq!(header("supplied_by_country.csv"), ":START_ID(Item),:END_ID(Country),:TYPE,share:double,share_low:double,share_high:double,site_country,country,source,inputs");
    assert_eq!(
        header("source_requires.csv"),
        ":START_ID(Item),:END_ID(Item),:TYPE,source,supplier,country,alternate_group"
    );
    assert_eq!(
        header("based_in.csv"),
        ":START_ID(Supplier),:END_ID(Country),:TYPE"
    );
    // 6 items; 3 suppliers; countries US, JP, CN (home), IN (a site); requires: ct-tube,
    // gos, garnet, recon-sw = 4; supply edges 3; one BASED_IN per supplier.
    assert_eq!(
        [
            rows("items.csv"),
            rows("suppliers.csv"),
            rows("countries.csv")
        ],
        [6, 3, 4]
    );
    assert_eq!(
        [
            rows("requires.csv"),
            rows("supplied_by.csv"),
            rows("based_in.csv")
        ],
        [4, 3, 3]
    );
    assert!(get("items.csv").contains("\nct-64,Item;System,system,64-slice CT scanner,64排CT,48000000000,48000000000,48000000000,"));
    // ct-tube's cost share is the range 0.2–0.3: mid 0.25.
    assert!(get("requires.csv").contains("\nct-64,ct-tube,REQUIRES,1,0.25,0.2,0.3,,production\n"));
    assert!(get("requires.csv")
        .contains("\nct-64,gos-ceramic,REQUIRES,2,0.08,0.08,0.08,ct-64#2,production\n"));
    assert!(get("supplied_by.csv")
        .contains("\nct-tube,varex,SUPPLIED_BY,0.35,0.35,0.35,IN,IN,ct-tube#1,default\n"));
    assert!(get("import.sh").contains("neo4j-admin database import full"));
}

/// Spec v2 in the graph exports: design roles on requirement edges, a source's
/// own inputs as `source_requires` edges, unnamed producers from their country.
#[test]
fn graphml_and_neo4j_carry_roles_sources_by_country_and_sources_inputs() {
    let model = load(&fixture("interop/v2")).model;
    let files = export::neo4j(&model, None, Lang::En);
    let get = |n: &str| {
        files
            .iter()
            .find(|(f, _)| *f == n)
            .map(|(_, t)| t.clone())
            .unwrap()
    };
    assert_eq!(
        get("requires.csv"),
        ":START_ID(Item),:END_ID(Item),:TYPE,qty:double,cost_share:double,cost_share_low:double,cost_share_high:double,alternate_group,role\n\
         ct,tube,REQUIRES,1,0.3,0.3,0.3,,production\n\
         ct,recon-sw,REQUIRES,1,0.05,0.05,0.05,,design\n\
         ct,gos,REQUIRES,2,,,,ct#3,production\n\
         ct,garnet,REQUIRES,2,,,,ct#3,production\n\
         tube,anode,REQUIRES,1,,,,,production\n\
         tube,thermal-sim,REQUIRES,1,,,,,design\n"
    );
    assert_eq!(
        get("supplied_by.csv"),
        ":START_ID(Item),:END_ID(Supplier),:TYPE,share:double,share_low:double,share_high:double,site_country,country,source,inputs\n\
         tube,varex,SUPPLIED_BY,0.35,0.35,0.35,IN,IN,tube#1,default\n\
         tube,kunshan,SUPPLIED_BY,0.15,0.15,0.15,,CN,tube#2,default\n\
         tube,canon,SUPPLIED_BY,0.05,0.05,0.05,,JP,tube#4,list\n\
         tube,varex,SUPPLIED_BY,0.1,0.1,0.1,,US,tube#5,bom\n\
         garnet,kunshan,SUPPLIED_BY,1,1,1,,CN,garnet#1,default\n"
    );
    assert_eq!(
        get("supplied_by_country.csv"),
        ":START_ID(Item),:END_ID(Country),:TYPE,share:double,share_low:double,share_high:double,site_country,country,source,inputs\n\
         tube,JP,SUPPLIED_BY,0.1,0.05,0.15,JP,JP,tube#3,default\n\
         anode,CN,SUPPLIED_BY,0.8,0.8,0.8,CN,CN,anode#1,default\n\
         anode,AT,SUPPLIED_BY,0.2,0.2,0.2,AT,AT,anode#2,default\n\
         bearing,DE,SUPPLIED_BY,1,1,1,DE,DE,bearing#1,default\n\
         gos,JP,SUPPLIED_BY,1,1,1,JP,JP,gos#1,default\n\
         recon-sw,US,SUPPLIED_BY,1,1,1,US,US,recon-sw#1,default\n\
         thermal-sim,US,SUPPLIED_BY,0.7,0.7,0.7,US,US,thermal-sim#1,default\n\
         bought-ct,DE,SUPPLIED_BY,1,1,1,DE,DE,bought-ct#1,default\n"
    );
    assert_eq!(
        get("source_requires.csv"),
        ":START_ID(Item),:END_ID(Item),:TYPE,source,supplier,country,alternate_group\n\
         tube,bearing,SOURCE_REQUIRES,tube#4,canon,JP,\n\
         tube,gos,SOURCE_REQUIRES,tube#4,canon,JP,tube#4/2\n\
         tube,garnet,SOURCE_REQUIRES,tube#4,canon,JP,tube#4/2\n"
    );
    assert!(get("import.sh")
        .contains("--relationships=supplied_by_country.csv --relationships=source_requires.csv"));
    let xml = export::graphml(&model, None, Lang::En);
    for edge in [
        // A design requirement.
        "source=\"item:ct\" target=\"item:recon-sw\">\n      <data key=\"e_relation\">requires</data>\n      <data key=\"e_qty\">1</data>\n      <data key=\"e_role\">design</data>",
        // Unnamed producers: from their country, with the source id.
        "source=\"country:JP\" target=\"item:tube\">\n      <data key=\"e_relation\">supplies</data>\n      <data key=\"e_share\">0.1</data>\n      <data key=\"e_share_low\">0.05</data>\n      <data key=\"e_share_high\">0.15</data>\n      <data key=\"e_country\">JP</data>\n      <data key=\"e_source\">tube#3</data>\n      <data key=\"e_inputs\">default</data>",
        // Canon's own inputs, one an any_of.
        "source=\"item:tube\" target=\"item:garnet\">\n      <data key=\"e_relation\">source_requires</data>\n      <data key=\"e_source\">tube#4</data>\n      <data key=\"e_alternate_group\">tube#4/2</data>",
        "<data key=\"e_source\">tube#5</data>\n      <data key=\"e_inputs\">bom</data>",
    ] {
        assert!(xml.contains(edge), "{edge}\n--- in ---\n{xml}");
    }
}

/// `diff` names a changed role, a changed source's inputs, and unnamed
/// producers as entries of their own.
#[test]
fn diff_reports_roles_sources_inputs_and_unnamed_sources() {
    let old = load(&fixture("interop/v2")).model;
    let mut new = old.clone();
    let tube = new.items.get_mut("tube").unwrap();
    tube.requires[1].role = Role::Production;
    tube.supply[4].requires = None;
    tube.supply[2].country = Some(CountryCode::new("KR"));
    new.items.get_mut("ct").unwrap().requires[1].role = Role::Production;
    let changes: Vec<String> = chokepoint::diff::data_changes(&old, &new)
        .iter()
        .map(|c| {
            format!(
                "{} {} {} {:?}: {:?} → {:?}",
                c.entity.as_str(),
                c.key,
                c.change.as_str(),
                c.field,
                c.old,
                c.new
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            "requirement ct → recon-sw changed Some(\"role\"): Some(\"design\") → Some(\"production\")",
            "requirement tube → thermal-sim changed Some(\"role\"): Some(\"design\") → Some(\"production\")",
            "supply tube ← unnamed producers in JP removed None: Some(\"share 0.05–0.15\") → None",
            "supply tube ← unnamed producers in KR added None: None → Some(\"share 0.05–0.15\")",
            "supply tube ← varex (US) changed Some(\"requires\"): Some(\"bom\") → None",
        ]
    );
    // The same through the command line, as JSON.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("graph.yaml"), yaml_out::to_yaml(&new)).unwrap();
    let out = bin()
        .args(["diff", "tests/fixtures/interop/v2"])
        .arg(&dir)
        .args(["--format", "json", "-q"])
        .output()
        .unwrap();
    let v: serde_json::Value = crate::support::json_ok(out);
    let keys: Vec<&str> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "ct → recon-sw",
            "tube → thermal-sim",
            "tube ← unnamed producers in JP",
            "tube ← unnamed producers in KR",
            "tube ← varex (US)"
        ]
    );
}

#[test]
fn json_export_holds_the_model_and_the_analysis() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("model.json");
    bin()
        .args([
            "export",
            "tests/fixtures/valid/full",
            "--format",
            "json",
            "-q",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["schema"], "chokepoint/model/1");
    assert_eq!(v["meta"]["home"], "CN");
    assert_eq!(v["items"].as_array().unwrap().len(), 6);
    assert_eq!(v["items"][1]["supply"][0]["share"]["value"], 0.35);
    assert_eq!(v["scenarios"][0]["id"], "us-embargo");
    assert_eq!(v["analysis"]["schema"], chokepoint::analysis::SCHEMA);
    let bare = bin()
        .args([
            "export",
            "tests/fixtures/valid/full",
            "--format",
            "json",
            "--no-analysis",
            "-q",
        ])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&bare.get_output().stdout).unwrap();
    assert!(v.get("analysis").is_none());
}

#[test]
fn directory_exports_need_out() {
    let a = bin()
        .args([
            "export",
            "tests/fixtures/valid/full",
            "--format",
            "neo4j-csv",
            "-q",
        ])
        .assert()
        .code(2);
    assert_eq!(
        String::from_utf8(a.get_output().stderr.clone()).unwrap(),
        "error[U001]: --format csv and neo4j-csv write several files\n  help: give --out DIR\n"
    );
}

/// splitmix64, for random models drawn from one proptest seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    /// A fraction in tenths up to `max` tenths, as an exact, range or value+range estimate.
    fn estimate(&mut self, max_tenths: usize) -> Estimate {
        let v = self.below(max_tenths + 1) as f64 / 10.0;
        match self.below(3) {
            0 => Estimate::exact(v),
            1 => Estimate::range(v / 2.0, v),
            _ => Estimate {
                value: Some(v),
                ..Estimate::range(v / 2.0, v)
            },
        }
    }
}

/// A random valid model: a DAG of up to 7 items under one system, awkward ids
/// (commas, quotes, spaces, Chinese), ranges, `any_of`, sites and unused
/// suppliers, and spec v2's sources by country alone, sources' own inputs
/// (`bom` and lists) and design requirements.
fn random_model(seed: u64) -> Model {
    let mut rng = Rng(seed);
    let words = [
        "tube",
        "探测器",
        "coil, b",
        "say \"hi\"",
        "a b",
        "x;y",
        "线圈",
    ];
    let n = 2 + rng.below(6);
    let ids: Vec<String> = (0..n)
        .map(|i| format!("{}-{i}", words[rng.below(words.len())]))
        .collect();
    let countries = ["CN", "US", "DE", "JP", "NO"];
    let mut model = Model::default();
    model.meta.home = CountryCode::new(countries[rng.below(2)]);
    model.meta.title = "random, \"model\"".into();
    for s in 0..1 + rng.below(3) {
        let id = SupplierId::new(format!("{}-s{s}", words[rng.below(words.len())]));
        let name_zh = rng.chance(50).then(|| format!("供应商{s}"));
        model.suppliers.insert(
            id.clone(),
            Supplier {
                id,
                name: format!("Supplier {s}, Ltd."),
                name_zh,
                country: CountryCode::new(countries[rng.below(countries.len())]),
                parent: None,
                cite: vec![],
                note: rng.chance(30).then(|| "note\nwith newline".to_string()),
                disruption_probability: None,
                loc: Location::default(),
            },
        );
    }
    let supplier_ids: Vec<SupplierId> = model.suppliers.keys().cloned().collect();
    for i in 0..n {
        let kind = if i == 0 {
            ItemKind::System
        } else {
            ItemKind::ALL[1 + rng.below(5)]
        };
        let mut requires = Vec::new();
        let later: Vec<usize> = (i + 1..n).collect();
        let mut used = Vec::new();
        let slots = if i == 0 {
            1 + rng.below(3)
        } else {
            rng.below(3)
        };
        for _ in 0..slots {
            let free: Vec<usize> = later
                .iter()
                .copied()
                .filter(|j| !used.contains(j))
                .collect();
            if free.is_empty() {
                break;
            }
            let first = free[rng.below(free.len())];
            used.push(first);
            let mut members = vec![ItemId::new(ids[first].clone())];
            let any_of = rng.chance(30);
            if any_of {
                if let Some(&second) = free.iter().find(|j| **j != first) {
                    used.push(second);
                    members.push(ItemId::new(ids[second].clone()));
                }
            }
            requires.push(Requirement {
                target: if any_of {
                    RequirementTarget::AnyOf(members)
                } else {
                    RequirementTarget::Item(members.remove(0))
                },
                qty: [1.0, 2.0, 0.5][rng.below(3)],
                // At most 3 requirements of at most 0.3 each: the sum stays below 1.
                cost_share: rng.chance(70).then(|| Box::new(rng.estimate(3))),
                role: if rng.chance(15) {
                    Role::Design
                } else {
                    Role::Production
                },
                cite: vec![],
                note: None,
                member_qualify: None,
                loc: Location::default(),
            });
        }
        if i == 0 && requires.is_empty() {
            requires.push(Requirement {
                target: RequirementTarget::Item(ItemId::new(ids[1].clone())),
                qty: 1.0,
                cost_share: None,
                role: Role::Production,
                cite: vec![],
                note: None,
                member_qualify: None,
                loc: Location::default(),
            });
        }
        let mut supply = Vec::new();
        let mut chosen: Vec<usize> = Vec::new();
        let mut unnamed: Vec<&str> = Vec::new();
        for _ in 0..rng.below(3) {
            // Sources known only by country (v2), one per country.
            if rng.chance(25) {
                let c = countries[rng.below(countries.len())];
                if unnamed.contains(&c) {
                    continue;
                }
                unnamed.push(c);
                supply.push(SupplyEdge {
                    supplier: None,
                    requires: None,
                    share: rng.estimate(5),
                    country: Some(CountryCode::new(c)),
                    cite: vec![],
                    note: None,
                    loc: Location::default(),
                });
                continue;
            }
            let s = rng.below(supplier_ids.len());
            if chosen.contains(&s) {
                continue;
            }
            chosen.push(s);
            // A source's own inputs (v2): `bom`, or later items, one maybe an any_of.
            let requires = match rng.below(10) {
                0 => Some(Box::new(SourceInputs::Bom)),
                1 | 2 if i + 1 < n => {
                    let a = ItemId::new(ids[i + 1 + rng.below(n - i - 1)].clone());
                    let b = ItemId::new(ids[i + 1 + rng.below(n - i - 1)].clone());
                    let target = if a != b && rng.chance(50) {
                        RequirementTarget::AnyOf(vec![a, b])
                    } else {
                        RequirementTarget::Item(a)
                    };
                    Some(Box::new(SourceInputs::List(vec![Requirement {
                        target,
                        qty: 1.0,
                        cost_share: None,
                        role: Role::Production,
                        cite: vec![],
                        note: None,
                        member_qualify: None,
                        loc: Location::default(),
                    }])))
                }
                _ => None,
            };
            supply.push(SupplyEdge {
                supplier: Some(supplier_ids[s].clone()),
                requires,
                // At most 2 edges of at most 0.5 each.
                share: rng.estimate(5),
                country: rng
                    .chance(30)
                    .then(|| CountryCode::new(countries[rng.below(countries.len())])),
                cite: vec![],
                note: None,
                loc: Location::default(),
            });
        }
        let id = ItemId::new(ids[i].clone());
        model.items.insert(
            id.clone(),
            Item {
                id,
                kind,
                name: format!("Item {i}, \"quoted\""),
                name_zh: rng.chance(50).then(|| format!("部件{i}")),
                market_value: rng
                    .chance(30)
                    .then(|| Box::new(Estimate::range(1.0e6, 2.5e6))),
                requires,
                supply,
                standby: Vec::new(),
                import_share: rng.chance(30).then(|| Box::new(rng.estimate(10))),
                stock_days: rng.chance(30).then(|| Box::new(Estimate::exact(30.0))),
                recovery_days: rng
                    .chance(30)
                    .then(|| Box::new(Estimate::range(90.0, 365.0))),
                export_controls: if rng.chance(20) {
                    vec!["US-EAR".into(), "EU 2021/821".into()]
                } else {
                    vec![]
                },
                cite: vec![],
                note: rng.chance(20).then(|| "a, note".to_string()),
                loc: Location::default(),
            },
        );
    }
    model
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Random valid graphs survive CSV and CycloneDX round trips unchanged.
    #[test]
    fn random_models_round_trip_through_csv_and_cyclonedx(seed in proptest::prelude::any::<u64>()) {
        let model = reload(&random_model(seed), "random model");
        let files = export::csv_tables(&model);
        let imported = csv_import::import(&csv_input_from(&files), &Columns::default(), &MetaOverrides::default())
            .unwrap_or_else(|p| panic!("{}", p.render(false)));
        let back = reload(&imported.model, "csv");
        proptest::prop_assert_eq!(compare::differences(&model, &back), Vec::<String>::new());
        let cdx = cyclonedx::import(cyclonedx::export(&model).as_bytes(), &MetaOverrides::default()).unwrap();
        proptest::prop_assert_eq!(&cdx.unmapped, &vec![]);
        let back = cdx.load("bom.json").unwrap_or_else(|e| panic!("{}", e.render(false))).model;
        proptest::prop_assert_eq!(compare::differences(&model, &back), Vec::<String>::new());
    }
}

#[test]
fn import_rejects_a_bad_home_before_reading_anything() {
    let a = bin()
        .args([
            "import",
            "--from",
            "cyclonedx",
            "tests/fixtures/interop/generic-cdx.json",
            "--home",
            "XX",
            "--out",
            "/nonexistent/never",
        ])
        .assert()
        .code(2);
    assert_eq!(
        String::from_utf8(a.get_output().stderr.clone()).unwrap(),
        "error[U001]: --home XX: not an ISO 3166-1 alpha-2 country code\n  \
         help: write an ISO 3166-1 alpha-2 code such as CN, US or DE\n"
    );
}

/// A European SAP-style export (`;`, decimal commas with thousands points, ERP
/// header names, a line per vendor, country names in English and Chinese,
/// prices and lead times) imports as it is, into the hand-checked graph:
/// cost shares 120,000/480,000 and 2 × 40,000/480,000 against the system's
/// price, 0.5 × 1,600/40,000 and 4 × 800/40,000 against the detector's; two
/// vendors without shares split 0.5/0.5 (low confidence); a line with only a
/// vendor country is the unnamed producers there; lead times as recovery_days.
#[test]
fn csv_import_reads_a_european_erp_export_as_it_is() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("g");
    let a = bin()
        .args([
            "import",
            "--from",
            "csv",
            "tests/fixtures/interop/erp/sap-eu.csv",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    assert_eq!(
        String::from_utf8(a.get_output().stderr.clone()).unwrap(),
        format!(
            "imported 5 items, 3 suppliers, 4 supply edges into {}\n",
            out.join("graph.yaml").display()
        )
    );
    assert_eq!(
        std::fs::read_to_string(out.join("graph.yaml")).unwrap(),
        std::fs::read_to_string(fixture("interop/erp/sap-eu.expected.yaml")).unwrap()
    );
    // Forced the other way, the decimal commas are errors with a hint.
    let a = bin()
        .args([
            "import",
            "--from",
            "csv",
            "tests/fixtures/interop/erp/sap-eu.csv",
            "--decimal",
            "point",
            "--out",
        ])
        .arg(tmp.path().join("never"))
        .assert()
        .code(2);
    let err = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(err.starts_with("tests/fixtures/interop/erp/sap-eu.csv:4:5: error[I007]: `Unit Price` is `40.000,00`, not a number; for a decimal comma pass --decimal comma\n"), "{err}");
    // A mapping file names columns the synonyms do not know.
    let map = tmp.path().join("map.yaml");
    std::fs::write(&map, "parent: Baugruppe\nchild: Komponente\nqty: Menge\n").unwrap();
    let bom = tmp.path().join("de.csv");
    std::fs::write(&bom, "Baugruppe;Komponente;Menge\n;mr;\nmr;magnet;1,5\n").unwrap();
    bin()
        .args(["import", "--from", "csv"])
        .arg(&bom)
        .arg("--columns")
        .arg(&map)
        .arg("--out")
        .arg(tmp.path().join("de"))
        .args(["-q"])
        .assert()
        .success();
    let m = load(&tmp.path().join("de")).model;
    assert_eq!(m.items["mr"].requires[0].qty, 1.5);
    std::fs::write(&map, "parnet: Baugruppe\n").unwrap();
    let a = bin()
        .args(["import", "--from", "csv"])
        .arg(&bom)
        .arg("--columns")
        .arg(&map)
        .arg("--out")
        .arg(tmp.path().join("never"))
        .assert()
        .code(2);
    let err = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains(
            ": unknown column `parnet` (did you mean `parent`?); columns are: parent, child,"
        ),
        "{err}"
    );
}

/// Bad rows of an ERP export: one problem each, at the data row (the header is
/// row 1) and field; no misleading follow-up (the child of a bad quantity still
/// has a parent); a missing column once; an unterminated quote is an error.
#[test]
fn csv_import_bad_erp_rows_give_one_problem_each_at_the_right_place() {
    let run = |args: &[&str]| {
        let a = bin()
            .args(["import", "--from", "csv"])
            .args(args)
            .args(["--out", "/nonexistent/never"])
            .assert()
            .code(2);
        String::from_utf8(a.get_output().stderr.clone()).unwrap()
    };
    let d = "tests/fixtures/interop/erp";
    // In full: each problem at its row and field, the row as the snippet
    // (with the rows around it), and a hint.
    assert_eq!(
        run(&[&format!("{d}/bad-rows.csv")]),
        format!(
            "\
{d}/bad-rows.csv:3:3: error[I007]: `Qty per` is `0,5x`, not a number; write a number such as `2`, `0.5` or `50%`
   ╭─[{d}/bad-rows.csv:3:12]
 2 │ ;DR-1;;;
 3 │ DR-1;PANEL;0,5x;;
   ·            ┬
   ·            ╰── here
 4 │ DR-1;GOS-SC-01;1;Acme;Germani
   ╰────
  help: write a number such as `2`, `0.5` or `50%` (with --decimal comma: `0,5`)

{d}/bad-rows.csv:4:5: error[I012]: `Vendor Country` is `Germani`, neither an ISO 3166-1 alpha-2 country code (e.g. CN, US) nor a known country name; did you mean germany (DE)?
   ╭─[{d}/bad-rows.csv:4:23]
 3 │ DR-1;PANEL;0,5x;;
 4 │ DR-1;GOS-SC-01;1;Acme;Germani
   ·                       ───┬───
   ·                          ╰── here
   ╰────
  help: write the two-letter code (e.g. DE for Germany) or the country's English
        or Chinese name
error: 2 error(s) in the input; nothing was written
"
        )
    );
    assert_eq!(
        located_lines(&run(&[&format!("{d}/bad-rows.csv"), "--supply", &format!("{d}/supply-no-share.csv")]))
            .lines()
            .filter(|l| l.contains("supply-no-share.csv"))
            .collect::<Vec<_>>(),
        [format!("{d}/supply-no-share.csv:1:1: error[I004]: missing column `share` (the header has: item, supplier, supplier_country); name it `share` or one of its synonyms (quota, 配额, 供货比例), or map it with --columns")]
    );
    assert_eq!(
        located_lines(&run(&[&format!("{d}/open-quote.csv")])),
        format!("{d}/open-quote.csv:3:3: error[I003]: a quoted cell is never closed: the quote opened here runs to the end of the file\n\
                 error: 1 error(s) in the input; nothing was written\n")
    );
}

/// Issue 25: the shipped graphs, exported to CycloneDX and imported back, are
/// the same graph — `chokepoint diff` finds no data change (references,
/// scenarios, figures, cites, notes and confidences included) — and every
/// component with a source carries a standard `supplier` (a named source) or
/// `manufacturer` (the country of unnamed producers).
#[test]
fn cyclonedx_round_trip_of_the_shipped_graphs_has_an_empty_diff() {
    let tmp = tempfile::tempdir().unwrap();
    let bom = tmp.path().join("bom.json");
    let back = tmp.path().join("back");
    bin()
        .args(["export", "graphs", "--format", "cyclonedx", "--out"])
        .arg(&bom)
        .assert()
        .success();
    bin()
        .args(["import", "--from", "cyclonedx", "-q"])
        .arg(&bom)
        .arg("--out")
        .arg(&back)
        .assert()
        .success();
    let a = bin()
        .args(["diff", "graphs", "--format", "json", "-q"])
        .arg(&back)
        .assert()
        .success();
    let diff: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    assert_eq!(diff["changes"], serde_json::json!([]), "{diff}");
    let model = load(&root().join("graphs")).model;
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&bom).unwrap()).unwrap();
    let components = doc["components"].as_array().unwrap();
    let mut standard = 0;
    for c in components {
        let item = &model.items[c["bom-ref"].as_str().unwrap()];
        let named = item.supply.iter().any(|e| e.supplier.is_some());
        let unnamed = item.supply.iter().any(|e| e.country.is_some());
        assert_eq!(c.get("supplier").is_some(), named, "{}", item.id);
        assert_eq!(
            c.get("manufacturer").is_some(),
            !named && unnamed,
            "{}",
            item.id
        );
        if named || unnamed {
            standard += 1;
            let org = c.get("supplier").or(c.get("manufacturer")).unwrap();
            assert!(
                iso::is_assigned(org["address"]["country"].as_str().unwrap()),
                "{}",
                item.id
            );
        }
    }
    let with_source = model
        .items
        .values()
        .filter(|i| !i.supply.is_empty())
        .count();
    assert_eq!(standard, with_source);
    // Not vacuous: most of the shipped items have sources.
    assert!(
        standard > components.len() / 2,
        "{standard} of {}",
        components.len()
    );
}

/// CycloneDX documents of the wrong shape stop the import (exit 2, nothing
/// written) instead of writing an empty or silently reduced graph.
#[test]
fn cyclonedx_import_refuses_duplicate_bom_refs_and_lists_that_are_not_arrays() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |doc: &str| {
        let path = tmp.path().join("bom.json");
        std::fs::write(&path, doc).unwrap();
        let a = bin()
            .args(["import", "--from", "cyclonedx"])
            .arg(&path)
            .arg("--out")
            .arg(tmp.path().join("never"))
            .assert()
            .code(2);
        assert!(!tmp.path().join("never").exists());
        String::from_utf8(a.get_output().stderr.clone())
            .unwrap()
            .replace(path.to_str().unwrap(), "bom.json")
    };
    let head = r#""bomFormat":"CycloneDX","specVersion":"1.6""#;
    assert_eq!(
        run(&format!(r#"{{{head},"components":"notalist"}}"#)),
        "bom.json:1:59: error[E003]: `components` must be an array, not a string
   ╭─[bom.json:1:59]
 1 │ {\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":\"notalist\"}
   ·                                                           ─────┬────
   ·                                                                ╰── here
   ╰────
  help: write the components as a list: `\"components\": [ { \"type\": \"device\",
        \"bom-ref\": \"…\" } ]`
error: 1 error(s) in the graph; nothing was written
"
    );
    let dup = run(&format!(
        "{{{head},\"components\":[\n{{\"type\":\"device\",\"bom-ref\":\"a\",\"name\":\"A\"}},{{\"type\":\"device\",\"bom-ref\":\"b\"}},\n  {{\"type\":\"device\",\"bom-ref\":\"a\",\"name\":\"Other\"}}]}}"
    ));
    assert_eq!(
        dup.lines().next().unwrap(),
        "bom.json:3:3: error[E005]: a second component with bom-ref `a` differs from the first (line 2, column 1)"
    );
    assert!(
        dup.contains("help: give it its own bom-ref, or make the two components the same"),
        "{dup}"
    );
}

/// Reads a GraphML file with networkx and igraph; prints every node's
/// attributes with their Python types, what igraph sees, and every id (graph,
/// node, edge) that is not an XML NMTOKEN by the XML 1.0 (fifth edition)
/// `NameChar` production, written here from the specification.
const READ_ANALYSIS_GRAPHML: &str = r#"
import json, re, sys
import xml.etree.ElementTree as ET
import networkx as nx
import igraph
path = sys.argv[1]
g = nx.read_graphml(path)
ig = igraph.Graph.Read_GraphML(path)
name_char = re.compile("^[:A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF"
    "\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD"
    "\U00010000-\U000EFFFF.0-9\u00B7\u0300-\u036F\u203F-\u2040-]+$")
ns = "{http://graphml.graphdrawing.org/xmlns}"
root = ET.parse(path).getroot()
ids = [e.get("id") for e in root.iter() if e.tag in (ns + "graph", ns + "node", ns + "edge")]
print(json.dumps({
    "nodes": {n: d for n, d in g.nodes(data=True)},
    "types": {n: {k: type(v).__name__ for k, v in d.items()} for n, d in g.nodes(data=True)},
    "igraph": {"vertices": ig.vcount(), "edges": ig.ecount(), "directed": ig.is_directed(),
               "attributes": sorted(ig.vs.attributes()),
               "risk_band_of_first_item": ig.vs[0]["risk_band"]},
    "not_nmtoken": [i for i in ids if not name_char.match(i)],
    "ids": len(ids),
}, ensure_ascii=False, sort_keys=True))
"#;

/// Issue 25: GraphML carries, per node, the analysis users filter by — the
/// same figures `analyze` reports — read with the right types by networkx and
/// igraph, every id an NMTOKEN, and numbers without binary noise.
#[test]
fn graphml_carries_the_analysis_that_analyze_reports() {
    if !python_with("networkx") || !python_with("igraph") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    for dir in [
        fixture("valid/full"),
        fixture("interop/roundtrip"),
        shipped(),
    ] {
        let what = dir.display().to_string();
        let path = tmp.path().join("g.graphml");
        bin()
            .args(["export", "--format", "graphml", "-q", "--out"])
            .arg(&path)
            .arg(&dir)
            .assert()
            .success();
        let xml = std::fs::read_to_string(&path).unwrap();
        assert!(
            !regex_like_noise(&xml),
            "{what}: a number with binary noise in the GraphML"
        );
        let (ok, out, err) = python(READ_ANALYSIS_GRAPHML, &[path.to_str().unwrap()], "");
        assert!(ok, "{what}: python failed: {err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["not_nmtoken"], serde_json::json!([]), "{what}");
        assert!(v["ids"].as_u64().unwrap() > 3, "{what}");
        for attr in [
            "label",
            "risk_score",
            "risk_band",
            "embodied_import_share",
            "single_point_of",
        ] {
            assert!(
                v["igraph"]["attributes"]
                    .as_array()
                    .unwrap()
                    .contains(&serde_json::json!(attr)),
                "{what}: igraph misses {attr}"
            );
        }
        assert_eq!(v["igraph"]["directed"], true);
        let a: serde_json::Value = serde_json::from_slice(
            &bin()
                .args(["analyze", "--format", "json", "--top", "0", "-q"])
                .arg(&dir)
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        let model = load(&dir).model;
        let node_of = |id: &str| {
            let key = chokepoint::interop::overlay::nmtoken(&format!("item:{id}"));
            (v["nodes"][&key].clone(), v["types"][&key].clone())
        };
        let close = |got: &serde_json::Value, want: &serde_json::Value, what: &str| match want {
            serde_json::Value::Null => assert!(got.is_null(), "{what}: {got} for null"),
            w => {
                let (g, w) = (got.as_f64().unwrap(), w.as_f64().unwrap());
                assert!((g - w).abs() < 1e-9, "{what}: {g} != {w}");
            }
        };
        let items = a["items"].as_array().unwrap();
        assert_eq!(items.len(), model.items.len(), "{what}");
        for item in items {
            let id = item["id"].as_str().unwrap();
            let (node, types) = node_of(id);
            let w = format!("{what}: {id}");
            close(
                &node["risk_score"],
                &item["risk"]["score"],
                &format!("{w} risk"),
            );
            close(
                &node["risk_low"],
                &item["risk"]["low"],
                &format!("{w} risk low"),
            );
            close(
                &node["risk_high"],
                &item["risk"]["high"],
                &format!("{w} risk high"),
            );
            assert_eq!(node["risk_band"], item["risk"]["band"], "{w}");
            close(
                &node["direct_import_share"],
                &item["direct_import_share"],
                &format!("{w} DI"),
            );
            close(
                &node["embodied_import_share"],
                &item["embodied_import_share"],
                &format!("{w} EID"),
            );
            close(
                &node["hhi_supplier"],
                &item["hhi_supplier"],
                &format!("{w} HHI"),
            );
            close(
                &node["hhi_country"],
                &item["hhi_country"],
                &format!("{w} HHI c"),
            );
            assert_eq!(node["foreign_dependent"], item["foreign_dependent"], "{w}");
            assert_eq!(types["risk_score"], "float", "{w}");
            assert_eq!(types["foreign_dependent"], "bool", "{w}");
            assert_eq!(types["label"], "str", "{w}");
        }
        // Single points of failure by supplier and by country: a supplier's or
        // country's node lists exactly the systems it alone stops.
        let g = chokepoint::graph::SupplyGraph::new(&model);
        for by in [
            chokepoint::analysis::EventKind::Supplier,
            chokepoint::analysis::EventKind::Country,
        ] {
            let mut want: std::collections::BTreeMap<String, Vec<String>> = Default::default();
            for &s in g.systems() {
                for cut in chokepoint::analysis::minimal_cut_sets(&g, s, by, 2, Case::Mid).unwrap()
                {
                    if cut.order() == 1 {
                        let e = &cut.events[0];
                        if e.id(&g).starts_with("unnamed:") {
                            continue;
                        }
                        let prefix = match by {
                            chokepoint::analysis::EventKind::Supplier => "supplier",
                            chokepoint::analysis::EventKind::Country => "country",
                            chokepoint::analysis::EventKind::Parent => "parent",
                        };
                        want.entry(format!("{prefix}:{}", e.id(&g)))
                            .or_default()
                            .push(g.item(s).id.to_string());
                    }
                }
            }
            let prefix = match by {
                chokepoint::analysis::EventKind::Supplier => "supplier:",
                chokepoint::analysis::EventKind::Country => "country:",
                chokepoint::analysis::EventKind::Parent => "parent:",
            };
            let got: std::collections::BTreeMap<String, Vec<String>> = v["nodes"]
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, _)| k.starts_with(prefix))
                .filter_map(|(k, n)| {
                    let list = n["single_point_of"].as_str().unwrap_or_default();
                    (!list.is_empty())
                        .then(|| (k.clone(), list.split(';').map(String::from).collect()))
                })
                .collect();
            // Node keys are NMTOKENs; the ids here have no character to escape.
            assert_eq!(got, want, "{what}: {prefix}");
        }
    }
}

/// True when a number in `text` has 15 or more digits after the point, the
/// mark of binary noise such as `0.7749999999999999`.
fn regex_like_noise(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut run = 0;
    let mut after_point = false;
    for (k, &b) in bytes.iter().enumerate() {
        if b == b'.' && k > 0 && bytes[k - 1].is_ascii_digit() {
            after_point = true;
            run = 0;
        } else if b.is_ascii_digit() && after_point {
            run += 1;
            if run >= 15 {
                return true;
            }
        } else {
            after_point = false;
        }
    }
    false
}

/// Issue 25: `--excel` starts every CSV with the UTF-8 byte-order mark (Excel
/// on Windows then reads Chinese names correctly); without it there is none;
/// the marked tables still import back to the same graph.
#[test]
fn excel_csv_starts_with_a_byte_order_mark_and_still_imports() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fixture("valid/full");
    let marked = tmp.path().join("marked");
    bin()
        .args(["export", "--format", "csv", "--excel", "-q", "--out"])
        .arg(&marked)
        .arg(&dir)
        .assert()
        .success();
    let items = std::fs::read(marked.join("items.csv")).unwrap();
    assert!(
        items.starts_with("\u{FEFF}id,".as_bytes()),
        "{:?}",
        &items[..8]
    );
    assert!(String::from_utf8(items).unwrap().contains("64排CT"));
    for f in std::fs::read_dir(&marked).unwrap() {
        let f = f.unwrap().path();
        assert!(
            std::fs::read(&f).unwrap().starts_with(b"\xEF\xBB\xBF"),
            "{}",
            f.display()
        );
    }
    let analyze = bin()
        .args(["--excel", "analyze", "--format", "csv", "-q"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(analyze.stdout.starts_with(b"\xEF\xBB\xBF"));
    let plain = bin()
        .args(["analyze", "--format", "csv", "-q"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(&analyze.stdout[3..], &plain.stdout[..]);
    assert!(!plain.stdout.starts_with(b"\xEF\xBB\xBF"));
    // The marked tables import to exactly what the unmarked ones give.
    let unmarked = tmp.path().join("unmarked");
    bin()
        .args(["export", "--format", "csv", "-q", "--out"])
        .arg(&unmarked)
        .arg(&dir)
        .assert()
        .success();
    let import = |from: &Path, to: &str| {
        let out = tmp.path().join(to);
        bin()
            .args(["import", "--from", "csv", "-q", "--out"])
            .arg(&out)
            .arg(from)
            .assert()
            .success();
        std::fs::read_to_string(out.join("graph.yaml")).unwrap()
    };
    let (a, b) = (import(&marked, "a"), import(&unmarked, "b"));
    assert!(a.contains("64排CT"));
    assert_eq!(a, b);
}

/// Neo4j's admin-import header grammar, from its documentation ("CSV header
/// format", Neo4j 5 Operations Manual): a field is `name`, `name:type`,
/// `name:type[]`, or a special `:ID`, `name:ID`, `:ID(group)`, `:LABEL`,
/// `:START_ID(group)`, `:END_ID(group)`, `:TYPE`, `:IGNORE`. Returns the
/// special field kinds of a valid header, or the first bad field.
fn neo4j_header_kinds(header: &str) -> Result<Vec<&str>, String> {
    const TYPES: [&str; 16] = [
        "int",
        "long",
        "float",
        "double",
        "boolean",
        "byte",
        "short",
        "char",
        "string",
        "point",
        "date",
        "localtime",
        "time",
        "localdatetime",
        "datetime",
        "duration",
    ];
    let mut specials = Vec::new();
    for field in header.split(',') {
        let (name, ty) = match field.split_once(':') {
            None => (field, None),
            Some((n, t)) => (n, Some(t)),
        };
        if name.contains(['(', ')', '[', ']']) {
            return Err(field.to_string());
        }
        let Some(ty) = ty else {
            if name.is_empty() {
                return Err(field.to_string());
            }
            continue;
        };
        let (base, group) = match ty.split_once('(') {
            Some((b, g)) if g.ends_with(')') && g.len() > 1 => (b, Some(&g[..g.len() - 1])),
            Some(_) => return Err(field.to_string()),
            None => (ty, None),
        };
        match base {
            "ID" | "START_ID" | "END_ID" => specials.push(base),
            "LABEL" | "TYPE" | "IGNORE" if group.is_none() && name.is_empty() => {
                specials.push(base)
            }
            t if group.is_none()
                && !name.is_empty()
                && TYPES.contains(&t.strip_suffix("[]").unwrap_or(t)) => {}
            _ => return Err(field.to_string()),
        }
    }
    Ok(specials)
}

/// Issue 25: the Neo4j export follows the header grammar (node files one
/// `:ID`, relationship files `:START_ID`, `:END_ID` and `:TYPE`), and loads
/// into a Cypher-speaking embedded graph database (LadybugDB, the maintained
/// fork of Kùzu; Neo4j itself cannot be installed here), where one query —
/// each system's single points of failure by country — gives what `analyze
/// --by country` gives.
#[test]
fn neo4j_export_loads_into_a_cypher_database_and_agrees_with_analyze() {
    if !python_with("real_ladybug") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut some_spof = false;
    for dir in [fixture("valid/full"), shipped()] {
        let what = dir.display().to_string();
        let out = tmp.path().join(dir.file_name().unwrap());
        bin()
            .args(["export", "--format", "neo4j-csv", "-q", "--out"])
            .arg(&out)
            .arg(&dir)
            .assert()
            .success();
        for f in std::fs::read_dir(&out).unwrap() {
            let f = f.unwrap().path();
            if f.extension().is_some_and(|e| e == "csv") {
                let text = std::fs::read_to_string(&f).unwrap();
                let kinds = neo4j_header_kinds(text.lines().next().unwrap())
                    .unwrap_or_else(|bad| panic!("{}: bad header field {bad}", f.display()));
                let count = |k: &str| kinds.iter().filter(|x| **x == k).count();
                if kinds.contains(&"START_ID") {
                    assert_eq!(
                        (count("START_ID"), count("END_ID"), count("TYPE")),
                        (1, 1, 1),
                        "{}",
                        f.display()
                    );
                } else {
                    assert_eq!(count("ID"), 1, "{}", f.display());
                }
            }
        }
        let a: serde_json::Value = serde_json::from_slice(
            &bin()
                .args([
                    "analyze", "--format", "json", "--by", "country", "--top", "0", "-q",
                ])
                .arg(&dir)
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        let mut want = serde_json::Map::new();
        let mut systems = Vec::new();
        for s in a["systems"].as_array().unwrap() {
            let id = s["id"].as_str().unwrap().to_string();
            let mut spof: Vec<String> = s["single_points_of_failure"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["events"][0].as_str().unwrap().to_string())
                .collect();
            spof.sort();
            want.insert(id.clone(), serde_json::json!(spof));
            systems.push(id);
        }
        let script = root().join("tests/graphdb/load_neo4j_csv.py");
        let mut args = vec![out.to_str().unwrap()];
        args.extend(systems.iter().map(String::as_str));
        let (ok, stdout, err) = python(
            &format!("exec(open({:?}).read())", script.to_str().unwrap()),
            &args,
            "",
        );
        assert!(ok, "{what}: {err}");
        let mut got: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&stdout).unwrap();
        let requires = got.remove("_requires_edges").unwrap();
        assert!(requires.as_u64().unwrap() > 0, "{what}");
        assert_eq!(got, want, "{what}");
        some_spof |= want.values().any(|v| !v.as_array().unwrap().is_empty());
    }
    assert!(
        some_spof,
        "no system has a single point of failure by country: the check is empty"
    );
}
