//! Hypotheses an experiment declares about its treatments:
//! `.hypothesis("faster", metric("latency").less_than_baseline().test(Test::PairedT))`, with the
//! correction across them (`.correction(..)`), custom verifiers (`#[verifier]` functions) and
//! custom rankers (`.rank_by(..)`).
//!
//! Hypotheses are not part of any unit's key: declaring, editing or removing one reruns no
//! unit; every run and resume verifies them again from the metrics.

use std::fmt;

use crate::key::signature::{CodeHash, Reach};
use crate::stats::{Correction, Direction, Test};

/// The significance level a hypothesis uses unless `.alpha(..)` says otherwise.
pub const DEFAULT_ALPHA: f64 = 0.05;

/// The test a hypothesis uses unless `.test(..)` says otherwise: replicates share their seeds
/// across conditions, so they pair.
pub const DEFAULT_TEST: Test = Test::PairedT;

/// What a custom verifier (a `#[verifier]` function) returns: its p-value, and optionally the
/// effect it measured (treatment relative to the baseline, positive when the treatment is
/// greater) and its statistic.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VerifierOutcome {
    /// The p-value; `None` (or a value outside `[0, 1]`) makes the verdict inconclusive.
    pub p_value: Option<f64>,
    /// The effect, positive when the treatment is greater than the baseline.
    pub effect: Option<f64>,
    /// The test statistic, if any.
    pub statistic: Option<f64>,
    /// Anything the verifier wants shown next to its result.
    pub notes: Vec<String>,
}

impl VerifierOutcome {
    /// An outcome with p-value `p_value`.
    pub fn new(p_value: f64) -> VerifierOutcome {
        VerifierOutcome {
            p_value: Some(p_value),
            ..VerifierOutcome::default()
        }
    }

    /// The effect measured (positive when the treatment is greater than the baseline).
    pub fn effect(mut self, effect: f64) -> VerifierOutcome {
        self.effect = Some(effect);
        self
    }

    /// The test statistic.
    pub fn statistic(mut self, statistic: f64) -> VerifierOutcome {
        self.statistic = Some(statistic);
        self
    }

    /// Adds a note shown with the result.
    pub fn note(mut self, note: impl Into<String>) -> VerifierOutcome {
        self.notes.push(note.into());
        self
    }
}

/// What `#[verifier]` records about a verifier function.
#[derive(Clone, Copy, Debug)]
pub struct VerifierInfo {
    /// The function's name.
    pub name: &'static str,
    /// Hash of the function's signature and body.
    pub code: CodeHash,
    /// The code it reaches (helpers, types, path dependencies, registry crates).
    pub reach: Reach,
}

impl VerifierInfo {
    /// The hash `hypotheses.json` shows: of the function's own code, every item it reaches and
    /// the registry crates that code names, so editing any of them changes it.
    pub fn hash(&self) -> CodeHash {
        let mut hasher = blake3::Hasher::new();
        hasher.update(b"crystallize verifier\0");
        hasher.update(&self.code.0);
        for item in self.reach.items {
            hasher.update(item.path.as_bytes());
            hasher.update(b"\0");
            hasher.update(&item.code.0);
        }
        for dependency in self.reach.dependencies {
            for part in [dependency.name, dependency.version, dependency.checksum] {
                hasher.update(part.as_bytes());
                hasher.update(b"\0");
            }
        }
        CodeHash(*hasher.finalize().as_bytes())
    }
}

/// What a `#[verifier]` function may return: [`VerifierOutcome`].
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "a #[verifier] function must return `VerifierOutcome`, not `{Self}`",
    label = "return `VerifierOutcome::new(p_value)` (with `.effect(..)` if you have one)"
)]
pub trait IsVerifierOutcome {
    /// The outcome.
    fn into_outcome(self) -> VerifierOutcome;
}

impl IsVerifierOutcome for VerifierOutcome {
    fn into_outcome(self) -> VerifierOutcome {
        self
    }
}

/// Converts what a `#[verifier]` function returned (the macro's glue).
#[doc(hidden)]
pub fn __verifier_outcome<T: IsVerifierOutcome>(outcome: T) -> VerifierOutcome {
    outcome.into_outcome()
}

