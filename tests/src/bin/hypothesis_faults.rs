//! Hypotheses that cannot be verified, each refused before anything runs (exit 2):
//!
//! - `unknown_metric`: a hypothesis on `latency`, which no stage records (they record `mean`
//!   and `sd`);
//! - `no_treatments`: a hypothesis on an experiment without treatments.
//!
//! And one that is accepted: `opaque_records` records a metric through a name the macros
//! cannot see, so a hypothesis on any metric is allowed.

use crystallize::prelude::*;

#[source]
fn numbers(ctx: &Ctx) -> Vec<f64> {
    let mut rng = ctx.rng();
    (0..4).map(|_| rng.random()).collect()
}

/// Records `mean` and `sd`.
#[step]
fn summarize(data: Vec<f64>, factor: f64, ctx: &mut Ctx) -> f64 {
    let mean = data.iter().sum::<f64>() / data.len() as f64 * factor;
    ctx.record("mean", mean);
    ctx.record("sd", 0.0);
    mean
}

/// Records a metric whose name is not a literal.
#[step]
fn opaque(data: f64, ctx: &mut Ctx) -> f64 {
    let name = format!("{}_{}", "late", "ncy");
    ctx.record(&name, data);
    data
}

#[experiment(replicates = 2)]
fn unknown_metric() -> Experiment {
    Experiment::from(numbers)
        .param("factor", 1.0)
        .step(summarize)
        .treatment("double", params! { "factor": 2.0 })
        .hypothesis("faster", metric("latency").less_than_baseline())
}

#[experiment(replicates = 2)]
fn no_treatments() -> Experiment {
    Experiment::from(numbers)
        .param("factor", 1.0)
        .step(summarize)
        .hypothesis("bigger", metric("mean").greater_than_baseline())
}

#[experiment(replicates = 2)]
fn opaque_records() -> Experiment {
    Experiment::from(numbers)
        .param("factor", 1.0)
        .step(summarize)
        .step(opaque)
        .treatment("double", params! { "factor": 2.0 })
        .hypothesis("faster", metric("latency").less_than_baseline())
}

fn main() {
    crystallize::main()
}
