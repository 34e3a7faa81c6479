//! Defining experiments: the typed builder (`Experiment::from(source).step(..)...`) and the
//! type-erased [`Experiment`] it produces.

use std::collections::{BTreeMap, BTreeSet};
use std::marker::PhantomData;
use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::define::hypothesis::{Hypotheses, HypothesisSpec, Ranker};
use crate::stats::Correction;
use crate::unit::ctx::{Ctx, check_artifact_name};
use crate::unit::error::StepError;
use crate::unit::input::{ArtifactInput, decode_bytes, decode_json};
use crate::unit::names::MAX_NAME_BYTES;
use crate::unit::params::Params;
use crate::unit::stage::{InputRef, Source, SourcePart, StageInfo, StageKind, Step};

pub use crate::unit::names::BASELINE;

/// A pipeline run for one unit: the source, then every step, in order.
pub(crate) type Pipeline = Arc<dyn Fn(&mut Ctx) -> Result<(), StepError> + Send + Sync>;

type Stages<T> = Arc<dyn Fn(&mut Ctx) -> Result<T, StepError> + Send + Sync>;

/// A stage of an experiment's pipeline, as registered.
#[derive(Clone, Debug)]
pub struct Stage {
    /// Unique name within the experiment (a step used twice gets `_2`, `_3`, ...).
    pub name: Arc<str>,
    /// Source, input or step.
    pub kind: StageKind,
    /// What the macro recorded about its code (sources and steps).
    pub info: Option<StageInfo>,
    /// The upstream artifact it reads (inputs).
    pub input: Option<InputRef>,
}

impl Stage {
    /// Whether this is a `#[step(cache)]`.
    pub fn cached(&self) -> bool {
        self.info.is_some_and(|info| info.cache)
    }
}

/// A treatment: a name and a payload of params overlaid on the baseline params.
///
/// A registered experiment also has the treatments of the experiments it reads from (its
/// producers, recursively) that it does not define itself: *inherited* treatments, with an empty
/// payload (the condition's params are the baseline params), added when the experiments are
/// collected (see [`crate::define::registry::collect`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Treatment {
    /// The condition name.
    pub name: String,
    /// The params it sets.
    pub params: Params,
    /// For an inherited treatment, the upstream experiments that define it (sorted); empty for
    /// a treatment the experiment defines itself.
    pub inherited_from: Vec<String>,
}

impl Treatment {
    /// Whether the treatment is inherited from upstream rather than defined here.
    pub fn is_inherited(&self) -> bool {
        !self.inherited_from.is_empty()
    }
}

/// One condition of an experiment: `baseline` or a treatment, with its effective params.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// `baseline` or the treatment name.
    pub name: String,
    /// Baseline params overlaid with the treatment's payload.
    pub params: Params,
    /// For an inherited treatment, the upstream experiments that define it; else empty.
    pub inherited_from: Vec<String>,
}

impl Condition {
    /// The name, followed by ` (inherited from a, b)` for an inherited treatment.
    pub fn label(&self) -> String {
        inherited_label(&self.name, &self.inherited_from)
    }
}

/// `name`, followed by ` (inherited from a, b)` when `inherited_from` is not empty.
pub(crate) fn inherited_label(name: &str, inherited_from: &[String]) -> String {
    if inherited_from.is_empty() {
        name.to_string()
    } else {
        format!("{name} (inherited from {})", inherited_from.join(", "))
    }
}

/// A complete experiment definition: what an `#[experiment]` function returns.
///
/// Build one with [`Experiment::from`]:
///
/// ```
/// use crystallize::prelude::*;
///
/// #[source]
/// fn numbers(ctx: &Ctx) -> Vec<f64> {
///     let mut rng = ctx.rng();
///     (0..16).map(|_| rng.random()).collect()
/// }
///
/// #[step]
/// fn scale(data: Vec<f64>, factor: f64) -> Vec<f64> {
///     data.into_iter().map(|x| x * factor).collect()
/// }
///
/// #[step]
/// fn summarize(data: Vec<f64>, ctx: &mut Ctx) -> f64 {
///     let mean = data.iter().sum::<f64>() / data.len() as f64;
///     ctx.record("mean", mean);
///     mean
/// }
///
/// #[experiment(replicates = 10)]
/// fn quickstart() -> Experiment {
///     Experiment::from(numbers)
///         .param("factor", 1.0)
///         .step(scale)
///         .step(summarize)
///         .treatment("double", params! { "factor": 2.0 })
/// }
///
/// let experiment = quickstart();
/// let names: Vec<_> = experiment.conditions().into_iter().map(|c| c.name).collect();
/// assert_eq!(names, ["baseline", "double"]);
/// ```
pub struct Experiment {
    pub(crate) stages: Vec<Stage>,
    pub(crate) pipeline: Pipeline,
    pub(crate) params: Params,
    pub(crate) treatments: Vec<Treatment>,
    pub(crate) outputs: Vec<String>,
    pub(crate) problems: Vec<String>,
    /// The hypotheses about its treatments (not part of any unit's key).
    pub(crate) hypotheses: Hypotheses,
}

