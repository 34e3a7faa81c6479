//! Layer 3: experiment definitions — the builder, the registry of experiments a binary links,
//! the experiment graph and the signature records of stages. Knows nothing of execution or
//! storage layout. Imports `key`, `store` and `unit`.

pub(crate) mod experiment;
pub(crate) mod graph;
pub(crate) mod hypothesis;
pub(crate) mod records;
pub(crate) mod registration;
pub(crate) mod registry;
pub(crate) mod resources;
pub(crate) mod sweep;
