//! The experiment graph, end to end through the `fixture` binary
//! (experiments in `src/graph_fixtures.rs`) and the invalid-graph binaries `src/bin/graph_*.rs`.
//! Named after crystallize-ml's `test_experiment_graph` suite, which documents these rules.
//!
//! "Two producers of one artifact" cannot be expressed here: an input is addressed by its
//! producer (`producer.artifact::<T>("file")`), never by the file alone, so two experiments that
//! publish files of the same name are two different artifacts. What remains to prove is that a
//! consumer reads the one it names (`two_producers_may_publish_the_same_file_name_...`).

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::{Run, fixture, read_json, run_bin};
use serde_json::{Value, json};

/// Every edge among the `graph_*` fixture experiments: (producer, consumer, file).
const EDGES: &[(&str, &str, &str)] = &[
    ("graph_cond_producer", "graph_cond_consumer", "level.json"),
    ("graph_gc_src", "graph_gc_reader", "kept.json"),
    ("graph_kept", "graph_keeper", "kept.json"),
    ("graph_left", "graph_join", "side.json"),
    ("graph_numbers", "graph_bytes_reader", "raw.bin"),
    ("graph_numbers", "graph_combined", "numbers.json"),
    ("graph_numbers", "graph_combined", "raw.bin"),
    ("graph_numbers", "graph_json_reader", "numbers.json"),
    ("graph_numbers", "graph_loader_reader", "table.csv"),
    ("graph_other", "graph_combined", "numbers.json"),
    ("graph_right", "graph_join", "side.json"),
    ("graph_root", "graph_left", "root.json"),
    ("graph_root", "graph_right", "root.json"),
    ("graph_root", "graph_twin_a", "root.json"),
    ("graph_root", "graph_twin_b", "root.json"),
];

type EdgeSet = BTreeSet<(String, String, String)>;

fn expected_edges() -> EdgeSet {
    EDGES
        .iter()
        .map(|(p, c, f)| (p.to_string(), c.to_string(), f.to_string()))
        .collect()
}

/// Only edges touching a `graph_*` experiment (the fixture binary also holds other examples).
fn ours(edges: EdgeSet) -> EdgeSet {
    edges
        .into_iter()
        .filter(|(p, c, _)| p.starts_with("graph_") || c.starts_with("graph_"))
        .collect()
}

