//! Planning: which experiments, conditions and replicates a run covers, with the signature record
//! of every condition. Whether each unit runs or loads is decided later, under the experiment's
//! lock (see `resume`).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::define::experiment::Condition;
use crate::define::registration::{Registered, Strategy};
use crate::key::seed::{DEFAULT_MASTER_SEED, SEED_SCHEME};
use crate::key::signature::{CodeHash, ConditionRecord, StageRecord, UpstreamRead};
use crate::unit::params::Params;
use crate::unit::upstream::Views;

/// Overrides given on the command line.
#[derive(Clone, Debug, Default)]
pub(crate) struct Overrides {
    /// `--replicates`.
    pub replicates: Option<u32>,
    /// `--replicates EXPERIMENT=N`, by experiment: wins over [`Overrides::replicates`].
    pub replicates_of: std::collections::BTreeMap<String, u32>,
    /// `--seed`.
    pub seed: Option<u64>,
    /// `--treatment` (repeatable): run baseline plus these, where defined.
    pub treatments: Vec<String>,
    /// `--strategy`: overrides every experiment's own.
    pub strategy: Option<Strategy>,
    /// `--no-cache`: steps whose cache the run bypasses.
    pub no_cache: Vec<String>,
    /// `--strict-env`: the toolchain and build settings are part of every key.
    pub strict_env: bool,
    /// Per experiment, a strategy over `strategy` and the experiment's own (the run screen's
    /// `l` on an experiment).
    pub experiment_strategy: BTreeMap<String, Strategy>,
    /// `(experiment, condition)`: conditions whose units run whatever is stored, for the
    /// reason `forced` (the run screen's `l` on a condition or a step).
    pub recompute: BTreeSet<(String, String)>,
    /// `(experiment, treatment)`: treatments that do not run (the run screen's `x`).
    pub excluded: BTreeSet<(String, String)>,
}

/// A usage error: exit code 2, nothing ran.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct UsageError(pub String);

/// The plan of one condition.
pub(crate) struct ConditionPlan {
    /// `baseline` or the treatment name.
    pub name: Arc<str>,
    /// Effective params.
    pub params: Arc<Params>,
    /// Signature record (with the condition key).
    pub record: Arc<ConditionRecord>,
    /// The treatment's own payload (baseline: the `baseline` amendment, if any; an inherited
    /// treatment: empty).
    pub payload: serde_json::Value,
    /// For a treatment inherited from upstream, the experiments that define it; else empty.
    pub inherited_from: Vec<String>,
    /// Its units run whatever is stored (see [`Overrides::recompute`]).
    pub recompute: bool,
}

/// The plan of one experiment.
pub(crate) struct ExperimentPlan<'a> {
    /// The experiment.
    pub registered: &'a Registered,
    /// Its name, shared with every unit.
    pub name: Arc<str>,
    /// Replicates per condition.
    pub replicates: u32,
    /// Master seed.
    pub seed: u64,
    /// Effective strategy.
    pub strategy: Strategy,
    /// Conditions in run order.
    pub conditions: Vec<ConditionPlan>,
    /// Code signature of the stages, shared by every condition.
    pub stages: Vec<StageRecord>,
    /// Hash of the experiment's stages (its `id` in `metadata.json`).
    pub id: CodeHash,
    /// The producers it reads, once they have run (see [`ExperimentPlan::bind_upstream`]).
    pub upstream: Arc<Views>,
    /// The experiments that read its artifacts (retention keeps what they read).
    pub consumers: Vec<String>,
}

impl ExperimentPlan<'_> {
    /// Completes the signature records with what each condition reads upstream (the content of
    /// the producers' artifacts), once the producers have run or loaded.
    pub(crate) fn bind_upstream(&mut self, views: &Views) {
        let experiment = &self.registered.experiment;
        let producers: Views = experiment
            .inputs()
            .into_iter()
            .filter_map(|input| {
                views
                    .get(input.producer)
                    .map(|view| (input.producer.to_string(), view.clone()))
            })
            .collect();
        if experiment.inputs().is_empty() {
            return;
        }
        for condition in &mut self.conditions {
            let reads = reads_of(experiment, &condition.name, self.replicates, views);
            Arc::make_mut(&mut condition.record).set_upstream(reads);
        }
        self.upstream = Arc::new(producers);
    }
}

