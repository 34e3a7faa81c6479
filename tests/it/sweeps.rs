//! Sweeps and grids (`src/bin/sweeps.rs`): the treatments they generate, by name and params, in
//! definition order; a resume after adding a value runs only the new conditions; bad values are
//! definition errors (exit 2) naming the problem.

use std::path::Path;

use crate::common::{Run, run_bin_with_env};

const SWEEPS: &str = env!("CARGO_BIN_EXE_sweeps");

/// Runs `sweeps` in `variant` with `args`.
fn sweeps(variant: &str, data: &Path, args: &[&str]) -> Run {
    run_bin_with_env(
        SWEEPS,
        data,
        args,
        &[("CRYSTALLIZE_TEST_SWEEP", Path::new(variant))],
    )
}

/// The condition names of a report entry, in order.
fn conditions(entry: &serde_json::Value) -> Vec<String> {
    entry["conditions"]
        .as_object()
        .expect("conditions")
        .keys()
        .cloned()
        .collect()
}

#[test]
fn sweeps_and_grids_generate_named_treatments_setting_their_params() {
    let data = tempfile::tempdir().unwrap();
    let run = sweeps("", data.path(), &["run", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let swept = run.experiment("swept");
    assert_eq!(conditions(&swept), ["baseline", "noise=0.5", "noise=0.25"]);
    let gridded = run.experiment("gridded");
    assert_eq!(
        conditions(&gridded),
        [
            "baseline",
            "depth=2,lr=0.1",
            "depth=2,lr=0.01",
            "depth=4,lr=0.1",
            "depth=4,lr=0.01"
        ]
    );
    // Each treatment's params reached its units: `depth` is recorded as a metric.
    for (condition, depth) in [
        ("baseline", 1.0),
        ("depth=2,lr=0.01", 2.0),
        ("depth=4,lr=0.1", 4.0),
    ] {
        let values = &gridded["conditions"][condition]["metrics"]["depth"];
        assert_eq!(
            values,
            &serde_json::json!([depth, depth, depth]),
            "{condition}: {gridded}"
        );
    }
    // The stored params of a generated condition are its payload over the baseline.
    let metadata = crate::common::read_json(data.path().join("gridded/v0/metadata.json"));
    assert_eq!(
        metadata["conditions"]["depth=4,lr=0.01"]["params"],
        serde_json::json!({"depth": 4, "lr": 0.01})
    );
    assert!(
        data.path()
            .join("gridded/v0/depth=4,lr=0.01/results.json")
            .is_file()
    );
    // `--treatment` names a generated treatment like any other.
    let other = tempfile::tempdir().unwrap();
    let one = sweeps(
        "",
        other.path(),
        &["run", "gridded", "--treatment", "depth=4,lr=0.01", "--json"],
    );
    assert_eq!(one.code, 0, "{}", one.stderr);
    assert_eq!(
        conditions(&one.experiment("gridded")),
        ["baseline", "depth=4,lr=0.01"]
    );
    // `show` lists them too.
    let show = sweeps("", data.path(), &["show", "gridded"]);
    assert_eq!(show.code, 0, "{}", show.stderr);
    assert!(show.stdout.contains("depth=4,lr=0.01"), "{}", show.stdout);
}

#[test]
fn adding_a_value_runs_only_the_new_conditions() {
    let data = tempfile::tempdir().unwrap();
    let first = sweeps("", data.path(), &["run", "--json"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let more = sweeps(
        "more",
        data.path(),
        &["run", "--json", "--strategy", "resume"],
    );
    assert_eq!(more.code, 0, "{}", more.stderr);
    let gridded = more.experiment("gridded");
    assert_eq!(
        conditions(&gridded),
        [
            "baseline",
            "depth=2,lr=0.1",
            "depth=2,lr=0.01",
            "depth=2,lr=0.001",
            "depth=4,lr=0.1",
            "depth=4,lr=0.01",
            "depth=4,lr=0.001"
        ]
    );
    for (name, entry) in gridded["conditions"].as_object().unwrap() {
        let new = name.ends_with("lr=0.001");
        assert_eq!(
            entry["units_run"],
            if new { 3 } else { 0 },
            "{name}: {entry}"
        );
        assert_eq!(
            entry["units_loaded"],
            if new { 0 } else { 3 },
            "{name}: {entry}"
        );
        // The loaded ones keep their values.
        if !new {
            assert!(entry["metrics"]["loss"].is_array(), "{entry}");
            assert_eq!(
                entry["metrics"]["loss"],
                first.experiment("gridded")["conditions"][name]["metrics"]["loss"]
            );
        }
    }
    // The hypothesis is verified for every treatment, the new ones and the loaded ones, with
    // the correction across all of them and a ranking of all of them.
    let hypothesis = &gridded["hypotheses"][0];
    let results = hypothesis["results"].as_array().unwrap();
    let treatments: Vec<&str> = results
        .iter()
        .map(|result| result["treatment"].as_str().unwrap())
        .collect();
    assert_eq!(treatments, conditions(&gridded)[1..]);
    assert_eq!(hypothesis["ranking"].as_array().unwrap().len(), 6);
    let raw: Vec<f64> = results
        .iter()
        .map(|result| result["p_value"].as_f64().unwrap())
        .collect();
    let adjusted: Vec<f64> = results
        .iter()
        .map(|result| result["p_adjusted"].as_f64().unwrap())
        .collect();
    // Holm over six comparisons: the smallest p is multiplied by six.
    let smallest = raw.iter().copied().fold(f64::INFINITY, f64::min);
    let at = raw.iter().position(|p| *p == smallest).unwrap();
    assert_eq!(adjusted[at], (smallest * 6.0).min(1.0), "{results:?}");
    assert!(raw.iter().zip(&adjusted).all(|(p, q)| q >= p));
    let swept = more.experiment("swept");
    assert_eq!(
        conditions(&swept),
        ["baseline", "noise=0.5", "noise=0.25", "noise=0.125"]
    );
    assert_eq!(swept["conditions"]["noise=0.125"]["units_run"], 4);
    assert_eq!(swept["conditions"]["noise=0.5"]["units_run"], 0);
}

#[test]
fn bad_sweeps_are_definition_errors_naming_the_problem() {
    let cases: [(&str, &[&str]); 7] = [
        (
            "empty",
            &["experiment `gridded`", "grid param `lr` has no values"],
        ),
        ("nan", &["sweep `lr`: param `lr` is NaN"]),
        ("duplicate", &["sweep `lr`: value `0.1` is given twice"]),
        (
            "not-array",
            &["grid param `lr`: expected a list of values, got `0.1`"],
        ),
        (
            "collision",
            &["sweep `lr` generates treatment `lr=0.01`, which is already defined"],
        ),
        (
            "nested",
            &["value `[0.1]` is not a number, string or boolean"],
        ),
        (
            "bad-string",
            &["sweep `lr`: invalid treatment name `lr=fast one`: use letters, digits"],
        ),
    ];
    for (variant, parts) in cases {
        let data = tempfile::tempdir().unwrap();
        for args in [&["run"][..], &["plan"], &["show", "gridded"]] {
            let run = sweeps(variant, data.path(), args);
            assert_eq!(
                run.code, 2,
                "{variant} {args:?}: {}\n{}",
                run.stdout, run.stderr
            );
            assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
            for part in parts {
                assert!(
                    run.stderr.contains(part),
                    "{variant}: `{part}` missing in:\n{}",
                    run.stderr
                );
            }
        }
        assert!(
            !data.path().join("gridded").exists(),
            "{variant}: nothing is written"
        );
    }
}
