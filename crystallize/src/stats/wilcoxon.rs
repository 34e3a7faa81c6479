//! The Wilcoxon signed-rank test of the per-replicate differences treatment − baseline, as
//! scipy's `wilcoxon` with its defaults (`zero_method="wilcox"`, no continuity correction,
//! `method="auto"`): zero differences are left out of the ranks; with at most 50 differences
//! and neither ties nor zeros the p-value is exact; with ties or zeros and at most 13
//! differences it is the exact sign-flip permutation distribution of the statistic; otherwise
//! it is the normal approximation with the tie correction.
//!
//! The statistic is R+ (the rank sum of the positive differences) for one-sided tests and
//! min(R+, R−) for the two-sided one, as scipy reports it.

use super::Direction;
use super::distributions::normal_p_value;
use super::ranks::{average_ranks, tie_term};

/// The largest number of differences with an exact p-value (scipy's rule).
const EXACT_MAX: usize = 50;
/// The largest number of differences whose sign flips are enumerated when ties or zeros
/// rule out the exact distribution (2¹³ ≤ 9999, scipy's default number of resamples).
const ENUMERATE_MAX: usize = 13;

/// (statistic, p-value) of the signed-rank test of `differences`.
pub(crate) fn test(
    differences: &[f64],
    direction: Direction,
    notes: &mut Vec<String>,
) -> (Option<f64>, Option<f64>) {
    if differences.is_empty() {
        notes.push("no complete pairs: the signed-rank test needs at least one".into());
        return (None, None);
    }
    let nonzero: Vec<f64> = differences.iter().copied().filter(|d| *d != 0.0).collect();
    let zeros = differences.len() - nonzero.len();
    let magnitudes: Vec<f64> = nonzero.iter().map(|d| d.abs()).collect();
    let (ranks, groups) = average_ranks(&magnitudes);
    let r_plus: f64 = nonzero
        .iter()
        .zip(&ranks)
        .filter(|(d, _)| **d > 0.0)
        .map(|(_, rank)| rank)
        .sum();
    let r_minus: f64 = nonzero
        .iter()
        .zip(&ranks)
        .filter(|(d, _)| **d < 0.0)
        .map(|(_, rank)| rank)
        .sum();
    let statistic = match direction {
        Direction::Different => r_plus.min(r_minus),
        _ => r_plus,
    };
    if nonzero.is_empty() {
        notes.push("all differences are zero: no evidence of a difference (p = 1)".into());
        return (Some(statistic), Some(1.0));
    }
    let ties = groups.iter().any(|&size| size > 1);
    let p = if differences.len() <= EXACT_MAX && !ties && zeros == 0 {
        exact_p(nonzero.len(), r_plus, direction)
    } else if differences.len() <= ENUMERATE_MAX {
        sign_flip_p(&nonzero, &ranks, r_plus, direction)
    } else {
        let n = nonzero.len() as f64;
        let mean = n * (n + 1.0) / 4.0;
        let se = ((n * (n + 1.0) * (2.0 * n + 1.0) - tie_term(&groups) / 2.0) / 24.0).sqrt();
        normal_p_value((r_plus - mean) / se, direction)
    };
    (Some(statistic), Some(p))
}

/// How many subsets of {1, …, n} sum to each total: the null distribution of R+ without ties.
fn subset_sum_counts(n: usize) -> Vec<u64> {
    let max = n * (n + 1) / 2;
    let mut counts = vec![0u64; max + 1];
    counts[0] = 1;
    for rank in 1..=n {
        for total in (rank..=max).rev() {
            counts[total] += counts[total - rank];
        }
    }
    counts
}

/// The exact p-value of R+ = `r_plus` among `n` untied nonzero differences.
fn exact_p(n: usize, r_plus: f64, direction: Direction) -> f64 {
    let counts = subset_sum_counts(n);
    let all = 2f64.powi(n as i32);
    let at_most = |k: f64| -> f64 {
        let k = k.ceil().max(0.0) as usize;
        counts.iter().take(k + 1).map(|&c| c as f64).sum::<f64>() / all
    };
    let at_least = |k: f64| -> f64 {
        let k = k.floor().max(0.0) as usize;
        counts.iter().skip(k).map(|&c| c as f64).sum::<f64>() / all
    };
    let p = match direction {
        Direction::Less => at_most(r_plus),
        Direction::Greater => at_least(r_plus),
        Direction::Different => 2.0 * at_least(r_plus).min(at_most(r_plus)),
    };
    p.clamp(0.0, 1.0)
}

/// The exact p-value of R+ over every sign assignment of the nonzero differences (their
/// ranks fixed), with scipy's `permutation_test` comparison tolerance.
fn sign_flip_p(nonzero: &[f64], ranks: &[f64], observed: f64, direction: Direction) -> f64 {
    let n = nonzero.len();
    let total = 1usize << n;
    let gamma = (observed * f64::EPSILON * 100.0).abs();
    let (mut below, mut above) = (0usize, 0usize);
    for mask in 0..total {
        let null: f64 = ranks
            .iter()
            .enumerate()
            .filter(|(index, _)| mask >> index & 1 == 1)
            .map(|(_, rank)| rank)
            .sum();
        if null <= observed + gamma {
            below += 1;
        }
        if null >= observed - gamma {
            above += 1;
        }
    }
    let (less, greater) = (below as f64 / total as f64, above as f64 / total as f64);
    let p = match direction {
        Direction::Less => less,
        Direction::Greater => greater,
        Direction::Different => 2.0 * less.min(greater),
    };
    p.clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subset_sums_count_every_sign_assignment() {
        let counts = subset_sum_counts(3);
        assert_eq!(counts, vec![1, 1, 1, 2, 1, 1, 1]);
        assert_eq!(subset_sum_counts(50).iter().sum::<u64>(), 1u64 << 50);
    }
}
