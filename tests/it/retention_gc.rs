//! Retention (`#[experiment(versioned, retention = N)]`) and `gc`, end to end through the
//! `fixture` binary: old versions pruned to their metrics, `gc --dry-run`, `gc --keep`, the
//! bytes reported, `gc --json`, and temporary files left by killed runs.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{files_below, fixture, read_json};
use serde_json::{Value, json};

/// Runs `experiment` with `--json`, expecting success; returns its report entry.
fn run_ok(data: &Path, experiment: &str) -> Value {
    let run = fixture(data, &["run", experiment, "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.experiment(experiment)
}

/// Every file below `dir`, relative, as a set.
fn file_set(dir: &Path) -> BTreeSet<PathBuf> {
    files_below(dir).into_iter().collect()
}

fn paths(list: &[&str]) -> BTreeSet<PathBuf> {
    list.iter().map(PathBuf::from).collect()
}

/// What pruning keeps of a version of `retained`: its metadata and metrics.
fn pruned_shape() -> BTreeSet<PathBuf> {
    paths(&[
        "metadata.json",
        "baseline/results.json",
        "bumped/results.json",
    ])
}

/// A whole version of `retained` (2 replicates x 2 conditions, one step writing 2 files).
fn whole_shape() -> BTreeSet<PathBuf> {
    let mut files = paths(&[
        ".journal.jsonl",
        "_manifest.json",
        "metadata.json",
        "baseline/results.json",
        "baseline/.crystallize_complete",
        "bumped/results.json",
        "bumped/.crystallize_complete",
    ]);
    for replicate in 0..2 {
        for condition in ["baseline", "bumped"] {
            for file in ["value.json", "padding.txt"] {
                files.insert(PathBuf::from(format!(
                    "replicate_{replicate}/{condition}/retained_value/{file}"
                )));
            }
        }
    }
    files
}

/// Total size of `files` (relative to `root`).
fn total_size<'a>(root: &Path, files: impl IntoIterator<Item = &'a PathBuf>) -> u64 {
    files
        .into_iter()
        .map(|file| fs::metadata(root.join(file)).unwrap().len())
        .sum()
}

/// Runs `retained` four times; returns the four report entries.
fn four_runs(data: &Path) -> Vec<Value> {
    (0..4).map(|_| run_ok(data, "retained")).collect()
}

/// Feature 6: retention = 2 keeps the newest two versions whole and prunes older ones to
/// `metadata.json` and `<condition>/results.json`; the reports list what was pruned.
#[test]
fn retention_keeps_the_newest_versions_whole_and_prunes_older_ones_to_their_metrics() {
    let data = tempfile::tempdir().unwrap();
    let runs = four_runs(data.path());
    let versions: Vec<&Value> = runs.iter().map(|entry| &entry["version"]).collect();
    assert_eq!(versions, [&json!(0), &json!(1), &json!(2), &json!(3)]);
    let pruned: Vec<&Value> = runs.iter().map(|entry| &entry["pruned"]).collect();
    assert_eq!(
        pruned,
        [&json!([]), &json!([]), &json!([0]), &json!([1])],
        "the 3rd run prunes v0, the 4th v1"
    );
    let experiment = data.path().join("retained");
    for version in [0, 1] {
        let dir = experiment.join(format!("v{version}"));
        assert_eq!(file_set(&dir), pruned_shape(), "v{version}");
        let mut entries: Vec<String> = fs::read_dir(&dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .collect();
        entries.sort();
        assert_eq!(
            entries,
            ["baseline", "bumped", "metadata.json"],
            "v{version}: no replicate_* directories, marker, manifest or journal"
        );
        // What is left still holds the run's metrics.
        for condition in ["baseline", "bumped"] {
            assert_eq!(
                read_json(dir.join(condition).join("results.json"))["metrics"],
                runs[version]["conditions"][condition]["metrics"],
                "v{version}/{condition}"
            );
        }
        assert_eq!(read_json(dir.join("metadata.json"))["replicates"], 2);
    }
    for version in [2, 3] {
        assert_eq!(
            file_set(&experiment.join(format!("v{version}"))),
            whole_shape(),
            "v{version} is whole"
        );
    }
    // The newest version is whole, so resuming loads it.
    let resumed = fixture(
        data.path(),
        &["run", "retained", "--strategy", "resume", "--json"],
    );
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    let resumed = resumed.experiment("retained");
    assert_eq!(resumed["action"], "loaded", "{resumed}");
    assert_eq!(resumed["version"], 3);
}

/// Feature 7: `gc --dry-run --keep 1` reports what it would delete and its bytes, and deletes
/// nothing.
#[test]
fn gc_dry_run_reports_what_it_would_delete_and_deletes_nothing() {
    let data = tempfile::tempdir().unwrap();
    four_runs(data.path());
    let experiment = data.path().join("retained");
    let before = file_set(data.path());
    let v2 = experiment.join("v2");
    let doomed: BTreeSet<PathBuf> = whole_shape().difference(&pruned_shape()).cloned().collect();
    let bytes = total_size(&v2, &doomed);

    let text = fixture(data.path(), &["gc", "retained", "--keep", "1", "--dry-run"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(
        text.stdout.contains(&format!(
            "retained: would delete {} files of v2",
            doomed.len()
        )),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("would reclaim"), "{}", text.stdout);
    assert!(!text.stdout.contains("v3"), "v3 is kept: {}", text.stdout);
    assert_eq!(file_set(data.path()), before, "a dry run deletes nothing");

    let json = fixture(
        data.path(),
        &["gc", "retained", "--keep", "1", "--dry-run", "--json"],
    );
    assert_eq!(json.code, 0, "{}", json.stderr);
    let report = json.report();
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["bytes"], bytes);
    let entry = &report["experiments"][0];
    assert_eq!(entry["name"], "retained");
    assert_eq!(entry["keep"], 1);
    assert_eq!(
        entry["pruned"],
        json!([{ "version": 2, "files": doomed.len(), "bytes": bytes }])
    );
    assert_eq!(file_set(data.path()), before, "a dry run deletes nothing");

    // Without --keep, the experiment's own retention (2) applies: nothing to prune.
    let own = fixture(data.path(), &["gc", "retained", "--dry-run", "--json"]);
    assert_eq!(own.code, 0, "{}", own.stderr);
    assert_eq!(own.report()["experiments"][0]["keep"], 2);
    assert_eq!(own.report()["bytes"], 0);
}

/// Feature 7: `gc --keep 1` deletes, and the bytes it reports are the sizes of the files it
/// deleted (measured before); temporary files are deleted too, and counted once.
#[test]
fn gc_keep_deletes_and_reports_the_bytes_of_what_it_deleted() {
    let data = tempfile::tempdir().unwrap();
    four_runs(data.path());
    let experiment = data.path().join("retained");
    // Temporary files left by a killed process: in a kept version, deep in a unit directory,
    // and in a version already pruned to its metrics.
    let temps = [
        "v3/.metadata.json.tmp-4242-0",
        "v3/replicate_1/bumped/retained_value/.value.json.tmp-4242-3",
        "v0/.results.json.tmp-77-1",
    ];
    for (index, temp) in temps.iter().enumerate() {
        fs::write(experiment.join(temp), vec![b'~'; 10 + index * 7]).unwrap();
    }
    let before = file_set(&experiment);
    let mut expected: BTreeSet<PathBuf> = whole_shape()
        .difference(&pruned_shape())
        .map(|file| Path::new("v2").join(file))
        .collect();
    expected.extend(paths(&temps));
    let bytes = total_size(&experiment, &expected);

    let run = fixture(data.path(), &["gc", "retained", "--keep", "1", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.report();
    assert_eq!(report["dry_run"], false);
    let after = file_set(&experiment);
    let deleted: BTreeSet<PathBuf> = before.difference(&after).cloned().collect();
    assert_eq!(deleted, expected);
    assert!(after.is_subset(&before));
    assert_eq!(report["bytes"], bytes, "{report}");
    let entry = &report["experiments"][0];
    assert_eq!(entry["bytes"], bytes);
    let counted: u64 = entry["pruned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pruned| pruned["files"].as_u64().unwrap())
        .sum::<u64>()
        + entry["temporary_files"].as_u64().unwrap();
    assert_eq!(counted, expected.len() as u64, "{entry}");
    let pruned_bytes: u64 = entry["pruned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pruned| pruned["bytes"].as_u64().unwrap())
        .sum();
    assert!(pruned_bytes <= bytes);

    assert_eq!(file_set(&experiment.join("v2")), pruned_shape());
    assert_eq!(file_set(&experiment.join("v3")), whole_shape());
    assert!(
        !experiment.join("v2/replicate_0").exists(),
        "emptied directories are removed"
    );

    // Nothing left to do.
    let again = fixture(data.path(), &["gc", "retained", "--keep", "1", "--json"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(again.report()["bytes"], 0);
    assert_eq!(file_set(&experiment), after);

    // The text output names the bytes reclaimed.
    let text = fixture(data.path(), &["gc", "retained", "--keep", "1"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(
        text.stdout.contains("reclaimed 0 B in total"),
        "{}",
        text.stdout
    );
}

/// Feature 7: with the experiment's own retention, `gc` only finds the temporary files left in
/// version directories, and deletes them.
#[test]
fn gc_deletes_temporary_files_left_in_version_dirs() {
    let data = tempfile::tempdir().unwrap();
    four_runs(data.path());
    let experiment = data.path().join("retained");
    let temp = experiment.join("v2/baseline/.results.json.tmp-31337-12");
    fs::write(&temp, b"half a file").unwrap();
    let before = file_set(&experiment);

    let dry = fixture(data.path(), &["gc", "--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(
        dry.stdout
            .contains("retained: would delete 1 temporary files"),
        "{}",
        dry.stdout
    );
    assert_eq!(file_set(&experiment), before);

    let run = fixture(data.path(), &["gc", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.report();
    assert_eq!(report["bytes"], 11);
    let entry = report["experiments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["name"] == "retained")
        .cloned()
        .unwrap_or_else(|| panic!("no retained entry: {report}"));
    assert_eq!(entry["temporary_files"], 1);
    assert_eq!(entry["pruned"], json!([]));
    assert!(!temp.exists());
    let mut expected = before.clone();
    expected.remove(Path::new("v2/baseline/.results.json.tmp-31337-12"));
    assert_eq!(file_set(&experiment), expected);
}

/// Feature 7: an experiment without retention, and no --keep: gc deletes only temporary files,
/// not other dot files or look-alikes, and prunes no version.
#[test]
fn gc_without_retention_or_keep_deletes_only_temporary_files() {
    let data = tempfile::tempdir().unwrap();
    for _ in 0..3 {
        run_ok(data.path(), "gc_plain");
    }
    let experiment = data.path().join("gc_plain");
    let temps = [
        "v0/.metadata.json.tmp-4242-0",
        "v2/replicate_1/baseline/retained_value/.value.json.tmp-4242-7",
    ];
    for temp in temps {
        fs::write(experiment.join(temp), b"partial").unwrap();
    }
    // Not temporary files: no leading dot, or no `.tmp-` mark.
    for other in ["v0/notes.tmp-1-2", "v1/.keepme"] {
        fs::write(experiment.join(other), b"mine").unwrap();
    }
    let before = file_set(&experiment);

    let run = fixture(data.path(), &["gc", "gc_plain", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.report();
    let entry = &report["experiments"][0];
    assert_eq!(entry["name"], "gc_plain");
    assert_eq!(entry["keep"], Value::Null);
    assert_eq!(entry["pruned"], json!([]));
    assert_eq!(entry["temporary_files"], 2);
    assert_eq!(report["bytes"], 2 * "partial".len());
    let mut expected = before.clone();
    for temp in temps {
        expected.remove(Path::new(temp));
    }
    assert_eq!(file_set(&experiment), expected);
    for version in 0..3 {
        assert!(
            experiment
                .join(format!(
                    "v{version}/replicate_0/baseline/retained_value/value.json"
                ))
                .is_file(),
            "v{version} stays whole"
        );
    }
}

/// `gc` on experiments that never ran does nothing, and `--keep 0` is a usage error.
#[test]
fn gc_on_an_empty_data_dir_does_nothing_and_keep_must_be_positive() {
    let data = tempfile::tempdir().unwrap();
    let run = fixture(data.path(), &["gc", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.report()["bytes"], 0);
    assert_eq!(run.report()["experiments"], json!([]));
    let zero = fixture(data.path(), &["gc", "--keep", "0"]);
    assert_eq!(zero.code, 2, "{}", zero.stderr);
    let unknown = fixture(data.path(), &["gc", "nope"]);
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    assert!(
        fs::read_dir(data.path()).unwrap().next().is_none(),
        "gc creates nothing"
    );
}