/// Resolves `names` (empty = all) to experiments, in name order.
pub(crate) fn select<'a>(
    registered: &'a [Registered],
    names: &[String],
) -> Result<Vec<&'a Registered>, UsageError> {
    if names.is_empty() {
        return Ok(registered.iter().collect());
    }
    let mut selected: Vec<&Registered> = Vec::new();
    for name in names {
        match registered.iter().find(|r| r.name() == name) {
            Some(found) => {
                if !selected.iter().any(|s| s.name() == found.name()) {
                    selected.push(found);
                }
            }
            None => {
                let known: Vec<&str> = registered.iter().map(Registered::name).collect();
                return Err(UsageError(format!(
                    "unknown experiment `{name}`; known experiments: {}",
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                )));
            }
        }
    }
    selected.sort_by_key(|r| r.name());
    Ok(selected)
}

/// Plans the selected experiments.
pub(crate) fn plan<'a>(
    selected: &[&'a Registered],
    overrides: &Overrides,
) -> Result<Vec<ExperimentPlan<'a>>, UsageError> {
    for wanted in &overrides.treatments {
        let defined = selected.iter().any(|registered| {
            registered
                .experiment
                .treatments()
                .iter()
                .any(|t| &t.name == wanted)
        });
        if !defined {
            let mut known: Vec<String> = selected
                .iter()
                .flat_map(|registered| {
                    registered.experiment.treatments().iter().map(move |t| {
                        if t.is_inherited() {
                            format!("{} ({}, inherited)", t.name, registered.name())
                        } else {
                            format!("{} ({})", t.name, registered.name())
                        }
                    })
                })
                .collect();
            known.sort();
            return Err(UsageError(format!(
                "unknown treatment `{wanted}`; treatments of the selected experiments: {}",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            )));
        }
    }
    for step in &overrides.no_cache {
        let cached = |registered: &&Registered| {
            registered
                .experiment
                .stages()
                .iter()
                .any(|stage| stage.cached() && &*stage.name == step)
        };
        if !selected.iter().any(cached) {
            let mut known: Vec<String> = selected
                .iter()
                .flat_map(|registered| {
                    registered
                        .experiment
                        .stages()
                        .iter()
                        .filter(|stage| stage.cached())
                        .map(move |stage| format!("{} ({})", stage.name, registered.name()))
                })
                .collect();
            known.sort();
            return Err(UsageError(format!(
                "--no-cache {step}: no selected experiment has a cached step `{step}`; cached steps: {}",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            )));
        }
    }
    Ok(selected
        .iter()
        .map(|registered| plan_experiment(registered, overrides))
        .collect())
}

fn plan_experiment<'a>(registered: &'a Registered, overrides: &Overrides) -> ExperimentPlan<'a> {
    let options = &registered.registration.options;
    let experiment = &registered.experiment;
    let seed = overrides
        .seed
        .or(options.seed)
        .unwrap_or(DEFAULT_MASTER_SEED);
    let replicates = overrides
        .replicates_of
        .get(registered.name())
        .copied()
        .or(overrides.replicates)
        .unwrap_or(options.replicates);
    let environment = (overrides.strict_env || options.strict_env)
        .then(crate::key::toolchain::Toolchain::current);
    let stages: Vec<StageRecord> = experiment
        .stages()
        .iter()
        .map(crate::define::records::stage_record_of)
        .collect();
    let id = {
        let text = serde_json::to_string(&stages).unwrap_or_default();
        CodeHash::of(text.as_bytes())
    };
    let name = registered.name();
    let active = |condition: &Condition| {
        condition.name == crate::define::experiment::BASELINE
            || ((overrides.treatments.is_empty() || overrides.treatments.contains(&condition.name))
                && !overrides
                    .excluded
                    .contains(&(name.to_string(), condition.name.clone())))
    };
    let reads_upstream = !experiment.inputs().is_empty();
    let conditions = experiment
        .conditions()
        .into_iter()
        .filter(|condition| active(condition))
        .map(|condition| {
            let payload = experiment
                .treatments()
                .iter()
                .find(|treatment| treatment.name == condition.name)
                .map_or_else(
                    || serde_json::json!({}),
                    |treatment| treatment.params.to_value(),
                );
            // A consumer's key waits for what it reads (`bind_upstream`).
            let record = if reads_upstream {
                ConditionRecord::awaiting_upstream
            } else {
                ConditionRecord::planned
            };
            ConditionPlan {
                record: Arc::new(record(
                    stages.clone(),
                    condition.params.to_value(),
                    seed,
                    SEED_SCHEME,
                    environment.clone(),
                )),
                recompute: overrides
                    .recompute
                    .contains(&(name.to_string(), condition.name.clone())),
                name: Arc::from(condition.name),
                params: Arc::new(condition.params),
                payload,
                inherited_from: condition.inherited_from,
            }
        })
        .collect();
    ExperimentPlan {
        registered,
        name: Arc::from(registered.name()),
        replicates,
        seed,
        strategy: overrides
            .experiment_strategy
            .get(name)
            .copied()
            .or(overrides.strategy)
            .unwrap_or(options.strategy),
        conditions,
        stages,
        id,
        upstream: Arc::new(Views::new()),
        consumers: Vec::new(),
    }
}

