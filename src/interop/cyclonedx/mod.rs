//! CycloneDX: 1.6 JSON export and 1.5/1.6 JSON import of hardware BOMs.
//!
//! Owns: the mapping between the model and CycloneDX documented in docs/interop.md
//! — items are components (`device`, or `application` for software) keyed by
//! `bom-ref` = item id, requirements are `dependencies` plus `chokepoint:`
//! properties for what CycloneDX has no field for (kinds, shares, quantities, cost
//! shares, alternates, site countries, the supplier and country registries).
//! Import also reads plain CycloneDX: nested `components` and `dependencies` become
//! requirements, `supplier` (else `manufacturer`) becomes a supply edge. It maps
//! the text one component and one dependency at a time, and parses the document
//! whole only for what that cannot settle (and for the error it reports).
//! Never: drops input silently — every element without a place in the model is
//! returned as [`Unmapped`](super::Unmapped) with its JSON Pointer; never fails on a well-formed
//! CycloneDX document (only on invalid JSON, a non-CycloneDX document or an
//! unsupported version).
//!
//! Layout: `export` writes documents; `import` maps them
//! (both paths, one mapping); `text` finds the spans of members and elements in
//! text serde_json has accepted, for the import's part-by-part path.

mod export;
mod import;


pub use export::export;
pub use import::{import, CdxError, CdxImported};

/// The property namespace of this project.
pub const NS: &str = "chokepoint:";
/// Spec versions the importer reads.
pub const IMPORT_VERSIONS: [&str; 2] = ["1.5", "1.6"];
