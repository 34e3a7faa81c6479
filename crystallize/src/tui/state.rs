//! The toggles of the run screen, and the file under the data root that keeps them across
//! launches (written atomically; a corrupt one is reported and ignored).

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::decide::plan::Overrides;
use crate::define::experiment::BASELINE;
use crate::define::registration::{Registered, Strategy};

/// What the user toggled. Everything here makes more run, or less: the locks follow.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Toggles {
    /// Experiments run with strategy `rerun` (`l` on an experiment that resumes): every unit
    /// runs.
    #[serde(default)]
    pub rerun: BTreeSet<String>,
    /// Experiments run with strategy `resume` (`l` on an experiment that reruns): what did not
    /// change loads.
    #[serde(default)]
    pub resume: BTreeSet<String>,
    /// `(experiment, condition)`: conditions recomputed whatever is stored (`l` on a condition).
    #[serde(default)]
    pub recompute: BTreeSet<(String, String)>,
    /// `(experiment, step)`: steps recomputed (`l` on a step): their experiment's units run, and
    /// a cached step's cache is bypassed.
    #[serde(default)]
    pub steps: BTreeSet<(String, String)>,
    /// `(experiment, treatment)`: treatments that do not run (`x`).
    #[serde(default)]
    pub excluded: BTreeSet<(String, String)>,
}

/// Flips `item` in `set`: returns whether it is in the set now.
pub(crate) fn flip<T: Ord>(set: &mut BTreeSet<T>, item: T) -> bool {
    if set.remove(&item) {
        false
    } else {
        set.insert(item);
        true
    }
}

impl Toggles {
    /// The toggles kept in `path`, or none (with why, for the log) when it is missing or
    /// unreadable.
    pub(crate) fn load(path: &Path) -> (Toggles, Option<String>) {
        match std::fs::read(path) {
            Ok(bytes) => match serde_json::from_slice(&bytes) {
                Ok(toggles) => (toggles, None),
                Err(error) => (
                    Toggles::default(),
                    Some(format!(
                        "{} is not a state file of the run screen ({error}); ignored, and replaced at the next toggle",
                        path.display()
                    )),
                ),
            },
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                (Toggles::default(), None)
            }
            Err(error) => (
                Toggles::default(),
                Some(format!("cannot read {}: {error}; ignored", path.display())),
            ),
        }
    }

    /// Writes the toggles to `path`, atomically, creating the data root if needed.
    pub(crate) fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(parent) = path.parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent)?;
        }
        crate::store::atomic::write_json_pretty(path, self)
    }

    /// `base` (the flags) with the toggles on top, for the experiments in `registered`.
    pub(crate) fn overrides(&self, base: &Overrides, registered: &[Registered]) -> Overrides {
        let mut overrides = base.clone();
        for experiment in &self.rerun {
            overrides
                .experiment_strategy
                .insert(experiment.clone(), Strategy::Rerun);
        }
        for experiment in &self.resume {
            overrides
                .experiment_strategy
                .insert(experiment.clone(), Strategy::Resume);
        }
        overrides.recompute.extend(self.recompute.iter().cloned());
        overrides.excluded.extend(self.excluded.iter().cloned());
        for (experiment, step) in &self.steps {
            let Some(found) = registered.iter().find(|r| r.name() == experiment) else {
                continue;
            };
            let definition = &found.experiment;
            let conditions = std::iter::once(BASELINE.to_string()).chain(
                definition
                    .treatments()
                    .iter()
                    .map(|treatment| treatment.name.clone()),
            );
            for condition in conditions {
                overrides.recompute.insert((experiment.clone(), condition));
            }
            let cached = definition
                .stages()
                .iter()
                .any(|stage| stage.cached() && &*stage.name == step);
            if cached && !overrides.no_cache.contains(step) {
                overrides.no_cache.push(step.clone());
            }
        }
        overrides
    }
}
