//! Scenarios (spec §3.6, §3.7, §3.9): day-by-day exposure, tariffs, sweeps.
