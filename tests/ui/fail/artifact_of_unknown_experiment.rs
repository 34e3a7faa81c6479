use crystallize::prelude::*;

#[step]
fn double(data: f64) -> f64 {
    data * 2.0
}

#[experiment]
fn consumer() -> Experiment {
    // There is no experiment `producre`: a typo fails to compile.
    Experiment::from(producre.artifact::<f64>("summary.json")).step(double)
}

fn main() {}
