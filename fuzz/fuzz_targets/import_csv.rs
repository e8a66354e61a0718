//! Fuzz target: the CSV importer (`interop::csv_import::import`).
//!
//! The input is split at the first NUL byte into a BOM table and a supply table.
//! Oracle: never panics; a refused import has an error and every diagnostic is
//! located in one of the two files (`file:line:column`, or the file itself); an
//! accepted import becomes graph YAML (`interop::yaml_out`) that is well-formed:
//! the loader finds no syntax, unknown-key, wrong-type or duplicate-key error in
//! it (those would be the YAML writer's fault, not the input's).
#![no_main]

use chokepoint::interop::csv_import::{import, Columns, CsvFile, CsvInput, MetaOverrides};
use chokepoint::interop::yaml_out::to_yaml;
use chokepoint::load::{load_sources, Code};
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;

fuzz_target!(|data: &[u8]| {
    let (bom, supply) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let input = CsvInput {
        bom: Some(CsvFile::new("bom.csv", bom)),
        supply: supply.map(|s| CsvFile::new("supply.csv", s)),
        ..CsvInput::default()
    };
    match import(&input, &Columns::default(), &MetaOverrides::default()) {
        Ok(loaded) => {
            let yaml = to_yaml(&loaded.model);
            if let Err(e) = load_sources(vec![(PathBuf::from("graph.yaml"), yaml.clone())]) {
                for d in e.errors() {
                    assert!(
                        !matches!(
                            d.code,
                            Code::YamlSyntax
                                | Code::UnknownKey
                                | Code::WrongType
                                | Code::DuplicateKey
                        ),
                        "the YAML writer produced {}: {}\n{yaml}",
                        d.code,
                        d.message
                    );
                }
            }
        }
        Err(refused) => {
            assert!(
                refused.errors().next().is_some(),
                "refused without an error"
            );
            for d in &refused.diagnostics {
                let file = match (d.loc, &d.path) {
                    (Some(loc), _) => refused
                        .files
                        .get(loc.file as usize)
                        .map(|f| f.path.display().to_string())
                        .unwrap_or_else(|| panic!("{d:?} names no file of the input")),
                    (None, Some(path)) => path.clone(),
                    (None, None) => panic!("{d:?} has no place"),
                };
                assert!(
                    file.starts_with("bom.csv") || file.starts_with("supply.csv"),
                    "problem outside the input files: {file}: {d}"
                );
            }
        }
    }
});
