//! Writing CSV fields and numbers, as `export` prints them.

/// A value as JSON writes it: the shortest text that reads back as the same number.
pub(crate) fn number(value: f64) -> String {
    serde_json::to_string(&value).unwrap_or_default()
}

/// `text` as one CSV field: quoted (with `"` doubled) when it holds a comma, a quote, a line
/// break, or leading or trailing spaces.
pub(crate) fn field(text: &str) -> std::borrow::Cow<'_, str> {
    let needs_quotes =
        text.contains([',', '"', '\n', '\r']) || text.starts_with(' ') || text.ends_with(' ');
    if needs_quotes {
        std::borrow::Cow::Owned(format!("\"{}\"", text.replace('"', "\"\"")))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}
