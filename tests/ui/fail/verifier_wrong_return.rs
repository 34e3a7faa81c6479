use crystallize::prelude::*;

#[verifier]
fn p_only(baseline: &[f64], treatment: &[f64]) -> f64 {
    baseline[0] - treatment[0]
}

#[verifier]
fn nothing(_baseline: &[f64], _treatment: &[f64]) {}

fn main() {}
