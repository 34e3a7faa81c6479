//! `export EXPERIMENT [--version N] --format csv|jsonl`: the metrics of a stored run as one row
//! per condition × replicate × metric, with the columns `version,condition,replicate,metric,value`
//! and then `condition_key`, for pandas, polars or a spreadsheet.
//!
//! Rows come in the experiment's definition order of conditions (baseline first, then the
//! treatments as defined; a stored condition the definition no longer has comes last), then by
//! replicate, then by metric name. A replicate that failed, or did not record the metric, keeps
//! its row with no value: an empty field in CSV, `null` in JSON lines.
//!
//! With `--hypotheses`, the verdicts of that run instead (`v<N>/hypotheses.json`): one row per
//! hypothesis × treatment, see [`crate::cli::verdicts::write_verdicts`].

use std::io::{ErrorKind, Write};

use serde::Serialize;

use crate::define::registration::Registered;
use crate::store::layout::{self, DataRoot, RESULTS};
use crate::store::records::{Metadata, RecordError, ResultsFile, read_record};
use crate::store::version::{list_versions, newest_usable};

use super::csv::{field as csv_field, number};
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};

/// The output formats of `export`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// Comma-separated values with a header line (RFC 4180 quoting)
    Csv,
    /// One JSON object per line
    Jsonl,
}

/// The columns, in order.
const COLUMNS: [&str; 6] = [
    "version",
    "condition",
    "replicate",
    "metric",
    "value",
    "condition_key",
];

/// One exported value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct Row<'a> {
    /// The version it was stored in.
    pub version: u32,
    /// The condition.
    pub condition: &'a str,
    /// The replicate.
    pub replicate: u32,
    /// The metric.
    pub metric: &'a str,
    /// Its value; `None` when the replicate failed or did not record it.
    pub value: Option<f64>,
    /// The condition's key (hex).
    pub condition_key: &'a str,
}

/// A stored condition's results, ready to export.
struct ConditionResults {
    name: String,
    key: String,
    results: ResultsFile,
}

/// Runs `export`: prints the rows on stdout and returns the exit code.
pub(crate) fn export(
    registered: &[Registered],
    root: &DataRoot,
    name: &str,
    version: Option<u32>,
    format: Format,
    hypotheses: bool,
) -> i32 {
    let (found, version, metadata, version_dir) = match stored_run(registered, root, name, version)
    {
        Ok(stored) => stored,
        Err(code) => return code,
    };
    if hypotheses {
        return export_verdicts(&version_dir, version, format);
    }
    let conditions: Vec<ConditionResults> = condition_order(found, &metadata)
        .into_iter()
        .filter_map(|condition| {
            let path = layout::condition_dir(&version_dir, &condition).join(RESULTS);
            let results = match read_record::<ResultsFile>(&path) {
                Ok(results) => results,
                Err(RecordError::Missing) => {
                    eprintln!(
                        "warning: {} is missing; condition `{condition}` is left out",
                        path.display()
                    );
                    return None;
                }
                Err(RecordError::Corrupt(why)) => {
                    eprintln!(
                        "warning: {} is unreadable ({why}); condition `{condition}` is left out",
                        path.display()
                    );
                    return None;
                }
            };
            let key = metadata.conditions.get(&condition)?.key.hex();
            Some(ConditionResults {
                name: condition,
                key,
                results,
            })
        })
        .collect();
    let rows = conditions
        .iter()
        .flat_map(|condition| rows_of(version, condition));
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match write_rows(&mut out, rows, format).and_then(|()| out.flush()) {
        Ok(()) => EXIT_OK,
        // A closed reader (`.. | head`) is not an error.
        Err(error) if error.kind() == ErrorKind::BrokenPipe => EXIT_OK,
        Err(error) => {
            eprintln!("error: cannot print to stdout: {error}");
            EXIT_FAILED
        }
    }
}

/// `export --hypotheses`: the verdicts stored with version `version` in `version_dir`.
fn export_verdicts(version_dir: &std::path::Path, version: u32, format: Format) -> i32 {
    let report = match super::verdicts::stored(version_dir) {
        Ok(Some(report)) => report,
        Ok(None) => {
            eprintln!(
                "error: {} holds no verdicts: the experiment declared no hypotheses when it ran; declare one with `.hypothesis(..)` and run it again (no unit reruns)",
                version_dir.display()
            );
            return EXIT_USAGE;
        }
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_FAILED;
        }
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match super::verdicts::write_verdicts(&mut out, version, &report, format == Format::Jsonl)
        .and_then(|()| out.flush())
    {
        Ok(()) => EXIT_OK,
        Err(error) if error.kind() == ErrorKind::BrokenPipe => EXIT_OK,
        Err(error) => {
            eprintln!("error: cannot print to stdout: {error}");
            EXIT_FAILED
        }
    }
}

/// The registered experiment `name` and its stored version `wanted` (or the newest readable
/// one), with that version's metadata and directory. `Err` is the exit code, the problem
/// printed: an unknown experiment (the known ones listed), or no such stored version.
pub(super) fn stored_run<'a>(
    registered: &'a [Registered],
    root: &DataRoot,
    name: &str,
    wanted: Option<u32>,
) -> Result<(&'a Registered, u32, Metadata, std::path::PathBuf), i32> {
    let Some(found) = registered.iter().find(|r| r.name() == name) else {
        let known: Vec<&str> = registered.iter().map(Registered::name).collect();
        eprintln!(
            "error: unknown experiment `{name}`; known experiments: {}",
            known.join(", ")
        );
        return Err(EXIT_USAGE);
    };
    let (version, metadata) = stored_version(root, name, wanted).map_err(|(code, message)| {
        eprintln!("error: {message}");
        code
    })?;
    let version_dir = layout::version_dir(&root.experiment_dir(name), version);
    Ok((found, version, metadata, version_dir))
}

