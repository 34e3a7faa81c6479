//! The resume rules (DESIGN §6, the README's "Resume" and "Failure behaviour"), one row each:
//! the runs stored (facts in memory, no files), the plan now, and what every unit does. A row
//! may check more (warnings, what was read, where the result comes from) after `then`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Value, json};

use crate::decide::report::ReasonKind::{self, *};
use crate::define::registration::Strategy;
use crate::key::seed::SEED_SCHEME;
use crate::key::signature::{CodeHash, ConditionRecord, KEY_SCHEME, StageRecord, UpstreamRead};
use crate::key::toolchain::Toolchain;
use crate::store::files::FileStamp;
use crate::store::journal::{ArtifactEntry, JournalContents, UnitErrorReport, UnitRecord};
use crate::store::marker::{self, SizeStamp, Summary};
use crate::store::provenance::Provenance;
use crate::store::records::{
    FORMAT, Metadata, RecordError, ResultsFile, STATUS_COMPLETE, STATUS_RUNNING, StoredCondition,
    manifest_of,
};
use crate::store::version::Candidate;

use super::current::{Current, CurrentCondition};
use super::decide;
use super::decision::{Decision, UnitView, Units};
use super::observe::{ArtifactStat, Content};
use super::observed::{Observed, ObservedArtifact, ObservedCondition, ObservedVersion};

const DIR: &str = "/data/exp";
const SEED: u64 = 7;
const STAGES: [&str; 2] = ["numbers", "scale"];
/// The artifact every unit writes (step `scale`).
const OUT: &str = "out.json";

/// What an experiment's plan says: baseline params, treatments with their payloads, and the
/// signature records computed from them.
struct Plan {
    code: &'static str,
    params: Value,
    treatments: Vec<(&'static str, Value)>,
    replicates: u32,
    strategy: Strategy,
    versioned: bool,
    declared: Vec<String>,
    reads: Vec<UpstreamRead>,
    pending: Vec<&'static str>,
    strict: bool,
    /// Conditions the user asked to recompute.
    recompute: Vec<&'static str>,
    /// Per condition: name, record, payload.
    records: Vec<(String, Arc<ConditionRecord>, Value)>,
}

impl Plan {
    /// `baseline` (`factor` 1, `offset` 0) and `double` (`factor` 2), 2 replicates, `resume`.
    fn new() -> Plan {
        Plan {
            code: "scale v1",
            params: json!({"factor": 1.0, "offset": 0.0}),
            treatments: vec![("double", json!({"factor": 2.0}))],
            replicates: 2,
            strategy: Strategy::Resume,
            versioned: false,
            declared: Vec::new(),
            reads: Vec::new(),
            pending: Vec::new(),
            strict: false,
            recompute: Vec::new(),
            records: Vec::new(),
        }
        .rebuild()
    }

    fn rebuild(mut self) -> Plan {
        let stages = self.stages();
        let environment = self.strict.then(Toolchain::current);
        let conditions = std::iter::once(("baseline", json!({})))
            .chain(self.treatments.iter().cloned())
            .map(|(name, payload)| {
                let mut params = self.params.clone();
                if let (Some(into), Some(over)) = (params.as_object_mut(), payload.as_object()) {
                    into.extend(over.clone());
                }
                let record = ConditionRecord::with_upstream(
                    stages.clone(),
                    params,
                    SEED,
                    SEED_SCHEME,
                    self.reads.clone(),
                )
                .with_environment(environment.clone());
                (name.to_string(), Arc::new(record), payload)
            })
            .collect();
        self.records = conditions;
        self
    }

    fn stages(&self) -> Vec<StageRecord> {
        let stage = |name: &str, kind: &str, code: &str| StageRecord {
            name: name.into(),
            kind: kind.into(),
            code: CodeHash::of(code.as_bytes()),
            uses: vec![],
            reaches: vec![],
            dependencies: vec![],
            ignored: vec![],
        };
        vec![
            stage("numbers", "source", "numbers"),
            stage("scale", "step", self.code),
        ]
    }

    fn code(mut self, code: &'static str) -> Plan {
        self.code = code;
        self.rebuild()
    }

    fn param(mut self, name: &str, value: Value) -> Plan {
        if let Some(params) = self.params.as_object_mut() {
            params.insert(name.into(), value);
        }
        self.rebuild()
    }

    /// Adds treatment `name`, or gives it another payload.
    fn treatment(mut self, name: &'static str, payload: Value) -> Plan {
        self.treatments.retain(|(known, _)| *known != name);
        self.treatments.push((name, payload));
        self.rebuild()
    }

    fn replicates(mut self, replicates: u32) -> Plan {
        self.replicates = replicates;
        self
    }

    fn strategy(mut self, strategy: Strategy) -> Plan {
        self.strategy = strategy;
        self
    }

    /// The user asks to recompute condition `name`.
    fn recompute(mut self, name: &'static str) -> Plan {
        self.recompute.push(name);
        self
    }

    fn versioned(mut self) -> Plan {
        self.versioned = true;
        self
    }

    fn declare(mut self, file: &str) -> Plan {
        self.declared.push(file.into());
        self
    }

    fn strict(mut self) -> Plan {
        self.strict = true;
        self.rebuild()
    }

    /// Every condition reads `a.json` of producer `up` (2 replicates) with this content.
    fn reads(mut self, hashes: &[Option<u8>]) -> Plan {
        self.reads = vec![UpstreamRead {
            input: "data".into(),
            producer: "up".into(),
            file: "a.json".into(),
            condition: "baseline".into(),
            replicates: 2,
            hashes: hashes
                .iter()
                .map(|byte| byte.map(|byte| CodeHash::of(&[byte])))
                .collect(),
        }];
        self.rebuild()
    }

