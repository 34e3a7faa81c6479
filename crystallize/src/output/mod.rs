//! Layer 5: what people read — the summary tables, statistics and the progress bar. Imports the
//! layers below.

pub mod events;
pub mod log;
pub mod progress;
pub mod stats;
pub mod summary;
