use crystallize::prelude::*;

#[step(cache = true)]
fn scale(data: Vec<f64>, factor: f64) -> Vec<f64> {
    data.into_iter().map(|x| x * factor).collect()
}

fn main() {}
