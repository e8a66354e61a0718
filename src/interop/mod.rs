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
//! CSV row becomes a [`Problem`] with file, row and column, and every CycloneDX field
//! that has no place in the model is listed as [`Unmapped`].

pub mod compare;
pub mod csv_import;
pub mod cyclonedx;
pub mod export;
pub mod overlay;
pub mod yaml_out;

use serde::Serialize;
use std::fmt;

/// One problem in an imported file, located by row (the 1-based line where the
/// record starts; the header is row 1) and column (the 1-based field number).
/// Row 0 means the whole file; column 0 the whole row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Stable code: I001… (see docs/interop.md). Never renumbered.
    pub code: &'static str,
    /// Warnings are printed and do not stop the import.
    pub warning: bool,
    pub file: String,
    pub row: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = if self.warning { "warning" } else { "error" };
        match (self.row, self.column) {
            (0, _) => write!(f, "{}: {level}[{}]: {}", self.file, self.code, self.message),
            (r, 0) => write!(
                f,
                "{}:{r}: {level}[{}]: {}",
                self.file, self.code, self.message
            ),
            (r, c) => write!(
                f,
                "{}:{r}:{c}: {level}[{}]: {}",
                self.file, self.code, self.message
            ),
        }
    }
}

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
