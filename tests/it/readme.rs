//! The README's first command, `cargo run -p crystallize-examples`, works: it picks the examples
//! binary (the package also has `bench`) and runs every example experiment; with
//! `--units-csv FILE`, its example plugin writes one CSV row per unit.

use std::path::PathBuf;
use std::process::Command;

#[test]
fn cargo_run_of_the_examples_package_runs_the_examples() {
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf();
    let data = tempfile::tempdir().unwrap();
    // A separate target directory: the one running this test is locked by the outer cargo.
    // Shared with the fixture-crate builds of other tests, which take turns there.
    let turn = crate::common::edit_fixture_builds();
    let output = Command::new(env!("CARGO"))
        .current_dir(&workspace)
        .args([
            "run",
            "--offline",
            "--quiet",
            "-p",
            "crystallize-examples",
            "--",
            "--data-dir",
        ])
        .arg(data.path())
        .arg("--units-csv")
        .arg(data.path().join("units.csv"))
        .env(
            "CARGO_TARGET_DIR",
            workspace.join("target/tests/edit-fixture"),
        )
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .output()
        .expect("cargo runs");
    drop(turn);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    for experiment in [
        "quickstart (v0): ran",
        "calibration (v0): ran",
        "evaluation (v0): ran",
    ] {
        assert!(
            stdout.contains(experiment),
            "{experiment} missing:\n{stdout}"
        );
    }
    let csv = std::fs::read_to_string(data.path().join("units.csv")).expect("the CSV plugin ran");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("experiment,condition,replicate,outcome,duration_ms")
    );
    let rows: Vec<&str> = lines.collect();
    for experiment in ["quickstart", "calibration", "evaluation"] {
        assert!(
            rows.iter()
                .any(|row| row.starts_with(&format!("{experiment},")) && row.contains(",ran,")),
            "no row of {experiment}:\n{csv}"
        );
    }
}
