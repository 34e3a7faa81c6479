//! The machine-readable report of `run --json` and `plan --json`: a stable contract that scripts
//! and tests parse, described by the JSON Schema `crystallize/report.schema.json` (the README's
//! "Command line" section shows every field). Conditions keep their definition order.
//!
//! ```json
//! {"experiments": [{
//!   "name": "quickstart", "action": "ran", "version": 0, "replicates": 10,
//!   "reasons": [{"kind": "first-run", "detail": "no previous run in data/quickstart"}],
//!   "conditions": {"baseline": {"action": "ran", "units_run": 10, "units_loaded": 0,
//!                               "metrics": {"mean": [0.51, 0.48]}, "errors": [],
//!                               "reasons": [], "cache_hits": 0}},
//!   "artifacts": {"summary.json": {"baseline": ["data/quickstart/v0/replicate_0/baseline/summarize/summary.json"]}},
//!   "warnings": [], "pruned": []
//! }]}
//! ```

use std::collections::BTreeMap;

pub use indexmap::IndexMap;

use serde::{Deserialize, Serialize};

use crate::decide::verdicts::HypothesisReport;
use crate::stats::Correction;

/// The whole report.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Report {
    /// One entry per experiment, in run order.
    pub experiments: Vec<ExperimentReport>,
}

/// What happened to one experiment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Every unit executed.
    Ran,
    /// Some units executed, others were loaded.
    Partial,
    /// Every unit was loaded from a previous run.
    Loaded,
}

/// The kinds of reasons for running or loading.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReasonKind {
    /// No previous run exists.
    FirstRun,
    /// The strategy is `rerun`.
    StrategyRerun,
    /// Code of the source, a step or a tracked helper changed, or code one of them reaches.
    CodeChanged,
    /// The locked version of a registry crate that reachable code names changed.
    DependencyChanged,
    /// In strict mode: the toolchain or build settings changed.
    EnvironmentChanged,
    /// A param changed.
    ParamsChanged,
    /// A treatment is new.
    TreatmentAdded,
    /// A treatment's payload changed.
    TreatmentChanged,
    /// Replicates were added.
    ReplicatesAdded,
    /// An upstream experiment published different artifacts.
    UpstreamChanged,
    /// A completion marker is missing.
    MarkerMissing,
    /// `metadata.json` is missing.
    MetadataMissing,
    /// An artifact is missing.
    ArtifactMissing,
    /// A stored file is corrupt or foreign.
    CorruptFile,
    /// The previous run of these units failed.
    FailedBefore,
    /// The stored keys were computed by another key scheme (an older crystallize): they cannot
    /// be compared, so every unit runs once.
    KeySchemeChanged,
    /// Nothing changed; results are loaded.
    SignatureUnchanged,
    /// The user asked for these units to run whatever is stored (the run screen's `l` on a
    /// condition, or on a step, which recomputes its experiment).
    Forced,
}

/// A reason with its concrete detail (which component, old → new).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Reason {
    /// The kind.
    pub kind: ReasonKind,
    /// Human-readable detail, e.g. "step `scale`: code hash 1f3a… -> 9b20…".
    pub detail: String,
    /// The replicates this reason concerns (`0-299`, `3, 7-9`) when it is about some units of a
    /// condition (they failed before, are new, load from a version, ...); absent when it is
    /// about the condition as a whole (its code or params changed, it never ran, ...).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub replicates: String,
}

impl Reason {
    /// A reason about a condition (or experiment) as a whole.
    pub fn new(kind: ReasonKind, detail: impl Into<String>) -> Reason {
        Reason {
            kind,
            detail: detail.into(),
            replicates: String::new(),
        }
    }

    /// One line: `replicates 0-299: failed-before: failed in v0: ..`, or `code-changed: ..` for
    /// a reason about the whole condition.
    pub fn line(&self) -> String {
        let kind = kind_name(self.kind);
        match self.replicates.as_str() {
            "" => format!("{kind}: {}", self.detail),
            single if single.bytes().all(|b| b.is_ascii_digit()) => {
                format!("replicate {single}: {kind}: {}", self.detail)
            }
            many => format!("replicates {many}: {kind}: {}", self.detail),
        }
    }
}

