//! The experiment `verdicts`: six replicates whose `score` is the replicate number plus
//! `offset × (1 + 0.1 × (replicate mod 3))`, so each treatment's per-replicate differences from
//! the baseline are known exactly: `better` (offset 1) adds 1, 1.1, 1.2, 1, 1.1, 1.2; `worse`
//! (offset −0.5) subtracts half of that. Its hypotheses depend on `CRYSTALLIZE_TEST_HYPOTHESES`
//! (read while the definition is built), over the same units:
//!
//! - unset: "better score" (`score` greater than the baseline, paired t, Holm);
//! - `edited`: "better score" less than the baseline at alpha 0.01, and "cost differs"
//!   (`cost`, the same in every condition, Welch's t), corrected by Benjamini–Hochberg, ranked
//!   by effect (largest first), and "better by sign" (`score` greater than the baseline, tested
//!   by the custom verifier `sign_test`);
//! - `none`: no hypothesis.

use crystallize::RankedTreatment;
use crystallize::prelude::*;

/// The replicate number.
#[source]
fn replicate_number(ctx: &Ctx) -> f64 {
    f64::from(ctx.replicate())
}

/// Records `score` (the replicate plus the scaled offset) and `cost` (the replicate).
#[step]
fn score(data: f64, offset: f64, ctx: &mut Ctx) -> f64 {
    let scale = 1.0 + 0.1 * f64::from(ctx.replicate() % 3);
    let score = data + offset * scale;
    ctx.record("score", score);
    ctx.record("cost", data);
    score
}

/// A one-sided sign test: the chance of at least as many replicates where the treatment is
/// greater, were each a fair coin.
#[verifier]
fn sign_test(baseline: &[f64], treatment: &[f64]) -> VerifierOutcome {
    let n = baseline.len() as i32;
    let wins = baseline
        .iter()
        .zip(treatment)
        .filter(|(base, treat)| treat > base)
        .count() as i32;
    let choose = |k: i32| (0..k).fold(1.0, |c, i| c * f64::from(n - i) / f64::from(i + 1));
    let p = (wins..=n).map(choose).sum::<f64>() * 0.5f64.powi(n);
    VerifierOutcome::new(p).statistic(f64::from(wins))
}

/// Ranks by effect, largest first.
fn largest_effect_first(results: &[RankedTreatment]) -> Vec<f64> {
    results
        .iter()
        .map(|result| -result.effect.unwrap_or(f64::NEG_INFINITY))
        .collect()
}

#[experiment(replicates = 6, strategy = "resume")]
fn verdicts() -> Experiment {
    let experiment = Experiment::from(replicate_number)
        .param("offset", 0.0)
        .step(score)
        .treatment("better", params! { "offset": 1.0 })
        .treatment("worse", params! { "offset": -0.5 });
    match std::env::var("CRYSTALLIZE_TEST_HYPOTHESES")
        .unwrap_or_default()
        .as_str()
    {
        "none" => experiment,
        "edited" => experiment
            .hypothesis(
                "better score",
                metric("score")
                    .less_than_baseline()
                    .test(Test::PairedT)
                    .alpha(0.01),
            )
            .hypothesis("cost differs", metric("cost").test(Test::WelchT))
            .hypothesis(
                "better by sign",
                metric("score").greater_than_baseline().verifier(sign_test),
            )
            .correction(Correction::BenjaminiHochberg)
            .rank_by(largest_effect_first),
        _ => experiment.hypothesis(
            "better score",
            metric("score").greater_than_baseline().test(Test::PairedT),
        ),
    }
}

fn main() {
    crystallize::main()
}
