//! Registration: duplicate names, an empty registry, and what a binary must name to link a
//! library crate's experiments.

use crate::common::run_bin;

#[test]
fn duplicate_experiment_names_are_a_startup_error_naming_both() {
    let data = tempfile::tempdir().unwrap();
    let run = run_bin(env!("CARGO_BIN_EXE_duplicates"), data.path(), &["list"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("two experiments are named `same`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("duplicates.rs:12") && run.stderr.contains("duplicates.rs:26"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("duplicates::first") && run.stderr.contains("duplicates::second"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_binary_that_never_names_the_library_registers_nothing_and_says_why() {
    let data = tempfile::tempdir().unwrap();
    let run = run_bin(env!("CARGO_BIN_EXE_unlinked"), data.path(), &["run"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no experiments are registered"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("use my_experiments as _;"),
        "{}",
        run.stderr
    );
    let list = run_bin(env!("CARGO_BIN_EXE_unlinked"), data.path(), &["list"]);
    assert_eq!(list.code, 0);
    // The fixture binary names the same crates (`use crystallize_examples as _;`) and sees them.
    let linked = run_bin(env!("CARGO_BIN_EXE_fixture"), data.path(), &["list"]);
    assert!(linked.stdout.contains("quickstart"), "{}", linked.stdout);
}
