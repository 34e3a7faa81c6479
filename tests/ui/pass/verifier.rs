use crystallize::prelude::*;
use crystallize::{Verifier, VerifierInfo, VerifierOutcome};

/// Counts the replicates where the treatment is greater.
fn wins(baseline: &[f64], treatment: &[f64]) -> usize {
    baseline
        .iter()
        .zip(treatment)
        .filter(|(base, treat)| treat > base)
        .count()
}

/// A one-sided sign test.
#[verifier]
fn sign_test(baseline: &[f64], treatment: &[f64]) -> VerifierOutcome {
    let n = baseline.len() as i32;
    let wins = wins(baseline, treatment) as i32;
    let p: f64 = (wins..=n)
        .map(|k| (0..k).fold(1.0, |c, i| c * f64::from(n - i) / f64::from(i + 1)))
        .sum::<f64>()
        * 0.5f64.powi(n);
    VerifierOutcome::new(p).statistic(f64::from(wins))
}

#[verifier]
fn never(_: &[f64], _: &[f64]) -> VerifierOutcome {
    VerifierOutcome::default().note("never decides")
}

/// What the macro recorded about `verifier`.
fn info<V: Verifier>(_verifier: V) -> VerifierInfo {
    V::INFO
}

/// Calls `verifier` through the trait, as hypotheses do.
fn verify<V: Verifier>(_verifier: V, baseline: &[f64], treatment: &[f64]) -> VerifierOutcome {
    V::verify(baseline, treatment)
}

fn main() {
    // Still callable as written.
    let outcome = sign_test(&[1.0, 2.0], &[2.0, 3.0]);
    assert_eq!(outcome.p_value, Some(0.25));
    assert_eq!(outcome.statistic, Some(2.0));
    // Through the trait, with its name and a code hash.
    let via_trait = verify(sign_test, &[1.0], &[0.0]);
    assert_eq!(via_trait.p_value, Some(1.0));
    assert_eq!(info(sign_test).name, "sign_test");
    // Different code, different hash; `wins` is reached.
    assert_ne!(
        info(sign_test).hash(),
        info(never).hash()
    );
    assert!(
        info(sign_test)
            .reach
            .items
            .iter()
            .any(|item| item.path.ends_with("wins")),
        "{:?}",
        info(sign_test).reach.items
    );
    let _spec = metric("mean").greater_than_baseline().verifier(sign_test);
    assert_eq!(never(&[], &[]).notes, ["never decides"]);
}
