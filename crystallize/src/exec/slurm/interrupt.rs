//! Ctrl-C (SIGINT) on the coordinator is noted, and the coordinator stops at its next poll:
//! with `--cancel-on-exit` it cancels the run's jobs; without, it asks on a terminal whether to
//! cancel them, and elsewhere leaves them running for a later resume. An array task notes
//! SIGTERM, which the scheduler sends when it ends the task (a node failure, `scancel`, a time
//! limit), so that the unit it interrupts leaves no result (see [`terminated`]).

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

/// Whether the run's jobs `ids` are to be cancelled after Ctrl-C without `--cancel-on-exit`:
/// the answer to a question on the terminal (no by default); no without a terminal.
pub(crate) fn confirm(ids: &[String]) -> bool {
    use std::io::{BufRead, IsTerminal, Write};
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return false;
    }
    eprint!(
        "\ninterrupted: cancel the run's jobs {}? [y/N] ",
        ids.join(",")
    );
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        return false;
    }
    matches!(answer.trim(), "y" | "Y" | "yes" | "Yes" | "YES")
}

/// Set by the SIGTERM handler of an array task.
static TERMINATED: AtomicBool = AtomicBool::new(false);

#[cfg(unix)]
extern "C" fn on_terminate(_: libc::c_int) {
    // Only an atomic store: async-signal-safe.
    TERMINATED.store(true, Ordering::SeqCst);
}

/// From now on, SIGTERM is noted (see [`terminated`]) instead of ending the process; the
/// scheduler kills the task with SIGKILL if it does not end soon after.
pub(crate) fn catch_terminate() {
    #[cfg(unix)]
    #[allow(unsafe_code)]
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        libc::signal(
            libc::SIGTERM,
            on_terminate as extern "C" fn(libc::c_int) as libc::sighandler_t,
        );
    }
}

/// Whether SIGTERM arrived since [`catch_terminate`]: the scheduler is ending the task, and
/// what its unit's process gave since is no result of the unit's own.
pub(crate) fn terminated() -> bool {
    TERMINATED.load(Ordering::SeqCst)
}
