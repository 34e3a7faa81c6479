//! The run screen (`tui`), driven as a user does: the real binary in a real terminal (tmux),
//! keys sent with `send-keys`, the screen read with `capture-pane`. Skipped with a notice where
//! tmux is missing.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_tui_screen");

fn tmux_available() -> bool {
    crate::common::require(
        crate::common::tool_runs("tmux", &["-V"]),
        "tmux",
        "apt-get install tmux",
    )
}

/// A tmux session running the screen, killed when dropped.
struct Screen {
    session: String,
}

impl Screen {
    /// Starts `tui ARGS` on an 80×24 terminal with `env`, in the repository root (where the
    /// stages' `file!()` paths lead).
    fn start(name: &str, args: &str, env: &str) -> Screen {
        Screen::start_sized(name, args, env, 24)
    }

    /// [`Screen::start`] on a terminal 80 wide and `height` high.
    fn start_sized(name: &str, args: &str, env: &str, height: u32) -> Screen {
        let session = format!("crystallize-tui-{name}-{}", std::process::id());
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let command = format!(
            "cd '{}' && env {env} '{BIN}' tui {args}; echo EXITED $?; sleep 60",
            root.display()
        );
        let started = Command::new("tmux")
            .args(["new-session", "-d", "-s", &session, "-x", "80", "-y"])
            .arg(height.to_string())
            .arg(&command)
            .status()
            .unwrap();
        assert!(started.success());
        Screen { session }
    }

    fn capture(&self) -> String {
        let output = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.session])
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        for key in keys {
            let sent = Command::new("tmux")
                .args(["send-keys", "-t", &self.session, key])
                .status()
                .unwrap();
            assert!(sent.success());
            // One key at a time, each seen by the screen before the next.
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    /// Waits until `ready` holds of the screen; fails with the screen when it does not.
    fn wait(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut screen = self.capture();
        while Instant::now() < deadline {
            if ready(&screen) {
                return screen;
            }
            std::thread::sleep(Duration::from_millis(100));
            screen = self.capture();
        }
        panic!("timed out waiting for {what}; the screen:\n{screen}");
    }

    /// A tmux format of the pane (`#{alternate_on}`, `#{cursor_flag}`).
    fn pane(&self, format: &str) -> String {
        let output = Command::new("tmux")
            .args(["display-message", "-p", "-t", &self.session, format])
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.session])
            .status();
    }
}

/// The tree line of `name` (left pane), if shown.
fn line<'s>(screen: &'s str, name: &str) -> Option<&'s str> {
    screen
        .lines()
        .map(|line| line.split("││").next().unwrap_or(line))
        .find(|line| line.split_whitespace().any(|word| word == name))
}

fn locked(screen: &str, name: &str) -> bool {
    line(screen, name).is_some_and(|line| line.contains('🔒'))
}

/// `plan --json ARGS`: per experiment, whether it loads everything (`action` `loaded`).
fn plan_loads(args: &[&str], data: &Path) -> Vec<(String, bool)> {
    let output = Command::new(BIN)
        .arg("plan")
        .args(args)
        .args(["--json", "--data-dir"])
        .arg(data)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    report["experiments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            (
                entry["name"].as_str().unwrap().to_string(),
                entry["action"] == "loaded",
            )
        })
        .collect()
}

/// The locks of the experiments on the screen agree with `plan --json` for the same flags.
fn assert_agrees_with_plan(screen: &str, args: &[&str], data: &Path) {
    let planned = plan_loads(args, data);
    assert!(!planned.is_empty());
    for (name, loads) in planned {
        assert_eq!(
            locked(screen, &name),
            loads,
            "`{name}`: the screen and `plan --json` disagree\n{screen}"
        );
    }
}

