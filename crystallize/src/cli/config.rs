//! `crystallize.toml` (in the working directory, or `--config FILE`): executor defaults, so
//! command lines stay short, and how they combine with the experiments' own declarations.
//!
//! ```toml
//! [executor]
//! kind = "slurm"            # default executor for `run` (threads | process | slurm)
//! [slurm]
//! partition = "gpu"
//! account = "lab"
//! units_per_task = 10
//! sbatch_args = ["--qos=short"]
//! [slurm.resources]          # defaults for every experiment
//! cpus = 2
//! mem = "4G"
//! time = "00:30:00"
//! [experiments.evaluation]   # per experiment: executor, partition, account, units_per_task,
//! partition = "gpu"          # sbatch_args
//! [experiments.evaluation.resources]
//! gpus = 1
//! ```
//!
//! Each setting of an experiment comes from the first of: the command-line flag, the
//! experiment's table in `crystallize.toml`, the `#[experiment(..)]` attribute, the file's
//! defaults (`[executor]`, `[slurm]`, `[slurm.resources]`), the built-in default. `sbatch_args`
//! add up instead, in that order reversed (the file's, the experiment's, then the flags'), so
//! that a later one wins where `sbatch` takes the last of a repeated option.

use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::define::registration::ExperimentOptions;
use crate::define::resources::{ExecutorKind, check_mem, check_time};

/// The file read from the working directory when `--config` is not given.
pub(crate) const DEFAULT_FILE: &str = "crystallize.toml";

/// A `crystallize.toml`; every table is optional and unknown keys are errors.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Config {
    /// `[executor]`.
    #[serde(default)]
    pub executor: ExecutorTable,
    /// `[slurm]`.
    #[serde(default)]
    pub slurm: SlurmTable,
    /// `[experiments.NAME]`.
    #[serde(default)]
    pub experiments: BTreeMap<String, ExperimentTable>,
    /// The file it was read from (none for the built-in defaults).
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

/// `[executor]`: the default executor of every experiment.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExecutorTable {
    /// `kind = "threads" | "process" | "slurm"`.
    pub kind: Option<Kind>,
}

/// `[slurm]`: the cluster settings of every experiment.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SlurmTable {
    /// `partition = ".."` (default: the cluster's default partition).
    pub partition: Option<String>,
    /// `account = ".."`.
    pub account: Option<String>,
    /// `units_per_task = N`: units one array task runs.
    pub units_per_task: Option<NonZeroU32>,
    /// `sbatch_args = ["--qos=short", ..]`: passed to `sbatch` as they are.
    #[serde(default)]
    pub sbatch_args: Vec<String>,
    /// `[slurm.resources]`: the resources of every experiment.
    #[serde(default)]
    pub resources: ResourceTable,
}

/// `[experiments.NAME]`: one experiment's settings, above its attribute.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExperimentTable {
    /// `executor = ".."`.
    pub executor: Option<Kind>,
    /// `partition = ".."`.
    pub partition: Option<String>,
    /// `account = ".."`.
    pub account: Option<String>,
    /// `units_per_task = N`.
    pub units_per_task: Option<NonZeroU32>,
    /// `sbatch_args = [..]`, after those of `[slurm]`.
    #[serde(default)]
    pub sbatch_args: Vec<String>,
    /// `[experiments.NAME.resources]`.
    #[serde(default)]
    pub resources: ResourceTable,
}

/// `resources` tables: what one task needs.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResourceTable {
    /// `cpus = N`.
    pub cpus: Option<NonZeroU32>,
    /// `mem = "8G"`.
    pub mem: Option<Mem>,
    /// `time = "01:00:00"`.
    pub time: Option<Time>,
    /// `gpus = N`.
    pub gpus: Option<NonZeroU32>,
}

/// An executor's name, checked as it is read.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(try_from = "String")]
pub(crate) struct Kind(pub ExecutorKind);

impl TryFrom<String> for Kind {
    type Error = String;

    fn try_from(name: String) -> Result<Kind, String> {
        ExecutorKind::parse(&name).map(Kind).ok_or_else(|| {
            format!("unknown executor `{name}`: use \"threads\", \"process\" or \"slurm\"")
        })
    }
}

/// A memory size, checked as it is read.
#[derive(Clone, Debug, Deserialize)]
#[serde(try_from = "String")]
pub(crate) struct Mem(pub String);

