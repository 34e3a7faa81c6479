//! Resume decisions: for every (condition, replicate) unit, load it from the latest run or run it,
//! and why, by comparing the stored signature record with the current one:
//!
//! 1. code (source, a step, a tracked helper) or a param changed → the condition re-runs;
//! 2. a treatment is new or its payload changed → only that condition runs;
//! 3. a completion marker or the metadata is missing or unreadable, an artifact is gone, or a
//!    unit lacks an output the experiment declares now (`.output(..)` added since it ran) →
//!    those units run;
//! 4. replicates were added → only the new replicates run (fewer reuse the first ones);
//! 5. a unit failed before → it runs again;
//! 6. the content of an upstream artifact a unit reads changed (its producer re-ran and
//!    published other bytes, or the producer unit failed or now succeeds) → only the units that
//!    read that producer replicate run (the condition key covers what is read, the unit key the
//!    content of exactly what that unit reads). For `plan`, a unit whose producer replicate
//!    would run first is decided after it, by content;
//! 7. the stored record was computed under another key scheme (an older crystallize) → every
//!    unit of the condition runs once (`key-scheme-changed`); keys are never compared across
//!    schemes.
//!
//! Everything else is loaded. A corrupt or foreign file is reported by path and treated as
//! missing; nothing here panics on bad data.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::decide::plan::{ConditionPlan, ExperimentPlan};
use crate::decide::report::{Reason, ReasonKind};
use crate::define::registration::Strategy;
use crate::key::signature::{CodeHash, ConditionRecord};
use crate::store::files;
use crate::store::journal::{JOURNAL, JournalContents, UnitRecord, read_journal};
use crate::store::layout::{self, MANIFEST, MARKER, METADATA, RESULTS};
use crate::store::records::{
    Manifest, Metadata, RecordError, ResultsFile, STATUS_COMPLETE, manifest_of, read_record,
};
use crate::store::version::{self, Candidate, VersionScan};

mod explain;

pub use explain::{CodeChange, code_changes, explain_change};
use explain::{pending_summary, unit_upstream_change, upstream_summary};

use crate::store::foreign::foreign_files;

/// A unit loaded from a previous run.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The version it is loaded from.
    pub version: u32,
    /// Loaded from the unfinished rewrite of that version (an interrupted run's work).
    pub staged: bool,
    /// Path of that directory.
    pub version_dir: PathBuf,
    /// Its journal record (metrics, artifacts).
    pub record: Arc<UnitRecord>,
}

impl Loaded {
    /// `v3`, or `the unfinished rewrite of v3`.
    pub fn label(&self) -> String {
        if self.staged {
            format!("the unfinished rewrite of v{}", self.version)
        } else {
            format!("v{}", self.version)
        }
    }
}

/// What happens to one unit.
#[derive(Clone, Debug)]
pub enum UnitDecision {
    /// Execute it, for this reason.
    Run(Reason),
    /// Load it.
    Load(Box<Loaded>),
}

/// Decisions for one condition.
#[derive(Clone, Debug, Default)]
pub struct ConditionDecision {
    /// One per replicate.
    pub units: Vec<UnitDecision>,
    /// Every change of the condition's signature, when it changed (units carry the first).
    pub changes: Vec<Reason>,
    /// The items whose code changed, when the signature changed.
    pub code_changes: Vec<CodeChange>,
    /// When units run because the upstream content they read changed (or, for `plan`, is not
    /// known yet): one reason per upstream read naming the producer replicates concerned. The
    /// condition shows these in place of its units' own (which name one producer replicate
    /// each, with old -> new content).
    pub upstream: Vec<Reason>,
    /// `plan` only: units that run for now because a producer replicate they read runs first;
    /// they are decided by the content it publishes (byte-identical artifacts load).
    pub pending: u32,
}

/// Decisions for every unit of an experiment, aligned with the plan's conditions and replicates.
#[derive(Clone, Debug)]
pub struct Decision {
    /// One per planned condition.
    pub conditions: Vec<ConditionDecision>,
    /// The latest version, if any unit is loaded.
    pub source: Option<u32>,
    /// Every unit loads from the latest version, which finished (results and markers written)
    /// with the same replicates and no condition the definition dropped: nothing to write.
    pub source_complete: bool,
    /// Corrupt or foreign files found, by path.
    pub warnings: Vec<String>,
    /// When everything loads from a finished run: the upstream versions that run read.
    pub source_reads: BTreeMap<String, u32>,
    /// When everything loads from a finished run: its directory.
    pub source_dir: Option<PathBuf>,
    /// What the experiment directory holds (where a run that writes puts its version).
    pub stored: Stored,
}

impl Decision {
    fn all_units(&self) -> impl Iterator<Item = &UnitDecision> {
        self.conditions
            .iter()
            .flat_map(|condition| &condition.units)
    }

