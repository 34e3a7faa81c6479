//! What a Slurm run leaves on the shared data root for its array tasks: the manifest (every
//! unit's `__unit` arguments and its task's chunk), and the result lines the tasks append.

use std::ffi::OsString;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::exec::executor::ChildResult;

/// The directory of Slurm runs below the data root.
pub(crate) const SLURM_DIR: &str = ".slurm";

/// The manifest's file name in a run directory.
pub(crate) const MANIFEST: &str = "manifest.json";

/// What every array task of one run reads.
#[derive(Serialize, Deserialize)]
pub(crate) struct Manifest {
    /// The binary each unit runs in.
    pub exe: PathBuf,
    /// The data root (`--data-dir` of every unit).
    pub data_dir: PathBuf,
    /// The binary's own arguments, repeated on each unit's command line.
    pub forward: Vec<OsString>,
    /// Per unit (by the run's index), its `__unit` arguments.
    pub units: Vec<Vec<String>>,
    /// Per task, the indices of its units, run in this order.
    pub tasks: Vec<Vec<usize>>,
}

impl Manifest {
    /// Reads the manifest at `path`.
    pub(crate) fn read(path: &Path) -> Result<Manifest, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
        serde_json::from_str(&text)
            .map_err(|error| format!("{} is not a manifest: {error}", path.display()))
    }
}

/// Splits `count` units into chunks of `per_task` (the last may be smaller).
pub(crate) fn chunks(count: usize, per_task: usize) -> Vec<Vec<usize>> {
    let per_task = per_task.max(1);
    (0..count)
        .collect::<Vec<_>>()
        .chunks(per_task)
        .map(<[usize]>::to_vec)
        .collect()
}

/// The units per task when none is given: enough that a wave has at most [`MOST_TASKS`] tasks
/// (the scheduler starts only about one task per second per slot).
pub(crate) fn default_per_task(count: usize) -> usize {
    count.div_ceil(MOST_TASKS).max(1)
}

/// The most tasks a wave is split into by default.
pub(crate) const MOST_TASKS: usize = 100;

/// The result file of task `task` in run directory `run_dir`.
pub(crate) fn results_file(run_dir: &Path, task: usize) -> PathBuf {
    run_dir.join("results").join(format!("task-{task}.jsonl"))
}

/// One line of a result file: a unit's result, or why its process gave none.
#[derive(Serialize, Deserialize)]
pub(crate) struct ResultLine {
    /// The unit's index in the manifest.
    pub unit: usize,
    /// Its result, when its process gave one.
    pub result: Option<ChildResult>,
    /// Why its process gave none.
    pub error: Option<String>,
    /// Seconds the unit's process ran.
    pub took: f64,
}

/// Appends `line` to `path` as one JSON line, flushed to the disk before returning. A torn
/// last line (a task killed while writing) is ended first, so it stays a line of its own that
/// readers skip.
pub(crate) fn append(path: &Path, line: &ResultLine) -> io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .read(true)
        .open(path)?;
    let length = file.metadata()?.len();
    let mut text = serde_json::to_string(line).map_err(io::Error::other)?;
    text.push('\n');
    if length > 0 {
        let mut last = [0u8; 1];
        file.seek(SeekFrom::Start(length - 1))?;
        file.read_exact(&mut last)?;
        if last[0] != b'\n' {
            text.insert(0, '\n');
        }
    }
    file.write_all(text.as_bytes())?;
    file.sync_data()
}

/// Reads the complete lines of `path` from byte `offset`, returning the results and the offset
/// after the last complete line. Lines that do not parse (torn by a killed task) are skipped.
pub(crate) fn read_from(path: &Path, offset: u64) -> (Vec<ResultLine>, u64) {
    let Ok(mut file) = std::fs::File::open(path) else {
        return (Vec::new(), offset);
    };
    let mut bytes = Vec::new();
    if file.seek(SeekFrom::Start(offset)).is_err() || file.read_to_end(&mut bytes).is_err() {
        return (Vec::new(), offset);
    }
    let Some(end) = bytes.iter().rposition(|&byte| byte == b'\n') else {
        return (Vec::new(), offset);
    };
    let lines = bytes[..end]
        .split(|&byte| byte == b'\n')
        .filter_map(|line| serde_json::from_slice(line).ok())
        .collect();
    (lines, offset + end as u64 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_every_unit_once_in_order() {
        assert_eq!(
            chunks(12, 5),
            vec![vec![0, 1, 2, 3, 4], vec![5, 6, 7, 8, 9], vec![10, 11]]
        );
        assert_eq!(chunks(3, 0), vec![vec![0], vec![1], vec![2]]);
        assert!(chunks(0, 4).is_empty());
        assert_eq!(default_per_task(10), 1);
        assert_eq!(default_per_task(10_000), 100);
        assert_eq!(default_per_task(10_001), 101);
    }

    #[test]
    fn torn_lines_are_skipped_and_incomplete_ones_wait() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("task-0.jsonl");
        let line = |unit| ResultLine {
            unit,
            result: None,
            error: Some(format!("unit {unit}")),
            took: 0.5,
        };
        append(&path, &line(0)).unwrap();
        // A task killed in the middle of a line, then started again.
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"{\"unit\":1,\"res")
            .unwrap();
        let (read, offset) = read_from(&path, 0);
        assert_eq!(read.iter().map(|l| l.unit).collect::<Vec<_>>(), vec![0]);
        append(&path, &line(1)).unwrap();
        let (read, next) = read_from(&path, offset);
        assert_eq!(read.iter().map(|l| l.unit).collect::<Vec<_>>(), vec![1]);
        assert_eq!(next, std::fs::metadata(&path).unwrap().len());
        assert!(read_from(&path, next).0.is_empty());
    }
}
