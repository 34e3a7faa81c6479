//! The `-v` log, as a built-in plugin over the run events, written through `tracing`: warnings always, `-v`
//! the decisions (which replicates load from which version, which run and why) and step-cache
//! hits, `-vv` every unit and step. `RUST_LOG` (`target=level` directives) takes precedence.
//! Warnings are yellow and errors red when stderr is coloured (see [`super::color`]).

use std::sync::atomic::{AtomicU8, Ordering};

use tracing_subscriber::filter::Targets;
use tracing_subscriber::prelude::*;

use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

use super::color::{Paint, RESET};
use super::events::{Event, Plugin};
use super::progress::StderrAroundBar;

/// 0: warnings, 1: info (`-v`), 2 and up: debug (`-vv`).
static VERBOSITY: AtomicU8 = AtomicU8::new(0);

/// Sets up the log for a command run with `-v` given `verbosity` times (once per process; later
/// calls only change the verbosity).
pub(crate) fn init(verbosity: u8) {
    VERBOSITY.store(verbosity, Ordering::Relaxed);
    let from_env: Option<Targets> = std::env::var("RUST_LOG")
        .ok()
        .and_then(|directives| directives.parse().ok());
    let format = tracing_subscriber::fmt::layer()
        .without_time()
        .with_target(false)
        .with_level(false)
        .with_ansi(false)
        .event_format(Painted)
        .with_writer(|| StderrAroundBar);
    let installed = match from_env {
        Some(targets) => tracing_subscriber::registry()
            .with(format.with_filter(targets))
            .try_init(),
        None => tracing_subscriber::registry()
            .with(
                format.with_filter(tracing_subscriber::filter::filter_fn(|meta| {
                    let allowed = match VERBOSITY.load(Ordering::Relaxed) {
                        0 => tracing::Level::WARN,
                        1 => tracing::Level::INFO,
                        _ => tracing::Level::DEBUG,
                    };
                    *meta.level() <= allowed
                })),
            )
            .try_init(),
    };
    // Already installed by an earlier command in this process: the verbosity above applies.
    let _ = installed;
}

/// The log's lines: the message and its fields, warnings in yellow and errors in red when
/// stderr is coloured (`--color`), nothing else (no time, level or target).
struct Painted;

impl<S, N> FormatEvent<S, N> for Painted
where
    S: tracing::Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &tracing::Event<'_>,
    ) -> std::fmt::Result {
        let paint = match *event.metadata().level() {
            tracing::Level::ERROR => Some(Paint::Red),
            tracing::Level::WARN => Some(Paint::Yellow),
            _ => None,
        }
        .filter(|_| super::color::stderr());
        if let Some(paint) = paint {
            write!(writer, "{}", paint.code())?;
        }
        ctx.format_fields(writer.by_ref(), event)?;
        if paint.is_some() {
            write!(writer, "{RESET}")?;
        }
        writeln!(writer)
    }
}

/// The log consumer.
pub(crate) struct LogSink;

impl Plugin for LogSink {
    fn name(&self) -> &str {
        "-v log"
    }

    /// Loaded units are logged at debug level (`-vv`, or `RUST_LOG`): below it, a resume builds
    /// no event per loaded unit for the log.
    fn wants_loaded_units(&self) -> bool {
        tracing::enabled!(tracing::Level::DEBUG)
    }

    fn event(&self, event: &Event) {
        match event {
            Event::ExperimentPlanned {
                experiment,
                conditions,
                warnings,
                ..
            } => {
                for warning in warnings {
                    tracing::info!("[crystallize] {experiment}: warning: {warning}");
                }
                for condition in conditions {
                    for group in &condition.groups {
                        tracing::info!(
                            "[crystallize] {experiment}/{}: replicates {}: {}",
                            condition.condition,
                            group.replicates,
                            group.decision
                        );
                    }
                    for change in &condition.also {
                        tracing::info!(
                            "[crystallize] {experiment}/{}: also {}: {}",
                            condition.condition,
                            crate::decide::report::kind_name(change.kind),
                            change.detail
                        );
                    }
                }
            }
            Event::StepFinished {
                experiment,
                condition,
                replicate,
                step,
                cached: true,
                ..
            } => tracing::info!(
                "[crystallize] {experiment}/{condition}/replicate {replicate}: step `{step}` served from the step cache"
            ),
            Event::StepFinished {
                experiment,
                condition,
                replicate,
                step,
                duration_ms,
                ..
            } => tracing::debug!(
                "[crystallize] {experiment}/{condition}/replicate {replicate}: step `{step}` ran in {duration_ms:.1} ms"
            ),
            Event::UnitFinished {
                experiment,
                condition,
                replicate,
                outcome,
                duration_ms,
                ..
            } => tracing::debug!(
                "[crystallize] {experiment}/{condition}/replicate {replicate}: {} ({duration_ms:.1} ms)",
                serde_json::to_value(outcome)
                    .ok()
                    .and_then(|value| value.as_str().map(str::to_string))
                    .unwrap_or_default()
            ),
            Event::StorageFailed { message } => {
                tracing::debug!("[crystallize] storage failed: {message}");
            }
            Event::ExperimentFinished {
                experiment,
                version,
                units_run,
                units_loaded,
                units_failed,
                ..
            } => tracing::debug!(
                "[crystallize] {experiment} (v{version}): {units_run} run, {units_loaded} loaded, {units_failed} failed"
            ),
            _ => {}
        }
    }
}
