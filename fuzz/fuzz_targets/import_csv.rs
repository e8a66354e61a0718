//! Fuzz target: the CSV importer (`interop::csv_import::import`).
//!
//! The input is split at the first NUL byte into a BOM table and a supply table.
//! Oracle: never panics; every problem is located in one of the two files; an
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
        Ok(imported) => {
            let yaml = to_yaml(&imported.model);
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
        Err(problems) => {
            assert!(!problems.is_empty(), "refused without a problem");
            for p in &problems {
                assert!(
                    p.file == "bom.csv" || p.file == "supply.csv",
                    "problem outside the input files: {p}"
                );
            }
        }
    }
});
