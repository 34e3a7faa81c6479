//! The unit journal, `v<N>/.journal.jsonl`: one JSON line per finished unit, appended as units
//! finish, so an interrupted run loses at most the units in flight. Lines are written in batches
//! (whatever finished since the last write) and the file is synced once, before the completion
//! markers: the one fsync of a run, never one per unit. A torn or corrupt line is skipped when reading, never
//! trusted.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::report::UnitErrorReport;
use crate::signature::CodeHash;

/// File name of the journal inside a version directory.
pub const JOURNAL: &str = ".journal.jsonl";

/// An artifact as the journal records it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtifactEntry {
    /// Stage that wrote it.
    pub stage: String,
    /// File name.
    pub file: String,
    /// blake3 of the content.
    pub hash: CodeHash,
    /// Size in bytes.
    pub size: u64,
}

/// One finished unit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitRecord {
    /// Condition name.
    pub condition: String,
    /// Replicate index.
    pub replicate: u32,
    /// The unit key it ran with.
    pub key: CodeHash,
    /// Recorded metrics (`null` for non-finite values).
    pub metrics: BTreeMap<String, Option<f64>>,
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
}

/// Appends records to a journal.
pub struct JournalWriter {
    file: File,
    path: PathBuf,
    pending: Vec<u8>,
}

impl JournalWriter {
    /// Creates (truncating) the journal of `version_dir`.
    pub fn create(version_dir: &Path) -> io::Result<JournalWriter> {
        JournalWriter::create_with(version_dir, [])
    }

    /// Replaces the journal of `version_dir` with one holding `records` (atomically: a reader
    /// sees the old journal or the new one), then opens it for appending.
    pub fn create_with<'a>(
        version_dir: &Path,
        records: impl IntoIterator<Item = &'a UnitRecord>,
    ) -> io::Result<JournalWriter> {
        let path = version_dir.join(JOURNAL);
        let mut initial = Vec::new();
        for record in records {
            serde_json::to_writer(&mut initial, record).map_err(io::Error::other)?;
            initial.push(b'\n');
        }
        crate::store::atomic::write_atomic(&path, &initial)?;
        let file = OpenOptions::new().append(true).open(&path)?;
        Ok(JournalWriter {
            file,
            path,
            pending: Vec::new(),
        })
    }

    /// Queues a record; it reaches the file at the next [`JournalWriter::flush`].
    pub fn push(&mut self, record: &UnitRecord) -> io::Result<()> {
        serde_json::to_writer(&mut self.pending, record).map_err(io::Error::other)?;
        self.pending.push(b'\n');
        Ok(())
    }

    /// Writes queued records with one system call (no fsync).
    pub fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            self.file.write_all(&self.pending)?;
            self.pending.clear();
        }
        Ok(())
    }

    /// Flushes and syncs the file to disk.
    pub fn sync(&mut self) -> io::Result<()> {
        self.flush()?;
        self.file.sync_data()
    }

    /// The journal's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// What reading a journal found.
#[derive(Debug, Default)]
pub struct JournalContents {
    /// The last record of each unit: condition → replicate → record.
    pub records: BTreeMap<String, BTreeMap<u32, Arc<UnitRecord>>>,
    /// Lines that could not be read (1-based line numbers), e.g. torn by a crash.
    pub bad_lines: Vec<usize>,
}

/// Reads the journal of `version_dir`; `Ok(None)` if there is none. Later lines win.
pub fn read_journal(version_dir: &Path) -> io::Result<Option<JournalContents>> {
    let bytes = match fs::read(version_dir.join(JOURNAL)) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error),
    };
    let lines: Vec<&[u8]> = bytes.split(|byte| *byte == b'\n').collect();
    let parsed = lines
        .iter()
        .map(|line| serde_json::from_slice::<UnitRecord>(line).ok());
    let mut contents = JournalContents::default();
    for (index, (line, record)) in lines.iter().zip(parsed).enumerate() {
        match record {
            Some(record) => {
                contents
                    .records
                    .entry(record.condition.clone())
                    .or_default()
                    .insert(record.replicate, Arc::new(record));
            }
            None if line.is_empty() => {}
            None => contents.bad_lines.push(index + 1),
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
            metrics: BTreeMap::from([("mean".to_string(), Some(0.1 + f64::from(replicate)))]),
            artifacts: vec![],
            error: None,
            computed_in: 0,
            cache_hits: vec![],
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
}
