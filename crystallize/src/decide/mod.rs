//! Layer 4: what a run would do and why — plans, resume decisions with their reasons, the
//! report document, code diffs. Imports the layers below.

pub mod codediff;
pub mod plan;
pub mod report;
pub mod resume;
