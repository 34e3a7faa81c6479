//! The unit journal, `v<N>/.journal.jsonl`: one JSON line per finished unit, appended as units
//! finish, so an interrupted run loses at most the units in flight. Lines are written in batches
//! (whatever finished since the last write) and the file is synced once, before the completion
//! markers: the one fsync of a run, never one per unit. Every line ends with a checksum of its
//! content (`,"check":"<32 hex digits>"}`), so a torn line, or a value edited by hand, is
//! skipped and reported when reading, never trusted.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::files::{self, FileStamp};
use super::metrics::Metrics;
use crate::key::signature::CodeHash;

/// File name of the journal inside a version directory.
pub(crate) const JOURNAL: &str = ".journal.jsonl";

/// A failed unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitErrorReport {
    /// Replicate index.
    pub replicate: u32,
    /// Stage that failed.
    pub stage: String,
    /// Error or panic message.
    pub message: String,
    /// Whether it panicked (rather than returning an error).
    pub panicked: bool,
}

/// An artifact as the journal records it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ArtifactEntry {
    /// Stage that wrote it (shared: every unit's entry names the same few stages and files).
    pub stage: std::sync::Arc<str>,
    /// File name.
    pub file: std::sync::Arc<str>,
    /// blake3 of the content.
    pub hash: CodeHash,
    /// Size in bytes.
    pub size: u64,
    /// Modification time and inode when written: resume rehashes the file only when they moved.
    #[serde(default)]
    pub stamp: FileStamp,
}

/// One finished unit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct UnitRecord {
    /// Condition name.
    pub condition: String,
    /// Replicate index.
    pub replicate: u32,
    /// The unit key it ran with.
    pub key: CodeHash,
    /// Recorded metrics (`null` for non-finite values).
    pub metrics: Metrics,
    /// Artifacts written.
    pub artifacts: Vec<ArtifactEntry>,
    /// Why it failed, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<UnitErrorReport>,
    /// The version whose run executed it (differs from the journal's version for loaded units).
    pub computed_in: u32,
    /// Stages served from the step cache.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cache_hits: Vec<String>,
    /// Step-cache entries the unit used or wrote (`<step dir>/<entry key>`): what `gc` keeps.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cache_entries: Vec<String>,
}

/// Queued records are written once they reach this many bytes (one system call per batch).
pub(crate) const FLUSH_AT: usize = 256 * 1024;

/// Appends records to a journal.
pub(crate) struct JournalWriter {
    file: File,
    path: PathBuf,
    pending: Vec<u8>,
}

impl JournalWriter {
    /// Creates (truncating) the journal of `version_dir`.
    #[cfg(test)]
    pub(crate) fn create(version_dir: &Path) -> io::Result<JournalWriter> {
        JournalWriter::create_with(version_dir, [])
    }