/// A custom test of a treatment against the baseline: implemented by `#[verifier]` for a
/// function `fn name(baseline: &[f64], treatment: &[f64]) -> VerifierOutcome`.
///
/// It receives the values of the replicates where both conditions have one, in replicate order,
/// so `baseline[i]` and `treatment[i]` come from the same replicate (the same seed).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a verifier",
    label = "`.verifier(..)` takes a function marked #[verifier]",
    note = "mark `fn name(baseline: &[f64], treatment: &[f64]) -> VerifierOutcome` with #[verifier]"
)]
pub trait Verifier: Send + Sync + 'static {
    /// Compile-time facts about the verifier.
    const INFO: VerifierInfo;
    /// Tests the treatment's values against the baseline's.
    fn verify(baseline: &[f64], treatment: &[f64]) -> VerifierOutcome;
}

/// A type-erased verifier, as a hypothesis holds it.
#[derive(Clone)]
pub(crate) struct VerifierFn {
    /// What the macro recorded.
    pub info: VerifierInfo,
    /// Calls the verifier.
    pub call: fn(&[f64], &[f64]) -> VerifierOutcome,
}

impl fmt::Debug for VerifierFn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifierFn")
            .field("info", &self.info)
            .finish_non_exhaustive()
    }
}

/// The specification of a hypothesis about one metric, built with [`metric`].
#[derive(Clone, Debug)]
#[must_use = "a hypothesis spec does nothing until passed to `.hypothesis(name, spec)`"]
pub struct HypothesisSpec {
    pub(crate) metric: String,
    pub(crate) direction: Direction,
    pub(crate) test: Test,
    pub(crate) alpha: f64,
    pub(crate) verifier: Option<VerifierFn>,
}

/// Starts a hypothesis about `name`, a metric some stage records (`ctx.record(name, ..)`):
/// `metric("latency").less_than_baseline().test(Test::PairedT).alpha(0.05)`. Defaults: the
/// direction `different` (two-sided), the paired t-test, alpha 0.05.
pub fn metric(name: &str) -> HypothesisSpec {
    HypothesisSpec {
        metric: name.to_string(),
        direction: Direction::Different,
        test: DEFAULT_TEST,
        alpha: DEFAULT_ALPHA,
        verifier: None,
    }
}

impl HypothesisSpec {
    /// The treatment's values are greater than the baseline's (one-sided).
    pub fn greater_than_baseline(mut self) -> Self {
        self.direction = Direction::Greater;
        self
    }

    /// The treatment's values are less than the baseline's (one-sided).
    pub fn less_than_baseline(mut self) -> Self {
        self.direction = Direction::Less;
        self
    }

    /// The treatment's values differ from the baseline's (two-sided; the default).
    pub fn different_from_baseline(mut self) -> Self {
        self.direction = Direction::Different;
        self
    }

    /// The test comparing each treatment with the baseline (default: the paired t-test).
    pub fn test(mut self, test: Test) -> Self {
        self.test = test;
        self
    }

    /// The significance level, in (0, 1) (default 0.05): a treatment supports the hypothesis
    /// when its adjusted p-value is below it and its effect points in the direction.
    pub fn alpha(mut self, alpha: f64) -> Self {
        self.alpha = alpha;
        self
    }

    /// Tests with a custom verifier (a `#[verifier]` function) instead of a built-in test.
    pub fn verifier<V: Verifier>(mut self, _verifier: V) -> Self {
        self.verifier = Some(VerifierFn {
            info: V::INFO,
            call: V::verify,
        });
        self
    }
}

/// One declared hypothesis.
#[derive(Clone, Debug)]
pub(crate) struct Hypothesis {
    /// Its name.
    pub name: String,
    /// What it says.
    pub spec: HypothesisSpec,
}

/// Scores treatments for a custom ranking: one score per result, lower ranks first.
pub type Ranker = fn(&[RankedTreatment]) -> Vec<f64>;

/// What a [`Ranker`] sees of one treatment's result for a hypothesis.
#[derive(Clone, Debug, PartialEq)]
pub struct RankedTreatment {
    /// The treatment.
    pub treatment: String,
    /// The raw p-value, if defined.
    pub p_value: Option<f64>,
    /// The adjusted p-value, if defined.
    pub p_adjusted: Option<f64>,
    /// The effect (treatment − baseline), if defined.
    pub effect: Option<f64>,
}

