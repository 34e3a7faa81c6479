//! Finishing an experiment that wrote: sync the journal, write `_manifest.json`, each
//! condition's `results.json` and the `complete` metadata, then the markers of fully successful
//! conditions, then apply retention.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use crate::decide::plan::ExperimentPlan;
use crate::decide::report::ExperimentReport;
use crate::decide::verdicts::{ConditionMetrics, evaluate};
use crate::key::signature::CodeHash;
use crate::store::atomic::{write_atomic, write_atomic_stamped, write_json_pretty};
use crate::store::code::store_texts;
use crate::store::files::FileStamp;
use crate::store::foreign::{carry_foreign, foreign_files};
use crate::store::journal::JOURNAL;
use crate::store::layout::{
    self, DataRoot, HYPOTHESES, MANIFEST, MARKER, METADATA, RESULTS, RESULTS_COLUMNS,
};
use crate::store::lock::ExperimentLock;
use crate::store::marker::{self, ColumnsRecord, InlineResults, SizeStamp, Summary};
use crate::store::provenance::Environment;
use crate::store::records::{Metadata, ResultsFile, STATUS_COMPLETE, manifest_of, read_record};
use crate::store::results_columns;
use crate::store::retention::{apply_retention, read_by_consumers};
use crate::store::version;
use crate::unit::upstream::ProducerView;

use super::prepare::metadata_of;
use super::slots::ConditionSlots;
use super::{Prepared, RunError, build_report, io_error};

/// Writes results, manifest, metadata and the markers of fully successful conditions (for an
/// experiment that wrote), and returns its report entry.
pub(super) fn persist(
    mut entry: Prepared<'_, '_>,
    environment: Option<&Environment>,
) -> Result<
    (
        ExperimentReport,
        ProducerView,
        Option<ExperimentLock>,
        Option<super::Deletion>,
    ),
    RunError,
