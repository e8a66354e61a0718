//! Tests for `data` (being built).
