use crystallize::prelude::*;

struct Threshold(f64);

#[step]
fn gate(data: Vec<f64>, threshold: Threshold) -> Vec<f64> {
    data.into_iter().filter(|x| *x > threshold.0).collect()
}

fn main() {}
