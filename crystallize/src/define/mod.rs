//! Layer 3: experiment definitions — the builder, the registry of experiments a binary links,
//! the experiment graph and the signature records of stages. Knows nothing of execution or
//! storage layout. Imports `key`, `store` and `unit`.

pub mod experiment;
pub mod graph;
pub mod records;
pub mod registration;
pub mod registry;
