//! Effect sizes of the treatment against the baseline.
//!
//! - mean difference: mean(treatment) − mean(baseline) (for paired samples the same number as
//!   the mean of the per-replicate differences);
//! - ratio: mean(treatment) / mean(baseline), undefined when the baseline's mean is zero;
//! - Cohen's d: the mean difference over the pooled standard deviation
//!   √(((n_t − 1)s_t² + (n_b − 1)s_b²) / (n_t + n_b − 2)); for paired samples d_z, the mean
//!   of the differences over their standard deviation;
//! - Hedges' g: d × J(df) with the exact small-sample correction
//!   J(df) = Γ(df/2) / (√(df/2) Γ((df − 1)/2)), df = n_t + n_b − 2 (paired: n − 1);
//! - Cliff's delta: (#(t > b) − #(t < b)) / (n_t n_b) over every (treatment, baseline) pair
//!   of values.

use super::Effects;
use super::samples::{Samples, mean, variance};
use statrs::function::gamma::ln_gamma;

/// Every effect size of `samples`, with a note for each one left undefined.
pub(crate) fn effects(samples: &Samples, notes: &mut Vec<String>) -> Effects {
    let (b, t) = (&samples.baseline, &samples.treatment);
    if b.is_empty() || t.is_empty() {
        notes.push("a sample has no values: no effect sizes".into());
        return Effects::default();
    }
    let mean_b = mean(b);
    let mean_difference = if samples.paired {
        mean(&samples.differences())
    } else {
        mean(t) - mean_b
    };
    let ratio = if mean_b == 0.0 {
        notes.push("the baseline's mean is zero: no ratio".into());
        None
    } else {
        Some(mean(t) / mean_b)
    };
    let (spread, df) = if samples.paired {
        let differences = samples.differences();
        (
            variance(&differences).sqrt(),
            differences.len() as f64 - 1.0,
        )
    } else {
        let (nb, nt) = (b.len() as f64, t.len() as f64);
        let df = nb + nt - 2.0;
        let pooled = ((nb - 1.0) * variance(b) + (nt - 1.0) * variance(t)) / df;
        (pooled.max(0.0).sqrt(), df)
    };
    let enough = if samples.paired {
        t.len() >= 2
    } else {
        b.len() >= 2 && t.len() >= 2
    };
    let cohens_d = if !enough {
        notes.push("n < 2: no Cohen's d or Hedges' g".into());
        None
    } else if !(spread.is_finite() && mean_difference.is_finite()) {
        notes.push("values too large: their variance overflows, no Cohen's d or Hedges' g".into());
        None
    } else if spread == 0.0 {
        notes.push("zero variance: no Cohen's d or Hedges' g".into());
        None
    } else {
        Some(mean_difference / spread)
    };
    let hedges_g = cohens_d.and_then(|d| {
        let correction = hedges_correction(df);
        if correction.is_none() {
            notes.push("too few degrees of freedom for Hedges' correction: no Hedges' g".into());
        }
        correction.map(|j| d * j)
    });
    Effects {
        mean_difference: Some(mean_difference),
        ratio,
        cohens_d,
        hedges_g,
        cliffs_delta: Some(cliffs_delta(b, t)),
    }
}

/// Hedges' exact correction factor J(df), defined for df > 1.
fn hedges_correction(df: f64) -> Option<f64> {
    if df.is_nan() || df <= 1.0 {
        return None;
    }
    let j = (ln_gamma(df / 2.0) - ln_gamma((df - 1.0) / 2.0)).exp() / (df / 2.0).sqrt();
    j.is_finite().then_some(j)
}

/// Cliff's delta of treatment values `t` over baseline values `b` (both non-empty).
fn cliffs_delta(b: &[f64], t: &[f64]) -> f64 {
    let mut sorted = b.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut balance: i128 = 0;
    for value in t {
        let below = sorted.partition_point(|x| x < value);
        let above = sorted.len() - sorted.partition_point(|x| x <= value);
        balance += below as i128 - above as i128;
    }
    balance as f64 / (b.len() as f64 * t.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cliffs_delta_counts_dominance() {
        assert_eq!(cliffs_delta(&[1.0, 2.0], &[3.0, 4.0]), 1.0);
        assert_eq!(cliffs_delta(&[3.0, 4.0], &[1.0, 2.0]), -1.0);
        assert_eq!(cliffs_delta(&[1.0, 2.0], &[2.0, 1.0]), 0.0);
        assert_eq!(cliffs_delta(&[1.0, 3.0], &[2.0]), 0.0);
    }

    #[test]
    fn hedges_correction_shrinks_toward_one() {
        assert_eq!(hedges_correction(1.0), None);
        let small = hedges_correction(4.0).expect("defined");
        let large = hedges_correction(400.0).expect("defined");
        assert!(small < large && large < 1.0, "{small} {large}");
        // The usual approximation 1 − 3 / (4 df − 1) agrees closely for large df.
        assert!((large - (1.0 - 3.0 / 1599.0)).abs() < 1e-6);
    }
}