    /// Replaces the journal of `version_dir` with one holding `records` (atomically: a reader
    /// sees the old journal or the new one), then opens it for appending.
    pub(crate) fn create_with<'a>(
        version_dir: &Path,
        records: impl IntoIterator<Item = &'a UnitRecord>,
    ) -> io::Result<JournalWriter> {
        let path = version_dir.join(JOURNAL);
        let mut initial = Vec::new();
        for record in records {
            encode_line(&mut initial, record)?;
        }
        let mut options = OpenOptions::new();
        options.append(true);
        files::no_follow(&mut options);
        // An empty journal where there is none (a new version) is created as it is opened: a
        // reader sees no journal or an empty one, as with the atomic write.
        let created = if initial.is_empty() {
            match options.clone().create_new(true).open(&path) {
                Ok(file) => Some(file),
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists => None,
                Err(error) => return Err(error),
            }
        } else {
            None
        };
        let file = match created {
            Some(file) => file,
            None => {
                crate::store::atomic::write_atomic(&path, &initial)?;
                options.open(&path)?
            }
        };
        Ok(JournalWriter {
            file,
            path,
            pending: Vec::new(),
        })
    }

    /// Opens the journal of `version_dir` for appending, creating it when missing (records of
    /// units that finished while no run held the version, e.g. those of a detached Slurm run).
    pub(crate) fn append_to(version_dir: &Path) -> io::Result<JournalWriter> {
        let path = version_dir.join(JOURNAL);
        let mut options = OpenOptions::new();
        options.append(true).create(true);
        files::no_follow(&mut options);
        let file = options.open(&path)?;
        Ok(JournalWriter {
            file,
            path,
            pending: Vec::new(),
        })
    }

    /// Queues a record; it reaches the file at the next [`JournalWriter::flush`], or now when
    /// the queue has reached [`FLUSH_AT`] bytes (so a run whose units finish faster than they
    /// are written never holds its journal in memory).
    pub(crate) fn push(&mut self, record: &UnitRecord) -> io::Result<()> {
        encode_line(&mut self.pending, record)?;
        if self.pending.len() >= FLUSH_AT {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes queued records with one system call (no fsync).
    pub(crate) fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            self.file.write_all(&self.pending)?;
            self.pending.clear();
        }
        Ok(())
    }

    /// Flushes and syncs the file to disk.
    pub(crate) fn sync(&mut self) -> io::Result<()> {
        self.flush()?;
        self.file.sync_data()
    }

    /// The journal's path.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

/// Start of the checksum that ends every line.
const CHECK_TAG: &[u8] = b",\"check\":\"";
/// Hex digits of the checksum (the first 16 bytes of a blake3 hash).
const CHECK_DIGITS: usize = 32;

fn line_check(body_without_brace: &[u8]) -> [u8; CHECK_DIGITS] {
    static KEY: std::sync::OnceLock<[u8; 32]> = std::sync::OnceLock::new();
    let key = KEY.get_or_init(|| blake3::derive_key("crystallize journal line v1", b""));
    let mut hasher = blake3::Hasher::new_keyed(key);
    hasher.update(body_without_brace);
    hasher.update(b"}");
    let hash = hasher.finalize();
    let mut hex = [0u8; CHECK_DIGITS];
    crate::key::hex::encode_into(&hash.as_bytes()[..CHECK_DIGITS / 2], &mut hex);
    hex
}

/// Appends `record` (any value serialised as a JSON object) as one line: its JSON with a
/// checksum of that JSON spliced in as the last field.
pub(crate) fn encode_line<T: Serialize>(out: &mut Vec<u8>, record: &T) -> io::Result<()> {
    let start = out.len();
    serde_json::to_writer(&mut *out, record).map_err(io::Error::other)?;
    if out.last() != Some(&b'}') {
        return Err(io::Error::other("a journal record is not a JSON object"));
    }
    out.pop();
    let check = line_check(&out[start..]);
    out.extend_from_slice(CHECK_TAG);
    out.extend_from_slice(&check);
    out.extend_from_slice(b"\"}\n");
    Ok(())
}