/// Runs `fixture` with `args` and expects exit 0.
fn ok(data: &Path, args: &[&str]) -> Run {
    let run = fixture(data, args);
    assert_eq!(
        run.code, 0,
        "{args:?} failed:\nstdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    run
}

/// Names of the experiments in the report, in report order.
fn names(run: &Run) -> Vec<String> {
    run.report()["experiments"]
        .as_array()
        .expect("experiments")
        .iter()
        .map(|entry| entry["name"].as_str().unwrap().to_string())
        .collect()
}

/// The metric values of `condition` as plain numbers.
fn metric(entry: &Value, condition: &str, metric: &str) -> Vec<f64> {
    entry["conditions"][condition]["metrics"][metric]
        .as_array()
        .unwrap_or_else(|| panic!("no metric `{metric}` in `{condition}` of {entry}"))
        .iter()
        .map(|value| {
            value
                .as_f64()
                .unwrap_or_else(|| panic!("null `{metric}`: {entry}"))
        })
        .collect()
}

/// The condition names of a report entry.
fn conditions(entry: &Value) -> Vec<String> {
    entry["conditions"]
        .as_object()
        .unwrap_or_else(|| panic!("no conditions in {entry}"))
        .keys()
        .cloned()
        .collect()
}

/// `inputs` of one condition as (input, producer, file, condition, replicates).
fn inputs(entry: &Value, condition: &str) -> Vec<(String, String, String, String, u64)> {
    entry["conditions"][condition]["inputs"]
        .as_array()
        .unwrap_or_else(|| panic!("no inputs in `{condition}` of {entry}"))
        .iter()
        .map(|input| {
            (
                input["input"].as_str().unwrap().to_string(),
                input["producer"].as_str().unwrap().to_string(),
                input["file"].as_str().unwrap().to_string(),
                input["condition"].as_str().unwrap().to_string(),
                input["replicates"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The single input's producer condition read by `condition`.
fn condition_read(entry: &Value, condition: &str) -> String {
    let read = inputs(entry, condition);
    assert_eq!(read.len(), 1, "{entry}");
    read[0].3.clone()
}

fn input(
    name: &str,
    producer: &str,
    file: &str,
    condition: &str,
    replicates: u64,
) -> (String, String, String, String, u64) {
    (
        name.to_string(),
        producer.to_string(),
        file.to_string(),
        condition.to_string(),
        replicates,
    )
}

// ---------------------------------------------------------------------------------------------
// Part 1: edges from code.

/// `producer.artifact::<T>(file)` decodes JSON through serde: the consumer gets the producer's
/// struct back, field by field.
#[test]
fn a_json_artifact_input_decodes_the_producers_struct() {
    let data = tempfile::tempdir().unwrap();
    let run = ok(data.path(), &["run", "graph_json_reader", "--json"]);
    let entry = run.experiment("graph_json_reader");
    assert_eq!(metric(&entry, "baseline", "tag"), [1.0; 5]);
    // Producer replicate r publishes values [10r+1, 10r+2, 10r+3].
    assert_eq!(
        metric(&entry, "baseline", "total"),
        [6.0, 36.0, 6.0, 36.0, 6.0]
    );
    assert_eq!(
        inputs(&entry, "baseline"),
        [input(
            "graph_numbers.numbers.json",
            "graph_numbers",
            "numbers.json",
            "baseline",
            2
        )],
        "an unnamed input is called `<producer>.<file>`"
    );
}

/// `artifact_bytes` hands the consumer the exact bytes the producer wrote.
#[test]
fn a_bytes_artifact_input_gets_the_raw_bytes() {
    let data = tempfile::tempdir().unwrap();
    let run = ok(data.path(), &["run", "graph_bytes_reader", "--json"]);
    let entry = run.experiment("graph_bytes_reader");
    assert_eq!(metric(&entry, "baseline", "len"), [4.0, 4.0]);
    assert_eq!(metric(&entry, "baseline", "first"), [171.0, 171.0]);
    assert_eq!(metric(&entry, "baseline", "second"), [0.0, 1.0]);
    let published = data
        .path()
        .join("graph_numbers/v0/replicate_1/baseline/graph_publish/raw.bin");
    assert_eq!(std::fs::read(published).unwrap(), [0xAB, 1, 7, 7]);
}

/// `artifact_bytes(..).load(step)` decodes with a user `#[step]` taking `Vec<u8>`; the loader is
/// a stage of the consumer, and its code is part of the consumer's signature.
#[test]
fn a_loader_step_decodes_artifact_bytes_and_is_part_of_the_signature() {
    let data = tempfile::tempdir().unwrap();
    let run = ok(data.path(), &["run", "graph_loader_reader", "--json"]);
    let entry = run.experiment("graph_loader_reader");
    assert_eq!(metric(&entry, "baseline", "row_replicate"), [0.0, 1.0]);
    assert_eq!(metric(&entry, "baseline", "row_value"), [5.0, 8.0]);
    let metadata = read_json(data.path().join("graph_loader_reader/v0/metadata.json"));
    let stages: Vec<(String, String)> = metadata["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|stage| {
            (
                stage["name"].as_str().unwrap().to_string(),
                stage["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        stages,
        [
            ("graph_numbers.table.csv".to_string(), "input".to_string()),
            ("graph_parse_table".to_string(), "step".to_string()),
            ("graph_read_table".to_string(), "step".to_string()),
        ]
    );
    let loader = &metadata["stages"][1]["code"];
    assert!(
        loader.as_str().is_some_and(|code| code.len() == 64),
        "the loader's code hash is recorded: {loader}"
    );
}

/// A tuple source combines named inputs from two producers (two from one of them) with an
/// ordinary `#[source]`; each part gets what it names.
#[test]
fn a_tuple_source_combines_inputs_of_two_producers_and_an_ordinary_source() {
    let data = tempfile::tempdir().unwrap();
    let run = ok(data.path(), &["run", "graph_combined", "--json"]);
    let entry = run.experiment("graph_combined");
    assert_eq!(
        inputs(&entry, "baseline"),
        [
            input("mine", "graph_numbers", "numbers.json", "baseline", 2),
            input("theirs", "graph_other", "numbers.json", "baseline", 1),
            input("raw", "graph_numbers", "raw.bin", "baseline", 2),
        ]
    );
    assert_eq!(metric(&entry, "baseline", "mine_tag"), [1.0, 1.0]);
    assert_eq!(metric(&entry, "baseline", "mine_replicate"), [0.0, 1.0]);
    assert_eq!(metric(&entry, "baseline", "raw_second"), [0.0, 1.0]);
    assert_eq!(metric(&entry, "baseline", "own_replicate"), [0.0, 1.0]);
    // graph_other has 1 replicate: both consumer replicates read its replicate 0.
    assert_eq!(metric(&entry, "baseline", "theirs_tag"), [2.0, 2.0]);
    assert_eq!(metric(&entry, "baseline", "theirs_total"), [100.0, 100.0]);
    let listed = ok(data.path(), &["list", "--json"]);
    let listed: Value = serde_json::from_str(&listed.stdout).unwrap();
    let stages = listed["experiments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "graph_combined")
        .unwrap()["stages"]
        .clone();
    assert_eq!(
        stages,
        json!(["mine", "theirs", "raw", "graph_replicate", "graph_combine"])
    );
}

/// Both `graph_numbers` and `graph_other` publish `numbers.json`; that is not a conflict (an
/// artifact is addressed by its producer), and each reader reads the file of the producer it
/// names.
#[test]
fn two_producers_may_publish_the_same_file_name_and_each_consumer_reads_the_one_it_names() {
    let data = tempfile::tempdir().unwrap();
    let run = ok(
        data.path(),
        &["run", "graph_combined", "graph_json_reader", "--json"],
    );
    let numbers = run.experiment("graph_numbers");
    let other = run.experiment("graph_other");
    assert!(numbers["artifacts"]["numbers.json"]["baseline"].is_array());
    assert!(other["artifacts"]["numbers.json"]["baseline"].is_array());
    let mine = read_json(data.path().join("graph_numbers/v0/_manifest.json"));
    let theirs = read_json(data.path().join("graph_other/v0/_manifest.json"));
    assert_eq!(mine["numbers.json"], "graph_publish");
    assert_eq!(theirs["numbers.json"], "graph_publish_other");
    // The JSON reader names graph_numbers: tag 1, never graph_other's tag 2.
    let reader = run.experiment("graph_json_reader");
    assert_eq!(metric(&reader, "baseline", "tag"), [1.0; 5]);
    let combined = run.experiment("graph_combined");
    assert_eq!(metric(&combined, "baseline", "mine_tag"), [1.0, 1.0]);
    assert_eq!(metric(&combined, "baseline", "theirs_tag"), [2.0, 2.0]);
}

/// Edges parsed from `graph` (text): lines `  producer -> consumer (file)` after `edges:`.
fn text_edges(text: &str) -> EdgeSet {
    let edges = text
        .split_once("edges:\n")
        .unwrap_or_else(|| panic!("no `edges:` section:\n{text}"))
        .1;
    edges
        .lines()
        .map(|line| {
            let (producer, rest) = line.trim().split_once(" -> ").expect("an edge line");
            let (consumer, file) = rest.split_once(" (").expect("(file)");
            (
                producer.to_string(),
                consumer.to_string(),
                file.trim_end_matches(')').to_string(),
            )
        })
        .collect()
}

/// Edges parsed from `graph --format dot`: `  "p" -> "c" [label="file"];`.
fn dot_edges(dot: &str) -> EdgeSet {
    dot.lines()
        .filter(|line| line.contains(" -> "))
        .map(|line| {
            let (producer, rest) = line.trim().split_once(" -> ").unwrap();
            let (consumer, label) = rest.split_once(" [label=").expect("labelled edge");
            (
                producer.trim_matches('"').to_string(),
                consumer.trim_matches('"').to_string(),
                label.trim_end_matches("];").trim_matches('"').to_string(),
            )
        })
        .collect()
}

/// Edges parsed from `graph --format mermaid`: `  p -->|file| c`.
fn mermaid_edges(mermaid: &str) -> EdgeSet {
    mermaid
        .lines()
        .filter(|line| line.contains(" -->|"))
        .map(|line| {
            let (producer, rest) = line.trim().split_once(" -->|").unwrap();
            let (file, consumer) = rest.split_once("| ").expect("-->|file| consumer");
            (producer.to_string(), consumer.to_string(), file.to_string())
        })
        .collect()
}

/// `graph`, `graph --format dot` and `graph --format mermaid` show exactly the edges the
/// consumers' sources create (one per artifact read, two from one producer when two of its
/// files are read), and no others; `graph` runs nothing.
#[test]
fn graph_shows_exactly_the_edges_from_code_as_text_dot_and_mermaid() {
    let data = tempfile::tempdir().unwrap();
    let text = ok(data.path(), &["graph"]).stdout;
    assert_eq!(ours(text_edges(&text)), expected_edges(), "{text}");
    // Levels: producers above their consumers.
    let level_of = |name: &str| -> usize {
        let mut level = usize::MAX;
        for line in text.lines() {
            if let Some(number) = line.strip_prefix("level ") {
                level = number.trim_end_matches(':').parse().unwrap();
            } else if line.trim() == name && line.starts_with("  ") {
                return level;
            }
        }
        panic!("`{name}` not listed in:\n{text}")
    };
    assert_eq!(level_of("graph_root"), 0);
    assert_eq!(level_of("graph_lone"), 0);
    assert_eq!(level_of("graph_left"), 1);
    assert_eq!(level_of("graph_right"), 1);
    assert_eq!(level_of("graph_join"), 2);
    assert_eq!(level_of("graph_numbers"), 0);
    assert_eq!(level_of("graph_combined"), 1);

    let dot = ok(data.path(), &["graph", "--format", "dot"]).stdout;
    assert!(dot.starts_with("digraph"), "{dot}");
    assert_eq!(ours(dot_edges(&dot)), expected_edges(), "{dot}");
    assert!(
        dot.contains("\"graph_lone\";"),
        "isolated nodes are drawn:\n{dot}"
    );

    let mermaid = ok(data.path(), &["graph", "--format", "mermaid"]).stdout;
    assert!(mermaid.starts_with("flowchart"), "{mermaid}");
    assert_eq!(ours(mermaid_edges(&mermaid)), expected_edges(), "{mermaid}");
    assert!(mermaid.contains("graph_lone[\"graph_lone\"]"), "{mermaid}");

    // The same edge set in all three formats, including the example pipeline's edge.
    assert_eq!(text_edges(&text), dot_edges(&dot));
    assert_eq!(text_edges(&text), mermaid_edges(&mermaid));
    assert!(text_edges(&text).contains(&(
        "calibration".to_string(),
        "evaluation".to_string(),
        "model.json".to_string()
    )));
    assert!(
        std::fs::read_dir(data.path()).unwrap().next().is_none(),
        "graph runs nothing"
    );
}

// ---------------------------------------------------------------------------------------------
// Part 2: validation before anything runs.

/// Runs an invalid-graph binary with every command that could start work; each must exit 2,
/// print `expected` fragments on stderr, and leave the data directory uncreated.
fn refuses(bin: &str, expected: &[&str]) -> String {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let mut first_stderr = String::new();
    for args in [
        &["run"][..],
        &["run", "--strategy", "resume", "--json"],
        &[],
        &["plan"],
        &["graph"],
        &["list"],
        &["gc", "--keep", "1"],
    ] {
        let run = run_bin(bin, &data, args);
        assert_eq!(
            run.code, 2,
            "{bin} {args:?} must refuse to start:\nstdout:\n{}\nstderr:\n{}",
            run.stdout, run.stderr
        );
        for fragment in expected {
            assert!(
                run.stderr.contains(fragment),
                "{bin} {args:?}: stderr lacks {fragment:?}:\n{}",
                run.stderr
            );
        }
        assert!(
            !data.exists(),
            "{bin} {args:?} wrote under the data directory: {:?}",
            crate::common::files_below(&data)
        );
        assert!(
            run.stdout.trim().is_empty(),
            "{bin} {args:?} printed: {}",
            run.stdout
        );
        if first_stderr.is_empty() {
            first_stderr = run.stderr;
        }
    }
    first_stderr
}

/// A cycle is refused before anything runs, and the message prints the cycle.
#[test]
fn a_cycle_is_refused_with_the_cycle_printed() {
    let stderr = refuses(env!("CARGO_BIN_EXE_graph_cycle"), &["cycle"]);
    let rotations = [
        "graph_cyc_a -> graph_cyc_b -> graph_cyc_c -> graph_cyc_a",
        "graph_cyc_b -> graph_cyc_c -> graph_cyc_a -> graph_cyc_b",
        "graph_cyc_c -> graph_cyc_a -> graph_cyc_b -> graph_cyc_c",
    ];
    assert!(
        rotations.iter().any(|cycle| stderr.contains(cycle)),
        "the cycle is printed in edge order:\n{stderr}"
    );
    assert!(
        !stderr.contains("graph_cyc_tail") && !stderr.contains("graph_cyc_free"),
        "only the cycle's members are named:\n{stderr}"
    );
}

/// Reading an artifact the producer does not declare is refused, naming consumer, file and
/// producer and listing what the producer declares (or that it declares nothing); a producer
/// that is not registered is named too. Every culprit is reported at once.
#[test]
fn an_undeclared_artifact_is_refused_listing_what_the_producer_declares() {
    refuses(
        env!("CARGO_BIN_EXE_graph_undeclared"),
        &[
            "`graph_und_reader` reads `c.json` from `graph_und_producer`",
            "`graph_und_producer` declares: a.json, b.json",
            "`graph_und_bytes` reads `x.bin` from `graph_und_silent`",
            "`graph_und_silent` declares: no outputs",
            "`graph_und_ghost_reader` reads `g.json` from `ghost`, which is not registered",
        ],
    );
}

/// Duplicate experiment names (here a producer in a graph) are refused, naming both
/// definitions.
#[test]
fn duplicate_names_are_refused_naming_both_definitions() {
    let stderr = refuses(
        env!("CARGO_BIN_EXE_graph_duplicates"),
        &[
            "two experiments are named `graph_dup`",
            "graph_duplicates::first",
            "graph_duplicates::second",
        ],
    );
    assert_eq!(
        stderr.matches("graph_duplicates.rs:").count(),
        2,
        "both locations:\n{stderr}"
    );
}

// ---------------------------------------------------------------------------------------------
// Part 3: running.

/// The report lists experiments in a topological order, and `run consumer` runs exactly the
/// consumer and its ancestors: not siblings, not other descendants of its ancestors, not
/// unrelated experiments.
#[test]
fn run_consumer_runs_only_its_ancestors_first_in_topological_order() {
    let data = tempfile::tempdir().unwrap();
    let run = ok(data.path(), &["run", "graph_join", "--json"]);
    let order = names(&run);
    let position = |name: &str| {
        order
            .iter()
            .position(|n| n == name)
            .unwrap_or_else(|| panic!("{name} missing from {order:?}"))
    };
    let mut ran: Vec<&str> = order.iter().map(String::as_str).collect();
    ran.sort_unstable();
    assert_eq!(
        ran,
        ["graph_join", "graph_left", "graph_right", "graph_root"]
    );
    assert!(position("graph_root") < position("graph_left"), "{order:?}");
    assert!(
        position("graph_root") < position("graph_right"),
        "{order:?}"
    );
    assert!(position("graph_left") < position("graph_join"), "{order:?}");
    assert!(
        position("graph_right") < position("graph_join"),
        "{order:?}"
    );
    for name in ["graph_root", "graph_left", "graph_right", "graph_join"] {
        assert_eq!(run.experiment(name)["action"], "ran", "{name}");
    }
    // 1 + (1 + 1) + (1 + 2) — the join read both sides.
    assert_eq!(
        metric(&run.experiment("graph_join"), "baseline", "sum"),
        [5.0]
    );
    let mut written: Vec<String> = std::fs::read_dir(data.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.starts_with("graph_"))
        .collect();
    written.sort();
    assert_eq!(
        written,
        ["graph_join", "graph_left", "graph_right", "graph_root"],
        "nothing else ran"
    );

    let data = tempfile::tempdir().unwrap();
    let run = ok(data.path(), &["run", "graph_left", "--json"]);
    assert_eq!(names(&run), ["graph_root", "graph_left"]);
    assert!(!data.path().join("graph_right").exists());
    assert!(!data.path().join("graph_join").exists());

    // `plan` covers the same experiments.
    let data = tempfile::tempdir().unwrap();
    let plan = ok(data.path(), &["plan", "graph_join", "--json"]);
    assert_eq!(names(&plan).len(), 4);
    assert_eq!(names(&plan).last().map(String::as_str), Some("graph_join"));
    assert!(std::fs::read_dir(data.path()).unwrap().next().is_none());
}

/// Independent experiments both run, and at the same time: `graph_twin_a` and `graph_twin_b`
/// (each reads `graph_root`) wait up to two seconds for each other and record whether the
/// other one had started. An unrelated experiment named on the same command line runs too.
#[test]
fn independent_experiments_both_run_and_run_concurrently() {
    let data = tempfile::tempdir().unwrap();
    let run = ok(
        data.path(),
        &[
            "run",
            "graph_twin_a",
            "graph_twin_b",
            "graph_lone",
            "--jobs",
            "2",
            "--json",
        ],
    );
    let order = names(&run);
    assert_eq!(order.len(), 4, "{order:?}");
    let position = |name: &str| order.iter().position(|n| n == name).unwrap();
    assert!(
        position("graph_root") < position("graph_twin_a"),
        "{order:?}"
    );
    assert!(
        position("graph_root") < position("graph_twin_b"),
        "{order:?}"
    );
    for twin in ["graph_twin_a", "graph_twin_b"] {
        let entry = run.experiment(twin);
        assert_eq!(entry["action"], "ran");
        assert_eq!(
            metric(&entry, "baseline", "together"),
            [1.0],
            "{twin} ran while the other one was running"
        );
    }
    assert_eq!(run.experiment("graph_lone")["action"], "ran");
}

// ---------------------------------------------------------------------------------------------
// Part 4: replicate cycling.

/// A consumer with 5 replicates over a producer with 2 reads producer replicates 0,1,0,1,0 (the
/// producer writes its replicate index into the artifact), and its report says the producer
/// has 2 replicates.
#[test]
fn consumer_replicate_i_reads_producer_replicate_i_mod_producer_replicates() {
    let data = tempfile::tempdir().unwrap();
    let run = ok(data.path(), &["run", "graph_json_reader", "--json"]);
    let producer = run.experiment("graph_numbers");
    assert_eq!(producer["replicates"], 2);
    assert_eq!(metric(&producer, "baseline", "replicate"), [0.0, 1.0]);
    assert_eq!(
        read_json(data.path().join("graph_numbers/v0/metadata.json"))["replicates"],
        2
    );
    let consumer = run.experiment("graph_json_reader");
    assert_eq!(consumer["replicates"], 5);
    assert_eq!(
        metric(&consumer, "baseline", "read_replicate"),
        [0.0, 1.0, 0.0, 1.0, 0.0]
    );
    let input = &consumer["conditions"]["baseline"]["inputs"][0];
    assert_eq!(input["replicates"], 2, "{input}");
    assert_eq!(input["producer"], "graph_numbers");
    assert_eq!(input["version"], 0);
    // The stored record of what was read has one content hash per producer replicate read.
    let metadata = read_json(data.path().join("graph_json_reader/v0/metadata.json"));
    let upstream = &metadata["conditions"]["baseline"]["upstream"][0];
    assert_eq!(upstream["replicates"], 2, "{metadata}");
    assert_eq!(
        upstream["hashes"].as_array().unwrap().len(),
        2,
        "{upstream}"
    );
    assert_ne!(upstream["hashes"][0], upstream["hashes"][1]);
    assert_eq!(metadata["reads"]["graph_numbers"], 0);
}

/// With `--replicates 3` the producer has 3 replicates too: the consumer reads 0,1,2.
#[test]
fn replicate_cycling_follows_the_producers_actual_replicates() {
    let data = tempfile::tempdir().unwrap();
    let run = ok(
        data.path(),
        &["run", "graph_json_reader", "--replicates", "3", "--json"],
    );
    let consumer = run.experiment("graph_json_reader");
    assert_eq!(
        metric(&consumer, "baseline", "read_replicate"),
        [0.0, 1.0, 2.0]
    );
    assert_eq!(
        consumer["conditions"]["baseline"]["inputs"][0]["replicates"],
        3
    );
}

// ---------------------------------------------------------------------------------------------
// Part 5: conditions across edges, treatment propagation.

/// A consumer condition reads the producer's artifact of the same condition when the producer
/// ran it (`shared`, and `solo`, which the consumer inherits), else its baseline (`own`); the
/// run report and `plan --json` say which, the values read prove it.
#[test]
fn a_consumer_condition_reads_the_same_producer_condition_else_its_baseline() {
    let data = tempfile::tempdir().unwrap();
    let plan = ok(data.path(), &["plan", "graph_cond_consumer", "--json"]);
    let planned = plan.experiment("graph_cond_consumer");
    let run = ok(data.path(), &["run", "graph_cond_consumer", "--json"]);
    let producer = run.experiment("graph_cond_producer");
    assert_eq!(conditions(&producer), ["baseline", "shared", "solo"]);
    let consumer = run.experiment("graph_cond_consumer");
    // Definition order: its own treatments as declared, then the inherited `solo`.
    assert_eq!(conditions(&consumer), ["baseline", "shared", "own", "solo"]);
    let resumed_plan = ok(
        data.path(),
        &[
            "plan",
            "graph_cond_consumer",
            "--strategy",
            "resume",
            "--json",
        ],
    );
    let resumed = resumed_plan.experiment("graph_cond_consumer");
    for (condition, read, level, bonus) in [
        ("baseline", "baseline", 0.0, 0.0),
        ("shared", "shared", 1.0, 10.0),
        ("own", "baseline", 0.0, 20.0),
        ("solo", "solo", 2.0, 0.0),
    ] {
        assert_eq!(
            condition_read(&consumer, condition),
            read,
            "run: {condition}"
        );
        assert_eq!(
            condition_read(&planned, condition),
            read,
            "plan: {condition}"
        );
        assert_eq!(
            condition_read(&resumed, condition),
            read,
            "plan: {condition}"
        );
        assert_eq!(
            metric(&consumer, condition, "read_level"),
            [level, level],
            "{condition} read the producer's `{read}`"
        );
        assert_eq!(metric(&consumer, condition, "bonus"), [bonus, bonus]);
        assert_eq!(metric(&consumer, condition, "read_replicate"), [0.0, 1.0]);
    }
}

/// `--treatment shared` activates `shared` on every experiment that has it, producer and
/// consumer alike; the producer's `solo` (inherited by the consumer) and the consumer's `own`
/// stay off, and an experiment that has none runs its baseline only.
#[test]
fn a_treatment_flag_activates_the_treatment_everywhere_it_is_defined() {
    let data = tempfile::tempdir().unwrap();
    let run = ok(
        data.path(),
        &[
            "run",
            "graph_cond_consumer",
            "graph_lone",
            "--treatment",
            "shared",
            "--json",
        ],
    );
    assert_eq!(
        conditions(&run.experiment("graph_cond_producer")),
        ["baseline", "shared"]
    );
    let consumer = run.experiment("graph_cond_consumer");
    assert_eq!(conditions(&consumer), ["baseline", "shared"]);
    assert_eq!(conditions(&run.experiment("graph_lone")), ["baseline"]);
    assert_eq!(condition_read(&consumer, "shared"), "shared");
    assert_eq!(metric(&consumer, "shared", "read_level"), [1.0, 1.0]);
    assert_eq!(condition_read(&consumer, "baseline"), "baseline");
    assert_eq!(metric(&consumer, "baseline", "read_level"), [0.0, 0.0]);

    // A treatment the producer defines and the consumer inherits: both run it, and the
    // consumer's `solo` reads the producer's.
    let run = ok(
        data.path(),
        &[
            "run",
            "graph_cond_consumer",
            "--treatment",
            "solo",
            "--json",
        ],
    );
    assert_eq!(
        conditions(&run.experiment("graph_cond_producer")),
        ["baseline", "solo"]
    );
    let consumer = run.experiment("graph_cond_consumer");
    assert_eq!(conditions(&consumer), ["baseline", "solo"]);
    assert_eq!(condition_read(&consumer, "solo"), "solo");
    assert_eq!(metric(&consumer, "solo", "read_level"), [2.0, 2.0]);
    assert_eq!(metric(&consumer, "solo", "bonus"), [0.0, 0.0]);
}

/// `--treatment own` (defined by the consumer only): the producer runs its baseline only, and
/// the consumer's `own` reads the producer's baseline, as the report and `plan --json` say.
#[test]
fn a_consumer_only_treatment_reads_the_producers_baseline() {
    let data = tempfile::tempdir().unwrap();
    let args = ["graph_cond_consumer", "--treatment", "own", "--json"];
    let plan = ok(data.path(), &[&["plan"][..], &args].concat());
    let run = ok(data.path(), &[&["run"][..], &args].concat());
    assert_eq!(
        conditions(&run.experiment("graph_cond_producer")),
        ["baseline"]
    );
    let consumer = run.experiment("graph_cond_consumer");
    assert_eq!(conditions(&consumer), ["baseline", "own"]);
    assert_eq!(condition_read(&consumer, "own"), "baseline");
    assert_eq!(
        condition_read(&plan.experiment("graph_cond_consumer"), "own"),
        "baseline"
    );
    assert_eq!(metric(&consumer, "own", "read_level"), [0.0, 0.0]);
    assert_eq!(metric(&consumer, "own", "bonus"), [20.0, 20.0]);
}

/// The rows of a `plan` table in the section of `experiment`: condition → its `why` text.
fn plan_rows(plan: &str, experiment: &str) -> std::collections::BTreeMap<String, String> {
    let section = plan
        .split(&format!("{experiment}: w")) // `will run` (first run) or `would run`
        .nth(1)
        .unwrap_or_else(|| panic!("no `{experiment}` section:\n{plan}"));
    let section = section.split("\n\n").next().unwrap_or(section);
    let mut rows = std::collections::BTreeMap::new();
    let mut current = String::new();
    for line in section.lines().filter(|line| line.starts_with('│')) {
        let cells: Vec<&str> = line.trim_matches('│').split('┆').map(str::trim).collect();
        if cells.len() < 4 || cells[0] == "condition" {
            continue;
        }
        if !cells[0].is_empty() {
            current = cells[0].to_string();
        }
        let why: &mut String = rows.entry(current.clone()).or_default();
        why.push_str(cells[3]);
        why.push('\n');
    }
    rows
}

/// The fallback to the producer's baseline is stated, not silent: the text `plan` says, per
/// consumer condition, which producer condition it reads.
#[test]
fn the_text_plan_states_which_producer_condition_each_consumer_condition_reads() {
    let data = tempfile::tempdir().unwrap();
    let plan = ok(data.path(), &["plan", "graph_cond_consumer"]).stdout;
    let rows = plan_rows(&plan, "graph_cond_consumer");
    for (condition, read) in [
        ("baseline", "graph_cond_producer/baseline"),
        ("shared", "graph_cond_producer/shared"),
        ("own", "graph_cond_producer/baseline"),
    ] {
        let why = rows
            .get(condition)
            .unwrap_or_else(|| panic!("no `{condition}` row in:\n{plan}"));
        assert!(
            why.contains(read) && why.contains("level.json"),
            "`{condition}` must say it reads {read}:\n{plan}"
        );
    }
    assert!(!rows["own"].contains("graph_cond_producer/own"), "{plan}");
}
