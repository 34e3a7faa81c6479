//! Resume: what loads, what runs and why, without source edits (those are in `resume_edits`).

use crate::common::{fixture, metric_bits, read_json, snapshot};

fn kinds(reasons: &serde_json::Value) -> Vec<String> {
    reasons
        .as_array()
        .unwrap()
        .iter()
        .map(|reason| reason["kind"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn an_unchanged_experiment_loads_everything_and_writes_nothing() {
    let data = tempfile::tempdir().unwrap();
    let first = fixture(data.path(), &["run", "quickstart", "--json"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let before = snapshot(data.path());
    let again = fixture(
        data.path(),
        &["run", "quickstart", "--json", "--strategy", "resume"],
    );
    assert_eq!(again.code, 0, "{}", again.stderr);
    let entry = again.experiment("quickstart");
    assert_eq!(entry["action"], "loaded");
    assert_eq!(kinds(&entry["reasons"]), ["signature-unchanged"]);
    for condition in ["baseline", "double"] {
        assert_eq!(entry["conditions"][condition]["units_loaded"], 10);
        assert_eq!(entry["conditions"][condition]["units_run"], 0);
        assert_eq!(
            metric_bits(&entry, condition, "mean"),
            metric_bits(&first.experiment("quickstart"), condition, "mean")
        );
    }
    assert_eq!(
        entry["artifacts"]["summary.json"]["double"],
        first.experiment("quickstart")["artifacts"]["summary.json"]["double"]
    );
    assert_eq!(
        snapshot(data.path()),
        before,
        "a fully loaded run writes nothing"
    );
}

#[test]
fn the_experiment_attribute_sets_the_strategy_and_the_flag_overrides_it() {
    let data = tempfile::tempdir().unwrap();
    assert_eq!(fixture(data.path(), &["run", "resumable"]).code, 0);
    let resumed = fixture(data.path(), &["run", "resumable", "--json"]);
    assert_eq!(resumed.experiment("resumable")["action"], "loaded");
    let rerun = fixture(
        data.path(),
        &["run", "resumable", "--json", "--strategy", "rerun"],
    );
    let entry = rerun.experiment("resumable");
    assert_eq!(entry["action"], "ran");
    assert_eq!(kinds(&entry["reasons"]), ["strategy-rerun"]);
}

#[test]
fn fewer_replicates_reuse_the_first_ones_and_more_run_only_the_new_ones() {
    let data = tempfile::tempdir().unwrap();
    let first = fixture(data.path(), &["run", "quickstart", "--json"]);
    let full = metric_bits(&first.experiment("quickstart"), "baseline", "mean");
    let fewer = fixture(
        data.path(),
        &[
            "run",
            "quickstart",
            "--json",
            "--strategy",
            "resume",
            "--replicates",
            "4",
        ],
    );
    let entry = fewer.experiment("quickstart");
    assert_eq!(entry["conditions"]["baseline"]["units_loaded"], 4);
    assert_eq!(entry["conditions"]["baseline"]["units_run"], 0);
    assert_eq!(metric_bits(&entry, "baseline", "mean"), full[..4]);

    let more = fixture(
        data.path(),
        &[
            "run",
            "quickstart",
            "--json",
            "--strategy",
            "resume",
            "--replicates",
            "12",
        ],
    );
    let entry = more.experiment("quickstart");
    assert_eq!(entry["action"], "partial");
    // The run with 4 replicates rewrote v0 with 4; so 8 run now.
    assert_eq!(entry["conditions"]["double"]["units_run"], 8, "{entry}");
    assert_eq!(entry["conditions"]["double"]["units_loaded"], 4);
    assert!(
        kinds(&entry["conditions"]["double"]["reasons"]).contains(&"replicates-added".to_string())
    );
    let twelve = metric_bits(&entry, "baseline", "mean");
    assert_eq!(
        twelve[..10],
        full[..],
        "new replicates continue the same seed sequence"
    );
    let results = read_json(data.path().join("quickstart/v0/baseline/results.json"));
    assert_eq!(results["metrics"]["mean"].as_array().unwrap().len(), 12);
}

#[test]
fn failed_units_run_again_and_successful_ones_load() {
    let data = tempfile::tempdir().unwrap();
    assert_eq!(fixture(data.path(), &["run", "flaky"]).code, 1);
    let again = fixture(
        data.path(),
        &["run", "flaky", "--json", "--strategy", "resume"],
    );
    assert_eq!(again.code, 1, "the failures are deterministic");
    let entry = again.experiment("flaky");
    assert_eq!(entry["action"], "partial");
    assert_eq!(entry["conditions"]["baseline"]["units_loaded"], 4);
    let boom = &entry["conditions"]["boom"];
    assert_eq!(boom["units_run"], 1);
    assert_eq!(boom["units_loaded"], 3);
    let reasons = &boom["reasons"];
    assert_eq!(reasons[0]["kind"], "failed-before");
    assert!(
        reasons[0]["detail"]
            .as_str()
            .unwrap()
            .contains("replicate 1"),
        "{reasons}"
    );
    assert_eq!(
        boom["metrics"]["value"],
        serde_json::json!([0.0, null, 2.0, 3.0])
    );
}

#[test]
fn deleting_the_experiment_directory_reruns_everything() {
    let data = tempfile::tempdir().unwrap();
    assert_eq!(fixture(data.path(), &["run", "quickstart"]).code, 0);
    std::fs::remove_dir_all(data.path().join("quickstart")).unwrap();
    let again = fixture(
        data.path(),
        &["run", "quickstart", "--json", "--strategy", "resume"],
    );
    let entry = again.experiment("quickstart");
    assert_eq!(entry["action"], "ran");
    assert_eq!(kinds(&entry["reasons"]), ["first-run"]);
}

#[test]
fn a_missing_artifact_reruns_only_its_unit() {
    let data = tempfile::tempdir().unwrap();
    assert_eq!(fixture(data.path(), &["run", "seeded"]).code, 0);
    let gone = data
        .path()
        .join("seeded/v0/replicate_1/shifted/save/draws.json");
    std::fs::remove_file(&gone).unwrap();
    let again = fixture(
        data.path(),
        &["run", "seeded", "--json", "--strategy", "resume"],
    );
    let entry = again.experiment("seeded");
    let shifted = &entry["conditions"]["shifted"];
    assert_eq!(shifted["units_run"], 1);
    assert_eq!(shifted["reasons"][0]["kind"], "artifact-missing");
    assert!(
        shifted["reasons"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("draws.json")
    );
    assert_eq!(entry["conditions"]["baseline"]["units_loaded"], 3);
    assert!(gone.is_file(), "the rerun wrote it back");
}

#[test]
fn plan_explains_every_decision_and_writes_nothing() {
    let data = tempfile::tempdir().unwrap();
    assert_eq!(
        fixture(data.path(), &["run", "quickstart", "seeded"]).code,
        0
    );
    std::fs::remove_file(data.path().join("seeded/v0/shifted/.crystallize_complete")).unwrap();
    let before = snapshot(data.path());
    let plan = fixture(
        data.path(),
        &[
            "plan",
            "quickstart",
            "seeded",
            "--json",
            "--strategy",
            "resume",
            "--replicates",
            "11",
            "--seed",
            "5",
        ],
    );
    assert_eq!(plan.code, 0, "{}", plan.stderr);
    assert_eq!(snapshot(data.path()), before, "plan must not write");
    let quickstart = plan.experiment("quickstart");
    let detail = quickstart["conditions"]["baseline"]["reasons"][0]["detail"]
        .as_str()
        .unwrap();
    assert!(detail.contains("master seed 0 -> 5"), "{detail}");
    let seeded = plan.experiment("seeded");
    // seeded has its own seed (42) unless --seed overrides it: here it does.
    assert_eq!(
        seeded["conditions"]["shifted"]["reasons"][0]["kind"],
        "params-changed"
    );

    let text = fixture(
        data.path(),
        &[
            "plan",
            "seeded",
            "--strategy",
            "resume",
            "--replicates",
            "4",
        ],
    );
    assert!(text.stdout.contains("would run"), "{}", text.stdout);
    assert!(text.stdout.contains("marker-missing"), "{}", text.stdout);
    assert!(
        text.stdout.contains("replicates-added: replicates 3 -> 4"),
        "{}",
        text.stdout
    );
    let json = fixture(
        data.path(),
        &["plan", "seeded", "--strategy", "resume", "--json"],
    );
    let entry = json.experiment("seeded");
    assert_eq!(entry["conditions"]["shifted"]["units_run"], 3);
    assert_eq!(
        entry["conditions"]["shifted"]["reasons"][0]["kind"],
        "marker-missing"
    );
    assert_eq!(entry["conditions"]["baseline"]["units_loaded"], 3);
    assert_eq!(entry["action"], "partial");
}

#[test]
fn verbose_logs_every_load_with_its_version_and_reason() {
    let data = tempfile::tempdir().unwrap();
    assert_eq!(fixture(data.path(), &["run", "history"]).code, 0);
    assert_eq!(
        fixture(
            data.path(),
            &[
                "run",
                "history",
                "--replicates",
                "3",
                "--strategy",
                "resume"
            ]
        )
        .code,
        0
    );
    let run = fixture(
        data.path(),
        &[
            "run",
            "history",
            "--replicates",
            "3",
            "--strategy",
            "resume",
            "-v",
        ],
    );
    assert!(
        run.stderr.contains(
            "history/baseline: replicates 0-1: load from v1 (signature unchanged; computed in v0)"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "history/baseline: replicates 2: load from v1 (signature unchanged; computed in v1)"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_resumed_version_is_self_contained() {
    let data = tempfile::tempdir().unwrap();
    assert_eq!(fixture(data.path(), &["run", "history"]).code, 0);
    let run = fixture(
        data.path(),
        &[
            "run",
            "history",
            "--json",
            "--strategy",
            "resume",
            "--replicates",
            "3",
        ],
    );
    assert_eq!(run.experiment("history")["version"], 1);
    std::fs::remove_dir_all(data.path().join("history/v0")).unwrap();
    let v1 = data.path().join("history/v1");
    for replicate in 0..3 {
        let note = v1.join(format!("replicate_{replicate}/baseline/note/note.json"));
        assert_eq!(read_json(&note), serde_json::json!(replicate));
    }
    let again = fixture(
        data.path(),
        &[
            "run",
            "history",
            "--json",
            "--strategy",
            "resume",
            "--replicates",
            "3",
        ],
    );
    assert_eq!(again.experiment("history")["action"], "loaded");
}

#[test]
fn a_treatment_left_out_by_a_partial_versioned_run_loads_from_the_run_that_had_it() {
    let data = tempfile::tempdir().unwrap();
    assert_eq!(fixture(data.path(), &["run", "pair"]).code, 0);
    // v1: baseline and `left` only, with one more replicate.
    let partial = fixture(
        data.path(),
        &[
            "run",
            "pair",
            "--json",
            "--strategy",
            "resume",
            "--replicates",
            "3",
            "--treatment",
            "left",
        ],
    );
    assert_eq!(partial.experiment("pair")["version"], 1);
    let full = fixture(
        data.path(),
        &[
            "run",
            "pair",
            "--json",
            "--strategy",
            "resume",
            "--replicates",
            "3",
        ],
    );
    let entry = full.experiment("pair");
    let right = &entry["conditions"]["right"];
    assert_eq!(right["units_loaded"], 2, "{entry}");
    assert_eq!(right["units_run"], 1);
    assert_eq!(right["reasons"][0]["kind"], "replicates-added");
    assert_eq!(entry["conditions"]["left"]["units_loaded"], 3);
}

#[test]
fn a_partial_non_versioned_run_keeps_the_other_treatments() {
    let data = tempfile::tempdir().unwrap();
    let first = fixture(data.path(), &["run", "flat_pair", "--json"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    for strategy in ["resume", "rerun"] {
        let partial = fixture(
            data.path(),
            &[
                "run",
                "flat_pair",
                "--json",
                "--strategy",
                strategy,
                "--replicates",
                "3",
                "--treatment",
                "left",
            ],
        );
        assert_eq!(partial.code, 0, "{}", partial.stderr);
        let v0 = data.path().join("flat_pair/v0");
        assert!(
            v0.join("right/.crystallize_complete").is_file(),
            "{strategy}: `right` was kept"
        );
        assert!(
            v0.join("replicate_1/right/mark/mark.json").is_file(),
            "{strategy}"
        );
        let full = fixture(
            data.path(),
            &[
                "run",
                "flat_pair",
                "--json",
                "--strategy",
                "resume",
                "--replicates",
                "2",
            ],
        );
        let entry = full.experiment("flat_pair");
        assert_eq!(
            entry["conditions"]["right"]["units_loaded"], 2,
            "{strategy}: {entry}"
        );
        assert_eq!(
            metric_bits(&entry, "right", "replicate"),
            metric_bits(&first.experiment("flat_pair"), "right", "replicate")
        );
    }
}
