//! Verifying an experiment's hypotheses from its metrics: per hypothesis and treatment, the
//! built-in test (or the custom verifier) against the baseline, the correction across all
//! hypotheses × treatments, the verdicts and the ranking. What `v<N>/hypotheses.json` holds and
//! the `--json` report's `hypotheses` field carries.
//!
//! Nothing here depends on how the metrics were obtained: a run, a partial run and a resume
//! that loads everything give the same verdicts for the same metrics.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::define::experiment::{BASELINE, Experiment};
use crate::define::hypothesis::{Hypothesis, RankedTreatment, VerifierOutcome};
use crate::stats::{self, Comparison, Correction, Direction, Effects, Interval, Test};

/// The verdicts of an experiment's hypotheses (`v<N>/hypotheses.json`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HypothesesReport {
    /// The correction applied across all hypotheses × treatments.
    pub correction: Correction,
    /// One entry per hypothesis, in declaration order.
    pub hypotheses: Vec<HypothesisReport>,
}

/// One hypothesis and its result for every treatment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HypothesisReport {
    /// Its name.
    pub name: String,
    /// The metric compared.
    pub metric: String,
    /// Greater, less or different, for the treatment relative to the baseline.
    pub direction: Direction,
    /// The built-in test (`null` with a custom verifier).
    pub test: Option<Test>,
    /// The significance level.
    pub alpha: f64,
    /// The custom verifier, if any.
    pub verifier: Option<VerifierReport>,
    /// One result per treatment, in condition order.
    pub results: Vec<TreatmentResult>,
    /// The treatments, best first (by adjusted p-value, ties in declaration order, or by the
    /// experiment's custom ranker).
    pub ranking: Vec<String>,
}

/// A custom verifier: its name and the hash of its code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifierReport {
    /// The function's name.
    pub name: String,
    /// Its code hash (hex).
    pub code: String,
}

/// Whether a treatment supports a hypothesis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The adjusted p-value is below alpha and the effect points in the hypothesis's direction.
    Supported,
    /// It is not.
    NotSupported,
    /// The p-value is undefined (too few values, degenerate samples; the notes say why).
    Inconclusive,
}

impl Verdict {
    /// `supported`, `not-supported` or `inconclusive`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::NotSupported => "not-supported",
            Verdict::Inconclusive => "inconclusive",
        }
    }
}

/// One treatment's result for one hypothesis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TreatmentResult {
    /// The treatment.
    pub treatment: String,
    /// The built-in test (`null` with a custom verifier).
    pub test: Option<Test>,
    /// Baseline values used.
    pub n_baseline: usize,
    /// Treatment values used.
    pub n_treatment: usize,
    /// The test statistic.
    pub statistic: Option<f64>,
    /// The raw p-value.
    pub p_value: Option<f64>,
    /// The p-value adjusted across all hypotheses × treatments of the experiment.
    pub p_adjusted: Option<f64>,
    /// The primary effect: treatment − baseline (paired tests: the mean per-replicate
    /// difference).
    pub effect: Option<f64>,
    /// The confidence interval of `effect` at level 1 − alpha.
    pub ci: Option<Interval>,
    /// Every effect size.
    pub effects: Effects,
    /// The verdict.
    pub verdict: Verdict,
    /// Degenerate input explained, or what the verifier said.
    pub notes: Vec<String>,
}

/// Metric → value per replicate, per condition (what the report's conditions hold).
pub(crate) type ConditionMetrics<'a> = BTreeMap<&'a str, &'a BTreeMap<String, Vec<Option<f64>>>>;

/// The seed of a hypothesis's permutation test and bootstrap: from the experiment's master seed,
/// its name and the hypothesis's name, so a rerun gives the same intervals.
pub(crate) fn hypothesis_seed(master: u64, experiment: &str, hypothesis: &str) -> u64 {
    let mut hasher = blake3::Hasher::new();
    hasher.update(b"crystallize hypothesis seed\0");
    hasher.update(&master.to_le_bytes());
    hasher.update(experiment.as_bytes());
    hasher.update(b"\0");
    hasher.update(hypothesis.as_bytes());
    let bytes = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&bytes.as_bytes()[..8]);
    u64::from_le_bytes(first)
}

