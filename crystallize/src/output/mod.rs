//! Layer 5: what people read — the summary tables, statistics and the progress bar. Imports the
//! layers below.

pub(crate) mod events;
pub(crate) mod explain;
pub(crate) mod log;
pub(crate) mod progress;
pub(crate) mod stats;
pub(crate) mod summary;
pub(crate) mod width;
