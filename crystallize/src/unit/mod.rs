//! Layer 2: the world of one running unit, and what the macros' expansions name — params, the
//! context (`Ctx`), stages and their compile-time info, the step cache, upstream views, inputs,
//! step errors and panic capture. Imports `key` and `store`.

pub(crate) mod cache;
pub(crate) mod ctx;
pub(crate) mod error;
pub(crate) mod inject;
pub(crate) mod input;
pub(crate) mod names;
pub(crate) mod panic;
pub(crate) mod params;
pub(crate) mod pending;
pub(crate) mod records;
pub(crate) mod stage;
pub(crate) mod upstream;
pub(crate) mod writer;
