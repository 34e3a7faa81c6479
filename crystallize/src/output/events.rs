//! One typed stream of run events: what a run decided, every unit started and finished (ran,
//! loaded or failed, with its duration), every step and artifact, every experiment finished, and
//! the end of the run. The progress bar, the `-v` log and `--events` (JSON lines) are its
//! consumers; others (a terminal UI, plugins) plug in the same way, as an [`EventSink`].

use std::io::Write;
use std::sync::Mutex;

use serde::Serialize;

use crate::decide::report::{Action, Reason};

/// What happened to a unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum UnitOutcome {
    /// It ran and succeeded.
    Ran,
    /// It was loaded from an earlier run.
    Loaded,
    /// It ran and failed (an error or a panic).
    Failed,
}

/// Units of one condition that share a decision, for the `-v` log.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct UnitGroup {
    /// The replicates (`0-9, 12`).
    pub replicates: String,
    /// `run (code-changed: ..)` or `load from v0 (..)`.
    pub decision: String,
}

/// What a run decided for one condition.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct PlannedCondition {
    /// The condition.
    pub condition: String,
    /// Its units, grouped by decision.
    pub groups: Vec<UnitGroup>,
    /// Further changes of its signature, after the first (which the run groups carry).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<Reason>,
}

/// One event of a run. In `--events` output every event is one JSON object with its kind in
/// `"event"` (`"unit-finished"`, ...).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub(crate) enum Event {
    /// The run starts, over these experiments in run order.
    RunStarted {
        /// The experiments.
        experiments: Vec<String>,
        /// `plan` decides without running anything.
        dry_run: bool,
    },
    /// An experiment's units were decided.
    ExperimentPlanned {
        /// The experiment.
        experiment: String,
        /// Units to run.
        units_to_run: u32,
        /// Units to load.
        units_to_load: u32,
        /// Per condition, the decisions.
        conditions: Vec<PlannedCondition>,
        /// Corrupt, foreign or unusable files found, and notes.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        warnings: Vec<String>,
    },
    /// Units of independent experiments start running together.
    WaveStarted {
        /// The experiments.
        experiments: Vec<String>,
        /// Units that will run.
        units: u64,
    },
    /// A unit starts running.
    UnitStarted {
        /// Its experiment.
        experiment: String,
        /// Its condition.
        condition: String,
        /// Its replicate.
        replicate: u32,
    },
    /// A step of a unit finished (sent when the unit finishes).
    StepFinished {
        /// Its experiment.
        experiment: String,
        /// Its condition.
        condition: String,
        /// Its replicate.
        replicate: u32,
        /// The stage.
        step: String,
        /// Milliseconds it took.
        duration_ms: f64,
        /// Served from the step cache.
        cached: bool,
    },
    /// A unit wrote an artifact (sent when the unit finishes).
    ArtifactWritten {
        /// Its experiment.
        experiment: String,
        /// Its condition.
        condition: String,
        /// Its replicate.
        replicate: u32,
        /// The stage that wrote it.
        step: String,
        /// The file name.
        file: String,
        /// Its size in bytes.
        size: u64,
    },
    /// A unit finished: exactly one such event per unit of a run, whether it ran, loaded or
    /// failed.
    UnitFinished {
        /// Its experiment.
        experiment: String,
        /// Its condition.
        condition: String,
        /// Its replicate.
        replicate: u32,
        /// What happened.
        outcome: UnitOutcome,
        /// Milliseconds it ran (0 for a loaded unit).
        duration_ms: f64,
        /// Why it failed.
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<String>,
        /// Where it failed: `panic in \`step\`` or `error in \`step\``.
        #[serde(skip_serializing_if = "Option::is_none")]
        failed_in: Option<String>,
    },
    /// A write failed because the storage failed: no further unit starts, and the failures of
    /// units in flight are this one's consequences.
    StorageFailed {
        /// What failed, with the path and the cause.
        message: String,
    },
    /// The units of a wave finished.
    WaveFinished,
    /// An experiment's results are stored (or, for `plan`, decided).
    ExperimentFinished {
        /// The experiment.
        experiment: String,
        /// Ran, partial or loaded.
        action: Action,
        /// Its version.
        version: u32,
        /// Units run.
        units_run: u32,
        /// Units loaded.
        units_loaded: u32,
        /// Units failed.
        units_failed: u32,
    },
    /// The run ended: every run ends with this event.
    RunFinished {
        /// No unit failed and everything was stored.
        ok: bool,
        /// Units that failed.
        failed_units: u32,
        /// Why the run stopped, if it did.
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<String>,
    },
}

/// A consumer of run events. Called from the run's threads (unit starts come from workers).
pub(crate) trait EventSink: Send + Sync {
    /// Handles one event.
    fn event(&self, event: &Event);
}

/// The consumers of one run.
#[derive(Default)]
pub(crate) struct Events {
    sinks: Vec<Box<dyn EventSink>>,
}

impl Events {
    /// No consumer.
    pub(crate) fn new() -> Events {
        Events::default()
    }

    /// Adds a consumer.
    pub(crate) fn with(mut self, sink: impl EventSink + 'static) -> Events {
        self.sinks.push(Box::new(sink));
        self
    }

    /// Hands `event` to every consumer.
    pub(crate) fn emit(&self, event: Event) {
        for sink in &self.sinks {
            sink.event(&event);
        }
    }
}

impl std::fmt::Debug for Events {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Events({} consumers)", self.sinks.len())
    }
}

/// `--events FILE` / `--events -`: every event as one line of JSON.
pub(crate) struct JsonLines {
    out: Mutex<Box<dyn Write + Send>>,
    failed: std::sync::atomic::AtomicBool,
}

impl JsonLines {
    /// Writes to `out` (a file, or stdout).
    pub(crate) fn new(out: Box<dyn Write + Send>) -> JsonLines {
        JsonLines {
            out: Mutex::new(out),
            failed: std::sync::atomic::AtomicBool::new(false),
        }
    }
}

impl EventSink for JsonLines {
    fn event(&self, event: &Event) {
        use std::sync::atomic::Ordering;
        if self.failed.load(Ordering::Relaxed) {
            return;
        }
        let Ok(mut line) = serde_json::to_vec(event) else {
            return;
        };
        line.push(b'\n');
        let mut out = self
            .out
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // A line at a time, flushed: a reader following the file sees whole events. A closed
        // reader ends the stream quietly; the run itself goes on.
        let written = out.write_all(&line).and_then(|()| out.flush());
        if let Err(error) = written {
            self.failed.store(true, Ordering::Relaxed);
            if error.kind() != std::io::ErrorKind::BrokenPipe {
                tracing::warn!("--events: cannot write: {error}; no further events are written");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn events_are_json_lines_tagged_with_their_kind() {
        let buffer = Buffer::default();
        let events = Events::new().with(JsonLines::new(Box::new(buffer.clone())));
        events.emit(Event::UnitFinished {
            experiment: "e".into(),
            condition: "baseline".into(),
            replicate: 3,
            outcome: UnitOutcome::Loaded,
            duration_ms: 0.0,
            error: None,
            failed_in: None,
        });
        events.emit(Event::RunFinished {
            ok: true,
            failed_units: 0,
            error: None,
        });
        let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        assert_eq!(lines[0]["event"], "unit-finished");
        assert_eq!(lines[0]["outcome"], "loaded");
        assert_eq!(lines[0]["replicate"], 3);
        assert_eq!(lines[1]["event"], "run-finished");
    }
}
