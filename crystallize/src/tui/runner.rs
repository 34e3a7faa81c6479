//! A run in a background thread: its events and its end are handed to the screen through a
//! channel, so the screen stays responsive and can cancel it.

use std::sync::atomic::AtomicBool;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::thread::{Scope, ScopedJoinHandle};

use crate::decide::report::Report;
use crate::output::events::{Event, Events, Plugin};
use crate::output::log::LogSink;
use crate::unit::panic::panic_message;

use super::Launch;
use super::state::Toggles;

/// What the run thread sends the screen.
#[derive(Debug)]
pub(crate) enum Message {
    /// An event of the run.
    Event(Event),
    /// The run ended: its report, or why it stopped.
    Finished(Result<Report, String>),
    /// A line the process wrote to its standard output or error.
    Output(String),
}

/// Hands every event of a run to the screen.
pub(crate) struct ChannelSink(Mutex<Sender<Message>>);

impl Plugin for ChannelSink {
    fn name(&self) -> &str {
        "run screen"
    }

    fn event(&self, event: &Event) {
        let sender = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // The screen is gone only when it quits, after the run ended.
        let _ = sender.send(Message::Event(event.clone()));
    }
}

/// Starts a run with `toggles` in a thread of `scope`; `cancel` stops it between units.
pub(crate) fn spawn<'scope, 'env>(
    scope: &'scope Scope<'scope, 'env>,
    launch: &'env Launch<'env>,
    toggles: Toggles,
    sender: Sender<Message>,
    cancel: Arc<AtomicBool>,
) -> ScopedJoinHandle<'scope, ()> {
    scope.spawn(move || {
        // The `-v` log goes, with everything else written to stderr, to the log pane.
        let mut events = Events::new()
            .with(ChannelSink(Mutex::new(sender.clone())))
            .with(LogSink);
        for plugin in &launch.plugins {
            events = events.with(Arc::clone(plugin));
        }
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            super::planner::run_with(launch, &toggles, events, cancel)
        }))
        .unwrap_or_else(|payload| {
            Err(format!(
                "internal error: the run panicked: {}",
                panic_message(&*payload)
            ))
        });
        let _ = sender.send(Message::Finished(result));
    })
}
