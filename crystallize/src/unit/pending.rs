//! Artifacts a stage writes itself, at a path it asked for (`ctx.artifact_path(file)`): written
//! in place in the unit's directory of the version being written, and committed only when the
//! stage returns successfully — hashed then (in constant memory, see [`crate::store::hashing`])
//! and recorded with their size like any artifact. A stage that fails or panics leaves them
//! uncommitted, and they are deleted: no half-written file is ever journaled, so no later resume
//! or consumer can trust one.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::key::signature::CodeHash;
use crate::store::files::{self, FileStamp, Kind};

/// A path handed out and not committed yet.
struct Entry {
    stage: Arc<str>,
    file: String,
    path: PathBuf,
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
        match files::kind(&path) {
            Kind::Missing => {}
            Kind::File | Kind::Link => std::fs::remove_file(&path)?,
            Kind::Dir | Kind::Other => {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!("{} exists and is not a file", path.display()),
                ));
            }
        }
        self.entries.push(Entry {
            stage,
            file: file.to_string(),
            path: path.clone(),
        });
        Ok(path)
    }

    /// Commits every pending path: each must now be a regular file (never a link), which is
    /// hashed. On the first that is not, every pending file is deleted and the error says which
    /// and why.
    pub(crate) fn commit(&mut self) -> Result<Vec<Committed>, String> {
        let mut committed = Vec::with_capacity(self.entries.len());
        let entries = std::mem::take(&mut self.entries);
        for (index, entry) in entries.iter().enumerate() {
            match hash(&entry.path) {
                Ok((hash, size, stamp)) => committed.push(Committed {
                    stage: entry.stage.clone(),
                    file: entry.file.clone(),
                    path: entry.path.clone(),
                    hash,
                    size,
                    stamp,
                }),
                Err(problem) => {
                    for entry in &entries[index..] {
                        remove(&entry.path);
                    }
                    for done in &committed {
                        remove(&done.path);
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
        for entry in self.entries.drain(..) {
            remove(&entry.path);
        }
    }
}

/// Hashes the regular file at `path`, never through a link.
fn hash(path: &Path) -> Result<(CodeHash, u64, FileStamp), String> {
    let file = files::open_read(path).map_err(|error| {
        if error.kind() == io::ErrorKind::NotFound {
            "the stage took its path with `ctx.artifact_path` but wrote no file there".to_string()
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