/// What a line's checksum says.
pub(crate) enum Checked<'a> {
    /// The checksum matches; the JSON (checksum included) to parse.
    Valid(&'a [u8]),
    /// A line without checksum (written by an earlier release): parsed, not verified.
    Unchecked(&'a [u8]),
    /// The checksum does not match the content.
    Mismatch(&'a [u8]),
}

/// Reads the checksum of `line` (without its newline).
pub(crate) fn check_line(line: &[u8]) -> Checked<'_> {
    let suffix = CHECK_TAG.len() + CHECK_DIGITS + 2;
    if line.len() > suffix && line.ends_with(b"\"}") {
        let body_end = line.len() - suffix;
        if &line[body_end..body_end + CHECK_TAG.len()] == CHECK_TAG {
            let digits = &line[body_end + CHECK_TAG.len()..line.len() - 2];
            return if line_check(&line[..body_end]) == digits {
                Checked::Valid(line)
            } else {
                Checked::Mismatch(line)
            };
        }
    }
    Checked::Unchecked(line)
}

/// What reading a journal found.
#[derive(Debug, Default)]
pub(crate) struct JournalContents {
    /// The last record of each unit: condition → replicate → record.
    pub records: BTreeMap<String, BTreeMap<u32, Arc<UnitRecord>>>,
    /// Lines that could not be read (1-based line numbers), e.g. torn by a crash.
    pub bad_lines: Vec<usize>,
    /// Units whose record fails its checksum (edited or damaged), with the line number: never
    /// trusted, and not shadowed by an earlier record of the same unit.
    pub tampered: BTreeMap<(String, u32), usize>,
}

/// Reads the journal of `version_dir`; `Ok(None)` if there is none. Later lines win. The file
/// is never read through a symbolic link (that is an error).
pub(crate) fn read_journal(version_dir: &Path) -> io::Result<Option<JournalContents>> {
    let bytes = match files::read(&version_dir.join(JOURNAL)) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) if files::is_symlink_error(&error) => {
            return Err(io::Error::other(
                "is a symbolic link (never followed inside the data directory)",
            ));
        }
        Err(error) => return Err(error),
    };
    // Journals of this release carry a checksum on every line; a line without one among them has
    // had it removed, and is not trusted either. Journals of earlier releases have none at all.
    let checked = bytes
        .windows(CHECK_TAG.len())
        .any(|window| window == CHECK_TAG);
    let mut contents = JournalContents::default();
    for (index, line) in bytes.split(|byte| *byte == b'\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        let (json, trusted) = match check_line(line) {
            Checked::Valid(json) => (json, true),
            Checked::Unchecked(json) => (json, !checked),
            Checked::Mismatch(json) => (json, false),
        };
        match serde_json::from_slice::<UnitRecord>(json) {
            Ok(record) if trusted => {
                if !contents.tampered.is_empty() {
                    contents
                        .tampered
                        .remove(&(record.condition.clone(), record.replicate));
                }
                contents
                    .records
                    .entry(record.condition.clone())
                    .or_default()
                    .insert(record.replicate, Arc::new(record));
            }
            Ok(record) => {
                if let Some(records) = contents.records.get_mut(&record.condition) {
                    records.remove(&record.replicate);
                }
                contents
                    .tampered
                    .insert((record.condition, record.replicate), index + 1);
            }
            Err(_) => contents.bad_lines.push(index + 1),
        }
    }
    Ok(Some(contents))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(replicate: u32) -> UnitRecord {
        UnitRecord {
            condition: "baseline".into(),
            replicate,
            key: CodeHash::of(&replicate.to_le_bytes()),
            metrics: [("mean", Some(0.1 + f64::from(replicate)))]
                .into_iter()
                .collect(),
            artifacts: vec![],
            error: None,
            computed_in: 0,
            cache_hits: vec![],
            cache_entries: vec![],
        }
    }

    #[test]
    fn round_trips_and_skips_torn_lines() {
        let dir = tempfile::tempdir().unwrap();
        let mut writer = JournalWriter::create(dir.path()).unwrap();
        writer.push(&record(0)).unwrap();
        writer.push(&record(1)).unwrap();
        writer.sync().unwrap();
        // A crash mid-write leaves a torn last line.
        let mut file = OpenOptions::new().append(true).open(writer.path()).unwrap();
        file.write_all(b"{\"condition\":\"baseline\",\"repl")
            .unwrap();
        let contents = read_journal(dir.path()).unwrap().unwrap();
        assert_eq!(contents.records["baseline"].len(), 2);
        assert_eq!(*contents.records["baseline"][&1], record(1));
        assert_eq!(contents.bad_lines, vec![3]);
        assert!(read_journal(&dir.path().join("missing")).unwrap().is_none());
    }

    #[test]
    fn a_journal_is_created_empty_or_with_its_records_and_replaces_one_there() {
        let dir = tempfile::tempdir().unwrap();
        let mut writer = JournalWriter::create_with(dir.path(), [&record(0)]).unwrap();
        writer.push(&record(1)).unwrap();
        writer.sync().unwrap();
        assert_eq!(
            read_journal(dir.path()).unwrap().unwrap().records["baseline"].len(),
            2
        );
        // Replaced by an empty one, then appended to.
        let mut writer = JournalWriter::create(dir.path()).unwrap();
        assert!(
            read_journal(dir.path())
                .unwrap()
                .unwrap()
                .records
                .is_empty()
        );
        writer.push(&record(2)).unwrap();
        writer.sync().unwrap();
        let replaced = read_journal(dir.path()).unwrap().unwrap();
        assert_eq!(
            replaced.records["baseline"]
                .keys()
                .copied()
                .collect::<Vec<_>>(),
            [2]
        );
        // Created where there was none.
        let fresh = dir.path().join("v1");
        std::fs::create_dir(&fresh).unwrap();
        let mut writer = JournalWriter::create(&fresh).unwrap();
        writer.push(&record(3)).unwrap();
        writer.sync().unwrap();
        assert_eq!(
            read_journal(&fresh).unwrap().unwrap().records["baseline"].len(),
            1
        );
    }

    #[test]
    fn a_long_queue_is_written_without_waiting_for_a_flush() {
        let dir = tempfile::tempdir().unwrap();
        let mut writer = JournalWriter::create(dir.path()).unwrap();
        let mut replicate = 0;
        while writer.pending.len() + 1024 < FLUSH_AT {
            writer.push(&record(replicate)).unwrap();
            replicate += 1;
        }
        assert_eq!(fs_len(writer.path()), 0, "below the threshold, queued");
        for _ in 0..8 {
            writer.push(&record(replicate)).unwrap();
            replicate += 1;
        }
        assert!(writer.pending.len() < FLUSH_AT);
        assert!(
            fs_len(writer.path()) >= FLUSH_AT as u64,
            "written at the threshold"
        );
        writer.flush().unwrap();
        let contents = read_journal(dir.path()).unwrap().unwrap();
        assert_eq!(contents.records["baseline"].len(), replicate as usize);
        assert!(contents.bad_lines.is_empty());
    }

    fn fs_len(path: &Path) -> u64 {
        std::fs::metadata(path).unwrap().len()
    }

    #[test]
    fn an_edited_value_fails_its_checksum_and_hides_nothing_older() {
        let dir = tempfile::tempdir().unwrap();
        let mut writer = JournalWriter::create(dir.path()).unwrap();
        writer.push(&record(0)).unwrap();
        writer.push(&record(1)).unwrap();
        writer.push(&record(0)).unwrap();
        writer.sync().unwrap();
        let path = dir.path().join(JOURNAL);
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.iter().all(|line| line.contains(",\"check\":\"")));
        // The last record of replicate 0 gets another mean; replicate 1 loses its checksum.
        let edited = lines[2].replace("0.1", "0.7");
        let stripped = lines[1][..lines[1].find(",\"check\"").unwrap()].to_string() + "}";
        std::fs::write(&path, format!("{}\n{stripped}\n{edited}\n", lines[0])).unwrap();
        let contents = read_journal(dir.path()).unwrap().unwrap();
        assert!(
            contents
                .records
                .get("baseline")
                .is_none_or(|r| r.is_empty())
        );
        assert_eq!(
            contents.tampered.keys().cloned().collect::<Vec<_>>(),
            vec![("baseline".to_string(), 0), ("baseline".to_string(), 1)]
        );
    }

    #[test]
    fn journals_of_earlier_releases_without_checksums_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let line = serde_json::to_string(&record(3)).unwrap();
        std::fs::write(dir.path().join(JOURNAL), format!("{line}\n")).unwrap();
        let contents = read_journal(dir.path()).unwrap().unwrap();
        assert_eq!(*contents.records["baseline"][&3], record(3));
        assert!(contents.tampered.is_empty());
    }
}
