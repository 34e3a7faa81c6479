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

/// What a command line showed on a terminal: every capture of a 120x12 tmux pane, taken every
/// 50 ms from the start until the command exited (at most 30 s), with the escape codes of the
/// text attributes when `escapes`. `None` (after a notice) where tmux is missing.
fn on_terminal(command: &str, escapes: bool) -> Option<Vec<String>> {
    if !crate::common::require(
        crate::common::tool_runs("tmux", &["-V"]),
        "tmux",
        "apt-get install tmux",
    ) {
        return None;
    }
    static SESSIONS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let session = format!(
        "crystallize-progress-{}-{}",
        std::process::id(),
        SESSIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let exited = "CRYSTALLIZE-COMMAND-EXITED";
    let line = format!("{command}; echo {exited}; sleep 30");
    let started = Command::new("tmux")
        .args([
            "new-session",
            "-d",
            "-s",
            &session,
            "-x",
            "120",
            "-y",
            "12",
            &line,
        ])
        .status()
        .unwrap();
    assert!(started.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut screens = Vec::new();
    while Instant::now() < deadline {
        let mut args = vec!["capture-pane", "-p", "-t", &session];
        if escapes {
            args.push("-e");
        }
        let capture = Command::new("tmux").args(&args).output().unwrap();
        let screen = String::from_utf8_lossy(&capture.stdout).into_owned();
        let done = screen.contains(exited);
        screens.push(screen);
        if done {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = Command::new("tmux")
        .args(["kill-session", "-t", &session])
        .status();
    assert!(
        screens.last().is_some_and(|screen| screen.contains(exited)),
        "the command did not finish in 30 s:\n{}",
        screens.last().cloned().unwrap_or_default()
    );
    Some(screens)
}

/// The fixture binary running `args` with 40 ms per `slow` unit, data in `data`, as a shell
/// command line (`NO_COLOR` unset).
fn fixture_command(data: &std::path::Path, args: &str) -> String {
    format!(
        "env -u NO_COLOR CRYSTALLIZE_TEST_SLEEP_MS=40 '{}' {args} --data-dir '{}'",
        env!("CARGO_BIN_EXE_fixture"),
        data.display()
    )
}

/// The line of `screen` that starts with `name` followed by a space.
fn line_of<'a>(screen: &'a str, name: &str) -> Option<&'a str> {
    screen.lines().find(|line| {
        line.strip_prefix(name)
            .is_some_and(|rest| rest.starts_with(' '))
    })
}

#[test]
fn experiments_running_together_get_a_named_bar_each_and_the_run_its_elapsed_time() {
    let data = tempfile::tempdir().unwrap();
    // `resumable` (6 units) and `slow` (80) read nothing: they run in one wave.
    let Some(screens) = on_terminal(
        &fixture_command(data.path(), "run resumable slow --jobs 1 --color never"),
        false,
    ) else {
        return;
    };
    let both = screens.iter().find(|screen| {
        line_of(screen, "resumable").is_some_and(|line| line.contains("/6 units"))
            && line_of(screen, "slow")
                .is_some_and(|line| line.contains("/80 units") && line.contains("ETA"))
    });
    assert!(
        both.is_some(),
        "no named bar per experiment:\n{}",
        screens.join("\n----\n")
    );
    let last = screens.last().unwrap();
    assert!(
        last.lines()
            .any(|line| line.starts_with("finished in ") && line.ends_with('s')),
        "no elapsed time:\n{last}"
    );
    assert!(
        !last.contains("ETA"),
        "the bars are cleared at the end:\n{last}"
    );
    // The fixture is a debug build, and its units ran for seconds: it says how to go faster.
    assert!(
        last.contains("this is a debug build; `cargo run --release` runs units"),
        "no hint about the debug build:\n{last}"
    );
}

#[test]
fn quiet_shows_no_bar_and_no_elapsed_time() {
    let data = tempfile::tempdir().unwrap();
    let Some(screens) = on_terminal(&fixture_command(data.path(), "run slow --jobs 1 -q"), false)
    else {
        return;
    };
    for screen in &screens {
        assert!(
            !screen.contains("ETA") && !screen.contains("finished in"),
            "-q shows progress:\n{screen}"
        );
    }
    let last = screens.last().unwrap();
    assert!(last.contains("slow (v0)"), "the summary is shown:\n{last}");
}

#[test]
fn a_terminal_gets_colour_unless_color_is_never() {
    let data = tempfile::tempdir().unwrap();
    let Some(auto) = on_terminal(&fixture_command(data.path(), "run slow --jobs 1"), true) else {
        return;
    };
    assert!(
        auto.iter().any(|screen| screen.contains("\x1b[1mslow")),
        "no bold experiment name on a terminal:\n{}",
        auto.join("\n----\n")
    );
    let Some(never) = on_terminal(
        &fixture_command(data.path(), "run slow --jobs 1 --color never"),
        true,
    ) else {
        return;
    };
    assert!(
        never.iter().any(|screen| screen.contains("/80 units")),
        "no bar:\n{}",
        never.join("\n----\n")
    );
    for screen in &never {
        assert!(!screen.contains('\x1b'), "--color never: {screen:?}");
    }
    let Some(no_color) = on_terminal(
        &format!(
            "NO_COLOR=1 {}",
            fixture_command(data.path(), "run slow --jobs 1")
        )
        .replace("env -u NO_COLOR ", ""),
        true,
    ) else {
        return;
    };
    for screen in &no_color {
        assert!(!screen.contains('\x1b'), "NO_COLOR=1: {screen:?}");
    }
}