    /// For `plan`: producer `up` would run some units first.
    fn pending(mut self) -> Plan {
        self.pending.push("up");
        self
    }

    fn current(&self) -> Current<'_> {
        Current {
            strategy: self.strategy,
            versioned: self.versioned,
            replicates: self.replicates,
            conditions: self
                .records
                .iter()
                .map(|(name, record, payload)| CurrentCondition {
                    name,
                    record,
                    payload,
                    recompute: self.recompute.iter().any(|wanted| wanted == name),
                })
                .collect(),
            defined: self
                .records
                .iter()
                .map(|(name, ..)| name.as_str())
                .collect(),
            stages: STAGES.to_vec(),
            declared: &self.declared,
            pending_producers: self.pending.clone(),
            toolchain: Toolchain::current(),
        }
    }
}

fn artifact_path(condition: &str, replicate: u32) -> PathBuf {
    PathBuf::from(format!("replicate_{replicate}/{condition}/scale/{OUT}"))
}

fn content(condition: &str, replicate: u32) -> Content {
    Content {
        hash: CodeHash::of(format!("{condition} {replicate}").as_bytes()),
        size: 8,
        stamp: FileStamp {
            mtime_ns: 1_000 + u64::from(replicate),
            inode: 10 + u64::from(replicate),
        },
    }
}

/// The record a run of `plan` journals for one unit.
fn unit_record(name: &str, record: &ConditionRecord, replicate: u32, version: u32) -> UnitRecord {
    let written = content(name, replicate);
    UnitRecord {
        condition: name.into(),
        replicate,
        key: record.unit_key(replicate),
        metrics: [("mean", Some(f64::from(replicate) + 0.5))]
            .into_iter()
            .collect(),
        artifacts: vec![ArtifactEntry {
            stage: "scale".into(),
            file: OUT.into(),
            hash: written.hash,
            size: written.size,
            stamp: written.stamp,
        }],
        error: None,
        computed_in: version,
        cache_hits: vec![],
        cache_entries: vec![],
    }
}

fn metadata(plan: &Plan, version: u32, complete: bool) -> Metadata {
    Metadata {
        replicates: plan.replicates,
        id: "id".into(),
        name: "exp".into(),
        version,
        format: FORMAT,
        status: if complete {
            STATUS_COMPLETE
        } else {
            STATUS_RUNNING
        }
        .into(),
        strategy: "resume".into(),
        seed: SEED,
        seed_scheme: SEED_SCHEME,
        key_scheme: KEY_SCHEME,
        stages: plan.stages(),
        conditions: plan
            .records
            .iter()
            .map(|(name, record, payload)| {
                let stored = StoredCondition {
                    params: record.params.clone(),
                    payload: payload.clone(),
                    key: record.key,
                    replicates: None,
                    upstream: record.upstream.clone(),
                    ran_with: None,
                    environment: record.environment.clone(),
                };
                (name.clone(), stored)
            })
            .collect(),
        reads: BTreeMap::new(),
        provenance: Provenance {
            crystallize: "0.1.0".into(),
            rustc: "rustc".into(),
            git: None,
            host: None,
            started: String::new(),
            finished: String::new(),
            duration_s: 0.0,
        },
        toolchain: None,
    }
}

/// Version `version` as a run of `plan` leaves it: finished (markers, results, manifest) or
/// not, with the units `ran` journaled and their artifacts written.
fn version_of(
    plan: &Plan,
    version: u32,
    complete: bool,
    ran: impl Fn(&str, u32) -> bool,
) -> ObservedVersion {
    let mut records: BTreeMap<String, BTreeMap<u32, Arc<UnitRecord>>> = BTreeMap::new();
    let mut artifacts = BTreeMap::new();
    for (name, record, _) in &plan.records {
        for replicate in (0..plan.replicates).filter(|&replicate| ran(name, replicate)) {
            let written = content(name, replicate);
            let stat = ArtifactStat::File {
                size: written.size,
                stamp: written.stamp,
            };
            let artifact = ObservedArtifact {
                stat,
                content: Some(written),
            };
            artifacts.insert(artifact_path(name, replicate), artifact);
            let unit = unit_record(name, record, replicate, version);
            records
                .entry(name.clone())
                .or_default()
                .insert(replicate, Arc::new(unit));
        }
    }
    let conditions = plan
        .records
        .iter()
        .filter(|_| complete)
        .map(|(name, record, _)| {
            let slots = (0..plan.replicates).map(|replicate| {
                records
                    .get(name)
                    .and_then(|units| units.get(&replicate))
                    .map(|unit| &**unit)
            });
            let condition = ObservedCondition {
                link: false,
                marker: Ok(record.key.hex().into_bytes()),
                results: Ok(ResultsFile::from_records(slots)),
            };
            (name.clone(), condition)
        })
        .collect();
    let manifest = if complete {
        Ok(manifest_of(
            &STAGES,
            records
                .values()
                .flat_map(BTreeMap::values)
                .flat_map(|unit| &unit.artifacts),
        ))
    } else {
        Err(RecordError::Missing)
    };
    ObservedVersion {
        candidate: Candidate {
            version,
            dir: Path::new(DIR).join(format!("v{version}")),
            staged: false,
        },
        metadata: Ok(metadata(plan, version, complete)),
        journal: Ok(Some(JournalContents {
            records,
            bad_lines: Vec::new(),
            tampered: BTreeMap::new(),
        })),
        journal_stamp: None,
        foreign: Vec::new(),
        manifest,
        conditions,
        artifacts,
    }
}

