use crystallize::prelude::*;

#[source]
fn numbers() -> Vec<f64> {
    vec![1.0, 2.0]
}

#[experiment]
fn quickstart(factor: f64) -> Experiment {
    Experiment::from(numbers).param("factor", factor)
}

fn main() {}
