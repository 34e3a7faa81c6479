//! `--events FILE` / `--events -`: the built-in plugin that writes every run event as one line
//! of JSON.

use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use super::events::{Event, Plugin};

/// Every event as one line of JSON, flushed line by line.
pub(crate) struct JsonLines {
    out: Mutex<Box<dyn Write + Send>>,
    failed: AtomicBool,
}

impl JsonLines {
    /// Writes to `out` (a file, or stdout).
    pub(crate) fn new(out: Box<dyn Write + Send>) -> JsonLines {
        JsonLines {
            out: Mutex::new(out),
            failed: AtomicBool::new(false),
        }
    }
}

impl Plugin for JsonLines {
    fn name(&self) -> &str {
        "--events"
    }

    fn event(&self, event: &Event) {
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
    use crate::output::events::{Events, UnitOutcome};
    use std::sync::Arc;

    use std::collections::BTreeMap;

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
            metrics: BTreeMap::from([("mean".to_string(), Some(0.5))]),
        });
        events.emit(Event::RunFinished {
            ok: true,
            failed_units: 0,
            error: None,
            detached: false,
        });
        let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        assert_eq!(lines[0]["event"], "unit-finished");
        assert_eq!(lines[0]["outcome"], "loaded");
        assert_eq!(lines[0]["replicate"], 3);
        assert_eq!(lines[0]["metrics"]["mean"], 0.5);
        assert_eq!(lines[1]["event"], "run-finished");
    }
}
