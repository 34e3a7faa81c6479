//! Descriptive statistics of per-replicate metric values.

/// Mean, sample standard deviation and count of the values that are present and finite.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Summary {
    /// Number of values used.
    pub n: usize,
    /// Arithmetic mean (NaN when `n == 0`).
    pub mean: f64,
    /// Sample standard deviation, `n - 1` denominator (NaN when `n < 2`).
    pub sd: f64,
}

/// Summarises `values`, skipping missing and non-finite ones: `[1, 2, None, 3]` gives n 3,
/// mean 2 and sd 1.
pub(crate) fn summarize(values: &[Option<f64>]) -> Summary {
    let present: Vec<f64> = values
        .iter()
        .flatten()
        .copied()
        .filter(|value| value.is_finite())
        .collect();
    let n = present.len();
    if n == 0 {
        return Summary {
            n,
            mean: f64::NAN,
            sd: f64::NAN,
        };
    }
    let mean = present.iter().sum::<f64>() / n as f64;
    let sd = if n < 2 {
        f64::NAN
    } else {
        let squares: f64 = present.iter().map(|value| (value - mean).powi(2)).sum();
        (squares / (n - 1) as f64).sqrt()
    };
    Summary { n, mean, sd }
}

/// Formats a number compactly: four decimals, or scientific notation for very large or small
/// magnitudes.
pub(crate) fn format_number(value: f64) -> String {
    if !value.is_finite() {
        return "-".to_string();
    }
    let magnitude = value.abs();
    if magnitude != 0.0 && !(1e-3..1e6).contains(&magnitude) {
        format!("{value:.3e}")
    } else {
        format!("{value:.4}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summarizes_present_values() {
        let s = summarize(&[Some(1.0), Some(2.0), None, Some(3.0)]);
        assert_eq!((s.n, s.mean, s.sd), (3, 2.0, 1.0));
    }

    #[test]
    fn summary_of_edge_cases() {
        let empty = summarize(&[]);
        assert_eq!(empty.n, 0);
        assert!(empty.mean.is_nan());
        let one = summarize(&[Some(4.0), Some(f64::NAN)]);
        assert_eq!((one.n, one.mean), (1, 4.0));
        assert!(one.sd.is_nan());
    }

    #[test]
    fn number_formats() {
        assert_eq!(format_number(0.5), "0.5000");
        assert_eq!(format_number(1234567.0), "1.235e6");
        assert_eq!(format_number(0.0), "0.0000");
        assert_eq!(format_number(f64::NAN), "-");
    }
}