/// One experiment's entry.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExperimentReport {
    /// Experiment name.
    pub name: String,
    /// Ran, partial or loaded.
    pub action: Action,
    /// The version directory written (or loaded).
    pub version: u32,
    /// Replicates per condition.
    pub replicates: u32,
    /// Why it ran or loaded.
    pub reasons: Vec<Reason>,
    /// Per condition, in definition order: the baseline, the treatments as declared, then the
    /// inherited ones by name.
    pub conditions: IndexMap<String, ConditionReport>,
    /// Artifact file → condition (in definition order) → paths, one per successful replicate,
    /// in replicate order.
    pub artifacts: BTreeMap<String, IndexMap<String, Vec<String>>>,
    /// Corrupt or foreign files found in the data directory, by path (treated as missing).
    #[serde(default)]
    pub warnings: Vec<String>,
    /// Older versions pruned to their metrics by `retention`.
    #[serde(default)]
    pub pruned: Vec<u32>,
    /// With `plan --diff`: what changed in each item whose code changed since the run compared
    /// with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diffs: Vec<CodeDiff>,
    /// With `plan --explain UNIT`, on the experiment of that unit: the unit in full.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explain: Option<UnitExplanation>,
    /// `run` only: the verdicts of the experiment's hypotheses, recomputed from its metrics
    /// (what `v<N>/hypotheses.json` holds); absent when it declares none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hypotheses: Vec<HypothesisReport>,
    /// The correction applied across the hypotheses × treatments; absent without hypotheses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correction: Option<Correction>,
}

/// What happens to one (condition, replicate) unit, in full (`plan --explain UNIT`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitExplanation {
    /// The experiment.
    pub experiment: String,
    /// The condition.
    pub condition: String,
    /// The replicate.
    pub replicate: u32,
    /// `run`, `load`, or `decide-after-upstream` (a producer replicate it reads runs first; the
    /// unit loads if what that publishes is byte-identical, else runs).
    pub decision: String,
    /// Why: the unit's own reason first, then every other change of its condition's signature,
    /// with old -> new values.
    pub reasons: Vec<Reason>,
    /// The version it loads from, when it loads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loads_from: Option<String>,
    /// The version that computed what it loads, when it loads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub computed_in: Option<u32>,
    /// The unit's key now (hex).
    pub key: String,
    /// Its condition's key now (hex).
    pub condition_key: String,
    /// The condition's params.
    pub params: serde_json::Value,
    /// The upstream artifacts it reads.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reads: Vec<UnitRead>,
}

/// One upstream artifact a unit reads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRead {
    /// The producing experiment.
    pub producer: String,
    /// The artifact file.
    pub file: String,
    /// The producer condition read.
    pub condition: String,
    /// The producer replicate read (`None` when the producer has no replicates).
    pub replicate: Option<u32>,
    /// The producer version read.
    pub version: u32,
    /// The content hash of what it reads (short), `None` when the producer does not have it
    /// (yet: it runs first, or its unit failed).
    pub content: Option<String>,
}

/// A unit named on the command line: `experiment/condition/replicate`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct UnitRef {
    /// The experiment.
    pub experiment: String,
    /// The condition.
    pub condition: String,
    /// The replicate.
    pub replicate: u32,
}

impl UnitRef {
    /// Parses `experiment/condition/replicate` (`quickstart/baseline/3`).
    pub(crate) fn parse(text: &str) -> Result<UnitRef, String> {
        let parts: Vec<&str> = text.split('/').collect();
        let [experiment, condition, replicate] = parts.as_slice() else {
            return Err(format!(
                "`{text}` is not a unit: write EXPERIMENT/CONDITION/REPLICATE, e.g. `quickstart/baseline/3`"
            ));
        };
        if experiment.is_empty() || condition.is_empty() {
            return Err(format!(
                "`{text}` is not a unit: write EXPERIMENT/CONDITION/REPLICATE, e.g. `quickstart/baseline/3`"
            ));
        }
        let replicate = replicate.parse::<u32>().map_err(|_| {
            format!("`{text}` is not a unit: its replicate `{replicate}` is not a whole number")
        })?;
        Ok(UnitRef {
            experiment: experiment.to_string(),
            condition: condition.to_string(),
            replicate,
        })
    }
}

/// The change of one item's code, as a unified diff of its canonical text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeDiff {
    /// The item (`step \`scale\``, `crate::helpers::mean`).
    pub item: String,
    /// Its old code hash (short), if it was reached before.
    pub old: Option<String>,
    /// Its new code hash (short), if it is still reached.
    pub new: Option<String>,
    /// The unified diff (empty, with `note` saying why, where a text is not available).
    pub diff: String,
    /// Why there is no diff, when there is none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// One condition's entry.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ConditionReport {
    /// `ran` if any unit executed, else `loaded`.
    pub action: Action,
    /// Units executed.
    pub units_run: u32,
    /// Units loaded.
    pub units_loaded: u32,
    /// `plan` only: of `units_run`, those whose producer runs first; they are decided by the
    /// content it publishes (byte-identical artifacts load).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub units_pending: u32,
    /// Metric → value per replicate (`null` where a replicate failed or had no value).
    pub metrics: BTreeMap<String, Vec<Option<f64>>>,
    /// Failed units.
    pub errors: Vec<UnitErrorReport>,
    /// Why this condition's units run or load.
    #[serde(default)]
    pub reasons: Vec<Reason>,
    /// Step executions served from the step cache, over the units run or loaded.
    #[serde(default)]
    pub cache_hits: u32,
    /// Upstream artifacts this condition reads, and which producer condition and version.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<InputReport>,
    /// For a treatment the experiment inherits from upstream (it does not define it), the
    /// upstream experiments that define it; absent otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inherited_from: Vec<String>,
}

