//! `chokepoint generate` (issue 10): deterministic by seed, valid under `check`,
//! and shaped by `--items`, `--depth` and `--items-per-file`. No timings here:
//! performance is measured by scripts/bench and the criterion benchmarks.

use crate::support::{bin, json_ok};
use std::collections::BTreeMap;
use std::path::Path;

/// Runs `generate` into `out` with the given flags.
fn generate(out: &Path, flags: &[&str]) {
    let mut args = vec!["generate", "--out", out.to_str().expect("utf-8 temp path")];
    args.extend_from_slice(flags);
    bin().args(&args).assert().success();
}

/// Every file of a directory, by name, with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .expect("output directory exists")
        .map(|e| {
            let e = e.expect("directory entry");
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("readable file"),
            )
        })
        .collect()
}

/// `check --format json` of a directory: exit status 0 required.
fn check_json(dir: &Path) -> serde_json::Value {
    let out = bin()
        .args(["check", "-q", "--format", "json"])
        .arg(dir)
        .output()
        .expect("check runs");
    json_ok(out)
}

fn kinds(summary: &serde_json::Value) -> Vec<(String, u64)> {
    summary["items_by_kind"]
        .as_object()
        .expect("items_by_kind is an object")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().expect("a count")))
        .collect()
}

fn counts(pairs: &[(&str, u64)]) -> Vec<(String, u64)> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

#[test]
fn generate_is_deterministic_by_seed() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    let flags = [
        "--items",
        "3000",
        "--suppliers",
        "150",
        "--items-per-file",
        "1000",
    ];
    generate(&a, &[&flags[..], &["--seed", "7"]].concat());
    generate(&b, &[&flags[..], &["--seed", "7"]].concat());
    generate(&c, &[&flags[..], &["--seed", "8"]].concat());
    let (fa, fb, fc) = (files(&a), files(&b), files(&c));
    // meta.yaml plus 3,000 items at 1,000 per file.
    assert!(
        [
            "meta.yaml",
            "items-0001.yaml",
            "items-0002.yaml",
            "items-0003.yaml"
        ]
        .iter()
        .all(|n| fa.contains_key(*n)),
        "files written: {:?}",
        fa.keys().collect::<Vec<_>>()
    );
    assert_eq!(
        fa, fb,
        "same parameters and seed must give byte-identical files"
    );
    assert_ne!(fa, fc, "another seed must give another graph");
    // Only the item files change with the seed's draws; the tier sizes do not.
    assert_eq!(kinds(&check_json(&a)), kinds(&check_json(&c)));
}

#[test]
fn generated_graph_is_valid_and_sized_by_items_and_depth() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("g");
    generate(
        &dir,
        &[
            "--items",
            "1000",
            "--depth",
            "5",
            "--suppliers",
            "100",
            "--seed",
            "1",
        ],
    );
    let summary = check_json(&dir);
    // One system per 1,000 items; the other 999 spread over tiers 1..4 with
    // weights 2, 4, 8, 16 (sum 30): floor(999·2/30) = 66, floor(999·4/30) = 133,
    // floor(999·8/30) = 266, and the last tier takes the rest, 999 − 465 = 534.
    assert_eq!(
        kinds(&summary),
        counts(&[
            ("system", 1),
            ("subsystem", 66),
            ("part", 133),
            ("component", 266),
            ("material", 534),
            ("software", 0),
        ])
    );
    assert_eq!(summary["items"], 1000);
    assert_eq!(summary["suppliers"], 100);
    // Three country embargoes and one supplier loss.
    assert_eq!(summary["scenarios"], 4);

    let shallow = tmp.path().join("shallow");
    generate(
        &shallow,
        &[
            "--items",
            "200",
            "--depth",
            "3",
            "--suppliers",
            "10",
            "--seed",
            "3",
        ],
    );
    let summary = check_json(&shallow);
    // 1 system; 199 over tiers 1..2 with weights 2, 4: floor(199·2/6) = 66, and
    // 199 − 66 = 133 materials (the last tier).
    assert_eq!(
        kinds(&summary),
        counts(&[
            ("system", 1),
            ("subsystem", 66),
            ("part", 0),
            ("component", 0),
            ("material", 133),
            ("software", 0),
        ])
    );
}

#[test]
fn generate_refuses_impossible_shapes() {
    let tmp = tempfile::tempdir().expect("temp dir");
    for flags in [
        ["--items", "3", "--depth", "5"],
        ["--items", "10", "--depth", "1"],
    ] {
        bin()
            .args(["generate", "--out"])
            .arg(tmp.path().join("x"))
            .args(flags)
            .assert()
            .code(2);
    }
}
