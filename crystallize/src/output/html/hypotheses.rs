//! `v<N>/hypotheses.json` as the report reads it: the verdicts of a run's hypotheses, per
//! treatment. Every field a page does not need to show is optional, so that a file with more
//! fields (or an older one with fewer) still reads.

use serde::Deserialize;

/// The whole file: the correction applied, and each hypothesis with its results.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct HypothesesFile {
    /// The multiple-comparison correction (`holm`, `benjamini-hochberg`, `none`).
    #[serde(default)]
    pub correction: Option<String>,
    /// The hypotheses, in declaration order.
    #[serde(default)]
    pub hypotheses: Vec<Hypothesis>,
}

/// One declared hypothesis.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Hypothesis {
    /// Its name.
    pub name: String,
    /// The metric it tests.
    pub metric: String,
    /// `greater`, `less` or `different`.
    #[serde(default)]
    pub direction: Option<String>,
    /// The test (`paired-t`, ...).
    #[serde(default)]
    pub test: Option<String>,
    /// The significance level.
    #[serde(default)]
    pub alpha: Option<f64>,
    /// A custom verifier, when one decides it.
    #[serde(default)]
    pub verifier: Option<Verifier>,
    /// One result per treatment.
    #[serde(default)]
    pub results: Vec<Verdict>,
    /// Treatments, best first.
    #[serde(default)]
    pub ranking: Vec<String>,
}

/// A custom verifier: its function name and code hash.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Verifier {
    /// The function name.
    pub name: String,
    /// Its code hash (hex).
    #[serde(default)]
    pub code: Option<String>,
}

/// The result of a hypothesis for one treatment.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Verdict {
    /// The treatment compared with the baseline.
    pub treatment: String,
    /// The test statistic.
    #[serde(default)]
    pub statistic: Option<f64>,
    /// The p-value.
    #[serde(default)]
    pub p_value: Option<f64>,
    /// The p-value after correction.
    #[serde(default)]
    pub p_adjusted: Option<f64>,
    /// The primary effect (treatment − baseline).
    #[serde(default)]
    pub effect: Option<f64>,
    /// The effect's confidence interval.
    #[serde(default)]
    pub ci: Option<Interval>,
    /// `supported`, `not-supported` or `inconclusive`.
    #[serde(default)]
    pub verdict: Option<String>,
    /// Why a value is undefined, or what was left out.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// A confidence interval.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Interval {
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
    /// Confidence level (0.95).
    #[serde(default)]
    pub level: Option<f64>,
    /// `analytic` or `bca-bootstrap`.
    #[serde(default)]
    pub method: Option<String>,
}