/// Which upstream artifact a condition reads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputReport {
    /// The input's name.
    pub input: String,
    /// The producing experiment.
    pub producer: String,
    /// The artifact file.
    pub file: String,
    /// The producer condition read (the same one, or `baseline` when the producer does not
    /// have it).
    pub condition: String,
    /// The producer version read.
    pub version: u32,
    /// The producer's replicates (replicate `i` reads `i % replicates`).
    pub replicates: u32,
}

pub use crate::store::journal::UnitErrorReport;

fn is_zero(value: &u32) -> bool {
    *value == 0
}

impl Report {
    /// Number of failed units across all experiments.
    pub fn failed_units(&self) -> usize {
        self.experiments
            .iter()
            .flat_map(|experiment| experiment.conditions.values())
            .map(|condition| condition.errors.len())
            .sum()
    }
}

/// The kebab-case name of a reason kind, as in the JSON report.
pub(crate) fn kind_name(kind: ReasonKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|value| value.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// `0-9, 12, 14-15`.
pub(crate) fn ranges(values: &[u32]) -> String {
    let mut parts = Vec::new();
    let mut index = 0;
    while index < values.len() {
        let start = values[index];
        let mut end = start;
        while index + 1 < values.len() && values[index + 1] == end + 1 {
            index += 1;
            end = values[index];
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        index += 1;
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind of reason, listed by a match that stops compiling when one is added.
    fn every_kind() -> Vec<ReasonKind> {
        use ReasonKind::*;
        let kinds = vec![
            FirstRun,
            StrategyRerun,
            CodeChanged,
            DependencyChanged,
            EnvironmentChanged,
            ParamsChanged,
            TreatmentAdded,
            TreatmentChanged,
            ReplicatesAdded,
            UpstreamChanged,
            MarkerMissing,
            MetadataMissing,
            ArtifactMissing,
            CorruptFile,
            FailedBefore,
            KeySchemeChanged,
            SignatureUnchanged,
            Forced,
        ];
        for kind in &kinds {
            match kind {
                FirstRun | StrategyRerun | CodeChanged | DependencyChanged | EnvironmentChanged
                | ParamsChanged | TreatmentAdded | TreatmentChanged | ReplicatesAdded
                | UpstreamChanged | MarkerMissing | MetadataMissing | ArtifactMissing
                | CorruptFile | FailedBefore | KeySchemeChanged | SignatureUnchanged | Forced => {}
            }
        }
        kinds
    }

    #[test]
    fn the_schema_lists_every_kind_of_reason() {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../../report.schema.json")).unwrap();
        let listed = &schema["$defs"]["reason"]["properties"]["kind"]["enum"];
        let listed: Vec<&str> = listed
            .as_array()
            .expect("the reason kinds are an enum")
            .iter()
            .map(|kind| kind.as_str().unwrap())
            .collect();
        let kinds: Vec<String> = every_kind().into_iter().map(kind_name).collect();
        assert_eq!(listed, kinds);
    }

    #[test]
    fn units_parse_from_experiment_condition_replicate() {
        assert_eq!(
            UnitRef::parse("quickstart/baseline/3"),
            Ok(UnitRef {
                experiment: "quickstart".into(),
                condition: "baseline".into(),
                replicate: 3,
            })
        );
        for bad in [
            "quickstart",
            "quickstart/baseline",
            "a/b/c/d",
            "/baseline/1",
            "a//1",
        ] {
            let error = UnitRef::parse(bad).unwrap_err();
            assert!(
                error.contains("EXPERIMENT/CONDITION/REPLICATE"),
                "{bad}: {error}"
            );
        }
        let error = UnitRef::parse("a/b/-1").unwrap_err();
        assert!(
            error.contains("replicate `-1` is not a whole number"),
            "{error}"
        );
    }

    #[test]
    fn a_reason_reads_as_one_line_with_its_replicates() {
        let mut reason = Reason::new(ReasonKind::FailedBefore, "failed in v0: boom");
        assert_eq!(reason.line(), "failed-before: failed in v0: boom");
        reason.replicates = "7".into();
        assert_eq!(
            reason.line(),
            "replicate 7: failed-before: failed in v0: boom"
        );
        reason.replicates = "0-299".into();
        assert_eq!(
            reason.line(),
            "replicates 0-299: failed-before: failed in v0: boom"
        );
        let json = serde_json::to_value(Reason::new(ReasonKind::FirstRun, "x")).unwrap();
        assert!(json.get("replicates").is_none(), "{json}");
    }
}
