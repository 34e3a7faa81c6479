use crystallize::prelude::*;

#[source]
fn numbers() -> Vec<f64> {
    vec![1.0, 2.0]
}

fn total(data: Vec<f64>) -> f64 {
    data.iter().sum()
}

#[experiment]
fn quickstart() -> Experiment {
    Experiment::from(numbers).step(total)
}

fn main() {}