/// The typed builder of an experiment whose last stage outputs `T`. `.step(s)` compiles only when
/// `s` takes `T` as its data.
#[must_use = "an experiment builder does nothing until returned from an #[experiment] function"]
pub struct ExperimentBuilder<T> {
    stages: Vec<Stage>,
    run: Stages<T>,
    params: Params,
    treatments: Vec<Treatment>,
    outputs: Vec<String>,
    problems: Vec<String>,
    hypotheses: Hypotheses,
    _output: PhantomData<fn() -> T>,
}

/// The stages of a source's parts, and the problems of their names (non-generic: compiled once).
fn source_stages(parts: Vec<SourcePart>) -> (Vec<Stage>, Vec<String>) {
    let mut stages: Vec<Stage> = Vec::new();
    let mut problems = Vec::new();
    for part in parts {
        let stage = match part {
            SourcePart::Code(info) => Stage {
                name: Arc::from(info.name),
                kind: info.kind,
                info: Some(info),
                input: None,
            },
            SourcePart::Input(input) => Stage {
                name: Arc::from(input.name.as_str()),
                kind: StageKind::Input,
                info: None,
                input: Some(input),
            },
        };
        let what = match stage.kind {
            StageKind::Input => "input name",
            _ => "stage name",
        };
        if let Err(problem) = check_name_length(what, &stage.name) {
            problems.push(format!(
                "{problem}{}",
                if stage.kind == StageKind::Input {
                    "; name the input with `.named(..)`"
                } else {
                    "; rename it with `name = \"..\"`"
                }
            ));
        }
        if stages.iter().any(|existing| existing.name == stage.name) {
            problems.push(format!(
                "the source has two parts named `{}`; name inputs apart with `.named(..)`",
                stage.name
            ));
        }
        stages.push(stage);
    }
    (stages, problems)
}

impl Experiment {
    /// Starts a pipeline at `source` (a `#[source]` function).
    #[allow(clippy::should_implement_trait)]
    pub fn from<S: Source>(source: S) -> ExperimentBuilder<S::Output> {
        let (stages, problems) = source_stages(source.parts());
        ExperimentBuilder {
            stages,
            run: Arc::new(move |ctx: &mut Ctx| {
                let fetched = source.fetch(ctx);
                ctx.settle(fetched)
            }),
            params: Params::new(),
            treatments: Vec::new(),
            outputs: Vec::new(),
            problems,
            hypotheses: Hypotheses::default(),
            _output: PhantomData,
        }
    }

    /// The conditions in run order: `baseline` (amended by a treatment named `baseline`, if
    /// any), then each treatment in declaration order, then the inherited treatments (once
    /// registered), by name.
    pub fn conditions(&self) -> Vec<Condition> {
        let mut baseline = self.params.clone();
        if let Some(amendment) = self.treatments.iter().find(|t| t.name == BASELINE) {
            baseline = baseline.overlay(&amendment.params);
        }
        let mut conditions = vec![Condition {
            name: BASELINE.to_string(),
            params: baseline.clone(),
            inherited_from: Vec::new(),
        }];
        conditions.extend(
            self.treatments
                .iter()
                .filter(|t| t.name != BASELINE)
                .map(|t| Condition {
                    name: t.name.clone(),
                    params: baseline.overlay(&t.params),
                    inherited_from: t.inherited_from.clone(),
                }),
        );
        conditions
    }

    /// The names of [`Experiment::conditions`], in run order.
    pub fn condition_names(&self) -> Vec<String> {
        self.conditions()
            .into_iter()
            .map(|condition| condition.name)
            .collect()
    }

    /// The pipeline's stages: the source, then the steps.
    pub fn stages(&self) -> &[Stage] {
        &self.stages
    }

    /// The treatments: as declared, then (once registered) the inherited ones, by name.
    pub fn treatments(&self) -> &[Treatment] {
        &self.treatments
    }

    /// Adds the inherited treatments `inherited` (name → the upstream experiments defining it),
    /// except `baseline` and those this experiment defines itself (its own definition
    /// overrides). Replaces earlier inherited ones. Used by [`crate::define::registry::collect`], in
    /// topological order, so that producers are complete before their consumers inherit.
    pub(crate) fn inherit(&mut self, inherited: BTreeMap<String, BTreeSet<String>>) {
        self.treatments
            .retain(|treatment| !treatment.is_inherited());
        for (name, origins) in inherited {
            if name == BASELINE || self.treatments.iter().any(|own| own.name == name) {
                continue;
            }
            self.treatments.push(Treatment {
                name,
                params: Params::new(),
                inherited_from: origins.into_iter().collect(),
            });
        }
    }

