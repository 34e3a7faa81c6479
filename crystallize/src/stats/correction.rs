//! Multiple-comparison correction, as `statsmodels.stats.multitest.multipletests`: Holm's
//! step-down procedure (family-wise error rate) and Benjamini–Hochberg's step-up procedure
//! (false discovery rate), both monotone in the sorted p-values and capped at 1.

use super::Correction;

/// Adjusted p-values in input order. Non-finite entries stay as they are and do not count
/// among the tests; finite ones are first clamped to [0, 1].
pub(crate) fn adjust(p_values: &[f64], correction: Correction) -> Vec<f64> {
    let mut adjusted: Vec<f64> = p_values
        .iter()
        .map(|p| if p.is_finite() { p.clamp(0.0, 1.0) } else { *p })
        .collect();
    let mut order: Vec<usize> = (0..adjusted.len())
        .filter(|&index| adjusted[index].is_finite())
        .collect();
    order.sort_by(|&a, &b| adjusted[a].total_cmp(&adjusted[b]));
    let m = order.len() as f64;
    match correction {
        Correction::None => {}
        Correction::Holm => {
            let mut running: f64 = 0.0;
            for (rank, &index) in order.iter().enumerate() {
                running = running.max((m - rank as f64) * adjusted[index]);
                adjusted[index] = running.min(1.0);
            }
        }
        Correction::BenjaminiHochberg => {
            let mut running: f64 = 1.0;
            for (rank, &index) in order.iter().enumerate().rev() {
                running = running.min(m / (rank as f64 + 1.0) * adjusted[index]);
                adjusted[index] = running.min(1.0);
            }
        }
    }
    adjusted
}
