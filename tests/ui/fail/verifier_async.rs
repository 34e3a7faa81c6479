use crystallize::prelude::*;

#[verifier]
async fn later(baseline: &[f64], treatment: &[f64]) -> VerifierOutcome {
    VerifierOutcome::new(baseline.len() as f64 / treatment.len() as f64)
}

fn main() {}
