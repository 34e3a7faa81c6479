//! The registry: every `#[experiment]` linked into the binary, collected through `inventory`.
//!
//! `inventory` only sees crates the binary links. A binary that never names a library crate does
//! not link it, so the library's experiments are missing; `use my_experiments as _;` in the
//! binary is enough to keep them. An empty registry prints that hint.

use std::collections::{BTreeMap, BTreeSet};

use crate::define::experiment::check_name_length;
use crate::define::registration::{MAX_REPLICATES, Registered, Registration};

/// Collects and builds every registered experiment, sorted by name, with the treatments each
/// inherits from upstream (see [`inherit_treatments`]). Fails (with every problem listed) on
/// duplicate names, definitions that panic, and invalid definitions, including params that no
/// stage takes or that a condition lacks ([`Experiment::param_problems`]).
pub fn collect() -> Result<Vec<Registered>, Vec<String>> {
    let mut registrations: Vec<&'static Registration> =
        inventory::iter::<Registration>.into_iter().collect();
    registrations.sort_by(|a, b| {
        a.name
            .cmp(b.name)
            .then(a.file.cmp(b.file))
            .then(a.line.cmp(&b.line))
    });
    let mut problems = Vec::new();
    for pair in registrations.windows(2) {
        if pair[0].name == pair[1].name {
            problems.push(format!(
                "two experiments are named `{}`: one at {} ({}), one at {} ({}); rename one of the functions",
                pair[0].name,
                pair[0].location(),
                pair[0].module,
                pair[1].location(),
                pair[1].module
            ));
        }
    }
    let mut registered = Vec::new();
    for registration in registrations {
        match build(registration) {
            Ok(experiment) => registered.push(experiment),
            Err(found) => problems.extend(found),
        }
    }
    inherit_treatments(&mut registered);
    for experiment in &registered {
        problems.extend(
            experiment
                .experiment
                .param_problems()
                .into_iter()
                .chain(experiment.experiment.hypothesis_problems())
                .map(|problem| format!("{}: {problem}", at(experiment.registration))),
        );
    }
    if problems.is_empty() {
        Ok(registered)
    } else {
        Err(problems)
    }
}

/// Checks a registration's options and builds its definition, capturing a panic of the
/// definition function as a problem (its message and location, printed once by the caller
/// instead of the default panic report).
fn build(registration: &'static Registration) -> Result<Registered, Vec<String>> {
    let at = || at(registration);
    let mut problems = Vec::new();
    if let Err(problem) = check_name_length("experiment name", registration.name) {
        problems.push(format!("{}: {problem}", at()));
    }
    let replicates = registration.options.replicates;
    if replicates == 0 || replicates > MAX_REPLICATES {
        problems.push(format!(
            "{}: {replicates} replicates: use 1 to {MAX_REPLICATES} replicates per condition",
            at()
        ));
    }
    match crate::unit::panic::catch_panic(registration.build) {
        Ok(experiment) => {
            // Problems with the params are found once the treatments are inherited.
            problems.extend(
                experiment
                    .build_problems()
                    .into_iter()
                    .map(|problem| format!("{}: {problem}", at())),
            );
            if problems.is_empty() {
                return Ok(Registered {
                    registration,
                    experiment,
                });
            }
        }
        Err(panic) => problems.push(format!("{}: the definition {panic}", at())),
    }
    Err(problems)
}

/// `experiment `name` (file:line)`, the start of every problem of a registration.
fn at(registration: &Registration) -> String {
    format!(
        "experiment `{}` ({})",
        registration.name,
        registration.location()
    )
}

