use crystallize::prelude::*;

/// Not serde-serialisable: a cached step cannot store it.
pub struct Model {
    pub weights: Vec<f64>,
}

#[source]
fn numbers(_ctx: &Ctx) -> Vec<f64> {
    vec![1.0, 2.0]
}

#[step(cache)]
fn fit(data: Vec<f64>) -> Model {
    Model { weights: data }
}

#[experiment]
fn training() -> Experiment {
    Experiment::from(numbers).step(fit)
}

fn main() {}
