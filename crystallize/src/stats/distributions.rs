//! The distributions behind the p-values and intervals, from `statrs`: Student's t and the
//! standard normal. Every function returns `None` (or a clamped value) instead of panicking on
//! arguments outside the domain.

use super::Direction;
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// Student's t with `df` degrees of freedom, if `df` is positive.
fn students_t(df: f64) -> Option<StudentsT> {
    if df.is_nan() || df <= 0.0 {
        return None;
    }
    StudentsT::new(0.0, 1.0, df).ok()
}

/// The one- or two-sided p-value of a t statistic with `df` degrees of freedom.
pub(crate) fn t_p_value(t: f64, df: f64, direction: Direction) -> Option<f64> {
    let dist = students_t(df)?;
    let p = match direction {
        Direction::Greater => dist.sf(t),
        Direction::Less => dist.cdf(t),
        Direction::Different => 2.0 * dist.sf(t.abs()),
    };
    Some(p.clamp(0.0, 1.0))
}

/// The `p`-quantile of Student's t with `df` degrees of freedom, for `p` in (0, 1).
pub(crate) fn t_quantile(p: f64, df: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0) {
        return None;
    }
    let dist = students_t(df)?;
    let mut x = dist.inverse_cdf(p);
    // Two Newton steps on the CDF polish the inverse to full double precision.
    for _ in 0..2 {
        let density = statrs::distribution::Continuous::pdf(&dist, x);
        if density > 0.0 && density.is_finite() {
            let step = (dist.cdf(x) - p) / density;
            if step.is_finite() {
                x -= step;
            }
        }
    }
    x.is_finite().then_some(x)
}

/// The one- or two-sided p-value of a standard normal statistic.
pub(crate) fn normal_p_value(z: f64, direction: Direction) -> f64 {
    let p = match direction {
        Direction::Greater => normal_sf(z),
        Direction::Less => normal_cdf(z),
        Direction::Different => 2.0 * normal_sf(z.abs()),
    };
    p.clamp(0.0, 1.0)
}

/// The standard normal CDF Φ(z) = erfc(−z/√2)/2, from `libm`'s erfc (correctly rounded to
/// within an ulp; statrs' erfc is good to about 1e-10 relative).
pub(crate) fn normal_cdf(z: f64) -> f64 {
    libm::erfc(-z / std::f64::consts::SQRT_2) / 2.0
}

/// The standard normal survival function 1 − Φ(z), accurate in the upper tail.
pub(crate) fn normal_sf(z: f64) -> f64 {
    normal_cdf(-z)
}

/// The standard normal quantile Φ⁻¹(p) for `p` in (0, 1).
pub(crate) fn normal_quantile(p: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0) {
        return None;
    }
    let z = Normal::standard().inverse_cdf(p);
    z.is_finite().then_some(z)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_invert_the_cdf_and_refuse_the_domain_edges() {
        let q = t_quantile(0.975, 9.0).expect("defined");
        assert!((q - 2.262_157_162_798_205).abs() < 1e-12, "{q}");
        assert_eq!(t_quantile(1.0, 9.0), None);
        assert_eq!(t_quantile(0.5, 0.0), None);
        assert_eq!(t_p_value(1.0, f64::NAN, Direction::Greater), None);
        let z = normal_quantile(0.975).expect("defined");
        assert!((z - 1.959_963_984_540_054).abs() < 1e-14, "{z}");
        assert_eq!(normal_quantile(0.0), None);
        assert!((normal_p_value(1.959_963_984_540_054, Direction::Different) - 0.05).abs() < 1e-12);
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-15);
        // scipy.special.ndtr(-3.0)
        assert!((normal_cdf(-3.0) / 0.001_349_898_031_630_093_3 - 1.0).abs() < 1e-14);
        assert!((normal_sf(0.0) - 0.5).abs() < 1e-15);
    }
}
