//! [`ArtifactWriter`], what `ctx.artifact_writer(file)` returns: an append-only writer of an
//! artifact that hashes the bytes as they are written (see [`crate::store::hashing_file`]), so
//! committing the artifact when its stage returns does not read the file again.
//!
//! The writer and the context's pending entry share one [`Slot`]: the stage's end commits (or
//! deletes) the file through it whether the writer was finished, dropped, or is still alive
//! somewhere (moved into the stage's output, or into a thread); a write after that fails.
//!
//! Small writes are gathered in the writer itself (up to [`STAGED_BYTES`]) without taking the
//! slot's lock, so a step writing a few bytes at a time pays about what a `BufWriter` costs; the
//! slot knows (one flag, set when the first byte is gathered) whether the writer holds bytes the
//! file has not received, and a commit that meets such a writer fails its stage rather than
//! committing a file without them.

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::store::hashing_file::{Finished, HashingFile};

/// The most bytes a writer gathers before handing them to its file (larger writes go straight
/// to it).
const STAGED_BYTES: usize = 64 << 10;

/// An artifact being written by its stage, from [`Ctx::artifact_writer`](crate::Ctx::artifact_writer):
/// a [`std::io::Write`] that hashes the bytes as it writes them, so that committing the artifact
/// costs no second read of the file.
///
/// Writes are buffered (up to 8 MiB; a write that large by itself goes straight to the file)
/// and hashed on another core while they are written; small writes cost about what they cost
/// through a `std::io::BufWriter`. The writer is append-only: it has no `Seek`, and the file must
/// not be written through any other handle (when it was, the commit notices it and hashes the
/// file as it is, which costs the read the writer saves).
///
/// The artifact is committed when its stage returns `Ok`, whether the writer was
/// [finished](ArtifactWriter::finish), dropped, or is still held: whatever it buffered is written
/// then. It is deleted when the stage fails or panics. A writer still held when its stage returns
/// must have been [flushed](Write::flush) after its last write (else the stage fails: its last
/// few bytes would be missing); a write after the stage has returned fails with an error saying
/// so, and the committed file is never changed. Dropping the writer writes what is buffered (its
/// errors are reported when the stage returns); call [`finish`](ArtifactWriter::finish) to see
/// them at once.
pub struct ArtifactWriter {
    slot: Arc<Slot>,
    path: PathBuf,
    /// Small writes, gathered here without taking the slot's lock.
    staged: Vec<u8>,
}

/// What a writer shares with the pending entry of its context.
pub(crate) struct Slot {
    /// The artifact's file name.
    file: String,
    /// The stage that took the writer.
    stage: Arc<str>,
    inner: Mutex<Inner>,
    /// Set when the stage has ended (committed or deleted): the writer writes no more.
    ended: AtomicBool,
    /// Set while the writer holds gathered bytes its file has not received.
    staging: AtomicBool,
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

/// Why a writer's file cannot be committed.
pub(crate) struct Uncommitted {
    /// What to tell the user.
    pub problem: String,
    /// The failed write, if that is why.
    pub failure: Option<io::Error>,
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
            ended: AtomicBool::new(false),
            staging: AtomicBool::new(false),
        });
        let writer = ArtifactWriter {
            slot: slot.clone(),
            path: path.to_path_buf(),
            staged: Vec::new(),
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
    pub fn finish(mut self) -> io::Result<u64> {
        self.hand_over(&[], |file| {
            file.flush()?;
            Ok(file.len())
        })
    }

    /// Hands the gathered bytes and `bytes` to the file, then runs `then` on it, under the lock.
    fn hand_over<T>(
        &mut self,
        bytes: &[u8],
        then: impl FnOnce(&mut HashingFile) -> io::Result<T>,
    ) -> io::Result<T> {
        let staged = &mut self.staged;
        let staging = &self.slot.staging;
        self.slot.with_open(|file| {
            if !staged.is_empty() {
                let written = file.write(staged);
                staged.clear();
                staging.store(false, Ordering::SeqCst);
                written?;
            }
            file.write(bytes)?;
            then(file)
        })
    }
}

impl Write for ArtifactWriter {
    #[inline]
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if self.slot.ended.load(Ordering::Acquire) {
            return Err(self.slot.ended_error());
        }
        if bytes.len() < STAGED_BYTES - self.staged.len() {
            if bytes.is_empty() {
                return Ok(0);
            }
            if self.staged.is_empty() {
                // Announced before the bytes are kept: a commit sees the flag, or this sees
                // that the stage has ended.
                self.slot.staging.store(true, Ordering::SeqCst);
                if self.slot.ended.load(Ordering::SeqCst) {
                    self.slot.staging.store(false, Ordering::SeqCst);
                    return Err(self.slot.ended_error());
                }
            }
            self.staged.extend_from_slice(bytes);
            return Ok(bytes.len());
        }
        self.hand_over(bytes, |_| Ok(()))?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.hand_over(&[], HashingFile::flush)
    }
}

impl Drop for ArtifactWriter {
    /// Writes what is buffered (a failure is kept and fails the stage when it returns).
    fn drop(&mut self) {
        if !self.slot.ended.load(Ordering::Acquire) {
            // A failure is kept by the slot.
            let _ = self.hand_over(&[], HashingFile::flush);
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
            State::Committed | State::Discarded => Err(self.ended_message(&inner.state)),
        }
    }

    /// The error of a write after the stage ended.
    #[cold]
    fn ended_error(&self) -> io::Error {
        let inner = self.lock();
        self.ended_message(&inner.state)
    }

    /// Why a writer in `state` cannot write.
    fn ended_message(&self, state: &State) -> io::Error {
        let (what, when) = match state {
            State::Committed => ("committed", "returned"),
            State::Discarded | State::Open(_) => ("deleted", "failed"),
        };
        io::Error::other(format!(
            "artifact `{}` was {what} when stage `{}` {when}: its writer cannot write after its stage has ended",
            self.file, self.stage
        ))
    }

    /// Commits the file (its stage returned `Ok`): writes what is buffered, closes the file, and
    /// says whether the hash describes what is at its path. An error is the first failed write,
    /// or a writer still holding bytes its file has not received.
    pub(crate) fn commit(&self) -> Result<Finished, Uncommitted> {
        let mut inner = self.lock();
        self.ended.store(true, Ordering::SeqCst);
        let state = std::mem::replace(&mut inner.state, State::Committed);
        if let Some(error) = inner.failure.take() {
            return Err(Uncommitted {
                problem: format!("a write to it failed: {error}"),
                failure: Some(error),
            });
        }
        if self.staging.load(Ordering::SeqCst) {
            return Err(Uncommitted {
                problem: format!(
                    "its writer was still held, with bytes not yet written, when stage `{}` returned; finish, flush or drop the writer before the stage returns",
                    self.stage
                ),
                failure: None,
            });
        }
        match state {
            State::Open(file) => file.finish().map_err(|error| Uncommitted {
                problem: format!("a write to it failed: {error}"),
                failure: Some(error),
            }),
            // Not reached (a slot is committed once); the file is hashed from its path then.
            State::Committed | State::Discarded => Ok(Finished::Unverified),
        }
    }

    /// Closes the file without committing it (its stage failed, or the file cannot be
    /// committed); returns the first failed write, if any.
    pub(crate) fn discard(&self) -> Option<io::Error> {
        let mut inner = self.lock();
        self.ended.store(true, Ordering::SeqCst);
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
