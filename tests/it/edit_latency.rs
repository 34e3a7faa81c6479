//! `bench/edit_latency.py`, the edit -> result benchmark: each file it edits (the README's first
//! program, crystallize-ml's quickstart in `bench/anchors/`, its generated larger crate) has the
//! line it edits exactly once, so a changed README cannot make it time builds that edit nothing;
//! bad arguments are usage errors. (Running it builds crates for minutes; that is the benchmark,
//! not a test.)

use std::path::PathBuf;
use std::process::{Command, Output};

fn script(args: &[&str]) -> Option<Output> {
    if !crate::common::require(
        crate::common::tool_runs("python3", &["--version"]),
        "python3",
        "apt-get install python3",
    ) {
        return None;
    }
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf();
    Some(
        Command::new("python3")
            .arg(workspace.join("bench/edit_latency.py"))
            .args(args)
            .output()
            .expect("python3 runs"),
    )
}

#[test]
fn every_edited_file_has_its_edit_anchor_once() {
    let Some(output) = script(&["--check"]) else {
        return;
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "stdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.starts_with("ok: "), "{stdout}");
}

#[test]
fn bad_arguments_are_usage_errors() {
    for (args, message) in [
        (&["--repeat", "0"][..], "--repeat must be at least 1"),
        (&["--series", "nightly"][..], "unknown series nightly"),
        (&["--profile", "incremental"][..], "expected KEY=VALUE"),
        (
            &["--crystallize", "/nonexistent", "--check"][..],
            "no Cargo.toml there",
        ),
    ] {
        let Some(output) = script(args) else {
            return;
        };
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}
