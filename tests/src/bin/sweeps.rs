//! Experiments whose treatments come from `.sweep(..)` and `.grid(..)`, for
//! `tests/it/sweeps.rs` and `tests/it/html_report.rs`. `CRYSTALLIZE_TEST_SWEEP` (read while the
//! definitions are built) picks a variant:
//!
//! - unset: `swept` sweeps `noise` over 0.5 and 0.25;
//!   `gridded` crosses `lr` [0.1, 0.01] with `depth` [2, 4], and hypothesises that each lowers
//!   `loss` (paired t).
//! - `more`: as unset, with one more value in each: `noise` 0.125, `lr` 0.001.
//! - `empty`, `nan`, `duplicate`, `not-array`, `collision`, `nested`, `bad-string`: `gridded` is defined
//!   wrongly in that way.

use crystallize::prelude::*;

fn variant() -> String {
    std::env::var("CRYSTALLIZE_TEST_SWEEP").unwrap_or_default()
}

/// `n` numbers in [0, 1) from the replicate's generator.
#[source]
fn numbers(ctx: &Ctx) -> Vec<f64> {
    let mut rng = ctx.rng();
    (0..8).map(|_| rng.random::<f64>()).collect()
}

/// Records the mean of the numbers shifted by `noise` as `score`.
#[step]
fn perturb(data: Vec<f64>, noise: f64, ctx: &mut Ctx) -> f64 {
    let score = data.iter().map(|x| x + noise).sum::<f64>() / data.len() as f64;
    ctx.record("score", score);
    score
}

/// Records a made-up `loss` that falls with `depth` and rises with `lr`.
#[step]
fn train(data: Vec<f64>, lr: f64, depth: u32, ctx: &mut Ctx) -> f64 {
    let mean = data.iter().sum::<f64>() / data.len() as f64;
    let loss = mean * lr * 10.0 + 1.0 / f64::from(depth);
    ctx.record("loss", loss);
    ctx.record("depth", f64::from(depth));
    loss
}

#[experiment(replicates = 4)]
fn swept() -> Experiment {
    let mut noise = vec![0.5, 0.25];
    if variant() == "more" {
        noise.push(0.125);
    }
    Experiment::from(numbers)
        .param("noise", 0.0)
        .step(perturb)
        .sweep("noise", noise)
}

#[experiment(replicates = 3)]
fn gridded() -> Experiment {
    let base = Experiment::from(numbers)
        .param("lr", 0.1)
        .param("depth", 1)
        .step(train)
        .hypothesis(
            "lower loss",
            metric("loss").less_than_baseline().test(Test::PairedT),
        );
    match variant().as_str() {
        "more" => base.grid(params! { "lr": [0.1, 0.01, 0.001], "depth": [2, 4] }),
        "empty" => base.grid(params! { "lr": Vec::<f64>::new(), "depth": [2, 4] }),
        "nan" => base.sweep("lr", [0.1, f64::NAN]),
        "duplicate" => base.sweep("lr", [0.1, 0.01, 0.1]),
        "not-array" => base.grid(params! { "lr": 0.1, "depth": [2, 4] }),
        "collision" => base
            .treatment("lr=0.01", params! { "lr": 0.02 })
            .sweep("lr", [0.1, 0.01]),
        "nested" => base.sweep("lr", [vec![0.1], vec![0.2]]),
        "bad-string" => base.sweep("lr", ["fast one"]),
        _ => base.grid(params! { "lr": [0.1, 0.01], "depth": [2, 4] }),
    }
}

fn main() {
    crystallize::main()
}
