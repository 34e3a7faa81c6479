//! Experiments whose params are right or wrong in the way `CRYSTALLIZE_TEST_PARAMS` names (read
//! while the definitions are built), for `tests/it/definitions.rs`. `params_main` reads numbers
//! (`n`), scales them (`factor`), shifts them (`offset`, an `Option` that may be left out) and
//! records their mean (reading `extra`, if set, through its context); `params_consumer` reads
//! `params_producer`, which defines the treatment `robust`, and weighs what it reads
//! (`weight`).
//!
//! - unset: every param is right; every command works.
//! - `typo-baseline`: the baseline sets `nn` instead of `n`.
//! - `typo-treatment`: treatment `bigger` sets `facter`.
//! - `missing-in-baseline`: only treatment `given` sets `factor`.
//! - `missing-in-consumer`: `params_consumer` does not set `weight`, in any condition (its
//!   baseline and the inherited `robust`).
//! - `context-literal`: the baseline sets `extra`, which the last step reads through its
//!   context by name: accepted.
//! - `context-params`: the baseline sets `anything`, and a step reads `ctx.params()`: accepted.
//! - `context-passed`: the baseline sets `anything`, and a step hands its context to a helper:
//!   accepted.
//! - `context-dynamic-name`: the baseline sets `anything`, and a step reads
//!   `ctx.param(name)` with a name it computes: accepted.

use crystallize::prelude::*;

fn variant() -> String {
    std::env::var("CRYSTALLIZE_TEST_PARAMS").unwrap_or_default()
}

/// `n` numbers from the replicate's generator.
#[source]
fn numbers(n: usize, ctx: &Ctx) -> Vec<f64> {
    let mut rng = ctx.rng();
    (0..n).map(|_| rng.random::<f64>()).collect()
}

#[step]
fn scale(data: Vec<f64>, factor: f64) -> Vec<f64> {
    data.into_iter().map(|x| x * factor).collect()
}

#[step]
fn shift(data: Vec<f64>, offset: Option<f64>) -> Vec<f64> {
    let offset = offset.unwrap_or(0.0);
    data.into_iter().map(|x| x + offset).collect()
}

/// Records `mean` and `extra` (0 unless set).
#[step]
fn summarize(data: Vec<f64>, ctx: &mut Ctx) -> Result<f64, StepError> {
    let extra: Option<f64> = ctx.param::<Option<f64>>("extra")?;
    let mean = data.iter().sum::<f64>() / data.len() as f64;
    ctx.record("mean", mean);
    ctx.record("extra", extra.unwrap_or(0.0));
    Ok(mean)
}

/// Records how many params the condition has.
#[step]
fn count_params(data: Vec<f64>, ctx: &mut Ctx) -> Vec<f64> {
    let count = ctx.params().len();
    ctx.record("param_count", count as f64);
    data
}

fn note_context(ctx: &mut Ctx) {
    ctx.record("noted", 1.0);
}

/// Hands its context to a helper.
#[step]
fn hand_over(data: Vec<f64>, ctx: &mut Ctx) -> Vec<f64> {
    note_context(ctx);
    data
}

/// Reads a param whose name it computes.
#[step]
fn read_computed(data: Vec<f64>, ctx: &mut Ctx) -> Result<Vec<f64>, StepError> {
    let name = ["any", "thing"].concat();
    let value: Option<i64> = ctx.param(&name)?;
    ctx.record("computed", value.unwrap_or(0) as f64);
    Ok(data)
}

#[experiment(replicates = 2)]
fn params_main() -> Experiment {
    let variant = variant();
    let source = Experiment::from(numbers);
    let source = if variant == "typo-baseline" {
        source.param("nn", 8)
    } else {
        source.param("n", 8)
    };
    let scaled = match variant.as_str() {
        "missing-in-baseline" => source
            .step(scale)
            .treatment("given", params! { "factor": 2.0 }),
        _ => source.param("factor", 1.0).step(scale),
    };
    let shifted = scaled.step(shift);
    let shifted = match variant.as_str() {
        "context-params" => shifted.param("anything", 1).step(count_params),
        "context-passed" => shifted.param("anything", 1).step(hand_over),
        "context-dynamic-name" => shifted.param("anything", 1).step(read_computed),
        "context-literal" => shifted.param("extra", 0.5),
        _ => shifted,
    };
    let experiment = shifted
        .step(summarize)
        .treatment("shifted", params! { "offset": 10.0 });
    if variant == "typo-treatment" {
        experiment.treatment("bigger", params! { "facter": 2.0 })
    } else {
        experiment
    }
}

/// Publishes `value.json` = `value`.
#[step]
fn publish(_data: Vec<f64>, value: f64, ctx: &mut Ctx) -> Result<f64, StepError> {
    ctx.write_json("value.json", &value)?;
    Ok(value)
}

#[experiment]
fn params_producer() -> Experiment {
    Experiment::from(numbers)
        .param("n", 2)
        .param("value", 1.0)
        .step(publish)
        .treatment("robust", params! { "value": 2.0 })
        .output("value.json")
}

/// Records `weighted` = value × `weight`.
#[step]
fn weigh(value: f64, weight: f64, ctx: &mut Ctx) -> f64 {
    ctx.record("weighted", value * weight);
    value * weight
}

#[experiment]
fn params_consumer() -> Experiment {
    let experiment = Experiment::from(params_producer.artifact::<f64>("value.json"));
    if variant() == "missing-in-consumer" {
        experiment.step(weigh)
    } else {
        experiment.param("weight", 3.0).step(weigh)
    }
}

fn main() {
    crystallize::main()
}