/// Verifies the hypotheses of `experiment` (named `name`, master seed `seed`) on `metrics`, for
/// the treatments `metrics` has (those the run covered). `None` when it declares none.
pub(crate) fn evaluate(
    experiment: &Experiment,
    name: &str,
    seed: u64,
    metrics: &ConditionMetrics<'_>,
) -> Option<HypothesesReport> {
    let hypotheses = &experiment.hypotheses;
    if hypotheses.list.is_empty() {
        return None;
    }
    // The treatments of this run (`--treatment X` runs one), in definition order.
    let treatments: Vec<String> = experiment
        .condition_names()
        .into_iter()
        .filter(|condition| condition != BASELINE && metrics.contains_key(condition.as_str()))
        .collect();
    let values = |condition: &str, metric: &str| -> Vec<Option<f64>> {
        metrics
            .get(condition)
            .and_then(|metrics| metrics.get(metric))
            .cloned()
            .unwrap_or_default()
    };
    let mut reports: Vec<HypothesisReport> = hypotheses
        .list
        .iter()
        .map(|hypothesis| {
            let baseline = values(BASELINE, &hypothesis.spec.metric);
            let hypothesis_seed = hypothesis_seed(seed, name, &hypothesis.name);
            let results = treatments
                .iter()
                .map(|treatment| {
                    let treated = values(treatment, &hypothesis.spec.metric);
                    result_of(hypothesis, treatment, &baseline, &treated, hypothesis_seed)
                })
                .collect();
            HypothesisReport {
                name: hypothesis.name.clone(),
                metric: hypothesis.spec.metric.clone(),
                direction: hypothesis.spec.direction,
                test: match hypothesis.spec.verifier {
                    Some(_) => None,
                    None => Some(hypothesis.spec.test),
                },
                alpha: hypothesis.spec.alpha,
                verifier: hypothesis
                    .spec
                    .verifier
                    .as_ref()
                    .map(|verifier| VerifierReport {
                        name: verifier.info.name.to_string(),
                        code: verifier.info.hash().hex(),
                    }),
                results,
                ranking: Vec::new(),
            }
        })
        .collect();
    adjust_all(&mut reports, hypotheses.correction);
    for report in &mut reports {
        for result in &mut report.results {
            result.verdict = verdict(result, report.direction, report.alpha);
        }
        report.ranking = rank(&report.results, hypotheses.ranker);
    }
    Some(HypothesesReport {
        correction: hypotheses.correction,
        hypotheses: reports,
    })
}

/// One treatment's result, before correction (`p_adjusted` is the raw p-value).
fn result_of(
    hypothesis: &Hypothesis,
    treatment: &str,
    baseline: &[Option<f64>],
    treated: &[Option<f64>],
    seed: u64,
) -> TreatmentResult {
    let spec = &hypothesis.spec;
    let comparison = match &spec.verifier {
        None => stats::compare(
            baseline,
            treated,
            spec.test,
            spec.direction,
            spec.alpha,
            seed,
        ),
        Some(verifier) => {
            let (base, treat) = paired_values(baseline, treated);
            let outcome = (verifier.call)(&base, &treat);
            from_verifier(outcome, spec.direction, &base, &treat, baseline, treated)
        }
    };
    TreatmentResult {
        treatment: treatment.to_string(),
        test: spec.verifier.is_none().then_some(comparison.test),
        n_baseline: comparison.n_baseline,
        n_treatment: comparison.n_treatment,
        statistic: comparison.statistic,
        p_value: comparison.p_value,
        p_adjusted: comparison.p_value,
        effect: comparison.effect,
        ci: comparison.ci,
        effects: comparison.effects,
        verdict: Verdict::Inconclusive,
        notes: comparison.notes,
    }
}

