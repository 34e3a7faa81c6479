//! Resume without the journal: a finished condition whose completion marker holds its key and
//! a summary loads from the marker and `results.json` alone, and everything the summary is
//! trusted for is still checked (artifacts by size and stamp, then content; `results.json` by
//! hash; the journal by size and stamp). Markers of earlier releases (the key alone) fall back
//! to reading the journal; a damaged summary is reported and its condition reruns.
//!
//! To tell which path a resume took, the tests overwrite the journal in place with bytes of the
//! same length and put its modification time back: the journal's path can no longer read a
//! single record (every unit it decides reruns), while the summary's path does not read it.

use std::fs;
use std::path::Path;

use crate::common::{Run, fixture};

fn resume(data: &Path) -> Run {
    let run = fixture(data, &["run", "seeded", "--json", "--strategy", "resume"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

/// Overwrites `v0`'s journal in place (same inode, same size) and restores its modification
/// time, as if nothing had touched it.
fn garble_journal_keeping_its_stamp(v0: &Path) {
    let path = v0.join(".journal.jsonl");
    let modified = fs::metadata(&path).unwrap().modified().unwrap();
    let garbled: Vec<u8> = fs::read(&path)
        .unwrap()
        .into_iter()
        .map(|byte| if byte == b'\n' { byte } else { b'#' })
        .collect();
    let mut file = fs::OpenOptions::new().write(true).open(&path).unwrap();
    std::io::Write::write_all(&mut file, &garbled).unwrap();
    file.set_modified(modified).unwrap();
    drop(file);
    assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), modified);
}

/// A finished run of `seeded` (baseline and `shifted`, 3 replicates, artifact `draws.json`).
fn finished_run() -> tempfile::TempDir {
    let data = tempfile::tempdir().unwrap();
    assert_eq!(fixture(data.path(), &["run", "seeded"]).code, 0);
    data
}

fn units(entry: &serde_json::Value, condition: &str, field: &str) -> u64 {
    entry["conditions"][condition][field].as_u64().unwrap()
}

fn artifact(v0: &Path, replicate: u32, condition: &str) -> std::path::PathBuf {
    v0.join(format!("replicate_{replicate}"))
        .join(condition)
        .join("save/draws.json")
}

#[test]
fn an_unchanged_condition_loads_from_its_marker_without_the_journal() {
    let data = finished_run();
    let v0 = data.path().join("seeded/v0");
    let before = resume(data.path()).experiment("seeded");
    garble_journal_keeping_its_stamp(&v0);
    let entry = resume(data.path()).experiment("seeded");
    assert_eq!(entry["action"], "loaded", "{entry}");
    for condition in ["baseline", "shifted"] {
        assert_eq!(units(&entry, condition, "units_loaded"), 3);
        assert_eq!(
            entry["conditions"][condition]["metrics"], before["conditions"][condition]["metrics"],
            "the same metrics as through the journal"
        );
    }
    assert_eq!(entry["artifacts"], before["artifacts"]);
}

#[test]
fn a_deleted_artifact_is_caught_although_the_marker_holds() {
    let data = finished_run();
    let v0 = data.path().join("seeded/v0");
    garble_journal_keeping_its_stamp(&v0);
    let gone = artifact(&v0, 1, "shifted");
    fs::remove_file(&gone).unwrap();
    let entry = resume(data.path()).experiment("seeded");
    assert!(units(&entry, "shifted", "units_run") >= 1, "{entry}");
    assert_eq!(units(&entry, "baseline", "units_loaded"), 3, "{entry}");
    assert!(gone.is_file(), "the rerun wrote it back");
    assert_eq!(resume(data.path()).experiment("seeded")["action"], "loaded");
}

#[test]
fn a_truncated_artifact_is_caught_by_its_size() {
    let data = finished_run();
    let v0 = data.path().join("seeded/v0");
    garble_journal_keeping_its_stamp(&v0);
    let path = artifact(&v0, 2, "baseline");
    let original = fs::read(&path).unwrap();
    let modified = fs::metadata(&path).unwrap().modified().unwrap();
    let file = fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.set_len(original.len() as u64 / 2).unwrap();
    file.set_modified(modified).unwrap();
    drop(file);
    let entry = resume(data.path()).experiment("seeded");
    assert!(units(&entry, "baseline", "units_run") >= 1, "{entry}");
    assert_eq!(units(&entry, "shifted", "units_loaded"), 3, "{entry}");
    assert_eq!(fs::read(&path).unwrap(), original, "recomputed");
}

#[test]
fn an_artifact_rewritten_with_the_same_size_is_caught_by_its_stamp() {
    let data = finished_run();
    let v0 = data.path().join("seeded/v0");
    garble_journal_keeping_its_stamp(&v0);
    let path = artifact(&v0, 0, "shifted");
    let original = fs::read(&path).unwrap();
    let mut edited = original.clone();
    let digit = edited.iter().rposition(u8::is_ascii_digit).unwrap();
    edited[digit] = if edited[digit] == b'1' { b'2' } else { b'1' };
    std::thread::sleep(std::time::Duration::from_millis(20));
    fs::write(&path, &edited).unwrap();
    assert_eq!(fs::metadata(&path).unwrap().len(), original.len() as u64);
    let entry = resume(data.path()).experiment("seeded");
    assert!(units(&entry, "shifted", "units_run") >= 1, "{entry}");
    assert_eq!(units(&entry, "baseline", "units_loaded"), 3, "{entry}");
    assert_eq!(fs::read(&path).unwrap(), original, "recomputed");
}

#[test]
fn edited_results_are_caught_by_their_hash() {
    let data = finished_run();
    let v0 = data.path().join("seeded/v0");
    let path = v0.join("shifted/results.json");
    let text = fs::read_to_string(&path).unwrap();
    let digit = text.rfind(|c: char| c.is_ascii_digit()).unwrap();
    let mut edited = text.clone();
    let replacement = if &text[digit..=digit] == "1" {
        "2"
    } else {
        "1"
    };
    edited.replace_range(digit..=digit, replacement);
    // An edit a clock tick after the run (the stamp holds the file system's coarse time).
    std::thread::sleep(std::time::Duration::from_millis(20));
    fs::write(&path, edited).unwrap();
    let entry = resume(data.path()).experiment("seeded");
    // The journal's path compares the values with the journal's and reruns the condition.
    let reason = &entry["conditions"]["shifted"]["reasons"][0];
    assert_eq!(reason["kind"], "corrupt-file", "{entry}");
    assert!(reason["detail"].as_str().unwrap().contains("results.json"));
    assert_eq!(units(&entry, "shifted", "units_run"), 3);
    assert_eq!(units(&entry, "baseline", "units_loaded"), 3);
}

#[test]
fn a_journal_that_moved_since_the_marker_is_read_instead() {
    let data = finished_run();
    let v0 = data.path().join("seeded/v0");
    // Garbled without restoring the stamp: the summary no longer vouches for the version.
    let path = v0.join(".journal.jsonl");
    let garbled: Vec<u8> = fs::read(&path)
        .unwrap()
        .into_iter()
        .map(|byte| if byte == b'\n' { byte } else { b'#' })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(20));
    fs::write(&path, garbled).unwrap();
    let entry = resume(data.path()).experiment("seeded");
    assert_eq!(units(&entry, "baseline", "units_run"), 3, "{entry}");
    assert_eq!(units(&entry, "shifted", "units_run"), 3, "{entry}");
    assert!(entry["warnings"].to_string().contains("unreadable line"));
}

