//! Interop: CSV and CycloneDX import; JSON, CSV, GraphML, CycloneDX, Neo4j export.
