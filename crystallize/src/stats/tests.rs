//! The statistics against scipy's reference values (`fixtures/scipy_reference.json`, written
//! by `tools/scipy_reference.py`; no Python needed here), and their properties on inputs scipy
//! has no answer for.
//!
//! Tolerance: 1e-9 relative (1e-12 absolute near zero) for everything exact. Two kinds of
//! values depend on scipy's random generator, which this crate does not share, and are compared
//! loosely: permutation p-values of samples too large to enumerate (0.01 absolute) and scipy's
//! own BCa bootstrap bounds (within 15% of the interval's width). The BCa computation itself is
//! compared exactly, on the bootstrap distribution the fixture records.

use super::*;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// The committed reference document.
#[derive(Deserialize)]
struct Reference {
    versions: serde_json::Map<String, serde_json::Value>,
    comparisons: Vec<Case>,
    corrections: Vec<CorrectionCase>,
    bca: Vec<BcaCase>,
}

/// One scipy comparison of a treatment with a baseline.
#[derive(Deserialize)]
struct Case {
    name: String,
    test: Test,
    direction: Direction,
    alpha: f64,
    baseline: Vec<Option<f64>>,
    treatment: Vec<Option<f64>>,
    n_baseline: usize,
    n_treatment: usize,
    statistic: Option<f64>,
    p_value: Option<f64>,
    exact: bool,
    ci_low: Option<f64>,
    ci_high: Option<f64>,
    effects: Effects,
}

/// One list of p-values with its statsmodels corrections.
#[derive(Deserialize)]
struct CorrectionCase {
    p_values: Vec<f64>,
    holm: Vec<f64>,
    #[serde(rename = "benjamini-hochberg")]
    benjamini_hochberg: Vec<f64>,
}

/// A BCa interval on a recorded bootstrap distribution, and scipy's own bootstrap interval.
#[derive(Deserialize)]
struct BcaCase {
    name: String,
    paired: bool,
    alpha: f64,
    baseline: Vec<Option<f64>>,
    treatment: Vec<Option<f64>>,
    theta_hat_b: Vec<f64>,
    alpha_1: f64,
    alpha_2: f64,
    a_hat: f64,
    low: f64,
    high: f64,
    scipy_bootstrap_low: f64,
    scipy_bootstrap_high: f64,
}

fn reference() -> Reference {
    serde_json::from_str(include_str!("fixtures/scipy_reference.json"))
        .expect("the committed fixture parses")
}

/// Equal at 1e-9 relative, or 1e-12 absolute near zero.
fn close(actual: f64, expected: f64) -> bool {
    let difference = (actual - expected).abs();
    difference <= 1e-9 * expected.abs().max(actual.abs()) || difference <= 1e-12
}

/// Both undefined, or both defined and close.
fn same(actual: Option<f64>, expected: Option<f64>) -> bool {
    match (actual, expected) {
        (None, None) => true,
        (Some(actual), Some(expected)) => close(actual, expected),
        _ => false,
    }
}

#[test]
fn the_fixture_pins_the_generating_versions_and_covers_every_test() {
    let reference = reference();
    assert!(reference.versions.contains_key("scipy"));
    for test in [
        Test::WelchT,
        Test::StudentT,
        Test::PairedT,
        Test::Wilcoxon,
        Test::MannWhitney,
        Test::Permutation,
    ] {
        for direction in [Direction::Greater, Direction::Less, Direction::Different] {
            let cases = reference
                .comparisons
                .iter()
                .filter(|case| case.test == test && case.direction == direction)
                .count();
            assert!(cases >= 10, "{test:?} {direction:?}: {cases} cases");
        }
    }
}

