use crystallize::prelude::*;

#[verifier(alpha = 0.05)]
fn sign(baseline: &[f64], treatment: &[f64]) -> VerifierOutcome {
    VerifierOutcome::new(baseline[0] - treatment[0])
}

fn main() {}
