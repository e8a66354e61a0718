//! Fuzz target: the CycloneDX importer (`interop::cyclonedx::import`).
//!
//! Oracles: never panics; the import (which maps the text part by part) gives
//! exactly what the whole-document parse gives — the same model and unmapped
//! list, or the same error; an accepted document becomes graph YAML
//! (`interop::yaml_out`) in which the loader finds no syntax, unknown-key,
//! wrong-type or duplicate-key error (those would be the YAML writer's fault).
//! Inputs that are not JSON objects mostly stop at serde_json, so the seed corpus
//! (fuzz/seeds/import_cyclonedx) holds real BOMs for the mutator to start from.
#![no_main]

use chokepoint::interop::csv_import::MetaOverrides;
use chokepoint::interop::cyclonedx::{import, import_by_full_parse};
use chokepoint::interop::yaml_out::to_yaml;
use chokepoint::load::{load_sources, Code};
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;

fuzz_target!(|data: &[u8]| {
    let imported = import(data, &MetaOverrides::default());
    let reference = import_by_full_parse(data, &MetaOverrides::default());
    assert_eq!(
        format!("{imported:?}"),
        format!("{reference:?}"),
        "the part-by-part import differs from the whole-document parse"
    );
    let Ok(imported) = imported else {
        return;
    };
    let yaml = to_yaml(&imported.model);
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
