//! The on-disk layout: every file, its content, atomicity, versions.

use std::path::PathBuf;

use crate::common::{files_below, fixture, read_json};

#[test]
fn a_run_writes_every_file_of_the_layout() {
    let data = tempfile::tempdir().unwrap();
    let run = fixture(data.path(), &["run", "quickstart", "--json", "--seed", "7"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.experiment("quickstart");
    let exp = data.path().join("quickstart");
    let v0 = exp.join("v0");
    assert!(exp.join(".lock").is_file());

    let metadata = read_json(v0.join("metadata.json"));
    assert_eq!(metadata["replicates"], 10);
    assert_eq!(metadata["name"], "quickstart");
    assert_eq!(metadata["id"].as_str().unwrap().len(), 64);
    assert_eq!(metadata["seed"], 7);
    let stages: Vec<_> = metadata["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].clone())
        .collect();
    assert_eq!(stages, ["numbers", "scale", "summarize"]);
    assert_eq!(
        metadata["stages"][2]["uses"][0]["name"],
        "crystallize_examples::stats::mean"
    );
    assert_eq!(
        metadata["conditions"]["double"]["params"],
        serde_json::json!({"factor": 2.0})
    );
    assert!(
        metadata["provenance"]["rustc"]
            .as_str()
            .unwrap()
            .starts_with("rustc ")
    );
    assert!(
        metadata["provenance"]["started"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );

    assert_eq!(
        read_json(v0.join("_manifest.json")),
        serde_json::json!({"summary.json": "summarize"})
    );
    for condition in ["baseline", "double"] {
        let results = read_json(v0.join(condition).join("results.json"));
        assert_eq!(
            results["metrics"]["mean"],
            report["conditions"][condition]["metrics"]["mean"]
        );
        let marker =
            std::fs::read_to_string(v0.join(condition).join(".crystallize_complete")).unwrap();
        // First line: the condition key; second: its checksummed summary for resume.
        let mut lines = marker.lines();
        assert_eq!(
            lines.next().unwrap(),
            metadata["conditions"][condition]["key"].as_str().unwrap()
        );
        // The summary in binary (format 3): its payload in hex, then a 32-digit checksum; the
        // payload starts with the replicates (`u32`, little-endian).
        let summary = lines.next().unwrap().strip_prefix("#summary3 ").unwrap();
        let (payload, check) = summary.split_once(' ').unwrap();
        assert!(payload.bytes().all(|b| b.is_ascii_hexdigit()), "{summary}");
        assert_eq!(&payload[..8], "0a000000", "10 replicates: {summary}");
        assert_eq!(check.len(), 32, "{summary}");
        assert_eq!(lines.next(), None);
        for replicate in 0..10 {
            let artifact: PathBuf = v0
                .join(format!("replicate_{replicate}"))
                .join(condition)
                .join("summarize/summary.json");
            assert_eq!(read_json(&artifact), results["metrics"]["mean"][replicate]);
        }
    }
    assert_ne!(
        metadata["conditions"]["baseline"]["key"],
        metadata["conditions"]["double"]["key"]
    );
    let leftovers: Vec<_> = files_below(data.path())
        .into_iter()
        .filter(|path| path.to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn a_non_versioned_rerun_reuses_v0_without_stale_files() {
    let data = tempfile::tempdir().unwrap();
    assert_eq!(fixture(data.path(), &["run", "seeded"]).code, 0);
    let v0 = data.path().join("seeded/v0");
    // A treatment an earlier definition had: its directory is ours, and goes.
    let mut metadata = read_json(v0.join("metadata.json"));
    metadata["conditions"]["removed_treatment"] = metadata["conditions"]["shifted"].clone();
    std::fs::write(v0.join("metadata.json"), metadata.to_string()).unwrap();
    std::fs::create_dir_all(v0.join("removed_treatment")).unwrap();
    std::fs::write(
        v0.join("removed_treatment/results.json"),
        b"{\"metrics\": {}}",
    )
    .unwrap();
    std::fs::write(v0.join("replicate_0/baseline/save/stale.bin"), b"old").unwrap();
    // A file that is not ours stays.
    std::fs::write(v0.join("notes.txt"), b"mine").unwrap();
    let run = fixture(
        data.path(),
        &[
            "run",
            "seeded",
            "--treatment",
            "shifted",
            "--replicates",
            "2",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!v0.join("removed_treatment").exists());
    assert!(!v0.join("replicate_0/baseline/save/stale.bin").exists());
    assert_eq!(std::fs::read(v0.join("notes.txt")).unwrap(), b"mine");
    assert!(
        !v0.join("replicate_2").exists(),
        "replicate 2 belongs to the previous run"
    );
    assert_eq!(read_json(v0.join("metadata.json"))["replicates"], 2);
}

#[test]
fn versioned_experiments_claim_a_new_version_per_run() {
    let data = tempfile::tempdir().unwrap();
    for expected in 0..3 {
        let run = fixture(data.path(), &["run", "history", "--json"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(run.experiment("history")["version"], expected);
    }
    for version in 0..3 {
        let dir = data.path().join(format!("history/v{version}"));
        assert_eq!(read_json(dir.join("metadata.json"))["version"], version);
        assert!(dir.join("baseline/.crystallize_complete").is_file());
    }
}

#[test]
fn concurrent_versioned_runs_never_share_a_version() {
    let data = tempfile::tempdir().unwrap();
    let children: Vec<_> = (0..3)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_fixture"))
                .args(["run", "history", "--json", "--data-dir"])
                .arg(data.path())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut versions: Vec<u64> = children
        .into_iter()
        .map(|child| {
            let output = child.wait_with_output().unwrap();
            assert!(
                output.status.success(),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
            let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
            report["experiments"][0]["version"].as_u64().unwrap()
        })
        .collect();
    versions.sort_unstable();
    assert_eq!(versions, [0, 1, 2]);
    for version in versions {
        let dir = data.path().join(format!("history/v{version}"));
        assert_eq!(
            read_json(dir.join("baseline/results.json"))["metrics"]["replicate"],
            serde_json::json!([0.0, 1.0])
        );
    }
}
