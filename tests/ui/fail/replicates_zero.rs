use crystallize::prelude::*;

#[source]
fn numbers() -> Vec<f64> {
    vec![1.0, 2.0]
}

#[experiment(replicates = 0)]
fn quickstart() -> Experiment {
    Experiment::from(numbers)
}

fn main() {}
