//! Tests for `scenario` (being built).
