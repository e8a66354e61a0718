//! Fuzz target: the YAML loader (`load::load_sources`) on arbitrary text.
//!
//! Oracle: never panics; a refused graph has only located diagnostics (a
//! file:line:column, or a path for problems with no place in a file) that render
//! without panicking; an accepted graph can be built into a `SupplyGraph` and
//! analysed (the loader's promise that later stages may trust its invariants).
//! Two NUL bytes split the input into two files, so cross-file rules run too.
#![no_main]

use chokepoint::analysis::{analyze, AnalyzeOptions};
use chokepoint::graph::SupplyGraph;
use chokepoint::load::load_sources;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let files: Vec<(PathBuf, String)> = match text.split_once("\0\0") {
        Some((a, b)) => vec![
            (PathBuf::from("a.yaml"), a.to_string()),
            (PathBuf::from("b.yaml"), b.to_string()),
        ],
        None => vec![(PathBuf::from("graph.yaml"), text)],
    };
    match load_sources(files) {
        Ok(loaded) => {
            let graph = SupplyGraph::new(&loaded.model);
            let _ = analyze(&graph, &AnalyzeOptions::default());
        }
        Err(err) => {
            assert!(err.errors().count() > 0, "refused without an error");
            for d in &err.diagnostics {
                assert!(
                    d.loc.is_some() || d.path.is_some(),
                    "unlocated diagnostic {d:?}"
                );
            }
            let _ = err.render(false);
        }
    }
});