/// The replicates where both conditions have a finite value, in replicate order.
fn paired_values(baseline: &[Option<f64>], treated: &[Option<f64>]) -> (Vec<f64>, Vec<f64>) {
    baseline
        .iter()
        .zip(treated)
        .filter_map(|pair| match pair {
            (Some(base), Some(treat)) if base.is_finite() && treat.is_finite() => {
                Some((*base, *treat))
            }
            _ => None,
        })
        .unzip()
}

/// A verifier's outcome as a comparison: p-values outside `[0, 1]` or non-finite become
/// undefined with a note; the effect defaults to the mean per-replicate difference.
fn from_verifier(
    outcome: VerifierOutcome,
    direction: Direction,
    base: &[f64],
    treat: &[f64],
    baseline: &[Option<f64>],
    treated: &[Option<f64>],
) -> Comparison {
    let mut notes = outcome.notes;
    let left_out = baseline.len().max(treated.len()) - base.len();
    if left_out > 0 {
        notes.push(format!(
            "{left_out} replicate(s) without a value in both conditions were left out"
        ));
    }
    let p_value = match outcome.p_value {
        Some(p) if (0.0..=1.0).contains(&p) => Some(p),
        Some(p) => {
            notes.push(format!("the verifier returned p = {p}, not a probability"));
            None
        }
        None => None,
    };
    let effect = match outcome.effect {
        Some(effect) if effect.is_finite() => Some(effect),
        Some(effect) => {
            notes.push(format!("the verifier returned the effect {effect}"));
            None
        }
        None if !base.is_empty() => Some(
            base.iter()
                .zip(treat)
                .map(|(base, treat)| treat - base)
                .sum::<f64>()
                / base.len() as f64,
        ),
        None => None,
    };
    Comparison {
        test: Test::PairedT,
        direction,
        n_baseline: base.len(),
        n_treatment: treat.len(),
        statistic: outcome.statistic.filter(|statistic| statistic.is_finite()),
        p_value,
        effect,
        ci: None,
        effects: Effects {
            mean_difference: effect,
            ..Effects::default()
        },
        notes,
    }
}

/// Replaces every `p_adjusted` by the p-value adjusted across all hypotheses × treatments.
fn adjust_all(reports: &mut [HypothesisReport], correction: Correction) {
    let defined: Vec<f64> = reports
        .iter()
        .flat_map(|report| &report.results)
        .filter_map(|result| result.p_value)
        .collect();
    if defined.is_empty() {
        return;
    }
    let mut adjusted = stats::adjust(&defined, correction).into_iter();
    for result in reports.iter_mut().flat_map(|report| &mut report.results) {
        if result.p_value.is_some() {
            result.p_adjusted = adjusted.next().filter(|p| p.is_finite());
        }
    }
}

/// `supported` when the adjusted p-value is below alpha and the effect points in the
/// direction; `inconclusive` when the p-value is undefined.
fn verdict(result: &TreatmentResult, direction: Direction, alpha: f64) -> Verdict {
    let Some(p) = result.p_adjusted else {
        return Verdict::Inconclusive;
    };
    let points = match (direction, result.effect) {
        (Direction::Greater, Some(effect)) => effect > 0.0,
        (Direction::Less, Some(effect)) => effect < 0.0,
        (Direction::Different, Some(effect)) => effect != 0.0,
        // A two-sided verifier may report no effect; its p-value decides.
        (Direction::Different, None) => true,
        (_, None) => false,
    };
    if p < alpha && points {
        Verdict::Supported
    } else {
        Verdict::NotSupported
    }
}

