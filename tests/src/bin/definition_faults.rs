//! One experiment, `faulty`, whose definition goes wrong in the way `CRYSTALLIZE_TEST_FAULT`
//! names (read while the definition is built):
//!
//! - unset: a valid definition; its step writes an artifact whose name has
//!   `CRYSTALLIZE_TEST_ARTIFACT_BYTES` bytes (default 12);
//! - `nan-param`: the baseline param `learning_rate` is NaN;
//! - `inf-in-treatment`: treatment `wide` sets `bounds` to `[0.0, inf]`;
//! - `panic`: the definition function panics;
//! - `long-treatment`: a treatment name of 300 bytes.
//!
//! Every fault must stop every command with exit 2 and one clean error before anything runs.

use crystallize::prelude::*;

#[source]
fn numbers(ctx: &Ctx) -> Vec<f64> {
    let mut rng = ctx.rng();
    (0..4).map(|_| rng.random()).collect()
}

/// Records the mean and writes it as an artifact named `artifact` (any length).
#[step]
fn publish(data: Vec<f64>, artifact: String, ctx: &mut Ctx) -> Result<f64, StepError> {
    let mean = data.iter().sum::<f64>() / data.len() as f64;
    ctx.record("mean", mean);
    ctx.write_json(&artifact, &mean)?;
    Ok(mean)
}

fn artifact_name() -> String {
    let bytes = std::env::var("CRYSTALLIZE_TEST_ARTIFACT_BYTES")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(12);
    let mut name = "a".repeat(bytes.max(5) - 5);
    name.push_str(".json");
    name
}

#[experiment(replicates = 2)]
fn faulty() -> Experiment {
    let fault = std::env::var("CRYSTALLIZE_TEST_FAULT").unwrap_or_default();
    let experiment = Experiment::from(numbers)
        .param("artifact", artifact_name())
        .step(publish);
    match fault.as_str() {
        "nan-param" => experiment.param("learning_rate", f64::NAN),
        "inf-in-treatment" => {
            experiment.treatment("wide", params! { "bounds": vec![0.0, f64::INFINITY] })
        }
        "panic" => panic!("the definition of `faulty` is broken"),
        "long-treatment" => experiment.treatment(&"t".repeat(300), params! {}),
        _ => experiment,
    }
}

fn main() {
    crystallize::main()
}