impl TryFrom<String> for Mem {
    type Error = String;

    fn try_from(text: String) -> Result<Mem, String> {
        check_mem(&text).map(|()| Mem(text))
    }
}

/// A time limit, checked as it is read.
#[derive(Clone, Debug, Deserialize)]
#[serde(try_from = "String")]
pub(crate) struct Time(pub String);

impl TryFrom<String> for Time {
    type Error = String;

    fn try_from(text: String) -> Result<Time, String> {
        check_time(&text).map(|()| Time(text))
    }
}

/// Reads `explicit` (`--config FILE`), or `crystallize.toml` in the working directory when it
/// exists, or gives the built-in defaults. A missing explicit file, an unreadable or malformed
/// one, is an error naming the file (and, for a malformed one, the line, column and problem).
pub(crate) fn load(explicit: Option<&Path>) -> Result<Config, String> {
    let path = match explicit {
        Some(path) => path.to_path_buf(),
        None => {
            let path = PathBuf::from(DEFAULT_FILE);
            match std::fs::symlink_metadata(&path) {
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                    return Ok(Config::default());
                }
                _ => path,
            }
        }
    };
    let text = std::fs::read_to_string(&path).map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound => format!(
            "--config {}: no such file; give the path of a crystallize.toml",
            path.display()
        ),
        _ => format!("cannot read {}: {error}", path.display()),
    })?;
    parse(&text, &path)
}

/// Parses the text of the file at `path`.
pub(crate) fn parse(text: &str, path: &Path) -> Result<Config, String> {
    let mut config: Config = toml::from_str(text)
        .map_err(|error| format!("{}: {}", path.display(), error.to_string().trim_end()))?;
    config.path = Some(path.to_path_buf());
    Ok(config)
}

/// What the command line sets; `None` (or empty) leaves a setting to the file, the attribute
/// and the defaults.
#[derive(Clone, Debug, Default)]
pub(crate) struct Flags {
    /// `--executor`.
    pub executor: Option<ExecutorKind>,
    /// `--partition`.
    pub partition: Option<String>,
    /// `--account`.
    pub account: Option<String>,
    /// `--units-per-task`.
    pub units_per_task: Option<u32>,
    /// `--slurm-arg` (repeatable), after every other `sbatch` argument.
    pub sbatch_args: Vec<String>,
    /// `--cpus`.
    pub cpus: Option<u32>,
    /// `--mem`.
    pub mem: Option<String>,
    /// `--time`.
    pub time: Option<String>,
    /// `--gpus`.
    pub gpus: Option<u32>,
}

/// One experiment's settings, each from the first place that sets it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Resolved {
    /// Where its units run (built-in default: threads).
    pub executor: ExecutorKind,
    /// The partition (none: the cluster's default partition).
    pub partition: Option<String>,
    /// The account (none: the user's default account).
    pub account: Option<String>,
    /// Units per array task (none: the Slurm executor's default).
    pub units_per_task: Option<u32>,
    /// Extra `sbatch` arguments: the file's, the experiment's table's, then the flags'.
    pub sbatch_args: Vec<String>,
    /// CPUs per task.
    pub cpus: Option<u32>,
    /// Memory per task.
    pub mem: Option<String>,
    /// Time limit per task.
    pub time: Option<String>,
    /// GPUs per task.
    pub gpus: Option<u32>,
}

/// Every registered experiment's settings, by name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ResolvedSlurm {
    /// By experiment name.
    pub experiments: BTreeMap<&'static str, Resolved>,
}

/// Checks that every `[experiments.NAME]` table of the file names a registered experiment
/// (one of `known`): a misspelt name would silently apply to nothing.
pub(crate) fn check_experiments(config: &Config, known: &[&str]) -> Result<(), String> {
    let unknown: Vec<&str> = config
        .experiments
        .keys()
        .map(String::as_str)
        .filter(|name| !known.contains(name))
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{}: [experiments.{}] names no registered experiment; known experiments: {}",
        config
            .path
            .as_deref()
            .unwrap_or(Path::new(DEFAULT_FILE))
            .display(),
        unknown.join("], [experiments."),
        known.join(", ")
    ))
}

