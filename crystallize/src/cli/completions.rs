//! `completions bash|zsh|fish|elvish|powershell`: the shell completion script of this binary,
//! named as it was started (the file name of `argv[0]`), for its commands and flags.

use clap::Command;
use clap_complete::Shell;

use super::print_stdout;

/// The completion script of `command` for `shell`, completing the binary it is named after
/// (its display name: the file name it was started as).
pub(crate) fn script(shell: Shell, command: &mut Command) -> String {
    let binary = command
        .get_display_name()
        .unwrap_or("crystallize")
        .to_string();
    let mut out = Vec::new();
    clap_complete::generate(shell, command, binary, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// Prints the script and returns the exit code.
pub(crate) fn completions(shell: Shell, command: &mut Command) -> i32 {
    print_stdout(&script(shell, command))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shell_gets_a_script_for_the_binary_with_its_commands() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
            let mut command =
                <super::super::Cli as clap::CommandFactory>::command().display_name("my-study");
            let text = script(shell, &mut command);
            assert!(text.contains("my-study"), "{shell}:\n{text}");
            for command in ["run", "plan", "export", "completions"] {
                assert!(text.contains(command), "{shell}: no `{command}`");
            }
        }
    }
}
