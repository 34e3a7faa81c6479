//! The seeded bias-corrected and accelerated (BCa) bootstrap interval of the mean difference,
//! as scipy's `bootstrap(method="BCa")`: [`RESAMPLES`] resamples drawn with replacement from
//! each sample (paired samples resample whole pairs, i.e. their differences) by a ChaCha
//! generator seeded by the caller; the bias correction z₀ from the share of resampled
//! statistics below the observed one (ties counting one half); the acceleration from the
//! jackknife of each sample; the bounds as linear-interpolated quantiles of the resampled
//! statistics.

use super::distributions::{normal_cdf, normal_quantile};
use super::samples::{Samples, mean};
use super::{Interval, IntervalMethod, RESAMPLES};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// The generator stream of the bootstrap (the permutation test draws from another).
const STREAM: u64 = 2;

/// The data a statistic is computed from: one sample (its mean) or two (the difference of
/// their means, first minus second).
pub(crate) enum Data {
    /// The per-replicate differences of paired samples.
    One(Vec<f64>),
    /// Treatment and baseline values of unpaired samples.
    Two(Vec<f64>, Vec<f64>),
}

impl Data {
    /// The data of `samples`.
    pub(crate) fn of(samples: &Samples) -> Data {
        if samples.paired {
            Data::One(samples.differences())
        } else {
            Data::Two(samples.treatment.clone(), samples.baseline.clone())
        }
    }

    /// The samples, in order.
    fn samples(&self) -> Vec<&[f64]> {
        match self {
            Data::One(values) => vec![values],
            Data::Two(first, second) => vec![first, second],
        }
    }

    /// The statistic of samples with these means.
    fn statistic(means: &[f64]) -> f64 {
        match means {
            [one] => *one,
            [first, second] => first - second,
            _ => 0.0,
        }
    }
}

/// The BCa interval of the mean difference at `level`, or `None` with a note when it is
/// undefined (a sample with fewer than two values, or the observed statistic outside the
/// resampled ones). Zero variance in every sample gives the point interval.
pub(crate) fn interval(
    data: &Data,
    level: f64,
    seed: u64,
    notes: &mut Vec<String>,
) -> Option<Interval> {
    let samples = data.samples();
    if samples.iter().any(|sample| sample.len() < 2) {
        notes.push("n < 2: no bootstrap interval".into());
        return None;
    }
    let means: Vec<f64> = samples.iter().map(|sample| mean(sample)).collect();
    let observed = Data::statistic(&means);
    let constant = samples
        .iter()
        .all(|sample| sample.iter().all(|value| *value == sample[0]));
    if constant {
        notes.push("zero variance: the bootstrap interval is a point".into());
        return Some(Interval {
            low: observed,
            high: observed,
            level,
            method: IntervalMethod::BcaBootstrap,
        });
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(STREAM);
    let mut resampled = Vec::with_capacity(RESAMPLES);
    let mut resample_means = vec![0.0; samples.len()];
    for _ in 0..RESAMPLES {
        for (slot, sample) in resample_means.iter_mut().zip(&samples) {
            let n = sample.len();
            let sum: f64 = (0..n).map(|_| sample[rng.random_range(0..n)]).sum();
            *slot = sum / n as f64;
        }
        resampled.push(Data::statistic(&resample_means));
    }
    let bounds = bca(&samples, &resampled, (1.0 - level) / 2.0);
    match bounds {
        Some(bounds) => Some(Interval {
            low: bounds.low,
            high: bounds.high,
            level,
            method: IntervalMethod::BcaBootstrap,
        }),
        None => {
            notes.push(
                "the BCa interval is undefined: the observed effect lies outside the \
                 bootstrap distribution"
                    .into(),
            );
            None
        }
    }
}

/// The pieces of a BCa interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Bca {
    /// The adjusted lower quantile level.
    pub(crate) alpha_1: f64,
    /// The adjusted upper quantile level.
    pub(crate) alpha_2: f64,
    /// The acceleration.
    pub(crate) a_hat: f64,
    /// The lower bound.
    pub(crate) low: f64,
    /// The upper bound.
    pub(crate) high: f64,
}

/// The BCa interval of the mean (one sample) or mean difference (two) from the resampled
/// statistics `resampled`, with `alpha` in each tail; `None` when undefined.
pub(crate) fn bca(samples: &[&[f64]], resampled: &[f64], alpha: f64) -> Option<Bca> {
    if resampled.is_empty() || samples.iter().any(|sample| sample.len() < 2) {
        return None;
    }
    let means: Vec<f64> = samples.iter().map(|sample| mean(sample)).collect();
    let observed = Data::statistic(&means);
    let below = resampled.iter().filter(|value| **value < observed).count();
    let at_most = resampled.iter().filter(|value| **value <= observed).count();
    let z0 = normal_quantile((below + at_most) as f64 / (2.0 * resampled.len() as f64))?;
    // The jackknife: each sample's leave-one-out statistics.
    let (mut numerator, mut denominator) = (0.0, 0.0);
    for (j, sample) in samples.iter().enumerate() {
        let n = sample.len() as f64;
        let sum: f64 = sample.iter().sum();
        let jackknife: Vec<f64> = sample
            .iter()
            .map(|left_out| {
                let mut leave_one_out = means.clone();
                leave_one_out[j] = (sum - left_out) / (n - 1.0);
                Data::statistic(&leave_one_out)
            })
            .collect();
        let center = mean(&jackknife);
        let u: Vec<f64> = jackknife
            .iter()
            .map(|theta| (n - 1.0) * (center - theta))
            .collect();
        numerator += u.iter().map(|u| u.powi(3)).sum::<f64>() / n.powi(3);
        denominator += u.iter().map(|u| u.powi(2)).sum::<f64>() / n.powi(2);
    }
    let a_hat = numerator / denominator.powf(1.5) / 6.0;
    let z_alpha = normal_quantile(alpha)?;
    let adjusted = |z: f64| {
        let num = z0 + z;
        normal_cdf(z0 + num / (1.0 - a_hat * num))
    };
    let (alpha_1, alpha_2) = (adjusted(z_alpha), adjusted(-z_alpha));
    if !(alpha_1.is_finite() && alpha_2.is_finite() && a_hat.is_finite()) {
        return None;
    }
    let mut sorted = resampled.to_vec();
    sorted.sort_by(f64::total_cmp);
    Some(Bca {
        alpha_1,
        alpha_2,
        a_hat,
        low: quantile(&sorted, alpha_1),
        high: quantile(&sorted, alpha_2),
    })
}

/// The `p`-quantile of sorted values (non-empty), interpolating linearly between order
/// statistics (numpy's default).
pub(crate) fn quantile(sorted: &[f64], p: f64) -> f64 {
    let position = (sorted.len() - 1) as f64 * p.clamp(0.0, 1.0);
    let lower = position.floor() as usize;
    let upper = (lower + 1).min(sorted.len() - 1);
    let fraction = position - lower as f64;
    sorted[lower] + fraction * (sorted[upper] - sorted[lower])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_between_order_statistics() {
        let sorted = [1.0, 2.0, 4.0, 8.0];
        assert_eq!(quantile(&sorted, 0.0), 1.0);
        assert_eq!(quantile(&sorted, 1.0), 8.0);
        assert_eq!(quantile(&sorted, 0.5), 3.0);
        assert_eq!(quantile(&[5.0], 0.3), 5.0);
    }
}