    /// The distinct reasons of one condition: why units run first, then what loads. Units that
    /// run because of upstream content are summarised per upstream read.
    pub fn condition_reasons(&self, condition: usize) -> Vec<Reason> {
        let decided = &self.conditions[condition];
        let mut reasons: Vec<Reason> = decided.changes.clone();
        let mut loaded_from: Vec<(u32, bool, String)> = Vec::new();
        for unit in &decided.units {
            match unit {
                UnitDecision::Run(reason)
                    if reason.kind == ReasonKind::UpstreamChanged
                        && !decided.upstream.is_empty() =>
                {
                    for summary in &decided.upstream {
                        if !reasons.contains(summary) {
                            reasons.push(summary.clone());
                        }
                    }
                }
                UnitDecision::Run(reason) => {
                    if !reasons.contains(reason) {
                        reasons.push(reason.clone());
                    }
                }
                UnitDecision::Load(loaded) => {
                    let known = loaded_from.iter().any(|(version, staged, _)| {
                        *version == loaded.version && *staged == loaded.staged
                    });
                    if !known {
                        loaded_from.push((loaded.version, loaded.staged, loaded.label()));
                    }
                }
            }
        }
        reasons.extend(loaded_from.into_iter().map(|(_, _, from)| Reason {
            kind: ReasonKind::SignatureUnchanged,
            detail: format!("loaded from {from}"),
        }));
        reasons
    }

    /// The distinct reasons of all conditions.
    pub fn reasons(&self) -> Vec<Reason> {
        let mut reasons: Vec<Reason> = Vec::new();
        for condition in 0..self.conditions.len() {
            for reason in self.condition_reasons(condition) {
                if !reasons.contains(&reason) {
                    reasons.push(reason);
                }
            }
        }
        reasons
    }
}

fn reason(kind: ReasonKind, detail: impl Into<String>) -> Reason {
    Reason {
        kind,
        detail: detail.into(),
    }
}

/// A version directory the decisions can read: its metadata parsed, its journal read on demand.
struct VersionState {
    candidate: Candidate,
    metadata: Metadata,
    journal: Option<JournalContents>,
    complete: bool,
    /// Paths below the version, resolved without following links.
    beneath: files::Beneath,
}

impl VersionState {
    fn version(&self) -> u32 {
        self.candidate.version
    }

    fn dir(&self) -> &Path {
        &self.candidate.dir
    }

    /// `v3`, or `the unfinished rewrite of v3` for a staged one.
    fn label(&self) -> String {
        label(&self.candidate)
    }

    fn records(&self, condition: &str) -> Option<&BTreeMap<u32, Arc<UnitRecord>>> {
        self.journal.as_ref()?.records.get(condition)
    }
}

fn label(candidate: &Candidate) -> String {
    if candidate.staged {
        format!("the unfinished rewrite of v{}", candidate.version)
    } else {
        format!("v{}", candidate.version)
    }
}

/// The versions of an experiment, newest first, read as the decisions need them.
struct History {
    candidates: Vec<Candidate>,
    /// `None` until read; `Some(None)` when unusable (its metadata cannot be read).
    states: Vec<Option<Option<VersionState>>>,
    unusable: Vec<Candidate>,
    /// Why the newest unusable version could not be read (the reason when none is usable).
    unusable_reason: Option<Reason>,
}

impl History {
    fn new(candidates: Vec<Candidate>) -> History {
        History {
            states: candidates.iter().map(|_| None).collect(),
            candidates,
            unusable: Vec::new(),
            unusable_reason: None,
        }
    }

    /// Reads candidate `index`'s metadata (once); an unreadable one is reported and skipped.
    fn load(&mut self, index: usize, warnings: &mut Vec<String>) {
        if self.states[index].is_some() {
            return;
        }
        let candidate = self.candidates[index].clone();
        let metadata_path = candidate.dir.join(METADATA);
        let state = match read_record::<Metadata>(&metadata_path) {
            Ok(metadata) => Some(VersionState {
                complete: metadata.status == STATUS_COMPLETE,
                beneath: files::Beneath::new(&candidate.dir),
                candidate,
                metadata,
                journal: None,
            }),
            Err(problem) => {
                let (kind, why) = match problem {
                    RecordError::Missing => (
                        ReasonKind::MetadataMissing,
                        "has no metadata.json".to_string(),
                    ),
                    RecordError::Corrupt(message) => (
                        ReasonKind::CorruptFile,
                        format!("has an unreadable metadata.json ({message})"),
                    ),
                };
                if self.unusable_reason.is_none() {
                    self.unusable_reason =
                        Some(reason(kind, format!("{} {why}", candidate.dir.display())));
                }
                warnings.push(format!(
                    "{} {why}: an interrupted run's claim or not ours; nothing is loaded from it (`gc` removes it)",
                    candidate.dir.display()
                ));
                self.unusable.push(candidate);
                None
            }
        };
        self.states[index] = Some(state);
    }

