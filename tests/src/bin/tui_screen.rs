//! The run screen's fixture: two independent experiments, one with a treatment and a plain
//! step, one with a cached step, behind the crystallize CLI.

use crystallize::prelude::*;

#[source]
fn draws(ctx: &Ctx) -> Vec<f64> {
    let mut rng = ctx.rng();
    (0..8).map(|_| rng.random()).collect()
}

#[step]
fn scale(data: Vec<f64>, factor: f64) -> Vec<f64> {
    data.into_iter().map(|x| x * factor).collect()
}

#[step]
fn mean(data: Vec<f64>, ctx: &mut Ctx) -> f64 {
    let value = data.iter().sum::<f64>() / data.len() as f64;
    ctx.record("mean", value);
    value
}

#[step(cache)]
fn total(data: Vec<f64>, ctx: &mut Ctx) -> f64 {
    let value: f64 = data.iter().sum();
    ctx.record("total", value);
    value
}

#[experiment(replicates = 3)]
fn alpha() -> Experiment {
    Experiment::from(draws)
        .param("factor", 1.0)
        .step(scale)
        .step(mean)
        .treatment("double", params! { "factor": 2.0 })
}

#[experiment(replicates = 2)]
fn beta() -> Experiment {
    Experiment::from(draws).step(total)
}

fn main() {
    crystallize::main()
}
