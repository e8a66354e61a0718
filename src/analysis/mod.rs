//! Analysis (spec §3.1–3.5, §3.8): pure, deterministic metrics of a SupplyGraph.