    /// Reads candidate `index`'s journal (once), reporting unreadable lines.
    fn load_journal(&mut self, index: usize, warnings: &mut Vec<String>) {
        let Some(Some(state)) = self.states[index].as_mut() else {
            return;
        };
        if state.journal.is_some() {
            return;
        }
        let path = state.dir().join(JOURNAL);
        let contents = match read_journal(state.dir()) {
            Ok(Some(contents)) => contents,
            Ok(None) => JournalContents::default(),
            Err(error) => {
                warnings.push(format!("{}: {error}", path.display()));
                JournalContents::default()
            }
        };
        if !contents.bad_lines.is_empty() {
            warnings.push(format!(
                "{}: unreadable line(s) {:?} ignored",
                path.display(),
                contents.bad_lines
            ));
        }
        for ((condition, replicate), line) in &contents.tampered {
            warnings.push(format!(
                "{}: line {line} (`{condition}` replicate {replicate}) fails its checksum: edited or damaged, not trusted",
                path.display()
            ));
        }
        state.journal = Some(contents);
    }

    fn get(&self, index: usize) -> Option<&VersionState> {
        self.states[index].as_ref().and_then(Option::as_ref)
    }

    /// The version `condition` is compared with, with its journal read: the newest readable
    /// version holding it, except that an unfinished version (an interrupted run's) that ran it
    /// with another key than `key` gives way to an older one (its units are of no use, and the
    /// results it would hide are).
    fn decider(
        &mut self,
        condition: &str,
        key: CodeHash,
        warnings: &mut Vec<String>,
    ) -> Option<usize> {
        let mut unfinished_other_key = None;
        for index in 0..self.candidates.len() {
            self.load(index, warnings);
            let Some(state) = self.get(index) else {
                continue;
            };
            let Some(stored) = state.metadata.conditions.get(condition) else {
                continue;
            };
            if state.complete || stored.key == key {
                self.load_journal(index, warnings);
                return Some(index);
            }
            unfinished_other_key.get_or_insert(index);
        }
        let index = unfinished_other_key?;
        self.load_journal(index, warnings);
        Some(index)
    }

    /// Older readable versions that ran `condition` with `key`, with their journals read: where
    /// units the decider lacks can be loaded from instead.
    fn fallbacks(
        &mut self,
        after: usize,
        condition: &str,
        key: CodeHash,
        warnings: &mut Vec<String>,
    ) -> Vec<usize> {
        let mut found = Vec::new();
        for index in after + 1..self.candidates.len() {
            self.load(index, warnings);
            let same = self.get(index).is_some_and(|state| {
                state
                    .metadata
                    .conditions
                    .get(condition)
                    .is_some_and(|stored| stored.key == key)
            });
            if same {
                self.load_journal(index, warnings);
                found.push(index);
            }
        }
        found
    }

    /// The newest readable version.
    fn newest(&mut self, warnings: &mut Vec<String>) -> Option<usize> {
        (0..self.candidates.len()).find(|&index| {
            self.load(index, warnings);
            self.get(index).is_some()
        })
    }
}

/// What the experiment directory holds, as a run that writes needs to know it.
#[derive(Clone, Debug, Default)]
pub struct Stored {
    /// Readable versions (staged rewrites included) with whether each finished, newest first.
    pub usable: Vec<(Candidate, bool)>,
    /// Version directories without readable metadata.
    pub unusable: Vec<Candidate>,
    /// Entries of the newest version that are not ours: a rewrite of that version carries them.
    pub foreign: Vec<PathBuf>,
}

/// Where a run that writes puts its version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A new `v<N>` (versioned experiments).
    Claim,
    /// Rewrite `v<version>`: in a staging directory swapped in at the end when `staged` (there
    /// are complete results there to keep until the new ones are committed), else in place.
    Rewrite {
        /// The version rewritten.
        version: u32,
        /// Whether the rewrite is staged.
        staged: bool,
    },
}

impl Stored {
    /// Where a run of an experiment (`versioned` or not) writes: a non-versioned one rewrites its
    /// newest readable version (`v0` for a new experiment, or the newest it kept from when it was
    /// versioned), so switching between versioned and not never makes it compare with a
    /// version it does not write.
    pub fn target(&self, versioned: bool) -> Target {
        if versioned {
            return Target::Claim;
        }
        let version = self
            .usable
            .iter()
            .map(|(candidate, _)| candidate.version)
            .max()
            .unwrap_or(0);
        let plain = self
            .usable
            .iter()
            .find(|(candidate, _)| candidate.version == version && !candidate.staged);
        let staged = match plain {
            Some((_, complete)) => *complete,
            None => self
                .unusable
                .iter()
                .any(|candidate| candidate.version == version && !candidate.staged),
        };
        Target::Rewrite { version, staged }
    }
}

