//! Corrupt or foreign files under `data/`: reported by path, treated as missing, never a panic.

use std::fs;

use crate::common::fixture;

/// Runs `seeded` once, lets `damage` break something in `v0`, then resumes.
fn resume_after(damage: impl FnOnce(&std::path::Path)) -> serde_json::Value {
    let data = tempfile::tempdir().unwrap();
    assert_eq!(fixture(data.path(), &["run", "seeded"]).code, 0);
    damage(&data.path().join("seeded/v0"));
    let run = fixture(
        data.path(),
        &["run", "seeded", "--json", "--strategy", "resume"],
    );
    assert_eq!(run.code, 0, "no panic, no failure:\n{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let entry = run.experiment("seeded");
    // Whatever was damaged, the run repaired it: a second resume loads everything.
    let again = fixture(
        data.path(),
        &["run", "seeded", "--json", "--strategy", "resume"],
    );
    assert_eq!(
        again.experiment("seeded")["action"],
        "loaded",
        "{}",
        again.stdout
    );
    entry
}

fn first_reason(entry: &serde_json::Value, condition: &str) -> (String, String) {
    let reason = &entry["conditions"][condition]["reasons"][0];
    (
        reason["kind"].as_str().unwrap().to_string(),
        reason["detail"].as_str().unwrap().to_string(),
    )
}

#[test]
fn a_truncated_results_file_reruns_its_condition() {
    let entry = resume_after(|v0| {
        let path = v0.join("shifted/results.json");
        let text = fs::read(&path).unwrap();
        fs::write(&path, &text[..text.len() / 2]).unwrap();
    });
    let (kind, detail) = first_reason(&entry, "shifted");
    assert_eq!(kind, "corrupt-file");
    assert!(detail.contains("shifted/results.json"), "{detail}");
    assert_eq!(entry["conditions"]["shifted"]["units_run"], 3);
    assert_eq!(entry["conditions"]["baseline"]["units_loaded"], 3);
    let warnings = entry["warnings"].to_string();
    assert!(warnings.contains("shifted/results.json"), "{warnings}");
}

#[test]
fn garbage_metadata_reruns_everything() {
    let entry =
        resume_after(|v0| fs::write(v0.join("metadata.json"), b"\x00\xffnot json").unwrap());
    assert_eq!(entry["action"], "ran");
    assert_eq!(entry["reasons"][0]["kind"], "corrupt-file");
    assert!(
        entry["reasons"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("metadata.json")
    );
}

#[test]
fn missing_metadata_reruns_everything() {
    let entry = resume_after(|v0| fs::remove_file(v0.join("metadata.json")).unwrap());
    assert_eq!(entry["action"], "ran");
    assert_eq!(entry["reasons"][0]["kind"], "metadata-missing");
}

#[test]
fn a_marker_holding_a_foreign_key_reruns_its_condition() {
    let entry = resume_after(|v0| {
        fs::write(
            v0.join("baseline/.crystallize_complete"),
            format!("{}\n", "ab".repeat(32)),
        )
        .unwrap();
    });
    let (kind, detail) = first_reason(&entry, "baseline");
    assert_eq!(kind, "corrupt-file");
    assert!(
        detail.contains("baseline/.crystallize_complete"),
        "{detail}"
    );
    assert_eq!(entry["conditions"]["baseline"]["units_run"], 3);
    assert_eq!(entry["conditions"]["shifted"]["units_loaded"], 3);
}

#[test]
fn a_missing_marker_reruns_its_condition() {
    let entry =
        resume_after(|v0| fs::remove_file(v0.join("baseline/.crystallize_complete")).unwrap());
    assert_eq!(first_reason(&entry, "baseline").0, "marker-missing");
    assert_eq!(entry["conditions"]["baseline"]["units_run"], 3);
}

#[test]
fn unknown_files_are_reported_and_left_in_place() {
    let entry = resume_after(|v0| {
        fs::write(v0.join("notes.txt"), b"mine").unwrap();
        fs::write(v0.join("baseline/extra.bin"), b"?").unwrap();
    });
    // Reported by path; the units themselves were loadable.
    let warnings = entry["warnings"].to_string();
    assert!(
        warnings.contains("notes.txt") && warnings.contains("extra.bin"),
        "{warnings}"
    );
    assert_eq!(entry["action"], "loaded");
    assert!(warnings.contains("left as is"), "{warnings}");
}

#[test]
fn a_damaged_journal_line_reruns_only_that_unit() {
    let entry = resume_after(|v0| {
        let path = v0.join(".journal.jsonl");
        let text = fs::read_to_string(&path).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let damaged = lines
            .iter()
            .position(|line| line.contains("\"shifted\"") && line.contains("\"replicate\":2"))
            .expect("record of shifted/2");
        lines[damaged].truncate(20);
        fs::write(&path, lines.join("\n") + "\n").unwrap();
    });
    let shifted = &entry["conditions"]["shifted"];
    assert_eq!(shifted["units_run"], 1, "{entry}");
    assert_eq!(shifted["units_loaded"], 2);
    assert!(entry["warnings"].to_string().contains(".journal.jsonl"));
}

#[test]
fn a_journal_record_with_a_foreign_key_is_not_trusted() {
    let entry = resume_after(|v0| {
        let path = v0.join(".journal.jsonl");
        let text = fs::read_to_string(&path).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let target = lines
            .iter()
            .position(|line| line.contains("\"baseline\"") && line.contains("\"replicate\":0,"))
            .unwrap();
        let record: serde_json::Value =
            serde_json::from_str(&lines[target]).expect("a JSON record");
        let key = record["key"].as_str().unwrap();
        lines[target] = lines[target].replace(key, &"cd".repeat(32));
        fs::write(&path, lines.join("\n") + "\n").unwrap();
    });
    let baseline = &entry["conditions"]["baseline"];
    assert_eq!(baseline["units_run"], 1);
    assert_eq!(baseline["reasons"][0]["kind"], "corrupt-file");
}

#[test]
fn an_edited_metric_in_the_journal_fails_its_checksum() {
    let entry = resume_after(|v0| {
        let path = v0.join(".journal.jsonl");
        let text = fs::read_to_string(&path).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let target = lines
            .iter()
            .position(|line| line.contains("\"baseline\"") && line.contains("\"replicate\":0,"))
            .unwrap();
        let record: serde_json::Value = serde_json::from_str(&lines[target]).unwrap();
        let first = record["metrics"]["first"].to_string();
        lines[target] = lines[target].replace(&format!("\"first\":{first}"), "\"first\":123.0");
        assert!(lines[target].contains("123.0"));
        fs::write(&path, lines.join("\n") + "\n").unwrap();
    });
    let baseline = &entry["conditions"]["baseline"];
    assert_eq!(baseline["units_run"], 1, "{entry}");
    assert_eq!(baseline["reasons"][0]["kind"], "corrupt-file");
    assert!(
        baseline["reasons"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("fails its checksum")
    );
    assert_ne!(baseline["metrics"]["first"][0], serde_json::json!(123.0));
}

#[test]
fn a_results_file_with_other_values_reruns_its_condition() {
    let entry = resume_after(|v0| {
        let path = v0.join("baseline/results.json");
        let mut results = crate::common::read_json(&path);
        results["metrics"]["first"][1] = serde_json::json!(0.25);
        fs::write(&path, results.to_string()).unwrap();
    });
    let (kind, detail) = first_reason(&entry, "baseline");
    assert_eq!(kind, "corrupt-file");
    assert!(detail.contains("baseline/results.json"), "{detail}");
    assert_eq!(entry["conditions"]["baseline"]["units_run"], 3);
    assert_ne!(
        entry["conditions"]["baseline"]["metrics"]["first"][1],
        serde_json::json!(0.25)
    );
}

#[test]
fn a_corrupt_manifest_is_reported_and_written_again() {
    let data = tempfile::tempdir().unwrap();
    assert_eq!(fixture(data.path(), &["run", "seeded"]).code, 0);
    let manifest = data.path().join("seeded/v0/_manifest.json");
    let good = fs::read(&manifest).unwrap();
    fs::write(&manifest, b"{\"draws.json\": 7").unwrap();
    let run = fixture(
        data.path(),
        &["run", "seeded", "--json", "--strategy", "resume"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let entry = run.experiment("seeded");
    assert_eq!(entry["action"], "loaded", "nothing runs again");
    assert!(
        entry["warnings"].to_string().contains("_manifest.json"),
        "{entry}"
    );
    assert_eq!(fs::read(&manifest).unwrap(), good, "written again");
}

#[test]
fn a_foreign_directory_in_place_of_an_experiment_is_handled() {
    let data = tempfile::tempdir().unwrap();
    let exp = data.path().join("seeded");
    fs::create_dir_all(exp.join("v0/baseline")).unwrap();
    fs::write(
        exp.join("v0/metadata.json"),
        br#"{"replicates": 3, "id": "x", "name": null}"#,
    )
    .unwrap();
    fs::write(
        exp.join("v0/baseline/results.json"),
        br#"{"metrics": {"first": [1, 2, 3]}}"#,
    )
    .unwrap();
    fs::write(exp.join("v0/baseline/.crystallize_complete"), b"").unwrap();
    let run = fixture(
        data.path(),
        &["run", "seeded", "--json", "--strategy", "resume"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let entry = run.experiment("seeded");
    assert_eq!(entry["action"], "ran");
    assert_eq!(entry["reasons"][0]["kind"], "corrupt-file");
}