> {
    let plan = entry.plan;
    if let Some(clearing) = entry.clearing.take() {
        match clearing.join() {
            Ok(Ok(())) => {}
            Ok(Err(error)) => entry.decision.warnings.push(format!(
                "what {} held before could not be fully deleted: {error}",
                entry.work_dir.display()
            )),
            Err(_) => entry.decision.warnings.push(format!(
                "what {} held before could not be fully deleted",
                entry.work_dir.display()
            )),
        }
    }
    let mut deletion = None;
    if entry.writes {
        let environment = environment.ok_or_else(|| {
            RunError::Io("internal: no environment for a run that writes".to_string())
        })?;
        let version_dir = &entry.work_dir;
        // Written out; the run syncs everything once at its end.
        if let Some(journal) = entry.journal.as_mut() {
            journal
                .flush()
                .map_err(|error| io_error("cannot write", &version_dir.join(JOURNAL), error))?;
        }
        let stage_order: Vec<&str> = plan
            .registered
            .experiment
            .stages()
            .iter()
            .map(|stage| &*stage.name)
            .collect();
        let manifest = manifest_of(
            &stage_order,
            entry
                .carried
                .records
                .iter()
                .flat_map(|record| &record.artifacts)
                .chain(entry.slots.iter().flat_map(ConditionSlots::artifacts)),
        );
        let mut complete = Vec::new();
        let mut results = Vec::new();
        for (condition, slots) in plan.conditions.iter().zip(&entry.slots) {
            if slots.all_ok() {
                complete.push(condition);
            }
            results.push((
                condition,
                ResultsFile {
                    metrics: slots.metrics(),
                },
            ));
        }
        let write = |path: PathBuf, result: io::Result<()>| {
            result.map_err(|error| io_error("cannot write", &path, error))
        };
        let path = version_dir.join(MANIFEST);
        write(path.clone(), write_json_pretty(&path, &manifest))?;
        // The journal is final (synced above): its stamp goes into the markers' summaries.
        let journal_stamp = std::fs::symlink_metadata(version_dir.join(JOURNAL))
            .ok()
            .map(|meta| SizeStamp {
                size: meta.len(),
                stamp: FileStamp::of(&meta),
            });
        let mut summaries: BTreeMap<&str, Summary> = BTreeMap::new();
        for ((condition, results), slots) in results.iter().zip(&entry.slots) {
            let path = layout::condition_dir(version_dir, &condition.name).join(RESULTS);
            let bytes =
                pretty_json(results).map_err(|error| io_error("cannot encode", &path, error))?;
            // The text's stamp vouches for its values in binary: in a columns file beside it
            // for large results, in the marker's summary for small ones. A resume that finds the
            // text so reads those instead of parsing it.
            let stamp = write_atomic_stamped(&path, &bytes)
                .map_err(|error| io_error("cannot write", &path, error))?;
            let text = SizeStamp {
                size: bytes.len() as u64,
                stamp,
            };
            let encoded = results_columns::encode(results);
            let (columns, inline) = if bytes.len() >= results_columns::WORTH_FROM {
                let columns_path =
                    layout::condition_dir(version_dir, &condition.name).join(RESULTS_COLUMNS);
                write(columns_path.clone(), write_atomic(&columns_path, &encoded))?;
                let hash = CodeHash::of(&encoded);
                (
                    Some(ColumnsRecord {
                        hash,
                        results: text,
                    }),
                    None,
                )
            } else {
                let inline = InlineResults {
                    results: text,
                    columns: encoded,
                };
                (None, Some(inline))
            };
            let summary = journal_stamp.and_then(|journal| {
                Summary::of(
                    slots.complete()?,
                    |replicate| condition.record.unit_key(replicate),
                    &bytes,
                    results.metrics.len(),
                    &condition.record.upstream,
                    journal,
                )
            });
            if let Some(mut summary) = summary {
                summary.columns = columns;
                summary.inline = inline;
                summaries.insert(&condition.name, summary);
            }
        }
        for condition in complete {
            let path = layout::condition_dir(version_dir, &condition.name).join(MARKER);
            let content = marker::encode(condition.record.key, summaries.get(&*condition.name));
            write(path.clone(), write_atomic(&path, &content))?;
        }
        // `complete` last: a version that says so has every marker it will have.
        let path = version_dir.join(METADATA);
        let metadata = metadata_of(
            plan,
            entry.version,
            STATUS_COMPLETE,
            entry.started,
            environment,
            &entry.carried,
        );
        write(path.clone(), write_json_pretty(&path, &metadata))?;
        // The canonical text of every code hash recorded, for `plan --diff` later.
        let root = version_dir
            .parent()
            .and_then(std::path::Path::parent)
            .map(std::path::Path::to_path_buf);
        if let Some(root) = root {
            let texts = crate::decide::codediff::plan_texts(plan);
            if let Err(error) = store_texts(&root, texts) {
                entry.decision.warnings.push(format!(
                    "the code texts for `plan --diff` could not be stored under {}: {error}",
                    root.join(crate::store::code::CODE_DIR).display()
                ));
            }
        }
        if entry.staged {
            deletion = swap_in(&entry)?;
        }
        let options = &plan.registered.registration.options;
        if options.versioned
            && let Some(keep) = options.retention
        {
            let experiment_dir = version_dir.parent().unwrap_or(version_dir);
            let root = DataRoot::new(experiment_dir.parent().unwrap_or(experiment_dir));
            let protected =
                read_by_consumers(&root, &plan.name, plan.consumers.iter().map(String::as_str));
            match apply_retention(experiment_dir, keep, &protected) {
                Ok(pruned) => entry.pruned = pruned.iter().map(|p| p.version).collect(),
                Err(error) => entry.decision.warnings.push(format!(
                    "retention could not prune {}: {error}",
                    experiment_dir.display()
                )),
            }
        }
    }
    let mut report = build_report(
        plan,
        &entry.decision,
        &entry.slots,
        entry.version,
        &entry.version_dir,
    );
    report.pruned = entry.pruned;
    let listed_without = entry.decision.stored.without_hypotheses.as_deref();
    let stale_possible = listed_without != Some(entry.version_dir.as_path());
    verify_hypotheses(plan, &entry.version_dir, stale_possible, &mut report);

    let view = ProducerView::new(
        entry.version,
        entry.version_dir.clone(),
        plan.replicates,
        plan.conditions.iter().map(|c| c.name.to_string()).collect(),
        entry.slots.iter().flat_map(ConditionSlots::view_units),
        false,
    );
    Ok((report, view, entry._lock, deletion))
}

