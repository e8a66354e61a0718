//! The one integration-test binary: drives the real `chokepoint` executable and
//! the library on fixtures under tests/fixtures and on the shipped graphs/.

mod support;

mod analysis;
mod check;
mod codes;
mod common_causes;
mod data;
mod engine;
mod erp;
mod firstrun;
mod golden;
mod hardening;
mod importance;
mod interop;
mod json;
mod mcs;
mod mitigate;
mod render;
mod report;
mod robustness;
mod scale;
mod scenario;
mod semantics;
mod uncertainty;
