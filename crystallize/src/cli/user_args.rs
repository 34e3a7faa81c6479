//! The binary's own command-line arguments, added with `App::args::<T>()`: merged into
//! crystallize's command line (accepted before or after the command), parsed with it, and
//! readable anywhere through [`user_args`].

use std::any::{Any, TypeId};
use std::ffi::OsString;
use std::sync::{Arc, RwLock};

use clap::{ArgAction, ArgMatches, Command};

/// One arguments type a binary declared.
pub(crate) struct ArgsSpec {
    /// Its name, for messages.
    pub(crate) type_name: &'static str,
    /// Adds its arguments to a command.
    pub(crate) augment: fn(Command) -> Command,
    /// Reads its value from the parsed command line.
    pub(crate) extract: fn(&ArgMatches) -> Result<Parsed, clap::Error>,
}

/// A parsed arguments value, by its type.
pub(crate) type Parsed = (TypeId, Arc<dyn Any + Send + Sync>);

impl ArgsSpec {
    /// The spec of `T`.
    pub(crate) fn of<T>() -> ArgsSpec
    where
        T: clap::Args + Clone + Send + Sync + 'static,
    {
        ArgsSpec {
            type_name: std::any::type_name::<T>(),
            augment: T::augment_args,
            extract: |matches| {
                let value = T::from_arg_matches(matches)?;
                Ok((TypeId::of::<T>(), Arc::new(value)))
            },
        }
    }
}

/// The values parsed by the last command line of this process, and the arguments that gave
/// them (for the child processes of `--executor process`).
static PARSED: RwLock<Option<(Vec<Parsed>, Vec<OsString>)>> = RwLock::new(None);

/// The value of the arguments type `T` the binary declared with `App::args::<T>()`, as parsed
/// from the command line; `None` when it declared no such type, or before the command line is
/// parsed (in a unit test calling an experiment function, for instance).
///
/// Read it in an experiment definition. An argument that changes results must reach the
/// experiment's params (`.param("scale", args.scale)`): params are part of every unit's key, so
/// `resume` reruns what the new value changes. An argument read only inside a step, past the
/// params, is invisible to the key, and `resume` would load results computed with another value.
pub fn user_args<T: Clone + 'static>() -> Option<T> {
    let parsed = PARSED
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let (values, _) = parsed.as_ref()?;
    values
        .iter()
        .find(|(type_id, _)| *type_id == TypeId::of::<T>())
        .and_then(|(_, value)| value.downcast_ref::<T>())
        .cloned()
}

/// Keeps what one command line parsed.
pub(crate) fn store(values: Vec<Parsed>, forwarded: Vec<OsString>) {
    *PARSED
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some((values, forwarded));
}

/// The user's arguments as given on the last command line, to repeat on a child process's
/// command line.
pub(crate) fn forwarded() -> Vec<OsString> {
    PARSED
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .as_ref()
        .map(|(_, forwarded)| forwarded.clone())
        .unwrap_or_default()
}

/// Adds the arguments of `specs` to `command`, global (accepted after any subcommand) and
/// checked at parse time only by their types. Fails with a message when one is positional or
/// clashes with an argument of crystallize's (or of another declared type).
pub(crate) fn merge(
    mut command: Command,
    specs: &[ArgsSpec],
) -> Result<(Command, Vec<String>), String> {
    let mut taken = Names::default();
    let mut built = command.clone();
    built.build();
    taken.add_all(&built, "crystallize's");
    let mut ids = Vec::new();
    for spec in specs {
        let probe = (spec.augment)(Command::new("probe"));
        for arg in probe.get_arguments() {
            let id = arg.get_id().as_str().to_string();
            if arg.is_positional() {
                return Err(format!(
                    "the argument `{id}` of {} is positional; the arguments a binary adds to crystallize's command line are options: give it `#[arg(long)]`",
                    spec.type_name
                ));
            }
            taken.check(arg, spec.type_name)?;
            ids.push(id);
        }
        taken.add_all(&probe, spec.type_name);
        command = (spec.augment)(command);
    }
    for id in &ids {
        // Clap refuses global arguments that are required; the type's own parse still requires
        // them (a missing one is a usage error).
        command = command.mut_arg(id, |arg| arg.global(true).required(false));
    }
    Ok((command, ids))
}

/// The names already taken: ids, long and short flags, with who took them.
#[derive(Default)]
struct Names {
    taken: Vec<(String, &'static str)>,
}

impl Names {
    fn names_of(arg: &clap::Arg) -> Vec<String> {
        let mut names = vec![format!("`{}`", arg.get_id())];
        if let Some(long) = arg.get_long() {
            names.push(format!("`--{long}`"));
        }
        if let Some(short) = arg.get_short() {
            names.push(format!("`-{short}`"));
        }
        names
    }

    /// Records every argument of `command` and its subcommands.
    fn add_all(&mut self, command: &Command, owner: &'static str) {
        for arg in command.get_arguments() {
            for name in Names::names_of(arg) {
                self.taken.push((name, owner));
            }
        }
        for sub in command.get_subcommands() {
            self.add_all(sub, owner);
        }
    }

    /// Fails when a name of `arg` is taken.
    fn check(&self, arg: &clap::Arg, owner: &'static str) -> Result<(), String> {
        for name in Names::names_of(arg) {
            if let Some((_, other)) = self.taken.iter().find(|(taken, _)| *taken == name) {
                return Err(format!(
                    "the argument {name} of {owner} clashes with {other} {name}; rename it (`#[arg(long = \"..\", id = \"..\")]`)"
                ));
            }
        }
        Ok(())
    }
}

/// The arguments `ids` as given on the command line `matches` was parsed from, spelled out
/// again (`--name=value` per value), so a child process parses the same values.
pub(crate) fn respell(command: &Command, matches: &ArgMatches, ids: &[String]) -> Vec<OsString> {
    let mut tokens = Vec::new();
    for id in ids {
        if matches.value_source(id) != Some(clap::parser::ValueSource::CommandLine) {
            continue;
        }
        let Some(arg) = command
            .get_arguments()
            .find(|arg| arg.get_id() == id.as_str())
        else {
            continue;
        };
        let flag = match (arg.get_long(), arg.get_short()) {
            (Some(long), _) => format!("--{long}"),
            (None, Some(short)) => format!("-{short}"),
            (None, None) => continue,
        };
        match arg.get_action() {
            ArgAction::SetTrue | ArgAction::SetFalse => tokens.push(OsString::from(&flag)),
            ArgAction::Count => {
                let count = matches.get_count(id);
                tokens.extend((0..count).map(|_| OsString::from(&flag)));
            }
            ArgAction::Set | ArgAction::Append => {
                if let Some(occurrences) = matches.get_raw_occurrences(id) {
                    for values in occurrences {
                        for value in values {
                            // `--name=value` and `-n=value`: a value starting with `-` stays a
                            // value.
                            let mut token = OsString::from(format!("{flag}="));
                            token.push(value);
                            tokens.push(token);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    tokens
}
