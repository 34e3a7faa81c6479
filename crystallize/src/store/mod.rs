//! Persistence: the `data/` layout, atomic writes, the per-experiment lock, version directories,
//! the JSON records, the journal, completion markers with their summaries, and unit records in
//! columns.

pub(crate) mod atomic;
pub(crate) mod code;
pub(crate) mod columns;
pub(crate) mod files;
pub(crate) mod foreign;
pub(crate) mod hashing;
pub(crate) mod hashing_file;
pub(crate) mod journal;
pub(crate) mod layout;
pub(crate) mod linking;
pub(crate) mod lock;
pub(crate) mod marker;
pub(crate) mod metrics;
pub(crate) mod provenance;
pub(crate) mod records;
pub(crate) mod results_columns;
pub(crate) mod retention;
pub(crate) mod summary_bytes;
pub(crate) mod version;
