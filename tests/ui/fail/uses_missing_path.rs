use crystallize::prelude::*;

mod stats {
    #[crystallize::code]
    pub fn mean(values: &[f64]) -> f64 {
        values.iter().sum::<f64>() / values.len() as f64
    }
}

#[step(uses(stats::median))]
fn summarize(data: Vec<f64>) -> f64 {
    stats::mean(&data)
}

fn main() {}
