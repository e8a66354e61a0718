//! Tests for `robustness` (being built).