/// The version to export, with its metadata: `wanted`, or the newest readable one. `Err` holds
/// the exit code and the message.
fn stored_version(
    root: &DataRoot,
    name: &str,
    wanted: Option<u32>,
) -> Result<(u32, Metadata), (i32, String)> {
    let dir = root.experiment_dir(name);
    let versions = list_versions(&dir).map_err(|error| {
        (
            EXIT_FAILED,
            format!("cannot list {}: {error}", dir.display()),
        )
    })?;
    let listed = || {
        versions
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    if versions.is_empty() {
        return Err((
            EXIT_USAGE,
            format!(
                "`{name}` has no stored run in {}; run it first",
                root.path().display()
            ),
        ));
    }
    let Some(wanted) = wanted else {
        return newest_usable(&dir)
            .map(|(version, _, metadata)| (version, metadata))
            .ok_or_else(|| {
                (
                    EXIT_FAILED,
                    format!(
                        "no version of `{name}` in {} has a readable {} (versions: {})",
                        dir.display(),
                        layout::METADATA,
                        listed()
                    ),
                )
            });
    };
    if !versions.contains(&wanted) {
        return Err((
            EXIT_USAGE,
            format!(
                "`{name}` has no version {wanted} in {}; versions: {}",
                root.path().display(),
                listed()
            ),
        ));
    }
    let path = layout::version_dir(&dir, wanted).join(layout::METADATA);
    match read_record::<Metadata>(&path) {
        Ok(metadata) => Ok((wanted, metadata)),
        Err(RecordError::Missing) => Err((EXIT_FAILED, format!("{} is missing", path.display()))),
        Err(RecordError::Corrupt(why)) => Err((
            EXIT_FAILED,
            format!("{} is unreadable: {why}", path.display()),
        )),
    }
}

/// The stored conditions of `metadata`, in the definition order of `registered`; stored
/// conditions it no longer defines come after, by name.
pub(super) fn condition_order(registered: &Registered, metadata: &Metadata) -> Vec<String> {
    let defined: Vec<String> = registered
        .experiment
        .conditions()
        .into_iter()
        .map(|condition| condition.name)
        .collect();
    let mut order: Vec<String> = defined
        .iter()
        .filter(|name| metadata.conditions.contains_key(*name))
        .cloned()
        .collect();
    order.extend(
        metadata
            .conditions
            .keys()
            .filter(|name| !defined.contains(name))
            .cloned(),
    );
    order
}

/// The rows of one condition: by replicate, then by metric name.
fn rows_of(version: u32, condition: &ConditionResults) -> Vec<Row<'_>> {
    let replicates = condition
        .results
        .metrics
        .values()
        .map(Vec::len)
        .max()
        .unwrap_or(0);
    (0..replicates)
        .flat_map(|replicate| {
            condition
                .results
                .metrics
                .iter()
                .map(move |(metric, values)| Row {
                    version,
                    condition: &condition.name,
                    replicate: replicate as u32,
                    metric,
                    value: values.get(replicate).copied().flatten(),
                    condition_key: &condition.key,
                })
        })
        .collect()
}

/// Writes `rows` to `out` in `format` (CSV: a header line first).
pub(crate) fn write_rows<'a>(
    out: &mut dyn Write,
    rows: impl IntoIterator<Item = Row<'a>>,
    format: Format,
) -> std::io::Result<()> {
    match format {
        Format::Csv => {
            writeln!(out, "{}", COLUMNS.join(","))?;
            for row in rows {
                let value = row.value.map(number).unwrap_or_default();
                writeln!(
                    out,
                    "{},{},{},{},{},{}",
                    row.version,
                    csv_field(row.condition),
                    row.replicate,
                    csv_field(row.metric),
                    value,
                    csv_field(row.condition_key)
                )?;
            }
        }
        Format::Jsonl => {
            for row in rows {
                serde_json::to_writer(&mut *out, &row)?;
                out.write_all(b"\n")?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'a>(condition: &'a str, metric: &'a str, value: Option<f64>) -> Row<'a> {
        Row {
            version: 3,
            condition,
            replicate: 1,
            metric,
            value,
            condition_key: "ab12",
        }
    }

    fn written(rows: Vec<Row<'_>>, format: Format) -> String {
        let mut out = Vec::new();
        write_rows(&mut out, rows, format).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn csv_quotes_fields_that_need_it_and_leaves_missing_values_empty() {
        let text = written(
            vec![
                row("baseline", "mean", Some(0.5)),
                row("a,b", "say \"hi\"", None),
                row("two\nlines", " padded", Some(1e-7)),
            ],
            Format::Csv,
        );
        assert_eq!(
            text,
            "version,condition,replicate,metric,value,condition_key\n\
             3,baseline,1,mean,0.5,ab12\n\
             3,\"a,b\",1,\"say \"\"hi\"\"\",,ab12\n\
             3,\"two\nlines\",1,\" padded\",1e-7,ab12\n"
        );
    }

    #[test]
    fn jsonl_keeps_the_column_order_and_writes_null_for_missing_values() {
        let text = written(
            vec![row("baseline", "mean", Some(2.0)), row("x", "m", None)],
            Format::Jsonl,
        );
        assert_eq!(
            text,
            "{\"version\":3,\"condition\":\"baseline\",\"replicate\":1,\"metric\":\"mean\",\"value\":2.0,\"condition_key\":\"ab12\"}\n\
             {\"version\":3,\"condition\":\"x\",\"replicate\":1,\"metric\":\"m\",\"value\":null,\"condition_key\":\"ab12\"}\n"
        );
    }
}
