//! Executors: `--executor process` runs every unit in a child process of the same binary (the
//! hidden `__unit` command) and commits its result through the same store and journal; the
//! results are byte-identical to the thread pool's.

use std::path::{Path, PathBuf};

use crate::common::{files_below, fixture, run_bin_with_env};

/// Results, markers and artifacts below `data`, with their content; of a marker, its first
/// line (the condition key: its summary holds the stamps of files of this data directory).
fn results(data: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files_below(data)
        .into_iter()
        .filter(|path| {
            let text = path.to_string_lossy();
            text.ends_with("results.json")
                || text.ends_with(".crystallize_complete")
                || text.contains("/replicate_")
        })
        .map(|path| {
            let mut bytes = std::fs::read(data.join(&path)).unwrap();
            if path.to_string_lossy().ends_with(".crystallize_complete") {
                let key_end = bytes.iter().position(|byte| *byte == b'\n');
                bytes.truncate(key_end.unwrap_or(bytes.len()));
            }
            (path, bytes)
        })
        .collect()
}

#[test]
fn child_processes_give_byte_identical_results() {
    // A pipeline with artifacts, a consumer reading its producer's artifacts, failing and
    // panicking units, and a cached step.
    let experiments = ["seeded", "evaluation", "flaky", "cache_basic"];
    let threads = tempfile::tempdir().unwrap();
    let processes = tempfile::tempdir().unwrap();
    let mut args: Vec<&str> = vec!["run"];
    args.extend(experiments);
    args.push("--json");
    let by_threads = fixture(threads.path(), &args);
    args.extend(["--executor", "process"]);
    let by_processes = fixture(processes.path(), &args);
    assert_eq!(by_threads.code, 1, "flaky fails: {}", by_threads.stderr);
    assert_eq!(by_processes.code, 1, "{}", by_processes.stderr);
    assert!(
        !by_processes.stderr.contains("thread '"),
        "{}",
        by_processes.stderr
    );
    let (a, b) = (results(threads.path()), results(processes.path()));
    assert!(a.len() > 20, "{}", a.len());
    assert_eq!(
        a.iter().map(|(path, _)| path).collect::<Vec<_>>(),
        b.iter().map(|(path, _)| path).collect::<Vec<_>>()
    );
    assert_eq!(a, b, "byte-identical");
    for experiment in experiments {
        let (a, b) = (
            by_threads.experiment(experiment),
            by_processes.experiment(experiment),
        );
        for (condition, by_thread) in a["conditions"].as_object().unwrap() {
            let by_process = &b["conditions"][condition];
            for field in ["metrics", "errors", "units_run", "cache_hits"] {
                assert_eq!(
                    by_thread[field], by_process[field],
                    "{experiment}/{condition}: {field}"
                );
            }
        }
    }
    // What the processes committed resumes like what threads committed.
    let resumed = fixture(
        processes.path(),
        &[
            "run",
            "seeded",
            "evaluation",
            "--strategy",
            "resume",
            "--json",
        ],
    );
    assert_eq!(resumed.experiment("seeded")["action"], "loaded");
    assert_eq!(resumed.experiment("evaluation")["action"], "loaded");
}

#[test]
fn a_unit_that_kills_its_process_fails_alone() {
    let data = tempfile::tempdir().unwrap();
    let run = run_bin_with_env(
        env!("CARGO_BIN_EXE_fixture"),
        data.path(),
        &["run", "aborting", "--executor", "process", "--json"],
        &[("CRYSTALLIZE_TEST_ABORT", Path::new("1"))],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let entry = run.experiment("aborting");
    let baseline = &entry["conditions"]["baseline"];
    assert_eq!(baseline["units_run"], 3);
    let errors = baseline["errors"].to_string();
    assert!(errors.contains("ended without a result"), "{errors}");
    assert_eq!(baseline["errors"].as_array().unwrap().len(), 1, "{errors}");
    assert_eq!(baseline["metrics"]["value"][0], 0.0);
    assert_eq!(baseline["metrics"]["value"][2], 2.0);
}

#[test]
fn the_unit_command_refuses_what_it_cannot_run() {
    let data = tempfile::tempdir().unwrap();
    let work = data.path().join("nowhere");
    let work = work.to_str().unwrap();
    for (args, expected) in [
        (
            vec![
                "__unit",
                "missing",
                "--version",
                "0",
                "--work-dir",
                work,
                "baseline",
                "0",
            ],
            "unknown experiment `missing`",
        ),
        (
            vec![
                "__unit",
                "seeded",
                "--version",
                "0",
                "--work-dir",
                work,
                "nope",
                "0",
            ],
            "has no condition `nope`",
        ),
        (
            vec![
                "__unit",
                "evaluation",
                "--version",
                "0",
                "--work-dir",
                work,
                "--read",
                "calibration=zero",
                "baseline",
                "0",
            ],
            "expected producer=version:conditions:directory",
        ),
    ] {
        let run = fixture(data.path(), &args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{args:?}: {}", run.stderr);
    }
}
