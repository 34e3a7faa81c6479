//! Command-line flags: `--replicates EXPERIMENT=N` (one experiment's replicates, the "generate
//! expensive artifacts once, evaluate many times" case), `--color` in pipes, and
//! `completions bash|zsh|fish`. (`-q` and `--color` on a terminal: see `progress`.)

use serde_json::Value;

use crate::common::{fixture, metric_bits};

/// `(units_run, units_loaded)` of every condition of a report entry, by condition.
fn units(entry: &Value) -> Vec<(String, u64, u64)> {
    entry["conditions"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, condition)| {
            (
                name.clone(),
                condition["units_run"].as_u64().unwrap(),
                condition["units_loaded"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Every condition of `entry` ran `run` units and loaded `loaded`.
fn assert_units(entry: &Value, run: u64, loaded: u64) {
    let units = units(entry);
    assert!(!units.is_empty());
    for (condition, units_run, units_loaded) in units {
        assert_eq!(
            (units_run, units_loaded),
            (run, loaded),
            "{}/{condition}: {entry:#}",
            entry["name"]
        );
    }
}

#[test]
fn per_experiment_replicates_run_only_the_new_consumer_replicates() {
    let data = tempfile::tempdir().unwrap();
    let first = fixture(data.path(), &["run", "evaluation", "--json"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_units(&first.experiment("calibration"), 2, 0);
    assert_units(&first.experiment("evaluation"), 5, 0);

    let more = fixture(
        data.path(),
        &[
            "run",
            "evaluation",
            "--replicates",
            "evaluation=8",
            "--json",
        ],
    );
    assert_eq!(more.code, 0, "{}", more.stderr);
    let producer = more.experiment("calibration");
    assert_eq!(
        producer["replicates"], 2,
        "the producer keeps its replicates"
    );
    assert_eq!(producer["action"], "loaded");
    assert_units(&producer, 0, 2);
    let consumer = more.experiment("evaluation");
    assert_eq!(consumer["replicates"], 8);
    assert_units(&consumer, 3, 5);
    let before = first.experiment("evaluation");
    for condition in ["baseline", "noisy", "robust"] {
        assert_eq!(
            metric_bits(&consumer, condition, "bias")[..5],
            metric_bits(&before, condition, "bias")[..],
            "{condition}: the first five replicates are the loaded ones"
        );
    }

    // In child processes, each unit gets its own experiment's replicates.
    let process = fixture(
        data.path(),
        &[
            "run",
            "evaluation",
            "--replicates",
            "evaluation=10",
            "--executor",
            "process",
            "--json",
        ],
    );
    assert_eq!(process.code, 0, "{}", process.stderr);
    assert_units(&process.experiment("calibration"), 0, 2);
    let consumer = process.experiment("evaluation");
    assert_eq!(consumer["replicates"], 10);
    assert_units(&consumer, 2, 8);
    let fresh_dir = tempfile::tempdir().unwrap();
    let fresh = fixture(
        fresh_dir.path(),
        &[
            "run",
            "evaluation",
            "--replicates",
            "evaluation=10",
            "--json",
        ],
    );
    assert_eq!(fresh.code, 0, "{}", fresh.stderr);
    for condition in ["baseline", "noisy", "robust"] {
        for metric in ["bias", "model_replicate"] {
            assert_eq!(
                metric_bits(&consumer, condition, metric),
                metric_bits(&fresh.experiment("evaluation"), condition, metric),
                "{condition}/{metric}: resumed in processes = fresh on threads"
            );
        }
    }
}

#[test]
fn a_bare_count_applies_to_the_other_experiments_whatever_the_order() {
    for args in [
        ["--replicates", "3", "--replicates", "evaluation=4"],
        ["--replicates", "evaluation=4", "--replicates", "3"],
    ] {
        let data = tempfile::tempdir().unwrap();
        let mut command = vec!["plan", "evaluation", "--json"];
        command.extend_from_slice(&args);
        let plan = fixture(data.path(), &command);
        assert_eq!(plan.code, 0, "{args:?}: {}", plan.stderr);
        assert_eq!(plan.experiment("calibration")["replicates"], 3, "{args:?}");
        assert_eq!(plan.experiment("evaluation")["replicates"], 4, "{args:?}");
    }
    let data = tempfile::tempdir().unwrap();
    let bare = fixture(
        data.path(),
        &["plan", "evaluation", "--replicates", "6", "--json"],
    );
    assert_eq!(bare.code, 0, "{}", bare.stderr);
    assert_eq!(bare.experiment("calibration")["replicates"], 6);
    assert_eq!(bare.experiment("evaluation")["replicates"], 6);
}

#[test]
fn per_experiment_replicates_of_an_unknown_experiment_or_out_of_range_exit_2() {
    let data = tempfile::tempdir().unwrap();
    let unknown = fixture(
        data.path(),
        &["run", "quickstart", "--replicates", "nope=3"],
    );
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    let lines: Vec<&str> = unknown.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", unknown.stderr);
    for part in [
        "error: ",
        "unknown experiment `nope`",
        "quickstart",
        "evaluation",
    ] {
        assert!(lines[0].contains(part), "`{part}` in {}", unknown.stderr);
    }
    for value in ["evaluation=0", "evaluation=1000001", "evaluation=", "=5"] {
        let bad = fixture(data.path(), &["run", "quickstart", "--replicates", value]);
        assert_eq!(bad.code, 2, "{value}: {}", bad.stderr);
        assert!(bad.stderr.contains("error"), "{value}: {}", bad.stderr);
        assert!(!bad.stderr.contains("panicked"), "{value}: {}", bad.stderr);
    }
    assert!(
        !data.path().join("quickstart").exists(),
        "nothing may run on a usage error"
    );
}

#[test]
fn color_always_paints_failures_and_never_or_a_pipe_writes_no_escape_code() {
    let data = tempfile::tempdir().unwrap();
    let always = fixture(data.path(), &["run", "flaky", "--color", "always"]);
    assert_eq!(always.code, 1, "{}", always.stderr);
    assert!(
        always
            .stderr
            .contains("\x1b[31mpanic in `maybe_fail` failed\x1b[0m"),
        "{:?}",
        always.stderr
    );
    for args in [
        &["run", "flaky", "--color", "never", "-v"][..],
        &["run", "flaky", "-v"],
        &["plan", "flaky", "--color", "never"],
    ] {
        let run = fixture(data.path(), args);
        assert!(
            run.stderr.contains("failed") || args[0] == "plan",
            "{args:?}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains('\x1b'), "{args:?}: {:?}", run.stderr);
        assert!(!run.stdout.contains('\x1b'), "{args:?}: {:?}", run.stdout);
    }
    let bad = fixture(data.path(), &["run", "flaky", "--color", "sometimes"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
}

#[test]
fn completions_name_the_binary_and_its_commands() {
    let data = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let script = fixture(data.path(), &["completions", shell]);
        assert_eq!(script.code, 0, "{shell}: {}", script.stderr);
        assert!(
            script.stdout.contains("fixture"),
            "{shell}:\n{}",
            script.stdout
        );
        for word in [
            "run",
            "plan",
            "export",
            "completions",
            "replicates",
            "color",
        ] {
            assert!(script.stdout.contains(word), "{shell}: no `{word}`");
        }
    }
    let bad = fixture(data.path(), &["completions", "tcsh"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(
        std::fs::read_dir(data.path()).unwrap().next().is_none(),
        "completions touch no data"
    );
}

#[test]
fn color_always_paints_log_warnings_yellow_and_never_leaves_them_plain() {
    let data = tempfile::tempdir().unwrap();
    // A file where the step cache's directory belongs: the cache cannot be written, a warning.
    std::fs::write(data.path().join(".cache"), b"not a directory").unwrap();
    let warning = "warning: the step cache could not keep";
    let always = fixture(data.path(), &["run", "cache_by_param", "--color", "always"]);
    assert_eq!(always.code, 0, "{}", always.stderr);
    assert!(
        always.stderr.contains(&format!("\x1b[33m{warning}")),
        "{:?}",
        always.stderr
    );
    let never = fixture(data.path(), &["run", "cache_by_param", "--color", "never"]);
    assert_eq!(never.code, 0, "{}", never.stderr);
    assert!(never.stderr.contains(warning), "{}", never.stderr);
    assert!(!never.stderr.contains('\x1b'), "{:?}", never.stderr);
}
