//! Artifacts a stage writes itself, at a path it asked for (`ctx.artifact_path(file)`) or through
//! a writer (`ctx.artifact_writer(file)`): written in place in the unit's directory of the
//! version being written, and committed only when the stage returns successfully, recorded with
//! their size and content hash like any artifact. A path's file is hashed then (in constant
//! memory, see [`crate::store::hashing`]); a writer's was hashed as it was written, and is hashed
//! again only if it is not exactly what the writer wrote (see [`crate::store::hashing_file`]).
//! A stage that fails or panics leaves them uncommitted, and they are deleted: no half-written
//! file is ever journaled, so no later resume or consumer can trust one.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::key::signature::CodeHash;
use crate::store::files::{self, FileStamp, Kind};
use crate::store::hashing_file::Finished;
use crate::unit::writer::{ArtifactWriter, Slot};

/// A path (or writer) handed out and not committed yet.
struct Entry {
    stage: Arc<str>,
    file: String,
    path: PathBuf,
    /// What the writer shares, for a file written through [`ArtifactWriter`].
    writer: Option<Arc<Slot>>,
}

impl Entry {
    /// Closes its writer, if any, and deletes its file.
    fn drop_file(&self) -> Option<io::Error> {
        let failure = self.writer.as_ref().and_then(|slot| slot.discard());
        remove(&self.path);
        failure
    }
}

/// A committed artifact: its content as found when its stage returned.
pub(crate) struct Committed {
    /// The stage that wrote it.
    pub stage: Arc<str>,
    /// Its file name.
    pub file: String,
    /// Where it is.
    pub path: PathBuf,
    /// blake3 of its content.
    pub hash: CodeHash,
    /// Its size in bytes.
    pub size: u64,
    /// Its modification time and inode.
    pub stamp: FileStamp,
}

/// The paths a unit's stages asked for and have not committed yet, and (standalone contexts) the
/// temporary directory they are in.
#[derive(Default)]
pub(crate) struct Pending {
    entries: Vec<Entry>,
    scratch: Option<Scratch>,
    /// The first write through a writer that failed, with its file (the context reports a
    /// failure of the storage).
    failure: Option<(PathBuf, io::Error)>,
}

