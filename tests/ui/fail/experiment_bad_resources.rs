use crystallize::prelude::*;

#[source]
fn numbers() -> Vec<f64> {
    vec![1.0, 2.0]
}

// Every bad resource is reported in one compile, each at its own token.
#[experiment(
    replicates = 2,
    resources(cpus = 0, mem = "8GB", time = "1h", gpus = "1", nodes = 2, cpus = 4)
)]
fn sized() -> Experiment {
    Experiment::from(numbers)
}

// Time fields out of range, memory without a unit, and values that are not literals.
#[experiment(resources(time = "10:60", mem = "512", cpus = many))]
fn out_of_range() -> Experiment {
    Experiment::from(numbers)
}

fn main() {}
