//! Fixture experiments for the integration tests. The binaries in `src/bin/` register them (or
//! deliberately do not), and the tests in `tests/` run those binaries.

pub mod cache_fixtures;
pub mod fault_fixtures;
pub mod fixtures;
pub mod graph_fixtures;
pub mod inherit_fixtures;
