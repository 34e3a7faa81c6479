//! The error a source or step returns to fail its unit.

use std::fmt;

/// Why a source or step failed. The unit is recorded as failed with this message; other units
/// keep running, and the condition gets no completion marker.
///
/// Steps may return `Result<T, E>` for any `E: Display`; the macro converts it with
/// [`StepError::from_display`]. `StepError` itself converts from I/O and JSON errors and from
/// strings, so `?` works in steps that return `Result<T, StepError>`.
///
/// ```
/// use crystallize::StepError;
///
/// fn check(x: f64) -> Result<f64, StepError> {
///     if x.is_nan() {
///         return Err(StepError::new("input is NaN"));
///     }
///     Ok(x)
/// }
/// assert_eq!(check(f64::NAN).unwrap_err().to_string(), "input is NaN");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepError {
    message: String,
}

impl StepError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> StepError {
        StepError {
            message: message.into(),
        }
    }

    /// Converts any displayable error, keeping its chain where the type prints one with `{:#}`.
    pub fn from_display<E: fmt::Display>(error: E) -> StepError {
        StepError::new(format!("{error:#}"))
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for StepError {}

impl From<std::io::Error> for StepError {
    fn from(error: std::io::Error) -> Self {
        StepError::from_display(error)
    }
}

impl From<serde_json::Error> for StepError {
    fn from(error: serde_json::Error) -> Self {
        StepError::from_display(error)
    }
}

impl From<String> for StepError {
    fn from(message: String) -> Self {
        StepError::new(message)
    }
}

impl From<&str> for StepError {
    fn from(message: &str) -> Self {
        StepError::new(message)
    }
}
