use crystallize::prelude::*;

fn plain(baseline: &[f64], treatment: &[f64]) -> VerifierOutcome {
    VerifierOutcome::new(baseline[0] - treatment[0])
}

fn main() {
    let _ = metric("mean").verifier(plain);
}
