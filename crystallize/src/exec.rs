//! Executing units: a pool of worker threads pulling unit indices, and panic capture so a
//! panicking source or step fails only its own unit.

use std::any::Any;
use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;

thread_local! {
    /// `Some(slot)` while this thread runs user code under [`catch_panic`].
    static CAPTURE: RefCell<Option<Option<String>>> = const { RefCell::new(None) };
}

fn install_panic_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let captured = CAPTURE.with(|capture| {
                let mut capture = capture.borrow_mut();
                match capture.as_mut() {
                    Some(slot) => {
                        let message = info
                            .payload_as_str()
                            .unwrap_or("panic with a non-string payload");
                        *slot = Some(match info.location() {
                            Some(location) => format!("panicked at {location}: {message}"),
                            None => format!("panicked: {message}"),
                        });
                        true
                    }
                    None => false,
                }
            });
            if !captured {
                previous(info);
            }
        }));
    });
}

/// The message of a panic payload.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "panic with a non-string payload".to_string()
    }
}

/// Runs `work`, turning a panic into `Err(message with location)` instead of printing it.
pub(crate) fn catch_panic<R>(work: impl FnOnce() -> R) -> Result<R, String> {
    install_panic_hook();
    CAPTURE.with(|capture| *capture.borrow_mut() = Some(None));
    let result = panic::catch_unwind(AssertUnwindSafe(work));
    let captured = CAPTURE
        .with(|capture| capture.borrow_mut().take())
        .flatten();
    result.map_err(|payload| captured.unwrap_or_else(|| panic_message(&*payload)))
}

/// What [`run_parallel`] hands to its sink.
pub(crate) enum Delivery<R> {
    /// The result of `work(index)`.
    Done(usize, R),
    /// No further result is waiting right now: a good moment to write what arrived.
    Drained,
}

/// Runs `work(0..count)` on `threads` worker threads and hands each result to `sink` on the
/// calling thread as soon as it is ready (in completion order), with a [`Delivery::Drained`]
/// whenever no further result is waiting.
pub(crate) fn run_parallel<R: Send>(
    count: usize,
    threads: usize,
    work: impl Fn(usize) -> R + Sync,
    mut sink: impl FnMut(Delivery<R>),
) {
    let threads = threads.clamp(1, count.max(1));
    if threads == 1 {
        for index in 0..count {
            let result = work(index);
            sink(Delivery::Done(index, result));
            sink(Delivery::Drained);
        }
        return;
    }
    let next = AtomicUsize::new(0);
    let (sender, receiver) = mpsc::channel();
    thread::scope(|scope| {
        for _ in 0..threads {
            let sender = sender.clone();
            let (next, work) = (&next, &work);
            scope.spawn(move || {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= count {
                        break;
                    }
                    if sender.send((index, work(index))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        while let Ok((index, result)) = receiver.recv() {
            sink(Delivery::Done(index, result));
            while let Ok((index, result)) = receiver.try_recv() {
                sink(Delivery::Done(index, result));
            }
            sink(Delivery::Drained);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_index_is_handed_over_once() {
        let mut seen = vec![0; 100];
        let mut batches = 0;
        run_parallel(
            100,
            4,
            |index| index * 2,
            |delivery| match delivery {
                Delivery::Done(index, doubled) => {
                    assert_eq!(doubled, index * 2);
                    seen[index] += 1;
                }
                Delivery::Drained => batches += 1,
            },
        );
        assert!(seen.iter().all(|&count| count == 1));
        assert!(batches >= 1);
    }

    #[test]
    fn panics_become_messages_with_location() {
        let result: Result<(), String> = catch_panic(|| panic!("boom {}", 7));
        let message = result.unwrap_err();
        assert!(message.contains("boom 7"), "{message}");
        assert!(message.contains("exec.rs"), "{message}");
        assert_eq!(catch_panic(|| 5), Ok(5));
    }
}
