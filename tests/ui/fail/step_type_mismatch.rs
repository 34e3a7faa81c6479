use crystallize::prelude::*;

#[source]
fn numbers() -> Vec<f64> {
    vec![1.0, 2.0]
}

#[step]
fn double(data: f64) -> f64 {
    data * 2.0
}

#[experiment]
fn quickstart() -> Experiment {
    Experiment::from(numbers).step(double)
}

fn main() {}
