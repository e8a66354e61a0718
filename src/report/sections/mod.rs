//! The report's sections, one module each, in the order they appear; each
//! pushes its blocks through [`Ctx`]. Shared formatting lives in `shared`.
//! Never: computes a metric (numbers come from `ReportData`).

pub mod appendix;
pub mod figures;
pub mod glossary;
pub mod items;
pub mod method;
pub mod national;
pub mod overview;
pub mod risk;
pub mod scenarios;
pub mod shared;
pub mod sources;
pub mod systems;
pub mod uncertainty;

use super::data::ReportData;
use super::diagrams::Diagram;
use super::labels::Labels;
use crate::analysis::{Analysis, ItemMetrics};
use crate::graph::SupplyGraph;
use crate::model::{Lang, Model};
use std::collections::BTreeMap;

/// What every section reads.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub g: &'a SupplyGraph<'a>,
    pub model: &'a Model,
    pub a: &'a Analysis,
    pub lang: Lang,
    pub l: &'a Labels,
    pub data: &'a ReportData<'a>,
    pub diagrams: &'a [Diagram],
    pub metrics_by_id: &'a BTreeMap<&'a str, &'a ItemMetrics>,
}
