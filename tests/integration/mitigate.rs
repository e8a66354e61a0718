//! Tests for `mitigate` (being built).
