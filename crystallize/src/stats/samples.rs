//! Preparing samples for a test: dropping missing and non-finite values (unpaired tests), or
//! pairing by replicate and dropping incomplete pairs (paired tests); and the summaries every
//! test uses.

/// Finite values ready for a test.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Samples {
    /// The baseline's values.
    pub(crate) baseline: Vec<f64>,
    /// The treatment's values; for paired samples, `treatment[i]` pairs with `baseline[i]`.
    pub(crate) treatment: Vec<f64>,
    /// Whether the values are paired by replicate.
    pub(crate) paired: bool,
}

impl Samples {
    /// Per-replicate differences treatment − baseline (meaningful for paired samples).
    pub(crate) fn differences(&self) -> Vec<f64> {
        self.treatment
            .iter()
            .zip(&self.baseline)
            .map(|(t, b)| t - b)
            .collect()
    }
}

/// The values of one side without missing and non-finite ones, with a note per kind dropped.
fn finite_values(side: &str, values: &[Option<f64>], notes: &mut Vec<String>) -> Vec<f64> {
    let missing = values.iter().filter(|value| value.is_none()).count();
    let non_finite = values
        .iter()
        .filter(|value| value.is_some_and(|value| !value.is_finite()))
        .count();
    if missing > 0 {
        notes.push(format!(
            "{side}: {missing} {} without a value left out",
            plural(missing, "replicate", "replicates")
        ));
    }
    if non_finite > 0 {
        notes.push(format!(
            "{side}: {non_finite} non-finite {} (NaN or infinite) left out",
            plural(non_finite, "value", "values")
        ));
    }
    values
        .iter()
        .filter_map(|value| value.filter(|value| value.is_finite()))
        .collect()
}

/// Unpaired samples: each side keeps its finite values.
pub(crate) fn unpaired(
    baseline: &[Option<f64>],
    treatment: &[Option<f64>],
    notes: &mut Vec<String>,
) -> Samples {
    Samples {
        baseline: finite_values("baseline", baseline, notes),
        treatment: finite_values("treatment", treatment, notes),
        paired: false,
    }
}

/// Paired samples: replicate `i` of the baseline with replicate `i` of the treatment; a pair
/// with a missing or non-finite side (or a replicate only one side has) is left out.
pub(crate) fn paired(
    baseline: &[Option<f64>],
    treatment: &[Option<f64>],
    notes: &mut Vec<String>,
) -> Samples {
    let replicates = baseline.len().max(treatment.len());
    let mut samples = Samples {
        baseline: Vec::with_capacity(replicates),
        treatment: Vec::with_capacity(replicates),
        paired: true,
    };
    let (mut missing, mut non_finite) = (0, 0);
    for index in 0..replicates {
        let b = baseline.get(index).copied().flatten();
        let t = treatment.get(index).copied().flatten();
        match (b, t) {
            (Some(b), Some(t)) if b.is_finite() && t.is_finite() => {
                samples.baseline.push(b);
                samples.treatment.push(t);
            }
            (Some(b), Some(t)) if !b.is_finite() || !t.is_finite() => non_finite += 1,
            (Some(b), None) | (None, Some(b)) if !b.is_finite() => non_finite += 1,
            _ => missing += 1,
        }
    }
    if missing > 0 {
        notes.push(format!(
            "{missing} {} without a value on both sides left out of the pairs",
            plural(missing, "replicate", "replicates")
        ));
    }
    if non_finite > 0 {
        notes.push(format!(
            "{non_finite} {} with a non-finite value (NaN or infinite) left out of the pairs",
            plural(non_finite, "replicate", "replicates")
        ));
    }
    samples
}

/// `one` for a count of 1, `many` otherwise.
pub(crate) fn plural<'a>(count: usize, one: &'a str, many: &'a str) -> &'a str {
    if count == 1 { one } else { many }
}

/// The arithmetic mean (0 for no values; callers check the length first).
pub(crate) fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.iter().sum::<f64>() / values.len() as f64
}

/// The sample variance (denominator n − 1), two-pass; 0 for fewer than two values.
pub(crate) fn variance(values: &[f64]) -> f64 {
    if values.len() < 2 {
        return 0.0;
    }
    let center = mean(values);
    values
        .iter()
        .map(|value| (value - center).powi(2))
        .sum::<f64>()
        / (values.len() - 1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpaired_drops_missing_and_non_finite_values_with_notes() {
        let mut notes = Vec::new();
        let samples = unpaired(
            &[Some(1.0), None, Some(f64::NAN), Some(2.0)],
            &[Some(f64::INFINITY), Some(3.0)],
            &mut notes,
        );
        assert_eq!(samples.baseline, vec![1.0, 2.0]);
        assert_eq!(samples.treatment, vec![3.0]);
        assert_eq!(
            notes,
            vec![
                "baseline: 1 replicate without a value left out",
                "baseline: 1 non-finite value (NaN or infinite) left out",
                "treatment: 1 non-finite value (NaN or infinite) left out",
            ]
        );
    }

    #[test]
    fn paired_keeps_complete_pairs_by_replicate() {
        let mut notes = Vec::new();
        let samples = paired(
            &[Some(1.0), None, Some(3.0), Some(4.0), Some(f64::NAN)],
            &[Some(2.0), Some(5.0), Some(3.5), None, Some(1.0), Some(9.0)],
            &mut notes,
        );
        assert_eq!(samples.baseline, vec![1.0, 3.0]);
        assert_eq!(samples.treatment, vec![2.0, 3.5]);
        assert_eq!(samples.differences(), vec![1.0, 0.5]);
        assert_eq!(
            notes,
            vec![
                "3 replicates without a value on both sides left out of the pairs",
                "1 replicate with a non-finite value (NaN or infinite) left out of the pairs",
            ]
        );
    }

    #[test]
    fn mean_and_variance() {
        assert_eq!(mean(&[1.0, 2.0, 6.0]), 3.0);
        assert_eq!(variance(&[1.0, 2.0, 6.0]), 7.0);
        assert_eq!(variance(&[4.0]), 0.0);
        assert_eq!(mean(&[]), 0.0);
    }
}