/// The settings of every experiment in `experiments` (name and attribute options).
pub(crate) fn resolve<'a>(
    config: &Config,
    experiments: impl IntoIterator<Item = (&'static str, &'a ExperimentOptions)>,
    flags: &Flags,
) -> ResolvedSlurm {
    ResolvedSlurm {
        experiments: experiments
            .into_iter()
            .map(|(name, options)| (name, resolve_one(config, name, options, flags)))
            .collect(),
    }
}

/// One experiment's settings: flag, then its table of the file, then its attribute, then the
/// file's defaults, then the built-in default.
pub(crate) fn resolve_one(
    config: &Config,
    name: &str,
    options: &ExperimentOptions,
    flags: &Flags,
) -> Resolved {
    let empty = ExperimentTable::default();
    let own = config.experiments.get(name).unwrap_or(&empty);
    let slurm = &config.slurm;
    let attribute = &options.resources;
    let count = |value: Option<NonZeroU32>| value.map(NonZeroU32::get);
    Resolved {
        executor: flags
            .executor
            .or(own.executor.map(|kind| kind.0))
            .or(options.executor)
            .or(config.executor.kind.map(|kind| kind.0))
            .unwrap_or_default(),
        partition: flags
            .partition
            .clone()
            .or_else(|| own.partition.clone())
            .or_else(|| slurm.partition.clone()),
        account: flags
            .account
            .clone()
            .or_else(|| own.account.clone())
            .or_else(|| slurm.account.clone()),
        units_per_task: flags
            .units_per_task
            .or(count(own.units_per_task))
            .or(count(slurm.units_per_task)),
        sbatch_args: slurm
            .sbatch_args
            .iter()
            .chain(&own.sbatch_args)
            .chain(&flags.sbatch_args)
            .cloned()
            .collect(),
        cpus: flags
            .cpus
            .or(count(own.resources.cpus))
            .or(attribute.cpus)
            .or(count(slurm.resources.cpus)),
        mem: flags
            .mem
            .clone()
            .or_else(|| own.resources.mem.as_ref().map(|mem| mem.0.clone()))
            .or_else(|| attribute.mem.map(str::to_string))
            .or_else(|| slurm.resources.mem.as_ref().map(|mem| mem.0.clone())),
        time: flags
            .time
            .clone()
            .or_else(|| own.resources.time.as_ref().map(|time| time.0.clone()))
            .or_else(|| attribute.time.map(str::to_string))
            .or_else(|| slurm.resources.time.as_ref().map(|time| time.0.clone())),
        gpus: flags
            .gpus
            .or(count(own.resources.gpus))
            .or(attribute.gpus)
            .or(count(slurm.resources.gpus)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::define::registration::Strategy;
    use crate::define::resources::Resources;

    fn options(executor: Option<ExecutorKind>, resources: Resources) -> ExperimentOptions {
        ExperimentOptions {
            replicates: 1,
            strategy: Strategy::Rerun,
            seed: None,
            versioned: false,
            retention: None,
            description: None,
            strict_env: false,
            executor,
            resources,
        }
    }

    fn config(text: &str) -> Config {
        parse(text, Path::new("crystallize.toml")).unwrap()
    }

    const FULL: &str = r#"
[executor]
kind = "slurm"
[slurm]
partition = "gpu"
account = "lab"
units_per_task = 10
sbatch_args = ["--qos=short"]
[slurm.resources]
cpus = 2
mem = "4G"
time = "00:30:00"
[experiments.evaluation.resources]
gpus = 1
"#;

    #[test]
    fn the_documented_file_parses() {
        let config = config(FULL);
        assert_eq!(config.executor.kind.unwrap().0, ExecutorKind::Slurm);
        assert_eq!(config.slurm.partition.as_deref(), Some("gpu"));
        assert_eq!(config.slurm.units_per_task.unwrap().get(), 10);
        assert_eq!(config.slurm.resources.mem.as_ref().unwrap().0, "4G");
        assert_eq!(
            config.experiments["evaluation"]
                .resources
                .gpus
                .unwrap()
                .get(),
            1
        );
        let resolved = resolve_one(
            &config,
            "evaluation",
            &options(None, Resources::default()),
            &Flags::default(),
        );
        assert_eq!(
            resolved,
            Resolved {
                executor: ExecutorKind::Slurm,
                partition: Some("gpu".into()),
                account: Some("lab".into()),
                units_per_task: Some(10),
                sbatch_args: vec!["--qos=short".into()],
                cpus: Some(2),
                mem: Some("4G".into()),
                time: Some("00:30:00".into()),
                gpus: Some(1),
            }
        );
    }

    #[test]
    fn an_empty_file_and_no_file_give_the_built_in_defaults() {
        let none = Config::default();
        let empty = config("");
        for config in [&none, &empty] {
            assert_eq!(
                resolve_one(
                    config,
                    "x",
                    &options(None, Resources::default()),
                    &Flags::default()
                ),
                Resolved::default()
            );
        }
        assert_eq!(Resolved::default().executor, ExecutorKind::Threads);
    }

    /// Every layer sets every setting to its own value; taking layers away from the top shows
    /// each in turn.
    #[test]
    fn each_setting_comes_from_the_first_layer_that_sets_it() {
        let file_defaults = r#"
[executor]
kind = "threads"
[slurm]
partition = "file"
account = "file"
units_per_task = 1
sbatch_args = ["--file"]
[slurm.resources]
cpus = 1
mem = "1G"
time = "1"
gpus = 1
"#;
        let per_experiment = r#"
[experiments.e]
executor = "slurm"
partition = "own"
account = "own"
units_per_task = 3
sbatch_args = ["--own"]
[experiments.e.resources]
cpus = 3
mem = "3G"
time = "3"
gpus = 3
"#;
        let attribute = options(
            Some(ExecutorKind::Process),
            Resources {
                cpus: Some(2),
                mem: Some("2G"),
                time: Some("2"),
                gpus: Some(2),
            },
        );
        let flags = Flags {
            executor: Some(ExecutorKind::Threads),
            partition: Some("flag".into()),
            account: Some("flag".into()),
            units_per_task: Some(4),
            sbatch_args: vec!["--flag".into()],
            cpus: Some(4),
            mem: Some("4G".into()),
            time: Some("4".into()),
            gpus: Some(4),
        };
        let both = config(&format!("{file_defaults}{per_experiment}"));
        let defaults_only = config(file_defaults);
        let all_args = vec!["--file".to_string(), "--own".into(), "--flag".into()];

        // Flag > everything.
        let by_flags = resolve_one(&both, "e", &attribute, &flags);
        assert_eq!(
            by_flags,
            Resolved {
                executor: ExecutorKind::Threads,
                partition: Some("flag".into()),
                account: Some("flag".into()),
                units_per_task: Some(4),
                sbatch_args: all_args.clone(),
                cpus: Some(4),
                mem: Some("4G".into()),
                time: Some("4".into()),
                gpus: Some(4),
            }
        );
        // The experiment's table > the attribute and the file's defaults.
        let by_table = resolve_one(&both, "e", &attribute, &Flags::default());
        assert_eq!(
            by_table,
            Resolved {
                executor: ExecutorKind::Slurm,
                partition: Some("own".into()),
                account: Some("own".into()),
                units_per_task: Some(3),
                sbatch_args: all_args[..2].to_vec(),
                cpus: Some(3),
                mem: Some("3G".into()),
                time: Some("3".into()),
                gpus: Some(3),
            }
        );
        // The attribute > the file's defaults (for what it declares: executor and resources).
        let by_attribute = resolve_one(&defaults_only, "e", &attribute, &Flags::default());
        assert_eq!(
            by_attribute,
            Resolved {
                executor: ExecutorKind::Process,
                partition: Some("file".into()),
                account: Some("file".into()),
                units_per_task: Some(1),
                sbatch_args: all_args[..1].to_vec(),
                cpus: Some(2),
                mem: Some("2G".into()),
                time: Some("2".into()),
                gpus: Some(2),
            }
        );
        // The file's defaults > the built-in default.
        let plain = options(None, Resources::default());
        let by_file = resolve_one(&defaults_only, "e", &plain, &Flags::default());
        assert_eq!(
            (by_file.executor, by_file.cpus, by_file.mem.as_deref()),
            (ExecutorKind::Threads, Some(1), Some("1G"))
        );
        // Another experiment's table does not apply.
        let other = resolve_one(&both, "other", &plain, &Flags::default());
        assert_eq!(other.partition.as_deref(), Some("file"));
        assert_eq!(other.cpus, Some(1));
        assert_eq!(other.sbatch_args, all_args[..1].to_vec());
        // A flag for one setting leaves the others to the lower layers.
        let one_flag = Flags {
            mem: Some("9G".into()),
            ..Flags::default()
        };
        let mixed = resolve_one(&both, "e", &attribute, &one_flag);
        assert_eq!(
            (mixed.mem.as_deref(), mixed.cpus, mixed.executor),
            (Some("9G"), Some(3), ExecutorKind::Slurm)
        );
        // The attribute's executor alone, over the file's [executor].
        let slurm_file = config("[executor]\nkind = \"slurm\"\n");
        let attribute_executor = options(Some(ExecutorKind::Process), Resources::default());
        assert_eq!(
            resolve_one(&slurm_file, "e", &attribute_executor, &Flags::default()).executor,
            ExecutorKind::Process
        );
        assert_eq!(
            resolve_one(&slurm_file, "e", &plain, &Flags::default()).executor,
            ExecutorKind::Slurm
        );
    }

    fn error(text: &str) -> String {
        parse(text, Path::new("conf/crystallize.toml")).unwrap_err()
    }

    #[test]
    fn unknown_keys_are_errors_naming_the_file_the_line_and_the_key() {
        let message = error("[slurm]\npartition = \"a\"\nqueue = \"b\"\n");
        assert!(message.starts_with("conf/crystallize.toml: "), "{message}");
        assert!(message.contains("line 3"), "{message}");
        assert!(message.contains("unknown field `queue`"), "{message}");
        for (text, key) in [
            ("[slurm.resources]\nmemory = \"1G\"\n", "memory"),
            ("[executors]\nkind = \"slurm\"\n", "executors"),
            ("[executor]\nkinds = \"slurm\"\n", "kinds"),
            ("[experiments.e]\nnodes = 2\n", "nodes"),
            ("[experiments.e.resources]\ngpu = 2\n", "gpu"),
        ] {
            let message = error(text);
            assert!(
                message.contains(&format!("unknown field `{key}`")),
                "{text}: {message}"
            );
        }
    }

    #[test]
    fn bad_values_are_errors_naming_the_line_and_the_problem() {
        for (text, line, problem) in [
            (
                "[executor]\nkind = \"slrum\"\n",
                2,
                "unknown executor `slrum`",
            ),
            (
                "[slurm.resources]\n\nmem = \"8GB\"\n",
                3,
                "not a memory size",
            ),
            ("[slurm.resources]\ntime = \"1h\"\n", 2, "not a time limit"),
            ("[slurm.resources]\ncpus = 0\n", 2, "nonzero"),
            ("[slurm]\nunits_per_task = -3\n", 2, "units_per_task"),
            ("[slurm]\nsbatch_args = \"--qos=short\"\n", 2, "sequence"),
            ("[slurm]\npartition = 3\n", 2, "string"),
            ("[slurm\n", 1, "TOML parse error"),
        ] {
            let message = error(text);
            assert!(
                message.contains(&format!("line {line}")) && message.contains(problem),
                "{text:?}: {message}"
            );
        }
    }

    #[test]
    fn an_experiment_table_must_name_a_registered_experiment() {
        let config = config("[experiments.evaluaton.resources]\ngpus = 1\n");
        let plain = options(None, Resources::default());
        let message = check_experiments(&config, &["evaluation", "training"]).unwrap_err();
        assert_eq!(
            message,
            "crystallize.toml: [experiments.evaluaton] names no registered experiment; known \
             experiments: evaluation, training"
        );
        let good = self::config("[experiments.training.resources]\ngpus = 1\n");
        assert_eq!(
            check_experiments(&good, &["evaluation", "training"]),
            Ok(())
        );
        let resolved = resolve(
            &good,
            [("evaluation", &plain), ("training", &plain)],
            &Flags::default(),
        );
        assert_eq!(resolved.experiments["training"].gpus, Some(1));
        assert_eq!(resolved.experiments["evaluation"].gpus, None);
    }

    #[test]
    fn a_missing_explicit_file_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.toml");
        let message = load(Some(&missing)).unwrap_err();
        assert!(
            message.contains(&missing.display().to_string()) && message.contains("no such file"),
            "{message}"
        );
        let written = dir.path().join("c.toml");
        std::fs::write(&written, "[slurm]\naccount = \"lab\"\n").unwrap();
        let config = load(Some(&written)).unwrap();
        assert_eq!(config.slurm.account.as_deref(), Some("lab"));
        assert_eq!(config.path.as_deref(), Some(written.as_path()));
    }
}
