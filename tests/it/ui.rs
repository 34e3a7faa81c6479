//! Compile-time behaviour of the macros: misuse fails with a message pointing at the user's
//! offending code (`ui/fail`, with the expected diagnostics in `.stderr` files), and correct use
//! compiles and runs (`ui/pass`).
//!
//! The expected diagnostics are the words of one compiler: `ui/TOOLCHAIN` holds the
//! `rustc --version` of the one the `.stderr` files were made with. Under another rustc the ui
//! test prints `SKIPPED ui::ui: .stderr files were made with rustc X; this is rustc Y ..` and
//! passes, unless `CRYSTALLIZE_REQUIRE_ALL_TESTS=1` makes it fail with that message. A stable
//! release counts as the same compiler as another with the same major and minor version (patch
//! releases fix bugs, not messages); a nightly, beta or dev compiler only as itself (the whole
//! `rustc --version` line).
//!
//! After an intended change of a message, regenerate the `.stderr` files with
//! `TRYBUILD=overwrite cargo test -p crystallize-tests --test it ui::`, review the diff, and
//! record the compiler: `rustc --version > tests/ui/TOOLCHAIN`.

use std::process::Command;

use crate::common::require_that;

/// `rustc --version` of the compiler the `.stderr` files were made with.
const RECORDED: &str = include_str!("../ui/TOOLCHAIN");

