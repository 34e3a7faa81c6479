//! The per-experiment lock: `<root>/<experiment>/.lock`, held (with `File::lock`) while a run
//! writes the experiment's directory, so concurrent runs never interleave.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io;
use std::path::Path;

use super::files;
use super::layout::LOCK;

/// An exclusive lock on one experiment's directory; released when dropped.
#[derive(Debug)]
pub(crate) struct ExperimentLock {
    _file: File,
}

/// What to do when another process holds the lock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WaitPolicy {
    /// Wait for it, after calling the notice callback once.
    Wait,
    /// Fail at once.
    NoWait,
}

/// Error when the lock is held and the policy is [`WaitPolicy::NoWait`].
#[derive(Debug)]
pub(crate) enum LockError {
    /// Another run holds the lock.
    Busy,
    /// The lock file is a symbolic link (never followed: it could point outside the data
    /// directory).
    Link,
    /// The lock file could not be opened or locked.
    Io(io::Error),
}

impl ExperimentLock {
    /// Locks `experiment_dir` exclusively, for a run that writes it (the directory is created if
    /// missing). `on_wait` runs once if another process holds the lock and the policy is to wait.
    pub(crate) fn acquire(
        experiment_dir: &Path,
        policy: WaitPolicy,
        on_wait: impl FnOnce(),
    ) -> Result<ExperimentLock, LockError> {
        let mut options = OpenOptions::new();
        options.create(true).truncate(false).write(true);
        files::no_follow(&mut options);
        let path = experiment_dir.join(LOCK);
        // The directory exists on every run but the first: it is made only when the lock file
        // cannot be created for want of it.
        let file = match options.open(&path) {
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                fs::create_dir_all(experiment_dir).map_err(LockError::Io)?;
                options.open(&path)
            }
            opened => opened,
        }
        .map_err(opening)?;
        lock_with(file, policy, on_wait, false)
    }

    /// Locks `experiment_dir` shared, for reading only (`plan`); writes nothing. `None` when the
    /// experiment has never run (there is nothing to read).
    pub(crate) fn acquire_shared(
        experiment_dir: &Path,
        policy: WaitPolicy,
        on_wait: impl FnOnce(),
    ) -> Result<Option<ExperimentLock>, LockError> {
        match files::open_read(&experiment_dir.join(LOCK)) {
            Ok(file) => lock_with(file, policy, on_wait, true).map(Some),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(opening(error)),
        }
    }
}

fn opening(error: io::Error) -> LockError {
    if files::is_symlink_error(&error) {
        LockError::Link
    } else {
        LockError::Io(error)
    }
}

fn lock_with(
    file: File,
    policy: WaitPolicy,
    on_wait: impl FnOnce(),
    shared: bool,
) -> Result<ExperimentLock, LockError> {
    let attempt = if shared {
        file.try_lock_shared()
    } else {
        file.try_lock()
    };
    match attempt {
        Ok(()) => Ok(ExperimentLock { _file: file }),
        Err(TryLockError::WouldBlock) => match policy {
            WaitPolicy::NoWait => Err(LockError::Busy),
            WaitPolicy::Wait => {
                on_wait();
                let locked = if shared {
                    file.lock_shared()
                } else {
                    file.lock()
                };
                locked.map_err(LockError::Io)?;
                Ok(ExperimentLock { _file: file })
            }
        },
        Err(TryLockError::Error(error)) => Err(LockError::Io(error)),
    }
}
