//! Progress of a run, as a consumer of its events: a bar with units done/total, rate and ETA on
//! a terminal (silent in pipes), and one line per failed unit.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::events::{Event, Plugin, UnitOutcome};

/// The bar being shown, if any: log lines are written around it (see [`StderrAroundBar`]).
static ACTIVE: Mutex<Option<ProgressBar>> = Mutex::new(None);

fn active() -> std::sync::MutexGuard<'static, Option<ProgressBar>> {
    ACTIVE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn new_bar(total: u64) -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() || total == 0 {
        return None;
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} units  {rate}  ETA {eta}")
    {
        bar.set_style(style.with_key(
            "rate",
            |state: &indicatif::ProgressState, out: &mut dyn std::fmt::Write| {
                let _ = write!(out, "{:.0} units/s", state.per_sec());
            },
        ));
    }
    Some(bar)
}

/// Prints a line to stderr without garbling the bar.
fn note(line: &str) {
    match active().as_ref() {
        Some(bar) => bar.println(line),
        None => eprintln!("{line}"),
    }
}

/// The progress consumer: a bar per wave of units (when `enabled` and stderr is a terminal),
/// and a line per failed unit (always), except for units that failed because the storage did.
pub(crate) struct ProgressSink {
    enabled: bool,
    storage_failed: std::sync::atomic::AtomicBool,
}

impl ProgressSink {
    /// A consumer that shows a bar when `enabled`.
    pub(crate) fn new(enabled: bool) -> ProgressSink {
        ProgressSink {
            enabled,
            storage_failed: std::sync::atomic::AtomicBool::new(false),
        }
    }
}

impl Plugin for ProgressSink {
    fn event(&self, event: &Event) {
        use std::sync::atomic::Ordering;
        match event {
            Event::WaveStarted { units, .. } if self.enabled => *active() = new_bar(*units),
            Event::UnitFinished {
                experiment,
                condition,
                replicate,
                outcome,
                error,
                failed_in,
                ..
            } if *outcome != UnitOutcome::Loaded => {
                if *outcome == UnitOutcome::Failed && !self.storage_failed.load(Ordering::Relaxed) {
                    note(&format!(
                        "{experiment} / {condition} / replicate {replicate}: {} failed: {}",
                        failed_in.as_deref().unwrap_or("unit"),
                        error.as_deref().unwrap_or_default()
                    ));
                }
                if let Some(bar) = active().as_ref() {
                    bar.inc(1);
                }
            }
            Event::StorageFailed { .. } => self.storage_failed.store(true, Ordering::Relaxed),
            Event::WaveFinished => {
                if let Some(bar) = active().take() {
                    bar.finish_and_clear();
                }
            }
            _ => {}
        }
    }
}

/// Where log lines go: stderr, around the bar when one is shown.
pub(crate) struct StderrAroundBar;

impl Write for StderrAroundBar {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match active().as_ref() {
            Some(bar) => bar.suspend(|| std::io::stderr().write(bytes)),
            None => std::io::stderr().write(bytes),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}
