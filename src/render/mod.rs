//! Diagrams (spec §5): DOT through graphviz-rust, SVG/PNG.