    /// The baseline params as declared with `.param(..)`.
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// The artifact files this experiment publishes (`.output(..)`).
    pub fn outputs(&self) -> &[String] {
        &self.outputs
    }

    /// The upstream artifacts this experiment reads: its edges in the experiment graph.
    pub fn inputs(&self) -> Vec<&InputRef> {
        self.stages
            .iter()
            .filter_map(|stage| stage.input.as_ref())
            .collect()
    }

    /// Problems found while building the definition (invalid names, unserialisable params)
    /// and, when every param value is valid, in the params themselves (see
    /// [`Experiment::param_problems`]); a run refuses to start while any exist.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = self.build_problems();
        // A param with an invalid value is not set; saying so again would only mislead.
        if problems.is_empty() {
            problems.extend(self.param_problems());
            problems.extend(self.hypothesis_problems());
        }
        problems
    }

    /// The metrics the stages record by a literal name (`ctx.record("name", ..)`), in stage
    /// order, and whether some stage may record metrics the macros cannot name (see
    /// [`StageInfo::records_unknown`]).
    pub fn recorded_metrics(&self) -> (Vec<&'static str>, bool) {
        let mut names: Vec<&'static str> = Vec::new();
        let mut unknown = false;
        for info in self.stages.iter().filter_map(|stage| stage.info.as_ref()) {
            unknown |= info.records_unknown;
            for name in info.records {
                if !names.contains(name) {
                    names.push(name);
                }
            }
        }
        (names, unknown)
    }

    /// Hypotheses that cannot be verified: one naming a metric no stage records (unless a stage
    /// may record metrics the macros cannot name), or any hypothesis on an experiment without
    /// treatments (inherited treatments count).
    pub fn hypothesis_problems(&self) -> Vec<String> {
        let (recorded, unknown) = self.recorded_metrics();
        // The conditions but the baseline (counted as `conditions` lists them, without building
        // their params).
        let treatments = self
            .treatments
            .iter()
            .filter(|treatment| treatment.name != BASELINE)
            .count();
        self.hypotheses.problems(&recorded, unknown, treatments)
    }

    /// The names of the declared hypotheses, in declaration order.
    pub fn hypothesis_names(&self) -> Vec<&str> {
        self.hypotheses
            .list
            .iter()
            .map(|hypothesis| hypothesis.name.as_str())
            .collect()
    }

    /// The problems found while building the definition: invalid names, params that cannot be
    /// represented as JSON.
    pub(crate) fn build_problems(&self) -> Vec<String> {
        let mut problems = self.problems.clone();
        problems.extend(self.hypotheses.problems.iter().cloned());
        problems.extend(self.params.problems().iter().cloned());
        for treatment in &self.treatments {
            for problem in treatment.params.problems() {
                problems.push(format!("treatment `{}`: {problem}", treatment.name));
            }
        }
        problems
    }

    /// Params that are set but that no stage takes, and params that a stage takes but a
    /// condition does not set:
    ///
    /// - A baseline param, or a param of a treatment's payload, must be taken by some stage:
    ///   as an argument, or read through the context with a literal name
    ///   (`ctx.param::<T>("name")`). The macros see both. When a stage may read params the
    ///   macros cannot name (it calls `ctx.params()`, calls `ctx.param(..)` with a name that is
    ///   not a string literal, or hands its context to other code; see
    ///   [`StageInfo::reads_unknown`]), this check is skipped for the experiment.
    /// - A param that a stage takes as an argument must be set in every condition, unless its
    ///   type accepts a missing value (`Option<T>`).
    pub fn param_problems(&self) -> Vec<String> {
        let infos: Vec<(&Stage, &StageInfo)> = self
            .stages
            .iter()
            .filter_map(|stage| stage.info.as_ref().map(|info| (stage, info)))
            .collect();
        let mut problems = Vec::new();
        // Every param a stage takes, with the first stage that does (described only in a
        // problem: a valid definition, checked in every process, formats nothing).
        let mut taken: Vec<(&str, &Stage)> = Vec::new();
        for (stage, info) in &infos {
            for name in info.params.iter().chain(info.reads) {
                if !taken.iter().any(|(known, _)| known == name) {
                    taken.push((name, stage));
                }
            }
        }
        let opaque = infos.iter().any(|(_, info)| info.reads_unknown);
        if !opaque {
            // Who sets each param: the baseline (`None`) or a treatment.
            let mut set: Vec<(Option<&str>, &str)> =
                self.params.iter().map(|(name, _)| (None, name)).collect();
            for treatment in self.treatments.iter().filter(|t| !t.is_inherited()) {
                set.extend(
                    treatment
                        .params
                        .iter()
                        .map(|(name, _)| (Some(treatment.name.as_str()), name)),
                );
            }
            for (setter, name) in set {
                if taken.iter().any(|(known, _)| *known == name) {
                    continue;
                }
                let origin = match setter {
                    None => "the baseline".to_string(),
                    Some(treatment) => format!("treatment `{treatment}`"),
                };
                let listed = if taken.is_empty() {
                    "no stage takes any param".to_string()
                } else {
                    format!(
                        "the stages take {}",
                        taken
                            .iter()
                            .map(|(param, stage)| {
                                format!("`{param}` ({} `{}`)", stage.kind.as_str(), stage.name)
                            })
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                let suggestion = closest(name, taken.iter().map(|(param, _)| *param))
                    .map(|close| format!("; did you mean `{close}`?"))
                    .unwrap_or_default();
                problems.push(format!(
                    "{origin} sets param `{name}`, which no stage takes; {listed}{suggestion}"
                ));
            }
        }
        let conditions = self.conditions();
        for (stage, info) in &infos {
            for (name, optional) in info.param_args() {
                if optional {
                    continue;
                }
                let lacking: Vec<&Condition> = conditions
                    .iter()
                    .filter(|condition| condition.params.get(name).is_none())
                    .collect();
                if lacking.is_empty() {
                    continue;
                }
                let which = if lacking.len() == conditions.len() {
                    "which no condition sets".to_string()
                } else {
                    format!(
                        "which condition{} {} do{} not set",
                        if lacking.len() == 1 { "" } else { "s" },
                        lacking
                            .iter()
                            .map(|condition| format!("`{}`", condition.label()))
                            .collect::<Vec<_>>()
                            .join(", "),
                        if lacking.len() == 1 { "es" } else { "" }
                    )
                };
                let conditions_named = if lacking.len() == conditions.len() {
                    format!(
                        " (conditions: {})",
                        lacking
                            .iter()
                            .map(|condition| condition.label())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                } else {
                    String::new()
                };
                problems.push(format!(
                    "{} `{}` takes param `{name}`, {which}{conditions_named}; set it with \
                     `.param(\"{name}\", ..)` (or in every treatment), or make the argument an \
                     `Option<..>`",
                    stage.kind.as_str(),
                    stage.name
                ));
            }
        }
        problems
    }
}

/// The candidate closest to `name` in edit distance, if it is close enough to be a likely typo:
/// at most a third of the longer name's characters differ (at least one may, but not all), or
/// the two differ only in case.
fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|candidate| {
            let distance = if candidate.eq_ignore_ascii_case(name) {
                0
            } else {
                edit_distance(name, candidate)
            };
            (distance, candidate)
        })
        .filter(|(distance, candidate)| {
            let longer = name.chars().count().max(candidate.chars().count());
            *distance <= (longer / 3).max(1) && *distance < longer
        })
        .min_by_key(|(distance, candidate)| (*distance, *candidate))
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance between `a` and `b`, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, a_char) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, b_char) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(a_char != *b_char);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