/// `version` with a summary in each marker, as this release writes them, and its journal's
/// stamp the one they record.
fn with_summaries(plan: &Plan, mut version: ObservedVersion) -> ObservedVersion {
    let journal = SizeStamp {
        size: 4096,
        stamp: FileStamp {
            mtime_ns: 42,
            inode: 9,
        },
    };
    version.journal_stamp = Some(journal);
    let records = version.journal().records.clone();
    for (name, record, _) in &plan.records {
        let units: Vec<&UnitRecord> = records[name].values().map(|unit| &**unit).collect();
        let condition = version.condition(name);
        let results = condition.results.as_ref().expect("results");
        let mut bytes = serde_json::to_vec_pretty(results).unwrap();
        bytes.push(b'\n');
        let summary = Summary::of(
            units.into_iter(),
            |replicate| record.unit_key(replicate),
            &bytes,
            results.metrics.len(),
            &record.upstream,
            journal,
        )
        .expect("a summary of the records");
        condition.marker = Ok(marker::encode(record.key, Some(&summary)));
    }
    version
}

/// `version` with summaries in each marker as earlier releases wrote them: a JSON line of
/// format 2, whose upstream digest is over the reads' JSON.
fn with_json_summaries(plan: &Plan, version: ObservedVersion) -> ObservedVersion {
    let mut version = with_summaries(plan, version);
    for (name, record, _) in &plan.records {
        let condition = version.condition(name);
        let current = marker::Marker::parse(condition.marker.as_ref().expect("a marker"));
        let summary = marker::Summary {
            format: 2,
            upstream: marker::upstream_digest(&record.upstream, 2),
            ..current.summary.expect("a summary").expect("a good summary")
        };
        let mut bytes = format!("{}\n", record.key.hex()).into_bytes();
        crate::store::journal::encode_line(&mut bytes, &summary).unwrap();
        assert!(!bytes.starts_with(b"#summary3"));
        condition.marker = Ok(bytes);
    }
    version
}

/// Version `version` of a run of `plan` that finished.
fn finished(plan: &Plan, version: u32) -> ObservedVersion {
    version_of(plan, version, true, |_, _| true)
}

/// Version `version` of a run of `plan` interrupted after the units `ran`.
fn unfinished(plan: &Plan, version: u32, ran: &[(&str, u32)]) -> ObservedVersion {
    version_of(plan, version, false, |name, replicate| {
        ran.contains(&(name, replicate))
    })
}

/// The experiment directory holding `versions`, newest first.
fn stored(versions: Vec<ObservedVersion>) -> Observed {
    Observed::new(Path::new(DIR), versions)
}

/// `v0` of a finished run of [`Plan::new`], changed by `edit`.
fn v0_edited(edit: impl FnOnce(&mut ObservedVersion)) -> Observed {
    let mut v0 = finished(&Plan::new(), 0);
    edit(&mut v0);
    stored(vec![v0])
}

impl ObservedVersion {
    fn condition(&mut self, name: &str) -> &mut ObservedCondition {
        self.conditions
            .get_mut(name)
            .expect("a condition of the run")
    }

    fn artifact(&mut self, name: &str, replicate: u32) -> &mut ObservedArtifact {
        self.artifacts
            .get_mut(&artifact_path(name, replicate))
            .expect("an artifact of the run")
    }

    fn journal(&mut self) -> &mut JournalContents {
        match &mut self.journal {
            Ok(Some(journal)) => journal,
            _ => panic!("a readable journal"),
        }
    }

    fn metadata(&mut self) -> &mut Metadata {
        self.metadata.as_mut().expect("readable metadata")
    }

    /// Drops the journal record of one unit (what a torn or tampered line leaves).
    fn forget(&mut self, name: &str, replicate: u32) {
        let records = self.journal().records.get_mut(name).expect("records");
        records.remove(&replicate);
    }
}

/// `Metadata::holds_record` (the stored record compared in place) says what building the stored
/// record and comparing it says, for every component that can differ.
#[test]
fn a_stored_record_compared_in_place_agrees_with_the_built_one() {
    let stored_plan = Plan::new().reads(&[Some(1), Some(2)]);
    let mut stored = metadata(&stored_plan, 0, true);
    let variants = [
        Plan::new().reads(&[Some(1), Some(2)]),
        Plan::new().reads(&[Some(1), Some(3)]),
        Plan::new(),
        Plan::new().reads(&[Some(1), Some(2)]).code("scale v2"),
        Plan::new()
            .reads(&[Some(1), Some(2)])
            .param("offset", json!(1.0)),
        Plan::new().reads(&[Some(1), Some(2)]).strict(),
    ];
    let mut answers = Vec::new();
    for ran_with_another_seed in [false, true] {
        if ran_with_another_seed {
            let mut shared = stored.shared();
            shared.seed += 1;
            stored
                .conditions
                .get_mut("double")
                .expect("double")
                .ran_with = Some(shared);
        }
        for plan in &variants {
            for (name, record, _) in &plan.records {
                let built = stored.condition_record(name);
                let held = stored.holds_record(name, record);
                assert_eq!(
                    held,
                    built.as_ref() == Some(&**record),
                    "{name}: {record:?}"
                );
                answers.push(held);
            }
        }
    }
    assert!(!stored.holds_record("absent", &variants[0].records[0].1));
    assert!(
        answers.contains(&true) && answers.contains(&false),
        "{answers:?}"
    );
}

