//! Layer 5: what people read — the summary tables, statistics and the progress bar — and the
//! run-event stream with its plugins. Imports the layers below.

pub(crate) mod color;
pub(crate) mod events;
pub(crate) mod explain;
pub(crate) mod hooks;
pub(crate) mod html;
pub(crate) mod json_lines;
pub(crate) mod log;
pub(crate) mod progress;
pub(crate) mod stats;
pub(crate) mod summary;
pub(crate) mod verdicts;
pub(crate) mod width;