impl<T: 'static> ExperimentBuilder<T> {
    /// Appends `step`, which must take this pipeline's current output `T` as its data.
    pub fn step<S: Step<T>>(mut self, step: S) -> ExperimentBuilder<S::Output> {
        let name = push_step(&mut self.stages, &mut self.problems, S::INFO);
        let previous = self.run;
        ExperimentBuilder {
            stages: self.stages,
            run: Arc::new(move |ctx: &mut Ctx| {
                let input = previous(ctx)?;
                ctx.enter_stage(name.clone(), "step");
                crate::unit::cache::run_step(&step, input, ctx)
            }),
            params: self.params,
            treatments: self.treatments,
            outputs: self.outputs,
            problems: self.problems,
            hypotheses: self.hypotheses,
            _output: PhantomData,
        }
    }

    /// Sets a baseline param (any `serde::Serialize` value); steps receive it by name.
    pub fn param(mut self, name: &str, value: impl Serialize) -> Self {
        self.params.insert(name, value);
        self
    }

    /// Adds a treatment: a condition whose params are the baseline's overlaid with `params`.
    /// A treatment named `baseline` amends the baseline instead of adding a condition.
    pub fn treatment(mut self, name: &str, params: Params) -> Self {
        add_treatment(&mut self.treatments, &mut self.problems, name, params);
        self
    }

    /// Adds one treatment per value of `param`, named `param=value` (`lr=0.01`), in the order
    /// given, each setting `param` to its value. Values are numbers, strings or booleans; none,
    /// one given twice, a NaN or a name taken by another treatment is a definition error.
    pub fn sweep<V: Serialize>(mut self, param: &str, values: impl IntoIterator<Item = V>) -> Self {
        let values = crate::define::sweep::to_values(param, values);
        match crate::define::sweep::sweep(param, values) {
            Ok(generated) => self.add_generated(&format!("sweep `{param}`"), generated),
            Err(problem) => self.problems.push(problem),
        }
        self
    }

    /// Adds one treatment per combination of the values of `axes` (each param set to a list:
    /// `params! { "lr": [0.1, 0.01], "depth": [2, 4] }`), named `depth=2,lr=0.1` (params by
    /// name, the first varying slowest), each setting its params. The same rules as
    /// [`ExperimentBuilder::sweep`] apply to each list, which must be a list.
    pub fn grid(mut self, axes: Params) -> Self {
        match crate::define::sweep::grid(&axes) {
            Ok(generated) => self.add_generated("grid", generated),
            Err(problems) => self.problems.extend(problems),
        }
        self
    }

    /// Adds generated treatments; a name another treatment has is a problem naming `origin`.
    fn add_generated(&mut self, origin: &str, generated: Vec<crate::define::sweep::Generated>) {
        for treatment in generated {
            if let Err(problem) = check_condition_name(&treatment.name) {
                self.problems.push(format!("{origin}: {problem}"));
            } else if self.treatments.iter().any(|t| t.name == treatment.name) {
                self.problems.push(format!(
                    "{origin} generates treatment `{}`, which is already defined; remove the \
                     value or rename the other treatment",
                    treatment.name
                ));
            }
            self.treatments.push(Treatment {
                name: treatment.name,
                params: treatment.params,
                inherited_from: Vec::new(),
            });
        }
    }

    /// Declares an artifact file this experiment publishes: every unit must write it (a unit
    /// that does not fails), and other experiments may read it.
    pub fn output(mut self, file: &str) -> Self {
        add_output(&mut self.outputs, &mut self.problems, file);
        self
    }

    /// Declares a hypothesis about the treatments: each treatment is compared with the
    /// baseline on `spec`'s metric, and the verdicts show after every run and resume, in the
    /// `--json` report and in `v<N>/hypotheses.json`. Hypotheses are not part of any unit's
    /// key: adding or editing one reruns no unit.
    ///
    /// `.hypothesis("faster", metric("latency").less_than_baseline().test(Test::WelchT))`
    pub fn hypothesis(mut self, name: &str, spec: HypothesisSpec) -> Self {
        self.hypotheses.add(name, spec);
        self
    }

    /// The correction of p-values across all hypotheses × treatments (default: Holm).
    pub fn correction(mut self, correction: Correction) -> Self {
        self.hypotheses.correction = correction;
        self
    }

    /// Ranks each hypothesis's treatments by `ranker`'s scores, lowest first (ties in
    /// declaration order), instead of by adjusted p-value.
    pub fn rank_by(mut self, ranker: Ranker) -> Self {
        self.hypotheses.ranker = Some(ranker);
        self
    }
}

