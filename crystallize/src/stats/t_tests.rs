//! The t tests: Welch's (unequal variances, Welch–Satterthwaite degrees of freedom), Student's
//! (pooled variance) and the paired t test (a one-sample t test of the per-replicate
//! differences), each with its analytic confidence interval of the mean difference.

use super::distributions::{t_p_value, t_quantile};
use super::samples::{Samples, mean, variance};
use super::{Direction, Interval, IntervalMethod, Outcome};

/// Welch's t test of treatment − baseline.
pub(crate) fn welch(
    samples: &Samples,
    direction: Direction,
    level: Option<f64>,
    notes: &mut Vec<String>,
) -> Outcome {
    let (b, t) = (&samples.baseline, &samples.treatment);
    if b.len() < 2 || t.len() < 2 {
        notes.push("n < 2 in a sample: the t test needs two values on each side".into());
        return Outcome::default();
    }
    let (nb, nt) = (b.len() as f64, t.len() as f64);
    let (vb, vt) = (variance(b) / nb, variance(t) / nt);
    let se = (vb + vt).sqrt();
    let df = (vb + vt).powi(2) / (vb * vb / (nb - 1.0) + vt * vt / (nt - 1.0));
    from_t(mean(t) - mean(b), se, df, direction, level, notes)
}

/// Student's t test of treatment − baseline (pooled variance).
pub(crate) fn student(
    samples: &Samples,
    direction: Direction,
    level: Option<f64>,
    notes: &mut Vec<String>,
) -> Outcome {
    let (b, t) = (&samples.baseline, &samples.treatment);
    if b.len() < 2 || t.len() < 2 {
        notes.push("n < 2 in a sample: the t test needs two values on each side".into());
        return Outcome::default();
    }
    let (nb, nt) = (b.len() as f64, t.len() as f64);
    let df = nb + nt - 2.0;
    let pooled = ((nb - 1.0) * variance(b) + (nt - 1.0) * variance(t)) / df;
    let se = (pooled * (1.0 / nb + 1.0 / nt)).sqrt();
    from_t(mean(t) - mean(b), se, df, direction, level, notes)
}

/// The paired t test: a one-sample t test of the differences treatment − baseline.
pub(crate) fn paired(
    samples: &Samples,
    direction: Direction,
    level: Option<f64>,
    notes: &mut Vec<String>,
) -> Outcome {
    let differences = samples.differences();
    if differences.len() < 2 {
        notes.push("n < 2 pairs: the paired t test needs two complete pairs".into());
        return Outcome::default();
    }
    let n = differences.len() as f64;
    let se = (variance(&differences) / n).sqrt();
    from_t(mean(&differences), se, n - 1.0, direction, level, notes)
}

/// The statistic, p-value and interval of a mean difference `difference` with standard error
/// `se` on `df` degrees of freedom. A zero standard error (zero variance) has no t statistic:
/// equal means give p = 1; different means are an exact difference, p = 0 when it points in
/// `direction` (or either way for `Different`) and p = 1 otherwise; the interval is the point.
fn from_t(
    difference: f64,
    se: f64,
    df: f64,
    direction: Direction,
    level: Option<f64>,
    notes: &mut Vec<String>,
) -> Outcome {
    if !(difference.is_finite() && se.is_finite()) {
        notes.push("values too large: their variance overflows, no t test".into());
        return Outcome::default();
    }
    if se == 0.0 {
        let p = if difference == 0.0 {
            notes.push(
                "zero variance and no difference: no evidence of a difference (p = 1)".into(),
            );
            1.0
        } else {
            notes.push("zero variance: the difference is exact (p is 0 or 1)".into());
            let agrees = match direction {
                Direction::Greater => difference > 0.0,
                Direction::Less => difference < 0.0,
                Direction::Different => true,
            };
            if agrees { 0.0 } else { 1.0 }
        };
        return Outcome {
            statistic: None,
            p_value: Some(p),
            ci: level.map(|level| Interval {
                low: difference,
                high: difference,
                level,
                method: IntervalMethod::Analytic,
            }),
        };
    }
    if df.is_nan() {
        notes.push("values too large: their variance overflows, no t test".into());
        return Outcome::default();
    }
    let statistic = difference / se;
    let ci = level.and_then(|level| {
        let q = t_quantile(1.0 - (1.0 - level) / 2.0, df)?;
        Some(Interval {
            low: difference - q * se,
            high: difference + q * se,
            level,
            method: IntervalMethod::Analytic,
        })
    });
    Outcome {
        statistic: Some(statistic),
        p_value: t_p_value(statistic, df, direction),
        ci,
    }
}
