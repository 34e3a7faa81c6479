//! A producer → consumer pipeline: `calibration` fits a small model once per replicate (2
//! replicates) and publishes it as `model.json`; `evaluation` (5 replicates) reads it — its
//! replicate `i` reads calibration replicate `i % 2` — and scores fresh data against it.
//!
//! Evaluation inherits calibration's treatment `robust` (with no params of its own: its
//! condition has evaluation's baseline params), so evaluation's `robust` condition reads
//! calibration's `robust` model; evaluation's own treatment `noisy` reads calibration's baseline
//! model.

use crystallize::prelude::*;
use serde::{Deserialize, Serialize};

/// What calibration publishes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// Location estimate.
    pub center: f64,
    /// Scale estimate.
    pub spread: f64,
    /// The calibration replicate it was fitted in.
    pub replicate: u32,
}

/// Sixty-four uniform numbers.
#[source]
pub fn sample(ctx: &Ctx) -> Vec<f64> {
    let mut rng = ctx.rng();
    (0..64).map(|_| rng.random()).collect()
}

/// Fits center and spread, ignoring the `trim` fraction of values at each end.
#[step]
pub fn fit(mut data: Vec<f64>, trim: f64, ctx: &mut Ctx) -> Result<Model, StepError> {
    data.sort_by(f64::total_cmp);
    let cut = (data.len() as f64 * trim) as usize;
    let kept = &data[cut..data.len() - cut];
    let center = kept.iter().sum::<f64>() / kept.len() as f64;
    let spread =
        (kept.iter().map(|x| (x - center).powi(2)).sum::<f64>() / kept.len() as f64).sqrt();
    let model = Model {
        center,
        spread,
        replicate: ctx.replicate(),
    };
    ctx.record("center", center);
    ctx.write_json("model.json", &model)?;
    Ok(model)
}

#[experiment(
    replicates = 2,
    strategy = "resume",
    description = "fits a model once per replicate"
)]
pub fn calibration() -> Experiment {
    Experiment::from(sample)
        .param("trim", 0.0)
        .step(fit)
        .treatment("robust", params! { "trim": 0.1 })
        .output("model.json")
}

/// Scores fresh data (plus `noise`) against the model: records the mean z-score and which
/// calibration replicate the model came from.
#[step]
pub fn score(inputs: (Model, Vec<f64>), noise: f64, ctx: &mut Ctx) -> f64 {
    let (model, fresh) = inputs;
    let bias = fresh
        .iter()
        .map(|x| (x + noise - model.center) / model.spread)
        .sum::<f64>()
        / fresh.len() as f64;
    ctx.record("bias", bias);
    ctx.record("model_replicate", f64::from(model.replicate));
    bias
}

#[experiment(
    replicates = 5,
    strategy = "resume",
    description = "scores fresh data against calibration's model"
)]
pub fn evaluation() -> Experiment {
    Experiment::from((calibration.artifact::<Model>("model.json"), sample))
        .param("noise", 0.0)
        .step(score)
        .treatment("noisy", params! { "noise": 0.5 })
}
