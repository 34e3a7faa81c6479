//! The child side of [`super::executor::Executor::Processes`]: the hidden `__unit` command runs
//! one unit of a planned version, as the parent run would in a thread, and prints its record.
//! It takes no lock and writes no record: the parent holds the experiment's lock and commits the
//! result through the store and the journal.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::decide::plan::{self, Overrides};
use crate::define::registration::Registered;
use crate::store::journal::read_journal;
use crate::store::layout::METADATA;
use crate::store::records::{Metadata, read_record};
use crate::unit::cache::CACHE_DIR;
use crate::unit::ctx::CacheSettings;
use crate::unit::upstream::{ProducerView, Views};

use super::executor::{ChildResult, RESULT_MARK};
use super::unit::run_unit;

/// What `__unit` is given.
pub(crate) struct UnitArgs {
    /// The experiment.
    pub experiment: String,
    /// The version the parent writes.
    pub version: u32,
    /// Where it writes it.
    pub work_dir: PathBuf,
    /// The run's replicates per condition.
    pub replicates: u32,
    /// The run's master seed.
    pub seed: u64,
    /// Strict environment.
    pub strict_env: bool,
    /// Steps whose cache the run bypasses.
    pub no_cache: Vec<String>,
    /// Upstream versions the run reads: `producer=version:conditions:dir`.
    pub reads: Vec<String>,
    /// The condition.
    pub condition: String,
    /// The replicate.
    pub replicate: u32,
    /// The data root.
    pub data_dir: PathBuf,
}

/// A producer's view as the parent run had it: its version directory, read back.
fn view_of(spec: &str) -> Result<(String, ProducerView), String> {
    let bad = || format!("`--read {spec}`: expected producer=version:conditions:directory");
    let (producer, rest) = spec.split_once('=').ok_or_else(bad)?;
    let mut parts = rest.splitn(3, ':');
    let version: u32 = parts.next().and_then(|v| v.parse().ok()).ok_or_else(bad)?;
    let conditions: Vec<String> = parts
        .next()
        .ok_or_else(bad)?
        .split(',')
        .filter(|name| !name.is_empty())
        .map(str::to_string)
        .collect();
    let dir = PathBuf::from(parts.next().ok_or_else(bad)?);
    let metadata: Metadata = read_record(&dir.join(METADATA))
        .map_err(|_| format!("{} cannot be read", dir.join(METADATA).display()))?;
    let records = read_journal(&dir)
        .map_err(|error| format!("{}: {error}", dir.display()))?
        .map(|journal| {
            journal
                .records
                .into_values()
                .flat_map(BTreeMap::into_values)
                .filter(|record| conditions.contains(&record.condition))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    Ok((
        producer.to_string(),
        ProducerView::new(
            version,
            dir,
            metadata.replicates,
            conditions,
            records,
            false,
        ),
    ))
}

/// Runs the unit and prints its result; `Err` explains why it could not run.
pub(crate) fn serve(registered: &[Registered], args: &UnitArgs) -> Result<(), String> {
    let Some(found) = registered.iter().find(|r| r.name() == args.experiment) else {
        return Err(format!("unknown experiment `{}`", args.experiment));
    };
    let overrides = Overrides {
        replicates: Some(args.replicates),
        seed: Some(args.seed),
        strict_env: args.strict_env,
        no_cache: args.no_cache.clone(),
        ..Overrides::default()
    };
    let mut plans = plan::plan(&[found], &overrides).map_err(|error| error.0)?;
    let Some(plan) = plans.first_mut() else {
        return Err("no plan".to_string());
    };
    let mut views = Views::new();
    for spec in &args.reads {
        let (producer, view) = view_of(spec)?;
        views.insert(producer, Arc::new(view));
    }
    plan.bind_upstream(&views);
    let Some(condition) = plan
        .conditions
        .iter()
        .find(|condition| *condition.name == *args.condition)
    else {
        return Err(format!(
            "experiment `{}` has no condition `{}`",
            args.experiment, args.condition
        ));
    };
    let cache = Arc::new(CacheSettings {
        dir: args.data_dir.join(CACHE_DIR),
        disabled: args.no_cache.iter().cloned().collect(),
    });
    let finished = run_unit(
        plan,
        args.version,
        &args.work_dir,
        &cache,
        condition,
        args.replicate,
    );
    let json = serde_json::to_string(&ChildResult::of(finished)).map_err(|e| e.to_string())?;
    println!("{RESULT_MARK}{json}");
    Ok(())
}
