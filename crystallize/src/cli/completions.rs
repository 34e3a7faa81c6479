//! `completions bash|zsh|fish|elvish|powershell`: the shell completion script of this binary,
//! named as it was started (the file name of `argv[0]`), for its commands and flags.

use std::ffi::OsStr;
use std::path::Path;

use clap::CommandFactory;
use clap_complete::Shell;

use super::{Cli, print_stdout};

/// The name the script completes: the file name of `argv0`, or `crystallize` without one.
pub(crate) fn binary_name(argv0: Option<&OsStr>) -> String {
    argv0
        .and_then(|arg| Path::new(arg).file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "crystallize".to_string())
}

/// The completion script of the command line for `shell`, completing `binary`.
pub(crate) fn script(shell: Shell, binary: &str) -> String {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, binary, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// Prints the script and returns the exit code.
pub(crate) fn completions(shell: Shell, binary: &str) -> i32 {
    print_stdout(&script(shell, binary))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_binary_is_named_by_the_file_name_it_was_started_as() {
        assert_eq!(
            binary_name(Some(OsStr::new("/opt/bin/my-study"))),
            "my-study"
        );
        assert_eq!(binary_name(Some(OsStr::new("study"))), "study");
        assert_eq!(binary_name(None), "crystallize");
    }

    #[test]
    fn every_shell_gets_a_script_for_the_binary_with_its_commands() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
            let text = script(shell, "my-study");
            assert!(text.contains("my-study"), "{shell}:\n{text}");
            for command in ["run", "plan", "export", "completions"] {
                assert!(text.contains(command), "{shell}: no `{command}`");
            }
        }
    }
}
