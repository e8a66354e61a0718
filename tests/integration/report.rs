//! Tests for `report` (being built).
