//! Collecting every error of one attribute, so that one compile reports them all (an unknown
//! option, a bad value and a misplaced argument together), each at its own span.

use proc_macro2::TokenStream;

/// The errors found so far while expanding one attribute.
///
/// Phases push what they find and carry on with a sensible default instead of returning at the
/// first problem; the expansion ends with [`Errors::into_compile_errors`] next to whatever it
/// could still generate.
#[derive(Default)]
pub(crate) struct Errors {
    error: Option<syn::Error>,
}

impl Errors {
    /// No error yet.
    pub(crate) fn new() -> Errors {
        Errors::default()
    }

    /// Records `error` (which may itself hold several).
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.error {
            Some(existing) => existing.combine(error),
            None => self.error = Some(error),
        }
    }

    /// Records every error of `other`, after those recorded so far.
    pub(crate) fn push_all(&mut self, other: Errors) {
        if let Some(error) = other.error {
            self.push(error);
        }
    }

    /// The value of `result`, or `None` after recording its error.
    pub(crate) fn check<T>(&mut self, result: syn::Result<T>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.push(error);
                None
            }
        }
    }

    /// Whether nothing was recorded.
    pub(crate) fn is_empty(&self) -> bool {
        self.error.is_none()
    }

    /// The message of each recorded error, in order (for tests).
    #[cfg(test)]
    pub(crate) fn messages(&self) -> Vec<String> {
        self.error
            .iter()
            .flat_map(|error| error.into_iter().map(|one| one.to_string()))
            .collect()
    }

    /// One `compile_error!` per recorded error, in the order found (empty when there is none).
    pub(crate) fn into_compile_errors(self) -> TokenStream {
        self.error
            .map(syn::Error::into_compile_error)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proc_macro2::Span;

    #[test]
    fn every_pushed_error_is_reported() {
        let mut errors = Errors::new();
        assert!(errors.is_empty());
        assert_eq!(errors.check(Ok::<_, syn::Error>(3)), Some(3));
        assert!(errors.is_empty());
        errors.push(syn::Error::new(Span::call_site(), "first"));
        let none: Option<u8> = errors.check(Err(syn::Error::new(Span::call_site(), "second")));
        assert_eq!(none, None);
        assert!(!errors.is_empty());
        let text = errors.into_compile_errors().to_string();
        let first = text.find("\"first\"").expect("first reported");
        let second = text.find("\"second\"").expect("second reported");
        assert!(first < second, "{text}");
        assert_eq!(text.matches("compile_error").count(), 2, "{text}");
    }

    #[test]
    fn no_error_expands_to_nothing() {
        assert!(Errors::new().into_compile_errors().is_empty());
    }
}
