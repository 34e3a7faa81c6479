//! Layer 2: the world of one running unit, and what the macros' expansions name — params, the
//! context (`Ctx`), stages and their compile-time info, the step cache, upstream views, inputs,
//! step errors and panic capture. Imports `key` and `store`.

pub mod cache;
pub mod ctx;
pub mod error;
pub mod input;
pub mod names;
pub mod panic;
pub mod params;
pub mod records;
pub mod stage;
pub mod upstream;
