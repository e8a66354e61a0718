//! chokepoint: the bill of materials of medical imaging equipment as a supply
//! graph annotated with import dependence and risk.
//!
//! Data flows one way: [`load`] (YAML → validated [`model::Model`]) → [`graph`]
//! (the model on petgraph, behind this crate's own index types) → `analysis` →
//! `scenario` → `render` / `report` / `interop` (the only writers). See
//! ARCHITECTURE.md for the map and the invariants.
//!
//! The command line is not part of the library: it lives in the binary
//! (`src/cli/`, compiled by `src/main.rs`) and only parses flags, calls the
//! functions exported here, and prints through [`output`] and the renderers
//! beside each result type (`scenario::render`, `mitigate`, `diff`).

pub mod analysis;
pub mod diff;
pub mod graph;
pub mod interop;
pub mod load;
pub mod mitigate;
pub mod model;
pub mod output;
pub mod render;
pub mod report;
pub mod scenario;
pub mod synth;
pub mod uncertainty;
