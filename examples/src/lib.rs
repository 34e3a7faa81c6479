//! The example experiments of crystallize, in a library crate so that other binaries (such as
//! the test fixtures) can register them too.

pub mod csv_rows;
pub mod pipeline;
pub mod quickstart;
pub mod stats;
