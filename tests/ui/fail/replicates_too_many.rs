use crystallize::prelude::*;

#[source]
fn numbers() -> Vec<f64> {
    vec![1.0, 2.0]
}

// crystallize::MAX_REPLICATES is 1_000_000: one more is refused.
#[experiment(replicates = 1_000_001)]
fn one_too_many() -> Experiment {
    Experiment::from(numbers)
}

#[experiment(replicates = 4294967295)]
fn u32_max() -> Experiment {
    Experiment::from(numbers)
}

#[experiment(replicates = 99999999999999999999999)]
fn beyond_u64() -> Experiment {
    Experiment::from(numbers)
}

fn main() {}
