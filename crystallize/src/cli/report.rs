//! `report EXPERIMENT [--version N] [-o FILE]`: writes the HTML report of a stored run (see
//! [`crate::output::html`]) to `FILE`, by default `report.html` in the current directory.

use std::path::Path;

use crate::define::registration::Registered;
use crate::output::html::hypotheses::HypothesesFile;
use crate::output::html::{self, ConditionMetrics, Page, Verdicts};
use crate::store::layout::{self, DataRoot, RESULTS};
use crate::store::records::{RecordError, ResultsFile, read_record};

use super::export::{condition_order, stored_run};
use super::{EXIT_FAILED, EXIT_OK};

/// The file next to a version's results that holds its hypotheses' verdicts.
pub(crate) const HYPOTHESES: &str = "hypotheses.json";

/// Runs `report`: writes the page to `output` and returns the exit code.
pub(crate) fn report(
    registered: &[Registered],
    root: &DataRoot,
    name: &str,
    version: Option<u32>,
    output: &Path,
) -> i32 {
    let (found, version, metadata, version_dir) = match stored_run(registered, root, name, version)
    {
        Ok(stored) => stored,
        Err(code) => return code,
    };
    let conditions: Vec<ConditionMetrics> = condition_order(found, &metadata)
        .into_iter()
        .filter_map(|condition| {
            let path = layout::condition_dir(&version_dir, &condition).join(RESULTS);
            match read_record::<ResultsFile>(&path) {
                Ok(results) => Some(ConditionMetrics {
                    name: condition,
                    metrics: results.metrics,
                }),
                Err(error) => {
                    let why = match error {
                        RecordError::Missing => "is missing".to_string(),
                        RecordError::Corrupt(why) => format!("is unreadable ({why})"),
                    };
                    eprintln!(
                        "warning: {} {why}; condition `{condition}` is left out",
                        path.display()
                    );
                    None
                }
            }
        })
        .collect();
    let verdicts = match read_record::<HypothesesFile>(&version_dir.join(HYPOTHESES)) {
        Ok(file) => Verdicts::Read(file),
        Err(RecordError::Missing) => Verdicts::Absent,
        Err(RecordError::Corrupt(why)) => {
            eprintln!(
                "warning: {} is unreadable ({why}); the report shows no verdicts",
                version_dir.join(HYPOTHESES).display()
            );
            Verdicts::Unreadable(why)
        }
    };
    let page = Page {
        experiment: name,
        version,
        metadata: &metadata,
        conditions,
        verdicts,
    };
    let html = match html::render(&page) {
        Ok(html) => html,
        Err(why) => {
            eprintln!("error: cannot draw the report's plots: {why}");
            return EXIT_FAILED;
        }
    };
    if let Err(error) = std::fs::write(output, html) {
        eprintln!("error: cannot write {}: {error}", output.display());
        return EXIT_FAILED;
    }
    eprintln!("wrote {} ({name} v{version})", output.display());
    EXIT_OK
}
