//! The integration tests of crystallize, in one test binary (one link instead of one per file):
//! each module was a test file of its own, and its tests are named `<module>::<test>`. Run some
//! with `cargo test -p crystallize-tests --test it <filter>`, e.g. `crash_safety::` or `ui::`.
//!
//! The tests run on parallel threads of this one process, so none may change the process's
//! environment, working directory or panic hook; what they run, they run as child processes
//! (the fixture binaries of `src/bin`, cargo, tmux, python3, git), each with its own data
//! directory. Builds in the shared `target/tests/edit-fixture` take turns
//! ([`common::edit_fixture_builds`]).

mod common;

mod big_artifacts;
mod cli;
mod cli_flags;
mod corrupt_files;
mod crash_safety;
mod crystallize_ml_compat;
mod definitions;
mod edit_latency;
mod events;
mod execution;
mod executors;
mod experiment_graph;
mod experiment_graph_resume;
mod export;
mod faults;
mod faults_cli;
mod html_report;
mod hypotheses;
mod plan_output;
mod plugins;
mod progress;
mod reach_edits;
mod readme;
mod registry;
mod report_schema;
mod resume;
mod resume_edits;
mod resume_fast;
mod resume_keys;
mod retention_gc;
mod slurm;
mod slurm_config;
mod stats;
mod step_cache;
mod store_layout;
mod sweeps;
mod tui;
mod ui;
