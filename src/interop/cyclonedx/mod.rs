//! CycloneDX: 1.6 JSON export and 1.5/1.6 JSON import of hardware BOMs.
//!
//! Owns: the mapping between the model and CycloneDX documented in docs/interop.md
//! — items are components (`device`, or `application` for software) keyed by
//! `bom-ref` = item id, requirements are `dependencies`, sources the standard
//! `supplier`/`manufacturer`, plus `chokepoint:` properties for what CycloneDX has
//! no field for, and each entity's whole graph-format entry (`chokepoint:entry*`),
//! which makes the round trip exact. Import also reads plain CycloneDX: nested
//! `components` and `dependencies` become requirements, `supplier` (else
//! `manufacturer`) a supply edge, `address.country` its country.
//! The import reads the text once, one component and one dependency at a time
//! (serde seeds), and produces a `load` draft located in the JSON.
//! Never: validates what it maps (that is `load::validate`, through
//! [`CdxImported::load`]); drops input silently — every element without a place
//! in the model is returned as [`Unmapped`](super::Unmapped) with its JSON Pointer.
//!
//! Layout: `export` writes documents; `import` reads them.

mod export;
mod import;

pub use export::export;
pub use import::{import, CdxError, CdxImported};

/// The property namespace of this project.
pub const NS: &str = "chokepoint:";
/// Spec versions the importer reads.
pub const IMPORT_VERSIONS: [&str; 2] = ["1.5", "1.6"];
