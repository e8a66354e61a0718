//! Fuzz target: the CycloneDX importer (`interop::cyclonedx::import`) and the
//! validation of what it maps (`CdxImported::load`).
//!
//! Oracles: never panics, on the import or on validation; every diagnostic is
//! located inside the document (a line and column of its text); an accepted
//! document becomes graph YAML (`interop::yaml_out`) that the loader reads
//! without a syntax, unknown-key, wrong-type or duplicate-key error (those
//! would be the YAML writer's fault). Inputs that are not JSON objects mostly
//! stop at serde_json, so the seed corpus (fuzz/seeds/import_cyclonedx) holds
//! real BOMs for the mutator to start from.
#![no_main]

use chokepoint::interop::csv_import::MetaOverrides;
use chokepoint::interop::cyclonedx::import;
use chokepoint::interop::yaml_out::to_yaml;
use chokepoint::load::{load_sources, Code, Diagnostic};
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;

fn assert_located(diagnostics: &[Diagnostic], text: &str) {
    for d in diagnostics {
        let loc = d.loc.expect("every CycloneDX diagnostic has a place");
        assert!(loc.line >= 1 && loc.column >= 1, "{d:?}");
        assert!(loc.offset as usize <= text.len(), "{d:?} beyond the text");
    }
}

fuzz_target!(|data: &[u8]| {
    let imported = match import(data, &MetaOverrides::default()) {
        Ok(imported) => imported,
        Err(e) => {
            assert!(!e.diagnostics.is_empty());
            assert_located(&e.diagnostics, &e.text);
            return;
        }
    };
    let text = imported.text.clone();
    let loaded = match imported.load("bom.json") {
        Ok(loaded) => loaded,
        Err(e) => {
            assert_located(&e.diagnostics, &text);
            return;
        }
    };
    let yaml = to_yaml(&loaded.model);
    if let Err(e) = load_sources(vec![(PathBuf::from("graph.yaml"), yaml.clone())]) {
        for d in e.errors() {
            assert!(
                !matches!(
                    d.code,
                    Code::YamlSyntax | Code::UnknownKey | Code::WrongType | Code::DuplicateKey
                ),
                "the YAML writer produced {}: {}\n{yaml}",
                d.code,
                d.message
            );
        }
    }
});
