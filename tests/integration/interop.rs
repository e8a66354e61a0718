//! Tests for `interop` (being built).
