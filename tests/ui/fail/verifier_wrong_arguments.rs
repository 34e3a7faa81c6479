use crystallize::prelude::*;

#[verifier]
fn one(values: &[f64]) -> VerifierOutcome {
    VerifierOutcome::new(values[0])
}

#[verifier]
fn owned(baseline: Vec<f64>, treatment: &[f32]) -> VerifierOutcome {
    VerifierOutcome::new(baseline[0] + f64::from(treatment[0]))
}

fn main() {}
