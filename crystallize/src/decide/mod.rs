//! Layer 4: what a run would do and why — plans, resume decisions with their reasons, the
//! report document, code diffs. Imports the layers below.

pub(crate) mod codediff;
pub(crate) mod plan;
pub(crate) mod report;
pub(crate) mod resume;
pub(crate) mod verdicts;