#[test]
fn run_lock_toggle_rerun_exclude_and_quit_restores_the_terminal() {
    if !tmux_available() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().display().to_string();
    let flags = format!("alpha beta --strategy resume --data-dir '{data_dir}'");
    let screen = Screen::start("flow", &flags, "");
    // Launch: every item unlocked, nothing run yet.
    let shown = screen.wait("the tree", |s| {
        line(s, "alpha").is_some() && line(s, "total").is_some()
    });
    for name in [
        "alpha", "baseline", "double", "scale", "mean", "beta", "total",
    ] {
        assert!(
            !locked(&shown, name),
            "{name} is locked before any run\n{shown}"
        );
    }
    assert_agrees_with_plan(
        &shown,
        &["alpha", "beta", "--strategy", "resume"],
        data.path(),
    );
    // Run: the locks appear, on every item.
    screen.keys(&["r"]);
    let shown = screen.wait("the locks after the run", |s| {
        s.contains("run finished")
            && ["alpha", "double", "scale", "beta", "total"]
                .iter()
                .all(|name| locked(s, name))
    });
    assert!(shown.contains("alpha (v0): ran, 6 units run"), "{shown}");
    assert_agrees_with_plan(
        &shown,
        &["alpha", "beta", "--strategy", "resume"],
        data.path(),
    );
    // `l` on alpha's step `scale` (alpha, baseline, double, source, scale): alpha unlocks at
    // once, beta keeps its locks.
    screen.keys(&["j", "j", "j", "j", "l"]);
    let shown = screen.wait("the lock of scale to go", |s| {
        !locked(s, "scale") && !locked(s, "alpha") && locked(s, "beta")
    });
    assert!(shown.contains("forced: recompute requested"), "{shown}");
    // Run again: only alpha, which depends on that step, runs (6 units); beta loads.
    screen.keys(&["r"]);
    let shown = screen.wait("the second run", |s| {
        s.contains("beta (v0): loaded, 0 units run")
            && s.rsplit("beta (v0): loaded")
                .next()
                .unwrap()
                .contains("run finished")
    });
    let alpha = line(&shown, "alpha").unwrap();
    assert!(
        alpha.contains("✔ alpha") && alpha.contains("6/6 units"),
        "{shown}"
    );
    let beta = line(&shown, "beta").unwrap();
    assert!(
        beta.contains("↓ beta 🔒") && !beta.contains("units"),
        "{shown}"
    );
    assert!(line(&shown, "total").unwrap().contains("↓"), "{shown}");
    // `x` on the treatment `double` (two lines up from scale): it is excluded.
    screen.keys(&["k", "k", "x"]);
    let shown = screen.wait("double excluded", |s| s.contains("double (excluded)"));
    assert!(!locked(&shown, "(excluded)"), "{shown}");
    let state = std::fs::read_to_string(data.path().join(".crystallize-tui.json")).unwrap();
    let state: serde_json::Value = serde_json::from_str(&state).unwrap();
    assert_eq!(state["steps"], serde_json::json!([["alpha", "scale"]]));
    assert_eq!(state["excluded"], serde_json::json!([["alpha", "double"]]));
    // Quit: the shell's screen is back, with its cursor.
    screen.keys(&["q"]);
    let shown = screen.wait("the exit", |s| s.contains("EXITED"));
    assert!(shown.contains("EXITED 0"), "{shown}");
    assert!(line(&shown, "alpha").is_none(), "{shown}");
    assert_eq!(screen.pane("#{alternate_on}"), "0");
    assert_eq!(screen.pane("#{cursor_flag}"), "1");
    // The toggles are kept for the next launch, and the state file trips nothing up.
    let screen = Screen::start("again", &flags, "");
    let shown = screen.wait("the tree again", |s| line(s, "double").is_some());
    assert!(shown.contains("double (excluded)"), "{shown}");
    assert!(
        !locked(&shown, "scale") && locked(&shown, "beta"),
        "{shown}"
    );
    screen.keys(&["q"]);
    screen.wait("the exit", |s| s.contains("EXITED 0"));
    let gc = Command::new(BIN)
        .args(["gc", "--data-dir", &data_dir])
        .output()
        .unwrap();
    assert!(gc.status.success(), "{gc:?}");
    assert!(data.path().join(".crystallize-tui.json").is_file());
}

#[test]
fn the_locks_follow_the_flags_as_plan_does() {
    if !tmux_available() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let ran = Command::new(BIN)
        .args(["run", "alpha", "beta", "--strategy", "resume", "--data-dir"])
        .arg(data.path())
        .output()
        .unwrap();
    assert!(ran.status.success(), "{ran:?}");
    // More replicates for every experiment: nothing is locked, as `plan` says.
    for flags in [
        vec!["alpha", "beta", "--strategy", "resume"],
        vec!["alpha", "beta", "--strategy", "resume", "--replicates", "4"],
        vec!["alpha", "beta", "--strategy", "rerun"],
    ] {
        let args = format!("{} --data-dir '{}'", flags.join(" "), data.path().display());
        let screen = Screen::start("flags", &args, "");
        let shown = screen.wait("the tree", |s| line(s, "total").is_some());
        assert_agrees_with_plan(&shown, &flags, data.path());
        screen.keys(&["q"]);
        screen.wait("the exit", |s| s.contains("EXITED 0"));
    }
}

