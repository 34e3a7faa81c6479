//! `replicates = MAX_REPLICATES` compiles and registers; the macro's limit and the runtime's
//! `crystallize::MAX_REPLICATES` are the same number.

use crystallize::prelude::*;

#[source]
fn numbers() -> Vec<f64> {
    vec![1.0, 2.0]
}

#[experiment(replicates = 1_000_000)]
fn at_the_limit() -> Experiment {
    Experiment::from(numbers)
}

fn main() {
    assert_eq!(crystallize::MAX_REPLICATES, 1_000_000);
    let registered = crystallize::__private::collect().expect("a valid definition");
    assert_eq!(registered.len(), 1);
    assert_eq!(registered[0].registration.options.replicates, 1_000_000);
}
