//! The common command line parsed without copying every global option into every subcommand.
//!
//! Clap gives each of the 13 subcommands its own copy of the 31 global options before it parses
//! anything: several hundred kilobytes of heap, a good part of what starting a binary costs
//! (a resume of a small experiment takes a few milliseconds). Here the options stay on the top
//! level, and only the subcommand used is given its copy, when clap builds it. This parse
//! gives exactly what the full one gives whenever it succeeds with every option written on one
//! side of the subcommand (`run e1 --strategy resume`, or `--json` with no subcommand); for
//! anything else (options on both sides, help, version, a usage error, completions) it answers
//! `None` and the caller parses with the full definition, whose answers and messages stay the
//! only ones a user sees.

use std::ffi::OsString;

use clap::parser::ValueSource;
use clap::{ArgMatches, Args, CommandFactory, FromArgMatches};

use super::{Cli, Command, GlobalArgs};

/// Parses `args` (program name first) when the common case allows; `None` otherwise.
pub(super) fn parse(args: &[OsString]) -> Option<Cli> {
    let command = Cli::command()
        .mut_args(|arg| arg.global(false))
        .mut_subcommands(|subcommand| subcommand.defer(with_global_options));
    let matches = command.try_get_matches_from(args).ok()?;
    let mut cli = Cli::from_arg_matches(&matches).ok()?;
    match (&cli.command, matches.subcommand()) {
        (None, None) => {}
        // Completions describe the whole command line: the full definition writes them.
        (Some(Command::Completions { .. }), _) => return None,
        (Some(_), Some((_, subcommand))) => {
            // An option before the subcommand and one after are merged by the full parse.
            if given_on_command_line(&matches) {
                return None;
            }
            cli.global = GlobalArgs::from_arg_matches(subcommand).ok()?;
        }
        _ => return None,
    }
    Some(cli)
}

/// The global options added to the subcommand clap builds (those it has no own argument of the
/// same id for, as clap's propagation of global options does).
fn with_global_options(mut subcommand: clap::Command) -> clap::Command {
    let options = GlobalArgs::augment_args(clap::Command::new("global options"));
    for option in options.get_arguments() {
        if subcommand
            .get_arguments()
            .all(|own| own.get_id() != option.get_id())
        {
            subcommand = subcommand.arg(option.clone().global(false));
        }
    }
    subcommand
}

/// Whether any option was written on the command line at this level.
fn given_on_command_line(matches: &ArgMatches) -> bool {
    matches
        .ids()
        .any(|id| matches.value_source(id.as_str()) == Some(ValueSource::CommandLine))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn full(args: &[&str]) -> Cli {
        Cli::try_parse_from(args).expect("the full definition parses it")
    }

    fn fast(args: &[&str]) -> Option<Cli> {
        parse(&args.iter().map(OsString::from).collect::<Vec<_>>())
    }

    /// Both parses, compared by their debug text (every field, the subcommand's included).
    fn same(args: &[&str]) {
        let fast = fast(args).unwrap_or_else(|| panic!("{args:?} took the full parse"));
        assert_eq!(format!("{fast:?}"), format!("{:?}", full(args)), "{args:?}");
    }

    #[test]
    fn options_on_one_side_of_the_subcommand_parse_as_the_full_definition_does() {
        same(&["bin"]);
        same(&[
            "bin",
            "--json",
            "-vv",
            "--strategy",
            "resume",
            "--replicates",
            "3",
        ]);
        same(&["bin", "run"]);
        same(&["bin", "run", "e1", "e2", "--strategy", "rerun", "-j", "2"]);
        same(&[
            "bin",
            "run",
            "--replicates",
            "e1=4",
            "--replicates",
            "2",
            "--treatment",
            "double",
            "--no-cache",
            "scale",
            "--data-dir",
            "elsewhere",
            "--color",
            "never",
            "--partition",
            "debug",
            "--slurm-arg=--account=lab",
            "e1",
        ]);
        same(&["bin", "plan", "--explain", "e1/baseline/0", "--diff", "-q"]);
        same(&["bin", "export", "e1", "--version", "3", "--format", "jsonl"]);
        same(&["bin", "gc", "--keep", "2", "--dry-run", "e1"]);
        same(&["bin", "show", "e1", "--diff", "--no-wait"]);
        same(&[
            "bin",
            "__units",
            "--manifest",
            "m.json",
            "--task",
            "3",
            "--no-sync",
        ]);
    }

    #[test]
    fn everything_else_is_left_to_the_full_definition() {
        for args in [
            // Options on both sides of the subcommand.
            &["bin", "--json", "run", "e1"][..],
            &["bin", "-v", "run", "-v"],
            // Help, version and usage errors: the full definition's messages.
            &["bin", "--help"],
            &["bin", "run", "--help"],
            &["bin", "--version"],
            &["bin", "run", "--strategy", "sometimes"],
            &["bin", "rnu"],
            &["bin", "completions", "bash"],
        ] {
            assert!(
                fast(args).is_none(),
                "{args:?} parsed without the full definition"
            );
        }
    }
}