/// Decides, for `plan`, which units to load from `experiment_dir` and which to run.
///
/// Each condition is compared with the newest readable version that ran it (a version without
/// readable metadata, such as one an interrupted run had just claimed, is reported and skipped;
/// a run limited by `--treatment` leaves the other conditions to older versions). Units that
/// version lacks (it was interrupted, or had fewer replicates) load from an older version that
/// ran the condition with the same key, when one has them.
pub fn decide(plan: &ExperimentPlan<'_>, experiment_dir: &Path) -> Decision {
    let mut warnings = Vec::new();
    let scan = match version::scan(experiment_dir) {
        Ok(scan) => scan,
        Err(error) => {
            warnings.push(format!("cannot list {}: {error}", experiment_dir.display()));
            VersionScan::default()
        }
    };
    for link in &scan.links {
        warnings.push(format!(
            "{} is a symbolic link: never followed inside the data directory, not a version",
            link.display()
        ));
    }
    let strategy_rerun = plan.strategy == Strategy::Rerun;
    if strategy_rerun && plan.registered.registration.options.versioned {
        // Everything runs into a new version: nothing of the old ones needs reading.
        let why = if scan.candidates.is_empty() {
            reason(
                ReasonKind::FirstRun,
                format!("no previous run in {}", experiment_dir.display()),
            )
        } else {
            reason(
                ReasonKind::StrategyRerun,
                "strategy `rerun` executes every unit",
            )
        };
        return Decision {
            conditions: run_all(plan, &why),
            source: None,
            source_complete: false,
            warnings,
            source_reads: BTreeMap::new(),
            source_dir: None,
            stored: Stored::default(),
        };
    }
    let mut history = History::new(scan.candidates);
    let newest = history.newest(&mut warnings);
    let mut decision = Decision {
        conditions: Vec::new(),
        source: None,
        source_complete: false,
        warnings: Vec::new(),
        source_reads: BTreeMap::new(),
        source_dir: None,
        stored: Stored::default(),
    };
    if let Some(newest) = newest.filter(|_| !strategy_rerun) {
        let state = history
            .get(newest)
            .map(|state| (state.dir().to_path_buf(), &state.metadata));
        if let Some((dir, metadata)) = state {
            let found = foreign_files(&dir, metadata);
            decision.stored.foreign = found.iter().map(|(path, _)| path.clone()).collect();
            warnings.extend(found.into_iter().map(|(_, message)| message));
        }
    }
    let first_run = || {
        history.unusable_reason.clone().unwrap_or_else(|| {
            reason(
                ReasonKind::FirstRun,
                format!("no previous run in {}", experiment_dir.display()),
            )
        })
    };
    if newest.is_none() || strategy_rerun {
        let why = if newest.is_none() {
            first_run()
        } else {
            reason(
                ReasonKind::StrategyRerun,
                "strategy `rerun` executes every unit",
            )
        };
        decision.conditions = run_all(plan, &why);
    } else {
        let mut conditions = Vec::with_capacity(plan.conditions.len());
        for condition in &plan.conditions {
            conditions.push(decide_condition(
                plan,
                condition,
                &mut history,
                &mut warnings,
            ));
        }
        decision.conditions = conditions;
    }
    // Everything loads from the newest finished version, with the same replicates and no
    // condition the definition dropped: nothing to write. (An unfinished newer one, left by an
    // interrupted run, stays for `gc`.)
    let newest_complete = (0..history.candidates.len()).find(|&index| {
        history.load(index, &mut warnings);
        history.get(index).is_some_and(|state| state.complete)
    });
    if let Some(newest) = newest_complete.and_then(|index| history.get(index))
        && !strategy_rerun
    {
        let from_newest = |unit: &UnitDecision| match unit {
            UnitDecision::Load(loaded) => {
                loaded.version == newest.version() && loaded.staged == newest.candidate.staged
            }
            UnitDecision::Run(_) => false,
        };
        if decision
            .all_units()
            .any(|unit| matches!(unit, UnitDecision::Load(_)))
        {
            decision.source = Some(newest.version());
        }
        let defined = plan.registered.experiment.condition_names();
        decision.source_reads = newest.metadata.reads.clone();
        decision.source_complete = decision.all_units().all(from_newest)
            && newest.complete
            && plan
                .conditions
                .iter()
                .all(|condition| newest.metadata.replicates_of(&condition.name) == plan.replicates)
            && newest
                .metadata
                .conditions
                .keys()
                .all(|name| defined.contains(name));
        if decision.source_complete
            && let Some(problem) = manifest_problem(plan, newest)
        {
            warnings.push(format!("{problem}; the version is written again"));
            decision.source_complete = false;
        }
        if decision.source_complete {
            decision.source_dir = Some(newest.dir().to_path_buf());
        }
        let strict = plan
            .conditions
            .iter()
            .any(|condition| condition.record.environment.is_some());
        if let Some(recorded) = &newest.metadata.toolchain
            && !strict
        {
            let changed = crate::key::toolchain::Toolchain::current().differences(recorded);
            if !changed.is_empty() {
                warnings.push(format!(
                    "note: the toolchain changed since {} ({}): recorded, not part of the key; `#[experiment(strict_env)]` or `--strict-env` reruns on such changes",
                    newest.label(),
                    changed.join(", ")
                ));
            }
        }
    }
    decision.stored.usable = (0..history.candidates.len())
        .filter_map(|index| history.get(index))
        .map(|state| (state.candidate.clone(), state.complete))
        .collect();
    decision.stored.unusable = history.unusable;
    decision.warnings = warnings;
    decision
}

