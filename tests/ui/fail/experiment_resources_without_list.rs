use crystallize::prelude::*;

#[source]
fn numbers() -> Vec<f64> {
    vec![1.0, 2.0]
}

// Resources are a list in parentheses.
#[experiment(resources = "cpus=4")]
fn sized() -> Experiment {
    Experiment::from(numbers)
}

fn main() {}
