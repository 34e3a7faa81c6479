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

/// Significant digits of every number crystallize prints (summary tables, `show`, `plan`).
pub(crate) const SIGNIFICANT_DIGITS: i32 = 4;

/// Formats a number the one way every table and message shows numbers: four significant digits
/// in plain notation (`0.4952`, `12.35`, `1235`, `617284`: never fewer digits before the point
/// than the number has), scientific notation with four significant digits when the magnitude is
/// at least 1e6 or below 1e-3 (`1.235e6`, `4.200e-5`), `0` for zero, and `-` for a value that
/// is missing or not finite.
pub(crate) fn format_number(value: f64) -> String {
    if !value.is_finite() {
        return "-".to_string();
    }
    if value == 0.0 {
        return "0".to_string();
    }
    let magnitude = value.abs();
    if !(1e-3..1e6).contains(&magnitude) {
        return format!("{value:.prec$e}", prec = (SIGNIFICANT_DIGITS - 1) as usize);
    }
    // Rounding to the digits shown may carry into one more digit before the point (9.99996
    // shows as 10.00): the decimals follow the rounded magnitude.
    let decimals =
        |magnitude: f64| (SIGNIFICANT_DIGITS - 1 - magnitude.log10().floor() as i32).max(0);
    let first = decimals(magnitude);
    let rounded: f64 = format!("{magnitude:.prec$}", prec = first as usize)
        .parse()
        .unwrap_or(magnitude);
    if rounded >= 1e6 {
        return format!("{value:.prec$e}", prec = (SIGNIFICANT_DIGITS - 1) as usize);
    }
    format!("{value:.prec$}", prec = decimals(rounded) as usize)
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
    fn numbers_have_four_significant_digits() {
        let cases = [
            (0.5, "0.5000"),
            (0.49523, "0.4952"),
            (0.054_13, "0.05413"),
            (1.0, "1.000"),
            (12.345_6, "12.35"),
            (-12.345_6, "-12.35"),
            (1234.6, "1235"),
            (617_283.5, "617284"),
            (9.999_96, "10.00"),
            (0.001, "0.001000"),
            (999_999.7, "1.000e6"),
            (1_234_567.0, "1.235e6"),
            (0.000_042, "4.200e-5"),
            (-3.0e9, "-3.000e9"),
            (0.0, "0"),
            (f64::NAN, "-"),
            (f64::INFINITY, "-"),
        ];
        for (value, shown) in cases {
            assert_eq!(format_number(value), shown, "{value}");
        }
    }
}