fn run_all(plan: &ExperimentPlan<'_>, why: &Reason) -> Vec<ConditionDecision> {
    plan.conditions
        .iter()
        .map(|_| ConditionDecision {
            units: (0..plan.replicates)
                .map(|_| UnitDecision::Run(why.clone()))
                .collect(),
            ..ConditionDecision::default()
        })
        .collect()
}

/// Why the `_manifest.json` of a finished version cannot stand as it is, if it cannot.
fn manifest_problem(plan: &ExperimentPlan<'_>, state: &VersionState) -> Option<String> {
    let path = state.dir().join(MANIFEST);
    let found: Manifest = match read_record(&path) {
        Ok(manifest) => manifest,
        Err(RecordError::Missing) => return Some(format!("{} is missing", path.display())),
        Err(RecordError::Corrupt(message)) => {
            return Some(format!("{} is unreadable: {message}", path.display()));
        }
    };
    let stage_order: Vec<&str> = plan
        .registered
        .experiment
        .stages()
        .iter()
        .map(|stage| &*stage.name)
        .collect();
    let journal = state.journal.as_ref()?;
    let expected = manifest_of(
        &stage_order,
        journal
            .records
            .values()
            .flat_map(BTreeMap::values)
            .map(|record| &**record),
    );
    (found != expected).then(|| {
        format!(
            "{} does not list the artifacts the journal records",
            path.display()
        )
    })
}

/// Every unit of the condition runs for `why`.
fn all_run(plan: &ExperimentPlan<'_>, why: Reason) -> ConditionDecision {
    ConditionDecision {
        units: (0..plan.replicates)
            .map(|_| UnitDecision::Run(why.clone()))
            .collect(),
        ..ConditionDecision::default()
    }
}

