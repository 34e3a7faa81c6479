//! The application a binary runs: crystallize's command line plus what the binary adds with
//! `crystallize::main_with(|app| ..)` — plugins and its own arguments — and the plugins
//! registered with `#[crystallize::plugin]`.

use std::ffi::OsString;
use std::sync::Mutex;

use clap::{CommandFactory, FromArgMatches};

use super::user_args::{self, ArgsSpec};
use super::version;
use crate::decide::report::Report;
use crate::output::events::{Plugin, PluginFailure};

/// What a binary adds to crystallize's command line, in `crystallize::main_with`:
///
/// ```no_run
/// use crystallize::{App, Plugin, clap};
///
/// struct Announce;
///
/// impl Plugin for Announce {
///     fn run_finished(&self, run: &crystallize::events::RunFinished<'_>) {
///         eprintln!("done: {} unit(s) failed", run.failed_units);
///     }
/// }
///
/// #[derive(clap::Args, Clone)]
/// struct Lab {
///     /// Scale every input by this factor
///     #[arg(long, default_value_t = 1.0)]
///     scale: f64,
/// }
///
/// fn main() {
///     crystallize::main_with(|app: App| app.plugin(Announce).args::<Lab>())
/// }
/// ```
#[derive(Default)]
pub struct App {
    plugins: Vec<Box<dyn Plugin>>,
    args: Vec<ArgsSpec>,
}

impl App {
    /// Crystallize's command line, with nothing added.
    pub fn new() -> App {
        App::default()
    }

    /// Adds a plugin: it receives the events of every run of this binary (after the built-in
    /// progress, log and `--events` plugins).
    pub fn plugin(mut self, plugin: impl Plugin + 'static) -> App {
        self.plugins.push(Box::new(plugin));
        self
    }

    /// Adds the arguments of `T` (a `#[derive(clap::Args)]` struct, with `use crystallize::clap;`
    /// in scope: the derive names `clap::..`) to the command
    /// line, accepted before or after the command (`my-binary run --scale 2`); read them with
    /// [`crate::user_args`]. An argument that changes results must reach the experiment's
    /// params, where every unit's key sees it (see [`crate::user_args`]).
    ///
    /// An argument of `T` must be an option (not positional) and must not reuse a name of
    /// crystallize's own (`--seed`, `-v`, ...): the command line refuses both, exit 2.
    pub fn args<T>(mut self) -> App
    where
        T: clap::Args + Clone + Send + Sync + 'static,
    {
        self.args.push(ArgsSpec::of::<T>());
        self
    }
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("plugins", &self.plugins.len())
            .field(
                "args",
                &self
                    .args
                    .iter()
                    .map(|spec| spec.type_name)
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// Why a command line was not parsed.
pub(crate) enum ParseError {
    /// Clap's report (`--help` and `--version` too), printed as it is.
    Clap(clap::Error),
    /// The binary's own arguments cannot be merged (a clash), printed as an error.
    Usage(String),
}

impl App {
    /// Whether the binary added arguments of its own (only [`App::parse`] merges them).
    pub(crate) fn adds_args(&self) -> bool {
        !self.args.is_empty()
    }

    /// The plugins, for a command line parsed without [`App::parse`] (when the binary added no
    /// arguments of its own: it records that there are none).
    pub(crate) fn into_plugins(self) -> Plugins {
        user_args::store(Vec::new(), Vec::new());
        Plugins(Mutex::new(self.plugins))
    }

    /// Parses `args` (program name first) with the arguments this binary added, keeping the
    /// values of those (for [`crate::user_args`]), and returns crystallize's part and the
    /// plugins, and the whole command line (for completions).
    pub(crate) fn parse<C: CommandFactory + FromArgMatches>(
        self,
        args: Vec<OsString>,
    ) -> Result<(C, Plugins, clap::Command), ParseError> {
        let bin = version::bin_name(args.first().map(OsString::as_os_str));
        // Clap takes the version text as a `&'static str`: one short string per command line
        // parsed (once in a binary's life).
        let text: &'static str = Box::leak(version::version_text(&bin).into_boxed_str());
        let command = C::command().display_name(bin).version(text);
        let (mut command, ids) =
            user_args::merge(command, &self.args).map_err(ParseError::Usage)?;
        let matches = command
            .try_get_matches_from_mut(args)
            .map_err(ParseError::Clap)?;
        let cli = C::from_arg_matches(&matches).map_err(ParseError::Clap)?;
        let values = self
            .args
            .iter()
            .map(|spec| (spec.extract)(&matches))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| ParseError::Clap(error.with_cmd(&command)))?;
        user_args::store(values, user_args::respell(&command, &matches, &ids));
        Ok((cli, Plugins(Mutex::new(self.plugins)), command))
    }
}

/// The plugins a binary added, until a run takes them.
#[derive(Default)]
pub(crate) struct Plugins(Mutex<Vec<Box<dyn Plugin>>>);

impl Plugins {
    /// The plugins added with [`App::plugin`], then those registered with
    /// `#[crystallize::plugin]` (sorted by name). A registered plugin whose function panics is
    /// left out, with a warning.
    pub(crate) fn take(&self) -> Vec<Box<dyn Plugin>> {
        let mut plugins = std::mem::take(
            &mut *self
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        let mut registered: Vec<&PluginRegistration> =
            inventory::iter::<PluginRegistration>.into_iter().collect();
        registered
            .sort_by_key(|registration| (registration.name, registration.file, registration.line));
        for registration in registered {
            match crate::unit::panic::catch_panic(registration.make) {
                Ok(plugin) => plugins.push(plugin),
                Err(message) => eprintln!(
                    "warning: plugin `{}` ({}:{}) panicked while being created and is left out: {message}",
                    registration.name, registration.file, registration.line
                ),
            }
        }
        plugins
    }
}

impl std::fmt::Debug for Plugins {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Plugins")
    }
}

/// A plugin registered with `#[crystallize::plugin]` on a function returning it.
#[derive(Debug)]
pub struct PluginRegistration {
    /// The function's name.
    pub name: &'static str,
    /// Calls the function.
    pub make: fn() -> Box<dyn Plugin>,
    /// Where it is defined.
    pub file: &'static str,
    /// Its line.
    pub line: u32,
}

inventory::collect!(PluginRegistration);

/// Boxes what a `#[crystallize::plugin]` function returns (a type that is not a [`Plugin`] fails
/// to compile here, at the function's return type).
pub fn boxed_plugin<P: Plugin + 'static>(plugin: P) -> Box<dyn Plugin> {
    Box::new(plugin)
}

/// Adds a warning for each plugin that panicked to the report: to the experiment of the event it
/// panicked on, or to every experiment when that event was about the whole run.
pub(crate) fn warn_plugin_failures(report: &mut Report, failures: &[PluginFailure]) {
    for failure in failures {
        let warning = failure.warning();
        for entry in &mut report.experiments {
            if failure
                .experiment
                .as_ref()
                .is_none_or(|experiment| *experiment == entry.name)
            {
                entry.warnings.push(warning.clone());
            }
        }
    }
}