/// What one unit does, as the rows expect it.
#[derive(Clone, Debug, PartialEq)]
enum U {
    /// Loads from `v<N>`.
    Load(u32),
    Run(ReasonKind),
}

use U::{Load, Run};

fn units(decision: &Decision) -> Vec<Vec<U>> {
    decision
        .conditions
        .iter()
        .map(|condition| {
            condition
                .units
                .iter()
                .map(|unit| match unit {
                    UnitView::Load(loaded) => Load(loaded.version()),
                    UnitView::Run(why) => Run(why.kind),
                })
                .collect()
        })
        .collect()
}

/// What was asked of `fact` (`artifact`, `rehash`, ...).
fn asked<'a>(observed: &'a Observed, fact: &str) -> Vec<&'a str> {
    let fact = format!("{fact} ");
    observed
        .asked
        .iter()
        .map(String::as_str)
        .filter(|asked| asked.starts_with(&fact))
        .collect()
}

fn warned(decision: &Decision, text: &str) -> bool {
    decision
        .warnings
        .iter()
        .any(|warning| warning.contains(text))
}

/// One test per rule: `stored` (an [`Observed`]), `plan` (a [`Plan`]), `expect` (per planned
/// condition, per replicate), and optionally `warns` (a warning given, by part of its text) and
/// `then` (a check of the decision and of what was read).
macro_rules! rules {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident {
            stored: $stored:expr,
            plan: $plan:expr,
            expect: [$($units:expr),* $(,)?]
            $(, warns: $warns:expr)?
            $(, then: $then:expr)? $(,)?
        }
    )*) => {$(
        $(#[doc = $doc])*
        #[test]
        fn $name() {
            let mut observed: Observed = $stored;
            let plan: Plan = $plan;
            let decision = decide(&mut observed, &plan.current());
            let expected: Vec<Vec<U>> = vec![$($units),*];
            assert_eq!(
                units(&decision),
                expected,
                "reasons: {:#?}\nwarnings: {:#?}",
                decision.reasons(),
                decision.warnings
            );
            $(
                let warning: &str = $warns;
                assert!(
                    decision.warnings.iter().any(|warned| warned.contains(warning)),
                    "no warning `{warning}` among {:#?}",
                    decision.warnings
                );
            )?
            $(
                let then: fn(&Decision, &Observed) = $then;
                then(&decision, &observed);
            )?
        }
    )*};
}