fn decide_condition(
    plan: &ExperimentPlan<'_>,
    condition: &ConditionPlan,
    history: &mut History,
    warnings: &mut Vec<String>,
) -> ConditionDecision {
    let name = &*condition.name;
    let Some(decider) = history.decider(name, condition.record.key, warnings) else {
        let newest_dir = (0..history.candidates.len())
            .find_map(|index| history.get(index))
            .map(|state| state.dir().join(METADATA));
        return all_run(
            plan,
            if name == crate::define::experiment::BASELINE {
                reason(
                    ReasonKind::CorruptFile,
                    format!(
                        "{} has no baseline",
                        newest_dir.unwrap_or_default().display()
                    ),
                )
            } else {
                reason(
                    ReasonKind::TreatmentAdded,
                    format!("treatment `{name}` is new"),
                )
            },
        );
    };
    let Some(state) = history.get(decider) else {
        return all_run(
            plan,
            reason(ReasonKind::CorruptFile, "internal: no version"),
        );
    };
    let Some(stored) = state.metadata.condition_record(name) else {
        return all_run(plan, reason(ReasonKind::CorruptFile, "internal: no record"));
    };
    let metadata_path = state.dir().join(METADATA);
    // A key of another scheme cannot be recomputed here: it is explained as the scheme change.
    if stored.key_scheme == condition.record.key_scheme && stored.compute_key() != stored.key {
        let detail = format!(
            "{}: the key of condition `{name}` does not match its record",
            metadata_path.display()
        );
        warnings.push(detail.clone());
        return all_run(plan, reason(ReasonKind::CorruptFile, detail));
    }
    if stored.key != condition.record.key {
        let stored_payload = state.metadata.conditions.get(name).map(|c| &c.payload);
        let changes = explain_change(
            name,
            &stored,
            &condition.record,
            stored_payload,
            &condition.payload,
        );
        let first = changes.first().cloned().unwrap_or_else(|| {
            reason(
                ReasonKind::CorruptFile,
                format!("condition `{name}`: key changed"),
            )
        });
        let mut decision = all_run(plan, first);
        decision.changes = changes;
        decision.code_changes = code_changes(&stored, &condition.record);
        return decision;
    }
    let stored_replicates = state.metadata.replicates_of(name);
    let failed_before = state.records(name).is_some_and(|records| {
        records
            .range(..stored_replicates)
            .any(|(_, record)| record.error.is_some())
    });
    if let Some(problem) = condition_problem(state, name, stored.key, stored_replicates, warnings)
        && !(problem.kind == ReasonKind::MarkerMissing && failed_before)
    {
        return all_run(plan, problem);
    }
    // Units the decider lacks may come from an older version of the same key; read those only
    // when some unit needs them.
    let needs_fallback = !state.complete
        || stored_replicates < plan.replicates
        || state.records(name).is_none_or(|records| {
            records.range(..stored_replicates).count() < stored_replicates as usize
        })
        || state
            .journal
            .as_ref()
            .is_some_and(|journal| !journal.tampered.is_empty() || !journal.bad_lines.is_empty());
    let fallbacks = if needs_fallback {
        history.fallbacks(decider, name, stored.key, warnings)
    } else {
        Vec::new()
    };
    let Some(state) = history.get(decider) else {
        return all_run(
            plan,
            reason(ReasonKind::CorruptFile, "internal: no version"),
        );
    };
    // Each version's own record: its unit keys (with the upstream content it read) tell a unit
    // whose input changed from a foreign record.
    let fallback_states: Vec<(&VersionState, ConditionRecord)> = fallbacks
        .iter()
        .filter_map(|&index| history.get(index))
        .filter(|older| {
            let replicates = older.metadata.replicates_of(name);
            condition_problem(older, name, stored.key, replicates, &mut Vec::new()).is_none()
        })
        .filter_map(|older| Some((older, older.metadata.condition_record(name)?)))
        .collect();
    let mut checked_dirs = CheckedDirs::default();
    let declared = plan.registered.experiment.outputs();
    let current = &condition.record;
    // Per upstream read: the producer replicates whose content changed, and (for `plan`) those
    // that run first.
    let mut changed: BTreeMap<usize, BTreeSet<u32>> = BTreeMap::new();
    let mut waiting: BTreeMap<usize, BTreeSet<u32>> = BTreeMap::new();
    let mut pending = 0;
    let producer_runs = producers_that_run(plan, condition);
    let units = (0..plan.replicates)
        .map(|replicate| {
            let unit = UnitKeys {
                name,
                replicate,
                planned: plan.replicates,
                expected: current.unit_key(replicate),
                current,
            };
            let waits = pending_read(condition, &producer_runs, replicate);
            let primary = decide_unit(
                &unit,
                &stored,
                declared,
                state,
                stored_replicates,
                &mut checked_dirs,
                warnings,
            );
            let why = match (primary, waits) {
                (Ok(loaded), None) => return UnitDecision::Load(Box::new(loaded)),
                (Ok(_), Some((read, source, why))) => {
                    note(&mut waiting, read, source);
                    pending += 1;
                    return UnitDecision::Run(why);
                }
                (Err(why), Some((read, source, waits)))
                    if why.kind == ReasonKind::UpstreamChanged =>
                {
                    note(&mut waiting, read, source);
                    pending += 1;
                    return UnitDecision::Run(waits);
                }
                (Err(why), Some(_)) => return UnitDecision::Run(why),
                (Err(why), None) => why,
            };
            if why.kind == ReasonKind::FailedBefore {
                return UnitDecision::Run(why);
            }
            for (older, own) in &fallback_states {
                let replicates = older.metadata.replicates_of(name);
                if let Ok(loaded) = decide_unit(
                    &unit,
                    own,
                    declared,
                    older,
                    replicates,
                    &mut checked_dirs,
                    &mut Vec::new(),
                ) && loaded.record.error.is_none()
                {
                    return UnitDecision::Load(Box::new(loaded));
                }
            }
            if why.kind == ReasonKind::UpstreamChanged
                && let Some((read, source, _)) = unit_upstream_change(&stored, current, replicate)
            {
                note(&mut changed, read, source);
            }
            UnitDecision::Run(why)
        })
        .collect();
    let reads = &current.upstream;
    let sorted = |sources: &BTreeSet<u32>| sources.iter().copied().collect::<Vec<u32>>();
    let upstream = changed
        .iter()
        .filter_map(|(&read, sources)| Some(upstream_summary(reads.get(read)?, &sorted(sources))))
        .chain(waiting.iter().filter_map(|(&read, sources)| {
            Some(pending_summary(name, reads.get(read)?, &sorted(sources)))
        }))
        .collect();
    ConditionDecision {
        units,
        changes: Vec::new(),
        code_changes: Vec::new(),
        upstream,
        pending,
    }
}

/// Adds producer replicate `source` to the ones noted for upstream read `read`.
fn note(into: &mut BTreeMap<usize, BTreeSet<u32>>, read: usize, source: u32) {
    into.entry(read).or_default().insert(source);
}

/// One unit as the decisions compare it: its key now, and the record that key comes from.
struct UnitKeys<'a> {
    name: &'a str,
    replicate: u32,
    /// Replicates planned now.
    planned: u32,
    /// The unit's key now.
    expected: CodeHash,
    /// The condition's record now.
    current: &'a ConditionRecord,
}

/// For a finished version: whether the condition's marker holds its key and its `results.json`
/// agrees with the journal. A problem reruns the whole condition (deleting a marker is how a
/// condition is forced to run again).
fn condition_problem(
    state: &VersionState,
    name: &str,
    key: CodeHash,
    stored_replicates: u32,
    warnings: &mut Vec<String>,
) -> Option<Reason> {
    if !state.complete {
        return None;
    }
    let condition_dir = layout::condition_dir(state.dir(), name);
    if files::kind(&condition_dir) == files::Kind::Link {
        let detail = format!(
            "{} is a symbolic link: never followed inside the data directory",
            condition_dir.display()
        );
        warnings.push(detail.clone());
        return Some(reason(ReasonKind::CorruptFile, detail));
    }
    let marker_path = condition_dir.join(MARKER);
    match files::read(&marker_path) {
        Ok(bytes) if String::from_utf8_lossy(&bytes).trim() == key.hex() => {}
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Some(reason(
                ReasonKind::MarkerMissing,
                format!("{} is missing", marker_path.display()),
            ));
        }
        _ => {
            let detail = format!(
                "{} does not hold the key of condition `{name}`",
                marker_path.display()
            );
            warnings.push(detail.clone());
            return Some(reason(ReasonKind::CorruptFile, detail));
        }
    }
    let results_path = condition_dir.join(RESULTS);
    let problem = match read_record::<ResultsFile>(&results_path) {
        Ok(found) => (!results_agree(&found, state.records(name), stored_replicates)).then(|| {
            format!(
                "{} holds values other than the journal's",
                results_path.display()
            )
        }),
        Err(RecordError::Missing) => Some(format!("{} is missing", results_path.display())),
        Err(RecordError::Corrupt(message)) => Some(format!(
            "{} is unreadable: {message}",
            results_path.display()
        )),
    }?;
    warnings.push(problem.clone());
    Some(reason(ReasonKind::CorruptFile, problem))
}

