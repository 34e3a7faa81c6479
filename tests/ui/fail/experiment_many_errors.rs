use crystallize::prelude::*;

#[source]
fn numbers() -> Vec<f64> {
    vec![1.0, 2.0]
}

// Every problem of one attribute is reported in one compile, each at its own span.
#[experiment(replicate = 3, replicates = 0, seed = "x", strategy = "sometimes", versioned = yes, retention = 2)]
async fn quickstart(factor: f64) -> u32 {
    let _ = Experiment::from(numbers).param("factor", factor);
    42
}

fn main() {}