/// Appends the stage of a step (`info`) under a name no earlier stage has; returns that name.
/// The builder's methods call these non-generic functions, so that their work is compiled once
/// in this crate rather than per pipeline type in the user's.
fn push_step(stages: &mut Vec<Stage>, problems: &mut Vec<String>, info: StageInfo) -> Arc<str> {
    let name = unique_stage_name(stages, info.name);
    if let Err(problem) = check_name_length("stage name", &name) {
        problems.push(format!(
            "{problem}; rename the step with `#[step(name = \"..\")]`"
        ));
    }
    stages.push(Stage {
        name: name.clone(),
        kind: StageKind::Step,
        info: Some(info),
        input: None,
    });
    name
}

/// Adds the treatment `name`; a bad or repeated name is a problem.
fn add_treatment(
    treatments: &mut Vec<Treatment>,
    problems: &mut Vec<String>,
    name: &str,
    params: Params,
) {
    if let Err(problem) = check_condition_name(name) {
        problems.push(problem);
    } else if treatments.iter().any(|t| t.name == name) {
        problems.push(format!(
            "treatment `{name}` is defined twice; give each treatment one definition"
        ));
    }
    treatments.push(Treatment {
        name: name.to_string(),
        params,
        inherited_from: Vec::new(),
    });
}

/// Declares the output `file`; a bad or repeated name is a problem.
fn add_output(outputs: &mut Vec<String>, problems: &mut Vec<String>, file: &str) {
    if let Err(error) = check_artifact_name(file) {
        problems.push(format!("output: {error}"));
    } else if outputs.iter().any(|existing| existing == file) {
        problems.push(format!("output `{file}` is declared twice"));
    }
    outputs.push(file.to_string());
}

fn unique_stage_name(stages: &[Stage], base: &str) -> Arc<str> {
    let taken = |candidate: &str| stages.iter().any(|stage| &*stage.name == candidate);
    if !taken(base) {
        return Arc::from(base);
    }
    let mut suffix = 2;
    loop {
        let candidate = format!("{base}_{suffix}");
        if !taken(&candidate) {
            return Arc::from(candidate);
        }
        suffix += 1;
    }
}

/// Checks that `name` (a `what`, e.g. `stage name`) fits in one file-name component.
pub(crate) fn check_name_length(what: &str, name: &str) -> Result<(), String> {
    if name.len() <= MAX_NAME_BYTES {
        return Ok(());
    }
    let shown: String = name.chars().take(40).collect();
    Err(format!(
        "{what} `{shown}..` is {} bytes long: it becomes a file or directory name, which may be at most {MAX_NAME_BYTES} bytes (MAX_NAME_BYTES)",
        name.len()
    ))
}