#[test]
fn markers_of_earlier_releases_resume_through_the_journal() {
    let data = finished_run();
    let v0 = data.path().join("seeded/v0");
    for condition in ["baseline", "shifted"] {
        let marker = v0.join(condition).join(".crystallize_complete");
        let key = fs::read_to_string(&marker).unwrap();
        let key = key.lines().next().unwrap().to_string();
        fs::write(&marker, format!("{key}\n")).unwrap();
    }
    let entry = resume(data.path()).experiment("seeded");
    assert_eq!(entry["action"], "loaded", "{entry}");
    // Without a summary the journal is what vouches: garbling it reruns everything.
    garble_journal_keeping_its_stamp(&v0);
    let entry = resume(data.path()).experiment("seeded");
    assert_eq!(entry["action"], "ran", "{entry}");
}

#[test]
fn a_damaged_summary_is_reported_and_reruns_its_condition() {
    let data = finished_run();
    let v0 = data.path().join("seeded/v0");
    let marker = v0.join("shifted/.crystallize_complete");
    // The summary line starts `#summary3 ` and its payload with the replicates, 3: now 4.
    let text = fs::read_to_string(&marker).unwrap();
    let edited = text.replace("#summary3 03000000", "#summary3 04000000");
    assert_ne!(edited, text);
    fs::write(&marker, edited).unwrap();
    let entry = resume(data.path()).experiment("seeded");
    let reason = &entry["conditions"]["shifted"]["reasons"][0];
    assert_eq!(reason["kind"], "corrupt-file", "{entry}");
    let detail = reason["detail"].as_str().unwrap();
    assert!(
        detail.contains("shifted/.crystallize_complete is damaged: its summary fails its checksum"),
        "{detail}"
    );
    assert_eq!(units(&entry, "shifted", "units_run"), 3, "{entry}");
    assert_eq!(units(&entry, "baseline", "units_loaded"), 3, "{entry}");
    // Rewritten by that run: the next resume loads it from its marker again.
    garble_journal_keeping_its_stamp(&v0);
    assert_eq!(resume(data.path()).experiment("seeded")["action"], "loaded");
}