#[test]
fn ui() {
    let recorded = RECORDED.trim();
    let running = running_rustc();
    if !require_that(
        same_diagnostics(recorded, &running),
        &format!(
            ".stderr files were made with {recorded}; this is {running} (run with that \
             toolchain to check them)"
        ),
    ) {
        return;
    }
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/fail/*.rs");
    t.pass("ui/pass/*.rs");
}

/// `rustc --version` of the compiler cargo (and so trybuild) uses: `$RUSTC`, else `rustc` (under
/// rustup, the toolchain `cargo test` runs with).
fn running_rustc() -> String {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    match Command::new(&rustc).arg("--version").output() {
        Ok(output) if output.status.success() => {
            String::from_utf8_lossy(&output.stdout).trim().to_string()
        }
        Ok(output) => format!(
            "an unknown rustc (`{} --version` failed: {})",
            rustc.display(),
            output.status
        ),
        Err(error) => format!(
            "an unknown rustc (`{} --version` did not run: {error})",
            rustc.display()
        ),
    }
}

/// The version in a `rustc --version` line (`1.95.0`, `1.97.0-nightly`).
fn version(line: &str) -> Option<&str> {
    let mut words = line.split_whitespace();
    (words.next()? == "rustc").then_some(())?;
    words.next()
}

/// Whether two `rustc --version` lines name compilers with the same diagnostics: stable
/// releases by major and minor version, anything else only by the whole line.
fn same_diagnostics(recorded: &str, running: &str) -> bool {
    let (Some(a), Some(b)) = (version(recorded), version(running)) else {
        return false;
    };
    if a.contains('-') || b.contains('-') {
        return recorded.trim() == running.trim();
    }
    let major_minor = |version: &str| version.rsplit_once('.').map(|(head, _)| head.to_string());
    major_minor(a).is_some() && major_minor(a) == major_minor(b)
}

#[test]
fn the_recorded_toolchain_is_a_rustc_version_line() {
    let recorded = RECORDED.trim();
    assert_eq!(recorded.lines().count(), 1, "ui/TOOLCHAIN: {RECORDED:?}");
    let version = version(recorded).unwrap_or_else(|| panic!("ui/TOOLCHAIN: {RECORDED:?}"));
    assert_eq!(version.split(['.', '-']).take(3).count(), 3, "{version}");
    assert!(same_diagnostics(recorded, recorded));
}

#[test]
fn stable_patch_releases_share_diagnostics_and_nothing_else_does() {
    let stable = "rustc 1.95.0 (59807616e 2026-04-14)";
    assert!(same_diagnostics(
        stable,
        "rustc 1.95.0 (59807616e 2026-04-14)"
    ));
    assert!(same_diagnostics(
        stable,
        "rustc 1.95.2 (0123456ab 2026-05-28)\n"
    ));
    assert!(!same_diagnostics(
        stable,
        "rustc 1.96.0 (aaaaaaaaa 2026-05-28)"
    ));
    assert!(!same_diagnostics(
        stable,
        "rustc 1.94.1 (bbbbbbbbb 2026-03-26)"
    ));
    assert!(!same_diagnostics(
        stable,
        "rustc 2.95.0 (ccccccccc 2030-01-01)"
    ));
    assert!(!same_diagnostics(
        stable,
        "rustc 1.95.0-nightly (ddddddddd 2026-02-20)"
    ));
    assert!(!same_diagnostics(
        stable,
        "rustc 1.95.0-beta.3 (eeeeeeeee 2026-03-30)"
    ));
    let nightly = "rustc 1.97.0-nightly (e50aa6fba 2026-05-19)";
    assert!(same_diagnostics(nightly, nightly));
    assert!(!same_diagnostics(
        nightly,
        "rustc 1.97.0-nightly (fffffffff 2026-05-20)"
    ));
    assert!(!same_diagnostics(
        nightly,
        "rustc 1.97.0 (123456789 2026-07-09)"
    ));
    for unknown in [
        "",
        "rustc",
        "cargo 1.95.0",
        "an unknown rustc (`rustc --version` failed)",
    ] {
        assert!(!same_diagnostics(stable, unknown), "{unknown:?}");
        assert!(!same_diagnostics(unknown, stable), "{unknown:?}");
    }
}

/// The `ui` test, run in a child process whose `RUSTC` is a stand-in printing another version:
/// it skips with the notice and passes, or fails with it under
/// `CRYSTALLIZE_REQUIRE_ALL_TESTS=1`. (Had it not skipped, trybuild would have built the cases
/// with the stand-in, and failed.)
#[test]
fn another_toolchain_skips_the_ui_test_unless_every_test_is_required() {
    let dir = tempfile::tempdir().unwrap();
    let rustc = dir.path().join("rustc");
    // Written by a child shell, not by this process: an executable this process had open for
    // writing while another test thread forks cannot be run ("text file busy").
    let written = Command::new("sh")
        .args([
            "-c",
            "printf '#!/bin/sh\\necho \"rustc 1.2.3 (0badc0ffe 2015-06-25)\"\\n' > \"$1\" && \
             chmod +x \"$1\"",
            "sh",
        ])
        .arg(&rustc)
        .status()
        .unwrap();
    assert!(written.success());
    let run = |require_all: Option<&str>| {
        let mut command = Command::new(std::env::current_exe().unwrap());
        command
            .args(["--exact", "ui::ui", "--nocapture", "--test-threads", "1"])
            .env("RUSTC", &rustc);
        match require_all {
            Some(value) => command.env("CRYSTALLIZE_REQUIRE_ALL_TESTS", value),
            None => command.env_remove("CRYSTALLIZE_REQUIRE_ALL_TESTS"),
        };
        let output = command.output().unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned()
                + &String::from_utf8_lossy(&output.stderr),
        )
    };
    let notice = format!(
        "SKIPPED ui::ui: .stderr files were made with {}; this is rustc 1.2.3 (0badc0ffe \
         2015-06-25) (run with that toolchain to check them)",
        RECORDED.trim()
    );
    for unset in [None, Some("0")] {
        let (passed, output) = run(unset);
        assert!(passed && output.contains(&notice), "{unset:?}:\n{output}");
        assert!(output.contains("1 passed"), "{output}");
    }
    let (passed, output) = run(Some("1"));
    assert!(
        !passed,
        "CRYSTALLIZE_REQUIRE_ALL_TESTS=1 must fail it:\n{output}"
    );
    assert!(
        output.contains(&notice) && output.contains("CRYSTALLIZE_REQUIRE_ALL_TESTS=1"),
        "{output}"
    );
}
