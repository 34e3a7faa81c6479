use crystallize::prelude::*;

#[source]
fn numbers() -> Vec<f64> {
    vec![1.0, 2.0]
}

// An executor crystallize does not have.
#[experiment(executor = "slrum")]
fn misspelt() -> Experiment {
    Experiment::from(numbers)
}

// The executor's name is a string.
#[experiment(executor = slurm)]
fn unquoted() -> Experiment {
    Experiment::from(numbers)
}

fn main() {}
