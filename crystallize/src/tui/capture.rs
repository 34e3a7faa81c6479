//! While the screen is up, what the process writes to its standard output and error (a step's
//! `println!`, the `-v` log, a notice) goes to the log pane instead of over the screen: both
//! are pointed at a pipe that a thread reads line by line, and the screen draws on a duplicate
//! of the terminal's descriptor. Unix only; elsewhere nothing is captured.

#[cfg(unix)]
mod unix {
    use std::fs::File;
    use std::io::{self, BufRead, BufReader, Write};
    use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
    use std::sync::Mutex;

    /// The standard output and error as they were before the capture, while it lasts.
    static SAVED: Mutex<Option<(OwnedFd, OwnedFd)>> = Mutex::new(None);

    /// Points descriptor `to` at what `from` refers to.
    #[allow(unsafe_code)]
    fn redirect(from: BorrowedFd<'_>, to: RawFd) -> io::Result<()> {
        // SAFETY: dup2 takes two descriptor numbers and touches no memory; `from` is open for
        // the duration of the call, and `to` is one of the standard descriptors, which the
        // process keeps open.
        if unsafe { libc::dup2(from.as_raw_fd(), to) } < 0 {
            Err(io::Error::last_os_error())
        } else {
            Ok(())
        }
    }

    /// A duplicate of the standard output as it is now (the terminal), to draw on.
    pub(crate) fn terminal() -> io::Result<File> {
        Ok(File::from(io::stdout().as_fd().try_clone_to_owned()?))
    }

    /// Sends every line written to the standard output and error to `line` until [`stop`].
    pub(crate) fn start(line: impl Fn(String) + Send + 'static) -> io::Result<()> {
        let _ = io::stdout().flush();
        let _ = io::stderr().flush();
        let out = io::stdout().as_fd().try_clone_to_owned()?;
        let err = io::stderr().as_fd().try_clone_to_owned()?;
        let (reader, writer) = io::pipe()?;
        redirect(writer.as_fd(), libc::STDOUT_FILENO)?;
        if let Err(error) = redirect(writer.as_fd(), libc::STDERR_FILENO) {
            let _ = redirect(out.as_fd(), libc::STDOUT_FILENO);
            return Err(error);
        }
        drop(writer);
        *SAVED
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some((out, err));
        std::thread::Builder::new()
            .name("crystallize-tui-output".into())
            .spawn(move || {
                // Ends when the last writer closes: after `stop`, once no child holds it.
                for text in BufReader::new(reader).lines().map_while(Result::ok) {
                    line(text);
                }
            })?;
        Ok(())
    }

    /// Gives the standard output and error back to what they were (the terminal). Safe to call
    /// when nothing is captured, and from a panic hook (it never waits for a lock).
    pub(crate) fn stop() {
        let _ = io::stdout().flush();
        let Ok(mut saved) = SAVED.try_lock() else {
            return;
        };
        if let Some((out, err)) = saved.take() {
            let _ = redirect(out.as_fd(), libc::STDOUT_FILENO);
            let _ = redirect(err.as_fd(), libc::STDERR_FILENO);
        }
    }
}

#[cfg(unix)]
pub(crate) use unix::{start, stop, terminal};

/// What the screen draws on.
#[cfg(unix)]
pub(crate) type Out = std::fs::File;

/// What the screen draws on.
#[cfg(not(unix))]
pub(crate) type Out = std::io::Stdout;

/// The standard output, to draw on (nothing is captured on this platform).
#[cfg(not(unix))]
pub(crate) fn terminal() -> std::io::Result<std::io::Stdout> {
    Ok(std::io::stdout())
}

/// Nothing is captured on this platform.
#[cfg(not(unix))]
pub(crate) fn start(_line: impl Fn(String) + Send + 'static) -> std::io::Result<()> {
    Ok(())
}

/// Nothing is captured on this platform.
#[cfg(not(unix))]
pub(crate) fn stop() {}
