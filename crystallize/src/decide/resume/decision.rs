//! What the decisions say: per unit run (with the reason) or load (from where), per condition
//! the changes behind it, and what the experiment directory holds for a run that writes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::decide::report::Reason;
use crate::store::columns::ConditionRecords;
use crate::store::journal::UnitRecord;
use crate::store::version::Candidate;

use super::explain::CodeChange;

/// A unit loaded from a previous run.
#[derive(Clone, Debug)]
pub(crate) struct Loaded {
    /// The version it is loaded from.
    pub version: u32,
    /// Loaded from the unfinished rewrite of that version (an interrupted run's work).
    pub staged: bool,
    /// Path of that directory (shared by every unit loaded from it).
    pub version_dir: Arc<Path>,
    /// Its journal record (metrics, artifacts).
    pub record: Arc<UnitRecord>,
}

/// `v3`, or `the unfinished rewrite of v3` for a staged version.
pub(crate) fn label(version: u32, staged: bool) -> String {
    if staged {
        format!("the unfinished rewrite of v{version}")
    } else {
        format!("v{version}")
    }
}

/// What happens to one unit.
#[derive(Clone, Debug)]
pub(crate) enum UnitDecision {
    /// Execute it, for this reason.
    Run(Reason),
    /// Load it.
    Load(Box<Loaded>),
}

/// Every unit of a condition, loaded from one version by its marker's summary, held in columns.
#[derive(Clone, Debug)]
pub(crate) struct WholeLoad {
    /// The version they are loaded from.
    pub version: u32,
    /// Loaded from the unfinished rewrite of that version.
    pub staged: bool,
    /// Path of that directory.
    pub version_dir: Arc<Path>,
    /// Their records (shared with the views of consumers).
    pub records: Arc<ConditionRecords>,
}

/// The decisions of a condition's units: one per unit, or all loaded from one version.
#[derive(Clone, Debug)]
pub(crate) enum Units {
    /// One decision per replicate.
    Each(Vec<UnitDecision>),
    /// Every replicate loads from one version.
    Whole(Arc<WholeLoad>),
    /// Every one of `count` replicates runs, for one reason.
    AllRun {
        /// Why.
        reason: Reason,
        /// How many replicates.
        count: u32,
    },
}

impl Default for Units {
    fn default() -> Units {
        Units::Each(Vec::new())
    }
}

/// A loaded unit, as a decision holds it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum LoadView<'a> {
    /// Its own record.
    One(&'a Loaded),
    /// Replicate `.1` of a condition loaded whole.
    Whole(&'a WholeLoad, u32),
}

impl LoadView<'_> {
    /// The version it is loaded from.
    pub(crate) fn version(&self) -> u32 {
        match self {
            LoadView::One(loaded) => loaded.version,
            LoadView::Whole(whole, _) => whole.version,
        }
    }

    /// Whether that is the unfinished rewrite of the version.
    pub(crate) fn staged(&self) -> bool {
        match self {
            LoadView::One(loaded) => loaded.staged,
            LoadView::Whole(whole, _) => whole.staged,
        }
    }

    /// The directory it is loaded from.
    pub(crate) fn version_dir(&self) -> &Arc<Path> {
        match self {
            LoadView::One(loaded) => &loaded.version_dir,
            LoadView::Whole(whole, _) => &whole.version_dir,
        }
    }

    /// `v3`, or `the unfinished rewrite of v3`.
    pub(crate) fn label(&self) -> String {
        label(self.version(), self.staged())
    }

    /// The version it was computed in.
    pub(crate) fn computed_in(&self) -> u32 {
        match self {
            LoadView::One(loaded) => loaded.record.computed_in,
            LoadView::Whole(whole, replicate) => whole.records.computed_in(*replicate),
        }
    }

    /// Its metrics, as an event carries them.
    pub(crate) fn metrics(&self) -> BTreeMap<String, Option<f64>> {
        match self {
            LoadView::One(loaded) => loaded.record.metrics.to_map(),
            LoadView::Whole(whole, replicate) => whole.records.metrics_of(*replicate),
        }
    }

    /// Its record (made from the columns for a condition loaded whole).
    pub(crate) fn record(&self) -> Arc<UnitRecord> {
        match self {
            LoadView::One(loaded) => loaded.record.clone(),
            LoadView::Whole(whole, replicate) => Arc::new(whole.records.record(*replicate)),
        }
    }
}