/// Whether a condition's `results.json` holds, for every replicate the journal has a trusted
/// record of, exactly that record's metrics (a replicate without a readable record is not
/// compared: it runs again anyway).
fn results_agree(
    found: &ResultsFile,
    records: Option<&BTreeMap<u32, Arc<UnitRecord>>>,
    stored_replicates: u32,
) -> bool {
    if found
        .metrics
        .values()
        .any(|values| values.len() != stored_replicates as usize)
    {
        return false;
    }
    let Some(records) = records else {
        return true;
    };
    records
        .range(..stored_replicates)
        .all(|(&replicate, record)| {
            let index = replicate as usize;
            let value_of = |metric: &str| {
                if record.error.is_some() {
                    None
                } else {
                    record.metrics.get(metric).copied().flatten()
                }
            };
            found
                .metrics
                .iter()
                .all(|(metric, values)| values[index] == value_of(metric))
                && (record.error.is_some()
                    || record.metrics.iter().all(|(metric, value)| {
                        value.is_none() || found.metrics.contains_key(metric)
                    }))
        })
}

/// Whether `unit` loads from `state`, whose record of the condition is `own`, or why not. It
/// loads only when its journaled key is the unit's key now (the same condition key and the same
/// upstream content read), and with every output the experiment declares now (`declared`)
/// among its artifacts.
fn decide_unit(
    unit: &UnitKeys<'_>,
    own: &ConditionRecord,
    declared: &[String],
    state: &VersionState,
    stored_replicates: u32,
    checked_dirs: &mut CheckedDirs,
    warnings: &mut Vec<String>,
) -> Result<Loaded, Reason> {
    let (name, replicate, planned) = (unit.name, unit.replicate, unit.planned);
    let version = || state.label();
    if replicate >= stored_replicates {
        return Err(reason(
            ReasonKind::ReplicatesAdded,
            format!("replicates {stored_replicates} -> {planned}"),
        ));
    }
    let journal_path = || state.dir().join(JOURNAL);
    if let Some(line) = state
        .journal
        .as_ref()
        .and_then(|journal| journal.tampered.get(&(name.to_string(), replicate)))
    {
        return Err(reason(
            ReasonKind::CorruptFile,
            format!(
                "{}: line {line}, the record of `{name}` replicate {replicate}, fails its checksum",
                journal_path().display()
            ),
        ));
    }
    let Some(record) = state
        .records(name)
        .and_then(|records| records.get(&replicate))
    else {
        let bad_lines = state
            .journal
            .as_ref()
            .map_or(&[][..], |journal| &journal.bad_lines[..]);
        return Err(if bad_lines.is_empty() && !state.complete {
            reason(
                ReasonKind::MarkerMissing,
                format!(
                    "replicate {replicate} of `{name}` did not complete in {}",
                    version()
                ),
            )
        } else if bad_lines.is_empty() {
            // A finished version journals every unit it has: the journal lost records.
            let warning = format!(
                "{}: records of `{name}` are missing although {} finished",
                journal_path().display(),
                version()
            );
            if !warnings.contains(&warning) {
                warnings.push(warning);
            }
            reason(
                ReasonKind::CorruptFile,
                format!(
                    "replicate {replicate} of `{name}` has no record in {}",
                    journal_path().display()
                ),
            )
        } else {
            reason(
                ReasonKind::CorruptFile,
                format!(
                    "replicate {replicate} of `{name}` has no readable record in {} (unreadable line(s) {bad_lines:?})",
                    journal_path().display()
                ),
            )
        });
    };
    if record.key != unit.expected {
        if record.key == own.unit_key(replicate)
            && let Some((_, _, why)) = unit_upstream_change(own, unit.current, replicate)
        {
            return Err(why);
        }
        let detail = format!(
            "{}: the record of `{name}` replicate {replicate} has a foreign key",
            journal_path().display()
        );
        warnings.push(detail.clone());
        return Err(reason(ReasonKind::CorruptFile, detail));
    }
    if let Some(error) = &record.error {
        return Err(reason(
            ReasonKind::FailedBefore,
            format!(
                "replicate {replicate} of `{name}` failed in {}: {}",
                version(),
                error.message
            ),
        ));
    }
    if let Some(missing) = declared.iter().find(|file| {
        !record
            .artifacts
            .iter()
            .any(|artifact| &artifact.file == *file)
    }) {
        // A unit that ran with the output declared and did not write it failed (and reruns as
        // `failed-before`), so a successful one without it ran before it was declared.
        return Err(reason(
            ReasonKind::ArtifactMissing,
            format!(
                "`{missing}` is newly declared with `.output(..)`, and units of `{name}` in {} did not write it",
                version()
            ),
        ));
    }
    let record = check_artifacts(state, record, checked_dirs, warnings)?;
    Ok(Loaded {
        version: state.version(),
        staged: state.candidate.staged,
        version_dir: state.dir().to_path_buf(),
        record,
    })
}

