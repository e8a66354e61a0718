//! Tests for `analysis` (being built).
