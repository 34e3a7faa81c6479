//! Panic capture: user code (a definition, a source, a step) runs under [`catch_panic`], so a
//! panic becomes an error message with its location instead of the default panic output.

use std::any::Any;
use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

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

/// Whether this thread runs user code under [`catch_panic`] right now: a panic here becomes
/// the unit's error, so a panic hook installed over this one (the run screen's, which restores
/// the terminal) leaves it alone.
#[cfg_attr(not(feature = "tui"), allow(dead_code))]
pub(crate) fn capturing() -> bool {
    CAPTURE.with(|capture| capture.borrow().is_some())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_messages_with_location() {
        let result: Result<(), String> = catch_panic(|| panic!("boom {}", 7));
        let message = result.unwrap_err();
        assert!(message.contains("boom 7"), "{message}");
        assert!(message.contains("panic.rs"), "{message}");
        assert_eq!(catch_panic(|| 5), Ok(5));
    }
}
