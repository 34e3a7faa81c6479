use crystallize::prelude::*;

#[step]
fn shift(data: Vec<f64>, (low, high): (f64, f64)) -> Vec<f64> {
    data.into_iter().map(|x| x.clamp(low, high)).collect()
}

fn main() {}
