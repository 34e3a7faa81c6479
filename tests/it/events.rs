//! The run's event stream: `--events FILE` (and `-`) writes one JSON line per event; every unit
//! gets exactly one `unit-finished`, every run ends with `run-finished`; the log follows `-v`,
//! `-vv` and `RUST_LOG`; a step cache that cannot be written is a warning.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::common::{fixture, run_bin_with_env};

fn events_of(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|error| panic!("{error}: {line}")))
        .collect()
}

fn kinds(events: &[Value]) -> Vec<&str> {
    events
        .iter()
        .map(|event| event["event"].as_str().unwrap())
        .collect()
}

/// Outcome of each unit's one `unit-finished` event, by (condition, replicate).
fn finished_units(events: &[Value]) -> BTreeMap<(String, u64), String> {
    let mut units = BTreeMap::new();
    for event in events
        .iter()
        .filter(|event| event["event"] == "unit-finished")
    {
        let key = (
            event["condition"].as_str().unwrap().to_string(),
            event["replicate"].as_u64().unwrap(),
        );
        let outcome = event["outcome"].as_str().unwrap().to_string();
        assert!(
            units.insert(key.clone(), outcome).is_none(),
            "{key:?} finished twice"
        );
    }
    units
}

#[test]
fn every_unit_finishes_once_and_every_run_ends_with_run_finished() {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("events.jsonl");
    let path = file.to_str().unwrap();
    let run = fixture(data.path(), &["run", "seeded", "--events", path]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let events = events_of(&file);
    let kinds = kinds(&events);
    assert_eq!(kinds.first(), Some(&"run-started"));
    assert_eq!(kinds.last(), Some(&"run-finished"));
    assert_eq!(events.last().unwrap()["ok"], true);
    for expected in [
        "experiment-planned",
        "wave-started",
        "unit-started",
        "step-finished",
        "artifact-written",
        "wave-finished",
        "experiment-finished",
    ] {
        assert!(kinds.contains(&expected), "{expected} missing: {kinds:?}");
    }
    let units = finished_units(&events);
    assert_eq!(units.len(), 6);
    assert!(units.values().all(|outcome| outcome == "ran"), "{units:?}");
    // Each unit ran its source and two steps; each wrote two artifacts.
    let steps = events
        .iter()
        .filter(|e| e["event"] == "step-finished")
        .count();
    let artifacts = events
        .iter()
        .filter(|e| e["event"] == "artifact-written")
        .count();
    assert_eq!((steps, artifacts), (18, 12));
    let ran_metrics = unit_metrics(&events);
    assert!(
        ran_metrics
            .values()
            .all(|metrics| metrics.as_object().is_some_and(|m| !m.is_empty())),
        "{ran_metrics:?}"
    );

    // A resume loads every unit: one `unit-finished` each, outcome `loaded`, with the metrics
    // the run recorded.
    let resumed = fixture(
        data.path(),
        &["run", "seeded", "--strategy", "resume", "--events", path],
    );
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    let events = events_of(&file);
    let units = finished_units(&events);
    assert_eq!(units.len(), 6);
    assert!(
        units.values().all(|outcome| outcome == "loaded"),
        "{units:?}"
    );
    assert!(!kinds_contain(&events, "unit-started"));
    assert_eq!(unit_metrics(&events), ran_metrics);
}

/// The metrics of each unit's `unit-finished` event, by (condition, replicate).
fn unit_metrics(events: &[Value]) -> BTreeMap<(String, u64), Value> {
    events
        .iter()
        .filter(|event| event["event"] == "unit-finished")
        .map(|event| {
            (
                (
                    event["condition"].as_str().unwrap().to_string(),
                    event["replicate"].as_u64().unwrap(),
                ),
                event["metrics"].clone(),
            )
        })
        .collect()
}

fn kinds_contain(events: &[Value], kind: &str) -> bool {
    events.iter().any(|event| event["event"] == kind)
}

#[test]
fn failed_units_say_where_and_the_run_is_not_ok() {
    let data = tempfile::tempdir().unwrap();
    let run = fixture(data.path(), &["run", "flaky", "--events", "-"]);
    assert_eq!(run.code, 1);
    let events: Vec<Value> = run
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let failed: Vec<&Value> = events
        .iter()
        .filter(|e| e["event"] == "unit-finished" && e["outcome"] == "failed")
        .collect();
    assert_eq!(failed.len(), 2, "{failed:?}");
    assert!(
        failed
            .iter()
            .any(|e| e["failed_in"] == "panic in `maybe_fail`" && e["condition"] == "boom")
    );
    let last = events.last().unwrap();
    assert_eq!(
        (last["event"].as_str(), last["ok"].as_bool()),
        (Some("run-finished"), Some(false))
    );
    assert_eq!(last["failed_units"], 2);
}

#[test]
fn plan_sends_its_decisions_and_writes_nothing_else() {
    let data = tempfile::tempdir().unwrap();
    assert_eq!(fixture(data.path(), &["run", "seeded"]).code, 0);
    let plan = fixture(data.path(), &["plan", "seeded", "--events", "-"]);
    assert_eq!(plan.code, 0, "{}", plan.stderr);
    let events: Vec<Value> = plan
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(events[0]["event"], "run-started");
    assert_eq!(events[0]["dry_run"], true);
    let planned = events
        .iter()
        .find(|e| e["event"] == "experiment-planned")
        .unwrap();
    assert_eq!(planned["units_to_run"], 6, "{planned}");
    assert!(!kinds_contain(&events, "unit-finished"));
    assert_eq!(events.last().unwrap()["event"], "run-finished");
}

#[test]
fn events_to_stdout_and_json_to_stdout_are_refused() {
    let data = tempfile::tempdir().unwrap();
    let run = fixture(data.path(), &["run", "seeded", "--events", "-", "--json"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("both write to stdout"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_log_follows_v_vv_and_rust_log() {
    let data = tempfile::tempdir().unwrap();
    let quiet = fixture(data.path(), &["run", "seeded"]);
    assert!(!quiet.stderr.contains("[crystallize]"), "{}", quiet.stderr);
    let info = fixture(
        data.path(),
        &["run", "seeded", "--strategy", "resume", "-v"],
    );
    assert!(
        info.stderr
            .contains("seeded/baseline: replicates 0-2: load from v0"),
        "{}",
        info.stderr
    );
    assert!(!info.stderr.contains("(0.0 ms)"), "{}", info.stderr);
    let debug = fixture(data.path(), &["run", "seeded", "-vv"]);
    assert!(
        debug.stderr.contains("seeded/shifted/replicate 2: ran ("),
        "{}",
        debug.stderr
    );
    assert!(
        debug.stderr.contains("step `save` ran in"),
        "{}",
        debug.stderr
    );
    // Loaded units are logged at debug level (their events are built for the log then).
    let loaded = fixture(
        data.path(),
        &["run", "seeded", "--strategy", "resume", "-vv"],
    );
    assert!(
        loaded
            .stderr
            .contains("seeded/shifted/replicate 2: loaded ("),
        "{}",
        loaded.stderr
    );
    let from_env = run_bin_with_env(
        env!("CARGO_BIN_EXE_fixture"),
        data.path(),
        &["run", "seeded"],
        &[("RUST_LOG", Path::new("debug"))],
    );
    assert!(
        from_env
            .stderr
            .contains("seeded/baseline/replicate 0: ran ("),
        "{}",
        from_env.stderr
    );
}

#[test]
fn a_step_cache_that_cannot_be_written_is_a_warning() {
    let data = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(data.path().join(".cache")).unwrap();
    // A file where the cache keeps its entries: every write to it fails.
    std::fs::write(data.path().join(".cache/steps"), b"not a directory").unwrap();
    let run = fixture(data.path(), &["run", "cache_basic"]);
    assert_eq!(run.code, 0, "the run itself succeeds: {}", run.stderr);
    assert!(
        run.stderr
            .contains("warning: the step cache could not keep the output of `cached_summary`"),
        "{}",
        run.stderr
    );
}
