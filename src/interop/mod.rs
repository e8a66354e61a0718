//! Interop: other formats in and out of the supply graph.
//!
//! Owns: CSV import ([`csv_import`]: a flat BOM and a supply table, or a directory
//! of exported tables), CycloneDX 1.5/1.6 import and 1.6 export ([`cyclonedx`]),
//! the exports of [`export`] (JSON, CSV tables, GraphML, Neo4j admin-import CSV),
//! model → graph YAML ([`yaml_out`]) and the round-trip equality ([`compare`]).
//! docs/interop.md documents every mapping and every decision.
//!
//! Never: reads graph YAML itself (that is `load`), writes a file other than through
//! `output::write_atomic`, panics on bad input, or drops input silently — every bad
//! CSV row becomes a `load::Diagnostic` located by file, row and column (a
//! workbook's by cell), and every CycloneDX field that has no place in the
//! model is listed as [`Unmapped`].

pub mod compare;
pub mod csv_import;
pub mod cyclonedx;
pub mod export;
pub mod overlay;
pub mod yaml_out;

use serde::Serialize;
use std::fmt;

/// Something in an imported document that has no place in the model: listed on
/// stderr and in the `unmapped.json` report, never dropped silently.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Unmapped {
    /// JSON Pointer (RFC 6901) to the element in the input document.
    pub pointer: String,
    /// Why it was not mapped.
    pub reason: String,
}

impl fmt::Display for Unmapped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.reason)
    }
}