rules! {
    /// A marker with a summary loads its condition whole: the journal is not read, every
    /// artifact is still checked (none rehashed).
    a_summary_loads_its_condition_whole_without_the_journal {
        stored: stored(vec![with_summaries(&Plan::new(), finished(&Plan::new(), 0))]),
        plan: Plan::new(),
        expect: [vec![Load(0); 2], vec![Load(0); 2]],
        then: |decision, observed| {
            assert!(asked(observed, "journal").is_empty(), "{:?}", observed.asked);
            assert_eq!(asked(observed, "artifact").len(), 4);
            assert!(asked(observed, "rehash").is_empty());
            assert!(decision
                .conditions
                .iter()
                .all(|condition| matches!(condition.units, Units::Whole(_))));
            assert!(decision.source_complete);
        },
    }

    /// A summary of an earlier release (JSON, format 2) loads its condition whole as well.
    a_json_summary_of_an_earlier_release_loads_its_condition_whole {
        stored: stored(vec![with_json_summaries(&Plan::new(), finished(&Plan::new(), 0))]),
        plan: Plan::new(),
        expect: [vec![Load(0); 2], vec![Load(0); 2]],
        then: |decision, observed| {
            assert!(asked(observed, "journal").is_empty(), "{:?}", observed.asked);
            assert!(decision
                .conditions
                .iter()
                .all(|condition| matches!(condition.units, Units::Whole(_))));
        },
    }

    /// A journal whose stamp moved since the markers were written is read instead.
    a_journal_that_moved_since_the_summary_is_read {
        stored: stored(vec![{
            let mut v0 = with_summaries(&Plan::new(), finished(&Plan::new(), 0));
            v0.journal_stamp = Some(SizeStamp::default());
            v0
        }]),
        plan: Plan::new(),
        expect: [vec![Load(0); 2], vec![Load(0); 2]],
        then: |decision, observed| {
            assert_eq!(asked(observed, "journal"), ["journal v0"]);
            assert!(decision
                .conditions
                .iter()
                .all(|condition| matches!(condition.units, Units::Each(_))));
        },
    }

    /// Under a summary, a gone artifact still reruns its unit (the journal then says why).
    a_gone_artifact_under_a_summary_reruns_its_unit {
        stored: stored(vec![{
            let mut v0 = with_summaries(&Plan::new(), finished(&Plan::new(), 0));
            v0.artifacts.remove(&artifact_path("double", 1));
            v0
        }]),
        plan: Plan::new(),
        expect: [vec![Load(0); 2], vec![Load(0), Run(ArtifactMissing)]],
    }

    /// Under a summary, edited results are caught by their hash (and the journal says how).
    edited_results_under_a_summary_rerun_their_condition {
        stored: stored(vec![{
            let mut v0 = with_summaries(&Plan::new(), finished(&Plan::new(), 0));
            let results = v0.condition("baseline").results.as_mut().expect("results");
            results.metrics.insert("mean".into(), vec![Some(9.0), Some(9.0)]);
            v0
        }]),
        plan: Plan::new(),
        expect: [vec![Run(CorruptFile); 2], vec![Load(0); 2]],
        warns: "holds values other than the journal's",
    }

    /// Nothing stored: every unit runs.
    first_run_runs_every_unit {
        stored: stored(vec![]),
        plan: Plan::new(),
        expect: [vec![Run(FirstRun); 2], vec![Run(FirstRun); 2]],
    }

    /// Nothing changed: every unit loads, every artifact is checked once and none rehashed,
    /// and nothing is written.
    nothing_changed_loads_every_unit_and_writes_nothing {
        stored: stored(vec![finished(&Plan::new(), 0)]),
        plan: Plan::new(),
        expect: [vec![Load(0); 2], vec![Load(0); 2]],
        then: |decision, observed| {
            assert!(decision.source_complete);
            assert_eq!(decision.source, Some(0));
            assert_eq!(decision.source_dir, Some(PathBuf::from("/data/exp/v0")));
            assert!(decision.warnings.is_empty(), "{:?}", decision.warnings);
            let count = |fact: &str| asked(observed, fact).len();
            assert_eq!((count("artifact"), count("rehash")), (4, 0), "{:#?}", observed.asked);
            assert_eq!((count("metadata"), count("journal"), count("manifest")), (1, 1, 1));
        },
    }

    /// `rerun` executes every unit; a non-versioned experiment still reads which versions
    /// it has (it rewrites the newest).
    strategy_rerun_runs_every_unit {
        stored: stored(vec![finished(&Plan::new(), 0)]),
        plan: Plan::new().strategy(Strategy::Rerun),
        expect: [vec![Run(StrategyRerun); 2], vec![Run(StrategyRerun); 2]],
        then: |decision, observed| {
            assert_eq!(decision.source, None);
            assert_eq!(decision.stored.usable.len(), 1);
            assert_eq!(observed.asked, ["metadata v0"]);
        },
    }

    /// A condition the user asked to recompute runs every unit, for the reason `forced`; the
    /// others still load.
    recompute_requested_runs_only_that_condition {
        stored: stored(vec![finished(&Plan::new(), 0)]),
        plan: Plan::new().recompute("double"),
        expect: [vec![Load(0); 2], vec![Run(Forced); 2]],
        then: |decision, _| {
            let reasons = decision.reasons();
            assert!(
                reasons.iter().any(|reason| reason.detail == "recompute requested"),
                "{reasons:?}"
            );
        },
    }

    /// Recomputing a condition that never ran still says it is the first run.
    recompute_requested_of_a_first_run_is_a_first_run {
        stored: stored(vec![]),
        plan: Plan::new().recompute("baseline"),
        expect: [vec![Run(FirstRun); 2], vec![Run(FirstRun); 2]],
    }

    /// A versioned `rerun` claims a new version: nothing stored is read.
    versioned_rerun_reads_nothing {
        stored: stored(vec![finished(&Plan::new(), 0)]),
        plan: Plan::new().versioned().strategy(Strategy::Rerun),
        expect: [vec![Run(StrategyRerun); 2], vec![Run(StrategyRerun); 2]],
        then: |_, observed| assert!(observed.asked.is_empty(), "{:?}", observed.asked),
    }

    /// Rule 1: a step's code changed: every condition runs, with the change explained.
    code_changed_runs_every_condition {
        stored: stored(vec![finished(&Plan::new(), 0)]),
        plan: Plan::new().code("scale v2"),
        expect: [vec![Run(CodeChanged); 2], vec![Run(CodeChanged); 2]],
        then: |decision, _| {
            let first = &decision.conditions[0];
            assert!(first.changes[0].detail.starts_with("step `scale`: code hash"));
            assert_eq!(first.code_changes.len(), 1);
        },
    }

    /// Rule 1: a baseline param every condition has changed: every condition runs.
    param_changed_runs_every_condition {
        stored: stored(vec![finished(&Plan::new(), 0)]),
        plan: Plan::new().param("offset", json!(0.5)),
        expect: [vec![Run(ParamsChanged); 2], vec![Run(ParamsChanged); 2]],
    }

    /// Rule 1, in strict mode: the toolchain became part of the keys.
    strict_environment_runs_every_condition {
        stored: stored(vec![finished(&Plan::new(), 0)]),
        plan: Plan::new().strict(),
        expect: [vec![Run(EnvironmentChanged); 2], vec![Run(EnvironmentChanged); 2]],
    }

    /// Outside strict mode a toolchain change is a note, and everything loads.
    toolchain_changed_is_a_note_outside_strict_mode {
        stored: v0_edited(|v0| {
            v0.metadata().toolchain = Some(Toolchain {
                rustc: "rustc 0.1.0".into(),
                ..Toolchain::current()
            });
        }),
        plan: Plan::new(),
        expect: [vec![Load(0); 2], vec![Load(0); 2]],
        warns: "note: the toolchain changed since v0 (rustc rustc 0.1.0 -> ",
    }

    /// Rule 2: a new treatment runs alone.
    treatment_added_runs_only_it {
        stored: stored(vec![finished(&Plan::new(), 0)]),
        plan: Plan::new().treatment("triple", json!({"factor": 3.0})),
        expect: [vec![Load(0); 2], vec![Load(0); 2], vec![Run(TreatmentAdded); 2]],
        then: |decision, _| assert!(!decision.source_complete),
    }

    /// Rule 2: a treatment whose payload changed runs alone.
    treatment_changed_runs_only_it {
        stored: stored(vec![finished(&Plan::new(), 0)]),
        plan: Plan::new().treatment("double", json!({"factor": 2.5})),
        expect: [vec![Load(0); 2], vec![Run(TreatmentChanged); 2]],
        then: |decision, _| assert_eq!(
            decision.conditions[1].changes[0].detail,
            "treatment `double`: param `factor` 2.0 -> 2.5"
        ),
    }

    /// A run limited by `--treatment` left the other conditions to the older version.
    a_condition_a_newer_run_left_out_loads_from_the_older_version {
        stored: {
            let mut v1 = finished(&Plan::new(), 1);
            v1.metadata().conditions.remove("double");
            v1.conditions.remove("double");
            v1.journal().records.remove("double");
            stored(vec![v1, finished(&Plan::new(), 0)])
        },
        plan: Plan::new(),
        expect: [vec![Load(1); 2], vec![Load(0); 2]],
        then: |decision, _| assert!(!decision.source_complete),
    }

    /// Rule 5: added replicates run alone.
    replicates_added_run_only_the_new_ones {
        stored: stored(vec![finished(&Plan::new(), 0)]),
        plan: Plan::new().replicates(3),
        expect: [
            vec![Load(0), Load(0), Run(ReplicatesAdded)],
            vec![Load(0), Load(0), Run(ReplicatesAdded)],
        ],
    }

    /// Rule 5: fewer replicates reuse the first ones (the version is written again, with
    /// fewer).
    fewer_replicates_reuse_the_first {
        stored: stored(vec![finished(&Plan::new(), 0)]),
        plan: Plan::new().replicates(1),
        expect: [vec![Load(0)], vec![Load(0)]],
        then: |decision, _| {
            assert_eq!(decision.source, Some(0));
            assert!(!decision.source_complete);
        },
    }

    /// Rule 4: a missing completion marker reruns its condition (how a condition is forced
    /// to run again).
    marker_missing_reruns_its_condition {
        stored: v0_edited(|v0| v0.condition("baseline").marker = Err(RecordError::Missing)),
        plan: Plan::new(),
        expect: [vec![Run(MarkerMissing); 2], vec![Load(0); 2]],
    }

    /// A marker without the condition's key is corrupt: its condition reruns, reported.
    marker_without_the_key_reruns_its_condition {
        stored: v0_edited(|v0| v0.condition("double").marker = Ok(b"garbage".to_vec())),
        plan: Plan::new(),
        expect: [vec![Load(0); 2], vec![Run(CorruptFile); 2]],
        warns: "does not hold the key of condition `double`",
    }

    /// Rule 4: a version without metadata is skipped (reported); an older one decides.
    metadata_missing_skips_the_version_and_an_older_one_decides {
        stored: {
            let mut v1 = finished(&Plan::new(), 1);
            v1.metadata = Err(RecordError::Missing);
            stored(vec![v1, finished(&Plan::new(), 0)])
        },
        plan: Plan::new(),
        expect: [vec![Load(0); 2], vec![Load(0); 2]],
        then: |decision, _| {
            assert!(warned(decision, "/data/exp/v1 has no metadata.json: an interrupted run"));
            assert_eq!(decision.stored.unusable.len(), 1);
            assert_eq!(decision.stored.unusable[0].version, 1);
        },
    }

    /// Rule 4: with no other version, missing metadata runs everything.
    metadata_missing_with_no_older_version_runs_everything {
        stored: v0_edited(|v0| v0.metadata = Err(RecordError::Missing)),
        plan: Plan::new(),
        expect: [vec![Run(MetadataMissing); 2], vec![Run(MetadataMissing); 2]],
    }

    /// Rule 4: unreadable metadata is corrupt: the version is unusable.
    metadata_unreadable_runs_everything {
        stored: v0_edited(|v0| v0.metadata = Err(RecordError::Corrupt("expected value".into()))),
        plan: Plan::new(),
        expect: [vec![Run(CorruptFile); 2], vec![Run(CorruptFile); 2]],
        warns: "has an unreadable metadata.json (expected value)",
    }

    /// A stored run without a baseline (every run has one) is corrupt for the baseline.
    a_stored_run_without_baseline_reruns_the_baseline {
        stored: v0_edited(|v0| {
            v0.metadata().conditions.remove("baseline");
        }),
        plan: Plan::new(),
        expect: [vec![Run(CorruptFile); 2], vec![Load(0); 2]],
        then: |decision, _| assert_eq!(
            decision.conditions[0].units.get(0).map(|unit| match unit {
                UnitView::Run(why) => why.detail.clone(),
                UnitView::Load(_) => String::new(),
            }),
            Some("/data/exp/v0/metadata.json has no baseline".to_string())
        ),
    }

    /// Rule 4: a gone artifact reruns its unit.
    artifact_missing_reruns_its_unit {
        stored: v0_edited(|v0| {
            v0.artifacts.remove(&artifact_path("baseline", 1));
        }),
        plan: Plan::new(),
        expect: [vec![Load(0), Run(ArtifactMissing)], vec![Load(0); 2]],
    }

    /// An artifact edited in place (stamp moved, other content) reruns its unit, reported.
    artifact_edited_reruns_its_unit {
        stored: v0_edited(|v0| {
            let artifact = v0.artifact("double", 0);
            let moved = FileStamp { mtime_ns: 5, inode: 10 };
            artifact.stat = ArtifactStat::File { size: 8, stamp: moved };
            let edited = CodeHash::of(b"edited");
            artifact.content = Some(Content { hash: edited, ..content("double", 0) });
        }),
        plan: Plan::new(),
        expect: [vec![Load(0); 2], vec![Run(CorruptFile), Load(0)]],
        warns: "replicate_0/double/scale/out.json changed after it was written",
    }

    /// An artifact touched (stamp moved, same content) loads, with its fresh stamp; it alone
    /// is hashed again.
    artifact_touched_loads_with_its_fresh_stamp {
        stored: v0_edited(|v0| {
            let touched = FileStamp { mtime_ns: 5, inode: 10 };
            let artifact = v0.artifact("double", 0);
            artifact.stat = ArtifactStat::File { size: 8, stamp: touched };
            artifact.content = Some(Content { stamp: touched, ..content("double", 0) });
        }),
        plan: Plan::new(),
        expect: [vec![Load(0); 2], vec![Load(0); 2]],
        then: |decision, observed| {
            let Some(UnitView::Load(loaded)) = decision.conditions[1].units.get(0) else {
                panic!("loads");
            };
            assert_eq!(loaded.record().artifacts[0].stamp.mtime_ns, 5);
            assert_eq!(
                asked(observed, "rehash"),
                ["rehash v0 replicate_0/double/scale/out.json"]
            );
        },
    }

    /// A link where a replicate directory should be is foreign: the units below it run, and
    /// the link is reported once.
    symlinked_replicate_dir_reruns_the_units_below_it {
        stored: v0_edited(|v0| {
            for name in ["baseline", "double"] {
                let link = PathBuf::from("/data/exp/v0/replicate_1");
                v0.artifact(name, 1).stat = ArtifactStat::Link(link);
            }
        }),
        plan: Plan::new(),
        expect: [vec![Load(0), Run(ArtifactMissing)], vec![Load(0), Run(ArtifactMissing)]],
        then: |decision, _| {
            let link = "/data/exp/v0/replicate_1 is a symbolic link";
            let reported = decision.warnings.iter().filter(|warning| warning.contains(link));
            assert_eq!(reported.count(), 2, "once per condition: {:?}", decision.warnings);
        },
    }

    /// A link where a condition directory should be: the condition reruns.
    symlinked_condition_dir_reruns_its_condition {
        stored: v0_edited(|v0| v0.condition("baseline").link = true),
        plan: Plan::new(),
        expect: [vec![Run(CorruptFile); 2], vec![Load(0); 2]],
        warns: "/data/exp/v0/baseline is a symbolic link",
    }

    /// Rule 5 of the README: a unit that failed before runs again (its condition has no marker,
    /// and that alone does not rerun the others).
    failed_before_reruns_the_failed_unit {
        stored: v0_edited(|v0| {
            let records = v0.journal().records.get_mut("baseline").expect("records");
            let mut failed = (*records[&1]).clone();
            failed.error = Some(UnitErrorReport {
                replicate: 1,
                stage: "scale".into(),
                message: "boom".into(),
                panicked: false,
            });
            records.insert(1, Arc::new(failed));
            v0.condition("baseline").marker = Err(RecordError::Missing);
        }),
        plan: Plan::new(),
        expect: [vec![Load(0), Run(FailedBefore)], vec![Load(0); 2]],
    }

    /// Rule 3: the upstream content one unit reads changed: that unit alone runs, summarised
    /// per producer replicate.
    upstream_content_changed_reruns_the_units_reading_it {
        stored: stored(vec![finished(&Plan::new().reads(&[Some(1), Some(2)]), 0)]),
        plan: Plan::new().reads(&[Some(1), Some(9)]),
        expect: [vec![Load(0), Run(UpstreamChanged)], vec![Load(0), Run(UpstreamChanged)]],
        then: |decision, _| {
            let upstream = &decision.conditions[0].upstream;
            assert_eq!(upstream.len(), 1);
            let changed = "content of producer replicate(s) 1 changed";
            assert!(upstream[0].detail.ends_with(changed), "{upstream:?}");
        },
    }

    /// Rule 3, early cutoff: identical upstream bytes load.
    upstream_identical_content_loads {
        stored: stored(vec![finished(&Plan::new().reads(&[Some(1), Some(2)]), 0)]),
        plan: Plan::new().reads(&[Some(1), Some(2)]),
        expect: [vec![Load(0); 2], vec![Load(0); 2]],
    }

    /// For `plan`: a unit whose producer replicate runs first is decided after it.
    upstream_pending_waits_for_its_producer {
        stored: stored(vec![finished(&Plan::new().reads(&[Some(1), Some(2)]), 0)]),
        plan: Plan::new().reads(&[Some(1), None]).pending(),
        expect: [vec![Load(0), Run(UpstreamChanged)], vec![Load(0), Run(UpstreamChanged)]],
        then: |decision, _| {
            assert_eq!(decision.conditions[0].pending, 1);
            let waits = &decision.conditions[0].upstream[0].detail;
            assert!(waits.starts_with("upstream `up` runs first"), "{waits}");
        },
    }

    /// Rule 4: an output declared since the run reruns the units that lack it.
    declared_output_missing_reruns_its_units {
        stored: stored(vec![finished(&Plan::new(), 0)]),
        plan: Plan::new().declare("summary.json"),
        expect: [vec![Run(ArtifactMissing); 2], vec![Run(ArtifactMissing); 2]],
    }

    /// Declaring a file every unit already writes reruns nothing (outputs are not keyed).
    declared_output_already_written_loads {
        stored: stored(vec![finished(&Plan::new(), 0)]),
        plan: Plan::new().declare(OUT),
        expect: [vec![Load(0); 2], vec![Load(0); 2]],
    }

    /// Keys of another scheme are never compared: every unit runs once.
    key_scheme_changed_runs_every_unit_once {
        stored: v0_edited(|v0| {
            let metadata = v0.metadata();
            metadata.key_scheme = KEY_SCHEME - 1;
            for stored in metadata.conditions.values_mut() {
                stored.key = CodeHash::of(b"a key of scheme 1");
            }
        }),
        plan: Plan::new(),
        expect: [vec![Run(KeySchemeChanged); 2], vec![Run(KeySchemeChanged); 2]],
    }

    /// A stored key that its own record does not give is corrupt.
    a_stored_key_that_disagrees_with_its_record_reruns_its_condition {
        stored: v0_edited(|v0| {
            if let Some(stored) = v0.metadata().conditions.get_mut("double") {
                stored.key = CodeHash::of(b"forged");
            }
        }),
        plan: Plan::new(),
        expect: [vec![Load(0); 2], vec![Run(CorruptFile); 2]],
        warns: "the key of condition `double` does not match its record",
    }

    /// An interrupted newer run contributes what it journaled; the rest loads from an older
    /// version of the same key.
    unfinished_newer_version_falls_back_to_an_older_one_of_the_same_key {
        stored: stored(vec![
            unfinished(&Plan::new(), 1, &[("baseline", 0), ("double", 1)]),
            finished(&Plan::new(), 0),
        ]),
        plan: Plan::new(),
        expect: [vec![Load(1), Load(0)], vec![Load(0), Load(1)]],
        then: |decision, _| {
            assert_eq!(decision.source, Some(0));
            assert!(!decision.source_complete);
        },
    }

    /// Units an interrupted run did not reach, with no older version to load from, run.
    unfinished_version_runs_what_it_did_not_reach {
        stored: stored(vec![unfinished(&Plan::new(), 0, &[("baseline", 0)])]),
        plan: Plan::new(),
        expect: [vec![Load(0), Run(MarkerMissing)], vec![Run(MarkerMissing); 2]],
    }

    /// An interrupted newer run of another key gives way to the older version it would hide.
    unfinished_newer_version_of_another_key_gives_way {
        stored: {
            let other = Plan::new().param("offset", json!(9.0));
            stored(vec![
                unfinished(&other, 1, &[("baseline", 0), ("baseline", 1)]),
                finished(&Plan::new(), 0),
            ])
        },
        plan: Plan::new(),
        expect: [vec![Load(0); 2], vec![Load(0); 2]],
    }

    /// A `results.json` that disagrees with the journal reruns its condition, reported.
    results_disagreeing_with_the_journal_rerun_their_condition {
        stored: v0_edited(|v0| {
            v0.condition("baseline").results = Ok(ResultsFile {
                metrics: BTreeMap::from([("mean".to_string(), vec![Some(0.5), Some(99.0)])]),
            });
        }),
        plan: Plan::new(),
        expect: [vec![Run(CorruptFile); 2], vec![Load(0); 2]],
        warns: "baseline/results.json holds values other than the journal's",
    }

    /// An unreadable `results.json` reruns its condition.
    results_unreadable_rerun_their_condition {
        stored: v0_edited(|v0| {
            v0.condition("double").results = Err(RecordError::Corrupt("EOF".into()));
        }),
        plan: Plan::new(),
        expect: [vec![Load(0); 2], vec![Run(CorruptFile); 2]],
    }

    /// A journal line whose checksum fails is not trusted: its unit reruns, reported.
    tampered_journal_line_reruns_its_unit {
        stored: v0_edited(|v0| {
            v0.forget("baseline", 1);
            v0.journal().tampered.insert(("baseline".into(), 1), 2);
        }),
        plan: Plan::new(),
        expect: [vec![Load(0), Run(CorruptFile)], vec![Load(0); 2]],
        warns: "line 2 (`baseline` replicate 1) fails its checksum",
    }

    /// A torn journal line: its unit reruns.
    torn_journal_line_reruns_its_unit {
        stored: v0_edited(|v0| {
            v0.forget("double", 0);
            v0.journal().bad_lines.push(3);
        }),
        plan: Plan::new(),
        expect: [vec![Load(0); 2], vec![Run(CorruptFile), Load(0)]],
        warns: "unreadable line(s) [3] ignored",
    }

    /// An unreadable journal: every unit of the finished version lacks its record.
    unreadable_journal_reruns_every_unit {
        stored: v0_edited(|v0| v0.journal = Err("Permission denied (os error 13)".into())),
        plan: Plan::new(),
        expect: [vec![Run(CorruptFile); 2], vec![Run(CorruptFile); 2]],
        warns: "/data/exp/v0/.journal.jsonl: Permission denied",
    }

    /// A corrupt `_manifest.json`: everything loads, and the version is written again.
    corrupt_manifest_is_written_again {
        stored: v0_edited(|v0| v0.manifest = Err(RecordError::Corrupt("EOF".into()))),
        plan: Plan::new(),
        expect: [vec![Load(0); 2], vec![Load(0); 2]],
        then: |decision, _| {
            assert!(!decision.source_complete);
            assert!(warned(decision, "unreadable: EOF; the version is written again"));
        },
    }

    /// An older version is not read while the newest finished one decides everything.
    an_older_version_is_not_read_when_the_newest_decides {
        stored: stored(vec![finished(&Plan::new(), 1), finished(&Plan::new(), 0)]),
        plan: Plan::new(),
        expect: [vec![Load(1); 2], vec![Load(1); 2]],
        then: |_, observed| {
            let older = observed.asked.iter().filter(|asked| asked.contains(" v0"));
            assert_eq!(older.count(), 0, "{:#?}", observed.asked);
        },
    }
}
