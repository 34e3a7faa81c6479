//! The per-experiment lock: `<root>/<experiment>/.lock`, held (with `File::lock`) while a run
//! writes the experiment's directory, so concurrent runs never interleave.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io;
use std::path::Path;

use super::layout::LOCK;

/// An exclusive lock on one experiment's directory; released when dropped.
#[derive(Debug)]
pub struct ExperimentLock {
    _file: File,
}

/// What to do when another process holds the lock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitPolicy {
    /// Wait for it, after calling the notice callback once.
    Wait,
    /// Fail at once.
    NoWait,
}

/// Error when the lock is held and the policy is [`WaitPolicy::NoWait`].
#[derive(Debug)]
pub enum LockError {
    /// Another run holds the lock.
    Busy,
    /// The lock file could not be opened or locked.
    Io(io::Error),
}

impl ExperimentLock {
    /// Locks `experiment_dir` (created if missing). `on_wait` runs once if another process holds
    /// the lock and the policy is to wait.
    pub fn acquire(
        experiment_dir: &Path,
        policy: WaitPolicy,
        on_wait: impl FnOnce(),
    ) -> Result<ExperimentLock, LockError> {
        fs::create_dir_all(experiment_dir).map_err(LockError::Io)?;
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(experiment_dir.join(LOCK))
            .map_err(LockError::Io)?;
        match file.try_lock() {
            Ok(()) => Ok(ExperimentLock { _file: file }),
            Err(TryLockError::WouldBlock) => match policy {
                WaitPolicy::NoWait => Err(LockError::Busy),
                WaitPolicy::Wait => {
                    on_wait();
                    file.lock().map_err(LockError::Io)?;
                    Ok(ExperimentLock { _file: file })
                }
            },
            Err(TryLockError::Error(error)) => Err(LockError::Io(error)),
        }
    }
}
