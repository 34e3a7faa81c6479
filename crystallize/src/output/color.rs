//! Colour on stderr (`--color auto|always|never`): the log's warnings and errors, the progress
//! bars' experiment names and the lines of failed units. `auto` colours only when stderr is a
//! terminal and `NO_COLOR` is unset (or empty); `never` writes no colour escape code at all.

use std::ffi::OsStr;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

/// When to colour what is written to stderr.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ColorChoice {
    /// When stderr is a terminal and `NO_COLOR` is unset
    #[default]
    Auto,
    /// Always, even into a pipe or a file
    Always,
    /// Never
    Never,
}

impl ColorChoice {
    /// Whether to colour a stream that `is_terminal`, with `NO_COLOR` set to `no_color`.
    pub(crate) fn resolve(self, is_terminal: bool, no_color: Option<&OsStr>) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_terminal && no_color.is_none_or(OsStr::is_empty),
        }
    }
}

/// Whether stderr is coloured (set once per command by [`set_stderr`]).
static STDERR: AtomicBool = AtomicBool::new(false);

/// Decides, for this process's stderr, whether to colour it.
pub(crate) fn set_stderr(choice: ColorChoice) {
    let enabled = choice.resolve(
        std::io::stderr().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    );
    STDERR.store(enabled, Ordering::Relaxed);
}

/// Whether stderr is coloured.
pub(crate) fn stderr() -> bool {
    STDERR.load(Ordering::Relaxed)
}

/// A colour or an emphasis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Paint {
    /// Bold: names.
    Bold,
    /// Red: failures and errors.
    Red,
    /// Yellow: warnings.
    Yellow,
}

impl Paint {
    /// The escape code that starts it.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Paint::Bold => "\x1b[1m",
            Paint::Red => "\x1b[31m",
            Paint::Yellow => "\x1b[33m",
        }
    }
}

/// The escape code that ends any [`Paint`].
pub(crate) const RESET: &str = "\x1b[0m";

/// `text` painted for stderr: unchanged when stderr is not coloured.
pub(crate) fn paint(text: &str, paint: Paint) -> String {
    if stderr() {
        format!("{}{text}{RESET}", paint.code())
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_colours_terminals_unless_no_color_is_set() {
        assert!(ColorChoice::Auto.resolve(true, None));
        assert!(ColorChoice::Auto.resolve(true, Some(OsStr::new(""))));
        assert!(!ColorChoice::Auto.resolve(true, Some(OsStr::new("1"))));
        assert!(!ColorChoice::Auto.resolve(false, None));
    }

    #[test]
    fn always_and_never_ignore_the_terminal_and_no_color() {
        for terminal in [true, false] {
            for no_color in [None, Some(OsStr::new("1"))] {
                assert!(ColorChoice::Always.resolve(terminal, no_color));
                assert!(!ColorChoice::Never.resolve(terminal, no_color));
            }
        }
    }
}
