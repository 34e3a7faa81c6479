use crystallize::prelude::*;

// Without a path to the runtime the function is emitted as written, so it stays callable.
#[step(crate = 1)]
fn scale(data: Vec<f64>, factor: f64) -> Vec<f64> {
    data.into_iter().map(|x| x * factor).collect()
}

fn main() {
    assert_eq!(scale(vec![1.0], 2.0), vec![2.0]);
}
