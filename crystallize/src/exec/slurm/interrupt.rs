//! `--cancel-on-exit`: Ctrl-C (SIGINT) on the coordinator is noted, and the coordinator cancels
//! the run's jobs and stops at its next poll, instead of dying and leaving them queued.

use std::sync::atomic::{AtomicBool, Ordering};

/// Set by the SIGINT handler.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

#[cfg(unix)]
extern "C" fn on_interrupt(_: libc::c_int) {
    // Only an atomic store: async-signal-safe.
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// From now on, SIGINT is noted (see [`interrupted`]) instead of ending the process.
pub(crate) fn catch() {
    #[cfg(unix)]
    #[allow(unsafe_code)]
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        libc::signal(
            libc::SIGINT,
            on_interrupt as extern "C" fn(libc::c_int) as libc::sighandler_t,
        );
    }
}

/// Whether SIGINT arrived since [`catch`].
pub(crate) fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}
