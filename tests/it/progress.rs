//! Progress: a bar with units done/total, rate and ETA on a terminal (checked in a real terminal
//! with tmux), nothing of it in pipes.

use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn piped_runs_show_no_progress_bar() {
    let data = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_fixture"))
        .args(["run", "slow", "--replicates", "5", "--data-dir"])
        .arg(data.path())
        .env("CRYSTALLIZE_TEST_SLEEP_MS", "20")
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("ETA") && !stderr.contains("units"),
        "{stderr}"
    );
}

#[test]
fn a_terminal_shows_units_done_rate_and_eta() {
    if !crate::common::require(
        crate::common::tool_runs("tmux", &["-V"]),
        "tmux",
        "apt-get install tmux",
    ) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let session = format!("crystallize-progress-{}", std::process::id());
    let command = format!(
        "env CRYSTALLIZE_TEST_SLEEP_MS=40 '{}' run slow --jobs 1 --data-dir '{}'; sleep 30",
        env!("CARGO_BIN_EXE_fixture"),
        data.path().display()
    );
    let started = Command::new("tmux")
        .args([
            "new-session",
            "-d",
            "-s",
            &session,
            "-x",
            "120",
            "-y",
            "10",
            &command,
        ])
        .status()
        .unwrap();
    assert!(started.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut screen = String::new();
    let mut seen = false;
    while Instant::now() < deadline {
        let capture = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &session])
            .output()
            .unwrap();
        screen = String::from_utf8_lossy(&capture.stdout).into_owned();
        if screen.contains("/80 units") && screen.contains("ETA") {
            seen = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = Command::new("tmux")
        .args(["kill-session", "-t", &session])
        .status();
    assert!(seen, "no progress bar on the terminal:\n{screen}");
}
