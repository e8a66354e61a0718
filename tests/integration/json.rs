//! `output::json` on real analyses: the writer that `analyze --format json` and
//! the report's analysis.json use (its long `items` list serialized in
//! parallel) gives serde_json's pretty bytes exactly, on the shipped graphs and
//! on a generated one. Random values are checked in the module's own tests.

use crate::support::{load, shipped};
use chokepoint::analysis::importance::{importance, WithImportance};
use chokepoint::analysis::{analyze, Analysis, AnalyzeOptions, EventKind};
use chokepoint::graph::SupplyGraph;
use chokepoint::load::Loaded;
use chokepoint::output::json::Document;
use chokepoint::synth::{generate, SynthParams};

/// The option sets compared: the defaults, by country at order 1 (the command
/// of the speed measurements) and everything listed with centrality.
fn option_sets() -> Vec<AnalyzeOptions> {
    vec![
        AnalyzeOptions::default(),
        AnalyzeOptions {
            by: EventKind::Country,
            order: 1,
            ..Default::default()
        },
        AnalyzeOptions {
            order: 3,
            top: 0,
            centrality: true,
            ..Default::default()
        },
    ]
}

fn assert_same_as_serde_json(l: &Loaded, what: &str) {
    let g = SupplyGraph::new(&l.model);
    for opts in option_sets() {
        let a: Analysis = analyze(&g, &opts).expect("analysis within limits");
        assert!(!a.items.is_empty(), "{what}: no items");
        let written = Document::with_list(&a, "items", &a.items)
            .to_string()
            .unwrap();
        let expected = serde_json::to_string_pretty(&a).unwrap();
        assert!(written == expected, "{what} {opts:?}: the bytes differ");
        assert_eq!(Document::new(&a).to_string().unwrap(), expected, "{what}");

        // By country at order 1: by supplier, a generated graph's diagram is
        // beyond the work limit; any report will do as the last member.
        let imp = importance(&g, EventKind::Country, 1, opts.case, g.systems(), 365.0)
            .expect("importance within limits");
        let with = WithImportance {
            analysis: &a,
            importance: &imp,
        };
        let written = Document::with_list(&with, "items", &a.items)
            .to_string()
            .unwrap();
        let expected = serde_json::to_string_pretty(&with).unwrap();
        assert!(
            written == expected,
            "{what} {opts:?} with importance: the bytes differ"
        );
    }
}

#[test]
fn the_json_writer_matches_serde_json_on_the_shipped_graphs() {
    assert_same_as_serde_json(&load(&shipped()), "graphs/");
}

/// The files of `chokepoint generate --items ITEMS --suppliers 100
/// --countries 12 --depth 5 --seed 3`.
fn generated(items: usize) -> Vec<(String, String)> {
    generate(&SynthParams {
        items,
        suppliers: 100,
        countries: 12,
        depth: 5,
        seed: 3,
        ..Default::default()
    })
}

#[test]
fn the_json_writer_matches_serde_json_on_a_generated_graph() {
    let loaded = chokepoint::load::load_sources(
        generated(2000)
            .into_iter()
            .map(|(path, text)| (path.into(), text))
            .collect(),
    )
    .unwrap_or_else(|e| panic!("the generated graph loads: {}", e.render(false)));
    assert_same_as_serde_json(&loaded, "a generated graph of 2000 items");
}

/// [`generated`] written as files under a new temporary directory.
pub(crate) fn generated_dir(items: usize) -> tempfile::TempDir {
    let dir = crate::robustness::tempdir();
    for (name, text) in generated(items) {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

/// Larger than the chunks the command's writer keeps in circulation (three
/// of 1 MiB), so that the serializer waits for chunks to come back.
pub(crate) const SEVERAL_CHUNKS: usize = 5000;

#[test]
fn analyze_writes_a_document_of_several_chunks_with_serde_jsons_bytes() {
    let dir = generated_dir(SEVERAL_CHUNKS);
    let out = dir.path().join("analysis.json");
    crate::support::bin()
        .args(["analyze", "-q", "--by", "country", "--order", "1"])
        .args(["--format", "json", "--out"])
        .arg(&out)
        .arg(dir.path())
        .assert()
        .success();
    let written = std::fs::read(&out).unwrap();
    assert!(written.len() > 3 << 20, "{} bytes", written.len());

    let loaded = load(dir.path());
    let g = SupplyGraph::new(&loaded.model);
    let a = analyze(
        &g,
        &AnalyzeOptions {
            by: EventKind::Country,
            order: 1,
            ..Default::default()
        },
    )
    .unwrap();
    let expected = serde_json::to_string_pretty(&a).unwrap() + "\n";
    assert!(written == expected.as_bytes(), "the bytes differ");
}
