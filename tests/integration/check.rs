//! `load` and `check`: the input contract of spec §2.