/// The hypotheses of an experiment, their correction and ranking.
#[derive(Clone, Debug, Default)]
pub(crate) struct Hypotheses {
    /// In declaration order.
    pub list: Vec<Hypothesis>,
    /// Across all hypotheses × treatments.
    pub correction: Correction,
    /// A custom ranking (default: by adjusted p-value, ties in declaration order).
    pub ranker: Option<Ranker>,
    /// Problems found while declaring them (bad names, alpha, duplicates).
    pub problems: Vec<String>,
}

impl Hypotheses {
    /// Adds a hypothesis, recording what is wrong with it.
    pub(crate) fn add(&mut self, name: &str, spec: HypothesisSpec) {
        if name.trim().is_empty() {
            self.problems
                .push("a hypothesis has an empty name; name it".to_string());
        } else if self.list.iter().any(|h| h.name == name) {
            self.problems.push(format!(
                "hypothesis `{name}` is declared twice; give each hypothesis one name"
            ));
        }
        if !(spec.alpha > 0.0 && spec.alpha < 1.0) {
            self.problems.push(format!(
                "hypothesis `{name}`: alpha {} is not between 0 and 1",
                spec.alpha
            ));
        }
        self.list.push(Hypothesis {
            name: name.to_string(),
            spec,
        });
    }

    /// The problems of the hypotheses against what the experiment records (besides those found
    /// while declaring them, in `problems`): a metric no stage
    /// records (unless a stage may record metrics the macros cannot name), or hypotheses on an
    /// experiment without treatments.
    pub(crate) fn problems(
        &self,
        recorded: &[&str],
        records_unknown: bool,
        treatments: usize,
    ) -> Vec<String> {
        let mut problems = Vec::new();
        if self.list.is_empty() {
            return problems;
        }
        if treatments == 0 {
            problems.push(format!(
                "hypothesis `{}` compares treatments with the baseline, but the experiment has no treatment; add one with `.treatment(..)`",
                self.list[0].name
            ));
        }
        if !records_unknown {
            for hypothesis in &self.list {
                let metric = &hypothesis.spec.metric;
                if recorded.contains(&metric.as_str()) {
                    continue;
                }
                let listed = if recorded.is_empty() {
                    "no stage records any metric".to_string()
                } else {
                    format!(
                        "the stages record {}",
                        recorded
                            .iter()
                            .map(|name| format!("`{name}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                problems.push(format!(
                    "hypothesis `{}` names metric `{metric}`, which no stage records; {listed}",
                    hypothesis.name
                ));
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_paired_t_two_sided_at_alpha_0_05() {
        let spec = metric("mean");
        assert_eq!(spec.test, Test::PairedT);
        assert_eq!(spec.direction, Direction::Different);
        assert_eq!(spec.alpha, 0.05);
        let spec = spec.less_than_baseline().test(Test::Wilcoxon).alpha(0.01);
        assert_eq!(
            (spec.direction, spec.test, spec.alpha),
            (Direction::Less, Test::Wilcoxon, 0.01)
        );
    }

    #[test]
    fn bad_declarations_and_unverifiable_hypotheses_are_problems() {
        let mut hypotheses = Hypotheses::default();
        hypotheses.add("h", metric("mean"));
        hypotheses.add("h", metric("mean").alpha(1.5));
        hypotheses.add(" ", metric("mean").alpha(f64::NAN));
        assert_eq!(
            hypotheses.problems,
            [
                "hypothesis `h` is declared twice; give each hypothesis one name",
                "hypothesis `h`: alpha 1.5 is not between 0 and 1",
                "a hypothesis has an empty name; name it",
                "hypothesis ` `: alpha NaN is not between 0 and 1",
            ]
        );
        let mut hypotheses = Hypotheses::default();
        hypotheses.add("faster", metric("latency"));
        assert_eq!(
            hypotheses.problems(&["mean", "sd"], false, 1),
            [
                "hypothesis `faster` names metric `latency`, which no stage records; the stages \
              record `mean`, `sd`"
            ]
        );
        assert_eq!(
            hypotheses.problems(&[], false, 1),
            [
                "hypothesis `faster` names metric `latency`, which no stage records; no stage \
              records any metric"
            ]
        );
        // A stage may record metrics the macros cannot name: the metric is not checked.
        assert!(hypotheses.problems(&[], true, 1).is_empty());
        assert_eq!(
            hypotheses.problems(&["latency"], false, 0),
            [
                "hypothesis `faster` compares treatments with the baseline, but the experiment has \
              no treatment; add one with `.treatment(..)`"
            ]
        );
        assert!(Hypotheses::default().problems(&[], false, 0).is_empty());
    }
}