/// Verifies the experiment's hypotheses on the metrics of `report` (run or loaded alike), puts
/// the verdicts in the report and writes them to `v<N>/hypotheses.json` (when they changed); removes a
/// `hypotheses.json` left by an earlier run when none are declared any more (unless
/// `stale_possible` is false: the version's listing under this run's lock found none). A file
/// that cannot be written is a warning: the units' results are already safe.
fn verify_hypotheses(
    plan: &ExperimentPlan<'_>,
    version_dir: &Path,
    stale_possible: bool,
    report: &mut ExperimentReport,
) {
    let path = version_dir.join(HYPOTHESES);
    let metrics: ConditionMetrics<'_> = report
        .conditions
        .iter()
        .map(|(name, condition)| (name.as_str(), &condition.metrics))
        .collect();
    let verdicts = evaluate(&plan.registered.experiment, &plan.name, plan.seed, &metrics);
    let Some(verdicts) = verdicts else {
        if !stale_possible {
            return;
        }
        match std::fs::remove_file(&path) {
            Err(error) if error.kind() != io::ErrorKind::NotFound => report.warnings.push(format!(
                "the stale verdicts {} could not be removed: {error}",
                path.display()
            )),
            _ => {}
        }
        return;
    };
    // Unchanged verdicts are left as they are: a fully loaded run writes nothing.
    let unchanged = serde_json::to_vec_pretty(&verdicts).is_ok_and(|mut bytes| {
        bytes.push(b'\n');
        crate::store::files::read(&path).is_ok_and(|stored| stored == bytes)
    });
    if !unchanged && let Err(error) = write_json_pretty(&path, &verdicts) {
        report.warnings.push(format!(
            "the verdicts could not be written to {}: {error}",
            path.display()
        ));
    }
    report.correction = Some(verdicts.correction);
    report.hypotheses = verdicts.hypotheses;
}

/// Swaps a staged rewrite into place, carrying the entries of the old version that are not ours,
/// and starts deleting the old version.
fn swap_in(entry: &Prepared<'_, '_>) -> Result<Option<super::Deletion>, RunError> {
    let experiment_dir = entry
        .version_dir
        .parent()
        .unwrap_or(&entry.version_dir)
        .to_path_buf();
    if let Ok(metadata) = read_record::<Metadata>(&entry.version_dir.join(METADATA)) {
        let found: Vec<PathBuf> = foreign_files(&entry.version_dir, &metadata)
            .into_iter()
            .map(|(path, _)| path)
            .collect();
        carry_foreign(&entry.version_dir, &entry.work_dir, &found);
    }
    let old = version::swap_in(&experiment_dir, entry.version)
        .map_err(|error| io_error("cannot swap in", &entry.work_dir, error))?;
    let Some(old) = old else {
        return Ok(None);
    };
    let deleting = old.clone();
    let handle = std::thread::spawn(move || std::fs::remove_dir_all(&deleting));
    Ok(Some((entry.plan.name.to_string(), old, handle)))
}

/// `value` as `write_json_pretty` writes it.
fn pretty_json(value: &impl serde::Serialize) -> io::Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(io::Error::other)?;
    bytes.push(b'\n');
    Ok(bytes)
}