/// One unit's decision, as [`Units`] gives it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum UnitView<'a> {
    /// Execute it, for this reason.
    Run(&'a Reason),
    /// Load it.
    Load(LoadView<'a>),
}

impl Units {
    /// How many units (replicates) there are.
    pub(crate) fn len(&self) -> usize {
        match self {
            Units::Each(units) => units.len(),
            Units::Whole(whole) => whole.records.len() as usize,
            Units::AllRun { count, .. } => *count as usize,
        }
    }

    /// Unit `replicate`'s decision.
    pub(crate) fn get(&self, replicate: usize) -> Option<UnitView<'_>> {
        match self {
            Units::Each(units) => units.get(replicate).map(UnitDecision::view),
            Units::Whole(whole) => (replicate < whole.records.len() as usize)
                .then(|| UnitView::Load(LoadView::Whole(whole, replicate as u32))),
            Units::AllRun { reason, count } => {
                (replicate < *count as usize).then_some(UnitView::Run(reason))
            }
        }
    }

    /// Every unit's decision, in replicate order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = UnitView<'_>> {
        (0..self.len()).filter_map(|replicate| self.get(replicate))
    }

    /// How many units run.
    pub(crate) fn runs(&self) -> usize {
        match self {
            Units::Each(units) => units
                .iter()
                .filter(|unit| matches!(unit, UnitDecision::Run(_)))
                .count(),
            Units::Whole(_) => 0,
            Units::AllRun { count, .. } => *count as usize,
        }
    }
}

impl UnitDecision {
    /// As a view.
    pub(crate) fn view(&self) -> UnitView<'_> {
        match self {
            UnitDecision::Run(reason) => UnitView::Run(reason),
            UnitDecision::Load(loaded) => UnitView::Load(LoadView::One(loaded)),
        }
    }
}

/// Decisions for one condition.
#[derive(Clone, Debug, Default)]
pub(crate) struct ConditionDecision {
    /// One per replicate.
    pub units: Units,
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

impl ConditionDecision {
    /// Every one of `replicates` units runs for `why`.
    pub(super) fn all_run(replicates: u32, why: &Reason) -> ConditionDecision {
        ConditionDecision {
            units: Units::AllRun {
                reason: why.clone(),
                count: replicates,
            },
            ..ConditionDecision::default()
        }
    }
}

/// Decisions for every unit of an experiment, aligned with the plan's conditions and replicates.
#[derive(Clone, Debug, Default)]
pub(crate) struct Decision {
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
    /// Every unit of every condition.
    pub(crate) fn all_units(&self) -> impl Iterator<Item = UnitView<'_>> {
        self.conditions
            .iter()
            .flat_map(|condition| condition.units.iter())
    }

    /// The reasons of one condition, grouped: the changes of its signature, why units run (one
    /// line per reason, naming the replicates it concerns), then where units load from.
    pub(crate) fn condition_reasons(&self, condition: usize) -> Vec<Reason> {
        super::grouped::condition_reasons(&self.conditions[condition])
    }

    /// The distinct reasons of all conditions.
    pub(crate) fn reasons(&self) -> Vec<Reason> {
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

/// What the experiment directory holds, as a run that writes needs to know it.
#[derive(Clone, Debug, Default)]
pub(crate) struct Stored {
    /// Readable versions (staged rewrites included) with whether each finished, newest first.
    pub usable: Vec<(Candidate, bool)>,
    /// Version directories without readable metadata.
    pub unusable: Vec<Candidate>,
    /// Entries of the newest version that are not ours: a rewrite of that version carries them.
    pub foreign: Vec<PathBuf>,
    /// The first version number above every version directory listed (`None` when the
    /// experiment directory could not be listed): where a versioned run claims its version.
    pub next_free: Option<u32>,
    /// The newest version's directory when its listing found no `hypotheses.json`: a run that
    /// leaves that version with no hypotheses has no stale verdicts there to remove.
    pub without_hypotheses: Option<PathBuf>,
}

/// Where a run that writes puts its version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Target {
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
    pub(crate) fn target(&self, versioned: bool) -> Target {
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
