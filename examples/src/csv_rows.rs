//! An example plugin: one CSV row per finished unit — experiment, condition, replicate, outcome
//! (`ran`, `loaded`, `failed`) and how long it ran — appended to a file, for a spreadsheet or a
//! dataframe to pick up across runs.
//!
//! The examples binary turns it on with `--units-csv FILE` (see `main.rs`).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

use crystallize::Plugin;
use crystallize::events::{RunStarted, UnitFinished};

/// The columns, written once at the top of a new file.
pub const HEADER: &str = "experiment,condition,replicate,outcome,duration_ms";

/// Appends one row per finished unit to a CSV file.
pub struct CsvRows {
    path: PathBuf,
    file: Mutex<Option<File>>,
}

impl CsvRows {
    /// Rows go to `path` (created, with its header, when missing; appended to otherwise).
    pub fn new(path: impl Into<PathBuf>) -> CsvRows {
        CsvRows {
            path: path.into(),
            file: Mutex::new(None),
        }
    }
}

/// `value` as a CSV field: quoted when it holds a comma, a quote or a line break.
fn field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

impl Plugin for CsvRows {
    fn name(&self) -> &str {
        "csv-rows"
    }

    fn run_started(&self, run: &RunStarted<'_>) {
        // `plan` runs nothing: no rows.
        if run.dry_run {
            return;
        }
        let opened = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .and_then(|mut file| {
                if file.metadata()?.len() == 0 {
                    writeln!(file, "{HEADER}")?;
                }
                Ok(file)
            });
        match opened {
            Ok(file) => *self.file.lock().unwrap_or_else(|e| e.into_inner()) = Some(file),
            Err(error) => eprintln!(
                "warning: csv-rows: cannot write {}: {error}; no rows are written",
                self.path.display()
            ),
        }
    }

    fn unit_finished(&self, unit: &UnitFinished<'_>) {
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        let Some(out) = file.as_mut() else {
            return;
        };
        let row = format!(
            "{},{},{},{},{:.3}\n",
            field(unit.experiment),
            field(unit.condition),
            unit.replicate,
            unit.outcome.as_str(),
            unit.duration.as_secs_f64() * 1000.0
        );
        if let Err(error) = out.write_all(row.as_bytes()) {
            eprintln!(
                "warning: csv-rows: cannot write {}: {error}; no further rows are written",
                self.path.display()
            );
            *file = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_separators_are_quoted() {
        assert_eq!(field("baseline"), "baseline");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
