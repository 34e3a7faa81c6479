//! Persistence: the `data/` layout, atomic writes, the per-experiment lock, version directories
//! and the JSON records.

pub mod atomic;
pub mod code;
pub mod files;
pub mod foreign;
pub mod journal;
pub mod layout;
pub mod lock;
pub mod provenance;
pub mod records;
pub mod retention;
pub mod version;
