//! Executing one unit: a fresh context, the pipeline under panic capture, and the unit's record
//! (metrics, artifacts with content hashes, error, step-cache hits).

use std::path::Path;
use std::sync::Arc;

use crate::decide::plan::{ConditionPlan, ExperimentPlan};
use crate::decide::report::UnitErrorReport;
use crate::store::journal::{ArtifactEntry, UnitRecord};
use crate::store::layout;
use crate::store::records::stored_value;
use crate::unit::ctx::{CacheSettings, Ctx, StorageFailure, UnitParts};
use crate::unit::panic::catch_panic;

/// Runs one unit, writing its artifacts below `work_dir` (the directory the run writes: the
/// version itself, or its staging directory).
pub(crate) fn run_unit(
    plan: &ExperimentPlan<'_>,
    version: u32,
    work_dir: &Path,
    cache: &Arc<CacheSettings>,
    condition: &ConditionPlan,
    replicate: u32,
) -> Finished {
    let started = std::time::Instant::now();
    let mut ctx = Ctx::for_unit(
        plan.name.clone(),
        condition.name.clone(),
        replicate,
        plan.seed,
        condition.params.clone(),
        Some(layout::unit_dir(work_dir, replicate, &condition.name)),
    )
    .with_cache(Some(cache.clone()))
    .with_upstream(plan.upstream.clone());
    let pipeline = plan.registered.experiment.pipeline.clone();
    let result = catch_panic(|| pipeline(&mut ctx));
    let stage = ctx.stage().to_string();
    let UnitParts {
        metrics,
        artifacts,
        deferred,
        cache_hits,
        cache_entries,
        storage_failure,
        stage_times,
    } = ctx.finish();
    let failure = |message: String, panicked: bool| UnitErrorReport {
        replicate,
        stage: stage.clone(),
        message,
        panicked,
    };
    let mut error = match result {
        Ok(Ok(())) => deferred.map(|error| failure(error.to_string(), false)),
        Ok(Err(error)) => Some(failure(error.to_string(), false)),
        Err(message) => Some(failure(message, true)),
    };
    if error.is_none() {
        let missing: Vec<&str> = plan
            .registered
            .experiment
            .outputs()
            .iter()
            .filter(|file| !artifacts.iter().any(|artifact| &artifact.file == *file))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            error = Some(UnitErrorReport {
                replicate,
                stage: "outputs".to_string(),
                message: format!(
                    "declared output(s) {} not written by any stage of this unit",
                    missing.join(", ")
                ),
                panicked: false,
            });
        }
    }
    let record = UnitRecord {
        condition: condition.name.to_string(),
        replicate,
        key: condition.record.unit_key(replicate),
        metrics: metrics
            .into_iter()
            .map(|(name, value)| (name, stored_value(value)))
            .collect(),
        artifacts: artifacts
            .iter()
            .map(|artifact| ArtifactEntry {
                stage: artifact.stage.clone(),
                file: artifact.file.as_str().into(),
                hash: artifact.hash,
                size: artifact.size,
                stamp: artifact.stamp,
            })
            .collect(),
        error,
        computed_in: version,
        cache_hits,
        cache_entries,
    };
    Finished {
        record,
        storage_failure,
        duration: started.elapsed(),
        stage_times,
    }
}

/// A unit that ran: its record, the first write that failed because the storage failed, how
/// long it took, and how long each stage took.
pub(crate) struct Finished {
    pub record: UnitRecord,
    pub storage_failure: Option<StorageFailure>,
    pub duration: std::time::Duration,
    pub stage_times: Vec<(std::sync::Arc<str>, std::time::Duration)>,
}
