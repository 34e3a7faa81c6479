//! [`ArtifactWriter`], what `ctx.artifact_writer(file)` returns: an append-only writer of an
//! artifact that hashes the bytes as they are written (see [`crate::store::hashing_file`]), so
//! committing the artifact when its stage returns does not read the file again.
//!
//! The writer and the context's pending entry share one [`Slot`]: the stage's end commits (or
//! deletes) the file through it whether the writer was finished, dropped, or is still alive
//! somewhere (moved into the stage's output, or into a thread); a write after that fails.

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::store::hashing_file::{Finished, HashingFile};

/// An artifact being written by its stage, from [`Ctx::artifact_writer`](crate::Ctx::artifact_writer):
/// a [`std::io::Write`] that hashes the bytes as it writes them, so that committing the artifact
/// costs no second read of the file.
///
/// Writes are buffered (up to 8 MiB; a write that large by itself goes straight to the file)
/// and hashed on another core while they are written. The writer is append-only: it has no
/// `Seek`, and the file must not be written through any other handle (when it was, the commit
/// notices it and hashes the file as it is, which costs the read the writer saves).
///
/// The artifact is committed when its stage returns `Ok`, whether the writer was
/// [finished](ArtifactWriter::finish), dropped, or is still held: whatever is buffered is written
/// then. It is deleted when the stage fails or panics. A write after the stage has returned
/// fails with an error saying so (the committed file is never changed). Dropping the writer
/// writes what is buffered (its errors are reported when the stage returns); call
/// [`finish`](ArtifactWriter::finish) to see them at once.
pub struct ArtifactWriter {
    slot: Arc<Slot>,
    path: PathBuf,
}

/// What a writer shares with the pending entry of its context.
pub(crate) struct Slot {
    /// The artifact's file name.
    file: String,
    /// The stage that took the writer.
    stage: Arc<str>,
    inner: Mutex<Inner>,
}

/// The writer's state behind its lock.
struct Inner {
    state: State,
    /// The first write that failed: the stage cannot commit the file then.
    failure: Option<io::Error>,
}

/// Where a writer is in its life.
enum State {
    /// Being written by its stage.
    Open(Box<HashingFile>),
    /// Committed when its stage returned.
    Committed,
    /// Deleted when its stage failed (or panicked, or could not commit).
    Discarded,
}

impl ArtifactWriter {
    /// Creates the file at `path` (which must not exist) for artifact `file` of `stage`; the
    /// slot is what the context keeps to commit it.
    pub(crate) fn create(
        stage: Arc<str>,
        file: &str,
        path: &Path,
    ) -> io::Result<(ArtifactWriter, Arc<Slot>)> {
        let slot = Arc::new(Slot {
            file: file.to_string(),
            stage,
            inner: Mutex::new(Inner {
                state: State::Open(Box::new(HashingFile::create(path)?)),
                failure: None,
            }),
        });
        let writer = ArtifactWriter {
            slot: slot.clone(),
            path: path.to_path_buf(),
        };
        Ok((writer, slot))
    }

    /// Where the artifact is written (`replicate_<r>/<condition>/<stage>/<file>` under the
    /// version directory). Read it, but do not write it other than through this writer.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes what is buffered to the file and returns the artifact's size in bytes. The
    /// artifact is committed when its stage returns (calling this is optional: a dropped writer
    /// is committed too).
    pub fn finish(self) -> io::Result<u64> {
        self.slot.with_open(|file| {
            file.flush()?;
            Ok(file.len())
        })
    }
}

impl Write for ArtifactWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.slot.with_open(|file| file.write(bytes))?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.slot.with_open(HashingFile::flush)
    }
}

impl Drop for ArtifactWriter {
    /// Writes what is buffered (a failure is kept and fails the stage when it returns).
    fn drop(&mut self) {
        let mut inner = self.slot.lock();
        if let State::Open(file) = &mut inner.state
            && let Err(error) = file.flush()
        {
            inner.failure.get_or_insert(error);
        }
    }
}

impl fmt::Debug for ArtifactWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArtifactWriter")
            .field("file", &self.slot.file)
            .field("stage", &self.slot.stage)
            .field("path", &self.path)
            .finish()
    }
}

impl Slot {
    /// The state, also after a panic while it was held (a write that panicked half-way counts
    /// as a failed write).
    fn lock(&self) -> MutexGuard<'_, Inner> {
        match self.inner.lock() {
            Ok(inner) => inner,
            Err(poisoned) => {
                let mut inner = poisoned.into_inner();
                inner
                    .failure
                    .get_or_insert_with(|| io::Error::other("a write to it panicked"));
                inner
            }
        }
    }

    /// Runs `write` on the open file; a failure is kept (it fails the stage), and a writer
    /// whose stage has ended gets an error saying so.
    fn with_open<T>(&self, write: impl FnOnce(&mut HashingFile) -> io::Result<T>) -> io::Result<T> {
        let mut inner = self.lock();
        let inner = &mut *inner;
        match &mut inner.state {
            State::Open(file) => write(file.as_mut()).inspect_err(|error| {
                if inner.failure.is_none() {
                    inner.failure = Some(copy(error));
                }
            }),
            State::Committed => Err(io::Error::other(format!(
                "artifact `{}` was committed when stage `{}` returned: its writer cannot write after its stage has ended",
                self.file, self.stage
            ))),
            State::Discarded => Err(io::Error::other(format!(
                "artifact `{}` was deleted when stage `{}` failed: its writer cannot write after its stage has ended",
                self.file, self.stage
            ))),
        }
    }

    /// Commits the file (its stage returned `Ok`): writes what is buffered, closes the file, and
    /// says whether the hash describes what is at its path. An error is the first failed write.
    pub(crate) fn commit(&self) -> io::Result<Finished> {
        let mut inner = self.lock();
        let state = std::mem::replace(&mut inner.state, State::Committed);
        if let Some(error) = inner.failure.take() {
            return Err(error);
        }
        match state {
            State::Open(file) => file.finish(),
            // Not reached (a slot is committed once); the file is hashed from its path then.
            State::Committed | State::Discarded => Ok(Finished::Unverified),
        }
    }

    /// Closes the file without committing it (its stage failed, or the file cannot be
    /// committed); returns the first failed write, if any.
    pub(crate) fn discard(&self) -> Option<io::Error> {
        let mut inner = self.lock();
        inner.state = State::Discarded;
        inner.failure.take()
    }
}

/// A copy of `error` (the OS error code, or the kind and message).
fn copy(error: &io::Error) -> io::Error {
    match error.raw_os_error() {
        Some(code) => io::Error::from_raw_os_error(code),
        None => io::Error::new(error.kind(), error.to_string()),
    }
}