/// The treatments best first: by the ranker's scores, else by adjusted p-value; undefined
/// scores last; ties in declaration order.
fn rank(
    results: &[TreatmentResult],
    ranker: Option<crate::define::hypothesis::Ranker>,
) -> Vec<String> {
    let scores: Vec<Option<f64>> = match ranker {
        Some(ranker) => {
            let seen: Vec<RankedTreatment> = results
                .iter()
                .map(|result| RankedTreatment {
                    treatment: result.treatment.clone(),
                    p_value: result.p_value,
                    p_adjusted: result.p_adjusted,
                    effect: result.effect,
                })
                .collect();
            let scores = ranker(&seen);
            (0..results.len())
                .map(|index| scores.get(index).copied().filter(|score| !score.is_nan()))
                .collect()
        }
        None => results.iter().map(|result| result.p_adjusted).collect(),
    };
    let mut order: Vec<usize> = (0..results.len()).collect();
    // A stable sort keeps declaration order among ties.
    order.sort_by(|&a, &b| match (scores[a], scores[b]) {
        (Some(a), Some(b)) => a.total_cmp(&b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    order
        .into_iter()
        .map(|index| results[index].treatment.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(treatment: &str, p: Option<f64>, effect: Option<f64>) -> TreatmentResult {
        TreatmentResult {
            treatment: treatment.into(),
            test: Some(Test::PairedT),
            n_baseline: 3,
            n_treatment: 3,
            statistic: None,
            p_value: p,
            p_adjusted: p,
            effect,
            ci: None,
            effects: Effects::default(),
            verdict: Verdict::Inconclusive,
            notes: Vec::new(),
        }
    }

    #[test]
    fn verdicts_need_a_small_p_and_the_effect_in_the_direction() {
        let supported = result("t", Some(0.01), Some(1.0));
        assert_eq!(
            verdict(&supported, Direction::Greater, 0.05),
            Verdict::Supported
        );
        assert_eq!(
            verdict(&supported, Direction::Less, 0.05),
            Verdict::NotSupported
        );
        assert_eq!(
            verdict(&supported, Direction::Different, 0.05),
            Verdict::Supported
        );
        assert_eq!(
            verdict(&supported, Direction::Greater, 0.01),
            Verdict::NotSupported
        );
        let undefined = result("t", None, Some(1.0));
        assert_eq!(
            verdict(&undefined, Direction::Greater, 0.05),
            Verdict::Inconclusive
        );
    }

    #[test]
    fn ranking_is_by_adjusted_p_ties_in_declaration_order_undefined_last() {
        let results = [
            result("a", Some(0.2), None),
            result("b", None, None),
            result("c", Some(0.01), None),
            result("d", Some(0.2), None),
        ];
        assert_eq!(rank(&results, None), ["c", "a", "d", "b"]);
        fn by_effect(seen: &[RankedTreatment]) -> Vec<f64> {
            seen.iter()
                .map(|seen| if seen.treatment == "d" { -1.0 } else { 0.0 })
                .collect()
        }
        assert_eq!(rank(&results, Some(by_effect)), ["d", "a", "b", "c"]);
    }

    #[test]
    fn hypothesis_seeds_differ_by_name_and_master_seed() {
        let seed = hypothesis_seed(0, "e", "h");
        assert_eq!(seed, hypothesis_seed(0, "e", "h"));
        assert_ne!(seed, hypothesis_seed(1, "e", "h"));
        assert_ne!(seed, hypothesis_seed(0, "e", "g"));
        assert_ne!(seed, hypothesis_seed(0, "eh", ""));
    }

    #[test]
    fn verifier_outcomes_out_of_range_are_undefined_with_a_note() {
        let comparison = from_verifier(
            VerifierOutcome::new(1.5),
            Direction::Greater,
            &[1.0, 2.0],
            &[2.0, 4.0],
            &[Some(1.0), Some(2.0), None],
            &[Some(2.0), Some(4.0), Some(5.0)],
        );
        assert_eq!(comparison.p_value, None);
        assert_eq!(comparison.effect, Some(1.5));
        assert_eq!(
            comparison.notes,
            [
                "1 replicate(s) without a value in both conditions were left out",
                "the verifier returned p = 1.5, not a probability"
            ]
        );
    }
}