/// A temporary directory deleted with its context (standalone contexts have no unit directory).
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Pending {
    /// The stage that took the path of `file`, if one is pending.
    pub(crate) fn stage_of(&self, file: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|entry| entry.file == file)
            .map(|entry| &*entry.stage)
    }

    /// Whether `stage` took a path already (its directory exists then).
    pub(crate) fn has_stage(&self, stage: &str) -> bool {
        self.entries.iter().any(|entry| &*entry.stage == stage)
    }

    /// The temporary directory of a standalone context, created on first use.
    pub(crate) fn scratch_dir(&mut self) -> io::Result<PathBuf> {
        if let Some(scratch) = &self.scratch {
            return Ok(scratch.0.clone());
        }
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir().join(format!(
            "crystallize-standalone-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir)?;
        self.scratch = Some(Scratch(dir.clone()));
        Ok(dir)
    }

    /// Hands out `path` for `file` of `stage`: whatever a killed earlier run left there (a file
    /// or a link, never followed) is removed first, so the stage starts from nothing.
    pub(crate) fn hand_out(
        &mut self,
        stage: Arc<str>,
        file: &str,
        path: PathBuf,
    ) -> Result<PathBuf, io::Error> {
        clear(&path)?;
        self.entries.push(Entry {
            stage,
            file: file.to_string(),
            path: path.clone(),
            writer: None,
        });
        Ok(path)
    }

    /// Hands out a writer of `file` of `stage`, creating a new file at `path` (after removing
    /// what a killed earlier run left there, as [`Pending::hand_out`] does).
    pub(crate) fn hand_out_writer(
        &mut self,
        stage: Arc<str>,
        file: &str,
        path: PathBuf,
    ) -> Result<ArtifactWriter, io::Error> {
        clear(&path)?;
        let (writer, slot) = ArtifactWriter::create(stage.clone(), file, &path)?;
        self.entries.push(Entry {
            stage,
            file: file.to_string(),
            path,
            writer: Some(slot),
        });
        Ok(writer)
    }

    /// The first write through a writer that failed, with its file, once.
    pub(crate) fn take_failure(&mut self) -> Option<(PathBuf, io::Error)> {
        self.failure.take()
    }

    /// Keeps `failure` of the writer of `entry` if it is the first.
    fn note_failure(&mut self, entry: &Entry, failure: Option<io::Error>) {
        if let Some(error) = failure
            && self.failure.is_none()
        {
            self.failure = Some((entry.path.clone(), error));
        }
    }

    /// Commits every pending path: each must now be a regular file (never a link), which is
    /// hashed (a writer's file only when it is not exactly what the writer wrote and hashed).
    /// On the first that cannot be committed, every pending file is deleted and the error says
    /// which and why.
    pub(crate) fn commit(&mut self) -> Result<Vec<Committed>, String> {
        let mut committed = Vec::with_capacity(self.entries.len());
        let entries = std::mem::take(&mut self.entries);
        for entry in &entries {
            let found = match &entry.writer {
                None => hash(&entry.path, NO_FILE_AT_PATH),
                Some(slot) => match slot.commit() {
                    Ok(Finished::Verified { hash, size, stamp }) => Ok((hash, size, stamp)),
                    Ok(Finished::Unverified) => hash(&entry.path, NO_FILE_OF_WRITER),
                    Err(uncommitted) => {
                        self.note_failure(entry, uncommitted.failure);
                        Err(uncommitted.problem)
                    }
                },
            };
            match found {
                Ok((hash, size, stamp)) => committed.push(Committed {
                    stage: entry.stage.clone(),
                    file: entry.file.clone(),
                    path: entry.path.clone(),
                    hash,
                    size,
                    stamp,
                }),
                Err(problem) => {
                    for entry in &entries {
                        let failure = entry.drop_file();
                        self.note_failure(entry, failure);
                    }
                    return Err(format!(
                        "artifact `{}` ({}): {problem}",
                        entry.file,
                        entry.path.display()
                    ));
                }
            }
        }
        Ok(committed)
    }

    /// Deletes every pending file (its stage failed or panicked).
    pub(crate) fn discard(&mut self) {
        for entry in std::mem::take(&mut self.entries) {
            let failure = entry.drop_file();
            self.note_failure(&entry, failure);
        }
    }
}

/// Removes what a killed earlier run left at `path` (a file or a link, never followed), so the
/// stage starts from nothing; a directory or anything else there is an error.
fn clear(path: &Path) -> io::Result<()> {
    match files::kind(path) {
        Kind::Missing => Ok(()),
        Kind::File | Kind::Link => std::fs::remove_file(path),
        Kind::Dir | Kind::Other => Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} exists and is not a file", path.display()),
        )),
    }
}

/// Why a path's file cannot be committed when there is none.
const NO_FILE_AT_PATH: &str =
    "the stage took its path with `ctx.artifact_path` but wrote no file there";

/// Why a writer's file cannot be committed when it is gone.
const NO_FILE_OF_WRITER: &str =
    "the file its `ctx.artifact_writer` wrote is no longer there (deleted or moved by the stage)";

/// Hashes the regular file at `path`, never through a link; `missing` says why there is none.
fn hash(path: &Path, missing: &str) -> Result<(CodeHash, u64, FileStamp), String> {
    let file = files::open_read(path).map_err(|error| {
        if error.kind() == io::ErrorKind::NotFound {
            missing.to_string()
        } else if files::is_symlink_error(&error) {
            "it is a symbolic link; write a regular file at that path".to_string()
        } else {
            format!("cannot read it: {error}")
        }
    })?;
    files::hash_open_file(file).map_err(|error| format!("cannot hash it: {error}"))
}

/// Deletes a file or link; a directory (not ours to delete) stays.
fn remove(path: &Path) {
    if matches!(files::kind(path), Kind::File | Kind::Link) {
        let _ = std::fs::remove_file(path);
    }
}