/// A condition name becomes a directory name next to `replicate_<r>` directories.
fn check_condition_name(name: &str) -> Result<(), String> {
    check_name_length("treatment name", name)?;
    let plain = !name.is_empty()
        && !name.starts_with(['.', '_'])
        && !name.starts_with("replicate_")
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '=' | ','));
    if plain {
        Ok(())
    } else {
        Err(format!(
            "invalid treatment name `{name}`: use letters, digits, `_`, `-`, `.`, `=` and `,`, not starting with `.`, `_` or `replicate_`"
        ))
    }
}

/// What an `#[experiment]` function may return: a finished builder or an [`Experiment`].
#[diagnostic::on_unimplemented(
    message = "an #[experiment] function must build an experiment, not `{Self}`",
    label = "this does not define an experiment",
    note = "start from a source with `Experiment::from(source)` and add steps with `.step(..)`"
)]
pub trait IntoExperiment {
    /// Erases the pipeline's types.
    fn into_experiment(self) -> Experiment;
}

impl IntoExperiment for Experiment {
    fn into_experiment(self) -> Experiment {
        self
    }
}

impl<T: 'static> IntoExperiment for ExperimentBuilder<T> {
    fn into_experiment(self) -> Experiment {
        let run = self.run;
        Experiment {
            stages: self.stages,
            pipeline: Arc::new(move |ctx: &mut Ctx| run(ctx).map(drop)),
            params: self.params,
            treatments: self.treatments,
            outputs: self.outputs,
            problems: self.problems,
            hypotheses: self.hypotheses,
        }
    }
}

/// Implemented by the constant an `#[experiment]` function becomes: names the experiment and
/// gives access to the artifacts it publishes, as inputs of other experiments.
pub trait ExperimentRef {
    /// The experiment's name.
    const NAME: &'static str;

