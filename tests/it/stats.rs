//! `crystallize::stats` through its public API: every comparison of the committed scipy
//! reference (`crystallize/src/stats/fixtures/scipy_reference.json`, written by
//! `tools/scipy_reference.py`; no Python needed) gives scipy's statistic and p-value, the
//! corrections give statsmodels' adjusted p-values, and a comparison serialises with the field
//! names the reports use.

use crystallize::stats::{
    Comparison, Correction, Direction, IntervalMethod, RESAMPLES, Test, adjust, compare,
};
use serde_json::Value;
use std::path::PathBuf;

/// The committed reference document.
fn reference() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../crystallize/src/stats/fixtures/scipy_reference.json");
    let text = std::fs::read_to_string(&path).expect("the committed fixture is readable");
    serde_json::from_str(&text).expect("the committed fixture parses")
}

/// A JSON array of numbers and nulls as values by replicate.
fn values(value: &Value) -> Vec<Option<f64>> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(Value::as_f64)
        .collect()
}

/// Equal at 1e-9 relative, or 1e-12 absolute near zero.
fn close(actual: f64, expected: f64) -> bool {
    let difference = (actual - expected).abs();
    difference <= 1e-9 * expected.abs().max(actual.abs()) || difference <= 1e-12
}

#[test]
fn every_comparison_gives_scipys_statistic_and_p_value() {
    let reference = reference();
    let cases = reference["comparisons"].as_array().expect("comparisons");
    assert!(cases.len() > 250, "{} cases", cases.len());
    let mut problems = Vec::new();
    for case in cases {
        let test: Test = serde_json::from_value(case["test"].clone()).expect("a test");
        let direction: Direction =
            serde_json::from_value(case["direction"].clone()).expect("a direction");
        let label = format!("{} / {test:?} / {direction:?}", case["name"]);
        let got = compare(
            &values(&case["baseline"]),
            &values(&case["treatment"]),
            test,
            direction,
            case["alpha"].as_f64().expect("alpha"),
            2026,
        );
        match (got.statistic, case["statistic"].as_f64()) {
            (None, None) => {}
            (Some(got), Some(expected)) if close(got, expected) => {}
            (got, expected) => problems.push(format!("{label}: statistic {got:?} vs {expected:?}")),
        }
        let approximate = case["exact"] == Value::Bool(false);
        match (got.p_value, case["p_value"].as_f64()) {
            (Some(p), Some(expected)) if approximate => {
                // scipy drew its resamples with its own generator.
                if (p - expected).abs() > 0.01 || p < 1.0 / (RESAMPLES as f64 + 1.0) {
                    problems.push(format!("{label}: p {p} vs {expected} (resampled)"));
                }
            }
            (Some(p), Some(expected)) if close(p, expected) => {}
            // Where scipy has no p-value, ours is defined and explained.
            (_, None) if !got.notes.is_empty() => {}
            (got_p, expected) => problems.push(format!(
                "{label}: p {got_p:?} vs {expected:?} ({:?})",
                got.notes
            )),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn corrections_give_statsmodels_adjusted_p_values() {
    let reference = reference();
    for case in reference["corrections"].as_array().expect("corrections") {
        let raw: Vec<f64> = values(&case["p_values"]).into_iter().flatten().collect();
        for (correction, key) in [
            (Correction::Holm, "holm"),
            (Correction::BenjaminiHochberg, "benjamini-hochberg"),
        ] {
            let expected: Vec<f64> = values(&case[key]).into_iter().flatten().collect();
            let got = adjust(&raw, correction);
            assert!(
                got.len() == expected.len()
                    && got.iter().zip(&expected).all(|(g, e)| close(*g, *e)),
                "{key} of {raw:?}: {got:?} vs {expected:?}"
            );
        }
    }
}

#[test]
fn a_comparison_serialises_with_the_report_field_names() {
    let baseline = [
        Some(0.48),
        Some(0.52),
        Some(0.47),
        Some(0.55),
        Some(0.50),
        None,
    ];
    let treatment = [0.97, 1.05, 0.93, 1.11, 0.99, 1.0].map(Some);
    let comparison = compare(
        &baseline,
        &treatment,
        Test::PairedT,
        Direction::Greater,
        0.05,
        0,
    );
    let json = serde_json::to_value(&comparison).expect("serialises");
    assert_eq!(json["test"], "paired-t");
    assert_eq!(json["direction"], "greater");
    assert_eq!(
        (json["n_baseline"].as_u64(), json["n_treatment"].as_u64()),
        (Some(5), Some(5))
    );
    assert!(
        json["p_value"]
            .as_f64()
            .is_some_and(|p| p > 0.0 && p < 1e-4),
        "{json}"
    );
    assert!(
        json["statistic"].as_f64().is_some_and(|t| t > 10.0),
        "{json}"
    );
    assert_eq!(json["ci"]["method"], "analytic");
    assert_eq!(json["ci"]["level"], 0.95);
    let effect = json["effect"].as_f64().expect("an effect");
    assert!((effect - 0.506).abs() < 1e-12, "{effect}");
    assert!(
        json["ci"]["low"].as_f64() < Some(effect) && json["ci"]["high"].as_f64() > Some(effect)
    );
    for key in [
        "mean_difference",
        "ratio",
        "cohens_d",
        "hedges_g",
        "cliffs_delta",
    ] {
        assert!(json["effects"][key].is_number(), "{key}: {json}");
    }
    assert_eq!(json["effects"]["cliffs_delta"], 1.0);
    assert_eq!(
        json["notes"],
        serde_json::json!(["1 replicate without a value on both sides left out of the pairs"])
    );
    let back: Comparison = serde_json::from_value(json).expect("parses back");
    assert_eq!(back, comparison);

    let ranked = compare(
        &baseline,
        &treatment,
        Test::MannWhitney,
        Direction::Greater,
        0.05,
        0,
    );
    let ci = ranked.ci.expect("a bootstrap interval");
    assert_eq!(ci.method, IntervalMethod::BcaBootstrap);
    assert_eq!(
        ranked.statistic,
        Some(30.0),
        "every treatment value beats every baseline one"
    );
    // Exact: 1 / C(11, 5).
    assert!((ranked.p_value.expect("a p-value") - 1.0 / 462.0).abs() < 1e-15);
}

#[test]
fn the_readme_numbers_pairing_beats_welch_on_shared_noise() {
    let baseline = [3.1, 5.4, 2.2, 4.8, 3.9, 6.0, 2.7, 4.4].map(Some);
    let treatment = [3.45, 5.68, 2.51, 5.05, 4.23, 6.3, 2.97, 4.72].map(Some);
    let paired = compare(
        &baseline,
        &treatment,
        Test::PairedT,
        Direction::Greater,
        0.05,
        0,
    );
    let welch = compare(
        &baseline,
        &treatment,
        Test::WelchT,
        Direction::Greater,
        0.05,
        0,
    );
    // scipy: ttest_rel(...).pvalue, its confidence_interval(0.95), ttest_ind(equal_var=False).
    assert!(close(
        paired.p_value.expect("p"),
        1.720_333_416_412_596_4e-8
    ));
    let ci = paired.ci.expect("an interval");
    assert!(close(ci.low, 0.273_544_838_233_559_35) && close(ci.high, 0.328_955_161_766_440_35));
    assert!((paired.effect.expect("an effect") - 0.30125).abs() < 1e-12);
    assert!(close(welch.p_value.expect("p"), 0.328_823_851_444_185_9));
    let adjusted = adjust(&[paired.p_value.expect("p"), 0.04], Correction::Holm);
    assert!(close(adjusted[0], 2.0 * 1.720_333_416_412_596_4e-8) && adjusted[1] == 0.04);
}