/// Gives every experiment the treatments of the experiments it reads from, recursively: its
/// producers' own and inherited treatments, except `baseline` (which amends a producer's own
/// baseline) and those it defines itself (its own definition overrides, its payload over its
/// baseline params). Two producers with a treatment of one name give one treatment; an
/// inherited treatment names the nearest upstream experiments that define it. Experiments are
/// resolved in run order (producers first), so a treatment defined mid-chain reaches only the
/// experiments downstream of it. An invalid graph (a cycle, an unknown producer) is left as it
/// is: it is refused when the graph is built.
pub(crate) fn inherit_treatments(registered: &mut [Registered]) {
    let Ok(graph) = crate::define::graph::Graph::build(registered) else {
        return;
    };
    let order: Vec<String> = graph.run_order().into_iter().map(str::to_string).collect();
    for name in order {
        let mut inherited: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for producer in graph.producers_of(&name) {
            let Some(producer) = registered.iter().find(|r| r.name() == producer) else {
                continue;
            };
            for treatment in producer.experiment.treatments() {
                let origins = inherited.entry(treatment.name.clone()).or_default();
                if treatment.is_inherited() {
                    origins.extend(treatment.inherited_from.iter().cloned());
                } else {
                    origins.insert(producer.name().to_string());
                }
            }
        }
        if let Some(consumer) = registered.iter_mut().find(|r| r.name() == name) {
            consumer.experiment.inherit(inherited);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::define::experiment::{Experiment, IntoExperiment};
    use crate::define::registration::{ExperimentOptions, Strategy};
    use crate::key::signature::CodeHash;
    use crate::unit::names::MAX_NAME_BYTES;
    use crate::unit::stage::{Source, SourcePart, StageInfo, StageKind};
    use crate::{Ctx, StepError};

    struct Numbers;

    impl Source for Numbers {
        type Output = u32;

        fn parts(&self) -> Vec<SourcePart> {
            vec![SourcePart::Code(StageInfo {
                name: "numbers",
                kind: StageKind::Source,
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
            })]
        }

        fn fetch(&self, _: &mut Ctx) -> Result<u32, StepError> {
            Ok(1)
        }
    }

    fn definition() -> Experiment {
        Experiment::from(Numbers).into_experiment()
    }

    fn panicking_definition() -> Experiment {
        panic!("no definition today")
    }

    fn registration(
        name: &'static str,
        build: fn() -> Experiment,
        replicates: u32,
    ) -> &'static Registration {
        Box::leak(Box::new(Registration {
            name,
            build,
            options: ExperimentOptions {
                replicates,
                strategy: Strategy::Rerun,
                seed: None,
                versioned: false,
                retention: None,
                description: None,
                strict_env: false,
                executor: None,
                resources: Default::default(),
            },
            code: CodeHash([0; 32]),
            file: "experiments.rs",
            line: 7,
            module: "experiments",
        }))
    }

    #[test]
    fn a_valid_registration_builds() {
        let built = build(registration("fine", definition, MAX_REPLICATES));
        assert!(built.is_ok_and(|registered| registered.name() == "fine"));
    }

    #[test]
    fn an_experiment_name_longer_than_a_file_name_is_refused() {
        let name: &'static str = "e".repeat(MAX_NAME_BYTES + 1).leak();
        let Err(problems) = build(registration(name, definition, 1)) else {
            panic!("a {}-byte experiment name was accepted", name.len());
        };
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].contains("experiment name `eeee")
                && problems[0].contains("256 bytes long")
                && problems[0].contains("at most 255 bytes (MAX_NAME_BYTES)"),
            "{problems:?}"
        );
        let longest: &'static str = "e".repeat(MAX_NAME_BYTES).leak();
        assert!(build(registration(longest, definition, 1)).is_ok());
    }

    #[test]
    fn replicates_outside_the_limit_are_refused() {
        for replicates in [0, MAX_REPLICATES + 1, u32::MAX] {
            let Err(problems) = build(registration("many", definition, replicates)) else {
                panic!("{replicates} replicates were accepted");
            };
            assert_eq!(
                problems,
                [format!(
                    "experiment `many` (experiments.rs:7): {replicates} replicates: use 1 to 1000000 replicates per condition"
                )]
            );
        }
    }

    #[test]
    fn a_panicking_definition_is_one_problem_with_message_and_location() {
        let Err(problems) = build(registration("broken", panicking_definition, 1)) else {
            panic!("a panicking definition was accepted");
        };
        assert_eq!(problems.len(), 1, "{problems:?}");
        let problem = &problems[0];
        assert!(
            problem
                .starts_with("experiment `broken` (experiments.rs:7): the definition panicked at ")
                && problem.contains("registry.rs")
                && problem.ends_with(": no definition today"),
            "{problem}"
        );
    }
    /// A source reading `file` from each of `producers`.
    struct Reads(Vec<&'static str>);

    impl Source for Reads {
        type Output = u32;

        fn parts(&self) -> Vec<SourcePart> {
            self.0
                .iter()
                .map(|producer| {
                    SourcePart::Input(crate::unit::stage::InputRef {
                        name: format!("{producer}.out.json"),
                        producer,
                        file: "out.json".to_string(),
                        format: "json",
                    })
                })
                .collect()
        }

        fn fetch(&self, _: &mut Ctx) -> Result<u32, StepError> {
            Ok(1)
        }
    }

    fn with_treatments(
        source: impl Source<Output = u32>,
        treatments: &[&str],
    ) -> crate::define::experiment::ExperimentBuilder<u32> {
        let mut builder = Experiment::from(source).output("out.json");
        for name in treatments {
            builder = builder.treatment(name, crate::Params::new());
        }
        builder
    }

    fn registered(name: &'static str, experiment: Experiment) -> Registered {
        Registered {
            registration: registration(name, definition, 1),
            experiment,
        }
    }

    /// Name → its conditions, each with where it is inherited from.
    fn resolved(registered: &[Registered]) -> BTreeMap<&'static str, Vec<String>> {
        registered
            .iter()
            .map(|r| {
                let labels = r
                    .experiment
                    .conditions()
                    .iter()
                    .map(|c| c.label())
                    .collect();
                (r.name(), labels)
            })
            .collect()
    }

    #[test]
    fn treatments_are_inherited_downstream_in_topological_order() {
        // up (robust, wide, baseline amendment) -> mid (own wide, own mid) -> down <- side
        // (robust, solo); free reads nothing.
        let mut all = vec![
            registered(
                "down",
                with_treatments(Reads(vec!["mid", "side"]), &["extra"]).into_experiment(),
            ),
            registered(
                "free",
                with_treatments(Numbers, &["alone"]).into_experiment(),
            ),
            registered(
                "mid",
                with_treatments(Reads(vec!["up"]), &["wide", "mid"]).into_experiment(),
            ),
            registered(
                "side",
                with_treatments(Numbers, &["robust", "solo"]).into_experiment(),
            ),
            registered(
                "up",
                with_treatments(Numbers, &["robust", "wide", "baseline"]).into_experiment(),
            ),
        ];
        inherit_treatments(&mut all);
        let expected: BTreeMap<&str, Vec<&str>> = BTreeMap::from([
            (
                "down",
                vec![
                    "baseline",
                    "extra",
                    "mid (inherited from mid)",
                    "robust (inherited from side, up)",
                    "solo (inherited from side)",
                    "wide (inherited from mid)",
                ],
            ),
            ("free", vec!["baseline", "alone"]),
            (
                "mid",
                vec!["baseline", "wide", "mid", "robust (inherited from up)"],
            ),
            ("side", vec!["baseline", "robust", "solo"]),
            ("up", vec!["baseline", "robust", "wide"]),
        ]);
        let found = resolved(&all);
        for (name, conditions) in expected {
            assert_eq!(found[name], conditions, "{name}");
        }
        // Resolving again gives the same.
        inherit_treatments(&mut all);
        assert_eq!(resolved(&all), found);
    }

    #[test]
    fn an_invalid_graph_is_left_for_the_graph_check() {
        let mut all = vec![
            registered(
                "a",
                with_treatments(Reads(vec!["b"]), &["x"]).into_experiment(),
            ),
            registered(
                "b",
                with_treatments(Reads(vec!["a"]), &["y"]).into_experiment(),
            ),
        ];
        inherit_treatments(&mut all);
        let found = resolved(&all);
        assert_eq!(found["a"], ["baseline", "x"]);
        assert_eq!(found["b"], ["baseline", "y"]);
    }
}
