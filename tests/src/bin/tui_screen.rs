//! The run screen's fixture behind the crystallize CLI: two independent experiments, `alpha`
//! (a treatment, plain steps) and `beta` (a cached step); `slow`, whose units sleep
//! `TUI_FIXTURE_SLEEP_MS` each; and `fragile`, whose step panics when `TUI_FIXTURE_PANIC=1`.

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

#[step]
fn nap(data: Vec<f64>) -> Vec<f64> {
    let millis = std::env::var("TUI_FIXTURE_SLEEP_MS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(0);
    std::thread::sleep(std::time::Duration::from_millis(millis));
    data
}

#[step]
fn brittle(data: Vec<f64>, ctx: &Ctx) -> f64 {
    println!("brittle saw replicate {}", ctx.replicate());
    if std::env::var("TUI_FIXTURE_PANIC").is_ok_and(|value| value == "1") && ctx.replicate() == 1 {
        panic!("brittle broke on replicate 1");
    }
    data[0]
}

#[experiment(replicates = 12)]
fn slow() -> Experiment {
    Experiment::from(draws).step(nap).step(mean)
}

#[experiment(replicates = 3)]
fn fragile() -> Experiment {
    Experiment::from(draws).step(brittle)
}

fn main() {
    crystallize::main()
}