/// `seeded` with 200 replicates: its `results.json` (3 metrics, 200 values each, about 14 KiB)
/// is above the 8 KiB from which binary columns are written beside it.
fn large(data: &Path, strategy: &str) -> Run {
    let args = [
        "run",
        "seeded",
        "--json",
        "--replicates",
        "200",
        "--strategy",
        strategy,
    ];
    let run = fixture(data, &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run
}

/// Rewrites `path` in place (same inode) with `bytes` and puts its modification time back.
fn rewrite_keeping_stamp(path: &Path, bytes: &[u8]) {
    let modified = fs::metadata(path).unwrap().modified().unwrap();
    let mut file = fs::OpenOptions::new().write(true).open(path).unwrap();
    std::io::Write::write_all(&mut file, bytes).unwrap();
    file.set_len(bytes.len() as u64).unwrap();
    file.set_modified(modified).unwrap();
}

/// Small results (here 3 values a metric) have no columns file: their values travel in the
/// marker's summary, which a resume reads while `results.json` keeps the size and stamp it had
/// (the text is then not read: garbled in place behind its stamp, it goes unnoticed, as an
/// artifact would). A text edited since (a new stamp) is read, and checked by its hash.
#[test]
fn small_results_resume_from_the_summary_while_the_text_keeps_its_stamp() {
    let data = finished_run();
    for condition in ["baseline", "shifted"] {
        let dir = data.path().join("seeded/v0").join(condition);
        assert!(dir.join("results.json").is_file());
        assert!(!dir.join(".results.columns").exists());
    }
    let v0 = data.path().join("seeded/v0");
    let expected =
        resume(data.path()).experiment("seeded")["conditions"]["shifted"]["metrics"].clone();
    garble_journal_keeping_its_stamp(&v0);
    let text_path = v0.join("shifted/results.json");
    let text = fs::read(&text_path).unwrap();
    let garbled: Vec<u8> = text.iter().map(|_| b' ').collect();
    rewrite_keeping_stamp(&text_path, &garbled);
    let entry = resume(data.path()).experiment("seeded");
    assert_eq!(entry["action"], "loaded", "{entry}");
    assert_eq!(entry["warnings"], serde_json::json!([]), "{entry}");
    assert_eq!(entry["conditions"]["shifted"]["metrics"], expected);
    // The same garbled text with a new stamp: read, its hash fails, the condition reruns.
    std::thread::sleep(std::time::Duration::from_millis(20));
    fs::write(&text_path, &garbled).unwrap();
    let entry = resume(data.path()).experiment("seeded");
    assert_eq!(units(&entry, "shifted", "units_run"), 3, "{entry}");
    assert_eq!(entry["conditions"]["shifted"]["metrics"], expected);
    assert_eq!(units(&entry, "baseline", "units_loaded"), 3, "{entry}");
}

/// Large results are written as binary columns too, and a resume reads those instead of
/// parsing `results.json` while the text keeps the size and stamp it had (the text is then not
/// even read: garbled in place behind its stamp, it goes unnoticed, as an artifact would).
/// Columns that are torn or gone send the resume back to the text, checked by its hash; a text
/// edited since (a new stamp) is never passed over for the columns.
#[test]
fn large_results_resume_from_their_columns_and_fall_back_to_the_text() {
    let data = tempfile::tempdir().unwrap();
    let first = large(data.path(), "rerun").experiment("seeded");
    let v0 = data.path().join("seeded/v0");
    for condition in ["baseline", "shifted"] {
        assert!(v0.join(condition).join(".results.columns").is_file());
    }
    let expected = first["conditions"]["shifted"]["metrics"].clone();
    assert_eq!(expected["sum"].as_array().map(Vec::len), Some(200));
    // Only the marker's summary can load anything now.
    garble_journal_keeping_its_stamp(&v0);
    let text_path = v0.join("shifted/results.json");
    let text = fs::read(&text_path).unwrap();

    let garbled: Vec<u8> = text.iter().map(|_| b' ').collect();
    rewrite_keeping_stamp(&text_path, &garbled);
    let entry = large(data.path(), "resume").experiment("seeded");
    assert_eq!(entry["action"], "loaded", "{entry}");
    assert_eq!(
        entry["warnings"],
        serde_json::json!([]),
        "the columns are ours"
    );
    assert_eq!(entry["conditions"]["shifted"]["metrics"], expected);
    rewrite_keeping_stamp(&text_path, &text);

    let columns_path = v0.join("shifted/.results.columns");
    let mut columns = fs::read(&columns_path).unwrap();
    let last = columns.len() - 1;
    columns[last] ^= 0x55;
    fs::write(&columns_path, &columns).unwrap();
    let entry = large(data.path(), "resume").experiment("seeded");
    assert_eq!(
        entry["action"], "loaded",
        "torn columns: the text instead {entry}"
    );
    assert_eq!(entry["conditions"]["shifted"]["metrics"], expected);

    fs::remove_file(&columns_path).unwrap();
    let entry = large(data.path(), "resume").experiment("seeded");
    assert_eq!(
        entry["action"], "loaded",
        "no columns: the text instead {entry}"
    );
    assert_eq!(entry["conditions"]["shifted"]["metrics"], expected);

    // An edit of the text (a new stamp) with the columns back in place: the text's hash no
    // longer matches, and the condition runs again (to the same values: its seeds are fixed).
    columns[last] ^= 0x55;
    fs::write(&columns_path, &columns).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let mut edited = text.clone();
    let digit = edited.iter().rposition(u8::is_ascii_digit).unwrap();
    edited[digit] = if edited[digit] == b'1' { b'2' } else { b'1' };
    fs::write(&text_path, &edited).unwrap();
    let entry = large(data.path(), "resume").experiment("seeded");
    assert_eq!(
        units(&entry, "shifted", "units_run"),
        200,
        "{}",
        entry["conditions"]["shifted"]["reasons"]
    );
    assert_eq!(entry["conditions"]["shifted"]["metrics"], expected);
}
