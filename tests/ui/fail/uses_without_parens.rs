use crystallize::prelude::*;

#[crystallize::code]
fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

#[step(uses = mean)]
fn summarize(data: Vec<f64>) -> f64 {
    mean(&data)
}

fn main() {}
