//! The Mann–Whitney U test of treatment against baseline, as scipy's `mannwhitneyu` with its
//! defaults: exact when a sample has at most 8 values and there are no ties, otherwise the
//! normal approximation with the tie correction and the continuity correction.
//!
//! The statistic is U of the treatment: the number of (treatment, baseline) pairs where the
//! treatment is larger, ties counting one half.

use super::Direction;
use super::distributions::normal_sf;
use super::ranks::{average_ranks, tie_term};

/// The exact distribution is used when the smaller sample has at most this many values.
const EXACT_MAX: usize = 8;
/// The exact distribution's size (smaller × larger sample) beyond which the normal
/// approximation is used instead, to bound memory.
const EXACT_MAX_CELLS: usize = 1_000_000;

/// (statistic, p-value) of the U test.
pub(crate) fn test(
    baseline: &[f64],
    treatment: &[f64],
    direction: Direction,
    notes: &mut Vec<String>,
) -> (Option<f64>, Option<f64>) {
    let (n1, n2) = (treatment.len(), baseline.len());
    if n1 == 0 || n2 == 0 {
        notes.push("a sample has no values: the U test needs one on each side".into());
        return (None, None);
    }
    let pooled: Vec<f64> = treatment.iter().chain(baseline).copied().collect();
    let (ranks, groups) = average_ranks(&pooled);
    let r1: f64 = ranks[..n1].iter().sum();
    let (f1, f2) = (n1 as f64, n2 as f64);
    let u1 = r1 - f1 * (f1 + 1.0) / 2.0;
    let u2 = f1 * f2 - u1;
    let (u, factor) = match direction {
        Direction::Greater => (u1, 1.0),
        Direction::Less => (u2, 1.0),
        Direction::Different => (u1.max(u2), 2.0),
    };
    let ties = groups.iter().any(|&size| size > 1);
    let mut exact = None;
    if (n1 <= EXACT_MAX || n2 <= EXACT_MAX) && !ties {
        exact = exact_sf(u, n1, n2);
        if exact.is_none() {
            notes.push("the exact U distribution is too large: normal approximation used".into());
        }
    }
    let p = match exact {
        Some(p) => p,
        None => {
            let n = f1 + f2;
            let s = (f1 * f2 / 12.0 * ((n + 1.0) - tie_term(&groups) / (n * (n - 1.0)))).sqrt();
            if s == 0.0 {
                notes.push("all values are equal: no evidence of a difference (p = 1)".into());
                1.0
            } else {
                normal_sf((u - f1 * f2 / 2.0 - 0.5) / s)
            }
        }
    };
    (Some(u1), Some((p * factor).clamp(0.0, 1.0)))
}

/// P(U ≥ `u`) under the null hypothesis for samples of `n1` and `n2` values without ties:
/// the coefficients of the Gaussian binomial coefficient [n1 + n2 choose n1]_q count the
/// arrangements by U. `None` when the distribution is too large or its counts overflow.
fn exact_sf(u: f64, n1: usize, n2: usize) -> Option<f64> {
    let (m, n) = (n1.min(n2), n1.max(n2));
    if m.checked_mul(n)? > EXACT_MAX_CELLS {
        return None;
    }
    let max = m * n;
    // Room for the intermediate product before each division.
    let mut counts = vec![0i128; max + n + m + 1];
    counts[0] = 1;
    let mut degree = 0;
    for i in 1..=m {
        // Multiply by (1 − q^(n+i)).
        let shift = n + i;
        for k in (shift..=degree + shift).rev() {
            counts[k] = counts[k].checked_sub(counts[k - shift])?;
        }
        degree += shift;
        // Divide by (1 − q^i): a running sum with stride i.
        for k in i..=degree {
            counts[k] = counts[k].checked_add(counts[k - i])?;
        }
        degree -= i;
    }
    let counts = &counts[..=max];
    let total: i128 = counts
        .iter()
        .try_fold(0i128, |sum, c| sum.checked_add(*c))?;
    let k = u.floor().max(0.0) as usize;
    let upper: i128 = counts
        .iter()
        .skip(k)
        .try_fold(0i128, |sum, c| sum.checked_add(*c))?;
    Some(upper as f64 / total as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exact_distribution_counts_arrangements() {
        // n1 = n2 = 2: U takes 0, 1, 2, 2, 3, 4 over the 6 arrangements.
        assert_eq!(exact_sf(0.0, 2, 2), Some(1.0));
        assert_eq!(exact_sf(2.0, 2, 2), Some(4.0 / 6.0));
        assert_eq!(exact_sf(4.0, 2, 2), Some(1.0 / 6.0));
        assert_eq!(exact_sf(5.0, 2, 2), Some(0.0));
        assert_eq!(exact_sf(1.0, 8, 200_000), None);
    }
}
