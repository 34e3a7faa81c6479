//! Plugins: a plugin registered with `#[crystallize::plugin]` receives every event of a run (the
//! same as `--events` writes) and each hook fires once per unit, step, artifact and cache load;
//! a plugin added with `main_with` that panics is reported once and leaves the run untouched;
//! the binary's own arguments reach the params (and the children of `--executor process`);
//! `--version` names the binary and its package; the example CSV plugin writes a row per unit.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::common::{Run, metric_bits, read_json, run_bin};

fn plugins(data: &Path, args: &[&str]) -> Run {
    run_bin(env!("CARGO_BIN_EXE_plugins"), data, args)
}

/// The lines of `path`, sorted (events of concurrent units arrive in either order).
fn sorted_lines(path: &Path) -> Vec<String> {
    let mut lines: Vec<String> = std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
        .lines()
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

/// The hook counts the recorder wrote next to `record`.
fn counts(record: &Path) -> BTreeMap<String, u64> {
    let mut path = record.as_os_str().to_os_string();
    path.push(".counts.json");
    serde_json::from_value(read_json(path)).unwrap()
}

fn count(counts: &BTreeMap<String, u64>, hook: &str) -> u64 {
    counts.get(hook).copied().unwrap_or(0)
}

#[test]
fn a_registered_plugin_receives_every_event_that_events_writes() {
    let data = tempfile::tempdir().unwrap();
    let record = data.path().join("record.jsonl");
    let events = data.path().join("events.jsonl");
    let run = plugins(
        data.path(),
        &[
            "run",
            "seeded",
            "--record",
            record.to_str().unwrap(),
            "--events",
            events.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let received = sorted_lines(&record);
    assert_eq!(received, sorted_lines(&events));
    assert!(received.len() > 40, "{received:?}");
    let first: Value = serde_json::from_str(
        std::fs::read_to_string(&record)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(first["event"], "run-started");
}

#[test]
fn each_hook_fires_once_per_unit_step_artifact_and_cache_load() {
    let data = tempfile::tempdir().unwrap();
    let record = data.path().join("record.jsonl");
    let record_arg = record.to_str().unwrap();
    let ran = plugins(data.path(), &["run", "seeded", "--record", record_arg]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let ran = counts(&record);
    // 2 conditions × 3 replicates; each unit ran its source and two steps and wrote two files.
    assert_eq!(count(&ran, "run_started"), 1, "{ran:?}");
    assert_eq!(count(&ran, "unit_finished"), 6, "{ran:?}");
    assert_eq!(count(&ran, "step_finished"), 18, "{ran:?}");
    assert_eq!(count(&ran, "artifact_written"), 12, "{ran:?}");
    assert_eq!(count(&ran, "loaded_unit"), 0, "{ran:?}");
    assert_eq!(count(&ran, "run_finished"), 1, "{ran:?}");
    let events = std::fs::read_to_string(&record).unwrap().lines().count() as u64;
    assert_eq!(count(&ran, "event"), events);

    let resumed = plugins(
        data.path(),
        &[
            "run",
            "seeded",
            "--strategy",
            "resume",
            "--record",
            record_arg,
        ],
    );
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    let resumed = counts(&record);
    assert_eq!(count(&resumed, "unit_finished"), 6, "{resumed:?}");
    assert_eq!(count(&resumed, "loaded_unit"), 6, "{resumed:?}");
    assert_eq!(count(&resumed, "step_finished"), 0, "{resumed:?}");
    assert_eq!(count(&resumed, "artifact_written"), 0, "{resumed:?}");

    // A rerun of an experiment with a cached step: each unit runs, its cached step is served
    // from the step cache.
    let first = plugins(data.path(), &["run", "cache_basic", "--record", record_arg]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(count(&counts(&record), "cached_step"), 0);
    let again = plugins(data.path(), &["run", "cache_basic", "--record", record_arg]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    let again = counts(&record);
    // 2 conditions × 3 replicates, one cached step each.
    assert_eq!(count(&again, "unit_finished"), 6, "{again:?}");
    assert_eq!(count(&again, "cached_step"), 6, "{again:?}");
    assert_eq!(count(&again, "loaded_unit"), 0, "{again:?}");
}

#[test]
fn plan_sends_its_events_to_plugins_as_a_dry_run() {
    let data = tempfile::tempdir().unwrap();
    let record = data.path().join("record.jsonl");
    let plan = plugins(
        data.path(),
        &["plan", "seeded", "--record", record.to_str().unwrap()],
    );
    assert_eq!(plan.code, 0, "{}", plan.stderr);
    let received = std::fs::read_to_string(&record).unwrap();
    let first: Value = serde_json::from_str(received.lines().next().unwrap()).unwrap();
    assert_eq!(
        (first["event"].as_str(), first["dry_run"].as_bool()),
        (Some("run-started"), Some(true))
    );
    let counts = counts(&record);
    assert_eq!(count(&counts, "unit_finished"), 0, "{counts:?}");
    assert_eq!(count(&counts, "run_finished"), 1, "{counts:?}");
}

#[test]
fn a_panicking_plugin_is_reported_once_and_leaves_the_run_untouched() {
    let clean = tempfile::tempdir().unwrap();
    let reference = plugins(clean.path(), &["run", "seeded", "--json"]);
    assert_eq!(reference.code, 0, "{}", reference.stderr);

    for hook in ["run_started", "unit_started", "unit_finished"] {
        let data = tempfile::tempdir().unwrap();
        let record = data.path().join("record.jsonl");
        let run = plugins(
            data.path(),
            &[
                "run",
                "seeded",
                "--json",
                "--panic-in",
                hook,
                "--record",
                record.to_str().unwrap(),
            ],
        );
        assert_eq!(run.code, 0, "{hook}: {}", run.stderr);
        let reported: Vec<&str> = run
            .stderr
            .lines()
            .filter(|line| line.contains("panicker"))
            .collect();
        assert_eq!(reported.len(), 1, "{hook}: {}", run.stderr);
        assert!(
            reported[0].starts_with("warning: plugin `panicker` panicked")
                && reported[0].contains(&format!("the panicker fails in {hook}")),
            "{}",
            reported[0]
        );
        // The default panic report is not printed.
        assert!(!run.stderr.contains("thread '"), "{}", run.stderr);
        let entry = run.experiment("seeded");
        let warnings = entry["warnings"].as_array().unwrap();
        assert_eq!(warnings.len(), 1, "{hook}: {entry}");
        assert!(
            warnings[0]
                .as_str()
                .unwrap()
                .contains(&format!("the panicker fails in {hook}")),
            "{entry}"
        );
        // Same results as a run without it; the other plugins saw the whole run.
        let expected = reference.experiment("seeded");
        for metric in ["first", "sum"] {
            for condition in ["baseline", "shifted"] {
                assert_eq!(
                    metric_bits(&entry, condition, metric),
                    metric_bits(&expected, condition, metric)
                );
            }
        }
        assert_eq!(count(&counts(&record), "unit_finished"), 6);
        // Everything was stored: a resume loads every unit.
        let resumed = plugins(
            data.path(),
            &["run", "seeded", "--strategy", "resume", "--json"],
        );
        assert_eq!(resumed.code, 0, "{}", resumed.stderr);
        assert_eq!(resumed.experiment("seeded")["action"], "loaded");
    }
}

#[test]
fn a_registered_plugin_whose_function_panics_is_left_out_with_a_warning() {
    let data = tempfile::tempdir().unwrap();
    let record = data.path().join("record.jsonl");
    let run = plugins(
        data.path(),
        &[
            "run",
            "seeded",
            "--panic-creating",
            "--record",
            record.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|line| line.contains("unborn"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(
        warnings[0].starts_with("warning: plugin `unborn` (")
            && warnings[0].contains("panicked while being created and is left out")
            && warnings[0].contains("unborn cannot be created"),
        "{}",
        warnings[0]
    );
    assert!(!run.stderr.contains("thread '"), "{}", run.stderr);
    // The other registered plugins run.
    assert_eq!(count(&counts(&record), "unit_finished"), 6);
}

#[test]
fn the_binarys_own_arguments_reach_the_params_and_the_key() {
    let data = tempfile::tempdir().unwrap();
    let values = |run: &Run| {
        run.experiment("user_scaled")["conditions"]["baseline"]["metrics"]["value"].clone()
    };
    let first = plugins(
        data.path(),
        &["run", "user_scaled", "--scale", "2", "--json"],
    );
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(values(&first), serde_json::json!([0.0, 2.0]));
    // Before the command as well as after it; the same value loads.
    let same = plugins(data.path(), &["--scale=2", "run", "user_scaled", "--json"]);
    assert_eq!(same.code, 0, "{}", same.stderr);
    assert_eq!(same.experiment("user_scaled")["action"], "loaded");
    // Another value changes the params, so the units run again.
    let other = plugins(
        data.path(),
        &["run", "user_scaled", "--scale", "3", "--json"],
    );
    assert_eq!(other.code, 0, "{}", other.stderr);
    let entry = other.experiment("user_scaled");
    assert_eq!(entry["action"], "ran");
    assert_eq!(entry["reasons"][0]["kind"], "params-changed", "{entry}");
    assert_eq!(values(&other), serde_json::json!([0.0, 3.0]));
    // A child process of `--executor process` parses the same value.
    let children = plugins(
        data.path(),
        &[
            "run",
            "user_scaled",
            "--scale",
            "5",
            "--executor",
            "process",
            "--json",
        ],
    );
    assert_eq!(children.code, 0, "{}", children.stderr);
    assert_eq!(values(&children), serde_json::json!([0.0, 5.0]));
    // They are in the help, and a bad value is a usage error.
    let help = plugins(data.path(), &["run", "--help"]);
    assert!(help.stdout.contains("--scale <SCALE>"), "{}", help.stdout);
    let bad = plugins(data.path(), &["run", "user_scaled", "--scale", "much"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("--scale"), "{}", bad.stderr);
}

#[test]
fn own_arguments_that_clash_with_crystallizes_are_a_usage_error() {
    let data = tempfile::tempdir().unwrap();
    let run = run_bin(env!("CARGO_BIN_EXE_arg_clash"), data.path(), &["list"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("error: the argument `--seed` of ")
            && run
                .stderr
                .contains("clashes with crystallize's `--seed`; rename it"),
        "{}",
        run.stderr
    );
}

#[test]
fn version_names_the_binary_its_packages_and_crystallize() {
    let data = tempfile::tempdir().unwrap();
    let run = plugins(data.path(), &["--version"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let version = env!("CARGO_PKG_VERSION");
    // The binary links the experiments of two packages.
    assert_eq!(
        run.stdout.trim(),
        format!(
            "plugins (crystallize-examples {version}, crystallize-tests {version}; crystallize {version})"
        )
    );
    let short = plugins(data.path(), &["-V"]);
    assert_eq!(short.stdout, run.stdout);
}

#[test]
fn the_example_csv_plugin_writes_one_row_per_finished_unit() {
    let data = tempfile::tempdir().unwrap();
    let csv = data.path().join("units.csv");
    let csv_arg = csv.to_str().unwrap();
    let ran = plugins(data.path(), &["run", "flaky", "--units-csv", csv_arg]);
    assert_eq!(ran.code, 1, "two units of `flaky` fail: {}", ran.stderr);
    let resumed = plugins(data.path(), &["run", "seeded", "--units-csv", csv_arg]);
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("experiment,condition,replicate,outcome,duration_ms")
    );
    let rows: Vec<Vec<&str>> = lines.map(|line| line.split(',').collect()).collect();
    // 3 conditions × 4 replicates of `flaky`, then 2 × 3 of `seeded`: one header in all.
    assert_eq!(rows.len(), 12 + 6, "{text}");
    assert!(rows.iter().all(|row| row.len() == 5), "{text}");
    let failed: Vec<(&str, &str)> = rows
        .iter()
        .filter(|row| row[3] == "failed")
        .map(|row| (row[1], row[2]))
        .collect();
    assert_eq!(failed.len(), 2, "{text}");
    assert!(
        failed.contains(&("boom", "1")) && failed.contains(&("fail", "2")),
        "{text}"
    );
    assert!(
        rows.iter()
            .all(|row| row[4].parse::<f64>().is_ok_and(|ms| ms >= 0.0)),
        "{text}"
    );
}