#[test]
fn every_statistic_p_value_interval_and_effect_matches_scipy() {
    let reference = reference();
    let mut problems = Vec::new();
    for case in &reference.comparisons {
        let label = format!("{} / {:?} / {:?}", case.name, case.test, case.direction);
        let got = compare(
            &case.baseline,
            &case.treatment,
            case.test,
            case.direction,
            case.alpha,
            11,
        );
        if (got.n_baseline, got.n_treatment) != (case.n_baseline, case.n_treatment) {
            problems.push(format!(
                "{label}: n {:?}",
                (got.n_baseline, got.n_treatment)
            ));
        }
        if !same(got.statistic, case.statistic) {
            problems.push(format!(
                "{label}: statistic {:?} vs scipy {:?}",
                got.statistic, case.statistic
            ));
        }
        match (got.p_value, case.p_value) {
            (Some(p), Some(expected)) if case.test == Test::Permutation && !case.exact => {
                if (p - expected).abs() > 0.01 {
                    problems.push(format!("{label}: p {p} vs scipy {expected} (approximate)"));
                }
            }
            (Some(p), Some(expected)) => {
                if !close(p, expected) {
                    problems.push(format!("{label}: p {p} vs scipy {expected}"));
                }
            }
            // scipy has no answer: ours is defined and explained.
            (_, None) => {
                if got.notes.is_empty() {
                    problems.push(format!("{label}: scipy's p is undefined but no note"));
                }
            }
            (None, Some(expected)) => {
                problems.push(format!("{label}: p undefined vs scipy {expected}"))
            }
        }
        if let (Some(low), Some(high)) = (case.ci_low, case.ci_high) {
            match &got.ci {
                Some(ci)
                    if close(ci.low, low)
                        && close(ci.high, high)
                        && ci.method == IntervalMethod::Analytic
                        && close(ci.level, 1.0 - case.alpha) => {}
                other => problems.push(format!("{label}: ci {other:?} vs scipy {low}..{high}")),
            }
        }
        let (e, x) = (&got.effects, &case.effects);
        for (what, actual, expected) in [
            ("mean difference", e.mean_difference, x.mean_difference),
            ("ratio", e.ratio, x.ratio),
            ("cohen's d", e.cohens_d, x.cohens_d),
            ("hedges' g", e.hedges_g, x.hedges_g),
            ("cliff's delta", e.cliffs_delta, x.cliffs_delta),
        ] {
            if !same(actual, expected) {
                problems.push(format!("{label}: {what} {actual:?} vs {expected:?}"));
            }
        }
        if got.effect != got.effects.mean_difference {
            problems.push(format!("{label}: effect is not the mean difference"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn corrections_match_statsmodels() {
    for case in reference().corrections {
        for (correction, expected) in [
            (Correction::Holm, &case.holm),
            (Correction::BenjaminiHochberg, &case.benjamini_hochberg),
            (Correction::None, &case.p_values),
        ] {
            let got = adjust(&case.p_values, correction);
            assert_eq!(got.len(), expected.len());
            for (got, expected) in got.iter().zip(expected) {
                assert!(
                    close(*got, *expected),
                    "{correction:?} {:?}: {got} vs {expected}",
                    case.p_values
                );
            }
        }
    }
}

/// The finite values of a fixture sample; paired ones keep complete pairs only.
fn fixture_samples(case: &BcaCase) -> samples::Samples {
    let mut notes = Vec::new();
    if case.paired {
        samples::paired(&case.baseline, &case.treatment, &mut notes)
    } else {
        samples::unpaired(&case.baseline, &case.treatment, &mut notes)
    }
}

#[test]
fn bca_on_a_given_bootstrap_distribution_matches_scipy() {
    for case in reference().bca {
        let samples = fixture_samples(&case);
        let differences = samples.differences();
        let parts: Vec<&[f64]> = if case.paired {
            vec![&differences]
        } else {
            vec![&samples.treatment, &samples.baseline]
        };
        let got = bootstrap::bca(&parts, &case.theta_hat_b, case.alpha / 2.0)
            .unwrap_or_else(|| panic!("{}: defined", case.name));
        for (what, got, expected) in [
            ("alpha_1", got.alpha_1, case.alpha_1),
            ("alpha_2", got.alpha_2, case.alpha_2),
            ("a_hat", got.a_hat, case.a_hat),
            ("low", got.low, case.low),
            ("high", got.high, case.high),
        ] {
            assert!(
                close(got, expected),
                "{} (paired {}): {what} {got} vs {expected}",
                case.name,
                case.paired
            );
        }
    }
}

#[test]
fn seeded_bca_intervals_agree_with_scipys_bootstrap() {
    for case in reference().bca {
        let test = if case.paired {
            Test::Wilcoxon
        } else {
            Test::MannWhitney
        };
        let got = compare(
            &case.baseline,
            &case.treatment,
            test,
            Direction::Different,
            case.alpha,
            5,
        );
        let ci = got
            .ci
            .unwrap_or_else(|| panic!("{}: an interval", case.name));
        assert_eq!(ci.method, IntervalMethod::BcaBootstrap);
        let width = case.scipy_bootstrap_high - case.scipy_bootstrap_low;
        assert!(
            (ci.low - case.scipy_bootstrap_low).abs() <= 0.15 * width
                && (ci.high - case.scipy_bootstrap_high).abs() <= 0.15 * width,
            "{} (paired {}): {ci:?} vs scipy {}..{}",
            case.name,
            case.paired,
            case.scipy_bootstrap_low,
            case.scipy_bootstrap_high
        );
        let effect = got.effect.expect("an effect");
        assert!(
            ci.low <= effect && effect <= ci.high,
            "{}: {ci:?} around {effect}",
            case.name
        );
    }
}

const TESTS: [Test; 6] = [
    Test::WelchT,
    Test::StudentT,
    Test::PairedT,
    Test::Wilcoxon,
    Test::MannWhitney,
    Test::Permutation,
];
const DIRECTIONS: [Direction; 3] = [Direction::Greater, Direction::Less, Direction::Different];

/// Every number in a comparison is finite and every p-value and level is in [0, 1].
fn assert_well_formed(comparison: &Comparison, label: &str) {
    for value in [
        comparison.statistic,
        comparison.effect,
        comparison.effects.mean_difference,
        comparison.effects.ratio,
        comparison.effects.cohens_d,
        comparison.effects.hedges_g,
        comparison.effects.cliffs_delta,
    ]
    .into_iter()
    .flatten()
    {
        assert!(value.is_finite(), "{label}: {comparison:?}");
    }
    if let Some(p) = comparison.p_value {
        assert!((0.0..=1.0).contains(&p), "{label}: p {p}");
    }
    if let Some(ci) = &comparison.ci {
        assert!(
            ci.low.is_finite() && ci.high.is_finite() && ci.low <= ci.high,
            "{label}: {ci:?}"
        );
    }
    if let Some(delta) = comparison.effects.cliffs_delta {
        assert!((-1.0..=1.0).contains(&delta), "{label}: delta {delta}");
    }
}

#[test]
fn random_samples_give_p_values_in_range_and_no_nan() {
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    for round in 0..40 {
        let n_b = rng.random_range(0..25usize);
        let n_t = rng.random_range(0..25usize);
        let shift: f64 = rng.random_range(-1.0..1.0);
        let coarse = round % 3 == 0; // rounded values: many ties
        let draw = |rng: &mut ChaCha8Rng, offset: f64| -> Option<f64> {
            if rng.random_bool(0.1) {
                return None;
            }
            let value: f64 = rng.random_range(-2.0..2.0) + offset;
            Some(if coarse { value.round() } else { value })
        };
        let baseline: Vec<Option<f64>> = (0..n_b).map(|_| draw(&mut rng, 0.0)).collect();
        let treatment: Vec<Option<f64>> = (0..n_t).map(|_| draw(&mut rng, shift)).collect();
        for test in TESTS {
            for direction in DIRECTIONS {
                let comparison = compare(&baseline, &treatment, test, direction, 0.05, round);
                assert_well_formed(
                    &comparison,
                    &format!("round {round} {test:?} {direction:?}"),
                );
                if comparison.p_value.is_none() {
                    assert!(!comparison.notes.is_empty(), "{comparison:?}");
                }
            }
        }
    }
}

/// Values by replicate, as `compare` takes them.
type Values = Vec<Option<f64>>;

#[test]
fn degenerate_input_is_defined_and_explained() {
    let big = f64::MAX / 2.0;
    let inputs: Vec<(&str, Values, Values)> = vec![
        ("empty", vec![], vec![]),
        ("all missing", vec![None, None], vec![None, None]),
        ("one value each", vec![Some(1.0)], vec![Some(2.0)]),
        (
            "nan and infinities",
            vec![Some(f64::NAN), Some(1.0), Some(2.0)],
            vec![Some(f64::INFINITY), Some(f64::NEG_INFINITY), Some(3.0)],
        ),
        ("identical", vec![Some(2.0); 6], vec![Some(2.0); 6]),
        ("constant shift", vec![Some(2.0); 6], vec![Some(3.0); 6]),
        (
            "huge values",
            vec![Some(big), Some(-big), Some(big)],
            vec![Some(-big), Some(big), Some(big)],
        ),
    ];
    for (name, baseline, treatment) in &inputs {
        for test in TESTS {
            for direction in DIRECTIONS {
                let comparison = compare(baseline, treatment, test, direction, 0.05, 1);
                let label = format!("{name} {test:?} {direction:?}");
                assert_well_formed(&comparison, &label);
                assert!(!comparison.notes.is_empty(), "{label}: {comparison:?}");
                // Non-finite numbers would come back as `null`: the round trip proves none.
                let json = serde_json::to_string(&comparison).expect("serializes");
                let back: Comparison = serde_json::from_str(&json).expect("parses");
                assert_eq!(back, comparison, "{label}");
            }
        }
    }
    // The documented answers for zero variance.
    let same = compare(
        &inputs[4].1,
        &inputs[4].2,
        Test::PairedT,
        Direction::Greater,
        0.05,
        0,
    );
    assert_eq!((same.statistic, same.p_value), (None, Some(1.0)));
    let shifted = |direction| compare(&inputs[5].1, &inputs[5].2, Test::WelchT, direction, 0.05, 0);
    assert_eq!(shifted(Direction::Greater).p_value, Some(0.0));
    assert_eq!(shifted(Direction::Less).p_value, Some(1.0));
    assert_eq!(shifted(Direction::Different).p_value, Some(0.0));
    let ci = shifted(Direction::Different).ci.expect("a point interval");
    assert_eq!((ci.low, ci.high), (1.0, 1.0));
    let bad_alpha = compare(
        &inputs[3].1,
        &inputs[3].2,
        Test::WelchT,
        Direction::Greater,
        1.5,
        0,
    );
    assert!(bad_alpha.ci.is_none() && bad_alpha.notes.iter().any(|note| note.contains("alpha")));
    let nan_alpha = compare(
        &inputs[4].1,
        &inputs[5].2,
        Test::Wilcoxon,
        Direction::Greater,
        f64::NAN,
        0,
    );
    assert!(nan_alpha.ci.is_none() && nan_alpha.p_value.is_some());
}

#[test]
fn one_sided_t_p_values_are_complementary_and_half_the_two_sided_one() {
    let baseline: Vec<Option<f64>> = [3.1, 2.4, 4.0, 3.3, 2.9].map(Some).to_vec();
    let treatment: Vec<Option<f64>> = [3.6, 3.0, 4.1, 4.2, 3.3].map(Some).to_vec();
    for test in [Test::WelchT, Test::StudentT, Test::PairedT] {
        let p = |direction| {
            compare(&baseline, &treatment, test, direction, 0.05, 0)
                .p_value
                .expect("defined")
        };
        let (greater, less, two) = (
            p(Direction::Greater),
            p(Direction::Less),
            p(Direction::Different),
        );
        assert!((greater + less - 1.0).abs() < 1e-12, "{test:?}");
        assert!((2.0 * greater.min(less) - two).abs() < 1e-12, "{test:?}");
        assert!(greater < less, "{test:?}: the treatment is larger");
    }
}

#[test]
fn pairing_by_shared_seeds_is_far_more_powerful() {
    // Replicate noise shared by both conditions (as with shared seeds) plus a small shift.
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let noise: Vec<f64> = (0..10).map(|_| rng.random_range(0.0..10.0)).collect();
    let baseline: Vec<Option<f64>> = noise.iter().map(|x| Some(*x)).collect();
    let treatment: Vec<Option<f64>> = noise
        .iter()
        .map(|x| Some(x + 0.5 + rng.random_range(-0.1..0.1)))
        .collect();
    let p = |test| {
        compare(&baseline, &treatment, test, Direction::Greater, 0.05, 0)
            .p_value
            .expect("defined")
    };
    assert!(p(Test::PairedT) < 1e-6, "paired {}", p(Test::PairedT));
    assert!(p(Test::WelchT) > 0.3, "welch {}", p(Test::WelchT));
    assert!(p(Test::Wilcoxon) < 0.001 && p(Test::Permutation) < 0.002);
}

#[test]
fn seeded_results_repeat_and_the_seed_drives_the_resamples() {
    let baseline: Vec<Option<f64>> = (0..30).map(|i| Some((i as f64).sin())).collect();
    let treatment: Vec<Option<f64>> = (0..30)
        .map(|i| Some((i as f64).sin() + 0.1 * (i as f64).cos() + 0.05))
        .collect();
    let run = |seed| {
        compare(
            &baseline,
            &treatment,
            Test::Permutation,
            Direction::Greater,
            0.05,
            seed,
        )
    };
    assert_eq!(run(3), run(3));
    let intervals: Vec<_> = (0..4)
        .map(|seed| run(seed).ci.expect("an interval"))
        .collect();
    assert!(
        intervals.windows(2).any(|pair| pair[0] != pair[1]),
        "{intervals:?}"
    );
}

#[test]
fn adjusted_p_values_are_monotone_bounded_and_not_below_the_raw_ones() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    for _ in 0..50 {
        let m = rng.random_range(1..20usize);
        let raw: Vec<f64> = (0..m)
            .map(|_| rng.random_range(0.0..1.0f64).powi(3))
            .collect();
        let holm = adjust(&raw, Correction::Holm);
        let bh = adjust(&raw, Correction::BenjaminiHochberg);
        assert_eq!(adjust(&raw, Correction::None), raw);
        for i in 0..m {
            assert!(
                raw[i] <= bh[i] && bh[i] <= holm[i] && holm[i] <= 1.0,
                "{raw:?}"
            );
            for j in 0..m {
                if raw[i] <= raw[j] {
                    assert!(holm[i] <= holm[j] && bh[i] <= bh[j], "{raw:?}");
                }
            }
        }
    }
    assert_eq!(adjust(&[], Correction::Holm), Vec::<f64>::new());
    let with_nan = adjust(&[0.01, f64::NAN, 0.02, 1.5], Correction::Holm);
    assert!(with_nan[1].is_nan());
    assert_eq!([with_nan[0], with_nan[2], with_nan[3]], [0.03, 0.04, 1.0]);
}

#[test]
fn names_serialize_as_the_report_spells_them() {
    let names = |value: &dyn erased::Name| value.name();
    assert_eq!(names(&Test::WelchT), "\"welch-t\"");
    assert_eq!(names(&Test::MannWhitney), "\"mann-whitney\"");
    assert_eq!(names(&Direction::Different), "\"different\"");
    assert_eq!(
        names(&Correction::BenjaminiHochberg),
        "\"benjamini-hochberg\""
    );
    assert_eq!(names(&IntervalMethod::BcaBootstrap), "\"bca-bootstrap\"");
    assert_eq!(Correction::default(), Correction::Holm);
    let test: Test = serde_json::from_str("\"paired-t\"").expect("parses");
    assert_eq!(test, Test::PairedT);
}

/// JSON names of serializable values, for the test above.
mod erased {
    /// A value's JSON text.
    pub(super) trait Name {
        /// The JSON text.
        fn name(&self) -> String;
    }
    impl<T: serde::Serialize> Name for T {
        fn name(&self) -> String {
            serde_json::to_string(self).expect("serializes")
        }
    }
}

#[test]
fn paired_tests_pair_by_replicate_and_unpaired_ones_keep_every_value() {
    let baseline = [Some(1.0), Some(2.0), Some(3.0), None];
    let treatment = [None, Some(2.5), Some(3.5), Some(4.0)];
    for test in TESTS {
        let comparison = compare(&baseline, &treatment, test, Direction::Greater, 0.05, 0);
        let expected = if test.is_paired() { (2, 2) } else { (3, 3) };
        assert_eq!(
            (comparison.n_baseline, comparison.n_treatment),
            expected,
            "{test:?}"
        );
        let mean_difference = comparison.effect.expect("an effect");
        let expected = if test.is_paired() {
            0.5
        } else {
            10.0 / 3.0 - 2.0
        };
        assert!(
            (mean_difference - expected).abs() < 1e-12,
            "{test:?}: {mean_difference}"
        );
    }
}
