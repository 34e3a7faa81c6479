//! The seeded permutation test of the mean of the per-replicate differences treatment −
//! baseline: under the null hypothesis each difference is as likely negated, so the null
//! distribution flips signs. With at most 13 pairs (2¹³ ≤ 9999) every sign assignment is
//! enumerated and the p-value is exact (the share of assignments at least as extreme); beyond
//! that, [`RESAMPLES`] random sign assignments from a ChaCha generator seeded by the caller
//! give p = (count + 1) / (RESAMPLES + 1), as scipy's `permutation_test` with
//! `permutation_type="samples"` does.

use super::samples::mean;
use super::{Direction, RESAMPLES};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// The generator stream of the permutation test (the bootstrap draws from another).
const STREAM: u64 = 1;

/// (statistic, p-value): the statistic is the mean difference.
pub(crate) fn test(
    differences: &[f64],
    direction: Direction,
    seed: u64,
    notes: &mut Vec<String>,
) -> (Option<f64>, Option<f64>) {
    if differences.is_empty() {
        notes.push("no complete pairs: the permutation test needs at least one".into());
        return (None, None);
    }
    let observed = mean(differences);
    let gamma = (observed * f64::EPSILON * 100.0).abs();
    let (mut below, mut above) = (0usize, 0usize);
    let mut count = |null: f64| {
        if null <= observed + gamma {
            below += 1;
        }
        if null >= observed - gamma {
            above += 1;
        }
    };
    let n = differences.len();
    let (total, adjustment) = if n <= 13 && (1usize << n) <= RESAMPLES {
        let total = 1usize << n;
        let mut flipped = vec![0.0; n];
        for mask in 0..total {
            for (index, (slot, d)) in flipped.iter_mut().zip(differences).enumerate() {
                *slot = if mask >> index & 1 == 1 { -d } else { *d };
            }
            count(mean(&flipped));
        }
        (total as f64, 0.0)
    } else {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(STREAM);
        let mut flipped = vec![0.0; n];
        for _ in 0..RESAMPLES {
            for (slot, d) in flipped.iter_mut().zip(differences) {
                *slot = if rng.random_bool(0.5) { -d } else { *d };
            }
            count(mean(&flipped));
        }
        (RESAMPLES as f64, 1.0)
    };
    let less = (below as f64 + adjustment) / (total + adjustment);
    let greater = (above as f64 + adjustment) / (total + adjustment);
    let p = match direction {
        Direction::Less => less,
        Direction::Greater => greater,
        Direction::Different => 2.0 * less.min(greater),
    };
    (Some(observed), Some(p.clamp(0.0, 1.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_resamples_repeat_for_a_seed_and_stay_in_range() {
        let differences: Vec<f64> = (0..30).map(|i| (i as f64 * 0.37).sin() + 0.2).collect();
        let mut notes = Vec::new();
        let first = test(&differences, Direction::Greater, 3, &mut notes);
        assert_eq!(first, test(&differences, Direction::Greater, 3, &mut notes));
        let p = first.1.expect("defined");
        assert!(p >= 1.0 / (RESAMPLES as f64 + 1.0) && p <= 1.0, "{p}");
        assert!(notes.is_empty());
    }
}
