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
    if specs.is_empty() {
        return Ok((command, Vec::new()));
    }
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
    /// Its flags, then its id (which clap also requires to be unique).
    fn names_of(arg: &clap::Arg) -> Vec<String> {
        let mut names = Vec::new();
        if let Some(long) = arg.get_long() {
            names.push(format!("`--{long}`"));
        }
        if let Some(short) = arg.get_short() {
            names.push(format!("`-{short}`"));
        }
        names.push(format!("`{}`", arg.get_id()));
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{Args, FromArgMatches, Parser};

    #[derive(Parser, Debug)]
    struct Base {
        #[arg(long, global = true)]
        seed: Option<u64>,
        #[arg(short, long, global = true, action = ArgAction::Count)]
        verbose: u8,
        #[command(subcommand)]
        command: Option<Sub>,
    }

    #[derive(clap::Subcommand, Debug)]
    enum Sub {
        Run,
        Plan {
            #[arg(long)]
            diff: bool,
        },
    }

    #[derive(Args, Clone, Debug, PartialEq)]
    struct Lab {
        #[arg(long)]
        scale: Option<f64>,
        #[arg(long)]
        dataset: String,
        #[arg(short = 'q', long)]
        quick: bool,
        #[arg(long = "tag")]
        tags: Vec<String>,
    }

    #[derive(Args, Clone, Debug)]
    struct ClashingSeed {
        #[arg(long)]
        seed: u64,
    }

    #[derive(Args, Clone, Debug)]
    struct ClashingShort {
        #[arg(short = 'v', long = "volume")]
        volume: bool,
    }

    #[derive(Args, Clone, Debug)]
    struct ClashingSubcommand {
        #[arg(long = "diff")]
        changes: bool,
    }

    #[derive(Args, Clone, Debug)]
    struct Positional {
        input: String,
    }

    fn merged(specs: &[ArgsSpec]) -> Result<(Command, Vec<String>), String> {
        use clap::CommandFactory;
        merge(Base::command(), specs)
    }

    #[test]
    fn user_arguments_parse_before_and_after_the_command_and_respell() {
        let (command, ids) = merged(&[ArgsSpec::of::<Lab>()]).unwrap();
        let matches = command
            .clone()
            .try_get_matches_from([
                "bin",
                "--scale",
                "2",
                "run",
                "--dataset=-x.csv",
                "-q",
                "--tag=a",
                "--tag",
                "b",
            ])
            .unwrap();
        let lab = Lab::from_arg_matches(&matches).unwrap();
        assert_eq!(
            lab,
            Lab {
                scale: Some(2.0),
                dataset: "-x.csv".into(),
                quick: true,
                tags: vec!["a".into(), "b".into()],
            }
        );
        let tokens = respell(&command, &matches, &ids);
        let again = command
            .clone()
            .try_get_matches_from(
                ["bin", "plan"]
                    .into_iter()
                    .map(OsString::from)
                    .chain(tokens.clone()),
            )
            .unwrap_or_else(|error| panic!("{tokens:?}: {error}"));
        assert_eq!(Lab::from_arg_matches(&again).unwrap(), lab);
        // A required argument of the type stays required, through its own parse.
        let missing = command.try_get_matches_from(["bin", "run"]).unwrap();
        assert!(Lab::from_arg_matches(&missing).is_err());
    }

    #[test]
    fn clashes_and_positional_arguments_are_refused_with_a_reason() {
        let clash = |spec: ArgsSpec| merged(&[spec]).map(|_| ()).unwrap_err();
        let seed = clash(ArgsSpec::of::<ClashingSeed>());
        assert!(
            seed.contains("`--seed`") && seed.contains("clashes with crystallize's"),
            "{seed}"
        );
        let short = clash(ArgsSpec::of::<ClashingShort>());
        assert!(short.contains("`-v`"), "{short}");
        let sub = clash(ArgsSpec::of::<ClashingSubcommand>());
        assert!(sub.contains("`--diff`"), "{sub}");
        let help = clash(ArgsSpec::of::<HelpShort>());
        assert!(help.contains("`-h`"), "{help}");
        let positional = clash(ArgsSpec::of::<Positional>());
        assert!(
            positional.contains("`input`") && positional.contains("positional"),
            "{positional}"
        );
        let twice = merged(&[ArgsSpec::of::<Lab>(), ArgsSpec::of::<Lab>()]).map(|_| ());
        assert!(twice.unwrap_err().contains("`--scale`"));
    }

    #[derive(Args, Clone, Debug)]
    struct HelpShort {
        #[arg(short = 'h', long = "height")]
        height: Option<u32>,
    }

    #[test]
    fn values_are_read_back_by_type() {
        let (command, _) = merged(&[ArgsSpec::of::<Lab>()]).unwrap();
        let matches = command
            .try_get_matches_from(["bin", "--dataset", "d.csv"])
            .unwrap();
        let parsed = (ArgsSpec::of::<Lab>().extract)(&matches).unwrap();
        assert_eq!(parsed.0, TypeId::of::<Lab>());
        assert_eq!(
            parsed
                .1
                .downcast_ref::<Lab>()
                .map(|lab| lab.dataset.as_str()),
            Some("d.csv")
        );
    }
}
