//! Statistics for comparing a treatment with the baseline: hypothesis tests, effect sizes,
//! confidence intervals and multiple-comparison correction.

use serde::{Deserialize, Serialize};

/// Which test compares a treatment's samples with the baseline's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Test {
    /// Welch's t-test (unequal variances), unpaired.
    WelchT,
    /// Student's t-test (pooled variance), unpaired.
    StudentT,
    /// The paired t-test on per-replicate differences.
    PairedT,
    /// The Wilcoxon signed-rank test on per-replicate differences.
    Wilcoxon,
    /// The Mann–Whitney U test, unpaired.
    MannWhitney,
    /// A seeded permutation test of the mean difference.
    Permutation,
}

/// The alternative hypothesis, for the treatment relative to the baseline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// The treatment is greater than the baseline.
    Greater,
    /// The treatment is less than the baseline.
    Less,
    /// The treatment differs from the baseline (two-sided).
    Different,
}

/// Multiple-comparison correction across all hypotheses × treatments of an experiment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Correction {
    /// Holm's step-down procedure (controls the family-wise error rate).
    #[default]
    Holm,
    /// Benjamini–Hochberg's step-up procedure (controls the false discovery rate).
    BenjaminiHochberg,
    /// No correction: adjusted p-values equal the raw ones.
    None,
}

/// Effect sizes of treatment vs baseline; `None` where undefined (a note says why).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Effects {
    /// Mean of the treatment minus mean of the baseline.
    pub mean_difference: Option<f64>,
    /// Mean of the treatment divided by mean of the baseline.
    pub ratio: Option<f64>,
    /// Cohen's d.
    pub cohens_d: Option<f64>,
    /// Hedges' g: Cohen's d with the small-sample correction.
    pub hedges_g: Option<f64>,
    /// Cliff's delta.
    pub cliffs_delta: Option<f64>,
}

/// A confidence interval.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// The lower bound.
    pub low: f64,
    /// The upper bound.
    pub high: f64,
    /// The confidence level, e.g. 0.95.
    pub level: f64,
    /// How the interval was computed.
    pub method: IntervalMethod,
}

/// How a confidence interval was computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IntervalMethod {
    /// From the test's sampling distribution (the t tests).
    Analytic,
    /// A seeded bias-corrected and accelerated bootstrap.
    BcaBootstrap,
}

/// The outcome of one test of one treatment against the baseline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The test used.
    pub test: Test,
    /// The alternative hypothesis.
    pub direction: Direction,
    /// Baseline values used (after dropping missing / non-finite ones).
    pub n_baseline: usize,
    /// Treatment values used (after dropping missing / non-finite ones).
    pub n_treatment: usize,
    /// The test statistic: t, W, U, or the permutation statistic (mean difference).
    pub statistic: Option<f64>,
    /// The p-value; `None` only when undefined (then a note says why).
    pub p_value: Option<f64>,
    /// The primary effect: mean difference treatment − baseline (paired tests: mean of the
    /// per-replicate differences).
    pub effect: Option<f64>,
    /// Confidence interval of `effect` at level 1 − alpha.
    pub ci: Option<Interval>,
    /// Every effect size.
    pub effects: Effects,
    /// Degenerate input explained.
    pub notes: Vec<String>,
}

/// Compares `treatment` with `baseline`, values indexed by replicate (`None` = missing; paired
/// tests pair by index and drop pairs with a missing side, unpaired ones drop missing values).
/// `seed` drives the permutation test and the bootstrap (deterministic). Never panics; never
/// returns NaN in any field (`None` and a note instead).
pub fn compare(
    baseline: &[Option<f64>],
    treatment: &[Option<f64>],
    test: Test,
    direction: Direction,
    alpha: f64,
    seed: u64,
) -> Comparison {
    let _ = (baseline, treatment, test, direction, alpha, seed);
    todo!()
}

/// Adjusted p-values, in input order (Holm step-down; Benjamini–Hochberg step-up; `None` =
/// unchanged). Same length as `p_values`.
pub fn adjust(p_values: &[f64], correction: Correction) -> Vec<f64> {
    let _ = (p_values, correction);
    todo!()
}
