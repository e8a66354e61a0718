//! Tests for `render` (being built).