/// Links already reported (each once).
#[derive(Default)]
struct CheckedDirs(std::collections::BTreeSet<PathBuf>);

impl CheckedDirs {
    fn report_link(&mut self, link: PathBuf, warnings: &mut Vec<String>) {
        if !self.0.contains(&link) {
            warnings.push(format!(
                "{} is a symbolic link: never followed inside the data directory; what it holds is not loaded",
                link.display()
            ));
            self.0.insert(link);
        }
    }
}

/// Checks every artifact of a loaded unit: a regular file reached through real directories only,
/// of the recorded size, and of the recorded content: unchanged size, modification time and inode
/// are trusted (as git's index does); otherwise the file is hashed again. Returns the record,
/// with fresh stamps where a file was rehashed and found identical.
fn check_artifacts(
    state: &VersionState,
    record: &Arc<UnitRecord>,
    checked: &mut CheckedDirs,
    warnings: &mut Vec<String>,
) -> Result<Arc<UnitRecord>, Reason> {
    if record.artifacts.is_empty() {
        return Ok(record.clone());
    }
    let unit = PathBuf::from(format!("replicate_{}", record.replicate)).join(&record.condition);
    let mut refreshed: Option<UnitRecord> = None;
    for (index, artifact) in record.artifacts.iter().enumerate() {
        let relative = unit.join(&artifact.stage).join(&artifact.file);
        let path = || state.dir().join(&relative);
        let missing = || {
            reason(
                ReasonKind::ArtifactMissing,
                format!("{} is gone", path().display()),
            )
        };
        let meta = match state.beneath.metadata(&relative) {
            Ok(meta) if meta.is_file() => meta,
            Ok(_) | Err(files::Unresolved::Missing) => return Err(missing()),
            Err(files::Unresolved::Other(error)) => {
                return Err(reason(
                    ReasonKind::ArtifactMissing,
                    format!("{} cannot be read: {error}", path().display()),
                ));
            }
            Err(files::Unresolved::Link(link)) => {
                checked.report_link(link, warnings);
                return Err(missing());
            }
        };
        if meta.len() == artifact.size
            && artifact.stamp.is_known()
            && files::FileStamp::of(&meta) == artifact.stamp
        {
            continue;
        }
        let hashed = state
            .beneath
            .open_file(&relative)
            .map_err(|_| missing())
            .and_then(|file| files::hash_open_file(file).map_err(|_| missing()))?;
        match hashed {
            (hash, size, stamp) if hash == artifact.hash && size == artifact.size => {
                refreshed
                    .get_or_insert_with(|| (**record).clone())
                    .artifacts[index]
                    .stamp = stamp;
            }
            _ => {
                let detail = format!(
                    "{} changed after it was written (its content hash differs)",
                    path().display()
                );
                warnings.push(detail.clone());
                return Err(reason(ReasonKind::CorruptFile, detail));
            }
        }
    }
    Ok(refreshed.map_or_else(|| record.clone(), Arc::new))
}

/// For `plan`: per upstream read of `condition`, whether its producer runs some units first
/// (their content is not known yet).
fn producers_that_run(plan: &ExperimentPlan<'_>, condition: &ConditionPlan) -> Vec<bool> {
    condition
        .record
        .upstream
        .iter()
        .map(|read| {
            plan.upstream
                .get(&read.producer)
                .is_some_and(|view| view.pending)
        })
        .collect()
}

/// For `plan`: a unit reading an artifact its producer would first produce cannot be decided
/// yet; it is decided by content once the producer has run. Returns the upstream read (its
/// index), the producer replicate and the reason. `producer_runs` is
/// [`producers_that_run`]'s answer.
fn pending_read(
    condition: &ConditionPlan,
    producer_runs: &[bool],
    replicate: u32,
) -> Option<(usize, u32, Reason)> {
    condition
        .record
        .upstream
        .iter()
        .zip(producer_runs)
        .enumerate()
        .find_map(|(index, (read, &runs))| {
            if !runs || read.hash_for(replicate).is_some() {
                return None;
            }
            let source = read.source_replicate(replicate)?;
            Some((
                index,
                source,
                pending_summary(&condition.name, read, &[source]),
            ))
        })
}
