//! Execution: failing units, param injection errors, declared outputs, metrics, seeds.

use crate::common::{fixture, metric_bits};

#[test]
fn a_failing_unit_fails_alone_and_its_condition_gets_no_marker() {
    let data = tempfile::tempdir().unwrap();
    let run = fixture(data.path(), &["run", "flaky", "--json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let entry = run.experiment("flaky");
    let conditions = &entry["conditions"];
    assert_eq!(conditions["baseline"]["errors"], serde_json::json!([]));
    assert_eq!(
        conditions["baseline"]["metrics"]["value"],
        serde_json::json!([0.0, 1.0, 2.0, 3.0])
    );

    let boom = &conditions["boom"]["errors"];
    assert_eq!(boom.as_array().unwrap().len(), 1, "{boom}");
    assert_eq!(boom[0]["replicate"], 1);
    assert_eq!(boom[0]["stage"], "maybe_fail");
    assert_eq!(boom[0]["panicked"], true);
    let message = boom[0]["message"].as_str().unwrap();
    assert!(
        message.contains("boom on replicate 1") && message.contains("fixtures.rs"),
        "{message}"
    );
    assert_eq!(
        conditions["boom"]["metrics"]["value"],
        serde_json::json!([0.0, null, 2.0, 3.0])
    );

    let fail = &conditions["fail"]["errors"];
    assert_eq!(fail[0]["replicate"], 2);
    assert_eq!(fail[0]["panicked"], false);
    assert_eq!(fail[0]["message"], "refused replicate 2");
    assert_eq!(
        conditions["fail"]["metrics"]["value"],
        serde_json::json!([0.0, 1.0, null, 3.0])
    );

    let v0 = data.path().join("flaky/v0");
    assert!(v0.join("baseline/.crystallize_complete").is_file());
    assert!(!v0.join("boom/.crystallize_complete").exists());
    assert!(!v0.join("fail/.crystallize_complete").exists());
    assert!(v0.join("boom/results.json").is_file());
    // The panic is reported once, by us, not by the default hook.
    assert!(
        run.stderr
            .contains("flaky / boom / replicate 1: panic in `maybe_fail`"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("thread '"), "{}", run.stderr);
}

/// An ill-typed param fails its condition's units before the body runs. (A param missing in a
/// condition is refused before anything runs: `tests/it/definitions.rs`.)
#[test]
fn ill_typed_params_fail_before_the_body_runs() {
    let data = tempfile::tempdir().unwrap();
    let run = fixture(data.path(), &["run", "needs_param", "--json"]);
    assert_eq!(run.code, 1);
    let entry = run.experiment("needs_param");
    let wrong = entry["conditions"]["wrong_type"]["errors"][0]["message"]
        .as_str()
        .unwrap();
    assert!(
        wrong.contains(
            "step `gate`: param `threshold` of condition `wrong_type` is not a valid `f64`"
        ),
        "{wrong}"
    );
    assert_eq!(
        entry["conditions"]["baseline"]["metrics"]["threshold"],
        serde_json::json!([0.25, 0.25])
    );
    assert_eq!(
        entry["conditions"]["given"]["metrics"]["threshold"],
        serde_json::json!([0.5, 0.5])
    );
    let v0 = data.path().join("needs_param/v0");
    assert!(v0.join("replicate_0/given/gate/ran.txt").is_file());
    assert!(
        !v0.join("replicate_0/wrong_type").exists(),
        "the body must not run"
    );
}

#[test]
fn declared_outputs_must_be_written_and_metrics_recorded_once() {
    let data = tempfile::tempdir().unwrap();
    let run = fixture(data.path(), &["run", "missing_output", "twice", "--json"]);
    assert_eq!(run.code, 1);
    let missing = run.experiment("missing_output");
    let message = missing["conditions"]["baseline"]["errors"][0]["message"]
        .as_str()
        .unwrap();
    assert!(message.contains("never.json"), "{message}");
    let twice = run.experiment("twice");
    let message = twice["conditions"]["baseline"]["errors"][0]["message"]
        .as_str()
        .unwrap();
    assert!(message.contains("metric `x` recorded twice"), "{message}");
}

#[test]
fn conditions_of_a_replicate_share_random_numbers_and_seeds() {
    let data = tempfile::tempdir().unwrap();
    let run = fixture(data.path(), &["run", "seeded", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let entry = run.experiment("seeded");
    let first = metric_bits(&entry, "baseline", "first");
    assert_eq!(
        first,
        metric_bits(&entry, "shifted", "first"),
        "common random numbers"
    );
    assert_eq!(
        metric_bits(&entry, "baseline", "seed_low_bits"),
        metric_bits(&entry, "shifted", "seed_low_bits")
    );
    let mut distinct = first.clone();
    distinct.dedup();
    assert_eq!(distinct.len(), 3, "replicates draw different numbers");
    let base_sum = entry["conditions"]["baseline"]["metrics"]["sum"]
        .as_array()
        .unwrap()
        .clone();
    let shifted_sum = entry["conditions"]["shifted"]["metrics"]["sum"]
        .as_array()
        .unwrap()
        .clone();
    for (base, shifted) in base_sum.iter().zip(&shifted_sum) {
        let delta = shifted.as_f64().unwrap() - base.as_f64().unwrap();
        assert!((delta - 100.0).abs() < 1e-9, "{delta}");
    }
    // The experiment's own seed (42) is used unless --seed overrides it.
    let again = fixture(
        tempfile::tempdir().unwrap().path(),
        &["run", "seeded", "--json", "--seed", "42"],
    );
    assert_eq!(
        metric_bits(&again.experiment("seeded"), "baseline", "first"),
        first
    );
    let other = fixture(
        tempfile::tempdir().unwrap().path(),
        &["run", "seeded", "--json", "--seed", "43"],
    );
    assert_ne!(
        metric_bits(&other.experiment("seeded"), "baseline", "first"),
        first
    );
}

#[test]
fn a_treatment_named_baseline_amends_the_baseline() {
    let data = tempfile::tempdir().unwrap();
    let run = fixture(data.path(), &["run", "amended", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let entry = run.experiment("amended");
    let conditions: Vec<_> = entry["conditions"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(
        conditions,
        ["baseline", "other"],
        "no separate `baseline` treatment condition"
    );
    // `side` is "amended" (7 letters), not "declared" (8).
    assert_eq!(
        entry["conditions"]["baseline"]["metrics"]["side"],
        serde_json::json!([7.0])
    );
    let artifact = data
        .path()
        .join("amended/v0/replicate_0/baseline/mark/mark.json");
    assert_eq!(std::fs::read_to_string(artifact).unwrap(), "\"amended\"");
    let metadata = crate::common::read_json(data.path().join("amended/v0/metadata.json"));
    assert_eq!(
        metadata["conditions"]["baseline"]["params"],
        serde_json::json!({"side": "amended"})
    );
}

#[test]
fn list_and_struct_params_reach_every_unit_of_each_condition() {
    // Units of a condition share one deserialised `Vec` (cloned per unit); another condition's
    // list is its own; a param type without `Clone` is deserialised per unit.
    let data = tempfile::tempdir().unwrap();
    let run = fixture(
        data.path(),
        &["run", "list_params", "--jobs", "3", "--json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let entry = run.experiment("list_params");
    for (condition, weights, widths) in [
        ("baseline", 3.0, 8.0),
        ("heavy", 60.0, 8.0),
        ("wide", 3.0, 192.0),
    ] {
        let values = |metric: &str| entry["conditions"][condition]["metrics"][metric].clone();
        assert_eq!(
            values("weights"),
            serde_json::Value::from(vec![weights; 12]),
            "{condition}"
        );
        assert_eq!(
            values("widths"),
            serde_json::Value::from(vec![widths; 12]),
            "{condition}"
        );
    }
}
