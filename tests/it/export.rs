//! `export EXPERIMENT [--version N] --format csv|jsonl`: one row per condition × replicate ×
//! metric, columns `version,condition,replicate,metric,value,condition_key`, conditions in
//! definition order, the values of the stored run, and clear errors for what is not stored.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::common::{fixture, read_json};

/// The CSV `text` as rows of fields (the fixtures' names need no quoting).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(|line| line.split(',').map(str::to_string).collect())
        .collect()
}

const HEADER: &str = "version,condition,replicate,metric,value,condition_key";

#[test]
fn csv_has_one_row_per_condition_replicate_and_metric_in_definition_order() {
    let data = tempfile::tempdir().unwrap();
    let run = fixture(data.path(), &["run", "cache_by_param", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let entry = run.experiment("cache_by_param");
    let export = fixture(
        data.path(),
        &["export", "cache_by_param", "--format", "csv"],
    );
    assert_eq!(export.code, 0, "{}", export.stderr);
    assert_eq!(export.stderr, "");
    let rows = csv_rows(&export.stdout);
    assert_eq!(rows[0].join(","), HEADER);
    let rows = &rows[1..];
    // Definition order (baseline, tripled, shifted), not name order; then replicate, metric.
    let mut expected_order = Vec::new();
    for condition in ["baseline", "tripled", "shifted"] {
        let metrics = entry["conditions"][condition]["metrics"]
            .as_object()
            .unwrap();
        assert!(!metrics.is_empty());
        for replicate in 0..2 {
            for metric in metrics.keys() {
                expected_order.push((condition.to_string(), replicate.to_string(), metric.clone()));
            }
        }
    }
    let order: Vec<(String, String, String)> = rows
        .iter()
        .map(|row| (row[1].clone(), row[2].clone(), row[3].clone()))
        .collect();
    assert_eq!(order, expected_order);
    let version_dir = data.path().join("cache_by_param").join("v0");
    for row in rows {
        assert_eq!(row.len(), 6, "{row:?}");
        assert_eq!(row[0], "0");
        let replicate: usize = row[2].parse().unwrap();
        let stored = &entry["conditions"][&row[1]]["metrics"][&row[3]][replicate];
        let value: f64 = row[4].parse().unwrap();
        assert_eq!(
            value.to_bits(),
            stored.as_f64().unwrap().to_bits(),
            "{row:?}"
        );
        let marker =
            std::fs::read_to_string(version_dir.join(&row[1]).join(".crystallize_complete"))
                .unwrap();
        // The marker's first line is the condition key (its second, the summary resume reads).
        assert_eq!(
            row[5],
            marker.lines().next().unwrap(),
            "the condition key of {row:?}"
        );
    }
}

#[test]
fn jsonl_rows_carry_the_same_values_and_null_for_a_failed_replicate() {
    let data = tempfile::tempdir().unwrap();
    // `flaky`'s `boom` panics on replicate 1 and `fail` errs on replicate 2.
    assert_eq!(fixture(data.path(), &["run", "flaky"]).code, 1);
    let csv = fixture(data.path(), &["export", "flaky"]);
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    let jsonl = fixture(data.path(), &["export", "flaky", "--format", "jsonl"]);
    assert_eq!(jsonl.code, 0, "{}", jsonl.stderr);
    let lines: Vec<Value> = jsonl
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let csv_rows = csv_rows(&csv.stdout);
    assert_eq!(lines.len(), 3 * 4);
    assert_eq!(
        csv_rows.len(),
        lines.len() + 1,
        "CSV and JSON lines have the same rows"
    );
    let metadata = read_json(data.path().join("flaky/v0/metadata.json"));
    for (line, row) in lines.iter().zip(&csv_rows[1..]) {
        let keys: Vec<&String> = line.as_object().unwrap().keys().collect();
        assert_eq!(
            keys.len(),
            6,
            "version, condition, replicate, metric, value, condition_key: {line}"
        );
        let condition = line["condition"].as_str().unwrap();
        let replicate = line["replicate"].as_u64().unwrap();
        assert_eq!(line["version"], 0);
        assert_eq!(line["metric"], "value");
        assert_eq!(
            line["condition_key"], metadata["conditions"][condition]["key"],
            "{line}"
        );
        let failed =
            (condition == "boom" && replicate == 1) || (condition == "fail" && replicate == 2);
        if failed {
            assert_eq!(line["value"], Value::Null, "{line}");
            assert_eq!(row[4], "", "an empty CSV field: {row:?}");
        } else {
            assert_eq!(line["value"].as_f64(), Some(replicate as f64), "{line}");
            assert_eq!(
                row[4].parse::<f64>().ok(),
                Some(replicate as f64),
                "{row:?}"
            );
        }
        assert_eq!(
            (row[1].as_str(), row[2].parse::<u64>().unwrap()),
            (condition, replicate)
        );
    }
    let conditions: Vec<&str> = lines
        .iter()
        .map(|line| line["condition"].as_str().unwrap())
        .collect();
    assert_eq!(conditions[0], "baseline");
    assert_eq!(conditions[4], "boom");
    assert_eq!(conditions[8], "fail");
}

#[test]
fn the_newest_version_is_exported_unless_one_is_named() {
    let data = tempfile::tempdir().unwrap();
    // `history` is versioned: two runs store v0 and v1.
    for _ in 0..2 {
        assert_eq!(fixture(data.path(), &["run", "history"]).code, 0);
    }
    let versions = |args: &[&str]| -> Vec<String> {
        let export = fixture(data.path(), args);
        assert_eq!(export.code, 0, "{args:?}: {}", export.stderr);
        let mut versions: Vec<String> = csv_rows(&export.stdout)[1..]
            .iter()
            .map(|row| row[0].clone())
            .collect();
        assert!(!versions.is_empty(), "{args:?}: no rows");
        versions.dedup();
        versions
    };
    assert_eq!(versions(&["export", "history"]), ["1"]);
    assert_eq!(versions(&["export", "history", "--version", "0"]), ["0"]);
    assert_eq!(versions(&["export", "history", "--version", "1"]), ["1"]);
}

#[test]
fn what_is_not_stored_is_a_usage_error_that_says_what_is() {
    let data = tempfile::tempdir().unwrap();
    assert_eq!(fixture(data.path(), &["run", "history"]).code, 0);
    for (args, parts) in [
        (
            &["export", "history", "--version", "7"][..],
            &["`history` has no version 7", "versions: 0"][..],
        ),
        (
            &["export", "quickstart"],
            &["`quickstart` has no stored run", "run it first"],
        ),
        (
            &["export", "nope"],
            &["unknown experiment `nope`", "quickstart", "history"],
        ),
        (&["export", "history", "--format", "xml"], &["xml"]),
    ] {
        let export = fixture(data.path(), args);
        assert_eq!(export.code, 2, "{args:?}: {}", export.stderr);
        assert_eq!(export.stdout, "", "{args:?}");
        assert!(!export.stderr.contains("panicked"), "{}", export.stderr);
        for part in parts {
            assert!(
                export.stderr.contains(part),
                "{args:?}: `{part}` in:\n{}",
                export.stderr
            );
        }
    }
}

/// Runs `python3 -c script` with `input` on stdin; its stdout, or `None` when it failed.
fn python(script: &str, input: &str) -> Option<String> {
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(input.as_bytes()).ok()?;
    let output = child.wait_with_output().ok()?;
    assert!(
        output.status.success(),
        "python3 failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[test]
fn python_reads_the_csv_and_pandas_too_where_it_is_installed() {
    if !crate::common::require(
        crate::common::tool_runs("python3", &["--version"]),
        "python3",
        "apt-get install python3",
    ) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    assert_eq!(fixture(data.path(), &["run", "flaky"]).code, 1);
    let export = fixture(data.path(), &["export", "flaky"]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    let read = python(
        "import csv, sys\n\
         rows = list(csv.DictReader(sys.stdin))\n\
         empty = [r for r in rows if r['value'] == '']\n\
         print(len(rows), len(empty), ','.join(rows[0].keys()))",
        &export.stdout,
    )
    .unwrap();
    assert_eq!(read.trim(), format!("12 2 {HEADER}"));
    // pandas is optional: the check runs where it is installed.
    if !crate::common::tool_runs("python3", &["-c", "import pandas"]) {
        eprintln!("note: pandas is not installed; the pandas check is skipped");
        return;
    }
    let read = python(
        "import io, sys, pandas\n\
         frame = pandas.read_csv(io.StringIO(sys.stdin.read()))\n\
         print(frame.shape[0], int(frame['value'].isna().sum()), frame['value'].dtype)",
        &export.stdout,
    )
    .unwrap();
    assert_eq!(read.trim(), "12 2 float64");
}
