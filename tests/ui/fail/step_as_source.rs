use crystallize::prelude::*;

#[step]
fn total(data: Vec<f64>) -> f64 {
    data.iter().sum()
}

#[experiment]
fn quickstart() -> Experiment {
    Experiment::from(total)
}

fn main() {}