#[test]
fn r_while_running_cancels_between_units_and_keeps_what_finished() {
    if !tmux_available() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let args = format!(
        "slow --strategy resume --jobs 1 --data-dir '{}'",
        data.path().display()
    );
    let screen = Screen::start("cancel", &args, "TUI_FIXTURE_SLEEP_MS=150");
    screen.wait("the tree", |s| line(s, "slow").is_some());
    screen.keys(&["r"]);
    screen.wait("some units done", |s| {
        s.contains("2/12 units") || s.contains("3/12 units")
    });
    screen.keys(&["r"]);
    let shown = screen.wait("the cancel", |s| s.contains("run stopped"));
    assert!(shown.contains("cancelled"), "{shown}");
    screen.keys(&["q"]);
    screen.wait("the exit", |s| s.contains("EXITED 0"));
    // The units that finished are kept: the next run loads them and runs the rest.
    let output = Command::new(BIN)
        .args([
            "plan",
            "slow",
            "--strategy",
            "resume",
            "--json",
            "--data-dir",
        ])
        .arg(data.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let baseline = &report["experiments"][0]["conditions"]["baseline"];
    let loaded = baseline["units_loaded"].as_u64().unwrap();
    let run = baseline["units_run"].as_u64().unwrap();
    assert!(loaded >= 2 && run >= 1 && loaded + run == 12, "{baseline}");
}

#[test]
fn a_panicking_step_fails_in_place_and_the_screen_goes_on() {
    if !tmux_available() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let args = format!("fragile -v --data-dir '{}'", data.path().display());
    let screen = Screen::start_sized("panic", &args, "TUI_FIXTURE_PANIC=1", 40);
    screen.wait("the tree", |s| line(s, "fragile").is_some());
    screen.keys(&["r"]);
    let shown = screen.wait("the failure", |s| s.contains("run finished"));
    assert!(line(&shown, "fragile").unwrap().contains('✘'), "{shown}");
    assert!(line(&shown, "brittle").unwrap().contains('✘'), "{shown}");
    assert!(shown.contains("replicate 1"), "{shown}");
    // What steps print goes to the log pane, not over the screen.
    assert!(shown.contains("│brittle saw replicate 2"), "{shown}");
    // So does the `-v` log.
    assert!(
        shown.contains("│[crystallize] fragile/baseline: replicat"),
        "{shown}"
    );
    screen.keys(&["q"]);
    let shown = screen.wait("the exit", |s| s.contains("EXITED"));
    assert!(shown.contains("EXITED 0"), "{shown}");
    assert_eq!(screen.pane("#{alternate_on}"), "0");
}

#[test]
fn without_a_terminal_tui_exits_2_and_says_why() {
    let data = tempfile::tempdir().unwrap();
    let output = Command::new(BIN)
        .args(["tui", "--data-dir"])
        .arg(data.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("`tui` needs a terminal"), "{stderr}");
    let unknown = Command::new(BIN)
        .args(["tui", "nope", "--data-dir"])
        .arg(data.path())
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2), "{unknown:?}");
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown experiment `nope`"));
    let json = Command::new(BIN)
        .args(["tui", "--json", "--data-dir"])
        .arg(data.path())
        .output()
        .unwrap();
    assert_eq!(json.status.code(), Some(2), "{json:?}");
    assert!(String::from_utf8_lossy(&json.stderr).contains("--json and --events are for"));
}

#[test]
fn e_opens_the_steps_source_at_its_line_and_the_screen_survives_a_resize() {
    if !tmux_available() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    // An "editor" named vim (so it is given `+LINE FILE`) that notes its arguments.
    let bin = tempfile::tempdir().unwrap();
    let noted = bin.path().join("noted");
    let editor = bin.path().join("vim");
    std::fs::write(
        &editor,
        format!("#!/bin/sh\necho \"$@\" > '{}'\n", noted.display()),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let args = format!("alpha --data-dir '{}'", data.path().display());
    let screen = Screen::start(
        "edit",
        &args,
        &format!("CRYSTALLIZE_EDITOR='{}'", editor.display()),
    );
    screen.wait("the tree", |s| line(s, "scale").is_some());
    // alpha, baseline, double, source draws, step scale.
    screen.keys(&["j", "j", "j", "j", "e"]);
    let deadline = Instant::now() + Duration::from_secs(20);
    while !noted.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let source = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src/bin/tui_screen.rs"),
    )
    .unwrap();
    let scale_line = source
        .lines()
        .position(|line| line.starts_with("fn scale("))
        .unwrap()
        + 1;
    let noted = std::fs::read_to_string(&noted).unwrap();
    assert_eq!(
        noted.trim(),
        format!("+{scale_line} tests/src/bin/tui_screen.rs")
    );
    // Back on the screen after the editor, and redrawn at a new size.
    screen.wait("the screen after the editor", |s| {
        line(s, "scale").is_some()
    });
    let resized = Command::new("tmux")
        .args([
            "resize-window",
            "-t",
            &screen.session,
            "-x",
            "120",
            "-y",
            "30",
        ])
        .status()
        .unwrap();
    assert!(resized.success());
    let shown = screen.wait("the wider screen", |s| {
        s.lines()
            .any(|line| line.chars().count() >= 110 && line.contains("details"))
    });
    assert!(line(&shown, "alpha").is_some(), "{shown}");
    screen.keys(&["q"]);
    screen.wait("the exit", |s| s.contains("EXITED 0"));
}
