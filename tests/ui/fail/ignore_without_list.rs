use crystallize::prelude::*;

#[step(ignore = "log_progress")]
fn scale(data: Vec<f64>) -> Vec<f64> {
    data
}

fn main() {}
