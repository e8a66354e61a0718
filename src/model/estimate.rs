//! The Estimate type of spec §2: a sourced number that may be a range.

use super::ids::ReferenceId;
use serde::Serialize;

/// Which value of every estimate an analysis uses (spec §2, "case").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Case {
    Low,
    #[default]
    Mid,
    High,
}

impl Case {
    pub const ALL: [Case; 3] = [Case::Low, Case::Mid, Case::High];
    pub fn as_str(self) -> &'static str {
        match self {
            Case::Low => "low",
            Case::Mid => "mid",
            Case::High => "high",
        }
    }
}

/// How much the source is trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    High,
    Medium,
    Low,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        }
    }
}

/// A number from a source: a bare value, or `value` and/or `low`+`high`.
///
/// Invariant (checked by the loader): `value.is_some() || (low.is_some() && high.is_some())`,
/// and `low <= high` when both are present.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Estimate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub low: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub high: Option<f64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cite: Vec<ReferenceId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Estimate {
    /// A bare number without source information.
    pub fn exact(value: f64) -> Self {
        Estimate {
            value: Some(value),
            low: None,
            high: None,
            cite: Vec::new(),
            confidence: None,
            note: None,
        }
    }

    /// A `low`–`high` range without a central value.
    pub fn range(low: f64, high: f64) -> Self {
        Estimate {
            value: None,
            low: Some(low),
            high: Some(high),
            ..Estimate::exact(0.0)
        }
    }

    /// Checked numbers read from a table or a document, without source
    /// information; `None` when there is neither a value nor a low bound.
    pub fn from_numbers(value: Option<f64>, low: Option<f64>, high: Option<f64>) -> Option<Self> {
        (value.is_some() || low.is_some()).then_some(Estimate {
            value,
            low,
            high,
            cite: Vec::new(),
            confidence: None,
            note: None,
        })
    }

    /// The mid value: `value` if given, else `(low + high) / 2`.
    pub fn mid(&self) -> f64 {
        match (self.value, self.low, self.high) {
            (Some(v), _, _) => v,
            (None, Some(l), Some(h)) => (l + h) / 2.0,
            (None, Some(x), None) | (None, None, Some(x)) => x,
            (None, None, None) => f64::NAN,
        }
    }

    /// The low value: `low` if given, else the mid value.
    pub fn low(&self) -> f64 {
        self.low.unwrap_or_else(|| self.mid())
    }

    /// The high value: `high` if given, else the mid value.
    pub fn high(&self) -> f64 {
        self.high.unwrap_or_else(|| self.mid())
    }

    /// The value this estimate takes under `case`.
    pub fn get(&self, case: Case) -> f64 {
        match case {
            Case::Low => self.low(),
            Case::Mid => self.mid(),
            Case::High => self.high(),
        }
    }

    /// True when the low and high cases differ.
    pub fn is_range(&self) -> bool {
        self.low() != self.high()
    }

    /// All numbers written in the source, for range checks.
    pub fn numbers(&self) -> impl Iterator<Item = f64> {
        [self.value, self.low, self.high].into_iter().flatten()
    }
}

/// A quoted result: the chosen case with the interval from the low and high cases.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Interval {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

impl Interval {
    /// Runs `f` under the low, mid and high cases; `value` is the result under `case`.
    /// `low`/`high` are the minimum and maximum of the low- and high-case results, so the
    /// interval holds whichever way a metric moves with its inputs.
    pub fn from_cases(case: Case, mut f: impl FnMut(Case) -> f64) -> Interval {
        let lo = f(Case::Low);
        let hi = f(Case::High);
        let value = match case {
            Case::Low => lo,
            Case::High => hi,
            Case::Mid => f(Case::Mid),
        };
        Interval {
            value,
            low: lo.min(hi),
            high: lo.max(hi),
        }
    }
}