/// Memory a run holds per unit it covers (run or loaded), in bytes: measured as the peak
/// resident size of the `bench` binary's `single` experiment (3 conditions, one metric, no
/// artifacts) at 300 000 and 3 000 000 units, about 1 160 bytes per unit with 2 worker threads,
/// and rounded up. Units with more metrics or artifacts hold more; this is a floor.
pub(crate) const BYTES_PER_UNIT: u64 = 1_200;

/// Environment variable: set to `1` to skip the memory check before a run.
pub(crate) const SKIP_MEMORY_CHECK_VAR: &str = "CRYSTALLIZE_SKIP_MEMORY_CHECK";

/// Environment variable: the memory a run may hold, in bytes (suffixes `K`, `M`, `G`: powers
/// of 1024), instead of the memory the system reports available, e.g. a share of a machine.
pub(crate) const MEMORY_AVAILABLE_VAR: &str = "CRYSTALLIZE_MEMORY_AVAILABLE";

/// Refuses, before anything runs, a run whose units would not fit in the memory available
/// ([`MEMORY_AVAILABLE_VAR`], or as far as the system tells: see [`available_memory`]), unless
/// [`SKIP_MEMORY_CHECK_VAR`] is `1`.
pub(crate) fn check_memory(plans: &[ExperimentPlan<'_>]) -> Result<(), UsageError> {
    if std::env::var(SKIP_MEMORY_CHECK_VAR).is_ok_and(|value| value == "1") {
        return Ok(());
    }
    let sizes: Vec<(&str, u64, u32)> = plans
        .iter()
        .map(|plan| (&*plan.name, plan.conditions.len() as u64, plan.replicates))
        .collect();
    let available = match std::env::var(MEMORY_AVAILABLE_VAR) {
        Ok(text) => Some(parse_bytes(&text).ok_or_else(|| {
            UsageError(format!(
                "{MEMORY_AVAILABLE_VAR}={text:?} is not a number of bytes (e.g. 8000000000 or 8G)"
            ))
        })?),
        // Too little to ask the system about: the process already holds more than this.
        Err(_) if needed_bytes(&sizes) <= ALWAYS_AVAILABLE => return Ok(()),
        Err(_) => available_memory(),
    };
    match memory_problem(&sizes, available) {
        Some(problem) => Err(UsageError(problem)),
        None => Ok(()),
    }
}

/// Memory a run needs that the system is not asked about (8 MiB): the process itself holds
/// more than that (its binary and the standard library's buffers) before any unit is held.
const ALWAYS_AVAILABLE: u64 = 8 << 20;

/// The units of experiments of `(name, conditions, replicates)`.
fn units_of(sizes: &[(&str, u64, u32)]) -> u64 {
    sizes
        .iter()
        .map(|&(_, conditions, replicates)| conditions.saturating_mul(u64::from(replicates)))
        .fold(0, u64::saturating_add)
}

/// The memory experiments of `(name, conditions, replicates)` hold, in bytes (see
/// [`BYTES_PER_UNIT`]).
fn needed_bytes(sizes: &[(&str, u64, u32)]) -> u64 {
    units_of(sizes).saturating_mul(BYTES_PER_UNIT)
}

/// `123`, `512K`, `64M` or `8G` (powers of 1024) in bytes.
fn parse_bytes(text: &str) -> Option<u64> {
    let text = text.trim();
    let (digits, unit) = match text.char_indices().last()? {
        (at, 'K' | 'k') => (&text[..at], 1 << 10),
        (at, 'M' | 'm') => (&text[..at], 1 << 20),
        (at, 'G' | 'g') => (&text[..at], 1 << 30),
        _ => (text, 1),
    };
    digits.trim().parse::<u64>().ok()?.checked_mul(unit)
}

/// Why experiments of `(name, conditions, replicates)` would not fit in `available` bytes, or
/// `None` when they would (or when `available` is unknown).
fn memory_problem(sizes: &[(&str, u64, u32)], available: Option<u64>) -> Option<String> {
    let available = available?;
    let units = units_of(sizes);
    let needed = needed_bytes(sizes);
    if needed <= available {
        return None;
    }
    let mut largest: Vec<&(&str, u64, u32)> = sizes.iter().collect();
    largest.sort_by_key(|&&(name, conditions, replicates)| {
        (
            std::cmp::Reverse(conditions.saturating_mul(u64::from(replicates))),
            name,
        )
    });
    let mut parts: Vec<String> = largest
        .iter()
        .take(3)
        .map(|(name, conditions, replicates)| {
            let plural = |count: u64, what: &str| {
                format!("{count} {what}{}", if count == 1 { "" } else { "s" })
            };
            format!(
                "`{name}`: {} x {}",
                plural(*conditions, "condition"),
                plural(u64::from(*replicates), "replicate")
            )
        })
        .collect();
    if largest.len() > 3 {
        parts.push(format!("{} more experiments", largest.len() - 3));
    }

    Some(format!(
        "this run covers {units} units ({}), which would hold about {} in memory \
         (about {BYTES_PER_UNIT} bytes per unit), more than the {} available; run fewer \
         replicates (--replicates N), fewer treatments (--treatment NAME) or fewer experiments \
         at a time, or set {SKIP_MEMORY_CHECK_VAR}=1 to run anyway",
        parts.join(", "),
        size(needed),
        size(available)
    ))
}

/// Bytes in GiB (or MiB, KiB for less), one decimal.
fn size(bytes: u64) -> String {
    let units = [("GiB", 1u64 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    let (unit, scale) = units
        .into_iter()
        .find(|&(_, scale)| bytes >= scale)
        .unwrap_or(("KiB", 1 << 10));
    format!("{:.1} {unit}", bytes as f64 / scale as f64)
}

/// The memory available to this process, in bytes, where known (Linux): `MemAvailable` of
/// `/proc/meminfo`, or less when a cgroup (v2) memory limit leaves less room.
pub(crate) fn available_memory() -> Option<u64> {
    let system = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| mem_available(&text));
    let read = |file: &str| std::fs::read_to_string(format!("/sys/fs/cgroup/{file}")).ok();
    let cgroup = read("memory.max").and_then(|max| cgroup_room(&max, &read("memory.current")?));
    match (system, cgroup) {
        (Some(system), Some(cgroup)) => Some(system.min(cgroup)),
        (system, cgroup) => system.or(cgroup),
    }
}

/// `MemAvailable` of a `/proc/meminfo` text, in bytes.
fn mem_available(meminfo: &str) -> Option<u64> {
    let line = meminfo
        .lines()
        .find_map(|line| line.strip_prefix("MemAvailable:"))?;
    let kib: u64 = line.trim().strip_suffix("kB")?.trim().parse().ok()?;
    kib.checked_mul(1024)
}

/// Room left under a cgroup v2 limit (`memory.max`, `max` when unlimited) given its usage
/// (`memory.current`), in bytes.
fn cgroup_room(max: &str, current: &str) -> Option<u64> {
    let max: u64 = max.trim().parse().ok()?;
    let current: u64 = current.trim().parse().ok()?;
    Some(max.saturating_sub(current))
}

/// What condition `condition` of `experiment`, with `replicates` replicates, reads upstream.
pub(crate) fn reads_of(
    experiment: &crate::define::experiment::Experiment,
    condition: &str,
    replicates: u32,
    views: &Views,
) -> Vec<UpstreamRead> {
    experiment
        .inputs()
        .into_iter()
        .map(|input| match views.get(input.producer) {
            Some(view) => {
                let read = view.read_condition(condition).to_string();
                let count = view.replicates.min(replicates);
                UpstreamRead {
                    input: input.name.clone(),
                    producer: input.producer.to_string(),
                    file: input.file.clone(),
                    hashes: (0..count)
                        .map(|replicate| view.hash(condition, replicate, &input.file))
                        .collect(),
                    condition: read,
                    replicates: view.replicates,
                }
            }
            None => UpstreamRead {
                input: input.name.clone(),
                producer: input.producer.to_string(),
                file: input.file.clone(),
                condition: crate::unit::names::BASELINE.to_string(),
                replicates: 0,
                hashes: Vec::new(),
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GIB: u64 = 1 << 30;

    #[test]
    fn runs_that_fit_or_whose_memory_is_unknown_pass() {
        let sizes = [("single", 3, 1_000_000)];
        // 3 million units at 1200 bytes: about 3.35 GiB.
        assert_eq!(memory_problem(&sizes, Some(4 * GIB)), None);
        assert_eq!(memory_problem(&sizes, None), None);
        assert_eq!(memory_problem(&[], Some(0)), None);
    }

    #[test]
    fn runs_that_do_not_fit_are_refused_with_units_sizes_and_advice() {
        let sizes = [("single", 3, 1_000_000), ("small", 2, 10)];
        let problem = memory_problem(&sizes, Some(2 * GIB)).expect("3.4 GiB > 2 GiB");
        assert_eq!(
            problem,
            "this run covers 3000020 units (`single`: 3 conditions x 1000000 replicates, \
             `small`: 2 conditions x 10 replicates), which would hold about 3.4 GiB in memory \
             (about 1200 bytes per unit), more than the 2.0 GiB available; run fewer replicates \
             (--replicates N), fewer treatments (--treatment NAME) or fewer experiments at a \
             time, or set CRYSTALLIZE_SKIP_MEMORY_CHECK=1 to run anyway"
        );
        // One byte short is enough to refuse.
        let exact = 3 * 1_000_000 * BYTES_PER_UNIT;
        assert!(memory_problem(&[("single", 3, 1_000_000)], Some(exact)).is_none());
        assert!(memory_problem(&[("single", 3, 1_000_000)], Some(exact - 1)).is_some());
    }

    #[test]
    fn many_experiments_are_summarised() {
        let sizes = [
            ("a", 1, 5),
            ("b", 1, 40),
            ("c", 1, 30),
            ("d", 1, 20),
            ("e", 1, 1),
        ];
        let problem = memory_problem(&sizes, Some(1)).expect("does not fit in one byte");
        assert!(
            problem.starts_with(
                "this run covers 96 units (`b`: 1 condition x 40 replicates, `c`: 1 condition \
                 x 30 replicates, `d`: 1 condition x 20 replicates, 2 more experiments)"
            ),
            "{problem}"
        );
    }

    #[test]
    fn sizes_read_in_the_largest_fitting_unit() {
        assert_eq!(size(3 * 1_000_000 * BYTES_PER_UNIT), "3.4 GiB");
        assert_eq!(size(GIB), "1.0 GiB");
        assert_eq!(size(24_000), "23.4 KiB");
        assert_eq!(size(5 << 20), "5.0 MiB");
        assert_eq!(size(100), "0.1 KiB");
    }

    #[test]
    fn parses_byte_counts_with_suffixes() {
        assert_eq!(parse_bytes("123"), Some(123));
        assert_eq!(parse_bytes(" 512K "), Some(512 * 1024));
        assert_eq!(parse_bytes("64m"), Some(64 << 20));
        assert_eq!(parse_bytes("8G"), Some(8 * GIB));
        assert_eq!(parse_bytes("8 G"), Some(8 * GIB));
        assert_eq!(parse_bytes(""), None);
        assert_eq!(parse_bytes("G"), None);
        assert_eq!(parse_bytes("-1"), None);
        assert_eq!(parse_bytes("lots"), None);
        assert_eq!(parse_bytes("99999999999999999999G"), None);
    }

    #[test]
    fn reads_meminfo_and_cgroup_figures() {
        let meminfo =
            "MemTotal:       24000000 kB\nMemFree:        1000 kB\nMemAvailable:   23972500 kB\n";
        assert_eq!(mem_available(meminfo), Some(23_972_500 * 1024));
        assert_eq!(mem_available("MemTotal: 5 kB\n"), None);
        assert_eq!(cgroup_room("max\n", "100\n"), None);
        assert_eq!(
            cgroup_room("1073741824\n", "73741824\n"),
            Some(1_000_000_000)
        );
        assert_eq!(cgroup_room("100\n", "200\n"), Some(0));
    }
}
