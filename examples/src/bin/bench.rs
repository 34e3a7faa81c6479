//! Benchmark workloads, mirroring crystallize-ml's anchor scripts (see `bench/run.py`):
//!
//! - `single`: one experiment, a source of 16 random numbers, steps `scale(factor)` then
//!   `summarize` (metric `mean`), baseline plus treatments `double` and `triple`, versioned.
//!   Run with `--replicates 1000` and `--strategy rerun` or `resume`.
//!
//! The example experiments (`quickstart`, ...) are linked in too.

use crystallize::prelude::*;
use crystallize_examples as _;

#[source]
fn numbers(ctx: &Ctx) -> Vec<f64> {
    let mut rng = ctx.rng();
    (0..16).map(|_| rng.random()).collect()
}

#[step]
fn scale(data: Vec<f64>, factor: f64) -> Vec<f64> {
    data.into_iter().map(|x| x * factor).collect()
}

#[step]
fn summarize(data: Vec<f64>, ctx: &mut Ctx) -> f64 {
    let mean = data.iter().sum::<f64>() / data.len() as f64;
    ctx.record("mean", mean);
    mean
}

#[experiment(replicates = 1000, versioned, seed = 7)]
fn single() -> Experiment {
    Experiment::from(numbers)
        .param("factor", 1.0)
        .step(scale)
        .step(summarize)
        .treatment("double", params! { "factor": 2.0 })
        .treatment("triple", params! { "factor": 3.0 })
}

fn main() {
    crystallize::main()
}
