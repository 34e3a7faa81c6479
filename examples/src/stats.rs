//! Helpers whose code results depend on: marked `#[crystallize::code]` so steps that name them in
//! `uses(..)` re-run when they change.

/// Arithmetic mean (NaN for no values).
#[crystallize::code]
pub fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}
