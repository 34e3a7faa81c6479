//! Progress of a run, as a consumer of its events: on a terminal, one bar per experiment of the
//! running wave, named, with its units done / total, rate and ETA, and the run's elapsed time
//! once it finishes (silent in pipes, and with `-q`); a line per failed unit, always.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::color::{Paint, paint};
use super::events::{Event, Plugin, UnitOutcome};

/// The bars being shown, if any: log lines are written around them (see [`StderrAroundBar`]).
static ACTIVE: Mutex<Option<Bars>> = Mutex::new(None);

/// The bars of one wave: one per experiment that runs units in it.
struct Bars {
    /// Draws them together, one line each.
    multi: MultiProgress,
    /// By experiment.
    by_experiment: HashMap<String, ProgressBar>,
}

fn active() -> std::sync::MutexGuard<'static, Option<Bars>> {
    ACTIVE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Locks a mutex of this module, whose data stays consistent even if a holder panicked.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The style of an experiment's bar.
fn style() -> Option<ProgressStyle> {
    let style =
        ProgressStyle::with_template("{prefix} {bar:30} {pos}/{len} units  {rate}  ETA {eta}")
            .ok()?;
    Some(style.with_key(
        "rate",
        |state: &indicatif::ProgressState, out: &mut dyn std::fmt::Write| {
            let _ = write!(out, "{:.0} units/s", state.per_sec());
        },
    ))
}

/// The bars of a wave over `experiments` with the units each runs (`None` on no terminal, or
/// when no unit runs).
fn new_bars(experiments: &[(String, u64)]) -> Option<Bars> {
    if !stderr_is_terminal() || experiments.iter().all(|(_, units)| *units == 0) {
        return None;
    }
    let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
    let width = experiments
        .iter()
        .map(|(name, _)| name.chars().count())
        .max()
        .unwrap_or(0);
    let style = style();
    let by_experiment = experiments
        .iter()
        .filter(|(_, units)| *units > 0)
        .map(|(name, units)| {
            let bar = multi.add(ProgressBar::new(*units));
            if let Some(style) = &style {
                bar.set_style(style.clone());
            }
            bar.set_prefix(paint(&format!("{name:<width$}"), Paint::Bold));
            bar.tick();
            (name.clone(), bar)
        })
        .collect();
    Some(Bars {
        multi,
        by_experiment,
    })
}

/// Prints a line to stderr without garbling the bars.
fn note(line: &str) {
    match active().as_ref() {
        Some(bars) => {
            if bars.multi.println(line).is_err() {
                eprintln!("{line}");
            }
        }
        None => eprintln!("{line}"),
    }
}

/// `3.2s`, `2m 05s`, `1h 02m`: how long a run took.
pub(crate) fn elapsed_text(elapsed: Duration) -> String {
    let seconds = elapsed.as_secs_f64();
    if seconds < 60.0 {
        return format!("{seconds:.1}s");
    }
    let whole = elapsed.as_secs();
    if whole < 3600 {
        format!("{}m {:02}s", whole / 60, whole % 60)
    } else {
        format!("{}h {:02}m", whole / 3600, (whole % 3600) / 60)
    }
}

/// Prints `finished in 3.2s` on stderr, a terminal's last line after a run (nothing into a pipe
/// or a file: the elapsed time is progress).
pub(crate) fn print_elapsed(elapsed: Duration, units_run: u64) {
    if stderr_is_terminal() {
        note(&format!("finished in {}", elapsed_text(elapsed)));
        if let Some(hint) = debug_build_hint(elapsed, units_run) {
            note(hint);
        }
    }
}

/// What a run that executed units for a second or more says when crystallize was compiled
/// without optimisation (`cargo run` builds in debug): how to get release speed.
fn debug_build_hint(elapsed: Duration, units_run: u64) -> Option<&'static str> {
    (env!("CRYSTALLIZE_OPT_LEVEL") == "0" && units_run > 0 && elapsed >= Duration::from_secs(1))
        .then_some(
            "note: this is a debug build; `cargo run --release` runs units several times \
             faster (README: \"Debug builds\")",
        )
}

/// The progress consumer: a named bar per experiment of each wave of units (when `enabled` and
/// stderr is a terminal), and a line per failed unit (always), except for units that failed
/// because the storage did.
pub(crate) struct ProgressSink {
    enabled: bool,
    storage_failed: std::sync::atomic::AtomicBool,
    /// Units each experiment runs, from its latest `experiment-planned` event.
    planned: Mutex<HashMap<String, u64>>,
}

impl ProgressSink {
    /// A consumer that shows bars when `enabled` (`-q` disables them).
    pub(crate) fn new(enabled: bool) -> ProgressSink {
        ProgressSink {
            enabled,
            storage_failed: std::sync::atomic::AtomicBool::new(false),
            planned: Mutex::new(HashMap::new()),
        }
    }
}

impl Plugin for ProgressSink {
    /// The bars count the units that run; loaded units only show in the summary.
    fn wants_loaded_units(&self) -> bool {
        false
    }

    fn event(&self, event: &Event) {
        use std::sync::atomic::Ordering;
        match event {
            Event::ExperimentPlanned {
                experiment,
                units_to_run,
                ..
            } => {
                lock(&self.planned).insert(experiment.clone(), u64::from(*units_to_run));
            }
            Event::WaveStarted { experiments, .. } if self.enabled => {
                let planned = lock(&self.planned);
                let units: Vec<(String, u64)> = experiments
                    .iter()
                    .map(|name| (name.clone(), planned.get(name).copied().unwrap_or(0)))
                    .collect();
                drop(planned);
                *active() = new_bars(&units);
            }
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
                        "{experiment} / {condition} / replicate {replicate}: {}: {}",
                        paint(
                            &format!("{} failed", failed_in.as_deref().unwrap_or("unit")),
                            Paint::Red
                        ),
                        error.as_deref().unwrap_or_default()
                    ));
                }
                if let Some(bar) = active()
                    .as_ref()
                    .and_then(|bars| bars.by_experiment.get(experiment))
                {
                    bar.inc(1);
                    if bar.length().is_some_and(|length| bar.position() >= length) {
                        // Done: the bar stays, full, until the wave ends.
                        bar.finish();
                    }
                }
            }
            Event::StorageFailed { .. } => self.storage_failed.store(true, Ordering::Relaxed),
            Event::WaveFinished => {
                if let Some(bars) = active().take() {
                    for bar in bars.by_experiment.values() {
                        bar.finish_and_clear();
                    }
                    let _ = bars.multi.clear();
                }
            }
            _ => {}
        }
    }
}

/// Where log lines go: stderr, around the bars when they are shown.
pub(crate) struct StderrAroundBar;

impl Write for StderrAroundBar {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match active().as_ref() {
            Some(bars) => bars.multi.suspend(|| std::io::stderr().write(bytes)),
            None => std::io::stderr().write(bytes),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

/// Whether stderr is a terminal, asked once per process (each wave asks).
fn stderr_is_terminal() -> bool {
    static IS_TERMINAL: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *IS_TERMINAL.get_or_init(|| std::io::stderr().is_terminal())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elapsed_time_reads_in_seconds_minutes_or_hours() {
        assert_eq!(elapsed_text(Duration::from_millis(3_240)), "3.2s");
        assert_eq!(elapsed_text(Duration::from_millis(59_940)), "59.9s");
        assert_eq!(elapsed_text(Duration::from_secs(125)), "2m 05s");
        assert_eq!(elapsed_text(Duration::from_secs(3_720)), "1h 02m");
    }
}
