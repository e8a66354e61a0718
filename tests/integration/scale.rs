//! Tests for `scale` (being built).