    /// The experiment's name.
    fn name(&self) -> &'static str {
        Self::NAME
    }

    /// The artifact `file` this experiment publishes (`.output(file)`), decoded from JSON as
    /// `T`. Used as (part of) another experiment's source, it makes this experiment run first.
    fn artifact<T: DeserializeOwned + 'static>(&self, file: &str) -> ArtifactInput<T> {
        ArtifactInput::new(Self::NAME, file, "json", decode_json::<T>)
    }

    /// The artifact `file` as raw bytes; `.load(step)` decodes them with a `#[step]`.
    fn artifact_bytes(&self, file: &str) -> ArtifactInput<Vec<u8>> {
        ArtifactInput::new(Self::NAME, file, "bytes", decode_bytes)
    }

    /// The path of the artifact `file` in the producer's version, for files too large to read
    /// into memory: the consumer opens it itself (read-only: the file is shared, by hard links,
    /// with the producer's other versions). Keyed like [`ExperimentRef::artifact_bytes`], by the
    /// content hash the producer recorded (checked before the consumer's unit runs: by size and
    /// stamp for a large file, as resume does, else by hashing it in constant memory).
    /// `.load(step)` opens it with a `#[step]` taking `PathBuf`.
    fn artifact_path(&self, file: &str) -> ArtifactInput<std::path::PathBuf> {
        ArtifactInput::path(Self::NAME, file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::signature::CodeHash;
    use crate::unit::names::{MAX_ARTIFACT_NAME_BYTES, MAX_NAME_BYTES};

    /// 64 bytes.
    macro_rules! sixty_four {
        () => {
            "long_stage_name_long_stage_name_long_stage_name_long_stage_name_"
        };
    }

    /// 256 bytes: one more than a file name may have.
    const LONG_STAGE: &str = concat!(sixty_four!(), sixty_four!(), sixty_four!(), sixty_four!());

    const fn info(name: &'static str, kind: StageKind) -> StageInfo {
        StageInfo {
            name,
            kind,
            code: CodeHash([0; 32]),
            uses: &[],
            params: &[],
            cache: false,
            module: "tests",
            reach: crate::key::signature::Reach::NONE,
            optional: &[],
            reads: &[],
            reads_unknown: false,
            records: &[],
            records_unknown: false,
            file: file!(),
            line: line!(),
        }
    }

    struct Parts(Vec<SourcePart>);

    impl Source for Parts {
        type Output = u32;

        fn parts(&self) -> Vec<SourcePart> {
            self.0.clone()
        }

        fn fetch(&self, _: &mut Ctx) -> Result<u32, StepError> {
            Ok(1)
        }
    }

    fn numbers() -> Parts {
        Parts(vec![SourcePart::Code(info("numbers", StageKind::Source))])
    }

    struct LongStep;

    impl Step<u32> for LongStep {
        type Output = u32;
        const INFO: StageInfo = info(LONG_STAGE, StageKind::Step);

        fn run(&self, input: u32, _: &mut Ctx) -> Result<u32, StepError> {
            Ok(input)
        }
    }

    fn problems(builder: ExperimentBuilder<u32>) -> Vec<String> {
        builder.into_experiment().problems()
    }

    #[test]
    fn long_stage_names_are_refused_whether_given_or_generated() {
        assert_eq!(LONG_STAGE.len(), MAX_NAME_BYTES + 1);
        let source = Parts(vec![SourcePart::Code(info(LONG_STAGE, StageKind::Source))]);
        let found = problems(Experiment::from(source));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with(&format!(
                "stage name `{}..` is 256 bytes long",
                &LONG_STAGE[..40]
            )) && found[0].contains("at most 255 bytes (MAX_NAME_BYTES)")
                && found[0].contains("name = \"..\""),
            "{found:?}"
        );
        let found = problems(Experiment::from(numbers()).step(LongStep));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("stage name `"), "{found:?}");
        // A generated name (`<step>_2`) can pass the limit when the step's own name does not.
        struct EdgeStep;
        impl Step<u32> for EdgeStep {
            type Output = u32;
            const INFO: StageInfo = info(
                concat!(
                    sixty_four!(),
                    sixty_four!(),
                    sixty_four!(),
                    "long_stage_name_long_stage_name_long_stage_name_long_stage_nam"
                ),
                StageKind::Step,
            );
            fn run(&self, input: u32, _: &mut Ctx) -> Result<u32, StepError> {
                Ok(input)
            }
        }
        assert_eq!(EdgeStep::INFO.name.len(), MAX_NAME_BYTES - 1);
        assert!(problems(Experiment::from(numbers()).step(EdgeStep)).is_empty());
        let found = problems(Experiment::from(numbers()).step(EdgeStep).step(EdgeStep));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("is 256 bytes long"), "{found:?}");
    }

    #[test]
    fn long_input_names_are_refused() {
        let input = |name: String| {
            Parts(vec![SourcePart::Input(InputRef {
                name,
                producer: "producer",
                file: "out.json".to_string(),
                format: "json",
            })])
        };
        let found = problems(Experiment::from(input("i".repeat(MAX_NAME_BYTES + 1))));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("input name `iiii") && found[0].contains(".named(..)"),
            "{found:?}"
        );
        assert!(problems(Experiment::from(input("i".repeat(MAX_NAME_BYTES)))).is_empty());
    }

    #[test]
    fn long_treatment_names_are_refused() {
        let long = "t".repeat(MAX_NAME_BYTES + 1);
        let found = problems(Experiment::from(numbers()).treatment(&long, Params::new()));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("treatment name `tttt")
                && found[0].contains("256 bytes long")
                && found[0].contains("at most 255 bytes (MAX_NAME_BYTES)"),
            "{found:?}"
        );
        let longest = "t".repeat(MAX_NAME_BYTES);
        assert!(
            problems(Experiment::from(numbers()).treatment(&longest, Params::new())).is_empty()
        );
    }

    #[test]
    fn long_output_names_are_refused() {
        let long = "o".repeat(MAX_ARTIFACT_NAME_BYTES + 1);
        let found = problems(Experiment::from(numbers()).output(&long));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("output: artifact name `oooo")
                && found[0].contains(&format!(
                    "at most {MAX_ARTIFACT_NAME_BYTES} bytes (MAX_ARTIFACT_NAME_BYTES"
                )),
            "{found:?}"
        );
        let longest = "o".repeat(MAX_ARTIFACT_NAME_BYTES);
        assert!(problems(Experiment::from(numbers()).output(&longest)).is_empty());
    }

    #[test]
    fn non_finite_params_are_problems_naming_param_and_treatment() {
        let found = problems(
            Experiment::from(numbers())
                .param("factor", f64::NAN)
                .treatment(
                    "wide",
                    crate::params! { "bounds": vec![0.0, f64::INFINITY] },
                ),
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].starts_with("param `factor` is NaN"), "{found:?}");
        assert!(
            found[1].starts_with("treatment `wide`: param `bounds` holds inf at `bounds[1]`"),
            "{found:?}"
        );
    }
    #[test]
    fn edit_distance_counts_insertions_deletions_and_substitutions() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("nn", "n"), 1);
        assert_eq!(edit_distance("facter", "factor"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("é", "e"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn suggestions_are_close_names_only() {
        let taken = ["n", "factor", "offset", "learning_rate"];
        let closest_to = |name: &str| closest(name, taken.iter().copied());
        assert_eq!(closest_to("nn"), Some("n"));
        assert_eq!(closest_to("facter"), Some("factor"));
        assert_eq!(closest_to("Factor"), Some("factor"));
        assert_eq!(closest_to("learningrate"), Some("learning_rate"));
        assert_eq!(closest_to("ofset"), Some("offset"));
        assert_eq!(closest_to("noise"), None);
        // Nothing in common is no typo, however short.
        assert_eq!(closest_to("x"), None);
        assert_eq!(closest("nn", std::iter::empty()), None);
    }

    fn optional() -> bool {
        true
    }

    fn required() -> bool {
        false
    }

    struct Takes;

    impl Step<u32> for Takes {
        type Output = u32;
        const INFO: StageInfo = StageInfo {
            params: &["factor", "offset"],
            optional: &[required, optional],
            reads: &["extra"],
            ..info("takes", StageKind::Step)
        };

        fn run(&self, input: u32, _: &mut Ctx) -> Result<u32, StepError> {
            Ok(input)
        }
    }

    struct ReadsAll;

    impl Step<u32> for ReadsAll {
        type Output = u32;
        const INFO: StageInfo = StageInfo {
            reads_unknown: true,
            ..info("reads_all", StageKind::Step)
        };

        fn run(&self, input: u32, _: &mut Ctx) -> Result<u32, StepError> {
            Ok(input)
        }
    }

    #[test]
    fn params_no_stage_takes_are_problems_unless_a_stage_reads_unseen_params() {
        let found = problems(
            Experiment::from(numbers())
                .param("factor", 1.0)
                .param("extra", 2.0)
                .param("facter", 1.0)
                .step(Takes)
                .treatment("t", crate::params! { "nope": 1 }),
        );
        assert_eq!(
            found,
            [
                "the baseline sets param `facter`, which no stage takes; the stages take \
                 `factor` (step `takes`), `offset` (step `takes`), `extra` (step `takes`); did \
                 you mean `factor`?",
                "treatment `t` sets param `nope`, which no stage takes; the stages take \
                 `factor` (step `takes`), `offset` (step `takes`), `extra` (step `takes`)"
            ]
        );
        let found = problems(Experiment::from(numbers()).param("anything", 1));
        assert_eq!(
            found,
            ["the baseline sets param `anything`, which no stage takes; no stage takes any param"]
        );
        // A stage that may read any param: nothing is refused for being set.
        let found = problems(
            Experiment::from(numbers())
                .param("factor", 1.0)
                .param("anything", 1)
                .step(Takes)
                .step(ReadsAll),
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn params_a_stage_takes_must_be_set_in_every_condition_unless_optional() {
        let found = problems(
            Experiment::from(numbers())
                .step(Takes)
                .treatment("given", crate::params! { "factor": 2.0 })
                .treatment("other", Params::new()),
        );
        assert_eq!(
            found,
            [
                "step `takes` takes param `factor`, which conditions `baseline`, `other` do not \
                 set; set it with `.param(\"factor\", ..)` (or in every treatment), or make the \
                 argument an `Option<..>`"
            ]
        );
        // Set in the baseline: every condition has it. `offset` is optional.
        assert!(problems(Experiment::from(numbers()).param("factor", 1.0).step(Takes)).is_empty());
        // Amending the baseline sets it too.
        assert!(
            problems(
                Experiment::from(numbers())
                    .step(Takes)
                    .treatment(BASELINE, crate::params! { "factor": 1.0 })
            )
            .is_empty()
        );
    }

    #[test]
    fn an_invalid_param_value_is_reported_alone() {
        let found = problems(
            Experiment::from(numbers())
                .param("factor", f64::NAN)
                .step(Takes),
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("param `factor` is NaN"), "{found:?}");
    }

    #[test]
    fn inherited_treatments_follow_own_ones_and_never_override_them() {
        let mut experiment = Experiment::from(numbers())
            .param("factor", 1.0)
            .step(Takes)
            .treatment("wide", crate::params! { "factor": 5.0 })
            .into_experiment();
        let origins = |names: &[&str]| -> BTreeSet<String> {
            names.iter().map(|name| name.to_string()).collect()
        };
        experiment.inherit(BTreeMap::from([
            ("wide".to_string(), origins(&["up"])),
            ("robust".to_string(), origins(&["up", "side"])),
            (BASELINE.to_string(), origins(&["up"])),
        ]));
        let conditions = experiment.conditions();
        let summary: Vec<(String, serde_json::Value, Vec<String>)> = conditions
            .iter()
            .map(|c| (c.label(), c.params.to_value(), c.inherited_from.clone()))
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "baseline".to_string(),
                    serde_json::json!({"factor": 1.0}),
                    vec![]
                ),
                (
                    "wide".to_string(),
                    serde_json::json!({"factor": 5.0}),
                    vec![]
                ),
                (
                    "robust (inherited from side, up)".to_string(),
                    serde_json::json!({"factor": 1.0}),
                    vec!["side".to_string(), "up".to_string()]
                ),
            ]
        );
        // Inheriting again replaces what was inherited.
        experiment.inherit(BTreeMap::new());
        assert_eq!(experiment.condition_names(), ["baseline", "wide"]);
    }
}
